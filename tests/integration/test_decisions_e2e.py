# SPDX-License-Identifier: MIT
"""Issue 13: after the shortlist, each programme's steps in its own order
(the round's policy, notice_before_decision), through HTTP only, on the
test clock:

- 环翠 (第十条（五）（六）): 考察 → notice of the proposed list → the
  group's 审定 → the district government's approval → recognition;
- 岚山 (第五条（五）–（七）): the vote's final result → the group's
  decision → notice of the decided list → recognition.

Certificates are numbered without a gap per programme and year and verify
publicly with their code; a wrong code answers exactly like an unknown
number."""

import datetime
import re
import threading

import pytest

import clock_support
import decision_flow as df
import support
import vote_flow


def steps_of(api, w, token):
    return api.get(f"/v1/rounds/{w.round['id']}/decision-pack", token=token, expect=200).body


def states(api, w, ids):
    return [api.get(f"/v1/nominations/{nid}", token=w.office.token, expect=200).body["state"]
            for nid in ids]


def test_huancui_inspection_notice_ratification_approval_recognition(api, factory):
    w = df.huancui_deciding(api, factory, 3, awards=2)
    rid = w.round["id"]
    assert w.round["phase"] == "deciding"

    pack = steps_of(api, w, w.leader.token)
    assert pack["steps"] == ["inspection", "notice", "ratification", "approval", "recognition"]
    assert [c["nomination"]["id"] for c in pack["candidates"]] == w.ids
    assert all(c["vote"] is None and c["inspection"] is None for c in pack["candidates"])
    assert all(c["review"]["nomination_id"] == c["nomination"]["id"] for c in pack["candidates"])

    # Out of order: no notice before 考察, no 审定 before the notice.
    r = df.publish(api, w, expect=409)
    assert r["code"] == "step_out_of_order" and r["next_step"] == "inspection"
    r = api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token,
                 json=df.meeting(w.ids[:2]), expect=409).body
    assert r["code"] == "step_out_of_order"

    # 考察: two pass, one fails; a finding may be revised before the notice.
    first = df.inspect(api, w, w.ids[2], passed=True)
    assert first["revision"] == 1
    again = df.inspect(api, w, w.ids[2], passed=False)
    assert again["revision"] == 2 and again["passed"] is False
    df.inspect(api, w, w.ids[0])
    df.inspect(api, w, w.ids[1])
    pack = steps_of(api, w, w.office.token)
    assert [c["inspection"]["passed"] for c in pack["candidates"]] == [True, True, False]

    # The notice of the proposed list: the two who passed, in the list's order.
    notice = df.publish(api, w)
    assert [e["name"] for e in notice["entries"]] == [
        api.get(f"/v1/nominations/{nid}", token=w.office.token, expect=200).body["name"]
        for nid in w.ids[:2]]
    assert notice["published_on"] == df.today().isoformat() and notice["workdays"] == 5
    want_end = api.get(f"/v1/calendar/workdays?from={df.today().isoformat()}&days=5",
                       expect=200).body["end_date"]
    assert notice["ends_on"] == want_end and notice["state"] == "open"
    assert "拟认定" in notice["title"] and notice["contact"].startswith("区人社局")
    assert df.phase(api, w) == "notice"
    assert states(api, w, w.ids) == ["final_notice", "final_notice", "not_selected"]
    # Public: anyone reads it, with public fields only.
    pub = api.get(f"/v1/notices/{notice['id']}", expect=200).body
    assert pub == notice
    entry = pub["entries"][0]
    assert set(entry) == {"number", "name", "employer", "occupation", "deeds_summary",
                          "withdrawn"}
    listed = api.get(f"/v1/notices?programme={w.programme}", expect=200).body["items"]
    assert [n["id"] for n in listed] == [notice["id"]] and "entries" not in listed[0]
    assert df.inspect(api, w, w.ids[0], expect=409)["code"] == "step_done"
    assert df.publish(api, w, expect=409)["code"] == "step_done"

    # 审定 only after the notice has ended.
    r = api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token,
                 json=df.meeting(w.ids[:2]), expect=409).body
    assert r["code"] == "notice_not_ended" and r["next_step"] == "notice"
    df.past_notice(notice)
    # Only the noticed may be ratified.
    r = api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token,
                 json=df.meeting(w.ids), expect=422).body
    assert support.pointers(r) == ["/selections/2"] and r["errors"][0]["code"] == "not_candidate"
    ratified = api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token,
                        json=df.meeting(w.ids[:2]), expect=201).body
    assert ratified["step"] == "ratification"
    assert [s["nomination_id"] for s in ratified["selections"]] == w.ids[:2]
    assert all(s["vote"] is None for s in ratified["selections"])

    # Recognition waits for the district government's approval.
    r = api.post(f"/v1/rounds/{rid}/recognitions", token=w.office.token, expect=409).body
    assert r["code"] == "step_out_of_order" and r["next_step"] == "approval"
    tomorrow = (df.today() + datetime.timedelta(days=1)).isoformat()
    r = api.post(f"/v1/rounds/{rid}/approval", token=w.office.token,
                 json={"document_no": "环政字〔2027〕12号", "approved_on": tomorrow},
                 expect=422).body
    assert r["errors"][0]["code"] == "date_in_future"
    api.post(f"/v1/rounds/{rid}/approval", token=w.office.token,
             json={"document_no": "环政字〔2027〕12号", "approved_on": df.today().isoformat()},
             expect=201)

    issued = api.post(f"/v1/rounds/{rid}/recognitions", token=w.office.token,
                      expect=201).body["items"]
    year = df.today().year
    prefix = api.get(f"/v1/programmes/{w.programme}", expect=200).body["policy"][
        "certificate_prefix"]
    assert len(issued) == 2
    numbers = [c["certificate_number"] for c in issued]
    assert numbers == [f"{prefix}-{year}-001", f"{prefix}-{year}-002"]
    assert all(re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", c["verification_code"]) for c in issued)
    # 第四条: a 2-year management period from the month after recognition.
    today = df.today()
    start = datetime.date(today.year + today.month // 12, today.month % 12 + 1, 1)
    end = datetime.date(start.year + 2, start.month, 1) - datetime.timedelta(days=1)
    assert {(c["period_start"], c["period_end"]) for c in issued} == {
        (start.isoformat(), end.isoformat())}
    assert df.phase(api, w) == "concluded"
    assert states(api, w, w.ids) == ["recognized", "recognized", "not_selected"]
    listed = api.get(f"/v1/rounds/{rid}/recognitions", token=w.leader.token,
                     expect=200).body["items"]
    assert [c["certificate_number"] for c in listed] == numbers

    # Public verification: right code, wrong code, unknown number.
    c = issued[0]
    ok = api.get(f"/v1/certificates/{c['certificate_number']}?code={c['verification_code']}",
                 expect=200).body
    assert ok == {"certificate_number": c["certificate_number"], "title": c["title"],
                  "programme": w.programme, "holder_name": c["holder_name"],
                  "employer": c["employer"], "occupation": c["occupation"],
                  "recognized_on": c["recognized_on"], "status": "active"}
    wrong = "22222222" if c["verification_code"] != "22222222" else "33333333"
    bad = api.get(f"/v1/certificates/{c['certificate_number']}?code={wrong}", expect=404)
    unknown = api.get(f"/v1/certificates/HCSX-1999-999?code={c['verification_code']}",
                      expect=404)
    strip = lambda b: {k: v for k, v in b.items() if k not in ("instance", "request_id")}
    assert strip(bad.body) == strip(unknown.body)
    assert bad.body["code"] == "certificate_not_found"
    assert api.get(f"/v1/certificates/{c['certificate_number']}", expect=404).body["code"] == \
        "certificate_not_found"

    # A concluded round is read-only.
    r = api.post(f"/v1/rounds/{rid}/recognitions", token=w.office.token, expect=409).body
    assert r["code"] == "round_concluded"


def test_huancui_sixth_ratified_needs_a_reason(api, factory):
    """环翠 第四条 "5人左右": a target; a sixth needs a recorded reason."""
    w = df.noticed_round(api, factory, 6, awards=5)
    df.past_notice(w.notice)
    rid = w.round["id"]
    r = api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token,
                 json=df.meeting(w.ids), expect=422).body
    assert r["errors"][0]["code"] == "over_award_target_reason_required"
    assert support.pointers(r) == ["/reason"]
    reason = "第6名与第5名综合得分相近，经领导小组研究一并认定"
    d = api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token,
                 json=df.meeting(w.ids, reason=reason), expect=201).body
    assert d["reason"] == reason and len(d["selections"]) == 6


