# SPDX-License-Identifier: MIT
"""Both programmes from qualification to the frozen shortlist through HTTP
only (issue 12, "Done means"):

- 岚山工匠 第五条（三）（四）: 22 qualified nominations → the office's draw
  of 5 experts each → every expert scores from its workspace → the ranking
  (office and leader) → the freeze of the top 20 → the round in voting, the
  reviews sealed → a vote session on exactly those 20, which reaches the
  voting service;
- 环翠区首席技师 第十条（四）: the review plus the on-site skill test → the
  combined ranking → a shortlist of the office's size → deciding, no vote.

Expected aggregates are recomputed here from the totals the review route
returned (trimmed mean: drop one highest and one lowest of ≥ 5 reviews;
README "Review and ranking rules"), not read back from the ranking."""

import types
from decimal import ROUND_HALF_UP, Decimal

import review_flow
import support
import vote_flow

LS, HC = "lanshan-craftsman", "huancui-chief-technician"
# Each expert's offset from a nomination's base fraction: the trimmed mean
# of five drops the +4% and the −3%, leaving the base.
OFFSETS = (-0.03, -0.01, 0.0, 0.01, 0.04)


def hundredths(x):
    return str(Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def trimmed(totals):
    t = sorted(Decimal(str(x)) for x in totals)
    if len(t) >= 5:
        t = t[1:-1]
    return hundredths(sum(t) / len(t))


def qualified_world(api, factory, base, n, **changes):
    """A clone of `base` without unit publicity, its office, a leader of its
    programme and a round in phase review with n qualified nominations."""
    w = types.SimpleNamespace()
    w.programme = factory.programme(base=base, unit_publicity_required=False,
                                    unit_publicity_min_workdays=None, **changes)
    w.office = factory.office(w.programme)
    w.leader = factory.user("leader")
    w.round = factory.round(w.programme, w.office, phase="accepting")
    w.unit = factory.user("unit")
    extra = {"skill_level": "technician"} if base == HC else {}
    subs = [vote_flow._move(api, w.unit, factory.nomination(
        w.round["id"], w.unit, name=f"候选人{i + 1:02d}", **extra)["id"], "submitted")
        for i in range(n)]
    api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
             json={"to": "qualification"}, expect=200)
    w.ids = [vote_flow.qualify_submitted(api, w.office, s)["id"] for s in subs]
    api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
             json={"to": "review"}, expect=200)
    w.rubric = review_flow.rubric_of(api, w.programme)
    return w


def review_from_workspaces(api, rubric, experts, base_of, gate_fail=()):
    """Every expert reviews each of its assignments from GET /v1/me/assignments,
    its j-th review of a nomination at base + OFFSETS[j]; the nominations in
    gate_fail fail 品格 in every review. Returns {nomination: [totals]}."""
    totals = {}
    for e in experts:
        mine = api.get("/v1/me/assignments", token=e.token, expect=200).body["items"]
        for a in mine:
            nid = a["nomination"]["id"]
            j = len(totals.setdefault(nid, []))
            scores = review_flow.scores(rubric, base_of[nid] + OFFSETS[j])
            if nid in gate_fail:
                scores = {k: (False if v is True else v) for k, v in scores.items()}
            got = api.put(f"/v1/review-assignments/{a['id']}/review", token=e.token,
                          json={"scores": scores}, expect=200).body["current"]
            totals[nid].append(got["total"])
    return totals


