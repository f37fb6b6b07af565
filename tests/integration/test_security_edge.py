# SPDX-License-Identifier: MIT
"""The HTTP edge of both services (issue 11): a body's fate is decided from
the request head, before any of it is kept (the route's limit, the upload
limit only for an authenticated caller allowed on the upload route, a small
one for anonymous callers); a refused body is read and dropped, so memory
stays flat under many large bodies; one client address holds a bounded
number of connections and silent connections are closed; ambiguous framing
(conflicting Content-Length, Content-Length beside Transfer-Encoding) is a
400 with one status line and the connection closed. Raw sockets throughout:
requests cannot send these heads. Private service instances (own ports,
small limits) where a test needs its own settings or the process id."""

import json
import os
import re
import socket
import threading
import time
import uuid

import pytest

import support
import vote_flow
import vote_support

MIB = 1024 * 1024
MAX_UPLOAD = int(os.environ.get("JIANGXIN_TEST_MAX_UPLOAD") or 10 * MIB)
ANONYMOUS_BODY_MAX = 64 * 1024  # common/http.h HTTP_ANONYMOUS_BODY_MAX
VOTE_MAX_BODY = 4096  # jiangxin-vote's JIANGXIN_MAX_BODY default


# ------------------------------------------------------------------ helpers
def _connect(base, source="127.0.0.1", timeout=10):
    host, port = support.split_url(base)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect((host, port))
    return s


def _read_all(sock, timeout=10):
    """Everything the server sends until it closes (or `timeout`)."""
    sock.settimeout(timeout)
    got = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            data = sock.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not data:
            break
        got += data
    return got


def _status_lines(data):
    return re.findall(rb"HTTP/1\.[01] \d{3} ", data)


def _problem(data):
    parsed = support._parse_response(data, final=True)
    assert parsed is not None, data[:300]
    status, headers, body = parsed
    return status, support.CIHeaders(headers), json.loads(body) if body else None


def _head(method, path, base, extra=""):
    host, port = support.split_url(base)
    return f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}".encode()


def _rss_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def _own_api(tmp_path, **overrides):
    """A jiangxin-api of our own on the suite's database: no vote pushes,
    no test clock (nothing here depends on dates)."""
    port = vote_flow.free_port()
    env = vote_flow.api_env(port, "http://127.0.0.1:9")
    env.pop("JIANGXIN_VOTE_URL")
    env.pop("JIANGXIN_TEST_CLOCK")
    env.update({k: str(v) for k, v in overrides.items()})
    return vote_flow.Service(f"api-edge-{port}", support.need_env("JIANGXIN_TEST_API_BIN"), env,
                             port, tmp_path, ["serve"])


def _own_vote(tmp_path, **overrides):
    port = vote_flow.free_port()
    env = vote_flow.vote_env(JIANGXIN_LISTEN=f"127.0.0.1:{port}", JIANGXIN_API_URL=None,
                             JIANGXIN_TEST_CLOCK=None,
                             **{k: str(v) for k, v in overrides.items()})
    return vote_flow.Service(f"vote-edge-{port}", support.need_env("JIANGXIN_TEST_VOTE_BIN"),
                             env, port, tmp_path)


def _warm(base, n=3):
    for _ in range(n):
        s = _connect(base)
        s.sendall(_head("GET", "/healthz", base, "Connection: close\r\n\r\n"))
        assert _status_lines(_read_all(s)) == [b"HTTP/1.1 200 "]
        s.close()


def _refused(base, method, path, extra, size):
    s = _connect(base, timeout=60)
    s.sendall(_head(method, path, base, f"{extra}Content-Length: {size}\r\n\r\n"))
    s.sendall(b" " * size)
    got = _read_all(s, timeout=30)
    s.close()
    return got


def _concurrent_bodies(svc, targets, size, n=20):
    """n clients at once, each sending a `size` body to one of `targets`
    and reading its answer; the service's largest RSS meanwhile (KiB)."""
    answers, peak, done = [], [_rss_kib(svc.proc.pid)], threading.Event()

    def client(i):
        method, path, extra, status = targets[i % len(targets)]
        got = _refused(svc.url, method, path, extra, size)
        answers.append((status, got))

    def sample():
        while not done.is_set():
            peak.append(_rss_kib(svc.proc.pid))
            time.sleep(0.05)
    sampler = threading.Thread(target=sample)
    sampler.start()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    done.set()
    sampler.join()
    assert len(answers) == n
    for status, got in answers:
        assert _status_lines(got) == [f"HTTP/1.1 {status} ".encode()], (got[:300],
                                                                      svc.text()[-3000:])
    return max(peak)


