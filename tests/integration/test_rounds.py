# SPDX-License-Identifier: MIT
"""Rounds (批次): opening a round inside the policy's period in force, once a
year and no sooner than the policy's cycle without a recorded reason; the
programme scope of office users; the list; the representation (nomination
counts scoped to a unit user's own unit, working-day figures from the
calendar, allowed transitions); phase transitions with their guard, If-Match
and audit events.

Every test makes its own programme (factory.programme), so its rounds never
meet another test's."""

import uuid

import pytest

import clock_support
import support
from support import etag_of, pointers

# The scenarios use the seed policies in force and the 2026 State Council
# calendar: both clocks are on 2026-11-20 for the whole module.
pytestmark = pytest.mark.clock("2026-11-20")

STATES = ["draft", "unit_publicity", "unit_approved", "submitted", "returned", "qualified",
          "rejected", "disqualified", "withdrawn", "in_review", "shortlisted", "not_shortlisted",
          "selected", "not_selected", "final_notice", "recognized", "objection_upheld"]


def body(year=2026, **changes):
    b = {"year": year, "reference_date": f"{year}-12-31",
         "window_opens": f"{year}-01-05", "window_closes": f"{year}-12-31"}
    b.update(changes)
    return {k: v for k, v in b.items() if v is not None}


def rounds_of(api, token, programme):
    return support.list_all(api, f"/v1/programmes/{programme}/rounds", token)


@pytest.fixture
def prog(factory):
    """A fresh Lanshan-like programme and an office user scoped to it."""
    code = factory.programme()
    return code, factory.office(code)


def create(api, programme, office, b, expect=201, **kw):
    return api.post(f"/v1/programmes/{programme}/rounds", token=office.token, json=b,
                    expect=expect, **kw)


def move(api, office, round_id, to, expect=200, **kw):
    return api.post(f"/v1/rounds/{round_id}/transitions", token=office.token, json={"to": to},
                    expect=expect, **kw)


# ------------------------------------------------------------------ create
def test_create_round_201(api, prog):
    code, office = prog
    r = create(api, code, office, body(2026))
    rd = r.body
    assert r.headers["Location"] == f"/v1/rounds/{rd['id']}"
    assert etag_of(r) == '"1"'
    assert rd["code"] == f"{code}-2026" and rd["programme"] == code and rd["year"] == 2026
    assert rd["phase"] == "preparing" and rd["version"] == 1
    assert rd["reference_date"] == "2026-12-31"
    assert (rd["window_opens"], rd["window_closes"]) == ("2026-01-05", "2026-12-31")
    assert rd["cycle_override_reason"] is None
    assert rd["counts"] == {s: 0 for s in STATES}
    assert rd["allowed_transitions"] == ["accepting"]
    got = api.get(r.headers["Location"], token=office.token, expect=200)
    assert got.body == rd and etag_of(got) == '"1"'
    assert [x["id"] for x in rounds_of(api, office.token, code)] == [rd["id"]]


def test_create_is_idempotent(api, prog):
    code, office = prog
    key = str(uuid.uuid4())
    first = create(api, code, office, body(2026), headers={"Idempotency-Key": key})
    again = create(api, code, office, body(2026), headers={"Idempotency-Key": key})
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.body == first.body and again.headers["Location"] == first.headers["Location"]
    other = create(api, code, office, body(2028), headers={"Idempotency-Key": key}, expect=422)
    assert other.body["type"] == "urn:jiangxin:problem:idempotency-key-reused"
    assert len(rounds_of(api, office.token, code)) == 1


# Each refusal with the pointers it must name and their codes; (base, changes, pointers, codes).
LANSHAN = "lanshan-craftsman"   # in force 2022-03-25 … 2027-03-25 (第十三条)
HUANCUI = "huancui-chief-technician"  # in force 2022-12-01 … 2027-11-30 (第十八条)
SEED_PERIOD = {LANSHAN: ("2022-03-25", "2027-03-25"), HUANCUI: ("2022-12-01", "2027-11-30")}


def seed_programme(factory, base):
    """A programme of our own with the seed document's rules and period in force."""
    start, end = SEED_PERIOD[base]
    return factory.programme(base=base, in_force_from=start, in_force_to=end)



