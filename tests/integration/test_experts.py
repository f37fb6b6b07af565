# SPDX-License-Identifier: MIT
"""Review experts (issue 12, "Experts and panels"; 岚山 第五条（三）, 环翠 第十条（四）):
profiles managed by admin and office, read by leader and by the expert
itself (an office user: only the experts of its programmes); declared relations to candidates stored as the keyed hash of the ID
number only (the nominations' hash), never the number; the expert pool the
review draw reads (db/functions/08_experts.sql). Every bad input is a
problem that changes nothing, every change an audit event, and an expert
never sees another expert's profile or relations."""

import json
import types

import pytest

import support
from support import ROLES

ANON = "anonymous"
SAMPLE = support.SAMPLE_ID


def profile_body(**changes):
    body = {
        "name": "测试专家",
        "fields": ["数控车工", "车工"],
        "employer_name": f"专家单位-{support.rand_hex(6)}",
        "employer_code": support.new_uscc(),
        "title": "高级技师",
        "specialty": "精密零件数控加工",
        "active": True,
        "programmes": ["lanshan-craftsman"],
    }
    body.update(changes)
    return body


def new_expert(api, factory, token=None, **changes):
    """An expert user with a profile (created by the admin unless `token`)."""
    user = factory.user("expert")
    body = profile_body(**changes)
    r = api.put(f"/v1/experts/{user.id}", token=token or factory.admin.get(), json=body,
                expect=201)
    user.profile = r.body
    user.body_sent = body
    return user


def audit_actions(db_url, entity_type, entity_id):
    out = support.psql_scalar(
        db_url, "SELECT coalesce(string_agg(action, ',' ORDER BY seq), '') FROM audit_events"
                f" WHERE entity_type = '{entity_type}' AND entity_id = '{entity_id}'")
    return out.split(",") if out else []


def audit_max(db_url):
    """The number of audit events about experts (other tests' background
    work may append others meanwhile)."""
    return int(support.psql_scalar(
        db_url, "SELECT count(*) FROM audit_events WHERE entity_type LIKE 'expert%'"))


def expert_rows(db_url, user_id):
    """The stored profile, programmes and relations of one expert, as text."""
    return support.psql_scalar(db_url, f"""
        SELECT concat_ws('|',
            (SELECT e::text FROM expert_profiles e WHERE user_id = '{user_id}'),
            (SELECT string_agg(ep::text, ',' ORDER BY ep::text) FROM expert_programmes ep
              WHERE user_id = '{user_id}'),
            (SELECT string_agg(r::text, ',' ORDER BY r.id) FROM expert_relations r
              WHERE expert_id = '{user_id}'))""")


# ------------------------------------------------------------------ profiles
def test_create_read_replace_with_etag_and_audit(api, factory, admin_token, db_url):
    user = factory.user("expert")
    body = profile_body()
    r = api.put(f"/v1/experts/{user.id}", token=admin_token, json=body, expect=201)
    assert r.headers["Location"] == f"/v1/experts/{user.id}"
    assert r.headers["ETag"] == '"1"'
    p = r.body
    assert p["user_id"] == user.id and p["username"] == user.username
    assert p["fields"] == body["fields"] and p["employer_code"] == body["employer_code"]
    assert p["programmes"] == ["lanshan-craftsman"] and p["active"] is True

    assert api.get(f"/v1/experts/{user.id}", token=admin_token, expect=200).body == p
    assert api.get("/v1/me/expert-profile", token=user.token, expect=200).body == p

    # Replacing needs If-Match: none → 428, stale → 412, nothing changed.
    changed = dict(body, fields=["焊工"], active=False, title=None)
    before = expert_rows(db_url, user.id)
    r = api.put(f"/v1/experts/{user.id}", token=admin_token, json=changed, expect=428)
    assert r.body["code"] == "profile_exists"
    api.put(f"/v1/experts/{user.id}", token=admin_token, json=changed,
            headers={"If-Match": '"7"'}, expect=412)
    assert expert_rows(db_url, user.id) == before

    r = api.put(f"/v1/experts/{user.id}", token=admin_token, json=changed,
                headers={"If-Match": '"1"'}, expect=200)
    assert r.body["fields"] == ["焊工"] and r.body["active"] is False
    assert r.body["title"] is None and r.body["version"] == 2 and r.headers["ETag"] == '"2"'
    assert audit_actions(db_url, "expert", user.id) == ["expert.create", "expert.update"]


