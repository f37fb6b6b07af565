# SPDX-License-Identifier: MIT
"""Issue 12, "Corrections to intake first", the last two bullets.

Paper submissions: the office enters a nomination on a unit's behalf
(POST /v1/rounds/{id}/nominations with unit_id). It is the unit's
nomination (the unit lists and reads it) and records that the office
entered it (`entry`). The office takes the unit's steps of its own entries
(publicity, approval, submission; edits and files too), each recorded as on
behalf of the unit in the history and the audit log; it may not take them on
a nomination the unit entered itself (403 unit_entered_nomination).
api/model/entry.c.

The leader reads rounds, nominations (masked), the files' list and the
checklist in the programmes of its scope (all of them when it has none),
404 outside it, and writes nothing (api/routes.def, api/ops/scope.c)."""

import json
import types
import uuid

import pytest

import clock_support
import support

MASKED_ID = r"^[0-9]{3}\*{11}[0-9]{3}[0-9X]$"


def pdf():
    return b"%PDF-1.4\n%entry " + support.rand_hex(16).encode() + b"\n%%EOF\n"


def upload(api, token, nom_id, *, kind="other", expect=201):
    return api.post(f"/v1/nominations/{nom_id}/attachments", token=token,
                    params={"kind": kind, "filename": "scan.pdf"}, data=pdf(),
                    headers={"Content-Type": "application/pdf"}, expect=expect)


def move(api, user, nom_id, to, expect=200, **body):
    return api.post(f"/v1/nominations/{nom_id}/transitions", token=user.token,
                    json=dict(body, to=to), expect=expect)


def audit_of(db_url, nom_id):
    """The nomination's audit events: [(action, role, after)] in order."""
    text = support.psql_scalar(
        db_url,
        "SELECT coalesce(json_agg(json_build_object('action', action, 'role', role,"
        "  'after', after) ORDER BY seq), '[]') FROM audit_events"
        f" WHERE entity_type = 'nomination' AND entity_id = '{nom_id}'")
    return json.loads(text)


def state_of(db_url, round_id):
    """Everything a refused call could change in the round, in one read."""
    return support.psql_scalar(
        db_url,
        "SELECT (SELECT count(*) FROM nominations WHERE round_id = '" + round_id + "') || ':' ||"
        " (SELECT coalesce(string_agg(n.state || '/' || n.version || '/' ||"
        "    coalesce(n.occupation, ''), ',' ORDER BY n.id), '') FROM nominations n"
        "   WHERE n.round_id = '" + round_id + "') || ':' ||"
        " (SELECT count(*) FROM nomination_transitions t JOIN nominations n"
        "    ON n.id = t.nomination_id WHERE n.round_id = '" + round_id + "') || ':' ||"
        " (SELECT count(*) FROM attachments a JOIN nominations n"
        "    ON n.id = a.nomination_id WHERE n.round_id = '" + round_id + "') || ':' ||"
        " (SELECT coalesce(max(seq), 0) FROM audit_events)")


@pytest.fixture
def w(api, factory):
    """A programme (Lanshan policy: unit publicity with its evidence), its
    office, an accepting round, a unit with its user and another unit."""
    s = types.SimpleNamespace()
    s.programme = factory.programme()
    s.office = factory.office(s.programme)
    s.round = factory.round(s.programme, s.office, phase="accepting")
    s.unit = factory.unit(name=f"纸质报送单位-{support.rand_hex(6)}")
    s.unit_user = factory.user("unit", unit_id=s.unit["id"])
    s.other = factory.user("unit")
    s.path = f"/v1/rounds/{s.round['id']}/nominations"
    return s


def office_entry(api, factory, w, **changes):
    body = factory.nomination_body(unit_id=w.unit["id"], **changes)
    return api.post(w.path, token=w.office.token, json=body, expect=201).body, body


