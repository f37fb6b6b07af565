# SPDX-License-Identifier: MIT
"""The push of a vote session survives the voting service being down: a
jiangxin-api of our own (on a database of its own, so the stack's API does
not push the session for it) points at a port where nothing listens; the
session is recorded `pending`, retried in the background, and becomes
`pushed` once a jiangxin-vote starts on that port. The API then stops at
once on SIGTERM with its retry thread joined and nothing leaked (ASan)."""

import subprocess

import conftest
import support
import vote_flow


def _cli(api_bin, env, *args, stdin=None):
    r = subprocess.run([api_bin, *args], env=env, input=stdin, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, f"jiangxin-api {' '.join(args)}: {r.stderr[-2000:]}"


def test_push_is_retried_until_the_voting_service_takes_it(api_spec, own_db, tmp_path):
    api_bin = support.need_env("JIANGXIN_TEST_API_BIN")
    vote_bin = support.need_env("JIANGXIN_TEST_VOTE_BIN")
    owner_url, app_url = own_db
    _cli(api_bin, support.cli_env(JIANGXIN_DATABASE_URL=owner_url), "migrate")
    admin_pw = support.new_password()
    env = support.cli_env(JIANGXIN_DATABASE_URL=app_url)
    _cli(api_bin, env, "user", "add", "--username", "admin", "--role", "admin",
         "--password-stdin", stdin=admin_pw)
    # (The voting service's tally poster signs its own tokens: no account.)

    api_port, vote_port = vote_flow.free_port(), vote_flow.free_port()
    api_env = vote_flow.api_env(api_port, f"http://127.0.0.1:{vote_port}")
    api_env["JIANGXIN_DATABASE_URL"] = app_url
    own_api = vote_flow.Service("api-push", api_bin, api_env, api_port, tmp_path, ["serve"],
                                admin=("admin", admin_pw))
    own_vote = vote_flow.Service(
        "vote-push", vote_bin,
        vote_flow.vote_env(JIANGXIN_LISTEN=f"127.0.0.1:{vote_port}",
                           JIANGXIN_API_URL=f"http://127.0.0.1:{api_port}"),
        vote_port, tmp_path)
    try:
        own_api.start()
        client = conftest.Client(own_api.url, api_spec, "jiangxin-api (own)")
        factory = conftest.Factory(client, conftest._AdminToken(client, "admin", admin_pw))
        w = vote_flow.review_round(client, factory, qualified=2, vote_nominees=2)
        s = vote_flow.create_session(client, w).body
        # Nothing listens on the voting port: recorded, not pushed.
        assert s["push_state"] == "pending" and s["pushed_at"] is None
        assert s["push_attempts"] >= 1 and "unreachable" in s["push_error"]
        path = f"/v1/rounds/{w.round['id']}/vote-session"

        def attempts(n):
            got = client.get(path, token=w.office.token, expect=200).body
            return got if got["push_attempts"] >= n else None
        got = support.poll(lambda: attempts(s["push_attempts"] + 1), timeout=10, interval=0.3,
                           what="a retried push")
        assert got["push_state"] == "pending"

        own_vote.start()

        def pushed():
            got = client.get(path, token=w.office.token, expect=200).body
            return got if got["push_state"] == "pushed" else None
        got = support.poll(pushed, timeout=40, interval=0.5, what="push_state pushed")
        assert got["pushed_at"] and got["push_error"] is None
        vote = conftest.Client(own_vote.url, conftest.openapi_check.Spec(
            conftest.repo_root() / "openapi" / "voting.yaml"), "jiangxin-vote (own)")
        pub = vote.get(f"/v1/sessions/{s['id']}", expect=200).body
        assert [n["id"] for n in pub["nominees"]] == [n["id"] for n in s["nominees"]]
        # Stops at once: the retry thread wakes from its wait, is joined, leaks nothing.
        assert own_api.stop() < 5
        own_vote.stop()
    finally:
        own_api.kill()
        own_vote.kill()
