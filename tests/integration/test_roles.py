# SPDX-License-Identifier: MIT
"""The authorization matrix: every role and anonymous against every route of
the contract. An allowed caller gets the route's normal answer (mutations
are sent with a stale If-Match where possible, so nothing changes); a wrong
role gets 403; anonymous on a protected route gets 401. Unit users are
scoped to their own unit."""

import types

import pytest

import support
from support import ROLES

ANON = "anonymous"
PRINCIPALS = ROLES + (ANON,)
PUBLIC = "public"
ANY = "any"
STALE = '"999999"'


@pytest.fixture(scope="module")
def world(api, factory):
    """One user per role plus the objects the routes act on."""
    users = {role: factory.user(role) for role in ROLES}
    w = types.SimpleNamespace(users=users)
    w.own_unit_id = users["unit"].unit_id
    w.victim = factory.user("expert", login_now=False)
    admin = factory.admin.get()
    w.policy = api.get("/v1/programmes/lanshan-craftsman", expect=200).body["policy"]
    w.factory = factory
    w.admin = admin
    return w


def _victim(w):
    return w.factory.user("expert", login_now=False)


# name, method, path(w), body(w) or None, headers(w) or None, who, success status
CASES = [
    ("GET /healthz", "GET", lambda w: "/healthz", None, None, PUBLIC, 200),
    ("GET /readyz", "GET", lambda w: "/readyz", None, None, PUBLIC, 200),
    ("GET /metrics", "GET", lambda w: "/metrics", None, None, PUBLIC, 200),
    ("GET /openapi.json", "GET", lambda w: "/openapi.json", None, None, PUBLIC, 200),
    ("GET /docs", "GET", lambda w: "/docs", None, None, PUBLIC, 200),
    ("GET /v1/enums", "GET", lambda w: "/v1/enums", None, None, PUBLIC, 200),
    ("POST /v1/auth/token", "POST", lambda w: "/v1/auth/token",
     lambda w: {"username": w.users["expert"].username, "password": w.users["expert"].password},
     None, PUBLIC, 200),
    ("GET /v1/me", "GET", lambda w: "/v1/me", None, None, ANY, 200),
    ("GET /v1/users", "GET", lambda w: "/v1/users", None, None, {"admin"}, 200),
    ("POST /v1/users", "POST", lambda w: "/v1/users",
     lambda w: {"username": f"t-expert-{support.rand_hex(10)}",
                "password": support.new_password(), "role": "expert"},
     None, {"admin"}, 201),
    ("GET /v1/users/{id}", "GET", lambda w: f"/v1/users/{w.victim.id}", None, None,
     {"admin"}, 200),
    ("PATCH /v1/users/{id}", "PATCH", lambda w: f"/v1/users/{w.victim.id}",
     lambda w: {"disabled": False}, lambda w: {"If-Match": STALE}, {"admin"}, 412),
    ("DELETE /v1/users/{id}", "DELETE", lambda w: f"/v1/users/{_victim(w).id}", None, None,
     {"admin"}, 204),
    ("GET /v1/units", "GET", lambda w: "/v1/units", None, None, {"admin", "office", "unit"}, 200),
    ("POST /v1/units", "POST", lambda w: "/v1/units",
     lambda w: {"code": support.new_uscc(), "name": "矩阵测试单位", "kind": "enterprise"},
     None, {"admin", "office"}, 201),
    ("GET /v1/units/{id}", "GET", lambda w: f"/v1/units/{w.own_unit_id}", None, None,
     {"admin", "office", "unit"}, 200),
    ("PATCH /v1/units/{id}", "PATCH", lambda w: f"/v1/units/{w.own_unit_id}",
     lambda w: {"name": "不应生效"}, lambda w: {"If-Match": STALE}, {"admin", "office"}, 412),
    ("GET /v1/programmes", "GET", lambda w: "/v1/programmes", None, None, PUBLIC, 200),
    ("GET /v1/programmes/{code}", "GET", lambda w: "/v1/programmes/huancui-chief-technician",
     None, None, PUBLIC, 200),
    ("PUT /v1/programmes/{code}/policy", "PUT", lambda w: "/v1/programmes/lanshan-craftsman/policy",
     lambda w: w.policy, lambda w: {"If-Match": STALE}, {"admin"}, 412),
    ("GET /v1/calendar/{year}", "GET", lambda w: "/v1/calendar/2026", None, None, PUBLIC, 200),
    ("GET /v1/calendar/workdays", "GET", lambda w: "/v1/calendar/workdays?from=2026-09-29&days=5",
     None, None, PUBLIC, 200),
    ("GET /v1/calendar/days/{date}", "GET", lambda w: "/v1/calendar/days/2026-10-10", None, None,
     PUBLIC, 200),
    ("PUT /v1/calendar/days/{date}", "PUT", lambda w: "/v1/calendar/days/2026-10-10",
     lambda w: {"is_workday": True, "name": "国庆节"}, lambda w: {"If-Match": STALE},
     {"admin"}, 412),
    ("GET /v1/audit", "GET", lambda w: "/v1/audit?limit=5", None, None, {"admin", "auditor"}, 200),
    ("GET /v1/audit/verify", "GET", lambda w: "/v1/audit/verify", None, None,
     {"admin", "auditor"}, 200),
]


