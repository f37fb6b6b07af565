# SPDX-License-Identifier: MIT
"""The on-site skill test (现场技能考查) of 环翠区首席技师 第十条（四）: "对人选
进行综合评审，并组织进行现场技能考查". The office records each qualified
candidate's score with the examiner panel and the date of the test
(PUT /v1/nominations/{id}/skill-test); a correction is a new revision with
its reason, the current score is the latest, the history is kept
(GET …/skill-test, office and leader). 岚山工匠 第五条 has no on-site test:
its programmes are refused. Units and experts never see a score.

Every date is computed from the services' clock (no fixed date): the suite
also runs with JIANGXIN_TEST_TODAY set."""

import datetime
import types

import pytest

import support
from support import etag_of, pointers

REASON = "技能突出，经研究同意放宽"
SHEET = b"%PDF-1.4\n1 0 obj\n(skill test score sheet)\nendobj\n%%EOF\n"
PANEL = ["王建国", "李秀英", "赵明"]
ANON = "anonymous"


def move(api, user, nom_id, to, expect=200, **body):
    body["to"] = to
    return api.post(f"/v1/nominations/{nom_id}/transitions", token=user.token, json=body,
                    expect=expect)


def path(nom):
    return f"/v1/nominations/{nom['id']}/skill-test"


def upload_sheet(api, token, nom, data=SHEET, expect=201, name="现场技能考查评分表.pdf"):
    return api.post(f"{path(nom)}/sheets", token=token, params={"filename": name}, data=data,
                    headers={"Content-Type": "application/pdf"}, expect=expect)


def rows(db_url, nom=None):
    where = f" WHERE nomination_id = '{nom['id']}'" if nom else ""
    return int(support.psql_scalar(db_url, f"SELECT count(*) FROM skill_tests{where}"))


def qualify(api, office, nom_id):
    """The office's qualification, every warning of the checklist overridden
    with a reason (the synthetic candidates are old, their files absent)."""
    checks = api.get(f"/v1/nominations/{nom_id}/eligibility", token=office.token,
                     expect=200).body["checks"]
    overrides = [{"check": c["check"], "reason": REASON} for c in checks
                 if c["result"] == "warning"]
    return move(api, office, nom_id, "qualified", overrides=overrides).body


def programme_world(api, factory, base, n_qualified, **changes):
    """A clone of `base` without the unit publicity step (these cases need no
    calendar), its office, a round holding today moved to qualification, a
    unit, n_qualified qualified nominations and one left submitted."""
    w = types.SimpleNamespace()
    w.code = factory.programme(base=base, unit_publicity_required=False,
                               unit_publicity_min_workdays=None, **changes)
    w.office = factory.office(w.code)
    w.round = factory.round(w.code, w.office)
    w.unit = factory.user("unit")
    noms = [factory.nomination(w.round["id"], w.unit) for _ in range(n_qualified + 1)]
    for n in noms:
        move(api, w.unit, n["id"], "submitted")
    api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
             json={"to": "qualification"}, expect=200)
    w.qualified = [qualify(api, w.office, n["id"]) for n in noms[:n_qualified]]
    w.submitted = noms[n_qualified]
    return w


@pytest.fixture(scope="module")
def hc(api, factory):
    """环翠: the policy has skill_test: true (第十条（四）)."""
    w = programme_world(api, factory, "huancui-chief-technician", 7)
    w.staff = {role: factory.user(role) for role in ("expert", "leader", "finance", "service",
                                                     "auditor")}
    w.staff["office_out"] = factory.office(factory.programme(base="huancui-chief-technician"))
    w.staff["unit_other"] = factory.user("unit")
    return w


@pytest.fixture(scope="module")
def ls(api, factory):
    """岚山: no on-site test (第五条)."""
    return programme_world(api, factory, "lanshan-craftsman", 1,
                           publicity_evidence_required=False)


def body(today, **changes):
    b = {"score": 87.5, "examiners": PANEL, "tested_on": today.isoformat(),
         "note": "数控车床实操，现场考查"}
    b.update(changes)
    return b


