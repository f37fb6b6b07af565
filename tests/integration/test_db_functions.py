# SPDX-License-Identifier: MIT
"""SQL functions live in db/functions/NN_<domain>.sql, not in migrations:
`jiangxin-api migrate` applies a functions file again when its checksum
changes (or when a migration ran), records it in schema_functions, and does
it all in one transaction with the migrations, so a failing file leaves the
database as it was. Each test migrates a database of its own from a copy of
db/, so changing a copy's function never touches the stack's database."""

import hashlib
import re
import shutil

import pytest

import conftest
import support
from support import migrate, migrated

FUNCTION_NAME = re.compile(r"^CREATE OR REPLACE FUNCTION\s+(\w+)\s*\(", re.M)
VIEW_NAME = re.compile(r"^CREATE OR REPLACE VIEW\s+(\w+)\b", re.M)


def _functions_files():
    return sorted((conftest.repo_root() / "db" / "functions").glob("*.sql"))


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def tree(tmp_path):
    """A copy of db/migrations and db/functions: (migrations dir, functions dir)."""
    db = conftest.repo_root() / "db"
    for sub in ("migrations", "functions"):
        shutil.copytree(db / sub, tmp_path / "db" / sub)
    return tmp_path / "db" / "migrations", tmp_path / "db" / "functions"


def recorded(url):
    """{file name: (checksum, applied_at)} from schema_functions."""
    out = support.psql_scalar(url, "SELECT name || ' ' || checksum || ' ' || applied_at "
                                   "FROM schema_functions ORDER BY name")
    return {name: (sum_, at) for name, sum_, at in
            (line.split(" ", 2) for line in out.splitlines())}


def prosrc(url, name):
    return support.psql_scalar(url, f"SELECT string_agg(prosrc, ';') FROM pg_proc "
                                    f"WHERE proname = '{name}'")


def test_a_fresh_database_gets_every_functions_file(own_db, tree):
    owner_url, app_url = own_db
    out = migrated(owner_url, tree[0])
    files = _functions_files()
    assert files, "db/functions holds no files"
    for path in files:
        assert f"migrate: applied functions/{path.name}\n" in out
    assert {n: s for n, (s, _) in recorded(owner_url).items()} == \
        {p.name: _sha256(p) for p in files}
    # Applied after every migration, in name order.
    last_migration = out.rindex("migrate: applied 0")
    positions = [out.index(f"functions/{p.name}") for p in files]
    assert positions == sorted(positions) and positions[0] > last_migration

    # Every function and view of the database is defined in a functions file
    # (none lives only in a migration), and the runtime role may call them.
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    defined = set(FUNCTION_NAME.findall(text)) | set(VIEW_NAME.findall(text))
    in_db = support.psql_scalar(owner_url, """
        SELECT string_agg(p.proname, ' ' ORDER BY p.proname) FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.objid = p.oid AND d.deptype = 'e')""").split()
    views = support.psql_scalar(owner_url, "SELECT string_agg(viewname, ' ') FROM pg_views "
                                           "WHERE schemaname = 'public'").split()
    assert in_db, "no functions in the database"
    assert sorted(set(in_db + views) - defined) == [], "defined only in a migration"
    assert sorted(defined - set(in_db + views)) == [], "in a functions file, not in the database"
    refused = support.psql_scalar(app_url, """
        SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace
           AND NOT has_function_privilege(p.oid, 'EXECUTE')""")
    assert refused == "", f"the runtime role may not execute: {refused}"