def test_office_and_leader_read_and_filter(api, factory, db_url):
    office = factory.user("office")
    leader = factory.user("leader")
    label = f"工种{support.rand_hex(6)}"
    a = new_expert(api, factory, token=office.token, fields=[label],
                   programmes=["huancui-chief-technician"])
    b = new_expert(api, factory, fields=[label, "钳工"], active=False)
    assert audit_actions(db_url, "expert", a.id) == ["expert.create"]
    for who in (office, leader):
        got = support.list_all(api, f"/v1/experts?field={label}", token=who.token)
        assert {e["user_id"] for e in got} == {a.id, b.id}
        got = support.list_all(api, f"/v1/experts?field={label}&active=false", token=who.token)
        assert [e["user_id"] for e in got] == [b.id]
        got = support.list_all(api, f"/v1/experts?field={label}&programme=huancui-chief-technician",
                               token=who.token)
        assert [e["user_id"] for e in got] == [a.id]
        assert api.get(f"/v1/experts/{a.id}", token=who.token, expect=200).body["name"] == "测试专家"
    r = api.get("/v1/experts?active=yes", token=office.token, expect=400)
    assert r.body["code"] == "bad_boolean"
    # Paging: one at a time, every expert once.
    r = api.get(f"/v1/experts?field={label}&limit=1", token=office.token, expect=200)
    assert len(r.body["items"]) == 1 and r.body["next_cursor"]


def test_an_office_user_sees_only_the_experts_of_its_programmes(api, factory, db_url):
    """The experts' scope (ops/experts.c expert_scope_codes): an office user
    lists and reads only the experts whose profile names one of its
    programmes; any other answers 404 exactly like an unknown id, on every
    route that takes an expert's id. So does a leader given programmes (the
    rule of rounds); admin and a leader given none see every expert."""
    a, b = factory.programme(), factory.programme()
    office_a = factory.office(a)
    label = f"工种{support.rand_hex(6)}"
    only_a = new_expert(api, factory, fields=[label], programmes=[a])
    only_b = new_expert(api, factory, fields=[label], programmes=[b])
    both = new_expert(api, factory, fields=[label], programmes=sorted([a, b]))
    none = new_expert(api, factory, fields=[label], programmes=[])
    rel = api.post(f"/v1/experts/{only_b.id}/relations", token=factory.admin.get(), expect=201,
                   json={"kind": "family", "id_number": support.new_id_number()}).body

    def listed(token, query=""):
        return {e["user_id"] for e in
                support.list_all(api, f"/v1/experts?field={label}{query}", token=token, limit=1)}

    assert listed(office_a.token) == {only_a.id, both.id}
    assert listed(office_a.token, f"&programme={b}") == {both.id}
    assert listed(factory.office(b).token) == {only_b.id, both.id}
    everyone = {only_a.id, only_b.id, both.id, none.id}
    for who in (factory.admin.get(), factory.user("leader").token):
        assert listed(who) == everyone
    leader_b = factory.user("leader", programmes=[b])
    assert listed(leader_b.token) == {only_b.id, both.id}
    api.get(f"/v1/experts/{only_a.id}", token=leader_b.token, expect=404)
    assert api.get(f"/v1/experts/{both.id}", token=leader_b.token, expect=200).body["name"]
    for x in (only_a, both):
        assert api.get(f"/v1/experts/{x.id}", token=office_a.token, expect=200).body["name"]
    # Out of scope is not found, like an id that does not exist.
    unknown = api.get(f"/v1/experts/{SAMPLE}", token=office_a.token, expect=404).body
    before, seq = expert_rows(db_url, only_b.id), audit_max(db_url)
    for x in (only_b, none):
        r = api.get(f"/v1/experts/{x.id}", token=office_a.token, expect=404).body
        assert (r["type"], r["title"], r["code"]) == (unknown["type"], unknown["title"],
                                                      unknown["code"])
        assert x.profile["employer_code"] not in json.dumps(r, ensure_ascii=False)
    for method, path in (("GET", f"/v1/experts/{only_b.id}/relations"),
                         ("GET", f"/v1/experts/{only_b.id}/relations/{rel['id']}"),
                         ("DELETE", f"/v1/experts/{only_b.id}/relations/{rel['id']}")):
        r = api.request(method, path, token=office_a.token, expect=404).body
        assert r["type"] == unknown["type"] and rel["id"] not in r["detail"], path
    api.post(f"/v1/experts/{only_b.id}/relations", token=office_a.token, expect=404,
             json={"kind": "other", "id_number": support.new_id_number()})
    assert expert_rows(db_url, only_b.id) == before and audit_max(db_url) == seq
    assert api.get(f"/v1/experts/{only_b.id}", token=factory.admin.get(), expect=200)


