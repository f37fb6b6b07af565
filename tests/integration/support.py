# SPDX-License-Identifier: MIT
"""Plain helpers for the black-box suite: environment lookup (fail in CI,
skip on a laptop), GB 32100 code generation, hand-built JWTs, psql access,
raw-socket HTTP for cases requests cannot express, and polling with a
deadline. No fixtures here; conftest.py wires them up."""

import base64
import re as _re
import hashlib
import hmac
import json
import os
import random
import secrets
import socket
import subprocess
import time

import pytest
import requests

IN_CI = bool(os.environ.get("CI"))
PROGRAMMES = ("lanshan-craftsman", "huancui-chief-technician")
ROLES = ("admin", "office", "unit", "expert", "leader", "finance", "auditor", "service")


# The services close a connection that stayed silent for JIANGXIN_IDLE_TIMEOUT
# (15 s by default). A client that sends on a pooled connection at that moment
# meets "Remote end closed connection without response": the keep-alive race
# every HTTP/1.1 client must avoid. Like a browser, ours keeps its own idle
# limit below the server's and opens a fresh connection after a longer pause.
IDLE_REUSE_SECONDS = 5


class Session(requests.Session):
    """A requests.Session for 127.0.0.1: no proxy, no stale keep-alive."""

    def __init__(self):
        super().__init__()
        self.trust_env = False  # never a proxy for 127.0.0.1
        self.last_used = time.monotonic()

    def request(self, *args, **kw):
        if time.monotonic() - self.last_used > IDLE_REUSE_SECONDS:
            self.close()  # drops the pooled connections; the next request opens one
        try:
            return super().request(*args, **kw)
        finally:
            self.last_used = time.monotonic()


def need_env(name):
    """The value of a required JIANGXIN_TEST_* variable. Missing: a failure in
    CI, a skip elsewhere."""
    value = os.environ.get(name)
    if not value:
        msg = f"environment variable {name} is not set (run through deploy/local.sh test)"
        if IN_CI:
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    return value


def unreachable(msg):
    if IN_CI:
        pytest.fail(msg, pytrace=False)
    pytest.skip(msg)


# ------------------------------------------------------------ GB 32100
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 3^(i-1) mod 31, i = 1..17


def uscc_check_char(first17):
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    value = 31 - total % 31
    return USCC_ALPHABET[0 if value == 31 else value]


def uscc_valid(code):
    return (len(code) == 18 and all(c in USCC_ALPHABET for c in code)
            and uscc_check_char(code[:17]) == code[17])


def new_uscc(rng=random.SystemRandom()):
    """A fresh, valid 统一社会信用代码: 91 + a Beijing-ish division + 9 random
    symbols + the check character."""
    body = "91" + "110108" + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def wrong_check(code):
    """The same code with a wrong check character."""
    good = code[17]
    bad = next(c for c in "0123456789ABCD" if c != good)
    return code[:17] + bad


assert uscc_valid("91350100M000100Y43")
assert uscc_valid("91110000600037341L")
assert uscc_valid("11320000MB151840XJ")
assert not uscc_valid("91350100M000100Y4Z")


# ------------------------------------------------------------ GB 11643
ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def id_check_char(first17):
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def new_id_number(*, male=None, birth="1900", rng=random.SystemRandom()):
    """A synthetic 身份证号 with a valid check character and an impossible
    birth year (1900 by default: test data never looks like a real person).
    `birth` is YYYY or YYYYMMDD; the sequence code's parity gives the gender."""
    if len(birth) == 4:
        birth += f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    seq = rng.randint(0, 999)
    if male is not None and (seq % 2 == 1) != male:
        seq = (seq + 1) % 1000
    first17 = "370" + f"{rng.randint(100, 999)}" + birth + f"{seq:03d}"
    return first17 + id_check_char(first17)


def wrong_id_check(number):
    good = number[17]
    return number[:17] + next(c for c in "0123456789X" if c != good)


def mask_id(number):
    return number[:3] + "*" * 11 + number[-4:]


def new_phone(rng=random.SystemRandom()):
    return "139" + "".join(str(rng.randint(0, 9)) for _ in range(8))


assert id_check_char("11010519491231002") == "X"


# ------------------------------------------------------------------ JWT
def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def es256_token(claims, key_env="JIANGXIN_TEST_VOTE_PUSH_KEY"):
    """A JWT signed ES256 with the PEM private key whose path is in key_env:
    JIANGXIN_TEST_VOTE_PUSH_KEY (the API's push key: service tokens for the
    voting service) or JIANGXIN_TEST_POSTER_KEY (the tally poster's key:
    tokens for the API's tally route)."""
    import jwt  # python3-jwt with python3-cryptography
    with open(need_env(key_env), encoding="ascii") as f:
        return jwt.encode(claims, f.read(), algorithm="ES256")


