# SPDX-License-Identifier: MIT
"""Helpers for tests of the public vote end to end: tokens (voter and
service), a round whose nominations were qualified, reviewed and frozen as
its shortlist through the real API (review_flow.py), sessions opened through `POST /v1/rounds/{id}/vote-session` or put
straight into jiangxin-vote, votes from distinct voters and client
addresses, and private jiangxin-api / jiangxin-vote processes on free ports
(with the environment of the running ones) for tests that stop and start
services. Test data is synthetic (support.new_id_number: born 1900)."""

import datetime
import os
import pathlib
import signal
import subprocess
import time
import types
import uuid

import requests

import clock_support
import review_flow
import support
import vote_support

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
SAN_ENV = {"ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0",
           "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=0"}
SAN_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


# ------------------------------------------------------------- tokens and times
def rfc3339(dt):
    return dt.astimezone(SHANGHAI).isoformat(timespec="seconds")


def now_plus(seconds):
    """The services' now (their test clocks) plus `seconds`."""
    return datetime.datetime.fromtimestamp(vote_support.now_f() + seconds, SHANGHAI)


def voter_token(sub=None, *, ttl=600):
    """A voter token as the identity front end issues it."""
    return vote_support.voter_token(sub or f"voter-{support.rand_hex(12)}",
                                    exp=int(time.time()) + ttl)


def service_token():
    """What jiangxin-api sends to jiangxin-vote (PUT /internal/v1/sessions/{id})."""
    return vote_support.service_token(exp=int(time.time()) + 240)


def random_ip():
    return "10.%d.%d.%d" % tuple(int(x, 16) % 250 + 1 for x in
                                 (support.rand_hex(2), support.rand_hex(2), support.rand_hex(2)))


# ------------------------------------------------------------- the API side
def _move(api, user, nom_id, to, **body):
    body["to"] = to
    return api.post(f"/v1/nominations/{nom_id}/transitions", token=user.token, json=body,
                    expect=200).body


def qualified_round(factory, api, n=3, *, base="lanshan-craftsman"):
    """A fresh programme (with a public vote) whose round is in phase
    `voting` with n nominations on its frozen shortlist, each taken there
    the way the office does it (unit publicity → approval → submission →
    qualification review, warnings overridden with a reason → the draw of
    one expert each, the review, the freeze). Returns the round, the office
    user and the ids in the shortlist's order."""
    code = factory.programme(base=base, review_experts=1)
    office = factory.office(code)
    rnd = factory.round(code, office, phase="accepting")
    unit = factory.user("unit", unit_id=factory.unit()["id"])
    ids = []
    # The publicity runs from today with its evidence (no backdating); the
    # clocks go past its end for the approval, then back where they were.
    clk = clock_support.clock()
    began, began_real = clk.now(), time.time()
    today = clk.today().isoformat()
    publicised = []
    for i in range(n):
        nom = factory.nomination(rnd["id"], unit, name=f"测试候选人{i + 1}")
        publicised.append(_move(api, unit, nom["id"], "unit_publicity", publicity_start=today))
        clock_support.upload_publicity_evidence(api, unit.token, nom["id"])
        ids.append(nom["id"])
    if publicised:
        clock_support.past_publicity(max(publicised, key=lambda x: x["publicity_end"]))
    for nom_id in ids:
        _move(api, unit, nom_id, "unit_approved")
        _move(api, unit, nom_id, "submitted")
    api.post(f"/v1/rounds/{rnd['id']}/transitions", token=office.token,
             json={"to": "qualification"}, expect=200)
    for nom_id in ids:
        checks = api.get(f"/v1/nominations/{nom_id}/eligibility", token=office.token,
                         expect=200).body["checks"]
        overrides = [{"check": c["check"], "reason": "经现场核验同意"}
                     for c in checks if c["result"] == "warning"]
        body = {"overrides": overrides} if overrides else {}
        assert _move(api, office, nom_id, "qualified", **body)["state"] == "qualified"
    api.post(f"/v1/rounds/{rnd['id']}/transitions", token=office.token,
             json={"to": "review"}, expect=200)
    clk.set(began + time.time() - began_real)
    frozen = review_flow.shortlist(api, factory, code, office, rnd["id"], ids)
    assert [e["nomination_id"] for e in frozen["entries"]] == ids
    return rnd, office, ids


def open_session(api, office, round_id, nominee_ids, *, closes_in=3600, limits=None,
                 show_counts=True):
    """POST /v1/rounds/{id}/vote-session: open now, generous IP limits so
    tests from one machine are not rate-limited. Returns the record."""
    body = {"opens_at": rfc3339(now_plus(-30)), "closes_at": rfc3339(now_plus(closes_in)),
            "nominee_ids": nominee_ids, "show_counts_while_open": show_counts,
            "limits": limits or {"votes_per_day": len(nominee_ids),
                                 "votes_per_nominee_per_day": 1,
                                 "ip_rate_per_minute": 100000, "ip_burst": 100000}}
    return api.post(f"/v1/rounds/{round_id}/vote-session", token=office.token, json=body,
                    headers={"Idempotency-Key": str(uuid.uuid4())}, expect=201).body


