# SPDX-License-Identifier: MIT
"""Past holders (issue 14): the office imports earlier holders as JSON or
CSV; bad rows are reported by line, all at once, and nothing is imported;
a re-import changes nothing. The repeat rules see every holder of a
programme: 岚山 第六条 "不重复认定" (imported, or recognised through the real
decision path) and 环翠 第十六条（二） (re-apply only after the management
period, on the test clock). ID numbers are synthetic (born 1900)."""

import json
import types

import pytest

import decision_flow as df
import support

LS, HC = "lanshan-craftsman", "huancui-chief-technician"
DOC_2018 = "岚政办发〔2018〕29号"


def path(code):
    return f"/v1/programmes/{code}/past-holders"


def row(**changes):
    r = {"name": "往届工匠", "id_number": support.new_id_number(), "year": 2019,
         "certificate_number": f"LS-2019-{support.rand_hex(6)}", "document_no": DOC_2018,
         "recognized_on": "2019-06-18"}
    r.update(changes)
    return r


def csv_post(api, code, token, text, expect):
    return api.post(path(code), token=token, data=text.encode("utf-8"), expect=expect,
                    headers={"Content-Type": "text/csv; charset=utf-8"})


def listed(api, code, token):
    return support.list_all(api, path(code), token)


def repeat_check(api, nomination_id, token):
    checks = api.get(f"/v1/nominations/{nomination_id}/eligibility", token=token,
                     expect=200).body["checks"]
    return {c["check"]: c for c in checks}["repeat"]


@pytest.fixture(scope="module")
def ls(factory):
    code = factory.programme(base=LS)
    return types.SimpleNamespace(code=code, office=factory.office(code))


# ------------------------------------------------------------------ import
def test_import_json_lists_masked_and_reimport_is_idempotent(api, factory, ls, admin_token,
                                                             db_url):
    rows = [row(), row(name="第二位", recognized_on=None, year=2020)]
    r = api.post(path(ls.code), token=ls.office.token, json={"holders": rows}, expect=200).body
    assert r == {"programme": ls.code, "received": 2, "imported": 2, "unchanged": 0}
    items = {h["certificate_number"]: h for h in listed(api, ls.code, ls.office.token)}
    mine = items[rows[0]["certificate_number"]]
    assert mine["id_number_masked"] == support.mask_id(rows[0]["id_number"])
    assert mine["document_no"] == DOC_2018 and mine["recognized_on"] == "2019-06-18"
    assert mine["imported_by"] == ls.office.username
    assert items[rows[1]["certificate_number"]]["recognized_on"] is None
    text = json.dumps(listed(api, ls.code, admin_token), ensure_ascii=False)
    assert rows[0]["id_number"] not in text and rows[1]["id_number"] not in text
    # The same rows again: nothing new; one with other facts: refused whole.
    again = api.post(path(ls.code), token=ls.office.token, json={"holders": rows},
                     expect=200).body
    assert (again["imported"], again["unchanged"]) == (0, 2)
    fresh = row()
    changed = dict(rows[1], name="别人")
    r = api.post(path(ls.code), token=ls.office.token, json={"holders": [fresh, changed]},
                 expect=422).body
    assert [(e["pointer"], e["code"]) for e in r["errors"]] == [
        ("/holders/1/certificate_number", "certificate_number_taken")]
    numbers = {h["certificate_number"] for h in listed(api, ls.code, ls.office.token)}
    assert fresh["certificate_number"] not in numbers
    # Audited with the ID numbers masked.
    out = support.psql(db_url, "SELECT after::text FROM audit_events WHERE action ="
                       f" 'past_holders.import' AND entity_id = '{ls.code}'").stdout
    assert support.mask_id(rows[0]["id_number"]) in out
    assert rows[0]["id_number"] not in out and rows[1]["id_number"] not in out


