# SPDX-License-Identifier: MIT
"""Issue 16, step 2: the public projections (db/functions/18_public.sql),
the one whitelist of what leaves the system publicly. A guard over the
columns of every public_* function, and the visibility rules row by row on
rounds built through HTTP on the test clock: a round once opened, a nominee
once the vote opens or its notice is published, vote results once the vote
has closed, decisions once the notice is published, the register with
suspended and revoked titles, the allowance per programme and month; never
a verification code. The functions are called with psql, as the app role,
with the services' clock passed in."""

import datetime
import json
import re

import clock_support
import decision_flow as df
import support
import vote_flow

FORBIDDEN = re.compile(r"id_number|phone|birth|age|bank|account|score|contact|note|verification|"
                       r"issued_by|decided_by|members|reason")
FUNCTIONS = {
    "public_programmes": "today date",
    "public_programme_versions": "",
    "public_rounds": "today date",
    "public_nominees": "at timestamp with time zone",
    "public_vote_results": "at timestamp with time zone",
    "public_decisions": "today date",
    "public_notices": "today date",
    "public_recognitions": "",
    "public_allowance_summary": "",
}
FEN = 50000  # 环翠 第四条: 500 yuan a month


def rows(db_url, call, where=""):
    """The rows of `call` (e.g. "public_rounds('2027-01-01')") as dicts."""
    out = support.psql(db_url, f"SELECT row_to_json(x) FROM {call} x {where}").stdout
    return [json.loads(line) for line in out.splitlines() if line]


def sql_text(value):
    return "'" + str(value).replace("'", "''") + "'"


def by_day(db_url, fn, day, where=""):
    return rows(db_url, f"{fn}({sql_text(day.isoformat())}::date)", where)


def by_instant(db_url, fn, at, where=""):
    """`at`: Unix seconds or an RFC 3339 text."""
    text = clock_support.iso(at) if isinstance(at, (int, float)) else at
    return rows(db_url, f"{fn}({sql_text(text)}::timestamptz)", where)


def of_round(round_id):
    return f"WHERE x.round_id = {sql_text(round_id)}::uuid"


def now():
    return clock_support.clock().now()


def today():
    return clock_support.clock().today()


def every_call(day, at):
    """Each public function called with `day` / `at` where it takes one."""
    arg = {"today date": f"{sql_text(day.isoformat())}::date",
           "at timestamp with time zone": f"{sql_text(clock_support.iso(at))}::timestamptz",
           "": ""}
    return [f"{name}({arg[args]})" for name, args in sorted(FUNCTIONS.items())]


def never_shows(db_url, values):
    """No row of any public function, as JSON text, holds any of `values`."""
    pattern = "|".join(re.escape(v) for v in values)
    for call in every_call(today(), now()):
        hits = support.psql_scalar(db_url, f"SELECT count(*) FROM {call} x "
                                           f"WHERE row_to_json(x)::text ~ {sql_text(pattern)}")
        assert hits == "0", f"{call} shows one of {values}"


# ------------------------------------------------------------------- the guard
def test_public_functions_return_whitelisted_flat_columns(db_url):
    listed = support.psql(db_url, """
        SELECT p.proname || '|' || pg_get_function_identity_arguments(p.oid) || '|'
               || pg_get_function_result(p.oid) || '|' || l.lanname || '|'
               || p.provolatile::text || '|' || p.proretset::text
          FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
         WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'public\\_%'
           AND p.prorettype <> 'trigger'::regtype""").stdout.splitlines()
    got = {}
    for line in listed:
        name, args, result, lang, volatility, retset = line.split("|")
        assert (lang, volatility, retset) == ("sql", "s", "true"), \
            f"{name}: must be a set-returning LANGUAGE sql STABLE function"
        assert result.startswith("TABLE(") and result.endswith(")"), f"{name}: {result}"
        columns = [c.split(" ", 1) for c in result[len("TABLE("):-1].split(", ")]
        names = [c[0] for c in columns]
        bad = [n for n in names if FORBIDDEN.search(n)]
        assert not bad, f"{name} returns columns that must never be public: {bad}"
        assert len(set(names)) == len(names), f"{name}: a column twice"
        # Flat: scalars, and jsonb only for published documents and lists.
        assert all(not t.endswith("[]") for _, t in columns), f"{name}: an array column"
        got[name] = args
    assert got == FUNCTIONS