# ----------------------------------------------------------- paper submissions
def test_office_enters_a_nomination_for_a_unit_which_sees_it(api, factory, w, db_url):
    n, body = office_entry(api, factory, w)
    assert n["unit_id"] == w.unit["id"] and n["unit_name"] == w.unit["name"]
    assert n["state"] == "draft"
    assert n["entry"] == {"by": "office", "user": w.office.id}
    assert n["id_number"] == support.mask_id(body["id_number"])
    assert body["id_number"] not in json.dumps(n)
    assert n["history"][0]["role"] == "office"
    assert n["history"][0]["on_behalf_of"] == w.unit["id"]
    # The unit sees it in its list and reads it; another unit does not.
    items = api.get(w.path, token=w.unit_user.token, expect=200).body["items"]
    assert [(x["id"], x["entry"]["by"]) for x in items] == [(n["id"], "office")]
    got = api.get(f"/v1/nominations/{n['id']}", token=w.unit_user.token, expect=200).body
    assert got["entry"] == {"by": "office", "user": w.office.id}
    assert api.get(w.path, token=w.other.token, expect=200).body["items"] == []
    api.get(f"/v1/nominations/{n['id']}", token=w.other.token, expect=404)
    # The unit's own entries say so.
    own = factory.nomination(w.round["id"], w.unit_user)
    assert own["entry"] == {"by": "unit", "user": w.unit_user.id}
    assert own["history"][0]["on_behalf_of"] is None
    # The audit event records the office entering it for the unit.
    events = audit_of(db_url, n["id"])
    assert [(e["action"], e["role"]) for e in events] == [("nomination.create", "office")]
    assert events[0]["after"]["entry"] == {"by": "office", "user": w.office.id}
    assert events[0]["after"]["history"][0]["on_behalf_of"] == w.unit["id"]


def test_office_takes_the_unit_steps_of_its_own_entry(api, factory, w, db_url):
    n, _ = office_entry(api, factory, w, occupation="车工")
    p = f"/v1/nominations/{n['id']}"
    # The office corrects its entry and adds the scanned paper as evidence.
    n = api.patch(p, token=w.office.token, json={"occupation": "钳工"},
                  headers={"If-Match": f'"{n["version"]}"'}, expect=200).body
    assert n["occupation"] == "钳工"
    scan = upload(api, w.office.token, n["id"]).body
    # Publicity (with its evidence) and approval by the rules, then submission.
    approved = clock_support.publicise(api, w.office, n["id"])
    assert approved["state"] == "unit_approved"
    s = move(api, w.office, n["id"], "submitted").body
    assert s["state"] == "submitted" and s["eligibility"] is not None
    steps = [(h["to"], h["role"], h["on_behalf_of"]) for h in s["history"]]
    assert steps == [("draft", "office", w.unit["id"]),
                     ("unit_publicity", "office", w.unit["id"]),
                     ("unit_approved", "office", w.unit["id"]),
                     ("submitted", "office", w.unit["id"])]
    # Each step is audited as the office's, on behalf of the unit.
    moves = [e for e in audit_of(db_url, n["id"]) if e["action"] == "nomination.transition"]
    assert [(e["role"], e["after"]["history"][-1]["to"],
             e["after"]["history"][-1]["on_behalf_of"]) for e in moves] == \
        [("office", "unit_publicity", w.unit["id"]), ("office", "unit_approved", w.unit["id"]),
         ("office", "submitted", w.unit["id"])]
    assert any(e["action"] == "nomination.update" and e["role"] == "office"
               for e in audit_of(db_url, n["id"]))
    # The unit reads the result, file included.
    files = api.get(f"{p}/attachments", token=w.unit_user.token, expect=200).body["items"]
    assert scan["id"] in [f["id"] for f in files]


def test_the_unit_may_still_take_its_steps_on_an_office_entry(api, factory, w):
    n, _ = office_entry(api, factory, w)
    today = clock_support.clock().today().isoformat()
    r = move(api, w.unit_user, n["id"], "unit_publicity", publicity_start=today).body
    assert r["state"] == "unit_publicity"
    assert r["history"][-1]["role"] == "unit" and r["history"][-1]["on_behalf_of"] is None


