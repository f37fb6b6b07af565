# SPDX-License-Identifier: MIT
"""Issue 14, done means: a recognised 环翠区首席技师 cohort of four runs
through the two years of its management period over HTTP on the test
clock: a suspension in month 5 (第十六条（一）), a revocation through the
office's finding, the group's 审定 and the government's approval in month 8
(第十七条), the re-check passed by one and failed by another in month 12
(第八条), the suspended holder's overdue re-check decided late after the
suspension is lifted, and the period's end. (The 岚山 cohort's two years,
assessments, two failures, the case and the revocation, is
test_assessments.py's first test.)"""

import datetime

import clock_support
import decision_flow as df
import vote_flow


def month(start, k, day=10):
    """Day `day` of month k (0-based) of the period that starts on `start`."""
    return datetime.date(start.year + (start.month - 1 + k) // 12, (start.month - 1 + k) % 12 + 1,
                         day)


def at(day):
    clock_support.clock().set(day)
    return day.isoformat()


def application(start, levels):
    certified = (start + datetime.timedelta(days=120)).isoformat()
    return {"achievements": "主持完成关键工序工艺改进。", "awards": [],
            "agreements": [{"apprentice": f"徒弟{i}", "signed_on": start.isoformat()}
                           for i in range(len(levels))],
            "apprentices": [{"name": f"徒弟{i}", "level": level, "certified_on": certified}
                            for i, level in enumerate(levels)],
            "front_line": True, "no_accident": True, "no_violation": True, "keeps_lead": True}


def test_huancui_cohort_through_its_two_years(api, factory):
    w = df.huancui_recognized(api, factory, 4)
    passes, fails, moved, revoked = w.issued
    office, leader, unit = w.office.token, w.leader.token, w.unit.token
    start = datetime.date.fromisoformat(passes["period_start"])
    end = datetime.date.fromisoformat(passes["period_end"])
    assert (end - month(start, 24, 1)).days == -1  # 第四条: 24 months

    def record(c):
        return api.get(f"/v1/recognitions/{c['id']}", token=office, expect=200).body

    def recheck(c):
        return api.get(f"/v1/recognitions/{c['id']}/recheck", token=office, expect=200).body

    def verified(c):
        return api.get(f"/v1/certificates/{c['certificate_number']}?code="
                       f"{c['verification_code']}",
                       headers={"X-Forwarded-For": vote_flow.random_ip()},
                       expect=200).body["status"]

    # Month 5: the third holder moved out of the district a month earlier.
    at(month(start, 4))
    suspension = api.post(f"/v1/recognitions/{moved['id']}/suspensions", token=office, json={
        "reason": "moved_out_of_district", "effective_on": month(start, 3).isoformat(),
        "note": "随单位迁至外区。"}, expect=201).body
    assert record(moved)["status"] == "suspended" and verified(moved) == "suspended"

    # Month 8: the fourth refuses the duties; three approvals revoke the title.
    day = at(month(start, 7))
    case = api.post(f"/v1/recognitions/{revoked['id']}/revocation-cases", token=office, json={
        "reason": "refusing_duties", "effective_on": day, "facts": "拒不承担带徒任务。"},
        expect=201).body
    for name, token, extra in (("preliminary_finding", office, {}),
                               ("ratification", leader, {"meeting_reference": "第5次会议"}),
                               ("approval", office, {"document_no": "环政字〔2030〕21号"})):
        assert record(revoked)["status"] == "active"  # not revoked before the last approval
        case = api.post(f"/v1/revocation-cases/{case['id']}/steps", token=token, json={
            "step": name, "outcome": "approved", "decided_on": day, "note": "属实。", **extra},
            expect=200).body
    assert case["state"] == "revoked" and verified(revoked) == "revoked"
    notice = api.get(f"/v1/notices/{case['notice_id']}", expect=200).body
    assert notice["kind"] == "revocation" and revoked["holder_name"] in notice["body"]

    # Month 12: the re-check falls due; one passes (two at 高级工), one fails (one).
    at(month(start, 11, 15))
    assert {recheck(c)["status"] for c in (passes, fails, moved)} == {"due"}
    assert recheck(revoked)["status"] == "revoked"
    for c, levels, result in ((passes, ["senior_worker", "technician"], "passed"),
                              (fails, ["senior_worker"], "failed")):
        filed = api.post(f"/v1/recognitions/{c['id']}/recheck", token=unit,
                         json=application(start, levels), expect=201).body
        assert filed["suggested"] == result
        api.post(f"/v1/recognitions/{c['id']}/recheck/decision", token=office,
                 json={"result": result}, expect=200)

    # Month 15: back in the district; the suspension is lifted, the re-check is overdue
    # and, filed and decided late, counts.
    day = at(month(start, 14))
    assert recheck(moved)["status"] == "overdue"
    api.post(f"/v1/suspensions/{suspension['id']}/lifting", token=office,
             json={"lifted_on": day, "reason": "已调回本区技能岗位。"}, expect=200)
    assert record(moved)["status"] == "active" and verified(moved) == "active"
    api.post(f"/v1/recognitions/{moved['id']}/recheck", token=unit,
             json=application(start, ["senior_worker", "senior_worker"]), expect=201)
    api.post(f"/v1/recognitions/{moved['id']}/recheck/decision", token=office,
             json={"result": "passed"}, expect=200)

    # After the period: the statuses stand, and each file reads in order.
    at(end + datetime.timedelta(days=1))
    got = {c["id"]: (record(c)["status"], recheck(c)["status"]) for c in w.issued}
    assert got == {passes["id"]: ("active", "passed"), fails["id"]: ("active", "failed"),
                   moved["id"]: ("active", "passed"), revoked["id"]: ("revoked", "revoked")}
    kinds = [e["kind"] for e in record(moved)["timeline"]]
    assert kinds == ["issued", "suspended", "suspension_lifted", "recheck_filed",
                     "recheck_decided"]
    kinds = [e["kind"] for e in record(revoked)["timeline"]]
    assert kinds[0] == "issued" and kinds[-1] == "revoked"
    listed = api.get(f"/v1/recognitions?round_id={w.round['id']}", token=unit,
                     expect=200).body["items"]
    assert sorted(r["status"] for r in listed) == ["active", "active", "active", "revoked"]
