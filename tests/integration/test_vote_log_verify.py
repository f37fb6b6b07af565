# SPDX-License-Identifier: MIT
"""`jiangxin-vote verify-log` on the log of a real session: votes cast
through jiangxin-vote, the session closed early, the log downloaded with its
published entry count and digest. Untouched it verifies (exit 0) and its
recount is the service's tally; each kind of tampering — a nominee changed,
a line dropped, two lines swapped, a line appended — exits 1; usage errors
exit 2."""

import hashlib
import json
import subprocess
import time
import uuid

import pytest

import support
import vote_flow


def verify(*args, stdin=None):
    binary = support.need_env("JIANGXIN_TEST_VOTE_BIN")
    env = {"ASAN_OPTIONS": "detect_leaks=1", "PATH": "/usr/bin:/bin"}
    r = subprocess.run([binary, "verify-log", *args], input=stdin, capture_output=True,
                       env=env, timeout=60)
    for marker in vote_flow.SAN_MARKERS:
        assert marker.encode() not in r.stderr, r.stderr.decode(errors="replace")
    return r


@pytest.fixture(scope="module")
def closed(vote, tmp_path_factory):
    """A closed session of three nominees with 7 votes (3, 2, 2), its log,
    the published headers and the tally."""
    nominees = [str(uuid.uuid4()) for _ in range(3)]
    session_id, body = vote_flow.put_session(vote, nominees)
    for nominee, n in zip(nominees, (3, 2, 2)):
        for _ in range(n):
            vote_flow.cast(vote, session_id, nominee)
    # Close early: the same session with closes_at = now (+1 s for the clock).
    body["closes_at"] = vote_flow.rfc3339(vote_flow.now_plus(1))
    vote.put(f"/internal/v1/sessions/{session_id}", token=vote_flow.service_token(),
             json=body, expect=200)
    time.sleep(1.5)
    log = vote.get(f"/v1/sessions/{session_id}/log", expect=200)
    tally = vote.get(f"/v1/sessions/{session_id}/tally", expect=200)
    d = tmp_path_factory.mktemp("vote-log")
    (d / "tally.json").write_text(json.dumps(tally.body))
    return {"dir": d, "log": log.content, "entries": int(log.headers["X-Log-Entries"]),
            "sha256": log.headers["X-Log-Sha256"], "tally": tally.body, "nominees": nominees,
            "tally_file": str(d / "tally.json")}


def run_on(closed, content, name, *extra):
    path = closed["dir"] / name
    path.write_bytes(content)
    return verify(str(path), "--sha256", closed["sha256"], "--entries",
                  str(closed["entries"]), "--tally", closed["tally_file"], *extra)


def test_untouched_log_verifies_and_recounts_the_tally(closed):
    assert closed["entries"] == 7 and closed["log"].count(b"\n") == 7
    assert hashlib.sha256(closed["log"]).hexdigest() == closed["sha256"]
    r = run_on(closed, closed["log"], "good.ndjson")
    assert r.returncode == 0, r.stderr.decode()
    out = json.loads(r.stdout)
    assert out["well_formed"] and out["matches"]
    assert out["entries"] == 7 and out["sha256"] == closed["sha256"]
    want = {c["nominee_id"]: c["votes"] for c in closed["tally"]["counts"] if c["votes"]}
    assert out["counts"] == want
    assert sorted(want.values()) == [2, 2, 3]
    # From stdin too, and with no expectations at all.
    r = verify("-", stdin=closed["log"])
    assert r.returncode == 0 and json.loads(r.stdout)["sha256"] == closed["sha256"]


def _lines(closed):
    return closed["log"].splitlines(keepends=True)


def test_altered_nominee_exits_1(closed):
    lines = _lines(closed)
    first = json.loads(lines[0])
    other = next(n for n in closed["nominees"] if n != first["nominee_id"])
    lines[0] = lines[0].replace(first["nominee_id"].encode(), other.encode())
    r = run_on(closed, b"".join(lines), "nominee.ndjson")
    assert r.returncode == 1
    assert b"digest" in r.stderr and b"nominee" in r.stderr
    # The recount alone (no digest expectation) still differs from the tally.
    path = closed["dir"] / "nominee.ndjson"
    r = verify(str(path), "--tally", closed["tally_file"])
    assert r.returncode == 1 and b"the tally says" in r.stderr


def test_dropped_line_exits_1(closed):
    lines = _lines(closed)
    r = run_on(closed, b"".join(lines[:3] + lines[4:]), "dropped.ndjson")
    assert r.returncode == 1
    assert json.loads(r.stdout)["entries"] == 6
    assert b"6 entries, expected 7" in r.stderr


def test_swapped_lines_exit_1(closed):
    lines = _lines(closed)
    lines[0], lines[-1] = lines[-1], lines[0]
    r = run_on(closed, b"".join(lines), "swapped.ndjson")
    assert r.returncode == 1
    out = json.loads(r.stdout)
    # Unless the two votes share a millisecond, time now goes backwards.
    assert not out["matches"] and out["sha256"] != closed["sha256"]


def test_appended_line_exits_1(closed):
    lines = _lines(closed)
    last = json.loads(lines[-1])
    extra = json.dumps({"at": last["at"], "nominee_id": last["nominee_id"],
                        "receipt_hash": hashlib.sha256(b"forged").hexdigest()},
                       separators=(",", ":")).encode() + b"\n"
    r = run_on(closed, b"".join(lines) + extra, "appended.ndjson")
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert out["well_formed"] and out["entries"] == 8  # canonical, yet not what was published
    # A copy of an existing line is refused on its own: receipts are unique.
    r = verify("-", stdin=b"".join(lines) + lines[0])
    assert r.returncode == 1 and json.loads(r.stdout)["bad_line"] == 8


def test_non_canonical_bytes_exit_1(closed):
    lines = _lines(closed)
    lines[1] = lines[1].replace(b'":"', b'": "', 1)
    r = verify("-", stdin=b"".join(lines))
    assert r.returncode == 1
    assert json.loads(r.stdout)["bad_line"] == 2 and b"line 2" in r.stderr


@pytest.mark.parametrize("args", [
    [],
    ["a", "b"],
    ["-", "--sha256", "XYZ"],
    ["-", "--entries", "-1"],
    ["-", "--entries", "7x"],
    ["-", "--bogus"],
    ["/nonexistent/log.ndjson"],
])
def test_usage_errors_exit_2(args):
    r = verify(*args, stdin=b"")
    assert r.returncode == 2, (args, r.stderr)
    assert r.stdout == b""


def test_tally_file_that_is_not_json_exits_2(closed):
    bad = closed["dir"] / "bad-tally.json"
    bad.write_text("not json")
    r = verify("-", "--tally", str(bad), stdin=closed["log"])
    assert r.returncode == 2
