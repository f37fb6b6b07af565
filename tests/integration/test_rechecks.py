# SPDX-License-Identifier: MIT
"""环翠区首席技师 year-2 re-check (第八条, 第十一条, 第十二条) over HTTP, on the
test clock: due in month 12 of the management period, the unit files the
application, the API computes the checklist of 第八条（一）–（五） and
suggests a result, the office decides (with a reason where it departs);
undecided after the due month, it is overdue."""

import datetime

import clock_support
import decision_flow as df


def at(day):
    clock_support.clock().set(day)


def application(start, levels, **statements):
    """An application with one apprentice per level, certified a month
    into the period."""
    body = {"achievements": "主持完成工艺改进两项。",
            "awards": [{"name": "威海市技术能手", "level": "municipal",
                        "awarded_on": (start + datetime.timedelta(days=40)).isoformat()}],
            "agreements": [{"apprentice": f"徒弟{i}", "signed_on": start.isoformat()}
                           for i in range(len(levels))],
            "apprentices": [{"name": f"徒弟{i}", "level": level,
                             "certified_on": (start + datetime.timedelta(days=30)).isoformat()}
                            for i, level in enumerate(levels)],
            "front_line": True, "no_accident": True, "no_violation": True, "keeps_lead": True}
    body.update(statements)
    return body


def view(api, token, rid, expect=200):
    return api.get(f"/v1/recognitions/{rid}/recheck", token=token, expect=expect).body


def test_recheck_passed_failed_overridden_and_overdue(api, factory):
    w = df.huancui_recognized(api, factory, 4)
    one, two, three, four = w.issued
    start = datetime.date.fromisoformat(one["period_start"])
    v = view(api, w.office.token, one["id"])
    due_from = datetime.date.fromisoformat(v["due_from"])
    assert v["status"] == "not_due" and v["recheck"] is None
    assert (due_from.year - start.year) * 12 + due_from.month - start.month == 11
    decides = datetime.date.fromisoformat(v["decides_from"])
    assert (decides.year - start.year) * 12 + decides.month - start.month == 12
    path = f"/v1/recognitions/{one['id']}/recheck"
    early = dict(application(start, []), awards=[], agreements=[])  # no date after today
    r = api.post(path, token=w.unit.token, json=early, expect=409).body
    assert r["code"] == "recheck_not_due"

    at(due_from + datetime.timedelta(days=5))
    assert view(api, w.unit.token, one["id"])["status"] == "due"
    # Who may file: the holder's unit and the office; not a leader nor another unit.
    api.post(path, token=w.leader.token, json=application(start, []), expect=403)
    api.post(path, token=factory.user("unit").token, json=application(start, []), expect=404)
    r = api.post(path, token=w.unit.token, json=application(start, ["master"]), expect=422).body
    assert r["errors"][0]["pointer"] == "/apprentices/0/level"
    future = application(start, ["senior_worker"])
    future["apprentices"][0]["certified_on"] = (df.today() + datetime.timedelta(days=1)).isoformat()
    api.post(path, token=w.unit.token, json=future, expect=422)
    assert view(api, w.office.token, one["id"])["recheck"] is None  # nothing changed

    # Two certified at 高级工: every item passes; the office confirms.
    filed = api.post(path, token=w.unit.token,
                     json=application(start, ["senior_worker", "technician"]), expect=201).body
    assert filed["suggested"] == "passed"
    items = {i["item"]: i for i in filed["checklist"]}
    assert list(items) == ["front_line", "no_accident", "no_violation", "keeps_lead",
                           "apprentices"]
    assert items["apprentices"]["article"] == "第八条（五）"
    assert items["apprentices"]["per_year"] == [{"year": 1, "certified": 2}]
    assert api.post(path, token=w.unit.token, json=application(start, []),
                    expect=409).body["code"] == "recheck_filed"
    api.post(f"{path}/decision", token=w.unit.token, json={"result": "passed"}, expect=403)
    done = api.post(f"{path}/decision", token=w.office.token, json={"result": "passed"},
                    expect=200).body
    assert done["result"] == "passed" and done["decided_on"] == df.today().isoformat()
    assert view(api, w.leader.token, one["id"])["status"] == "passed"
    assert api.post(f"{path}/decision", token=w.office.token, json={"result": "failed",
                                                                     "reason": "改判"},
                    expect=409).body["code"] == "recheck_decided"
    kinds = [e["kind"] for e in api.get(f"/v1/recognitions/{one['id']}", token=w.office.token,
                                        expect=200).body["timeline"]]
    assert kinds[-2:] == ["recheck_filed", "recheck_decided"]

    # One certified, the other only 中级工: (五) fails at the 高级工 boundary.
    for holder, levels in ((two, ["senior_worker"]),
                           (three, ["senior_worker", "intermediate_worker"])):
        filed = api.post(f"/v1/recognitions/{holder['id']}/recheck", token=w.unit.token,
                         json=application(start, levels), expect=201).body
        assert filed["suggested"] == "failed"
        assert {i["item"]: i["status"] for i in filed["checklist"]}["apprentices"] == "fail"
    api.post(f"/v1/recognitions/{two['id']}/recheck/decision", token=w.office.token,
             json={"result": "failed"}, expect=200)
    assert view(api, w.office.token, two["id"])["status"] == "failed"
    # Departing from the suggestion needs a reason.
    r = api.post(f"/v1/recognitions/{three['id']}/recheck/decision", token=w.office.token,
                 json={"result": "passed"}, expect=422).body
    assert r["errors"][0]["code"] == "reason_required"
    api.post(f"/v1/recognitions/{three['id']}/recheck/decision", token=w.office.token,
             json={"result": "passed", "reason": "第二名徒弟的高级工证书已于考核后补发，经核实有效。"},
             expect=200)

    # The fourth files nothing: after the due month it is overdue; decided late, it counts.
    until = datetime.date.fromisoformat(v["due_until"])
    at(until + datetime.timedelta(days=10))
    assert view(api, w.office.token, four["id"])["status"] == "overdue"
    api.post(f"/v1/recognitions/{four['id']}/recheck", token=w.unit.token,
             json=application(start, ["senior_worker"] * 3), expect=201)
    assert view(api, w.office.token, four["id"])["status"] == "overdue"
    api.post(f"/v1/recognitions/{four['id']}/recheck/decision", token=w.office.token,
             json={"result": "passed"}, expect=200)
    assert view(api, w.office.token, four["id"])["status"] == "passed"


def test_lanshan_has_no_recheck(api, factory):
    w = df.lanshan_recognized(api, factory, 1)
    c = w.issued[0]
    assert view(api, w.office.token, c["id"], expect=409)["code"] == "recheck_not_in_policy"