def _bad(api, token, user_id, body, db_url, status=422, headers=None):
    before, seq = expert_rows(db_url, user_id), audit_max(db_url)
    r = api.put(f"/v1/experts/{user_id}", token=token, json=body, headers=headers or {},
                expect=status)
    assert expert_rows(db_url, user_id) == before
    assert audit_max(db_url) == seq
    return r.body


def test_every_bad_profile_value_at_once_changes_nothing(api, factory, admin_token, db_url):
    user = factory.user("expert")
    code = support.new_uscc()
    body = profile_body(
        employer_code=support.wrong_check(code),
        fields=["数控车工", " 焊工", "数控车工", "x" * 51, 7],
        programmes=["lanshan-craftsman", "no-such-programme"],
        employer_unit_id=SAMPLE,
    )
    p = _bad(api, admin_token, user.id, body, db_url)
    found = {(e["pointer"], e["code"]) for e in p["errors"]}
    assert found == {
        ("/employer_code", "unit_code_check_character"),
        ("/fields/1", "field_label"),
        ("/fields/2", "duplicate_field"),
        ("/fields/3", "field_label"),
        ("/fields/4", "wrong_type"),
    }, found
    # The database's checks come after the body's, again all at once.
    p = _bad(api, admin_token, user.id,
             profile_body(programmes=["no-such-programme"], employer_unit_id=SAMPLE), db_url)
    assert {(e["pointer"], e["code"]) for e in p["errors"]} == {
        ("/programmes", "unknown_programme"), ("/employer_unit_id", "unknown_unit")}
    p = _bad(api, admin_token, user.id, profile_body(employer_code=code.lower()), db_url)
    assert [e["code"] for e in p["errors"]] == ["unit_code_lower_case"]
    p = _bad(api, admin_token, user.id,
             profile_body(programmes=["lanshan-craftsman", "lanshan-craftsman"]), db_url)
    assert [e["code"] for e in p["errors"]] == ["programmes_not_distinct"]
    p = _bad(api, admin_token, user.id, dict(profile_body(), phone="13800138000"), db_url,
             status=400)
    assert p["type"] == "urn:jiangxin:problem:unknown-field"
    body = profile_body()
    del body["fields"], body["employer_code"]
    p = _bad(api, admin_token, user.id, body, db_url)
    assert {(e["pointer"], e["code"]) for e in p["errors"]} == {
        ("/fields", "required"), ("/employer_code", "required")}
    p = _bad(api, admin_token, user.id, profile_body(fields=[]), db_url)
    assert p["errors"][0]["pointer"] == "/fields"
    api.get(f"/v1/experts/{user.id}", token=admin_token, expect=404)


def test_profile_only_for_an_expert_user(api, factory, admin_token, db_url):
    unit_user = factory.user("unit")
    p = _bad(api, admin_token, unit_user.id, profile_body(), db_url)
    assert p["code"] == "user_not_expert"
    r = api.put(f"/v1/experts/{SAMPLE}", token=admin_token, json=profile_body(), expect=404)
    assert r.body["type"] == "urn:jiangxin:problem:not-found"
    r = api.put("/v1/experts/NOT-A-UUID", token=admin_token, json=profile_body(), expect=400)
    assert r.body["code"] == "not_uuid"


