#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Demo public votes for ./deploy/local.sh run|start, built relative to
today: a programme with the 岚山工匠 rules for the vote (six nominees go to
the vote instead of twenty and three titles instead of ten, so the demo
stays small, with three reviews per nomination and a round every year
instead of every two), and three of its rounds
taken through intake and qualification by the demo unit and office, then
through the expert review (the office's draw over three demo experts, each
expert's scores from its workspace):

- this round, frozen as the shortlist of six, and its vote on exactly
  those, open from now for ten days, with 120 votes cast by 40 synthetic
  voters: a newcomer can vote in it (README: demo walkthrough);
- last year's round, still in review: every review is in, the ranking is
  there for the office and the demo leader to read, nothing is frozen;
- the round two years back, whose vote closed three days ago: its results
  are public and its log can be downloaded and checked with
  `jiangxin-vote verify-log`;
- the round three years back, concluded: its vote closed with a final,
  verified result, the demo leader decided (three of six), the office gave
  the five-working-day notice and issued the titles, so its certificates
  can be verified with curl and printed as PDFs (README: demo walkthrough).
  It needs that year's State Council calendar (the notice counts working
  days); without it the round stops at the decision, with a message.

The demo programme's policy is a fictitious demo document (it says so), in
force around today, and skips the unit publicity: that step counts working
days, and the demo must load on a day whose year has no State Council
calendar yet (demo_intake.py shows the publicity). The loader moves both
services' test clocks (the demo stack runs with JIANGXIN_TEST_CLOCK=1) to
live through the closed vote, then puts them back at today. Skipped when
the programme exists.