def test_lanshan_vote_decision_notice_recognition(api, vote, factory, db_url):
    """岚山: the decision follows the vote's final result, at most
    awards_per_round (hard, also in the database); the decided list goes
    on notice; titles follow its end."""
    code = factory.programme(base=df.LS, unit_publicity_required=False,
                             unit_publicity_min_workdays=None, review_experts=1,
                             vote_nominees=3, awards_per_round=2, certificate_prefix="LSGJ")
    w = vote_flow.review_round(api, factory, qualified=3, programme=code)
    w.leader = factory.user("leader", programmes=[code])
    rid = w.round["id"]
    pack = steps_of(api, w, w.leader.token)
    assert pack["steps"] == ["decision", "notice", "recognition"]
    assert pack["awards_cap_hard"] is True and pack["awards_per_round"] == 2

    session = vote_flow.open_session(api, w.office, rid, w.shortlist, closes_in=8)
    for nid, n in zip(w.shortlist, (1, 3, 2)):
        for _ in range(n):
            vote_flow.cast(vote, session["id"], nid)
    # Before the final result the group cannot decide.
    r = api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token,
                 json=df.meeting(w.shortlist[1:]), expect=409).body
    assert r["code"] == "vote_not_final"
    support.poll(lambda: api.get(f"/v1/rounds/{rid}/vote-results", token=w.office.token,
                                 expect=200).body["final"],
                 timeout=40, interval=0.3, what="the vote's final result")

    # The 3rd selection is over the hard cap (岚山 第二条).
    r = api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token,
                 json=df.meeting(w.shortlist, reason="工作需要"), expect=422).body
    assert r["errors"][0]["code"] == "over_award_cap" and "第二条" in r["errors"][0]["detail"]
    # The office cannot decide; a unit cannot see anything.
    api.post(f"/v1/rounds/{rid}/decisions", token=w.office.token,
             json=df.meeting(w.shortlist[1:]), expect=403)
    d = api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token,
                 json=df.meeting([w.shortlist[1], w.shortlist[2]]), expect=201).body
    assert d["step"] == "decision"
    assert [(s["vote"]["votes"], s["vote"]["rank"]) for s in d["selections"]] == [(3, 1), (2, 2)]
    assert d["selections"][0]["vote"]["share"] == 50.0
    assert df.phase(api, w) == "deciding"
    assert states(api, w, w.shortlist) == ["not_selected", "selected", "selected"]
    assert api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token,
                    json=df.meeting(w.shortlist[1:]), expect=409).body["code"] == "step_done"

    # The database holds the cap whatever code writes.
    r = support.psql(db_url, f"""INSERT INTO decision_entries (decision_id, position, nomination_id)
        VALUES ('{d["id"]}', 3, '{w.shortlist[0]}')""", check=False)
    assert r.returncode != 0 and "decision_entries_cap" in r.stderr

    notice = df.publish(api, w)
    assert [e["number"] for e in notice["entries"]] == [1, 2]
    assert "拟命名" in notice["title"]
    assert states(api, w, w.shortlist[1:]) == ["final_notice", "final_notice"]
    r = api.post(f"/v1/rounds/{rid}/recognitions", token=w.office.token, expect=409).body
    assert r["code"] == "notice_not_ended"
    df.past_notice(notice)
    issued = api.post(f"/v1/rounds/{rid}/recognitions", token=w.office.token,
                      expect=201).body["items"]
    # The seed's prefix: this programme shares the sequence of LSGJ with
    # any other using it, so the numbers follow each other, whatever came before.
    numbers = [c["certificate_number"] for c in issued]
    assert [n[:10] for n in numbers] == [f"LSGJ-{df.today().year}-"] * 2
    assert int(numbers[1][10:]) == int(numbers[0][10:]) + 1
    assert all(c["period_start"] is None and c["period_end"] is None for c in issued)
    assert df.phase(api, w) == "concluded"


