# SPDX-License-Identifier: MIT
"""Issue 15, done means: a 环翠区首席技师 cohort's allowance ledger reconciles
to the fen. Two simulated years on the test clock — 24 monthly runs, payees,
a batch a month made and paid, a suspension over paid months and its
lifting, a revocation for fraud, a failed and a passed re-check, returned
payments paid again — and seeded random sequences of the same events, and
clawbacks paid back, over 15 months, checked month by month against the
test's own book of what the rules say: 第四条 (500 yuan a month in the
two-year management period), 第十二条 (months 13–24 only after the year-2
re-check: held until it is decided, then released or cancelled; a revoked
title's re-check never comes, so its holds are cancelled), 第十六条（一） (a
suspension covering a month's first day stops that month; effective in the
past, it takes back the months from the first one whose first day it
covers), 第十七条 (a revocation stops the benefits from its effective date,
whenever it is approved; （三） fraud takes back every month). Reads use the office's token: its scope is the test's programme
(finance sees the whole district, other tests' titles too)."""

import collections
import datetime
import random

import pytest

import clock_support
import decision_flow as df
import support

FEN = 50000  # 环翠 第四条: 500 yuan
PERIOD = 24  # 第四条: the two-year management period, in months
DECIDES_FROM = 13  # 第十二条: the re-check decides months 13–24
MONEY = ("earned_fen", "held_fen", "paid_fen", "outstanding_fen", "receivable_fen")


def month(start, k, day=1):
    """Day `day` of month k (1-based) of the period starting on `start`."""
    return datetime.date(start.year + (start.month - 2 + k) // 12, (start.month - 2 + k) % 12 + 1,
                         day)


def at(day):
    clock_support.clock().set(day)
    return day


def ym(day):
    return day.strftime("%Y-%m")


def run(api, token, day):
    return api.post("/v1/allowance/runs", token=token, json={"month": ym(day)},
                    expect=201).body


def pages(api, token, path, **query):
    """Every item of a cursor-paged list."""
    items, cursor = [], None
    while True:
        q = {"limit": 200, **query, **({"cursor": cursor} if cursor else {})}
        page = api.get(path, token=token, params=q, expect=200).body
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def stop_from(effective_on, fraud):
    """The first day a late stop covers (allowance_rules_stop_from): a
    stop on the 1st covers that month, on the 10th the next one; fraud
    (第十七条（三）) every month."""
    if fraud:
        return datetime.date.min
    if effective_on.day == 1:
        return effective_on
    return month(effective_on, 2)


revoke = df.revoke


def recheck(api, w, start, rid, passes):
    """The unit files the year-2 re-check (第十一条): two apprentices at 高级工
    and above pass 第八条（五）, one does not; the office decides as the
    checklist suggests."""
    levels = ["senior_worker", "technician"] if passes else ["senior_worker"]
    certified = (start + datetime.timedelta(days=60)).isoformat()
    filed = api.post(f"/v1/recognitions/{rid}/recheck", token=w.unit.token, expect=201, json={
        "achievements": "主持完成工艺改进。", "awards": [], "agreements": [],
        "apprentices": [{"name": f"徒弟{i}", "level": level, "certified_on": certified}
                        for i, level in enumerate(levels)],
        "front_line": True, "no_accident": True, "no_violation": True, "keeps_lead": True}).body
    assert filed["suggested"] == ("passed" if passes else "failed")


def decide(api, w, rid, passes):
    api.post(f"/v1/recognitions/{rid}/recheck/decision", token=w.office.token,
             json={"result": "passed" if passes else "failed"}, expect=200)


def payee(i, method):
    """A payee body: a synthetic bank account, or an employer (代发单位)."""
    if method == "bank":
        return {"method": "bank", "bank_name": "中国工商银行威海环翠支行",
                "account": f"62220212345678{i:05d}"}
    return {"method": "employer", "employer_name": "演示机械制造有限公司",
            "employer_code": support.new_uscc()}