def test_employer_linked_to_a_known_unit(api, factory, admin_token, db_url):
    unit = factory.unit()
    other = factory.unit()
    user = factory.user("expert")
    p = _bad(api, admin_token, user.id,
             profile_body(employer_code=unit["code"], employer_unit_id=other["id"]), db_url)
    assert [(e["pointer"], e["code"]) for e in p["errors"]] == [
        ("/employer_unit_id", "employer_unit_mismatch")]
    r = api.put(f"/v1/experts/{user.id}", token=admin_token, expect=201,
                json=profile_body(employer_code=unit["code"], employer_name=unit["name"],
                                  employer_unit_id=unit["id"]))
    assert r.body["employer_unit_id"] == unit["id"]


def test_office_names_only_its_programmes_and_keeps_the_others(api, factory, admin_token,
                                                               db_url):
    office = factory.office("lanshan-craftsman")
    user = factory.user("expert")
    both = ["huancui-chief-technician", "lanshan-craftsman"]
    p = _bad(api, office.token, user.id, profile_body(programmes=both), db_url)
    assert [(e["pointer"], e["code"]) for e in p["errors"]] == [
        ("/programmes/0", "programme_out_of_scope")]
    r = api.put(f"/v1/experts/{user.id}", token=admin_token, json=profile_body(programmes=both),
                expect=201)
    assert r.body["programmes"] == both
    r = api.put(f"/v1/experts/{user.id}", token=office.token, json=profile_body(programmes=[]),
                headers={"If-Match": '"1"'}, expect=200)
    assert r.body["programmes"] == ["huancui-chief-technician"]
    r = api.put(f"/v1/experts/{user.id}", token=admin_token, json=profile_body(programmes=[]),
                headers={"If-Match": '"2"'}, expect=200)
    assert r.body["programmes"] == []


# ------------------------------------------------------------------ relations
def test_relation_stored_as_the_nominations_hash_only(api, factory, db_url):
    expert = new_expert(api, factory)
    idn = support.new_id_number()
    # A nomination of the same person, for the hash it carries.
    programme = factory.programme()
    office = factory.office(programme)
    rnd = factory.round(programme, office)
    unit_user = factory.user("unit")
    nom = factory.nomination(rnd["id"], unit_user, id_number=idn)

    r = api.post(f"/v1/experts/{expert.id}/relations", token=expert.token, expect=201,
                 json={"kind": "master_apprentice", "id_number": idn, "note": "曾带徒三年"})
    rel = r.body
    assert r.headers["Location"] == f"/v1/experts/{expert.id}/relations/{rel['id']}"
    assert rel["kind"] == "master_apprentice" and rel["note"] == "曾带徒三年"
    assert rel["expert_id"] == expert.id
    stored = support.psql_scalar(
        db_url, f"SELECT id_number_hash FROM expert_relations WHERE id = '{rel['id']}'")
    nom_hash = support.psql_scalar(
        db_url, f"SELECT id_number_hash FROM nominations WHERE id = '{nom['id']}'")
    assert len(stored) == 64 and stored == nom_hash
    row = support.psql_scalar(db_url,
                              f"SELECT r::text FROM expert_relations r WHERE id = '{rel['id']}'")
    assert idn not in row
    columns = support.psql_scalar(
        db_url, "SELECT string_agg(column_name, ',' ORDER BY column_name)"
                " FROM information_schema.columns WHERE table_name = 'expert_relations'")
    assert "id_number_sealed" not in columns and "id_number_masked" not in columns

    # Never returned, nor its hash, nor a mask; not in the audit log either.
    masked = support.mask_id(idn)
    for resp in (api.get(f"/v1/experts/{expert.id}/relations", token=expert.token, expect=200),
                 api.get(f"/v1/experts/{expert.id}/relations/{rel['id']}", token=expert.token,
                         expect=200),
                 api.get(f"/v1/experts/{expert.id}", token=expert.token, expect=200)):
        for secret in (idn, stored, masked, idn[-4:] + '"'):
            assert secret not in resp.text
    listed = api.get(f"/v1/experts/{expert.id}/relations", token=expert.token, expect=200).body
    assert listed["items"] == [rel]
    assert set(rel) == {"id", "expert_id", "kind", "note", "version", "created_at", "updated_at"}
    audit = support.psql_scalar(
        db_url, "SELECT string_agg(action || coalesce(after::text, ''), ';') FROM audit_events"
                f" WHERE entity_type = 'expert_relation' AND entity_id = '{rel['id']}'")
    assert audit.startswith("expert.relation_create") and idn not in audit and stored not in audit

    # The same person again → 409, nothing added.
    r = api.post(f"/v1/experts/{expert.id}/relations", token=expert.token, expect=409,
                 json={"kind": "family", "id_number": idn})
    assert r.body["code"] == "duplicate_relation"
    assert support.psql_scalar(
        db_url, f"SELECT count(*) FROM expert_relations WHERE expert_id = '{expert.id}'") == "1"


