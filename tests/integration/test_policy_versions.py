# SPDX-License-Identifier: MIT
"""Policy versions (SPEC §11): a programme's policy is a list of versions;
a round pins the version in force on the day its window opens and keeps
its rules whatever is added later; a version a round uses never changes; an
expired version opens no round; history (the cycle, the repeat rule) spans
versions. The programmes here carry the real 岚山 and 环翠 documents' rules
and periods, and each case puts the clocks on the dates its scenario needs.
Successor documents are visibly fictitious test data."""

import datetime

import pytest

import support

LANSHAN_END = "2027-03-25"   # 岚政办字〔2022〕8号 第十三条
FICTITIOUS = "测试文号〔2099〕1号（虚构，仅供测试）"


def real_copy(factory, base="lanshan-craftsman"):
    """A programme of our own with the seed document's policy unchanged
    (period in force included)."""
    seed = factory.api.get(f"/v1/programmes/{base}", expect=200).body["policy"]
    return factory.programme(base=base, in_force_from=seed["in_force_from"],
                             in_force_to=seed["in_force_to"])


def successor(api, admin_token, code, **changes):
    prog = api.get(f"/v1/programmes/{code}", expect=200)
    policy = dict(prog.body["policy"], document_no=FICTITIOUS, in_force_from="2027-03-26",
                  in_force_to="2032-03-25")
    policy.update(changes)
    return api.post(f"/v1/programmes/{code}/policy-versions", token=admin_token,
                    json={"policy": policy}, headers={"If-Match": prog.headers["ETag"]},
                    expect=201)


def round_body(year, opens, closes, **extra):
    body = {"year": year, "reference_date": f"{year}-12-31", "window_opens": opens,
            "window_closes": closes}
    body.update(extra)
    return body


@pytest.mark.clock("2027-04-01")
def test_expired_policy_opens_no_round_until_a_successor_is_added(api, factory, admin_token):
    code = real_copy(factory)
    office = factory.office(code)
    body = round_body(2027, "2027-04-06", "2027-06-30")
    r = api.post(f"/v1/programmes/{code}/rounds", token=office.token, json=body, expect=409)
    assert r.body["type"].endswith(":policy-expired")
    assert r.body["article"] == "第十三条" and r.body["in_force_to"] == LANSHAN_END
    assert r.body["document_no"] == "岚政办字〔2022〕8号"
    assert "第十三条" in r.body["detail"] and LANSHAN_END in r.body["detail"]
    # Even a window that opened while it was in force: it has expired by today.
    r = api.post(f"/v1/programmes/{code}/rounds", token=office.token, expect=409,
                 json=round_body(2027, "2027-03-01", "2027-03-20"))
    assert r.body["type"].endswith(":policy-expired")
    # The programme shows it.
    head = api.get(f"/v1/programmes/{code}", expect=200).body["policy_version"]
    assert (head["number"], head["status"], head["days_left"]) == (1, "expired", None)
    # An admin adds the successor: the round opens and pins it.
    v2 = successor(api, admin_token, code).body
    assert (v2["number"], v2["document_no"], v2["status"], v2["rounds"]) == \
        (2, FICTITIOUS, "in_force", 0)
    rd = api.post(f"/v1/programmes/{code}/rounds", token=office.token, json=body,
                  expect=201).body
    assert rd["policy_version"] == {"number": 2, "document_no": FICTITIOUS,
                                    "in_force_to": "2032-03-25"}
    head = api.get(f"/v1/programmes/{code}", expect=200).body["policy_version"]
    assert (head["number"], head["status"], head["in_force_to"]) == (2, "in_force", "2032-03-25")
    assert head["days_left"] == (datetime.date(2032, 3, 25) - datetime.date(2027, 4, 1)).days


