# SPDX-License-Identifier: MIT
"""Issue 14: every bad input to the holder-management writes (notes,
suspensions and their lifting, revocation cases and their steps, annual
assessments and their review, the re-check and its decision) is answered
with a problem, its pointer and stable code, and changes nothing: no row in
any holder table, no audit event, no status."""

import datetime

import pytest

import clock_support
import decision_flow as df
import support

OTHER = "00000000-0000-4000-8000-000000000000"
TODAY, TOMORROW, LONG_AGO, RECOGNIZED = "@today", "@tomorrow", "@long_ago", "@recognized"
TABLES = ("holder_notes", "suspensions", "revocation_cases", "revocation_case_steps",
          "revocation_notices", "assessments", "rechecks", "audit_events")


def fill(body, w):
    today = df.today()
    subst = {TODAY: today.isoformat(),
             TOMORROW: (today + datetime.timedelta(days=1)).isoformat(),
             LONG_AGO: (today - datetime.timedelta(days=3 * 366)).isoformat(),
             RECOGNIZED: w.issued[0]["recognized_on"]}
    if isinstance(body, dict):
        return {k: fill(v, w) for k, v in body.items()}
    if isinstance(body, list):
        return [fill(v, w) for v in body]
    return subst.get(body, body) if isinstance(body, str) else body


def snapshot(api, token, db_url, rids):
    rows = support.psql_scalar(db_url, "SELECT concat_ws(','," + ",".join(
        f"(SELECT count(*) FROM {t})" for t in TABLES) + ")")
    statuses = [api.get(f"/v1/recognitions/{r}", token=token, expect=200).body["status"]
                for r in rids]
    return rows, statuses


def refused(api, w, db_url, path, token, body, status, pointer, code):
    """POST `body` answers `status` with `code` at `pointer`; nothing changed."""
    rids = [c["id"] for c in w.issued]
    if df.today() < w.day:
        clock_support.clock().set(w.day)
    before = snapshot(api, w.office.token, db_url, rids)
    r = api.post(path, token=token, json=fill(body, w), expect=status).body
    assert r["type"].startswith("urn:jiangxin:problem:"), r
    assert r["title"] and r["status"] == status, r
    assert pointer is None or pointer in support.pointers(r), r
    assert code in [e["code"] for e in r.get("errors") or []] or r["code"] == code, r
    assert snapshot(api, w.office.token, db_url, rids) == before


@pytest.fixture(scope="module")
def hc(api, factory):
    """A 环翠-based round with three holders: the first free, the second
    suspended ten days after the recognition, the third with an open
    revocation case."""
    w = df.huancui_recognized(api, factory, 3)
    free, suspended, accused = w.issued
    clock_support.clock().set(df.today() + datetime.timedelta(days=10))
    w.suspension = api.post(f"/v1/recognitions/{suspended['id']}/suspensions",
                            token=w.office.token,
                            json={"reason": "left_skilled_post", "effective_on":
                                  df.today().isoformat(), "note": "调离技能岗位。"},
                            expect=201).body
    w.case = api.post(f"/v1/recognitions/{accused['id']}/revocation-cases", token=w.office.token,
                      json={"reason": "refusing_duties", "facts": "拒不履行带徒义务。",
                            "effective_on": df.today().isoformat()}, expect=201).body
    w.day = df.today()  # the clock is put back after each test: refused() returns to it
    return w


@pytest.fixture(scope="module")
def ls(api, factory):
    """A 岚山-based round with two holders: the first's assessment for next
    year is submitted (made on a clock moved to December and back)."""
    w = df.lanshan_recognized(api, factory, 2)
    w.year = df.today().year + 1
    clock = clock_support.clock()
    clock.set(datetime.date(w.year, 12, 10))
    try:
        w.submitted = api.post(f"/v1/recognitions/{w.issued[0]['id']}/assessments",
                               token=w.unit.token,
                               json={"year": w.year, "result": "pass", "notes": "合格。"},
                               expect=201).body
    finally:
        clock.restore()
    w.day = datetime.date.fromisoformat(w.issued[0]["recognized_on"])
    return w


