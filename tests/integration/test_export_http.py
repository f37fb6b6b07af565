# SPDX-License-Identifier: MIT
"""The nightly export over HTTP (issue 16): GET /v1/public/export-key
publishes the key that signs every manifest — the very key
`jiangxin-api export public-key` derives from the seed, while the API host
holds only the public half (JIANGXIN_EXPORT_PUBLIC_KEY) — and
GET /v1/export-runs shows admins and auditors each run, newest first."""

import hashlib
import os
import subprocess
import tempfile

import pytest

import support


@pytest.fixture(scope="module")
def api_bin():
    return support.need_env("JIANGXIN_TEST_API_BIN")


def cli(api_bin, args, env):
    return subprocess.run([api_bin] + args, env=env, capture_output=True, text=True, timeout=120)


def test_the_key_route_shows_the_export_key(api, api_bin):
    r = cli(api_bin, ["export", "public-key"],
            {"PATH": os.environ.get("PATH", ""),
             "JIANGXIN_EXPORT_KEY": support.need_env("JIANGXIN_TEST_EXPORT_KEY")})
    assert r.returncode == 0, r.stderr
    public_key, key_id = r.stdout.split("\n")[0], r.stdout.split("\n")[1].split()[1]
    got = api.get("/v1/public/export-key", expect=200)
    assert got.body == {"alg": "Ed25519", "key_id": key_id, "public_key": public_key}
    api.get("/v1/public/export-key", headers={"If-None-Match": got.headers["ETag"]}, expect=304)


def test_export_runs_are_listed_newest_first_for_admins_and_auditors(api, api_bin, factory,
                                                                      clock, admin_token):
    shas = []
    with tempfile.TemporaryDirectory() as out:
        for args in (["--full"], []):
            # Each run starts at the API's clock as it is then (a CLI's test
            # clock starts where it is set), so the second starts later.
            env = support.cli_env(JIANGXIN_PII_KEY=None, JIANGXIN_JWT_SECRET=None,
                                  JIANGXIN_TEST_CLOCK=clock.now_iso())
            r = cli(api_bin, ["export", "--out", out, *args], env)
            assert r.returncode == 0, r.stderr
            manifest = os.path.join(out, clock.today().isoformat(), "manifest.json")
            with open(manifest, "rb") as f:
                shas.append(hashlib.sha256(f.read()).hexdigest())
    # Ours, found by their manifests' hashes, in a list newest first.
    items = api.get("/v1/export-runs?limit=200", token=admin_token, expect=200).body["items"]
    started = [x["started_at"] for x in items]
    assert started == sorted(started, reverse=True)
    mine = [x for x in items if x["manifest_sha256"] in shas]
    assert [x["manifest_sha256"] for x in mine] == shas[::-1]
    first, second = mine
    assert first["state"] == second["state"] == "succeeded"
    assert first["full"] is False and second["full"] is True
    assert first["date"] == clock.today().isoformat() and first["audit_seq"] >= 1

    # Paging: one at a time follows the same order, no repeats.
    page = api.get("/v1/export-runs?limit=1", token=admin_token, expect=200).body
    nxt = api.get(f"/v1/export-runs?limit=1&cursor={page['next_cursor']}", token=admin_token,
                  expect=200).body
    assert [page["items"][0]["id"], nxt["items"][0]["id"]] == [items[0]["id"], items[1]["id"]]

    auditor = factory.user("auditor")
    assert api.get("/v1/export-runs?limit=1", token=auditor.token,
                   expect=200).body["items"][0]["id"] == items[0]["id"]
    code = factory.programme()
    office = factory.office(code)
    api.get("/v1/export-runs", token=office.token, expect=403)
    api.get("/v1/export-runs", expect=401)
