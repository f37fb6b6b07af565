# SPDX-License-Identifier: MIT
"""Issue 15, the allowance ledger's monthly run over HTTP and the CLI, on
the test clock: 环翠区首席技师 第四条 (500 yuan a month in the management
period), 第十二条 (months 13–24 only after the re-check: held, then
released or cancelled), 第十六条（一） (a suspension covering a month's first
day stops it). Idempotent runs, the month-in-future refusal, the immutable
ledger, who may run and read."""

import datetime
import signal
import subprocess
import threading
import time

import pytest

import clock_support
import decision_flow as df
import support

FEN = 50000  # 环翠 第四条: 500 yuan


def month(start, k, day=1):
    """Day `day` of month k (1-based) of the period starting on `start`."""
    return datetime.date(start.year + (start.month - 2 + k) // 12, (start.month - 2 + k) % 12 + 1,
                         day)


def at(day):
    clock_support.clock().set(day)


def ym(day):
    return day.strftime("%Y-%m")


def run(api, token, day, expect=201):
    return api.post("/v1/allowance/runs", token=token, json={"month": ym(day)},
                    expect=expect).body


def ledger(api, token, rid, **query):
    items, cursor = [], None
    while True:
        q = {"recognition_id": rid, "limit": 100, **query}
        if cursor:
            q["cursor"] = cursor
        page = api.get("/v1/allowance/ledger", token=token, params=q, expect=200).body
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def application(start, levels):
    certified = (start + datetime.timedelta(days=60)).isoformat()
    return {"achievements": "主持完成工艺改进。", "awards": [], "agreements": [],
            "apprentices": [{"name": f"徒弟{i}", "level": level, "certified_on": certified}
                            for i, level in enumerate(levels)],
            "front_line": True, "no_accident": True, "no_violation": True, "keeps_lead": True}


def test_runs_accrue_hold_settle_and_stop(api, factory):
    w = df.huancui_recognized(api, factory, 3)
    a, b, c = w.issued
    office = w.office.token
    start = datetime.date.fromisoformat(a["period_start"])

    # The month of recognition is not in the period; the next month is not yet runnable.
    r = run(api, office, month(start, 0))
    assert (r["accruals"], r["holds"], r["accrued_fen"]) == (0, 0, 0)
    assert r["programmes"] == [w.programme] and r["source"] == "api"
    p = run(api, office, month(start, 1), expect=422)
    assert p["errors"][0]["code"] == "month_in_future" and p["errors"][0]["pointer"] == "/month"

    # Month 1: three accruals of 500 yuan; a second run adds nothing.
    at(month(start, 1))
    r = run(api, office, month(start, 1))
    assert (r["accruals"], r["holds"], r["accrued_fen"], r["held_fen"]) == (3, 0, 3 * FEN, 0)
    again = run(api, office, month(start, 1))
    assert (again["accruals"], again["accrued_fen"]) == (0, 0) and again["id"] != r["id"]
    entry = ledger(api, office, a["id"])[0]
    assert (entry["kind"], entry["month"], entry["amount_fen"], entry["reason"]) == \
        ("accrual", ym(month(start, 1)), FEN, "monthly_run")
    assert entry["run_id"] == r["id"] and entry["corrects"] is None

    # C moves out of the district on the 10th of month 3 (recorded in month 4): month 3,
    # run late, still accrues (its first day came before); month 4 does not.
    at(month(start, 4, 5))
    api.post(f"/v1/recognitions/{c['id']}/suspensions", token=office, json={
        "reason": "moved_out_of_district", "effective_on": month(start, 3, 10).isoformat(),
        "note": "迁出本区。"}, expect=201)
    for k in (2, 3, 4):
        run(api, office, month(start, k))
    assert [e["month"] for e in ledger(api, office, c["id"])] == \
        [ym(month(start, k)) for k in (1, 2, 3)]
    assert len(ledger(api, office, a["id"], kind="accrual")) == 4

    # Month 13, the re-check undecided: A and B are held, C (suspended) nothing.
    for k in range(5, 13):
        at(month(start, k))
        run(api, office, month(start, k))
    at(month(start, 13, 3))
    r = run(api, office, month(start, 13))
    assert (r["accruals"], r["holds"], r["held_fen"]) == (0, 2, 2 * FEN)
    hold = ledger(api, office, a["id"], kind="hold")
    assert [(e["month"], e["amount_fen"]) for e in hold] == [(ym(month(start, 13)), FEN)]

    # The re-check decides: A passed (the hold released), B failed (cancelled).
    for holder, levels, result in ((a, ["senior_worker", "technician"], "passed"),
                                   (b, ["senior_worker"], "failed")):
        api.post(f"/v1/recognitions/{holder['id']}/recheck", token=w.unit.token,
                 json=application(start, levels), expect=201)
        api.post(f"/v1/recognitions/{holder['id']}/recheck/decision", token=office,
                 json={"result": result}, expect=200)
    (release,) = ledger(api, office, a["id"], kind="release")
    assert (release["corrects"], release["reason"], release["amount_fen"]) == \
        (hold[0]["id"], "recheck_passed", FEN)
    (cancel,) = ledger(api, office, b["id"], kind="cancellation")
    assert cancel["reason"] == "recheck_failed" and cancel["corrects"] == \
        ledger(api, office, b["id"], kind="hold")[0]["id"]

    # Month 14 and the last, 24: A accrues, B and C nothing; month 25 is outside.
    for k in range(14, 26):
        at(month(start, k))
        run(api, office, month(start, k))
    kinds = {holder["id"]: [(e["month"], e["kind"]) for e in ledger(api, office, holder["id"])]
             for holder in (a, b, c)}
    assert kinds[a["id"]] == [(ym(month(start, k)), "accrual") for k in range(1, 13)] + \
        [(ym(month(start, 13)), "hold"), (ym(month(start, 13)), "release")] + \
        [(ym(month(start, k)), "accrual") for k in range(14, 25)]
    assert kinds[b["id"]] == [(ym(month(start, k)), "accrual") for k in range(1, 13)] + \
        [(ym(month(start, 13)), "hold"), (ym(month(start, 13)), "cancellation")]
    assert len(kinds[c["id"]]) == 3
    paid = sum(e["amount_fen"] for e in ledger(api, office, a["id"])
               if e["kind"] in ("accrual", "release"))
    assert paid == 24 * FEN  # 第四条: 24 months of 500 yuan, 12,000 yuan