@pytest.mark.clock("2026-09-29")
def test_notice_end_across_a_holiday_and_a_working_weekend(api, factory):
    """Published Tuesday 29 September 2026: working days 30 September;
    8, 9 October; Saturday 10 October (调休, a working day); Monday 12
    October. 1–7 October (国庆) and Sunday 11 October do not count."""
    w = df.noticed_round(api, factory, 2)
    assert w.notice["published_on"] == "2026-09-29"
    assert w.notice["ends_on"] == "2026-10-12"
    clock_support.clock().set("2026-10-12T23:59:00+08:00")
    assert api.get(f"/v1/notices/{w.notice['id']}", expect=200).body["state"] == "open"
    clock_support.clock().set("2026-10-13T00:00:01+08:00")
    assert api.get(f"/v1/notices/{w.notice['id']}", expect=200).body["state"] == "ended"


def test_certificate_numbers_stay_gapless_when_two_rounds_issue_at_once(api, factory):
    """Two rounds of one programme issue in the same year at the same
    moment: together they take 1..n of the programme's sequence for the
    year, each round a block, no number twice, none skipped."""
    code = factory.programme(base=df.HC, unit_publicity_required=False,
                             unit_publicity_min_workdays=None, review_experts=1,
                             skill_test=False, skill_test_weight=None, awards_per_round=3,
                             cycle_years=1, certificate_prefix=df.prefix())
    a = df.noticed_round(api, factory, 3, programme=code)
    a.prefix = api.get(f"/v1/programmes/{code}", expect=200).body["policy"]["certificate_prefix"]
    clk = clock_support.clock()
    clk.set(datetime.date.fromisoformat(a.notice["ends_on"]) + datetime.timedelta(days=400))
    b = df.noticed_round(api, factory, 3, programme=code)
    b.prefix = a.prefix
    assert b.round["year"] == a.round["year"] + 1
    df.past_notice(b.notice)
    a.leader = factory.user("leader", programmes=[code])
    for w in (a, b):
        df.ratify_and_approve(api, w)

    results = {}
    barrier = threading.Barrier(2)

    def issue(w):
        barrier.wait()
        results[w.round["id"]] = api.post(f"/v1/rounds/{w.round['id']}/recognitions",
                                          token=w.office.token, expect=201).body["items"]

    threads = [threading.Thread(target=issue, args=(w,)) for w in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    year = df.today().year
    seqs = {}
    for w in (a, b):
        numbers = [c["certificate_number"] for c in results[w.round["id"]]]
        assert all(n.startswith(f"{w.prefix}-{year}-") for n in numbers), numbers
        seqs[w.round["id"]] = [int(n.rsplit("-", 1)[1]) for n in numbers]
    every = sorted(seqs[a.round["id"]] + seqs[b.round["id"]])
    assert every == [1, 2, 3, 4, 5, 6]
    for s in seqs.values():
        assert s == list(range(s[0], s[0] + len(s)))  # each round a block


def test_certificate_checks_are_rate_limited_per_address(api, factory):
    """Guessing codes costs: 60 checks an hour from one address (the
    default), right or wrong; another address is not affected."""
    w = df.noticed_round(api, factory, 1, awards=1)
    df.past_notice(w.notice)
    df.ratify_and_approve(api, w)
    c = api.post(f"/v1/rounds/{w.round['id']}/recognitions", token=w.office.token,
                 expect=201).body["items"][0]
    guesser, other = vote_flow.random_ip(), vote_flow.random_ip()
    path = f"/v1/certificates/{c['certificate_number']}"
    for i in range(60):
        api.get(f"{path}?code=2222222{i % 8 + 2}", headers={"X-Forwarded-For": guesser},
                expect=(200, 404))
    r = api.get(f"{path}?code={c['verification_code']}", headers={"X-Forwarded-For": guesser},
                expect=429)
    assert r.body["code"] == "rate_limited" and int(r.headers["Retry-After"]) >= 1
    ok = api.get(f"{path}?code={c['verification_code']}", headers={"X-Forwarded-For": other},
                 expect=200).body
    assert ok["certificate_number"] == c["certificate_number"]