def test_a_changed_file_is_applied_again_once(own_db, tree):
    owner_url, app_url = own_db
    migrations, functions = tree
    migrated(owner_url, migrations)
    before = recorded(owner_url)
    path = functions / "03_calendar.sql"
    original = path.read_text(encoding="utf-8")
    assert "'listed', true," in original
    path.write_text(original.replace("'listed', true,", "'listed', false,"), encoding="utf-8")

    out = migrated(owner_url, migrations)
    assert "migrate: applied functions/03_calendar.sql\n" in out
    assert out.count("migrate: applied") == 1, out
    assert "functions: 1 applied" in out
    assert "'listed', false" in prosrc(owner_url, "api_calendar_day")
    listed = support.psql_scalar(app_url, "SELECT api_calendar_day(d) ->> 'listed' "
                                          "FROM calendar_days d LIMIT 1")
    assert listed == "false"
    after = recorded(owner_url)
    assert after["03_calendar.sql"][0] == _sha256(path) != before["03_calendar.sql"][0]
    assert {n: v for n, v in after.items() if n != "03_calendar.sql"} == \
        {n: v for n, v in before.items() if n != "03_calendar.sql"}

    # Unchanged since: nothing is applied, the record stays as it is.
    again = migrated(owner_url, migrations)
    assert "migrate: applied" not in again
    assert "0 applied, " in again and f"functions: 0 applied, {len(after)} unchanged" in again
    assert recorded(owner_url) == after

    # The original back: applied again, as it was.
    path.write_text(original, encoding="utf-8")
    assert "migrate: applied functions/03_calendar.sql\n" in migrated(owner_url, migrations)
    assert "'listed', true" in prosrc(owner_url, "api_calendar_day")
    assert recorded(owner_url)["03_calendar.sql"][0] == before["03_calendar.sql"][0]


def test_a_failing_functions_file_rolls_back_the_whole_run(own_db, tree):
    owner_url, _ = own_db
    migrations, functions = tree
    migrated(owner_url, migrations)
    before = recorded(owner_url)
    calendar_src = prosrc(owner_url, "api_calendar_day")
    # A new migration, a good change to one file and a broken later file.
    (migrations / "0999_create_probe.sql").write_text("CREATE TABLE fn_probe (id integer);\n")
    path = functions / "03_calendar.sql"
    path.write_text(path.read_text(encoding="utf-8").replace("'listed', true,", "'listed', false,"),
                    encoding="utf-8")
    with open(functions / "06_nominations.sql", "a", encoding="utf-8") as f:
        f.write("\nCREATE OR REPLACE FUNCTION fn_broken() RETURNS integer\n"
                "LANGUAGE sql STABLE AS $$ SELECT no_such_column FROM units $$;\n")

    proc = migrate(owner_url, migrations)
    assert proc.returncode != 0, proc.stdout
    assert "migrate: applied 0999_create_probe.sql" in proc.stdout  # ran, then undone
    assert "functions/06_nominations.sql failed" in proc.stdout
    assert "no_such_column" in proc.stdout
    assert "rolled back" in proc.stdout
    assert support.psql_scalar(owner_url, "SELECT to_regclass('fn_probe') IS NULL") == "t"
    assert support.psql_scalar(owner_url, "SELECT count(*) FROM schema_migrations "
                                          "WHERE name = '0999_create_probe.sql'") == "0"
    assert recorded(owner_url) == before
    assert prosrc(owner_url, "api_calendar_day") == calendar_src
    assert prosrc(owner_url, "fn_broken") == ""


def test_a_migration_applies_every_functions_file_again(own_db, tree):
    """A migration may drop a function (a signature change, a dropped type);
    the files put back what they define even when they did not change, so
    an upgraded database ends up like a fresh one."""
    owner_url, _ = own_db
    migrations, _ = tree
    migrated(owner_url, migrations)
    (migrations / "0999_drop_a_function.sql").write_text(
        "DROP FUNCTION api_vote_tally(vote_sessions);\n")
    out = migrated(owner_url, migrations)
    assert "migrate: applied 0999_drop_a_function.sql" in out
    for path in _functions_files():
        assert f"migrate: applied functions/{path.name}\n" in out
    assert "s.tally_sequence" in prosrc(owner_url, "api_vote_tally")


def test_the_functions_directory_must_exist(own_db, tree):
    owner_url, _ = own_db
    migrations, functions = tree
    shutil.rmtree(functions)
    proc = migrate(owner_url, str(migrations) + "/")
    assert proc.returncode != 0
    assert f"cannot open {functions}" in proc.stdout
    assert support.psql_scalar(owner_url, "SELECT to_regclass('schema_migrations') IS NULL") == "t"


def test_the_stack_database_runs_the_current_files(db_url):
    """What deploy/local.sh migrated is what db/functions holds now."""
    assert {n: s for n, (s, _) in recorded(db_url).items()} == \
        {p.name: _sha256(p) for p in _functions_files()}