def test_a_one_time_reward_has_no_ledger(api, factory):
    w = df.lanshan_recognized(api, factory, 1)
    start = datetime.date.fromisoformat(w.issued[0]["recognized_on"])
    at(month(start, 2))
    r = run(api, w.office.token, month(start, 2))
    assert (r["accruals"], r["holds"]) == (0, 0)
    assert ledger(api, w.office.token, w.issued[0]["id"]) == []


def test_the_ledger_refuses_update_delete_and_truncate(api, factory, db_url):
    w = df.huancui_recognized(api, factory, 1)
    start = datetime.date.fromisoformat(w.issued[0]["period_start"])
    at(month(start, 1))
    run(api, w.office.token, month(start, 1))
    (entry,) = ledger(api, w.office.token, w.issued[0]["id"])
    for sql in (f"UPDATE allowance_entries SET amount_fen = 1 WHERE id = '{entry['id']}'",
                f"DELETE FROM allowance_entries WHERE id = '{entry['id']}'",
                "TRUNCATE allowance_entries CASCADE",
                f"UPDATE allowance_runs SET accruals = 9 WHERE id = '{entry['run_id']}'"):
        with pytest.raises(AssertionError, match="append-only|permission denied"):
            support.psql_scalar(db_url, sql)
    assert ledger(api, w.office.token, w.issued[0]["id"]) == [entry]


def test_the_cli_runs_the_same_month_once(api, factory):
    w = df.huancui_recognized(api, factory, 2)
    start = datetime.date.fromisoformat(w.issued[0]["period_start"])
    at(month(start, 1, 2))
    env = support.cli_env(JIANGXIN_TEST_CLOCK=f"{month(start, 1, 2).isoformat()}T10:00:00+08:00")
    binary = support.need_env("JIANGXIN_TEST_API_BIN")

    def cli(*args):
        return subprocess.run([binary, "allowance", "run", *args], env=env, capture_output=True,
                              text=True, timeout=120)

    done = cli("--month", ym(month(start, 1)))
    assert done.returncode == 0, done.stderr
    assert '"source":"cli"' in done.stdout and '"run_by":"cli"' in done.stdout
    for c in w.issued:
        assert [e["kind"] for e in ledger(api, w.office.token, c["id"])] == ["accrual"]
    # The API's run of the same month adds nothing; nor does the CLI again.
    assert run(api, w.office.token, month(start, 1))["accruals"] == 0
    assert '"accruals":0' in cli("--month", ym(month(start, 1))).stdout
    ahead = cli("--month", ym(month(start, 2)))
    assert ahead.returncode == 1 and "month_in_future" in ahead.stderr
    for bad in (["--month", "2027-13"], ["--month"], [], ["--year", "2027"]):
        r = cli(*bad)
        assert r.returncode in (1, 2) and r.stdout == "", (bad, r.returncode, r.stdout)
    assert cli("--month", "2027-13").returncode == 1


BAD_MONTHS = ["2027-13", "2027-1", "27-01", "2027/01", "2027-01-01", 202701, None]


@pytest.mark.parametrize("value", BAD_MONTHS, ids=[repr(v) for v in BAD_MONTHS])
def test_a_bad_month_is_refused_and_runs_nothing(api, factory, db_url, value):
    token = factory.user("finance").token
    before = support.psql_scalar(db_url, "SELECT count(*) || ',' || (SELECT count(*) FROM "
                                         "allowance_runs) FROM allowance_entries")
    body = {} if value is None else {"month": value}
    r = api.post("/v1/allowance/runs", token=token, json=body, expect=422).body
    assert r["errors"][0]["pointer"] == "/month"
    assert r["errors"][0]["code"] in ("not_month", "too_short", "too_long", "wrong_type",
                                      "required")
    assert support.psql_scalar(db_url, "SELECT count(*) || ',' || (SELECT count(*) FROM "
                                       "allowance_runs) FROM allowance_entries") == before


def test_bad_query_parameters(api, factory):
    token = factory.user("auditor").token
    for path, code in (("/v1/allowance/ledger?month=2027-13", "not_month"),
                       ("/v1/allowance/ledger?kind=bonus", "unknown_value"),
                       ("/v1/allowance/ledger?recognition_id=x", "not_uuid"),
                       ("/v1/allowance/ledger?cursor=abc", "invalid_cursor"),
                       ("/v1/allowance/runs?month=March", "not_month"),
                       ("/v1/allowance/runs?cursor=-1", "invalid_cursor")):
        assert api.get(path, token=token, expect=400).body["code"] == code, path


