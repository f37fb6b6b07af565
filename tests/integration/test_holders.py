# SPDX-License-Identifier: MIT
"""Holder management (issue 14) over HTTP only: the holder record and its
file, suspension (环翠区首席技师 第十六条（一）), and revocation cases through
the approval steps of the title's pinned policy (岚山工匠 第十二条 "经核实后，
按程序取消": office verifies → leadership group decides; 环翠 第十七条: the
office's preliminary finding → the group's 审定 → the government's
approval). Every date comes from the services' test clock."""

import datetime

import pytest

import clock_support
import decision_flow as df
import support
import vote_flow

HOLDER_ROUTES = [
    ("GET", "/v1/recognitions", {"admin", "office", "leader", "auditor", "finance", "unit"}),
    ("GET", "/v1/recognitions/{r}", {"admin", "office", "leader", "auditor", "finance", "unit"}),
    ("POST", "/v1/recognitions/{r}/notes", {"office"}),
    ("POST", "/v1/recognitions/{r}/suspensions", {"office"}),
    ("POST", "/v1/suspensions/{s}/lifting", {"office"}),
    ("POST", "/v1/recognitions/{r}/revocation-cases", {"office"}),
    ("GET", "/v1/revocation-cases", {"admin", "office", "leader", "auditor"}),
    ("GET", "/v1/revocation-cases/{c}", {"admin", "office", "leader", "auditor"}),
    ("POST", "/v1/revocation-cases/{c}/steps", {"office", "leader"}),
    ("GET", "/v1/recognitions/{r}/recheck", {"admin", "office", "leader", "auditor", "finance",
                                             "unit"}),
    ("POST", "/v1/recognitions/{r}/recheck", {"office", "unit"}),
    ("POST", "/v1/recognitions/{r}/recheck/decision", {"office"}),
]


def later(days):
    """Both clocks `days` days on from the services' today."""
    clock_support.clock().set(df.today() + datetime.timedelta(days=days))
    return df.today()


def record(api, w, rid, token=None):
    return api.get(f"/v1/recognitions/{rid}", token=token or w.office.token, expect=200).body


def certificate_status(api, c):
    return api.get(f"/v1/certificates/{c['certificate_number']}?code={c['verification_code']}",
                   headers={"X-Forwarded-For": vote_flow.random_ip()}, expect=200).body["status"]


def open_case(api, w, rid, reason, expect=201, **extra):
    body = {"reason": reason, "facts": "经区人社局核实，情况属实。",
            "effective_on": df.today().isoformat()}
    if reason in ("fraud", "other"):
        body["finding"] = "经调阅原始材料并约谈本人，认定其申报材料中的获奖证书系伪造。"
    body.update(extra)
    body = {k: v for k, v in body.items() if v is not None}
    return api.post(f"/v1/recognitions/{rid}/revocation-cases", token=w.office.token, json=body,
                    expect=expect).body


def step(api, w, case_id, name, outcome="approved", expect=200, token=None, **extra):
    body = {"step": name, "outcome": outcome, "note": "同意。" if outcome == "approved" else
            "证据不足，不予撤销。", "decided_on": df.today().isoformat()}
    if name in ("decision", "ratification"):
        body["meeting_reference"] = "人才领导小组2027年第5次会议"
    if name == "approval":
        body["document_no"] = "环政字〔2027〕21号"
    body.update(extra)
    body = {k: v for k, v in body.items() if v is not None}
    role_token = token or (w.leader.token if name in ("decision", "ratification")
                           else w.office.token)
    return api.post(f"/v1/revocation-cases/{case_id}/steps", token=role_token, json=body,
                    expect=expect).body


