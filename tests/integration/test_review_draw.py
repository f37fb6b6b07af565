# SPDX-License-Identifier: MIT
"""The review panel's draw (issue 12, "Experts and panels"; 岚山 第五条（三）
"抽调业务骨干和部分专家组成评审组", 环翠 第十条（四） "组织有关专家成立…评审委员会"):
k = policy.review_experts experts per qualified nomination, recorded with
its seed so the same seed reproduces it, a dry run that writes nothing,
load balance and field preference (README "Review and ranking rules"),
the round and its nominations moved into review, every bad input a problem
that changes nothing, and who may call which route."""

import math

import pytest

import support
from draw_support import (PROGRAMME_BASES, audit_actions, draw, draw_world, expert, experts,
                          pairs, state)

ANON = "anonymous"


@pytest.mark.parametrize("base", PROGRAMME_BASES)
def test_dry_run_writes_nothing_and_the_seed_reproduces_the_draw(api, factory, db_url, base):
    w = draw_world(api, factory, n=3, k=2, base=base)
    experts(api, factory, w, 4)
    before = state(db_url, w)

    # a dry run without a seed gets a random one and shows it
    first = draw(api, w, expect=200, dry_run=True)
    assert first["dry_run"] is True and first["draw"]["id"] is None
    seed = first["draw"]["seed"]
    assert seed.isdigit() and 0 <= int(seed) < 2 ** 64
    assert first["draw"]["experts_per_nomination"] == 2
    assert len(first["items"]) == 3 * 2
    assert state(db_url, w) == before, "a dry run wrote something"

    # the same seed gives the same pairs, dry or real
    again = draw(api, w, expect=200, dry_run=True, seed=seed)
    assert pairs(again["items"]) == pairs(first["items"])
    real = draw(api, w, seed=seed)
    assert real["dry_run"] is False
    assert real["draw"]["seed"] == seed and real["draw"]["kind"] == "panel"
    assert pairs(real["items"]) == pairs(first["items"])
    assert all(i["state"] == "active" and i["replaces"] is None for i in real["items"])
    names = {n["id"]: n["name"] for n in w.noms}
    assert all(i["nomination_name"] == names[i["nomination_id"]] for i in real["items"])

    # the GET shows the seed, so the draw can be checked against it later
    listed = api.get(f"/v1/rounds/{w.round['id']}/review-assignments", token=w.office.token,
                     expect=200).body
    assert [d["seed"] for d in listed["draws"]] == [seed]
    assert pairs(listed["items"]) == pairs(first["items"])

    # the round is in review, every drawn nomination in_review, with its history
    rnd = api.get(f"/v1/rounds/{w.round['id']}", token=w.office.token, expect=200).body
    assert rnd["phase"] == "review"
    for n in w.noms:
        got = api.get(f"/v1/nominations/{n['id']}", token=w.office.token, expect=200).body
        assert got["state"] == "in_review"
    assert support.psql_scalar(db_url, f"""
        SELECT count(*) FROM nomination_transitions t JOIN nominations n ON n.id = t.nomination_id
         WHERE n.round_id = '{w.round['id']}' AND t.from_state = 'qualified'
           AND t.to_state = 'in_review'""") == "3"
    # one audit event for the draw (and the round's own transition)
    actions = audit_actions(db_url, "round", w.round["id"])
    assert actions.count("review.draw") == 1
    assert actions[-2:] == ["round.transition", "review.draw"]


def test_a_seed_repeats_across_dry_runs_and_another_seed_may_differ(api, factory):
    w = draw_world(api, factory, n=4, k=2)
    experts(api, factory, w, 8)
    runs = {s: pairs(draw(api, w, expect=200, dry_run=True, seed=s)["items"])
            for s in ("0", "1", "18446744073709551615", "12345678901234567890")}
    for s, p in runs.items():
        assert pairs(draw(api, w, expect=200, dry_run=True, seed=s)["items"]) == p
    assert len(set(map(tuple, runs.values()))) > 1, "four seeds over 8 experts all drew alike"
    # leading zeros are the same number
    assert pairs(draw(api, w, expect=200, dry_run=True, seed="0001")["items"]) == runs["1"]


def test_second_draw_is_refused_and_changes_nothing(api, factory, db_url):
    w = draw_world(api, factory, n=1, k=2)
    experts(api, factory, w, 3)
    draw(api, w, seed="7")
    before = state(db_url, w)
    for body in ({}, {"seed": "7"}, {"dry_run": True}):
        p = draw(api, w, expect=409, **body)
        assert p["code"] == "panel_drawn"
    assert state(db_url, w) == before


