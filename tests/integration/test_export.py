# SPDX-License-Identifier: MIT
"""The signed nightly export (issue 16): `jiangxin-api export --out DIR
[--full]` against the test database, at the API's test clock (passed as
JIANGXIN_TEST_CLOCK), without JIANGXIN_PII_KEY. A full export (the file
set, JSON/CSV row parity, the manifest's hashes and its Ed25519 signature
checked here with python3-cryptography), an incremental one whose
changes.ndjson holds a suspension made after the first and only there,
`export verify` against a changed byte, an edited row count and a wrong
key, CSV quoting, a run killed midway, and failures with a clear message.
Assertions look at this module's own keys only."""

import csv
import datetime
import hashlib
import io
import json
import os
import pathlib
import secrets
import signal
import subprocess
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import (Ed25519PrivateKey,
                                                              Ed25519PublicKey)

import decision_flow as df
import support

DATASETS = ["programmes", "rounds", "nominees", "vote_results", "decisions", "notices",
            "recognitions", "allowance_summary"]
FILES = {f"{d}.{ext}" for d in DATASETS for ext in ("json", "csv")} | {"changes.ndjson",
                                                                         "manifest.json"}


@pytest.fixture(scope="module")
def api_bin():
    return support.need_env("JIANGXIN_TEST_API_BIN")


@pytest.fixture(scope="module")
def export_key():
    return support.need_env("JIANGXIN_TEST_EXPORT_KEY")


def export_env(clock, **changes):
    """The CLI's environment: the export key, the database, the API's
    clock; never the personal-data key or the JWT secret."""
    env = support.cli_env(JIANGXIN_PII_KEY=None, JIANGXIN_JWT_SECRET=None,
                          JIANGXIN_TEST_CLOCK=clock.now_iso())
    env.update(changes)
    return env


def run(api_bin, args, env, timeout=120):
    return subprocess.run([api_bin] + args, env=env, capture_output=True, text=True,
                          timeout=timeout)


def export(api_bin, clock, out, *args, expect=0):
    r = run(api_bin, ["export", "--out", str(out), *args], export_env(clock))
    assert r.returncode == expect, r.stderr
    return r


def today_dir(clock, out):
    return pathlib.Path(out) / clock.today().isoformat()


def public_key(api_bin):
    r = run(api_bin, ["export", "public-key"],
            {"PATH": os.environ.get("PATH", ""),
             "JIANGXIN_EXPORT_KEY": support.need_env("JIANGXIN_TEST_EXPORT_KEY")})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split("\n")
    assert len(lines[0]) == 64 and lines[1].startswith("key_id ")
    return lines[0], lines[1].split()[1]


def manifest(d):
    return json.loads((pathlib.Path(d) / "manifest.json").read_text(encoding="ascii"))


def changes(d):
    return [json.loads(x) for x in
            (pathlib.Path(d) / "changes.ndjson").read_text(encoding="utf-8").splitlines()]


def rows_json(d, ds):
    return json.loads((pathlib.Path(d) / f"{ds}.json").read_text(encoding="utf-8"))


