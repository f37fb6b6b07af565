# SPDX-License-Identifier: MIT
"""Programmes and their policies: the two seeded programmes with the values
from their founding documents, ETags, and PUT policy — a valid change adds
an audited policy version, an invalid one is refused with pointers and
changes nothing. (Policy versions themselves: test_policy_versions.py.)"""

import contextlib
import copy

import pytest

import support
from support import etag_of, pointers

LANSHAN = "lanshan-craftsman"
HUANCUI = "huancui-chief-technician"


def test_list_has_both_seeded_programmes(api):
    r = api.get("/v1/programmes", expect=200)
    assert r.body["next_cursor"] is None
    by_code = {p["code"]: p for p in r.body["items"]}
    assert {LANSHAN, HUANCUI} <= set(by_code)
    lan, hc = by_code[LANSHAN]["policy"], by_code[HUANCUI]["policy"]
    assert by_code[LANSHAN]["name"] == "岚山工匠"
    assert by_code[HUANCUI]["name"] == "环翠区首席技师"
    assert (lan["awards_per_round"], lan["awards_cap"]) == (10, "hard")
    assert (hc["awards_per_round"], hc["awards_cap"]) == (5, "soft")
    assert lan["vote_nominees"] == 20
    assert hc["vote_nominees"] is None
    assert lan["final_notice_workdays"] == 5 and hc["final_notice_workdays"] == 5
    assert (hc["age_max"], hc["age_max_kind"]) == (55, "soft")
    assert lan["age_max"] is None and lan["age_max_kind"] is None
    assert hc["min_skill_level"] == "technician"
    assert hc["reward"] == "monthly_allowance" and hc["allowance_monthly_fen"] == 50000
    assert lan["reward"] == "one_time"
    assert lan["articles"]["awards_per_round"] == "第二条"


def test_get_programme_with_etag(api):
    r = api.get(f"/v1/programmes/{HUANCUI}", expect=200)
    assert r.body["code"] == HUANCUI
    assert etag_of(r) == f'"{r.body["version"]}"'
    listed = {p["code"]: p for p in api.get("/v1/programmes", expect=200).body["items"]}
    assert listed[HUANCUI] == r.body


def test_unknown_programme_is_404(api):
    r = api.get("/v1/programmes/no-such-programme", expect=404)
    assert r.body["type"] == "urn:jiangxin:problem:not-found"


def test_malformed_programme_code_is_400(api):
    api.get("/v1/programmes/NOT_A_CODE", expect=400)


@contextlib.contextmanager
def restored_policy(api, admin_token, code):
    """Yields the programme as it is; afterwards puts its policy back if it changed."""
    original = api.get(f"/v1/programmes/{code}", expect=200)
    try:
        yield original
    finally:
        now = api.get(f"/v1/programmes/{code}", check="none")
        if now.status_code == 200 and now.json()["policy"] != original.body["policy"]:
            api.put(f"/v1/programmes/{code}/policy", token=admin_token,
                    json=original.body["policy"], headers={"If-Match": etag_of(now)},
                    expect=200)


def test_put_valid_policy_adds_a_version_and_is_audited(api, admin_token, admin_me, factory):
    """PUT …/policy keeps its shape but adds a policy version (it never
    changes one a round uses): the programme shows the new rules, its ETag
    moves on, and the audit log has the version's creation."""
    code = factory.programme()
    orig = api.get(f"/v1/programmes/{code}", expect=200)
    policy = copy.deepcopy(orig.body["policy"])
    policy["deeds_max_chars"] = 2000
    policy["unit_publicity_min_workdays"] = 4
    rid = "it-policy-" + support.rand_hex(8)
    r = api.put(f"/v1/programmes/{code}/policy", token=admin_token, json=policy,
                headers={"If-Match": etag_of(orig), "X-Request-Id": rid}, expect=200)
    assert r.body["policy"] == policy
    assert r.body["version"] == orig.body["version"] + 1
    assert (r.body["policy_versions"], r.body["policy_version"]["number"]) == (2, 2)
    assert etag_of(r) == f'"{r.body["version"]}"'
    got = api.get(f"/v1/programmes/{code}", expect=200)
    assert got.body["policy"] == policy and etag_of(got) == etag_of(r)
    events = [e for e in support.list_all(api, f"/v1/audit?entity_id={code}/2", admin_token)
              if e["request_id"] == rid]
    assert len(events) == 1, events
    ev = events[0]
    assert ev["action"] == "policy_version.create" and ev["entity_type"] == "policy_version"
    assert ev["actor_id"] == admin_me["id"] and ev["actor"] == admin_me["username"]
    assert ev["before"] is None
    assert ev["after"]["policy"]["deeds_max_chars"] == 2000 and ev["after"]["number"] == 2
    # Version 1 is as it was; the old ETag is now stale.
    v1 = api.get(f"/v1/programmes/{code}/policy-versions/1", expect=200).body
    assert v1["policy"]["deeds_max_chars"] is None
    api.put(f"/v1/programmes/{code}/policy", token=admin_token, json=policy,
            headers={"If-Match": etag_of(orig)}, expect=412)


def test_put_policy_without_if_match_is_428(api, admin_token):
    orig = api.get(f"/v1/programmes/{LANSHAN}", expect=200)
    api.put(f"/v1/programmes/{LANSHAN}/policy", token=admin_token, json=orig.body["policy"],
            expect=428)
    assert api.get(f"/v1/programmes/{LANSHAN}", expect=200).body == orig.body


