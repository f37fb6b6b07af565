#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Demo intake for ./deploy/local.sh run|start: a round of each seed
programme with nominations in several states, all made through the API as
the demo users would make them, built relative to today so that the
windows hold today whatever day the demo is loaded.

The demo stack runs with the test clock on (JIANGXIN_TEST_CLOCK=1), so the
loader lives through the weeks before today: it puts both services' clocks
60 days back, opens the rounds (window: 60 days before today to 60 after),
files nominations and starts their unit publicity that same day (a
publicity may not start before its nomination exists, nor be approved
without its evidence: the unit uploads a photo of the posted notice,
evidence kind unit_publicity), then moves the clocks on through the
publicity's working days back to today for approvals, submissions and the
office's review. A seed policy that has expired by then (岚山's
ends 2027-03-25, 环翠's 2027-11-30) gets a successor version whose document
number says it is fictitious demo data, as an admin would add the real one.
Working days need the State Council calendar: where a year has none yet,
the publicity steps are skipped with a message saying how to load it.

Candidates are synthetic: ID numbers with valid check characters and the
impossible birth year 1900 (so every 环翠 candidate shows the age warning,
which the office overrides with a reason).

Usage: demo_intake.py API_URL VOTE_URL (JIANGXIN_VOTE_PUSH_KEY in the
environment: the path of the API's ES256 push key, for the voting service's
clock)"""

import datetime
import json
import os
import random
import sys
import time
import urllib.error
import urllib.request

import jwt

API = sys.argv[1].rstrip("/")
VOTE = sys.argv[2].rstrip("/") if len(sys.argv) > 2 else None
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
DAY = 86400


class Refused(Exception):
    """An API refusal: status and problem body."""

    def __init__(self, status, body):
        super().__init__(f"{status} {json.dumps(body, ensure_ascii=False)[:300]}")
        self.status, self.body = status, body


def call(method, path, token=None, body=None, base=None, headers=None):
    req = urllib.request.Request((base or API) + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=15) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            problem = json.loads(raw)
        except ValueError:
            problem = {"detail": raw.decode(errors="replace")[:300]}
        raise Refused(e.code, problem) from None


def must(method, path, token=None, body=None, **kw):
    try:
        return call(method, path, token, body, **kw)
    except Refused as e:
        raise SystemExit(f"demo: {method} {path}: {e}") from None


def login(user, password):
    return must("POST", "/v1/auth/token", body={"username": user, "password": password})[
        "access_token"]


# ---------------------------------------------------------------- the clocks
class Clocks:
    """Both services' test clocks, moved together (the demo stack runs with
    JIANGXIN_TEST_CLOCK). `today` is the day the demo is built for: the
    API clock's, which is the real date unless the stack was started with
    JIANGXIN_DEMO_TODAY. back() returns the clocks to where they were."""

    def __init__(self, admin):
        self.admin = admin
        state = must("GET", "/v1/system/clock", admin)
        self.baseline = state["offset_seconds"]
        self.today = datetime.date.fromisoformat(state["today"])

    def _service_token(self):
        now = int(time.time())  # token lifetimes are real time
        with open(os.environ["JIANGXIN_VOTE_PUSH_KEY"], encoding="ascii") as f:
            key = f.read()
        return jwt.encode({"iss": "jiangxin-api", "aud": "jiangxin-vote", "sub": "demo-loader",
                           "role": "service", "iat": now, "exp": now + 120},
                          key, algorithm="ES256")

    def now(self):
        return time.time() + self.baseline

    def set(self, ts):
        body = {"now": datetime.datetime.fromtimestamp(ts, SHANGHAI).isoformat(
            timespec="seconds")}
        must("PUT", "/v1/system/clock", self.admin, body)
        if VOTE:
            must("PUT", "/v1/system/clock", self._service_token(), body, base=VOTE)

    def days_back(self, days):
        self.set(self.now() - days * DAY)

    def back(self):
        self.set(self.now())


def day(d):
    return d.isoformat()


# ------------------------------------------------------------- candidates
def id_number():
    first17 = f"370{random.randint(100, 999)}1900{random.randint(1, 12):02d}" \
              f"{random.randint(1, 28):02d}{random.randint(0, 999):03d}"
    weights = [pow(2, 17 - i, 11) for i in range(17)]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def phone():
    return "139" + "".join(str(random.randint(0, 9)) for _ in range(8))


PEOPLE = [
    ("王建国", "数控车工", "senior_technician", "数控车间机加工岗"),
    ("李秀兰", "焊工", "technician", "焊接车间一线焊接岗"),
    ("张卫东", "钳工", "senior_technician", "装配车间钳工岗"),
    ("刘海燕", "电工", "technician", "设备维修一线岗"),
    ("陈志强", "铣工", "principal_technician", "精密加工岗"),
    ("赵明", "模具工", "technician", "模具车间一线岗"),
]


# The candidates' employer (用人单位, issue 12): the demo unit itself, an
# enterprise recommending its own workers (deploy/local.sh DEMO_UNITS).
EMPLOYER = {"name": "演示机械制造有限公司", "code": "91110108MA00000070", "kind": "enterprise"}


def nominate(rnd, unit, i, year):
    name, occupation, level, post = PEOPLE[i % len(PEOPLE)]
    return must("POST", f"/v1/rounds/{rnd}/nominations", unit, {
        "name": name, "id_number": id_number(), "phone": phone(), "occupation": occupation,
        "skill_level": level, "skill_certificate_no": f"DEMO-{random.randint(10000, 99999)}",
        "front_line": True, "post": post, "innovation_studio_lead": i % 2 == 0,
        "employer": EMPLOYER,
        "honours": [{"title": "区级技术能手", "level": "district", "year": year - 2}],
        "competitions": [{"name": "全市职业技能大赛", "level": "municipal", "rank": "二等奖",
                          "year": year - 1}],
        "deeds": f"{name}同志扎根生产一线二十余年，" + "钻研工艺、攻克难题、传帮带徒，成绩突出。" * 40,
    })["id"]


def move(nom, token, to, **body):
    body["to"] = to
    return must("POST", f"/v1/nominations/{nom}/transitions", token, body)


MISSING_YEARS = set()


# A stand-in for the photo of the posted notice (a minimal PDF).
NOTICE_PDF = b"%PDF-1.4\n1 0 obj\n(demo: unit publicity notice)\nendobj\n%%EOF\n"


def upload_notice(nom, unit):
    """The publicity's evidence (kind unit_publicity), which the seed
    policies require before the unit approves its publicity."""
    req = urllib.request.Request(
        f"{API}/v1/nominations/{nom}/attachments?kind=unit_publicity&filename=notice.pdf",
        method="POST", data=NOTICE_PDF,
        headers={"Content-Type": "application/pdf", "Authorization": f"Bearer {unit}"})
    try:
        with urllib.request.urlopen(req, timeout=15) as r:
            r.read()
    except urllib.error.HTTPError as e:
        raise SystemExit(f"demo: evidence upload: {e.code} {e.read()[:300]!r}") from None


def publicize(nom, unit, start, **extra):
    """The unit publicity from `start` (the clocks' today: never before the
    nomination was created) with its evidence; False (with a message) when
    the calendar lacks the year it needs."""
    try:
        call("POST", f"/v1/nominations/{nom}/transitions", unit,
             dict(extra, to="unit_publicity", publicity_start=day(start)))
        upload_notice(nom, unit)
        return True
    except Refused as e:
        if e.body.get("type", "").endswith(":calendar-unavailable"):
            year = e.body.get("missing_year")
            if year not in MISSING_YEARS:
                MISSING_YEARS.add(year)
                print(f"demo: no working-day calendar for {year} yet: unit publicities that "
                      "need it are skipped (README: loading next year's calendar)")
            return False
        raise SystemExit(f"demo: unit publicity: {e}") from None


# ------------------------------------------------------------- programmes
def ensure_policy(admin, code, clocks):
    """Adds a fictitious successor version when the programme's policy has
    expired, so that a round can open under it (as an admin would add the
    real successor document)."""
    prog = must("GET", f"/v1/programmes/{code}")
    head = prog["policy_version"]
    if head["status"] != "expired":
        return
    ended = datetime.date.fromisoformat(head["in_force_to"])
    policy = dict(prog["policy"])
    start = ended + datetime.timedelta(days=1)
    policy.update({
        "document_no": f"演示文号〔{start.year}〕1号（虚构，仅供演示）",
        "in_force_from": day(start),
        "in_force_to": day(datetime.date(start.year + 5, start.month, min(start.day, 28))),
    })
    must("POST", f"/v1/programmes/{code}/policy-versions", admin, {"policy": policy},
         headers={"If-Match": f"\"{prog['version']}\""})
    print(f"demo: {code}: {head['document_no']} expired on {head['in_force_to']}; added the "
          f"fictitious successor {policy['document_no']} (an admin adds the real one)")


def window_for(code, today):
    """The demo round's window: from 60 days before today (or from the day
    the version in force today began) to 60 days after (or its end), so
    the round pins the version in force today and its window holds today."""
    head = must("GET", f"/v1/programmes/{code}")["policy_version"]
    began = datetime.date.fromisoformat(head["in_force_from"])
    ends = datetime.date.fromisoformat(head["in_force_to"])
    opens = max(today - datetime.timedelta(days=60), began)
    closes = min(today + datetime.timedelta(days=60), ends)
    return {"year": opens.year, "reference_date": day(datetime.date(opens.year, 12, 31)),
            "window_opens": day(opens), "window_closes": day(closes)}


def open_round(code, office, unit, clocks, n, **publicity):
    """A round opened on its window's first day (the clocks put there) with
    n nominations, the last n - 1 of them in unit publicity from that same
    day, with their evidence. The clocks then go back to today, through
    the publicity's working days. Returns (round, window, ids, publicized)."""
    window = window_for(code, clocks.today)
    opens = datetime.date.fromisoformat(window["window_opens"])
    start = opens  # the clocks' today while the nominations are filed
    clocks.days_back((clocks.today - opens).days)
    try:
        rnd = must("POST", f"/v1/programmes/{code}/rounds", office, window)["id"]
        must("POST", f"/v1/rounds/{rnd}/transitions", office, {"to": "accepting"})
        ids = [nominate(rnd, unit, i, clocks.today.year) for i in range(n)]
        public = [False] + [publicize(i, unit, start, **publicity) for i in ids[1:]]
    finally:
        clocks.back()
    return rnd, window, ids, public


