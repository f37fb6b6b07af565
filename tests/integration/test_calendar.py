# SPDX-License-Identifier: MIT
"""The working-day calendar: a year's listed days against the holiday-cn
data, the five worked examples of N-working-day periods, refusing years
without data, parameter errors, setting a day (and putting it back), and
`jiangxin-api calendar load` for a new year."""

import datetime
import json
import os
import pathlib
import subprocess

import pytest

import support
from support import etag_of

# published -> the 5 working days after it (shared/research/ecosystem-facts.md §1)
WORKED_EXAMPLES = {
    "2026-09-29": ["2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12"],
    "2026-02-12": ["2026-02-13", "2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26"],
    "2025-12-31": ["2026-01-04", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"],
    "2024-09-27": ["2024-09-29", "2024-09-30", "2024-10-08", "2024-10-09", "2024-10-10"],
    "2026-11-20": ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"],
}


def _d(s):
    return datetime.date.fromisoformat(s)


def _holiday_cn_days():
    """date -> (is_workday, name) from the repository's holiday-cn files."""
    root = pathlib.Path(os.environ.get("JIANGXIN_TEST_REPO")
                        or pathlib.Path(__file__).resolve().parents[2])
    out = {}
    folder = root / "db" / "seed" / "holiday-cn"
    files = sorted(folder.glob("*.json"))
    if not files:
        pytest.fail(f"no holiday-cn files in {folder}")
    for f in files:
        for day in json.loads(f.read_text(encoding="utf-8"))["days"]:
            out[day["date"]] = (not day["isOffDay"], day["name"])
    return out


def _is_workday(day, listed):
    if day.isoformat() in listed:
        return listed[day.isoformat()][0]
    return day.weekday() < 5


def reference_workdays(start, n, listed):
    out = []
    day = _d(start)
    while len(out) < n:
        day += datetime.timedelta(days=1)
        if _is_workday(day, listed):
            out.append(day.isoformat())
    return out


@pytest.mark.parametrize("published", sorted(WORKED_EXAMPLES))
def test_worked_example(api, published):
    expected = WORKED_EXAMPLES[published]
    r = api.get("/v1/calendar/workdays", params={"from": published, "days": 5}, expect=200)
    b = r.body
    assert b["workdays"] == expected
    assert b["from"] == published and b["days"] == 5
    assert b["start_date"] == expected[0] and b["end_date"] == expected[-1]
    after = (_d(expected[-1]) + datetime.timedelta(days=1)).isoformat()
    assert b["ends_at"] == f"{after}T00:00:00+08:00"


def test_worked_examples_agree_with_reference():
    listed = _holiday_cn_days()
    for published, expected in WORKED_EXAMPLES.items():
        assert reference_workdays(published, 5, listed) == expected, published


def test_250_workdays_match_the_reference(api):
    listed = _holiday_cn_days()
    r = api.get("/v1/calendar/workdays?from=2024-01-01&days=250", expect=200)
    assert r.body["workdays"] == reference_workdays("2024-01-01", 250, listed)


def test_year_2026_lists_exactly_the_holiday_cn_days(api):
    listed = _holiday_cn_days()
    r = api.get("/v1/calendar/2026", expect=200)
    b = r.body
    assert b["year"] == 2026 and b["source"]
    want = {d: v for d, v in listed.items() if d.startswith("2026-")}
    got = {d["date"]: (d["is_workday"], d["name"]) for d in b["days"]}
    assert got == want
    dates = [d["date"] for d in b["days"]]
    assert dates == sorted(dates), "days are not in date order"
    for d in b["days"]:
        assert d["kind"] == ("adjusted_workday" if d["is_workday"] else "holiday")
    first = datetime.date(2026, 1, 1)
    all_days = [first + datetime.timedelta(days=i) for i in range(365)]
    workdays = sum(1 for day in all_days if _is_workday(day, listed))
    assert b["workday_count"] == workdays
    assert b["offday_count"] == 365 - workdays
    jan = {d["date"]: d for d in b["days"]}
    assert jan["2026-01-01"]["kind"] == "holiday"
    assert jan["2026-01-04"]["kind"] == "adjusted_workday"


@pytest.mark.parametrize("year", ["2024", "2025"])
def test_other_loaded_years(api, year):
    r = api.get(f"/v1/calendar/{year}", expect=200)
    assert r.body["year"] == int(year) and r.body["days"]


def test_year_without_data_is_404(api):
    r = api.get("/v1/calendar/2100", expect=404)
    assert r.body["type"] == "urn:jiangxin:problem:not-found"


@pytest.mark.parametrize("year", ["abc", "1899", "3000", "20261", "-1"])
def test_bad_year_is_400(api, year):
    r = api.get(f"/v1/calendar/{year}", expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:invalid-parameter"


def test_reaching_a_year_without_data_is_422(api):
    """Counting past the last loaded year (the shipped ones, plus what the
    suite loaded around today) is refused, naming the year."""
    loaded = {y["year"] for y in api.get("/v1/calendar/years", expect=200).body["items"]}
    last = 2026
    while last + 1 in loaded:
        last += 1
    r = api.get(f"/v1/calendar/workdays?from={last}-12-28&days=5", expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:calendar-unavailable"
    assert r.body["missing_year"] == last + 1


def test_from_in_a_year_without_data_is_422(api):
    r = api.get("/v1/calendar/workdays?from=2100-03-02&days=1", expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:calendar-unavailable"


@pytest.mark.parametrize("query", [
    "from=2026-02-30&days=5", "from=2026-13-01&days=5", "from=abc&days=5",
    "from=20260101&days=5", "from=2026-1-1&days=5", "from=&days=5", "days=5",
    "from=2026-09-29&days=0", "from=2026-09-29&days=251", "from=2026-09-29&days=-1",
    "from=2026-09-29&days=x", "from=2026-09-29&days=5.0", "from=2026-09-29",
    "from=2026-09-29&days=",
])
def test_bad_workdays_parameters_are_400(api, query):
    r = api.get(f"/v1/calendar/workdays?{query}", expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:invalid-parameter"


def test_day_listed_adjusted_workday(api):
    r = api.get("/v1/calendar/days/2026-10-10", expect=200)
    assert r.body["date"] == "2026-10-10"
    assert r.body["is_workday"] is True and r.body["listed"] is True
    assert r.body["name"]
    assert etag_of(r) == f'"{r.body["version"]}"'


def test_day_listed_holiday(api):
    r = api.get("/v1/calendar/days/2026-10-01", expect=200)
    assert r.body["is_workday"] is False and r.body["listed"] is True


@pytest.mark.parametrize("date,workday", [("2026-11-24", True), ("2026-11-28", False)])
def test_day_unlisted_follows_the_weekday_rule(api, date, workday):
    r = api.get(f"/v1/calendar/days/{date}", expect=200)
    assert r.body["is_workday"] is workday and r.body["listed"] is False


def test_day_in_year_without_data_is_422(api):
    r = api.get("/v1/calendar/days/2100-01-04", expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:calendar-unavailable"


@pytest.mark.parametrize("date", ["2026-02-30", "2026-1-1", "today", "2026-10-10x"])
def test_bad_day_is_400(api, date):
    api.get(f"/v1/calendar/days/{date}", expect=400)


def test_put_day_in_year_without_data_is_422(api, admin_token):
    r = api.put("/v1/calendar/days/2100-01-04", token=admin_token, json={"is_workday": False},
                headers={"If-Match": '"0"'}, expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:calendar-unavailable"


@pytest.mark.parametrize("body,status", [
    ({"is_workday": "no"}, 422), ({}, 422), ({"name": "x"}, 422),
    ({"is_workday": False, "colour": "red"}, 400), ({"is_workday": False, "name": 5}, 422),
])
def test_put_day_bad_body(api, admin_token, body, status):
    got = api.get("/v1/calendar/days/2026-10-10", expect=200)
    api.put("/v1/calendar/days/2026-10-10", token=admin_token, json=body,
            headers={"If-Match": etag_of(got)}, expect=status)
    assert api.get("/v1/calendar/days/2026-10-10", expect=200).body == got.body


def test_put_day_changes_workdays_then_back(api, admin_token, admin_me):
    path = "/v1/calendar/days/2026-10-10"
    orig = api.get(path, expect=200)
    original_list = WORKED_EXAMPLES["2026-09-29"]
    r = api.put(path, token=admin_token, json={"is_workday": False, "name": "测试"}, expect=428)
    assert r.body["type"] == "urn:jiangxin:problem:precondition-required"
    api.put(path, token=admin_token, json={"is_workday": False, "name": "测试"},
            headers={"If-Match": '"999999"'}, expect=412)
    assert api.get(path, expect=200).body == orig.body
    rid = "it-calendar-" + support.rand_hex(8)
    try:
        r = api.put(path, token=admin_token, json={"is_workday": False, "name": "测试调整"},
                    headers={"If-Match": etag_of(orig), "X-Request-Id": rid}, expect=200)
        assert r.body["is_workday"] is False and r.body["listed"] is True
        assert r.body["name"] == "测试调整"
        assert r.body["version"] == orig.body["version"] + 1
        assert etag_of(r) == f'"{r.body["version"]}"'
        w = api.get("/v1/calendar/workdays?from=2026-09-29&days=5", expect=200).body
        assert w["workdays"] == ["2026-09-30", "2026-10-08", "2026-10-09", "2026-10-12",
                                 "2026-10-13"]
        year = api.get("/v1/calendar/2026", expect=200).body
        listed = {d["date"]: d for d in year["days"]}
        assert listed["2026-10-10"]["kind"] == "holiday"
        ev = [e for e in support.list_all(api, "/v1/audit?entity_id=2026-10-10", admin_token)
              if e["request_id"] == rid]
        assert len(ev) == 1 and ev[0]["actor_id"] == admin_me["id"]
        assert ev[0]["before"]["is_workday"] is True and ev[0]["after"]["is_workday"] is False
    finally:
        now = api.get(path, expect=200)
        if now.body["is_workday"] != orig.body["is_workday"] or now.body["name"] != orig.body["name"]:
            api.put(path, token=admin_token,
                    json={"is_workday": orig.body["is_workday"], "name": orig.body["name"]},
                    headers={"If-Match": etag_of(now)}, expect=200)
    w = api.get("/v1/calendar/workdays?from=2026-09-29&days=5", expect=200).body
    assert w["workdays"] == original_list
    back = api.get(path, expect=200).body
    assert (back["is_workday"], back["name"], back["listed"]) == \
        (orig.body["is_workday"], orig.body["name"], True)


# ---------------------------------------------------------- calendar load
def _far_year_file(tmp_path, year):
    jan1 = datetime.date(year, 1, 1)
    first_sat = next(jan1 + datetime.timedelta(days=i) for i in range(1, 8)
                     if (jan1 + datetime.timedelta(days=i)).weekday() == 5)
    first_wed = next(first_sat + datetime.timedelta(days=i) for i in range(1, 8)
                     if (first_sat + datetime.timedelta(days=i)).weekday() == 2)
    days = [
        {"name": "元旦", "date": jan1.isoformat(), "isOffDay": True},
        {"name": "测试调休", "date": first_sat.isoformat(), "isOffDay": False},
        {"name": "测试假日", "date": first_wed.isoformat(), "isOffDay": True},
    ]
    path = tmp_path / f"{year}.json"
    path.write_text(json.dumps({"$schema": "https://raw.githubusercontent.com/NateScarlet/"
                                "holiday-cn/master/schema.json",
                                "$id": f"https://raw.githubusercontent.com/NateScarlet/"
                                f"holiday-cn/master/{year}.json",
                                "year": year, "papers": [], "days": days},
                               ensure_ascii=False), encoding="utf-8")
    return path, days


def test_cli_calendar_load_makes_a_new_year_available(api, tmp_path):
    binary = support.need_env("JIANGXIN_TEST_API_BIN")
    path, days = _far_year_file(tmp_path, 2999)
    proc = subprocess.run([binary, "calendar", "load", str(path)], env=support.cli_env(),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"calendar load failed ({proc.returncode}): {proc.stderr}"
    r = api.get("/v1/calendar/2999", expect=200)
    got = {d["date"]: (d["is_workday"], d["name"]) for d in r.body["days"]}
    assert got == {d["date"]: (not d["isOffDay"], d["name"]) for d in days}
    listed = {d["date"]: (not d["isOffDay"], d["name"]) for d in days}
    w = api.get("/v1/calendar/workdays?from=2999-01-01&days=10", expect=200).body
    assert w["workdays"] == reference_workdays("2999-01-01", 10, listed)
    api.get("/v1/calendar/workdays?from=2999-12-20&days=30", expect=422)
    # Loading the same file again is harmless.
    proc = subprocess.run([binary, "calendar", "load", str(path)], env=support.cli_env(),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert api.get("/v1/calendar/2999", expect=200).body["days"] == r.body["days"]


def test_cli_calendar_load_rejects_a_broken_file(api, tmp_path):
    binary = support.need_env("JIANGXIN_TEST_API_BIN")
    bad = tmp_path / "2998.json"
    bad.write_text('{"year": 2998, "days": [{"date": "2998-02-30", "isOffDay": true}]}')
    proc = subprocess.run([binary, "calendar", "load", str(bad)], env=support.cli_env(),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert proc.stderr.strip()
    api.get("/v1/calendar/2998", expect=404)
