# SPDX-License-Identifier: MIT
"""Helpers of the review draw's tests (test_review_draw.py,
test_review_conflicts.py): a round whose qualified nominations wait for the
draw, experts created through PUT /v1/experts/{user_id}, and counts of what
the draw writes."""

import types

import support
import vote_flow

PROGRAMME_BASES = ("lanshan-craftsman", "huancui-chief-technician")


def draw_world(api, factory, *, n=2, k=2, base="lanshan-craftsman", phase="qualification",
               occupation="数控车工", others=0, pending=0):
    """A fresh programme with review_experts = k, its office user, a unit
    user and a round in `phase` with n qualified nominations (w.noms, in id
    order), `others` rejected ones and `pending` left submitted. No unit publicity (quicker)."""
    w = types.SimpleNamespace(k=k, base=base)
    w.programme = factory.programme(base=base, unit_publicity_required=False,
                                    unit_publicity_min_workdays=None, review_experts=k)
    w.office = factory.office(w.programme)
    w.round = factory.round(w.programme, w.office, phase="accepting")
    w.unit_row = factory.unit()
    w.unit = factory.user("unit", unit_id=w.unit_row["id"])
    changes = {"occupation": occupation}
    if base.startswith("huancui"):
        changes["skill_level"] = "technician"
    w.bodies = {}
    subs = []
    for i in range(n + others + pending):
        body = factory.nomination_body(name=f"候选人{i + 1}", **changes)
        nom = api.post(f"/v1/rounds/{w.round['id']}/nominations", token=w.unit.token,
                       json=body, expect=201).body
        w.bodies[nom["id"]] = body
        subs.append(vote_flow._move(api, w.unit, nom["id"], "submitted"))
    api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
             json={"to": "qualification"}, expect=200)
    w.noms = sorted((vote_flow.qualify_submitted(api, w.office, s) for s in subs[:n]),
                    key=lambda x: x["id"])
    w.others = [vote_flow._move(api, w.office, s["id"], "rejected", note="测试：不符合条件")
                for s in subs[n:n + others]]
    if phase == "review":
        api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
                 json={"to": "review"}, expect=200)
    w.experts = []
    return w


def expert(api, factory, w, *, fields=("焊工",), employer_code=None, employer_unit_id=None,
           name=None):
    """An expert user with a profile naming w's programme (by the admin)."""
    user = factory.user("expert")
    body = {"name": name or f"专家{len(w.experts) + 1}", "fields": list(fields),
            "employer_name": f"专家单位-{support.rand_hex(6)}",
            "employer_code": employer_code or support.new_uscc(),
            "programmes": [w.programme]}
    if employer_unit_id is not None:
        body["employer_unit_id"] = employer_unit_id
    api.put(f"/v1/experts/{user.id}", token=factory.admin.get(), json=body, expect=201)
    w.experts.append(user)
    return user


def experts(api, factory, w, count, **kw):
    return [expert(api, factory, w, **kw) for _ in range(count)]


def draw(api, w, *, expect=201, token=None, **body):
    return api.post(f"/v1/rounds/{w.round['id']}/review-assignments",
                    token=token or w.office.token, json=body, expect=expect).body


def pairs(items):
    return sorted((i["nomination_id"], i["expert_id"]) for i in items)


def state(db_url, w):
    """Everything a draw may change, as text: the round's draws and
    assignments, its phase, its nominations' states and the audit events
    about the round and its assignments."""
    r = w.round["id"]
    return support.psql_scalar(db_url, f"""
        SELECT concat_ws('|',
          (SELECT count(*) FROM review_draws WHERE round_id = '{r}'),
          (SELECT string_agg(a.nomination_id || ':' || a.expert_id || ':' || a.state, ','
                             ORDER BY a.nomination_id, a.expert_id)
             FROM review_assignments a WHERE a.round_id = '{r}'),
          (SELECT phase FROM rounds WHERE id = '{r}'),
          (SELECT string_agg(state::text, ',' ORDER BY id) FROM nominations
            WHERE round_id = '{r}'),
          (SELECT count(*) FROM audit_events WHERE entity_id = '{r}'
              OR entity_id IN (SELECT id::text FROM review_assignments WHERE round_id = '{r}')))""")


def audit_actions(db_url, entity_type, entity_id):
    out = support.psql_scalar(
        db_url, "SELECT coalesce(string_agg(action, ',' ORDER BY seq), '') FROM audit_events"
                f" WHERE entity_type = '{entity_type}' AND entity_id = '{entity_id}'")
    return out.split(",") if out else []
