# SPDX-License-Identifier: MIT
"""岚山工匠 第十一条 annual assessments over HTTP, across simulated years on
the test clock: the holder's unit submits a year's result, the office
confirms it or returns it; two consecutive confirmed failures open a
revocation case (第十二条（四）), which is not a revocation until its steps
approve ("经核实后，按程序取消")."""

import datetime

import clock_support
import decision_flow as df


def at(year, month, day):
    clock_support.clock().set(datetime.date(year, month, day))


def submit(api, token, rid, year, result, expect=201, **extra):
    body = {"year": year, "result": result,
            "notes": "经单位年度考评，" + ("考核合格。" if result == "pass" else "考核不合格。")}
    body.update(extra)
    return api.post(f"/v1/recognitions/{rid}/assessments", token=token, json=body,
                    expect=expect).body


def review(api, w, aid, action="confirm", expect=200, **extra):
    body = {"action": action}
    if action == "return":
        body["reason"] = "考评材料缺少年度业绩表，请补充后重新报送。"
    body.update(extra)
    return api.post(f"/v1/assessments/{aid}/review", token=w.office.token, json=body,
                    expect=expect).body


def listing(api, token, year):
    items = api.get(f"/v1/assessments?year={year}", token=token, expect=200).body["items"]
    return {i["recognition_id"]: i for i in items}


def test_two_consecutive_failures_open_a_case_that_the_steps_decide(api, factory):
    w = df.lanshan_recognized(api, factory, 2)
    a, b = w.issued
    y0 = df.today().year
    # The year of recognition owes nothing; a year ahead is refused.
    assert submit(api, w.unit.token, a["id"], y0, "pass",
                  expect=409)["code"] == "assessment_not_due"
    r = submit(api, w.unit.token, a["id"], y0 + 1, "pass", expect=422)
    assert r["errors"][0]["code"] == "year_in_future"

    at(y0 + 1, 12, 15)
    rows = listing(api, w.office.token, y0 + 1)
    assert rows[a["id"]]["status"] == "due" and rows[b["id"]]["status"] == "due"
    assert rows[a["id"]]["deadline"] == f"{y0 + 2}-03-31"
    # Only the holder's unit (or the office) submits; others do not see it.
    other = factory.user("unit")
    submit(api, other.token, a["id"], y0 + 1, "fail", expect=404)
    submit(api, w.leader.token, a["id"], y0 + 1, "fail", expect=403)
    assert listing(api, other.token, y0 + 1) == {}
    r = submit(api, w.unit.token, a["id"], y0 + 1, "bad", expect=422)
    assert r["errors"][0]["code"] == "unknown_value"
    first = submit(api, w.unit.token, a["id"], y0 + 1, "fail")
    assert first["state"] == "submitted" and first["revision"] == 1
    assert submit(api, w.unit.token, a["id"], y0 + 1, "fail",
                  expect=409)["code"] == "assessment_exists"
    # Returned with a reason, submitted again, confirmed: one failure, no case.
    r = api.post(f"/v1/assessments/{first['id']}/review", token=w.office.token,
                 json={"action": "return"}, expect=422).body
    assert r["errors"][0]["code"] == "required"
    returned = review(api, w, first["id"], "return")
    assert returned["state"] == "returned" and returned["review_reason"]
    assert listing(api, w.unit.token, y0 + 1)[a["id"]]["status"] == "returned"
    assert review(api, w, first["id"], expect=409)["code"] == "assessment_reviewed"
    second = submit(api, w.unit.token, a["id"], y0 + 1, "fail")
    assert second["revision"] == 2
    api.post(f"/v1/assessments/{second['id']}/review", token=w.leader.token,
             json={"action": "confirm"}, expect=403)
    done = review(api, w, second["id"])
    assert done["state"] == "confirmed" and done["revocation_case_id"] is None
    rows = listing(api, w.office.token, y0 + 1)
    assert rows[a["id"]]["status"] == "confirmed" and rows[a["id"]]["result"] == "fail"

    # After the deadline, B's missing result is overdue.
    at(y0 + 2, 4, 1)
    assert listing(api, w.office.token, y0 + 1)[b["id"]]["status"] == "overdue"

    # The second consecutive failure opens a case; the title stays until the steps approve.
    at(y0 + 2, 12, 20)
    third = submit(api, w.unit.token, a["id"], y0 + 2, "fail")
    done = review(api, w, third["id"])
    case_id = done["revocation_case_id"]
    assert case_id
    case = api.get(f"/v1/revocation-cases/{case_id}", token=w.leader.token, expect=200).body
    assert case["reason"] == "consecutive_failed_assessments" and case["state"] == "open"
    assert [s["step"] for s in case["steps"]] == ["verification", "decision"]
    assert api.get(f"/v1/recognitions/{a['id']}", token=w.office.token,
                   expect=200).body["status"] == "active"
    for name, token, extra in (("verification", w.office.token, {}),
                               ("decision", w.leader.token,
                                {"meeting_reference": "工匠管理领导小组2029年第1次会议"})):
        case = api.post(f"/v1/revocation-cases/{case_id}/steps", token=token,
                        json={"step": name, "outcome": "approved", "note": "属实",
                              "decided_on": df.today().isoformat(), **extra},
                        expect=200).body
    assert case["state"] == "revoked"
    rec = api.get(f"/v1/recognitions/{a['id']}", token=w.office.token, expect=200).body
    assert rec["status"] == "revoked"
    kinds = [e["kind"] for e in rec["timeline"]]
    assert kinds[:5] == ["issued", "assessment_submitted", "assessment_returned",
                         "assessment_submitted", "assessment_confirmed"]
    assert "revocation_case_opened" in kinds and kinds[-1] == "revoked"
    # A title revoked in a year owes nothing for the years after it.
    assert a["id"] not in listing(api, w.office.token, y0 + 3)
    assert b["id"] in listing(api, w.office.token, y0 + 3)


