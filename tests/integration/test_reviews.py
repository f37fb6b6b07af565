# SPDX-License-Identifier: MIT
"""The expert's workspace (issue 12 "Scoring"): the dossier of an assigned
nomination (masked ID number, the rubric the round pinned), its evidence
files while the assignment is active, and the review: scored by the pinned
rubric (岚山 第四条: four criteria and 优秀品格 as a pass/fail gate; 环翠
第七条: three criteria and 职业道德), every bad input a problem with its
pointer and nothing written, revisions appended with the service clock's
time, sealed when the phase closes. The role matrix of the new routes."""
import datetime
import re
import types

import pytest

import clock_support
import review_support as rs
import support

MASKED_ID = re.compile(r"^[0-9]{3}\*{11}[0-9]{3}[0-9X]$")


def base(e, i=0):
    return f"/v1/review-assignments/{e.assignments[i]}"


def review_rows(db_url, assignment_id):
    return support.psql_scalar(
        db_url, "SELECT coalesce(string_agg(revision || ':' || total, ',' ORDER BY revision), '')"
                f" FROM reviews WHERE assignment_id = '{assignment_id}'")


def audit_count(db_url, assignment_id):
    return int(support.psql_scalar(
        db_url, "SELECT count(*) FROM audit_events WHERE action = 'review.submit'"
                f" AND entity_id = '{assignment_id}'"))


