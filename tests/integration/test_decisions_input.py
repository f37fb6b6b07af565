# SPDX-License-Identifier: MIT
"""Issue 13: every bad input to the steps after the shortlist is answered
with a problem (its pointer and stable code) and changes nothing; the hard
cap at its real size (岚山 第二条: the 11th is refused); a concluded round
refuses every write."""

import datetime

import pytest

import decision_flow as df
import support


def snapshot(api, w, db_url):
    """What a refused request must leave alone: the round, its nominations,
    the rows of every step, the audit log's length."""
    r = api.get(f"/v1/rounds/{w.round['id']}", token=w.office.token, expect=200).body
    states = [api.get(f"/v1/nominations/{n}", token=w.office.token, expect=200).body["state"]
              for n in w.ids]
    rows = support.psql_scalar(db_url, f"""SELECT concat_ws(',',
        (SELECT count(*) FROM decisions WHERE round_id = '{w.round['id']}'),
        (SELECT count(*) FROM inspections WHERE round_id = '{w.round['id']}'),
        (SELECT count(*) FROM notices WHERE round_id = '{w.round['id']}'),
        (SELECT count(*) FROM round_approvals WHERE round_id = '{w.round['id']}'),
        (SELECT count(*) FROM recognitions WHERE round_id = '{w.round['id']}'),
        (SELECT count(*) FROM audit_events))""")
    return r["phase"], r["version"], states, rows


def refused(api, w, db_url, method, path, token, body, status, pointer, code):
    """The request answered `status` with `code` at `pointer`, and nothing changed."""
    before = snapshot(api, w, db_url)
    r = api.request(method, path, token=token, json=body, expect=status).body
    assert pointer is None or pointer in support.pointers(r), r
    assert code in [e["code"] for e in r.get("errors") or []] or r["code"] == code, r
    assert snapshot(api, w, db_url) == before


@pytest.fixture(scope="module")
def deciding(api, factory):
    """A 岚山-based round in deciding (no vote) with three on its shortlist."""
    return df.lanshan_deciding(api, factory, 3, awards=2)


@pytest.fixture(scope="module")
def inspecting(api, factory):
    return df.huancui_deciding(api, factory, 2, awards=2)


TODAY = "@today"
TOMORROW = "@tomorrow"


def fill(body, w):
    today = df.today()
    subst = {TODAY: today.isoformat(),
             TOMORROW: (today + datetime.timedelta(days=1)).isoformat(),
             "@id0": w.ids[0], "@id1": w.ids[1], "@other": "00000000-0000-4000-8000-000000000000"}
    if isinstance(body, dict):
        return {k: fill(v, w) for k, v in body.items()}
    if isinstance(body, list):
        return [fill(v, w) for v in body]
    return subst.get(body, body) if isinstance(body, str) else body


GOOD = {"meeting_date": TODAY, "meeting_reference": "第1次会议", "members_present": ["甲", "乙"],
        "selections": ["@id0"]}

DECISION_CASES = [
    # (body, status, pointer, code)
    ({**GOOD, "extra": 1}, 400, "/extra", "unknown_field"),
    ({k: v for k, v in GOOD.items() if k != "meeting_date"}, 422, "/meeting_date", "required"),
    ({**GOOD, "meeting_date": "2026-02-30"}, 422, "/meeting_date", "not_date"),
    ({**GOOD, "meeting_date": TOMORROW}, 422, "/meeting_date", "date_in_future"),
    ({**GOOD, "meeting_reference": ""}, 422, "/meeting_reference", "too_short"),
    ({**GOOD, "members_present": []}, 422, "/members_present", "too_few_items"),
    ({**GOOD, "members_present": ["甲", "甲"]}, 422, "/members_present/1", "duplicate"),
    ({**GOOD, "members_present": [7]}, 422, "/members_present/0", "out_of_range"),
    ({**GOOD, "selections": []}, 422, "/selections", "too_few_items"),
    ({**GOOD, "selections": ["x"]}, 422, "/selections/0", "not_uuid"),
    ({**GOOD, "selections": ["@other"]}, 422, "/selections/0", "not_candidate"),
    ({**GOOD, "selections": ["@id0", "@id0"]}, 422, "/selections/1", "duplicate"),
    ({**GOOD, "reason": ""}, 422, "/reason", "too_short"),
    ({**GOOD, "selections": "@id0"}, 422, "/selections", "wrong_type"),
    ([], 400, None, "not_an_object"),  # the edge refuses it before any handler
]


@pytest.mark.parametrize("body,status,pointer,code", DECISION_CASES,
                         ids=[f"{c[3]}-{i}" for i, c in enumerate(DECISION_CASES)])
def test_bad_decision_changes_nothing(api, deciding, db_url, body, status, pointer, code):
    w = deciding
    refused(api, w, db_url, "POST", f"/v1/rounds/{w.round['id']}/decisions", w.leader.token,
            fill(body, w), status, pointer, code)


