# SPDX-License-Identifier: MIT
"""Issue 12, corrections to intake: the employer (用人单位) apart from the
recommending unit, 环翠 第六条 judged on it, the competition channel of 环翠
第十条（二） with its result, and the deeds' bounds ("1000字左右") as a warning
the office may override. Dates come from the services' clock (any day)."""

import types

import pytest

import clock_support
import support
from support import etag_of, pointers


def _env(factory, base="huancui-chief-technician", unit_kind="enterprise"):
    code = factory.programme(base=base)
    office = factory.office(code)
    rnd = factory.round(code, office, phase="accepting")
    unit = factory.user("unit", unit_id=factory.unit(kind=unit_kind)["id"])
    return types.SimpleNamespace(code=code, office=office, round=rnd, unit=unit)


@pytest.fixture(scope="module")
def hc(factory):
    """环翠区首席技师 (enterprise_only, deeds 500..1500), an enterprise recommending."""
    return _env(factory)


def path(env):
    return f"/v1/rounds/{env.round['id']}/nominations"


def count(db_url, env):
    return int(support.psql_scalar(
        db_url, f"SELECT count(*) FROM nominations WHERE round_id = '{env.round['id']}'"))


def move(api, user, nom_id, to, expect=200, **body):
    body["to"] = to
    return api.post(f"/v1/nominations/{nom_id}/transitions", token=user.token, json=body,
                    expect=expect)


def publicised(api, factory, env, **changes):
    """A nomination of env's unit through its publicity (5 working days), approved."""
    n = factory.nomination(env.round["id"], env.unit, **changes)
    return clock_support.publicise(api, env.unit, n["id"], workdays=5)


def checks_of(nom):
    return {c["check"]: c for c in nom["eligibility"]["checks"]}


def patch(api, user, nom, body, expect=200):
    return api.patch(f"/v1/nominations/{nom['id']}", token=user.token, json=body,
                     headers={"If-Match": f'"{nom["version"]}"'}, expect=expect)


# ------------------------------------------------------------- the employer
def test_employer_is_recorded_apart_from_the_unit_and_shown_in_the_checklist(api, factory, hc):
    """The employer (用人单位) is its own record, not the recommending unit;
    the office sees it in the checklist at qualification."""
    employer = factory.employer(name="威海测试精密机械有限公司")
    n = factory.nomination(hc.round["id"], hc.unit, employer=employer)
    assert n["employer"] == employer
    assert n["unit_id"] == hc.unit.unit_id and n["unit_name"] != employer["name"]
    got = api.get(f"/v1/nominations/{n['id']}", token=hc.office.token, expect=200).body
    assert got["employer"] == employer
    c = api.get(f"/v1/nominations/{n['id']}/eligibility", token=hc.office.token,
                expect=200).body
    checks = {x["check"]: x for x in c["checks"]}
    assert checks["employer"]["result"] == "info"
    assert "威海测试精密机械有限公司" in checks["employer"]["detail"]
    assert "企业" in checks["employer"]["detail"]


def test_employer_is_optional_in_a_draft_and_required_before_submission(api, factory, hc):
    """Optional in a draft; submission without it → 422
    required_before_submission at /employer, and the nomination stays as it was."""
    n = factory.nomination(hc.round["id"], hc.unit, employer=None)
    assert n["employer"] is None
    approved = clock_support.publicise(api, hc.unit, n["id"], workdays=5)
    r = move(api, hc.unit, n["id"], "submitted", expect=422)
    assert r.body["code"] == "nomination_incomplete"
    assert any(e["pointer"] == "/employer" and e["code"] == "required_before_submission"
               for e in r.body["errors"])
    after = api.get(f"/v1/nominations/{n['id']}", token=hc.unit.token, expect=200).body
    assert after["state"] == "unit_approved" and after["version"] == approved["version"]
    # Filled in (an edit of an approved nomination is not possible: back to a
    # fresh draft to show the PATCH), it submits.
    d = factory.nomination(hc.round["id"], hc.unit, employer=None)
    employer = factory.employer()
    d2 = patch(api, hc.unit, d, {"employer": employer}).body
    assert d2["employer"] == employer
    d3 = patch(api, hc.unit, d2, {"employer": None}).body
    assert d3["employer"] is None
    d4 = patch(api, hc.unit, d3, {"employer": employer}).body
    clock_support.publicise(api, hc.unit, d4["id"], workdays=5)
    s = move(api, hc.unit, d4["id"], "submitted").body
    assert s["state"] == "submitted" and s["employer"] == employer


