# SPDX-License-Identifier: MIT
"""User administration: create, read, list (filters and cursor pagination),
update with If-Match, delete; validation of usernames, passwords, roles,
unit scope and programmes; never a password or hash in any answer."""

import re
import uuid

import pytest

import support
from support import etag_of, pointers


def _create(api, token, expect=201, **body):
    body.setdefault("username", f"t-{body.get('role', 'expert')}-{support.rand_hex(10)}")
    body.setdefault("password", support.new_password())
    body.setdefault("role", "expert")
    return api.post("/v1/users", token=token, json=body, expect=expect), body


def _no_secrets(text):
    low = text.lower()
    assert "password" not in low and "argon2" not in low, text[:300]


def test_create_user_201_with_location_and_etag(api, admin_token):
    r, sent = _create(api, admin_token, role="leader")
    u = r.body
    assert u["username"] == sent["username"]
    assert u["role"] == "leader"
    assert u["unit_id"] is None
    assert u["programmes"] == []
    assert u["disabled"] is False
    assert u["version"] == 1
    assert r.headers["Location"].endswith(f"/v1/users/{u['id']}")
    assert etag_of(r) == f'"{u["version"]}"'
    _no_secrets(r.text)
    got = api.get(f"/v1/users/{u['id']}", token=admin_token, expect=200)
    assert got.body == u
    assert etag_of(got) == etag_of(r)
    _no_secrets(got.text)


def test_create_office_user_with_programmes(api, admin_token):
    r, _ = _create(api, admin_token, role="office", programmes=["huancui-chief-technician"])
    assert r.body["programmes"] == ["huancui-chief-technician"]


def test_create_unit_user_with_unit(api, admin_token, factory):
    unit = factory.unit()
    r, _ = _create(api, admin_token, role="unit", unit_id=unit["id"])
    assert r.body["unit_id"] == unit["id"]


def test_duplicate_username_is_409(api, admin_token):
    r, sent = _create(api, admin_token)
    r2, _ = _create(api, admin_token, expect=409, username=sent["username"])
    assert r2.body["type"] == "urn:jiangxin:problem:conflict"


@pytest.mark.parametrize("field,value,pointer", [
    ("password", "short-pw-11", "/password"),
    ("password", "", "/password"),
    ("role", "superuser", "/role"),
    ("username", "Has Space", "/username"),
    ("username", "UPPER-case", "/username"),
    ("username", "ab", "/username"),
    ("programmes", ["no-such-programme"], "/programmes"),
])
def test_invalid_user_field_is_422(api, admin_token, db_count, field, value, pointer):
    before = db_count("users")
    r, _ = _create(api, admin_token, expect=422, **{field: value})
    assert r.body["type"] == "urn:jiangxin:problem:validation-failed"
    assert any(p.startswith(pointer) for p in pointers(r.body)), r.body
    assert db_count("users") == before


def test_unit_role_without_unit_id_is_422(api, admin_token):
    r, _ = _create(api, admin_token, expect=422, role="unit")
    assert r.body["type"] == "urn:jiangxin:problem:validation-failed"


def test_unit_id_for_other_roles_is_422(api, admin_token, factory):
    unit = factory.unit()
    r, _ = _create(api, admin_token, expect=422, role="expert", unit_id=unit["id"])
    assert any(p.startswith("/unit_id") for p in pointers(r.body)), r.body


def test_unit_user_with_unknown_unit_is_422(api, admin_token):
    r, _ = _create(api, admin_token, expect=422, role="unit", unit_id=str(uuid.uuid4()))
    assert any(p.startswith("/unit_id") for p in pointers(r.body)), r.body


def test_get_unknown_user_is_404(api, admin_token):
    r = api.get(f"/v1/users/{uuid.uuid4()}", token=admin_token, expect=404)
    assert r.body["type"] == "urn:jiangxin:problem:not-found"


def test_get_user_with_malformed_id_is_problem(api, admin_token):
    r = api.get("/v1/users/not-a-uuid", token=admin_token, expect=(400, 404))
    assert r.body["type"] in ("urn:jiangxin:problem:invalid-parameter",
                              "urn:jiangxin:problem:not-found")