# ------------------------------------------------------------ record, correct
def test_record_correct_and_history(api, hc, clock, db_url, admin_token):
    nom = hc.qualified[0]
    today = clock.today()
    before = api.get(path(nom), token=hc.office.token, expect=200)
    assert before.body["current"] is None and before.body["history"] == []
    assert etag_of(before) == '"0"'

    first = api.put(path(nom), token=hc.office.token, json=body(today), expect=201)
    assert etag_of(first) == '"1"'
    cur = first.body["current"]
    assert cur["score"] == 87.5 and cur["examiners"] == PANEL
    assert cur["tested_on"] == today.isoformat() and cur["revision"] == 1
    assert cur["recorded_by"] == hc.office.username and cur["reason"] is None

    # A correction needs If-Match (428) and a reason (422); neither changes anything.
    r = api.put(path(nom), token=hc.office.token, json=body(today, score=91, reason="x"),
                expect=428)
    assert r.body["code"] == "if_match_required"
    r = api.put(path(nom), token=hc.office.token, json=body(today, score=91),
                headers={"If-Match": '"1"'}, expect=422)
    assert pointers(r.body) == ["/reason"] and r.body["errors"][0]["code"] == "reason_required"
    r = api.put(path(nom), token=hc.office.token, json=body(today, score=91, reason="x"),
                headers={"If-Match": '"7"'}, expect=412)
    assert rows(db_url, nom) == 1

    yesterday = today - datetime.timedelta(days=1)
    fixed = api.put(path(nom), token=hc.office.token, headers={"If-Match": '"1"'},
                    json=body(yesterday, score=91.25, examiners=PANEL[:2], note=None,
                              reason="录入时误将 91.25 记为 87.5，依原始评分表更正"),
                    expect=200)
    assert etag_of(fixed) == '"2"' and fixed.body["version"] == 2
    got = api.get(path(nom), token=hc.office.token, expect=200).body
    assert got == fixed.body
    assert got["current"]["score"] == 91.25 and got["current"]["revision"] == 2
    assert got["current"]["tested_on"] == yesterday.isoformat()
    assert got["current"]["reason"].startswith("录入时误将")
    # Nothing overwritten: revision 1 is in the history as it was recorded.
    assert [h["revision"] for h in got["history"]] == [2, 1]
    assert got["history"][1] == cur
    assert rows(db_url, nom) == 2

    # Audited: the first score and the correction, before and after.
    events = api.get(f"/v1/audit?entity_type=skill_test&entity_id={nom['id']}",
                     token=admin_token, expect=200).body["items"]
    actions = sorted(e["action"] for e in events)
    assert actions == ["skill_test.correct", "skill_test.record"]
    correct = next(e for e in events if e["action"] == "skill_test.correct")
    assert correct["before"]["current"]["score"] == 87.5
    assert correct["after"]["current"]["score"] == 91.25
    assert correct["actor"] == hc.office.username


def test_the_leader_reads_and_a_unit_learns_nothing(api, hc, clock):
    nom = hc.qualified[1]
    api.put(path(nom), token=hc.office.token, json=body(clock.today(), score=66), expect=201)
    got = api.get(path(nom), token=hc.staff["leader"].token, expect=200).body
    assert got["current"]["score"] == 66
    # The unit's own nomination shows no score, and its sub-resource is refused.
    n = api.get(f"/v1/nominations/{nom['id']}", token=hc.unit.token, expect=200).body
    assert not [k for k in n if k.startswith("skill_test") or "score" in k]
    r = api.get(path(nom), token=hc.unit.token, expect=403)
    assert r.body["type"] == "urn:jiangxin:problem:forbidden"
    assert not {"current", "history", "score"} & set(r.body)


def test_idempotency_key_replays_without_a_second_revision(api, hc, clock, db_url):
    nom = hc.qualified[2]
    key = {"Idempotency-Key": support.rand_hex(16)}
    first = api.put(path(nom), token=hc.office.token, json=body(clock.today()), headers=key,
                    expect=201)
    again = api.put(path(nom), token=hc.office.token, json=body(clock.today()), headers=key,
                    expect=201)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.body == first.body
    assert rows(db_url, nom) == 1


# ------------------------------------------------------------ refusals
def test_lanshan_has_no_skill_test(api, ls, clock, db_url, db_count):
    # 岚山 第五条（三）: 评审组综合评审, no on-site test; the policy says skill_test: false.
    nom = ls.qualified[0]
    assert api.get(f"/v1/programmes/{ls.code}", expect=200).body["policy"]["skill_test"] is False
    events = db_count("audit_events")
    r = api.put(path(nom), token=ls.office.token, json=body(clock.today()), expect=409)
    assert r.body["code"] == "skill_test_not_in_policy"
    assert "第五条" in r.body["detail"]
    r = api.get(path(nom), token=ls.office.token, expect=409)
    assert r.body["code"] == "skill_test_not_in_policy"
    assert rows(db_url, nom) == 0 and db_count("audit_events") == events


def test_only_a_qualified_nomination_gets_a_score(api, hc, clock, db_url, db_count):
    nom = hc.submitted
    assert api.get(f"/v1/nominations/{nom['id']}", token=hc.office.token,
                   expect=200).body["state"] == "submitted"
    events = db_count("audit_events")
    r = api.put(path(nom), token=hc.office.token, json=body(clock.today()), expect=409)
    assert r.body["code"] == "skill_test_wrong_state"
    assert "资格审查通过" in r.body["detail"] or "qualified" in r.body["detail"]
    assert rows(db_url, nom) == 0 and db_count("audit_events") == events