# ------------------------------------------------------------ body limits
def test_large_bodies_on_non_upload_routes_leave_memory_flat(tmp_path):
    """Defect: every API route buffered up to JIANGXIN_MAX_UPLOAD (10 MiB)
    per connection before dispatch, even POST /healthz or the upload route
    without a token (20 connections: 19 → 241 MiB). Now 20 connections at
    once, each sending 10 MiB to a route that may not take it, keep the
    API's RSS within a few MiB of idle; each is answered (413, 401 or 405)
    after its body."""
    api = _own_api(tmp_path, JIANGXIN_IDLE_TIMEOUT=300)
    api.start()
    try:
        _warm(api.url)
        size = 10 * MIB
        targets = [
            ("POST", "/v1/auth/token", "Content-Type: application/json\r\n", 413),
            ("POST", "/healthz", "", 405),
            ("POST", "/v1/units", "Content-Type: application/json\r\n", 401),
            ("POST", f"/v1/nominations/{uuid.uuid4()}/attachments?kind=other&filename=a.pdf",
             "Content-Type: application/pdf\r\n", 401),
        ]
        for method, path, extra, status in targets:  # every code path once
            got = _refused(api.url, method, path, extra, 2 * MIB)
            assert _status_lines(got) == [f"HTTP/1.1 {status} ".encode()], \
                (path, got[:300], api.text()[-3000:])
        idle = _rss_kib(api.proc.pid)
        peak = _concurrent_bodies(api, targets, size)
        assert peak - idle < 8 * 1024, f"RSS {idle} KiB idle, {peak} KiB at most with 20 bodies"
        api.stop()
    finally:
        api.kill()