def test_who_may_run_and_read(api, factory):
    w = df.huancui_recognized(api, factory, 1)
    start = datetime.date.fromisoformat(w.issued[0]["period_start"])
    at(month(start, 1))
    run(api, w.office.token, month(start, 1))
    other = factory.office(factory.programme(base=df.HC)).token
    tokens = {role: factory.user(role).token for role in
              ("admin", "unit", "expert", "leader", "finance", "auditor", "service")}
    tokens["office"] = w.office.token
    rid = w.issued[0]["id"]
    for role, token in tokens.items():
        writes = role in ("office", "finance")
        reads = role in ("office", "finance", "auditor")
        r = api.post("/v1/allowance/runs", token=token, json={"month": "x"}, check="none")
        assert r.status_code == (422 if writes else 403), (role, r.status_code)
        for path in (f"/v1/allowance/ledger?recognition_id={rid}", "/v1/allowance/runs",
                     "/v1/allowance/balances", f"/v1/allowance/statements/{rid}",
                     "/v1/allowance/summary?from=2020-01&to=2029-12",
                     "/v1/allowance/reconciliation"):
            r = api.get(path, token=token, check="none")
            assert r.status_code == (200 if reads else 403), (role, path, r.status_code)
            if not reads:
                assert "amount" not in r.text and "fen" not in r.text
    for path in ("/v1/allowance/ledger", "/v1/allowance/runs", "/v1/allowance/balances",
                 f"/v1/allowance/statements/{rid}", "/v1/allowance/summary",
                 "/v1/allowance/reconciliation"):
        api.get(path, check="none", expect=401)
    # An office of another programme sees no entry, balance or statement of this one.
    assert api.get("/v1/allowance/balances", token=other, expect=200).body["items"] == []
    assert api.get("/v1/allowance/reconciliation", token=other,
                   expect=200).body["entries_fen"] == 0
    # An office of another programme sees neither the entries nor the run.
    assert api.get(f"/v1/allowance/ledger?recognition_id={rid}", token=other,
                   expect=200).body["items"] == []
    mine = {x["id"] for x in api.get("/v1/allowance/runs", token=w.office.token,
                                     expect=200).body["items"]}
    theirs = {x["id"] for x in api.get("/v1/allowance/runs", token=other,
                                       expect=200).body["items"]}
    assert mine and not mine & theirs


# The start rule (SPEC §4's default, the only one: the month after
# recognition) and the period's last day, written once in SQL
# (management_period(), db/functions/13_holders.sql), which the run reads.
PERIODS = [
    # recognized_on, months, period_start, period_end
    ("2027-03-01", 24, "2027-04-01", "2029-03-31"),  # on the 1st
    ("2027-03-16", 24, "2027-04-01", "2029-03-31"),  # mid-month
    ("2027-03-31", 24, "2027-04-01", "2029-03-31"),  # the last day
    ("2027-12-31", 24, "2028-01-01", "2029-12-31"),  # across the year boundary
    ("2028-01-31", 24, "2028-02-01", "2030-01-31"),  # into a leap February
    ("2028-02-29", 24, "2028-03-01", "2030-02-28"),  # recognised on the leap day
    ("2027-02-28", 1, "2027-03-01", "2027-03-31"),   # a one-month period
    ("2027-11-15", 13, "2027-12-01", "2028-12-31"),
]


@pytest.mark.parametrize("recognized,months,first,last", PERIODS,
                         ids=[p[0] + f"+{p[1]}" for p in PERIODS])
def test_the_period_starts_the_month_after_recognition(db_url, recognized, months, first, last):
    got = support.psql_scalar(db_url, f"""
        SELECT period_start || ' ' || period_end FROM management_period(
            '{{"management_period_months": {months}}}'::jsonb, '{recognized}'::date)""")
    assert got == f"{first} {last}"


revoke = df.revoke


def test_late_stops_reverse_the_months_after_them(api, factory):
    """A suspension or revocation effective in the past takes back, in its
    own transaction, the months accrued from the first month whose first
    day it covers (a reversal naming each accrual); fraud takes back every
    month (第十七条（三）); a held month is cancelled."""
    w = df.huancui_recognized(api, factory, 4)
    a, b, c, d = w.issued
    office = w.office.token
    start = datetime.date.fromisoformat(a["period_start"])
    for k in range(1, 7):
        at(month(start, k))
        run(api, office, month(start, k))
    at(month(start, 6, 20))
    api.post(f"/v1/recognitions/{a['id']}/suspensions", token=office, json={
        "reason": "left_skilled_post", "effective_on": month(start, 3, 10).isoformat(),
        "note": "调离技能岗位。"}, expect=201)
    revoke(api, w, b["id"], "refusing_duties", month(start, 5, 1))
    revoke(api, w, c["id"], "fraud", month(start, 6, 15))

    def reversed_months(holder):
        return [(e["month"], e["reason"]) for e in ledger(api, office, holder["id"],
                                                           kind="reversal")]

    assert reversed_months(a) == [(ym(month(start, k)), "suspension") for k in (4, 5, 6)]
    assert reversed_months(b) == [(ym(month(start, k)), "revocation") for k in (5, 6)]
    assert reversed_months(c) == [(ym(month(start, k)), "revocation_fraud") for k in range(1, 7)]
    assert reversed_months(d) == []
    accruals = {e["id"]: e for e in ledger(api, office, c["id"], kind="accrual")}
    assert {e["corrects"] for e in ledger(api, office, c["id"], kind="reversal")} == set(accruals)
    # Nothing accrues for them after; D goes on, and its held month 13 is cancelled by a
    # suspension that covers its first day.
    for k in range(7, 14):
        at(month(start, k))
        run(api, office, month(start, k))
    # (an accrual stays in the ledger when reversed: the reversal names it)
    assert [len(ledger(api, office, h["id"], kind="accrual")) for h in (a, b, c, d)] == \
        [6, 6, 6, 12]
    (hold,) = ledger(api, office, d["id"], kind="hold")
    at(month(start, 13, 8))
    api.post(f"/v1/recognitions/{d['id']}/suspensions", token=office, json={
        "reason": "moved_out_of_district", "effective_on": month(start, 13, 1).isoformat(),
        "note": "迁出本区。"}, expect=201)
    (cancel,) = ledger(api, office, d["id"], kind="cancellation")
    assert (cancel["corrects"], cancel["reason"]) == (hold["id"], "suspension")
    assert ledger(api, office, d["id"], kind="reversal") == []


