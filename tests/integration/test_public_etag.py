# SPDX-License-Identifier: MIT
"""Conditional GET on the public reads (issue 16): every route flagged
ROUTE_CACHEABLE in api/routes.def answers 200 with a strong ETag (a hash of
the bytes) and Cache-Control, and 304 with no body when If-None-Match names
the current tag (RFC 9110 §13.1.2: lists, W/ and "*"). The tag follows the
bytes, so a change made by the clock alone (a notice that ended) gives a
new one."""

import datetime
import os
import pathlib
import re

import pytest

import decision_flow as df

TAG = re.compile(r'^"[0-9a-f]{32}"$')


def cacheable_routes():
    repo = pathlib.Path(os.environ.get("JIANGXIN_TEST_REPO")
                        or pathlib.Path(__file__).resolve().parents[2])
    text = (repo / "api" / "routes.def").read_text(encoding="utf-8")
    return {m.group(2) for m in re.finditer(r'ROUTE\("GET",\s*"([^"]+)",\s*(\w+),[^)]*\)', text)
            if "ROUTE_CACHEABLE" in m.group(0)}


@pytest.fixture(scope="module")
def world(api, factory):
    """A 岚山-based round with one title, its notice over."""
    return df.lanshan_recognized(api, factory, n=1)


def paths(world, clock):
    c = world.issued[0]
    today = clock.today().isoformat()
    return {
        "enums_list": "/v1/enums",
        "calendar_workdays": f"/v1/calendar/workdays?from={today}&days=5",
        "calendar_years_list": "/v1/calendar/years",
        "notices_index": "/v1/notices",
        "notices_get": f"/v1/notices/{world.notice['id']}",
        "certificates_verify":
            f"/v1/certificates/{c['certificate_number']}?code={c['verification_code']}",
        "public_programmes_list": "/v1/public/programmes",
        "public_rounds_get": f"/v1/public/rounds/{world.round['id']}",
        "public_nominees_list": f"/v1/public/rounds/{world.round['id']}/nominees",
        "public_results_get": f"/v1/public/rounds/{world.round['id']}/results",
        "public_recognitions_list": "/v1/public/recognitions?status=active&limit=5",
        "public_export_key_get": "/v1/public/export-key",
    }


def test_every_cacheable_route_is_tested(world, clock):
    assert cacheable_routes() == set(paths(world, clock))


@pytest.mark.parametrize("handler", sorted(cacheable_routes()))
def test_conditional_get(api, world, clock, handler):
    path = paths(world, clock)[handler]
    first = api.get(path, expect=200)
    tag = first.headers["ETag"]
    assert TAG.match(tag), tag
    policy = "private, no-cache" if handler == "certificates_verify" else "public, no-cache"
    assert first.headers["Cache-Control"] == policy
    assert api.get(path, expect=200).headers["ETag"] == tag  # same bytes, same tag

    for field in (tag, "W/" + tag, "*", f'"{"0" * 32}", {tag}', f'W/"x",{tag}'):
        r = api.get(path, headers={"If-None-Match": field}, expect=304)
        assert r.content == b"", field
        assert r.headers["ETag"] == tag and r.headers["Cache-Control"] == policy
        assert "Content-Type" not in r.headers

    for stale in (f'"{"0" * 32}"', '"1"', "junk"):
        r = api.get(path, headers={"If-None-Match": stale}, expect=200)
        assert r.headers["ETag"] == tag and r.content == first.content


def test_a_change_by_the_clock_alone_changes_the_tag(api, factory, clock):
    """A notice's state moves from open to ended at 24:00 of its last
    working day with no write: its tag moves with it, so a client that
    revalidates sees the change."""
    w = df.lanshan_deciding(api, factory, 1, awards=1)
    api.post(f"/v1/rounds/{w.round['id']}/decisions", token=w.leader.token,
             json=df.meeting(w.ids), expect=201)
    notice = df.publish(api, w)
    path = f"/v1/notices/{notice['id']}"
    open_ = api.get(path, expect=200)
    assert open_.body["state"] == "open"
    df.past_notice(notice)
    ended = api.get(path, headers={"If-None-Match": open_.headers["ETag"]}, expect=200)
    assert ended.body["state"] == "ended"
    assert ended.headers["ETag"] != open_.headers["ETag"]
    api.get(path, headers={"If-None-Match": ended.headers["ETag"]}, expect=304)


def test_a_problem_carries_no_tag(api):
    r = api.get("/v1/notices/00000000-0000-4000-8000-000000000000",
                headers={"If-None-Match": "*"}, expect=404)
    assert "ETag" not in r.headers


def test_preflight_allows_if_none_match(api):
    r = api.request("OPTIONS", "/v1/notices", check="none",
                    headers={"Origin": "https://portal.example", "Access-Control-Request-Method":
                             "GET", "Access-Control-Request-Headers": "if-none-match"})
    assert r.status_code == 204
    assert "If-None-Match" in r.headers["Access-Control-Allow-Headers"]
