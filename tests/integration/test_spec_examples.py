# SPDX-License-Identifier: MIT
"""The request body examples of both contracts are real: every request body
has one, and each example of a create/update operation (POST, PUT, PATCH),
sent to the running service, is accepted (2xx). A table of per-operation
setups makes what the example needs (a user to log in, the resource to edit,
a round in the right phase, a session to vote in), substitutes the ids the
example names by the ids it made, and puts the clocks where the example's
dates make sense."""

import copy
import datetime
import types
import uuid

import pytest

import clock_support
import draw_support
import conftest
import decision_flow
import openapi_check
import support
import vote_flow
import vote_support

WRITE_METHODS = ("POST", "PUT", "PATCH")
NOMINEE = "2f1c7e0a-6b0e-4e6b-9d43-2c1a8f6f4b11"  # the nominee id the examples name


def _spec(name):
    return openapi_check.Spec(conftest.repo_root() / "openapi" / name)


def _examples(media, spec):
    """[(name, value)] of one media type's example(s)."""
    out = []
    if "example" in media:
        out.append(("example", media["example"]))
    for name, ex in (media.get("examples") or {}).items():
        out.append((name, spec.resolve(ex)["value"]))
    return out


def _cases():
    cases = []
    for service, name in (("api", "api.yaml"), ("vote", "voting.yaml")):
        spec = _spec(name)
        for method, template, op in spec.operations():
            body = op.get("requestBody")
            if method not in WRITE_METHODS or body is None:
                continue
            for media_type, media in body["content"].items():
                for ex_name, value in _examples(media, spec):
                    key = (service, op["operationId"], ex_name)
                    cases.append(pytest.param(
                        service, op["operationId"], method, template, media_type, ex_name,
                        value, id="%s-%s-%s" % key,
                        marks=[pytest.mark.clock(CLOCKS[key])] if key in CLOCKS else []))
    return cases


def _subst(node, mapping):
    """A copy of `node` with every string (value or key) in `mapping` replaced."""
    if isinstance(node, dict):
        return {mapping.get(k, k): _subst(v, mapping) for k, v in node.items()}
    if isinstance(node, list):
        return [_subst(v, mapping) for v in node]
    if isinstance(node, str):
        return mapping.get(node, node)
    return node


# ------------------------------------------------------------------ setups
# Each takes the world w (api, vote, factory, admin token, clock) and returns
# a namespace: path (the template's parameters), token, subs (example value
# -> real value), etag (a path whose ETag goes into If-Match), query, headers.
def _req(**kw):
    kw.setdefault("path", {})
    kw.setdefault("subs", {})
    return types.SimpleNamespace(**kw)


def _admin(w, ex):
    return _req(token=w.admin)


def _vote_service(w, ex):
    return _req(token=vote_support.service_token())


def _auth_token(w, ex):
    u = w.factory.user("office", password=ex["password"], login_now=False)
    return _req(token=None, subs={ex["username"]: u.username})


def _users_create(w, ex):
    return _req(token=w.admin, subs={ex["username"]: f"t-ex-{support.rand_hex(10)}"})


def _users_update(w, ex):
    u = w.factory.user("office", login_now=False)
    return _req(token=w.admin, path={"id": u.id}, etag=f"/v1/users/{u.id}")


def _units_create(w, ex):
    return _req(token=w.admin, subs={ex["code"]: support.new_uscc()})


def _units_update(w, ex):
    unit = w.factory.unit()
    return _req(token=w.admin, path={"id": unit["id"]}, etag=f"/v1/units/{unit['id']}")


def _experts_put(w, ex):
    u = w.factory.user("expert", login_now=False)
    return _req(token=w.admin, path={"id": u.id})


def _expert_relations_create(w, ex):
    u = w.factory.user("expert", login_now=False)
    w.api.put(f"/v1/experts/{u.id}", token=w.admin, expect=201,
              json=_api_example("experts_put"))
    return _req(token=w.admin, path={"id": u.id},
                subs={ex["id_number"]: support.new_id_number()})


