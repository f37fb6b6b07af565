# SPDX-License-Identifier: MIT
"""Issue 11, "a forged final tally": a `service` caller could PUT a tally
with `final: true`, sequence 2^62, arbitrary counts and an all-zero digest
while the vote was open; the API froze it, ignored the real final and
published the forged counts after the close. Now a final is refused before
`closes_at`, implausible sequences are refused, a final is frozen only when
it agrees with the sealed log as the API recounts it, and an admin can
re-verify the result against the log and resolve a dispute.

These tests run their own jiangxin-api and a jiangxin-vote without a tally
poster (no JIANGXIN_API_URL) on a Redis database of their own, so every
tally the API sees here is one the test posts: the "real" final is the one
computed from the published log, as the poster computes it."""

import hashlib
import json
import re
import time
import types

import pytest

import conftest
import support
import vote_flow

REDIS_DB = 9  # ours alone: the suite's services use 0, test_tally_posting 7
ZERO = "0" * 64


def _redis_url(db):
    base = support.need_env("JIANGXIN_TEST_REDIS_URL")
    base = re.sub(r"/\d+$", "", base.rstrip("/"))
    return f"{base}/{db}"


@pytest.fixture(scope="module")
def stack(tmp_path_factory, api_spec, vote_spec):
    logdir = tmp_path_factory.mktemp("security-tally")
    vote_port, api_port = vote_flow.free_port(), vote_flow.free_port()
    vote_srv = vote_flow.Service(
        "vote", support.need_env("JIANGXIN_TEST_VOTE_BIN"),
        vote_flow.vote_env(JIANGXIN_LISTEN=f"127.0.0.1:{vote_port}",
                           JIANGXIN_REDIS_URL=_redis_url(REDIS_DB), JIANGXIN_API_URL=None,
                           JIANGXIN_API_USERNAME=None, JIANGXIN_API_PASSWORD=None),
        vote_port, logdir)
    api_srv = vote_flow.Service("api", support.need_env("JIANGXIN_TEST_API_BIN"),
                                vote_flow.api_env(api_port, vote_srv.url), api_port, logdir,
                                args=["serve"])
    vote_srv.start()
    api_srv.start()
    s = types.SimpleNamespace(
        api_srv=api_srv, vote_srv=vote_srv,
        api=conftest.Client(api_srv.url, api_spec, "our jiangxin-api"),
        vote=conftest.Client(vote_srv.url, vote_spec, "our jiangxin-vote"))
    s.svc = vote_flow.service_login(s.api)
    yield s
    api_srv.stop()
    vote_srv.stop()


def _forget_on_suite_redis(session_id):
    """The suite's API retries pushes of pending sessions and may have
    pushed ours to the suite's voting service, whose poster would then post
    to the suite's API (same database). Remove it there."""
    url = _redis_url(0)
    if vote_flow.redis_cli(url, "EXISTS", f"v:{{{session_id}}}:cfg") == "1":
        vote_flow.redis_cli(url, "SREM", "v:sessions", session_id)
        vote_flow.redis_cli(url, "DEL", f"v:{{{session_id}}}:cfg", f"v:{{{session_id}}}:nom")


def _session(s, factory, api, *, closes_in, votes=()):
    """A session opened through our API with `votes[i]` votes for nominee i."""
    rnd, office, ids = vote_flow.qualified_round(factory, api, 3)
    rec = vote_flow.open_session(s.api, office, rnd["id"], ids, closes_in=closes_in)
    assert rec["push_state"] == "pushed", rec
    _forget_on_suite_redis(rec["id"])
    for nominee, n in zip(ids, votes):
        for _ in range(n):
            vote_flow.cast(s.vote, rec["id"], nominee)
    return types.SimpleNamespace(id=rec["id"], round_id=rnd["id"], office=office, ids=ids,
                                 closes_at=rec["closes_at"])


def _results(s, sess, token=None):
    return s.api.get(f"/v1/rounds/{sess.round_id}/vote-results", token=token,
                     expect=200).body


def _session_view(s, sess, token):
    return s.api.get(f"/v1/rounds/{sess.round_id}/vote-session", token=token, expect=200).body