def expected_status(who, success, principal):
    if who == PUBLIC:
        return success
    if principal == ANON:
        return 401
    if who == ANY or principal in who:
        return success
    return 403


def test_matrix_covers_every_contract_route():
    covered = {name.split(" ", 1)[0] + " " + name.split(" ", 1)[1] for name, *_ in CASES}
    assert len(covered) == len(support.FOUNDATION_ROUTES)


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_access(api, world, case, principal):
    name, method, path_fn, body_fn, headers_fn, who, success = case
    want = expected_status(who, success, principal)
    token = None if principal == ANON else world.users[principal].token
    kw = {}
    if body_fn is not None:
        kw["json"] = body_fn(world)
    if headers_fn is not None:
        kw["headers"] = headers_fn(world)
    path = path_fn(world)
    r = api.request(method, path, token=token, **kw)
    assert r.status_code == want, (
        f"{name} as {principal}: expected {want}, got {r.status_code}: {r.text[:400]}")
    if want == 403:
        assert r.body["type"] == "urn:jiangxin:problem:forbidden"
    if want == 401:
        assert r.body["type"] == "urn:jiangxin:problem:unauthorized"
    if method == "DELETE" and want != success:
        # the refused delete left the user in place
        victim_id = path.rsplit("/", 1)[1]
        api.get(f"/v1/users/{victim_id}", token=world.admin, expect=200)


def test_me_reports_each_role(api, world):
    for role, user in world.users.items():
        assert api.get("/v1/me", token=user.token, expect=200).body["role"] == role


def test_unit_user_lists_only_its_own_unit(api, factory, admin_token):
    other = factory.unit(name=f"别人的单位-{support.rand_hex(6)}")
    user = factory.user("unit")
    items = []
    cursor = None
    for _ in range(50):
        q = "/v1/units?limit=200" + (f"&cursor={cursor}" if cursor else "")
        r = api.get(q, token=user.token, expect=200)
        items += r.body["items"]
        cursor = r.body["next_cursor"]
        if not cursor:
            break
    assert [u["id"] for u in items] == [user.unit_id]
    r = api.get("/v1/units", params={"q": other["name"]}, token=user.token, expect=200)
    assert r.body["items"] == []
    # The admin sees the other unit.
    r = api.get("/v1/units", params={"q": other["name"]}, token=admin_token, expect=200)
    assert [u["id"] for u in r.body["items"]] == [other["id"]]


def test_unit_user_gets_404_for_another_units_id(api, factory):
    other = factory.unit()
    user = factory.user("unit")
    r = api.get(f"/v1/units/{other['id']}", token=user.token, expect=404)
    assert r.body["type"] == "urn:jiangxin:problem:not-found"
    assert api.get(f"/v1/units/{user.unit_id}", token=user.token, expect=200).body["id"] == \
        user.unit_id


def test_unit_user_cannot_patch_its_own_unit(api, factory):
    user = factory.user("unit")
    got = api.get(f"/v1/units/{user.unit_id}", token=user.token, expect=200)
    api.patch(f"/v1/units/{user.unit_id}", token=user.token, json={"name": "改名"},
              headers={"If-Match": support.etag_of(got)}, expect=403)


def test_forbidden_before_precondition(api, factory):
    """A wrong role gets 403 even without If-Match (authorization comes first)."""
    office = factory.user("office")
    victim = factory.user("expert", login_now=False)
    api.patch(f"/v1/users/{victim.id}", token=office.token, json={"disabled": True}, expect=403)