def test_list_filters_by_role(api, admin_token, factory):
    mine = factory.user("finance", login_now=False)
    items = support.list_all(api, "/v1/users?role=finance", admin_token)
    assert items, "no finance users listed"
    assert all(u["role"] == "finance" for u in items)
    assert mine.id in {u["id"] for u in items}
    _no_secrets(str(items))


def test_list_pagination_with_cursor_and_link(api, admin_token, factory):
    for _ in range(3):
        factory.user("expert", login_now=False)
    r1 = api.get("/v1/users?limit=2", token=admin_token, expect=200)
    assert len(r1.body["items"]) == 2
    cursor = r1.body["next_cursor"]
    assert cursor
    link = r1.headers.get("Link", "")
    m = re.search(r'<([^>]+)>\s*;\s*rel="?next"?', link)
    assert m, f"no rel=next Link header: {link!r}"
    assert "cursor=" in m.group(1) and "limit=2" in m.group(1)
    r2 = api.get("/v1/users", params={"limit": 2, "cursor": cursor}, token=admin_token,
                 expect=200)
    first = {u["id"] for u in r1.body["items"]}
    second = {u["id"] for u in r2.body["items"]}
    assert second and not first & second
    # The Link URL works as given.
    nxt = m.group(1)
    nxt_path = nxt[nxt.index("/v1/"):] if "://" in nxt else nxt
    r3 = api.get(nxt_path, token=admin_token, expect=200)
    assert [u["id"] for u in r3.body["items"]] == [u["id"] for u in r2.body["items"]]


def test_list_all_pages_have_no_duplicates(api, admin_token):
    seen = [u["id"] for u in support.list_all(api, "/v1/users", admin_token, limit=3,
                                               max_pages=2000)]
    assert len(seen) == len(set(seen))


def test_last_page_has_null_cursor_and_no_link(api, admin_token, factory):
    mine = factory.user("auditor", login_now=False)
    r = api.get("/v1/users?role=auditor&limit=200", token=admin_token, expect=200)
    if r.body["next_cursor"] is None:
        assert 'rel="next"' not in r.headers.get("Link", "")
        assert mine.id in {u["id"] for u in r.body["items"]}
    else:  # pragma: no cover - more than 200 auditors
        assert 'rel="next"' in r.headers.get("Link", "")


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "limit=-1", "limit=abc",
                                   "limit=", "cursor=%00", "cursor=not-issued-by-server",
                                   "role=wizard"])