def test_bad_relations_are_problems_that_change_nothing(api, factory, admin_token, db_url):
    expert = new_expert(api, factory)
    idn = support.new_id_number()
    before, seq = expert_rows(db_url, expert.id), audit_max(db_url)
    cases = [
        ({"kind": "friend", "id_number": support.wrong_id_check(idn)}, 422,
         {("/kind", "unknown_value"), ("/id_number", "id_number_check_character")}),
        ({"kind": "family", "id_number": idn[:17]}, 422, {("/id_number", "id_number_length")}),
        ({"kind": "family", "id_number": idn[:16] + "A" + idn[17]}, 422,
         {("/id_number", "id_number_characters")}),
        ({"kind": "family"}, 422, {("/id_number", "required")}),
        ({"kind": "family", "id_number": idn, "note": ""}, 422, {("/note", "too_short")}),
        ({"kind": "family", "id_number": idn, "number": idn}, 400, None),
    ]
    for body, status, want in cases:
        r = api.post(f"/v1/experts/{expert.id}/relations", token=admin_token, json=body,
                     expect=status)
        if want is not None:
            assert {(e["pointer"], e["code"]) for e in r.body["errors"]} == want, r.body
        assert idn not in r.text
    assert expert_rows(db_url, expert.id) == before and audit_max(db_url) == seq
    # No profile → 404.
    bare = factory.user("expert")
    r = api.post(f"/v1/experts/{bare.id}/relations", token=bare.token, expect=404,
                 json={"kind": "family", "id_number": idn})
    assert r.body["type"] == "urn:jiangxin:problem:not-found"
    api.get(f"/v1/experts/{bare.id}/relations", token=bare.token, expect=404)
    api.get("/v1/me/expert-profile", token=bare.token, expect=404)


def test_office_removes_a_relation_the_expert_cannot(api, factory, db_url):
    expert = new_expert(api, factory)
    office = factory.user("office")
    rel = api.post(f"/v1/experts/{expert.id}/relations", token=office.token, expect=201,
                   json={"kind": "former_colleague", "id_number": support.new_id_number()}).body
    r = api.delete(f"/v1/experts/{expert.id}/relations/{rel['id']}", token=expert.token,
                   expect=403)
    assert r.body["type"] == "urn:jiangxin:problem:forbidden"
    api.delete(f"/v1/experts/{expert.id}/relations/{rel['id']}", token=office.token, expect=204)
    api.get(f"/v1/experts/{expert.id}/relations/{rel['id']}", token=office.token, expect=404)
    api.delete(f"/v1/experts/{expert.id}/relations/{rel['id']}", token=office.token, expect=404)
    assert audit_actions(db_url, "expert_relation", rel["id"]) == [
        "expert.relation_create", "expert.relation_delete"]


