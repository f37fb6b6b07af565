# SPDX-License-Identifier: MIT
"""The jiangxin-vote skeleton: health, readiness (Redis), metrics, its
OpenAPI document, request ids, JSON 404/405, and its access log."""

import json
import re

import pytest

import support

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_vote_healthz(vote):
    assert vote.get("/healthz", expect=200).body == {"status": "ok"}


def test_vote_readyz_checks_redis(vote):
    body = vote.get("/readyz", expect=200).body
    assert {k: body[k] for k in ("status", "redis")} == {"status": "ok", "redis": "ok"}
    assert set(body["clock"]) == {"now", "today", "test_clock", "offset_seconds"}


def test_vote_metrics(vote):
    vote.get("/healthz", expect=200)
    r = vote.get("/metrics", expect=200)
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "version=0.0.4" in r.headers["Content-Type"]
    assert r.text.endswith("\n")
    samples = support.parse_prometheus(r.text)
    support.check_metrics_shape(r.text, samples)

    def healthz_total(samples):
        return sum(v for n, lab, v in samples if n == "jiangxin_http_requests_total"
                   and lab.get("route", "").endswith("healthz") and lab.get("status") == "200")
    before = healthz_total(samples)
    vote.get("/healthz", expect=200)
    vote.get("/healthz", expect=200)
    after = healthz_total(support.parse_prometheus(vote.get("/metrics", expect=200).text))
    assert after >= before + 2


def test_vote_openapi_json_is_voting_yaml(vote, vote_spec):
    served = vote.get("/openapi.json", expect=200).json()
    assert served == json.loads(json.dumps(vote_spec.doc))
    ids = [op.get("operationId") for _, _, op in vote_spec.operations()]
    assert all(ids) and len(ids) == len(set(ids))
    missing = [f"{m} {p}" for m, p in support.VOTE_ROUTES
               if vote_spec.find_operation(m, p)[1] is None]
    assert not missing


@pytest.mark.parametrize("path", ["/nope", "/v1/sessions/x", "/docs/../etc/passwd"])
def test_vote_unknown_path_is_json_404(vote, path):
    r = vote.get(path, check="problem", expect=404)
    assert r.body["type"] == "urn:jiangxin:problem:not-found"


def test_vote_unknown_path_english_title(vote):
    r = vote.get("/nope", check="problem", headers={"Accept-Language": "en"}, expect=404)
    assert r.body["title"] == "Resource not found"


def test_vote_wrong_method_is_405(vote):
    r = vote.request("DELETE", "/healthz", check="problem", expect=405)
    assert "GET" in r.headers["Allow"]


def test_vote_request_id(vote):
    rid = "it-vote-" + support.rand_hex(8)
    assert vote.get("/healthz", headers={"X-Request-Id": rid},
                    expect=200).headers["X-Request-Id"] == rid
    assert UUID_RE.match(vote.get("/healthz", expect=200).headers["X-Request-Id"])


def test_vote_access_log_line(vote):
    log_path = support.need_env("JIANGXIN_TEST_VOTE_LOG")
    rid = "it-vote-log-" + support.rand_hex(8)
    vote.get("/healthz?secret=" + rid[-8:] + "x", headers={"X-Request-Id": rid}, expect=200)

    def line():
        with open(log_path, encoding="utf-8", errors="replace") as f:
            return [x for x in f.read().splitlines() if rid in x]
    lines = support.poll(line, timeout=10, what="the vote access log line")
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["msg"] == "request" and entry["path"] == "/healthz"
    assert entry["method"] == "GET" and entry["status"] == 200
    assert "secret=" not in lines[0]