def test_the_holder_record_and_its_scope(api, factory):
    """Each title is a record with its management period and file; a unit
    sees the people it nominated only, and never another unit's."""
    w = df.huancui_recognized(api, factory, 2)
    c = w.issued[0]
    rec = record(api, w, c["id"])
    assert rec["status"] == "active" and rec["certificate_number"] == c["certificate_number"]
    assert rec["period_start"] == c["period_start"] and rec["period_end"] == c["period_end"]
    assert rec["suspension"] is None and rec["revocation_case_id"] is None
    assert [e["kind"] for e in rec["timeline"]] == ["issued"]
    assert rec["timeline"][0]["details"]["certificate_number"] == c["certificate_number"]
    listed = api.get(f"/v1/recognitions?round_id={w.round['id']}", token=w.office.token,
                     expect=200).body["items"]
    assert [x["certificate_number"] for x in listed] == [x["certificate_number"]
                                                          for x in w.issued]
    assert "timeline" not in listed[0]
    # The nominating unit reads its people; another unit reads nothing.
    mine = api.get(f"/v1/recognitions?round_id={w.round['id']}", token=w.unit.token,
                   expect=200).body["items"]
    assert len(mine) == 2 and record(api, w, c["id"], w.unit.token)["id"] == c["id"]
    other = factory.user("unit")
    assert api.get(f"/v1/recognitions?round_id={w.round['id']}", token=other.token,
                   expect=200).body["items"] == []
    assert api.get(f"/v1/recognitions/{c['id']}", token=other.token,
                   expect=404).body["code"] == "not_found"
    # An office user of another programme: none of them either.
    office2 = factory.office(factory.programme(base=df.HC))
    assert api.get(f"/v1/recognitions?round_id={w.round['id']}", token=office2.token,
                   expect=200).body["items"] == []
    api.get(f"/v1/recognitions/{c['id']}", token=office2.token, expect=404)
    # Filters, paging.
    assert api.get(f"/v1/recognitions?round_id={w.round['id']}&status=revoked",
                   token=w.office.token, expect=200).body["items"] == []
    page = api.get(f"/v1/recognitions?round_id={w.round['id']}&limit=1", token=w.office.token,
                   expect=200)
    assert len(page.body["items"]) == 1 and page.body["next_cursor"]
    assert api.get(f"/v1/recognitions?status=lost", token=w.office.token,
                   expect=400).body["code"] == "unknown_value"
    # A note with evidence goes into the file, with who and when.
    note = api.post(f"/v1/recognitions/{c['id']}/notes", token=w.office.token,
                    json={"text": "2027年度带徒3人，均取得高级工证书。",
                          "evidence": ["带徒协议（2027）.pdf"]}, expect=201).body
    tl = record(api, w, c["id"])["timeline"]
    assert [e["kind"] for e in tl] == ["issued", "note"]
    assert tl[1]["actor"] == w.office.username and tl[1]["id"] == note["id"]
    assert tl[1]["details"]["evidence"] == ["带徒协议（2027）.pdf"]


