# SPDX-License-Identifier: MIT
"""Leak tests (issue 12 "Scoring"): an expert never learns of another
expert's review, score, count or ranking, in any list, filter, aggregate
or error. Another expert's assignment answers exactly like an id that does
not exist (the bodies compared with the id blanked out); a unit user gets
403 on every route of the workspace and of the ranking and shortlist; no
route an expert may call says how many reviews a nomination has."""
import json

import pytest

import ranking_support
import review_support as rs
import support

ROUTES = ("dossier", "review", "attachments/{file}")
# The ranking and the shortlist (routes.def: admin, office, leader; the
# freeze: office only): what an expert or a unit must never reach.
RANKING_ROUTES = (("GET", "ranking"), ("GET", "shortlist"), ("POST", "shortlist"))
# Members of the ranking and the shortlist that carry scores or counts.
RANKING_KEYS = ("entries", "rank", "reviews", "mean", "median", "stdev", "trimmed_mean",
                "combined", "skill_test", "gate_failures", "shortlist_position", "size")


@pytest.fixture
def env(api, factory):
    e = rs.review_env(api, factory, experts=2)
    # Expert 0 has scored; expert 1 has not.
    api.put(f"/v1/review-assignments/{e.assignments[0]}/review", token=e.experts[0].token,
            json={"scores": rs.full_scores(e.rubric, 0.9), "comment": "甲专家的意见"},
            expect=200)
    return e


@pytest.fixture
def ranked(api, factory):
    """A round in review whose one nomination has a review (87.50) by its
    first expert: a ranking with something in it to leak."""
    w = ranking_support.world(api, factory, rs.LANSHAN, 1, n_experts=2,
                              publicity_evidence_required=False)
    w.assignments = ranking_support.set_reviews(w, w.noms[0]["id"], [8750])
    return w


def _blank(body, ident):
    """The problem without what differs by request: the id, the instance, the request id."""
    text = json.dumps(body, ensure_ascii=False, sort_keys=True).replace(ident, "<id>")
    body = json.loads(text)
    body.pop("request_id", None)
    body.pop("instance", None)
    return body


@pytest.mark.parametrize("method,route", [("GET", r) for r in ROUTES] + [("PUT", "review")])
def test_another_experts_assignment_is_like_an_unknown_one(api, env, method, route):
    e = env
    tok = e.experts[1].token
    route = route.format(file=e.file["id"])
    kw = {"json": {"scores": rs.full_scores(e.rubric, 0.1)}} if method == "PUT" else {}
    theirs = api.request(method, f"/v1/review-assignments/{e.assignments[0]}/{route}",
                         token=tok, expect=404, **kw)
    unknown_id = "0f0f0f0f-0000-4000-8000-00000000abcd"
    unknown = api.request(method, f"/v1/review-assignments/{unknown_id}/{route}",
                          token=tok, expect=404, **kw)
    assert _blank(theirs.body, e.assignments[0]) == _blank(unknown.body, unknown_id)
    assert set(theirs.headers) - {"Date"} == set(unknown.headers) - {"Date"}
    assert "甲专家" not in theirs.text and '"total"' not in theirs.text


def test_a_bad_review_body_answers_the_same_whoever_scored(api, env):
    e = env
    bad = {"scores": dict(rs.full_scores(e.rubric, 0.5), skill=999)}
    a = api.put(f"/v1/review-assignments/{e.assignments[1]}/review", token=e.experts[1].token,
                json=bad, expect=422).body
    assert [(x["pointer"], x["code"]) for x in a["errors"]] == [("/scores/skill", "out_of_range")]
    assert "revision" not in json.dumps(a)


def test_own_views_say_nothing_of_the_other_review(api, env):
    e = env
    tok = e.experts[1].token
    mine = api.get(f"/v1/review-assignments/{e.assignments[1]}/review", token=tok,
                   expect=200).body
    assert mine["current"] is None and mine["revisions"] == []
    assert set(mine) == {"assignment_id", "nomination_id", "assignment_state", "current",
                         "revisions"}
    dossier = api.get(f"/v1/review-assignments/{e.assignments[1]}/dossier", token=tok,
                      expect=200)
    text = dossier.text
    assert "甲专家" not in text and e.assignments[0] not in text
    assert e.experts[0].id not in text
    for key in ("reviews", "review_count", "reviews_count", "mean", "rank", "total"):
        assert key not in dossier.body and key not in dossier.body["candidate"]


def test_an_expert_has_no_route_to_counts_lists_or_ranking(api, env, ranked):
    e = env
    tok = e.experts[1].token
    for path in (f"/v1/rounds/{e.round['id']}", f"/v1/rounds/{e.round['id']}/nominations",
                 f"/v1/rounds/{e.round['id']}/nominations?state=in_review",
                 f"/v1/nominations/{e.nom['id']}", f"/v1/nominations/{e.nom['id']}/attachments",
                 f"/v1/nominations/{e.nom['id']}/attachments/{e.file['id']}",
                 f"/v1/rounds/{e.round['id']}/vote-session", "/v1/experts", "/v1/audit"):
        r = api.get(path, token=tok, expect=403)
        assert r.body["code"] == "role_not_allowed", path
    # The expert who reviewed and the one who did not.
    _no_ranking_for(api, ranked, [x.token for x in ranked.experts])


def _no_ranking_for(api, w, tokens):
    """403 role_not_allowed on the ranking and shortlist routes, and nothing
    in the body of a score, a count or the nomination; the office's own
    ranking of the same round shows them (what would leak)."""
    nom = w.noms[0]["id"]
    office = api.get(f"/v1/rounds/{w.round['id']}/ranking", token=w.office.token, expect=200)
    assert [(x["nomination_id"], x["mean"]) for x in office.body["entries"]] == [(nom, "87.50")]
    for tok in tokens:
        for method, route in RANKING_ROUTES:
            kw = {"json": {}} if method == "POST" else {}
            r = api.request(method, f"/v1/rounds/{w.round['id']}/{route}", token=tok,
                            expect=403, **kw)
            where = f"{method} {route}"
            assert r.body["code"] == "role_not_allowed", where
            assert nom not in r.text and w.assignments[0] not in r.text, where
            assert "87.5" not in r.text and not set(RANKING_KEYS) & set(r.body), where
    # The refused freezes froze nothing.
    r = api.get(f"/v1/rounds/{w.round['id']}/shortlist", token=w.office.token, expect=404)
    assert r.body["code"] == "shortlist_not_frozen"


def test_a_unit_user_gets_nothing(api, env, ranked, factory):
    e = env
    other = factory.user("unit")
    for tok in (e.unit.token, other.token):
        for route in ROUTES:
            path = f"/v1/review-assignments/{e.assignments[0]}/" + route.format(file=e.file["id"])
            r = api.get(path, token=tok, expect=403)
            assert r.body["code"] == "role_not_allowed" and "甲专家" not in r.text
        api.put(f"/v1/review-assignments/{e.assignments[0]}/review", token=tok,
                json={"scores": rs.full_scores(e.rubric)}, expect=403)
    # The nominating unit of the ranked round and another.
    _no_ranking_for(api, ranked, [ranked.unit.token, other.token])
