# SPDX-License-Identifier: MIT
"""Shared setup of test_ranking.py, test_shortlist.py and
test_review_leaks.py through the real routes: a programme clone whose round
has qualified nominations, experts with profiles, the office's draw of every
expert for every nomination (k = the number of experts; it moves them to
in_review), and reviews with hand-chosen totals put by their experts.

The ranking reads only a review's `total` and gate verdict, so the expected
aggregates are computed by hand in the tests. Any total of 0..100 points in
hundredths is a sum of criterion scores (each up to its weight, two
decimals), so every hand-chosen total goes through the review route; a
nomination's number of reviews is how many of its drawn experts scored it."""

import types

import review_flow

REASON = "技能突出，经研究同意放宽"


def move(api, user, nom_id, to, expect=200, **body):
    body["to"] = to
    return api.post(f"/v1/nominations/{nom_id}/transitions", token=user.token, json=body,
                    expect=expect)


def qualify(api, office, nom_id):
    """The office's qualification, every warning overridden with a reason."""
    checks = api.get(f"/v1/nominations/{nom_id}/eligibility", token=office.token,
                     expect=200).body["checks"]
    overrides = [{"check": c["check"], "reason": REASON} for c in checks
                 if c["result"] == "warning"]
    return move(api, office, nom_id, "qualified", overrides=overrides).body


def world(api, factory, base, n, n_experts=7, **changes):
    """A clone of `base` (no unit publicity, review_experts = n_experts), its
    office, a round in phase review with n nominations qualified and then
    drawn (in review), and n_experts experts, each drawn for every one."""
    w = types.SimpleNamespace(api=api, factory=factory)
    w.code = factory.programme(base=base, unit_publicity_required=False,
                               unit_publicity_min_workdays=None, review_experts=n_experts,
                               **changes)
    w.office = factory.office(w.code)
    w.round = factory.round(w.code, w.office)
    w.unit = factory.user("unit")
    noms = [factory.nomination(w.round["id"], w.unit) for _ in range(n)]
    for x in noms:
        move(api, w.unit, x["id"], "submitted")
    api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
             json={"to": "qualification"}, expect=200)
    w.noms = [qualify(api, w.office, x["id"]) for x in noms]
    api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
             json={"to": "review"}, expect=200)
    w.experts = review_flow.add_experts(api, factory, w.code, n_experts)
    w.items = review_flow.draw(api, w.office, w.round["id"])["items"]
    w.rubric = review_flow.rubric_of(api, w.code)
    by_id = {e.id: e for e in w.experts}
    w.holder = {a["id"]: by_id[a["expert_id"]] for a in w.items}
    return w


def scores_for(rubric, total, gate=True):
    """Scores of `rubric` adding up to `total` hundredths, every gate at
    `gate`: each criterion in turn filled up to its maximum."""
    out, left = {}, total
    for c in rubric:
        if c["gate"]:
            out[c["criterion"]] = gate
            continue
        h = min(left, c["max_score"] * 100)
        out[c["criterion"]] = h // 100 if h % 100 == 0 else h / 100
        left -= h
    assert left == 0, f"no score set of this rubric totals {total}"
    return out


def set_reviews(w, nom_id, totals, gates=None, *, first_expert=0):
    """Experts first_expert.. each review nomination nom_id once, with the
    given total (hundredths) and gate verdict. Returns their assignment ids."""
    gates = gates or [True] * len(totals)
    out = []
    for i, (total, gate) in enumerate(zip(totals, gates)):
        user = w.experts[first_expert + i]
        a = next(x["id"] for x in w.items
                 if x["nomination_id"] == nom_id and x["expert_id"] == user.id)
        add_review(w, a, total, gate, revision=1)
        out.append(a)
    return out


def add_review(w, assignment_id, total, gate=True, *, revision):
    """The assignment's expert puts a review of `total` hundredths, which
    must be its `revision`-th."""
    got = w.api.put(f"/v1/review-assignments/{assignment_id}/review",
                    token=w.holder[assignment_id].token,
                    json={"scores": scores_for(w.rubric, total, gate)}, expect=200).body["current"]
    assert (got["revision"], round(got["total"] * 100), got["gate_pass"]) == \
        (revision, total, gate)


def end_assignment(w, assignment_id):
    """Its expert recuses (the recusal route). Every expert was drawn for
    every nomination, so a spare joins the pool first for the replacement
    the recusal draws; the replacement has no review."""
    review_flow.add_experts(w.api, w.factory, w.code, 1)
    return w.api.post(f"/v1/review-assignments/{assignment_id}/recusal",
                      token=w.holder[assignment_id].token, json={"reason": "回避"},
                      expect=200).body


def ranking(api, w, token=None, expect=200):
    return api.get(f"/v1/rounds/{w.round['id']}/ranking", token=token or w.office.token,
                   expect=expect).body


def entry(rank, nom_id):
    return next(e for e in rank["entries"] if e["nomination_id"] == nom_id)