@pytest.mark.clock("2026-06-01")
def test_a_round_keeps_its_version_after_a_successor(api, factory, admin_token, clock):
    """Opened under the first document, the round keeps its rules: the
    successor's longer unit publicity does not reach it."""
    code = real_copy(factory)
    office = factory.office(code)
    rd = api.post(f"/v1/programmes/{code}/rounds", token=office.token, expect=201,
                  json=round_body(2026, "2026-06-01", "2026-12-31")).body
    assert rd["policy_version"]["number"] == 1
    successor(api, admin_token, code, unit_publicity_min_workdays=7, awards_per_round=8)
    api.post(f"/v1/rounds/{rd['id']}/transitions", token=office.token, json={"to": "accepting"},
             expect=200)
    got = api.get(f"/v1/rounds/{rd['id']}", token=office.token, expect=200).body
    assert got["policy_version"]["number"] == 1
    assert got["dates"]["publicity_workdays"] == 3
    unit = factory.user("unit")
    n = factory.nomination(rd["id"], unit)
    r = api.post(f"/v1/nominations/{n['id']}/transitions", token=unit.token, expect=200,
                 json={"to": "unit_publicity", "publicity_start": "2026-06-02",
                       "publicity_workdays": 3}).body
    assert r["publicity_workdays"] == 3
    # The version the round uses never changes.
    v1 = api.get(f"/v1/programmes/{code}/policy-versions/1", expect=200)
    assert v1.body["rounds"] == 1
    r = api.put(f"/v1/programmes/{code}/policy-versions/1", token=admin_token, expect=409,
                json={"policy": dict(v1.body["policy"], awards_per_round=9)},
                headers={"If-Match": v1.headers["ETag"]})
    assert "POST" in r.body["detail"]
    assert api.get(f"/v1/programmes/{code}/policy-versions/1",
                   expect=200).body["policy"]["awards_per_round"] == 10


def test_an_unused_version_may_be_edited(api, factory, admin_token):
    code = factory.programme()
    v2 = successor(api, admin_token, code, in_force_from="2040-01-01", in_force_to="2044-12-31")
    fixed = dict(v2.body["policy"], awards_per_round=7)
    api.put(f"/v1/programmes/{code}/policy-versions/2", token=admin_token,
            json={"policy": fixed}, expect=428)
    api.put(f"/v1/programmes/{code}/policy-versions/2", token=admin_token,
            json={"policy": fixed}, headers={"If-Match": '"9"'}, expect=412)
    r = api.put(f"/v1/programmes/{code}/policy-versions/2", token=admin_token,
                json={"policy": fixed}, headers={"If-Match": v2.headers["ETag"]}, expect=200)
    assert r.body["policy"]["awards_per_round"] == 7 and r.body["version"] == 2
    assert r.headers["ETag"] == '"2"'
    bad = dict(fixed, awards_per_round=0)
    r = api.put(f"/v1/programmes/{code}/policy-versions/2", token=admin_token, expect=422,
                json={"policy": bad}, headers={"If-Match": '"2"'})
    assert "/policy/awards_per_round" in support.pointers(r.body)
    events = api.get(f"/v1/audit?entity_type=policy_version&entity_id={code}/2",
                     token=admin_token, expect=200).body["items"]
    assert [e["action"] for e in events] == ["policy_version.update", "policy_version.create"]


def test_list_get_and_refusals(api, factory, admin_token):
    code = factory.programme()
    items = api.get(f"/v1/programmes/{code}/policy-versions", expect=200).body["items"]
    assert [v["number"] for v in items] == [1] and items[0]["created_by"]
    r = api.get(f"/v1/programmes/{code}/policy-versions/1", expect=200)
    assert r.headers["ETag"] == f'"{r.body["version"]}"'
    api.get(f"/v1/programmes/{code}/policy-versions/2", expect=404)
    for bad in ("0", "1001", "x", "01", "-1"):
        api.get(f"/v1/programmes/{code}/policy-versions/{bad}", expect=400)
    api.get("/v1/programmes/no-such-programme/policy-versions", expect=404)
    api.get("/v1/programmes/No_Such/policy-versions", expect=400)
    prog = api.get(f"/v1/programmes/{code}", expect=200)
    policy = prog.body["policy"]
    path = f"/v1/programmes/{code}/policy-versions"
    api.post(path, token=admin_token, json={"policy": policy}, expect=428)
    api.post(path, token=admin_token, json={"policy": policy}, headers={"If-Match": '"99"'},
             expect=412)
    api.post(path, token=admin_token, json={"policy": policy, "x": 1},
             headers={"If-Match": prog.headers["ETag"]}, expect=400)
    r = api.post(path, token=admin_token, json={"policy": dict(policy, cycle_years=0)},
                 headers={"If-Match": prog.headers["ETag"]}, expect=422)
    assert "/policy/cycle_years" in support.pointers(r.body)
    api.post("/v1/programmes/no-such-programme/policy-versions", token=admin_token,
             json={"policy": policy}, headers={"If-Match": '"1"'}, expect=404)
    for role in ("office", "unit", "auditor", "service"):
        user = factory.user(role)
        api.post(path, token=user.token, json={"policy": policy},
                 headers={"If-Match": prog.headers["ETag"]}, expect=403)
        api.put(f"{path}/1", token=user.token, json={"policy": policy},
                headers={"If-Match": '"1"'}, expect=403)
    api.post(path, json={"policy": policy}, expect=401)
    # Nothing of that changed anything.
    assert len(api.get(path, expect=200).body["items"]) == 1


