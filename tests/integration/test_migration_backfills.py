# SPDX-License-Identifier: MIT
"""Migrations that backfill existing rows, run on rows as they looked before
them: a scratch database of the test server (`own_db`) migrated up to the
migration before (a copy of db/migrations cut there, beside an empty
functions directory: the migrations of that time bring their own
functions), rows written with SQL in that shape, then the migration alone,
then the rest of db/ up to now. The stack's database is never touched."""

import shutil

import pytest

import conftest
import support
from support import migrated


@pytest.fixture
def upto(tmp_path):
    """upto(name): a migrations directory holding every migration before
    `name` (and an empty functions directory beside it); upto(name, True)
    adds `name` itself; upto(None) is a copy of the whole of db/."""
    db = conftest.repo_root() / "db"

    def build(name, including=False):
        root = tmp_path / f"db-{name or 'all'}-{including}"
        migrations, functions = root / "migrations", root / "functions"
        if name is None:
            shutil.copytree(db / "migrations", migrations)
            shutil.copytree(db / "functions", functions)
            return migrations
        assert (db / "migrations" / name).is_file(), name
        migrations.mkdir(parents=True)
        functions.mkdir()
        for p in sorted((db / "migrations").glob("*.sql")):
            if p.name < name or (including and p.name == name):
                shutil.copy(p, migrations / p.name)
        return migrations

    return build


# 0015 as landed: the employer columns of nominations, backfilled from the
# recommending unit for channel `unit` only.
M0015 = "0015_add_nomination_employer.sql"

# A nomination as 0007..0014 left it: a draft with only what the table
# requires (the sealed number and its hash are dummies of the right shape).
NOMINATION_0014 = """
INSERT INTO nominations (round_id, unit_id, channel, name, id_number_sealed, id_number_hash,
                         id_number_masked, gender, birth_date, age)
SELECT r.id, u.id, '{channel}', '{name}', decode(repeat('ab', 48), 'hex'),
       encode(sha256('{name}'::bytea), 'hex'), '{masked}', 'male', '1980-01-01', 45
  FROM rounds r, units u WHERE r.code = 'jx-backfill-0015' AND u.code = '{unit}'
RETURNING id"""


def test_0015_names_the_unit_as_the_employer_of_its_own_nominations(own_db, upto):
    owner_url, _ = own_db
    migrated(owner_url, upto(M0015))
    units = {"enterprise": support.new_uscc(), "subdistrict": support.new_uscc()}
    support.psql(owner_url, "INSERT INTO units (code, name, kind) VALUES "
                            f"('{units['enterprise']}', '回填测试机械有限公司', 'enterprise'),"
                            f" ('{units['subdistrict']}', '回填测试街道办事处', 'subdistrict')")
    support.psql(owner_url, """
        INSERT INTO rounds (programme_id, policy_version_id, code, year, reference_date,
                            window_opens, window_closes)
        SELECT p.id, v.id, 'jx-backfill-0015', 2026, '2026-12-31', '2026-01-05', '2026-03-31'
          FROM programmes p JOIN policy_versions v ON v.programme_id = p.id AND v.number = 1
         WHERE p.code = 'lanshan-craftsman'""")

    def nomination(channel, unit, name):
        out = support.psql_scalar(owner_url, NOMINATION_0014.format(
            channel=channel, unit=units[unit], name=name, masked="110" + "*" * 11 + "0011"))
        return out.splitlines()[0]

    own = nomination("unit", "enterprise", "回填甲")
    own_other_kind = nomination("unit", "subdistrict", "回填乙")
    competition = nomination("competition", "subdistrict", "回填丙")
    assert support.psql_scalar(
        owner_url, "SELECT count(*) FROM information_schema.columns"
                   " WHERE table_name = 'nominations' AND column_name LIKE 'employer%'") == "0"

    out = migrated(owner_url, upto(M0015, including=True))
    assert f"migrate: applied {M0015}\n" in out and "migrate: 1 applied" in out

    def employers():
        rows = support.psql_scalar(owner_url, "SELECT id, coalesce(employer_name, '-'),"
                                              " coalesce(employer_code, '-'),"
                                              " coalesce(employer_kind::text, '-')"
                                              " FROM nominations ORDER BY id")
        return {r.split("|")[0]: tuple(r.split("|")[1:]) for r in rows.splitlines()}

    want = {
        own: ("回填测试机械有限公司", units["enterprise"], "enterprise"),
        own_other_kind: ("回填测试街道办事处", units["subdistrict"], "subdistrict"),
        # a competition's recommender need not employ the candidate: left empty
        competition: ("-", "-", "-"),
    }
    assert employers() == want

    # The rest of the migrations and every functions file take these rows
    # as they are, and the representation shows the backfilled employer.
    migrated(owner_url, upto(None))
    assert employers() == want
    shown = support.psql_scalar(owner_url, "SELECT api_nomination(n) -> 'employer' FROM"
                                           f" nominations n WHERE id = '{own}'")
    assert '"回填测试机械有限公司"' in shown and units["enterprise"] in shown
