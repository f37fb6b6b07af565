# SPDX-License-Identifier: MIT
"""The authorization matrix of issue 3 (intake and qualification): every
endpoint of the issue against every kind of caller, with the status each one
must get. MATRIX below is the whole contract at a glance.

Callers: anonymous (no token); admin; an office user whose scope is the
programme ("office") and one scoped to another programme ("office_out");
the unit user whose unit owns the nomination ("unit") and a user of another
unit ("unit_other"); the roles with no business here (expert, finance,
service); the leader and the auditor (read, masked, write nothing).

An allowed read runs against one module-wide world and must change nothing;
an allowed write runs against a fresh world of its own and must show its
effect. A refused call runs against the module-wide world and must change
nothing at all: no row, no version, no audit event.

The isolation tests check that a unit never learns of another unit's
nomination, from a list, a count, a filter, a sub-resource or an error."""

import json
import os
import pathlib
import re
import subprocess
import threading
import types
import uuid

import pytest

import clock_support
import support

# The scenarios use publicity dates in 2026: both clocks are on 2026-11-20 for the
# whole module.
pytestmark = pytest.mark.clock("2026-11-20")

# ------------------------------------------------------------------- matrix
PRINCIPALS = ("anonymous", "admin", "office", "office_out", "unit", "unit_other",
              "expert", "leader", "finance", "service", "auditor")

