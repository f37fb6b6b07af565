# SPDX-License-Identifier: MIT
"""GET /v1/system/status, `jiangxin-api status` and the /metrics gauges:
warnings with stable codes before time-bound data runs out (the calendar
within 60 days, a policy version within 90 days or expired with no
successor) and while the test clock is on. Each case puts the clocks where
its scenario needs them; programme warnings are looked up by the test's own
programme."""

import datetime
import json
import re
import subprocess

import pytest

import support


def status(api, token):
    r = api.get("/v1/system/status", token=token, expect=200)
    assert r.headers["Cache-Control"] == "no-store"
    return r.body


def warnings_of(body, code=None, programme=None):
    return [w for w in body["warnings"]
            if (code is None or w["code"] == code)
            and (programme is None or w.get("programme") == programme)]


def day(d):
    return datetime.date.fromisoformat(d)


def test_admin_and_office_read_it_others_do_not(api, factory, admin_token):
    status(api, admin_token)
    status(api, factory.user("office").token)
    for role in ("unit", "expert", "leader", "finance", "auditor", "service"):
        api.get("/v1/system/status", token=factory.user(role).token, expect=403)
    api.get("/v1/system/status", expect=401)


def test_the_test_clock_is_a_warning(api, admin_token, clock):
    body = status(api, admin_token)
    assert body["test_clock"] is True and body["ok"] is False
    (w,) = warnings_of(body, "test_clock_on")
    assert w["severity"] == "warning" and w["message"] and w["message_en"]
    assert abs(datetime.datetime.fromisoformat(w["now"]).timestamp() - clock.now()) < 5
    assert body["today"] == clock.today().isoformat()


def test_calendar_ending_and_missing(api, admin_token, clock):
    last = day(status(api, admin_token)["calendar"]["last_day"])
    clock.set(last - datetime.timedelta(days=61))
    assert not warnings_of(status(api, admin_token), "calendar_ending")
    clock.set(last - datetime.timedelta(days=30))
    body = status(api, admin_token)
    (w,) = warnings_of(body, "calendar_ending")
    assert (w["last_day"], w["days_left"], w["year"]) == (last.isoformat(), 30, last.year + 1)
    assert w["severity"] == "warning"
    assert str(last.year + 1) in w["message"] and str(last.year + 1) in w["message_en"]
    clock.set(last + datetime.timedelta(days=1))
    body = status(api, admin_token)
    (w,) = warnings_of(body, "calendar_missing")
    assert w["severity"] == "critical" and w["year"] == last.year + 1
    assert body["calendar"]["last_day"] is None
    assert body["warnings"][0]["severity"] == "critical"  # critical first


def test_policy_expiring_expired_and_a_successor(api, admin_token, factory, clock):
    today = clock.today()
    ends = datetime.date(today.year + 1, 6, 30)
    code = factory.programme(in_force_from=f"{today.year - 1}-01-01",
                             in_force_to=ends.isoformat(),
                             document_no="测试文号〔2099〕7号（虚构）")
    clock.set(ends - datetime.timedelta(days=91))
    assert not warnings_of(status(api, admin_token), programme=code)
    clock.set(ends - datetime.timedelta(days=90))
    (w,) = warnings_of(status(api, admin_token), programme=code)
    assert (w["code"], w["severity"], w["days_left"], w["in_force_to"]) == \
        ("policy_expiring", "warning", 90, ends.isoformat())
    assert w["document_no"] == "测试文号〔2099〕7号（虚构）" and w["article"] == "第十三条"
    assert "测试文号〔2099〕7号（虚构）" in w["message"]
    clock.set(ends + datetime.timedelta(days=1))
    (w,) = warnings_of(status(api, admin_token), programme=code)
    assert (w["code"], w["severity"]) == ("policy_expired", "critical")
    # A successor from the next day ends both warnings.
    prog = api.get(f"/v1/programmes/{code}", expect=200)
    policy = dict(prog.body["policy"], document_no="测试文号〔2099〕8号（虚构）",
                  in_force_from=(ends + datetime.timedelta(days=1)).isoformat(),
                  in_force_to=f"{ends.year + 5}-06-30")
    api.post(f"/v1/programmes/{code}/policy-versions", token=admin_token,
             json={"policy": policy}, headers={"If-Match": prog.headers["ETag"]}, expect=201)
    assert not warnings_of(status(api, admin_token), programme=code)
    clock.set(ends - datetime.timedelta(days=10))
    assert not warnings_of(status(api, admin_token), programme=code)


def test_status_lists_the_versions_and_the_calendar(api, admin_token):
    body = status(api, admin_token)
    seeded = {(v["programme"], v["number"]): v for v in body["policy_versions"]}
    lanshan = seeded[("lanshan-craftsman", 1)]
    assert (lanshan["document_no"], lanshan["in_force_to"], lanshan["article"]) == \
        ("岚政办字〔2022〕8号", "2027-03-25", "第十三条")
    assert set(range(2020, 2027)) <= set(body["calendar"]["years"])


def test_metrics_gauges(api, admin_token):
    text = api.get("/metrics", expect=200).text
    body = status(api, admin_token)
    last = day(body["calendar"]["last_day"])
    end = datetime.datetime(last.year, last.month, last.day,
                            tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    end += datetime.timedelta(days=1)
    m = re.search(r"^jiangxin_calendar_last_day_timestamp_seconds (\d+)$", text, re.M)
    assert m and int(m.group(1)) == int(end.timestamp())
    m = re.search(r'^jiangxin_policy_version_in_force_to_timestamp_seconds'
                  r'\{programme="lanshan-craftsman",number="1"\} (\d+)$', text, re.M)
    # 2027-03-25 ends at 2027-03-26T00:00+08:00
    assert m and int(m.group(1)) == 1805990400


def test_cli_prints_the_same_warnings(api, admin_token):
    """`jiangxin-api status` reads the database with its own clock (the
    system's here: no test clock in its environment)."""
    api_bin = support.need_env("JIANGXIN_TEST_API_BIN")
    r = subprocess.run([api_bin, "status", "--json"], env=support.cli_env(),
                       capture_output=True, text=True, timeout=60)
    body = json.loads(r.stdout)
    assert body["test_clock"] is False
    assert not [w for w in body["warnings"] if w["code"] == "test_clock_on"]
    assert r.returncode == (1 if body["warnings"] else 0)
    r = subprocess.run([api_bin, "status"], env=support.cli_env(), capture_output=True,
                       text=True, timeout=60)
    assert r.stdout.startswith("today ")
    for w in body["warnings"]:
        assert f"{w['severity']} {w['code']}:" in r.stdout
    r = subprocess.run([api_bin, "status", "--yaml"], env=support.cli_env(),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