def test_office_may_not_take_the_unit_steps_of_a_unit_entry(api, factory, w, db_url):
    n = factory.nomination(w.round["id"], w.unit_user)
    att = upload(api, w.unit_user.token, n["id"]).body
    p = f"/v1/nominations/{n['id']}"
    today = clock_support.clock().today().isoformat()
    before = state_of(db_url, w.round["id"])
    refusals = [
        move(api, w.office, n["id"], "unit_publicity", expect=403, publicity_start=today),
        move(api, w.office, n["id"], "withdrawn", expect=403),
        api.patch(p, token=w.office.token, json={"occupation": "钳工"},
                  headers={"If-Match": f'"{n["version"]}"'}, expect=403),
        upload(api, w.office.token, n["id"], expect=403),
        api.delete(f"{p}/attachments/{att['id']}", token=w.office.token, expect=403),
    ]
    for r in refusals:
        assert r.body["type"] == "urn:jiangxin:problem:forbidden"
        assert r.body["code"] == "unit_entered_nomination", r.body
        assert r.body["detail"]
    assert state_of(db_url, w.round["id"]) == before
    # The office's own steps on it are as before (qualification review).
    assert api.get(p, token=w.office.token, expect=200).body["state"] == "draft"


@pytest.mark.parametrize("case", ["office-no-unit", "unit-sends-unit", "unknown-unit",
                                  "malformed-unit", "unit-not-a-string", "with-bad-id"])
def test_bad_entry_input_is_a_problem_and_changes_nothing(api, factory, w, db_url, case):
    body = factory.nomination_body()
    token, want = w.office.token, {}
    if case == "office-no-unit":
        want = {"/unit_id": "unit_id_required"}
    elif case == "unit-sends-unit":
        token = w.unit_user.token
        body["unit_id"] = w.unit["id"]
        want = {"/unit_id": "unit_id_not_allowed"}
    elif case == "unknown-unit":
        body["unit_id"] = str(uuid.uuid4())
        want = {"/unit_id": "unknown_unit"}
    elif case == "malformed-unit":
        body["unit_id"] = w.unit["id"].upper()
        want = {"/unit_id": "not_uuid"}
    elif case == "unit-not-a-string":
        body["unit_id"] = 7
        want = {"/unit_id": None}
    else:  # every fault at once
        body["id_number"] = body["id_number"][:-1] + ("0" if body["id_number"][-1] != "0"
                                                      else "1")
        want = {"/unit_id": "unit_id_required", "/id_number": None}
    before = state_of(db_url, w.round["id"])
    r = api.post(w.path, token=token, json=body, expect=422)
    assert r.headers["Content-Type"].startswith("application/problem+json")
    got = {e["pointer"]: e.get("code") for e in r.body["errors"]}
    assert set(got) == set(want), r.body
    for pointer, code in want.items():
        if code is not None:
            assert got[pointer] == code
            item = next(e for e in r.body["errors"] if e["pointer"] == pointer)
            assert item["detail"]
    assert state_of(db_url, w.round["id"]) == before


def test_office_enters_only_in_its_programmes(api, factory, w, db_url):
    other_office = factory.office(factory.programme())
    before = state_of(db_url, w.round["id"])
    r = api.post(w.path, token=other_office.token, expect=404,
                 json=factory.nomination_body(unit_id=w.unit["id"]))
    assert r.body["type"] == "urn:jiangxin:problem:not-found"
    assert state_of(db_url, w.round["id"]) == before


# ----------------------------------------------------------------- the leader
@pytest.fixture
def lw(api, factory, w):
    """w with a unit's nomination carrying a file, and three leaders: scoped
    to the programme, scoped to another, and with no scope (all)."""
    w.idn = support.new_id_number()
    w.nom = factory.nomination(w.round["id"], w.unit_user, id_number=w.idn)
    w.att = upload(api, w.unit_user.token, w.nom["id"]).body
    w.leader = factory.user("leader", programmes=[w.programme])
    w.leader_out = factory.user("leader", programmes=[factory.programme()])
    w.leader_all = factory.user("leader")
    return w