# {code} the programme, {id} the round or nomination, {attachment_id} a file.
# The reveal row is GET /v1/nominations/{id} with ?reveal=id_number (audited).
# The role a route admits is checked first (api/routes.def), so a role the route
# never admits gets 403 whatever its scope (unit_other on reveal); a role the
# route admits but whose scope excludes the object gets 404, exactly as for an
# unknown id (api/ops/scope.c). The office writes a nomination only when it
# entered it for the unit (a paper submission): the world's nomination is the
# unit's own, so 403 unit_entered_nomination (test_intake_entry.py has the
# office's own entries). The leader (no programme scope: all programmes) reads
# rounds, nominations (masked) and the files' list, never a file's bytes, and
# writes nothing.
# fmt: off
MATRIX = {
    #                                                         anon admin offc off✗ unit unit✗ expt lead fin  svc  audr
    "POST /v1/programmes":                                   (401, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    "GET /v1/programmes/{code}/rounds":                      (401, 200, 200, 404, 200, 200, 403, 200, 403, 403, 200),
    "POST /v1/programmes/{code}/rounds":                     (401, 403, 201, 404, 403, 403, 403, 403, 403, 403, 403),
    "GET /v1/rounds/{id}":                                   (401, 200, 200, 404, 200, 200, 403, 200, 403, 403, 200),
    "POST /v1/rounds/{id}/transitions":                      (401, 403, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    "GET /v1/rounds/{id}/nominations":                       (401, 200, 200, 404, 200, 200, 403, 200, 403, 403, 200),
    "POST /v1/rounds/{id}/nominations":                      (401, 403, 201, 404, 201, 201, 403, 403, 403, 403, 403),
    "GET /v1/nominations/{id}":                              (401, 200, 200, 404, 200, 404, 403, 200, 403, 403, 200),
    "GET /v1/nominations/{id}?reveal":                       (401, 403, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    "PATCH /v1/nominations/{id}":                            (401, 403, 403, 404, 200, 404, 403, 403, 403, 403, 403),
    "POST /v1/nominations/{id}/transitions":                 (401, 403, 200, 404, 200, 404, 403, 403, 403, 403, 403),
    "GET /v1/nominations/{id}/eligibility":                  (401, 200, 200, 404, 200, 404, 403, 200, 403, 403, 200),
    "GET /v1/nominations/{id}/attachments":                  (401, 200, 200, 404, 200, 404, 403, 200, 403, 403, 200),
    "POST /v1/nominations/{id}/attachments":                 (401, 403, 403, 404, 201, 404, 403, 403, 403, 403, 403),
    "GET /v1/nominations/{id}/attachments/{attachment_id}":  (401, 200, 200, 404, 200, 404, 403, 403, 403, 403, 200),
    "DELETE /v1/nominations/{id}/attachments/{attachment_id}": (401, 403, 403, 404, 204, 404, 403, 403, 403, 403, 403),
}
# fmt: on

PROBLEM_TYPES = {
    401: "urn:jiangxin:problem:unauthorized",
    403: "urn:jiangxin:problem:forbidden",
    404: "urn:jiangxin:problem:not-found",
}
MASKED_ID = re.compile(r"^[0-9]{3}\*{11}[0-9]{3}[0-9X]$")
MASKED_PHONE = re.compile(r"^1[0-9]{2}\*{4}[0-9]{4}$")
STATES = ("draft", "unit_publicity", "unit_approved", "submitted", "returned", "qualified",
          "rejected", "disqualified", "withdrawn", "in_review", "shortlisted", "not_shortlisted",
          "selected", "not_selected", "final_notice", "recognized", "objection_upheld")
STAFF_ROLES = ("expert", "leader", "finance", "service", "auditor")


def pdf():
    return b"%PDF-1.4\n%matrix " + support.rand_hex(16).encode() + b"\n%%EOF\n"


# ------------------------------------------------------------------- worlds
@pytest.fixture(scope="module")
def staff(factory):
    """The callers whose scope is not a programme of their own."""
    s = types.SimpleNamespace(admin_cache=factory.admin)
    for role in STAFF_ROLES:
        setattr(s, role, factory.user(role))
    s.office_out = factory.office(factory.programme())
    return s


def upload(api, token, nom_id, data, expect=None):
    return api.post(f"/v1/nominations/{nom_id}/attachments", token=token,
                    params={"kind": "other", "filename": "x.pdf"}, data=data,
                    headers={"Content-Type": "application/pdf"}, expect=expect)


def nom_move(api, user, nom_id, to, **body):
    return api.post(f"/v1/nominations/{nom_id}/transitions", token=user.token,
                    json=dict(body, to=to), expect=200).body


def build_world(api, factory, staff, *, stage="accepting", unit_other=True):
    """A programme (Lanshan policy) with its office, an accepting round, a
    unit with one draft nomination carrying one evidence file, and (when
    asked) a user of another unit. stage="qualification": the nomination is
    submitted and the round in qualification."""
    w = types.SimpleNamespace(**vars(staff))
    w.api, w.factory = api, factory
    w.programme = factory.programme()
    w.office = factory.office(w.programme)
    w.round = factory.round(w.programme, w.office, phase="accepting")
    w.unit = factory.user("unit")
    w.unit_other = factory.user("unit") if unit_other else None
    w.idn = support.new_id_number()
    w.nom = factory.nomination(w.round["id"], w.unit, id_number=w.idn)
    w.file = pdf()
    w.att = upload(api, w.unit.token, w.nom["id"], w.file, expect=201).body
    if stage == "qualification":
        clock_support.publicise(api, w.unit, w.nom["id"])
        w.nom = nom_move(api, w.unit, w.nom["id"], "submitted")
        w.round = api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
                           json={"to": "qualification"}, expect=200).body
    return w


@pytest.fixture(scope="module")
def world(api, factory, staff):
    return build_world(api, factory, staff)


def token_of(w, principal):
    if principal == "anonymous":
        return None
    if principal == "admin":
        return w.admin_cache.get()
    return getattr(w, principal).token


class Psql:
    """One psql process for the module, so a snapshot costs a query, not a
    process start (support.psql starts one per call)."""

    def __init__(self, url):
        self.proc = subprocess.Popen(
            ["psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", url],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, encoding="utf-8")
        self.n = 0

    def scalar(self, sql):
        self.n += 1
        marker = f"--end-{self.n}--"
        self.proc.stdin.write(f"{sql.strip().rstrip(';')};\n\\echo {marker}\n")
        self.proc.stdin.flush()
        lines = []
        watchdog = threading.Timer(30, self.proc.kill)  # never hang the suite
        watchdog.start()
        try:
            while True:
                line = self.proc.stdout.readline()
                if line == "":
                    raise AssertionError(f"psql ended: {' '.join(lines)}\n{sql}")
                if line.rstrip("\n") == marker:
                    return "\n".join(lines).strip()
                lines.append(line.rstrip("\n"))
        finally:
            watchdog.cancel()

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def db(db_url):
    session = Psql(db_url)
    yield session
    session.close()


def snapshot(db, w):
    """Everything a call could change in world w, in one read."""
    sql = f"""
        SELECT jsonb_build_object(
          'programmes', (SELECT count(*) FROM programmes),
          'rounds', (SELECT count(*) FROM rounds r JOIN programmes p ON p.id = r.programme_id
                      WHERE p.code = '{w.programme}'),
          'round', (SELECT phase || ':' || version FROM rounds WHERE id = '{w.round["id"]}'),
          'nominations', (SELECT count(*) FROM nominations WHERE round_id = '{w.round["id"]}'),
          'nomination', (SELECT state || ':' || version || ':' || coalesce(occupation, '')
                           FROM nominations WHERE id = '{w.nom["id"]}'),
          'transitions', (SELECT count(*) FROM nomination_transitions
                           WHERE nomination_id = '{w.nom["id"]}'),
          'attachments', (SELECT count(*) FROM attachments
                           WHERE nomination_id = '{w.nom["id"]}'),
          'audit', (SELECT coalesce(max(seq), 0) FROM audit_events))"""
    return json.loads(db.scalar(sql))


# ----------------------------------------------------------- the endpoints
def ids(items):
    return [x["id"] for x in items]


def check_masked(w, body, text):
    assert MASKED_ID.fullmatch(body["id_number"]), body["id_number"]
    assert body["id_number"] == support.mask_id(w.idn)
    assert body["phone"] is None or MASKED_PHONE.fullmatch(body["phone"])
    assert w.idn not in text


def ok_programme_create(c):
    assert c.resp.body["code"] == c.sent["json"]["code"]
    assert c.after["programmes"] == c.before["programmes"] + 1


def ok_rounds_list(c):
    assert ids(c.resp.body["items"]) == [c.w.round["id"]]


def ok_round_create(c):
    r = c.resp.body
    assert r["programme"] == c.w.programme and r["year"] == 2024 and r["phase"] == "preparing"
    assert c.after["rounds"] == c.before["rounds"] + 1


def ok_round_get(c):
    r = c.resp.body
    assert r["id"] == c.w.round["id"] and r["programme"] == c.w.programme
    # The world's one nomination is the unit's: everyone who may count it sees 1
    # draft; another unit's user sees only its own (none).
    own = 0 if c.principal == "unit_other" else 1
    assert r["counts"] == {s: (own if s == "draft" else 0) for s in STATES}


def ok_round_move(c):
    r = c.resp.body
    assert r["id"] == c.w.round["id"] and r["phase"] == "qualification"
    assert c.after["round"] == f"qualification:{c.w.round['version'] + 1}"


def ok_nominations_list(c):
    items = c.resp.body["items"]
    if c.principal == "unit_other":
        assert items == []
        assert c.w.nom["id"] not in c.resp.text and c.w.unit.unit_id not in c.resp.text
        return
    assert ids(items) == [c.w.nom["id"]]
    check_masked(c.w, items[0], c.resp.text)


def ok_nomination_create(c):
    n = c.resp.body
    actor = getattr(c.w, c.principal)
    assert n["state"] == "draft" and n["round_id"] == c.w.round["id"]
    if c.principal == "office":  # a paper submission, entered for the unit
        assert n["unit_id"] == c.w.unit.unit_id
        assert n["entry"] == {"by": "office", "user": actor.id}
    else:
        assert n["unit_id"] == actor.unit_id
        assert n["entry"] == {"by": "unit", "user": actor.id}
    assert MASKED_ID.fullmatch(n["id_number"])
    assert n["id_number"] == support.mask_id(c.sent["json"]["id_number"])
    assert c.after["nominations"] == c.before["nominations"] + 1


def ok_nomination_get(c):
    n = c.resp.body
    assert n["id"] == c.w.nom["id"] and n["unit_id"] == c.w.unit.unit_id
    check_masked(c.w, n, c.resp.text)


def ok_reveal(c):
    n = c.resp.body
    assert n["id"] == c.w.nom["id"] and n["id_number"] == c.w.idn
    assert c.resp.headers.get("Cache-Control") == "no-store"
    assert c.after["audit"] > c.before["audit"]  # the reveal is audited
    assert {k: v for k, v in c.after.items() if k != "audit"} == \
        {k: v for k, v in c.before.items() if k != "audit"}


def ok_nomination_patch(c):
    n = c.resp.body
    assert n["id"] == c.w.nom["id"] and n["occupation"] == "钳工"
    assert n["version"] == c.w.nom["version"] + 1
    assert c.after["nomination"] == f"draft:{n['version']}:钳工"


def ok_nomination_move(c):
    n = c.resp.body
    want = "returned" if c.principal == "office" else "unit_publicity"
    assert n["id"] == c.w.nom["id"] and n["state"] == want
    assert n["history"][-1]["to"] == want
    assert c.after["transitions"] == c.before["transitions"] + 1
    check_masked(c.w, n, c.resp.text)


def ok_eligibility(c):
    e = c.resp.body
    checks = {x["check"]: x["result"] for x in e["checks"]}
    assert checks["evidence"] == "pass"  # the world's nomination has a file
    assert checks["id_number"] == "pass"
    # A draft has had no unit publicity yet (岚山 第五条（一）).
    assert checks["unit_publicity"] == "fail" and e["outcome"] == "fail"
    assert c.w.idn not in c.resp.text


def ok_attachments_list(c):
    assert ids(c.resp.body["items"]) == [c.w.att["id"]]
    assert c.resp.body["items"][0]["nomination_id"] == c.w.nom["id"]


def ok_attachment_create(c):
    a = c.resp.body
    assert a["nomination_id"] == c.w.nom["id"] and a["media_type"] == "application/pdf"
    assert a["size_bytes"] == len(c.sent["data"])
    assert c.after["attachments"] == c.before["attachments"] + 1


def ok_attachment_get(c):
    assert c.resp.content == c.w.file
    assert c.resp.headers["Content-Type"] == "application/pdf"


def ok_attachment_delete(c):
    assert c.resp.content == b""
    assert c.after["attachments"] == c.before["attachments"] - 1


def new_programme_body(w):
    policy = w.api.get("/v1/programmes/lanshan-craftsman", expect=200).body["policy"]
    code = f"t-matrix-{support.rand_hex(8)}"
    return {"code": code, "name": f"矩阵 {code}", "name_en": f"Matrix {code}", "policy": policy}


def req_nomination_move(w, principal):
    if principal == "office":
        return {"json": {"to": "returned", "note": "请补充职业技能等级证书"}}
    return {"json": {"to": "unit_publicity",
                     "publicity_start": clock_support.clock().today().isoformat()}}


# For each endpoint: the path; the request (a function of the world and the
# caller; refused callers send the same valid request, so only authorization
# can refuse it); the check of a success; where an allowed call runs: None =
# the shared world (a read, or a write the world does not see), else a fresh
# world in that stage (per caller when a dict).
ENDPOINTS = {
    "POST /v1/programmes": (
        "/v1/programmes", lambda w, p: {"json": new_programme_body(w)},
        ok_programme_create, None),
    "GET /v1/programmes/{code}/rounds": (
        "/v1/programmes/{code}/rounds", None, ok_rounds_list, None),
    "POST /v1/programmes/{code}/rounds": (
        "/v1/programmes/{code}/rounds",
        lambda w, p: {"json": {"year": 2024, "reference_date": "2024-12-31",
                               "window_opens": "2024-01-05", "window_closes": "2024-12-31"}},
        ok_round_create, "accepting"),
    "GET /v1/rounds/{id}": ("/v1/rounds/{round}", None, ok_round_get, None),
    "POST /v1/rounds/{id}/transitions": (
        "/v1/rounds/{round}/transitions",
        lambda w, p: {"json": {"to": "qualification"},
                      "headers": {"If-Match": f'"{w.round["version"]}"'}},
        ok_round_move, "accepting"),
    "GET /v1/rounds/{id}/nominations": (
        "/v1/rounds/{round}/nominations", None, ok_nominations_list, None),
    "POST /v1/rounds/{id}/nominations": (
        "/v1/rounds/{round}/nominations",
        # The office enters a paper submission for the world's unit.
        lambda w, p: {"json": dict(w.factory.nomination_body(),
                                   **({"unit_id": w.unit.unit_id}
                                      if p in ("office", "office_out") else {}))},
        ok_nomination_create, "accepting"),
    "GET /v1/nominations/{id}": ("/v1/nominations/{nom}", None, ok_nomination_get, None),
    "GET /v1/nominations/{id}?reveal": (
        "/v1/nominations/{nom}", lambda w, p: {"params": {"reveal": "id_number"}},
        ok_reveal, None),
    "PATCH /v1/nominations/{id}": (
        "/v1/nominations/{nom}",
        lambda w, p: {"json": {"occupation": "钳工"},
                      "headers": {"If-Match": f'"{w.nom["version"]}"'}},
        ok_nomination_patch, "accepting"),
    "POST /v1/nominations/{id}/transitions": (
        "/v1/nominations/{nom}/transitions", req_nomination_move, ok_nomination_move,
        {"office": "qualification", "unit": "accepting"}),
    "GET /v1/nominations/{id}/eligibility": (
        "/v1/nominations/{nom}/eligibility", None, ok_eligibility, None),
    "GET /v1/nominations/{id}/attachments": (
        "/v1/nominations/{nom}/attachments", None, ok_attachments_list, None),
    "POST /v1/nominations/{id}/attachments": (
        "/v1/nominations/{nom}/attachments",
        lambda w, p: {"params": {"kind": "other", "filename": "x.pdf"}, "data": pdf(),
                      "headers": {"Content-Type": "application/pdf"}},
        ok_attachment_create, "accepting"),
    "GET /v1/nominations/{id}/attachments/{attachment_id}": (
        "/v1/nominations/{nom}/attachments/{att}", None, ok_attachment_get, None),
    "DELETE /v1/nominations/{id}/attachments/{attachment_id}": (
        "/v1/nominations/{nom}/attachments/{att}", None, ok_attachment_delete, "accepting"),
}

CASES = [(endpoint, principal, status)
         for endpoint, row in MATRIX.items()
         for principal, status in zip(PRINCIPALS, row)]


def test_matrix_is_complete():
    assert set(MATRIX) == set(ENDPOINTS)
    assert all(len(row) == len(PRINCIPALS) for row in MATRIX.values())
    # Every route of the issue in api/routes.def is in the matrix.
    repo = pathlib.Path(os.environ.get("JIANGXIN_TEST_REPO")
                        or pathlib.Path(__file__).resolve().parents[2])
    text = (repo / "api" / "routes.def").read_text(encoding="utf-8")
    issue = set()
    for m in re.finditer(r'ROUTE\("(\w+)",\s*"([^"]+)"', text):
        method, path = m.group(1), m.group(2)
        if "/vote-" in path:
            continue  # issue 4's routes: test_vote_sessions_api.py has their matrix
        if "/skill-test" in path:
            continue  # issue 12's skill test: test_skill_tests.py has its matrix
        if "/review-assignments" in path:
            continue  # issue 12's draw: test_review_draw.py::test_role_matrix
        if path.endswith(("/ranking", "/shortlist")):
            continue  # issue 12's ranking: test_ranking.py and test_shortlist.py check roles
        if path.endswith(("/decision-pack", "/decisions", "/inspection", "/notices", "/approval",
                          "/recognitions", "/result-list.pdf")):
            continue  # issue 13's steps: test_decisions_roles.py has their matrix
        if "/objections" in path:
            continue  # issue 13's objections: test_objections.py::test_access has their matrix
        if path.startswith(("/v1/rounds", "/v1/nominations")) or \
                path.endswith("/rounds") or (method == "POST" and path == "/v1/programmes"):
            issue.add(f"{method} " + re.sub(r":(\w+)", r"{\1}", path))
    assert issue == {k for k in MATRIX if "?" not in k}


@pytest.mark.parametrize("endpoint,principal,want", CASES,
                         ids=[f"{e}-{p}" for e, p, _ in CASES])
def test_access(api, factory, staff, world, db, endpoint, principal, want):
    path_tpl, make_request, check_ok, fresh = ENDPOINTS[endpoint]
    method = endpoint.split(" ", 1)[0]
    allowed = want < 400
    stage = fresh.get(principal) if isinstance(fresh, dict) else fresh
    w = world
    if allowed and stage is not None:
        w = build_world(api, factory, staff, stage=stage,
                        unit_other=principal == "unit_other")
    path = path_tpl.format(code=w.programme, round=w.round["id"], nom=w.nom["id"],
                           att=w.att["id"])
    sent = make_request(w, principal) if make_request else {}
    before = snapshot(db, w)
    resp = api.request(method, path, token=token_of(w, principal), **sent)
    after = snapshot(db, w)
    assert resp.status_code == want, (
        f"{endpoint} as {principal}: expected {want}, got {resp.status_code}: {resp.text[:400]}")
    if allowed:
        check_ok(types.SimpleNamespace(w=w, principal=principal, resp=resp, sent=sent,
                                       before=before, after=after))
        if method == "GET" and "reveal" not in endpoint:
            assert after == before, f"a read changed something: {before} → {after}"
        return
    assert resp.body["type"] == PROBLEM_TYPES[want], resp.body
    assert resp.body["status"] == want
    assert after == before, f"a refused {endpoint} changed something: {before} → {after}"
    # Nothing about the nomination in a refusal, whoever asks.
    assert w.idn not in resp.text and w.unit.unit_id not in resp.text


# ------------------------------------------------------------------ isolation
@pytest.fixture(scope="module")
def iso(api, factory):
    """One round; unit A with two drafts (a file on each; the second one
    created and uploaded with Idempotency-Keys) and a nomination in unit
    publicity; unit B with one draft and its file."""
    e = types.SimpleNamespace()
    e.programme = factory.programme()
    e.office = factory.office(e.programme)
    e.round = factory.round(e.programme, e.office, phase="accepting")
    e.unit_a = factory.unit(name=f"甲单位-{support.rand_hex(6)}")
    e.unit_b = factory.unit(name=f"乙单位-{support.rand_hex(6)}")
    e.a = factory.user("unit", unit_id=e.unit_a["id"])
    e.b = factory.user("unit", unit_id=e.unit_b["id"])
    e.a_name = f"甲候选{support.rand_hex(6)}"
    e.a_idn = support.new_id_number()
    e.a_draft = factory.nomination(e.round["id"], e.a, name=e.a_name, id_number=e.a_idn,
                                   skill_level="technician")
    e.a_pub = factory.nomination(e.round["id"], e.a, name=e.a_name + "二")
    nom_move(api, e.a, e.a_pub["id"], "unit_publicity",
             publicity_start=clock_support.clock().today().isoformat())
    e.a_att = upload(api, e.a.token, e.a_draft["id"], pdf(), expect=201).body
    e.keyed_body = factory.nomination_body()
    e.create_key, e.upload_key = f"iso-{support.rand_hex(12)}", f"iso-{support.rand_hex(12)}"
    e.a_keyed = api.post(f"/v1/rounds/{e.round['id']}/nominations", token=e.a.token,
                         json=e.keyed_body, headers={"Idempotency-Key": e.create_key},
                         expect=201).body
    e.keyed_file = pdf()
    e.a_keyed_att = api.post(f"/v1/nominations/{e.a_keyed['id']}/attachments", token=e.a.token,
                             params={"kind": "other", "filename": "x.pdf"}, data=e.keyed_file,
                             headers={"Content-Type": "application/pdf",
                                      "Idempotency-Key": e.upload_key}, expect=201).body
    e.b_nom = factory.nomination(e.round["id"], e.b, name=f"乙候选{support.rand_hex(6)}")
    e.b_att = upload(api, e.b.token, e.b_nom["id"], pdf(), expect=201).body
    e.office_out = factory.office(factory.programme())
    # What B must never see.
    e.secrets = [e.unit_a["id"], e.unit_a["name"], e.a_name, e.a_idn, support.mask_id(e.a_idn),
                 e.a_draft["id"], e.a_pub["id"], e.a_att["id"], e.a_keyed["id"],
                 e.a_keyed_att["id"], e.keyed_body["id_number"]]
    return e


def assert_no_secret(e, resp, allow=()):
    for s in e.secrets:
        if s not in allow:
            assert s not in resp.text, f"{resp.request.method} {resp.request.path_url} tells {s!r}"


def test_unit_sees_only_its_own_nominations_in_lists_and_filters(api, iso):
    e = iso
    base = f"/v1/rounds/{e.round['id']}/nominations"
    want_b = [e.b_nom["id"]]
    queries = [
        ({}, want_b),
        ({"state": "draft"}, want_b),
        ({"state": "unit_publicity"}, []),
        ({"unit_id": e.unit_a["id"]}, []),
        ({"unit_id": e.unit_a["id"], "state": "draft"}, []),
        ({"unit_id": e.unit_b["id"]}, want_b),
        ({"q": e.a_name}, []),
        ({"q": "甲候选"}, []),
        ({"skill_level": "technician"}, []),
        ({"sort": "name"}, want_b),
        ({"sort": "-created_at"}, want_b),
        ({"sort": "-name", "limit": 1}, want_b),
    ]
    for params, want in queries:
        r = api.get(base, token=e.b.token, params=params, expect=200)
        assert ids(r.body["items"]) == want, params
        if "limit" not in params:
            assert r.body["next_cursor"] is None, params
        assert_no_secret(e, r)
    # A's id in another spelling is no way round it: refused (one spelling per id).
    r = api.get(base, token=e.b.token, params={"unit_id": e.unit_a["id"].upper()}, expect=400)
    assert_no_secret(e, r)
    # Paging one by one still ends after B's own.
    assert ids(support.list_all(api, base, e.b.token, limit=1)) == want_b
    # The same filters as A show A's own, and the office sees all three.
    r = api.get(base, token=e.a.token, params={"state": "unit_publicity"}, expect=200)
    assert ids(r.body["items"]) == [e.a_pub["id"]]
    r = api.get(base, token=e.a.token, params={"unit_id": e.unit_b["id"]}, expect=200)
    assert r.body["items"] == []
    assert sorted(ids(support.list_all(api, base, e.office.token))) == \
        sorted([e.a_draft["id"], e.a_keyed["id"], e.a_pub["id"], e.b_nom["id"]])


def test_round_counts_are_the_callers_own(api, iso, admin_token):
    e = iso
    path = f"/v1/rounds/{e.round['id']}"

    def counts(token):
        r = api.get(path, token=token, expect=200)
        return r, {k: v for k, v in r.body["counts"].items() if v}

    r, got = counts(e.b.token)
    assert got == {"draft": 1}
    assert_no_secret(e, r)
    assert counts(e.a.token)[1] == {"draft": 2, "unit_publicity": 1}
    assert counts(e.office.token)[1] == {"draft": 3, "unit_publicity": 1}
    assert counts(admin_token)[1] == {"draft": 3, "unit_publicity": 1}
    # The rounds list tells B nothing of A either.
    r = api.get(f"/v1/programmes/{e.programme}/rounds", token=e.b.token, expect=200)
    assert ids(r.body["items"]) == [e.round["id"]]
    assert_no_secret(e, r)


def normalised(resp, *ids_):
    """The problem minus what differs per request (instance, request_id) and
    with the ids the caller itself sent blanked in the detail."""
    body = dict(resp.body)
    body.pop("instance", None)
    body.pop("request_id", None)
    if "detail" in body:
        for i in ids_:
            body["detail"] = re.sub(re.escape(i), "<id>", body["detail"], flags=re.I)
    return body


def raw_normalised(resp, *ids_):
    """The raw body with the ids the caller sent and the request id blanked:
    what is left must be the same bytes for a hidden and an unknown id."""
    text = resp.text.replace(resp.body["request_id"], "<request-id>")
    for i in ids_:
        text = re.sub(re.escape(i), "<id>", text, flags=re.I)
    return text


def header_shape(resp):
    return sorted((k.lower(), v if k.lower() not in ("date", "x-request-id") else "")
                  for k, v in resp.headers.items())


def _probe_requests(nom_id, att_id, version):
    """(label, method, path, request kwargs) aimed at nomination nom_id."""
    n = f"/v1/nominations/{nom_id}"
    return [
        ("get", "GET", n, {}),
        ("patch", "PATCH", n, {"json": {"occupation": "钳工"},
                               "headers": {"If-Match": f'"{version}"'}}),
        ("withdraw", "POST", f"{n}/transitions", {"json": {"to": "withdrawn"}}),
        ("publicise", "POST", f"{n}/transitions",
         {"json": {"to": "unit_publicity",
                   "publicity_start": clock_support.clock().today().isoformat()}}),
        ("eligibility", "GET", f"{n}/eligibility", {}),
        ("attachments", "GET", f"{n}/attachments", {}),
        ("upload", "POST", f"{n}/attachments",
         {"params": {"kind": "other", "filename": "x.pdf"}, "data": pdf(),
          "headers": {"Content-Type": "application/pdf"}}),
        ("download", "GET", f"{n}/attachments/{att_id}", {}),
        ("delete file", "DELETE", f"{n}/attachments/{att_id}", {}),
    ]


def _nomination_state(db_url, nom_id):
    return support.psql_scalar(
        db_url,
        f"SELECT n.state || ':' || n.version || ':' || coalesce(n.occupation, '') || ':' ||"
        f"       (SELECT count(*) FROM attachments a WHERE a.nomination_id = n.id) || ':' ||"
        f"       (SELECT count(*) FROM nomination_transitions t WHERE t.nomination_id = n.id)"
        f"  FROM nominations n WHERE n.id = '{nom_id}'")


@pytest.mark.parametrize("who", ["unit_other", "office_out"])
def test_out_of_scope_404_is_identical_to_an_unknown_id(api, iso, db_url, who):
    e = iso
    caller = e.b if who == "unit_other" else e.office_out
    before = _nomination_state(db_url, e.a_draft["id"])
    audit_before = support.psql_scalar(db_url, "SELECT coalesce(max(seq), 0) FROM audit_events")
    real = _probe_requests(e.a_draft["id"], e.a_att["id"], e.a_draft["version"])
    rand_nom, rand_att = str(uuid.uuid4()), str(uuid.uuid4())
    fake = _probe_requests(rand_nom, rand_att, e.a_draft["version"])
    for (label, method, path, kw), (_, _, fpath, fkw) in zip(real, fake):
        # The scope comes first: an office user out of the programme gets
        # 404 on every probe, known id or not, writes included.
        r = api.request(method, path, token=caller.token, **kw)
        f = api.request(method, fpath, token=caller.token, **fkw)
        assert r.status_code == f.status_code, (label, r.text, f.text)
        assert r.status_code in (403, 404), (label, r.status_code, r.text)
        if who == "unit_other":
            assert r.status_code == 404, (label, r.text)
        assert normalised(r, e.a_draft["id"], e.a_att["id"]) == \
            normalised(f, rand_nom, rand_att), label
        assert raw_normalised(r, e.a_draft["id"], e.a_att["id"]) == \
            raw_normalised(f, rand_nom, rand_att), label
        assert header_shape(r) == header_shape(f), label
        assert_no_secret(e, r, allow=(e.a_draft["id"], e.a_att["id"]))
    assert _nomination_state(db_url, e.a_draft["id"]) == before
    assert support.psql_scalar(
        db_url, "SELECT coalesce(max(seq), 0) FROM audit_events") == audit_before


def test_another_units_file_is_unknown_under_ones_own_nomination(api, iso, db_url):
    e = iso
    own = f"/v1/nominations/{e.b_nom['id']}/attachments"
    rand = str(uuid.uuid4())
    for method in ("GET", "DELETE"):
        r = api.request(method, f"{own}/{e.a_att['id']}", token=e.b.token, expect=404)
        f = api.request(method, f"{own}/{rand}", token=e.b.token, expect=404)
        assert normalised(r, e.a_att["id"]) == normalised(f, rand), method
        assert raw_normalised(r, e.a_att["id"]) == raw_normalised(f, rand), method
        assert header_shape(r) == header_shape(f), method
    assert _nomination_state(db_url, e.a_draft["id"]).split(":")[3] == "1"
    # B's own file is there and A's list shows only A's.
    r = api.get(own, token=e.b.token, expect=200)
    assert ids(r.body["items"]) == [e.b_att["id"]]
    assert_no_secret(e, r)


def test_unit_cannot_reveal_or_learn_from_conflicts(api, factory, iso, db_url):
    e = iso
    # Only an office user may reveal; a unit gets 403 on another unit's id
    # exactly as on an unknown one (the role decides before the lookup).
    r = api.get(f"/v1/nominations/{e.a_draft['id']}", token=e.b.token,
                params={"reveal": "id_number"}, expect=403)
    f = api.get(f"/v1/nominations/{uuid.uuid4()}", token=e.b.token,
                params={"reveal": "id_number"}, expect=403)
    assert normalised(r) == normalised(f)
    # Nominating A's candidate again: 409, naming no unit and no nomination.
    before = int(support.psql_scalar(
        db_url, f"SELECT count(*) FROM nominations WHERE round_id = '{e.round['id']}'"))
    r = api.post(f"/v1/rounds/{e.round['id']}/nominations", token=e.b.token, expect=409,
                 json=factory.nomination_body(id_number=e.a_idn))
    assert r.body["type"] == "urn:jiangxin:problem:conflict"
    assert_no_secret(e, r)
    assert int(support.psql_scalar(
        db_url, f"SELECT count(*) FROM nominations WHERE round_id = '{e.round['id']}'")) == before
    # B's own eligibility checklist says nothing about A's nominations.
    r = api.get(f"/v1/nominations/{e.b_nom['id']}/eligibility", token=e.b.token, expect=200)
    assert {c["check"]: c["result"] for c in r.body["checks"]}["one_per_round"] == "pass"
    assert_no_secret(e, r)


def test_another_units_idempotency_keys_replay_nothing(api, iso, db_url):
    """Keys belong to their caller: B sending A's keys with A's requests gets
    its own answers (404, 409), never a replay of A's 201."""
    e = iso
    before = _nomination_state(db_url, e.a_keyed["id"])
    r = api.post(f"/v1/nominations/{e.a_keyed['id']}/attachments", token=e.b.token,
                 params={"kind": "other", "filename": "x.pdf"}, data=e.keyed_file,
                 headers={"Content-Type": "application/pdf", "Idempotency-Key": e.upload_key},
                 expect=404)
    assert r.headers.get("Idempotent-Replayed") is None
    assert_no_secret(e, r, allow=(e.a_keyed["id"],))
    r = api.post(f"/v1/rounds/{e.round['id']}/nominations", token=e.b.token,
                 json=e.keyed_body, headers={"Idempotency-Key": e.create_key}, expect=409)
    assert r.headers.get("Idempotent-Replayed") is None
    assert_no_secret(e, r)
    assert _nomination_state(db_url, e.a_keyed["id"]) == before
    # A's own replay still answers A's upload.
    r = api.post(f"/v1/nominations/{e.a_keyed['id']}/attachments", token=e.a.token,
                 params={"kind": "other", "filename": "x.pdf"}, data=e.keyed_file,
                 headers={"Content-Type": "application/pdf", "Idempotency-Key": e.upload_key},
                 expect=201)
    assert r.headers.get("Idempotent-Replayed") == "true"
    assert r.body["id"] == e.a_keyed_att["id"]
