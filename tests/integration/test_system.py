# SPDX-License-Identifier: MIT
"""Operational endpoints and cross-cutting HTTP rules of jiangxin-api:
health, readiness, metrics, the served OpenAPI document, docs, request ids,
JSON 404/405, CORS, and holding more than 1000 connections at once."""

import errno
import json
import re
import resource
import selectors
import socket
import time
import uuid

import pytest

import openapi_check
import support

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_healthz_is_ok(api):
    r = api.get("/healthz", expect=200)
    assert r.body == {"status": "ok"}


def test_readyz_reports_database_ok(api):
    r = api.get("/readyz", expect=200)
    assert r.body["status"] == "ok"
    assert r.body["database"] == "ok"


def test_vote_readyz_reports_redis_ok(vote):
    r = vote.get("/readyz", expect=200)
    assert r.body["status"] == "ok"
    assert r.body["redis"] == "ok"


def _metrics(client):
    r = client.get("/metrics", expect=200)
    ctype = r.headers.get("Content-Type", "")
    assert ctype.startswith("text/plain"), ctype
    assert "version=0.0.4" in ctype, ctype
    assert r.text.endswith("\n"), "Prometheus text must end with a newline"
    return r.text, support.parse_prometheus(r.text)


def _healthz_totals(samples):
    """(sum of request counter, sum of histogram count) for GET /healthz 200."""
    total = sum(v for n, lab, v in samples
                if n == "jiangxin_http_requests_total" and lab.get("method") == "GET"
                and lab.get("status") == "200" and lab.get("route", "").endswith("healthz"))
    count = sum(v for n, lab, v in samples
                if n == "jiangxin_http_request_duration_seconds_count"
                and lab.get("method") == "GET" and lab.get("route", "").endswith("healthz"))
    return total, count


def test_metrics_prometheus_text_and_counts_move(api):
    api.get("/healthz", expect=200)
    text, before = _metrics(api)
    support.check_metrics_shape(text, before)
    total0, count0 = _healthz_totals(before)
    for _ in range(3):
        api.get("/healthz", expect=200)
    _, after = _metrics(api)
    total1, count1 = _healthz_totals(after)
    assert total1 >= total0 + 3, (total0, total1)
    assert count1 >= count0 + 3, (count0, count1)


def test_metrics_labels_carry_route_templates_not_ids(api, admin_token):
    unknown = str(uuid.uuid4())
    api.get(f"/v1/units/{unknown}", token=admin_token, expect=404)
    text, _ = _metrics(api)
    assert unknown not in text, "a resource id leaked into a metrics label"


def test_openapi_json_is_the_spec(api, api_spec):
    r = api.get("/openapi.json", expect=200)
    served = r.json()
    expected = json.loads(json.dumps(api_spec.doc))
    assert served == expected, "GET /openapi.json differs from openapi/api.yaml: " + \
        _first_difference(served, expected)


def test_openapi_has_unique_operation_ids_and_covers_the_contract(api_spec):
    ids = []
    for method, template, op in api_spec.operations():
        assert op.get("operationId"), f"{method} {template} has no operationId"
        ids.append(op["operationId"])
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"duplicate operationIds: {dupes}"
    missing = [f"{m} {p}" for m, p in support.API_ROUTES
               if api_spec.find_operation(m, p)[1] is None]
    assert not missing, f"contract routes missing from openapi/api.yaml: {missing}"


def test_openapi_component_schemas_are_valid_json_schema(api_spec, vote_spec):
    from jsonschema import Draft202012Validator
    for spec in (api_spec, vote_spec):
        for name, schema in ((spec.doc.get("components") or {}).get("schemas") or {}).items():
            Draft202012Validator.check_schema(schema)


def test_openapi_documents_every_problem_type(api_spec):
    text = json.dumps(api_spec.doc, ensure_ascii=False)
    missing = [slug for slug in openapi_check.PROBLEM_TYPES
               if openapi_check.PROBLEM_PREFIX + slug not in text]
    assert not missing, f"problem types not documented in api.yaml: {missing}"


