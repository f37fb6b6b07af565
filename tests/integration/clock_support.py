# SPDX-License-Identifier: MIT
"""The services' clocks as the suite sees them.

Both services run with the test clock on (JIANGXIN_TEST_CLOCK; see
deploy/local.sh test), started at the real time or, with
JIANGXIN_TEST_TODAY, at another date. No test reads the machine's date for
a business rule: "today" and "now" come from here, that is from the API's
GET /v1/system/clock, and a test that needs a fixed date sets both clocks
to it (`clock.at(...)`, or the `clock` marker) and gets them back after.

Tokens keep real time (the services check `exp` against the system clock),
so token helpers still use time.time().
"""

import contextlib
import datetime
import os
import threading
import time

import requests

import support

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def iso(ts):
    """Unix seconds (float) → RFC 3339 with milliseconds, +08:00."""
    dt = datetime.datetime.fromtimestamp(ts, SHANGHAI)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + f".{dt.microsecond // 1000:03d}+08:00"


def parse(text):
    """An RFC 3339 text (or a date, taken as 10:00 Asia/Shanghai) → Unix seconds."""
    if len(text) == 10:
        text += "T10:00:00+08:00"
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class TestClock:
    """The API's and the voting services' test clocks, moved together."""

    __test__ = False  # not a pytest class

    def __init__(self, api_url, vote_url, admin_user, admin_password, jwt_secret):
        self.api_url, self.vote_url = api_url.rstrip("/"), vote_url.rstrip("/")
        self.admin = (admin_user, admin_password)
        self.jwt_secret = jwt_secret
        self.session = support.Session()
        self._token, self._token_at = None, 0.0
        self._lock = threading.Lock()
        self.extra = {}  # URL -> a function giving its token: extra instances kept in step
        self._offset = None       # seconds, as the API last reported it
        self.baseline = self.offset()  # where every test starts and ends

    @classmethod
    def from_env(cls):
        need = ("JIANGXIN_TEST_API_URL", "JIANGXIN_TEST_VOTE_URL", "JIANGXIN_TEST_ADMIN_USER",
                "JIANGXIN_TEST_ADMIN_PASSWORD", "JIANGXIN_TEST_JWT_SECRET")
        missing = [n for n in need if not os.environ.get(n)]
        if missing:
            raise RuntimeError(f"clock: {', '.join(missing)} not set (run deploy/local.sh test)")
        return cls(*(os.environ[n] for n in need))

    # ---- tokens (real time, as the services check them)
    def _admin_token(self):
        if self._token is None or time.monotonic() - self._token_at > 300:
            r = self.session.post(self.api_url + "/v1/auth/token", timeout=30,
                                  json={"username": self.admin[0], "password": self.admin[1]})
            r.raise_for_status()
            self._token, self._token_at = r.json()["access_token"], time.monotonic()
        return self._token

    def _service_token(self):
        import support  # the API's push key signs it (ES256), as vote_support
        now = int(time.time())
        return support.es256_token({"iss": "jiangxin-api", "aud": "jiangxin-vote",
                                    "sub": "test-clock", "role": "service", "iat": now,
                                    "exp": now + 120})

    # ---- reading
    def offset(self):
        """Seconds the API's clock is ahead of the system clock (read afresh)."""
        r = self.session.get(self.api_url + "/v1/system/clock", timeout=30,
                             headers={"Authorization": f"Bearer {self._admin_token()}"})
        if r.status_code != 200:
            raise AssertionError(f"GET /v1/system/clock: {r.status_code} {r.text[:300]} "
                                 "(the test stack runs with JIANGXIN_TEST_CLOCK)")
        body = r.json()
        self._offset = parse(body["now"]) - time.time()
        return self._offset

    def now(self):
        """The services' now, Unix seconds."""
        if self._offset is None:
            self.offset()
        return time.time() + self._offset

    def today(self):
        """The services' today (Asia/Shanghai)."""
        return datetime.datetime.fromtimestamp(self.now(), SHANGHAI).date()

    def now_iso(self, plus=0.0):
        return iso(self.now() + plus)

    # ---- moving
    def _put(self, url, token, body):
        r = self.session.put(url + "/v1/system/clock", json=body, timeout=30,
                             headers={"Authorization": f"Bearer {token}"})
        if r.status_code != 200:
            raise AssertionError(f"PUT {url}/v1/system/clock {body}: {r.status_code} "
                                 f"{r.text[:300]}")
        return r.json()

    def set(self, when):
        """Sets every clock to `when` (Unix seconds, an RFC 3339 text or a date,
        which means 10:00 Asia/Shanghai); time runs on from there."""
        if isinstance(when, datetime.datetime):
            ts = when.timestamp()
        elif isinstance(when, datetime.date):
            ts = parse(when.isoformat())
        elif isinstance(when, str):
            ts = parse(when)
        else:
            ts = float(when)
        with self._lock:
            body = {"now": iso(ts)}
            api = self._put(self.api_url, self._admin_token(), body)
            svc = self._service_token()
            self._put(self.vote_url, svc, body)
            for url, token_fn in sorted(self.extra.items()):
                try:
                    self._put(url, token_fn(), body)
                except requests.RequestException:
                    self.extra.pop(url, None)  # it has gone: nothing to keep in step
            self._offset = parse(api["now"]) - time.time()
        return self.now()

    def advance(self, seconds):
        return self.set(self.now() + seconds)

    def sync(self, url, kind="vote", token_fn=None):
        """Puts an extra instance (a jiangxin-vote, or a jiangxin-api) at the
        suite's now and keeps it in step. `token_fn` gives the token it
        takes (default: the suite's admin for an API on the suite's
        database, a service token for a voting service)."""
        if token_fn is None:
            token_fn = self._admin_token if kind == "api" else self._service_token
        self._put(url, token_fn(), {"now": iso(self.now())})
        self.extra[url] = token_fn

    def forget(self, url):
        self.extra.pop(url, None)

    def restore(self):
        """Back to the baseline offset (where the session started)."""
        self.set(time.time() + self.baseline)

    @contextlib.contextmanager
    def at(self, when):
        """Both clocks at `when` for the block, then back to the baseline."""
        self.set(when)
        try:
            yield self
        finally:
            self.restore()


