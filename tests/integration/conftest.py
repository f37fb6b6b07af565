# SPDX-License-Identifier: MIT
"""Fixtures for the black-box suite.

`api` and `vote` are thin clients around requests.Session: every response is
checked against openapi/api.yaml or openapi/voting.yaml (openapi_check.py) and
a mismatch fails the test with the request, the status and the reason. Pass
`check="problem"` for deliberately undocumented routes (only the problem
schema is checked) or `check="none"` to opt out; `expect=` asserts the status.

Every test makes its own data through `factory` (units with fresh GB 32100
codes, users of any role with a token). Missing configuration or an
unreachable server fails in CI (`CI` set) and skips elsewhere.

Time: "today" is the services' (the `clock` fixture, clock_support.py),
never the machine's. Factory defaults are computed from it; a test that
needs a fixed date says so with `@pytest.mark.clock("YYYY-MM-DD")` (both
services' clocks are put there for the test and back after). The calendar
years around today that have no official data get a synthetic schedule in
the throwaway test database.
"""

import datetime
import os
import pathlib
import time
import types
from urllib.parse import urlsplit

import pytest
import requests
from requests.structures import CaseInsensitiveDict

import clock_support
import openapi_check
import support

PROGRAMMES = support.PROGRAMMES
ROLES = support.ROLES


def repo_root():
    return pathlib.Path(os.environ.get("JIANGXIN_TEST_REPO")
                        or pathlib.Path(__file__).resolve().parents[2])