def test_load_is_balanced(api, factory):
    # no expert covers the field: only the load decides, ties by the PRNG
    n, k, pool = 5, 3, 6
    w = draw_world(api, factory, n=n, k=k)
    experts(api, factory, w, pool, fields=("焊工",))
    got = draw(api, w, seed="99")
    loads = {}
    for i in got["items"]:
        loads[i["expert_id"]] = loads.get(i["expert_id"], 0) + 1
        assert i["field_match"] is False
    assert sum(loads.values()) == n * k
    assert max(loads.values()) <= math.ceil(n * k / pool)
    assert min(loads.values()) >= (n * k) // pool
    # no expert twice on one nomination
    assert len(set(pairs(got["items"]))) == n * k


def test_matching_fields_come_first(api, factory):
    w = draw_world(api, factory, n=3, k=2, occupation="数控车工")
    matching = experts(api, factory, w, 2, fields=("车工", "数控车工"))
    experts(api, factory, w, 4, fields=("焊工",))
    got = draw(api, w, expect=200, seed="5", dry_run=True)
    # both matching experts sit on every nomination, however loaded
    assert pairs(got["items"]) == sorted((n["id"], e.id) for n in w.noms for e in matching)
    assert all(i["field_match"] for i in got["items"])
    # with three seats the third goes to a non-matching expert
    w3 = draw_world(api, factory, n=1, k=3, occupation="数控车工")
    m = experts(api, factory, w3, 2, fields=("数控车工",))
    experts(api, factory, w3, 2, fields=("焊工",))
    items = draw(api, w3, expect=200, seed="5", dry_run=True)["items"]
    flags = sorted(i["field_match"] for i in items)
    assert flags == [False, True, True]
    assert {i["expert_id"] for i in items if i["field_match"]} == {e.id for e in m}


def test_a_round_already_in_review_is_drawn_and_stays(api, factory, db_url):
    w = draw_world(api, factory, n=2, k=1, phase="review", others=1)
    experts(api, factory, w, 2)
    got = draw(api, w, seed="3")
    assert len(got["items"]) == 2
    assert {i["nomination_id"] for i in got["items"]} == {n["id"] for n in w.noms}
    assert support.psql_scalar(db_url, f"SELECT phase FROM rounds WHERE id = '{w.round['id']}'") \
        == "review"
    # the rejected nomination is untouched
    assert api.get(f"/v1/nominations/{w.others[0]['id']}", token=w.office.token,
                   expect=200).body["state"] == "rejected"


def test_the_draws_move_is_not_a_transition_anyone_can_ask_for(api, factory, db_url):
    w = draw_world(api, factory, n=1, k=1, phase="review")
    nid = w.noms[0]["id"]
    p = api.post(f"/v1/nominations/{nid}/transitions", token=w.office.token,
                 json={"to": "in_review"}, expect=409).body
    assert p["code"] == "move_not_allowed"
    got = api.get(f"/v1/nominations/{nid}", token=w.office.token, expect=200).body
    assert got["state"] == "qualified"


# ------------------------------------------------------------ bad inputs
@pytest.mark.parametrize("body,status,code,pointer", [
    ({"seed": "abc"}, 422, "bad_seed", "/seed"),
    ({"seed": "-1"}, 422, "bad_seed", "/seed"),
    ({"seed": " 1"}, 422, "bad_seed", "/seed"),
    ({"seed": "18446744073709551616"}, 422, "bad_seed", "/seed"),
    ({"seed": "123456789012345678901"}, 422, None, "/seed"),
    ({"seed": ""}, 422, None, "/seed"),
    ({"seed": 5}, 422, None, "/seed"),
    ({"dry_run": "yes"}, 422, None, "/dry_run"),
    ({"seed": "1", "k": 3}, 400, None, "/k"),
])
def test_bad_bodies_change_nothing(api, factory, db_url, body, status, code, pointer):
    w = draw_world(api, factory, n=1, k=1)
    experts(api, factory, w, 1)
    before = state(db_url, w)
    p = draw(api, w, expect=status, **body)
    assert pointer in support.pointers(p)
    if code:
        assert code in [e.get("code") for e in p.get("errors", [])] + [p.get("code")]
    assert state(db_url, w) == before