_CLOCK = None


def clock():
    """The suite's one TestClock (created on first use)."""
    global _CLOCK
    if _CLOCK is None:
        _CLOCK = TestClock.from_env()
    return _CLOCK


# ------------------------------------------------------------- calendar
SYNTHETIC_SOURCE = "synthetic test data (tests/integration/clock_support.py)"


def synthetic_year(year):
    """A made-up State Council schedule for `year` in the holiday-cn format,
    for a scenario in a year without official data (loaded into the test
    stack's throwaway database only; never shipped): 元旦 on 1 January,
    1–7 October off, and the first weekend day after them a working day
    (调休). Names say they are synthetic."""
    days = [{"name": "元旦（合成）", "date": f"{year}-01-01", "isOffDay": True}]
    for d in range(1, 8):
        days.append({"name": "国庆节（合成）", "date": f"{year}-10-{d:02d}", "isOffDay": True})
    d = datetime.date(year, 10, 8)
    while d.weekday() < 5:
        d += datetime.timedelta(days=1)
    days.append({"name": "国庆节调休（合成）", "date": d.isoformat(), "isOffDay": False})
    return {"year": year, "source": SYNTHETIC_SOURCE, "days": days}


# A made-up photo of a posted notice: a minimal PDF, the kind the API takes.
PUBLICITY_EVIDENCE = b"%PDF-1.4\n1 0 obj\n(unit publicity notice)\nendobj\n%%EOF\n"


def upload_publicity_evidence(api, token, nom_id, *, expect=201):
    """Uploads the unit publicity's evidence (kind unit_publicity)."""
    return api.post(f"/v1/nominations/{nom_id}/attachments", token=token,
                    params={"kind": "unit_publicity", "filename": "公示照片.pdf"},
                    data=PUBLICITY_EVIDENCE, headers={"Content-Type": "application/pdf"},
                    expect=expect)


def past_publicity(nom):
    """Moves both clocks to 10:00 on the day after the publicity of `nom` (a
    nomination representation in unit_publicity) ended."""
    end = datetime.date.fromisoformat(nom["publicity_end"])
    clock().set(end + datetime.timedelta(days=1))


def publicise(api, unit, nom_id, *, workdays=None, evidence=True, approve=True, start=None):
    """Takes a draft through its unit publicity by the rules (security issue
    11: no backdating): the publicity starts today (the services'; or on
    `start`, not before the nomination was created), the unit uploads its
    evidence (a photo of the notice), both clocks move past its last
    working day, and the unit approves it. Returns the nomination as the
    last move left it. The clocks stay moved (the per-test fixture puts
    them back)."""
    body = {"to": "unit_publicity", "publicity_start": start or clock().today().isoformat()}
    if workdays is not None:
        body["publicity_workdays"] = workdays
    path = f"/v1/nominations/{nom_id}/transitions"
    nom = api.post(path, token=unit.token, json=body, expect=200).body
    if evidence:
        upload_publicity_evidence(api, unit.token, nom_id)
    past_publicity(nom)
    if approve:
        nom = api.post(path, token=unit.token, json={"to": "unit_approved"}, expect=200).body
    return nom
