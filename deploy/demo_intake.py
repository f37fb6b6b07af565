#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Demo intake for ./deploy/local.sh run|start: a 2026 round of each seed
programme with nominations in several states, all made through the API as
the demo users would make them. Skipped when the programme already has a
round. Candidates are synthetic: ID numbers with valid check characters and
the impossible birth year 1900 (so every 环翠 candidate shows the age
warning, which the office overrides with a reason).

Usage: demo_intake.py API_URL"""

import json
import random
import sys
import urllib.error
import urllib.request

API = sys.argv[1].rstrip("/")


def call(method, path, token=None, body=None):
    req = urllib.request.Request(API + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=15) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        raise SystemExit(f"demo: {method} {path}: {e.code} {e.read().decode()[:300]}")


def login(user, password):
    return call("POST", "/v1/auth/token", body={"username": user, "password": password})[
        "access_token"]


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


def nominate(rnd, unit, i):
    name, occupation, level, post = PEOPLE[i % len(PEOPLE)]
    return call("POST", f"/v1/rounds/{rnd}/nominations", unit, {
        "name": name, "id_number": id_number(), "phone": phone(), "occupation": occupation,
        "skill_level": level, "skill_certificate_no": f"DEMO-{random.randint(10000, 99999)}",
        "front_line": True, "post": post, "innovation_studio_lead": i % 2 == 0,
        "honours": [{"title": "区级技术能手", "level": "district", "year": 2024}],
        "competitions": [{"name": "全市职业技能大赛", "level": "municipal", "rank": "二等奖",
                          "year": 2025}],
        "deeds": f"{name}同志扎根生产一线二十余年，" + "钻研工艺、攻克难题、传帮带徒，成绩突出。" * 40,
    })["id"]


def move(nom, token, to, **body):
    body["to"] = to
    return call("POST", f"/v1/nominations/{nom}/transitions", token, body)


def submit(rnd, unit, i, workdays=None):
    n = nominate(rnd, unit, i)
    extra = {"publicity_workdays": workdays} if workdays else {}
    move(n, unit, "unit_publicity", publicity_start="2026-09-01", **extra)
    move(n, unit, "unit_approved")
    move(n, unit, "submitted")
    return n


def main():
    unit = login("unit", "demo-unit-2026")
    ls_office = login("office-lanshan", "demo-office-lanshan-2026")
    hc_office = login("office-huancui", "demo-office-huancui-2026")
    window = {"year": 2026, "reference_date": "2026-12-31", "window_opens": "2026-09-01",
              "window_closes": "2026-12-31"}

    # 岚山工匠 2026, still taking nominations: draft, in publicity, approved, submitted.
    if not call("GET", "/v1/programmes/lanshan-craftsman/rounds", ls_office)["items"]:
        rnd = call("POST", "/v1/programmes/lanshan-craftsman/rounds", ls_office, window)["id"]
        call("POST", f"/v1/rounds/{rnd}/transitions", ls_office, {"to": "accepting"})
        nominate(rnd, unit, 0)
        n = nominate(rnd, unit, 1)
        move(n, unit, "unit_publicity", publicity_start="2026-11-20")
        n = nominate(rnd, unit, 2)
        move(n, unit, "unit_publicity", publicity_start="2026-09-29")  # across 国庆
        move(n, unit, "unit_approved")
        submit(rnd, unit, 3)
        print("demo: 岚山工匠 2026 round with 4 nominations (accepting)")

    # 环翠区首席技师 2026, in qualification review: qualified, returned, rejected,
    # disqualified, and one still waiting for the office.
    if not call("GET", "/v1/programmes/huancui-chief-technician/rounds", hc_office)["items"]:
        rnd = call("POST", "/v1/programmes/huancui-chief-technician/rounds", hc_office,
                   window)["id"]
        call("POST", f"/v1/rounds/{rnd}/transitions", hc_office, {"to": "accepting"})
        ids = [submit(rnd, unit, i, workdays=5) for i in range(5)]
        call("POST", f"/v1/rounds/{rnd}/transitions", hc_office, {"to": "qualification"})
        move(ids[0], hc_office, "qualified", overrides=[
            {"check": "age_max", "reason": "演示数据：出生年份为虚构的1900年"},
            {"check": "evidence", "reason": "纸质证明材料已现场核验"}])
        move(ids[1], hc_office, "returned", note="请补充职业技能等级证书扫描件")
        move(ids[2], hc_office, "rejected", note="申报人不在一线岗位")
        move(ids[3], hc_office, "disqualified", note="获奖证书经核实系伪造（第十条（三））")
        print("demo: 环翠区首席技师 2026 round with 5 nominations (qualification)")


if __name__ == "__main__":
    main()