def put_session(vote, nominee_ids, *, closes_in=3600, session_id=None, show_counts=True):
    """A session put straight into jiangxin-vote (as the API's push does).
    Returns (session id, body) so the caller can close it early."""
    session_id = session_id or str(uuid.uuid4())
    body = {"round_id": str(uuid.uuid4()), "title": "测试网络投票",
            "opens_at": rfc3339(now_plus(-30)), "closes_at": rfc3339(now_plus(closes_in)),
            "nominees": [{"id": nid, "name": f"测试候选人{i + 1}", "unit_name": "测试单位",
                          "occupation": "数控车工", "summary": "长期扎根生产一线"}
                         for i, nid in enumerate(nominee_ids)],
            "limits": {"votes_per_day": len(nominee_ids), "votes_per_nominee_per_day": 1,
                       "ip_rate_per_minute": 100000, "ip_burst": 100000},
            "show_counts_while_open": show_counts}
    vote.put(f"/internal/v1/sessions/{session_id}", token=service_token(), json=body,
             expect=201)
    return session_id, body


def cast(vote, session_id, nominee_id, *, sub=None, expect=201, **kw):
    """One vote from a new voter (or `sub`) at a new client address."""
    return vote.post(f"/v1/sessions/{session_id}/votes", token=voter_token(sub),
                     json={"nominee_id": nominee_id},
                     headers={"X-Forwarded-For": random_ip()}, expect=expect, **kw)


# ------------------------------------------------------------- private services
free_port = vote_support.free_port


def vote_env(**changes):
    """The running voting service's environment with `changes` applied."""
    env = vote_support.base_env()
    env.update({k: v for k, v in changes.items() if v is not None})
    for k, v in changes.items():
        if v is None:
            env.pop(k, None)
    return env


def api_env(port, vote_url):
    env = {"JIANGXIN_DATABASE_URL": support.need_env("JIANGXIN_TEST_DATABASE_URL"),
           "JIANGXIN_JWT_SECRET": support.need_env("JIANGXIN_TEST_JWT_SECRET"),
           "JIANGXIN_PII_KEY": support.need_env("JIANGXIN_TEST_PII_KEY"),
           "JIANGXIN_LISTEN": f"127.0.0.1:{port}", "JIANGXIN_VOTE_URL": vote_url,
           "JIANGXIN_VOTE_PUSH_KEY": support.need_env("JIANGXIN_TEST_VOTE_PUSH_KEY"),
           "JIANGXIN_POSTER_PUBLIC_KEY": support.need_env("JIANGXIN_TEST_POSTER_PUBLIC_KEY"),
           "JIANGXIN_TEST_CLOCK": "1"}
    for name in ("JIANGXIN_TEST_MIGRATIONS_DIR",):
        if os.environ.get(name):
            env["JIANGXIN_MIGRATIONS_DIR"] = os.environ[name]
    return env


class Service:
    """One jiangxin-api or jiangxin-vote process of our own. Output goes to
    files under `logdir`; stop() checks the exit status and that the
    sanitizers found nothing (leaks included: the poster thread must be
    joined and freed at shutdown). With the test clock in its environment,
    its clock is put at the suite's now once it is ready, and moves with
    the suite's until it stops."""

    def __init__(self, name, binary, env, port, logdir, args=(), admin=None):
        """`admin`: (username, password) of an admin of this API's own
        database, when it is not the suite's, to move its clock."""
        self.name, self.binary, self.env, self.port = name, binary, env, port
        self.args = list(args)
        self.admin = admin
        self.url = f"http://127.0.0.1:{port}"
        self.log = pathlib.Path(logdir) / f"{name}.log"
        self.proc = None

    def start(self, timeout=30):
        base = {k: v for k, v in os.environ.items() if not k.startswith("JIANGXIN_")}
        base.update(SAN_ENV)
        base.update(self.env)
        out = open(self.log, "ab")
        self.proc = subprocess.Popen([self.binary, *self.args], env=base, stdout=out,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        out.close()
        session = requests.Session()
        session.trust_env = False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.proc.returncode}:\n"
                                     f"{self.text()[-3000:]}")
            try:
                if session.get(self.url + "/readyz", timeout=2).status_code == 200:
                    if self.env.get("JIANGXIN_TEST_CLOCK"):
                        clock_support.clock().sync(
                            self.url, "vote" if "JIANGXIN_REDIS_URL" in self.env else "api",
                            self._admin_token if self.admin else None)
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.name} not ready within {timeout}s:\n{self.text()[-3000:]}")

    def _admin_token(self):
        session = requests.Session()
        session.trust_env = False
        r = session.post(self.url + "/v1/auth/token", timeout=30,
                         json={"username": self.admin[0], "password": self.admin[1]})
        r.raise_for_status()
        return r.json()["access_token"]

    def stop(self, timeout=15):
        """SIGTERM; returns the seconds it took. Fails on a bad exit or a
        sanitizer report."""
        if self.proc is None:
            return 0.0
        clock_support.clock().forget(self.url)
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"{self.name} did not stop within {timeout}s")
        finally:
            self.proc = None
        took = time.monotonic() - t0
        text = self.text()
        bad = [m for m in SAN_MARKERS if m in text]
        assert not bad, f"{self.name}: sanitizer report:\n{text[-6000:]}"
        assert rc == 0, f"{self.name} exited with {rc}:\n{text[-3000:]}"
        return took

    def kill(self):
        clock_support.clock().forget(self.url)
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def text(self):
        try:
            return self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""


