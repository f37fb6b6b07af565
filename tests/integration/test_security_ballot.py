# SPDX-License-Identifier: MIT
"""Security issue 11, "Integrity of results", items 2 and 3: a nominee
disqualified during the public vote leaves the ballot (no new votes; the
votes cast before stay in the log and in the counts, shown as withdrawn),
and a unit's publicity (公示) can be neither backdated nor approved without
its evidence (a photo or document of the notice, required by policy)."""

import datetime

import clock_support
import support
import vote_flow
import vote_support


def _move(api, user, nom_id, to, expect=200, headers=None, **body):
    return api.post(f"/v1/nominations/{nom_id}/transitions", token=user.token,
                    json=dict(body, to=to), expect=expect, headers=headers)


def _vote_session(api, w):
    return api.get(f"/v1/rounds/{w.round['id']}/vote-session", token=w.office.token,
                   expect=200).body


def _open_ballot(api, factory, *, closes_in=600):
    """A review round with three qualified nominees and its open session,
    taken by the suite's voting service."""
    w = vote_flow.review_round(api, factory, qualified=3, vote_nominees=3)
    w.ids = [n["id"] for n in w.qualified]
    s = vote_flow.open_session(api, w.office, w.round["id"], w.ids, closes_in=closes_in)
    w.session_id = s["id"]
    support.poll(lambda: _vote_session(api, w)["push_state"] == "pushed", timeout=30,
                 interval=0.3, what="the session pushed")
    return w


def _public_nominee(vote, w, nom_id):
    pub = vote.get(f"/v1/sessions/{w.session_id}", expect=200).body
    return next(n for n in pub["nominees"] if n["id"] == nom_id)


def test_disqualified_nominee_leaves_an_open_ballot(api, vote, factory, clock, admin_token):
    """Defect: a nominee disqualified for fraud during the vote stayed on
    the ballot and the voting service kept answering 201 for them. Now the
    disqualification pushes a session update that withdraws the nominee:
    a new vote is refused (409 nominee_withdrawn), the votes cast before
    stay in the log and in the counts, marked withdrawn everywhere."""
    w = _open_ballot(api, factory)
    fraud, other = w.ids[0], w.ids[1]
    for nominee in (fraud, fraud, other):
        vote_flow.cast(vote, w.session_id, nominee)

    # The office finds the fraud (岚山 第十二条（一）) while the vote runs.
    _move(api, w.office, fraud, "disqualified", note="测试：获奖证书经核实系伪造")

    rec = support.poll(lambda: (s := _vote_session(api, w))["push_state"] == "pushed" and s,
                       timeout=30, interval=0.3, what="the withdrawal pushed")
    listed = {n["id"]: n for n in rec["nominees"]}
    assert listed[fraud]["withdrawn"] is True
    assert "withdrawn" not in listed[other] and "withdrawn" not in listed[w.ids[2]]
    events = api.get(f"/v1/audit?entity_type=vote_session&entity_id={w.session_id}",
                     token=admin_token, expect=200).body["items"]
    assert "vote_session.withdraw_nominee" in [e["action"] for e in events]

    # The ballot shows the nominee withdrawn, with the votes cast before.
    n = _public_nominee(vote, w, fraud)
    assert n["withdrawn"] is True and n["votes"] == 2
    assert "withdrawn" not in _public_nominee(vote, w, other)

    # No new vote for them, in both languages; the others still take votes.
    r = vote_flow.cast(vote, w.session_id, fraud, expect=409)
    assert r.body["code"] == "nominee_withdrawn" and "退出" in r.body["detail"]
    r = vote_support.cast(vote, w.session_id, fraud, ip=vote_flow.random_ip(), lang="en",
                          expect=409)
    assert r.body["code"] == "nominee_withdrawn" and "withdrawn" in r.body["detail"]
    vote_flow.cast(vote, w.session_id, other)
    tally = vote.get(f"/v1/sessions/{w.session_id}/tally", expect=200).body
    counts = {c["nominee_id"]: c for c in tally["counts"]}
    assert counts[fraud]["votes"] == 2 and counts[fraud]["withdrawn"] is True
    assert counts[other]["votes"] == 2 and "withdrawn" not in counts[other]
    assert tally["total_votes"] == 4

    # After the close: the log keeps the earlier votes, and the API's results
    # show the nominee withdrawn with its votes, ranked after the others.
    clock.advance(700)
    log = vote.get(f"/v1/sessions/{w.session_id}/log", expect=200)
    assert log.content.decode().count(fraud) == 2
    assert int(log.headers["X-Log-Entries"]) == 4

    def final():
        r = api.get(f"/v1/rounds/{w.round['id']}/vote-results", token=w.office.token,
                    expect=200).body
        return r if r["final"] and r["total_votes"] == 4 else None
    res = support.poll(final, timeout=40, interval=0.5, what="the final tally")
    by_id = {n["id"]: n for n in res["nominees"]}
    assert by_id[fraud]["withdrawn"] is True and by_id[fraud]["votes"] == 2
    assert res["nominees"][-1]["id"] == fraud
    assert by_id[other]["rank"] == 1 and by_id[fraud]["rank"] == 3


