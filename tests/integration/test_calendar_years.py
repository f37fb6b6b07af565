# SPDX-License-Identifier: MIT
"""Whole calendar years over HTTP: GET /v1/calendar/years and PUT
/v1/calendar/years/{year} in the holiday-cn format (admin, audited,
validated entry by entry, one transaction), and the refusal a rule gives
for a year without data. Years far in the future (29xx) are this file's
own: nothing else in the suite uses them."""

import json
import os
import pathlib

import pytest

import support


def year_doc(year, days=None, **extra):
    doc = {"year": year, "days": days if days is not None else [
        {"name": "元旦（合成）", "date": f"{year}-01-01", "isOffDay": True},
        {"name": "国庆节（合成）", "date": f"{year}-10-01", "isOffDay": True},
        {"name": "国庆节（合成）", "date": f"{year}-10-02", "isOffDay": True},
        {"name": "调休（合成）", "date": f"{year}-10-09", "isOffDay": False},
    ]}
    doc.update(extra)
    return doc


def years(api):
    return {y["year"]: y for y in api.get("/v1/calendar/years", expect=200).body["items"]}


def put(api, token, year, doc, **kw):
    return api.put(f"/v1/calendar/years/{year}", token=token, json=doc, **kw)


def test_list_shows_the_shipped_years_with_their_source(api):
    listed = years(api)
    for y in range(2020, 2027):
        assert listed[y]["source"] == f"holiday-cn:{y}"
        assert listed[y]["listed_days"] > 20
        assert listed[y]["version"] >= 1 and listed[y]["loaded_at"].endswith("+08:00")


def test_load_a_new_year_then_replace_it(api, admin_token):
    year = 2981
    r = put(api, admin_token, year, year_doc(year, source="测试来源"), expect=201)
    assert r.headers["ETag"] == '"1"'
    assert r.body["year"] == year and r.body["source"] == "测试来源"
    assert [d["date"] for d in r.body["days"]] == [f"{year}-01-01", f"{year}-10-01",
                                                   f"{year}-10-02", f"{year}-10-09"]
    assert years(api)[year]["listed_days"] == 4
    # 1 January is off, 9 October (a Saturday here or not) is a working day.
    assert api.get(f"/v1/calendar/days/{year}-01-01", expect=200).body["is_workday"] is False
    assert api.get(f"/v1/calendar/days/{year}-10-09", expect=200).body["is_workday"] is True
    # Replacing needs If-Match with the year's version.
    new = year_doc(year, days=[{"name": "春节（合成）", "date": f"{year}-02-01", "isOffDay": True}])
    r = put(api, admin_token, year, new, expect=428)
    assert '"1"' in r.body["detail"]
    put(api, admin_token, year, new, headers={"If-Match": '"7"'}, expect=412)
    r = put(api, admin_token, year, new, headers={"If-Match": '"1"'}, expect=200)
    assert r.headers["ETag"] == '"2"'
    assert [d["date"] for d in r.body["days"]] == [f"{year}-02-01"]
    assert r.body["source"].startswith("api:")
    # The old listed days are gone: 1 January follows the weekday rule again.
    d = api.get(f"/v1/calendar/days/{year}-01-01", expect=200).body
    assert d["listed"] is False
    assert years(api)[year]["version"] == 2


def test_a_holiday_cn_file_as_published_is_accepted(api, admin_token, tmp_path):
    """The upstream file's own members ($schema, $id, papers) are allowed."""
    repo = pathlib.Path(os.environ.get("JIANGXIN_TEST_REPO")
                        or pathlib.Path(__file__).resolve().parents[2])
    doc = json.loads((repo / "db/seed/holiday-cn/2026.json").read_text(encoding="utf-8"))
    year = 2982
    doc["year"] = year
    for d in doc["days"]:
        d["date"] = str(year) + d["date"][4:]
    r = put(api, admin_token, year, doc, expect=201)
    assert len(r.body["days"]) == len(doc["days"])