def rows_csv(d, ds):
    raw = (pathlib.Path(d) / f"{ds}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def check_signature(m, pk_hex):
    body = {k: v for k, v in m.items() if k != "signature"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("ascii")
    assert m["signature"]["alg"] == "Ed25519" and m["signature"]["key_id"] == m["key_id"]
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(pk_hex)).verify(
        bytes.fromhex(m["signature"]["value"]), canonical)


def verify(api_bin, d, *args):
    return run(api_bin, ["export", "verify", str(d), *args],
               {"PATH": os.environ.get("PATH", ""),
                "JIANGXIN_EXPORT_KEY": support.need_env("JIANGXIN_TEST_EXPORT_KEY")})


@pytest.fixture(scope="module")
def holders(api, factory):
    """A 环翠 round whose two candidates hold their titles."""
    return df.huancui_recognized(api, factory, 2)


def test_full_export(api_bin, clock, holders, tmp_path, db_url):
    r = export(api_bin, clock, tmp_path, "--full")
    d = today_dir(clock, tmp_path)
    assert str(d) in r.stdout
    assert {p.name for p in d.iterdir()} == FILES
    # Nothing else is left in DIR but the lock.
    assert {p.name for p in tmp_path.iterdir()} == {d.name, ".lock"}
    m = manifest(d)
    pk, key_id = public_key(api_bin)
    check_signature(m, pk)
    assert m["schema_version"] == 1 and m["key_id"] == key_id and m["full"] is True
    assert m["date"] == clock.today().isoformat()
    assert m["source"]["previous"] is None
    head = support.psql_scalar(db_url, "SELECT seq || ' ' || encode(hash, 'hex') FROM "
                                       "audit_events ORDER BY seq DESC LIMIT 1").split()
    assert int(head[0]) >= m["source"]["audit_seq"] > 0
    assert len(m["source"]["audit_head_sha256"]) == 64
    listed = {f["name"]: f for f in m["files"]}
    assert set(listed) == FILES - {"manifest.json"}
    for name, f in listed.items():
        data = (d / name).read_bytes()
        assert f["bytes"] == len(data) and f["sha256"] == hashlib.sha256(data).hexdigest()
    total = 0
    for ds in DATASETS:
        js, cs = rows_json(d, ds), rows_csv(d, ds)
        assert listed[f"{ds}.json"]["rows"] == len(js) == len(cs) - 1
        assert listed[f"{ds}.csv"]["rows"] == len(js)
        if js:
            assert cs[0] == list(js[0].keys())
        keys = [next(iter(x.values())) for x in js]
        assert keys == sorted(keys, key=lambda k: k.encode())
        total += len(js)
    # Full: every row an upsert.
    ch = changes(d)
    assert len(ch) == total == listed["changes.ndjson"]["rows"]
    assert {c["op"] for c in ch} == {"upsert"}
    # The register holds our titles, typed.
    regs = {x["certificate_number"]: x for x in rows_json(d, "recognitions")}
    for c in holders.issued:
        assert regs[c["certificate_number"]]["status"] == "active"
        assert isinstance(regs[c["certificate_number"]]["certificate_year"], int)
        assert "verification_code" not in regs[c["certificate_number"]]
    v = verify(api_bin, d)
    assert v.returncode == 0, v.stderr
    # The run is recorded, with an audit event.
    sha = hashlib.sha256((d / "manifest.json").read_bytes()).hexdigest()
    assert support.psql_scalar(db_url, "SELECT string_agg(state, ',') FROM export_runs "
                                       f"WHERE manifest_sha256 = '{sha}'") == "succeeded"
    assert support.psql_scalar(db_url, "SELECT count(*) FROM audit_events WHERE action = "
                                       "'export.run'") != "0"


def test_unchanged_data_gives_identical_files(api_bin, clock, holders, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    export(api_bin, clock, a, "--full")
    export(api_bin, clock, b, "--full")
    da, db = today_dir(clock, a), today_dir(clock, b)
    # Another module's writes could land between the two; the register of
    # our titles and the programmes are ours to compare.
    for name in ("programmes.json", "programmes.csv"):
        assert (da / name).read_bytes() == (db / name).read_bytes()


def test_incremental_export(api, api_bin, clock, holders, tmp_path):
    c = holders.issued[0]
    cert = c["certificate_number"]
    # The day after the recognition (the clock is put back after the test).
    clock.set(datetime.date.fromisoformat(c["recognized_on"]) + datetime.timedelta(days=1))
    export(api_bin, clock, tmp_path)  # A: no base yet, so full
    d = today_dir(clock, tmp_path)
    a = manifest(d)
    assert a["source"]["previous"] is None and a["full"] is True
    api.post(f"/v1/recognitions/{c['id']}/suspensions", token=holders.office.token,
             json={"reason": "left_skilled_post", "effective_on": df.today().isoformat(),
                   "note": "本人已调离技能岗位，单位来函告知。"}, expect=201)
    export(api_bin, clock, tmp_path)  # B: the same day, against A
    b = manifest(d)
    assert b["source"]["previous"] == a["date"] and b["full"] is False
    ours = [x for x in changes(d) if x["dataset"] == "recognitions" and x["key"] == cert]
    assert len(ours) == 1 and ours[0]["op"] == "upsert"
    assert ours[0]["row"]["status"] == "suspended"
    # The other holder did not change: not listed.
    other = holders.issued[1]["certificate_number"]
    assert not [x for x in changes(d) if x["key"] == other]
    assert verify(api_bin, d).returncode == 0
    export(api_bin, clock, tmp_path)  # C: nothing of ours changed since B
    assert not [x for x in changes(d) if x["key"] in (cert, other)]
    # --full lists everything again, previous null.
    export(api_bin, clock, tmp_path, "--full")
    m = manifest(d)
    assert m["source"]["previous"] is None and m["full"] is True
    full = changes(d)
    assert {x["op"] for x in full} == {"upsert"}
    assert len(full) == sum(f["rows"] for f in m["files"] if f["format"] == "json")
    assert {cert, other} <= {x["key"] for x in full}


def resign(d, m):
    """Signs manifest m with the test stack's export key and writes it."""
    seed = bytes.fromhex(support.need_env("JIANGXIN_TEST_EXPORT_KEY"))
    body = {k: v for k, v in m.items() if k != "signature"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("ascii")
    sig = Ed25519PrivateKey.from_private_bytes(seed).sign(canonical)
    m["signature"] = {"alg": "Ed25519", "key_id": m["key_id"], "value": sig.hex()}
    (pathlib.Path(d) / "manifest.json").write_text(json.dumps(m, indent=2), encoding="ascii")


def test_vanished_row_is_a_delete(api_bin, clock, holders, tmp_path):
    """A row of the base that is gone now is a delete line with its key: a
    base (signed with the stack's key) holding one register row that no
    longer exists."""
    export(api_bin, clock, tmp_path, "--full")
    d = today_dir(clock, tmp_path)
    m = manifest(d)
    f = d / "recognitions.json"
    rows = rows_json(d, "recognitions")
    gone = dict(rows[-1], certificate_number="\U0010fffd-vanished")  # sorts after every key
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows + [gone]]
    data = ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")
    f.write_bytes(data)
    entry = next(x for x in m["files"] if x["name"] == "recognitions.json")
    entry.update(bytes=len(data), rows=len(rows) + 1, sha256=hashlib.sha256(data).hexdigest())
    resign(d, m)
    assert verify(api_bin, d).returncode == 0
    export(api_bin, clock, tmp_path)
    ch = [x for x in changes(d) if x["dataset"] == "recognitions"]
    assert {"dataset": "recognitions", "op": "delete", "key": "\U0010fffd-vanished"} in ch
    # The real rows, identical in bytes, are not listed.
    ours = {c["certificate_number"] for c in holders.issued}
    assert not [x for x in ch if x["key"] in ours]
    assert manifest(d)["changes"]["deletes"] >= 1


def test_corrupt_base_aborts(api_bin, clock, holders, tmp_path):
    export(api_bin, clock, tmp_path, "--full")
    d = today_dir(clock, tmp_path)
    before = (d / "manifest.json").read_bytes()
    f = d / "recognitions.json"
    data = bytearray(f.read_bytes())
    i = next(k for k in range(len(data)) if chr(data[k]).isdigit())
    data[i] = ord("0") if data[i] != ord("0") else ord("1")  # same size, still JSON
    f.write_bytes(bytes(data))
    r = export(api_bin, clock, tmp_path, expect=1)
    assert "previous export is corrupt; rerun with --full" in r.stderr
    assert (d / "manifest.json").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
    export(api_bin, clock, tmp_path, "--full")
    assert verify(api_bin, d).returncode == 0


def test_verify_detects_changes(api_bin, clock, holders, tmp_path):
    export(api_bin, clock, tmp_path, "--full")
    d = today_dir(clock, tmp_path)
    # A wrong key: both key ids named.
    wrong = secrets.token_hex(32)
    r = verify(api_bin, d, "--public-key", wrong)
    assert r.returncode == 1 and "signed by key" in r.stderr
    pk, _ = public_key(api_bin)
    assert verify(api_bin, d, "--public-key", pk).returncode == 0
    # A flipped byte in a data file: named.
    f = d / "recognitions.csv"
    data = bytearray(f.read_bytes())
    data[-3] ^= 0x01
    f.write_bytes(bytes(data))
    r = verify(api_bin, d)
    assert r.returncode == 1 and "recognitions.csv" in r.stderr and "SHA-256" in r.stderr
    data[-3] ^= 0x01
    f.write_bytes(bytes(data))
    assert verify(api_bin, d).returncode == 0
    # An edited row count: the signature no longer verifies.
    mtext = (d / "manifest.json").read_text(encoding="ascii")
    m = json.loads(mtext)
    m["files"][0]["rows"] += 1
    (d / "manifest.json").write_text(json.dumps(m), encoding="ascii")
    r = verify(api_bin, d)
    assert r.returncode == 1 and "signature does not verify" in r.stderr
    assert "rows" in r.stderr
    (d / "manifest.json").write_text(mtext, encoding="ascii")
    # An extra file, and a missing one.
    (d / "extra.txt").write_text("x")
    r = verify(api_bin, d)
    assert r.returncode == 1 and "extra.txt: not listed" in r.stderr
    (d / "extra.txt").unlink()
    (d / "rounds.json").rename(tmp_path / "rounds.json")
    r = verify(api_bin, d)
    assert r.returncode == 1 and "rounds.json: missing" in r.stderr
    (tmp_path / "rounds.json").rename(d / "rounds.json")
    assert verify(api_bin, d).returncode == 0


def test_csv_quoting(api_bin, clock, holders, tmp_path, superuser_url):
    names = ['=HYPERLINK("http://x"),"q"\nz', "+1 a,b"]
    certs = [c["certificate_number"] for c in holders.issued]
    # Planted in this throwaway database directly (the intake validates
    # names): triggers off for the one session.
    for cert, name in zip(certs, names):
        support.psql(superuser_url,
                     "SET session_replication_role = replica; UPDATE recognitions SET "
                     f"employer = {sql_text(name)} WHERE certificate_number = '{cert}'")
    export(api_bin, clock, tmp_path, "--full")
    d = today_dir(clock, tmp_path)
    js = {x["certificate_number"]: x for x in rows_json(d, "recognitions")}
    cs = rows_csv(d, "recognitions")
    col = cs[0].index("employer")
    by_cert = {row[0]: row for row in cs[1:]}
    for cert, name in zip(certs, names):
        assert js[cert]["employer"] == name
        assert by_cert[cert][col] == "'" + name  # text, not a formula
    raw = (d / "recognitions.csv").read_bytes().decode("utf-8")
    assert "\"'=HYPERLINK(\"\"http://x\"\"),\"\"q\"\"\nz\"" in raw
    assert "\"'+1 a,b\"" in raw
    assert raw.count("\r\n") >= len(cs)


def sql_text(s):
    return "'" + s.replace("'", "''") + "'"


def test_killed_midway_leaves_the_old_export(api_bin, clock, holders, tmp_path, superuser_url,
                                             db_url):
    export(api_bin, clock, tmp_path, "--full")
    d = today_dir(clock, tmp_path)
    before = (d / "manifest.json").read_bytes()
    # Hold a table only public_decisions reads (no prepared statement
    # names it, so the CLI still connects): the run blocks at `decisions`.
    holder = subprocess.Popen(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", superuser_url],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    holder.stdin.write("BEGIN; LOCK TABLE decision_entries IN ACCESS EXCLUSIVE MODE;\n"
                       "SELECT 'locked';\n")
    holder.stdin.flush()
    assert holder.stdout.readline().strip() == "locked"
    proc = subprocess.Popen([api_bin, "export", "--out", str(tmp_path)], env=export_env(clock),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        tmp = support.poll(lambda: [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")],
                           timeout=60, what="the export's temporary directory")
        support.poll(lambda: (tmp[0] / "decisions.csv").exists(), timeout=60,
                     what="the datasets before decisions")
        time.sleep(0.5)
        assert proc.poll() is None  # blocked on the lock
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        holder.stdin.write("ROLLBACK;\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    # The old export is intact, no partial export under a date's name.
    assert (d / "manifest.json").read_bytes() == before
    assert verify(api_bin, d).returncode == 0
    dated = [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert dated == [d.name]
    # The next run cleans up (once the killed run's session is gone).
    def rerun():
        r = run(api_bin, ["export", "--out", str(tmp_path)], export_env(clock))
        return r if r.returncode == 0 or "another export" not in r.stderr else None
    r = support.poll(rerun, timeout=30, what="a rerun after the kill")
    assert r.returncode == 0, r.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
    assert verify(api_bin, d).returncode == 0
    states = support.psql_scalar(db_url, "SELECT string_agg(state, ',' ORDER BY started_at) "
                                         "FROM export_runs").split(",")
    assert "running" not in states and "failed" in states


def test_failures_are_clear(api_bin, clock, tmp_path):
    # Not a directory.
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = export(api_bin, clock, blocker / "out", expect=1)
    assert r.stderr.startswith("export: cannot create the directory: ")
    assert str(blocker / "out") in r.stderr and "Not a directory" in r.stderr
    # No key: a configuration problem, before anything is written.
    r = run(api_bin, ["export", "--out", str(tmp_path / "k")],
            export_env(clock, JIANGXIN_EXPORT_KEY=""))
    assert r.returncode == 2 and "JIANGXIN_EXPORT_KEY" in r.stderr
    assert not (tmp_path / "k").exists()
    # A full disk: a small tmpfs in a mount namespace of its own.
    small = tmp_path / "small"
    small.mkdir()
    env = export_env(clock)
    r = subprocess.run(["unshare", "-m", "sh", "-c",
                        'mount -t tmpfs -o size=16k tmpfs "$1" || exit 99; shift; exec "$@"',
                        "sh", str(small), api_bin, "export", "--out", str(small)],
                       env=env, capture_output=True, text=True, timeout=120)
    if r.returncode == 99:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    assert r.returncode == 1, r.stderr
    assert "No space left on device" in r.stderr and r.stderr.startswith("export: ")