def test_import_csv_with_bom_quotes_and_crlf(api, factory):
    code = factory.programme(base=LS)
    office = factory.office(code)
    a, b = support.new_id_number(), support.new_id_number()
    text = ("\ufeffname,id_number,year,certificate_number,document_no,recognized_on\r\n"
            f"张师傅,{a},2018,LS-2018-001,\"{DOC_2018}\",2018-09-01\r\n"
            "\r\n"
            f"\"李,师傅\",{b},2020,LS-2020-001,{DOC_2018},\r\n")
    r = csv_post(api, code, office.token, text, 200).body
    assert (r["received"], r["imported"], r["unchanged"]) == (2, 2, 0)
    items = {h["certificate_number"]: h for h in listed(api, code, office.token)}
    assert items["LS-2020-001"]["name"] == "李,师傅"
    assert items["LS-2020-001"]["recognized_on"] is None
    assert items["LS-2018-001"]["id_number_masked"] == support.mask_id(a)
    assert csv_post(api, code, office.token, text, 200).body["unchanged"] == 2


def test_bad_rows_are_reported_by_line_all_at_once_and_nothing_is_imported(api, factory):
    code = factory.programme(base=LS)
    office = factory.office(code)
    good = support.new_id_number()
    text = ("name,id_number,year,certificate_number,document_no,recognized_on\n"
            f"好,{good},2019,C-1,{DOC_2018},\n"                                       # line 2
            f"坏,{support.wrong_id_check(support.new_id_number())},2019,C-2,{DOC_2018},\n"
            f"坏,{support.new_id_number()},1900,C-3,{DOC_2018},\n"                    # line 4
            f"坏,{support.new_id_number()},2019,C-4,{DOC_2018},2018-02-30\n"          # line 5
            f"坏,{support.new_id_number()},2019,C-1,{DOC_2018},2020-01-01\n"          # line 6
            "only,three,fields\n")                                                  # line 7
    r = csv_post(api, code, office.token, text, 422).body
    assert r["status"] == 422 and r["type"].endswith("validation-failed")
    assert [(e["pointer"], e["code"]) for e in r["errors"]] == [("/lines/7", "csv_line")]
    text = text.rsplit("only,", 1)[0]
    r = csv_post(api, code, office.token, text, 422).body
    assert [(e["pointer"], e["code"]) for e in r["errors"]] == [
        ("/lines/3/id_number", "id_number_check_character"),
        ("/lines/4/year", "out_of_range"),
        ("/lines/5/recognized_on", "not_date"),
        ("/lines/6/recognized_on", "recognized_on_year"),
        ("/lines/6/certificate_number", "duplicate_certificate_number"),
    ]
    assert listed(api, code, office.token) == []
    # JSON: pointers into the body; a bad header; another media type.
    r = api.post(path(code), token=office.token, expect=422, json={"holders": [
        row(), row(name=""), row(year=9000, recognized_on=None)]}).body
    assert [(e["pointer"], e["code"]) for e in r["errors"]] == [
        ("/holders/1/name", "too_short"), ("/holders/2/year", "year_in_future")]
    r = api.post(path(code), token=office.token, expect=400,
                 json={"holders": [dict(row(), phone="1")]}).body
    assert support.pointers(r) == ["/holders/0/phone"]
    r = csv_post(api, code, office.token, "name,id_number\n", 422).body
    assert r["errors"][0]["code"] == "csv_header"
    api.post(path(code), token=office.token, data=b"x", expect=415,
             headers={"Content-Type": "text/plain"})
    assert listed(api, code, office.token) == []


# ---------------------------------------------------------- authorization
PRINCIPALS = ("admin", "office", "office_other", "leader", "unit", "expert", "finance",
              "auditor", "anonymous")
MATRIX = {
    "POST": dict({p: 403 for p in PRINCIPALS}, admin=200, office=200, office_other=404,
                 anonymous=401),
    "GET": dict({p: 403 for p in PRINCIPALS}, admin=200, office=200, auditor=200,
                office_other=404, anonymous=401),
}


@pytest.fixture(scope="module")
def people(factory, ls):
    users = {role: factory.user(role) for role in ("admin", "leader", "unit", "expert",
                                                   "finance", "auditor")}
    users["office"] = ls.office
    users["office_other"] = factory.office(factory.programme(base=LS))
    return users


