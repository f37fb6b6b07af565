# SPDX-License-Identifier: MIT
"""Objections (异议) to a final notice (issue 13): anyone files one against an
entry of the notice until 24:00 (Asia/Shanghai) of its last day and follows
it with the tracking number and code of the reply; a wrong code answers like
an unknown number; filing and following are rate-limited per client address;
the office investigates, upholds (the candidate leaves the list) or
dismisses (the candidate stays); an open objection holds the 审定 back; the
text and contact are never public, the contact is sealed at rest and masked
for the office, and the audit log carries neither.

The world is decision_flow's: a 环翠-based round whose three candidates are on
a published notice. The test stack trusts X-Forwarded-For from 127.0.0.1, so
every request here comes "from" an address of its own (the budget is 5
filings per address and hour) unless a test spends one address on purpose.
Dates come from the services' clock."""

import datetime
import json
import re

import pytest

import decision_flow as df
import support
import vote_flow
from support import pointers

TEXT = "该候选人申报的获奖情况与事实不符，请组织核查。"
PHONE = "13812345678"
TRACKING = re.compile(r"^YY-\d{4}-[0-9A-Z]{8}$")
CODE = re.compile(r"^[2-9A-HJ-NP-Z]{10}$")
LIMIT = 5            # JIANGXIN_OBJECTION_LIMIT (the stack's default)
STATUS_LIMIT = 30    # JIANGXIN_OBJECTION_STATUS_LIMIT
WINDOW = 3600        # JIANGXIN_OBJECTION_WINDOW
FINDINGS = "经向所在单位及发证机关核实，获奖证书真实有效，异议不成立。"


def _from(address=None):
    return {"X-Forwarded-For": address or vote_flow.random_ip()}


def file(api, notice_id, body=None, *, address=None, expect=201, token=None):
    body = {"entry": 1, "text": TEXT} if body is None else body
    return api.post(f"/v1/notices/{notice_id}/objections", json=body, token=token,
                    headers=_from(address), expect=expect)


def status(api, tracking, code, *, address=None, expect=200):
    return api.get(f"/v1/objections/{tracking}", params={"code": code}, headers=_from(address),
                   expect=expect)


def listing(api, w, token=None, expect=200):
    return api.get(f"/v1/notices/{w.notice['id']}/objections",
                   token=token or w.office.token, expect=expect)


def item(api, w, tracking):
    return next(o for o in listing(api, w).body["items"] if o["tracking_number"] == tracking)


def move(api, w, oid, to, findings=None, *, expect=200, token=None, headers=None):
    body = {"to": to}
    if findings is not None:
        body["findings"] = findings
    return api.post(f"/v1/objections/{oid}/transitions", token=token or w.office.token,
                    json=body, headers=headers, expect=expect)


def count(db_url, w):
    return int(support.psql_scalar(
        db_url, f"SELECT count(*) FROM objections WHERE notice_id = '{w.notice['id']}'"))


def audits(db_url, oid):
    """(action, before, after) of the objection's audit events, oldest first."""
    out = support.psql(db_url, "SELECT json_build_array(action, before, after) FROM audit_events"
                               f" WHERE entity_id = '{oid}' ORDER BY seq").stdout
    return [json.loads(line) for line in out.splitlines()]


def nomination(api, w, nid):
    return api.get(f"/v1/nominations/{nid}", token=w.office.token, expect=200).body


def public_notice(api, w):
    return api.get(f"/v1/notices/{w.notice['id']}", expect=200)


def blank(body, *idents):
    """A problem without what differs by request: the ids, instance, request id."""
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    for ident in idents:
        text = text.replace(ident, "<id>")
    body = json.loads(text)
    body.pop("request_id", None)
    body.pop("instance", None)
    return body


@pytest.fixture(scope="module")
def w(api, factory):
    """A round with three candidates on a published notice. Entry 3 is
    upheld by one test; no other test files against it."""
    return df.noticed_round(api, factory, 3)