def _drawn_world(w):
    """A round whose one nomination has one expert drawn, and a spare expert."""
    dw = draw_support.draw_world(w.api, w.factory, n=1, k=1)
    draw_support.experts(w.api, w.factory, dw, 2)
    dw.items = draw_support.draw(w.api, dw, seed="1")["items"]
    dw.assigned = next(e for e in dw.experts if e.id == dw.items[0]["expert_id"])
    return dw


def _review_assignments_create(w, ex):
    dw = draw_support.draw_world(w.api, w.factory, n=1, k=1)
    draw_support.experts(w.api, w.factory, dw, 1)
    return _req(token=dw.office.token, path={"id": dw.round["id"]})


def _review_assignments_recuse(w, ex):
    dw = _drawn_world(w)
    return _req(token=dw.assigned.token, path={"id": dw.items[0]["id"]})


def _review_assignments_remove(w, ex):
    dw = _drawn_world(w)
    return _req(token=dw.office.token, path={"id": dw.items[0]["id"]})


def _programmes_create(w, ex):
    return _req(token=w.admin, subs={ex["code"]: f"t-ex-{support.rand_hex(8)}"})


def _programmes_update_policy(w, ex):
    code = w.factory.programme()
    return _req(token=w.admin, path={"code": code}, etag=f"/v1/programmes/{code}")


def _policy_versions_create(w, ex):
    # The programme's current version ends the day before the example's starts.
    start = ex["policy"]["in_force_from"]
    code = w.factory.programme(in_force_from="2017-01-01", in_force_to=_day_before(start))
    return _req(token=w.admin, path={"code": code}, etag=f"/v1/programmes/{code}")


def _policy_versions_update(w, ex):
    code = w.factory.programme()
    return _req(token=w.admin, path={"code": code, "number": "1"},
                etag=f"/v1/programmes/{code}/policy-versions/1")


def _rounds_create(w, ex):
    code = w.factory.programme()
    return _req(token=w.factory.office(code).token, path={"code": code})


def _rounds_transition(w, ex):
    code = w.factory.programme()
    office = w.factory.office(code)
    rnd = w.factory.round(code, office, phase="preparing")
    return _req(token=office.token, path={"id": rnd["id"]})


def _review_world(w):
    return vote_flow.review_round(w.api, w.factory, qualified=1)


def _vote_sessions_create(w, ex):
    world = _review_world(w)
    return _req(token=world.office.token, path={"id": world.round["id"]},
                subs={NOMINEE: world.qualified[0]["id"]})


def _vote_sessions_put_tally(w, ex):
    world = _review_world(w)
    nominee = world.qualified[0]["id"]
    create = _api_example("vote_sessions_create")
    session = w.api.post(f"/v1/rounds/{world.round['id']}/vote-session",
                         token=world.office.token, json=_subst(create, {NOMINEE: nominee}),
                         headers={"Idempotency-Key": str(uuid.uuid4())}, expect=201).body
    w.clock.set(ex["as_of"])  # the tally is taken while the session is open
    return _req(token=vote_flow.service_login(w.api), path={"id": session["id"]},
                subs={NOMINEE: nominee})


def _vote_sessions_resolve(w, ex):
    # A session whose result disputes its log's recount: the recount is
    # written as the API's verification would (issue 11), so the example
    # does not wait for a real vote to close.
    world = _review_world(w)
    nominee = world.qualified[0]["id"]
    create = _api_example("vote_sessions_create")
    session = w.api.post(f"/v1/rounds/{world.round['id']}/vote-session",
                         token=world.office.token, json=_subst(create, {NOMINEE: nominee}),
                         headers={"Idempotency-Key": str(uuid.uuid4())}, expect=201).body
    support.psql(support.need_env("JIANGXIN_TEST_DATABASE_URL"), (
        "UPDATE vote_sessions SET log_verified_entries = 1, log_verified_sha256 = '%s',"
        " log_verified_counts = '{\"%s\": 1}'::jsonb, log_invalid_entries = 0,"
        " integrity_state = 'disputed', integrity_reason = 'log_counts_mismatch'"
        " WHERE id = '%s'") % ("ab" * 32, nominee, session["id"]))
    return _req(token=w.admin, path={"id": session["id"]})