NOTE = {"text": "参加全区技能大赛担任裁判。", "evidence": ["区人社局通知〔2027〕3号"]}
NOTE_CASES = [
    ({**NOTE, "extra": 1}, 400, "/extra", "unknown_field"),
    ({"evidence": []}, 422, "/text", "required"),
    ({**NOTE, "text": ""}, 422, "/text", "too_short"),
    ({**NOTE, "text": "长" * 5000}, 422, "/text", "too_long"),
    ({**NOTE, "text": 3}, 422, "/text", "wrong_type"),
    ({**NOTE, "evidence": "一份"}, 422, "/evidence", "wrong_type"),
    ({**NOTE, "evidence": [7]}, 422, "/evidence/0", "out_of_range"),
]

SUSPEND = {"reason": "left_skilled_post", "effective_on": TODAY, "note": "调岗。"}
SUSPEND_CASES = [
    ({**SUSPEND, "extra": 1}, 400, "/extra", "unknown_field"),
    ({k: v for k, v in SUSPEND.items() if k != "reason"}, 422, "/reason", "required"),
    ({**SUSPEND, "reason": "fraud"}, 422, "/reason", "unknown_value"),
    ({**SUSPEND, "effective_on": "2026-02-30"}, 422, "/effective_on", "not_date"),
    ({**SUSPEND, "effective_on": TOMORROW}, 422, "/effective_on", "date_in_future"),
    ({**SUSPEND, "effective_on": LONG_AGO}, 422, "/effective_on", "before_recognition"),
    ({**SUSPEND, "note": ""}, 422, "/note", "too_short"),
    ({**SUSPEND, "benefits_stopped": []}, 422, "/benefits_stopped", "too_few_items"),
    ({**SUSPEND, "benefits_stopped": ["holiday"]}, 422, "/benefits_stopped/0", "unknown_value"),
    ({**SUSPEND, "benefits_stopped": ["allowance", "allowance"]}, 422, "/benefits_stopped/1",
     "duplicate"),
]

LIFT = {"lifted_on": TODAY, "reason": "已回到技能岗位。"}
LIFT_CASES = [
    ({**LIFT, "extra": 1}, 400, "/extra", "unknown_field"),
    ({"reason": "回岗"}, 422, "/lifted_on", "required"),
    ({**LIFT, "lifted_on": "20270101"}, 422, "/lifted_on", "too_short"),
    ({**LIFT, "lifted_on": TOMORROW}, 422, "/lifted_on", "date_in_future"),
    ({**LIFT, "lifted_on": LONG_AGO}, 422, "/lifted_on", "before_recognition"),
    ({**LIFT, "lifted_on": RECOGNIZED}, 422, "/lifted_on", "before_suspension"),
    ({**LIFT, "reason": ""}, 422, "/reason", "too_short"),
]

CASE = {"reason": "refusing_duties", "facts": "拒不履行带徒义务。", "effective_on": TODAY}
CASE_CASES = [
    ({**CASE, "extra": 1}, 400, "/extra", "unknown_field"),
    ({k: v for k, v in CASE.items() if k != "facts"}, 422, "/facts", "required"),
    ({**CASE, "reason": "laziness"}, 422, "/reason", "unknown_value"),
    ({**CASE, "reason": "fraud"}, 422, "/finding", "finding_required"),
    ({**CASE, "effective_on": TOMORROW}, 422, "/effective_on", "date_in_future"),
    ({**CASE, "effective_on": "yesterday"}, 422, "/effective_on", "too_short"),
    ({**CASE, "effective_on": "2027-02-29"}, 422, "/effective_on", "not_date"),
    ({**CASE, "facts": 1}, 422, "/facts", "wrong_type"),
]