def test_audited(api, admin_token):
    year = 2983
    put(api, admin_token, year, year_doc(year), expect=201)
    put(api, admin_token, year, year_doc(year), headers={"If-Match": '"1"'}, expect=200)
    events = api.get(f"/v1/audit?entity_type=calendar_year&entity_id={year}",
                     token=admin_token, expect=200).body["items"][::-1]  # oldest first
    actions = [e["action"] for e in events]
    assert actions == ["calendar.year_load", "calendar.year_replace"]
    assert events[0]["before"] is None and events[0]["after"]["year"] == year
    assert events[1]["before"]["version"] == 1 and events[1]["after"]["version"] == 2


@pytest.mark.parametrize("doc,pointers", [
    (dict(year_doc(2984), year=2985), ["/year"]),
    (year_doc(2984, days=[]), ["/days"]),
    (year_doc(2984, days=[{"name": "x", "date": "2983-12-31", "isOffDay": True}]),
     ["/days/0/date"]),
    (year_doc(2984, days=[{"name": "x", "date": "2984-02-30", "isOffDay": True}]),
     ["/days/0/date"]),
    (year_doc(2984, days=[{"name": "a", "date": "2984-05-01", "isOffDay": True},
                          {"name": "b", "date": "2984-05-01", "isOffDay": True}]),
     ["/days/1/date"]),
    (year_doc(2984, days=[{"name": "", "date": "2984-05-01", "isOffDay": True}]),
     ["/days/0/name"]),
    (year_doc(2984, days=[{"date": "2984-05-01", "isOffDay": True}]), ["/days/0/name"]),
    (year_doc(2984, days=[{"name": "a", "date": "2984-05-01", "isOffDay": "yes"}]),
     ["/days/0/isOffDay"]),
    (year_doc(2984, days=[{"name": "a", "date": "2984-05-01", "isOffDay": True},
                          {"name": "b", "date": "2985-05-01", "isOffDay": True},
                          {"name": "c", "date": "2984-05-01", "isOffDay": True}]),
     ["/days/1/date", "/days/2/date"]),
])
def test_every_entry_is_checked_and_nothing_changes(api, admin_token, doc, pointers):
    r = put(api, admin_token, 2984, doc, expect=422)
    assert support.pointers(r.body) == pointers
    assert 2984 not in years(api)


def test_bad_requests(api, admin_token):
    put(api, admin_token, 2986, dict(year_doc(2986), holidays=[]), expect=400)
    put(api, admin_token, 2986,
        year_doc(2986, days=[{"name": "a", "date": "2986-05-01", "isOffDay": True, "x": 1}]),
        expect=400)
    for bad in ("1899", "3000", "20x6", "-1"):
        put(api, admin_token, bad, year_doc(2986), expect=400)
    api.put("/v1/calendar/years/2986", token=admin_token, data="{", expect=400,
            headers={"Content-Type": "application/json"})
    api.put("/v1/calendar/years/2986", token=admin_token, data="year=2986", expect=415,
            headers={"Content-Type": "text/plain"})
    assert 2986 not in years(api)


@pytest.mark.parametrize("role", ["office", "unit", "expert", "leader", "finance", "auditor",
                                  "service"])
def test_only_admins_load_years(api, factory, role):
    user = factory.user(role)
    put(api, user.token, 2987, year_doc(2987), expect=403)
    api.get("/v1/calendar/years", token=user.token, expect=200)


def test_anonymous_may_read_but_not_load(api):
    api.get("/v1/calendar/years", expect=200)
    api.put("/v1/calendar/years/2987", json=year_doc(2987), expect=401)


def test_a_missing_year_is_refused_and_named(api, admin_token):
    """A count that needs a year without data is refused, never guessed: the
    problem names the year and how to load it, and loading it makes the same
    request work."""
    year = 2988
    r = api.get(f"/v1/calendar/workdays?from={year}-12-30&days=3", expect=422)
    assert r.body["missing_year"] == year
    assert f"PUT /v1/calendar/years/{year}" in r.body["detail"]
    put(api, admin_token, year, year_doc(year), expect=201)
    r = api.get(f"/v1/calendar/workdays?from={year}-12-30&days=3", expect=422)
    assert r.body["missing_year"] == year + 1
    put(api, admin_token, year + 1, year_doc(year + 1), expect=201)
    r = api.get(f"/v1/calendar/workdays?from={year}-12-30&days=3", expect=200).body
    assert r["end_date"].startswith(f"{year + 1}-01-")
