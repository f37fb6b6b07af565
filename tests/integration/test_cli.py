# SPDX-License-Identifier: MIT
"""The jiangxin-api command line: `migrate` is idempotent, `user add` makes
users who can sign in and refuses bad input, and `serve` (and the vote
service) report every configuration problem at once, exit 2, and never echo
a secret."""

import subprocess

import pytest

import support


@pytest.fixture(scope="module")
def api_bin():
    return support.need_env("JIANGXIN_TEST_API_BIN")


@pytest.fixture(scope="module")
def vote_bin():
    return support.need_env("JIANGXIN_TEST_VOTE_BIN")


def run(binary, args, *, env=None, stdin=None, timeout=60):
    try:
        return subprocess.run([binary] + args, env=env if env is not None else support.cli_env(),
                              input=stdin, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"{binary} {' '.join(args)} did not exit within {timeout}s "
                    f"(stderr so far: {e.stderr!r})", pytrace=False)


def _schema_fingerprint(db_url):
    return support.psql_scalar(db_url, """
        SELECT string_agg(x, ';' ORDER BY x) FROM (
          SELECT table_name || '.' || column_name || ':' || data_type AS x
            FROM information_schema.columns WHERE table_schema = 'public'
          UNION ALL
          SELECT 'rows:' || relname || '=' || n_live_tup FROM pg_stat_user_tables
           WHERE relname ILIKE '%migration%'
          UNION ALL
          SELECT 'programmes=' || count(*) FROM programmes
          UNION ALL
          SELECT 'routine:' || routine_name FROM information_schema.routines
           WHERE routine_schema = 'public') s""")


def _migrations_rows(db_url):
    tables = support.psql_scalar(db_url, "SELECT string_agg(quote_ident(relname), ' ') "
                                         "FROM pg_stat_user_tables WHERE relname ILIKE "
                                         "'%migration%'").split()
    return {t: support.psql_scalar(db_url, f"SELECT count(*) FROM {t}") for t in tables}


def test_migrate_twice_changes_nothing(api_bin, db_url):
    before = _schema_fingerprint(db_url)
    rows = _migrations_rows(db_url)
    first = run(api_bin, ["migrate"])
    assert first.returncode == 0, first.stderr
    second = run(api_bin, ["migrate"])
    assert second.returncode == 0, second.stderr
    assert _schema_fingerprint(db_url) == before
    assert _migrations_rows(db_url) == rows
    # Already migrated by the runner: both runs report the same (nothing applied).
    assert first.stdout == second.stdout


def test_user_add_creates_a_user_who_can_sign_in(api, api_bin):
    username = f"t-cli-{support.rand_hex(10)}"
    password = support.new_password()
    proc = run(api_bin, ["user", "add", "--username", username, "--role", "expert",
                         "--password-stdin"], stdin=password + "\n")
    assert proc.returncode == 0, proc.stderr
    assert password not in proc.stdout + proc.stderr
    token = support.login(api, username, password)
    me = api.get("/v1/me", token=token, expect=200).body
    assert me["username"] == username and me["role"] == "expert"


def test_user_add_office_with_programme(api, api_bin):
    username = f"t-cli-{support.rand_hex(10)}"
    password = support.new_password()
    proc = run(api_bin, ["user", "add", "--username", username, "--role", "office",
                         "--programme", "huancui-chief-technician", "--password-stdin"],
               stdin=password)
    assert proc.returncode == 0, proc.stderr
    me = api.get("/v1/me", token=support.login(api, username, password), expect=200).body
    assert me["role"] == "office" and me["programmes"] == ["huancui-chief-technician"]


def test_user_add_leader_with_programmes(api, api_bin):
    """A leader reads the programmes in its scope (issue 12): --programme is
    repeatable and takes a comma-separated list (the demo leader gets both)."""
    username = f"t-cli-{support.rand_hex(10)}"
    password = support.new_password()
    proc = run(api_bin, ["user", "add", "--username", username, "--role", "leader",
                         "--programme", "lanshan-craftsman,huancui-chief-technician",
                         "--programme", "lanshan-craftsman", "--password-stdin"],
               stdin=password)
    assert proc.returncode == 0, proc.stderr
    me = api.get("/v1/me", token=support.login(api, username, password), expect=200).body
    assert me["role"] == "leader"
    assert sorted(me["programmes"]) == ["huancui-chief-technician", "lanshan-craftsman"]


def test_user_add_unit_user(api, api_bin, factory):
    unit = factory.unit()
    username = f"t-cli-{support.rand_hex(10)}"
    password = support.new_password()
    proc = run(api_bin, ["user", "add", "--username", username, "--role", "unit",
                         "--unit", unit["id"], "--password-stdin"], stdin=password)
    assert proc.returncode == 0, proc.stderr
    me = api.get("/v1/me", token=support.login(api, username, password), expect=200).body
    assert me["unit_id"] == unit["id"]