REFUSALS = [
    (LANSHAN, {"reference_date": "2026-02-30"}, ["/reference_date"], ["not_date"]),
    (LANSHAN, {"window_opens": "2026/01/05"}, ["/window_opens"], ["not_date"]),
    (LANSHAN, {"window_closes": "20261231"}, ["/window_closes"], ["not_date"]),
    (LANSHAN, {"window_opens": "2026-1-5"}, ["/window_opens"], ["not_date"]),
    (LANSHAN, {"window_opens": "2026-06-01", "window_closes": "2026-05-31"}, ["/window_closes"],
     ["closes_before_opens"]),
    (LANSHAN, {"year": 2027, "window_opens": "2026-12-01", "window_closes": "2027-01-31"},
     ["/year"], ["year_mismatch"]),
    # Out of range, and no version is in force then: both at once.
    (LANSHAN, {"year": 1999, "window_opens": "1999-03-01", "window_closes": "1999-04-01"},
     ["/year", "/window_opens"], ["out_of_range", "no_policy_in_force"]),
    # Lanshan: the day before it came into force, the day after it lapses.
    (LANSHAN, {"year": 2022, "window_opens": "2022-03-24", "window_closes": "2022-06-30"},
     ["/window_opens"], ["no_policy_in_force"]),
    (LANSHAN, {"year": 2027, "window_opens": "2027-01-04", "window_closes": "2027-03-26"},
     ["/window_closes"], ["window_past_policy_end"]),
    # After it lapses (while it is still in force today): no version then.
    (LANSHAN, {"year": 2028, "window_opens": "2028-01-04", "window_closes": "2028-03-31"},
     ["/window_opens"], ["no_policy_in_force"]),
    # Huancui: its own range.
    (HUANCUI, {"year": 2022, "window_opens": "2022-11-30", "window_closes": "2022-12-31"},
     ["/window_opens"], ["no_policy_in_force"]),
    (HUANCUI, {"year": 2027, "window_opens": "2027-09-01", "window_closes": "2027-12-01"},
     ["/window_closes"], ["window_past_policy_end"]),
]


@pytest.mark.parametrize("base,changes,expected,codes", REFUSALS,
                         ids=[f"{b[:7]}-{'-'.join(c)}-{i}"
                              for i, (b, c, _, _) in enumerate(REFUSALS)])