# ------------------------------------------------------------- 环翠 第六条
def test_huancui_enterprise_only_is_judged_on_the_employer(api, factory, hc):
    """环翠 第六条 "全区各类所有制经济企业中…的高技能人才": the employer's kind
    decides, whatever the recommending unit is."""
    ok = factory.nomination(hc.round["id"], hc.unit)
    bad = factory.nomination(hc.round["id"], hc.unit, employer=factory.employer(kind="agency"))
    for nom, result, words in ((ok, "pass", "用人单位类型为企业"),
                               (bad, "fail", "用人单位类型为机关")):
        c = api.get(f"/v1/nominations/{nom['id']}/eligibility", token=hc.unit.token,
                    expect=200).body
        check = {x["check"]: x for x in c["checks"]}["enterprise"]
        assert check["result"] == result and check["article"] == "第六条"
        assert check["detail"].startswith(words)


# ------------------------------------------------------------- 环翠 第十条（二）: competition
COMPETITION = {"name": "威海市职业技能大赛（数控车工）", "level": "municipal", "rank": "一等奖"}


def test_competition_winner_recommended_by_a_non_enterprise(api, factory):
    """环翠 第十条（二） "由各企业推荐或从各类职业技能竞赛成绩优异者中推荐": a
    competition winner may be recommended by a body that is not an enterprise
    (here a 街道); 第六条 is judged on the employer, and the checklist shows the
    competition result."""
    env = _env(factory, unit_kind="subdistrict")
    year = clock_support.clock().today().year - 1
    result = dict(COMPETITION, year=year)
    a = publicised(api, factory, env, channel="competition", competition_result=result)
    s = move(api, env.unit, a["id"], "submitted").body
    assert s["channel"] == "competition" and s["competition_result"] == result
    checks = checks_of(s)
    assert checks["enterprise"]["result"] == "pass"
    assert checks["competition"]["result"] == "pass"
    assert "威海市职业技能大赛" in checks["competition"]["detail"]
    assert "一等奖" in checks["competition"]["detail"] and str(year) in checks["competition"]["detail"]
    # A unit's own nomination shows no competition check.
    u = factory.nomination(env.round["id"], env.unit)
    c = api.get(f"/v1/nominations/{u['id']}/eligibility", token=env.unit.token,
                expect=200).body
    assert "competition" not in {x["check"] for x in c["checks"]}


def test_competition_nomination_without_its_result_is_not_submitted(api, factory, hc):
    """环翠 第十条（二）: the competition channel rests on a competition result;
    without one, submission → 422 required_before_submission at
    /competition_result, nothing changed."""
    a = publicised(api, factory, hc, channel="competition")
    r = move(api, hc.unit, a["id"], "submitted", expect=422)
    assert any(e["pointer"] == "/competition_result" and
               e["code"] == "required_before_submission" for e in r.body["errors"])
    after = api.get(f"/v1/nominations/{a['id']}", token=hc.unit.token, expect=200).body
    assert after["state"] == "unit_approved" and after["version"] == a["version"]
    assert after["submitted_at"] is None


# ------------------------------------------------------------- 环翠 第十条（二）: 1000字左右
def test_deeds_outside_the_bounds_are_a_warning_the_office_overrides(api, factory):
    """环翠 第十条（二）2 "1000字左右的事迹材料": "左右" is read as "5人左右" is, so
    deeds outside the policy's 500..1500 are saved and submitted, the
    checklist warns (deeds_length, citing the article), and the office
    qualifies only with an override and its reason, recorded."""
    env = _env(factory)
    short = publicised(api, factory, env, deeds="匠" * 120)
    long_ = publicised(api, factory, env, deeds="匠" * 1800)
    subs = [move(api, env.unit, n["id"], "submitted").body for n in (short, long_)]
    for s, member in zip(subs, ("deeds_min_chars", "deeds_max_chars")):
        d = checks_of(s)["deeds_length"]
        assert d["result"] == "warning" and d["member"] == member
        assert d["article"] == "第十条（二）"
        assert s["eligibility_outcome"] == "warning"
    api.post(f"/v1/rounds/{env.round['id']}/transitions", token=env.office.token,
             json={"to": "qualification"}, expect=200)
    others = [{"check": "age_max", "reason": "测试数据：出生年份为虚构的1900年"},
              {"check": "evidence", "reason": "纸质证明材料已现场核验"}]
    r = move(api, env.office, subs[0]["id"], "qualified", expect=422, overrides=others)
    assert any(e["code"] == "override_required" and "事迹材料字数" in e["detail"]
               for e in r.body["errors"])
    assert api.get(f"/v1/nominations/{subs[0]['id']}", token=env.office.token,
                   expect=200).body["state"] == "submitted"
    reason = "事迹材料简明扼要，经研究予以受理（1000字左右为约数）"
    q = move(api, env.office, subs[0]["id"], "qualified",
             overrides=others + [{"check": "deeds_length", "reason": reason}]).body
    assert q["state"] == "qualified"
    rec = {o["check"]: o for o in q["overrides"]}["deeds_length"]
    assert rec["reason"] == reason and rec["by"] == env.office.username


