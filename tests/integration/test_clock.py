# SPDX-License-Identifier: MIT
"""The one clock of each service and its test clock: GET/PUT
/v1/system/clock (admin on the API, the service role on the voting
service), what it moves (business rules, not token lifetimes), /readyz and
/metrics, and that without JIANGXIN_TEST_CLOCK the route does not exist and
nothing can move the clock."""

import datetime
import os
import re
import tempfile
import time

import pytest
import requests

import clock_support
import support
import vote_flow
import vote_support as vs

SHANGHAI = clock_support.SHANGHAI


def _get(client, token):
    return client.get("/v1/system/clock", token=token, expect=200)


def test_get_shows_now_today_and_the_setting(api, vote, admin_token, clock):
    for client, token in ((api, admin_token), (vote, vs.service_token())):
        r = _get(client, token)
        body = r.body
        assert body["test_clock"] is True
        assert r.headers["Cache-Control"] == "no-store"
        now = clock_support.parse(body["now"])
        assert abs(now - clock.now()) < 5
        assert body["today"] == datetime.datetime.fromtimestamp(now, SHANGHAI).date().isoformat()
        assert body["offset_seconds"] == pytest.approx(clock.offset(), abs=2)


def test_put_now_moves_both_and_time_runs_on(api, vote, admin_token, clock):
    target = "2029-02-28T23:59:58+08:00"
    r = api.put("/v1/system/clock", token=admin_token, json={"now": target}, expect=200).body
    assert r["today"] == "2029-02-28"
    assert abs(clock_support.parse(r["now"]) - clock_support.parse(target)) < 2
    r = vote.put("/v1/system/clock", token=vs.service_token(), json={"now": target},
                 expect=200).body
    assert r["today"] == "2029-02-28"
    # Time runs on from there: a few seconds later it is 1 March (2029 is not a leap year).
    support.poll(lambda: _get(api, admin_token).body["today"] == "2029-03-01", timeout=10,
                 what="the clock to run past midnight")
    assert _get(vote, vs.service_token()).body["today"] == "2029-03-01"


@pytest.mark.parametrize("duration,days", [("P1D", 1), ("-P1D", -1), ("P2W", 14),
                                           ("PT48H", 2), ("P1M", 31)])
def test_advance(api, admin_token, clock, duration, days):
    clock.set("2030-01-15T12:00:00+08:00")
    r = api.put("/v1/system/clock", token=admin_token, json={"advance": duration},
                expect=200).body
    want = datetime.date(2030, 1, 15) + datetime.timedelta(days=days)
    assert r["today"] == want.isoformat()


def test_advance_by_months_keeps_the_wall_time_and_clamps(api, admin_token, clock):
    clock.set("2028-01-31T09:30:00+08:00")
    r = api.put("/v1/system/clock", token=admin_token, json={"advance": "P1M"}, expect=200).body
    assert r["now"].startswith("2028-02-29T09:30:")


@pytest.mark.parametrize("body,pointer", [
    ({}, ""),
    ({"now": "2028-01-01T00:00:00+08:00", "advance": "P1D"}, "/advance"),
    ({"now": "2028-01-01"}, "/now"),
    ({"now": "2028-01-01T00:00:00"}, "/now"),
    ({"now": "2019-12-31T23:59:59+08:00"}, "/now"),
    ({"now": "2100-01-01T00:00:00+08:00"}, "/now"),
    ({"advance": "1D"}, "/advance"),
    ({"advance": "P1H"}, "/advance"),
    ({"advance": "P100000D"}, "/advance"),
    ({"now": 20280101}, "/now"),
])
def test_bad_bodies_are_422_and_change_nothing(api, vote, admin_token, clock, body, pointer):
    before = clock.offset()
    for client, token in ((api, admin_token), (vote, vs.service_token())):
        r = client.put("/v1/system/clock", token=token, json=body, expect=422)
        assert pointer in support.pointers(r.body)
    assert clock.offset() == pytest.approx(before, abs=2)


def test_unknown_member_400_and_wrong_media_type_415(api, admin_token):
    api.put("/v1/system/clock", token=admin_token, json={"when": "P1D"}, expect=400)
    api.put("/v1/system/clock", token=admin_token, data="now=x",
            headers={"Content-Type": "text/plain"}, expect=415)


@pytest.mark.parametrize("role", ["office", "unit", "expert", "leader", "finance", "auditor",
                                  "service"])
def test_only_admin_on_the_api(api, factory, role):
    user = factory.user(role)
    api.get("/v1/system/clock", token=user.token, expect=403)
    api.put("/v1/system/clock", token=user.token, json={"advance": "P1D"}, expect=403)