def _put(s, sess, body, expect=200, token=None):
    return s.api.put(f"/v1/vote-sessions/{sess.id}/tally", token=token or s.svc, json=body,
                     expect=expect)


def _tally(sess, seq, counts, *, final=False, sha=None, entries=None):
    counts = {i: counts.get(i, 0) for i in sess.ids}
    total = sum(counts.values())
    return {"sequence": seq, "counts": counts, "total": total, "final": final,
            "log_entries": total if entries is None else entries, "log_sha256": sha,
            "as_of": vote_flow.rfc3339(vote_flow.now_plus(0))}


def _seal(s, sess):
    """Waits for the close and downloads the sealed log: (bytes, counts)."""
    log = support.poll(lambda: (r := s.vote.request("GET", f"/v1/sessions/{sess.id}/log"))
                       .status_code == 200 and r, timeout=30, interval=0.2,
                       what="the sealed log")
    counts = {}
    for line in log.content.splitlines():
        n = json.loads(line)["nominee_id"]
        counts[n] = counts.get(n, 0) + 1
    return log.content, counts


@pytest.fixture(scope="module")
def closed(stack, factory, api):
    """Three sessions that close a few seconds from now, with 3, 1, 0;
    2, 2, 1 and 1, 0, 1 votes, sealed: (session, log bytes, counts) each."""
    a = _session(stack, factory, api, closes_in=15, votes=(3, 1, 0))
    b = _session(stack, factory, api, closes_in=15, votes=(2, 2, 1))
    c = _session(stack, factory, api, closes_in=15, votes=(1, 0, 1))
    return [(sess, *_seal(stack, sess)) for sess in (a, b, c)]


def _audit(api, admin_token, entity_id):
    items = support.list_all(api, f"/v1/audit?entity_type=vote_session&entity_id={entity_id}",
                             admin_token)
    return [e["action"] for e in reversed(items)]


def test_forged_final_before_close_is_refused_and_changes_nothing(stack, factory, api):
    """The defect as found: final, sequence 2^62, arbitrary counts and an
    all-zero digest while the vote is open — today frozen and published.
    2^62 is now outside the contract's range (at most 2^53 - 1: 422); the
    largest sequence the contract admits is refused for the close."""
    sess = _session(stack, factory, api, closes_in=3600, votes=(1, 0, 0))
    before = _results(stack, sess, sess.office.token)
    forged = _tally(sess, 2 ** 62, {sess.ids[2]: 999}, final=True, sha=ZERO)
    r = _put(stack, sess, forged, expect=422)
    assert r.body["code"] == "out_of_range"
    forged["sequence"] = 2 ** 53 - 1
    r = _put(stack, sess, forged, expect=409)
    assert r.body["code"] == "tally_final_before_close"
    # A small sequence does not help either.
    r = _put(stack, sess, dict(forged, sequence=3), expect=409)
    assert r.body["code"] == "tally_final_before_close"
    after = _results(stack, sess, sess.office.token)
    assert after == before and after["final"] is False and after["sequence"] == 0
    view = _session_view(stack, sess, sess.office.token)
    assert view["tally_final"] is False and view["integrity"]["state"] == "pending"


def test_implausible_sequence_jump_is_refused(stack, factory, api):
    """Sequence 2^62 would make every real tally look stale (now outside
    the contract, 422); the contract's largest, 2^53 - 1, is implausible."""
    sess = _session(stack, factory, api, closes_in=3600)
    r = _put(stack, sess, _tally(sess, 2 ** 62, {sess.ids[0]: 5}), expect=422)
    assert r.body["code"] == "out_of_range"
    r = _put(stack, sess, _tally(sess, 2 ** 53 - 1, {sess.ids[0]: 5}), expect=409)
    assert r.body["code"] == "tally_sequence_implausible"
    r = _put(stack, sess, _tally(sess, 20000, {sess.ids[0]: 5}), expect=409)
    assert r.body["code"] == "tally_sequence_implausible"
    assert _results(stack, sess, sess.office.token)["sequence"] == 0
    ok = _put(stack, sess, _tally(sess, 7, {sess.ids[0]: 1})).body
    assert ok["applied"] is True and ok["sequence"] == 7