def test_huancui_suspension_in_the_past_and_its_lifting(api, factory):
    """第十六条（一）: the office learns late that the holder moved out of the
    district; the title stays, the benefits stop from the past date; lifting
    it is a new recorded decision."""
    w = df.huancui_recognized(api, factory, 1)
    c = w.issued[0]
    recognized = datetime.date.fromisoformat(c["recognized_on"])
    today = later(60)
    path = f"/v1/recognitions/{c['id']}/suspensions"
    good = {"reason": "moved_out_of_district", "effective_on":
            (today - datetime.timedelta(days=30)).isoformat(),
            "note": "本人已于上月调往外区工作，单位来函告知。"}
    # Refusals change nothing.
    for body, code in (
            (dict(good, reason="retired"), "unknown_value"),
            (dict(good, effective_on=(today + datetime.timedelta(days=1)).isoformat()),
             "date_in_future"),
            (dict(good, effective_on=(recognized - datetime.timedelta(days=1)).isoformat()),
             "before_recognition"),
            (dict(good, effective_on="2027-02-30"), "not_date"),
            (dict(good, benefits_stopped=["pension"]), "unknown_value")):
        r = api.post(path, token=w.office.token, json=body, expect=422).body
        assert r["errors"][0]["code"] == code
    api.post(path, token=w.office.token, json=dict(good, extra=1), expect=400)
    for token in (w.leader.token, w.unit.token, factory.user("admin").token):
        api.post(path, token=token, json=good, expect=403)
    assert record(api, w, c["id"])["status"] == "active"

    s = api.post(path, token=w.office.token, json=good, expect=201).body
    assert s["effective_on"] == good["effective_on"]
    assert s["benefits_stopped"] == ["allowance", "employer_benefits"]
    rec = record(api, w, c["id"])
    assert rec["status"] == "suspended" and rec["suspension"]["id"] == s["id"]
    assert certificate_status(api, c) == "suspended"
    assert api.post(path, token=w.office.token, json=good,
                    expect=409).body["code"] == "already_suspended"

    lift = f"/v1/suspensions/{s['id']}/lifting"
    r = api.post(lift, token=w.office.token, json={
        "lifted_on": (today - datetime.timedelta(days=31)).isoformat(), "reason": "调回"},
        expect=422).body
    assert r["errors"][0]["code"] == "before_suspension"
    api.post(lift, token=w.leader.token, json={"lifted_on": today.isoformat(),
                                              "reason": "调回区内"}, expect=403)
    lifted = api.post(lift, token=w.office.token, json={
        "lifted_on": today.isoformat(), "reason": "本人调回区内原岗位，经研究恢复待遇。"},
        expect=200).body
    assert lifted["lifted_on"] == today.isoformat() and lifted["lifted_by"]
    assert record(api, w, c["id"])["status"] == "active"
    assert certificate_status(api, c) == "active"
    assert api.post(lift, token=w.office.token, json={"lifted_on": today.isoformat(),
                                                      "reason": "再次"},
                    expect=409).body["code"] == "suspension_lifted"
    kinds = [e["kind"] for e in record(api, w, c["id"])["timeline"]]
    assert kinds == ["issued", "suspended", "suspension_lifted"]
    # Only the allowance may be named.
    s2 = api.post(path, token=w.office.token, json=dict(good, reason="left_skilled_post",
                                                        benefits_stopped=["allowance"]),
                  expect=201).body
    assert s2["benefits_stopped"] == ["allowance"]


def test_lanshan_knows_no_suspension(api, factory):
    """岚山 第十二条 ends the title and its 待遇 together: no suspension."""
    w = df.lanshan_recognized(api, factory, 1)
    c = w.issued[0]
    r = api.post(f"/v1/recognitions/{c['id']}/suspensions", token=w.office.token,
                 json={"reason": "left_skilled_post", "effective_on": df.today().isoformat(),
                       "note": "调岗"}, expect=409).body
    assert r["code"] == "suspension_not_in_policy"
    assert record(api, w, c["id"])["status"] == "active"