# ------------------------------------------------------------- filing, following
def test_file_then_follow_with_the_code_only(api, w, db_url):
    r = file(api, w.notice["id"], {"entry": 1, "text": TEXT, "contact": PHONE})
    got = r.body
    assert set(got) == {"tracking_number", "code", "state", "received_at"}
    assert TRACKING.match(got["tracking_number"]) and CODE.match(got["code"])
    assert got["tracking_number"][3:7] == str(df.today().year)
    assert got["state"] == "received"
    assert r.headers["Location"] == f"/v1/objections/{got['tracking_number']}"
    assert r.headers["Cache-Control"] == "no-store"
    tn, code = got["tracking_number"], got["code"]

    mine = status(api, tn, code).body
    assert mine == {"tracking_number": tn, "state": "received",
                    "received_at": got["received_at"], "decided_at": None}
    assert status(api, tn, code.lower()).body == mine
    # A wrong code, an unknown number and a malformed one: one answer.
    wrong = "2" * 10 if code != "2" * 10 else "3" * 10
    unknown = "YY-%s-ZZZZZZZZ" % tn[3:7]
    bodies = [status(api, tn, wrong, expect=404), status(api, unknown, code, expect=404),
              status(api, "YY-1", code, expect=404), status(api, tn, "x", expect=404)]
    first = blank(bodies[0].body, tn)
    for b, ident in zip(bodies, (tn, unknown, "YY-1", tn)):
        assert blank(b.body, ident) == first
        assert set(b.headers) - {"Date", "Content-Length", "X-Request-Id"} == \
            set(bodies[0].headers) - {"Date", "Content-Length", "X-Request-Id"}
        assert TEXT not in b.text and "received" not in b.text
    assert first["code"] == "not_found"
    r = api.get(f"/v1/objections/{tn}", headers=_from(), expect=400)
    assert r.body["code"] == "code_required"

    # Nothing of it is public on the notice.
    pub = public_notice(api, w).text
    for secret in (TEXT, PHONE, "138****5678", tn, code):
        assert secret not in pub

    # At rest: the contact sealed (not the number, in any encoding), the
    # code only as a keyed hash.
    row = support.psql(db_url, "SELECT encode(contact_sealed, 'hex'), contact_masked, code_hash,"
                               " body FROM objections"
                               f" WHERE tracking_number = '{tn}'").stdout.strip().split("|")
    sealed, masked, code_hash, body = row
    assert masked == "138****5678" and body == TEXT
    assert PHONE.encode().hex() not in sealed and PHONE not in sealed and len(sealed) > 40
    assert re.fullmatch(r"[0-9a-f]{64}", code_hash) and code.lower() not in code_hash

    # The office reads the text and the masked contact.
    o = item(api, w, tn)
    assert o["text"] == TEXT and o["contact"] == "138****5678"
    assert o["entry"] == 1 and o["nomination_id"] == w.ids[0] and o["state"] == "received"
    assert o["findings"] is None and o["decided_at"] is None and o["version"] == 1

    # The audit event: ids, entry and state; no text, no contact.
    events = audits(db_url, o["id"])
    assert [e[0] for e in events] == ["objection.create"]
    assert events[0][1] is None
    assert events[0][2] == {"id": o["id"], "notice_id": w.notice["id"], "entry": 1,
                            "state": "received", "version": 1}
    assert TEXT not in json.dumps(events, ensure_ascii=False)


@pytest.mark.parametrize("contact,masked", [
    (PHONE, "138****5678"),
    ("zhang.san@example.com", "z***@example.com"),
    ("张先生 0631-5201234", "张先生*********1234"),
    ("王女士", "***"),
])
def test_contact_is_masked_for_the_office_and_leader(api, w, contact, masked):
    tn = file(api, w.notice["id"], {"entry": 2, "text": TEXT, "contact": contact}
              ).body["tracking_number"]
    assert item(api, w, tn)["contact"] == masked
    seen = listing(api, w, token=w.leader.token).text
    assert masked in seen and contact not in seen


def test_without_contact(api, w):
    tn = file(api, w.notice["id"], {"entry": 2, "text": TEXT}).body["tracking_number"]
    assert item(api, w, tn)["contact"] is None


BAD = [
    ({"entry": 1, "text": "异" * 9}, 422, "/text", "too_short"),
    ({"entry": 1, "text": "异" * 2001}, 422, "/text", "too_long"),
    ({"entry": 1}, 422, "/text", "required"),
    ({"entry": 1, "text": TEXT, "bogus": 1}, 400, "/bogus", "unknown_field"),
    ({"entry": 0, "text": TEXT}, 422, "/entry", "out_of_range"),
    ({"entry": "1", "text": TEXT}, 422, "/entry", "wrong_type"),
    ({"entry": 4, "text": TEXT}, 422, "/entry", "no_such_entry"),
    ({"entry": 1, "text": TEXT, "contact": ""}, 422, "/contact", "too_short"),
    ({"entry": 1, "text": TEXT, "contact": "1" * 101}, 422, "/contact", "too_long"),
    ({"entry": 1, "text": TEXT, "contact": None}, 422, "/contact", "wrong_type"),
]