def test_bad_list_parameter_is_400(api, admin_token, query):
    r = api.get(f"/v1/users?{query}", token=admin_token, expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:invalid-parameter"


def test_limit_200_is_accepted(api, admin_token):
    r = api.get("/v1/users?limit=200", token=admin_token, expect=200)
    assert len(r.body["items"]) <= 200


def test_patch_needs_if_match(api, admin_token, factory):
    u = factory.user("expert", login_now=False)
    r = api.patch(f"/v1/users/{u.id}", token=admin_token, json={"role": "leader"}, expect=428)
    assert r.body["type"] == "urn:jiangxin:problem:precondition-required"
    assert api.get(f"/v1/users/{u.id}", token=admin_token, expect=200).body["role"] == "expert"


def test_patch_with_stale_etag_is_412(api, admin_token, factory):
    u = factory.user("expert", login_now=False)
    got = api.get(f"/v1/users/{u.id}", token=admin_token, expect=200)
    old = etag_of(got)
    api.patch(f"/v1/users/{u.id}", token=admin_token, json={"role": "leader"},
              headers={"If-Match": old}, expect=200)
    r = api.patch(f"/v1/users/{u.id}", token=admin_token, json={"role": "finance"},
                  headers={"If-Match": old}, expect=412)
    assert r.body["type"] == "urn:jiangxin:problem:precondition-failed"
    assert api.get(f"/v1/users/{u.id}", token=admin_token, expect=200).body["role"] == "leader"


def test_patch_with_weak_etag_is_412(api, admin_token, factory):
    u = factory.user("expert", login_now=False)
    got = api.get(f"/v1/users/{u.id}", token=admin_token, expect=200)
    api.patch(f"/v1/users/{u.id}", token=admin_token, json={"role": "leader"},
              headers={"If-Match": "W/" + etag_of(got)}, expect=412)


def test_patch_with_right_etag_updates_and_bumps_etag(api, admin_token, factory):
    u = factory.user("office", login_now=False, programmes=["lanshan-craftsman"])
    got = api.get(f"/v1/users/{u.id}", token=admin_token, expect=200)
    r = api.patch(f"/v1/users/{u.id}", token=admin_token,
                  json={"programmes": ["lanshan-craftsman", "huancui-chief-technician"]},
                  headers={"If-Match": etag_of(got)}, expect=200)
    assert sorted(r.body["programmes"]) == ["huancui-chief-technician", "lanshan-craftsman"]
    assert r.body["version"] == got.body["version"] + 1
    assert etag_of(r) == f'"{r.body["version"]}"' != etag_of(got)
    assert r.body["updated_at"] >= got.body["updated_at"]
    assert r.body["created_at"] == got.body["created_at"]


def test_patch_password_changes_login(api, admin_token, factory):
    u = factory.user("expert", login_now=False)
    got = api.get(f"/v1/users/{u.id}", token=admin_token, expect=200)
    new_pw = support.new_password()
    r = api.patch(f"/v1/users/{u.id}", token=admin_token, json={"password": new_pw},
                  headers={"If-Match": etag_of(got)}, expect=200)
    _no_secrets(r.text)
    api.post("/v1/auth/token", json={"username": u.username, "password": u.password}, expect=401)
    support.login(api, u.username, new_pw)


def test_patch_short_password_is_422(api, admin_token, factory):
    u = factory.user("expert", login_now=False)
    got = api.get(f"/v1/users/{u.id}", token=admin_token, expect=200)
    r = api.patch(f"/v1/users/{u.id}", token=admin_token, json={"password": "short"},
                  headers={"If-Match": etag_of(got)}, expect=422)
    assert "/password" in pointers(r.body)
    support.login(api, u.username, u.password)


def test_patch_role_to_unit_without_unit_is_422(api, admin_token, factory):
    u = factory.user("expert", login_now=False)
    got = api.get(f"/v1/users/{u.id}", token=admin_token, expect=200)
    api.patch(f"/v1/users/{u.id}", token=admin_token, json={"role": "unit"},
              headers={"If-Match": etag_of(got)}, expect=422)
    assert api.get(f"/v1/users/{u.id}", token=admin_token, expect=200).body["role"] == "expert"


def test_patch_unknown_field_is_400(api, admin_token, factory):
    u = factory.user("expert", login_now=False)
    got = api.get(f"/v1/users/{u.id}", token=admin_token, expect=200)
    r = api.patch(f"/v1/users/{u.id}", token=admin_token, json={"username": "renamed-x"},
                  headers={"If-Match": etag_of(got)}, expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:unknown-field"
    assert "/username" in pointers(r.body)


def test_patch_unknown_user_is_404(api, admin_token):
    api.patch(f"/v1/users/{uuid.uuid4()}", token=admin_token, json={"disabled": True},
              headers={"If-Match": '"1"'}, expect=404)


def test_delete_user_then_404_and_username_reusable(api, admin_token, factory):
    u = factory.user("expert", login_now=False)
    r = api.delete(f"/v1/users/{u.id}", token=admin_token, expect=204)
    assert not r.content
    api.get(f"/v1/users/{u.id}", token=admin_token, expect=404)
    api.delete(f"/v1/users/{u.id}", token=admin_token, expect=404)
    listed = {x["id"] for x in support.list_all(api, "/v1/users?role=expert", admin_token)}
    assert u.id not in listed
    again, _ = _create(api, admin_token, username=u.username)
    assert again.body["id"] != u.id
