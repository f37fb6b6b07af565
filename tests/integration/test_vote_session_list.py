# SPDX-License-Identifier: MIT
"""jiangxin-vote's public session list (GET /v1/sessions): states on the
service's clock (scheduled → open → closed as the `clock` fixture moves it,
closing early), the order and keyset paging (no repeats or gaps while
sessions are added), bad parameters (400, nothing listed differently
afterwards), the strong ETag with If-None-Match (304) and the start-up
backfill of the index. Most tests run an extra jiangxin-vote on a Redis of
their own, so the list holds exactly the test's sessions."""

import binascii
import contextlib

import pytest

import vote_support as vs
from vote_support import new_id, put_session, session_body


@contextlib.contextmanager
def lone_vote(vote):
    """(client, redis port) of a jiangxin-vote on an empty Redis of its own."""
    with vs.own_redis() as (port, url, _directory, _procs):
        with vs.vote_instance(vote, JIANGXIN_REDIS_URL=url) as own:
            yield own, port


def listed(client, query="", **kw):
    return client.get(f"/v1/sessions{query}", expect=200, **kw).body


def walk(client, query, limit):
    """Every item of the list, page by page (each page at most `limit`)."""
    items, cursor, pages = [], None, 0
    sep = "&" if query else ""
    while True:
        q = f"?{query}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        r = client.get(f"/v1/sessions{q}", expect=200)
        assert len(r.body["items"]) <= limit
        items += r.body["items"]
        cursor = r.body["next_cursor"]
        assert ("Link" in r.headers) == (cursor is not None)
        pages += 1
        assert pages < 500
        if cursor is None:
            return items


def create(client, *, opens, closes, title=None):
    sid, body = new_id(), session_body(n=2, opens=opens, closes=closes, title=title)
    put_session(client, sid, body, expect=201)
    return sid, body


def ids(items):
    return [i["id"] for i in items]


def test_states_follow_the_clock(vote, clock):
    with lone_vote(vote) as (own, _port):
        t = vs.now_s()
        sid, body = create(own, opens=t + 3600, closes=t + 7200, title="列表测试投票")
        item = {"id": sid, "round_id": body["round_id"], "title": "列表测试投票",
                "state": "scheduled", "opens_at": vs.shanghai(body["opens_at"]),
                "closes_at": vs.shanghai(body["closes_at"])}
        assert listed(own, "?state=scheduled")["items"] == [item]
        assert listed(own)["items"] == [item]  # no state: open and scheduled
        assert listed(own, "?state=open")["items"] == []
        assert listed(own, "?state=closed")["items"] == []
        clock.advance(3600 + 5)
        item["state"] = "open"
        assert listed(own, "?state=open")["items"] == [item]
        assert listed(own)["items"] == [item]
        assert listed(own, "?state=scheduled")["items"] == []
        # the same state as the session itself and as voting (accepted now)
        assert own.get(f"/v1/sessions/{sid}", expect=200).body["state"] == "open"
        vs.cast(own, sid, body["nominees"][0]["id"], expect=201)
        clock.advance(3600)
        item["state"] = "closed"
        assert listed(own, "?state=closed")["items"] == [item]
        assert listed(own)["items"] == [] and listed(own, "?state=open")["items"] == []
        vs.cast(own, sid, body["nominees"][1]["id"], expect=409)


def test_close_early_moves_the_session(vote):
    with lone_vote(vote) as (own, _port):
        t = vs.now_s()
        sid, body = create(own, opens=t - 60, closes=t + 3600)
        other, _ = create(own, opens=t - 60, closes=t + 7200)
        assert ids(listed(own, "?state=open")["items"]) == [sid, other]
        early = dict(body, closes_at=vs.rfc3339_ms(vs.now_f() + 0.3))
        put_session(own, sid, early, expect=200)
        vs.support.poll(lambda: ids(listed(own, "?state=closed")["items"]) == [sid],
                        timeout=5, what="closed early")
        closed = listed(own, "?state=closed")["items"][0]
        assert closed["state"] == "closed"
        assert closed["closes_at"] == vs.shanghai(early["closes_at"])
        assert ids(listed(own, "?state=open")["items"]) == [other]


def test_order_of_each_state(vote, clock):
    with lone_vote(vote) as (own, _port):
        t = vs.now_s()
        a, _ = create(own, opens=t - 60, closes=t + 7200)
        b, _ = create(own, opens=t - 60, closes=t + 3600)
        c, _ = create(own, opens=t + 600, closes=t + 5400)
        # soonest closing first, open and scheduled mixed
        assert ids(listed(own)["items"]) == [b, c, a]
        assert ids(listed(own, "?state=open")["items"]) == [b, a]
        assert ids(listed(own, "?state=scheduled")["items"]) == [c]
        clock.advance(3 * 3600)
        # closed: latest closing first
        assert ids(listed(own, "?state=closed")["items"]) == [a, c, b]