class Book:
    """The test's own ledger of one cohort, written by the README's rules
    from what the test did (never read from the service): the entries
    (title, month k, kind), each (title, month) with at most one accrual or
    hold and one of each correction, and what was paid by which batch."""

    def __init__(self, start, rids):
        self.start, self.rids = start, list(rids)
        self.entries = []
        self.accrued, self.holds, self.released, self.reversed = set(), {}, set(), set()
        self.paid = {}  # (rid, k) -> the batch whose payment the bank has not returned
        self.recovered = set()  # (rid, k) whose clawback was paid back
        self.suspensions = {rid: [] for rid in self.rids}  # [effective_on, lifted_on or None]
        self.revoked = {}  # rid -> (effective_on, fraud)
        self.result = {}   # rid -> True (re-check passed) / False (failed)

    def first(self, k):
        return month(self.start, k)

    def add(self, rid, k, kind):
        self.entries.append((rid, k, kind))

    def stopped(self, rid, k):
        """Month k is stopped when a suspension stopping the allowance
        covers its first day (第十六条（一）), or a revocation's stop does:
        from its effective date, every month for fraud (第十七条（三）) — the
        same months a late stop takes back, whether month k is run before
        the revocation or after it."""
        day = self.first(k)
        if any(s <= day and (lifted is None or lifted > day)
               for s, lifted in self.suspensions[rid]):
            return True
        if rid in self.revoked:
            effective, fraud = self.revoked[rid]
            return day >= stop_from(effective, fraud)
        return False

    def run_title(self, rid, k):
        """The payable-month rule for one title and month without an entry
        yet: "accrual", "hold" (re-check undecided) or None, written."""
        if not 1 <= k <= PERIOD or (rid, k) in self.accrued or (rid, k) in self.holds:
            return None
        if self.stopped(rid, k) or (k >= DECIDES_FROM and self.result.get(rid) is False):
            return None
        if k >= DECIDES_FROM and rid not in self.result and rid in self.revoked:
            return None  # a revoked title's re-check never comes: nothing to hold
        if k >= DECIDES_FROM and rid not in self.result:
            self.holds[(rid, k)] = False
            self.add(rid, k, "hold")
            return "hold"
        self.accrued.add((rid, k))
        self.add(rid, k, "accrual")
        return "accrual"

    def run(self, k):
        """Month k's run: each title without an entry yet. Returns (accruals,
        holds) added."""
        kinds = [self.run_title(rid, k) for rid in self.rids]
        return (kinds.count("accrual"), kinds.count("hold"))

    def resume(self, rid, lifted_on, today):
        """A lifting (第十六条（一）), recorded `today`: the months from the first
        whose first day it covers to today's get the rule now, where no run
        wrote an entry (a month a late stop reversed stays reversed)."""
        first = stop_from(lifted_on, False)
        for k in range(1, PERIOD + 1):
            if first <= self.first(k) <= today:
                self.run_title(rid, k)

    def stop(self, rid, effective_on, fraud=False, revocation=False):
        """A late stop: every month earned from stop_from() reversed, every
        unsettled hold from there cancelled — after a revocation every
        unsettled hold, whatever its month (its re-check never comes)."""
        first = stop_from(effective_on, fraud)
        for key in sorted((self.accrued | self.released) - self.reversed, key=lambda x: x[1]):
            if key[0] == rid and self.first(key[1]) >= first:
                self.reversed.add(key)
                self.add(rid, key[1], "reversal")
        for key, settled in sorted(self.holds.items(), key=lambda x: x[0][1]):
            if key[0] == rid and not settled and (revocation or self.first(key[1]) >= first):
                self.holds[key] = True
                self.add(rid, key[1], "cancellation")

    def decide(self, rid, passed):
        """第十二条: the re-check settles every unsettled hold."""
        self.result[rid] = passed
        for key, settled in sorted(self.holds.items(), key=lambda x: x[0][1]):
            if key[0] == rid and not settled:
                self.holds[key] = True
                if passed:
                    self.released.add(key)
                self.add(rid, key[1], "release" if passed else "cancellation")

    def payable(self, k):
        """Month k's titles a batch pays: earned, not reversed, not paid."""
        return sorted(rid for rid in self.rids
                      if ((rid, k) in self.accrued or (rid, k) in self.released)
                      and (rid, k) not in self.reversed and (rid, k) not in self.paid)

    def payable_months(self):
        return [k for k in range(1, PERIOD + 1) if self.payable(k)]

    def pay(self, batch_id, k, rids):
        for rid in rids:
            self.paid[(rid, k)] = batch_id
            self.add(rid, k, "payment")

    def returned(self, rid, k):
        del self.paid[(rid, k)]
        self.add(rid, k, "return")

    def receivable(self):
        """The (title, month)s whose clawback may be paid back: reversed,
        paid and not returned, not yet recovered."""
        return sorted(key for key in self.paid
                      if key in self.reversed and key not in self.recovered)

    def recover(self, rid, k):
        self.recovered.add((rid, k))
        self.add(rid, k, "recovery")

    def figures(self, rid):
        """earned, held, paid, outstanding, receivable of a title, in fen."""
        n = collections.Counter(kind for r, _, kind in self.entries if r == rid)
        earned = (n["accrual"] + n["release"] - n["reversal"]) * FEN
        held = (n["hold"] - n["release"] - n["cancellation"]) * FEN
        paid = (n["payment"] - n["return"] - n["recovery"]) * FEN
        return (earned, held, paid, max(earned - paid, 0), max(paid - earned, 0))

    def balances(self):
        """GET /v1/allowance/balances as the book has it (titles with entries)."""
        return {rid: self.figures(rid) for rid in {r for r, _, _ in self.entries}}

    def reconciliation(self):
        n = collections.Counter(kind for _, _, kind in self.entries)
        sides = [sum(x) for x in zip(*self.balances().values())] or [0] * 5
        return {"entries_fen": (n["accrual"] + n["hold"] - n["cancellation"] - n["reversal"]) * FEN,
                "paid_fen": sides[2], "outstanding_fen": sides[3], "receivable_fen": sides[4],
                "held_fen": sides[1], "difference_fen": 0, "errors": []}

    def ledger(self):
        return collections.Counter((rid, ym(self.first(k)), kind) for rid, k, kind in self.entries)

    def summary(self, programme):
        """GET /v1/allowance/summary's rows, per month with entries."""
        rows = {}
        for rid, k, kind in self.entries:
            row = rows.setdefault(ym(self.first(k)), collections.Counter(holders=set()))
            row["holders"].add(rid)
            row[kind] += FEN
        out = {}
        for m, n in rows.items():
            out[m] = {"programme": programme, "month": m, "holders": len(n["holders"]),
                      "accrued_fen": n["accrual"], "held_fen": n["hold"],
                      "released_fen": n["release"], "cancelled_fen": n["cancellation"],
                      "reversed_fen": n["reversal"], "paid_fen": n["payment"],
                      "recovered_fen": n["recovery"], "returned_fen": n["return"],
                      "earned_fen": n["accrual"] + n["release"] - n["reversal"],
                      "net_held_fen": n["hold"] - n["release"] - n["cancellation"]}
        return out


