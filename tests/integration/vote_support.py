# SPDX-License-Identifier: MIT
"""Helpers for the voting-service suites: service and voter tokens, session
bodies, extra jiangxin-vote instances (other ports, voter keys, trusted
proxies; their test clocks kept in step with the suite's) on the shared
Redis or on a Redis of their own.

Session windows are on the services' clock (now_s, now_f: clock_support);
token lifetimes are on real time (real_s), as the services check them."""

import contextlib
import datetime
import os
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import jwt
import requests

import clock_support
import support

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
AUD = "jiangxin-vote"
VOTER_ISS = "jiangxin-identity"


def real_s():
    """The system clock: token iat/exp."""
    return int(time.time())


def now_f():
    """The services' clock, Unix seconds (float)."""
    return clock_support.clock().now()


def now_s():
    """The services' clock, whole Unix seconds: session windows."""
    return int(now_f())


def rfc3339(ts):
    """Unix seconds → an RFC 3339 text in UTC (the service re-renders +08:00)."""
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def rfc3339_ms(ts):
    """Unix seconds (float) → RFC 3339 UTC with milliseconds."""
    ms = int(round(ts * 1000))
    base = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc)
    return base.strftime("%Y-%m-%dT%H:%M:%S") + f".{ms % 1000:03d}Z"


def shanghai(text):
    """An RFC 3339 text as the service renders it: +08:00, ".mmm" only when needed."""
    t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(SHANGHAI)
    out = t.strftime("%Y-%m-%dT%H:%M:%S")
    if t.microsecond:
        out += f".{t.microsecond // 1000:03d}"
    return out + "+08:00"


def shanghai_midnight_after(ts):
    """Unix seconds of the first 00:00 Asia/Shanghai after ts."""
    d = datetime.datetime.fromtimestamp(ts, SHANGHAI).date() + datetime.timedelta(days=1)
    return int(datetime.datetime(d.year, d.month, d.day, tzinfo=SHANGHAI).timestamp())


# ------------------------------------------------------------- tokens
def service_token(*, role="service", secret=None, **claims):
    """A service token of the API for the voting service: ES256 with the test
    stack's push key (JIANGXIN_TEST_VOTE_PUSH_KEY). With `secret`, HS256 with
    that secret instead (tokens the voting service must refuse)."""
    payload = {"iss": "jiangxin-api", "aud": AUD, "sub": str(uuid.uuid4()), "role": role,
               "iat": real_s(), "exp": real_s() + 120}
    payload.update(claims)
    if secret is not None:
        return jwt.encode(payload, secret, algorithm="HS256")
    return support.es256_token(payload)


def voter_payload(sub=None, **claims):
    payload = {"iss": VOTER_ISS, "aud": AUD,
               "sub": f"voter-{uuid.uuid4().hex}" if sub is None else sub,
               "iat": real_s(), "exp": real_s() + 600}
    payload.update(claims)
    return {k: v for k, v in payload.items() if v is not None}


def voter_token(sub=None, *, key=None, alg="HS256", **claims):
    """An HS256 voter token with the test stack's secret (or key/alg)."""
    key = key or support.need_env("JIANGXIN_TEST_VOTER_JWT_SECRET")
    return jwt.encode(voter_payload(sub, **claims), key, algorithm=alg)


# ------------------------------------------------------------ sessions
def new_id():
    return str(uuid.uuid4())


def session_body(*, n=3, opens=None, closes=None, votes_per_day=3, per_nominee=1,
                 rate=600, burst=100, show_counts=None, title=None):
    t = now_s()
    body = {
        "round_id": new_id(),
        "title": title or "测试网络投票",
        "opens_at": rfc3339(t - 60 if opens is None else opens),
        "closes_at": rfc3339(t + 3600 if closes is None else closes),
        "nominees": [{"id": new_id(), "name": f"候选人{i + 1}", "unit_name": "测试单位",
                      "occupation": "数控车工", "summary": "一线技能人才"} for i in range(n)],
        "limits": {"votes_per_day": votes_per_day, "votes_per_nominee_per_day": per_nominee,
                   "ip_rate_per_minute": rate, "ip_burst": burst},
    }
    if show_counts is not None:
        body["show_counts_while_open"] = show_counts
    return body