def test_opened_session_takes_withdrawals_and_nothing_else(vote):
    """Defect's guard: once voting has opened, a push may add withdrawals
    (and close early) but change nothing else, and never bring a withdrawn
    nominee back."""
    body = vote_support.session_body(n=3, opens=vote_support.now_s() - 60,
                                     closes=vote_support.now_s() + 3600)
    sid = vote_support.new_id()
    vote_support.put_session(vote, sid, body, expect=201)
    withdrawn = dict(body, nominees=[dict(body["nominees"][0], withdrawn=True),
                                     *body["nominees"][1:]])
    r = vote_support.put_session(vote, sid, withdrawn, expect=200)
    assert r.body["nominees"][0]["withdrawn"] is True
    vote_support.put_session(vote, sid, withdrawn, expect=200)  # the same again: unchanged
    # Anything else is frozen: a new title with the withdrawal, or a ballot
    # that drops the withdrawal.
    for changed in (dict(withdrawn, title="改过的标题"), body):
        r = vote_support.put_session(vote, sid, changed, expect=409)
        assert r.body["code"] == "session_locked"
    nominee = body["nominees"][0]["id"]
    r = vote_support.cast(vote, sid, nominee, expect=409)
    assert r.body["code"] == "nominee_withdrawn"
    vote_support.cast(vote, sid, body["nominees"][1]["id"], expect=201)


# ------------------------------------------------------------- unit publicity
def _intake(factory, base="lanshan-craftsman"):
    code = factory.programme(base=base)
    office = factory.office(code)
    rnd = factory.round(code, office, phase="accepting")
    unit = factory.user("unit", unit_id=factory.unit()["id"])
    return code, rnd, unit


def test_seed_policies_require_publicity_evidence(api):
    """Both seeded programmes ask for the publicity's evidence, citing the
    article that requires the publicity."""
    for code, article in (("lanshan-craftsman", "第五条（一）"),
                          ("huancui-chief-technician", "第十条（二）")):
        policy = api.get(f"/v1/programmes/{code}", expect=200).body["policy"]
        assert policy["publicity_evidence_required"] is True
        assert policy["articles"]["publicity_evidence_required"] == article


def test_backdated_publicity_start_is_refused(api, factory, clock):
    """Defect: a nomination created today could date its publicity to the
    window's first day and be approved at once."""
    _, rnd, unit = _intake(factory)
    n = factory.nomination(rnd["id"], unit)
    today = clock.today()
    for start in (rnd["window_opens"], (today - datetime.timedelta(days=1)).isoformat()):
        r = _move(api, unit, n["id"], "unit_publicity", publicity_start=start, expect=422)
        assert [(e["pointer"], e["code"]) for e in r.body["errors"]] == \
            [("/publicity_start", "publicity_before_nomination")]
        assert today.isoformat() in r.body["errors"][0]["detail"]
    got = api.get(f"/v1/nominations/{n['id']}", token=unit.token, expect=200).body
    assert got["state"] == "draft" and got["publicity_start"] is None
    assert _move(api, unit, n["id"], "unit_publicity",
                 publicity_start=today.isoformat()).body["state"] == "unit_publicity"


def test_approval_needs_the_publicity_evidence_and_its_working_days(api, factory, clock):
    """Defect: approval right after the publicity started, without any
    evidence that it was posted. Now the N working days must pass and the
    policy's evidence (kind unit_publicity) must be there; its absence is
    refused citing the policy's article."""
    _, rnd, unit = _intake(factory)
    n = factory.nomination(rnd["id"], unit)
    pub = _move(api, unit, n["id"], "unit_publicity",
                publicity_start=clock.today().isoformat()).body
    # While the publicity runs, only its evidence may be added.
    r = api.post(f"/v1/nominations/{n['id']}/attachments", token=unit.token,
                 params={"kind": "honour", "filename": "x.pdf"},
                 data=clock_support.PUBLICITY_EVIDENCE,
                 headers={"Content-Type": "application/pdf"}, expect=409)
    assert r.body["code"] == "nomination_not_editable"
    r = _move(api, unit, n["id"], "unit_approved", expect=409)
    assert r.body["code"] == "publicity_running"

    clock_support.past_publicity(pub)
    r = _move(api, unit, n["id"], "unit_approved", expect=409)
    assert r.body["code"] == "publicity_evidence_required"
    assert "第五条（一）" in r.body["detail"] and r.body["current_state"] == "unit_publicity"
    r = _move(api, unit, n["id"], "unit_approved", expect=409,
              headers={"Accept-Language": "en"})
    assert "evidence" in r.body["detail"] and "第五条（一）" in r.body["detail"]

    a = clock_support.upload_publicity_evidence(api, unit.token, n["id"]).body
    assert a["kind"] == "unit_publicity"
    assert _move(api, unit, n["id"], "unit_approved").body["state"] == "unit_approved"


def test_evidence_is_not_asked_when_the_policy_does_not(api, factory):
    """The rule is policy data: a programme without it approves as before."""
    code = factory.programme(publicity_evidence_required=False)
    office = factory.office(code)
    rnd = factory.round(code, office, phase="accepting")
    unit = factory.user("unit", unit_id=factory.unit()["id"])
    n = factory.nomination(rnd["id"], unit)
    pub = clock_support.publicise(api, unit, n["id"], evidence=False, approve=False)
    assert pub["state"] == "unit_publicity"
    assert _move(api, unit, n["id"], "unit_approved").body["state"] == "unit_approved"
