# SPDX-License-Identifier: MIT
"""Intake rules that read the clock, with every date computed from the
services' today (no fixed date): the application window (nominations are
filed and submitted only inside it; a nomination returned for correction
may come back after it), the end of a unit publicity (24:00 of its last
working day), and the fraud bar of 环翠 第十条（三） (a disqualified person
cannot come back in the round; a withdrawn one frees the place)."""

import datetime

import pytest

import clock_support
import support

DAY = 86400


def d(x):
    return x.isoformat()


def move(api, user, nom_id, to, expect=200, **body):
    body["to"] = to
    return api.post(f"/v1/nominations/{nom_id}/transitions", token=user.token, json=body,
                    expect=expect)


def no_publicity_programme(factory):
    """环翠's rules without the unit publicity step: a draft goes straight to
    the office, so these cases need no calendar."""
    return factory.programme(base="huancui-chief-technician", unit_publicity_required=False,
                             unit_publicity_min_workdays=None)


def test_nominations_are_taken_only_inside_the_window(api, factory, clock):
    today = clock.today()
    opens, closes = today + datetime.timedelta(days=10), today + datetime.timedelta(days=40)
    code = no_publicity_programme(factory)
    office = factory.office(code)
    rnd = factory.round(code, office, year=opens.year, window_opens=d(opens),
                        window_closes=d(closes))
    unit = factory.user("unit")
    path = f"/v1/rounds/{rnd['id']}/nominations"
    # Before the window: refused, nothing filed.
    r = api.post(path, token=unit.token, json=factory.nomination_body(), expect=409)
    assert r.body["type"].endswith(":not-open") and r.body["code"] == "outside_application_window"
    assert (r.body["window_opens"], r.body["window_closes"]) == (d(opens), d(closes))
    assert d(opens) in r.body["detail"]
    assert api.get(path, token=office.token, expect=200).body["items"] == []
    # Its first day, from 00:00 Asia/Shanghai.
    clock.set(f"{d(opens)}T00:00:05+08:00")
    early = api.post(path, token=unit.token, json=factory.nomination_body(), expect=201).body
    # Its last day until 24:00.
    clock.set(f"{d(closes)}T23:59:00+08:00")
    late = api.post(path, token=unit.token, json=factory.nomination_body(), expect=201).body
    assert move(api, unit, early["id"], "submitted").body["state"] == "submitted"
    # After it: neither filing nor submitting.
    clock.set(f"{d(closes + datetime.timedelta(days=1))}T00:00:05+08:00")
    api.post(path, token=unit.token, json=factory.nomination_body(), expect=409)
    r = move(api, unit, late["id"], "submitted", expect=409)
    assert r.body["window_closes"] == d(closes)
    assert api.get(f"/v1/nominations/{late['id']}", token=unit.token,
                   expect=200).body["state"] == "draft"
    # A nomination returned for correction may come back after the window.
    api.post(f"/v1/rounds/{rnd['id']}/transitions", token=office.token,
             json={"to": "qualification"}, expect=200)
    back = move(api, office, early["id"], "returned", note="请补充证书编号").body
    api.patch(f"/v1/nominations/{early['id']}", token=unit.token,
              json={"skill_certificate_no": "JS-0002"},
              headers={"If-Match": f'"{back["version"]}"'}, expect=200)
    assert move(api, unit, early["id"], "submitted").body["state"] == "submitted"


def test_approval_waits_for_the_end_of_the_publicity(api, factory, clock):
    """A publicity published today ends at 24:00 of its 3rd working day
    after today (as the calendar counts it); approval waits for that."""
    code = factory.programme()
    office = factory.office(code)
    rnd = factory.round(code, office)
    unit = factory.user("unit")
    n = factory.nomination(rnd["id"], unit)
    today = clock.today()
    end = api.get(f"/v1/calendar/workdays?from={d(today)}&days=3", expect=200).body["end_date"]
    r = move(api, unit, n["id"], "unit_publicity", publicity_start=d(today)).body
    assert (r["publicity_start"], r["publicity_end"]) == (d(today), end)
    r = move(api, unit, n["id"], "unit_approved", expect=409)
    assert end in r.body["detail"] and r.body["current_state"] == "unit_publicity"
    clock_support.upload_publicity_evidence(api, unit.token, n["id"])
    clock.set(f"{end}T23:59:30+08:00")
    move(api, unit, n["id"], "unit_approved", expect=409)
    after = datetime.date.fromisoformat(end) + datetime.timedelta(days=1)
    clock.set(f"{d(after)}T00:00:30+08:00")
    assert move(api, unit, n["id"], "unit_approved").body["state"] == "unit_approved"


def test_a_disqualified_person_cannot_come_back_in_the_round(api, factory):
    """环翠 第十条（三）: 材料弄虚作假者，取消当年的申报资格. The bar holds in
    qualification too, where a unit corrects a returned nomination: giving
    it the disqualified person's ID number is refused, another person's is
    not, and a withdrawn nomination frees its person's place."""
    code = no_publicity_programme(factory)
    office = factory.office(code)
    rnd = factory.round(code, office)
    unit = factory.user("unit")
    fraud_id, withdrawn_id = support.new_id_number(), support.new_id_number()
    fraud = factory.nomination(rnd["id"], unit, id_number=fraud_id,
                               skill_level="senior_technician")
    fixme = factory.nomination(rnd["id"], unit, skill_level="senior_technician")
    gone = factory.nomination(rnd["id"], unit, id_number=withdrawn_id)
    move(api, unit, gone["id"], "withdrawn", note="单位撤回")
    for n in (fraud, fixme):
        move(api, unit, n["id"], "submitted")
    api.post(f"/v1/rounds/{rnd['id']}/transitions", token=office.token,
             json={"to": "qualification"}, expect=200)
    assert move(api, office, fraud["id"], "disqualified",
                note="获奖证书经核实系伪造").body["state"] == "disqualified"
    back = move(api, office, fixme["id"], "returned", note="请核对身份证号").body
    tag = {"If-Match": f'"{back["version"]}"'}
    r = api.patch(f"/v1/nominations/{fixme['id']}", token=unit.token, headers=tag,
                  json={"id_number": fraud_id}, expect=409)
    assert r.body["code"] == "duplicate_person"
    # Not the phase: the same correction with another person goes through...
    ok = api.patch(f"/v1/nominations/{fixme['id']}", token=unit.token, headers=tag,
                   json={"id_number": support.new_id_number()}, expect=200).body
    # ...and so does the person of the withdrawn nomination.
    api.patch(f"/v1/nominations/{fixme['id']}", token=unit.token,
              headers={"If-Match": f'"{ok["version"]}"'}, json={"id_number": withdrawn_id},
              expect=200)
    assert api.get(f"/v1/nominations/{fraud['id']}", token=office.token,
                   expect=200).body["state"] == "disqualified"
