# SPDX-License-Identifier: MIT
"""Hostile and broken request bodies against the three JSON-taking writes
(POST /v1/units, POST /v1/users, PUT policy): each gets its documented 4xx
problem and leaves units, users, audit events and the programme unchanged.
Also the language of problem titles."""

import json

import pytest

import support
from support import etag_of, pointers

LANSHAN = "lanshan-craftsman"


class Target:
    """One write endpoint: how to reach it and which body faults look like."""

    def __init__(self, name, method, path, valid, wrong_type, missing):
        self.name, self.method, self.path = name, method, path
        self.valid = valid            # () -> a valid body (dict)
        self.wrong_type = wrong_type  # (body dict, pointer)
        self.missing = missing        # (body dict, pointer)


def _unit_body():
    return {"code": support.new_uscc(), "name": "坏输入测试", "kind": "enterprise"}


def _user_body():
    return {"username": f"t-expert-{support.rand_hex(10)}", "password": support.new_password(),
            "role": "expert"}


@pytest.fixture(scope="module")
def policy(api):
    return api.get(f"/v1/programmes/{LANSHAN}", expect=200).body["policy"]


def _targets(policy):
    p_wrong = dict(policy, cycle_years="2")
    p_missing = {k: v for k, v in policy.items() if k != "cycle_years"}
    return {
        "units": Target("units", "POST", "/v1/units", _unit_body,
                        (dict(_unit_body(), code=91350100), "/code"),
                        ({k: v for k, v in _unit_body().items() if k != "kind"}, "/kind")),
        "users": Target("users", "POST", "/v1/users", _user_body,
                        (dict(_user_body(), role=["expert"]), "/role"),
                        ({k: v for k, v in _user_body().items() if k != "password"},
                         "/password")),
        "policy": Target("policy", "PUT", f"/v1/programmes/{LANSHAN}/policy",
                         lambda: dict(policy), (p_wrong, "/cycle_years"),
                         (p_missing, "/cycle_years")),
    }


TARGETS = ["units", "users", "policy"]


@pytest.fixture
def state(api, db_count):
    """Snapshot of everything a refused write must not touch."""
    def snap():
        prog = api.get(f"/v1/programmes/{LANSHAN}", expect=200)
        return {"units": db_count("units"), "users": db_count("users"),
                "audit_events": db_count("audit_events"),
                "programme": prog.body, "etag": etag_of(prog)}
    return snap


def _send(api, admin_token, target, data, content_type="application/json", **kw):
    headers = {"Content-Type": content_type} if content_type else {}
    if target.method == "PUT":
        headers["If-Match"] = etag_of(api.get(f"/v1/programmes/{LANSHAN}", expect=200))
    return api.request(target.method, target.path, token=admin_token, data=data,
                       headers=headers, **kw)


RAW_CASES = [
    ("truncated-json", b'{"code": "91350100M000100Y43", "name": ', 400, "malformed-request",
     "invalid_json"),
    ("trailing-garbage", b'{"name": "x"} trailing', 400, "malformed-request", "invalid_json"),
    ("invalid-utf8", b'{"name": "\xff\xfe\xfa"}', 400, "malformed-request", "invalid_json"),
    ("overlong-utf8", b'{"name": "\xc0\xaf"}', 400, "malformed-request", "invalid_json"),
    ("utf8-surrogate", b'{"name": "\xed\xa0\x80"}', 400, "malformed-request", "invalid_json"),
    ("json-array", b'[{"name": "x"}]', 400, "malformed-request", "not_an_object"),
    ("json-string", b'"hello"', 400, "malformed-request", "not_an_object"),
    ("json-null", b'null', 400, "malformed-request", "not_an_object"),
    ("json-number", b'42', 400, "malformed-request", "not_an_object"),
    ("empty-body", b'', 400, "malformed-request", "empty_body"),
    ("deep-nesting", b'{"name": ' + b'[' * 100000 + b']' * 100000 + b'}', 400,
     "malformed-request", "invalid_json"),
]