def test_create_is_idempotent_and_moves_the_programme_etag(api, factory, admin_token):
    code = factory.programme()
    prog = api.get(f"/v1/programmes/{code}", expect=200)
    body = {"policy": dict(prog.body["policy"], in_force_from="2050-01-01",
                           in_force_to="2054-12-31", document_no=FICTITIOUS)}
    headers = {"If-Match": prog.headers["ETag"], "Idempotency-Key": support.rand_hex(16)}
    first = api.post(f"/v1/programmes/{code}/policy-versions", token=admin_token, json=body,
                     headers=headers, expect=201)
    again = api.post(f"/v1/programmes/{code}/policy-versions", token=admin_token, json=body,
                     headers=headers, expect=201)
    assert again.body == first.body and first.headers["Location"].endswith("/policy-versions/2")
    after = api.get(f"/v1/programmes/{code}", expect=200)
    assert after.body["version"] == prog.body["version"] + 1
    assert after.body["policy_versions"] == 2
    # The old ETag no longer fits.
    api.post(f"/v1/programmes/{code}/policy-versions", token=admin_token, json=body,
             headers={"If-Match": prog.headers["ETag"]}, expect=412)


def test_put_policy_adds_a_version(api, factory, admin_token):
    code = factory.programme()
    prog = api.get(f"/v1/programmes/{code}", expect=200)
    r = api.put(f"/v1/programmes/{code}/policy", token=admin_token,
                json=dict(prog.body["policy"], awards_per_round=6),
                headers={"If-Match": prog.headers["ETag"]}, expect=200).body
    assert r["policy"]["awards_per_round"] == 6 and r["policy_versions"] == 2
    assert r["policy_version"]["number"] == 2
    v1 = api.get(f"/v1/programmes/{code}/policy-versions/1", expect=200).body
    assert v1["policy"]["awards_per_round"] == 10


@pytest.mark.clock("2026-06-01")
def test_a_window_before_any_version_is_422(api, factory):
    code = real_copy(factory)
    office = factory.office(code)
    r = api.post(f"/v1/programmes/{code}/rounds", token=office.token, expect=422,
                 json=round_body(2022, "2022-03-24", "2022-06-30"))
    assert support.pointers(r.body) == ["/window_opens"]
    r = api.post(f"/v1/programmes/{code}/rounds", token=office.token, expect=422,
                 json=round_body(2027, "2027-01-04", "2027-03-26"))
    assert support.pointers(r.body) == ["/window_closes"]
    assert "2027-03-25" in r.body["detail"]


def test_the_programme_shows_the_version_of_today(api, factory, clock):
    code = real_copy(factory)
    clock.set("2026-12-25")
    head = api.get(f"/v1/programmes/{code}", expect=200).body["policy_version"]
    assert (head["status"], head["days_left"], head["in_force_to"]) == ("in_force", 90, LANSHAN_END)
    assert head["document_no"] == "岚政办字〔2022〕8号" and head["authority"]
    clock.set(LANSHAN_END)
    assert api.get(f"/v1/programmes/{code}", expect=200).body["policy_version"]["days_left"] == 0
    clock.set("2021-01-01")
    head = api.get(f"/v1/programmes/{code}", expect=200).body["policy_version"]
    assert (head["status"], head["days_left"]) == ("not_yet_in_force", None)