def approve(nom, unit, submit):
    """unit_approved (and submitted) once the publicity has ended; False
    while it still runs."""
    try:
        call("POST", f"/v1/nominations/{nom}/transitions", unit, {"to": "unit_approved"})
    except Refused as e:
        if e.status == 409:
            return False
        raise SystemExit(f"demo: unit_approved: {e}") from None
    if submit:
        move(nom, unit, "submitted")
    return True


def main():
    admin = login("admin", "demo-admin-pw")
    unit = login("unit", "demo-unit-pw")
    ls_office = login("office-lanshan", "demo-office-lanshan-pw")
    hc_office = login("office-huancui", "demo-office-huancui-pw")
    clocks = Clocks(admin)

    # 岚山工匠, still taking nominations: draft, in publicity, approved, submitted.
    code = "lanshan-craftsman"
    if not must("GET", f"/v1/programmes/{code}/rounds", ls_office)["items"]:
        ensure_policy(admin, code, clocks)
        rnd, window, ids, public = open_round(code, ls_office, unit, clocks, 4)
        states = ["draft", "unit_publicity" if public[1] else "draft"]
        for nom, ok, submit in ((ids[2], public[2], False), (ids[3], public[3], True)):
            done = ok and approve(nom, unit, submit)
            states.append(("submitted" if submit else "unit_approved") if done else
                          "unit_publicity" if ok else "draft")
        print(f"demo: 岚山工匠 round ({window['window_opens']} to {window['window_closes']}, "
              f"accepting): nominations {', '.join(states)}")

    # 环翠区首席技师, in qualification review: qualified, returned, rejected,
    # disqualified, and one still waiting for the office.
    code = "huancui-chief-technician"
    if not must("GET", f"/v1/programmes/{code}/rounds", hc_office)["items"]:
        ensure_policy(admin, code, clocks)
        rnd, window, ids, public = open_round(code, hc_office, unit, clocks, 6,
                                              publicity_workdays=5)
        ready = [n for n, ok in zip(ids, public) if ok and approve(n, unit, True)]
        if len(ready) == 5:
            move(ids[0], unit, "withdrawn", note="演示数据：单位撤回")
            must("POST", f"/v1/rounds/{rnd}/transitions", hc_office, {"to": "qualification"})
            move(ready[0], hc_office, "qualified", overrides=[
                {"check": "age_max", "reason": "演示数据：出生年份为虚构的1900年"},
                {"check": "evidence", "reason": "纸质证明材料已现场核验"}])
            move(ready[1], hc_office, "returned", note="请补充职业技能等级证书扫描件")
            move(ready[2], hc_office, "rejected", note="申报人不在一线岗位")
            move(ready[3], hc_office, "disqualified", note="获奖证书经核实系伪造（第十条（三））")
            print(f"demo: 环翠区首席技师 round ({window['window_opens']} to "
                  f"{window['window_closes']}, qualification): nominations withdrawn, "
                  "qualified, returned, rejected, disqualified, submitted")
        else:
            print(f"demo: 环翠区首席技师 round ({window['window_opens']} to "
                  f"{window['window_closes']}, accepting): {len(ready)} of 5 nominations "
                  "submitted (their unit publicity has not ended or could not be counted)")


if __name__ == "__main__":
    main()