def test_lanshan_from_qualification_to_a_vote_on_the_shortlist_of_20(api, vote, factory):
    w = qualified_world(api, factory, LS, 22)
    policy = api.get(f"/v1/programmes/{w.programme}", expect=200).body["policy"]
    assert (policy["vote_nominees"], policy["review_experts"]) == (20, 5)

    # The draw: 5 experts for each of the 22, balanced over 7 experts.
    experts = review_flow.add_experts(api, factory, w.programme, 7)
    drawn = review_flow.draw(api, w.office, w.round["id"], seed="20261204")
    per_nom = {}
    for a in drawn["items"]:
        per_nom.setdefault(a["nomination_id"], set()).add(a["expert_id"])
    assert sorted(per_nom) == sorted(w.ids) and all(len(v) == 5 for v in per_nom.values())
    load = [sum(1 for a in drawn["items"] if a["expert_id"] == e.id) for e in experts]
    assert max(load) - min(load) <= 1 and sum(load) == 110
    assert api.get(f"/v1/rounds/{w.round['id']}", token=w.office.token,
                   expect=200).body["phase"] == "review"

    # Every expert scores from its workspace. Nomination i's base is
    # 90% − 2%·i, except that #2 fails 品格 (岚山 第四条（一）) however high.
    base_of = {nid: 0.90 - 0.02 * i for i, nid in enumerate(w.ids)}
    failing = w.ids[2]
    totals = review_from_workspaces(api, w.rubric, experts, base_of, gate_fail={failing})
    assert all(len(t) == 5 for t in totals.values())

    # The ranking, as the office and the leader read it.
    rank = api.get(f"/v1/rounds/{w.round['id']}/ranking", token=w.office.token,
                   expect=200).body
    assert api.get(f"/v1/rounds/{w.round['id']}/ranking", token=w.leader.token,
                   expect=200).body["entries"] == rank["entries"]
    by_id = {e["nomination_id"]: e for e in rank["entries"]}
    for nid in w.ids:
        e = by_id[nid]
        assert e["reviews"] == 5 and e["complete"] is True
        assert e["trimmed_mean"] == trimmed(totals[nid]) == hundredths(base_of[nid] * 100)
        assert e["combined"] == e["trimmed_mean"] and e["skill_test"] is None
    assert by_id[failing]["gate_failures"] == 5
    # Complete ones first, then a passed gate before a failed one, then the
    # combined score (README "Review and ranking rules"): the failure is last.
    assert [e["nomination_id"] for e in sorted(rank["entries"], key=lambda e: e["rank"])] \
        == [nid for nid in w.ids if nid != failing] + [failing]

    # The freeze: the top 20 without the gate failure (so #21 gets in).
    frozen = review_flow.freeze(api, w.office, w.round["id"])
    listed = [e["nomination_id"] for e in frozen["entries"]]
    expected = [nid for nid in w.ids if nid != failing][:20]
    assert listed == expected and frozen["size"] == 20
    states = {nid: api.get(f"/v1/nominations/{nid}", token=w.office.token,
                           expect=200).body["state"] for nid in w.ids}
    assert {nid for nid, s in states.items() if s == "shortlisted"} == set(expected)
    assert {nid for nid, s in states.items() if s == "not_shortlisted"} == \
        {failing, w.ids[21]}
    assert api.get(f"/v1/rounds/{w.round['id']}", token=w.office.token,
                   expect=200).body["phase"] == "voting"
    # The reviews are sealed now.
    a = next(x for x in drawn["items"] if x["nomination_id"] == w.ids[0])
    e = next(x for x in experts if x.id == a["expert_id"])
    r = api.put(f"/v1/review-assignments/{a['id']}/review", token=e.token,
                json={"scores": review_flow.scores(w.rubric, 1.0)}, expect=409)
    assert r.body["code"] == "review_sealed"

    # The vote opens on exactly those 20, and on nothing else.
    w.shortlist = listed
    r = vote_flow.create_session(api, w, ids=listed[:19] + [w.ids[21]], expect=422)
    assert support.pointers(r.body) == ["/nominee_ids/19"]
    assert r.body["errors"][0]["code"] == "not_vote_candidate"
    r = vote_flow.create_session(api, w, ids=listed[:19], expect=422)
    assert r.body["errors"][0]["code"] == "wrong_nominee_count"
    s = vote_flow.create_session(api, w).body
    assert [n["id"] for n in s["nominees"]] == listed
    assert [n["number"] for n in s["nominees"]] == list(range(1, 21))

    def pushed():
        got = api.get(f"/v1/rounds/{w.round['id']}/vote-session", token=w.office.token,
                      expect=200).body
        return got["push_state"] == "pushed"
    support.poll(pushed, timeout=30, interval=0.5, what="the session pushed")
    pub = vote.get(f"/v1/sessions/{s['id']}", expect=200).body
    assert [n["id"] for n in pub["nominees"]] == listed


def test_huancui_review_and_skill_test_to_a_combined_shortlist(api, factory):
    w = qualified_world(api, factory, HC, 6, review_experts=3, awards_per_round=2)
    policy = api.get(f"/v1/programmes/{w.programme}", expect=200).body["policy"]
    weight = policy["skill_test_weight"]
    assert policy["vote_nominees"] is None and 0 < weight < 100

    experts = review_flow.add_experts(api, factory, w.programme, 4)
    drawn = review_flow.draw(api, w.office, w.round["id"])
    assert len(drawn["items"]) == 6 * 3
    # The review alone would rank them in id order; the skill test turns
    # the order round: the lowest reviewed gets the highest skill score.
    base_of = {nid: 0.90 - 0.03 * i for i, nid in enumerate(w.ids)}
    totals = review_from_workspaces(api, w.rubric, experts, base_of)
    skill = {nid: 60 + 7 * i for i, nid in enumerate(w.ids)}
    for nid in w.ids:
        api.put(f"/v1/nominations/{nid}/skill-test", token=w.office.token,
                json={"score": skill[nid], "examiners": ["王建国", "李红"],
                      "tested_on": w.round["window_opens"]}, expect=201)

    rank = api.get(f"/v1/rounds/{w.round['id']}/ranking", token=w.leader.token,
                   expect=200).body
    assert rank["skill_test_weight"] == weight
    by_id = {e["nomination_id"]: e for e in rank["entries"]}
    combined = {}
    for nid in w.ids:
        review = Decimal(trimmed(totals[nid]))
        want = hundredths(review * (100 - weight) / 100 + Decimal(skill[nid]) * weight / 100)
        e = by_id[nid]
        assert (e["reviews"], e["skill_test"]) == (3, hundredths(skill[nid]))
        assert e["combined"] == want, (nid, e)
        combined[nid] = Decimal(want)
    order = [e["nomination_id"] for e in sorted(rank["entries"], key=lambda e: e["rank"])]
    assert order == sorted(w.ids, key=lambda nid: -combined[nid])
    assert order != w.ids  # the skill test changed the order

    # 环翠 has no fixed list size: the office names it (never below the awards).
    frozen = review_flow.freeze(api, w.office, w.round["id"], {"size": 3})
    assert [e["nomination_id"] for e in frozen["entries"]] == order[:3]
    assert api.get(f"/v1/rounds/{w.round['id']}", token=w.office.token,
                   expect=200).body["phase"] == "deciding"
    r = api.post(f"/v1/rounds/{w.round['id']}/vote-session", token=w.office.token,
                 json=vote_flow.session_body(w, ids=order[:3]), expect=409)
    assert r.body["code"] == "no_public_vote"