def test_huancui_revocation_through_all_three_approvals(api, factory):
    """第十七条: preliminary finding (office) → 审定 (leader) → the district
    government's approval (office, with the document); the last approval
    revokes the title, recalls the certificate and publishes the notice."""
    w = df.huancui_recognized(api, factory, 2)
    c, kept = w.issued
    later(100)
    r = open_case(api, w, c["id"], "fraud", expect=422, finding=None)
    assert r["errors"][0]["code"] == "finding_required"
    r = open_case(api, w, c["id"], "dismissal", expect=422)  # 岚山's reason, not 环翠's
    assert r["errors"][0]["code"] == "unknown_value"
    api.post(f"/v1/recognitions/{c['id']}/revocation-cases", token=w.leader.token,
             json={"reason": "other", "facts": "x", "finding": "y",
                   "effective_on": df.today().isoformat()}, expect=403)
    case = open_case(api, w, c["id"], "violation_or_gross_negligence",
                     evidence=["法院判决书（2027）鲁1002刑初88号"])
    assert case["state"] == "open" and case["next_step"] == "preliminary_finding"
    assert [s["step"] for s in case["steps"]] == ["preliminary_finding", "ratification",
                                                  "approval"]
    assert record(api, w, c["id"])["status"] == "active"  # a case is not a revocation
    assert open_case(api, w, c["id"], "other", expect=409)["code"] == "revocation_case_open"

    # Step 1: not the leader's, and not out of order.
    assert step(api, w, case["id"], "preliminary_finding", token=w.leader.token,
                expect=403)["code"] == "revocation_step_role"
    assert step(api, w, case["id"], "ratification",
                expect=409)["code"] == "revocation_step_out_of_order"
    case = step(api, w, case["id"], "preliminary_finding")
    assert case["next_step"] == "ratification" and case["steps"][0]["outcome"] == "approved"
    # Step 2: the leader's, with the meeting.
    assert step(api, w, case["id"], "ratification", token=w.office.token,
                expect=403)["code"] == "revocation_step_role"
    r = step(api, w, case["id"], "ratification", expect=422, meeting_reference=None)
    assert r["errors"][0]["code"] == "required"
    case = step(api, w, case["id"], "ratification")
    # Step 3: the office records the government's document.
    assert step(api, w, case["id"], "approval", token=w.leader.token,
                expect=403)["code"] == "revocation_step_role"
    r = step(api, w, case["id"], "approval", expect=422, document_no=None)
    assert r["errors"][0]["code"] == "required"
    r = step(api, w, case["id"], "approval", expect=422,
             meeting_reference="会议")
    assert r["errors"][0]["code"] == "meeting_not_allowed"
    assert record(api, w, c["id"])["status"] == "active"
    case = step(api, w, case["id"], "approval")
    assert case["state"] == "revoked" and case["next_step"] is None and case["notice_id"]

    rec = record(api, w, c["id"])
    assert rec["status"] == "revoked" and rec["revoked_on"] == df.today().isoformat()
    assert certificate_status(api, c) == "revoked"
    assert certificate_status(api, kept) == "active"
    kinds = [e["kind"] for e in rec["timeline"]]
    assert kinds == ["issued", "revocation_case_opened", "revocation_step", "revocation_step",
                     "revocation_step", "revoked"]
    notice = api.get(f"/v1/notices/{case['notice_id']}", expect=200).body
    assert notice["kind"] == "revocation" and notice["reason"] == "violation_or_gross_negligence"
    assert notice["holder"]["certificate_number"] == c["certificate_number"]
    assert "撤销" in notice["title"] and "第十七条" in notice["body"]
    listed = api.get(f"/v1/notices?programme={w.programme}", expect=200).body["items"]
    assert {x["kind"] for x in listed} == {"final", "revocation"}
    assert api.get(f"/v1/notices/{case['notice_id']}/notice.pdf", expect=404).body["code"] == "not_found"
    # Nothing more: no step, no case, no suspension on a revoked title.
    assert step(api, w, case["id"], "approval",
                expect=409)["code"] == "revocation_case_closed"
    assert open_case(api, w, c["id"], "other", expect=409)["code"] == "title_revoked"
    r = api.post(f"/v1/recognitions/{c['id']}/suspensions", token=w.office.token,
                 json={"reason": "left_skilled_post", "effective_on": df.today().isoformat(),
                       "note": "调岗"}, expect=409).body
    assert r["code"] == "title_revoked"
    # No re-check is owed any more, nor can one be filed, even after its month.
    recheck = f"/v1/recognitions/{c['id']}/recheck"
    later(400)
    assert api.get(recheck, token=w.office.token, expect=200).body["status"] == "revoked"
    r = api.post(recheck, token=w.unit.token, expect=409, json={
        "achievements": "无", "apprentices": [], "front_line": True, "no_accident": True,
        "no_violation": True, "keeps_lead": True}).body
    assert r["code"] == "title_revoked"
    cases = api.get(f"/v1/revocation-cases?programme={w.programme}&state=revoked",
                    token=w.leader.token, expect=200).body["items"]
    assert [x["id"] for x in cases] == [case["id"]]