def poster_token(**claims):
    """A token of the voting service's tally poster for the API (ES256, the
    test stack's poster key): a service principal scoped to the tally route.
    claims: overrides; a None value drops the claim."""
    now = int(time.time())  # token times are real time, as the API checks them
    payload = {"iss": "jiangxin-vote", "aud": "jiangxin-api", "sub": "vote-poster",
               "role": "service", "iat": now, "exp": now + 300}
    payload.update(claims)
    return es256_token({k: v for k, v in payload.items() if v is not None},
                       "JIANGXIN_TEST_POSTER_KEY")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_parts(token):
    h, p, _ = token.split(".")
    return json.loads(b64url_decode(h)), json.loads(b64url_decode(p))


def jwt_encode(header, payload, key, alg=None):
    """Builds a JWT by hand. alg: "HS256" / "HS512" (HMAC with key) or "none"
    (empty signature); default: header["alg"]."""
    alg = alg or header.get("alg")
    h = b64url(json.dumps(header, separators=(",", ":")).encode())
    p = b64url(json.dumps(payload, separators=(",", ":")).encode())
    signing_input = f"{h}.{p}".encode()
    if alg == "none":
        return f"{h}.{p}."
    digest = {"HS256": hashlib.sha256, "HS512": hashlib.sha512}[alg]
    key = key.encode() if isinstance(key, str) else key
    sig = hmac.new(key, signing_input, digest).digest()
    return f"{h}.{p}.{b64url(sig)}"