INSPECTION_GOOD = {"passed": True, "findings": "属实", "inspected_on": TODAY}
INSPECTION_CASES = [
    ({**INSPECTION_GOOD, "x": 1}, 400, "/x", "unknown_field"),
    ({**INSPECTION_GOOD, "passed": "yes"}, 422, "/passed", "wrong_type"),
    ({**INSPECTION_GOOD, "findings": ""}, 422, "/findings", "too_short"),
    ({**INSPECTION_GOOD, "findings": "字" * 2001}, 422, "/findings", "too_long"),
    ({**INSPECTION_GOOD, "inspected_on": TOMORROW}, 422, "/inspected_on", "date_in_future"),
    ({k: v for k, v in INSPECTION_GOOD.items() if k != "inspected_on"}, 422, "/inspected_on",
     "required"),
]


@pytest.mark.parametrize("body,status,pointer,code", INSPECTION_CASES,
                         ids=[f"{c[3]}-{i}" for i, c in enumerate(INSPECTION_CASES)])
def test_bad_inspection_changes_nothing(api, inspecting, db_url, body, status, pointer, code):
    w = inspecting
    refused(api, w, db_url, "PUT", f"/v1/nominations/{w.ids[0]}/inspection", w.office.token,
            fill(body, w), status, pointer, code)


@pytest.fixture(scope="module")
def decided(api, factory):
    """A 岚山-based round whose group has decided: ready for its notice."""
    w = df.lanshan_deciding(api, factory, 2, awards=2)
    api.post(f"/v1/rounds/{w.round['id']}/decisions", token=w.leader.token,
             json=df.meeting(w.ids), expect=201)
    return w


NOTICE_CASES = [
    ({"contact": "x", "y": 1}, 400, "/y", "unknown_field"),
    ({}, 422, "/contact", "required"),
    ({"contact": ""}, 422, "/contact", "too_short"),
    ({"contact": "x", "title": "字" * 201}, 422, "/title", "too_long"),
    ({"contact": "x", "body": 5}, 422, "/body", "wrong_type"),
]


@pytest.mark.parametrize("body,status,pointer,code", NOTICE_CASES,
                         ids=[f"{c[3]}-{i}" for i, c in enumerate(NOTICE_CASES)])
def test_bad_notice_changes_nothing(api, decided, db_url, body, status, pointer, code):
    w = decided
    refused(api, w, db_url, "POST", f"/v1/rounds/{w.round['id']}/notices", w.office.token, body,
            status, pointer, code)


def test_lanshan_eleventh_selection_is_refused(api, factory, db_url):
    """岚山 第二条 "每次评选不超过10名" at its real size: eleven on the
    shortlist, the group may select ten, never eleven."""
    w = df.lanshan_deciding(api, factory, 11, awards=10)
    before = snapshot(api, w, db_url)
    r = api.post(f"/v1/rounds/{w.round['id']}/decisions", token=w.leader.token,
                 json=df.meeting(w.ids, reason="工作需要"), expect=422).body
    assert r["errors"][0]["code"] == "over_award_cap" and "第二条" in r["errors"][0]["detail"]
    assert support.pointers(r) == ["/selections"]
    assert snapshot(api, w, db_url) == before
    d = api.post(f"/v1/rounds/{w.round['id']}/decisions", token=w.leader.token,
                 json=df.meeting(w.ids[:10]), expect=201).body
    assert len(d["selections"]) == 10


def test_a_concluded_round_refuses_every_write(api, factory, db_url):
    w = df.noticed_round(api, factory, 1, awards=1)
    df.past_notice(w.notice)
    df.ratify_and_approve(api, w)
    api.post(f"/v1/rounds/{w.round['id']}/recognitions", token=w.office.token, expect=201)
    before = snapshot(api, w, db_url)
    rid, nid = w.round["id"], w.ids[0]
    tries = [
        ("POST", f"/v1/rounds/{rid}/recognitions", w.office.token, None, "round_concluded"),
        ("POST", f"/v1/rounds/{rid}/decisions", w.leader.token, df.meeting(w.ids),
         "round_concluded"),
        ("POST", f"/v1/rounds/{rid}/approval", w.office.token,
         {"document_no": "x", "approved_on": df.today().isoformat()}, "round_concluded"),
        ("POST", f"/v1/rounds/{rid}/notices", w.office.token, {"contact": "x"},
         "round_concluded"),
        ("PUT", f"/v1/nominations/{nid}/inspection", w.office.token,
         {"passed": True, "findings": "x", "inspected_on": df.today().isoformat()},
         "round_concluded"),
        ("POST", f"/v1/rounds/{rid}/transitions", w.office.token, {"to": "review"},
         "round_move_not_allowed"),
        ("POST", f"/v1/nominations/{nid}/transitions", w.office.token,
         {"to": "disqualified", "note": "x"}, None),
    ]
    for method, path, token, body, code in tries:
        kw = {"json": body} if body is not None else {}
        r = api.request(method, path, token=token, **kw)
        assert r.status_code == 409, (path, r.status_code, r.text[:300])
        assert code is None or r.body["code"] == code, (path, r.body)
    assert snapshot(api, w, db_url) == before