class Blocker:
    """A psql session holding, uncommitted, an accrual row for (rid, month):
    a run that reaches its INSERT waits on it, mid-transaction."""

    def __init__(self, db_url, rid, first_day):
        self.proc = subprocess.Popen(["psql", "-X", "-A", "-t", "-q", "-d", db_url],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.proc.stdin.write(
            "BEGIN;\n"
            "INSERT INTO allowance_entries (recognition_id, month, kind, amount_fen, reason,"
            f" actor, at) VALUES ('{rid}', '{first_day}', 'accrual', 1, 'blocker', 'test',"
            " '2020-01-01T00:00:00Z');\n\\echo ready\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "ready"

    def release(self):
        self.proc.stdin.write("ROLLBACK;\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def waiting_run(db_url, deadline=30):
    """The pid of the backend of a run waiting inside allowance_run_record."""
    for _ in range(deadline * 10):
        pid = support.psql_scalar(db_url, """
            SELECT pid FROM pg_stat_activity
             WHERE query LIKE '%allowance_run_record%' AND wait_event_type = 'Lock'
               AND pid <> pg_backend_pid() LIMIT 1""")
        if pid:
            return pid
        time.sleep(0.1)
    raise AssertionError("no run is waiting mid-transaction")


def gone(db_url, pid):
    for _ in range(300):
        if support.psql_scalar(db_url, f"SELECT count(*) FROM pg_stat_activity "
                                       f"WHERE pid = {pid}") == "0":
            return
        time.sleep(0.1)
    raise AssertionError(f"backend {pid} is still there")


def test_a_run_killed_mid_transaction_leaves_nothing_and_reruns_once(api, factory, db_url):
    """The crash test: the run's PostgreSQL backend terminated mid-run
    (pg_terminate_backend), then the CLI process killed mid-run; each
    leaves no entry and no run, and the rerun writes exactly one accrual
    per holder and month."""
    w = df.huancui_recognized(api, factory, 2)
    a, b = w.issued
    start = datetime.date.fromisoformat(a["period_start"])
    at(month(start, 1, 2))
    first = month(start, 1).isoformat()

    def counts():
        return support.psql_scalar(db_url, f"""
            SELECT count(*) FILTER (WHERE reason <> 'blocker') FROM allowance_entries
             WHERE recognition_id IN ('{a['id']}', '{b['id']}')""")

    runs_before = support.psql_scalar(db_url, "SELECT count(*) FROM allowance_runs")
    # 1. The backend terminated while the API's run waits in its INSERT.
    blocker = Blocker(db_url, a["id"], first)
    answer = {}
    thread = threading.Thread(target=lambda: answer.update(r=api.post(
        "/v1/allowance/runs", token=w.office.token, json={"month": ym(month(start, 1))},
        check="none", timeout=60)))
    thread.start()
    pid = waiting_run(db_url)
    support.psql_scalar(db_url, f"SELECT pg_terminate_backend({pid})")
    thread.join(60)
    blocker.release()
    assert answer["r"].status_code in (500, 503), answer["r"].text[:300]
    assert answer["r"].headers["Content-Type"].startswith("application/problem+json")
    assert counts() == "0"
    # 2. The CLI process killed while its run waits in the same place.
    blocker = Blocker(db_url, a["id"], first)
    env = support.cli_env(JIANGXIN_TEST_CLOCK=f"{month(start, 1, 2).isoformat()}T10:00:00+08:00")
    cli = subprocess.Popen([support.need_env("JIANGXIN_TEST_API_BIN"), "allowance", "run",
                            "--month", ym(month(start, 1))], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    pid = waiting_run(db_url)
    cli.send_signal(signal.SIGKILL)
    cli.wait(timeout=30)
    blocker.release()
    gone(db_url, pid)
    assert counts() == "0"
    assert support.psql_scalar(db_url, "SELECT count(*) FROM allowance_runs") == runs_before
    # 3. The rerun (the service recovered by itself): one accrual per holder, once.
    r = run(api, w.office.token, month(start, 1))
    assert (r["accruals"], r["accrued_fen"]) == (2, 2 * FEN)
    assert run(api, w.office.token, month(start, 1))["accruals"] == 0
    for holder in (a, b):
        assert [(e["kind"], e["month"]) for e in ledger(api, w.office.token, holder["id"])] == \
            [("accrual", ym(month(start, 1)))]


def test_statement_balances_summary_and_reconciliation(api, factory, db_url):
    w = df.huancui_recognized(api, factory, 3)
    a, b, c = w.issued
    office = w.office.token
    start = datetime.date.fromisoformat(a["period_start"])
    for k in (1, 2, 3):
        at(month(start, k))
        run(api, office, month(start, k))
    api.post(f"/v1/recognitions/{c['id']}/suspensions", token=office, json={
        "reason": "left_skilled_post", "effective_on": month(start, 2).isoformat(),
        "note": "调离技能岗位。"}, expect=201)

    st = api.get(f"/v1/allowance/statements/{c['id']}", token=office, expect=200).body
    assert [(x["kind"], x["month"], x["balance_fen"]) for x in st["lines"]] == [
        ("accrual", ym(month(start, 1)), FEN), ("accrual", ym(month(start, 2)), 2 * FEN),
        ("accrual", ym(month(start, 3)), 3 * FEN), ("reversal", ym(month(start, 2)), 2 * FEN),
        ("reversal", ym(month(start, 3)), FEN)]
    assert st["totals"] == {"earned_fen": FEN, "held_fen": 0, "paid_fen": 0,
                            "outstanding_fen": FEN, "receivable_fen": 0}

    pages, cursor = [], None
    while True:
        q = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get("/v1/allowance/balances", token=office, params=q, expect=200).body
        pages += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    got = {x["recognition_id"]: (x["earned_fen"], x["outstanding_fen"], x["status"])
           for x in pages}
    assert got == {a["id"]: (3 * FEN, 3 * FEN, "active"), b["id"]: (3 * FEN, 3 * FEN, "active"),
                   c["id"]: (FEN, FEN, "suspended")}

    s = api.get("/v1/allowance/summary", token=office,
                params={"from": ym(month(start, 1)), "to": ym(month(start, 3))}, expect=200).body
    rows = {x["month"]: x for x in s["items"]}
    assert [rows[ym(month(start, k))]["accrued_fen"] for k in (1, 2, 3)] == [3 * FEN] * 3
    assert [rows[ym(month(start, k))]["reversed_fen"] for k in (1, 2, 3)] == [0, FEN, FEN]
    assert [rows[ym(month(start, k))]["earned_fen"] for k in (1, 2, 3)] == \
        [3 * FEN, 2 * FEN, 2 * FEN]
    assert {x["programme"] for x in s["items"]} == {w.programme}

    rec = api.get("/v1/allowance/reconciliation", token=office, expect=200).body
    assert rec == {"entries_fen": 7 * FEN, "paid_fen": 0, "outstanding_fen": 7 * FEN,
                   "receivable_fen": 0, "held_fen": 0, "difference_fen": 0, "errors": []}
    # A correction that names the wrong kind of entry (written behind the service's back,
    # as only an INSERT can be) is listed line by line.
    accrual = ledger(api, office, a["id"], kind="accrual")[0]
    support.psql_scalar(db_url, f"""
        INSERT INTO allowance_entries (recognition_id, month, kind, amount_fen, corrects, reason,
                                       actor, at)
        VALUES ('{a['id']}', '{month(start, 1)}', 'cancellation', {FEN}, '{accrual['id']}',
                'tampered', 'psql', '2020-01-01T00:00:00Z')""")
    rec = api.get("/v1/allowance/reconciliation", token=office, expect=200).body
    assert [(e["rule"], e["detail"]) for e in rec["errors"]] == \
        [("correction_target", "cancellation corrects accrual")]

    for params, code in (({"from": "2027-01"}, "month_range_required"),
                         ({"from": "2027-13", "to": "2027-12"}, "not_month"),
                         ({"from": "2027-05", "to": "2027-04"}, "bad_month_range"),
                         ({"from": "2017-01", "to": "2027-04"}, "bad_month_range")):
        assert api.get("/v1/allowance/summary", token=office, params=params,
                       expect=400).body["code"] == code
    api.get(f"/v1/allowance/statements/{c['id']}", token=factory.office(
        factory.programme(base=df.HC)).token, expect=404)
    api.get("/v1/allowance/statements/00000000-0000-4000-8000-000000000000", token=office,
            expect=404)


ACCOUNT = "6222021234567891234"  # synthetic


def test_payees_batches_exports_paid_and_returned(api, factory, db_url):
    """Finance's month: payees set (a bank account sealed and masked, an
    employer), the batch of a month (idempotent), the CSV and XLSX with the
    full numbers (finance only, audited), paid with If-Match, a payment
    returned by the bank and paid again in the next batch; the figures
    reconcile to the fen, and a fraud revocation after payment leaves a
    clawback receivable."""
    import io

    import openpyxl

    w = df.huancui_recognized(api, factory, 3)
    a, b, c = w.issued
    office, fin = w.office.token, factory.user("finance").token
    auditor = factory.user("auditor").token
    start = datetime.date.fromisoformat(a["period_start"])
    for k in (1, 2):
        at(month(start, k))
        run(api, office, month(start, k))
    code = support.new_uscc()
    api.put(f"/v1/allowance/payees/{a['id']}", token=office, expect=200,
            json={"method": "bank", "bank_name": "中国工商银行威海环翠支行", "account": ACCOUNT})
    payee = api.put(f"/v1/allowance/payees/{b['id']}", token=fin, expect=200, json={
        "method": "employer", "employer_name": "演示机械制造有限公司", "employer_code": code}).body
    assert payee["employer_code"] == code and payee["account"] is None
    got = api.get(f"/v1/allowance/payees/{a['id']}", token=auditor, expect=200).body
    assert got["account"] == "622************1234" and got["version"] == 1
    assert ACCOUNT not in support.psql_scalar(
        db_url, f"SELECT account_sealed::text || account_masked FROM allowance_payees "
                f"WHERE recognition_id = '{a['id']}'")
    assert api.get(f"/v1/allowance/payees/{c['id']}", token=office,
                   expect=404).body["code"] == "payee_not_set"
    for body, pointer, code_ in (
            ({"method": "bank", "bank_name": "工行", "account": "6222 0212"}, "/account",
             "not_account"),
            ({"method": "bank", "bank_name": "工行"}, "/account", "required"),
            ({"method": "bank", "bank_name": "工行", "account": ACCOUNT,
              "employer_code": code}, "/employer_code", "not_allowed"),
            ({"method": "employer", "employer_name": "某公司",
              "employer_code": "91350100M000100Y4X"}, "/employer_code", "not_unit_code"),
            ({"method": "cash"}, "/method", "unknown_value")):
        r = api.put(f"/v1/allowance/payees/{c['id']}", token=fin, json=body, expect=422).body
        assert (pointer, code_) in [(e["pointer"], e["code"]) for e in r["errors"]], r
    api.put(f"/v1/allowance/payees/{c['id']}", token=w.unit.token, expect=403,
            json={"method": "bank", "bank_name": "工行", "account": ACCOUNT})

    # The batch of month 1: A and B (C has no payee yet); asking again changes nothing.
    made = api.post("/v1/allowance/batches", token=fin, json={"month": ym(month(start, 1))},
                    expect=201).body
    assert "items" not in made and made["lines"] >= 2
    mine = {x["recognition_id"]: x for x in api.get(f"/v1/allowance/batches/{made['id']}",
                                                     token=fin, expect=200).body["items"]}
    assert set(mine) == {a["id"], b["id"]} and made["state"] == "open"
    assert mine[a["id"]]["account"] == "622************1234"
    assert c["certificate_number"] in made["without_payee"]
    again = api.post("/v1/allowance/batches", token=fin, json={"month": ym(month(start, 1))},
                     expect=200).body
    assert again["id"] == made["id"]
    api.post("/v1/allowance/batches", token=office, json={"month": ym(month(start, 1))},
             expect=403)

    # The exports: finance only, full numbers, formula-safe, audited.
    exports_before = int(support.psql_scalar(
        db_url, "SELECT count(*) FROM audit_events WHERE action = 'allowance_batch.export'"))
    csv = api.get(f"/v1/allowance/batches/{made['id']}/export.csv", token=fin, check="none",
                  expect=200)
    assert csv.content.startswith(b"\xef\xbb\xbf") and csv.headers["Content-Type"].startswith(
        "text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.startswith("序号,证书编号,姓名") and ACCOUNT in text and code in text
    xlsx = api.get(f"/v1/allowance/batches/{made['id']}/export.xlsx", token=fin, check="none",
                   expect=200)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("序号", "证书编号", "姓名", "项目", "月份", "金额（元）")
    assert rows[-1][0] == "合计" and rows[-1][5] == made["total_fen"] / 100
    assert sum(r[5] for r in rows[1:-1]) == made["total_fen"] / 100
    assert ACCOUNT in [r[8] for r in rows[1:-1]]
    name = api.get(f"/v1/programmes/{w.programme}", token=office, expect=200).body["name"]
    assert {r[3] for r in rows[1:-1]} == {name}  # the programme by its name, for the bank
    for role_token in (office, auditor, w.unit.token):
        api.get(f"/v1/allowance/batches/{made['id']}/export.csv", token=role_token,
                check="none", expect=403)
    assert int(support.psql_scalar(
        db_url, "SELECT count(*) FROM audit_events WHERE action = 'allowance_batch.export'")) == \
        exports_before + 2
    shown = api.get(f"/v1/allowance/batches/{made['id']}", token=auditor, expect=200)
    assert ACCOUNT not in shown.text

    # Paid: If-Match required and checked; a payment entry per line; once.
    path = f"/v1/allowance/batches/{made['id']}"
    paid_body = {"reference": "ICBC-0001", "paid_on": df.today().isoformat()}
    api.post(f"{path}/paid", token=fin, json=paid_body, expect=428)
    api.post(f"{path}/paid", token=fin, json=paid_body, headers={"If-Match": '"999"'}, expect=412)
    api.post(f"{path}/returned", token=fin, json={"recognition_id": b["id"], "reason": "退票"},
             expect=409)
    paid = api.post(f"{path}/paid", token=fin, json=paid_body,
                    headers={"If-Match": support.etag_of(shown)}, expect=200).body
    assert paid["state"] == "paid" and paid["paid_reference"] == "ICBC-0001"
    (pay,) = ledger(api, office, a["id"], kind="payment")
    assert (pay["month"], pay["amount_fen"], pay["batch_id"]) == (ym(month(start, 1)), FEN,
                                                                  made["id"])
    assert pay["corrects"] == ledger(api, office, a["id"], kind="accrual")[0]["id"]
    assert api.post(f"{path}/paid", token=fin, json=paid_body,
                    headers={"If-Match": f'"{paid["version"]}"'},
                    expect=409).body["code"] == "batch_paid"

    # The bank returns B's payment: outstanding again, paid by the month's next batch.
    back = api.post(f"{path}/returned", token=fin, expect=200,
                    json={"recognition_id": b["id"], "reason": "账户已销户，银行退票。"}).body
    assert {x["recognition_id"]: x["returned"] for x in back["items"]} == \
        {a["id"]: False, b["id"]: True}
    assert api.post(f"{path}/returned", token=fin, expect=409, json={
        "recognition_id": b["id"], "reason": "再次"}).body["code"] == "nothing_to_return"
    nxt = api.post("/v1/allowance/batches", token=fin, json={"month": ym(month(start, 1))},
                   expect=201).body
    assert [x["recognition_id"] for x in api.get(f"/v1/allowance/batches/{nxt['id']}",
                                                 token=fin, expect=200).body["items"]] == [b["id"]]

    # A's fraud revocation after payment: both months reversed, month 1 a receivable.
    at(month(start, 2, 20))
    revoke(api, w, a["id"], "fraud", month(start, 2, 20))
    bal = {x["recognition_id"]: x for x in
           api.get("/v1/allowance/balances", token=office, params={"limit": 100},
                   expect=200).body["items"]}
    assert (bal[a["id"]]["earned_fen"], bal[a["id"]]["paid_fen"],
            bal[a["id"]]["receivable_fen"]) == (0, FEN, FEN)
    assert (bal[b["id"]]["paid_fen"], bal[b["id"]]["outstanding_fen"]) == (0, 2 * FEN)
    rec = api.get("/v1/allowance/reconciliation", token=office, expect=200).body
    assert rec["difference_fen"] == 0 and rec["errors"] == []
    assert (rec["paid_fen"], rec["receivable_fen"]) == (FEN, FEN)


def test_recoveries_settle_clawbacks_receivable(api, factory, db_url):
    """A fraud revocation (第十七条（三）) after two paid months leaves them
    receivable; finance records the money paid back month by month (a
    `recovery` naming each reversal) until nothing is receivable. A month not
    paid, not reversed or already recovered is refused, and a refused request
    changes nothing."""
    w = df.huancui_recognized(api, factory, 2)
    a, b = w.issued
    office, fin = w.office.token, factory.user("finance").token
    start = datetime.date.fromisoformat(a["period_start"])
    for rid in (a["id"], b["id"]):
        api.put(f"/v1/allowance/payees/{rid}", token=office, expect=200,
                json={"method": "bank", "bank_name": "工行", "account": ACCOUNT})
    for k in (1, 2, 3):
        at(month(start, k, 3))
        run(api, office, month(start, k))
        if k < 3:
            made = api.post("/v1/allowance/batches", token=fin, json={"month": ym(month(start, k))},
                            expect=201).body
            api.post(f"/v1/allowance/batches/{made['id']}/paid", token=fin,
                     json={"reference": f"B-{k}", "paid_on": df.today().isoformat()},
                     headers={"If-Match": f'"{made["version"]}"'}, expect=200)
    revoke(api, w, a["id"], "fraud", month(start, 3, 3))
    m1, m2, m3 = (ym(month(start, k)) for k in (1, 2, 3))
    today = df.today().isoformat()

    def body(rid=a["id"], **kw):
        return {"recognition_id": rid, "reference": "回款-001", "received_on": today, **kw}

    def entries():
        return support.psql_scalar(db_url, "SELECT count(*) FROM allowance_entries e"
                                   f" WHERE e.recognition_id IN ('{a['id']}', '{b['id']}')")

    before = entries()
    assert api.post("/v1/allowance/recoveries", token=fin, json=body(b["id"]),
                    expect=409).body["code"] == "nothing_receivable"
    tomorrow = (df.today() + datetime.timedelta(days=1)).isoformat()
    for extra, pointer, code in (({"months": [m3]}, "/months/0", "not_receivable"),
                                 ({"months": [m1, "2027-13"]}, "/months/1", "not_month"),
                                 ({"months": [m1, m1]}, "/months/1", "duplicate"),
                                 ({"months": []}, "/months", "too_few_items"),
                                 ({"received_on": tomorrow}, "/received_on", "date_in_future"),
                                 ({"received_on": "2027-02-30"}, "/received_on", "not_date"),
                                 ({"recognition_id": a["id"].upper()}, "/recognition_id",
                                  "not_uuid")):
        p = api.post("/v1/allowance/recoveries", token=fin, json={**body(), **extra},
                     expect=422).body
        assert (pointer, code) in [(e["pointer"], e["code"]) for e in p["errors"]], (extra, p)
    assert api.post("/v1/allowance/recoveries", token=fin, json={**body(), "note": "x"},
                    expect=400).body["code"] == "unknown_field"
    for token in (office, w.unit.token, factory.user("auditor").token):
        api.post("/v1/allowance/recoveries", token=token, json=body(), expect=403)
    api.post("/v1/allowance/recoveries", token=fin, expect=404,
             json=body("00000000-0000-4000-8000-000000000000"))
    assert entries() == before

    # Month 1 paid back; then the rest, without naming months.
    r = api.post("/v1/allowance/recoveries", token=fin, json=body(months=[m1]), expect=201).body
    assert (r["recovered"], r["recovered_fen"], r["months"]) == (1, FEN, [m1])
    assert [x["month"] for x in r["still_receivable"]] == [m2]
    assert r["still_receivable"][0]["reason"] == "revocation_fraud"
    (rec,) = ledger(api, office, a["id"], kind="recovery")
    reversal = next(e for e in ledger(api, office, a["id"], kind="reversal") if e["month"] == m1)
    assert (rec["corrects"], rec["amount_fen"], rec["reason"]) == (reversal["id"], FEN,
                                                                   "recovered")
    bal = {x["recognition_id"]: x for x in api.get("/v1/allowance/balances", token=office,
                                                   expect=200).body["items"]}
    assert (bal[a["id"]]["paid_fen"], bal[a["id"]]["receivable_fen"]) == (FEN, FEN)
    assert api.post("/v1/allowance/recoveries", token=fin, json=body(months=[m1]),
                    expect=422).body["errors"][0]["code"] == "not_receivable"
    r = api.post("/v1/allowance/recoveries", token=fin, json=body(), expect=201).body
    assert (r["months"], r["still_receivable"]) == ([m2], [])
    assert api.post("/v1/allowance/recoveries", token=fin, json=body(),
                    expect=409).body["code"] == "nothing_receivable"
    st = api.get(f"/v1/allowance/statements/{a['id']}", token=office, expect=200).body
    assert st["totals"] == {"earned_fen": 0, "held_fen": 0, "paid_fen": 0, "outstanding_fen": 0,
                            "receivable_fen": 0}
    rec = api.get("/v1/allowance/reconciliation", token=office, expect=200).body
    assert (rec["difference_fen"], rec["errors"], rec["receivable_fen"]) == (0, [], 0)
    assert support.psql_scalar(db_url, "SELECT string_agg(after ->> 'reference', ',')"
                               " FROM audit_events WHERE action = 'allowance.recovery'"
                               f" AND entity_id = '{a['id']}'") == "回款-001,回款-001"
    # A second recovery of a reversal is refused by the database itself.
    dup = support.psql(db_url, f"""
        INSERT INTO allowance_entries (recognition_id, month, kind, amount_fen, corrects, reason,
                                       actor, at)
        SELECT recognition_id, month, 'recovery', amount_fen, id, 'twice', 'psql', now()
          FROM allowance_entries WHERE id = '{reversal['id']}'""", check=False)
    assert dup.returncode != 0 and "allowance_entries_settled_once" in dup.stderr


def test_forecast_of_the_budget_year(api, factory):
    """The forecast of a year: the months the ledger holds, and for the rest
    the payable-month rule over today's facts — committed for an active
    title, contingent (held) for months 13–24 before the re-check
    (第十二条), suspended months apart, nothing after a revocation."""
    w = df.huancui_recognized(api, factory, 3)
    a, b, c = w.issued
    office = w.office.token
    start = datetime.date.fromisoformat(a["period_start"])
    for k in (1, 2):
        at(month(start, k, 5))
        run(api, office, month(start, k))
    api.post(f"/v1/recognitions/{c['id']}/suspensions", token=office, json={
        "reason": "left_skilled_post", "effective_on": df.today().isoformat(),
        "note": "调离技能岗位。"}, expect=201)
    revoke(api, w, b["id"], "refusing_duties", df.today())

    def expected(year):
        items, this_month = [], month(start, 2)
        for mo in range(1, 13):
            first = datetime.date(year, mo, 1)
            k = (year - start.year) * 12 + mo - start.month + 1
            if not 1 <= k <= 24:
                continue
            x = dict.fromkeys(("ledger_titles", "earned_fen", "held_fen", "forecast_titles",
                               "committed_fen", "contingent_fen", "suspended_fen"), 0)
            if k <= 2:
                x.update(ledger_titles=3, earned_fen=3 * FEN)
            else:
                x["forecast_titles"] = 1  # A; B revoked, C suspended
                x["committed_fen" if k <= 12 else "contingent_fen"] = FEN
                x["suspended_fen"] = FEN if first > this_month else 0
            x["budget_fen"] = x["earned_fen"] + x["held_fen"] + x["committed_fen"] + \
                x["contingent_fen"]
            items.append({"month": first.strftime("%Y-%m"), "programme": w.programme, **x})
        return items

    for year in sorted({month(start, k).year for k in range(1, 25)}):
        f = api.get("/v1/allowance/forecast", token=office, params={"year": str(year)},
                    expect=200).body
        assert (f["year"], f["as_of"]) == (year, df.today().isoformat())
        want = expected(year)
        assert f["items"] == want, year
        assert f["totals"] == {k: sum(x[k] for x in want) for k in f["totals"]}
    after = month(start, 25).year + 1
    f = api.get("/v1/allowance/forecast", token=office, params={"year": str(after)},
                expect=200).body
    assert f["items"] == [] and set(f["totals"].values()) == {0}
    # The finance office sees the district (this programme among others); another
    # programme's office sees none of it; nobody else sees amounts.
    f = api.get("/v1/allowance/forecast", token=factory.user("finance").token,
                params={"year": str(start.year)}, expect=200).body
    assert [x for x in f["items"] if x["programme"] == w.programme] == expected(start.year)
    other = factory.office(factory.programme(base=df.HC)).token
    assert api.get("/v1/allowance/forecast", token=other, params={"year": str(start.year)},
                   expect=200).body["items"] == []
    api.get("/v1/allowance/forecast", token=w.unit.token, params={"year": "2027"}, expect=403)
    api.get("/v1/allowance/forecast", token=None, params={"year": "2027"}, expect=401)
    for params, code in (({}, "year_required"), ({"year": "27"}, "not_year"),
                         ({"year": "1999"}, "not_year"), ({"year": "2O27"}, "not_year")):
        assert api.get("/v1/allowance/forecast", token=office, params=params,
                       expect=400).body["code"] == code


def test_a_run_after_a_revocation_pays_nothing_it_stopped(api, factory):
    """A revocation stops the months from its effective date (第十七条; every
    month for fraud, （三）), not from the day it was approved: a month run
    after the approval gets nothing the approval's reversals would have
    taken back. The ledger does not depend on whether the run or the
    approval came first. A revoked title's re-check never comes, so its
    held months are cancelled and later ones are not held."""
    w = df.huancui_recognized(api, factory, 3)
    a, b, c = w.issued
    office = w.office.token
    start = datetime.date.fromisoformat(a["period_start"])
    at(month(start, 1, 2))
    run(api, office, month(start, 1))
    at(month(start, 2, 13))
    revoke(api, w, a["id"], "refusing_duties", month(start, 1, 25))  # keeps month 1
    revoke(api, w, b["id"], "fraud", month(start, 2, 13))             # every month
    r = run(api, office, month(start, 2))
    assert (r["accruals"], r["holds"]) == (1, 0)  # C alone
    assert [e["month"] for e in ledger(api, office, a["id"])] == [ym(month(start, 1))]
    assert [e["kind"] for e in ledger(api, office, b["id"])] == ["accrual", "reversal"]
    f = api.get("/v1/allowance/forecast", token=office, params={"year": month(start, 3).year},
                expect=200).body
    assert {x["month"]: x["forecast_titles"] for x in f["items"]}[ym(month(start, 3))] == 1

    # C: month 13 held (re-check undecided), then revoked on the 3rd of month 14,
    # which keeps month 14: the hold is cancelled, and month 14 is neither held nor paid.
    for k in range(3, 14):
        at(month(start, k))
        run(api, office, month(start, k))
    (hold,) = ledger(api, office, c["id"], kind="hold")
    at(month(start, 14, 3))
    revoke(api, w, c["id"], "violation_or_gross_negligence", df.today())
    (cancel,) = ledger(api, office, c["id"], kind="cancellation")
    assert (cancel["corrects"], cancel["reason"]) == (hold["id"], "revocation")
    assert ledger(api, office, c["id"], kind="reversal") == []
    r = run(api, office, month(start, 14))
    assert (r["accruals"], r["holds"]) == (0, 0)
    rec = api.get("/v1/allowance/reconciliation", token=office, expect=200).body
    assert (rec["difference_fen"], rec["errors"], rec["held_fen"]) == (0, [], 0)


def test_a_lifting_in_the_past_pays_the_months_the_runs_passed_by(api, factory):
    """第十六条（一）: a suspension recorded in month 2 stopped months 3 and 4
    (their runs wrote nothing for the title); its lifting, recorded in month
    5 with a date in month 3, gives month 4 and 5 what the rule says now
    (month 3's first day was still suspended), in the lifting's own
    transaction, reason `suspension_lifted`; the runs of those months add
    nothing more."""
    w = df.huancui_recognized(api, factory, 2)
    a, b = w.issued
    office = w.office.token
    start = datetime.date.fromisoformat(a["period_start"])
    at(month(start, 2, 5))
    run(api, office, month(start, 1))
    run(api, office, month(start, 2))
    s = api.post(f"/v1/recognitions/{a['id']}/suspensions", token=office, json={
        "reason": "left_skilled_post", "effective_on": month(start, 2, 5).isoformat(),
        "note": "调离技能岗位。"}, expect=201).body
    for k in (3, 4):
        at(month(start, k))
        assert run(api, office, month(start, k))["accruals"] == 1  # B alone
    at(month(start, 5, 8))
    api.post(f"/v1/suspensions/{s['id']}/lifting", token=office, expect=200,
             json={"lifted_on": month(start, 3, 20).isoformat(), "reason": "已调回技能岗位。"})
    got = [(e["month"], e["kind"], e["reason"]) for e in ledger(api, office, a["id"])]
    assert got == [(ym(month(start, 1)), "accrual", "monthly_run"),
                   (ym(month(start, 2)), "accrual", "monthly_run"),
                   (ym(month(start, 4)), "accrual", "suspension_lifted"),
                   (ym(month(start, 5)), "accrual", "suspension_lifted")]
    r = run(api, office, month(start, 5))
    assert (r["accruals"], r["holds"]) == (1, 0)  # B's; A's month 5 is there already
    rec = api.get("/v1/allowance/reconciliation", token=office, expect=200).body
    assert (rec["difference_fen"], rec["errors"], rec["entries_fen"]) == (0, [], 9 * FEN)