def test_put_policy_for_unknown_programme_is_404(api, admin_token):
    orig = api.get(f"/v1/programmes/{LANSHAN}", expect=200)
    api.put("/v1/programmes/no-such-programme/policy", token=admin_token,
            json=orig.body["policy"], headers={"If-Match": '"1"'}, expect=404)


def _without(policy, member):
    p = copy.deepcopy(policy)
    del p[member]
    return p


def _with(policy, **changes):
    p = copy.deepcopy(policy)
    p.update(changes)
    return p


# name, code, mutate(policy) -> body, status, slug, pointer
INVALID = [
    ("unknown-member", LANSHAN, lambda p: _with(p, bogus=1), 400, "unknown-field", "/bogus"),
    ("unknown-rubric-member", LANSHAN,
     lambda p: _with(p, rubric=[dict(p["rubric"][0], colour="red")] + p["rubric"][1:]),
     400, "unknown-field", "/rubric/0"),
    ("unknown-articles-key", LANSHAN,
     lambda p: _with(p, articles=dict(p["articles"], nonsense="第一条")),
     400, "unknown-field", "/articles/nonsense"),
    ("wrong-type-string-for-int", LANSHAN, lambda p: _with(p, awards_per_round="10"),
     422, "validation-failed", "/awards_per_round"),
    ("wrong-type-float-for-int", LANSHAN, lambda p: _with(p, awards_per_round=10.0),
     422, "validation-failed", "/awards_per_round"),
    ("wrong-type-int-for-bool", LANSHAN, lambda p: _with(p, skill_test=0),
     422, "validation-failed", "/skill_test"),
    ("missing-member", LANSHAN, lambda p: _without(p, "final_notice_workdays"),
     422, "validation-failed", "/final_notice_workdays"),
    ("out-of-range", LANSHAN, lambda p: _with(p, final_notice_workdays=0),
     422, "validation-failed", "/final_notice_workdays"),
    ("bad-enum", LANSHAN, lambda p: _with(p, awards_cap="firm"),
     422, "validation-failed", "/awards_cap"),
    ("bad-date", LANSHAN, lambda p: _with(p, in_force_to="2027-02-30"),
     422, "validation-failed", "/in_force_to"),
    ("in-force-to-before-from", LANSHAN, lambda p: _with(p, in_force_to="2020-01-01"),
     422, "validation-failed", "/in_force_to"),
    ("age-max-kind-without-age-max", LANSHAN, lambda p: _with(p, age_max_kind="soft"),
     422, "validation-failed", "/age_max_kind"),
    ("age-max-without-kind", HUANCUI, lambda p: _with(p, age_max_kind=None),
     422, "validation-failed", "/age_max_kind"),
    ("preferred-age-above-max", HUANCUI, lambda p: _with(p, age_preferred_max=60),
     422, "validation-failed", "/age_preferred_max"),
    ("fewer-nominees-than-awards", LANSHAN, lambda p: _with(p, vote_nominees=5),
     422, "validation-failed", "/vote_nominees"),
    ("rubric-weights-not-100", LANSHAN,
     lambda p: _with(p, rubric=[dict(c, weight=10) if not c["gate"] else c
                                for c in p["rubric"]]),
     422, "validation-failed", "/rubric"),
    ("allowance-on-one-time-reward", LANSHAN, lambda p: _with(p, allowance_monthly_fen=100),
     422, "validation-failed", "/allowance_monthly_fen"),
    ("duplicate-reasons", LANSHAN,
     lambda p: _with(p, revocation_reasons=["fraud", "fraud"]),
     422, "validation-failed", "/revocation_reasons"),
    ("policy-wrapped-in-object", LANSHAN, lambda p: {"policy": p},
     400, "unknown-field", "/policy"),
]


@pytest.mark.parametrize("case", INVALID, ids=[c[0] for c in INVALID])
def test_put_invalid_policy_is_refused_and_changes_nothing(api, admin_token, db_count, case):
    name, code, mutate, status, slug, pointer = case
    with restored_policy(api, admin_token, code) as orig:
        audit_before = db_count("audit_events")
        r = api.put(f"/v1/programmes/{code}/policy", token=admin_token,
                    json=mutate(orig.body["policy"]), headers={"If-Match": etag_of(orig)},
                    expect=status)
        assert r.body["type"] == f"urn:jiangxin:problem:{slug}"
        assert any(p == pointer or p.startswith(pointer + "/") for p in pointers(r.body)), \
            f"expected a pointer at {pointer}, got {pointers(r.body)}"
        after = api.get(f"/v1/programmes/{code}", expect=200)
        assert after.body == orig.body
        assert etag_of(after) == etag_of(orig)
        assert db_count("audit_events") == audit_before


def test_put_invalid_policy_reports_every_fault(api, admin_token):
    orig = api.get(f"/v1/programmes/{LANSHAN}", expect=200)
    bad = _with(orig.body["policy"], cycle_years="two", final_notice_workdays=0,
                awards_cap="firm")
    r = api.put(f"/v1/programmes/{LANSHAN}/policy", token=admin_token, json=bad,
                headers={"If-Match": etag_of(orig)}, expect=422)
    got = set(pointers(r.body))
    assert {"/cycle_years", "/final_notice_workdays", "/awards_cap"} <= got, got
