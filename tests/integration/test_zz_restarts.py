# SPDX-License-Identifier: MIT
"""Disruptive tests, run last (file name and the `disruptive` marker): Redis
and PostgreSQL go away and come back; the services report 503 meanwhile and
recover by themselves, without a restart. Each test brings its server back
even when it fails. Finally, the services' stderr holds no sanitizer report."""

import os
import subprocess

import pytest

import support

pytestmark = pytest.mark.disruptive


def _redis_ping(port):
    proc = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), "ping"],
                          capture_output=True, text=True, timeout=10)
    return proc.stdout.strip() == "PONG"


def _redis_start(port, directory):
    conf = os.environ.get("JIANGXIN_TEST_REDIS_CONF")
    if conf and os.path.exists(conf):
        cmd = ["redis-server", conf]
    else:
        cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--appendonly", "yes",
               "--dir", directory, "--daemonize", "yes", "--save", ""]
    subprocess.run(cmd, check=True, capture_output=True, timeout=30)
    support.poll(lambda: _redis_ping(port), timeout=15, what="Redis to answer PING")


def test_vote_readyz_follows_redis_down_and_up(vote):
    port = support.need_env("JIANGXIN_TEST_REDIS_PORT")
    directory = support.need_env("JIANGXIN_TEST_REDIS_DIR")
    vote.get("/readyz", expect=200)
    key = "jiangxin-it:" + support.rand_hex(8)
    subprocess.run(["redis-cli", "-p", port, "set", key, "kept"], check=True,
                   capture_output=True, timeout=10)
    try:
        subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", port, "shutdown", "nosave"],
                       capture_output=True, timeout=30)
        support.poll(lambda: not _redis_ping(port), timeout=15, what="Redis to stop")

        def down():
            r = vote.get("/readyz")
            return r if r.status_code == 503 else None
        r = support.poll(down, timeout=15, what="vote /readyz to answer 503")
        assert r.body["type"] == "urn:jiangxin:problem:service-unavailable"
        vote.get("/healthz", expect=200)  # liveness does not depend on Redis
    finally:
        if not _redis_ping(port):
            _redis_start(port, directory)
    r = support.poll(lambda: vote.get("/readyz").status_code == 200 or None, timeout=15,
                     what="vote /readyz back to 200 without a restart")
    assert r
    assert vote.get("/readyz", expect=200).body["redis"] == "ok"
    # AOF kept the data across the restart.
    got = subprocess.run(["redis-cli", "-p", port, "get", key], capture_output=True, text=True,
                         timeout=10).stdout.strip()
    assert got == "kept"


def _pg(args):
    bin_dir = support.need_env("JIANGXIN_TEST_PG_BIN")
    data = support.need_env("JIANGXIN_TEST_PG_DATA")
    cmd = [os.path.join(bin_dir, "pg_ctl"), "-D", data] + args
    user = os.environ.get("JIANGXIN_TEST_PG_OS_USER")
    if os.geteuid() == 0 and user and user != "root":
        cmd = ["runuser", "-u", user, "--"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


def _pg_running():
    return _pg(["status"]).returncode == 0


def test_api_readyz_follows_postgres_down_and_up(api, admin_token, factory):
    log = os.environ.get("JIANGXIN_TEST_PG_LOG")
    api.get("/readyz", expect=200)
    try:
        proc = _pg(["-m", "fast", "-w", "-t", "60", "stop"])
        assert proc.returncode == 0, proc.stderr

        def down():
            r = api.get("/readyz")
            return r if r.status_code == 503 else None
        r = support.poll(down, timeout=15, what="api /readyz to answer 503")
        assert r.body["type"] == "urn:jiangxin:problem:service-unavailable"
        # A database-backed request answers 503 too, not 500 and not a hang.
        r = api.get("/v1/programmes", expect=503)
        assert r.body["type"] == "urn:jiangxin:problem:service-unavailable"
        api.get("/healthz", expect=200)
    finally:
        if not _pg_running():
            args = ["-w", "-t", "60", "start"]
            if log:
                args = ["-l", log] + args
            proc = _pg(args)
            assert proc.returncode == 0, proc.stderr
    support.poll(lambda: api.get("/readyz").status_code == 200 or None, timeout=20,
                 what="api /readyz back to 200 without a restart")
    # Once ready, every worker serves database requests again: no request may
    # be the one that discovers a dead connection (20 in a row, all 200).
    statuses = [api.get("/v1/me", token=admin_token).status_code for _ in range(20)]
    assert statuses == [200] * 20, f"GET /v1/me after recovery: {statuses}"
    for _ in range(4):
        unit = factory.unit()
        api.get(f"/v1/units/{unit['id']}", token=admin_token, expect=200)
    assert api.get("/v1/audit/verify", token=admin_token, expect=200).body["ok"] is True


def test_api_survives_a_quiet_postgres_restart(api, admin_token):
    """PostgreSQL restarts while no request is in flight (a failover at night):
    the next requests must not fail on the dead connections the workers hold."""
    log = os.environ.get("JIANGXIN_TEST_PG_LOG")
    api.get("/v1/me", token=admin_token, expect=200)
    try:
        proc = _pg(["-m", "fast", "-w", "-t", "60", "stop"])
        assert proc.returncode == 0, proc.stderr
    finally:
        args = ["-w", "-t", "60", "start"]
        if log:
            args = ["-l", log] + args
        proc = _pg(args)
        assert proc.returncode == 0, proc.stderr
    statuses = [api.get("/v1/me", token=admin_token).status_code for _ in range(20)]
    assert statuses == [200] * 20, f"GET /v1/me after a quiet restart: {statuses}"


@pytest.mark.parametrize("var", ["JIANGXIN_TEST_API_ERR_LOG", "JIANGXIN_TEST_VOTE_ERR_LOG"])
def test_no_sanitizer_reports_so_far(var):
    path = support.need_env(var)
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for marker in ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer"):
        assert marker not in text, f"{path}: {marker}\n" + text[max(0, text.index(marker) - 200):][:2000]