Usage: demo_vote.py API_URL VOTE_URL (JIANGXIN_VOTER_JWT_SECRET and
JIANGXIN_VOTE_PUSH_KEY in the environment)"""

import datetime
import json
import os
import sys
import time
import urllib.error
import urllib.request

import jwt

import demo_intake as di

API = sys.argv[1].rstrip("/")
VOTE = sys.argv[2].rstrip("/")
CODE = "demo-lanshan-vote"
HC_CODE = "demo-huancui-holders"
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def post(url, token, body):
    req = urllib.request.Request(url, method="POST", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json",
                                          "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=15) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def voter_token(sub):
    now = int(time.time())  # token lifetimes are real time
    return jwt.encode({"iss": "jiangxin-identity", "aud": "jiangxin-vote", "sub": sub,
                       "iat": now, "exp": now + 600},
                      os.environ["JIANGXIN_VOTER_JWT_SECRET"], algorithm="HS256")


def rfc3339(ts):
    return datetime.datetime.fromtimestamp(ts, SHANGHAI).isoformat(timespec="seconds")


def qualified_round(office, unit, year, n=6, code=CODE, **extra):
    """A round of `year` of programme `code` in phase review with n
    qualified nominations (the clocks must lie in its window)."""
    rnd = di.must("POST", f"/v1/programmes/{code}/rounds", office,
                  {"year": year, "reference_date": f"{year}-12-31",
                   "window_opens": f"{year}-01-05", "window_closes": f"{year}-12-31",
                   **extra})["id"]
    di.must("POST", f"/v1/rounds/{rnd}/transitions", office, {"to": "accepting"})
    ids = []
    for i in range(n):
        n = di.nominate(rnd, unit, i, year)
        di.move(n, unit, "submitted")
        ids.append(n)
    di.must("POST", f"/v1/rounds/{rnd}/transitions", office, {"to": "qualification"})
    for n in ids:
        checks = di.must("GET", f"/v1/nominations/{n}/eligibility", office)
        overrides = [{"check": c["check"], "reason": "演示数据：已人工核验"}
                     for c in checks.get("checks", []) if c.get("result") == "warning"]
        di.move(n, office, "qualified", overrides=overrides)
    di.must("POST", f"/v1/rounds/{rnd}/transitions", office, {"to": "review"})
    return rnd, ids


EXPERTS = (("expert", "demo-expert-pw"), ("expert-b", "demo-expert-pw"),
           ("expert-c", "demo-expert-pw"))


def experts(admin):
    """The demo experts (the demo's `expert` and two more), each with a
    profile for the demo programme. Returns their tokens."""
    users = di.must("GET", "/v1/users?limit=100", admin)["items"]
    have = {u["username"]: u["id"] for u in users}
    tokens = []
    for i, (name, password) in enumerate(EXPERTS):
        if name not in have:
            have[name] = di.must("POST", "/v1/users", admin, {
                "username": name, "password": password, "role": "expert"})["id"]
        di.must("PUT", f"/v1/experts/{have[name]}", admin, {
            "name": f"演示评审专家{'甲乙丙'[i]}", "fields": ["数控车工", "钳工"],
            "employer_name": f"演示评审专家单位{i + 1}",
            "employer_code": ("91110108MA0000011E", "91110108MA0000012H",
                              "91110108MA0000013L")[i],
            "programmes": [CODE, HC_CODE]})
        tokens.append(di.login(name, password))
    return tokens


def review(office, tokens, rnd, ids, code=CODE):
    """The office's draw (three experts each), then each expert scores its
    assignments of the round from GET /v1/me/assignments: nomination i
    at 92% − 4%·i of every maximum, give or take the expert's own view."""
    di.must("POST", f"/v1/rounds/{rnd}/review-assignments", office, {"seed": "2026"})
    rubric = di.must("GET", f"/v1/programmes/{code}")["policy"]["rubric"]
    place = {nid: i for i, nid in enumerate(ids)}
    for j, tok in enumerate(tokens):
        for a in di.must("GET", "/v1/me/assignments", tok)["items"]:
            if a["round_id"] != rnd:
                continue
            f = 0.92 - 0.04 * place[a["nomination"]["id"]] + 0.02 * (j - 1)
            scores = {c["criterion"]: True if c["gate"] else round(c["max_score"] * f, 2)
                      for c in rubric}
            di.must("PUT", f"/v1/review-assignments/{a['id']}/review", tok,
                    {"scores": scores, "comment": "演示评审意见"})


def shortlist(office, tokens, rnd, ids):
    """Reviewed, then frozen as the shortlist (the round moves to voting)."""
    review(office, tokens, rnd, ids)
    frozen = di.must("POST", f"/v1/rounds/{rnd}/shortlist", office, {})
    return [e["nomination_id"] for e in frozen["entries"]]


def leader_reads(admin):
    """The demo leader's scope gains the demo programmes."""
    users = di.must("GET", "/v1/users?limit=100", admin)["items"]
    leader = next(u for u in users if u["username"] == "leader")
    if CODE not in leader["programmes"]:
        di.must("PATCH", f"/v1/users/{leader['id']}", admin,
                {"programmes": leader["programmes"] + [CODE, HC_CODE]},
                headers={"If-Match": f'"{leader["version"]}"'})


def open_vote(admin, office, rnd, ids, title, closes_in_s):
    """Opens the round's vote at the clocks' now, waits for the voting
    service to have it, and casts 120 votes of 40 voters. Returns the
    session and the number of votes stored."""
    # A little in the past (at most a minute is allowed), so the first
    # votes never reach the voting service before its opening second.
    now = int(time.time() + offset_s(admin)) - 10
    session = di.must("POST", f"/v1/rounds/{rnd}/vote-session", office, {
        "title": title, "opens_at": rfc3339(now), "closes_at": rfc3339(now + closes_in_s),
        "nominee_ids": ids,
        "limits": {"votes_per_day": 3, "votes_per_nominee_per_day": 1,
                   "ip_rate_per_minute": 100000, "ip_burst": 100000}})
    sid = session["id"]
    for _ in range(100):  # the API pushes it right after the commit
        try:
            urllib.request.urlopen(f"{VOTE}/v1/sessions/{sid}", timeout=5).read()
            break
        except urllib.error.URLError:
            time.sleep(0.2)
    cast = 0
    for v in range(40):
        tok = voter_token(f"demo-voter-{rnd[:8]}-{v}")
        for k in range(3):
            status, _ = post(f"{VOTE}/v1/sessions/{sid}/votes", tok,
                             {"nominee_id": ids[(v + 2 * k) % len(ids)]})
            cast += status == 201
    if cast != 120:
        raise SystemExit(f"demo: only {cast} of 120 demo votes were taken in session {sid}")
    return session, cast


def notice_ends(office, rnd, area, where):
    """Publishes the round's final notice; the last day of its working
    days, or None (with a message) when the calendar lacks a year."""
    try:
        notice = di.call("POST", f"/v1/rounds/{rnd}/notices", office, {
            "contact": f"演示单位人才科，电话 {area}-0000000（虚构）"})
    except di.Refused as e:
        if e.body.get("code") != "calendar_unavailable":
            raise SystemExit(f"demo: notice of round {rnd}: {e}") from None
        print(f"demo: round {rnd} stops {where}: no State Council calendar for "
              f"{e.body.get('missing_year')} (load it: jiangxin-api calendar load FILE)")
        return None
    return datetime.date.fromisoformat(notice["ends_on"])


def concluded_round(admin, office, unit, tokens, clocks, year):
    """The round of `year` taken from nomination to certificates at the
    clocks of that year. Returns (round id, recognitions) or (round id, [])
    when the calendar lacks the year."""
    start = datetime.datetime(year, 3, 2, 10, tzinfo=SHANGHAI)
    clocks.set(start.timestamp())
    rnd, ids = qualified_round(office, unit, year)
    ids = shortlist(office, tokens, rnd, ids)
    session, _ = open_vote(admin, office, rnd, ids, f"{year}年度岚山工匠网络投票（演示，已办结）",
                           2 * 86400)
    decided_at = start + datetime.timedelta(days=3)
    clocks.set(decided_at.timestamp())
    for _ in range(300):  # the voting service posts its final tally after the close
        if di.must("GET", f"/v1/rounds/{rnd}/vote-results", office).get("final"):
            break
        time.sleep(0.2)
    else:
        raise SystemExit(f"demo: no final tally for session {session['id']}")
    results = di.must("GET", f"/v1/rounds/{rnd}/vote-results", office)
    most = [n["id"] for n in results["nominees"]][:3]
    leader = di.login("leader", "demo-leader-pw")
    di.must("POST", f"/v1/rounds/{rnd}/decisions", leader, {
        "meeting_date": decided_at.date().isoformat(), "meeting_reference": f"岚山区人才工作领导小组{year}年第1次会议（演示）",
        "members_present": ["演示组长", "演示副组长", "演示成员"], "selections": most})
    ends = notice_ends(office, rnd, "0633", "after the decision")
    if ends is None:
        return rnd, []
    at(clocks, ends + datetime.timedelta(days=1))
    issued = di.must("POST", f"/v1/rounds/{rnd}/recognitions", office)["items"]
    return rnd, issued


def holders(office, unit, clocks, issued, year):
    """What became of the titles of `year` (issue 14), on the clocks of the
    years after it: the first holder passes the annual assessments
    (岚山 第十一条); the second fails two years running, which opens a
    revocation case (第十二条（四）) that the office verifies and the
    leadership group decides, so the title is revoked and a revocation
    notice published; the third has a case open, waiting for the group."""
    leader = di.login("leader", "demo-leader-pw")
    passes, fails, pending = issued[:3]
    for y in (year + 1, year + 2):
        clocks.set(datetime.datetime(y, 12, 10, 10, tzinfo=SHANGHAI).timestamp())
        for c, result in ((passes, "pass"), (fails, "fail")):
            a = di.must("POST", f"/v1/recognitions/{c['id']}/assessments", unit, {
                "year": y, "result": result,
                "notes": f"{y}年度单位考评{'合格' if result == 'pass' else '不合格'}（演示）"})
            done = di.must("POST", f"/v1/assessments/{a['id']}/review", office,
                           {"action": "confirm"})
    case = done["revocation_case_id"]
    day = datetime.date(year + 2, 12, 10).isoformat()
    di.must("POST", f"/v1/revocation-cases/{case}/steps", office, {
        "step": "verification", "outcome": "approved", "decided_on": day,
        "note": "经核实，连续两年年度考核不合格属实（演示）"})
    di.must("POST", f"/v1/revocation-cases/{case}/steps", leader, {
        "step": "decision", "outcome": "approved", "decided_on": day,
        "meeting_reference": f"岚山区工匠管理领导小组{year + 2}年第2次会议（演示）",
        "note": "同意撤销（演示）"})
    open_case = di.must("POST", f"/v1/recognitions/{pending['id']}/revocation-cases", office, {
        "reason": "other", "effective_on": day,
        "facts": "群众来信反映该同志已不在生产一线岗位（演示）",
        "finding": "经初步核实，该同志已于本年调任管理岗位（演示）"})
    di.must("POST", f"/v1/revocation-cases/{open_case['id']}/steps", office, {
        "step": "verification", "outcome": "approved", "decided_on": day,
        "note": "情况属实，提请领导小组决定（演示）"})
    return case, open_case["id"]


def huancui_programme(admin, today):
    """The 环翠区首席技师 rules for the holder demo: a fictitious demo
    document in force around today, no unit publicity (it counts working
    days), no skill test, three reviews and four titles per round."""
    policy = di.must("GET", "/v1/programmes/huancui-chief-technician")["policy"]
    policy.update({
        "document_no": "演示文件（虚构，仅供演示持证管理）",
        "authority": "演示单位",
        "in_force_from": f"{today.year - 4}-01-01",
        "in_force_to": f"{today.year + 3}-12-31",
        "review_experts": 3,
        "awards_per_round": 4,
        "skill_test": False,
        "skill_test_weight": None,
        "unit_publicity_required": False,
        "unit_publicity_min_workdays": None,
        "certificate_prefix": "DEMOHC",
    })
    policy["articles"] = {k: v for k, v in policy["articles"].items()
                          if k not in ("in_force_from", "in_force_to", "skill_test_weight",
                                       "unit_publicity_min_workdays")}
    di.must("POST", "/v1/programmes", admin, {
        "code": HC_CODE, "name": "环翠区首席技师（持证管理演示）",
        "name_en": "Huancui chief technician (holder demo)", "policy": policy})


def huancui_concluded(office, unit, tokens, clocks, year):
    """A 环翠-based round of `year` from nomination to titles: review, the
    shortlist of four, 考察, the five-working-day notice of the proposed
    list, the group's 审定, the district government's approval and the
    recognition. Returns the recognitions, or [] when the calendar lacks
    the year (with a message)."""
    at(clocks, datetime.date(year, 3, 2))
    rnd, ids = qualified_round(office, unit, year, n=4, code=HC_CODE)
    review(office, tokens, rnd, ids, code=HC_CODE)
    frozen = di.must("POST", f"/v1/rounds/{rnd}/shortlist", office, {"size": 4})
    ids = [e["nomination_id"] for e in frozen["entries"]]
    day = datetime.date(year, 3, 2).isoformat()
    for n in ids:
        di.must("PUT", f"/v1/nominations/{n}/inspection", office, {
            "passed": True, "inspected_on": day,
            "findings": "经实地考察，政治表现、业绩贡献、带徒传技情况属实（演示）"})
    ends = notice_ends(office, rnd, "0631", "before its notice")
    if ends is None:
        return rnd, []
    day = at(clocks, ends + datetime.timedelta(days=1))
    leader = di.login("leader", "demo-leader-pw")
    di.must("POST", f"/v1/rounds/{rnd}/decisions", leader, {
        "meeting_date": day, "meeting_reference": f"演示区委人才工作领导小组{year}年第2次会议（演示）",
        "members_present": ["演示组长", "演示副组长", "演示成员"], "selections": ids})
    di.must("POST", f"/v1/rounds/{rnd}/approval", office,
            {"document_no": f"演示政字〔{year}〕9号（虚构）", "approved_on": day})
    return rnd, di.must("POST", f"/v1/rounds/{rnd}/recognitions", office)["items"]


def at(clocks, day):
    clocks.set(datetime.datetime(day.year, day.month, day.day, 10,
                                 tzinfo=SHANGHAI).timestamp())
    return day.isoformat()


def huancui_holders(office, unit, clocks, issued):
    """The first year of the 环翠 titles (issue 14): in month 5 the third
    holder moves out of the district (suspended, 第十六条（一）); in month 8
    the fourth's title is revoked for refusing the duties (第十七条（二）)
    through the office's finding, the group's 审定 and the government's
    approval; in month 12 the first passes the re-check (two apprentices
    certified at 高级工, 第八条（五）) and the second fails it (one). The
    suspended holder files none, so its re-check shows overdue.

    The allowance ledger (issue 15) lives through it: the office runs each
    month as it begins, payees are set in month 2 (a bank account, an
    employer), finance pays month 1's batch (its CSV and XLSX download) and
    leaves month 2's open; the suspension, recorded a month late, reverses
    month 5; month 13 is paid to the first holder, whose re-check passed in
    month 12, and held for the second until its re-check, decided late,
    fails and cancels it. Returns (case, paid batch, open batch)."""
    leader = di.login("leader", "demo-leader-pw")
    finance = di.login("finance", "demo-finance-pw")
    passes, fails, moved, revoked = issued[:4]
    start = datetime.date.fromisoformat(passes["period_start"])
    done = []

    def month(k, d=10):
        return datetime.date(start.year + (start.month - 1 + k) // 12,
                             (start.month - 1 + k) % 12 + 1, d)

    def runs(upto):
        """Every allowance month up to month(upto), each on its first day."""
        for k in range(len(done), upto + 1):
            at(clocks, month(k, 1))
            di.must("POST", "/v1/allowance/runs", office, {"month": month(k).strftime("%Y-%m")})
            done.append(k)

    runs(1)
    day = at(clocks, month(1, 5))
    for c in (passes, moved, revoked):
        di.must("PUT", f"/v1/allowance/payees/{c['id']}", office, {
            "method": "bank", "bank_name": "演示银行环翠支行（虚构）",
            "account": "62220200000" + c["certificate_number"][-3:] + "12345"})
    di.must("PUT", f"/v1/allowance/payees/{fails['id']}", office, {
        "method": "employer", "employer_name": "演示机械制造有限公司",
        "employer_code": "91110108MA00000070"})
    paid = di.must("POST", "/v1/allowance/batches", finance,
                   {"month": month(0).strftime("%Y-%m")})
    di.must("POST", f"/v1/allowance/batches/{paid['id']}/paid", finance,
            {"reference": "演示银行回单-0001", "paid_on": day},
            headers={"If-Match": f'"{paid["version"]}"'})
    pending = di.must("POST", "/v1/allowance/batches", finance,
                      {"month": month(1).strftime("%Y-%m")})
    runs(4)
    day = at(clocks, month(4))
    di.must("POST", f"/v1/recognitions/{moved['id']}/suspensions", office, {
        "reason": "moved_out_of_district", "effective_on": month(3).isoformat(),
        "note": "本人随单位整体迁至外区，待遇自迁出之日起停止（演示，迟一个月登记）"})
    runs(7)
    day = at(clocks, month(7))
    case = di.must("POST", f"/v1/recognitions/{revoked['id']}/revocation-cases", office, {
        "reason": "refusing_duties", "effective_on": day,
        "facts": "无正当理由连续半年拒不承担带徒传技任务（演示）"})
    for name, token, extra in (
            ("preliminary_finding", office, {}),
            ("ratification", leader,
             {"meeting_reference": f"演示区委人才工作领导小组{month(7).year}年第5次会议（演示）"}),
            ("approval", office, {"document_no": f"演示政字〔{month(7).year}〕21号（虚构）"})):
        di.must("POST", f"/v1/revocation-cases/{case['id']}/steps", token, {
            "step": name, "outcome": "approved", "decided_on": day,
            "note": "情况属实，同意取消（演示）", **extra})
    runs(11)
    certified = (start + datetime.timedelta(days=120)).isoformat()
    for c, levels, when in ((passes, ["senior_worker", "technician"], 11),
                            (fails, ["senior_worker"], 12)):
        runs(when)
        at(clocks, month(when, 15))
        filed = di.must("POST", f"/v1/recognitions/{c['id']}/recheck", unit, {
            "achievements": "主持完成关键工序工艺改进，年节约成本数十万元（演示）",
            "awards": [], "agreements": [{"apprentice": f"演示徒弟{i + 1}", "signed_on":
                                          start.isoformat()} for i in range(len(levels))],
            "apprentices": [{"name": f"演示徒弟{i + 1}", "level": level,
                             "certified_on": certified} for i, level in enumerate(levels)],
            "front_line": True, "no_accident": True, "no_violation": True, "keeps_lead": True})
        di.must("POST", f"/v1/recognitions/{c['id']}/recheck/decision", office,
                {"result": filed["suggested"]})
    return case["id"], paid["id"], pending["id"]


def offset_s(admin):
    """The API clock's offset from the system clock, in seconds."""
    return di.must("GET", "/v1/system/clock", admin)["offset_seconds"]


def main():
    admin = di.login("admin", "demo-admin-pw")
    if any(p["code"] == CODE for p in di.must("GET", "/v1/programmes")["items"]):
        return
    clocks = di.Clocks(admin)
    today = clocks.today
    policy = di.must("GET", "/v1/programmes/lanshan-craftsman")["policy"]
    policy.update({
        "document_no": "演示文件（虚构，仅供演示网络投票）",
        "authority": "演示单位",
        "in_force_from": f"{today.year - 3}-01-01",
        "in_force_to": f"{today.year + 3}-12-31",
        "vote_nominees": 6,
        "awards_per_round": 3,
        "review_experts": 3,
        "cycle_years": 1,  # a round every year, so the demo shows three
        "unit_publicity_required": False,
        "unit_publicity_min_workdays": None,
    })
    policy["articles"] = {k: v for k, v in policy["articles"].items()
                          if k not in ("in_force_from", "in_force_to",
                                       "unit_publicity_min_workdays")}
    huancui_programme(admin, today)
    di.must("POST", "/v1/programmes", admin, {
        "code": CODE, "name": "岚山工匠（网络投票演示）", "name_en": "Lanshan craftsman (vote demo)",
        "policy": policy})
    # An office user of its own runs the demo programme.
    di.must("POST", "/v1/users", admin, {"username": "office-vote",
                                        "password": "demo-office-vote-pw",
                                        "role": "office", "programmes": [CODE, HC_CODE]})
    office = di.login("office-vote", "demo-office-vote-pw")
    unit = di.login("unit", "demo-unit-pw")
    tokens = experts(admin)
    leader_reads(admin)

    # Three years back: a round concluded with certificates.
    revoked = pending = None
    try:
        done, issued = concluded_round(admin, office, unit, tokens, clocks, today.year - 3)
        if len(issued) >= 3:
            revoked, pending = holders(office, unit, clocks, issued, today.year - 3)
    finally:
        clocks.back()
    # Three years back too, a 环翠-based round whose holders lived a year.
    hc_round = hc_case = hc_paid = hc_open = None
    try:
        hc_round, hc_issued = huancui_concluded(office, unit, tokens, clocks, today.year - 3)
        if len(hc_issued) == 4:
            hc_case, hc_paid, hc_open = huancui_holders(office, unit, clocks, hc_issued)
    finally:
        clocks.back()
    # Two years back: the round, then its vote ten days ago, closing three
    # days ago; the clocks come back to today and the vote is closed.
    try:
        clocks.set(datetime.datetime(today.year - 2, 6, 1, 10, tzinfo=SHANGHAI).timestamp())
        old, old_ids = qualified_round(office, unit, today.year - 2)
        old_ids = shortlist(office, tokens, old, old_ids)
        clocks.days_back(10)
        closed, closed_cast = open_vote(admin, office, old, old_ids,
                                        f"{today.year - 2}年度岚山工匠网络投票（演示，已结束）",
                                        7 * 86400)
    finally:
        clocks.back()
    # Last year: the reviews are in, the ranking waits for the office.
    try:
        clocks.set(datetime.datetime(today.year - 1, 6, 1, 10, tzinfo=SHANGHAI).timestamp())
        ranked, ranked_ids = qualified_round(office, unit, today.year - 1, n=8)
        review(office, tokens, ranked, ranked_ids)
    finally:
        clocks.back()
    rnd, ids = qualified_round(office, unit, today.year)
    ids = shortlist(office, tokens, rnd, ids)
    session, cast = open_vote(admin, office, rnd, ids, f"{today.year}年度岚山工匠网络投票（演示）",
                              10 * 86400)
    print(f"demo: public vote {session['id']} (round {rnd}): {cast} votes cast, open until "
          f"{session['closes_at']}")
    print(f"demo: closed vote {closed['id']} (round {old}): {closed_cast} votes, closed at "
          f"{closed['closes_at']}; results: GET /v1/rounds/{old}/vote-results, log: "
          f"GET {VOTE}/v1/sessions/{closed['id']}/log")
    print(f"demo: round {ranked} in review, every review in: GET /v1/rounds/{ranked}/ranking"
          " (office-vote or leader)")
    for c in issued:
        print(f"demo: certificate {c['certificate_number']} ({c['holder_name']}, round {done}): "
              f"curl '{API}/v1/certificates/{c['certificate_number']}?code="
              f"{c['verification_code']}'; PDF: GET /v1/recognitions/{c['id']}/certificate.pdf"
              " (office-vote or leader)")
    if revoked is not None:
        print(f"demo: holders of round {done}: GET /v1/recognitions?round_id={done} "
              f"(office-vote, leader, unit): one active with two passed assessments, one revoked "
              f"after two failed (case {revoked}; the notice: GET /v1/notices?programme={CODE}), "
              f"one with a case waiting for the group (GET /v1/revocation-cases/{pending})")
    if hc_case is not None:
        print(f"demo: holders of the 环翠-based round {hc_round}: GET /v1/recognitions?round_id="
              f"{hc_round} (office-vote, leader, unit): re-check passed, re-check failed "
              f"(GET /v1/recognitions/{{id}}/recheck), one suspended after moving out of the "
              f"district (its re-check overdue), one revoked through all three approvals "
              f"(case {hc_case})")
        print(f"demo: its allowance ledger: GET /v1/allowance/balances, "
              f"/v1/allowance/statements/{{id}}, /v1/allowance/reconciliation (office-vote, "
              f"finance, auditor); batch {hc_paid} paid, batch {hc_open} open; the bank's file: "
              f"GET /v1/allowance/batches/{hc_paid}/export.xlsx (finance)")


if __name__ == "__main__":
    main()
