#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Demo public vote for ./deploy/local.sh run|start: a programme with the
岚山工匠 policy (six nominees go to the vote instead of twenty and three
titles instead of ten, so the demo stays small), a 2026 round taken through intake and qualification to
`review` by the demo unit and office, a vote session opened through the API
(closing three minutes after the demo loads), and 120 votes cast by 40
synthetic voters with tokens of the demo identity provider. Afterwards the
results are public and the log can be downloaded and checked with
`jiangxin-vote verify-log`. Skipped when the programme already exists.

Usage: demo_vote.py API_URL VOTE_URL (JIANGXIN_VOTER_JWT_SECRET in the
environment)"""

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
    now = int(time.time())
    return jwt.encode({"iss": "jiangxin-identity", "aud": "jiangxin-vote", "sub": sub,
                       "iat": now, "exp": now + 600},
                      os.environ["JIANGXIN_VOTER_JWT_SECRET"], algorithm="HS256")


def main():
    admin = di.login("admin", "demo-admin-2026")
    if any(p["code"] == CODE for p in di.call("GET", "/v1/programmes")["items"]):
        return
    policy = di.call("GET", "/v1/programmes/lanshan-craftsman")["policy"]
    policy["vote_nominees"] = 6
    policy["awards_per_round"] = 3
    di.call("POST", "/v1/programmes", admin, {
        "code": CODE, "name": "岚山工匠（网络投票演示）", "name_en": "Lanshan craftsman (vote demo)",
        "policy": policy})
    # An office user of its own runs the demo programme.
    di.call("POST", "/v1/users", admin, {"username": "office-vote", "password": "demo-office-vote-2026",
                                         "role": "office", "programmes": [CODE]})
    office = di.login("office-vote", "demo-office-vote-2026")
    unit = di.login("unit", "demo-unit-2026")

    rnd = di.call("POST", f"/v1/programmes/{CODE}/rounds", office,
                  {"year": 2026, "reference_date": "2026-12-31", "window_opens": "2026-09-01",
                   "window_closes": "2026-12-31"})["id"]
    di.call("POST", f"/v1/rounds/{rnd}/transitions", office, {"to": "accepting"})
    ids = [di.submit(rnd, unit, i) for i in range(6)]
    di.call("POST", f"/v1/rounds/{rnd}/transitions", office, {"to": "qualification"})
    for n in ids:
        checks = di.call("GET", f"/v1/nominations/{n}/eligibility", office)
        overrides = [{"check": c["check"], "reason": "演示数据：已人工核验"}
                     for c in checks.get("checks", []) if c.get("result") == "warning"]
        di.move(n, office, "qualified", overrides=overrides)
    di.call("POST", f"/v1/rounds/{rnd}/transitions", office, {"to": "review"})

    now = datetime.datetime.now(SHANGHAI).replace(microsecond=0)
    session = di.call("POST", f"/v1/rounds/{rnd}/vote-session", office, {
        "title": "2026年度岚山工匠网络投票（演示）",
        "opens_at": now.isoformat(),
        "closes_at": (now + datetime.timedelta(minutes=3)).isoformat(),
        "nominee_ids": ids,
        "limits": {"votes_per_day": 3, "votes_per_nominee_per_day": 1,
                   "ip_rate_per_minute": 100000, "ip_burst": 100000}})
    sid = session["id"]
    for _ in range(50):  # the API pushes it right after the commit
        try:
            urllib.request.urlopen(f"{VOTE}/v1/sessions/{sid}", timeout=5).read()
            break
        except urllib.error.URLError:
            time.sleep(0.2)
    cast = 0
    for v in range(40):
        tok = voter_token(f"demo-voter-{v}")
        for k in range(3):
            status, _ = post(f"{VOTE}/v1/sessions/{sid}/votes", tok,
                             {"nominee_id": ids[(v + 2 * k) % len(ids)]})
            cast += status == 201
    print(f"demo: public vote {sid}: {cast} votes cast, closes at "
          f"{(now + datetime.timedelta(minutes=3)).isoformat()}")


if __name__ == "__main__":
    main()
