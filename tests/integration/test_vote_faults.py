# SPDX-License-Identifier: MIT
"""Faults and scale-out of the voting service: two instances on one Redis
keep one count, and with `appendfsync always` a Redis killed with SIGKILL
under load and restarted loses no acknowledged vote, while the service
recovers without a restart of its own. Every check ends at the published
log: each 201's receipt is in it, and the tally equals its length."""

import concurrent.futures
import hashlib
import json
import subprocess
import tempfile
import threading
import time

import requests

import support
import vote_support as vs


def _session(client, n=3):
    sid, body = vs.new_id(), vs.session_body(n=n, votes_per_day=n, rate=100000, burst=100000)
    vs.put_session(client, sid, body, expect=201)
    return sid, body, [x["id"] for x in body["nominees"]]


def _close_now(client, sid, body):
    """Closes the session early (the one change allowed once open) and waits
    until the window has passed."""
    closes = vs.now_s() + 1
    body = dict(body, closes_at=vs.rfc3339(closes))
    vs.put_session(client, sid, body, expect=200)
    time.sleep(max(0.0, closes - vs.now_f()) + 0.3)


def _post_vote(http, base, sid, nominee, token):
    try:
        r = http.post(f"{base}/v1/sessions/{sid}/votes", json={"nominee_id": nominee},
                      headers={"Authorization": f"Bearer {token}"}, timeout=10)
    except requests.RequestException:
        return None, None
    return r.status_code, (r.json() if r.status_code == 201 else None)


def _published(client, sid):
    """(receipt hashes in log order, nominee per line, X-Log-Sha256, raw)."""
    r = client.get(f"/v1/sessions/{sid}/log", expect=200, check="none")
    raw = r.content
    assert r.headers["X-Log-Sha256"] == hashlib.sha256(raw).hexdigest()
    lines = [json.loads(x) for x in raw.decode().splitlines()]
    assert int(r.headers["X-Log-Entries"]) == len(lines)
    return [x["receipt_hash"] for x in lines], [x["nominee_id"] for x in lines]


def _receipt_hash(receipt):
    return hashlib.sha256(receipt.split(".", 1)[1].encode()).hexdigest()


def test_two_instances_one_count(vote):
    sid, body, noms = _session(vote)
    with vs.vote_instance(vote) as other:
        bases = [vote.base, other.base]
        voters = [vs.voter_token() for _ in range(40)]
        jobs = []
        # Every voter votes for every nominee, half through each instance,
        # and sends one of them through both at once: one of the two wins.
        for i, tok in enumerate(voters):
            for k, n in enumerate(noms):
                jobs.append((bases[(i + k) % 2], n, tok))
            jobs.append((bases[(i + 1) % 2], noms[0], tok))
        local = threading.local()

        def run(job):
            if not hasattr(local, "http"):
                local.http = requests.Session()
                local.http.trust_env = False
            return _post_vote(local.http, job[0], sid, job[1], job[2])

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            results = list(pool.map(run, jobs))
        statuses = [s for s, _ in results]
        accepted = [b for s, b in results if s == 201]
        assert statuses.count(201) == len(voters) * len(noms)
        assert statuses.count(409) == len(voters)
        # both instances see the same live state
        for c in (vote, other):
            assert c.get(f"/v1/sessions/{sid}", expect=200).body["state"] == "open"
        _close_now(other, sid, body)
        hashes, nominees = _published(vote, sid)
        assert sorted(hashes) == sorted(_receipt_hash(b["receipt"]) for b in accepted)
        for c in (vote, other):
            tally = c.get(f"/v1/sessions/{sid}/tally", expect=200).body
            assert tally["total_votes"] == len(accepted)
            assert {x["nominee_id"]: x["votes"] for x in tally["counts"]} == \
                {n: nominees.count(n) for n in noms}


def _aof_redis(port, directory):
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", directory,
         "--save", "", "--appendonly", "yes", "--appendfsync", "always",
         "--auto-aof-rewrite-percentage", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    support.poll(lambda: vs.redis_cli(port, "PING") == "PONG", timeout=15, what="redis up")
    return proc


def test_redis_sigkill_under_load_loses_no_acknowledged_vote(vote):
    port = vs.free_port()
    directory = tempfile.mkdtemp(prefix="jx-vote-aof-")
    redis = _aof_redis(port, directory)
    try:
        with vs.vote_instance(vote, JIANGXIN_REDIS_URL=f"redis://127.0.0.1:{port}/0") as own:
            sid, body, noms = _session(own, n=4)
            stop = threading.Event()
            accepted, refused, lock = [], [], threading.Lock()

            def load(worker):
                http = requests.Session()
                http.trust_env = False
                i = 0
                while not stop.is_set():
                    tok = vs.voter_token(f"sigkill-{worker}-{i}")
                    status, b = _post_vote(http, own.base, sid, noms[i % len(noms)], tok)
                    with lock:
                        (accepted if status == 201 else refused).append((status, b))
                    i += 1

            threads = [threading.Thread(target=load, args=(w,)) for w in range(6)]
            for t in threads:
                t.start()
            support.poll(lambda: len(accepted) >= 200, timeout=30, what="votes under load")
            redis.kill()  # SIGKILL, mid-load
            redis.wait(10)
            n_before = len(accepted)
            support.poll(lambda: sum(1 for s, _ in refused if s == 503) >= 20, timeout=30,
                         what="503s while Redis is down")
            redis = _aof_redis(port, directory)  # replays the AOF
            support.poll(lambda: len(accepted) >= n_before + 200, timeout=30,
                         what="votes accepted again without a restart of jiangxin-vote")
            stop.set()
            for t in threads:
                t.join(30)
            assert {s for s, _ in refused} <= {503}, {s for s, _ in refused}
            own.get("/readyz", expect=200)
            _close_now(own, sid, body)
            hashes, nominees = _published(own, sid)
            stored = set(hashes)
            missing = [b["receipt"] for _, b in accepted if _receipt_hash(b["receipt"]) not in stored]
            assert missing == [], f"{len(missing)} acknowledged votes lost"
            # A vote whose reply was lost in the kill may be stored without a
            # 201 (never the reverse); the counts still equal the log.
            assert len(hashes) >= len(accepted)
            tally = own.get(f"/v1/sessions/{sid}/tally", expect=200).body
            assert tally["total_votes"] == len(hashes)
            for b in (x for _, x in accepted[:50]):
                r = own.get(f"/v1/sessions/{sid}/receipts/{b['receipt']}", expect=200).body
                assert r["counted"] is True and r["nominee_id"] == b["nominee_id"]
    finally:
        if redis.poll() is None:
            redis.terminate()
            redis.wait(10)
        subprocess.run(["rm", "-rf", directory], check=False)