STEP = {"step": "preliminary_finding", "outcome": "approved", "note": "属实。", "decided_on": TODAY}
STEP_CASES = [
    ({**STEP, "extra": 1}, 400, "/extra", "unknown_field"),
    ({k: v for k, v in STEP.items() if k != "outcome"}, 422, "/outcome", "required"),
    ({**STEP, "step": "appeal"}, 422, "/step", "unknown_value"),
    ({**STEP, "outcome": "maybe"}, 422, "/outcome", "unknown_value"),
    ({**STEP, "decided_on": TOMORROW}, 422, "/decided_on", "date_in_future"),
    ({**STEP, "meeting_reference": "第1次会议"}, 422, "/meeting_reference",
     "meeting_not_allowed"),
    ({**STEP, "document_no": "环政字〔2027〕1号"}, 422, "/document_no", "document_not_allowed"),
    ({**STEP, "step": "ratification", "meeting_reference": "第1次会议"}, 409, None,
     "revocation_step_out_of_order"),
]

ASSESS = {"result": "pass", "notes": "合格。"}
ASSESS_CASES = [
    ({**ASSESS, "year": "@year", "extra": 1}, 400, "/extra", "unknown_field"),
    (ASSESS, 422, "/year", "required"),
    ({**ASSESS, "year": 1999}, 422, "/year", "out_of_range"),
    ({**ASSESS, "year": "2027"}, 422, "/year", "wrong_type"),
    ({**ASSESS, "year": "@next"}, 422, "/year", "year_in_future"),
    ({**ASSESS, "year": "@year", "result": "good"}, 422, "/result", "unknown_value"),
    ({**ASSESS, "year": "@year", "notes": ""}, 422, "/notes", "too_short"),
    ({**ASSESS, "year": "@year", "evidence": {}}, 422, "/evidence", "wrong_type"),
]

REVIEW_CASES = [
    ({"action": "confirm", "extra": 1}, 400, "/extra", "unknown_field"),
    ({}, 422, "/action", "required"),
    ({"action": "approve"}, 422, "/action", "unknown_value"),
    ({"action": "return"}, 422, "/reason", "required"),
    ({"action": "return", "reason": ""}, 422, "/reason", "too_short"),
]


def application(today, **changes):
    day = (today - datetime.timedelta(days=30)).isoformat()
    body = {"achievements": "主持完成工艺改进两项。", "awards": [], "agreements": [],
            "apprentices": [{"name": "徒弟甲", "level": "senior_worker", "certified_on": day},
                            {"name": "徒弟乙", "level": "technician", "certified_on": day}],
            "front_line": True, "no_accident": True, "no_violation": True, "keeps_lead": True}
    body.update(changes)
    return body


RECHECK_CASES = [
    ({"extra": 1}, 400, "/extra", "unknown_field"),
    ({"achievements": None}, 422, "/achievements", "required"),
    ({"front_line": "yes"}, 422, "/front_line", "wrong_type"),
    ({"apprentices": [{"name": "徒弟甲", "level": "grandmaster", "certified_on": TODAY}]}, 422,
     "/apprentices/0/level", "unknown_value"),
    ({"apprentices": [{"name": "徒弟甲", "level": "technician", "certified_on": TOMORROW}]}, 422,
     "/apprentices/0/certified_on", "date_in_future"),
    ({"apprentices": [{"name": "徒弟甲", "level": "technician"}]}, 422,
     "/apprentices/0/certified_on", "required"),
    ({"awards": [{"name": "技术能手", "awarded_on": "2027-13-01"}]}, 422, "/awards/0/awarded_on",
     "not_date"),
    ({"agreements": [{"apprentice": "", "signed_on": TODAY}]}, 422, "/agreements/0/apprentice",
     "too_short"),
]

DECIDE_CASES = [
    ({"result": "passed", "extra": 1}, 400, "/extra", "unknown_field"),
    ({}, 422, "/result", "required"),
    ({"result": "pass"}, 422, "/result", "unknown_value"),
    ({"result": "failed"}, 422, "/reason", "reason_required"),
]


def ids(cases):
    return [f"{c[3]}-{i}" for i, c in enumerate(cases)]