def test_each_function_answers_on_the_stack_database(db_url):
    for call in every_call(today(), now()):
        support.psql(db_url, f"SELECT count(*) FROM {call} x")


# ------------------------------------------------------------------- rounds
def test_a_round_is_public_once_opened_for_applications(api, factory, db_url):
    code = factory.programme(base=df.LS)
    office = factory.office(code)
    rnd = factory.round(code, office, phase="preparing")
    assert by_day(db_url, "public_rounds", today(), f"WHERE x.id = '{rnd['id']}'") == []
    api.post(f"/v1/rounds/{rnd['id']}/transitions", token=office.token,
             json={"to": "accepting"}, expect=200)
    (got,) = by_day(db_url, "public_rounds", today(), f"WHERE x.id = '{rnd['id']}'")
    assert got["programme"] == code and got["code"] == rnd["code"]
    assert (got["window_opens"], got["window_closes"], got["phase"]) == \
        (rnd["window_opens"], rnd["window_closes"], "accepting")
    assert got["policy_version"] == 1 and got["vote_session_id"] is None
    assert got["notice_id"] is None and got["approved_on"] is None

    (prog,) = by_day(db_url, "public_programmes", today(), f"WHERE x.code = '{code}'")
    assert prog["in_force"] is True and prog["policy_version"] == 1
    assert prog["policy"]["document_no"] == prog["document_no"]
    (ver,) = rows(db_url, "public_programme_versions()", f"WHERE x.code = '{code}'")
    assert ver["key"] == f"{code}/0001" and ver["policy"] == prog["policy"]