def test_final_must_agree_with_the_sealed_log(stack, closed, admin_token, api):
    """A wrong digest or wrong counts after the close are refused and
    dispute the result (public results show final: false); the real final
    (the log's counts and digest) still freezes, even below a forged live
    sequence, and nothing changes after it."""
    sess, log, counts = closed[0]
    sha = hashlib.sha256(log).hexdigest()
    assert sum(counts.values()) == 4
    # A forged live tally with a high sequence first.
    assert _put(stack, sess, _tally(sess, 900, {sess.ids[2]: 50})).body["applied"] is True
    wrong_digest = _tally(sess, 901, counts, final=True, sha=ZERO)
    r = _put(stack, sess, wrong_digest, expect=409)
    assert r.body["code"] == "tally_log_mismatch" and r.body["reason"] == "log_digest_mismatch"
    moved = dict(counts)
    moved[sess.ids[0]] -= 1
    moved[sess.ids[2]] = moved.get(sess.ids[2], 0) + 1
    r = _put(stack, sess, _tally(sess, 902, moved, final=True, sha=sha), expect=409)
    assert r.body["code"] == "tally_log_mismatch" and r.body["reason"] == "log_counts_mismatch"
    r = _put(stack, sess, _tally(sess, 903, {sess.ids[1]: 9}, final=True, sha=sha), expect=409)
    assert r.body["reason"] == "log_entries_mismatch"
    # Disputed: the public never sees a final, the office sees why.
    pub = _results(stack, sess)
    assert pub["state"] == "closed" and pub["final"] is False and pub["integrity"] == "disputed"
    integ = _session_view(stack, sess, sess.office.token)["integrity"]
    assert integ["state"] == "disputed" and integ["refused_finals"] == 3
    assert integ["log"]["sha256"] == sha and integ["log"]["entries"] == 4
    assert {k: v for k, v in integ["log"]["counts"].items() if v} == counts
    assert integ["last_final"]["sequence"] == 903
    # The real final, with a sequence below the forged live one: frozen.
    real = _tally(sess, 50, counts, final=True, sha=sha)
    ack = _put(stack, sess, real).body
    assert ack == {"applied": True, "session_id": sess.id, "sequence": 900, "final": True}
    pub = _results(stack, sess)
    assert pub["final"] is True and pub["integrity"] == "agreed"
    assert pub["total_votes"] == 4 and pub["log_sha256"] == sha and pub["log_entries"] == 4
    assert {n["id"]: n["votes"] for n in pub["nominees"] if n["votes"]} == counts
    # Nothing moves after it, forged or not.
    later = _put(stack, sess, _tally(sess, 950, {sess.ids[2]: 4}, final=True, sha=ZERO)).body
    assert later == {"applied": False, "session_id": sess.id, "sequence": 900, "final": True}
    assert _results(stack, sess) == pub
    acts = _audit(api, admin_token, sess.id)
    assert acts.count("vote_session.final_refused") == 3
    assert acts.count("vote_session.tally") >= 2