def test_only_the_service_role_on_the_voting_service(vote, admin_token):
    vote.get("/v1/system/clock", expect=401)
    vote.put("/v1/system/clock", json={"advance": "P1D"}, expect=401)
    vote.get("/v1/system/clock", token=vs.voter_token(), expect=403)
    vote.put("/v1/system/clock", token=vs.voter_token(), json={"advance": "P1D"}, expect=403)
    # An API token is not a service token of the voting service.
    vote.get("/v1/system/clock", token=admin_token, expect=401)


def test_anonymous_401_on_the_api(api):
    api.get("/v1/system/clock", expect=401)
    api.put("/v1/system/clock", json={"advance": "P1D"}, expect=401)


def test_readyz_and_metrics_show_the_setting(api, vote, clock):
    for client in (api, vote):
        body = client.get("/readyz", expect=200).body
        assert body["clock"]["test_clock"] is True
        assert abs(clock_support.parse(body["clock"]["now"]) - clock.now()) < 5
        text = client.get("/metrics", expect=200).text
        assert re.search(r"^jiangxin_test_clock 1$", text, re.M)
        offset = float(re.search(r"^jiangxin_clock_offset_seconds (\S+)$", text, re.M).group(1))
        assert offset == pytest.approx(clock.offset(), abs=2)


def test_tokens_keep_real_time(api, admin_token, clock, factory):
    """Moving the clock two years on expires no session, and a token issued
    then is valid now: token lifetimes are real time."""
    user = factory.user("auditor")
    clock.set(clock.now() + 2 * 366 * 86400)
    api.get("/v1/me", token=user.token, expect=200)
    later = support.login(api, user.username, user.password)
    clock.restore()
    api.get("/v1/me", token=later, expect=200)


def test_the_voting_window_follows_the_clock(vote, clock):
    """A session that opens tomorrow on the services' clock takes votes once
    the clock gets there, and refuses them after it closes."""
    t = vs.now_s()
    sid, body, noms = vs.new_session(vote, n=2, opens=t + 86400, closes=t + 2 * 86400)
    assert vs.cast(vote, sid, noms[0], expect=409).body["code"] == "vote_not_open"
    clock.advance(86400 + 60)
    vs.cast(vote, sid, noms[0], expect=201)
    clock.advance(86400)
    assert vs.cast(vote, sid, noms[1], expect=409).body["code"] == "vote_closed"


def test_without_the_variable_the_route_is_404_and_nothing_moves():
    """A jiangxin-vote and a jiangxin-api started without JIANGXIN_TEST_CLOCK:
    the clock routes do not exist (404 before authentication), /readyz says
    test_clock false, and the clock is the system's."""
    with tempfile.TemporaryDirectory() as logdir:
        port = vote_flow.free_port()
        voting = vote_flow.Service(
            "vote-no-test-clock", support.need_env("JIANGXIN_TEST_VOTE_BIN"),
            vote_flow.vote_env(JIANGXIN_LISTEN=f"127.0.0.1:{port}", JIANGXIN_API_URL=None,
                               JIANGXIN_TEST_CLOCK=None), port, logdir).start()
        aport = vote_flow.free_port()
        env = vote_flow.api_env(aport, voting.url)
        env.pop("JIANGXIN_TEST_CLOCK")
        api = vote_flow.Service("api-no-test-clock", support.need_env("JIANGXIN_TEST_API_BIN"),
                                env, aport, logdir, args=["serve"]).start()
        try:
            session = requests.Session()
            session.trust_env = False
            admin = session.post(api.url + "/v1/auth/token", timeout=30, json={
                "username": os.environ["JIANGXIN_TEST_ADMIN_USER"],
                "password": os.environ["JIANGXIN_TEST_ADMIN_PASSWORD"]}).json()["access_token"]
            for url, token in ((voting.url, vs.service_token()), (api.url, admin)):
                for headers in ({}, {"Authorization": f"Bearer {token}"}):
                    assert session.get(url + "/v1/system/clock", headers=headers,
                                       timeout=10).status_code == 404
                    r = session.put(url + "/v1/system/clock", headers=headers, timeout=10,
                                    json={"now": "2030-01-01T00:00:00+08:00"})
                    assert r.status_code == 404
                ready = session.get(url + "/readyz", timeout=10).json()
                assert ready["clock"]["test_clock"] is False
                assert ready["clock"]["offset_seconds"] == 0
                now = clock_support.parse(ready["clock"]["now"])
                assert abs(now - time.time()) < 5
                text = session.get(url + "/metrics", timeout=10).text
                assert re.search(r"^jiangxin_test_clock 0$", text, re.M)
        finally:
            api.stop()
            voting.stop()
