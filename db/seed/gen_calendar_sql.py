#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write the SQL that seeds calendar_years and calendar_days from the
holiday-cn files in db/seed/holiday-cn/ (one file per State Council notice,
github.com/NateScarlet/holiday-cn, MIT). Output is deterministic: rows
sorted by year and by day. With YEAR arguments only those files are used,
so a later year can become a new migration (migrations are never edited):

    /usr/bin/python3 db/seed/gen_calendar_sql.py > db/migrations/0003_seed_calendar.sql
    /usr/bin/python3 db/seed/gen_calendar_sql.py 2027 > db/migrations/NNNN_seed_calendar_2027.sql
"""

import datetime
import json
import pathlib
import re
import sys
import textwrap

SEED_DIR = pathlib.Path(__file__).resolve().parent / "holiday-cn"
YEAR_MIN, YEAR_MAX = 1900, 2999  # calendar_years CHECK
NAME_MAX = 63  # bytes, as HOLIDAY_CN_NAME_MAX - 1 in api/model/workdays.h
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def fail(path, msg):
    sys.exit(f"{path}: {msg}")


def sql_text(s):
    return "'" + s.replace("'", "''") + "'"


def load(path):
    """Returns (year, [(date, is_workday, name)]) and checks the file as
    api/model/workdays.c's holiday_cn_parse() does."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        fail(path, e)
    if not isinstance(doc, dict):
        fail(path, "not a JSON object")
    year = doc.get("year")
    if type(year) is not int or not YEAR_MIN <= year <= YEAR_MAX:
        fail(path, "year: not an integer in range")
    if path.stem != str(year):
        fail(path, f"file name does not match year {year}")
    days = doc.get("days")
    if not isinstance(days, list) or not days:
        fail(path, "days: not a non-empty array (placeholder file?)")
    out, seen = [], set()
    for i, d in enumerate(days):
        if not isinstance(d, dict):
            fail(path, f"days[{i}]: not an object")
        date, off, name = d.get("date"), d.get("isOffDay"), d.get("name")
        if not isinstance(date, str) or not DATE_RE.fullmatch(date):
            fail(path, f"days[{i}].date: not a YYYY-MM-DD date")
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            fail(path, f"days[{i}].date: not a real date")
        if type(off) is not bool:
            fail(path, f"days[{i}].isOffDay: not a boolean")
        if not isinstance(name, str) or "\0" in name or len(name.encode()) > NAME_MAX:
            fail(path, f"days[{i}].name: not a string of at most {NAME_MAX} bytes")
        if date in seen:
            fail(path, f"days[{i}].date: listed twice")
        seen.add(date)
        out.append((date, not off, name))
    return year, out


def main(argv):
    if argv:
        paths = [SEED_DIR / f"{int(y)}.json" for y in argv]
    else:
        paths = sorted(SEED_DIR.glob("[0-9][0-9][0-9][0-9].json"))
    if not paths:
        sys.exit(f"no holiday-cn files in {SEED_DIR}")
    files = sorted((load(p) for p in paths), key=lambda f: f[0])

    # A date can be listed by two notices (2023.json lists 2022-12-31): the
    # later notice wins, so one INSERT never touches a row twice.
    rows = {}
    for year, days in files:
        for date, is_workday, name in days:
            rows[date] = (is_workday, name, f"holiday-cn:{year}")

    cmd = "/usr/bin/python3 db/seed/gen_calendar_sql.py"
    if argv:
        cmd += " " + " ".join(str(int(y)) for y in argv)
    years = textwrap.wrap(
        "Years: " + ", ".join(str(y) for y, _ in files) + ".",
        width=76, initial_indent="-- ", subsequent_indent="--   ")
    out = [
        "-- SPDX-License-Identifier: MIT",
        "-- Working-day calendar: the State Council schedules as published in",
        "-- NateScarlet/holiday-cn (https://github.com/NateScarlet/holiday-cn,",
        "-- MIT licence, copied with the data in db/seed/holiday-cn/). A listed day",
        "-- is a holiday (is_workday false) or an adjusted workday (调休, true); any",
        "-- other day of a known year follows the Monday-Friday rule.",
        *years,
        "-- Generated; do not edit. Regenerate with:",
        f"--   {cmd}",
        "-- ON CONFLICT lets a later notice correct a day an earlier one listed.",
        "",
        "INSERT INTO calendar_years (year, source) VALUES",
        ",\n".join(f"    ({y}, 'holiday-cn:{y}')" for y, _ in files),
        "ON CONFLICT (year) DO UPDATE",
        "    SET source = EXCLUDED.source, loaded_at = now();",
        "",
        "INSERT INTO calendar_days (day, is_workday, name, source) VALUES",
        ",\n".join(
            f"    ('{date}', {'true' if w else 'false'}, {sql_text(name)}, '{src}')"
            for date, (w, name, src) in sorted(rows.items())
        ),
        "ON CONFLICT (day) DO UPDATE",
        "    SET is_workday = EXCLUDED.is_workday, name = EXCLUDED.name,",
        "        source = EXCLUDED.source, version = calendar_days.version + 1,",
        "        updated_at = now();",
        "",
    ]
    sys.stdout.buffer.write("\n".join(out).encode("utf-8"))


if __name__ == "__main__":
    main(sys.argv[1:])