# ------------------------------------------------ 岚山: the vote, the decision, the notice
def test_lanshan_round_becomes_public_step_by_step(api, vote, factory, db_url):
    code = factory.programme(base=df.LS, unit_publicity_required=False,
                             unit_publicity_min_workdays=None, review_experts=1,
                             vote_nominees=3, awards_per_round=2, certificate_prefix=df.prefix())
    w = vote_flow.review_round(api, factory, qualified=3, programme=code)
    w.leader = factory.user("leader", programmes=[code])
    rid, ids = w.round["id"], w.shortlist
    names = {n["id"]: n["name"] for n in w.qualified}

    # A frozen shortlist alone publishes nobody.
    assert by_instant(db_url, "public_nominees", now(), of_round(rid)) == []
    (rnd,) = by_day(db_url, "public_rounds", today(), f"WHERE x.id = '{rid}'")
    assert rnd["phase"] == "voting" and rnd["vote_session_id"] is None

    session = vote_flow.open_session(api, w.office, rid, ids, closes_in=10)
    opens = clock_support.parse(session["opens_at"])
    closes = clock_support.parse(session["closes_at"])
    (rnd,) = by_day(db_url, "public_rounds", today(), f"WHERE x.id = '{rid}'")
    assert rnd["vote_session_id"] == session["id"]
    assert clock_support.parse(rnd["vote_opens_at"]) == opens
    assert clock_support.parse(rnd["vote_closes_at"]) == closes

    # The ballot is public from the instant the vote opens, as pushed.
    assert by_instant(db_url, "public_nominees", opens - 1, of_round(rid)) == []
    ballot = sorted(by_instant(db_url, "public_nominees", now(), of_round(rid)),
                    key=lambda n: n["number"])
    assert [(n["id"], n["number"], n["source"], n["public_status"]) for n in ballot] == \
        [(nid, i + 1, "vote", "on_ballot") for i, nid in enumerate(ids)]
    pushed = {e["id"]: e for e in session["nominees"]}
    for n in ballot:
        assert n["name"] == names[n["id"]] == pushed[n["id"]]["name"]
        assert n["employer"] == pushed[n["id"]]["unit_name"]
        assert n["summary"] == pushed[n["id"]]["summary"] and len(n["summary"]) <= 200
    assert by_instant(db_url, "public_nominees", opens, of_round(rid)) == \
        by_instant(db_url, "public_nominees", now(), of_round(rid))

    # No result before the close, whatever has been counted.
    for nid, n in zip(ids, (1, 3, 2)):
        for _ in range(n):
            vote_flow.cast(vote, session["id"], nid)
    where = f"WHERE x.session_id = '{session['id']}'"
    assert by_instant(db_url, "public_vote_results", closes - 1, where) == []
    if now() < closes:
        assert by_instant(db_url, "public_vote_results", now(), where) == []

    def final():
        got = by_instant(db_url, "public_vote_results", now(), where)
        return got if got and all(r["final"] for r in got) else None

    results = support.poll(final, timeout=40, interval=0.3, what="the vote's final result")
    results.sort(key=lambda r: r["rank"])
    assert [(r["nominee_id"], r["votes"], r["rank"]) for r in results] == \
        [(ids[1], 3, 1), (ids[2], 2, 2), (ids[0], 1, 3)]
    assert {(r["round_id"], r["total_votes"], r["log_entries"], r["withdrawn"])
            for r in results} == {(rid, 6, 6, False)}
    assert all(re.fullmatch(r"[0-9a-f]{64}", r["log_sha256"]) for r in results)
    assert by_instant(db_url, "public_vote_results", closes, where) == \
        by_instant(db_url, "public_vote_results", now(), where)

    # The decision stays hidden until the notice is published (the meeting
    # the day before, so that only the notice's day hides it then).
    met = today() - datetime.timedelta(days=1)
    d = api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token,
                 json=df.meeting([ids[1], ids[2]], meeting_date=met.isoformat()),
                 expect=201).body
    assert by_day(db_url, "public_decisions", today(), of_round(rid)) == []
    notice = df.publish(api, w)
    published = datetime.date.fromisoformat(notice["published_on"])
    assert by_day(db_url, "public_decisions", published - datetime.timedelta(days=1),
                  of_round(rid)) == []
    (dec,) = by_day(db_url, "public_decisions", today(), of_round(rid))
    assert dec == {"id": d["id"], "round_id": rid, "programme": code, "step": "decision",
                   "meeting_date": met.isoformat(),
                   "meeting_reference": d["meeting_reference"],
                   "selections": [{"position": 1, "nominee_id": ids[1], "name": names[ids[1]]},
                                  {"position": 2, "nominee_id": ids[2], "name": names[ids[2]]}]}

    # The notice, and the noticed nominees as the notice shows them.
    assert by_day(db_url, "public_notices", published - datetime.timedelta(days=1),
                  of_round(rid)) == []
    (pub,) = by_day(db_url, "public_notices", today(), of_round(rid))
    assert (pub["id"], pub["kind"], pub["ends_on"], pub["ground"]) == \
        (notice["id"], "final", notice["ends_on"], None)
    assert [(e["number"], e["nominee_id"], e["name"], e["withdrawn"]) for e in pub["entries"]] \
        == [(1, ids[1], names[ids[1]], False), (2, ids[2], names[ids[2]], False)]
    assert [{k: e[k] for k in ("name", "employer", "occupation", "deeds_summary")}
            for e in pub["entries"]] == \
        [{k: e[k] for k in ("name", "employer", "occupation", "deeds_summary")}
         for e in notice["entries"]]
    (rnd,) = by_day(db_url, "public_rounds", today(), f"WHERE x.id = '{rid}'")
    assert (rnd["notice_id"], rnd["notice_ends_on"]) == (notice["id"], notice["ends_on"])
    shown = {n["id"]: n for n in by_instant(db_url, "public_nominees", now(), of_round(rid))}
    assert {nid: (n["source"], n["public_status"], n["number"]) for nid, n in shown.items()} \
        == {ids[0]: ("vote", "on_ballot", 1), ids[1]: ("notice", "on_notice", 1),
            ids[2]: ("notice", "on_notice", 2)}
    assert shown[ids[1]]["employer"] == notice["entries"][0]["employer"]
    assert shown[ids[1]]["summary"] == notice["entries"][0]["deeds_summary"]

    # Recognised: in the register, and never with the verification code.
    df.past_notice(notice)
    df.issue(api, w)
    shown = by_instant(db_url, "public_nominees", now(), of_round(rid))
    assert sorted((n["id"], n["public_status"]) for n in shown) == sorted(
        [(ids[0], "on_ballot"), (ids[1], "recognized"), (ids[2], "recognized")])
    register = rows(db_url, "public_recognitions()", of_round(rid))
    assert sorted((r["certificate_number"], r["holder_name"], r["status"]) for r in register) \
        == sorted((c["certificate_number"], c["holder_name"], "active") for c in w.issued)
    never_shows(db_url, [c["verification_code"] for c in w.issued])