def _first_difference(a, b, path=""):
    if type(a) is not type(b):
        return f"{path or '/'}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                return f"{path}/{k}: missing in served document"
            if k not in b:
                return f"{path}/{k}: extra in served document"
            if a[k] != b[k]:
                return _first_difference(a[k], b[k], f"{path}/{k}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: list length {len(a)} vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{path}/{i}")
    return f"{path}: {a!r} vs {b!r}"


def test_docs_is_html(api):
    r = api.get("/docs", expect=200)
    assert r.headers["Content-Type"].startswith("text/html")
    assert "<html" in r.text.lower()


def test_enums_lists_roles_skill_levels_and_unit_kinds(api):
    r = api.get("/v1/enums", expect=200)
    roles = {e["value"] for e in r.body["roles"]}
    assert roles == {"admin", "office", "unit", "expert", "leader", "finance", "auditor",
                     "service"}
    for e in r.body["roles"]:
        assert e["label"] and e["label_en"]
    kinds = {e["value"] for e in r.body["unit_kinds"]}
    assert kinds == {"enterprise", "township", "subdistrict", "agency", "institution", "other"}
    levels = {e["value"]: e for e in r.body["skill_levels"]}
    assert levels["technician"]["label"] == "技师（二级）"
    ranks = [e["rank"] for e in r.body["skill_levels"]]
    assert len(set(ranks)) == len(ranks), "skill level ranks must be distinct"


def test_request_id_echoed_when_sane(api):
    rid = "it-echo_1.x-" + support.rand_hex(8)
    r = api.get("/healthz", headers={"X-Request-Id": rid}, expect=200)
    assert r.headers["X-Request-Id"] == rid


def test_request_id_generated_when_missing(api):
    r = api.get("/healthz", expect=200)
    assert UUID_RE.match(r.headers["X-Request-Id"]), r.headers["X-Request-Id"]


@pytest.mark.parametrize("bad", ["has space", "x" * 65, "semi;colon", "ümlaut"])
def test_request_id_replaced_when_insane(api, bad):
    r = api.get("/healthz", headers={"X-Request-Id": bad.encode("utf-8")}, expect=200)
    assert r.headers["X-Request-Id"] != bad
    assert UUID_RE.match(r.headers["X-Request-Id"]), r.headers["X-Request-Id"]


def test_request_id_in_problem_body(api):
    rid = "it-problem-" + support.rand_hex(8)
    r = api.get("/v1/no-such-thing", headers={"X-Request-Id": rid}, check="problem", expect=404)
    assert r.body["request_id"] == rid
    assert r.body["type"] == "urn:jiangxin:problem:not-found"


@pytest.mark.parametrize("path", ["/nope", "/v1/no-such-thing", "/v1/units/x/y/z", "/v2/units"])
def test_unknown_path_is_json_404(api, path):
    r = api.get(path, check="problem", expect=404)
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert r.body["instance"] == path


@pytest.mark.parametrize("path", ["/nope", "/v1/units"])
def test_vote_unknown_path_is_json_404(vote, path):
    r = vote.get(path, check="problem", expect=404)
    assert r.body["type"] == "urn:jiangxin:problem:not-found"


@pytest.mark.parametrize("method,path,must_allow", [
    ("DELETE", "/v1/programmes", {"GET"}),
    ("POST", "/healthz", {"GET"}),
    ("PUT", "/v1/units", {"GET", "POST"}),
    ("DELETE", "/v1/units/" + support.SAMPLE_ID, {"GET", "PATCH"}),
])
def test_wrong_method_is_405_with_allow(api, admin_token, method, path, must_allow):
    r = api.request(method, path, token=admin_token, check="problem", expect=405)
    allow = {m.strip().upper() for m in r.headers["Allow"].split(",")}
    assert must_allow <= allow, r.headers["Allow"]
    assert method not in allow
    assert r.body["type"] == "urn:jiangxin:problem:method-not-allowed"


