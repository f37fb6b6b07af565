# SPDX-License-Identifier: MIT
"""The hash-chained audit log: every mutation writes one event with the
actor and before/after; refused requests write none; the list filters and
pages newest first; /v1/audit/verify checks the chain, notices tampering by
the database superuser, and the application role cannot rewrite history."""

import re
import uuid

import pytest

import support
from support import etag_of

HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _events(api, token, **filters):
    q = "&".join(f"{k}={v}" for k, v in filters.items())
    return support.list_all(api, f"/v1/audit?{q}" if q else "/v1/audit", token)


def _one_event(api, token, rid, entity_id):
    """The single audit event written by request `rid` about `entity_id`."""
    events = [e for e in _events(api, token, entity_id=entity_id) if e["request_id"] == rid]
    assert len(events) == 1, f"expected one audit event for request {rid}, got {events}"
    return events[0]


def _check_actor(ev, me):
    assert ev["actor_id"] == me["id"]
    assert ev["actor"] == me["username"]
    assert ev["role"] == me["role"]


def test_unit_create_and_update_are_audited(api, admin_token, admin_me):
    rid = "it-audit-unit-c-" + support.rand_hex(8)
    r = api.post("/v1/units", token=admin_token, headers={"X-Request-Id": rid},
                 json={"code": support.new_uscc(), "name": "审计测试单位", "kind": "agency"},
                 expect=201)
    unit = r.body
    ev = _one_event(api, admin_token, rid, unit["id"])
    _check_actor(ev, admin_me)
    assert ev["entity_id"] == unit["id"]
    assert ev["before"] is None
    assert ev["after"] == unit
    rid2 = "it-audit-unit-u-" + support.rand_hex(8)
    r2 = api.patch(f"/v1/units/{unit['id']}", token=admin_token, json={"name": "审计改名"},
                   headers={"If-Match": etag_of(r), "X-Request-Id": rid2}, expect=200)
    ev2 = _one_event(api, admin_token, rid2, unit["id"])
    assert ev2["entity_type"] == ev["entity_type"] and ev2["entity_id"] == unit["id"]
    assert ev2["action"] != ev["action"]
    assert ev2["before"] == unit and ev2["after"] == r2.body
    assert ev2["seq"] > ev["seq"]
    # Filters find both, newest first.
    listed = _events(api, admin_token, entity_type=ev["entity_type"], entity_id=unit["id"])
    assert [e["seq"] for e in listed] == [ev2["seq"], ev["seq"]]
    only_create = _events(api, admin_token, entity_id=unit["id"], action=ev["action"])
    assert [e["seq"] for e in only_create] == [ev["seq"]]


def test_user_mutations_are_audited_without_secrets(api, admin_token, admin_me):
    password = support.new_password()
    rid_c = "it-audit-user-c-" + support.rand_hex(8)
    r = api.post("/v1/users", token=admin_token, headers={"X-Request-Id": rid_c},
                 json={"username": f"t-expert-{support.rand_hex(10)}", "password": password,
                       "role": "expert"}, expect=201)
    uid = r.body["id"]
    new_password = support.new_password()
    rid_u = "it-audit-user-u-" + support.rand_hex(8)
    r2 = api.patch(f"/v1/users/{uid}", token=admin_token, json={"password": new_password},
                   headers={"If-Match": etag_of(r), "X-Request-Id": rid_u}, expect=200)
    rid_d = "it-audit-user-d-" + support.rand_hex(8)
    api.delete(f"/v1/users/{uid}", token=admin_token, headers={"X-Request-Id": rid_d},
               expect=204)
    created, updated, deleted = (_one_event(api, admin_token, x, uid)
                                 for x in (rid_c, rid_u, rid_d))
    for ev in (created, updated, deleted):
        _check_actor(ev, admin_me)
        assert ev["entity_id"] == uid
        text = str(ev)
        assert password not in text and new_password not in text
        assert "argon2" not in text and "password_hash" not in text
    assert created["before"] is None and created["after"] == r.body
    assert updated["before"] == r.body and updated["after"] == r2.body
    assert deleted["before"] == r2.body
    assert len({created["action"], updated["action"], deleted["action"]}) == 3


def test_refused_requests_write_no_audit_event(api, admin_token, factory, db_count):
    unit = factory.unit()
    before = db_count("audit_events")
    api.post("/v1/units", token=admin_token,
             json={"code": unit["code"], "name": "重复", "kind": "other"}, expect=409)
    api.patch(f"/v1/units/{unit['id']}", token=admin_token, json={"name": "x"},
              headers={"If-Match": '"42"'}, expect=412)
    api.patch(f"/v1/units/{unit['id']}", token=admin_token, json={"kind": "castle"},
              headers={"If-Match": '"1"'}, expect=422)
    api.get(f"/v1/units/{unit['id']}", token=admin_token, expect=200)
    assert db_count("audit_events") == before