def test_paging_is_stable_while_sessions_are_added(vote):
    with lone_vote(vote) as (own, _port):
        t = vs.now_s()
        made = []
        for i in range(7):
            made.append(create(own, opens=t + 600, closes=t + 3600 + 60 * i)[0])
        tied = [create(own, opens=t + 600, closes=t + 5000)[0] for _ in range(4)]
        expected = made + sorted(tied)
        assert ids(walk(own, "state=scheduled", 3)) == expected
        assert ids(walk(own, "", 1)) == expected
        assert ids(walk(own, "state=scheduled", 100)) == expected

        # page 1, then sessions are added before and after the cursor
        first = listed(own, "?state=scheduled&limit=4")
        assert ids(first["items"]) == made[:4]
        before = create(own, opens=t + 600, closes=t + 3600 + 30)[0]  # behind the cursor
        after = create(own, opens=t + 600, closes=t + 3600 + 60 * 5 + 30)[0]
        tie = create(own, opens=t + 600, closes=t + 5000)[0]
        seen, cursor = ids(first["items"]), first["next_cursor"]
        while cursor:
            page = listed(own, f"?state=scheduled&limit=4&cursor={cursor}")
            seen += ids(page["items"])
            cursor = page["next_cursor"]
        assert len(seen) == len(set(seen))
        assert before not in seen  # added behind the cursor: next walk finds it
        assert seen == made[:6] + [after] + made[6:] + sorted(tied + [tie])
        everything = walk(own, "state=scheduled", 5)
        keys = [(vs.shanghai(i["closes_at"]), i["id"]) for i in everything]
        assert keys == sorted(keys) and len(everything) == 7 + 4 + 3


@pytest.mark.parametrize("query, code", [
    ("?state=foo", "invalid_state"),
    ("?state=OPEN", "invalid_state"),
    ("?state=%FF", "query_not_utf8"),
    ("?state=", "query_empty"),
    ("?limit=0", "invalid_limit"),
    ("?limit=101", "invalid_limit"),
    ("?limit=2x", "invalid_limit"),
    ("?limit=-1", "invalid_limit"),
    ("?limit=%2B5", "invalid_limit"),
    ("?cursor=zz", "invalid_cursor"),
    ("?cursor=abc", "invalid_cursor"),
    ("?cursor=" + binascii.hexlify(b"a.1.x").decode(), "invalid_cursor"),
    ("?cursor=%FF", "query_not_utf8"),
])
def test_bad_parameters_are_400(vote, query, code):
    r = vote.get(f"/v1/sessions{query}", expect=400)
    assert r.body["code"] == code
    assert r.body["type"] == "urn:jiangxin:problem:invalid-parameter"
    assert "ETag" not in r.headers


def test_a_cursor_belongs_to_its_state(vote):
    with lone_vote(vote) as (own, _port):
        t = vs.now_s()
        for i in range(3):
            create(own, opens=t + 600, closes=t + 3600 + i)
        before = listed(own, "?state=scheduled")
        cursor = listed(own, "?state=scheduled&limit=1")["next_cursor"]
        assert cursor
        for other in ("?", "?state=open&", "?state=closed&"):
            r = own.get(f"/v1/sessions{other}cursor={cursor}", expect=400)
            assert r.body["code"] == "invalid_cursor"
        for bad in ("?state=foo", "?limit=0", "?cursor=00", "?state=%FF"):
            own.get(f"/v1/sessions{bad}", expect=400)
        # nothing changed
        assert listed(own, "?state=scheduled") == before
        assert len(listed(own, f"?state=scheduled&cursor={cursor}")["items"]) == 2


def test_etag_and_not_modified(vote):
    with lone_vote(vote) as (own, _port):
        t = vs.now_s()
        create(own, opens=t - 60, closes=t + 3600)
        r = own.get("/v1/sessions", expect=200)
        tag = r.headers["ETag"]
        assert r.headers["Cache-Control"] == "public, no-cache"
        assert own.get("/v1/sessions", expect=200).headers["ETag"] == tag  # stable
        for inm in (tag, f"W/{tag}", f'"0123", {tag}', f'{tag},"x"', "*", f'W/"nope" ,  {tag}'):
            nm = own.get("/v1/sessions", headers={"If-None-Match": inm}, expect=304)
            assert nm.content == b""
            assert nm.headers["ETag"] == tag
            assert nm.headers["Cache-Control"] == "public, no-cache"
        for inm in ('"00000000000000000000000000000000"', tag[:-2] + '"', "garbage", tag[1:-1]):
            ok = own.get("/v1/sessions", headers={"If-None-Match": inm}, expect=200)
            assert ok.headers["ETag"] == tag and ok.body == r.body
        # another state is another body, another tag
        assert own.get("/v1/sessions?state=closed", expect=200).headers["ETag"] != tag
        # a new session: the stale tag gets the new page
        create(own, opens=t - 60, closes=t + 1800)
        fresh = own.get("/v1/sessions", headers={"If-None-Match": tag}, expect=200)
        assert fresh.headers["ETag"] != tag and len(fresh.body["items"]) == 2


def test_start_up_backfills_the_index(vote):
    with vs.own_redis() as (port, url, _directory, _procs):
        with vs.vote_instance(vote, JIANGXIN_REDIS_URL=url) as own:
            t = vs.now_s()
            sid, body = create(own, opens=t - 60, closes=t + 3600, title="旧数据")
            expected = listed(own)["items"]
            assert ids(expected) == [sid]
        # as a Redis written before the index existed
        assert vs.redis_cli(port, "DEL", "v:sessions:closes") == "1"
        assert vs.redis_cli(port, "HDEL", f"v:{{{sid}}}:cfg", "title") == "1"
        with vs.vote_instance(vote, JIANGXIN_REDIS_URL=url) as own:
            assert listed(own)["items"] == expected
            assert vs.redis_cli(port, "ZSCORE", "v:sessions:closes", sid) == str(
                (t + 3600) * 1000)


def test_shared_stack_lists_a_new_session(vote):
    sid, body, _ = vs.new_session(vote, n=1)
    found = [i for i in walk(vote, "state=open", 100) if i["id"] == sid]
    assert len(found) == 1 and found[0]["state"] == "open"
    assert found[0]["title"] == body["title"]
