# SPDX-License-Identifier: MIT
"""jiangxin-vote votes: 201 with a receipt, receipts (forged → 404),
409 duplicates, 429 daily quota and per-IP GCRA with Retry-After, trusted
and untrusted X-Forwarded-For, the Shanghai day roll-over (a second
instance with a clock offset), 200 parallel identical votes, the log after
close and Redis down → 503."""

import concurrent.futures
import hashlib
import json
import time

import pytest

import support
import vote_support as vs
from vote_support import new_id


def test_vote_201_and_receipt(vote):
    sid, body, noms = vs.new_session(vote, votes_per_day=3)
    r = vs.cast(vote, sid, noms[0], expect=201)
    v = r.body
    assert v["session_id"] == sid and v["nominee_id"] == noms[0]
    assert v["votes_left_today"] == 2 and v["at"].endswith("+08:00")
    assert r.headers["Location"] == f"/v1/sessions/{sid}/receipts/{v['receipt']}"
    got = vote.get(r.headers["Location"], expect=200).body
    assert got == {"receipt": v["receipt"], "session_id": sid, "counted": True,
                   "nominee_id": noms[0], "at": v["at"]}


def test_forged_and_malformed_receipts(vote):
    sid, body, noms = vs.new_session(vote)
    receipt = vs.cast(vote, sid, noms[0], expect=201).body["receipt"]
    stream_id, token = receipt.split(".")
    forged = stream_id + "." + ("0" if token[0] != "0" else "1") + token[1:]
    vote.get(f"/v1/sessions/{sid}/receipts/{forged}", expect=404)
    vote.get(f"/v1/sessions/{sid}/receipts/1-0.{token}", expect=404)
    vote.get(f"/v1/sessions/{new_id()}/receipts/{receipt}", expect=404)
    for bad in ["x", stream_id, f"{stream_id}.{token[:-1]}", f"{stream_id}.{token.upper()}",
                f"a-0.{token}", f"{'9' * 30}-0.{token}"]:
        vote.get(f"/v1/sessions/{sid}/receipts/{bad}", expect=400)


def test_duplicate_nominee_409_and_daily_limit_429(vote):
    sid, body, noms = vs.new_session(vote, n=3, votes_per_day=2, per_nominee=1)
    token = vs.voter_token()
    assert vs.cast(vote, sid, noms[0], token=token, expect=201).body["votes_left_today"] == 1
    r = vs.cast(vote, sid, noms[0], token=token, expect=409, lang="en")
    assert r.body["code"] == "already_voted_today" and "already voted" in r.body["detail"]
    assert vs.cast(vote, sid, noms[1], token=token, expect=201).body["votes_left_today"] == 0
    r = vs.cast(vote, sid, noms[2], token=token, expect=429)
    wait = int(r.headers["Retry-After"])
    now = vs.now_f()
    expected = vs.shanghai_midnight_after(now) - now
    assert abs(wait - expected) <= 5, (wait, expected)
    assert r.body["code"] == "daily_limit_reached" and "00:00" in r.body["detail"]
    # another voter is not affected
    vs.cast(vote, sid, noms[2], expect=201)


def test_votes_per_nominee_per_day(vote):
    sid, body, noms = vs.new_session(vote, n=2, votes_per_day=5, per_nominee=2)
    token = vs.voter_token()
    vs.cast(vote, sid, noms[0], token=token, expect=201)
    vs.cast(vote, sid, noms[0], token=token, expect=201)
    vs.cast(vote, sid, noms[0], token=token, expect=409)
    assert vs.cast(vote, sid, noms[1], token=token, expect=201).body["votes_left_today"] == 2


def test_unknown_session_or_nominee_404(vote):
    sid, body, noms = vs.new_session(vote)
    r = vs.cast(vote, sid, new_id(), expect=404)
    assert r.body["code"] == "no_such_nominee"
    r = vs.cast(vote, new_id(), noms[0], expect=404, lang="en")
    assert r.body["code"] == "no_such_session" and "session" in r.body["detail"]
    vs.cast(vote, "not-a-session", noms[0], expect=404)


@pytest.mark.parametrize("payload, status, code", [
    ({}, 422, "required"), ({"nominee_id": 5}, 422, "wrong_type"),
    ({"nominee_id": "x"}, 422, "not_uuid"), ({"nominee_id": None}, 422, "wrong_type"),
    ({"nominee": "x"}, 400, "unknown_field"), ([], 400, "not_an_object"),
])
def test_bad_vote_body(vote, payload, status, code):
    sid, body, noms = vs.new_session(vote)
    r = vote.post(f"/v1/sessions/{sid}/votes", json=payload, token=vs.voter_token(),
                  expect=status)
    assert r.body["code"] == code
    r = vote.post(f"/v1/sessions/{sid}/votes", data="{", token=vs.voter_token(),
                  headers={"Content-Type": "application/json"}, expect=400)
    assert r.body["code"] == "invalid_json"
    r = vote.post(f"/v1/sessions/{sid}/votes", data="nominee", token=vs.voter_token(),
                  headers={"Content-Type": "text/plain"}, expect=415)
    assert r.body["code"] == "unsupported_media_type"