def test_test_date_is_not_after_today_nor_before_the_round_opened(api, hc, clock, db_url):
    nom = hc.qualified[3]
    today = clock.today()
    opens = datetime.date.fromisoformat(hc.round["window_opens"])
    for day, code in ((today + datetime.timedelta(days=1), "date_in_future"),
                      (opens - datetime.timedelta(days=1), "before_round_opened"),
                      ("2026-02-30", "not_date")):
        d = day if isinstance(day, str) else day.isoformat()
        r = api.put(path(nom), token=hc.office.token, json=body(today, tested_on=d), expect=422)
        assert pointers(r.body) == ["/tested_on"], r.body
        assert r.body["errors"][0]["code"] == code
    assert rows(db_url, nom) == 0
    ok = api.put(path(nom), token=hc.office.token, json=body(today, tested_on=opens.isoformat()),
                 expect=201).body
    assert ok["current"]["tested_on"] == opens.isoformat()


@pytest.mark.parametrize("changes,faults", [
    ({"score": 100.5}, [("/score", "out_of_range")]),
    ({"score": -1}, [("/score", "out_of_range")]),
    ({"score": 87.555}, [("/score", "too_many_decimals")]),
    ({"score": "90"}, [("/score", "wrong_type")]),
    ({"score": None}, [("/score", "wrong_type")]),
    ({"examiners": []}, [("/examiners", "too_few_items")]),
    ({"examiners": [f"考官{i}" for i in range(21)]}, [("/examiners", "too_many_items")]),
    ({"examiners": ["张" * 51]}, [("/examiners/0", "too_long")]),
    ({"examiners": ["张三", "张三"]}, [("/examiners/1", "duplicate_item")]),
    ({"examiners": ["张三", 5, ""]}, [("/examiners/1", "wrong_type"), ("/examiners/2", "too_short")]),
    ({"examiners": "张三"}, [("/examiners", "wrong_type")]),
    ({"score": 101, "examiners": [], "note": ""},
     [("/examiners", "too_few_items"), ("/note", "too_short"), ("/score", "out_of_range")]),
])
def test_a_bad_body_is_refused_whole_and_changes_nothing(api, hc, clock, db_url, db_count,
                                                         changes, faults):
    nom = hc.qualified[4]
    events = db_count("audit_events")
    n = rows(db_url)
    r = api.put(path(nom), token=hc.office.token, json=body(clock.today(), **changes),
                expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:validation-failed"
    assert sorted((e["pointer"], e["code"]) for e in r.body["errors"]) == sorted(faults)
    assert rows(db_url) == n and db_count("audit_events") == events
    got = api.get(path(nom), token=hc.office.token, expect=200).body
    assert got["current"] is None


def test_unknown_members_and_missing_ones(api, hc, clock, db_url):
    nom = hc.qualified[4]
    r = api.put(path(nom), token=hc.office.token, json=body(clock.today(), sheet="x.pdf"),
                expect=400)
    assert pointers(r.body) == ["/sheet"]
    r = api.put(path(nom), token=hc.office.token, json={}, expect=422)
    assert sorted(pointers(r.body)) == ["/examiners", "/score", "/tested_on"]
    assert rows(db_url, nom) == 0


# ------------------------------------------------------------ score sheet
def test_a_score_sheet_attaches_to_a_revision_and_only_staff_read_it(api, hc, clock, db_url):
    nom, other = hc.qualified[6], hc.qualified[4]
    files_before = api.get(f"/v1/nominations/{nom['id']}/attachments", token=hc.unit.token,
                           expect=200).body["items"]
    r = upload_sheet(api, hc.office.token, nom)
    sheet = r.body
    assert r.headers["Location"] == f"{path(nom)}/sheets/{sheet['id']}"
    assert sheet["nomination_id"] == nom["id"] and sheet["size_bytes"] == len(SHEET)
    assert sheet["media_type"] == "application/pdf"
    # A sheet of another nomination, or none, cannot be referenced; nothing recorded.
    other_sheet = upload_sheet(api, hc.office.token, other).body
    for sid in (other_sheet["id"], "00000000-0000-4000-8000-000000000000"):
        r = api.put(path(nom), token=hc.office.token,
                    json=body(clock.today(), score_sheet_id=sid), expect=422)
        assert pointers(r.body) == ["/score_sheet_id"]
        assert r.body["errors"][0]["code"] == "score_sheet_not_found"
    assert rows(db_url, nom) == 0
    got = api.put(path(nom), token=hc.office.token,
                  json=body(clock.today(), score_sheet_id=sheet["id"]), expect=201).body
    assert got["current"]["score_sheet"] == sheet
    # The office and the leader download the bytes as uploaded.
    for token in (hc.office.token, hc.staff["leader"].token):
        r = api.get(f"{path(nom)}/sheets/{sheet['id']}", token=token, expect=200)
        assert r.content == SHEET
        assert r.headers["Cache-Control"] == "private, no-store"
    # Through another nomination's path: not found.
    api.get(f"{path(other)}/sheets/{sheet['id']}", token=hc.office.token, expect=404)
    # The unit: no sheet among its evidence files, no download, no upload.
    files_after = api.get(f"/v1/nominations/{nom['id']}/attachments", token=hc.unit.token,
                          expect=200).body["items"]
    assert files_after == files_before
    api.get(f"/v1/nominations/{nom['id']}/attachments/{sheet['id']}", token=hc.unit.token,
            expect=404)
    r = api.get(f"{path(nom)}/sheets/{sheet['id']}", token=hc.unit.token, expect=403)
    assert SHEET not in r.content
    upload_sheet(api, hc.unit.token, nom, expect=403)


def test_a_score_sheet_is_checked_like_an_evidence_file(api, hc, ls, db_url):
    nom = hc.qualified[3]
    n = int(support.psql_scalar(db_url, "SELECT count(*) FROM skill_test_sheets"))
    r = upload_sheet(api, hc.office.token, nom, data=b"not a pdf", expect=415)
    assert r.body["code"] == "unsupported_file_type"
    upload_sheet(api, hc.office.token, nom, name="../x.pdf", expect=400)
    r = upload_sheet(api, ls.office.token, ls.qualified[0], expect=409)
    assert r.body["code"] == "skill_test_not_in_policy"
    r = upload_sheet(api, hc.office.token, hc.submitted, expect=409)
    assert r.body["code"] == "skill_test_wrong_state"
    assert int(support.psql_scalar(db_url, "SELECT count(*) FROM skill_test_sheets")) == n


# ------------------------------------------------------------ roles
# Who gets what; a role the route does not admit gets 403 before anything is
# read (theirs or not, existing or not), so no answer tells a unit or an
# expert whether a score exists. An office user of another programme: 404.
# fmt: off
MATRIX = {
    #                                anon admin offc off✗ unit unit✗ expt lead fin  svc  audr
    "GET /skill-test":              (401, 200, 200, 404, 403, 403, 403, 200, 403, 403, 403),
    "PUT /skill-test":              (401, 403, 201, 404, 403, 403, 403, 403, 403, 403, 403),
    "POST /skill-test/sheets":      (401, 403, 201, 404, 403, 403, 403, 403, 403, 403, 403),
    "GET /skill-test/sheets/{id}":  (401, 200, 200, 404, 403, 403, 403, 200, 403, 403, 403),
}
# fmt: on
PRINCIPALS = (ANON, "admin", "office", "office_out", "unit", "unit_other", "expert", "leader",
              "finance", "service", "auditor")


def test_matrix_covers_the_routes():
    routes = {f"{m} {p.split('/skill-test', 1)[1]}".replace(support.SAMPLE_ID, "{id}")
              for m, p in support.SKILL_TEST_ROUTES}
    assert {k.replace(" /skill-test", " ") for k in MATRIX} == routes


@pytest.fixture(scope="module")
def matrix_sheet(api, hc):
    return upload_sheet(api, hc.office.token, hc.qualified[5], name="矩阵.pdf").body


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("route", list(MATRIX))
def test_roles(api, hc, clock, db_url, admin_token, matrix_sheet, route, principal):
    want = MATRIX[route][PRINCIPALS.index(principal)]
    users = dict(hc.staff, office=hc.office, unit=hc.unit)
    token = (None if principal == ANON else admin_token if principal == "admin"
             else users[principal].token)
    nom = hc.qualified[5]
    n = rows(db_url, nom)
    sheets = int(support.psql_scalar(db_url, "SELECT count(*) FROM skill_test_sheets"))
    if route == "GET /skill-test":
        r = api.get(path(nom), token=token, expect=want)
    elif route == "PUT /skill-test":
        headers = {"If-Match": f'"{n}"'} if n else {}
        b = body(clock.today(), reason="矩阵测试更正") if n else body(clock.today())
        r = api.put(path(nom), token=token, json=b, headers=headers,
                    expect=(want, 200) if want == 201 else want)
    elif route == "POST /skill-test/sheets":
        r = upload_sheet(api, token, nom, expect=want)
    else:
        r = api.get(f"{path(nom)}/sheets/{matrix_sheet['id']}", token=token, expect=want)
        if want == 200:
            assert r.content == SHEET
    if r.status_code >= 400:
        assert "current" not in r.body and "87.5" not in r.text
        assert SHEET not in r.content
        assert rows(db_url, nom) == n
        assert int(support.psql_scalar(db_url, "SELECT count(*) FROM skill_test_sheets")) == sheets
    elif route == "PUT /skill-test":
        assert rows(db_url, nom) == n + 1