def test_cors_preflight(api):
    r = api.options("/v1/units", check="none", headers={
        "Origin": "https://front.example.org",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
    })
    assert r.status_code == 204, r.text
    assert r.headers.get("Access-Control-Allow-Origin") in ("*", "https://front.example.org")
    methods = {m.strip().upper() for m in r.headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "POST"} <= methods, methods
    allowed = {h.strip().lower() for h in r.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "if-match", "idempotency-key", "x-request-id",
            "accept-language"} <= allowed, allowed
    assert r.headers.get("Access-Control-Max-Age") == "600"
    assert not r.content


def test_cors_headers_on_normal_responses(api):
    r = api.get("/v1/programmes", headers={"Origin": "https://front.example.org"}, expect=200)
    assert r.headers.get("Access-Control-Allow-Origin") in ("*", "https://front.example.org")
    exposed = {h.strip().lower() for h in r.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "link", "location", "retry-after", "x-request-id"} <= exposed, exposed


def test_cors_headers_on_errors(api):
    r = api.get("/v1/me", headers={"Origin": "https://front.example.org"}, expect=401)
    assert r.headers.get("Access-Control-Allow-Origin") in ("*", "https://front.example.org")


N_CONNECTIONS = 1100


def _raise_nofile(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        target = need if hard == resource.RLIM_INFINITY else min(need, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert soft == resource.RLIM_INFINITY or soft >= need, \
        f"RLIMIT_NOFILE {soft} < {need}; cannot open enough sockets"


def test_api_holds_1100_concurrent_connections(api_url):
    _raise_nofile(N_CONNECTIONS + 256)
    host, port = support.split_url(api_url)
    request = (f"GET /healthz HTTP/1.1\r\nHost: {host}:{port}\r\n"
               "Connection: close\r\n\r\n").encode()
    sel = selectors.DefaultSelector()
    socks = []
    deadline = time.monotonic() + 90
    try:
        # 1. Open every connection before sending anything.
        for i in range(N_CONNECTIONS):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            rc = s.connect_ex((host, port))
            assert rc in (0, errno.EINPROGRESS, errno.EAGAIN), f"connect #{i}: {errno.errorcode.get(rc)}"
            socks.append(s)
            sel.register(s, selectors.EVENT_WRITE, i)
        pending = set(range(N_CONNECTIONS))
        while pending and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=1):
                s = key.fileobj
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                assert err == 0, f"connect #{key.data}: {errno.errorcode.get(err, err)}"
                pending.discard(key.data)
                sel.unregister(s)
        assert not pending, f"{len(pending)} connections never completed"
        # 2. All open at once: now send a request on each.
        for i, s in enumerate(socks):
            s.setblocking(True)
            s.settimeout(10)
            s.sendall(request)
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ, i)
        # 3. Collect every answer.
        buffers = {i: b"" for i in range(N_CONNECTIONS)}
        statuses = {}
        while len(statuses) < N_CONNECTIONS and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=1):
                i = key.data
                try:
                    data = key.fileobj.recv(65536)
                except (ConnectionResetError, BlockingIOError) as e:
                    if isinstance(e, BlockingIOError):
                        continue
                    data = b""
                if data:
                    buffers[i] += data
                    parsed = support._parse_response(buffers[i])
                    if parsed is None:
                        continue
                else:
                    parsed = support._parse_response(buffers[i], final=True)
                statuses[i] = parsed[0] if parsed else None
                sel.unregister(key.fileobj)
        missing = N_CONNECTIONS - len(statuses)
        bad = {i: st for i, st in statuses.items() if st != 200}
        assert missing == 0 and not bad, (
            f"{missing} connections got no answer, {len(bad)} got a non-200 "
            f"(first: {list(bad.items())[:5]})")
    finally:
        sel.close()
        for s in socks:
            s.close()
    # And the server is still fine afterwards.
    s = socket.create_connection((host, port), timeout=10)
    try:
        s.sendall(request)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        assert data.startswith(b"HTTP/1.1 200"), data[:100]
    finally:
        s.close()