def parse_ts(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


@pytest.fixture
def lanshan(api, factory):
    return rs.review_env(api, factory, base=rs.LANSHAN)


@pytest.fixture
def huancui(api, factory):
    return rs.review_env(api, factory, base=rs.HUANCUI, experts=1)


# ---------------------------------------------------------------- dossier
def test_dossier_has_the_candidate_masked_and_the_pinned_rubric(api, lanshan):
    e = lanshan
    d = api.get(f"{base(e)}/dossier", token=e.experts[0].token, expect=200).body
    c = d["candidate"]
    assert MASKED_ID.match(c["id_number"]) and c["id_number"] == support.mask_id(e.id_number)
    assert e.id_number not in str(d)
    assert "phone" not in c
    assert c["name"] == e.nom["name"] and c["occupation"] == "数控车工"
    assert c["employer"]["code"] and c["deeds"].startswith("长期扎根生产一线")
    assert d["assignment"]["id"] == e.assignments[0] and d["assignment"]["state"] == "active"
    assert d["round"] == {"id": e.round["id"], "programme": e.programme, "phase": "review",
                          "policy_version": 1}
    assert [f["id"] for f in d["attachments"]] == [e.file["id"]]
    # 岚山 第四条: 优秀品格 is a gate, four criteria scored out of their weight.
    assert [(k["criterion"], k["weight"], k["gate"], k["max_score"]) for k in d["rubric"]] == [
        ("character", 0, True, None), ("skill", 25, False, 25), ("innovation", 25, False, 25),
        ("leadership", 25, False, 25), ("honours", 25, False, 25)]
    assert d["rubric"][0]["label"] == "优秀品格"
    # The office of the programme reads it too (the leader: see the matrix).
    assert api.get(f"{base(e)}/dossier", token=e.office.token, expect=200).body == d


def test_huancui_rubric_in_the_dossier(api, huancui):
    d = api.get(f"{base(huancui)}/dossier", token=huancui.experts[0].token, expect=200).body
    assert [(k["criterion"], k["max_score"]) for k in d["rubric"]] == [
        ("character", None), ("skill", 34), ("innovation", 33), ("mentoring", 33)]
    assert d["rubric"][0]["gate"] is True and d["rubric"][0]["label"] == "职业道德"


def test_evidence_file_only_while_the_assignment_is_active(api, lanshan):
    e = lanshan
    path = f"{base(e)}/attachments/{e.file['id']}"
    r = api.get(path, token=e.experts[0].token, expect=200)
    assert r.content == rs.PDF
    assert r.headers["Cache-Control"] == "private, no-store"
    # A file id of no file on this nomination → 404; not a UUID → 400.
    api.get(f"{base(e)}/attachments/{support.SAMPLE_ID}", token=e.experts[0].token, expect=404)
    api.get(f"{base(e)}/attachments/nope", token=e.experts[0].token, expect=400)
    rs.end_assignment(api, e, 0)
    r = api.get(path, token=e.experts[0].token, expect=409)
    assert r.body["code"] == "assignment_not_active"
    r = api.get(f"{base(e)}/dossier", token=e.experts[0].token, expect=409)
    assert r.body["code"] == "assignment_not_active"
    # The other expert's assignment is still active.
    assert api.get(f"{base(e, 1)}/attachments/{e.file['id']}", token=e.experts[1].token,
                   expect=200).content == rs.PDF


# ---------------------------------------------------------------- scoring
def test_lanshan_review_total_and_revisions(api, lanshan, db_url):
    e = lanshan
    tok = e.experts[0].token
    clock = clock_support.clock()
    empty = api.get(f"{base(e)}/review", token=tok, expect=200).body
    assert empty["current"] is None and empty["revisions"] == []
    t0 = clock.now()
    scores = {"character": True, "skill": 22.5, "innovation": 20, "leadership": 18.25,
              "honours": 15}
    r1 = api.put(f"{base(e)}/review", token=tok, json={"scores": scores, "comment": "成果突出"},
                 expect=200).body
    cur = r1["current"]
    assert cur["revision"] == 1 and cur["total"] == 75.75 and cur["gate_pass"] is True
    assert cur["scores"] == scores and cur["comment"] == "成果突出"
    assert t0 - 1 <= parse_ts(cur["reviewed_at"]) <= clock.now() + 1
    # Later on the service clock: a second revision, the first one kept.
    clock.set(clock.now() + 3 * 3600)
    t1 = clock.now()
    r2 = api.put(f"{base(e)}/review", token=tok,
                 json={"scores": dict(scores, character=False, honours=25)}, expect=200).body
    assert [v["revision"] for v in r2["revisions"]] == [1, 2]
    assert r2["revisions"][0] == cur
    assert r2["current"]["total"] == 85.75 and r2["current"]["gate_pass"] is False
    assert r2["current"]["comment"] is None
    assert parse_ts(r2["current"]["reviewed_at"]) >= t1 - 1
    assert parse_ts(r2["current"]["reviewed_at"]) > parse_ts(cur["reviewed_at"])
    assert review_rows(db_url, e.assignments[0]) == "1:7575,2:8575"
    assert audit_count(db_url, e.assignments[0]) == 2
    after = support.psql_scalar(
        db_url, "SELECT after::text FROM audit_events WHERE action = 'review.submit'"
                f" AND entity_id = '{e.assignments[0]}' ORDER BY seq DESC LIMIT 1")
    assert '"revision": 2' in after and e.id_number not in after
    assert api.get(f"{base(e)}/review", token=tok, expect=200).body == r2
    # The office and the leader read it (audit); the other expert's stays empty.
    assert api.get(f"{base(e)}/review", token=e.office.token, expect=200).body == r2
    assert api.get(f"{base(e, 1)}/review", token=e.experts[1].token,
                   expect=200).body["revisions"] == []


def test_huancui_review_total(api, huancui, db_url):
    e = huancui
    r = api.put(f"{base(e)}/review", token=e.experts[0].token,
                json={"scores": {"character": False, "skill": 30, "innovation": 25.5,
                                 "mentoring": 33}}, expect=200).body["current"]
    assert r["total"] == 88.5 and r["gate_pass"] is False
    full = api.put(f"{base(e)}/review", token=e.experts[0].token,
                   json={"scores": rs.full_scores(e.rubric)}, expect=200).body["current"]
    assert full["total"] == 100 and full["gate_pass"] is True and full["revision"] == 2


def _refused(api, e, db_url, body, status):
    before, seq = review_rows(db_url, e.assignments[0]), audit_count(db_url, e.assignments[0])
    r = api.put(f"{base(e)}/review", token=e.experts[0].token, json=body, expect=status).body
    assert review_rows(db_url, e.assignments[0]) == before
    assert audit_count(db_url, e.assignments[0]) == seq
    return r


def test_bad_scores_are_problems_with_pointers(api, lanshan, db_url):
    e = lanshan
    good = rs.full_scores(e.rubric, 0.5)
    p = _refused(api, e, db_url, {"scores": dict(good, skill=26, innovation=-1,
                                                 leadership=7.255, character=1)}, 422)
    assert {(x["pointer"], x["code"]) for x in p["errors"]} == {
        ("/scores/skill", "out_of_range"), ("/scores/innovation", "out_of_range"),
        ("/scores/leadership", "too_precise"), ("/scores/character", "wrong_type")}
    missing = dict(good)
    del missing["honours"], missing["character"]
    p = _refused(api, e, db_url, {"scores": missing}, 422)
    assert {(x["pointer"], x["code"]) for x in p["errors"]} == {
        ("/scores/honours", "required"), ("/scores/character", "required")}
    p = _refused(api, e, db_url, {"scores": dict(good, extra=5)}, 400)
    assert [(x["pointer"], x["code"]) for x in p["errors"]] == [("/scores/extra", "unknown_field")]
    p = _refused(api, e, db_url, {"scores": good, "rating": 5}, 400)
    assert support.pointers(p) == ["/rating"]
    p = _refused(api, e, db_url, {"comment": ""}, 422)
    assert set(support.pointers(p)) == {"/scores", "/comment"}
    p = _refused(api, e, db_url, {"scores": dict(good, skill="20")}, 422)
    assert [(x["pointer"], x["code"]) for x in p["errors"]] == [("/scores/skill", "wrong_type")]
    # A later good one still starts at revision 1.
    r = api.put(f"{base(e)}/review", token=e.experts[0].token, json={"scores": good},
                expect=200).body
    assert r["current"]["revision"] == 1 and r["current"]["total"] == 50


def test_sealed_after_the_phase_and_after_recusal(api, lanshan, db_url):
    e = lanshan
    good = {"scores": rs.full_scores(e.rubric, 0.8)}
    api.put(f"{base(e)}/review", token=e.experts[0].token, json=good, expect=200)
    rs.end_assignment(api, e, 1)
    p = _refused(api, types_ns(e, 1), db_url, good, 409)
    assert p["code"] == "assignment_not_active"
    rs.close_review(api, e)
    p = _refused(api, e, db_url, good, 409)
    assert p["code"] == "review_sealed"
    # Still readable by its expert (its own, sealed).
    r = api.get(f"{base(e)}/review", token=e.experts[0].token, expect=200).body
    assert r["current"]["revision"] == 1 and r["current"]["total"] == 80
    # The database refuses it too (the trigger is the backstop).
    proc = support.psql(db_url, "INSERT INTO reviews (assignment_id, revision, scores, total,"
                                f" gate_pass, reviewed_at) VALUES ('{e.assignments[0]}', 2,"
                                " '{}', 0, true, now())", check=False)
    assert proc.returncode != 0 and "reviews are sealed" in proc.stderr


def types_ns(e, i):
    """The env seen from expert i (its assignment first)."""
    return types.SimpleNamespace(assignments=[e.assignments[i]], experts=[e.experts[i]])


# ------------------------------------------------------------------- roles
# anonymous, admin, office of the programme, office of other programmes,
# unit, the assigned expert, another expert, leader, finance, service, auditor.
# fmt: off
MATRIX = {
    "GET dossier":      (401, 403, 200, 404, 403, 200, 404, 200, 403, 403, 403),
    "GET attachment":   (401, 403, 403, 403, 403, 200, 404, 403, 403, 403, 403),
    "GET review":       (401, 403, 200, 404, 403, 200, 404, 200, 403, 403, 403),
    "PUT review":       (401, 403, 403, 403, 403, 200, 404, 403, 403, 403, 403),
}
# fmt: on
PRINCIPALS = ("anonymous", "admin", "office", "office_out", "unit", "expert", "expert_other",
              "leader", "finance", "service", "auditor")


@pytest.fixture(scope="module")
def world(api, factory):
    e = rs.review_env(api, factory, experts=1)
    w = types.SimpleNamespace(e=e)
    w.tokens = {
        "anonymous": None, "admin": factory.admin.get(), "office": e.office.token,
        "office_out": factory.user("office").token, "unit": e.unit.token,
        "expert": e.experts[0].token,
        "expert_other": rs.new_expert(api, factory, e.programme).token,
        "leader": factory.user("leader").token, "finance": factory.user("finance").token,
        "service": factory.user("service").token, "auditor": factory.user("auditor").token}
    return w


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_role_matrix(api, world, route):
    e = world.e
    path = {"GET dossier": "dossier", "GET attachment": f"attachments/{e.file['id']}",
            "GET review": "review", "PUT review": "review"}[route]
    method = route.split()[0]
    url = f"{base(e)}/{path}"
    for who, want in zip(PRINCIPALS, MATRIX[route]):
        kw = {"json": {"scores": rs.full_scores(e.rubric, 0.5)}} if method == "PUT" else {}
        r = api.request(method, url, token=world.tokens[who], expect=want, **kw)
        assert r.status_code == want, (route, who)


def test_matrix_covers_every_workspace_route():
    """Every route of api/routes.def handled here (handlers/reviews.c) has its row."""
    import os
    import pathlib
    repo = pathlib.Path(os.environ.get("JIANGXIN_TEST_REPO")
                        or pathlib.Path(__file__).resolve().parents[2])
    text = (repo / "api" / "routes.def").read_text(encoding="utf-8")
    rows = {(m.group(1), m.group(2).rsplit("/", 1)[-1] if "attachments" not in m.group(2)
             else "attachment")
            for m in re.finditer(r'ROUTE\("(\w+)",\s*"([^"]+)",\s*(reviews_\w+)', text)}
    assert rows == {tuple(k.split()) for k in MATRIX}