@pytest.mark.parametrize("method,who,want",
                         [(m, p, w) for m, row_ in MATRIX.items() for p, w in row_.items()])
def test_every_role_on_both_routes(api, ls, people, method, who, want):
    token = None if who == "anonymous" else people[who].token
    if method == "POST":
        body = {"holders": [row(certificate_number=f"R-{who}")]}
        api.post(path(ls.code), token=token, json=body, expect=want)
    else:
        api.get(path(ls.code), token=token, expect=want)


# ------------------------------------------------------------ repeat rules
def test_lanshan_once_sees_an_imported_holder(api, factory):
    """岚山 第六条 不重复认定: a holder under the repealed 2018 办法, imported,
    fails the repeat check; anyone else passes."""
    code = factory.programme(base=LS)
    office = factory.office(code)
    idn = support.new_id_number()
    api.post(path(code), token=office.token, json={"holders": [row(id_number=idn)]},
             expect=200)
    rnd = factory.round(code, office, phase="accepting")
    unit = factory.user("unit")
    n = factory.nomination(rnd["id"], unit, id_number=idn)
    repeat = repeat_check(api, n["id"], unit.token)
    assert (repeat["result"], repeat["article"]) == ("fail", "第六条")
    other = factory.nomination(rnd["id"], unit)
    assert repeat_check(api, other["id"], unit.token)["result"] == "pass"


@pytest.mark.clock("2026-03-10")
def test_lanshan_once_sees_a_real_recognition(api, factory, clock):
    """A person recognised through the real path (decision, notice, its end,
    recognition) fails the repeat check in the programme's next round."""
    w = df.lanshan_deciding(api, factory, 1, awards=1)
    rid = w.round["id"]
    api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token, json=df.meeting(w.ids),
             expect=201)
    df.past_notice(df.publish(api, w))
    api.post(f"/v1/rounds/{rid}/recognitions", token=w.office.token, expect=201)
    idn = api.get(f"/v1/nominations/{w.ids[0]}?reveal=id_number", token=w.office.token,
                  expect=200).body["id_number"]
    clock.set("2027-01-05")
    nxt = factory.round(w.programme, w.office, year=2027, phase="accepting",
                        cycle_override_reason="测试：下一届")
    unit = factory.user("unit")
    n = factory.nomination(nxt["id"], unit, id_number=idn)
    repeat = repeat_check(api, n["id"], unit.token)
    assert (repeat["result"], repeat["article"]) == ("fail", "第六条")


@pytest.mark.clock("2026-03-10")
def test_huancui_reapply_only_after_the_management_period(api, factory, clock):
    """环翠 第十六条（二）: a holder recognised today (imported with its date)
    is held until the end of its 24-month period (第四条, from the month
    after): a nomination this year fails the repeat check; once the clock
    is past the period, a nomination in a new round passes."""
    code = factory.programme(base=HC)
    office = factory.office(code)
    idn = support.new_id_number()
    api.post(path(code), token=office.token, expect=200, json={"holders": [
        row(id_number=idn, year=2026, recognized_on="2026-03-10", document_no="环政字〔2024〕1号",
            certificate_number="HC-2026-001")]})
    unit = factory.user("unit", unit_id=factory.unit()["id"])
    rnd = factory.round(code, office, phase="accepting")
    n = factory.nomination(rnd["id"], unit, id_number=idn, skill_level="technician")
    repeat = repeat_check(api, n["id"], unit.token)
    assert (repeat["result"], repeat["article"]) == ("fail", "第十六条（二）")
    assert "2028-03-31" in repeat["detail"]
    clock.set("2028-05-10")
    later = factory.round(code, office, phase="accepting")
    assert later["reference_date"] > "2028-03-31"
    n = factory.nomination(later["id"], unit, id_number=idn, skill_level="technician")
    repeat = repeat_check(api, n["id"], unit.token)
    assert repeat["result"] == "pass" and "2028-03-31" in repeat["detail"]
