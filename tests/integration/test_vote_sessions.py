# SPDX-License-Identifier: MIT
"""jiangxin-vote sessions: the internal PUT (create, replace before the
window opens, identical → 200, any change once opened → 409 except closing
early), the public view, hidden counts and the tally."""

import time

import pytest

import vote_support as vs
from vote_support import new_id, put_session, session_body


def test_create_then_read(vote):
    sid, body = new_id(), session_body(n=3)
    r = put_session(vote, sid, body, expect=201)
    assert r.headers["Location"] == f"/v1/sessions/{sid}"
    s = r.body
    assert s["id"] == sid and s["round_id"] == body["round_id"] and s["state"] == "open"
    assert s["show_counts_while_open"] is False
    assert [n["number"] for n in s["nominees"]] == [1, 2, 3]
    assert [n["id"] for n in s["nominees"]] == [n["id"] for n in body["nominees"]]
    assert s["opens_at"].endswith("+08:00") and s["closes_at"].endswith("+08:00")
    assert s["limits"] == body["limits"]
    # counts are hidden while open
    assert "total_votes" not in s and all("votes" not in n for n in s["nominees"])
    assert vote.get(f"/v1/sessions/{sid}", expect=200).body == s


def test_identical_put_is_200_unchanged(vote):
    sid, body = new_id(), session_body()
    first = put_session(vote, sid, body, expect=201).body
    again = put_session(vote, sid, body, expect=200).body
    assert again == first


def test_replace_before_open(vote):
    t = vs.now_s()
    sid, body = new_id(), session_body(opens=t + 3600, closes=t + 7200)
    assert put_session(vote, sid, body, expect=201).body["state"] == "scheduled"
    body["title"] = "改过的标题"
    body["nominees"] = body["nominees"][:2]
    s = put_session(vote, sid, body, expect=200).body
    assert s["title"] == "改过的标题" and len(s["nominees"]) == 2
    # not open yet: votes are refused (409 not-open, in Chinese by default), counts hidden
    r = vs.cast(vote, sid, body["nominees"][0]["id"], expect=409)
    assert r.body["type"] == "urn:jiangxin:problem:not-open"
    assert r.body["code"] == "vote_not_open"
    assert r.body["title"] == "不在开放时间内" and r.body["detail"] == "投票尚未开始"
    r = vs.cast(vote, sid, body["nominees"][0]["id"], expect=409, lang="en")
    assert r.body["code"] == "vote_not_open" and "not opened" in r.body["detail"]
    r = vote.get(f"/v1/sessions/{sid}/tally", expect=403)
    assert r.body["code"] == "counts_hidden"


def test_change_after_open_is_409(vote):
    sid, body = new_id(), session_body()
    put_session(vote, sid, body, expect=201)
    changed = dict(body, title="另一个标题")
    r = put_session(vote, sid, changed, expect=409)
    assert r.body["code"] == "session_locked" and "closes_at" in r.body["detail"]
    later = dict(body, closes_at=vs.rfc3339(vs.now_s() + 7200))
    put_session(vote, sid, later, expect=409)
    past = dict(body, closes_at=vs.rfc3339(vs.now_s() - 30))
    put_session(vote, sid, past, expect=409)
    assert vote.get(f"/v1/sessions/{sid}", expect=200).body["title"] == body["title"]


def test_close_early_then_votes_refused(vote):
    sid, body = new_id(), session_body()
    put_session(vote, sid, body, expect=201)
    nominee = body["nominees"][0]["id"]
    vs.cast(vote, sid, nominee, expect=201)
    early = dict(body, closes_at=vs.rfc3339_ms(vs.now_f() + 0.3))
    put_session(vote, sid, early, expect=200)
    time.sleep(0.4)
    s = vote.get(f"/v1/sessions/{sid}", expect=200).body
    assert s["state"] == "closed" and s["closes_at"] == vs.shanghai(early["closes_at"])
    # closed: counts are public now
    assert s["total_votes"] == 1
    assert {n["id"]: n["votes"] for n in s["nominees"]}[nominee] == 1
    r = vs.cast(vote, sid, nominee, expect=409, lang="en")
    assert r.body["type"] == "urn:jiangxin:problem:not-open"
    assert r.body["code"] == "vote_closed" and r.body["title"] == "Not open at this time"
    assert "closed" in r.body["detail"]
    # the same early close again is unchanged
    put_session(vote, sid, early, expect=200)


def test_counts_visible_while_open_when_allowed(vote):
    sid, body, noms = vs.new_session(vote, show_counts=True, votes_per_day=3)
    vs.cast(vote, sid, noms[1], expect=201)
    s = vote.get(f"/v1/sessions/{sid}", expect=200).body
    assert s["total_votes"] == 1
    assert [n["votes"] for n in s["nominees"]] == [0, 1, 0]
    t = vote.get(f"/v1/sessions/{sid}/tally", expect=200).body
    assert t["session_id"] == sid and t["state"] == "open" and t["total_votes"] == 1
    assert [(c["nominee_id"], c["number"], c["votes"]) for c in t["counts"]] == [
        (noms[0], 1, 0), (noms[1], 2, 1), (noms[2], 3, 0)]
    assert t["as_of"].endswith("+08:00")


def test_counts_hidden_while_open(vote):
    sid, body, noms = vs.new_session(vote)
    vs.cast(vote, sid, noms[0], expect=201)
    r = vote.get(f"/v1/sessions/{sid}/tally", expect=403)
    assert r.body["code"] == "counts_hidden" and r.body["detail"] == "投票结束前不公布票数"
    s = vote.get(f"/v1/sessions/{sid}", expect=200).body
    assert "total_votes" not in s and all("votes" not in n for n in s["nominees"])