def test_gcra_per_ip_from_trusted_proxy(vote):
    # 1 per minute, burst 2: two attempts pass, the third waits about a minute
    sid, body, noms = vs.new_session(vote, n=3, votes_per_day=10, rate=1, burst=2)
    ip = f"198.51.100.{int(time.time() * 1000) % 250 + 1}"
    vs.cast(vote, sid, noms[0], ip=ip, expect=201)
    # a refused attempt inside the window costs too (the nominee is unknown)
    vs.cast(vote, sid, new_id(), ip=ip, expect=404)
    r = vs.cast(vote, sid, noms[1], ip=ip, expect=429)
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    assert r.body["code"] == "ip_rate_limited"
    # the right-most address not a trusted proxy counts: 127.0.0.1 is trusted
    r = vs.cast(vote, sid, noms[1], ip=f"203.0.113.9, {ip}, 127.0.0.1", expect=429)
    # another client address has its own budget
    vs.cast(vote, sid, noms[1], ip="192.0.2.77", expect=201)
    vs.cast(vote, sid, noms[2], ip=f"{ip}, 192.0.2.78", expect=201)


def test_untrusted_forwarded_for_is_ignored(vote):
    sid, body, noms = vs.new_session(vote, n=3, votes_per_day=10, rate=1, burst=2)
    with vs.vote_instance(vote, drop=["JIANGXIN_TRUSTED_PROXIES"]) as other:
        vs.cast(other, sid, noms[0], ip="192.0.2.1", expect=201)
        vs.cast(other, sid, noms[1], ip="192.0.2.2", expect=201)
        # every X-Forwarded-For is the peer 127.0.0.1 here: the burst is used up
        r = vs.cast(other, sid, noms[2], ip="192.0.2.3", expect=429)
        assert int(r.headers["Retry-After"]) >= 1


def test_day_rolls_over_at_shanghai_midnight(vote):
    t = vs.now_s()
    sid, body, noms = vs.new_session(vote, n=2, votes_per_day=1, per_nominee=1,
                                     closes=t + 3 * 86400)
    token = vs.voter_token()
    vs.cast(vote, sid, noms[0], token=token, expect=201)
    vs.cast(vote, sid, noms[1], token=token, expect=429)
    with vs.vote_instance(vote) as tomorrow:
        # this instance only: 5 s past the next 00:00 Asia/Shanghai
        tomorrow.put("/v1/system/clock", token=vs.service_token(), expect=200,
                     json={"now": vs.rfc3339(vs.shanghai_midnight_after(vs.now_f()) + 5)})
        # a new Shanghai day: the quota and the per-nominee count start again
        r = vs.cast(tomorrow, sid, noms[0], token=token, expect=201)
        assert r.body["votes_left_today"] == 0
        vs.cast(tomorrow, sid, noms[1], token=token, expect=429)
    # both days' votes are in one tally
    early = dict(body, closes_at=vs.rfc3339_ms(vs.now_f() + 0.3))
    vs.put_session(vote, sid, early, expect=200)
    time.sleep(0.4)
    t = vote.get(f"/v1/sessions/{sid}/tally", expect=200).body
    assert t["total_votes"] == 2 and t["counts"][0]["votes"] == 2


def test_parallel_identical_votes_one_201(vote):
    sid, body, noms = vs.new_session(vote, votes_per_day=5, per_nominee=1, rate=100000,
                                     burst=100000, show_counts=True)
    token = vs.voter_token()

    def one(_):
        return vs.cast(vote, sid, noms[0], token=token, check="none").status_code
    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        codes = list(pool.map(one, range(200)))
    assert codes.count(201) == 1, sorted(set(codes))
    assert codes.count(409) == 199
    t = vote.get(f"/v1/sessions/{sid}/tally", expect=200).body
    assert t["total_votes"] == 1