@pytest.mark.clock("2027-01-15")
def test_the_cycle_spans_versions(api, factory, admin_token, clock):
    """岚山 第二条 every two years: a round under the successor one year after
    a round under the first document needs a recorded reason."""
    code = real_copy(factory)
    office = factory.office(code)
    api.post(f"/v1/programmes/{code}/rounds", token=office.token, expect=201,
             json=round_body(2027, "2027-01-15", "2027-03-20"))
    successor(api, admin_token, code)
    clock.set("2028-02-01")
    r = api.post(f"/v1/programmes/{code}/rounds", token=office.token, expect=422,
                 json=round_body(2028, "2028-02-01", "2028-06-30"))
    assert "/cycle_override_reason" in support.pointers(r.body)
    rd = api.post(f"/v1/programmes/{code}/rounds", token=office.token, expect=201,
                  json=round_body(2028, "2028-02-01", "2028-06-30",
                                  cycle_override_reason="新文件施行后首次认定"))
    assert rd.body["policy_version"]["number"] == 2


def test_the_repeat_rule_spans_versions(api, factory, admin_token, clock):
    """岚山 第六条 不重复认定: a person recognised, through the real decision
    path, in a round under the first document fails the repeat check in a
    round under the successor."""
    import decision_flow as df
    seed = api.get("/v1/programmes/lanshan-craftsman", expect=200).body["policy"]
    with clock.at("2025-05-01"):
        w = df.lanshan_deciding(api, factory, 1, awards=1, in_force_from=seed["in_force_from"],
                                in_force_to=seed["in_force_to"])
        assert w.round["policy_version"]["number"] == 1
        api.post(f"/v1/rounds/{w.round['id']}/decisions", token=w.leader.token,
                 json=df.meeting(w.ids), expect=201)
        df.past_notice(df.publish(api, w))
        api.post(f"/v1/rounds/{w.round['id']}/recognitions", token=w.office.token, expect=201)
        idn = api.get(f"/v1/nominations/{w.ids[0]}?reveal=id_number", token=w.office.token,
                      expect=200).body["id_number"]
    code, office, unit = w.programme, w.office, factory.user("unit")
    successor(api, admin_token, code)
    with clock.at("2027-05-01"):
        new = api.post(f"/v1/programmes/{code}/rounds", token=office.token, expect=201,
                       json=round_body(2027, "2027-05-01", "2027-12-31")).body
        assert new["policy_version"]["number"] == 2
        api.post(f"/v1/rounds/{new['id']}/transitions", token=office.token,
                 json={"to": "accepting"}, expect=200)
        again = factory.nomination(new["id"], unit, id_number=idn)
        checks = api.get(f"/v1/nominations/{again['id']}/eligibility", token=unit.token,
                         expect=200).body["checks"]
    repeat = {c["check"]: c for c in checks}["repeat"]
    assert repeat["result"] == "fail" and repeat["article"] == "第六条"


def test_the_vote_follows_the_rounds_version(api, factory, admin_token):
    """Every later step reads the pinned version: a successor without a
    public vote, in force today, does not take the vote from a round opened
    under a version with one (and its count of nominees stays the round's)."""
    import vote_flow
    w = vote_flow.review_round(api, factory, qualified=3, vote_nominees=2)
    prog = api.get(f"/v1/programmes/{w.programme}", expect=200)
    policy = dict(prog.body["policy"], document_no=FICTITIOUS, vote_nominees=None,
                  vote_weight=None)
    api.post(f"/v1/programmes/{w.programme}/policy-versions", token=admin_token,
             json={"policy": policy}, headers={"If-Match": prog.headers["ETag"]}, expect=201)
    assert api.get(f"/v1/programmes/{w.programme}",
                   expect=200).body["policy"]["vote_nominees"] is None
    r = vote_flow.create_session(api, w, ids=w.shortlist[:1], expect=422)
    assert r.body["errors"][0]["code"] == "wrong_nominee_count"
    assert "恰好列入 2 名" in r.body["errors"][0]["detail"]
    s = vote_flow.create_session(api, w, ids=w.shortlist).body
    assert len(s["nominees"]) == 2
