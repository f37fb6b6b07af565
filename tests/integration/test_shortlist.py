# SPDX-License-Identifier: MIT
"""POST/GET /v1/rounds/{id}/shortlist: the office freezes the top N of the
ranking as the nominees (岚山工匠 第五条（三） "确定20名提名人选": N =
vote_nominees; 环翠区首席技师 第十条（四）: no public vote, the office gives N).
Any departure from the automatic list (another order, a lower-ranked
nomination, a gate failure) needs a recorded reason, shown in the ranking;
the database holds the cap; a bad request changes nothing.

The worlds are 岚山 clones with vote_nominees 3 (the seeded 20 only makes the
fixtures longer) and a 环翠 clone; reviews have hand-chosen totals:
  n0 90.00, n1 85.00, n2 80.00, n3 95.00 with a failed gate (品格), n4 70.00
so the ranking is n0, n1, n2, n4, n3 and the automatic list n0, n1, n2."""

import pytest

import support
from support import pointers
from ranking_support import REASON, add_review, entry, ranking, set_reviews, world

LS = "lanshan-craftsman"
HC = "huancui-chief-technician"


def scored_world(api, factory, base=LS, **changes):
    if base == LS:
        changes.update(vote_nominees=3, awards_per_round=3, publicity_evidence_required=False)
    w = world(api, factory, base, 5, n_experts=2, **changes)
    for nom, (total, gate) in zip(w.noms, ((9000, True), (8500, True), (8000, True),
                                            (9500, False), (7000, True))):
        w.assignment = set_reviews(w, nom["id"], [total], [gate])[0]
    w.ids = [x["id"] for x in w.noms]
    return w


def freeze(api, w, body=None, expect=201, token=None):
    return api.post(f"/v1/rounds/{w.round['id']}/shortlist", token=token or w.office.token,
                    json={} if body is None else body, expect=expect).body


def snapshot(db_url, w):
    """Everything a freeze writes: the shortlist rows, the states, the phase, the audit."""
    rid = w.round["id"]
    ids = ",".join(f"'{i}'" for i in w.ids)
    return support.psql(db_url, f"""
        SELECT (SELECT count(*) FROM shortlists WHERE round_id = '{rid}'),
               (SELECT count(*) FROM shortlist_entries WHERE round_id = '{rid}'),
               (SELECT string_agg(state::text || version, ',' ORDER BY id)
                  FROM nominations WHERE id IN ({ids})),
               (SELECT phase FROM rounds WHERE id = '{rid}'),
               (SELECT count(*) FROM audit_events WHERE entity_id = '{rid}')""").stdout


@pytest.fixture(scope="module")
def ls(api, factory):
    return scored_world(api, factory)


BAD = [
    ({"bogus": 1}, 400, "unknown_field", "/bogus"),
    ({"size": 4}, 422, "shortlist_size_fixed", "/size"),
    ({"size": "3"}, 422, "wrong_type", "/size"),
    ({"order": "n0"}, 422, "wrong_type", "/order"),
    ({"order": []}, 422, "required", "/order"),
    ({"order": [0, 1, 2, 4]}, 422, "too_many_shortlisted", "/order"),
    ({"order": [1, 0, 2]}, 422, "override_reason_required", "/order/0"),
    ({"order": [0, 1, 3]}, 422, "override_reason_required", "/order/2"),
    ({"order": [0, 1, 4]}, 422, "override_reason_required", "/order/2"),
    ({"order": [0, "00000000-0000-4000-8000-000000000000"]}, 422, "not_in_ranking", "/order/1"),
    ({"order": [0, "x"]}, 422, "not_uuid", "/order/1"),
    ({"order": [0, 0]}, 422, "duplicate", "/order/1"),
    ({"order": [0, 1, 2], "reasons": {4: REASON}}, 422, "not_in_order", "/reasons/{4}"),
    ({"order": [1, 0, 2], "reasons": {1: "", 0: REASON}}, 422, "out_of_range", "/reasons/{1}"),
    ({"reasons": []}, 422, "wrong_type", "/reasons"),
]


@pytest.mark.parametrize("body, status, code, pointer", BAD)
def test_every_bad_input_is_a_problem_and_changes_nothing(api, ls, db_url, body, status, code,
                                                           pointer):
    def ids(v):
        return ls.ids[v] if isinstance(v, int) else v

    body = dict(body)
    if isinstance(body.get("order"), list):
        body["order"] = [ids(v) for v in body["order"]]
    if isinstance(body.get("reasons"), dict):
        body["reasons"] = {ids(k): v for k, v in body["reasons"].items()}
        pointer = pointer.format(*ls.ids)
    before = snapshot(db_url, ls)
    r = freeze(api, ls, body, expect=status)
    assert r["code"] == code and r["status"] == status
    assert pointer in pointers(r)
    assert r["detail"]
    assert snapshot(db_url, ls) == before