def test_deeds_over_the_storage_limit_are_refused_and_change_nothing(api, factory, hc, db_url):
    """环翠 第十条（二） sets no hard length; the storage limit (100000 code
    points) is the only refusal, at create and at PATCH."""
    before = count(db_url, hc)
    r = api.post(path(hc), token=hc.unit.token, expect=422,
                 json=factory.nomination_body(deeds="a" * 100001))
    assert [(e["pointer"], e["code"]) for e in r.body["errors"]] == \
        [("/deeds", "deeds_over_storage_limit")]
    assert count(db_url, hc) == before
    n = factory.nomination(hc.round["id"], hc.unit, deeds="a" * 100000)
    assert n["deeds_chars"] == 100000
    r = patch(api, hc.unit, n, {"deeds": "b" * 100001}, expect=422)
    assert r.body["errors"][0]["code"] == "deeds_over_storage_limit"
    after = api.get(f"/v1/nominations/{n['id']}", token=hc.unit.token, expect=200).body
    assert after["version"] == n["version"] and after["deeds"] == "a" * 100000


# ------------------------------------------------------------- every bad input
@pytest.mark.parametrize("case", [
    "bad_check_char", "lower_case_code", "short_code", "unknown_kind", "missing_name",
    "unknown_member", "not_an_object", "competition_bad_level", "competition_missing_rank",
])
def test_bad_employer_or_competition_is_refused_and_changes_nothing(api, factory, hc, db_url,
                                                                      case):
    """Every bad employer or competition result → a problem at its pointer,
    both languages, and no row written (环翠 第六条, 第十条（二））."""
    body = factory.nomination_body()
    e = body["employer"]
    expect, pointer, code = 422, None, None
    if case == "bad_check_char":
        e["code"], pointer, code = support.wrong_check(e["code"]), "/employer/code", \
            "unit_code_check_character"
    elif case == "lower_case_code":
        e["code"] = "91350100m000100y43"
        pointer, code = "/employer/code", "unit_code_lower_case"
    elif case == "short_code":
        e["code"], pointer, code = e["code"][:17], "/employer/code", "unit_code_length"
    elif case == "unknown_kind":
        e["kind"], pointer, code = "family_business", "/employer/kind", "unknown_unit_kind"
    elif case == "missing_name":
        del e["name"]
        pointer = "/employer/name"
    elif case == "unknown_member":
        e["address"], expect, pointer = "威海", 400, "/employer/address"
    elif case == "not_an_object":
        body["employer"], pointer = "威海某公司", "/employer"
    elif case == "competition_bad_level":
        body["channel"] = "competition"
        body["competition_result"] = dict(COMPETITION, level="galactic", year=2020)
        pointer = "/competition_result/level"
    elif case == "competition_missing_rank":
        body["channel"] = "competition"
        body["competition_result"] = {"name": "技能大赛", "level": "district", "year": 2020}
        pointer = "/competition_result/rank"
    before = count(db_url, hc)
    r = api.post(path(hc), token=hc.unit.token, json=body, expect=expect)
    assert pointer in pointers(r.body)
    if code is not None:
        err = [x for x in r.body["errors"] if x["pointer"] == pointer][0]
        assert err["code"] == code
    assert r.body["title"] and r.body["detail"]
    assert count(db_url, hc) == before


def test_bad_employer_in_a_patch_changes_nothing(api, factory, hc):
    """A PATCH with a wrong check character leaves the nomination as it was."""
    n = factory.nomination(hc.round["id"], hc.unit)
    bad = dict(n["employer"], code=support.wrong_check(n["employer"]["code"]))
    r = patch(api, hc.unit, n, {"employer": bad}, expect=422)
    assert "/employer/code" in pointers(r.body)
    after = api.get(f"/v1/nominations/{n['id']}", token=hc.unit.token, expect=200)
    assert after.body["employer"] == n["employer"] and etag_of(after) == f'"{n["version"]}"'
