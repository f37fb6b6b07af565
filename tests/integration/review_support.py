# SPDX-License-Identifier: MIT
"""Shared set-up for the expert's workspace (test_reviews.py,
test_review_leaks.py): a programme of its own copied from a seeded one, its
office, a round moved to phase review through the office's transitions, a
nomination with one evidence file, experts with profiles (through the
experts API) and their assignments. The assignments are rows written with
SQL until the draw route is merged (SETUP-SQL below)."""
import types

import clock_support
import support

LANSHAN = "lanshan-craftsman"
HUANCUI = "huancui-chief-technician"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n(JX review evidence)\nendobj\n%%EOF\n"


def new_expert(api, factory, programme):
    """An expert user with a profile for `programme` (written by the admin)."""
    user = factory.user("expert")
    body = {"name": "测试评审专家", "fields": ["数控车工"],
            "employer_name": f"专家单位-{support.rand_hex(6)}",
            "employer_code": support.new_uscc(), "programmes": [programme]}
    api.put(f"/v1/experts/{user.id}", token=factory.admin.get(), json=body, expect=201)
    return user


def assign(db_url, round_id, nomination_id, expert_id):
    """An active assignment of the expert to the nomination; returns its id."""
    # SETUP-SQL: replace with the draw route once merged (s12-draw)
    now = clock_support.clock().now_iso()
    out = support.psql_scalar(
        db_url,
        "WITH d AS (INSERT INTO review_draws (round_id, seed, kind, experts_per_nomination,"
        f" drawn_at) VALUES ('{round_id}', '42', 'panel', 1, '{now}') RETURNING id)"
        " INSERT INTO review_assignments (round_id, nomination_id, expert_id, draw_id,"
        f" field_match, created_at) SELECT '{round_id}', '{nomination_id}', '{expert_id}',"
        f" d.id, true, '{now}' FROM d RETURNING id")
    return out.splitlines()[0]


def end_assignment(db_url, assignment_id, state="recused"):
    """Ends an assignment (a recusal)."""
    # SETUP-SQL: replace with the recusal route once merged (s12-draw)
    now = clock_support.clock().now_iso()
    support.psql(db_url, f"UPDATE review_assignments SET state = '{state}',"
                         f" ended_reason = '测试回避', ended_at = '{now}'"
                         f" WHERE id = '{assignment_id}'")


def close_review(db_url, round_id):
    """Moves the round out of phase review (the flow has no move out of it yet)."""
    # SETUP-SQL: replace with the round transition out of review once merged (s12-ranking)
    support.psql(db_url, f"UPDATE rounds SET phase = 'deciding' WHERE id = '{round_id}'")


def review_env(api, factory, db_url, *, base=LANSHAN, experts=2):
    """A round in phase review with one nomination (one evidence file) and
    `experts` experts assigned to it."""
    e = types.SimpleNamespace()
    e.programme = factory.programme(base=base)
    e.office = factory.office(e.programme)
    e.round = factory.round(e.programme, e.office, phase="accepting")
    e.unit = factory.user("unit")
    e.id_number = support.new_id_number()
    e.nom = factory.nomination(e.round["id"], e.unit, id_number=e.id_number)
    e.file = api.post(f"/v1/nominations/{e.nom['id']}/attachments", token=e.unit.token,
                      params={"kind": "skill_certificate", "filename": "证书.pdf"},
                      data=PDF, headers={"Content-Type": "application/pdf"},
                      expect=201).body
    for to in ("qualification", "review"):
        api.post(f"/v1/rounds/{e.round['id']}/transitions", token=e.office.token,
                 json={"to": to}, expect=200)
    e.experts = [new_expert(api, factory, e.programme) for _ in range(experts)]
    e.assignments = [assign(db_url, e.round["id"], e.nom["id"], x.id) for x in e.experts]
    e.rubric = api.get(f"/v1/programmes/{e.programme}", expect=200).body["policy"]["rubric"]
    return e


def full_scores(rubric, fraction=1.0):
    """Every criterion: gates pass, scores at `fraction` of their maximum."""
    return {c["criterion"]: True if c["gate"] else round(c["max_score"] * fraction, 2)
            for c in rubric}