def test_vote_service_drops_bodies_over_its_small_limit(tmp_path):
    """Defect: jiangxin-vote buffered up to 1 MiB (its session PUT's limit)
    on every route, although a vote is under 4 KiB. Now the session PUT's
    JIANGXIN_MAX_SESSION_BODY applies to the service caller only: 20
    connections at once sending 1 MiB votes or anonymous session PUTs
    leave its RSS flat."""
    vote = _own_vote(tmp_path, JIANGXIN_IDLE_TIMEOUT=300)
    vote.start()
    try:
        _warm(vote.url)
        size = MIB
        token = vote_support.voter_token()
        targets = [
            ("POST", f"/v1/sessions/{uuid.uuid4()}/votes",
             f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n", 413),
            ("PUT", f"/internal/v1/sessions/{uuid.uuid4()}", "Content-Type: application/json\r\n",
             401),
        ]
        for method, path, extra, status in targets:  # every code path once
            got = _refused(vote.url, method, path, extra, size)
            assert _status_lines(got) == [f"HTTP/1.1 {status} ".encode()], \
                (path, got[:300], vote.text()[-3000:])
        idle = _rss_kib(vote.proc.pid)
        peak = _concurrent_bodies(vote, targets, size)
        assert peak - idle < 6 * 1024, f"RSS {idle} KiB idle, {peak} KiB at most with 20 bodies"
        vote.stop()
    finally:
        vote.kill()


def _nomination(factory):
    programme = factory.programme()
    office = factory.office(programme)
    rnd = factory.round(programme, office, phase="accepting")
    unit = factory.user("unit")
    return unit, factory.nomination(rnd["id"], unit)


@pytest.mark.clock("2026-11-20")
def test_upload_size_only_after_authentication(api, api_url, factory, admin_token):
    """Defect: the upload route buffered its 10 MiB for anyone. Now the
    caller is checked on the head: with the unit's token an upload between
    JIANGXIN_MAX_BODY and JIANGXIN_MAX_UPLOAD is taken; without a token or
    with a role the route does not allow, the answer (401, 403) comes
    before the body — at once for a client that waits for 100 Continue."""
    unit, nom = _nomination(factory)
    path = f"/v1/nominations/{nom['id']}/attachments?kind=other&filename=big.pdf"
    size = min(MAX_UPLOAD, 2 * MIB)
    data = b"%PDF-1.4\n" + b"\n" * (size - 9)
    r = api.post(path.split("?")[0], token=unit.token, data=data,
                 params={"kind": "other", "filename": "big.pdf"},
                 headers={"Content-Type": "application/pdf"}, expect=201)
    assert r.body["size_bytes"] == size
    for token, status in ((None, 401), (admin_token, 403)):
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        s = _connect(api_url)
        # Head only: the client waits for 100 Continue before its body.
        s.sendall(_head("POST", path, api_url,
                        f"{auth}Content-Type: application/pdf\r\nContent-Length: {size}\r\n"
                        "Expect: 100-continue\r\n\r\n"))
        got = _read_all(s, timeout=10)
        s.close()
        assert _status_lines(got) == [f"HTTP/1.1 {status} ".encode()], got[:300]
        st, _, problem = _problem(got)
        assert problem["status"] == status
    # An authenticated caller over the upload limit: refused from the head too.
    s = _connect(api_url)
    s.sendall(_head("POST", path, api_url,
                    f"Authorization: Bearer {unit.token}\r\nContent-Type: application/pdf\r\n"
                    f"Content-Length: {MAX_UPLOAD + 1}\r\nExpect: 100-continue\r\n\r\n"))
    got = _read_all(s, timeout=10)
    s.close()
    assert _status_lines(got) == [b"HTTP/1.1 413 "], got[:300]
    assert _problem(got)[2]["type"] == "urn:jiangxin:problem:payload-too-large"


def _chunked(data, piece=8192):
    out = [f"{len(data[i:i + piece]):x}\r\n".encode() + data[i:i + piece] + b"\r\n"
           for i in range(0, len(data), piece)]
    return out + [b"0\r\n\r\n"]


def test_chunked_bodies_over_the_limit_are_413(api_url, vote_url):
    """Defect: an anonymous caller could make the API keep up to 1 MiB per
    connection (the sign-in took JIANGXIN_MAX_BODY). Chunked bodies are
    counted as they arrive: over the anonymous limit (64 KiB) on the
    sign-in, over 4 KiB on a vote → 413, the rest dropped."""
    body = json.dumps({"username": "x" * 10, "password": "y" * 10}).encode()
    data = body[:-1] + b" " * (ANONYMOUS_BODY_MAX + 100 - len(body)) + b"}"
    head = _head("POST", "/v1/auth/token", api_url,
                 "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                 "Connection: close\r\n\r\n")
    status, _, problem = support.raw_http(api_url, head, _chunked(data))
    assert status == 413, problem[:300]
    assert json.loads(problem)["type"] == "urn:jiangxin:problem:payload-too-large"

    sid = str(uuid.uuid4())
    vote_body = json.dumps({"nominee_id": str(uuid.uuid4())}).encode()
    vote_body = vote_body[:-1] + b" " * (2 * VOTE_MAX_BODY) + b"}"
    head = _head("POST", f"/v1/sessions/{sid}/votes", vote_url,
                 f"Authorization: Bearer {vote_support.voter_token()}\r\n"
                 "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                 "Connection: close\r\n\r\n")
    status, _, problem = support.raw_http(vote_url, head, _chunked(vote_body, 1024))
    assert status == 413, problem[:300]
    assert json.loads(problem)["type"] == "urn:jiangxin:problem:payload-too-large"


# ------------------------------------------------------------ connections
def _served(base, source):
    """True when a GET /healthz from `source` is answered 200."""
    try:
        s = _connect(base, source, timeout=5)
        s.sendall(_head("GET", "/healthz", base, "Connection: close\r\n\r\n"))
        got = _read_all(s, timeout=5)
        s.close()
    except OSError:
        return False
    return _status_lines(got) == [b"HTTP/1.1 200 "]


@pytest.mark.parametrize("which", ["api", "vote"])
def test_connections_per_address_and_idle_timeout(tmp_path, which):
    """Defect: one client holding 4,300 idle connections made both services
    unreachable (no per-address limit, idle connections lived 60 s). Now
    JIANGXIN_MAX_CONNECTIONS_PER_IP bounds one address (here 8): the 9th
    connection from 127.0.0.1 is closed unanswered while 127.0.0.2 is
    served; JIANGXIN_IDLE_TIMEOUT (here 3 s) closes silent connections,
    after which 127.0.0.1 is served again."""
    make = _own_api if which == "api" else _own_vote
    svc = make(tmp_path, JIANGXIN_MAX_CONNECTIONS_PER_IP=8, JIANGXIN_IDLE_TIMEOUT=3)
    svc.start()
    try:
        deadline = time.monotonic() + 2
        held = [_connect(svc.url) for _ in range(8)]
        extra = _connect(svc.url, timeout=5)
        try:
            extra.sendall(_head("GET", "/healthz", svc.url, "\r\n"))
        except OSError:
            pass
        assert _status_lines(_read_all(extra, timeout=2)) == []
        extra.close()
        assert _served(svc.url, "127.0.0.2")
        assert time.monotonic() < deadline + 3, "too slow to test within the idle timeout"
        t0 = time.monotonic()
        closed = []

        def wait_closed(s):
            got = _read_all(s, timeout=15)
            closed.append((time.monotonic() - t0, got))
        threads = [threading.Thread(target=wait_closed, args=(s,)) for s in held]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        assert len(closed) == 8
        assert all(got == b"" for _, got in closed), closed
        assert max(took for took, _ in closed) < 10, closed
        for s in held:
            s.close()
        assert _served(svc.url, "127.0.0.1")
        svc.stop()
    finally:
        svc.kill()


# ---------------------------------------------------------------- framing
SERVICES = ["api", "vote"]


def _base(which, api_url, vote_url):
    return api_url if which == "api" else vote_url


def _path(which):
    return "/v1/auth/token" if which == "api" else f"/v1/sessions/{uuid.uuid4()}/votes"


@pytest.mark.parametrize("which", SERVICES)
def test_conflicting_content_length_is_400_and_closes(which, api_url, vote_url):
    """Defect: two conflicting Content-Length headers were accepted (the
    first one read), so a proxy reading the other one would see another
    request in the rest. Now 400 invalid_framing, one status line, and the
    connection is closed: the smuggled request is never answered."""
    base = _base(which, api_url, vote_url)
    smuggled = _head("GET", "/healthz", base, "\r\n")
    body = b"{}" + smuggled
    s = _connect(base)
    s.sendall(_head("POST", _path(which), base,
                    "Content-Type: application/json\r\nContent-Length: 2\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n") + body)
    got = _read_all(s)
    s.close()
    assert _status_lines(got) == [b"HTTP/1.1 400 "], got[:600]
    status, headers, problem = _problem(got)
    assert problem["type"] == "urn:jiangxin:problem:malformed-request"
    assert problem["code"] == "invalid_framing"
    assert headers.get("X-Request-Id")


@pytest.mark.parametrize("which", SERVICES)
def test_content_length_beside_transfer_encoding_is_400(which, api_url, vote_url):
    """Defect: Content-Length beside Transfer-Encoding: chunked was served
    (the chunked reading won), the classic request-smuggling split between
    a proxy and a server. Now 400 invalid_framing, one status line; so is
    a transfer coding other than a single chunked."""
    base = _base(which, api_url, vote_url)
    for extra in ("Transfer-Encoding: chunked\r\nContent-Length: 7\r\n",
                  "Transfer-Encoding: gzip, chunked\r\n"):
        s = _connect(base)
        s.sendall(_head("POST", _path(which), base,
                        f"Content-Type: application/json\r\n{extra}\r\n") + b"2\r\n{}\r\n0\r\n\r\n")
        got = _read_all(s)
        s.close()
        assert _status_lines(got) == [b"HTTP/1.1 400 "], (extra, got[:600])
        assert _problem(got)[2]["code"] == "invalid_framing"


@pytest.mark.parametrize("which", SERVICES)
def test_identical_repeated_content_length_is_served(which, api_url, vote_url):
    """RFC 9112 §6.3 allows a repeated identical Content-Length: the request
    is served as usual (here: refused by the route's own checks, not 400
    invalid_framing)."""
    base = _base(which, api_url, vote_url)
    s = _connect(base)
    s.sendall(_head("POST", _path(which), base,
                    "Content-Type: application/json\r\nContent-Length: 2\r\n"
                    "Content-Length: 2\r\nConnection: close\r\n\r\n{}"))
    got = _read_all(s)
    s.close()
    assert len(_status_lines(got)) == 1, got[:600]
    assert _problem(got)[2].get("code") != "invalid_framing"


MALFORMED = [("negative", "-1", 400), ("hex", "0x10", 400), ("plus", "+5", 400),
             ("list", "2, 2", 400), ("overflow", "99999999999999999999999", 413)]


@pytest.mark.parametrize("which", SERVICES)
@pytest.mark.parametrize("name,value,status", MALFORMED)
def test_malformed_content_length_is_refused_before_the_handler(which, name, value, status,
                                                                 api_url, vote_url):
    """A Content-Length that is not one decimal number is refused by
    libmicrohttpd itself, before any of our code runs: 400 (413 when it
    overflows), Connection: close, and the request never reaches a
    handler (no problem document). libmicrohttpd 0.9.75 writes the head
    of that reply twice (its own defect, before any application callback;
    SECURITY.md, "The HTTP edge"): the reverse proxy in front refuses such requests
    itself, and the connection is closed either way."""
    base = _base(which, api_url, vote_url)
    s = _connect(base)
    s.sendall(_head("POST", _path(which), base,
                    f"Content-Type: application/json\r\nContent-Length: {value}\r\n\r\n{{}}"))
    got = _read_all(s)
    s.close()
    lines = _status_lines(got)
    assert lines and set(lines) == {f"HTTP/1.1 {status} ".encode()}, got[:600]
    assert b"Connection: close" in got
    assert b"application/problem+json" not in got