@pytest.mark.parametrize("body,want,pointer,code", BAD, ids=[b[3] + b[2] for b in BAD])
def test_bad_input_is_a_problem_and_stores_nothing(api, w, db_url, db_count, body, want,
                                                    pointer, code):
    before = (count(db_url, w), db_count("audit_events"))
    r = file(api, w.notice["id"], body, expect=want).body
    assert pointer in pointers(r)
    assert code in [e["code"] for e in r["errors"]]
    assert (count(db_url, w), db_count("audit_events")) == before


def test_unknown_notice(api, w, db_count):
    before = db_count("objections")
    r = file(api, "0f0f0f0f-0000-4000-8000-00000000abcd", expect=404).body
    assert r["code"] == "not_found"
    assert file(api, "not-a-uuid", expect=400).body["code"] == "not_uuid"
    assert db_count("objections") == before


# ------------------------------------------------------------------- time
def test_taken_until_24_00_of_the_last_day_then_refused(api, w, clock, db_url):
    ends = datetime.date.fromisoformat(w.notice["ends_on"])
    clock.set(f"{ends.isoformat()}T23:59:00+08:00")
    file(api, w.notice["id"], {"entry": 2, "text": TEXT})
    clock.set(f"{(ends + datetime.timedelta(days=1)).isoformat()}T00:00:05+08:00")
    before = count(db_url, w)
    r = file(api, w.notice["id"], {"entry": 2, "text": TEXT}, expect=409).body
    assert r["type"] == "urn:jiangxin:problem:not-open" and r["code"] == "notice_ended"
    assert ends.isoformat() in r["detail"]
    assert count(db_url, w) == before


# ------------------------------------------------------------- rate limits
def test_sixth_filing_from_one_address_waits(api, w, db_url):
    here = vote_flow.random_ip()
    bad = {"entry": 1, "text": "太短"}
    for body in ({"entry": 2, "text": TEXT}, bad, bad, bad, {"entry": 2, "text": TEXT}):
        file(api, w.notice["id"], body, address=here, expect=(201, 422))
    before = count(db_url, w)
    r = file(api, w.notice["id"], {"entry": 2, "text": TEXT}, address=here, expect=429)
    assert r.body["type"] == "urn:jiangxin:problem:rate-limited"
    assert r.body["code"] == "rate_limited"
    # One more fits when a fifth of the window has drained.
    assert 1 <= int(r.headers["Retry-After"]) <= WINDOW // LIMIT
    assert count(db_url, w) == before
    # Another address is not held back.
    file(api, w.notice["id"], {"entry": 2, "text": TEXT})


def test_guessing_codes_is_limited_too(api, w):
    got = file(api, w.notice["id"], {"entry": 2, "text": TEXT}).body
    here = vote_flow.random_ip()
    for i in range(STATUS_LIMIT):
        status(api, got["tracking_number"], f"{i:02d}".replace("0", "A").replace("1", "B")
               + "CDEFGHJK", address=here, expect=404)
    # The right code from the guessing address waits; from another it works.
    r = status(api, got["tracking_number"], got["code"], address=here, expect=429)
    assert r.body["code"] == "rate_limited" and int(r.headers["Retry-After"]) >= 1
    assert status(api, got["tracking_number"], got["code"]).body["state"] == "received"