@pytest.mark.parametrize("path", ["", "/tally", "/log"])
def test_unknown_session_is_404(vote, path):
    r = vote.get(f"/v1/sessions/{new_id()}{path}", expect=404)
    assert r.body["code"] == "no_such_session" and r.body["detail"] == "投票场次不存在"
    r = vote.get(f"/v1/sessions/not-a-uuid{path}", expect=404)
    assert r.body["code"] == "no_such_session"


def test_put_bad_id_is_400(vote):
    r = put_session(vote, "NOT-A-UUID", session_body(), expect=400)
    assert r.body["code"] == "not_uuid"


@pytest.mark.parametrize("change, status, pointer, code", [
    (lambda b: b.update(extra=1), 400, "/extra", "unknown_field"),
    (lambda b: b["limits"].update(more=1), 400, "/limits/more", "unknown_field"),
    (lambda b: b.pop("limits"), 422, "/limits", "required"),
    (lambda b: b.pop("nominees"), 422, "/nominees", "required"),
    (lambda b: b.update(nominees=[]), 422, "/nominees", "too_few_items"),
    (lambda b: b.update(title=""), 422, "/title", "too_short"),
    (lambda b: b.update(round_id="x"), 422, "/round_id", "not_uuid"),
    (lambda b: b.update(opens_at="2026-13-01T00:00:00Z"), 422, "/opens_at", "not_date_time"),
    (lambda b: b.update(opens_at="2026-01-01 00:00:00"), 422, "/opens_at", "not_date_time"),
    (lambda b: b.update(closes_at="2101-01-01T00:00:00+08:00"), 422, "/closes_at",
     "out_of_range"),
    (lambda b: b.update(closes_at=b["opens_at"]), 422, "/closes_at", "closes_not_after_opens"),
    (lambda b: b["limits"].update(votes_per_day=0), 422, "/limits/votes_per_day",
     "out_of_range"),
    (lambda b: b["limits"].update(votes_per_nominee_per_day=101), 422,
     "/limits/votes_per_nominee_per_day", "out_of_range"),
    (lambda b: b["limits"].update(ip_burst="5"), 422, "/limits/ip_burst", "wrong_type"),
    (lambda b: b.update(show_counts_while_open="yes"), 422, "/show_counts_while_open",
     "wrong_type"),
    (lambda b: b["nominees"].append(dict(b["nominees"][0])), 422, "/nominees/3/id",
     "duplicate_nominee"),
    (lambda b: b["nominees"][1].pop("name"), 422, "/nominees/1/name", "required"),
    (lambda b: b["nominees"][0].update(id="ABC"), 422, "/nominees/0/id", "not_uuid"),
    (lambda b: b["nominees"][0].update(photo="x"), 400, "/nominees/0/photo", "unknown_field"),
    (lambda b: b["nominees"].append(5), 422, "/nominees/3", "not_an_object"),
])
def test_put_bad_body(vote, change, status, pointer, code):
    body = session_body()
    change(body)
    sid = new_id()
    r = put_session(vote, sid, body, expect=status)
    assert {e["pointer"]: e["code"] for e in r.body["errors"]}[pointer] == code
    vote.get(f"/v1/sessions/{sid}", expect=404)


def test_put_every_fault_at_once(vote):
    """One 422 lists every bad member, a mistyped one included; an unknown
    member anywhere makes it a 400 that lists only the unknown ones."""
    body = session_body()
    body.update(round_id="x", title=7, opens_at="soon")
    body["limits"]["votes_per_day"] = 0
    body["nominees"][0]["id"] = "ABC"
    sid = new_id()
    r = put_session(vote, sid, body, expect=422)
    assert {e["pointer"]: e["code"] for e in r.body["errors"]} == {
        "/title": "wrong_type", "/round_id": "not_uuid", "/opens_at": "not_date_time",
        "/limits/votes_per_day": "out_of_range", "/nominees/0/id": "not_uuid"}
    assert r.body["code"] == "wrong_type"
    assert r.body["detail"] == "/title: 应为字符串"
    body["nominees"][1]["photo"] = "x"
    r = put_session(vote, sid, body, expect=400)
    assert [(e["pointer"], e["code"]) for e in r.body["errors"]] == [
        ("/nominees/1/photo", "unknown_field")]
    vote.get(f"/v1/sessions/{sid}", expect=404)


def test_put_not_json(vote):
    vote.put(f"/internal/v1/sessions/{new_id()}", data="x", token=vs.service_token(),
             headers={"Content-Type": "text/plain"}, expect=415)
    vote.put(f"/internal/v1/sessions/{new_id()}", data="{", token=vs.service_token(),
             headers={"Content-Type": "application/json"}, expect=400)


def test_put_200_nominees(vote):
    sid, body = new_id(), session_body(n=200)
    s = put_session(vote, sid, body, expect=201).body
    assert len(s["nominees"]) == 200 and s["nominees"][-1]["number"] == 200
    too_many = session_body(n=201)
    put_session(vote, new_id(), too_many, expect=422)


def test_put_needs_a_service_token(vote):
    sid, body = new_id(), session_body()
    vote.put(f"/internal/v1/sessions/{sid}", json=body, expect=401)
    vote.put(f"/internal/v1/sessions/{sid}", json=body, token=vs.voter_token(), expect=403)
    # a token with the service secret but another role
    put_session(vote, sid, body, token=vs.service_token(role="admin"), expect=401)
    put_session(vote, sid, body, token=vs.service_token(aud="jiangxin"), expect=401)
    put_session(vote, sid, body, token=vs.service_token(secret="x" * 40), expect=401)
    vote.get(f"/v1/sessions/{sid}", expect=404)