def test_a_failure_a_pass_then_a_failure_opens_no_case(api, factory):
    w = df.lanshan_recognized(api, factory, 1)
    c = w.issued[0]
    y0 = df.today().year
    for i, result in enumerate(("fail", "pass", "fail")):
        at(y0 + 1 + i, 12, 10)
        done = review(api, w, submit(api, w.unit.token, c["id"], y0 + 1 + i, result)["id"])
        assert done["revocation_case_id"] is None
    assert api.get(f"/v1/revocation-cases?programme={w.programme}", token=w.office.token,
                   expect=200).body["items"] == []


def test_huancui_owes_no_annual_assessment(api, factory):
    """环翠 has its year-2 re-check (第八条) instead."""
    w = df.huancui_recognized(api, factory, 1)
    c = w.issued[0]
    at(df.today().year + 1, 12, 1)
    assert submit(api, w.office.token, c["id"], df.today().year, "pass",
                  expect=409)["code"] == "assessment_not_due"
    assert c["id"] not in listing(api, w.office.token, df.today().year)


def test_assessment_routes_by_role(api, factory):
    w = df.lanshan_recognized(api, factory, 1)
    c = w.issued[0]
    tokens = {role: factory.user(role).token for role in
              ("admin", "unit", "expert", "leader", "finance", "auditor", "service")}
    tokens["office"] = w.office.token
    routes = [("POST", f"/v1/recognitions/{c['id']}/assessments", {"office", "unit"}),
              ("POST", "/v1/assessments/00000000-0000-4000-8000-000000000000/review",
               {"office"}),
              ("GET", "/v1/assessments?year=2030", {"admin", "office", "leader", "auditor",
                                                     "unit"})]
    for method, path, allowed in routes:
        for role, token in tokens.items():
            r = api.request(method, path, token=token, check="none",
                            json={} if method == "POST" else None)
            assert (r.status_code != 403) == (role in allowed), (method, path, role,
                                                                 r.status_code)
    assert api.get("/v1/assessments", token=w.office.token,
                   expect=400).body["code"] == "year_required"
