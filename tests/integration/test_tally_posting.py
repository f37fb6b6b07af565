# SPDX-License-Identifier: MIT
"""Tally posting (jiangxin-vote → PUT /v1/vote-sessions/{id}/tally), end to
end against the real API: tallies arrive and never go backwards; the poster
survives the API being down (backs off, keeps counting the lag, delivers
once it is back) while votes go on; of two instances only the lock holder
posts, and the other takes over when it stops; at close a final tally with
the log's entry count and digest arrives, matches the downloaded log, and
nothing changes after it.

These tests run their own jiangxin-api and jiangxin-vote processes (the
environment of the running ones, free ports) on a Redis database of their
own, so the suite's voting service never posts these sessions and stopping
"the API" here stops only ours. Sessions are opened through our API, which
pushes them to our voting service."""

import hashlib
import json
import re
import subprocess
import threading
import time
import types

import pytest

import conftest
import support
import vote_flow

REDIS_DB = 7  # ours alone: the suite's services use 0
INTERVAL_MS = 300


def _redis_url(db):
    base = support.need_env("JIANGXIN_TEST_REDIS_URL")
    base = re.sub(r"/\d+$", "", base.rstrip("/"))
    return f"{base}/{db}"


def _vote_service(name, api_url, logdir):
    port = vote_flow.free_port()
    env = vote_flow.vote_env(JIANGXIN_LISTEN=f"127.0.0.1:{port}",
                             JIANGXIN_REDIS_URL=_redis_url(REDIS_DB),
                             JIANGXIN_API_URL=api_url,
                             JIANGXIN_TALLY_INTERVAL_MS=str(INTERVAL_MS))
    return vote_flow.Service(name, support.need_env("JIANGXIN_TEST_VOTE_BIN"), env, port, logdir)


@pytest.fixture(scope="module")
def stack(tmp_path_factory, api_spec, vote_spec):
    logdir = tmp_path_factory.mktemp("tally-posting")
    api_port = vote_flow.free_port()
    vote1 = _vote_service("vote1", f"http://127.0.0.1:{api_port}", logdir)
    api_srv = vote_flow.Service("api", support.need_env("JIANGXIN_TEST_API_BIN"),
                                vote_flow.api_env(api_port, vote1.url), api_port, logdir,
                                args=["serve"])
    api_srv.start()
    vote1.start()
    s = types.SimpleNamespace(
        logdir=logdir, api_srv=api_srv, vote1=vote1, vote2=None,
        api=conftest.Client(api_srv.url, api_spec, "our jiangxin-api"),
        vote=conftest.Client(vote1.url, vote_spec, "our jiangxin-vote"),
        vote_spec=vote_spec)
    yield s
    for srv in (s.vote2, s.vote1, s.api_srv):
        if srv is not None and srv.proc is not None:
            srv.stop()


def _forget_on_suite_redis(session_id):
    """The suite's API retries pushes of pending sessions; in the moment
    between our API's commit and its own push, it may have pushed ours to
    the suite's voting service too. Remove it there so only ours posts."""
    url = _redis_url(0)
    if vote_flow.redis_cli(url, "EXISTS", f"v:{{{session_id}}}:cfg") == "1":
        vote_flow.redis_cli(url, "SREM", "v:sessions", session_id)
        vote_flow.redis_cli(url, "DEL", f"v:{{{session_id}}}:cfg", f"v:{{{session_id}}}:nom")


def _session(s, factory, api, n=3, **kw):
    rnd, office, ids = vote_flow.qualified_round(factory, api, n)
    rec = vote_flow.open_session(s.api, office, rnd["id"], ids, **kw)
    assert rec["push_state"] == "pushed", rec
    _forget_on_suite_redis(rec["id"])
    return types.SimpleNamespace(id=rec["id"], round_id=rnd["id"], office=office, ids=ids)


def _results(s, sess):
    return s.api.get(f"/v1/rounds/{sess.round_id}/vote-results", token=sess.office.token,
                     expect=200).body


def _counts(results):
    return {n["id"]: n["votes"] for n in results["nominees"]}


def _wait_for_total(s, sess, total, timeout=20):
    return support.poll(lambda: (r := _results(s, sess))["total_votes"] == total and r,
                        timeout=timeout, interval=0.1, what=f"a tally with {total} votes")


def _metrics(client):
    return client.get("/metrics", expect=200).text


def _posts(client, result):
    return vote_flow.metric(_metrics(client), "jiangxin_tally_posts_total", result=result)