def test_admin_reverifies_from_the_log_and_resolves_a_dispute(stack, closed, admin_token, api,
                                                               db_url):
    """The admin's verification reproduces the counts and digest from the
    log; a stored final that disagrees with the log (here written straight
    into the database, as an insider could) becomes disputed and is not
    published; the admin freezes the log's recount."""
    sess, log, counts = closed[1]
    sha = hashlib.sha256(log).hexdigest()
    path = f"/v1/vote-sessions/{sess.id}"
    # Only admins.
    for token in (sess.office.token, stack.svc):
        stack.api.post(f"{path}/verification", token=token, expect=403)
    v = stack.api.post(f"{path}/verification", token=admin_token, expect=200).body
    integ = v["integrity"]
    assert integ["state"] == "pending" and integ["log"]["sha256"] == sha
    assert integ["log"]["entries"] == 5 and integ["log"]["invalid_entries"] == 0
    assert {k: n for k, n in integ["log"]["counts"].items() if n} == counts
    # Nothing to resolve from? The log is verified but nothing agreed: allowed.
    # First an insider's final that disagrees with the log.
    forged = {i: 0 for i in sess.ids}
    forged[sess.ids[2]] = 5
    support.psql_scalar(db_url, (
        "UPDATE vote_sessions SET tally_sequence = 10, tally_counts = '%s'::jsonb,"
        " tally_total = 5, tally_final = true, log_entries = 5, log_sha256 = '%s',"
        " tally_as_of = now(), integrity_state = 'agreed' WHERE id = '%s'"
    ) % (json.dumps(forged), sha, sess.id))
    v = stack.api.post(f"{path}/verification", token=admin_token, expect=200).body
    assert v["integrity"]["state"] == "disputed"
    assert v["integrity"]["reason"] == "log_counts_mismatch"
    pub = _results(stack, sess)
    assert pub["final"] is False and pub["integrity"] == "disputed"
    # Resolution: the log's recount becomes the result.
    stack.api.post(f"{path}/resolution", token=admin_token, json={}, expect=422)
    r = stack.api.post(f"{path}/resolution", token=admin_token,
                       json={"note": "以封存的投票记录重新计票为准"}, expect=200).body
    assert r["integrity"]["state"] == "agreed" and r["tally_final"] is True
    assert r["integrity"]["reason"] == "resolved_from_log" and r["integrity"]["resolved_by"]
    pub = _results(stack, sess)
    assert pub["final"] is True and pub["integrity"] == "agreed"
    assert pub["total_votes"] == 5 and pub["log_sha256"] == sha
    assert {n["id"]: n["votes"] for n in pub["nominees"] if n["votes"]} == counts
    r = stack.api.post(f"{path}/resolution", token=admin_token, json={"note": "再次"},
                       expect=409)
    assert r.body["code"] == "integrity_agreed"
    # Verifying again agrees.
    v = stack.api.post(f"{path}/verification", token=admin_token, expect=200).body
    assert v["integrity"]["state"] == "agreed"
    acts = _audit(api, admin_token, sess.id)
    assert acts.count("vote_session.verify") == 3 and acts.count("vote_session.resolve") == 1


def test_verification_needs_a_closed_vote(stack, factory, api, admin_token):
    sess = _session(stack, factory, api, closes_in=3600)
    r = stack.api.post(f"/v1/vote-sessions/{sess.id}/verification", token=admin_token,
                       expect=409)
    assert r.body["code"] == "vote_not_closed"
    r = stack.api.post(f"/v1/vote-sessions/{sess.id}/resolution", token=admin_token,
                       json={"note": "无记录"}, expect=409)
    assert r.body["code"] == "log_not_verified"


def test_final_waits_for_the_log_and_verification_freezes_it(stack, closed, admin_token):
    """With the voting service unreachable the real final is not frozen on
    trust: 503 vote_log_unavailable, kept as the last final, public results
    not final. Once the log can be had, the admin's verification recounts
    it and freezes that final because it agrees. (Runs last: it stops our
    voting service for a moment.)"""
    sess, log, counts = closed[2]
    sha = hashlib.sha256(log).hexdigest()
    real = _tally(sess, 40, counts, final=True, sha=sha)
    stack.vote_srv.stop()
    try:
        r = _put(stack, sess, real, expect=503)
        assert r.body["code"] == "vote_log_unavailable"
        stack.api.post(f"/v1/vote-sessions/{sess.id}/verification", token=admin_token,
                       expect=503)
    finally:
        stack.vote_srv.start()
    pub = _results(stack, sess)
    assert pub["final"] is False and pub["integrity"] == "pending" and pub["sequence"] == 0
    integ = _session_view(stack, sess, sess.office.token)["integrity"]
    assert integ["last_final"]["sequence"] == 40 and integ["refused_finals"] == 0
    v = stack.api.post(f"/v1/vote-sessions/{sess.id}/verification", token=admin_token,
                       expect=200).body
    assert v["integrity"]["state"] == "agreed" and v["tally_final"] is True
    pub = _results(stack, sess)
    assert pub["final"] is True and pub["sequence"] == 40 and pub["log_sha256"] == sha
    assert {n["id"]: n["votes"] for n in pub["nominees"] if n["votes"]} == counts