def test_override_with_reasons_is_kept_and_shown(api, factory, db_url):
    w = scored_world(api, factory)
    n = w.ids
    reasons = {n[1]: "现场答辩表现突出，评审组复议提前", n[0]: REASON,
               n[3]: "品格项经核实为误判，评审组复议"}
    got = freeze(api, w, {"order": [n[1], n[0], n[3]], "reasons": reasons})
    assert got["size"] == 3 and got["frozen_by"] == w.office.username
    assert [(e["position"], e["nomination_id"], e["rank"], e["override_reason"])
            for e in got["entries"]] == [(1, n[1], 2, reasons[n[1]]), (2, n[0], 1, reasons[n[0]]),
                                         (3, n[3], 5, reasons[n[3]])]
    rank = ranking(api, w)
    assert entry(rank, n[3])["shortlist_position"] == 3
    assert entry(rank, n[3])["override_reason"] == reasons[n[3]]
    assert entry(rank, n[2])["shortlist_position"] is None
    assert {e["nomination_id"]: e["state"] for e in rank["entries"]} == {
        n[0]: "shortlisted", n[1]: "shortlisted", n[3]: "shortlisted",
        n[2]: "not_shortlisted", n[4]: "not_shortlisted"}
    assert support.psql_scalar(
        db_url, f"SELECT count(*) FROM audit_events WHERE action = 'shortlist.freeze'"
                f" AND entity_id = '{w.round['id']}'") == "1"
    # the snapshot keeps the ranking as it stood
    assert support.psql_scalar(
        db_url, f"SELECT jsonb_array_length(ranking) FROM shortlists"
                f" WHERE round_id = '{w.round['id']}'") == "5"
    # 岚山: the freeze closes the review and the round moves to voting, where
    # its vote session opens on this list (第五条（三）（四）)
    assert api.get(f"/v1/rounds/{w.round['id']}", token=w.office.token,
                   expect=200).body["phase"] == "voting"
    # a second freeze is refused and changes nothing
    before = snapshot(db_url, w)
    assert freeze(api, w, {}, expect=409)["code"] == "shortlist_exists"
    assert snapshot(db_url, w) == before
    assert api.get(f"/v1/rounds/{w.round['id']}/shortlist", token=w.office.token,
                   expect=200).body == got


def test_default_is_the_top_n_without_gate_failures_and_the_cap_holds(api, factory, db_url):
    w = scored_world(api, factory)
    n = w.ids
    got = freeze(api, w)
    assert [e["nomination_id"] for e in got["entries"]] == [n[0], n[1], n[2]]
    assert all(e["override_reason"] is None for e in got["entries"])
    assert n[3] not in [e["nomination_id"] for e in got["entries"]]  # 95.00 but gate failed
    # the database holds the cap whatever code writes: no position 4 of 3, no other size
    for size in (3, 4):
        r = support.psql(db_url, "INSERT INTO shortlist_entries (round_id, size, position,"
                                 f" nomination_id, rank) VALUES ('{w.round['id']}', {size}, 4,"
                                 f" '{n[4]}', 4)", check=False)
        assert r.returncode != 0
        assert "shortlist_entries" in r.stderr
    assert support.psql_scalar(db_url, "SELECT count(*) FROM shortlist_entries"
                                       f" WHERE round_id = '{w.round['id']}'") == "3"


def test_huancui_size_from_the_office_and_the_review_closes(api, factory, db_url):
    w = scored_world(api, factory, HC, awards_per_round=2)
    for nom in w.noms:  # 环翠's combined score needs the skill test
        api.put(f"/v1/nominations/{nom['id']}/skill-test", token=w.office.token,
                json={"score": 80, "examiners": ["王建国"],
                      "tested_on": w.round["window_opens"]}, expect=201)
    before = snapshot(db_url, w)
    r = freeze(api, w, {}, expect=422)
    assert r["code"] == "required" and "/size" in pointers(r)
    r = freeze(api, w, {"size": 1}, expect=422)
    assert r["code"] == "fewer_shortlisted_than_awards"
    assert snapshot(db_url, w) == before
    got = freeze(api, w, {"size": 2})
    # combined: 90×50%+80×50% = 85.00, 85×50%+80×50% = 82.50
    assert [e["nomination_id"] for e in got["entries"]] == w.ids[:2]
    assert api.get(f"/v1/rounds/{w.round['id']}", token=w.office.token,
                   expect=200).body["phase"] == "deciding"
    # the reviews are sealed once the round has left phase review
    r = support.psql(db_url, "INSERT INTO reviews (assignment_id, revision, scores, total,"
                             f" gate_pass, reviewed_at) SELECT id, 2, '{{}}', 100, true,"
                             f" created_at FROM review_assignments WHERE id = '{w.assignment}'",
                     check=False)
    assert r.returncode != 0 and "reviews are sealed" in r.stderr


def test_roles_and_phase(api, ls, factory):
    for user in (ls.experts[0], ls.unit, factory.user("leader"), factory.user("auditor")):
        r = freeze(api, ls, {}, expect=403, token=user.token)
        assert "entries" not in r
    for user in (ls.experts[0], ls.unit):
        assert "entries" not in api.get(f"/v1/rounds/{ls.round['id']}/shortlist",
                                        token=user.token, expect=403).body
    r = api.get(f"/v1/rounds/{ls.round['id']}/shortlist", token=factory.user("leader").token,
                expect=404)
    assert r.body["code"] == "shortlist_not_frozen"
    # no one moves a nomination onto the list one by one (model/flow.c: the freeze's moves)
    r = api.post(f"/v1/nominations/{ls.ids[0]}/transitions", token=ls.office.token,
                 json={"to": "shortlisted"}, expect=403)
    assert r.body["code"] == "role_may_not_move"
    other = factory.office(factory.programme(base=LS))
    assert freeze(api, ls, {}, expect=404, token=other.token)["code"] == "not_found"
    # a round still in qualification (another programme: one round a year)
    code = factory.programme(base=LS)
    office = factory.office(code)
    early = factory.round(code, office, phase="qualification")
    r = api.post(f"/v1/rounds/{early['id']}/shortlist", token=office.token, json={},
                 expect=409)
    assert r.body["code"] == "round_not_in_review"