def balances(api, office):
    return {x["recognition_id"]: tuple(x[m] for m in MONEY)
            for x in pages(api, office, "/v1/allowance/balances")}


def ledger(api, office):
    return collections.Counter((e["recognition_id"], e["month"], e["kind"])
                               for e in pages(api, office, "/v1/allowance/ledger"))


def check(api, office, book, note):
    """The reconciliation (difference 0, no errors) and every title's
    balances equal the book's, to the fen; so do the ledger's entries."""
    rec = api.get("/v1/allowance/reconciliation", token=office, expect=200).body
    assert rec == book.reconciliation(), note
    got, want = balances(api, office), book.balances()
    differ = sorted((rid, got.get(rid), want.get(rid)) for rid in set(got) | set(want)
                    if got.get(rid) != want.get(rid))
    assert got == want, f"{note}\nbalances (earned, held, paid, outstanding, receivable): " \
                        f"(title, service, book) {differ}"
    got, want = ledger(api, office), book.ledger()
    assert got == want, f"{note}\nentries only in the service: {dict(got - want)}\n" \
        f"only in the book: {dict(want - got)}"


def pay_batch(api, fin, book, k, note):
    """Finance's batch of month k made (its lines, of this cohort, those
    the book finds payable) and paid with If-Match from the GET's ETag; the
    book pays them. Returns its id, total, lines and the fen of other titles'
    lines (the batch is the district's: other tests' lines may be in it)."""
    day = month(book.start, k)
    made = api.post("/v1/allowance/batches", token=fin, json={"month": ym(day)})
    assert made.status_code == 201, f"{note}: batch of {ym(day)}: {made.status_code} " \
                                    f"{made.text[:300]}"
    shown = api.get(f"/v1/allowance/batches/{made.body['id']}", token=fin, expect=200)
    items = shown.body["items"]
    mine = sorted(x["recognition_id"] for x in items if x["recognition_id"] in book.rids)
    assert mine == book.payable(k), f"{note}: batch of {ym(day)}"
    assert {x["month"] for x in items} == {ym(day)} and made.body["state"] == "open"
    assert (made.body["lines"], made.body["total_fen"]) == \
        (len(items), sum(x["amount_fen"] for x in items)), note
    paid = api.post(f"/v1/allowance/batches/{made.body['id']}/paid", token=fin,
                    headers={"If-Match": support.etag_of(shown)}, expect=200, json={
                        "reference": f"ICBC-{ym(day)}-{made.body['seq']}",
                        "paid_on": df.today().isoformat()}).body
    assert paid["state"] == "paid", note
    book.pay(made.body["id"], k, mine)
    return {"id": made.body["id"], "total_fen": made.body["total_fen"], "items": items,
            "others_fen": sum(x["amount_fen"] for x in items
                              if x["recognition_id"] not in book.rids)}