def _calendar_years_put(w, ex):
    # 2038 has 2027's weekdays: the example's days keep their meaning in a
    # year no other test uses.
    year = 2038
    subs = {d["date"]: d["date"].replace(str(ex["year"]), str(year), 1) for d in ex["days"]}
    return _req(token=w.admin, path={"year": str(year)}, subs=subs, year=(ex["year"], year))


def _calendar_put_day(w, ex):
    day = "2039-10-08"  # a year no other test uses, loaded first
    w.api.put("/v1/calendar/years/2039", token=w.admin, expect=(200, 201),
              json=clock_support.synthetic_year(2039))
    return _req(token=w.admin, path={"date": day}, etag=f"/v1/calendar/days/{day}")


def _draft(w, phase="accepting"):
    code = w.factory.programme()
    office = w.factory.office(code)
    rnd = w.factory.round(code, office, phase=phase)
    unit = w.factory.user("unit")
    return types.SimpleNamespace(code=code, office=office, round=rnd, unit=unit)


def _nominations_create(w, ex):
    d = _draft(w)
    return _req(token=d.unit.token, path={"id": d.round["id"]},
                subs={ex["id_number"]: support.new_id_number()})


def _nominations_update(w, ex):
    d = _draft(w)
    nom = w.factory.nomination(d.round["id"], d.unit)
    return _req(token=d.unit.token, path={"id": nom["id"]}, etag=f"/v1/nominations/{nom['id']}")


def _attachments_create(w, ex):
    d = _draft(w)
    nom = w.factory.nomination(d.round["id"], d.unit)
    return _req(token=d.unit.token, path={"id": nom["id"]},
                query={"kind": "skill_certificate", "filename": "证书.pdf"})


def _skill_test_nomination(w):
    """A qualified nomination of a 环翠 clone (skill_test: true, 第十条（四）)
    and its office: what a skill-test score is recorded for."""
    from test_skill_tests import programme_world
    return programme_world(w.api, w.factory, "huancui-chief-technician", 1)


def _skill_tests_put(w, ex):
    world = _skill_test_nomination(w)
    return _req(token=world.office.token, path={"id": world.qualified[0]["id"]},
                subs={ex["tested_on"]: w.clock.today().isoformat()})


def _skill_tests_sheets_create(w, ex):
    world = _skill_test_nomination(w)
    return _req(token=world.office.token, path={"id": world.qualified[0]["id"]},
                query={"filename": "现场技能考查评分表.pdf"})


def _reviews_put(w, ex):
    """An expert's assignment in a 岚山 clone's round in review (the
    example scores 岚山's rubric)."""
    import review_support
    e = review_support.review_env(w.api, w.factory)
    return _req(token=e.experts[0].token, path={"id": e.assignments[0]})


def _shortlists_freeze(w, ex):
    """A round in review whose five nominations have reviews (test_shortlist)."""
    from test_shortlist import scored_world
    sw = scored_world(w.api, w.factory)
    return _req(token=sw.office.token, path={"id": sw.round["id"]})


def _noticed(w):
    """A 环翠-based round with two candidates on a published final notice."""
    return decision_flow.noticed_round(w.api, w.factory, 2)


def _objections_create(w, ex):
    nw = _noticed(w)
    return _req(token=None, path={"id": nw.notice["id"]},
                headers={"X-Forwarded-For": vote_flow.random_ip()})


def _objections_transition(w, ex):
    """An objection just received against the notice's first entry."""
    nw = _noticed(w)
    w.api.post(f"/v1/notices/{nw.notice['id']}/objections", expect=201,
               json=_api_example("objections_create"),
               headers={"X-Forwarded-For": vote_flow.random_ip()})
    items = w.api.get(f"/v1/notices/{nw.notice['id']}/objections", token=nw.office.token,
                      expect=200).body["items"]
    return _req(token=nw.office.token, path={"id": items[0]["id"]})


def _decisions_create(w, ex):
    """The group's decision on a 岚山-based round in deciding (no vote)."""
    world = decision_flow.lanshan_deciding(w.api, w.factory, 1, awards=1)
    return _req(token=world.leader.token, path={"id": world.round["id"]},
                subs={ex["meeting_date"]: w.clock.today().isoformat(),
                      ex["selections"][0]: world.ids[0]})


