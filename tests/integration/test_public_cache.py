# SPDX-License-Identifier: MIT
"""The in-process cache of public answers (api/public_cache.h): a hot
public page is served from memory, and is never served stale — a write
through the API shows on the next read, a change made elsewhere (psql, the
CLI) within the NOTIFY's delivery, a move of the clock at once, and a lost
listening connection makes the API answer uncached until it listens again."""

import datetime
import re

import pytest

import support

PROGRAMMES = "/v1/public/programmes"


def metric(api, name):
    text = api.get("/metrics", check="none", expect=200).text
    m = re.search(rf"^{name} (\d+)$", text, re.M)
    assert m, name
    return int(m.group(1))


@pytest.fixture
def live(api):
    support.poll(lambda: metric(api, "jiangxin_public_cache_live") == 1, timeout=20,
                 what="the public cache listening")


def by_code(api, code):
    items = api.get(PROGRAMMES, expect=200).body["items"]
    return next(p for p in items if p["code"] == code)


def test_a_hot_page_is_served_from_memory(api, live):
    first = api.get(PROGRAMMES, expect=200)
    hits = metric(api, "jiangxin_public_cache_hits_total")
    again = api.get(PROGRAMMES, expect=200)
    assert again.content == first.content and again.headers["ETag"] == first.headers["ETag"]
    assert metric(api, "jiangxin_public_cache_hits_total") > hits
    r = api.get(PROGRAMMES, headers={"If-None-Match": first.headers["ETag"]}, expect=304)
    assert r.content == b""


def test_a_write_through_the_api_shows_on_the_next_read(api, factory, live):
    code = factory.programme()
    office = factory.office(code)
    r = factory.round(code, office, phase="accepting")
    path = f"/v1/public/rounds/{r['id']}"
    assert api.get(path, expect=200).body["phase"] == "accepting"
    assert api.get(path, expect=200).body["phase"] == "accepting"  # now kept
    api.post(f"/v1/rounds/{r['id']}/transitions", token=office.token,
             json={"to": "qualification"}, expect=200)
    assert api.get(path, expect=200).body["phase"] == "qualification"


def test_a_change_made_in_the_database_shows(api, factory, superuser_url, live):
    code = factory.programme()
    assert by_code(api, code)["name"] == f"测试项目 {code}"
    by_code(api, code)  # kept
    support.psql(superuser_url, f"UPDATE programmes SET name = '改名 {code}' WHERE code = '{code}'")
    support.poll(lambda: by_code(api, code)["name"] == f"改名 {code}", timeout=5,
                 what="the renamed programme")


def test_a_moved_clock_shows_at_once(api, factory, clock, live):
    """A programme whose policy comes into force tomorrow: in force as soon
    as the clock reaches tomorrow, though nothing was written."""
    tomorrow = clock.today() + datetime.timedelta(days=1)
    code = factory.programme(in_force_from=tomorrow.isoformat())
    assert by_code(api, code)["in_force"] is False
    assert by_code(api, code)["in_force"] is False  # kept
    clock.set(tomorrow)
    assert by_code(api, code)["in_force"] is True


def test_a_lost_listener_never_serves_stale(api, factory, superuser_url, live):
    code = factory.programme()
    by_code(api, code)
    by_code(api, code)
    support.psql(superuser_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                " WHERE application_name = 'jiangxin-api-listen'")
    support.psql(superuser_url, f"UPDATE programmes SET name = '失联 {code}' WHERE code = '{code}'")
    support.poll(lambda: by_code(api, code)["name"] == f"失联 {code}", timeout=5,
                 what="the change while the listener was away")
    support.poll(lambda: metric(api, "jiangxin_public_cache_live") == 1, timeout=20,
                 what="the listener back")
    assert by_code(api, code)["name"] == f"失联 {code}"
