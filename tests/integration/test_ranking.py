# SPDX-License-Identifier: MIT
"""GET /v1/rounds/{id}/ranking (岚山工匠 第五条（三） "综合评审"; 环翠区首席技师
第十条（四） "综合评审，并组织进行现场技能考查"): per nomination in review the
review count, mean, median, standard deviation, trimmed mean, skill test,
combined score, gate failures, disagreement flag and rank, by the formulas
and the tie-break of the README's "Review and ranking rules".

Every expected value below is computed by hand from hand-chosen totals (in
hundredths; the ranking reads only a review's total and gate verdict):
  1 review  [80.00]                         mean 80.00 median 80.00 sd 0.00 trimmed 80.00
  2 reviews [70.00, 80.01]                  mean 75.005→75.01, median 75.01, sd 5.005→5.01
  4 reviews [60, 70, 80, 90]                mean 75.00 median 75.00 sd √125=11.180→11.18
  5 reviews [50, 70, 75, 80, 100]           mean 75.00 median 75.00 sd √260=16.125→16.12
                                            (> 15: disagreement) trimmed (70+75+80)/3=75.00
  7 reviews [60,65,70,72,77,83,99]          mean 526/7=75.142→75.14 median 72.00
                                            sd 11.969→11.97 trimmed 367/5=73.40
"""

import pytest

import support
from ranking_support import add_review, end_assignment, entry, ranking, set_reviews, world

LS = "lanshan-craftsman"
HC = "huancui-chief-technician"


@pytest.fixture(scope="module")
def ls(api, factory):
    w = world(api, factory, LS, 8, publicity_evidence_required=False)
    sets = [[8000], [7000, 8001], [6000, 7000, 8000, 9000], [5000, 7000, 7500, 8000, 10000],
            [6000, 6500, 7000, 7200, 7700, 8300, 9900]]
    for nom, totals in zip(w.noms, sets):
        set_reviews(w, nom["id"], totals)
    # noms[5]: the best scores but one expert fails the gate (品格)
    set_reviews(w, w.noms[5]["id"], [9900, 9900, 9900], [True, False, True])
    # noms[6]: 90 then revised to 95 by the same expert; a recused expert's 10 does not count
    a = set_reviews(w, w.noms[6]["id"], [9000, 1000])
    add_review(w, a[0], 9500, revision=2)
    end_assignment(w, a[1])
    # noms[7]: no review yet (incomplete)
    return w


def points(h):
    return None if h is None else f"{h // 100}.{h % 100:02d}"


@pytest.mark.parametrize("i, count, mean, median, sd, trimmed, flag", [
    (0, 1, 8000, 8000, 0, 8000, False),
    (1, 2, 7501, 7501, 501, 7501, False),
    (2, 4, 7500, 7500, 1118, 7500, False),
    (3, 5, 7500, 7500, 1612, 7500, True),
    (4, 7, 7514, 7200, 1197, 7340, False),
])
def test_aggregates_for_hand_computed_sets(api, ls, i, count, mean, median, sd, trimmed, flag):
    e = entry(ranking(api, ls), ls.noms[i]["id"])
    assert e["reviews"] == count
    assert (e["mean"], e["median"], e["stdev"], e["trimmed_mean"]) == (
        points(mean), points(median), points(sd), points(trimmed))
    # 岚山 has no skill test: the combined score is the trimmed mean
    assert e["combined"] == points(trimmed) and e["skill_test"] is None
    assert e["disagreement"] is flag and e["gate_failures"] == 0 and e["gate_failed"] is False
    assert e["complete"] is True and e["state"] == "in_review"


def test_latest_revision_of_active_assignments_only(api, ls):
    e = entry(ranking(api, ls), ls.noms[6]["id"])
    assert e["reviews"] == 1 and e["mean"] == "95.00" and e["stdev"] == "0.00"