def _inspections_put(w, ex):
    world = decision_flow.huancui_deciding(w.api, w.factory, 1, awards=1)
    return _req(token=world.office.token, path={"id": world.ids[0]},
                subs={ex["inspected_on"]: w.clock.today().isoformat()})


def _notices_create(w, ex):
    world = decision_flow.huancui_deciding(w.api, w.factory, 1, awards=1)
    decision_flow.inspect(w.api, world, world.ids[0])
    return _req(token=world.office.token, path={"id": world.round["id"]})


def _approvals_create(w, ex):
    """A 环翠-based round after its notice and the group's 审定."""
    world = decision_flow.noticed_round(w.api, w.factory, 1, awards=1)
    decision_flow.past_notice(world.notice)
    w.api.post(f"/v1/rounds/{world.round['id']}/decisions", token=world.leader.token,
               json=decision_flow.meeting(world.ids), expect=201)
    return _req(token=world.office.token, path={"id": world.round["id"]},
                subs={ex["approved_on"]: w.clock.today().isoformat()})


def _holder(w):
    """A 环翠 holder, recognised today (w.clock's)."""
    world = decision_flow.huancui_recognized(w.api, w.factory, 1)
    world.holder = world.issued[0]
    return world


def _recognition_notes_create(w, ex):
    world = _holder(w)
    return _req(token=world.office.token, path={"id": world.holder["id"]})


def _suspensions_create(w, ex):
    world = _holder(w)
    return _req(token=world.office.token, path={"id": world.holder["id"]},
                subs={ex["effective_on"]: w.clock.today().isoformat()})


def _suspensions_lift(w, ex):
    world = _holder(w)
    s = w.api.post(f"/v1/recognitions/{world.holder['id']}/suspensions",
                   token=world.office.token, expect=201,
                   json={"reason": "left_skilled_post", "note": "调岗",
                         "effective_on": w.clock.today().isoformat()}).body
    return _req(token=world.office.token, path={"id": s["id"]},
                subs={ex["lifted_on"]: w.clock.today().isoformat()})


def _revocation_cases_create(w, ex):
    world = _holder(w)
    return _req(token=world.office.token, path={"id": world.holder["id"]},
                subs={ex["effective_on"]: w.clock.today().isoformat()})


def _revocation_steps_create(w, ex):
    """A case just opened on a 环翠 holder: its first step is the office's."""
    world = _holder(w)
    case = w.api.post(f"/v1/recognitions/{world.holder['id']}/revocation-cases",
                      token=world.office.token, expect=201,
                      json={"reason": "refusing_duties", "facts": "拒不履行带徒义务。",
                            "effective_on": w.clock.today().isoformat()}).body
    return _req(token=world.office.token, path={"id": case["id"]},
                subs={ex["decided_on"]: w.clock.today().isoformat()})


def _assessed_holder(w):
    """A 岚山 holder on 1 December of the year after its recognition: that
    year owes its annual assessment (world.year)."""
    world = decision_flow.lanshan_recognized(w.api, w.factory, 1)
    world.holder = world.issued[0]
    world.year = w.clock.today().year + 1
    w.clock.set(datetime.date(world.year, 12, 1))
    return world


def _assessments_create(w, ex):
    world = _assessed_holder(w)
    return _req(token=world.unit.token, path={"id": world.holder["id"]},
                year=(ex["year"], world.year))


def _assessments_review(w, ex):
    world = _assessed_holder(w)
    a = w.api.post(f"/v1/recognitions/{world.holder['id']}/assessments", token=world.unit.token,
                   json={"year": world.year, "result": "pass", "notes": "合格"},
                   expect=201).body
    return _req(token=world.office.token, path={"id": a["id"]})


def _recheck_due(w):
    """A 环翠 holder in the month its year-2 re-check falls due."""
    world = _holder(w)
    v = w.api.get(f"/v1/recognitions/{world.holder['id']}/recheck", token=world.office.token,
                  expect=200).body
    w.clock.set(datetime.date.fromisoformat(v["due_from"]) + datetime.timedelta(days=2))
    start = datetime.date.fromisoformat(world.holder["period_start"])
    world.dates = {"2027-09-10": (start + datetime.timedelta(days=60)).isoformat(),
                   "2027-01-15": start.isoformat(),
                   "2027-10-20": (start + datetime.timedelta(days=30)).isoformat(),
                   "2027-11-05": (start + datetime.timedelta(days=31)).isoformat()}
    return world


