# SPDX-License-Identifier: MIT
"""No business rule reads the database's clock (SPEC §11): every rule takes
"now" from the service's clock (common/clock.h) as a parameter. This check
reads the SQL of the migrations and of every prepared statement and fails
when a new now(), current_date, current_timestamp, localtimestamp or
clock_timestamp() appears that is not a row timestamp (created_at,
updated_at, loaded_at, applied_at, deleted_at) or one of the uses listed
below with the reason it may keep database time."""

import os
import pathlib
import re

REPO = pathlib.Path(os.environ.get("JIANGXIN_TEST_REPO")
                    or pathlib.Path(__file__).resolve().parents[2])

DB_TIME = re.compile(r"\b(now\s*\(\s*\)|current_date|current_timestamp|localtimestamp|"
                     r"clock_timestamp\s*\(\s*\)|statement_timestamp\s*\(\s*\)|"
                     r"transaction_timestamp\s*\(\s*\))", re.I)
ROW_TIMESTAMP = re.compile(r"\b(created_at|updated_at|loaded_at|applied_at|deleted_at)\b")

# (file, text on the line, why it may keep database time)
ALLOWED = [
    ("db/migrations/0001_create_core.sql", "NEW.at := clock_timestamp()",
     "the audit row's own time (audit `at`), ordered with the chain"),
    ("db/functions/02_audit.sql", "NEW.at := clock_timestamp()",
     "the audit row's own time (audit `at`), ordered with the chain"),
    ("db/migrations/0001_create_core.sql", "    at           timestamptz NOT NULL DEFAULT now()",
     "the audit row's own time (audit `at`)"),
    ("db/migrations/0007_create_rounds_nominations.sql",
     "    at             timestamptz NOT NULL DEFAULT now()",
     "a column default; nomination_store_add_transition sets it from the clock"),
    ("db/migrations/0008_create_vote_sessions.sql", "next_push_at",
     "a column default; every insert sets it from the clock (vote_session_store_insert)"),
    ("db/migrations/0008_create_vote_sessions.sql", "now() < s.opens_at",
     "vote_session_state(s), replaced in 0009 by vote_session_state(s, at)"),
    ("db/migrations/0008_create_vote_sessions.sql", "now() < s.closes_at",
     "vote_session_state(s), replaced in 0009 by vote_session_state(s, at)"),
    ("api/store/user_store.c", "blocked_until",
     "sign-in throttling is security, on real time like token lifetimes"),
    ("api/store/user_store.c", "VALUES ($1, 1, now() + make_interval",
     "sign-in throttling is security, on real time like token lifetimes"),
    ("api/store/user_store.c", "VALUES ($2, 1, now())",
     "sign-in throttling is security, on real time like token lifetimes"),
]


def sources():
    yield from sorted((REPO / "db").rglob("*.sql"))
    yield from sorted((REPO / "api" / "store").glob("*.c"))
    yield from sorted((REPO / "voting").rglob("*.lua"))


def findings():
    out = []
    for path in sources():
        rel = path.relative_to(REPO).as_posix()
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("--", 1)[0] if path.suffix == ".sql" else line
            if not DB_TIME.search(code) or ROW_TIMESTAMP.search(code):
                continue
            if any(rel == f and text in code for f, text, _ in ALLOWED):
                continue
            out.append(f"{rel}:{no}: {line.strip()}")
    return out


def test_no_business_rule_reads_the_database_clock():
    found = findings()
    assert not found, ("database time in a rule; pass the service's clock as a parameter "
                       "(api/store/db_internal.h: db_clock_now, db_clock_today):\n"
                       + "\n".join(found))


def test_the_check_sees_what_it_looks_for(tmp_path):
    """The pattern finds each spelling (a check that cannot fail is no check)."""
    for text in ("WHERE d <= now()", "current_date - 1", "CURRENT_TIMESTAMP",
                 "localtimestamp", "clock_timestamp( )", "NOW ()"):
        assert DB_TIME.search(text), text
    for text in ("updated_at = now()", "created_at DEFAULT now()"):
        assert ROW_TIMESTAMP.search(text)
    assert not DB_TIME.search("$2::timestamptz")
    assert all(pathlib.Path(REPO / f).exists() for f, _, _ in ALLOWED)