def test_unknown_round_wrong_phase_and_no_qualified_nominations(api, factory, db_url):
    office = factory.office(support.PROGRAMMES[0])
    api.post("/v1/rounds/00000000-0000-4000-8000-000000000000/review-assignments",
             token=office.token, json={}, expect=404)
    api.post("/v1/rounds/NOT-A-UUID/review-assignments", token=office.token, json={},
             expect=400)

    # a round still accepting nominations
    code = factory.programme(unit_publicity_required=False, unit_publicity_min_workdays=None)
    off = factory.office(code)
    rnd = factory.round(code, off, phase="accepting")
    p = api.post(f"/v1/rounds/{rnd['id']}/review-assignments", token=off.token, json={},
                 expect=409).body
    assert p["code"] == "round_not_drawable" and p["current_phase"] == "accepting"
    assert support.psql_scalar(
        db_url, f"SELECT count(*) FROM review_draws WHERE round_id = '{rnd['id']}'") == "0"

    # only rejected nominations
    w = draw_world(api, factory, n=0, k=1, others=1)
    experts(api, factory, w, 2)
    before = state(db_url, w)
    for body in ({}, {"dry_run": True}):
        assert draw(api, w, expect=409, **body)["code"] == "no_qualified_nominations"
    assert state(db_url, w) == before

    # an office user of another programme sees no such round
    other = factory.office(support.PROGRAMMES[1])
    api.post(f"/v1/rounds/{w.round['id']}/review-assignments", token=other.token, json={},
             expect=404)
    api.get(f"/v1/rounds/{w.round['id']}/review-assignments", token=other.token, expect=404)


def test_an_open_nomination_blocks_the_move_into_review(api, factory, db_url):
    # the round's transition guard (GUARD_NONE_OPEN) holds for the draw too
    w = draw_world(api, factory, n=1, k=1, pending=1)
    experts(api, factory, w, 1)
    before = state(db_url, w)
    p = draw(api, w, expect=409)
    assert p["code"] == "nominations_awaiting_answer"
    assert state(db_url, w) == before
    # a dry run does not move the round, so it shows the pairs
    assert len(draw(api, w, expect=200, dry_run=True)["items"]) == 1


# ------------------------------------------------------------------ roles
def test_role_matrix(api, factory, db_url):
    w = draw_world(api, factory, n=1, k=1)
    experts(api, factory, w, 2)
    users = {r: factory.user(r) for r in ("admin", "unit", "expert", "auditor", "finance")}
    users["leader"] = factory.user("leader", programmes=[w.programme])
    rid = w.round["id"]
    path = f"/v1/rounds/{rid}/review-assignments"
    before = state(db_url, w)
    for role, u in users.items():
        api.post(path, token=u.token, json={"dry_run": True}, expect=403)
    api.post(path, json={"dry_run": True}, expect=401)
    assert state(db_url, w) == before
    got = draw(api, w, seed="11")
    for role, u in users.items():
        want = 200 if role == "leader" else 403
        r = api.get(path, token=u.token, expect=want)
        if want == 200:
            assert pairs(r.body["items"]) == pairs(got["items"])
    api.get(path, expect=401)
    for role, u in users.items():
        want = 200 if role == "expert" else 403
        api.get("/v1/me/assignments", token=u.token, expect=want)
    api.get("/v1/me/assignments", token=w.office.token, expect=403)
    aid = got["items"][0]["id"]
    for role, u in users.items():
        # an expert not on the assignment: no such assignment
        want = 404 if role == "expert" else 403
        api.post(f"/v1/review-assignments/{aid}/recusal", token=u.token, json={"reason": "x"},
                 expect=want)
        api.post(f"/v1/review-assignments/{aid}/removal", token=u.token, json={"reason": "x"},
                 expect=403)
    api.post(f"/v1/review-assignments/{aid}/recusal", token=w.office.token,
             json={"reason": "x"}, expect=403)
    assigned = next(e for e in w.experts if e.id == got["items"][0]["expert_id"])
    api.post(f"/v1/review-assignments/{aid}/removal", token=assigned.token,
             json={"reason": "x"}, expect=403)
    other_office = factory.office(support.PROGRAMMES[0])
    api.post(f"/v1/review-assignments/{aid}/removal", token=other_office.token,
             json={"reason": "x"}, expect=404)
    assert state(db_url, w).split("|")[1] == \
        f"{got['items'][0]['nomination_id']}:{got['items'][0]['expert_id']}:active"


def test_my_assignments_show_only_my_own_and_public_fields(api, factory):
    w = draw_world(api, factory, n=2, k=2)
    pool = experts(api, factory, w, 3)
    got = draw(api, w, seed="21")
    by_expert = {}
    for i in got["items"]:
        by_expert.setdefault(i["expert_id"], []).append(i)
    for e in pool:
        mine = api.get("/v1/me/assignments", token=e.token, expect=200).body["items"]
        want = by_expert.get(e.id, [])
        assert sorted(m["id"] for m in mine) == sorted(i["id"] for i in want)
        for m in mine:
            assert set(m) == {"id", "round_id", "round_code", "state", "created_at", "nomination"}
            assert set(m["nomination"]) == {"id", "name", "unit_name", "occupation"}
            assert m["nomination"]["unit_name"] == w.unit_row["name"]
            text = str(m)
            for other in pool:
                if other.id != e.id:
                    assert other.id not in text
    # a new expert with no assignment sees an empty list
    lone = expert(api, factory, w)
    assert api.get("/v1/me/assignments", token=lone.token, expect=200).body == {"items": []}