def _rechecks_create(w, ex):
    world = _recheck_due(w)
    return _req(token=world.unit.token, path={"id": world.holder["id"]}, subs=world.dates)


def _rechecks_decide(w, ex):
    world = _recheck_due(w)
    w.api.post(f"/v1/recognitions/{world.holder['id']}/recheck", token=world.unit.token,
               json=_subst(_api_example("rechecks_create"), world.dates), expect=201)
    return _req(token=world.office.token, path={"id": world.holder["id"]})


def _transition_publicity(w, ex):
    d = _draft(w)
    nom = w.factory.nomination(d.round["id"], d.unit)
    return _req(token=d.unit.token, path={"id": nom["id"]})


def _submitted(w):
    world = types.SimpleNamespace()
    world.programme = vote_flow.programme_with_vote(w.factory)
    world.office = w.factory.office(world.programme)
    world.round = w.factory.round(world.programme, world.office, phase="accepting")
    world.unit = w.factory.user("unit")
    nom = w.factory.nomination(world.round["id"], world.unit)
    world.nom = vote_flow._move(w.api, world.unit, nom["id"], "submitted")
    return world


def _in_qualification(w, ex):
    """A submitted nomination (no evidence file: the checklist warns about
    `evidence`) in a round in phase qualification; the office decides."""
    world = _submitted(w)
    w.api.post(f"/v1/rounds/{world.round['id']}/transitions", token=world.office.token,
               json={"to": "qualification"}, expect=200)
    return _req(token=world.office.token, path={"id": world.nom["id"]})


def _session_put(w, ex):
    return _req(token=vote_support.service_token(), path={"id": str(uuid.uuid4())},
                subs={ex["round_id"]: str(uuid.uuid4()), NOMINEE: str(uuid.uuid4())})


def _vote_post(w, ex):
    session_id, nominee_ids = str(uuid.uuid4()), [str(uuid.uuid4())]
    vote_flow.put_session(w.vote, nominee_ids, session_id=session_id)
    return _req(token=vote_flow.voter_token(), path={"id": session_id},
                subs={NOMINEE: nominee_ids[0]}, headers={"X-Forwarded-For": "10.9.8.7"})


def _past_holders_create(w, ex):
    """A programme of its own (certificate numbers are a programme's once);
    the JSON and the CSV example alike."""
    code = w.factory.programme(base="lanshan-craftsman")
    return _req(token=w.factory.office(code).token, path={"code": code})


def _allowance_world(w, ex=None, *, payee=False, batch=False, paid=False):
    """A 环翠 holder in month 1 of its management period, that month run
    (an accrual); with its payee set, a batch of the month made, paid."""
    world = _holder(w)
    start = datetime.date.fromisoformat(world.holder["period_start"])
    w.clock.set(start)
    world.month = start.strftime("%Y-%m")
    world.finance = w.factory.user("finance")
    w.api.post("/v1/allowance/runs", token=world.office.token, json={"month": world.month},
               expect=201)
    if payee:
        w.api.put(f"/v1/allowance/payees/{world.holder['id']}", token=world.office.token,
                  json={"method": "bank", "bank_name": "工行", "account": "6222021234567891234"},
                  expect=200)
    if batch:
        world.batch = w.api.post("/v1/allowance/batches", token=world.finance.token,
                                 json={"month": world.month}, expect=201).body
    if paid:
        w.api.post(f"/v1/allowance/batches/{world.batch['id']}/paid", token=world.finance.token,
                   json={"reference": "B-1", "paid_on": start.isoformat()},
                   headers={"If-Match": f'"{world.batch["version"]}"'}, expect=200)
    return world


def _allowance_runs_create(w, ex):
    world = _allowance_world(w)
    return _req(token=world.office.token, subs={ex["month"]: world.month})


def _allowance_payees_put(w, ex):
    world = _allowance_world(w)
    return _req(token=world.office.token, path={"id": world.holder["id"]})