# ------------------------------------------------------------ office moves
def test_investigate_then_dismiss_keeps_the_candidate(api, w, db_url):
    got = file(api, w.notice["id"], {"entry": 2, "text": TEXT}).body
    o = item(api, w, got["tracking_number"])
    # findings belong to the decision, and the target must be a state
    r = move(api, w, o["id"], "investigating", FINDINGS, expect=422).body
    assert r["errors"][0]["code"] == "findings_not_allowed"
    assert move(api, w, o["id"], "closed", expect=422).body["errors"][0]["code"] == \
        "unknown_value"
    r = move(api, w, o["id"], "investigating", headers={"If-Match": '"1"'})
    assert r.body["state"] == "investigating" and r.body["version"] == 2
    assert support.etag_of(r) == '"2"'
    assert status(api, got["tracking_number"], got["code"]).body["state"] == "investigating"
    # a stale ETag, and findings required
    r = move(api, w, o["id"], "dismissed", FINDINGS, headers={"If-Match": '"1"'}, expect=412)
    assert r.body["code"] == "stale_etag"
    r = move(api, w, o["id"], "dismissed", expect=422).body
    assert pointers(r) == ["/findings"] and r["errors"][0]["code"] == "required"
    done = move(api, w, o["id"], "dismissed", FINDINGS).body
    assert done["state"] == "dismissed" and done["findings"] == FINDINGS
    assert done["decided_by"] == w.office.username and done["decided_at"]
    # The candidate stays on the notice.
    assert nomination(api, w, w.ids[1])["state"] == "final_notice"
    assert public_notice(api, w).body["entries"][1]["withdrawn"] is False
    mine = status(api, got["tracking_number"], got["code"]).body
    assert mine["state"] == "dismissed" and mine["decided_at"] == done["decided_at"]
    assert FINDINGS not in json.dumps(mine, ensure_ascii=False)
    # Final: no move out of dismissed.
    for to in ("investigating", "upheld", "dismissed"):
        r = move(api, w, o["id"], to, FINDINGS if to != "investigating" else None,
                 expect=409).body
        assert r["code"] == "objection_move_not_allowed"
    # The audit trail: no text.
    events = audits(db_url, o["id"])
    assert [e[0] for e in events] == ["objection.create", "objection.transition",
                                      "objection.transition"]
    assert [e[2]["state"] for e in events] == ["received", "investigating", "dismissed"]
    assert events[2][1]["state"] == "investigating"
    text = json.dumps(events, ensure_ascii=False)
    assert TEXT not in text and FINDINGS not in text


def test_upheld_takes_the_candidate_off_the_list(api, w, db_url):
    got = file(api, w.notice["id"], {"entry": 3, "text": TEXT, "contact": PHONE}).body
    second = file(api, w.notice["id"], {"entry": 3, "text": TEXT}).body
    o = item(api, w, got["tracking_number"])
    up = move(api, w, o["id"], "upheld", "经核实，该候选人获奖证书系伪造，异议成立。").body
    assert up["state"] == "upheld"
    nom = nomination(api, w, w.ids[2])
    assert nom["state"] == "objection_upheld"
    last = nom["history"][0] if nom["history"][0]["to"] == "objection_upheld" else \
        nom["history"][-1]
    assert last["note"] == "经核实，该候选人获奖证书系伪造，异议成立。"
    entries = public_notice(api, w).body["entries"]
    assert [e["withdrawn"] for e in entries] == [False, False, True]
    assert status(api, got["tracking_number"], got["code"]).body["state"] == "upheld"
    # No new objection against a withdrawn entry; a second one pending on it
    # may still be decided (the candidate is already off the list).
    before = count(db_url, w)
    assert file(api, w.notice["id"], {"entry": 3, "text": TEXT}, expect=409).body["code"] == \
        "entry_withdrawn"
    assert count(db_url, w) == before
    s = item(api, w, second["tracking_number"])
    assert move(api, w, s["id"], "upheld", "同一事实，异议成立。").body["state"] == "upheld"
    assert nomination(api, w, w.ids[2])["state"] == "objection_upheld"


def test_an_open_objection_holds_the_ratification_back(api, factory):
    w = df.noticed_round(api, factory, 2)
    got = file(api, w.notice["id"], {"entry": 1, "text": TEXT}).body
    df.past_notice(w.notice)
    rid = w.round["id"]
    r = api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token,
                 json=df.meeting(w.ids), expect=409).body
    assert r["code"] == "objections_open"
    # after the end the office still decides it; then the 审定 goes ahead
    o = item(api, w, got["tracking_number"])
    move(api, w, o["id"], "dismissed", FINDINGS)
    api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token, json=df.meeting(w.ids),
             expect=201)
    # once the round concludes, objections are read-only
    api.post(f"/v1/rounds/{rid}/approval", token=w.office.token,
             json={"document_no": "环政字〔2027〕12号", "approved_on": df.today().isoformat()},
             expect=201)
    api.post(f"/v1/rounds/{rid}/recognitions", token=w.office.token, expect=201)
    assert df.phase(api, w) == "concluded"
    assert move(api, w, o["id"], "upheld", FINDINGS, expect=409).body["code"] == \
        "round_concluded"
    r = file(api, w.notice["id"], {"entry": 2, "text": TEXT}, expect=409).body
    assert r["code"] == "notice_ended"