def test_an_expert_never_sees_another_experts_profile_or_relations(api, factory, admin_token,
                                                                   db_url):
    a = new_expert(api, factory)
    b = new_expert(api, factory)
    rel = api.post(f"/v1/experts/{a.id}/relations", token=a.token, expect=201,
                   json={"kind": "family", "id_number": support.new_id_number()}).body
    before, seq = expert_rows(db_url, a.id), audit_max(db_url)
    unknown = api.get(f"/v1/experts/{SAMPLE}", token=b.token, expect=404).body
    for path in (f"/v1/experts/{a.id}", f"/v1/experts/{a.id}/relations",
                 f"/v1/experts/{a.id}/relations/{rel['id']}"):
        r = api.get(path, token=b.token, expect=404)
        assert r.body["type"] == unknown["type"] and r.body["title"] == unknown["title"]
        # Nothing beyond the path asked for (`instance` echoes it).
        told = json.dumps({k: v for k, v in r.body.items() if k != "instance"},
                          ensure_ascii=False)
        assert rel["id"] not in told and a.profile["employer_code"] not in told
    r = api.post(f"/v1/experts/{a.id}/relations", token=b.token, expect=404,
                 json={"kind": "other", "id_number": support.new_id_number()})
    assert r.body["type"] == unknown["type"]
    api.put(f"/v1/experts/{a.id}", token=b.token, json=profile_body(), expect=403)
    api.get("/v1/experts", token=b.token, expect=403)
    assert api.get("/v1/me/expert-profile", token=b.token, expect=200).body["user_id"] == b.id
    assert expert_rows(db_url, a.id) == before and audit_max(db_url) == seq


# ------------------------------------------------------------- the role matrix
# route → (method, path template, body or None, {principal: status})
def _matrix():
    ok_read = {"admin": 200, "office": 200, "leader": 200}
    return {
        "GET /v1/experts": ("GET", "/v1/experts?limit=1", None, ok_read),
        "GET /v1/experts/{id}": ("GET", "/v1/experts/{a}", None,
                                 dict(ok_read, expert=404, expert_a=200)),
        "PUT /v1/experts/{id}": ("PUT", "/v1/experts/{a}", "profile",
                                 {"admin": 412, "office": 412}),
        "GET /v1/me/expert-profile": ("GET", "/v1/me/expert-profile", None,
                                      {"expert": 404, "expert_a": 200}),
        "GET /v1/experts/{id}/relations": ("GET", "/v1/experts/{a}/relations", None,
                                           {"admin": 200, "office": 200, "expert": 404,
                                            "expert_a": 200}),
        "POST /v1/experts/{id}/relations": ("POST", "/v1/experts/{a}/relations", "relation",
                                            {"admin": 201, "office": 201, "expert": 404,
                                             "expert_a": 201}),
        "GET /v1/experts/{id}/relations/{relation_id}": (
            "GET", "/v1/experts/{a}/relations/{rel}", None,
            {"admin": 200, "office": 200, "expert": 404, "expert_a": 200}),
        "DELETE /v1/experts/{id}/relations/{relation_id}": (
            "DELETE", "/v1/experts/{a}/relations/{fresh_rel}", None,
            {"admin": 204, "office": 204}),
    }


MATRIX = _matrix()
PRINCIPALS = ROLES + ("expert_a", ANON)


@pytest.fixture(scope="module")
def world(api, factory):
    w = types.SimpleNamespace()
    w.users = {role: factory.user(role) for role in ROLES}
    w.users["expert_a"] = new_expert(api, factory)
    w.a = w.users["expert_a"].id
    w.rel = api.post(f"/v1/experts/{w.a}/relations", token=factory.admin.get(), expect=201,
                     json={"kind": "family", "id_number": support.new_id_number()}).body["id"]
    w.factory = factory
    return w