def test_no_review_is_null_and_last(api, ls):
    rank = ranking(api, ls)
    e = entry(rank, ls.noms[7]["id"])
    assert e["reviews"] == 0 and e["complete"] is False
    assert all(e[k] is None for k in ("mean", "median", "stdev", "trimmed_mean", "combined"))
    assert rank["entries"][-1]["nomination_id"] == ls.noms[7]["id"]


def test_order_gate_failure_and_tie_break(api, ls, db_url):
    rank = ranking(api, ls)
    assert [e["rank"] for e in rank["entries"]] == list(range(1, 9))
    ids = [e["nomination_id"] for e in rank["entries"]]
    n = [x["id"] for x in ls.noms]
    # complete and passing, by combined score: 95.00, 80.00, then three at 75.00 / 75.01
    assert ids[0] == n[6] and ids[1] == n[0] and ids[2] == n[1]
    # 75.00 ×3 (4, 5 reviews) and 73.40: equal combined and trimmed -> fewer gate failures
    # (equal), more reviews first: the 5-review set before the 4-review one
    assert ids[3] == n[3] and ids[4] == n[2] and ids[5] == n[4]
    # the gate failure ranks below every passing one despite 99.00
    failed = entry(rank, n[5])
    assert failed["rank"] == 7 and failed["gate_failed"] is True
    assert failed["gate_failures"] == 1 and failed["combined"] == "99.00"
    assert rank["disagreement_stdev"] == "15.00" and rank["skill_test_weight"] is None


def test_ties_break_on_submission_then_id(api, factory, db_url):
    w = world(api, factory, LS, 3, n_experts=2, publicity_evidence_required=False)
    for nom in w.noms:
        set_reviews(w, nom["id"], [8000, 7000])
    order = support.psql(
        db_url, "SELECT id FROM nominations WHERE id IN ("
        + ",".join(f"'{x['id']}'" for x in w.noms) + ") ORDER BY submitted_at, id::text").stdout
    got = [e["nomination_id"] for e in ranking(api, w)["entries"]]
    assert got == order.split()
    assert {e["combined"] for e in ranking(api, w)["entries"]} == {"75.00"}


def test_huancui_combines_the_skill_test(api, factory, clock):
    w = world(api, factory, HC, 3, n_experts=2)
    set_reviews(w, w.noms[0]["id"], [8000])
    set_reviews(w, w.noms[1]["id"], [7000, 8001])
    set_reviews(w, w.noms[2]["id"], [9900])  # no skill test: incomplete
    today = clock.today().isoformat()
    for nom, score in ((w.noms[0], 87.5), (w.noms[1], 90)):
        api.put(f"/v1/nominations/{nom['id']}/skill-test", token=w.office.token,
                json={"score": score, "examiners": ["王建国", "李秀英"], "tested_on": today},
                expect=201)
    rank = ranking(api, w)
    assert rank["skill_test_weight"] == 50
    a, b, c = (entry(rank, x["id"]) for x in w.noms)
    # 80.00 × 50% + 87.50 × 50% = 83.75; 75.01 × 50% + 90.00 × 50% = 82.505 → 82.51
    assert (a["skill_test"], a["combined"], a["rank"]) == ("87.50", "83.75", 1)
    assert (b["skill_test"], b["combined"], b["rank"]) == ("90.00", "82.51", 2)
    assert (c["skill_test"], c["combined"], c["complete"], c["rank"]) == (None, None, False, 3)


def test_experts_and_units_get_nothing(api, ls, factory):
    for user in (ls.experts[0], ls.unit, factory.user("auditor")):
        body = ranking(api, ls, token=user.token, expect=403)
        assert "entries" not in body and "reviews" not in str(body)
    # a leader reads; an office of another programme does not see the round
    assert ranking(api, ls, token=factory.user("leader").token)["entries"]
    other = factory.office(factory.programme(base=LS))
    assert "entries" not in ranking(api, ls, token=other.token, expect=404)
    api.get(f"/v1/rounds/{ls.round['id']}/ranking", expect=401)


def test_bad_round_id(api, ls):
    r = api.get("/v1/rounds/not-a-uuid/ranking", token=ls.office.token, expect=400)
    assert r.body["code"] == "not_uuid"
