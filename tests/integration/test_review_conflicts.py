# SPDX-License-Identifier: MIT
"""Conflicts of interest in the review draw (issue 12, "Tests that must
exist"; README "Review and ranking rules"): computed, never merely declared
— the candidate's employer, the recommending unit (by unit or by its code),
a declared relation matching the candidate's ID hash; a recusal or a
removal ends an assignment with its reason and draws a replacement in the
same transaction; not enough conflict-free experts is a clear problem and
nothing is half-drawn. Both programmes (岚山, 环翠)."""

import pytest

import support
from draw_support import (PROGRAMME_BASES, audit_actions, draw, draw_world, expert, experts,
                          pairs, state)

SEEDS = ("0", "1", "2", "3", "4", "5", "6", "7")


def _never_drawn(api, w, conflicted, nom_id):
    """Across several seeds' dry runs, `conflicted` never sits on nom_id."""
    for seed in SEEDS:
        items = draw(api, w, expect=200, dry_run=True, seed=seed)["items"]
        on = {i["expert_id"] for i in items if i["nomination_id"] == nom_id}
        assert conflicted.id not in on, f"seed {seed} drew a conflicted expert"
        assert len(on) == w.k


@pytest.mark.parametrize("base", PROGRAMME_BASES)
def test_same_employer(api, factory, base):
    w = draw_world(api, factory, n=1, k=2, base=base)
    nom = w.noms[0]
    employer = w.bodies[nom["id"]]["employer"]["code"]
    bad = expert(api, factory, w, employer_code=employer)
    experts(api, factory, w, 2)
    _never_drawn(api, w, bad, nom["id"])


@pytest.mark.parametrize("base", PROGRAMME_BASES)
def test_same_recommending_unit_by_unit_and_by_code(api, factory, base):
    w = draw_world(api, factory, n=1, k=2, base=base)
    nom = w.noms[0]
    by_unit = expert(api, factory, w, employer_code=w.unit_row["code"],
                     employer_unit_id=w.unit_row["id"])
    by_code = expert(api, factory, w, employer_code=w.unit_row["code"])
    experts(api, factory, w, 2)
    _never_drawn(api, w, by_unit, nom["id"])
    _never_drawn(api, w, by_code, nom["id"])


@pytest.mark.parametrize("base", PROGRAMME_BASES)
def test_declared_relation(api, factory, base):
    w = draw_world(api, factory, n=2, k=2, base=base)
    nom = w.noms[0]
    related = expert(api, factory, w)
    api.post(f"/v1/experts/{related.id}/relations", token=related.token,
             json={"kind": "master_apprentice",
                   "id_number": w.bodies[nom["id"]]["id_number"]}, expect=201)
    experts(api, factory, w, 2)
    _never_drawn(api, w, related, nom["id"])
    # the relation is to one candidate only: the expert still reviews others
    seen = set()
    for seed in SEEDS:
        items = draw(api, w, expect=200, dry_run=True, seed=seed)["items"]
        seen |= {i["nomination_id"] for i in items if i["expert_id"] == related.id}
    assert seen == {w.noms[1]["id"]}


@pytest.mark.parametrize("base", PROGRAMME_BASES)
def test_not_enough_experts_is_a_clear_problem_and_nothing_is_drawn(api, factory, db_url,
                                                                     base):
    w = draw_world(api, factory, n=3, k=2, base=base)
    short = w.noms[1]
    expert(api, factory, w, employer_code=w.bodies[short["id"]]["employer"]["code"])
    experts(api, factory, w, 1)
    before = state(db_url, w)
    audit_before = support.psql_scalar(db_url, "SELECT count(*) FROM audit_events"
                                               " WHERE action = 'review.draw'")
    for body in ({"seed": "1"}, {"dry_run": True}):
        p = draw(api, w, expect=409, **body)
        assert p["code"] == "not_enough_experts"
        got = sorted((s["nomination_id"], s["available"], s["required"]) for s in p["shortages"])
        # every nomination has 2 experts but one conflicted: the short one has 1
        assert got == [(short["id"], 1, 2)]
        assert "2" in p["detail"]
    # nothing half-drawn: no draw, no assignment, no move, no audit event
    assert state(db_url, w) == before
    assert support.psql_scalar(db_url, f"""SELECT count(*) FROM review_assignments
        WHERE round_id = '{w.round['id']}'""") == "0"
    assert support.psql_scalar(db_url, "SELECT count(*) FROM audit_events"
                                       " WHERE action = 'review.draw'") == audit_before
    # an empty pool: every nomination is listed with 0
    w0 = draw_world(api, factory, n=2, k=1, base=base)
    p = draw(api, w0, expect=409)
    assert sorted(s["nomination_id"] for s in p["shortages"]) == sorted(n["id"] for n in w0.noms)
    assert {s["available"] for s in p["shortages"]} == {0}