# ----------------------------------------- 环翠: the register, revocation, the allowance
def test_huancui_register_lists_suspended_and_revoked_titles(api, factory, db_url):
    w = df.huancui_recognized(api, factory, 3)
    a, b, c = w.issued
    rid, office = w.round["id"], w.office.token

    # The 审定 (after the notice), every noticed nominee recognised.
    (dec,) = by_day(db_url, "public_decisions", today(), of_round(rid))
    assert dec["step"] == "ratification"
    assert [s["nominee_id"] for s in dec["selections"]] == w.ids
    assert {n["public_status"] for n in
            by_instant(db_url, "public_nominees", now(), of_round(rid))} == {"recognized"}
    (rnd,) = by_day(db_url, "public_rounds", today(), f"WHERE x.id = '{rid}'")
    assert rnd["phase"] == "concluded" and rnd["approval_document_no"] == "环政字〔2027〕9号"
    assert rnd["vote_session_id"] is None

    # Month 1 of the period: three accruals, shown as one line of the programme.
    start = datetime.date.fromisoformat(a["period_start"])
    clock_support.clock().set(start)
    api.post("/v1/allowance/runs", token=office, json={"month": start.strftime("%Y-%m")},
             expect=201)
    (line,) = rows(db_url, "public_allowance_summary()", f"WHERE x.programme = '{w.programme}'")
    assert line == {"key": f"{w.programme}/{start.strftime('%Y-%m')}",
                    "programme": w.programme, "month": start.isoformat(), "holders": 3,
                    "accrued_fen": 3 * FEN, "held_fen": 0, "released_fen": 0,
                    "cancelled_fen": 0, "reversed_fen": 0, "paid_fen": 0,
                    "earned_fen": 3 * FEN, "net_held_fen": 0}

    # One holder suspended (第十六条（一）), one revoked (第十七条).
    day = clock_support.clock().today()
    api.post(f"/v1/recognitions/{b['id']}/suspensions", token=office, json={
        "reason": "moved_out_of_district", "effective_on": day.isoformat(),
        "note": "随单位迁至外区。"}, expect=201)
    df.revoke(api, w, c["id"], "refusing_duties", day)
    register = {r["certificate_number"]: r for r in
                rows(db_url, "public_recognitions()", of_round(rid))}
    assert {n: (r["status"], r["revoked_on"]) for n, r in register.items()} == {
        a["certificate_number"]: ("active", None), b["certificate_number"]: ("suspended", None),
        c["certificate_number"]: ("revoked", day.isoformat())}
    revoked = register[c["certificate_number"]]
    assert revoked["revocation_notice_id"] is not None
    assert register[a["certificate_number"]]["revocation_notice_id"] is None
    assert set(revoked) == {"certificate_number", "title", "programme", "round_id",
                            "holder_name", "employer", "occupation", "certificate_year",
                            "recognized_on", "status", "revoked_on", "revocation_notice_id"}
    assert (revoked["holder_name"], revoked["employer"], revoked["programme"]) == \
        (c["holder_name"], c["employer"], w.programme)

    # The revocation notice, from its publication day.
    where = f"WHERE x.id = '{revoked['revocation_notice_id']}'"
    assert by_day(db_url, "public_notices", day - datetime.timedelta(days=1), where) == []
    (notice,) = by_day(db_url, "public_notices", day, where)
    assert (notice["kind"], notice["certificate_number"], notice["holder_name"],
            notice["holder_employer"], notice["ground"], notice["entries"]) == \
        ("revocation", c["certificate_number"], c["holder_name"], c["employer"],
         "refusing_duties", None)
    never_shows(db_url, [x["verification_code"] for x in w.issued])