def put_session(client, sid, body, *, expect=(200, 201), token=None):
    return client.put(f"/internal/v1/sessions/{sid}", json=body,
                      token=token or service_token(), expect=expect)


def new_session(client, **kw):
    """(session id, body, nominee ids) of a fresh open session."""
    sid, body = new_id(), session_body(**kw)
    put_session(client, sid, body, expect=201)
    return sid, body, [n["id"] for n in body["nominees"]]


def cast(client, sid, nominee, *, token=None, ip=None, expect=None, check="spec", lang=None):
    headers = {"X-Forwarded-For": ip} if ip else {}
    if lang:
        headers["Accept-Language"] = lang
    return client.post(f"/v1/sessions/{sid}/votes", json={"nominee_id": nominee},
                       token=token or voter_token(), headers=headers, expect=expect,
                       check=check)


# ------------------------------------------------------- extra processes
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env():
    path = support.need_env("JIANGXIN_TEST_VOTE_ENV_FILE")
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                env[k] = v
    return env


def _wait_ready(url, proc, err_path, what):
    deadline = time.monotonic() + 30
    s = requests.Session()
    s.trust_env = False
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            with open(err_path, encoding="utf-8", errors="replace") as f:
                raise AssertionError(f"{what} exited {proc.returncode}: {f.read()[-2000:]}")
        try:
            if s.get(url + "/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} not ready within 30 s")


@contextlib.contextmanager
def vote_instance(client, *, drop=(), wait=True, **overrides):
    """Another jiangxin-vote (the test stack's environment, no tally poster,
    its own port) with `overrides` (KEY=value) and `drop`ped variables.
    Its test clock is put at the suite's now and moves with it while it
    runs. Yields a Client of the same kind as `client` (spec-checked)."""
    env = base_env()
    env.pop("JIANGXIN_API_URL", None)  # one poster per stack; this one has its own clock
    for k in drop:
        env.pop(k, None)
    port = free_port()
    env["JIANGXIN_LISTEN"] = f"127.0.0.1:{port}"
    env.update({k: str(v) for k, v in overrides.items()})
    full = {k: v for k, v in os.environ.items() if k.startswith(("ASAN", "UBSAN", "LSAN", "PATH"))}
    full.update(env)
    url = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile("w+", suffix=".err", delete=False) as err:
        err_path = err.name
    with open(err_path, "w") as err, open(os.devnull, "w") as out:
        proc = subprocess.Popen([support.need_env("JIANGXIN_TEST_VOTE_BIN")], env=full,
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    try:
        if wait:
            _wait_ready(url, proc, err_path, "extra jiangxin-vote")
            clock_support.clock().sync(url)
        yield type(client)(url, client.spec, f"jiangxin-vote:{port}")
    finally:
        clock_support.clock().forget(url)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        with open(err_path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        os.unlink(err_path)
        assert "ERROR: AddressSanitizer" not in text and "runtime error:" not in text, text[-3000:]


def redis_server(port, directory):
    """Starts redis-server (no persistence) on port; returns the process once it answers."""
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", directory],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    support.poll(lambda: redis_cli(port, "PING") == "PONG", timeout=10, what="redis up")
    return proc


@contextlib.contextmanager
def own_redis():
    """A throwaway redis-server on a free port: yields (port, url, directory)."""
    port = free_port()
    d = tempfile.mkdtemp(prefix="jx-vote-redis-")
    procs = [redis_server(port, d)]
    try:
        yield port, f"redis://127.0.0.1:{port}/0", d, procs
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(10)
        subprocess.run(["rm", "-rf", d], check=False)


def redis_cli(port, *args):
    r = subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True,
                       timeout=10)
    return r.stdout.strip()
