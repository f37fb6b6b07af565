# SPDX-License-Identifier: MIT
"""`jiangxin-api export --out DIR --deliver URL` (issue 16): the finished
export POSTed as a ustar archive (manifest.json first) to a local
http.server in a thread of this test, with Idempotency-Key = the
manifest's SHA-256 and the bearer token from
JIANGXIN_EXPORT_DELIVER_TOKEN. 503 twice then 200: three attempts, the run
recorded as delivered, and the untarred copy passes `export verify`. Always
503: exit 3, the run `delivery_failed`, the export intact. 400: one attempt
only. Backoff is shortened with --deliver-backoff-ms. Also: the deploy/
units pass `systemd-analyze verify`."""

import hashlib
import http.server
import io
import os
import pathlib
import re
import secrets
import shutil
import subprocess
import tarfile
import threading

import pytest

import support

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api_bin():
    return support.need_env("JIANGXIN_TEST_API_BIN")


class Receiver:
    """An HTTP server answering POSTs with `statuses` in turn (the last one
    repeated), keeping each request's headers and body."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.requests = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "body": body})
                i = min(len(receiver.requests), len(receiver.statuses)) - 1
                status = receiver.statuses[i]
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/exports"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def run_ids(db_url):
    return set(support.psql_scalar(db_url, "SELECT string_agg(id::text, ' ') FROM export_runs")
               .split())


def new_run(db_url, before):
    rows = support.psql(db_url, "SELECT id, state, coalesce(delivery_attempts, -1),"
                                " delivered_at IS NOT NULL, coalesce(error, '')"
                                " FROM export_runs").stdout.strip().splitlines()
    fresh = [r.split("|") for r in rows if r.split("|")[0] not in before]
    assert len(fresh) == 1, fresh
    _, state, attempts, delivered, error = fresh[0]
    return {"state": state, "attempts": int(attempts), "delivered": delivered == "t",
            "error": error}


def deliver(api_bin, clock, out, url, *args, token=None):
    env = support.cli_env(JIANGXIN_PII_KEY=None, JIANGXIN_JWT_SECRET=None,
                          JIANGXIN_TEST_CLOCK=clock.now_iso(),
                          JIANGXIN_EXPORT_DELIVER_TOKEN=token)
    return subprocess.run([api_bin, "export", "--out", str(out), "--full", "--deliver", url,
                           "--deliver-backoff-ms", "20", *args],
                          env=env, capture_output=True, text=True, timeout=120)


def verify(api_bin, d):
    return subprocess.run([api_bin, "export", "verify", str(d)],
                          env={"PATH": os.environ.get("PATH", ""),
                               "JIANGXIN_EXPORT_KEY":
                                   support.need_env("JIANGXIN_TEST_EXPORT_KEY")},
                          capture_output=True, text=True, timeout=60)


def test_delivery_retries_then_succeeds(api_bin, clock, tmp_path, db_url):
    token = secrets.token_hex(16)
    before = run_ids(db_url)
    with Receiver([503, 503, 200]) as rx:
        r = deliver(api_bin, clock, tmp_path / "out", rx.url, token=token)
    assert r.returncode == 0, r.stderr
    assert len(rx.requests) == 3
    assert r.stderr.count("HTTP 503") == 2 and token not in r.stderr + r.stdout
    d = tmp_path / "out" / clock.today().isoformat()
    manifest_sha = hashlib.sha256((d / "manifest.json").read_bytes()).hexdigest()
    for req in rx.requests:
        h = {k.lower(): v for k, v in req["headers"].items()}
        assert req["path"] == "/exports"
        assert h["content-type"] == "application/x-tar"
        assert h["idempotency-key"] == manifest_sha
        assert h["authorization"] == f"Bearer {token}"
        assert req["body"] == rx.requests[0]["body"]  # the same bytes each time
    # The archive: DATE/manifest.json first, then every file the export has.
    body = rx.requests[-1]["body"]
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:") as tar:
        members = tar.getmembers()
        names = [m.name for m in members]
        assert names[0] == f"{d.name}/manifest.json"
        assert sorted(names) == sorted(f"{d.name}/{p.name}" for p in d.iterdir())
        assert all(m.isfile() and m.mode == 0o644 for m in members)
        copy = tmp_path / "copy"
        (copy / d.name).mkdir(parents=True)
        for m in members:  # by hand: this Python's tarfile has no extraction filter
            (copy / d.name / pathlib.PurePosixPath(m.name).name).write_bytes(
                tar.extractfile(m).read())
    for p in d.iterdir():
        assert (copy / d.name / p.name).read_bytes() == p.read_bytes()
    if shutil.which("tar"):  # GNU tar reads it too, in the same order
        t = subprocess.run(["tar", "-tf", "-"], input=body, capture_output=True, timeout=30)
        assert t.returncode == 0 and t.stderr == b"", t.stderr
        assert t.stdout.decode().splitlines() == names
    v = verify(api_bin, copy / d.name)
    assert v.returncode == 0, v.stderr
    run = new_run(db_url, before)
    assert run == {"state": "succeeded", "attempts": 3, "delivered": True, "error": ""}
    assert support.psql_scalar(db_url, "SELECT count(*) FROM audit_events WHERE action ="
                                       " 'export.deliver'") != "0"


def test_delivery_gives_up(api_bin, clock, tmp_path, db_url):
    before = run_ids(db_url)
    with Receiver([503]) as rx:
        r = deliver(api_bin, clock, tmp_path, rx.url, "--deliver-attempts", "4")
    assert r.returncode == 3, r.stderr
    assert len(rx.requests) == 4
    assert "gave up after 4 attempts" in r.stderr and "HTTP 503" in r.stderr
    assert "authorization" not in {k.lower() for k in rx.requests[0]["headers"]}
    # The export stays, whole.
    d = tmp_path / clock.today().isoformat()
    v = verify(api_bin, d)
    assert v.returncode == 0, v.stderr
    run = new_run(db_url, before)
    assert run["state"] == "delivery_failed" and run["attempts"] == 4
    assert not run["delivered"] and "HTTP 503" in run["error"]


def test_delivery_stops_on_a_client_error(api_bin, clock, tmp_path, db_url):
    before = run_ids(db_url)
    with Receiver([400, 200]) as rx:
        r = deliver(api_bin, clock, tmp_path, rx.url)
    assert r.returncode == 3, r.stderr
    assert len(rx.requests) == 1
    assert "HTTP 400" in r.stderr
    run = new_run(db_url, before)
    assert run["state"] == "delivery_failed" and run["attempts"] == 1


def test_delivery_retries_a_refused_connection(api_bin, clock, tmp_path, db_url):
    # A port nobody listens on: a transport error, retried, then exit 3.
    with Receiver([200]) as rx:
        url = rx.url
    r = deliver(api_bin, clock, tmp_path, url, "--deliver-attempts", "2")
    assert r.returncode == 3, r.stderr
    assert r.stderr.count("delivery attempt") == 2


def test_delivery_refuses_other_schemes(api_bin, clock, tmp_path):
    r = deliver(api_bin, clock, tmp_path, "ftp://127.0.0.1/x")
    assert r.returncode == 3, r.stderr
    assert r.stderr.count("delivery attempt") == 1 and "http or https only" in r.stderr


def test_delivery_options_are_checked(api_bin, clock, tmp_path):
    for bad in (["--deliver-attempts", "0"], ["--deliver-attempts", "x"],
                ["--deliver-backoff-ms", "-1"]):
        r = deliver(api_bin, clock, tmp_path, "http://127.0.0.1:9/", *bad)
        assert r.returncode == 2 and r.stderr.startswith("usage: "), (bad, r.stderr)
    assert not any(tmp_path.iterdir())


def test_systemd_units_verify():
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        msg = "systemd-analyze is missing (Debian package systemd)"
        if support.IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    units = sorted((ROOT / "deploy" / "systemd").glob("*.service")) + \
        sorted((ROOT / "deploy" / "systemd").glob("*.timer"))
    assert {u.name for u in units} >= {"jiangxin-export.service", "jiangxin-export.timer",
                                       "jiangxin-allowance.service", "jiangxin-allowance.timer"}
    # --man=no: no man pages in a slim container; --recursive-errors=no:
    # the units they depend on (postgresql.service) need not exist here.
    r = subprocess.run([analyze, "verify", "--man=no", "--recursive-errors=no",
                        *[str(u) for u in units]],
                       capture_output=True, text=True, timeout=60,
                       env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"})
    assert r.returncode == 0 and r.stderr.strip() == "", r.stderr


def test_cron_line():
    text = (ROOT / "deploy" / "cron" / "jiangxin-export").read_text(encoding="utf-8")
    lines = [x for x in text.splitlines() if x.strip() and not x.lstrip().startswith("#")
             and not re.match(r"[A-Z_]+=", x)]  # cron's own settings (SHELL, PATH)
    assert len(lines) == 1
    assert "%" not in lines[0]  # a newline to cron
    fields = lines[0].split(None, 6)
    assert fields[:5] == ["0", "18", "*", "*", "*"]  # 18:00 UTC = 02:00 Asia/Shanghai
    assert fields[5] == "jiangxin" and "export --out /var/lib/jiangxin-export" in fields[6]
