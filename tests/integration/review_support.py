# SPDX-License-Identifier: MIT
"""Shared set-up for the expert's workspace (test_reviews.py,
test_review_leaks.py) through the real routes only: a programme of its own
copied from a seeded one (no unit publicity, k = `experts`), its office, a
nomination with one evidence file, submitted and qualified, experts with
profiles (through the experts API), the office's draw (which moves the
round to review and assigns every expert), the recusal and the freeze."""
import types

import review_flow
import support
import vote_flow

LANSHAN = "lanshan-craftsman"
HUANCUI = "huancui-chief-technician"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n(JX review evidence)\nendobj\n%%EOF\n"


def new_expert(api, factory, programme):
    """An expert user with a profile for `programme` (written by the admin)."""
    return review_flow.add_experts(api, factory, programme, 1)[0]


def end_assignment(api, e, i):
    """Expert i recuses from its assignment (the recusal route). The draw
    gave every expert of the pool an assignment, so a spare expert joins
    the pool first for the replacement the recusal draws. Returns the
    route's answer (ended, replacement, draw)."""
    new_expert(api, e.factory, e.programme)
    return api.post(f"/v1/review-assignments/{e.assignments[i]}/recusal",
                    token=e.experts[i].token, json={"reason": "测试回避"}, expect=200).body


def close_review(api, e):
    """The freeze of e's one nomination, which moves the round out of
    phase review (岚山: voting, 环翠: deciding) and so seals the reviews.
    Listed in `order` with a reason, so it needs no complete review."""
    policy = api.get(f"/v1/programmes/{e.programme}", expect=200).body["policy"]
    body = {"order": [e.nom["id"]], "reasons": {e.nom["id"]: "测试：结束评审"}}
    if policy["vote_nominees"] is None:
        body["size"] = policy["awards_per_round"]
    return review_flow.freeze(api, e.office, e.round["id"], body)


def review_env(api, factory, *, base=LANSHAN, experts=2):
    """A round in phase review with one nomination (one evidence file),
    qualified, and `experts` experts drawn for it: e.assignments[i] is
    e.experts[i]'s."""
    e = types.SimpleNamespace(factory=factory)
    e.programme = factory.programme(base=base, unit_publicity_required=False,
                                    unit_publicity_min_workdays=None, review_experts=experts)
    e.office = factory.office(e.programme)
    e.round = factory.round(e.programme, e.office, phase="accepting")
    e.unit = factory.user("unit")
    e.id_number = support.new_id_number()
    extra = {"skill_level": "technician"} if base == HUANCUI else {}
    e.nom = factory.nomination(e.round["id"], e.unit, id_number=e.id_number, **extra)
    e.file = api.post(f"/v1/nominations/{e.nom['id']}/attachments", token=e.unit.token,
                      params={"kind": "skill_certificate", "filename": "证书.pdf"},
                      data=PDF, headers={"Content-Type": "application/pdf"},
                      expect=201).body
    submitted = vote_flow._move(api, e.unit, e.nom["id"], "submitted")
    api.post(f"/v1/rounds/{e.round['id']}/transitions", token=e.office.token,
             json={"to": "qualification"}, expect=200)
    vote_flow.qualify_submitted(api, e.office, submitted)
    e.experts = [new_expert(api, factory, e.programme) for _ in range(experts)]
    # The draw moves the round to review; with k = the pool, every expert is drawn.
    items = review_flow.draw(api, e.office, e.round["id"])["items"]
    mine = {a["expert_id"]: a["id"] for a in items}
    e.assignments = [mine[x.id] for x in e.experts]
    e.rubric = api.get(f"/v1/programmes/{e.programme}", expect=200).body["policy"]["rubric"]
    return e


def full_scores(rubric, fraction=1.0):
    """Every criterion: gates pass, scores at `fraction` of their maximum."""
    return review_flow.scores(rubric, fraction)