def test_log_after_close(vote):
    sid, body, noms = vs.new_session(vote, n=3, votes_per_day=3)
    assert vote.get(f"/v1/sessions/{sid}/log", expect=403).body["code"] == "log_not_published"
    receipts = []
    for i in range(5):
        token = vs.voter_token()
        for n in noms[: 1 + i % 3]:
            receipts.append((vs.cast(vote, sid, n, token=token, expect=201).body, n))
    vote.get(f"/v1/sessions/{sid}/log", expect=403)
    early = dict(body, closes_at=vs.rfc3339_ms(vs.now_f() + 0.3))
    vs.put_session(vote, sid, early, expect=200)
    time.sleep(0.4)
    r = vote.get(f"/v1/sessions/{sid}/log", expect=200)
    assert r.headers["Content-Type"].startswith("application/x-ndjson")
    raw = r.content
    digest = hashlib.sha256(raw).hexdigest()
    assert r.headers["X-Log-Sha256"] == digest
    assert int(r.headers["X-Log-Entries"]) == len(receipts) == raw.count(b"\n")
    lines = [json.loads(x) for x in raw.decode().splitlines()]
    assert [sorted(x) for x in lines] == [["at", "nominee_id", "receipt_hash"]] * len(lines)
    assert [x["at"] for x in lines] == sorted(x["at"] for x in lines)
    by_hash = {x["receipt_hash"]: x for x in lines}
    for v, nominee in receipts:
        h = hashlib.sha256(v["receipt"].split(".")[1].encode()).hexdigest()
        assert by_hash[h]["nominee_id"] == nominee and by_hash[h]["at"] == v["at"]
    # the same bytes again, and the digest is published with the session
    assert vote.get(f"/v1/sessions/{sid}/log", expect=200).content == raw
    s = vote.get(f"/v1/sessions/{sid}", expect=200).body
    assert s["log"] == {"entries": len(receipts), "sha256": digest}
    assert s["total_votes"] == len(receipts)
    t = vote.get(f"/v1/sessions/{sid}/tally", expect=200).body
    assert t["log"] == s["log"] and t["state"] == "closed"
    assert sum(c["votes"] for c in t["counts"]) == len(receipts)


def test_redis_down_is_503_never_201(vote):
    with vs.own_redis() as (port, url, directory, procs):
        with vs.vote_instance(vote, JIANGXIN_REDIS_URL=url) as own:
            sid, body, noms = vs.new_session(own, n=2)
            vs.cast(own, sid, noms[0], expect=201)
            vs.redis_cli(port, "SHUTDOWN", "NOSAVE")
            procs[0].wait(10)
            for n in noms:
                r = vs.cast(own, sid, n, expect=503)
                assert r.headers["Retry-After"] == "1"
            own.get(f"/v1/sessions/{sid}", expect=503)
            own.get("/readyz", expect=503)
            # Redis back (empty: no persistence): the service recovers by itself
            procs.append(vs.redis_server(port, directory))
            support.poll(lambda: own.get("/readyz", check="none").status_code == 200,
                         timeout=10, what="readyz after Redis is back")
            vs.cast(own, sid, noms[0], expect=404)
            sid2, body2, noms2 = vs.new_session(own, n=1)
            vs.cast(own, sid2, noms2[0], expect=201)


def test_script_flush_is_survived(vote):
    """NOSCRIPT (a flushed or restarted Redis) loads the script again."""
    sid, body, noms = vs.new_session(vote, n=2)
    vs.cast(vote, sid, noms[0], expect=201)
    assert vs.redis_cli(support.need_env("JIANGXIN_TEST_REDIS_PORT"), "SCRIPT", "FLUSH") == "OK"
    vs.cast(vote, sid, noms[1], expect=201)
    vote.get(f"/v1/sessions/{sid}", expect=200)


def test_vote_outcomes_are_counted(vote):
    def outcomes():
        samples = support.parse_prometheus(vote.get("/metrics", expect=200).text)
        return {lab.get("outcome"): v for n, lab, v in samples if n == "jiangxin_votes_total"}
    sid, body, noms = vs.new_session(vote, n=1)
    before = outcomes()
    token = vs.voter_token()
    vs.cast(vote, sid, noms[0], token=token, expect=201)
    vs.cast(vote, sid, noms[0], token=token, expect=409)
    vs.cast(vote, sid, new_id(), expect=404)
    after = outcomes()
    assert after["accepted"] >= before.get("accepted", 0) + 1
    assert after["duplicate"] >= before.get("duplicate", 0) + 1
    assert after["bad_nominee"] >= before.get("bad_nominee", 0) + 1


def test_the_voters_day_holds_with_the_clock_set_back(vote, clock):
    """Redis expires keys on its own clock: with the services' clock a year
    behind it, the voter's day must still last until after the close (it
    once expired at once, and a second vote for the same nominee went
    through)."""
    clock.set(clock.now() - 366 * 86400)
    sid, body, noms = vs.new_session(vote, n=2, votes_per_day=2, per_nominee=1)
    token = vs.voter_token()
    vs.cast(vote, sid, noms[0], token=token, expect=201)
    vs.cast(vote, sid, noms[0], token=token, expect=409)
    assert vs.cast(vote, sid, noms[1], token=token, expect=201).body["votes_left_today"] == 0
    vs.cast(vote, sid, noms[1], token=vs.voter_token(), expect=201)