# name, world fixture, path(w), who posts, cases
ENDPOINTS = [
    ("note", "hc", lambda w: f"/v1/recognitions/{w.issued[0]['id']}/notes", "office", NOTE_CASES),
    ("suspension", "hc", lambda w: f"/v1/recognitions/{w.issued[0]['id']}/suspensions", "office",
     SUSPEND_CASES),
    ("lifting", "hc", lambda w: f"/v1/suspensions/{w.suspension['id']}/lifting", "office",
     LIFT_CASES),
    ("case", "hc", lambda w: f"/v1/recognitions/{w.issued[0]['id']}/revocation-cases", "office",
     CASE_CASES),
    ("step", "hc", lambda w: f"/v1/revocation-cases/{w.case['id']}/steps", "office", STEP_CASES),
    ("review", "ls", lambda w: f"/v1/assessments/{w.submitted['id']}/review", "office",
     REVIEW_CASES),
]
BODY_CASES = [(e, c) for e in ENDPOINTS for c in e[4]]


@pytest.mark.parametrize("endpoint,case", BODY_CASES,
                         ids=[f"{e[0]}-{c[3]}-{i}" for i, (e, c) in enumerate(BODY_CASES)])
def test_bad_body_changes_nothing(api, request, db_url, endpoint, case):
    _, world, path, who, _ = endpoint
    w = request.getfixturevalue(world)
    refused(api, w, db_url, path(w), getattr(w, who).token, *case)


@pytest.mark.parametrize("body,status,pointer,code", ASSESS_CASES, ids=ids(ASSESS_CASES))
def test_bad_assessment_changes_nothing(api, ls, db_url, body, status, pointer, code):
    clock_support.clock().set(datetime.date(ls.year, 12, 10))
    body = {k: {"@year": ls.year, "@next": ls.year + 1}.get(v, v) if isinstance(v, str) else v
            for k, v in body.items()}
    refused(api, ls, db_url, f"/v1/recognitions/{ls.issued[1]['id']}/assessments", ls.unit.token,
            body, status, pointer, code)


def _recheck_due(hc):
    start = datetime.date.fromisoformat(hc.issued[0]["period_start"])
    due = datetime.date(start.year + (start.month + 10) // 12, (start.month + 10) % 12 + 1, 10)
    clock_support.clock().set(due)
    return df.today()


@pytest.mark.parametrize("changes,status,pointer,code", RECHECK_CASES, ids=ids(RECHECK_CASES))
def test_bad_recheck_application_changes_nothing(api, hc, db_url, changes, status, pointer, code):
    today = _recheck_due(hc)
    body = {k: v for k, v in application(today, **changes).items() if v is not None}
    refused(api, hc, db_url, f"/v1/recognitions/{hc.issued[0]['id']}/recheck", hc.unit.token,
            body, status, pointer, code)


@pytest.mark.parametrize("body,status,pointer,code", DECIDE_CASES, ids=ids(DECIDE_CASES))
def test_bad_recheck_decision_changes_nothing(api, hc, db_url, body, status, pointer, code):
    today = _recheck_due(hc)
    path = f"/v1/recognitions/{hc.issued[0]['id']}/recheck"
    if api.get(path, token=hc.office.token, expect=200).body["recheck"] is None:
        api.post(path, token=hc.unit.token, json=application(today), expect=201)
    refused(api, hc, db_url, f"{path}/decision", hc.office.token, body, status, pointer, code)


def test_recheck_decision_before_any_application_is_409(api, hc, db_url):
    refused(api, hc, db_url, f"/v1/recognitions/{hc.issued[1]['id']}/recheck/decision",
            hc.office.token, {"result": "passed"}, 409, None, "recheck_not_filed")


def test_writes_on_an_unknown_id_are_404(api, hc, db_url):
    for path, body in ((f"/v1/recognitions/{OTHER}/notes", NOTE),
                       (f"/v1/suspensions/{OTHER}/lifting", LIFT),
                       (f"/v1/revocation-cases/{OTHER}/steps", STEP),
                       (f"/v1/assessments/{OTHER}/review", {"action": "confirm"}),
                       (f"/v1/recognitions/{OTHER}/recheck/decision", {"result": "passed"})):
        refused(api, hc, db_url, path, hc.office.token, body, 404, None, "not_found")
