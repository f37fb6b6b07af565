# SPDX-License-Identifier: MIT
"""Issue 11, input handling: one spelling per id, integers range-checked
before they are narrowed, and query parameters that are not UTF-8 or empty
refused instead of silently dropped.

The integer and query walks read the OpenAPI documents: every integer of
every request body, every query parameter of every route. A new member or
parameter is covered without touching this file; an operation with integer
members this file cannot build a body for fails the walk until it can."""

import re
import uuid

import pytest

import clock_support
import conftest
import decision_flow
import openapi_check
import support
import vote_flow
import vote_support
from support import etag_of, pointers

# Sent to every integer of every request body, when outside its range.
BAD_INTEGERS = [2**32 + 3, -2**31 - 1, 2**63, 1e300, 3.5]
HTTP_METHODS = ("get", "put", "post", "delete", "patch")


# ------------------------------------------------------------------ UUIDs
def test_admin_cannot_disable_demote_or_delete_itself_by_an_upper_case_id(api, factory):
    """Defect: the self-lockout guard compared ids with strcmp while the id
    check took upper case and PostgreSQL matched it, so an admin disabled,
    demoted or deleted itself with its id in upper case (200/204). Now an
    id has one spelling: anything but lower case is 400 not_uuid."""
    me = factory.user("admin")
    upper = me.id.upper()
    etag = etag_of(api.get(f"/v1/users/{me.id}", token=me.token, expect=200))
    for change in ({"disabled": True}, {"role": "office", "programmes": []}):
        r = api.patch(f"/v1/users/{upper}", token=me.token, json=change,
                      headers={"If-Match": etag}, expect=400)
        assert r.body["code"] == "not_uuid"
    r = api.delete(f"/v1/users/{upper}", token=me.token, expect=400)
    assert r.body["code"] == "not_uuid"
    # Still an enabled admin, and the guard holds for the canonical id.
    got = api.get(f"/v1/users/{me.id}", token=me.token, expect=200)
    assert (got.body["role"], got.body["disabled"]) == ("admin", False)
    r = api.patch(f"/v1/users/{me.id}", token=me.token, json={"disabled": True},
                  headers={"If-Match": etag_of(got)}, expect=409)
    assert r.body["code"] == "self_lockout"
    assert api.delete(f"/v1/users/{me.id}", token=me.token, expect=409).body["code"] == \
        "self_delete"


def test_unit_reading_its_own_unit_by_an_upper_case_id_is_400_not_404(api, factory):
    """Defect: a unit reading its own unit by an upper-case id got 404 (the
    scope check compared spellings). One spelling per id: 400 not_uuid,
    and the canonical id reads it."""
    u = factory.user("unit")
    r = api.get(f"/v1/units/{u.unit_id.upper()}", token=u.token, expect=400)
    assert r.body["code"] == "not_uuid"
    assert api.get(f"/v1/units/{u.unit_id}", token=u.token, expect=200).body["id"] == u.unit_id


def _mixed(text):
    """The id with its first letter in upper case (a mixed-case spelling)."""
    i = next(i for i, c in enumerate(text) if c.isalpha())
    return text[:i] + text[i].upper() + text[i + 1:]


@pytest.mark.parametrize("spell", [str.upper, _mixed], ids=["upper", "mixed"])
def test_every_id_edge_takes_only_the_canonical_spelling(api, factory, admin_token, spell):
    """Defect: path, query and body ids took upper and mixed case, and
    PostgreSQL read them as the same id. Each edge now refuses them (path
    and query 400, body 422), as the voting service always did."""
    u = factory.user("unit")
    code = factory.programme()
    office = factory.office(code)
    rnd = factory.round(code, office)
    for path, token in ((f"/v1/users/{spell(u.id)}", admin_token),
                        (f"/v1/units/{spell(u.unit_id)}", admin_token),
                        (f"/v1/rounds/{spell(rnd['id'])}", office.token)):
        assert api.get(path, token=token, expect=400).body["code"] == "not_uuid", path
    r = api.get(f"/v1/rounds/{rnd['id']}/nominations", token=office.token,
                params={"unit_id": spell(u.unit_id)}, expect=400)
    assert r.body["code"] == "not_uuid"
    r = api.post("/v1/users", token=admin_token, expect=422,
                 json={"username": f"t-unit-{support.rand_hex(10)}",
                       "password": support.new_password(), "role": "unit",
                       "unit_id": spell(u.unit_id)})
    assert "/unit_id" in pointers(r.body)