# --------------------------------------------------------------- psql
def psql(url, sql, *, check=True, timeout=30):
    """Runs SQL with psql (-At, ON_ERROR_STOP). Returns CompletedProcess."""
    proc = subprocess.run(
        ["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
        capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"psql failed ({proc.returncode}): {sql}\n{proc.stderr}")
    return proc


def psql_scalar(url, sql):
    return psql(url, sql).stdout.strip()


def with_db(url, name):
    """The URL of database `name` on the server of `url`, as its user."""
    head, _, _ = url.rpartition("/")
    return f"{head}/{name}"


def migrate(owner_url, migrations_dir):
    """`jiangxin-api migrate` of `migrations_dir` (and the functions beside
    it) into the database of owner_url. Returns CompletedProcess."""
    api_bin = need_env("JIANGXIN_TEST_API_BIN")
    env = cli_env(JIANGXIN_DATABASE_URL=owner_url, JIANGXIN_MIGRATIONS_DIR=str(migrations_dir))
    return subprocess.run([api_bin, "migrate"], env=env, capture_output=True, text=True,
                          timeout=120)


def migrated(owner_url, migrations_dir):
    """migrate, which must succeed; returns its output."""
    proc = migrate(owner_url, migrations_dir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


# ----------------------------------------------------------- raw HTTP
def split_url(base):
    """("127.0.0.1", 8080) from http://127.0.0.1:8080[/]."""
    rest = base.split("://", 1)[1].rstrip("/")
    host, _, port = rest.partition(":")
    return host, int(port or 80)


def raw_http(base, request_head, body_chunks=(), *, timeout=30):
    """Sends a raw request head and body chunks, tolerating a server that
    answers early and closes; returns (status, headers dict lower-case, body
    bytes) or raises AssertionError when no answer came."""
    host, port = split_url(base)
    sock = socket.create_connection((host, port), timeout=timeout)
    received = b""
    try:
        sock.sendall(request_head)
        for chunk in body_chunks:
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                break
            except socket.timeout:
                break
            if not data:
                break
            received += data
            parsed = _parse_response(received)
            if parsed is not None:
                return parsed
    finally:
        sock.close()
    parsed = _parse_response(received, final=True)
    if parsed is None:
        raise AssertionError(f"no complete HTTP response; got {received[:300]!r}")
    return parsed


def _parse_response(data, final=False):
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        n = int(headers["content-length"])
        if len(body) < n:
            return None if not final else (status, headers, body)
        return status, headers, body[:n]
    if headers.get("transfer-encoding", "").lower() == "chunked":
        out = b""
        rest = body
        while True:
            size_line, sep, rest = rest.partition(b"\r\n")
            if not sep:
                return None if not final else (status, headers, out)
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                return status, headers, out
            if len(rest) < size + 2:
                return None if not final else (status, headers, out)
            out += rest[:size]
            rest = rest[size + 2:]
    return None if not final else (status, headers, body)


class CIHeaders(dict):
    """dict with case-insensitive get / in, for raw_http results."""

    def get(self, key, default=None):
        return super().get(key.lower(), default)

    def __contains__(self, key):
        return super().__contains__(key.lower())

    def __getitem__(self, key):
        return super().__getitem__(key.lower())


# --------------------------------------------------------------- misc
def poll(fn, *, timeout=10.0, interval=0.1, what="condition"):
    """Calls fn() until it returns a truthy value (or any HTTP response); returns it. Fails after
    `timeout` seconds with the last value."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = fn()
        except Exception as e:  # noqa: BLE001 - keep polling through errors
            last = e
        # A requests.Response is falsy for 4xx/5xx: any Response counts as an answer.
        done = last is not None if hasattr(last, "status_code") else bool(last)
        if done and not isinstance(last, Exception):
            return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {last!r}")
        time.sleep(interval)


def rand_hex(n=8):
    return secrets.token_hex(n // 2 + n % 2)[:n]


def new_password():
    return "pw-" + secrets.token_urlsafe(18)


def login(api, username, password, **kw):
    """POST /v1/auth/token; returns the access token. Retries, as a client
    should, when the API's password hashers are busy (503 sign_in_busy: a
    voting service's poster may be signing in at the same moment)."""
    for _ in range(10):
        r = api.post("/v1/auth/token", json={"username": username, "password": password},
                     expect=(200, 503), **kw)
        if r.status_code == 200:
            return r.body["access_token"]
        assert r.body.get("code") == "sign_in_busy", r.body
        time.sleep(0.2)
    raise AssertionError(f"sign-in as {username}: the API stayed busy")


def etag_of(resp):
    tag = resp.headers.get("ETag")
    assert tag, f"{resp.request.method} {resp.request.path_url}: no ETag header"
    return tag


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


# Every route of the contract as (method, a concrete example path). Used to
# check that the OpenAPI document covers the contract and by the role matrix.
SAMPLE_ID = "00000000-0000-4000-8000-000000000000"
FOUNDATION_ROUTES = [
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/v1/enums"),
    ("POST", "/v1/auth/token"),
    ("GET", "/v1/me"),
    ("GET", "/v1/users"),
    ("POST", "/v1/users"),
    ("GET", f"/v1/users/{SAMPLE_ID}"),
    ("PATCH", f"/v1/users/{SAMPLE_ID}"),
    ("DELETE", f"/v1/users/{SAMPLE_ID}"),
    ("GET", "/v1/units"),
    ("POST", "/v1/units"),
    ("GET", f"/v1/units/{SAMPLE_ID}"),
    ("PATCH", f"/v1/units/{SAMPLE_ID}"),
    ("GET", "/v1/programmes"),
    ("GET", "/v1/programmes/lanshan-craftsman"),
    ("PUT", "/v1/programmes/lanshan-craftsman/policy"),
    ("GET", "/v1/calendar/2026"),
    ("GET", "/v1/calendar/workdays"),
    ("GET", "/v1/calendar/days/2026-10-10"),
    ("PUT", "/v1/calendar/days/2026-10-10"),
    ("GET", "/v1/audit"),
    ("GET", "/v1/audit/verify"),
]
# Issue 3 (intake); their role matrix is test_intake_roles.py.
INTAKE_ROUTES = [
    ("POST", "/v1/programmes"),
    ("GET", "/v1/programmes/lanshan-craftsman/rounds"),
    ("POST", "/v1/programmes/lanshan-craftsman/rounds"),
    ("GET", f"/v1/rounds/{SAMPLE_ID}"),
    ("POST", f"/v1/rounds/{SAMPLE_ID}/transitions"),
    ("GET", f"/v1/rounds/{SAMPLE_ID}/nominations"),
    ("POST", f"/v1/rounds/{SAMPLE_ID}/nominations"),
    ("GET", f"/v1/nominations/{SAMPLE_ID}"),
    ("PATCH", f"/v1/nominations/{SAMPLE_ID}"),
    ("POST", f"/v1/nominations/{SAMPLE_ID}/transitions"),
    ("GET", f"/v1/nominations/{SAMPLE_ID}/eligibility"),
    ("GET", f"/v1/nominations/{SAMPLE_ID}/attachments"),
    ("POST", f"/v1/nominations/{SAMPLE_ID}/attachments"),
    ("GET", f"/v1/nominations/{SAMPLE_ID}/attachments/{SAMPLE_ID}"),
    ("DELETE", f"/v1/nominations/{SAMPLE_ID}/attachments/{SAMPLE_ID}"),
]
API_ROUTES = FOUNDATION_ROUTES + INTAKE_ROUTES
# Issue 12, the on-site skill test; its role matrix is test_skill_tests.py.
SKILL_TEST_ROUTES = [
    ("GET", f"/v1/nominations/{SAMPLE_ID}/skill-test"),
    ("PUT", f"/v1/nominations/{SAMPLE_ID}/skill-test"),
    ("POST", f"/v1/nominations/{SAMPLE_ID}/skill-test/sheets"),
    ("GET", f"/v1/nominations/{SAMPLE_ID}/skill-test/sheets/{SAMPLE_ID}"),
]
API_ROUTES = API_ROUTES + SKILL_TEST_ROUTES
VOTE_ROUTES = [
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/v1/sessions"),
]

_SAMPLE_RE = None


def parse_prometheus(text):
    """[(name, {label: value}, float)] for every sample line; raises
    AssertionError on a malformed line."""
    import re
    global _SAMPLE_RE
    if _SAMPLE_RE is None:
        _SAMPLE_RE = re.compile(
            r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$')
    label_re = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?')
    out = []
    for line in text.split("\n"):
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE_RE.match(line)
        assert m, f"malformed Prometheus sample line: {line!r}"
        labels = {}
        raw = m.group(3) or ""
        pos = 0
        while pos < len(raw):
            lm = label_re.match(raw, pos)
            assert lm, f"malformed labels in {line!r}"
            labels[lm.group(1)] = lm.group(2)
            pos = lm.end()
        value = m.group(4)
        out.append((m.group(1), labels, float(value.replace("Inf", "inf"))))
    return out


def list_all(api, path, token=None, *, limit=200, max_pages=200):
    """Follows next_cursor through every page; returns all items."""
    items = []
    cursor = None
    sep = "&" if "?" in path else "?"
    for _ in range(max_pages):
        url = f"{path}{sep}limit={limit}"
        params = {"cursor": cursor} if cursor else None
        r = api.get(url, token=token, params=params, expect=200)
        items += r.body["items"]
        cursor = r.body.get("next_cursor")
        if not cursor:
            return items
    raise AssertionError(f"{path}: more than {max_pages} pages")


def pointers(problem):
    return [e.get("pointer") for e in problem.get("errors") or []]


def cli_env(**changes):
    """Environment for running jiangxin-api's CLI against the test database:
    the caller's environment without JIANGXIN_* service settings, plus the
    required ones. changes: NAME=value to set, NAME=None to remove."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("JIANGXIN_") or k.startswith("JIANGXIN_TEST_")}
    env["JIANGXIN_DATABASE_URL"] = need_env("JIANGXIN_TEST_DATABASE_URL")
    env["JIANGXIN_JWT_SECRET"] = need_env("JIANGXIN_TEST_JWT_SECRET")
    env["JIANGXIN_PII_KEY"] = need_env("JIANGXIN_TEST_PII_KEY")
    if os.environ.get("JIANGXIN_TEST_EXPORT_KEY"):
        env["JIANGXIN_EXPORT_KEY"] = os.environ["JIANGXIN_TEST_EXPORT_KEY"]
    if os.environ.get("JIANGXIN_TEST_MIGRATIONS_DIR"):
        env["JIANGXIN_MIGRATIONS_DIR"] = os.environ["JIANGXIN_TEST_MIGRATIONS_DIR"]
    for k, v in changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def check_metrics_shape(text, samples):
    assert _re.search(r"^# TYPE jiangxin_http_requests_total counter$", text, _re.M), \
        "no `# TYPE jiangxin_http_requests_total counter` line"
    assert _re.search(r"^# TYPE jiangxin_http_request_duration_seconds histogram$", text, _re.M), \
        "no `# TYPE jiangxin_http_request_duration_seconds histogram` line"
    names = {n for n, _, _ in samples}
    for suffix in ("_bucket", "_sum", "_count"):
        assert "jiangxin_http_request_duration_seconds" + suffix in names, suffix
    counters = [lab for n, lab, _ in samples if n == "jiangxin_http_requests_total"]
    assert counters, "no jiangxin_http_requests_total samples"
    for lab in counters:
        assert {"route", "method", "status"} <= set(lab), lab
    buckets = [lab for n, lab, _ in samples if n == "jiangxin_http_request_duration_seconds_bucket"]
    assert any(lab.get("le") == "+Inf" for lab in buckets), "histogram lacks le=\"+Inf\""
    for lab in buckets:
        assert {"route", "method", "le"} <= set(lab), lab