def _allowance_batches_create(w, ex):
    world = _allowance_world(w, payee=True)
    return _req(token=world.finance.token, subs={ex["month"]: world.month})


def _allowance_batches_pay(w, ex):
    world = _allowance_world(w, payee=True, batch=True)
    return _req(token=world.finance.token, path={"id": world.batch["id"]},
                etag=f"/v1/allowance/batches/{world.batch['id']}",
                subs={ex["paid_on"]: w.clock.today().isoformat()})


def _allowance_batches_return(w, ex):
    world = _allowance_world(w, payee=True, batch=True, paid=True)
    return _req(token=world.finance.token, path={"id": world.batch["id"]},
                subs={ex["recognition_id"]: world.holder["id"]})


def _allowance_recoveries_create(w, ex):
    """Month 1 paid, then taken back by a suspension from its first day: a clawback
    receivable."""
    world = _allowance_world(w, payee=True, batch=True, paid=True)
    w.api.post(f"/v1/recognitions/{world.holder['id']}/suspensions", token=world.office.token,
               json={"reason": "left_skilled_post", "effective_on": w.clock.today().isoformat(),
                     "note": "调离技能岗位。"}, expect=201)
    return _req(token=world.finance.token,
                subs={ex["recognition_id"]: world.holder["id"], ex["months"][0]: world.month,
                      ex["received_on"]: w.clock.today().isoformat()})


SETUPS = {
    ("api", "allowance_runs_create"): _allowance_runs_create,
    ("api", "allowance_recoveries_create"): _allowance_recoveries_create,
    ("api", "allowance_payees_put"): _allowance_payees_put,
    ("api", "allowance_batches_create"): _allowance_batches_create,
    ("api", "allowance_batches_pay"): _allowance_batches_pay,
    ("api", "allowance_batches_return"): _allowance_batches_return,
    ("api", "system_clock_put"): _admin,
    ("api", "auth_token"): _auth_token,
    ("api", "users_create"): _users_create,
    ("api", "users_update"): _users_update,
    ("api", "units_create"): _units_create,
    ("api", "units_update"): _units_update,
    ("api", "experts_put"): _experts_put,
    ("api", "expert_relations_create"): _expert_relations_create,
    ("api", "past_holders_create"): _past_holders_create,
    ("api", "review_assignments_create"): _review_assignments_create,
    ("api", "review_assignments_recuse"): _review_assignments_recuse,
    ("api", "review_assignments_remove"): _review_assignments_remove,
    ("api", "programmes_create"): _programmes_create,
    ("api", "programmes_update_policy"): _programmes_update_policy,
    ("api", "policy_versions_create"): _policy_versions_create,
    ("api", "policy_versions_update"): _policy_versions_update,
    ("api", "rounds_create"): _rounds_create,
    ("api", "rounds_transition"): _rounds_transition,
    ("api", "vote_sessions_create"): _vote_sessions_create,
    ("api", "vote_sessions_put_tally"): _vote_sessions_put_tally,
    ("api", "vote_sessions_resolve"): _vote_sessions_resolve,
    ("api", "calendar_years_put"): _calendar_years_put,
    ("api", "calendar_put_day"): _calendar_put_day,
    ("api", "attachments_create"): _attachments_create,
    ("api", "skill_tests_put"): _skill_tests_put,
    ("api", "reviews_put"): _reviews_put,
    ("api", "shortlists_freeze"): _shortlists_freeze,
    ("api", "objections_create"): _objections_create,
    ("api", "objections_transition"): _objections_transition,
    ("api", "decisions_create"): _decisions_create,
    ("api", "inspections_put"): _inspections_put,
    ("api", "notices_create"): _notices_create,
    ("api", "approvals_create"): _approvals_create,
    ("api", "recognition_notes_create"): _recognition_notes_create,
    ("api", "suspensions_create"): _suspensions_create,
    ("api", "suspensions_lift"): _suspensions_lift,
    ("api", "revocation_cases_create"): _revocation_cases_create,
    ("api", "revocation_steps_create"): _revocation_steps_create,
    ("api", "assessments_create"): _assessments_create,
    ("api", "assessments_review"): _assessments_review,
    ("api", "rechecks_create"): _rechecks_create,
    ("api", "rechecks_decide"): _rechecks_decide,
    ("api", "skill_tests_sheets_create"): _skill_tests_sheets_create,
    ("api", "nominations_create"): _nominations_create,
    ("api", "nominations_update"): _nominations_update,
    ("api", "nominations_transition", "publicity"): _transition_publicity,
    ("api", "nominations_transition", "qualify"): _in_qualification,
    ("api", "nominations_transition", "return"): _in_qualification,
    ("vote", "system_clock_put"): _vote_service,
    ("vote", "session_put"): _session_put,
    ("vote", "vote_post"): _vote_post,
}