# --------------------------------------------------------------- integers
def _spec_doc(path):
    return openapi_check.load_spec(conftest.repo_root() / "openapi" / path)


def _resolve(doc, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        node = doc
        for part in schema["$ref"][2:].split("/"):
            node = node[part]
        schema = node
    return schema


def _types(schema):
    t = schema.get("type")
    return set(t) if isinstance(t, list) else {t}


def _int_members(doc, schema, ptr=""):
    """(pointer, schema) of every integer or number in a request schema;
    "0" for an array's first element, "*" for an open object's member."""
    schema = _resolve(doc, schema)
    if not isinstance(schema, dict):
        return
    if _types(schema) & {"integer", "number"}:
        yield ptr, schema
    for name, sub in (schema.get("properties") or {}).items():
        yield from _int_members(doc, sub, f"{ptr}/{name}")
    if isinstance(schema.get("items"), dict):
        yield from _int_members(doc, schema["items"], f"{ptr}/0")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _int_members(doc, schema["additionalProperties"], f"{ptr}/*")
    for kw in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(kw) or []:
            yield from _int_members(doc, sub, ptr)


def _body_operations(doc):
    """{(METHOD, path): [(pointer, schema)]} of every JSON request body."""
    out = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in HTTP_METHODS or "requestBody" not in op:
                continue
            body = _resolve(doc, op["requestBody"])
            schema = (body.get("content") or {}).get("application/json", {}).get("schema")
            if schema is None:
                continue
            members = list(_int_members(doc, schema))
            if members:
                out[(method.upper(), path)] = (schema, members)
    return out


def _sample(doc, schema):
    """A small valid value of a schema (for an array element a base body lacks)."""
    schema = _resolve(doc, schema)
    if "enum" in schema:
        return schema["enum"][0]
    types = _types(schema) - {"null"}
    if "object" in types or "properties" in schema:
        return {k: _sample(doc, schema["properties"][k]) for k in schema.get("required", [])}
    if "array" in types:
        return []
    if "integer" in types or "number" in types:
        return schema.get("minimum", 1)
    if "boolean" in types:
        return False
    return "测试" + "x" * max(0, schema.get("minLength", 1) - 2)


def _non_null(doc, schema):
    """The first alternative of a oneOf/anyOf that is not null (an
    object-or-null member such as a nomination's competition_result), else
    the schema itself."""
    schema = _resolve(doc, schema)
    for kw in ("oneOf", "anyOf"):
        for sub in schema.get(kw) or []:
            if _types(_resolve(doc, sub)) != {"null"}:
                return _resolve(doc, sub)
    return schema


def _set(doc, schema, body, ptr, value):
    """body with `value` at ptr (a copy); array elements and members the
    body lacks are made from the schema. Returns (body, concrete pointer)."""
    import copy
    body = copy.deepcopy(body)
    node, sch, parts, concrete = body, _resolve(doc, schema), ptr.strip("/").split("/"), []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "0":
            sch = _resolve(doc, sch["items"])
            if not node:
                node.append(_sample(doc, sch))
            key = 0
        elif part == "*":
            sch = _resolve(doc, sch["additionalProperties"])
            key = next(iter(node))
        else:
            sch = _non_null(doc, (sch.get("properties") or {})[part])
            if part not in node or node[part] is None:
                node[part] = _sample(doc, sch)
            key = part
        concrete.append(str(key))
        if last:
            node[key] = value
        else:
            node = node[key]
    return body, "/" + "/".join(concrete)


class Target:
    """Where to send one operation's body: a concrete path, a token, headers,
    a base body the server would otherwise accept, and a reading of the
    state the request must not change."""

    def __init__(self, client, path, token, body, state, headers=None):
        self.client, self.path, self._token, self.body = client, path, token, body
        self.state, self._headers = state, headers or {}

    @property
    def headers(self):
        """A callable gives each request its own (a public route's rate
        limit counts per client address)."""
        return self._headers() if callable(self._headers) else self._headers

    @property
    def token(self):
        """A callable token is made afresh for each request (the voting
        service's tokens live 120 s, less than this module may take)."""
        return self._token() if callable(self._token) else self._token


def _status(client, path, token):
    r = client.get(path, token=token, check="none")
    return r.status_code, r.json() if r.status_code == 200 else None


@pytest.fixture(scope="module")
def int_targets(api, vote, factory, clock):
    admin = factory.admin.get()
    code = factory.programme()
    office = factory.office(code)
    rnd = factory.round(code, office)
    unit = factory.user("unit")
    service = factory.user("service")
    nom = factory.nomination(rnd["id"], unit)
    prog = api.get(f"/v1/programmes/{code}", expect=200)
    policy = prog.body["policy"]
    number = prog.body["policy_version"]["number"]
    version = api.get(f"/v1/programmes/{code}/policy-versions/{number}", token=admin, expect=200)
    new_code = f"t-int-{support.rand_hex(8)}"
    year, opens, closes = conftest.default_window(clock.today())
    now = clock.now()
    nominee = str(uuid.uuid4())
    sid = str(uuid.uuid4())
    empty_year = 2990
    start = clock.today().isoformat()  # not before the nomination (issue 11)
    noticed = decision_flow.noticed_round(api, factory, 1, awards=1)
    notice_id = noticed.notice["id"]
    holder = decision_flow.lanshan_recognized(api, factory, 1)
    holder_id = holder.issued[0]["id"]
    prog_state = lambda: _status(api, f"/v1/programmes/{code}", admin)  # noqa: E731
    return {
        ("POST", "/v1/programmes"): Target(
            api, "/v1/programmes", admin,
            {"code": new_code, "name": f"测试项目 {new_code}", "name_en": f"Test {new_code}",
             "policy": policy},
            lambda: _status(api, f"/v1/programmes/{new_code}", admin)),
        ("PUT", "/v1/programmes/{code}/policy"): Target(
            api, f"/v1/programmes/{code}/policy", admin, policy, prog_state,
            {"If-Match": etag_of(prog)}),
        ("POST", "/v1/programmes/{code}/policy-versions"): Target(
            api, f"/v1/programmes/{code}/policy-versions", admin, {"policy": policy}, prog_state,
            {"If-Match": etag_of(prog)}),
        ("PUT", "/v1/programmes/{code}/policy-versions/{number}"): Target(
            api, f"/v1/programmes/{code}/policy-versions/{number}", admin,
            {"policy": version.body["policy"]},
            lambda: _status(api, f"/v1/programmes/{code}/policy-versions/{number}", admin),
            {"If-Match": etag_of(version)}),
        ("POST", "/v1/programmes/{code}/past-holders"): Target(
            api, f"/v1/programmes/{code}/past-holders", office.token,
            {"holders": [{"name": "往届获评者", "id_number": support.new_id_number(),
                          "year": 2019, "certificate_number": "INT-2019-001",
                          "document_no": "岚政办发〔2018〕29号"}]},
            lambda: _status(api, f"/v1/programmes/{code}/past-holders", office.token)),
        ("POST", "/v1/programmes/{code}/rounds"): Target(
            api, f"/v1/programmes/{code}/rounds", office.token,
            {"year": year + 1, "reference_date": f"{year + 1}-12-31",
             "window_opens": f"{year + 1}-01-05", "window_closes": f"{year + 1}-12-31"},
            lambda: _status(api, f"/v1/programmes/{code}/rounds", office.token)),
        ("POST", "/v1/rounds/{id}/vote-session"): Target(
            api, f"/v1/rounds/{rnd['id']}/vote-session", office.token,
            {"opens_at": vote_support.rfc3339(now + 3600),
             "closes_at": vote_support.rfc3339(now + 2 * 86400),
             "nominee_ids": [nom["id"]],
             "limits": {"votes_per_day": 1, "votes_per_nominee_per_day": 1,
                        "ip_rate_per_minute": 60, "ip_burst": 30}},
            lambda: _status(api, f"/v1/rounds/{rnd['id']}/vote-session", office.token)),
        ("PUT", "/v1/vote-sessions/{id}/tally"): Target(
            api, f"/v1/vote-sessions/{sid}/tally", service.token,
            {"sequence": 1, "counts": {nominee: 0}, "total": 0, "final": False,
             "as_of": vote_support.rfc3339(now)},
            lambda: _status(api, f"/v1/rounds/{rnd['id']}/vote-session", office.token)),
        ("PUT", "/v1/calendar/years/{year}"): Target(
            api, f"/v1/calendar/years/{empty_year}", admin,
            clock_support.synthetic_year(empty_year),
            lambda: _status(api, f"/v1/calendar/years/{empty_year}", admin)),
        ("POST", "/v1/rounds/{id}/nominations"): Target(
            api, f"/v1/rounds/{rnd['id']}/nominations", unit.token, factory.nomination_body(),
            lambda: _status(api, f"/v1/rounds/{rnd['id']}/nominations", unit.token)),
        ("PATCH", "/v1/nominations/{id}"): Target(
            api, f"/v1/nominations/{nom['id']}", unit.token, {"occupation": "数控铣工"},
            lambda: _status(api, f"/v1/nominations/{nom['id']}", unit.token),
            {"If-Match": f'"{nom["version"]}"'}),
        ("POST", "/v1/nominations/{id}/transitions"): Target(
            api, f"/v1/nominations/{nom['id']}/transitions", unit.token,
            {"to": "unit_publicity", "publicity_start": start},
            lambda: _status(api, f"/v1/nominations/{nom['id']}", unit.token)),
        # The body is judged before the programme (this one has no skill test) and the state.
        ("PUT", "/v1/nominations/{id}/skill-test"): Target(
            api, f"/v1/nominations/{nom['id']}/skill-test", office.token,
            {"score": 50, "examiners": ["张三"], "tested_on": start},
            lambda: _status(api, f"/v1/nominations/{nom['id']}/skill-test", office.token)),
        # The size is judged before the policy (岚山 fixes it) and the round's phase.
        ("POST", "/v1/rounds/{id}/shortlist"): Target(
            api, f"/v1/rounds/{rnd['id']}/shortlist", office.token, {"size": 3},
            lambda: _status(api, f"/v1/rounds/{rnd['id']}/shortlist", office.token)),
        # Public and rate-limited per address: each request from another one.
        ("POST", "/v1/recognitions/{id}/assessments"): Target(
            api, f"/v1/recognitions/{holder_id}/assessments", holder.office.token,
            {"year": clock.today().year + 1, "result": "pass", "notes": "合格"},
            lambda: _status(api, f"/v1/recognitions/{holder_id}", holder.office.token)),
        ("POST", "/v1/notices/{id}/objections"): Target(
            api, f"/v1/notices/{notice_id}/objections", None,
            {"entry": 1, "text": "该候选人的事迹材料与实际情况不符，请核查。"},
            lambda: _status(api, f"/v1/notices/{notice_id}/objections", noticed.office.token),
            lambda: {"X-Forwarded-For": vote_flow.random_ip()}),
        ("PUT", "/internal/v1/sessions/{id}"): Target(
            vote, f"/internal/v1/sessions/{sid}", vote_support.service_token,
            vote_support.session_body(),
            lambda: _status(vote, f"/v1/sessions/{sid}", None)),
    }


def _int_cases():
    cases = []
    for name in ("api.yaml", "voting.yaml"):
        doc = _spec_doc(name)
        for (method, path), (schema, members) in sorted(_body_operations(doc).items()):
            for ptr, member in members:
                cases.append(pytest.param(name, method, path, ptr, id=f"{method} {path} {ptr}"))
    return cases


@pytest.mark.parametrize("spec,method,path,ptr", _int_cases())
def test_every_request_integer_declares_its_range(spec, method, path, ptr):
    """Defect: integers without a declared range (vote limits, tallies,
    the calendar year) were narrowed unchecked. Every integer of every
    request body now declares minimum and maximum in the contract."""
    doc = _spec_doc(spec)
    schema, members = _body_operations(doc)[(method, path)]
    member = dict(members)[ptr]
    assert "minimum" in member and "maximum" in member, (method, path, ptr, member)


@pytest.mark.parametrize("spec,method,path,ptr", _int_cases())
def test_every_request_integer_refuses_what_does_not_fit(spec, method, path, ptr, int_targets):
    """Defect: `publicity_workdays: 4294967299` was accepted and stored as
    3 ((int)json_integer_value), a round's year 2^32 + 2000 as 2000. For
    every integer of every request body in the contracts, the server
    enforces exactly the declared range: minimum - 1, maximum + 1,
    2^32 + minimum (which wraps to the minimum), and 2^32 + 3, -2^31 - 1,
    2^63, 1e300 and 3.5 unless in range, are refused
    with a problem naming the member (422), or as JSON no 64-bit integer
    holds (2^63: 400 malformed-request); and nothing changes."""
    doc = _spec_doc(spec)
    schema, _ = _body_operations(doc)[(method, path)]
    target = int_targets.get((method, path))
    assert target is not None, f"no body for {method} {path}: add it to int_targets"
    member = dict(_body_operations(doc)[(method, path)][1])[ptr]
    lo, hi = member["minimum"], member["maximum"]
    # The bounds' neighbours, a value that wraps to the minimum when cut
    # to 32 bits, and the fixed probes that lie outside the range.
    # (3.5 is a fine value of a `number` member in range, e.g. a skill-test score.)
    number = "number" in _types(member)
    values = [lo - 1, hi + 1] + [v for v in [2**32 + lo] + BAD_INTEGERS
                                 if not ((isinstance(v, int) or number) and lo <= v <= hi)]
    before = target.state()
    for value in values:
        body, concrete = _set(doc, schema, target.body, ptr, value)
        headers = dict(target.headers)
        if method == "POST":
            headers["Idempotency-Key"] = str(uuid.uuid4())
        r = target.client.request(method, target.path, token=target.token, json=body,
                                  headers=headers, expect=(400, 422))
        if r.status_code == 400:
            assert value == 2**63 and r.body["code"] == "invalid_json", (value, r.body)
        else:
            assert concrete in pointers(r.body), (value, r.body)
    assert target.state() == before


# ------------------------------------------------------- query parameters
def _fill(doc, item, op, path, ids):
    params = [_resolve(doc, p) for p in (item.get("parameters") or []) + (op.get("parameters")
                                                                        or [])]
    for p in params:
        if p.get("in") != "path":
            continue
        s = _resolve(doc, p.get("schema", {}))
        if s.get("format") == "uuid":
            value = ids["uuid"]
        elif s.get("type") == "integer":
            value = str(max(s.get("minimum", 1), min(2026, s.get("maximum", 2026))))
        elif s.get("format") == "date":
            value = "2026-12-01"
        elif p["name"] == "code":
            value = "lanshan-craftsman"
        else:
            value = "x"
        path = path.replace("{%s}" % p["name"], value)
    return path, [p for p in params if p.get("in") == "query"]


def _query_cases():
    doc = _spec_doc("api.yaml")
    cases = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            _, query = _fill(doc, item, op, path, {"uuid": "0"})
            for p in query:
                cases.append(pytest.param(method.upper(), path, p["name"],
                                          id=f"{method.upper()} {path} {p['name']}"))
    return cases


@pytest.mark.parametrize("method,path,name", _query_cases())
def test_every_query_parameter_refuses_invalid_utf8_and_empty(api, admin_token, factory, method,
                                                             path, name):
    """Defect: `?state=%FF` or `?q=%FF` was dropped by ulfius and the
    unfiltered list answered (200); `?q=` passed although the contract says
    minLength 1. For every query parameter of every route: 400
    invalid-parameter naming the parameter, query_not_utf8 or
    query_empty. The caller is one the route admits (its token is judged
    on the request's head, before the query): admin, or a unit for the
    upload, which only units may make, or finance for the allowance."""
    token = factory.user("unit").token if (method, path) == (
        "POST", "/v1/nominations/{id}/attachments") else admin_token
    if (method, path) == ("POST", "/v1/nominations/{id}/skill-test/sheets"):
        token = factory.user("office").token  # the office's upload
    if path.startswith("/v1/allowance/"):
        token = factory.user("finance").token  # amounts are finance's, not an admin's
    doc = _spec_doc("api.yaml")
    item = doc["paths"][path]
    op = item[method.lower()]
    concrete, query = _fill(doc, item, op, path, {"uuid": str(uuid.uuid4())})
    schema = _resolve(doc, next(p for p in query if p["name"] == name).get("schema", {}))
    for raw, code in (("%FF", "query_not_utf8"), ("a%C0%AFb", "query_not_utf8"),
                      ("%ED%A0%80", "query_not_utf8"), ("x%00y", "query_not_utf8"),
                      ("", "query_empty")):
        if raw == "" and not (schema.get("minLength", 0) >= 1 or "enum" in schema
                              or "format" in schema or "integer" in _types(schema)):
            continue
        r = api.request(method, f"{concrete}?{name}={raw}", token=token, expect=400,
                        headers={"Accept-Language": "en"})
        assert r.body["type"] == "urn:jiangxin:problem:invalid-parameter"
        assert r.body["code"] == code, (raw, r.body)
        assert re.search(r"\b%s\b" % re.escape(name), r.body["detail"]), r.body


def test_a_bad_query_is_refused_by_the_voting_service_too(vote):
    """Defect: the voting service, too, read past a query it could not
    decode: a vote sent with `?x=%FF` was cast (201). Now 400 before the
    handler, and no vote counted: the same voter's one vote for the
    nominee is still to be cast afterwards."""
    sid, _, nominees = vote_support.new_session(vote)
    sub = f"voter-{uuid.uuid4().hex}"
    for query, code in (("x=%FF", "query_not_utf8"), ("x=", "query_empty")):
        r = vote.post(f"/v1/sessions/{sid}/votes?{query}", token=vote_support.voter_token(sub),
                      json={"nominee_id": nominees[0]}, expect=400)
        assert r.body["code"] == code
    vote.post(f"/v1/sessions/{sid}/votes", token=vote_support.voter_token(sub),
              json={"nominee_id": nominees[0]}, expect=201)


def test_a_filter_still_filters(api, factory):
    """The check refuses only what cannot be read: a good filter, in any
    script, still filters."""
    tag = support.rand_hex(10)
    made = factory.unit(name=f"过滤-{tag}")
    r = api.get("/v1/units", params={"q": f"过滤-{tag}"}, token=factory.admin.get(), expect=200)
    assert [u["id"] for u in r.body["items"]] == [made["id"]]
