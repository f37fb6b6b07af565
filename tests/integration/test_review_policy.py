# SPDX-License-Identifier: MIT
"""The review's policy members (api/model/policy.h, migration 0017):
review_experts, review_disagreement_stdev, shortlist_size and a scored
criterion's max_score. The seeded programmes carry them (choices: neither
document fixes a panel size, a threshold or score ranges; 岚山 第五条（三）
sizes the shortlist by its 20 vote nominees), the policy-versions API
accepts valid values and refuses each broken rule with a problem that
changes nothing."""

import pytest

import clock_support
import support

LANSHAN = "lanshan-craftsman"
HUANCUI = "huancui-chief-technician"
FICTITIOUS = "测试文号〔2099〕1号（虚构，仅供测试）"


def _policy(api, code):
    prog = api.get(f"/v1/programmes/{code}", expect=200)
    return prog, prog.body["policy"]


def _later(years):
    """1 January and 31 December of the year `years` after the services' today."""
    year = clock_support.clock().today().year + years
    return f"{year}-01-01", f"{year}-12-31"


def _post_version(api, admin_token, code, policy, expect):
    prog = api.get(f"/v1/programmes/{code}", expect=200)
    start, _ = _later(10)
    _, end = _later(14)
    body = dict(policy, document_no=FICTITIOUS, in_force_from=start, in_force_to=end)
    return api.post(f"/v1/programmes/{code}/policy-versions", token=admin_token,
                    json={"policy": body}, headers={"If-Match": prog.headers["ETag"]},
                    expect=expect)


@pytest.mark.parametrize("code", [LANSHAN, HUANCUI])
def test_seeded_programmes_carry_the_review_members(api, code):
    _, policy = _policy(api, code)
    assert policy["review_experts"] == 5
    assert policy["review_disagreement_stdev"] == 15
    # 岚山: vote_nominees (20, 第五条（三）) sizes the shortlist; 环翠 has no
    # vote and its office sets the size when it freezes the list.
    assert policy["shortlist_size"] is None
    for c in policy["rubric"]:
        if c["gate"]:
            assert "max_score" not in c and c["weight"] == 0
        else:
            # Choice: each criterion out of its weight, as on a paper score sheet.
            assert c["max_score"] == c["weight"]
    assert sum(c.get("max_score", 0) for c in policy["rubric"]) == 100


def test_valid_review_members_are_stored(api, factory, admin_token):
    code = factory.programme(base=HUANCUI)
    _, policy = _policy(api, code)
    rubric = [dict(c, max_score=10) if not c["gate"] else c for c in policy["rubric"]]
    v = _post_version(api, admin_token, code,
                      dict(policy, review_experts=7, review_disagreement_stdev=12,
                           shortlist_size=6, rubric=rubric), expect=201).body
    assert v["number"] == 2
    stored = v["policy"]
    assert (stored["review_experts"], stored["review_disagreement_stdev"],
            stored["shortlist_size"]) == (7, 12, 6)
    assert [c.get("max_score") for c in stored["rubric"]] == [None, 10, 10, 10]
    # The optional members may be left out (their defaults apply).
    bare = {k: val for k, val in policy.items()
            if k not in ("review_experts", "review_disagreement_stdev", "shortlist_size")}
    bare["rubric"] = [{k: val for k, val in c.items() if k != "max_score"}
                      for c in policy["rubric"]]
    prog = api.get(f"/v1/programmes/{code}", expect=200)
    start, _ = _later(15)
    _, end = _later(16)
    body = dict(bare, document_no=FICTITIOUS, in_force_from=start, in_force_to=end)
    v3 = api.post(f"/v1/programmes/{code}/policy-versions", token=admin_token,
                  json={"policy": body}, headers={"If-Match": prog.headers["ETag"]},
                  expect=201).body
    assert v3["number"] == 3 and "review_experts" not in v3["policy"]


def _gate_with_max(policy):
    return [dict(c, max_score=5) if c["gate"] else c for c in policy["rubric"]]


REFUSALS = [
    # (base, change, status, pointer, code)
    (LANSHAN, lambda p: dict(p, review_experts=0), 422, "/policy/review_experts",
     "out_of_range"),
    (LANSHAN, lambda p: dict(p, review_experts=51), 422, "/policy/review_experts",
     "out_of_range"),
    (LANSHAN, lambda p: dict(p, review_experts=None), 422, "/policy/review_experts",
     "wrong_type"),
    (LANSHAN, lambda p: dict(p, review_disagreement_stdev=0), 422,
     "/policy/review_disagreement_stdev", "out_of_range"),
    (LANSHAN, lambda p: dict(p, review_disagreement_stdev="15"), 422,
     "/policy/review_disagreement_stdev", "wrong_type"),
    # A public vote sizes the shortlist: one number in one place.
    (LANSHAN, lambda p: dict(p, shortlist_size=20), 422, "/policy/shortlist_size",
     "must_be_null"),
    # 环翠 第四条: 5 awards a round, so a shortlist of 4 cannot fill them.
    (HUANCUI, lambda p: dict(p, shortlist_size=4), 422, "/policy/shortlist_size",
     "fewer_shortlisted_than_awards"),
    (HUANCUI, lambda p: dict(p, shortlist_size=1001), 422, "/policy/shortlist_size",
     "out_of_range"),
    (LANSHAN, lambda p: dict(p, rubric=_gate_with_max(p)), 422, "/policy/rubric/0/max_score",
     "gate_max_score"),
    (LANSHAN, lambda p: dict(p, rubric=[p["rubric"][0], dict(p["rubric"][1], max_score=0)]
                             + p["rubric"][2:]), 422, "/policy/rubric/1/max_score",
     "out_of_range"),
    (LANSHAN, lambda p: dict(p, rubric=[p["rubric"][0], dict(p["rubric"][1], max_score=2.5)]
                             + p["rubric"][2:]), 422, "/policy/rubric/1/max_score",
     "wrong_type"),
    (LANSHAN, lambda p: dict(p, rubric=[p["rubric"][0], dict(p["rubric"][1], min_score=1)]
                             + p["rubric"][2:]), 400, "/policy/rubric/1/min_score",
     "unknown_field"),
]


@pytest.mark.parametrize("base,change,status,pointer,code", REFUSALS)
def test_broken_review_members_are_refused_and_change_nothing(api, factory, admin_token, base,
                                                              change, status, pointer, code):
    prog_code = factory.programme(base=base)
    prog, policy = _policy(api, prog_code)
    r = _post_version(api, admin_token, prog_code, change(policy), expect=status)
    assert r.body["status"] == status
    errors = {(e["pointer"], e["code"]) for e in r.body["errors"]}
    assert (pointer, code) in errors, r.body
    assert all(e["detail"] for e in r.body["errors"])
    after = api.get(f"/v1/programmes/{prog_code}", expect=200)
    assert after.headers["ETag"] == prog.headers["ETag"]
    assert after.body["policy_versions"] == 1
    assert len(api.get(f"/v1/programmes/{prog_code}/policy-versions",
                       expect=200).body["items"]) == 1
    assert pointer in support.pointers(r.body)