def test_an_open_objection_holds_the_recognition_back_lanshan(api, factory):
    """岚山's order: the decided list on notice; an objection still under
    investigation after the end holds the titles back; upheld, that
    candidate is left out of the recognition."""
    w = df.lanshan_deciding(api, factory, 2, awards=2)
    rid = w.round["id"]
    api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token, json=df.meeting(w.ids),
             expect=201)
    w.notice = df.publish(api, w)
    got = file(api, w.notice["id"], {"entry": 2, "text": TEXT}).body
    o = item(api, w, got["tracking_number"])
    move(api, w, o["id"], "investigating")
    df.past_notice(w.notice)
    r = api.post(f"/v1/rounds/{rid}/recognitions", token=w.office.token, expect=409).body
    assert r["code"] == "objections_open"
    move(api, w, o["id"], "upheld", FINDINGS)
    issued = api.post(f"/v1/rounds/{rid}/recognitions", token=w.office.token,
                      expect=201).body["items"]
    assert [c["nomination_id"] for c in issued] == [w.ids[0]]
    assert nomination(api, w, w.ids[1])["state"] == "objection_upheld"


# ---------------------------------------------------------- authorization
PRINCIPALS = ("admin", "office", "office_other", "leader", "leader_other", "unit", "expert",
              "finance", "auditor", "anonymous")
# status per route and principal (the public routes answer everyone alike)
MATRIX = {
    "POST /v1/notices/{id}/objections": {p: 201 for p in PRINCIPALS},
    "GET /v1/objections/{tracking_number}": {p: 200 for p in PRINCIPALS},
    "GET /v1/notices/{id}/objections": dict(
        {p: 403 for p in PRINCIPALS}, office=200, leader=200, office_other=404,
        leader_other=404, anonymous=401),
    "POST /v1/objections/{id}/transitions": dict(
        {p: 403 for p in PRINCIPALS}, office=200, office_other=404, anonymous=401),
}
CASES = [(route, p, want) for route, row in MATRIX.items() for p, want in row.items()]


@pytest.fixture(scope="module")
def people(factory, w):
    other = factory.programme(base=df.HC)
    users = {role: factory.user(role) for role in ("admin", "unit", "expert", "finance",
                                                   "auditor")}
    users["office"] = w.office
    users["leader"] = w.leader
    users["office_other"] = factory.office(other)
    users["leader_other"] = factory.user("leader", programmes=[other])
    return users


def test_matrix_covers_every_route_of_routes_def():
    import pathlib
    import os
    repo = pathlib.Path(os.environ.get("JIANGXIN_TEST_REPO")
                        or pathlib.Path(__file__).resolve().parents[2])
    text = (repo / "api" / "routes.def").read_text(encoding="utf-8")
    ours = set()
    for m in re.finditer(r'ROUTE\("(\w+)",\s*"([^"]+)",\s*objections_', text):
        ours.add(f"{m.group(1)} " + re.sub(r":(\w+)", r"{\1}", m.group(2)))
    assert ours == set(MATRIX)


@pytest.mark.parametrize("route,principal,want", CASES, ids=[f"{r}-{p}" for r, p, _ in CASES])
def test_access(api, w, people, db_url, route, principal, want):
    token = None if principal == "anonymous" else people[principal].token
    method, template = route.split(" ", 1)
    got = file(api, w.notice["id"], {"entry": 2, "text": TEXT, "contact": PHONE}).body
    oid = item(api, w, got["tracking_number"])["id"]
    path = template.replace("{tracking_number}", got["tracking_number"])
    path = path.replace("{id}", oid if template.startswith("/v1/objections") else w.notice["id"])
    kw = {"headers": _from()}
    if method == "POST":
        kw["json"] = {"to": "investigating"} if path.endswith("/transitions") else \
            {"entry": 2, "text": TEXT}
    else:
        kw["params"] = {"code": got["code"]} if "{tracking_number}" in template else None
    r = api.request(method, path, token=token, **kw)
    assert r.status_code == want, f"{route} as {principal}: {r.status_code} {r.text[:300]}"
    if want >= 400:
        assert TEXT not in r.text and "138****5678" not in r.text
        assert r.body["type"] == {401: "urn:jiangxin:problem:unauthorized",
                                  403: "urn:jiangxin:problem:forbidden",
                                  404: "urn:jiangxin:problem:not-found"}[want]
    if path.endswith("/transitions"):
        state = item(api, w, got["tracking_number"])["state"]
        assert state == ("investigating" if want == 200 else "received")