def test_invalid_round_is_422_and_writes_nothing(api, factory, base, changes, expected, codes):
    code = seed_programme(factory, base)
    office = factory.office(code)
    b = body()
    b.update(changes)
    r = create(api, code, office, b, expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:validation-failed"
    assert sorted(set(pointers(r.body))) == sorted(expected), r.body
    assert [e["code"] for e in r.body["errors"]] == codes, r.body
    assert r.body["code"] == codes[0]
    assert rounds_of(api, office.token, code) == []


@pytest.mark.parametrize("base,b", [
    (LANSHAN, body(2022, window_opens="2022-03-25", window_closes="2022-12-30")),
    (LANSHAN, body(2027, window_opens="2027-01-04", window_closes="2027-03-25")),
    (HUANCUI, body(2022, window_opens="2022-12-01", window_closes="2022-12-30")),
    (HUANCUI, body(2027, window_opens="2027-09-01", window_closes="2027-11-30")),
])
def test_window_on_the_edges_of_the_period_in_force_is_accepted(api, factory, base, b):
    code = seed_programme(factory, base)
    create(api, code, factory.office(code), b)


def test_in_force_period_comes_from_the_programme_policy(api, factory):
    code = factory.programme(in_force_from="2030-01-01", in_force_to="2034-12-31")
    office = factory.office(code)
    r = create(api, code, office, body(2026), expect=422)
    assert pointers(r.body) == ["/window_opens"]
    assert "2030-01-01" in r.body["errors"][0]["detail"]
    assert r.body["errors"][0]["code"] == "no_policy_in_force"
    create(api, code, office, body(2030))


def test_cycle_rule_needs_a_reason_and_stores_it(api, factory):
    code = factory.programme(in_force_to="2040-12-31")  # cycle_years 2 (第二条)
    office = factory.office(code)
    create(api, code, office, body(2026))
    r = create(api, code, office, body(2025), expect=422)
    assert pointers(r.body) == ["/cycle_override_reason"]
    assert r.body["errors"][0]["code"] == "cycle_reason_required"
    assert "2026" in r.body["errors"][0]["detail"]
    r = create(api, code, office, body(2027), expect=422)
    assert pointers(r.body) == ["/cycle_override_reason"]
    assert len(rounds_of(api, office.token, code)) == 1
    # Two years apart needs none.
    create(api, code, office, body(2024))
    # With a reason the close round is accepted and the reason kept.
    reason = "上一批次认定人数不足，经区政府同意增设批次"
    r = create(api, code, office, body(2027, cycle_override_reason=reason))
    assert r.body["cycle_override_reason"] == reason
    assert api.get(r.headers["Location"], token=office.token,
                   expect=200).body["cycle_override_reason"] == reason
    # 2029 is two years after 2027: a reason is not needed, so it is refused.
    r = create(api, code, office, body(2029, cycle_override_reason="不需要"), expect=422)
    assert pointers(r.body) == ["/cycle_override_reason"]
    assert r.body["errors"][0]["code"] == "cycle_reason_not_allowed"
    assert sorted(x["year"] for x in rounds_of(api, office.token, code)) == [2024, 2026, 2027]


def test_cycle_of_the_programme_policy_is_used(api, factory):
    code = factory.programme(in_force_to="2040-12-31", cycle_years=3)
    office = factory.office(code)
    create(api, code, office, body(2026))
    r = create(api, code, office, body(2028), expect=422)
    assert pointers(r.body) == ["/cycle_override_reason"]
    create(api, code, office, body(2029))


def test_same_year_twice_is_409(api, prog):
    code, office = prog
    create(api, code, office, body(2026))
    r = create(api, code, office, body(2026, window_opens="2026-03-02"), expect=409)
    assert r.body["type"] == "urn:jiangxin:problem:conflict"
    assert r.body["code"] == "round_year_taken"
    # Also with a reason: the year is taken, whatever the cycle.
    r = create(api, code, office, body(2026, cycle_override_reason="再来一次"), expect=409)
    assert r.body["code"] == "round_year_taken"
    assert len(rounds_of(api, office.token, code)) == 1


def test_unknown_field_is_400(api, prog):
    code, office = prog
    r = create(api, code, office, body(2026, phase="accepting"), expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:unknown-field"
    assert pointers(r.body) == ["/phase"]
    assert rounds_of(api, office.token, code) == []


MISSING = object()


@pytest.mark.parametrize("changes,pointer", [
    ({"year": "2026"}, "/year"),
    ({"year": 2026.0}, "/year"),
    ({"year": None}, "/year"),
    ({"year": True}, "/year"),
    ({"year": MISSING}, "/year"),
    ({"reference_date": 20261231}, "/reference_date"),
    ({"reference_date": MISSING}, "/reference_date"),
    ({"window_opens": ["2026-01-05"]}, "/window_opens"),
    ({"window_closes": None}, "/window_closes"),
    ({"cycle_override_reason": ""}, "/cycle_override_reason"),
    ({"cycle_override_reason": "理" * 501}, "/cycle_override_reason"),
    ({"cycle_override_reason": 7}, "/cycle_override_reason"),
    ({"cycle_override_reason": None}, "/cycle_override_reason"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_wrong_types_and_missing_members_are_422(api, prog, changes, pointer):
    code, office = prog
    b = body(2026)
    b.update(changes)
    b = {k: v for k, v in b.items() if v is not MISSING}
    r = create(api, code, office, b, expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:validation-failed"
    assert pointer in pointers(r.body)
    assert rounds_of(api, office.token, code) == []


def test_several_errors_in_one_body_are_one_422(api, prog):
    # Wrong types (json_fields) and bad values in one answer.
    code, office = prog
    r = create(api, code, office, {"year": "2026", "reference_date": "2026-02-30",
                                   "window_opens": "2026-06-01", "window_closes": "2026-05-31"},
                expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:validation-failed"
    assert pointers(r.body) == ["/year", "/reference_date", "/window_closes"], r.body
    assert [e["code"] for e in r.body["errors"][1:]] == ["not_date",
                                                         "closes_before_opens"]
    assert rounds_of(api, office.token, code) == []


def test_value_pinned_version_and_cycle_faults_are_one_422(api, factory):
    # A bad date, a window past the pinned version's end and a missing
    # cycle reason: all three at once.
    code = factory.programme(in_force_to="2040-12-31")  # cycle_years 2
    office = factory.office(code)
    create(api, code, office, body(2026))
    b = body(2027, reference_date="2027-02-30", window_closes="2041-01-04")
    r = create(api, code, office, b, expect=422)
    assert pointers(r.body) == ["/reference_date", "/window_closes", "/cycle_override_reason"]
    assert [e["code"] for e in r.body["errors"]] == ["not_date", "window_past_policy_end",
                                                     "cycle_reason_required"]
    assert len(rounds_of(api, office.token, code)) == 1


def test_unknown_members_come_before_bad_values(api, prog):
    code, office = prog
    r = create(api, code, office, body(2026, phase="accepting", reference_date="2026-02-30"),
               expect=400)
    assert pointers(r.body) == ["/phase"]


def test_a_body_with_faults_is_422_before_the_taken_year(api, prog):
    code, office = prog
    create(api, code, office, body(2026))
    r = create(api, code, office, body(2026, reference_date="2026-02-30"), expect=422)
    assert pointers(r.body) == ["/reference_date"]


def test_details_are_chinese_by_default_and_english_on_request(api, factory):
    code = factory.programme(in_force_to="2040-12-31")  # cycle_years 2 (第二条)
    office = factory.office(code)
    create(api, code, office, body(2026))
    en_header = {"Accept-Language": "en"}
    zh = create(api, code, office, body(2027), expect=422).body
    en = create(api, code, office, body(2027), expect=422, headers=en_header).body
    assert (zh["title"], en["title"]) == ("数据校验未通过", "Validation failed")
    assert zh["code"] == en["code"] == "cycle_reason_required"
    assert zh["errors"][0]["code"] == en["errors"][0]["code"] == "cycle_reason_required"
    assert "2026" in zh["errors"][0]["detail"] and "须说明理由" in zh["errors"][0]["detail"]
    assert en["errors"][0]["detail"].startswith(
        "required: the 2026 round is less than 2 years away (cycle_years")
    zh = create(api, code, office, body(2026), expect=409).body
    en = create(api, code, office, body(2026), expect=409, headers=en_header).body
    assert zh["code"] == en["code"] == "round_year_taken"
    assert zh["detail"] == f"项目 {code} 已有 2026 年度的批次"
    assert en["detail"] == f"programme {code} already has a round for 2026"


# ------------------------------------------------------------ scope, roles
def test_office_out_of_scope_gets_404(api, factory):
    code = factory.programme()
    mine = factory.office(code)
    other = factory.office(factory.programme())
    r = create(api, code, other, body(2026), expect=404)
    assert r.body["type"] == "urn:jiangxin:problem:not-found"
    api.get(f"/v1/programmes/{code}/rounds", token=other.token, expect=404)
    rd = create(api, code, mine, body(2026)).body
    api.get(f"/v1/rounds/{rd['id']}", token=other.token, expect=404)
    move(api, other, rd["id"], "accepting", expect=404)
    assert api.get(f"/v1/rounds/{rd['id']}", token=mine.token, expect=200).body["version"] == 1
    assert len(rounds_of(api, mine.token, code)) == 1


def test_unknown_programme_is_404(api, factory):
    office = factory.user("office")
    create(api, "no-such-programme", office, body(2026), expect=404)
    api.get("/v1/programmes/no-such-programme/rounds", token=office.token, expect=404)


@pytest.mark.parametrize("role", ["admin", "unit", "expert", "leader", "finance", "auditor",
                                  "service"])
def test_other_roles_cannot_create(api, factory, prog, role):
    code, office = prog
    who = factory.user(role, programmes=[code] if role == "office" else None)
    r = create(api, code, who, body(2026), expect=403)
    assert r.body["type"] == "urn:jiangxin:problem:forbidden"
    assert rounds_of(api, office.token, code) == []


def test_anonymous_cannot_create_or_read(api, prog):
    code, office = prog
    api.post(f"/v1/programmes/{code}/rounds", json=body(2026), expect=401)
    api.get(f"/v1/programmes/{code}/rounds", expect=401)
    rd = create(api, code, office, body(2026)).body
    api.get(f"/v1/rounds/{rd['id']}", expect=401)
    api.post(f"/v1/rounds/{rd['id']}/transitions", json={"to": "accepting"}, expect=401)


@pytest.mark.parametrize("role", ["expert", "finance", "service"])
def test_roles_without_access_cannot_read(api, factory, prog, role):
    code, office = prog
    rd = create(api, code, office, body(2026)).body
    who = factory.user(role)
    api.get(f"/v1/programmes/{code}/rounds", token=who.token, expect=403)
    api.get(f"/v1/rounds/{rd['id']}", token=who.token, expect=403)


# The leader (issue 12) reads the rounds of its programmes: all without any.
@pytest.mark.parametrize("role", ["admin", "unit", "auditor", "leader"])
def test_readers_see_rounds_but_cannot_move_them(api, factory, prog, role):
    code, office = prog
    rd = create(api, code, office, body(2026)).body
    who = factory.user(role)
    assert [x["id"] for x in rounds_of(api, who.token, code)] == [rd["id"]]
    got = api.get(f"/v1/rounds/{rd['id']}", token=who.token, expect=200).body
    assert got["allowed_transitions"] == []
    move(api, who, rd["id"], "accepting", expect=403)


def test_bad_round_ids(api, prog):
    code, office = prog
    r = api.get("/v1/rounds/not-a-uuid", token=office.token, expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:invalid-parameter"
    api.get(f"/v1/rounds/{uuid.uuid4()}", token=office.token, expect=404)
    move(api, office, str(uuid.uuid4()), "accepting", expect=404)


# -------------------------------------------------------------------- list
def test_list_newest_first_with_cursor_pages(api, factory):
    code = factory.programme(in_force_to="2040-12-31")
    office = factory.office(code)
    for year in (2026, 2032, 2028, 2030):
        create(api, code, office, body(year))
    first = api.get(f"/v1/programmes/{code}/rounds?limit=2", token=office.token, expect=200)
    assert [x["year"] for x in first.body["items"]] == [2032, 2030]
    assert first.body["next_cursor"]
    assert 'rel="next"' in first.headers["Link"]
    second = api.get(f"/v1/programmes/{code}/rounds?limit=2&cursor={first.body['next_cursor']}",
                     token=office.token, expect=200)
    assert [x["year"] for x in second.body["items"]] == [2028, 2026]
    assert second.body["next_cursor"] is None
    assert "Link" not in second.headers
    assert all(set(x) == set(first.body["items"][0]) for x in second.body["items"])
    assert "counts" not in first.body["items"][0]


def test_list_other_programme_is_not_mixed_in(api, factory):
    a, b = factory.programme(), factory.programme()
    oa, ob = factory.office(a), factory.office(b)
    create(api, a, oa, body(2026))
    create(api, b, ob, body(2026))
    assert [x["programme"] for x in rounds_of(api, oa.token, a)] == [a]


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "cursor=zz", "cursor=616263"])
def test_list_bad_parameters_are_400(api, prog, query):
    code, office = prog
    r = api.get(f"/v1/programmes/{code}/rounds?{query}", token=office.token, expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:invalid-parameter"


# ------------------------------------------------------------ dates, counts
def test_latest_publicity_start_across_national_day_2026(api, prog):
    # Lanshan: unit publicity of at least 3 working days (第五条（一）); the
    # count starts on the first working day after the start (民法典 第二百零一条).
    # db/seed/holiday-cn/2026.json: 09-25 (Fri, 中秋) and 10-01…10-07 are off,
    # 09-20 (Sun) and 10-10 (Sat) are adjusted working days. The last working
    # days on or before Fri 10-09 are 10-09, 10-08 (Thu), then 09-30 (Wed):
    # starting on Tue 09-29 the publicity runs 09-30, 10-08, 10-09 and ends in
    # time; starting on 09-30 it would run 10-08, 10-09, 10-10 (the adjusted
    # Saturday) and end after the window. So the latest start is 2026-09-29.
    # Working days in 09-01…10-09: September has 22 weekdays, +1 for 09-20,
    # −1 for 09-25 → 22; October adds 10-08 and 10-09 → 24.
    code, office = prog
    rd = create(api, code, office, body(2026, window_opens="2026-09-01",
                                        window_closes="2026-10-09")).body
    got = api.get(f"/v1/rounds/{rd['id']}", token=office.token, expect=200).body
    assert got["dates"] == {"window_workdays": 24, "publicity_workdays": 3,
                            "latest_publicity_start": "2026-09-29",
                            "calendar_missing_year": None}
    # Cross-check with the calendar endpoint: 3 working days after the start.
    w = api.get("/v1/calendar/workdays?from=2026-09-29&days=3", expect=200).body
    assert w["end_date"] == "2026-10-09"
    w = api.get("/v1/calendar/workdays?from=2026-09-30&days=3", expect=200).body
    assert w["end_date"] > "2026-10-09"


def test_publicity_length_comes_from_the_policy(api, factory):
    # 5 working days back from 10-09: 10-09, 10-08, 09-30, 09-29, 09-28 (Mon),
    # so the latest start is Sun 09-27 (the publication day itself never counts
    # and may be a day off).
    code = factory.programme(unit_publicity_min_workdays=5)
    office = factory.office(code)
    rd = create(api, code, office, body(2026, window_opens="2026-09-01",
                                        window_closes="2026-10-09")).body
    assert rd["dates"]["publicity_workdays"] == 5
    assert rd["dates"]["latest_publicity_start"] == "2026-09-27"


def test_publicity_length_defaults_to_three_when_the_policy_fixes_none(api, factory):
    # Huancui's policy has unit_publicity_min_workdays null (第十条（二） fixes no length).
    code = factory.programme(base=HUANCUI)
    office = factory.office(code)
    rd = create(api, code, office, body(2026, window_opens="2026-09-01",
                                        window_closes="2026-10-09")).body
    assert rd["dates"]["publicity_workdays"] == 3
    assert rd["dates"]["latest_publicity_start"] == "2026-09-29"


def test_year_without_calendar_data_gives_null_not_a_guess(api, factory):
    code = factory.programme(in_force_to="2040-12-31")
    office = factory.office(code)
    rd = create(api, code, office, body(2035, window_opens="2035-03-01",
                                        window_closes="2035-06-30")).body
    assert rd["dates"] == {"window_workdays": None, "publicity_workdays": 3,
                           "latest_publicity_start": None, "calendar_missing_year": 2035}


def _seed_nomination(db_url, round_id, unit_id, state):
    """A nomination row written straight into the database, so the round's
    counts and guard are tested apart from the nominations endpoints. The
    sealed values are placeholders (never decrypted here) and the person is
    synthetic (born 1900)."""
    submitted = state not in ("draft", "unit_publicity", "unit_approved", "withdrawn")
    submitted_at = "now()" if submitted else "NULL"
    eligibility = "'{}'" if submitted else "NULL"
    comment = "'请补充证明材料'" if state == "returned" else "NULL"
    masked = "370" + "*" * 11 + "1234"
    sql = f"""
        INSERT INTO nominations (round_id, unit_id, state, name, id_number_sealed, id_number_hash,
                                 id_number_masked, gender, birth_date, age, phone_sealed,
                                 phone_masked, occupation, skill_level, front_line, post,
                                 submitted_at, eligibility, return_comment)
        VALUES ('{round_id}', '{unit_id}', '{state}', '测试', decode(repeat('00', 48), 'hex'),
                md5(random()::text) || md5(random()::text), '{masked}', 'male',
                '1900-01-01', 126, decode(repeat('00', 48), 'hex'), '139****0000', '车工',
                'technician', true, '一线', {submitted_at}, {eligibility}, {comment})
        RETURNING id"""
    return support.psql_scalar(db_url, sql).splitlines()[0]


def test_counts_per_state_and_only_a_units_own(api, factory, prog, db_url):
    code, office = prog
    rd = create(api, code, office, body(2026)).body
    ua, ub = factory.user("unit"), factory.user("unit")
    for unit, state in [(ua, "draft"), (ua, "submitted"), (ub, "submitted"), (ub, "returned"),
                        (ub, "returned")]:
        _seed_nomination(db_url, rd["id"], unit.unit_id, state)

    def counts(token):
        c = api.get(f"/v1/rounds/{rd['id']}", token=token, expect=200).body["counts"]
        assert set(c) == set(STATES)
        return {k: v for k, v in c.items() if v}

    everyone = {"draft": 1, "submitted": 2, "returned": 2}
    assert counts(office.token) == everyone
    assert counts(factory.user("auditor").token) == everyone
    assert counts(ua.token) == {"draft": 1, "submitted": 1}
    assert counts(ub.token) == {"submitted": 1, "returned": 2}
    assert counts(factory.user("unit").token) == {}


# ------------------------------------------------------------- transitions
def test_legal_chain_preparing_to_review(api, prog):
    code, office = prog
    rd = create(api, code, office, body(2026)).body
    for version, (to, nxt) in enumerate([("accepting", ["qualification"]),
                                          ("qualification", ["review"]),
                                          ("review", [])], start=2):
        r = move(api, office, rd["id"], to)
        assert r.body["phase"] == to and r.body["version"] == version
        assert etag_of(r) == f'"{version}"'
        assert r.body["allowed_transitions"] == nxt
        assert set(r.body) >= {"counts", "dates"}
        assert api.get(f"/v1/rounds/{rd['id']}", token=office.token, expect=200).body == r.body


@pytest.mark.parametrize("path,to", [
    ([], "review"),                            # skipping phases
    ([], "qualification"),
    ([], "preparing"),                         # to the same phase
    (["accepting"], "preparing"),              # backwards
    (["accepting", "qualification"], "accepting"),
    (["accepting", "qualification", "review"], "voting"),  # the freeze takes it, no role
    (["accepting", "qualification", "review"], "qualification"),
])
def test_illegal_moves_are_409_with_current_phase(api, prog, path, to):
    code, office = prog
    rd = create(api, code, office, body(2026)).body
    for step in path:
        rd = move(api, office, rd["id"], step).body
    r = move(api, office, rd["id"], to, expect=409)
    assert r.body["type"] == "urn:jiangxin:problem:conflict"
    assert r.body["code"] == "round_move_not_allowed"
    assert r.body["current_phase"] == rd["phase"]
    assert rd["phase"] in r.body["detail"]
    for target in rd["allowed_transitions"]:
        assert target in r.body["detail"]
    en = move(api, office, rd["id"], to, expect=409, headers={"Accept-Language": "en"}).body
    assert en["code"] == "round_move_not_allowed"
    assert f"the round is in phase {rd['phase']}" in en["detail"]
    for target in rd["allowed_transitions"] or ["none"]:
        assert target in en["detail"]
    got = api.get(f"/v1/rounds/{rd['id']}", token=office.token, expect=200).body
    assert (got["phase"], got["version"]) == (rd["phase"], rd["version"])


@pytest.mark.parametrize("b,status,pointer", [
    ({"to": "closed"}, 422, "/to"),
    ({"to": 1}, 422, "/to"),
    ({}, 422, "/to"),
    ({"to": "accepting", "note": "x"}, 400, "/note"),
])
def test_bad_transition_bodies(api, prog, b, status, pointer):
    code, office = prog
    rd = create(api, code, office, body(2026)).body
    r = api.post(f"/v1/rounds/{rd['id']}/transitions", token=office.token, json=b, expect=status)
    assert pointer in pointers(r.body)
    if b.get("to") == "closed":
        assert r.body["errors"][0]["code"] == "unknown_round_phase"
    assert api.get(f"/v1/rounds/{rd['id']}", token=office.token, expect=200).body["version"] == 1


def test_if_match_is_checked_when_sent(api, prog):
    code, office = prog
    rd = create(api, code, office, body(2026)).body
    r = move(api, office, rd["id"], "accepting", expect=412, headers={"If-Match": '"7"'})
    assert r.body["type"] == "urn:jiangxin:problem:precondition-failed"
    assert r.body["code"] == "stale_etag"
    move(api, office, rd["id"], "accepting", expect=412, headers={"If-Match": "garbage"})
    r = move(api, office, rd["id"], "accepting", headers={"If-Match": '"1"'})
    assert r.body["version"] == 2
    # The old ETag is stale now.
    move(api, office, rd["id"], "qualification", expect=412, headers={"If-Match": '"1"'})
    assert api.get(f"/v1/rounds/{rd['id']}", token=office.token, expect=200).body["phase"] == \
        "accepting"


def test_review_waits_for_submitted_and_returned_nominations(api, factory, prog, db_url):
    code, office = prog
    rd = factory.round(code, office, phase="qualification")
    unit = factory.user("unit")
    nid = _seed_nomination(db_url, rd["id"], unit.unit_id, "submitted")
    _seed_nomination(db_url, rd["id"], unit.unit_id, "returned")
    _seed_nomination(db_url, rd["id"], unit.unit_id, "draft")  # not waiting on the office
    got = api.get(f"/v1/rounds/{rd['id']}", token=office.token, expect=200).body
    assert got["allowed_transitions"] == []
    r = move(api, office, rd["id"], "review", expect=409)
    assert r.body["current_phase"] == "qualification"
    assert r.body["code"] == "nominations_awaiting_answer"
    assert "2 份" in r.body["detail"]
    support.psql(db_url, f"UPDATE nominations SET state = 'withdrawn' WHERE id = '{nid}'")
    r = move(api, office, rd["id"], "review", expect=409, headers={"Accept-Language": "en"})
    assert "1 nomination" in r.body["detail"]
    support.psql(db_url, f"UPDATE nominations SET state = 'withdrawn'"
                         f" WHERE round_id = '{rd['id']}' AND state = 'returned'")
    got = api.get(f"/v1/rounds/{rd['id']}", token=office.token, expect=200).body
    assert got["allowed_transitions"] == ["review"]
    assert move(api, office, rd["id"], "review").body["phase"] == "review"


def test_review_guard_through_the_nominations_api(api, factory, prog):
    # The same guard end to end, through the nominations endpoints.
    code, office = prog
    rd = factory.round(code, office, phase="accepting")
    unit = factory.user("unit")
    n = factory.nomination(rd["id"], unit)
    clock_support.publicise(api, unit, n["id"])
    api.post(f"/v1/nominations/{n['id']}/transitions", token=unit.token,
             json={"to": "submitted"}, expect=200)
    move(api, office, rd["id"], "qualification")
    r = move(api, office, rd["id"], "review", expect=409, headers={"Accept-Language": "en"})
    assert r.body["current_phase"] == "qualification" and "1 nomination" in r.body["detail"]
    assert r.body["code"] == "nominations_awaiting_answer"
    api.post(f"/v1/nominations/{n['id']}/transitions", token=office.token,
             json={"to": "rejected", "note": "测试：不符合条件"}, expect=200)
    assert move(api, office, rd["id"], "review").body["phase"] == "review"


def test_audit_events_for_create_and_transition(api, prog, admin_token):
    code, office = prog
    rd = create(api, code, office, body(2026)).body
    move(api, office, rd["id"], "accepting")
    events = support.list_all(api, f"/v1/audit?entity_type=round&entity_id={rd['id']}",
                              admin_token)
    by_action = {}
    for e in events:
        by_action.setdefault(e["action"], []).append(e)
    assert set(by_action) == {"round.create", "round.transition"}
    created, = by_action["round.create"]
    assert created["before"] is None and created["after"]["code"] == f"{code}-2026"
    assert created["actor"] == office.username and created["role"] == "office"
    moved, = by_action["round.transition"]
    assert moved["before"]["phase"] == "preparing" and moved["after"]["phase"] == "accepting"
    assert (moved["before"]["version"], moved["after"]["version"]) == (1, 2)
    # A refused move writes nothing.
    move(api, office, rd["id"], "review", expect=409)
    again = support.list_all(api, f"/v1/audit?entity_type=round&entity_id={rd['id']}",
                             admin_token)
    assert len(again) == len(events)