class _Watcher:
    """Reads the results every 50 ms in the background and keeps each."""

    def __init__(self, s, sess):
        self.s, self.sess, self.seen, self.stop = s, sess, [], threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.is_set():
            try:
                r = self.s.api.session.get(
                    f"{self.s.api.base}/v1/rounds/{self.sess.round_id}/vote-results",
                    headers=support.bearer(self.sess.office.token), timeout=5)
                if r.status_code == 200:
                    self.seen.append(r.json())
            except Exception:  # noqa: BLE001 - the API may be down on purpose
                pass
            time.sleep(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def _assert_never_backwards(seen):
    assert seen, "no results were read"
    for a, b in zip(seen, seen[1:]):
        assert b["sequence"] >= a["sequence"], (a["sequence"], b["sequence"])
        assert b["total_votes"] >= a["total_votes"], (a["total_votes"], b["total_votes"])
        ca, cb = _counts(a), _counts(b)
        assert all(cb[k] >= ca[k] for k in ca), (ca, cb)
        if b["sequence"] == a["sequence"]:
            assert cb == ca


def test_tallies_reach_the_api_and_never_go_backwards(stack, factory, api):
    sess = _session(stack, factory, api)
    # Before any vote: a first tally of zeros arrives.
    first = support.poll(lambda: (r := _results(stack, sess))["sequence"] > 0 and r,
                         timeout=10, what="a first tally")
    assert first["total_votes"] == 0 and set(_counts(first).values()) == {0}
    want = {i: 0 for i in sess.ids}
    with _Watcher(stack, sess) as w:
        for wave in range(3):
            for nominee in sess.ids[: wave + 1]:
                vote_flow.cast(stack.vote, sess.id, nominee)
                want[nominee] += 1
            time.sleep(INTERVAL_MS / 1000 * 2)
        done = _wait_for_total(stack, sess, sum(want.values()))
        time.sleep(0.3)
    assert _counts(done) == want
    assert done["log_entries"] == done["total_votes"] == 6
    assert re.fullmatch(r"[0-9a-f]{64}", done["log_sha256"])
    assert not done["final"]
    _assert_never_backwards(w.seen)
    assert len({r["sequence"] for r in w.seen}) >= 3, "expected several tallies while voting"
    # The instance counts votes, script round trips and its posts after the
    # HTTP metrics; the lag returns to 0 once acknowledged.
    text = _metrics(stack.vote)
    assert text.index("jiangxin_http_requests_total") < text.index("jiangxin_votes_total")
    for outcome in ("accepted", "replay", "duplicate", "rate_limited", "daily_limit",
                    "not_open", "closed", "bad_nominee", "no_session", "unavailable"):
        assert f'jiangxin_votes_total{{outcome="{outcome}"}} ' in text, outcome
    assert vote_flow.metric(text, "jiangxin_votes_total", outcome="accepted") >= 6
    assert vote_flow.metric(text, "jiangxin_vote_redis_seconds_count") >= 6
    assert vote_flow.metric(text, "jiangxin_vote_redis_seconds_bucket", le="+Inf") >= 6
    assert "# TYPE jiangxin_tally_post_lag_seconds gauge" in text
    assert _posts(stack.vote, "ok") > 0
    support.poll(lambda: vote_flow.metric(_metrics(stack.vote),
                                          "jiangxin_tally_post_lag_seconds") == 0.0,
                 timeout=10, what="lag 0")


def test_poster_survives_the_api_being_down(stack, factory, api):
    sess = _session(stack, factory, api, n=2)
    vote_flow.cast(stack.vote, sess.id, sess.ids[0])
    _wait_for_total(stack, sess, 1)
    failed_before = _posts(stack.vote, "failed")
    log_mark = len(stack.vote1.text())

    stack.api_srv.stop()
    try:
        # Votes go on, quickly: request threads never wait on the poster.
        for nominee in sess.ids:
            t0 = time.monotonic()
            vote_flow.cast(stack.vote, sess.id, nominee)
            assert time.monotonic() - t0 < 2
        time.sleep(4)
        text = _metrics(stack.vote)
        assert vote_flow.metric(text, "jiangxin_tally_posts_total",
                                result="failed") > failed_before
        assert vote_flow.metric(text, "jiangxin_tally_post_lag_seconds") >= 3.0
        # It backs off: the announced waits grow.
        waits = [int(x) for x in re.findall(r"next try in (\d+) ms",
                                            stack.vote1.text()[log_mark:])]
        assert len(waits) >= 2 and waits == sorted(waits) and waits[-1] > waits[0], waits
        assert max(waits) <= 30000
    finally:
        stack.api_srv.start()
    # Back up: the missed votes arrive without restarting the voting service.
    done = _wait_for_total(stack, sess, 3, timeout=45)
    assert _counts(done) == {sess.ids[0]: 2, sess.ids[1]: 1}
    support.poll(lambda: vote_flow.metric(_metrics(stack.vote),
                                          "jiangxin_tally_post_lag_seconds") == 0.0,
                 timeout=10, what="lag 0 after the API came back")


def test_only_the_lock_holder_posts_and_the_other_takes_over(stack, factory, api):
    sess = _session(stack, factory, api, n=2)
    stack.vote2 = _vote_service("vote2", stack.api_srv.url, stack.logdir).start()
    vote2 = conftest.Client(stack.vote2.url, stack.vote_spec, "our second jiangxin-vote")
    # The lock is taken on the poster's next tick (and retaken if a loaded
    # machine let it lapse): wait for a holder rather than read it once.
    holder = support.poll(lambda: vote_flow.redis_cli(_redis_url(REDIS_DB), "GET", "v:poster"),
                          timeout=10, what="a poster lock holder")
    assert re.fullmatch(r"[0-9a-f]{32}", holder), holder
    # Votes through both instances; one consistent tally; vote2 never posts.
    vote_flow.cast(vote2, sess.id, sess.ids[0])
    vote_flow.cast(stack.vote, sess.id, sess.ids[1])
    vote_flow.cast(vote2, sess.id, sess.ids[1])
    _wait_for_total(stack, sess, 3)
    time.sleep(INTERVAL_MS / 1000 * 4)
    assert vote_flow.redis_cli(_redis_url(REDIS_DB), "GET", "v:poster") == holder
    assert sum(_posts(vote2, r) for r in ("ok", "stale", "failed")) == 0
    assert _posts(stack.vote, "ok") > 0

    # The holder stops (at once, cleanly); vote2 takes the lock and posts.
    took = stack.vote1.stop()
    assert took < 3, f"jiangxin-vote took {took:.1f}s to stop"
    vote_flow.cast(vote2, sess.id, sess.ids[0])
    done = _wait_for_total(stack, sess, 4, timeout=15)
    assert _counts(done) == {sess.ids[0]: 2, sess.ids[1]: 2}
    assert _posts(vote2, "ok") > 0
    assert vote_flow.redis_cli(_redis_url(REDIS_DB), "GET", "v:poster") != holder
    # Back to one instance for the next test.
    stack.vote1.start()
    took = stack.vote2.stop()
    assert took < 3
    stack.vote2 = None


def test_final_tally_on_close_matches_the_log(stack, factory, api):
    sess = _session(stack, factory, api, n=3, closes_in=8)
    for nominee in (sess.ids[0], sess.ids[0], sess.ids[2]):
        vote_flow.cast(stack.vote, sess.id, nominee)
    final = support.poll(lambda: (r := _results(stack, sess))["final"] and r,
                         timeout=30, interval=0.2, what="the final tally")
    assert final["total_votes"] == final["log_entries"] == 3
    log = stack.vote.get(f"/v1/sessions/{sess.id}/log", expect=200)
    assert hashlib.sha256(log.content).hexdigest() == final["log_sha256"]
    assert int(log.headers["X-Log-Entries"]) == 3
    assert log.headers["X-Log-Sha256"] == final["log_sha256"]
    cfg = f"v:{{{sess.id}}}:cfg"
    assert vote_flow.redis_cli(_redis_url(REDIS_DB), "HGET", cfg, "final_posted") == "1"
    # Nothing moves after the final tally.
    time.sleep(INTERVAL_MS / 1000 * 4)
    again = _results(stack, sess)
    assert again["sequence"] == final["sequence"] and again["final"]
    # The published log verifies against the API's results.
    path = stack.logdir / f"{sess.id}.ndjson"
    path.write_bytes(log.content)
    tally = stack.logdir / f"{sess.id}.json"
    tally.write_text(json.dumps(final))
    r = subprocess.run([support.need_env("JIANGXIN_TEST_VOTE_BIN"), "verify-log", str(path),
                        "--sha256", final["log_sha256"], "--tally", str(tally)],
                       capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr.decode()
    assert json.loads(r.stdout)["counts"] == {sess.ids[0]: 2, sess.ids[2]: 1}
