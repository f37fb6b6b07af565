# SPDX-License-Identifier: MIT
"""The steps after the shortlist through their real routes only (issue 13),
for tests that need a round past them: the vote to its final result (岚山),
the group's decision, 考察 (环翠), the final notice and its end, the 审定,
the approval and the recognition. Dates come from the services' clock."""

import datetime
import types

import clock_support
import review_flow
import support
import vote_flow

HC = "huancui-chief-technician"
LS = "lanshan-craftsman"
MEMBERS = ["组长甲", "副组长乙", "成员丙"]


def prefix():
    """A certificate prefix of a test programme's own: numbers are gapless
    per prefix and year, so tests never share a sequence."""
    return "T" + support.rand_hex(7).upper()


def today():
    return clock_support.clock().today()


def meeting(selections, **extra):
    """A POST /v1/rounds/{id}/decisions body: a meeting today."""
    body = {"meeting_date": today().isoformat(), "meeting_reference": "人才领导小组2027年第3次会议",
            "members_present": list(MEMBERS), "selections": list(selections)}
    body.update(extra)
    return body


def huancui_deciding(api, factory, n=3, *, awards=2, programme=None, **changes):
    """A 环翠-based programme (no skill test, one review each; or the
    caller's `programme` made so), its office user (w.office), a leader
    (w.leader) and a round in phase deciding with `n` nominations on its
    frozen shortlist (w.ids, in order)."""
    policy = dict(unit_publicity_required=False, unit_publicity_min_workdays=None,
                  review_experts=1, skill_test=False, skill_test_weight=None,
                  awards_per_round=awards, certificate_prefix=prefix())
    policy.update(changes)
    w = vote_flow.review_round(api, factory, qualified=n, base=HC, phase="review",
                               programme=programme or factory.programme(base=HC, **policy))
    w.leader = factory.user("leader", programmes=[w.programme])
    return _shortlisted(api, factory, w, n)


def lanshan_deciding(api, factory, n=2, *, awards=2, **changes):
    """A 岚山-based programme without a public vote (so the freeze takes the
    round straight to deciding), its office user, a leader and a round in
    phase deciding with `n` nominations on its frozen shortlist."""
    policy = dict(unit_publicity_required=False, unit_publicity_min_workdays=None,
                  review_experts=1, vote_nominees=None, vote_weight=None,
                  awards_per_round=awards, certificate_prefix=prefix())
    policy.update(changes)
    w = vote_flow.review_round(api, factory, qualified=n, base=LS, phase="review",
                               programme=factory.programme(base=LS, **policy))
    w.leader = factory.user("leader", programmes=[w.programme])
    return _shortlisted(api, factory, w, n)


# Each programme's expert (the draw takes any of the programme's experts,
# so a second round of a programme reviews with the first one's).
PANELS = {}


def _shortlisted(api, factory, w, n):
    ids = [x["id"] for x in w.qualified]
    if w.programme not in PANELS:
        PANELS[w.programme] = review_flow.add_experts(api, factory, w.programme, 1)
    panel = PANELS[w.programme]
    items = review_flow.draw(api, w.office, w.round["id"])["items"]
    place = {nid: i for i, nid in enumerate(ids)}
    review_flow.review_all(api, panel, items, review_flow.rubric_of(api, w.programme),
                           lambda nid: max(0.10, 0.95 - 0.02 * place[nid]))
    frozen = review_flow.freeze(api, w.office, w.round["id"], {"size": n})
    w.ids = [e["nomination_id"] for e in frozen["entries"]]
    assert w.ids == ids
    w.round = api.get(f"/v1/rounds/{w.round['id']}", token=w.office.token, expect=200).body
    return w


def inspect(api, w, nid, passed=True, expect=200):
    return api.put(f"/v1/nominations/{nid}/inspection", token=w.office.token,
                   json={"passed": passed, "findings": "经实地考察，政治表现、业绩贡献属实。"
                         if passed else "考察发现业绩材料与实际不符。",
                         "inspected_on": today().isoformat()}, expect=expect).body


def publish(api, w, expect=201, **body):
    body.setdefault("contact", "区人社局人才科 0631-0000000")
    return api.post(f"/v1/rounds/{w.round['id']}/notices", token=w.office.token, json=body,
                    expect=expect).body


def past_notice(notice):
    """Both clocks to 10:00 on the day after the notice's last working day."""
    clock_support.clock().set(datetime.date.fromisoformat(notice["ends_on"])
                              + datetime.timedelta(days=1))


def noticed_round(api, factory, n=3, **kw):
    """A 环翠-based round whose `n` candidates all passed 考察 and are on a
    published final notice (w.notice); keywords as huancui_deciding's."""
    w = huancui_deciding(api, factory, n, **kw)
    for nid in w.ids:
        inspect(api, w, nid)
    w.notice = publish(api, w)
    return w


def phase(api, w):
    return api.get(f"/v1/rounds/{w.round['id']}", token=w.office.token, expect=200).body["phase"]


def ratify_and_approve(api, w):
    """After the notice's end: the group's 审定 of the whole list and the
    district government's approval, today."""
    api.post(f"/v1/rounds/{w.round['id']}/decisions", token=w.leader.token,
             json=meeting(w.ids), expect=201)
    api.post(f"/v1/rounds/{w.round['id']}/approval", token=w.office.token,
             json={"document_no": "环政字〔2027〕9号", "approved_on": today().isoformat()},
             expect=201)


def issue(api, w):
    """POST the round's recognitions: w.issued, in certificate order."""
    w.issued = api.post(f"/v1/rounds/{w.round['id']}/recognitions", token=w.office.token,
                        expect=201).body["items"]
    return w


def huancui_recognized(api, factory, n=2, **kw):
    """A 环翠-based round whose `n` candidates hold their titles (w.issued):
    考察, the notice and its end, the 审定, the approval, the recognition."""
    w = noticed_round(api, factory, n, awards=n, **kw)
    past_notice(w.notice)
    ratify_and_approve(api, w)
    return issue(api, w)


def lanshan_recognized(api, factory, n=2, **kw):
    """A 岚山-based round (no public vote) whose `n` candidates hold their
    titles (w.issued): the decision, the notice and its end, the recognition."""
    w = lanshan_deciding(api, factory, n, awards=n, **kw)
    api.post(f"/v1/rounds/{w.round['id']}/decisions", token=w.leader.token,
             json=meeting(w.ids), expect=201)
    w.notice = publish(api, w)
    past_notice(w.notice)
    return issue(api, w)


def revoke(api, w, rid, reason, effective_on):
    """A 环翠 revocation of title `rid` through its three approvals (第十七条),
    today."""
    body = {"reason": reason, "facts": "经核实，情况属实。", "effective_on": effective_on.isoformat()}
    if reason in ("fraud", "other"):
        body["finding"] = "经调阅原始材料，认定其申报的获奖证书系伪造。"
    case = api.post(f"/v1/recognitions/{rid}/revocation-cases", token=w.office.token, json=body,
                    expect=201).body
    day = today().isoformat()
    for name, token, extra in (("preliminary_finding", w.office.token, {}),
                               ("ratification", w.leader.token, {"meeting_reference": "第5次会议"}),
                               ("approval", w.office.token, {"document_no": "环政字〔2030〕2号"})):
        api.post(f"/v1/revocation-cases/{case['id']}/steps", token=token, json={
            "step": name, "outcome": "approved", "note": "属实。", "decided_on": day, **extra},
            expect=200)