def return_payment(api, fin, book, rid, k, note):
    """The bank returns a title's payment of month k: outstanding again."""
    back = api.post(f"/v1/allowance/batches/{book.paid[(rid, k)]}/returned", token=fin,
                    json={"recognition_id": rid, "reason": "账户已销户，银行退票。"})
    assert back.status_code == 200, f"{note}: {back.status_code} {back.text[:300]}"
    assert [x["returned"] for x in back.body["items"] if x["recognition_id"] == rid] == [True]
    book.returned(rid, k)


def test_chief_technician_cohort_reconciles_to_the_fen(api, factory):
    """The issue's done means: five chief technicians through the 24 months
    of 第四条, every month run and its batch paid. C moves out of the
    district (第十六条（一）), recorded late over two paid months (a clawback
    receivable), and comes back; D's title is revoked for fraud in month 9
    (第十七条（三）: all nine paid months receivable); A's and B's re-checks
    are decided late in month 14 (第十二条: A passed, the held months 13 and
    14 released and paid in later batches; B failed, cancelled, nothing
    after); the bank returns E's month 3 (paid again, to a new account, in
    month 4), A's month 20 (paid again) and E's month 24 (left
    outstanding). Balances, statements, the summary and the reconciliation
    equal, to the fen, what the test computes from what it did, and the
    paid batches less the returns equal the ledger's paid figure."""
    w = df.huancui_recognized(api, factory, 5)
    a, b, c, d, e = (x["id"] for x in w.issued)
    office, fin = w.office.token, factory.user("finance").token
    start = datetime.date.fromisoformat(w.issued[0]["period_start"])
    book = Book(start, [a, b, c, d, e])
    for i, rid in enumerate(book.rids):
        api.put(f"/v1/allowance/payees/{rid}", token=office, expect=200,
                json=payee(i, "employer" if rid in (b, d) else "bank"))
    batches = []  # every paid batch

    def settle(k):
        batches.append(pay_batch(api, fin, book, k, f"month {k}"))
        return batches[-1]

    def figures(rid):
        return tuple(x // FEN for x in book.figures(rid))

    for k in range(1, PERIOD + 1):
        at(month(start, k, 2))
        r = run(api, office, month(start, k))
        assert (r["accruals"], r["holds"]) == book.run(k), f"month {k}"
        assert r["accrued_fen"] == r["accruals"] * FEN and r["held_fen"] == r["holds"] * FEN
        settle(k)
        if k == 3:
            # The bank returns E's month 3; E gives a new account; month 4 pays it again.
            return_payment(api, fin, book, e, 3, "month 3")
            api.put(f"/v1/allowance/payees/{e}", token=office, expect=200, json=payee(99, "bank"))
            assert figures(e) == (3, 0, 2, 1, 0)
        elif k == 4:
            again = settle(3)
            assert [(x["recognition_id"], x["account"]) for x in again["items"]
                    if x["recognition_id"] in book.rids] == [(e, "622************0099")]
            assert figures(e) == (4, 0, 4, 0, 0)
        elif k == 7:
            # 第十六条（一）: C moved out on the 10th of month 5, recorded on the 15th of month 7:
            # months 6 and 7, both paid, are taken back — a clawback receivable.
            at(month(start, 7, 15))
            moved = api.post(f"/v1/recognitions/{c}/suspensions", token=office, expect=201, json={
                "reason": "moved_out_of_district", "effective_on": month(start, 5, 10).isoformat(),
                "benefits_stopped": ["allowance", "employer_benefits"],
                "note": "随单位迁至外区。"}).body
            assert "allowance" in moved["benefits_stopped"]
            book.suspensions[c].append([month(start, 5, 10), None])
            book.stop(c, month(start, 5, 10))
            assert figures(c) == (5, 0, 7, 0, 2)
        elif k == 9:
            # 第十七条（三）: D's awards were forged; every paid month is receivable.
            at(month(start, 9, 20))
            revoke(api, w, d, "fraud", month(start, 9, 20))
            book.revoked[d] = (month(start, 9, 20), True)
            book.stop(d, month(start, 9, 20), fraud=True, revocation=True)
            assert figures(d) == (0, 0, 9, 0, 9)
        elif k == 10:
            # C is back in a skilled post in the district: from month 11 on.
            at(month(start, 10, 5))
            api.post(f"/v1/suspensions/{moved['id']}/lifting", token=office, expect=200, json={
                "lifted_on": df.today().isoformat(), "reason": "已调回本区技能岗位。"})
            book.suspensions[c][-1][1] = df.today()
            book.resume(c, df.today(), df.today())
        elif k == 12:
            # The re-check falls due: C and E pass at once; A's and B's wait (months 13+ held).
            at(month(start, 12, 10))
            for rid, passes in ((a, True), (b, False), (c, True), (e, True)):
                recheck(api, w, start, rid, passes)
            for rid in (c, e):
                decide(api, w, rid, True)
                book.decide(rid, True)
        elif k == 14:
            # Decided late: A passed (13 and 14 released, paid by new batches), B failed.
            assert (figures(a)[1], figures(b)[1]) == (2, 2)
            at(month(start, 14, 20))
            for rid, passes in ((a, True), (b, False)):
                decide(api, w, rid, passes)
                book.decide(rid, passes)
            settle(13)
            settle(14)
            assert figures(a) == (14, 0, 14, 0, 0) and figures(b) == (12, 0, 12, 0, 0)
        elif k == 20:
            return_payment(api, fin, book, a, 20, "month 20")
        elif k == 21:
            settle(20)
        elif k == PERIOD:
            return_payment(api, fin, book, e, PERIOD, "month 24")
        check(api, office, book, f"month {k}")

    # After the period: a run of month 25 adds nothing for the cohort.
    at(month(start, PERIOD + 1, 2))
    assert (run(api, office, month(start, PERIOD + 1))["accruals"], book.run(PERIOD + 1)) == \
        (0, (0, 0))

    # The figures, computed from what the test did (earned, held, paid, outstanding,
    # receivable, in months of 500 yuan): A all 24; B the first year; C 24 less months 6–10
    # (6 and 7 paid: receivable); D nothing, 9 months paid; E 24, month 24 returned.
    want = {a: (24, 0, 24, 0, 0), b: (12, 0, 12, 0, 0), c: (19, 0, 21, 0, 2),
            d: (0, 0, 9, 0, 9), e: (24, 0, 23, 1, 0)}
    assert {rid: tuple(x // FEN for x in v) for rid, v in balances(api, office).items()} == want
    for rid in book.rids:
        st = api.get(f"/v1/allowance/statements/{rid}", token=office, expect=200).body
        assert tuple(st["totals"][m] // FEN for m in MONEY) == want[rid]
        assert st["lines"][-1]["balance_fen"] == (want[rid][0] - want[rid][2]) * FEN
        assert st["lines"][-1]["held_balance_fen"] == 0
        assert len(st["lines"]) == sum(1 for r, _, _ in book.entries if r == rid)
    rec = api.get("/v1/allowance/reconciliation", token=office, expect=200).body
    assert rec == {"entries_fen": 79 * FEN, "paid_fen": 89 * FEN, "outstanding_fen": FEN,
                   "receivable_fen": 11 * FEN, "held_fen": 0, "difference_fen": 0, "errors": []}

    # The summary over the 24 months, month by month, and its totals.
    s = api.get("/v1/allowance/summary", token=office, expect=200, params={
        "from": ym(month(start, 1)), "to": ym(month(start, PERIOD))}).body
    rows = {x["month"]: x for x in s["items"]}
    assert rows == book.summary(w.programme)
    assert len(rows) == PERIOD
    assert sum(x["earned_fen"] for x in rows.values()) == 79 * FEN
    assert sum(x["paid_fen"] - x["returned_fen"] for x in rows.values()) == 89 * FEN
    assert rows[ym(month(start, 13))]["held_fen"] == 2 * FEN
    assert (rows[ym(month(start, 13))]["released_fen"],
            rows[ym(month(start, 13))]["cancelled_fen"]) == (FEN, FEN)

    # The paid batches: 26 of them (a month each, and months 3, 13, 14 and 20 again); their
    # totals less other titles' lines less the three returns equal the ledger's paid figure.
    assert len(batches) == PERIOD + 4
    returned = 3 * FEN
    assert sum(x["total_fen"] - x["others_fen"] for x in batches) - returned == rec["paid_fen"]


SEEDS = [20, 36, 2]
MONTHS = 15
HOLDERS = 6
REASONS = ("violation_or_gross_negligence", "refusing_duties", "other")  # 第十七条（一）（二）（四）
CHANCES = (("run", 0.85), ("suspend", 0.25), ("lift", 0.4), ("revoke", 0.12),
           ("recheck", 0.8), ("pay", 0.8), ("return", 0.3), ("recover", 0.4))


def some_day(rng, lo, hi):
    """A random date from `lo` to `hi`."""
    return lo + datetime.timedelta(days=rng.randint(0, max((hi - lo).days, 0)))


@pytest.mark.parametrize("seed", SEEDS)
def test_seeded_random_sequence_reconciles(api, factory, seed):
    """Six holders over 15 months of a seeded random sequence: each month,
    in a random order on random days, some of the run (skipped now and
    then, and caught up by the next: a month is run when it is its turn,
    late or not), a suspension effective on a random past day in the
    period (第十六条（一）), a lifting, a revocation for fraud or another
    reason (第十七条) effective on a random past day, the re-check's
    filings and decisions once due (第十二条), batches of every month with
    something payable, paid, and a return of a random paid line. After
    every month the reconciliation has no difference and no error, and
    every balance and entry equals the test's book. A seed replays the
    same sequence from the same period start (both printed)."""
    rng = random.Random(seed)
    w = df.huancui_recognized(api, factory, HOLDERS)
    rids = [x["id"] for x in w.issued]
    name = {rid: "ABCDEF"[i] for i, rid in enumerate(rids)}
    office, fin = w.office.token, factory.user("finance").token
    start = datetime.date.fromisoformat(w.issued[0]["period_start"])
    book = Book(start, rids)
    for i, rid in enumerate(rids):
        api.put(f"/v1/allowance/payees/{rid}", token=office, expect=200,
                json=payee(i, rng.choice(("bank", "employer"))))
    suspension = {}  # rid -> its open suspension's id
    filed = {}       # rid -> whether the filed, undecided re-check passes
    unrun = []       # months whose run was skipped
    log = []

    def say(line):
        """Logs a step: in every assertion message, and printed (pytest shows
        it with any failure, a refused request's too)."""
        log.append(line)
        print(line)

    def note():
        return "\n".join(log)

    say(f"seed {seed}, period from {start} (holders A–F)")

    for k in range(1, MONTHS + 1):
        acts = [act for act, chance in CHANCES
                if rng.random() < chance and (act != "recheck" or k >= 12)]
        rng.shuffle(acts)
        for day, act in zip(sorted(rng.sample(range(1, 29), len(acts))), acts):
            today = at(month(start, k, day))
            live = [rid for rid in rids if rid not in book.revoked]
            if act == "run":
                for m in unrun + [k]:
                    r = run(api, office, month(start, m))
                    want = book.run(m)
                    say(f"{today} run {ym(month(start, m))}: (accruals, holds) {want}")
                    assert (r["accruals"], r["holds"]) == want, note()
                unrun = []
            elif act == "suspend" and set(live) - set(suspension):
                rid = rng.choice([rid for rid in live if rid not in suspension])
                effective = some_day(rng, max([start] + [lifted for _, lifted in
                                                         book.suspensions[rid]]), today)
                say(f"{today} suspend {name[rid]} effective {effective}")
                suspension[rid] = api.post(
                    f"/v1/recognitions/{rid}/suspensions", token=office, expect=201, json={
                        "reason": rng.choice(("left_skilled_post", "moved_out_of_district")),
                        "effective_on": effective.isoformat(), "note": "调离。"}).body["id"]
                book.suspensions[rid].append([effective, None])
                book.stop(rid, effective)
            elif act == "lift" and suspension:
                rid = rng.choice([rid for rid in rids if rid in suspension])
                lifted = some_day(rng, book.suspensions[rid][-1][0], today)
                say(f"{today} lift {name[rid]}'s suspension on {lifted}")
                api.post(f"/v1/suspensions/{suspension.pop(rid)}/lifting", token=office,
                         expect=200, json={"lifted_on": lifted.isoformat(), "reason": "调回。"})
                book.suspensions[rid][-1][1] = lifted
                book.resume(rid, lifted, today)
            elif act == "revoke" and live:
                rid = rng.choice(live)
                reason = "fraud" if rng.random() < 0.5 else rng.choice(REASONS)
                effective = some_day(rng, start, today)
                say(f"{today} revoke {name[rid]} ({reason}) effective {effective}")
                revoke(api, w, rid, reason, effective)
                book.revoked[rid] = (effective, reason == "fraud")
                book.stop(rid, effective, reason == "fraud", revocation=True)
                suspension.pop(rid, None)
                filed.pop(rid, None)
            elif act == "recheck":
                for rid in live:
                    if rid not in filed and rid not in book.result and rng.random() < 0.6:
                        filed[rid] = rng.random() < 0.6
                        say(f"{today} re-check of {name[rid]} filed")
                        recheck(api, w, start, rid, filed[rid])
                    elif rid in filed and rng.random() < 0.5:
                        passes = filed.pop(rid)
                        say(f"{today} re-check of {name[rid]} decided: "
                                   f"{'passed' if passes else 'failed'}")
                        decide(api, w, rid, passes)
                        book.decide(rid, passes)
            elif act == "pay":
                for m in book.payable_months():
                    say(f"{today} batch of {ym(month(start, m))} paid: "
                               f"{[name[rid] for rid in book.payable(m)]}")
                    pay_batch(api, fin, book, m, note())
            elif act == "recover" and book.receivable():
                rid, m = rng.choice(book.receivable())
                say(f"{today} {name[rid]} pays back {ym(month(start, m))}")
                got = api.post("/v1/allowance/recoveries", token=fin, json={
                    "recognition_id": rid, "reference": f"回款-{k}", "received_on": today.isoformat(),
                    "months": [ym(month(start, m))]})
                assert got.status_code == 201 and got.body["months"] == [ym(month(start, m))], \
                    f"{note()}\n{got.status_code} {got.text[:300]}"
                book.recover(rid, m)
            elif act == "return" and book.paid:
                rid, m = rng.choice(sorted(book.paid, key=lambda x: (rids.index(x[0]), x[1])))
                say(f"{today} the bank returns {name[rid]}'s {ym(month(start, m))}")
                return_payment(api, fin, book, rid, m, note())
        if "run" not in acts:
            unrun.append(k)
        check(api, office, book, f"{note()}\nafter month {k}")