@pytest.mark.parametrize("case,args,password", [
    ("bad-role", ["--role", "wizard"], None),
    ("unit-without-unit", ["--role", "unit"], None),
    ("unknown-programme", ["--role", "office", "--programme", "no-such-programme"], None),
    ("one-unknown-programme", ["--role", "leader", "--programme",
                               "lanshan-craftsman,no-such-programme"], None),
    ("short-password", ["--role", "expert"], "short"),
    ("bad-username", ["--role", "expert", "--username", "Bad Name"], None),
])
def test_user_add_refuses_bad_input(api_bin, db_count, case, args, password):
    username = f"t-cli-{support.rand_hex(10)}"
    password = password or support.new_password()
    if "--username" not in args:
        args = ["--username", username] + args
    users = db_count("users")
    proc = run(api_bin, ["user", "add"] + args + ["--password-stdin"], stdin=password)
    assert proc.returncode != 0, f"{case}: exit 0; stdout={proc.stdout!r}"
    assert proc.stderr.strip(), f"{case}: no message on stderr"
    assert password not in proc.stdout + proc.stderr
    assert db_count("users") == users


def test_user_add_duplicate_username_fails(api_bin, factory, db_count):
    existing = factory.user("expert", login_now=False)
    users = db_count("users")
    proc = run(api_bin, ["user", "add", "--username", existing.username, "--role", "expert",
                         "--password-stdin"], stdin=support.new_password())
    assert proc.returncode != 0
    assert db_count("users") == users


def test_unknown_subcommand_fails(api_bin):
    proc = run(api_bin, ["frobnicate"])
    assert proc.returncode != 0
    assert proc.stderr.strip()


def _serve_env(**changes):
    base = {"JIANGXIN_LISTEN": "127.0.0.1:1"}  # never reached when config is bad
    base.update(changes)
    return support.cli_env(**base)


def test_serve_reports_every_config_problem_at_once(api_bin):
    env = _serve_env(JIANGXIN_JWT_SECRET=None, JIANGXIN_PII_KEY="not-hex",
                     JIANGXIN_THREADS="lots")
    proc = run(api_bin, ["serve"], env=env, timeout=30)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    for name in ("JIANGXIN_JWT_SECRET", "JIANGXIN_PII_KEY", "JIANGXIN_THREADS"):
        assert name in proc.stderr, f"{name} not named in: {proc.stderr}"


def test_serve_short_secret_and_bad_threads_named_without_the_secret(api_bin):
    secret = "short-secret-" + support.rand_hex(8)  # 21 bytes < 32
    env = _serve_env(JIANGXIN_JWT_SECRET=secret, JIANGXIN_THREADS="0")
    proc = run(api_bin, ["serve"], env=env, timeout=30)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "JIANGXIN_JWT_SECRET" in proc.stderr and "JIANGXIN_THREADS" in proc.stderr
    assert secret not in proc.stderr and secret not in proc.stdout


def test_serve_names_more_bad_variables(api_bin):
    pii = "zz" * 32
    env = _serve_env(JIANGXIN_DATABASE_URL=None, JIANGXIN_PII_KEY=pii,
                     JIANGXIN_MAX_BODY="-5", JIANGXIN_TOKEN_TTL="soon",
                     JIANGXIN_LISTEN="nowhere", JIANGXIN_MAX_CONNECTIONS="0")
    proc = run(api_bin, ["serve"], env=env, timeout=30)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    for name in ("JIANGXIN_DATABASE_URL", "JIANGXIN_PII_KEY", "JIANGXIN_MAX_BODY",
                 "JIANGXIN_TOKEN_TTL", "JIANGXIN_LISTEN", "JIANGXIN_MAX_CONNECTIONS"):
        assert name in proc.stderr, f"{name} not named in: {proc.stderr}"
    assert pii not in proc.stderr


def test_serve_is_the_default_subcommand(api_bin):
    env = _serve_env(JIANGXIN_JWT_SECRET=None)
    proc = run(api_bin, [], env=env, timeout=30)
    assert proc.returncode == 2 and "JIANGXIN_JWT_SECRET" in proc.stderr


def test_vote_reports_config_problems_at_once(vote_bin):
    secret = "tiny-" + support.rand_hex(6)
    env = {k: v for k, v in support.cli_env().items() if not k.startswith("JIANGXIN_")
           or k.startswith("JIANGXIN_TEST_")}
    env.update({"JIANGXIN_JWT_SECRET": secret, "JIANGXIN_THREADS": "many",
                "JIANGXIN_LISTEN": "127.0.0.1:1"})
    proc = run(vote_bin, [], env=env, timeout=30)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    for name in ("JIANGXIN_REDIS_URL", "JIANGXIN_JWT_SECRET", "JIANGXIN_THREADS"):
        assert name in proc.stderr, f"{name} not named in: {proc.stderr}"
    assert secret not in proc.stderr + proc.stdout