LANSHAN_REASONS = ["fraud", "criminal_penalty", "dismissal", "consecutive_failed_assessments",
                   "other"]
HUANCUI_REASONS = ["violation_or_gross_negligence", "refusing_duties", "fraud", "other"]


@pytest.mark.parametrize("programme", ["lanshan", "huancui"])
def test_each_reason_through_its_steps_and_a_rejection_at_each_step(api, factory, programme):
    """Every reason of 第十二条 (岚山) and 第十七条 (环翠) revokes through the
    policy's steps; a rejection at any step closes its case and changes
    nothing else, and a new case may follow."""
    reasons, steps = ((LANSHAN_REASONS, ["verification", "decision"]) if programme == "lanshan"
                      else (HUANCUI_REASONS, ["preliminary_finding", "ratification", "approval"]))
    flow = df.lanshan_recognized if programme == "lanshan" else df.huancui_recognized
    w = flow(api, factory, len(reasons))
    later(30)
    # A rejection at each step, on the first holder.
    first = w.issued[0]
    for k, rejected_at in enumerate(steps):
        case = open_case(api, w, first["id"], reasons[0])
        for name in steps[:k]:
            step(api, w, case["id"], name)
        case = step(api, w, case["id"], rejected_at, outcome="rejected")
        assert case["state"] == "rejected" and case["notice_id"] is None
        rec = record(api, w, first["id"])
        assert rec["status"] == "active" and rec["revocation_case_id"] is None
        assert certificate_status(api, first) == "active"
    # Each reason through every step.
    for holder, reason in zip(w.issued, reasons):
        case = open_case(api, w, holder["id"], reason)
        assert case["steps"][0]["step"] == steps[0]
        for name in steps:
            case = step(api, w, case["id"], name)
        assert case["state"] == "revoked", reason
        assert record(api, w, holder["id"])["status"] == "revoked"
        notice = api.get(f"/v1/notices/{case['notice_id']}", expect=200).body
        assert notice["reason"] == reason
        assert ("第十二条" if programme == "lanshan" else "第十七条") in notice["body"]


def test_every_holder_route_by_role(api, factory, db_url):
    """Each new route × each role: the roles the route names reach it (a
    unit outside the holder answers 404, not 403); every other role gets
    403, anonymous 401; the empty bodies change nothing."""
    w = df.huancui_recognized(api, factory, 1)
    c = w.issued[0]
    s = api.post(f"/v1/recognitions/{c['id']}/suspensions", token=w.office.token,
                 json={"reason": "left_skilled_post", "effective_on": df.today().isoformat(),
                       "note": "调岗"}, expect=201).body
    case = open_case(api, w, c["id"], "refusing_duties")
    ids = {"r": c["id"], "s": s["id"], "c": case["id"]}
    tokens = {role: factory.user(role).token for role in
              ("admin", "unit", "expert", "leader", "finance", "auditor")}
    tokens["office"] = factory.office(w.programme).token
    tokens["service"] = factory.user("service").token
    tables = ("holder_notes", "suspensions", "revocation_cases", "revocation_case_steps",
              "rechecks", "audit_events")
    count = "SELECT concat_ws(','," + ",".join(f"(SELECT count(*) FROM {t})" for t in tables) + ")"
    before = support.psql_scalar(db_url, count)
    for method, template, allowed in HOLDER_ROUTES:
        path = template.format(**ids)
        for role, token in tokens.items():
            if token is None:
                continue
            r = api.request(method, path, token=token, json={} if method == "POST" else None,
                            check="none")
            if role in allowed:
                assert r.status_code != 403, (method, path, role, r.text[:200])
            else:
                assert r.status_code == 403, (method, path, role, r.status_code)
        api.request(method, path, check="none", expect=401,
                    json={} if method == "POST" else None)
    assert support.psql_scalar(db_url, count) == before