# Where the clocks are for an example whose dates are fixed (both services).
CLOCKS = {
    ("api", "rounds_create", "example"): "2026-08-14",
    ("api", "vote_sessions_create", "example"): "2026-11-20",
    ("api", "vote_sessions_put_tally", "example"): "2026-11-20",
    ("api", "vote_sessions_resolve", "example"): "2026-11-20",
    ("api", "nominations_transition", "publicity"): "2026-09-25",
    ("vote", "session_put", "example"): "2026-11-20",
}


def _day_before(date_text):
    return (datetime.date.fromisoformat(date_text) - datetime.timedelta(days=1)).isoformat()


def _api_example(operation_id):
    spec = _spec("api.yaml")
    for _, _, op in spec.operations():
        if op["operationId"] == operation_id:
            media = op["requestBody"]["content"]["application/json"]
            return copy.deepcopy(_examples(media, spec)[0][1])
    raise KeyError(operation_id)


@pytest.mark.parametrize("service,operation_id,method,template,media_type,ex_name,example",
                         _cases())
def test_request_body_example_is_accepted(request, factory, admin_token, clock, service,
                                          operation_id, method, template, media_type, ex_name,
                                          example):
    setup = SETUPS.get((service, operation_id, ex_name)) or SETUPS.get((service, operation_id))
    assert setup, f"no setup for {service} {operation_id}: add one to SETUPS"
    w = types.SimpleNamespace(api=request.getfixturevalue("api"),
                              vote=request.getfixturevalue("vote"),
                              factory=factory, admin=admin_token, clock=clock)
    client = w.api if service == "api" else w.vote
    req = setup(w, example)
    body = _subst(copy.deepcopy(example), req.subs)
    if getattr(req, "year", None):
        body["year"] = req.year[1]
    path = template
    for name, value in req.path.items():
        path = path.replace("{%s}" % name, value)
    assert "{" not in path, f"{path}: a path parameter the setup did not fill"
    headers = dict(getattr(req, "headers", None) or {})
    headers["Idempotency-Key"] = str(uuid.uuid4())
    if getattr(req, "etag", None):
        headers["If-Match"] = support.etag_of(
            client.get(req.etag, token=req.token, expect=200))
    kw = {"json": body} if media_type == "application/json" else {
        "data": body.encode("utf-8"), "headers": {**headers, "Content-Type": media_type}}
    kw.setdefault("headers", headers)
    r = client.request(method, path, token=req.token, params=getattr(req, "query", None), **kw)
    assert 200 <= r.status_code < 300, \
        f"{method} {template} ({ex_name}): {r.status_code} {r.text[:600]}"


@pytest.mark.parametrize("name", ["api.yaml", "voting.yaml"])
def test_every_request_body_has_an_example(name):
    spec = _spec(name)
    missing = []
    for method, template, op in spec.operations():
        body = op.get("requestBody")
        if body is not None and not any(_examples(m, spec) for m in body["content"].values()):
            missing.append(f"{method} {template} ({op['operationId']})")
    assert not missing, f"request bodies without an example in {name}: {missing}"


@pytest.mark.parametrize("name", ["api.yaml", "voting.yaml"])
def test_every_write_example_has_a_setup(name):
    service = "api" if name == "api.yaml" else "vote"
    spec = _spec(name)
    ops = {op["operationId"] for method, _, op in spec.operations()
           if method in WRITE_METHODS and op.get("requestBody") is not None}
    missing = sorted(op for op in ops if not any(k[:2] == (service, op) for k in SETUPS))
    assert not missing, f"operations with an example but no setup: {missing}"