def test_matrix_covers_every_expert_route():
    import os
    import pathlib
    import re
    repo = pathlib.Path(os.environ.get("JIANGXIN_TEST_REPO")
                        or pathlib.Path(__file__).resolve().parents[2])
    text = (repo / "api" / "routes.def").read_text(encoding="utf-8")
    routes = {f"{m.group(1)} " + re.sub(r":(\w+)", r"{\1}", m.group(2))
              for m in re.finditer(r'ROUTE\("(\w+)",\s*"([^"]+)"', text)
              if "expert" in m.group(2)}
    assert routes == set(MATRIX)


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("route", list(MATRIX))
def test_access(api, world, db_url, route, principal):
    method, tpl, body_kind, allowed = MATRIX[route]
    want = allowed.get(principal, 401 if principal == ANON else 403)
    fresh_rel = SAMPLE
    if "{fresh_rel}" in tpl:
        fresh_rel = api.post(f"/v1/experts/{world.a}/relations",
                             token=world.factory.admin.get(), expect=201,
                             json={"kind": "other", "id_number": support.new_id_number()}
                             ).body["id"]
    path = tpl.format(a=world.a, rel=world.rel, fresh_rel=fresh_rel)
    kw = {}
    if body_kind == "profile":
        kw = {"json": profile_body(), "headers": {"If-Match": '"999"'}}
    elif body_kind == "relation":
        kw = {"json": {"kind": "other", "id_number": support.new_id_number()}}
    token = None if principal == ANON else world.users[principal].token
    before = expert_rows(db_url, world.a)
    r = api.request(method, path, token=token, **kw)
    assert r.status_code == want, f"{route} as {principal}: {r.status_code} {r.text[:300]}"
    if want in (401, 403, 404, 412):
        assert expert_rows(db_url, world.a) == before
    if want == 403:
        assert r.body["type"] == "urn:jiangxin:problem:forbidden"
    if want == 401:
        assert r.body["type"] == "urn:jiangxin:problem:unauthorized"


# ------------------------------------------------------------------ the pool
def test_expert_pool_gives_the_draw_what_the_conflict_check_needs(api, factory, admin_token,
                                                                  db_url):
    programme = factory.programme()
    unit = factory.unit()
    in_pool = new_expert(api, factory, programmes=[programme], employer_code=unit["code"])
    linked = new_expert(api, factory, programmes=[programme], employer_code=unit["code"],
                        employer_unit_id=unit["id"])
    inactive = new_expert(api, factory, programmes=[programme], active=False)
    elsewhere = new_expert(api, factory, programmes=["lanshan-craftsman"])
    disabled = new_expert(api, factory, programmes=[programme])
    api.patch(f"/v1/users/{disabled.id}", token=admin_token, json={"disabled": True},
              headers={"If-Match": f'"{disabled.body["version"]}"'}, expect=200)
    idns = [support.new_id_number() for _ in range(2)]
    for idn in idns:
        api.post(f"/v1/experts/{in_pool.id}/relations", token=in_pool.token, expect=201,
                 json={"kind": "family", "id_number": idn})
    out = support.psql_scalar(db_url, f"""
        SELECT json_agg(json_build_object('id', expert_id, 'fields', fields,
                        'code', employer_code, 'unit', employer_unit_id,
                        'hashes', relation_hashes))
          FROM expert_pool((SELECT id FROM programmes WHERE code = '{programme}'))""")
    pool = json.loads(out)
    assert [e["id"] for e in pool] == sorted([in_pool.id, linked.id])
    mine = next(e for e in pool if e["id"] == in_pool.id)
    assert mine["fields"] == ["数控车工", "车工"] and mine["code"] == unit["code"]
    assert mine["unit"] == unit["id"]  # the unit with that code, though not linked
    assert len(mine["hashes"]) == 2 and mine["hashes"] == sorted(mine["hashes"])
    assert all(len(h) == 64 for h in mine["hashes"])
    assert next(e for e in pool if e["id"] == linked.id)["hashes"] == []
    assert inactive.id not in out and elsewhere.id not in out and disabled.id not in out


def test_relation_kinds_have_labels_in_enums(api):
    kinds = api.get("/v1/enums", expect=200).body["expert_relation_kinds"]
    assert [k["value"] for k in kinds] == ["master_apprentice", "family", "former_colleague",
                                           "other"]
    assert kinds[0]["label"] == "师徒关系" and all(k["label"] and k["label_en"] for k in kinds)