class Client:
    """requests.Session plus spec checking."""

    def __init__(self, base, spec, name):
        self.base = base.rstrip("/")
        self.spec = spec
        self.name = name
        self.session = support.Session()

    def request(self, method, path, *, token=None, check="spec", expect=None, **kw):
        headers = CaseInsensitiveDict(kw.pop("headers", None) or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        kw.setdefault("timeout", 30)
        url = path if path.startswith("http") else self.base + path
        try:
            resp = self.session.request(method, url, headers=headers, **kw)
        except requests.ConnectionError as e:
            pytest.fail(f"{self.name}: {method} {path}: connection failed: {e}", pytrace=False)
        req_path = urlsplit(resp.request.url).path
        lang_en = headers.get("Accept-Language", "").lower().startswith("en")
        try:
            resp.body = openapi_check.check_response(
                self.spec, method.upper(), req_path, resp.status_code, resp.headers,
                resp.content, mode=check, lang_en=lang_en)
        except openapi_check.SpecMismatch as e:
            pytest.fail(f"{self.name} spec check: {e}", pytrace=False)
        if resp.body is None and resp.content and check == "none":
            try:
                resp.body = resp.json()
            except ValueError:
                resp.body = None
        if expect is not None:
            allowed = expect if isinstance(expect, (tuple, list, set)) else (expect,)
            if resp.status_code not in allowed:
                pytest.fail(
                    f"{self.name}: {method} {path}: expected {expect}, got {resp.status_code}: "
                    f"{resp.text[:800]}", pytrace=False)
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def options(self, path, **kw):
        return self.request("OPTIONS", path, **kw)


def _wait_reachable(base, name):
    deadline = time.monotonic() + 15
    last = None
    session = requests.Session()
    session.trust_env = False
    while time.monotonic() < deadline:
        try:
            r = session.get(base.rstrip("/") + "/healthz", timeout=3)
            if r.status_code == 200:
                return
            last = f"HTTP {r.status_code}"
        except requests.RequestException as e:
            last = e
        time.sleep(0.2)
    support.unreachable(f"{name} at {base} is not reachable: {last}")


# ------------------------------------------------------------- settings
@pytest.fixture(scope="session")
def api_url():
    url = support.need_env("JIANGXIN_TEST_API_URL")
    _wait_reachable(url, "jiangxin-api")
    return url.rstrip("/")


@pytest.fixture(scope="session")
def vote_url():
    url = support.need_env("JIANGXIN_TEST_VOTE_URL")
    _wait_reachable(url, "jiangxin-vote")
    return url.rstrip("/")


@pytest.fixture(scope="session")
def api_spec():
    return openapi_check.Spec(repo_root() / "openapi" / "api.yaml")


@pytest.fixture(scope="session")
def vote_spec():
    return openapi_check.Spec(repo_root() / "openapi" / "voting.yaml")


@pytest.fixture(scope="session")
def api(api_url, api_spec):
    return Client(api_url, api_spec, "jiangxin-api")


@pytest.fixture(scope="session")
def vote(vote_url, vote_spec):
    return Client(vote_url, vote_spec, "jiangxin-vote")


@pytest.fixture(scope="session")
def db_url():
    return support.need_env("JIANGXIN_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def superuser_url():
    return support.need_env("JIANGXIN_TEST_SUPERUSER_URL")


@pytest.fixture
def own_db(superuser_url):
    """(owner URL, app URL) of a new, empty database of the test server,
    owned by jiangxin_owner and dropped after the test."""
    name = f"jx_own_{support.rand_hex(10)}"
    support.psql(superuser_url, f"CREATE DATABASE {name} OWNER jiangxin_owner")
    try:
        yield (support.with_db(support.need_env("JIANGXIN_TEST_OWNER_URL"), name),
               support.with_db(support.need_env("JIANGXIN_TEST_DATABASE_URL"), name))
    finally:
        support.psql(superuser_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", check=False)


@pytest.fixture(scope="session")
def jwt_secret():
    return support.need_env("JIANGXIN_TEST_JWT_SECRET")


# Audit events the services write on their own in the background (the push
# retry thread, the voting service's tally posts) while any test runs.
BACKGROUND_AUDIT = ("vote_session.push", "vote_session.tally", "vote_session.final_refused",
                    "vote_session.final_unverified")


@pytest.fixture
def db_count(db_url):
    """db_count("units") -> number of rows (read with the app role). For
    audit_events, the background actions are left out, so "a refusal writes
    no audit event" does not race with other tests' tallies."""
    def count(table):
        assert table.isidentifier()
        where = ""
        if table == "audit_events":
            where = " WHERE action NOT IN (" + ", ".join(f"'{a}'" for a in BACKGROUND_AUDIT) + ")"
        return int(support.psql_scalar(db_url, f"SELECT count(*) FROM {table}{where}"))
    return count


# ------------------------------------------------------------- tokens
login = support.login


class _AdminToken:
    def __init__(self, api, username, password):
        self.api, self.username, self.password = api, username, password
        self.token, self.fetched = None, 0.0

    def get(self):
        # Tokens live 900 s by default; refresh well before.
        if self.token is None or time.monotonic() - self.fetched > 300:
            self.token = login(self.api, self.username, self.password)
            self.fetched = time.monotonic()
        return self.token


@pytest.fixture(scope="session")
def admin_credentials():
    return (support.need_env("JIANGXIN_TEST_ADMIN_USER"),
            support.need_env("JIANGXIN_TEST_ADMIN_PASSWORD"))


@pytest.fixture(scope="session")
def _admin_token_cache(api, admin_credentials):
    return _AdminToken(api, *admin_credentials)


@pytest.fixture
def admin_token(_admin_token_cache):
    return _admin_token_cache.get()


# ------------------------------------------------------------ factory
class Factory:
    """Creates units and users through the API as the admin."""

    def __init__(self, api, admin):
        self.api = api
        self.admin = admin

    def unit(self, *, kind="enterprise", name=None, code=None, token=None):
        code = code or support.new_uscc()
        name = name or f"测试单位-{support.rand_hex(8)}"
        r = self.api.post("/v1/units", token=token or self.admin.get(),
                          json={"code": code, "name": name, "kind": kind}, expect=201)
        return r.body

    def user(self, role, *, unit_id=None, programmes=None, password=None, login_now=True,
             username=None):
        if role == "unit" and unit_id is None:
            unit_id = self.unit()["id"]
        if role == "office" and programmes is None:
            programmes = list(PROGRAMMES)
        password = password or support.new_password()
        username = username or f"t-{role}-{support.rand_hex(10)}"
        body = {"username": username, "password": password, "role": role}
        if unit_id is not None:
            body["unit_id"] = unit_id
        if programmes is not None:
            body["programmes"] = programmes
        r = self.api.post("/v1/users", token=self.admin.get(), json=body, expect=201)
        u = types.SimpleNamespace(id=r.body["id"], username=username, password=password,
                                  role=role, unit_id=unit_id, body=r.body, token=None)
        if login_now:
            u.token = login(self.api, username, password)
        return u


    # ---- programmes, rounds and nominations (issue 3) ----
    def programme(self, *, base="lanshan-craftsman", **changes):
        """A new programme with `base`'s policy (members overridden by
        `changes`), so each test owns its rounds: one round per year. Unless
        `changes` say otherwise it is in force from three years before
        today (the services') to three years after."""
        policy = self.api.get(f"/v1/programmes/{base}", expect=200).body["policy"]
        today = clock_support.clock().today()
        policy["in_force_from"] = f"{today.year - 3}-01-01"
        policy["in_force_to"] = f"{today.year + 3}-12-31"
        policy.update(changes)
        code = f"t-{base.split('-')[0]}-{support.rand_hex(8)}"
        self.api.post("/v1/programmes", token=self.admin.get(), expect=201,
                      json={"code": code, "name": f"测试项目 {code}", "name_en": f"Test {code}",
                            "policy": policy})
        return code

    def office(self, programme):
        return self.user("office", programmes=[programme])

    def round(self, programme, office, *, phase="accepting", year=None,
              reference_date=None, window_opens=None, window_closes=None, **extra):
        """A round of `programme` created by `office` and moved to `phase`.
        Without a year, its window holds today (the services') with at least
        30 days on either side (see default_window); with one, it runs from
        5 January to 31 December of that year."""
        if year is None:
            year, opens, closes = default_window(clock_support.clock().today())
            window_opens = window_opens or opens.isoformat()
            window_closes = window_closes or closes.isoformat()
        body = {"year": year,
                "reference_date": reference_date or f"{year}-12-31",
                "window_opens": window_opens or f"{year}-01-05",
                "window_closes": window_closes or f"{year}-12-31"}
        body.update(extra)
        r = self.api.post(f"/v1/programmes/{programme}/rounds", token=office.token,
                          json=body, expect=201).body
        order = ["preparing", "accepting", "qualification", "review"]
        for to in order[1:order.index(phase) + 1]:
            r = self.api.post(f"/v1/rounds/{r['id']}/transitions", token=office.token,
                              json={"to": to}, expect=200).body
        return r

    @staticmethod
    def employer(**changes):
        """An employer (用人单位, issue 12): an enterprise with a fresh valid code."""
        employer = {"name": f"测试用人单位-{support.rand_hex(6)}有限公司",
                    "code": support.new_uscc(), "kind": "enterprise"}
        employer.update(changes)
        return employer

    def nomination_body(self, **changes):
        """A complete nomination (every field the office needs, the employer
        included), synthetic ID."""
        body = {
            "name": "测试候选人",
            "id_number": support.new_id_number(),
            "phone": support.new_phone(),
            "occupation": "数控车工",
            "skill_level": "senior_technician",
            "skill_certificate_no": f"S{support.rand_hex(6).upper()}",
            "front_line": True,
            "post": "数控车间一线操作岗",
            "employer": self.employer(),
            "deeds": "长期扎根生产一线，" * 60,
        }
        body.update(changes)
        return body

    def nomination(self, round_id, unit_user, **changes):
        return self.api.post(f"/v1/rounds/{round_id}/nominations", token=unit_user.token,
                             json=self.nomination_body(**changes), expect=201).body


def default_window(today):
    """(year, window_opens, window_closes) of a round that holds `today`:
    5 January to 31 December of today's year when that leaves 30 days on
    either side, else stretched to 30 days before (into the previous year,
    which is then the round's year) or after today."""
    one_month = datetime.timedelta(days=30)
    opens = min(datetime.date(today.year, 1, 5), today - one_month)
    closes = max(datetime.date(opens.year, 12, 31), today + one_month)
    return opens.year, opens, closes


@pytest.fixture(scope="session")
def factory(api, _admin_token_cache):
    return Factory(api, _admin_token_cache)


@pytest.fixture(scope="session")
def admin_me(api, _admin_token_cache):
    return api.get("/v1/me", token=_admin_token_cache.get(), expect=200).body


def pytest_collection_modifyitems(session, config, items):
    """Disruptive tests (marker `disruptive`) run after everything else."""
    items.sort(key=lambda it: 1 if it.get_closest_marker("disruptive") else 0)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "disruptive: stops/restarts Redis or PostgreSQL; runs last")
    config.addinivalue_line(
        "markers", "clock(when): both services' clocks are at `when` (RFC 3339, or a date "
        "meaning 10:00 Asia/Shanghai) for the test, and back after")


# ---------------------------------------------------------------- time
@pytest.fixture(scope="session")
def clock(api_url, vote_url):
    """The services' clocks (clock_support.TestClock)."""
    try:
        return clock_support.clock()
    except RuntimeError as e:
        support.unreachable(str(e))


@pytest.fixture(scope="session", autouse=True)
def _calendar_around_today(clock, api, _admin_token_cache):
    """Years around today without official data get a synthetic schedule
    (only ever in this throwaway database), so working-day rules work on
    any date the suite runs at."""
    today = clock.today()
    loaded = {y["year"] for y in api.get("/v1/calendar/years", expect=200).body["items"]}
    for year in range(today.year - 1, today.year + 3):
        if year not in loaded:
            api.put(f"/v1/calendar/years/{year}", token=_admin_token_cache.get(),
                    json=clock_support.synthetic_year(year), expect=201)


def _module_clock_marker(module):
    marks = getattr(module, "pytestmark", [])
    for mark in marks if isinstance(marks, (list, tuple)) else [marks]:
        if mark.name == "clock":
            return mark
    return None


@pytest.fixture(scope="module", autouse=True)
def _clock_per_module(request, clock):
    """A module marked `pytestmark = pytest.mark.clock(...)` gets its clocks
    there before its module-scoped fixtures make their data, and back after."""
    marker = _module_clock_marker(request.module)
    if marker is not None:
        clock.set(marker.args[0])
    yield
    if marker is not None:
        clock.restore()


@pytest.fixture(autouse=True)
def _clock_per_test(request, clock):
    """Honours @pytest.mark.clock, and puts the clocks back after any test
    that moved them: to the module's date in a module marked with one (its
    module-scoped fixtures may make their data after this test), else to
    the baseline."""
    marker = request.node.get_closest_marker("clock")
    if marker is not None:
        clock.set(marker.args[0])
    yield
    module = _module_clock_marker(request.module)
    if module is not None:
        clock.set(module.args[0])
    elif marker is not None or abs(clock.offset() - clock.baseline) > 2:
        clock.restore()