# ------------------------------------------------ recusal and replacement
@pytest.mark.parametrize("base", PROGRAMME_BASES)
def test_recusal_and_removal_draw_replacements(api, factory, db_url, base):
    w = draw_world(api, factory, n=1, k=2, base=base)
    nom = w.noms[0]
    pool = experts(api, factory, w, 4)
    got = draw(api, w, seed="8")
    first = {i["expert_id"]: i for i in got["items"]}
    recusing = next(e for e in pool if e.id in first)
    aid = first[recusing.id]["id"]

    # bad bodies change nothing
    before = state(db_url, w)
    for body, status in (({}, 422), ({"reason": ""}, 422), ({"reason": "x" * 501}, 422),
                         ({"reason": "x", "extra": 1}, 400), ({"reason": 5}, 422)):
        api.post(f"/v1/review-assignments/{aid}/recusal", token=recusing.token, json=body,
                 expect=status)
    api.post("/v1/review-assignments/NOT-A-UUID/recusal", token=recusing.token,
             json={"reason": "x"}, expect=400)
    api.post("/v1/review-assignments/00000000-0000-4000-8000-000000000000/recusal",
             token=recusing.token, json={"reason": "x"}, expect=404)
    assert state(db_url, w) == before

    r = api.post(f"/v1/review-assignments/{aid}/recusal", token=recusing.token,
                 json={"reason": "曾与候选人同在一个班组"}, expect=200).body
    assert r["ended"]["id"] == aid and r["ended"]["state"] == "recused"
    assert r["ended"]["ended_reason"] == "曾与候选人同在一个班组"
    assert r["ended"]["ended_at"] is not None
    repl = r["replacement"]
    assert repl["replaces"] == aid and repl["state"] == "active"
    assert repl["nomination_id"] == nom["id"]
    assert repl["expert_id"] not in first
    assert r["draw"]["kind"] == "replacement" and r["draw"]["seed"].isdigit()
    assert audit_actions(db_url, "review_assignment", aid) == ["review.recusal"]
    # the recused expert no longer sees it; the replacement does
    assert api.get("/v1/me/assignments", token=recusing.token, expect=200).body["items"] == []
    newcomer = next(e for e in pool if e.id == repl["expert_id"])
    assert [m["id"] for m in api.get("/v1/me/assignments", token=newcomer.token,
                                     expect=200).body["items"]] == [repl["id"]]
    listed = api.get(f"/v1/rounds/{w.round['id']}/review-assignments", token=w.office.token,
                     expect=200).body
    assert [d["kind"] for d in listed["draws"]] == ["panel", "replacement"]
    assert sorted(i["state"] for i in listed["items"]) == ["active", "active", "recused"]

    # recusing again: the assignment has ended
    p = api.post(f"/v1/review-assignments/{aid}/recusal", token=recusing.token,
                 json={"reason": "再次"}, expect=409).body
    assert p["code"] == "assignment_ended"

    # the office removes one; the last free expert replaces it
    active = [i for i in listed["items"] if i["state"] == "active"]
    removed = active[0]
    r2 = api.post(f"/v1/review-assignments/{removed['id']}/removal", token=w.office.token,
                  json={"reason": "专家因病无法参加"}, expect=200).body
    assert r2["ended"]["state"] == "removed" and r2["replacement"]["replaces"] == removed["id"]
    used = {recusing.id, removed["expert_id"]} | {i["expert_id"] for i in active}
    assert r2["replacement"]["expert_id"] not in used
    assert audit_actions(db_url, "review_assignment", removed["id"]) == ["review.removal"]

    # no one is left: the removal is refused and nothing changes
    before = state(db_url, w)
    draws_before = support.psql_scalar(
        db_url, f"SELECT count(*) FROM review_draws WHERE round_id = '{w.round['id']}'")
    p = api.post(f"/v1/review-assignments/{r2['replacement']['id']}/removal",
                 token=w.office.token, json={"reason": "再换一位"}, expect=409).body
    assert p["code"] == "no_replacement"
    assert state(db_url, w) == before
    assert support.psql_scalar(
        db_url, f"SELECT count(*) FROM review_draws WHERE round_id = '{w.round['id']}'") \
        == draws_before
    # the replacement never brings back someone who left the nomination
    final = api.get(f"/v1/rounds/{w.round['id']}/review-assignments", token=w.office.token,
                    expect=200).body["items"]
    active_experts = [i["expert_id"] for i in final if i["state"] == "active"]
    assert recusing.id not in active_experts and removed["expert_id"] not in active_experts
    assert len(active_experts) == 2


def test_a_replacement_respects_conflicts(api, factory, db_url):
    w = draw_world(api, factory, n=1, k=1)
    nom = w.noms[0]
    e1 = expert(api, factory, w)
    bad = expert(api, factory, w, employer_code=w.bodies[nom["id"]]["employer"]["code"])
    got = draw(api, w, seed="1")
    assert [i["expert_id"] for i in got["items"]] == [e1.id]
    before = state(db_url, w)
    p = api.post(f"/v1/review-assignments/{got['items'][0]['id']}/recusal", token=e1.token,
                 json={"reason": "回避"}, expect=409).body
    assert p["code"] == "no_replacement"
    assert state(db_url, w) == before
    assert bad.id not in str(p)