def reads(w):
    n = f"/v1/nominations/{w.nom['id']}"
    return [f"/v1/programmes/{w.programme}/rounds", f"/v1/rounds/{w.round['id']}", w.path, n,
            f"{n}/eligibility", f"{n}/attachments"]


def test_leader_reads_in_its_scope_masked(api, lw):
    w = lw
    for leader in (w.leader, w.leader_all):
        rounds, rnd, lst, nom, elig, files = [api.get(p, token=leader.token, expect=200)
                                              for p in reads(w)]
        assert [x["id"] for x in rounds.body["items"]] == [w.round["id"]]
        assert rnd.body["id"] == w.round["id"] and rnd.body["counts"]["draft"] == 1
        assert [x["id"] for x in lst.body["items"]] == [w.nom["id"]]
        assert nom.body["id_number"] == support.mask_id(w.idn)
        assert lst.body["items"][0]["id_number"] == support.mask_id(w.idn)
        assert {c["check"] for c in elig.body["checks"]} >= {"evidence"}
        assert [f["id"] for f in files.body["items"]] == [w.att["id"]]
        for r in (rounds, rnd, lst, nom, elig, files):
            assert w.idn not in r.text
        # Never the whole ID number, never a file's bytes.
        r = api.get(f"/v1/nominations/{w.nom['id']}", token=leader.token,
                    params={"reveal": "id_number"}, expect=403)
        assert w.idn not in r.text
        r = api.get(f"/v1/nominations/{w.nom['id']}/attachments/{w.att['id']}",
                    token=leader.token, expect=403)
        assert r.body["type"] == "urn:jiangxin:problem:forbidden"


def test_leader_out_of_scope_gets_404_as_for_an_unknown_id(api, lw):
    w = lw
    for p in reads(w):
        r = api.get(p, token=w.leader_out.token, expect=404)
        assert r.body["type"] == "urn:jiangxin:problem:not-found"
        assert w.idn not in r.text and w.unit["id"] not in r.text
    api.get(f"/v1/rounds/{uuid.uuid4()}", token=w.leader.token, expect=404)


def test_leader_writes_nothing(api, factory, lw, db_url):
    w = lw
    n = f"/v1/nominations/{w.nom['id']}"
    today = clock_support.clock().today().isoformat()
    writes = [
        ("POST", f"/v1/programmes/{w.programme}/rounds",
         {"json": {"year": 2030, "reference_date": "2030-12-31", "window_opens": "2030-01-05",
                   "window_closes": "2030-12-31"}}),
        ("POST", f"/v1/rounds/{w.round['id']}/transitions", {"json": {"to": "qualification"}}),
        ("POST", w.path, {"json": factory.nomination_body(unit_id=w.unit["id"])}),
        ("POST", w.path, {"json": factory.nomination_body()}),
        ("PATCH", n, {"json": {"occupation": "钳工"},
                      "headers": {"If-Match": f'"{w.nom["version"]}"'}}),
        ("POST", f"{n}/transitions", {"json": {"to": "unit_publicity",
                                               "publicity_start": today}}),
        ("POST", f"{n}/transitions", {"json": {"to": "withdrawn"}}),
        ("POST", f"{n}/attachments", {"params": {"kind": "other", "filename": "x.pdf"},
                                      "data": pdf(),
                                      "headers": {"Content-Type": "application/pdf"}}),
        ("DELETE", f"{n}/attachments/{w.att['id']}", {}),
        ("POST", f"/v1/rounds/{w.round['id']}/vote-session", {"json": {}}),
    ]
    before = state_of(db_url, w.round["id"])
    for leader in (w.leader, w.leader_all):
        for method, path, kw in writes:
            r = api.request(method, path, token=leader.token, **kw)
            assert r.status_code == 403, (method, path, r.text)
            assert r.body["type"] == "urn:jiangxin:problem:forbidden"
    assert state_of(db_url, w.round["id"]) == before
