# SPDX-License-Identifier: MIT
"""Shared setup of test_ranking.py and test_shortlist.py: a programme clone
whose round has qualified nominations in phase review, experts, and reviews
with hand-chosen totals (the ranking reads only `total` and `gate_pass`, so
the expected aggregates are computed by hand in the tests).

The draw (s12-draw) and the review routes (s12-scoring) are built in
parallel: the helpers marked SETUP-SQL write their rows directly."""

import types

import support

REASON = "技能突出，经研究同意放宽"


def move(api, user, nom_id, to, expect=200, **body):
    body["to"] = to
    return api.post(f"/v1/nominations/{nom_id}/transitions", token=user.token, json=body,
                    expect=expect)


def qualify(api, office, nom_id):
    """The office's qualification, every warning overridden with a reason."""
    checks = api.get(f"/v1/nominations/{nom_id}/eligibility", token=office.token,
                     expect=200).body["checks"]
    overrides = [{"check": c["check"], "reason": REASON} for c in checks
                 if c["result"] == "warning"]
    return move(api, office, nom_id, "qualified", overrides=overrides).body


def world(api, factory, db_url, base, n, n_experts=7, **changes):
    """A clone of `base` (no unit publicity), its office, a round in phase
    review with n nominations in review, and n_experts experts."""
    w = types.SimpleNamespace(db_url=db_url)
    w.code = factory.programme(base=base, unit_publicity_required=False,
                               unit_publicity_min_workdays=None, **changes)
    w.office = factory.office(w.code)
    w.round = factory.round(w.code, w.office)
    w.unit = factory.user("unit")
    noms = [factory.nomination(w.round["id"], w.unit) for _ in range(n)]
    for x in noms:
        move(api, w.unit, x["id"], "submitted")
    api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
             json={"to": "qualification"}, expect=200)
    w.noms = [qualify(api, w.office, x["id"]) for x in noms]
    api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
             json={"to": "review"}, expect=200)
    w.experts = [factory.user("expert") for _ in range(n_experts)]
    setup_in_review(db_url, w)
    w.draw = setup_draw(db_url, w)
    return w


def setup_in_review(db_url, w):
    # SETUP-SQL: replace with the draw route once merged (it moves qualified → in_review)
    ids = ",".join(f"'{x['id']}'" for x in w.noms)
    support.psql(db_url, f"UPDATE nominations SET state = 'in_review', version = version + 1"
                         f" WHERE id IN ({ids})")
    for e in w.experts:
        support.psql(db_url,
                     "INSERT INTO expert_profiles (user_id, name, fields, employer_name,"
                     " employer_code, created_at, updated_at)"
                     f" SELECT id, '专家' || left(username, 8), ARRAY['机械'], '某评审单位',"
                     f" '{support.new_uscc()}', created_at, created_at FROM users"
                     f" WHERE username = '{e.username}'")


def setup_draw(db_url, w):
    # SETUP-SQL: replace with the draw route once merged
    return support.psql_scalar(
        db_url,
        "INSERT INTO review_draws (round_id, seed, kind, experts_per_nomination, drawn_at)"
        f" SELECT id, '42', 'panel', 7, updated_at FROM rounds WHERE id = '{w.round['id']}'"
        " RETURNING id").splitlines()[0]


def expert_id(db_url, user):
    return support.psql_scalar(db_url, f"SELECT id FROM users WHERE username = '{user.username}'")


def set_reviews(w, nom_id, totals, gates=None, *, first_expert=0):
    """Assignments of experts first_expert.. to nomination nom_id, each with
    one review of the given total (hundredths) and gate verdict.
    Returns the assignment ids."""
    # SETUP-SQL: replace with the draw and review routes once merged
    gates = gates or [True] * len(totals)
    out = []
    for i, (total, gate) in enumerate(zip(totals, gates)):
        user = w.experts[first_expert + i]
        a = support.psql_scalar(
            w.db_url,
            "INSERT INTO review_assignments (round_id, nomination_id, expert_id, draw_id,"
            " field_match, created_at)"
            f" SELECT n.round_id, n.id, u.id, '{w.draw}', true, n.submitted_at"
            f" FROM nominations n, users u WHERE n.id = '{nom_id}'"
            f" AND u.username = '{user.username}' RETURNING id").splitlines()[0]
        add_review(w, a, total, gate, revision=1)
        out.append(a)
    return out


def add_review(w, assignment_id, total, gate=True, *, revision):
    # SETUP-SQL: replace with the review route once merged
    support.psql(
        w.db_url,
        "INSERT INTO reviews (assignment_id, revision, scores, total, gate_pass, reviewed_at)"
        f" SELECT a.id, {revision}, '{{}}', {total}, {str(gate).lower()}, a.created_at"
        f" FROM review_assignments a WHERE a.id = '{assignment_id}'")


def end_assignment(w, assignment_id):
    # SETUP-SQL: replace with the draw route's recusal once merged
    support.psql(
        w.db_url,
        "UPDATE review_assignments SET state = 'recused', ended_reason = '回避',"
        f" ended_at = created_at WHERE id = '{assignment_id}'")


def ranking(api, w, token=None, expect=200):
    return api.get(f"/v1/rounds/{w.round['id']}/ranking", token=token or w.office.token,
                   expect=expect).body


def entry(rank, nom_id):
    return next(e for e in rank["entries"] if e["nomination_id"] == nom_id)