def metric(text, name, **labels):
    """The value of one sample of a Prometheus text, 0.0 when absent."""
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    key = f"{name}{{{want}}}" if labels else name
    for line in text.splitlines():
        if line.startswith(key + " "):
            return float(line.split()[-1])
    return 0.0


def redis_cli(url, *args):
    """One Redis command through redis-cli (no Python client is installed);
    the reply as plain text ("" for nil)."""
    r = subprocess.run(["redis-cli", "-u", url, "--raw", *args], capture_output=True,
                       text=True, timeout=10, check=True)
    return r.stdout.strip()


# ------------------------------------------- the API's vote-session tests
def from_now(seconds):
    """RFC 3339 (+08:00, whole seconds) `seconds` from now."""
    return rfc3339(now_plus(seconds))


def qualify_submitted(api, office, nom):
    """Qualifies a submitted nomination, overriding what its checklist warns
    about (a test nomination has no evidence file)."""
    checks = nom["eligibility"]["checks"]
    fails = [c["check"] for c in checks if c["result"] == "fail"]
    assert not fails, f"test nomination fails its checklist: {fails}"
    overrides = [{"check": c["check"], "reason": "测试：材料已现场核验"}
                 for c in checks if c["result"] == "warning"]
    return _move(api, office, nom["id"], "qualified",
                 **({"overrides": overrides} if overrides else {}))


def programme_with_vote(factory, vote_nominees=3, base="lanshan-craftsman"):
    """A fresh programme with `base`'s policy and `vote_nominees` on the
    ballot (None: keep the base's), without unit publicity and with one
    review per nomination (quicker)."""
    changes = dict(unit_publicity_required=False, unit_publicity_min_workdays=None,
                   review_experts=1)
    if vote_nominees is not None:
        changes.update(vote_nominees=vote_nominees, awards_per_round=min(vote_nominees, 10))
    return factory.programme(base=base, **changes)


def review_round(api, factory, *, qualified=3, others=0, vote_nominees=3,
                 base="lanshan-craftsman", phase="voting", programme=None):
    """A programme, its office user (w.office) and a round (w.round) with
    `qualified` qualified nominations (w.qualified) and `others` rejected
    ones (w.others), moved to `phase`: `qualification`, `review`, or
    `voting` (the default: reviewed and frozen as the shortlist, which is
    the head of w.qualified, its ids in w.shortlist; vote_nominees set).
    `programme`: the caller's own programme of `base` instead of a new one."""
    w = types.SimpleNamespace()
    w.programme = programme or programme_with_vote(factory, vote_nominees, base)
    w.office = factory.office(w.programme)
    w.round = factory.round(w.programme, w.office, phase="accepting")
    w.unit = factory.user("unit")
    changes = {"skill_level": "technician"} if base.startswith("huancui") else {}
    subs = [_move(api, w.unit, factory.nomination(w.round["id"], w.unit, **changes)["id"],
                  "submitted") for _ in range(qualified + others)]
    api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
             json={"to": "qualification"}, expect=200)
    w.qualified = [qualify_submitted(api, w.office, n) for n in subs[:qualified]]
    w.others = [_move(api, w.office, n["id"], "rejected", note="测试：不符合条件")
                for n in subs[qualified:]]
    w.shortlist = []
    if phase in ("review", "voting"):
        w.round = api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
                           json={"to": "review"}, expect=200).body
    if phase == "voting":
        frozen = review_flow.shortlist(api, factory, w.programme, w.office, w.round["id"],
                                       [n["id"] for n in w.qualified])
        w.shortlist = [e["nomination_id"] for e in frozen["entries"]]
        w.round = api.get(f"/v1/rounds/{w.round['id']}", token=w.office.token,
                          expect=200).body
        assert w.round["phase"] == "voting"
    return w


def session_body(w, *, ids=None, opens_in=5, lasts=7 * 86400, **extra):
    """A valid POST /v1/rounds/{id}/vote-session body for a review_round world."""
    body = {"opens_at": from_now(opens_in), "closes_at": from_now(opens_in + lasts),
            "nominee_ids": ids if ids is not None else w.shortlist}
    body.update(extra)
    return body


def create_session(api, w, *, expect=201, **kw):
    return api.post(f"/v1/rounds/{w.round['id']}/vote-session", token=w.office.token,
                    json=session_body(w, **kw), expect=expect)


def service_login(api):
    """An API token of the voting service's tally poster (ES256 with the test
    stack's poster key; no account, no password): role service, scoped to
    the tally route."""
    return support.poster_token()