def test_audit_list_pages_newest_first(api, admin_token, factory):
    for _ in range(3):
        factory.unit()
    r = api.get("/v1/audit?limit=2", token=admin_token, expect=200)
    first = r.body["items"]
    assert len(first) == 2 and first[0]["seq"] > first[1]["seq"]
    assert r.body["next_cursor"]
    r2 = api.get("/v1/audit", params={"limit": 2, "cursor": r.body["next_cursor"]},
                 token=admin_token, expect=200)
    assert r2.body["items"][0]["seq"] < first[1]["seq"]
    assert 'rel="next"' in r.headers.get("Link", "")


def test_auditor_can_read_and_verify(api, factory):
    auditor = factory.user("auditor")
    api.get("/v1/audit?limit=1", token=auditor.token, expect=200)
    assert api.get("/v1/audit/verify", token=auditor.token, expect=200).body["ok"] is True


@pytest.mark.parametrize("query", ["limit=0", "limit=500", "cursor=!!", "limit=ten"])
def test_bad_audit_parameters_are_400(api, admin_token, query):
    api.get(f"/v1/audit?{query}", token=admin_token, expect=400)


def _verify(api, token):
    return api.get("/v1/audit/verify", token=token, expect=200).body


def test_verify_ok_and_matches_the_database(api, admin_token, factory, db_url):
    factory.unit()
    v = _verify(api, admin_token)
    assert v["ok"] is True and v["first_broken"] is None
    head = support.psql_scalar(
        db_url, "SELECT seq || ' ' || encode(hash, 'hex') FROM audit_events "
                "ORDER BY seq DESC LIMIT 1").split()
    assert v["head_seq"] == int(head[0]) and v["head_hash"] == head[1]
    assert v["checked"] == v["head_seq"]
    assert HEX64.match(v["head_hash"])


def test_events_chain_their_hashes(api, admin_token, factory):
    factory.unit()
    factory.unit()
    items = api.get("/v1/audit?limit=5", token=admin_token, expect=200).body["items"]
    for newer, older in zip(items, items[1:]):
        assert newer["seq"] == older["seq"] + 1
        assert newer["prev_hash"] == older["hash"]


def _tamper(superuser_url, sql):
    support.psql(superuser_url, "SET session_replication_role = replica; " + sql)


def test_verify_detects_a_tampered_event(api, admin_token, factory, superuser_url):
    unit = factory.unit()
    factory.unit()  # so the tampered event is not the head
    ev = _events(api, admin_token, entity_id=unit["id"])[0]
    seq, action = ev["seq"], ev["action"]
    assert "'" not in action
    try:
        _tamper(superuser_url, f"UPDATE audit_events SET action = 'tampered' WHERE seq = {seq}")
        v = _verify(api, admin_token)
        assert v["ok"] is False
        assert v["first_broken"] == {"seq": seq, "reason": "hash_mismatch"}
    finally:
        _tamper(superuser_url, f"UPDATE audit_events SET action = '{action}' WHERE seq = {seq}")
    v = _verify(api, admin_token)
    assert v["ok"] is True and v["first_broken"] is None


def test_verify_detects_a_removed_event(api, admin_token, factory, superuser_url):
    unit = factory.unit()
    factory.unit()
    ev = _events(api, admin_token, entity_id=unit["id"])[0]
    seq = ev["seq"]
    backup = f"it_audit_backup_{uuid.uuid4().hex[:8]}"
    support.psql(superuser_url, f"CREATE TABLE {backup} AS SELECT * FROM audit_events "
                                f"WHERE seq = {seq}")
    try:
        _tamper(superuser_url, f"DELETE FROM audit_events WHERE seq = {seq}")
        v = _verify(api, admin_token)
        assert v["ok"] is False
        assert v["first_broken"]["seq"] in (seq, seq + 1), v
        assert v["first_broken"]["reason"] in ("gap", "prev_hash_mismatch"), v
    finally:
        _tamper(superuser_url, f"INSERT INTO audit_events SELECT * FROM {backup} "
                               f"WHERE NOT EXISTS (SELECT 1 FROM audit_events WHERE seq = {seq})")
        support.psql(superuser_url, f"DROP TABLE {backup}")
    assert _verify(api, admin_token)["ok"] is True


@pytest.mark.parametrize("sql", [
    "UPDATE audit_events SET action = 'x' WHERE seq = (SELECT max(seq) FROM audit_events)",
    "DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)",
    "TRUNCATE audit_events",
    "SET session_replication_role = replica",
    "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update",
    "ALTER TABLE audit_events DISABLE TRIGGER ALL",
])
def test_app_role_cannot_rewrite_audit(api, admin_token, factory, db_url, sql):
    factory.unit()
    before = _verify(api, admin_token)
    proc = support.psql(db_url, sql, check=False)
    assert proc.returncode != 0, f"the app role could run: {sql}"
    after = _verify(api, admin_token)
    assert after["ok"] is True
    assert (after["head_seq"], after["head_hash"]) == (before["head_seq"], before["head_hash"])