@pytest.mark.parametrize("target_name", TARGETS)
@pytest.mark.parametrize("case", RAW_CASES, ids=[c[0] for c in RAW_CASES])
def test_broken_body_is_400_and_changes_nothing(api, admin_token, policy, state, target_name,
                                                case):
    target = _targets(policy)[target_name]
    _, data, status, slug, code = case
    before = state()
    r = _send(api, admin_token, target, data, expect=status)
    assert r.body["type"] == f"urn:jiangxin:problem:{slug}"
    assert r.body["code"] == code
    assert state() == before


@pytest.mark.parametrize("target_name", TARGETS)
def test_unknown_field_is_400_with_pointer(api, admin_token, policy, state, target_name):
    target = _targets(policy)[target_name]
    body = dict(target.valid(), surprise="!")
    before = state()
    r = _send(api, admin_token, target, json.dumps(body).encode(), expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:unknown-field"
    assert "/surprise" in pointers(r.body)
    assert r.body["code"] == "unknown_field"
    assert state() == before


@pytest.mark.parametrize("target_name", TARGETS)
def test_wrong_type_is_422_with_pointer(api, admin_token, policy, state, target_name):
    target = _targets(policy)[target_name]
    body, pointer = target.wrong_type
    before = state()
    r = _send(api, admin_token, target, json.dumps(body).encode(), expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:validation-failed"
    assert pointer in pointers(r.body), pointers(r.body)
    assert {e["pointer"]: e["code"] for e in r.body["errors"]}[pointer] == "wrong_type"
    assert state() == before


@pytest.mark.parametrize("target_name", TARGETS)
def test_missing_required_is_422(api, admin_token, policy, state, target_name):
    target = _targets(policy)[target_name]
    body, pointer = target.missing
    before = state()
    r = _send(api, admin_token, target, json.dumps(body).encode(), expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:validation-failed"
    assert pointer in pointers(r.body), pointers(r.body)
    assert {e["pointer"]: e["code"] for e in r.body["errors"]}[pointer] == "required"
    assert state() == before


@pytest.mark.parametrize("target_name", TARGETS)
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/xml", "application/jsonx", None])
def test_wrong_content_type_is_415(api, admin_token, policy, state, target_name, content_type):
    target = _targets(policy)[target_name]
    before = state()
    r = _send(api, admin_token, target, json.dumps(target.valid()).encode(),
              content_type=content_type, expect=415)
    assert r.body["type"] == "urn:jiangxin:problem:unsupported-media-type"
    assert r.body["code"] == "unsupported_media_type"
    assert state() == before


def test_json_with_charset_parameter_is_accepted(api, admin_token):
    body = _unit_body()
    r = api.post("/v1/units", token=admin_token, data=json.dumps(body).encode(),
                 headers={"Content-Type": "application/json; charset=utf-8"}, expect=201)
    assert r.body["code"] == body["code"]


def test_nul_in_string_is_refused(api, admin_token, state):
    before = state()
    data = json.dumps(dict(_unit_body(), name="a\u0000b")).encode()
    r = api.post("/v1/units", token=admin_token, data=data,
                 headers={"Content-Type": "application/json"}, expect=(400, 422))
    assert r.body["type"] in ("urn:jiangxin:problem:malformed-request",
                              "urn:jiangxin:problem:validation-failed")
    assert state() == before


def _oversized(valid):
    body = json.dumps(valid).encode()
    pad = (1024 * 1024 + 1024) - len(body)
    return body[:-1] + b" " * pad + b"}"


def _raw_request(api_url, method, path, token, body, extra=""):
    host, port = support.split_url(api_url)
    return (f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"{extra}Connection: close\r\n").encode()


def _check_413(api, method, path, status, headers, body):
    hdrs = support.CIHeaders(headers)
    from openapi_check import check_response, SpecMismatch
    try:
        decoded = check_response(api.spec, method, path, status, hdrs, body)
    except SpecMismatch as e:
        pytest.fail(str(e), pytrace=False)
    assert status == 413, (status, body[:300])
    assert decoded["type"] == "urn:jiangxin:problem:payload-too-large"


@pytest.mark.parametrize("target_name", TARGETS)
def test_body_over_1_mib_is_413(api, api_url, admin_token, policy, state, target_name):
    target = _targets(policy)[target_name]
    before = state()
    data = _oversized(target.valid())
    assert len(data) > 1024 * 1024
    extra = ""
    if target.method == "PUT":
        extra = f"If-Match: {before['etag']}\r\n"
    head = _raw_request(api_url, target.method, target.path, admin_token, data, extra)
    head += f"Content-Length: {len(data)}\r\n\r\n".encode()
    chunks = [data[i:i + 65536] for i in range(0, len(data), 65536)]
    status, headers, body = support.raw_http(api_url, head, chunks)
    _check_413(api, target.method, target.path, status, headers, body)
    assert state() == before


def test_chunked_body_over_1_mib_is_413(api, api_url, admin_token, state):
    before = state()
    data = _oversized(_unit_body())
    head = _raw_request(api_url, "POST", "/v1/units", admin_token, data)
    head += b"Transfer-Encoding: chunked\r\n\r\n"
    chunks = []
    for i in range(0, len(data), 65536):
        piece = data[i:i + 65536]
        chunks.append(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
    chunks.append(b"0\r\n\r\n")
    status, headers, body = support.raw_http(api_url, head, chunks)
    _check_413(api, "POST", "/v1/units", status, headers, body)
    assert state() == before


def test_body_just_under_the_limit_is_parsed(api, admin_token):
    body = _unit_body()
    raw = json.dumps(body).encode()
    data = raw[:-1] + b" " * (1024 * 1024 - len(raw) - 16) + b"}"
    r = api.post("/v1/units", token=admin_token, data=data,
                 headers={"Content-Type": "application/json"}, expect=201)
    assert r.body["code"] == body["code"]


# ------------------------------------------------------------- languages
@pytest.mark.parametrize("header,title", [
    (None, "资源不存在"),
    ("en", "Resource not found"),
    ("en-US,en;q=0.9", "Resource not found"),
    ("zh-CN,zh;q=0.9", "资源不存在"),
    ("fr", "资源不存在"),
])
def test_problem_title_language(api, admin_token, header, title):
    headers = {"Accept-Language": header} if header else {}
    r = api.get("/v1/units/00000000-0000-4000-8000-000000000000", token=admin_token,
                headers=headers, expect=404)
    assert r.body["title"] == title


def test_validation_problem_in_english(api, admin_token):
    body = dict(_unit_body(), code=support.wrong_check(support.new_uscc()))
    r = api.post("/v1/units", token=admin_token, json=body,
                 headers={"Accept-Language": "en"}, expect=422)
    assert r.body["title"] == "Validation failed"
    r = api.post("/v1/units", token=admin_token, json=body, expect=422)
    assert r.body["title"] == "数据校验未通过"


def test_field_problem_in_both_languages(api, admin_token, state):
    """The body checker's texts: Chinese by default, English on request; the
    code is the same in both."""
    body = {k: v for k, v in _unit_body().items() if k != "kind"}
    before = state()
    r = api.post("/v1/units", token=admin_token, json=body, expect=422)
    assert r.body["code"] == "required"
    assert r.body["errors"] == [{"pointer": "/kind", "code": "required", "detail": "为必填项"}]
    r = api.post("/v1/units", token=admin_token, json=body,
                 headers={"Accept-Language": "en"}, expect=422)
    assert r.body["errors"] == [{"pointer": "/kind", "code": "required", "detail": "is required"}]
    assert r.body["detail"] == "/kind: is required"
    assert state() == before


def test_policy_lists_every_fault_at_once(api, admin_token, policy, state):
    """PUT policy with three bad members: one 422 naming each, with its code."""
    body = dict(policy, cycle_years="2", authority="", in_force_from="2022-02-30")
    before = state()
    r = _send(api, admin_token, _targets(policy)["policy"], json.dumps(body).encode(),
              expect=422)
    assert {e["pointer"]: e["code"] for e in r.body["errors"]} == {
        "/cycle_years": "wrong_type", "/authority": "too_short", "/in_force_from": "not_date"}
    assert all(e["detail"] for e in r.body["errors"])
    assert state() == before
