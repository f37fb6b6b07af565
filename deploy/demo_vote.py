#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Demo public votes for ./deploy/local.sh run|start, built relative to
today: a programme with the 岚山工匠 rules for the vote (six nominees go to
the vote instead of twenty and three titles instead of ten, so the demo
stays small), and two of its rounds taken through intake and
qualification to `review` by the demo unit and office:

- this round's vote, open from now for ten days, with 120 votes cast by 40
  synthetic voters: a newcomer can vote in it (README: demo walkthrough);
- the round two years back, whose vote closed three days ago: its results
  are public and its log can be downloaded and checked with
  `jiangxin-vote verify-log`.

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


def qualified_round(office, unit, year):
    """A round of `year` in phase review with six qualified nominations
    (the clocks must lie in its window)."""
    rnd = di.must("POST", f"/v1/programmes/{CODE}/rounds", office,
                  {"year": year, "reference_date": f"{year}-12-31",
                   "window_opens": f"{year}-01-05", "window_closes": f"{year}-12-31"})["id"]
    di.must("POST", f"/v1/rounds/{rnd}/transitions", office, {"to": "accepting"})
    ids = []
    for i in range(6):
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


def open_vote(admin, office, rnd, ids, title, closes_in_s):
    """Opens the round's vote at the clocks' now, waits for the voting
    service to have it, and casts 120 votes of 40 voters. Returns the
    session and the number of votes stored."""
    now = int(time.time() + offset_s(admin))
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
    return session, cast


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
        "unit_publicity_required": False,
        "unit_publicity_min_workdays": None,
    })
    policy["articles"] = {k: v for k, v in policy["articles"].items()
                          if k not in ("in_force_from", "in_force_to",
                                       "unit_publicity_min_workdays")}
    di.must("POST", "/v1/programmes", admin, {
        "code": CODE, "name": "岚山工匠（网络投票演示）", "name_en": "Lanshan craftsman (vote demo)",
        "policy": policy})
    # An office user of its own runs the demo programme.
    di.must("POST", "/v1/users", admin, {"username": "office-vote",
                                        "password": "demo-office-vote-pw",
                                        "role": "office", "programmes": [CODE]})
    office = di.login("office-vote", "demo-office-vote-pw")
    unit = di.login("unit", "demo-unit-pw")

    # Two years back: the round, then its vote ten days ago, closing three
    # days ago; the clocks come back to today and the vote is closed.
    try:
        clocks.set(datetime.datetime(today.year - 2, 6, 1, 10, tzinfo=SHANGHAI).timestamp())
        old, old_ids = qualified_round(office, unit, today.year - 2)
        clocks.days_back(10)
        closed, closed_cast = open_vote(admin, office, old, old_ids,
                                        f"{today.year - 2}年度岚山工匠网络投票（演示，已结束）",
                                        7 * 86400)
    finally:
        clocks.back()
    rnd, ids = qualified_round(office, unit, today.year)
    session, cast = open_vote(admin, office, rnd, ids, f"{today.year}年度岚山工匠网络投票（演示）",
                              10 * 86400)
    print(f"demo: public vote {session['id']} (round {rnd}): {cast} votes cast, open until "
          f"{session['closes_at']}")
    print(f"demo: closed vote {closed['id']} (round {old}): {closed_cast} votes, closed at "
          f"{closed['closes_at']}; results: GET /v1/rounds/{old}/vote-results, log: "
          f"GET {VOTE}/v1/sessions/{closed['id']}/log")


if __name__ == "__main__":
    main()
