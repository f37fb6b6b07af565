# SPDX-License-Identifier: MIT
"""Issue 13: every route of the steps after the shortlist × every role.

A write is tried with an empty body: a role allowed through gets the
validation or state answer (400, 409 or 422), never 401, 403 or 404, and
nothing changes; a role outside it gets 401 (no token), 403 (wrong role)
or 404 (a round outside the user's programmes, answered like an unknown
one). The public routes answer everyone alike."""

import pytest

import decision_flow as df

PRINCIPALS = ["anonymous", "admin", "office", "office_other", "leader", "leader_other", "unit",
              "expert", "finance", "auditor"]
OK = "ok"  # allowed: 2xx for a read; 400/409/422 for a write with an empty body
# anonymous admin office office_other leader leader_other unit expert finance auditor
MATRIX = {
    "GET /v1/rounds/{id}/decision-pack": [401, OK, OK, 404, OK, 404, 403, 403, 403, 403],
    "GET /v1/rounds/{id}/decisions": [401, OK, OK, 404, OK, 404, 403, 403, 403, OK],
    "POST /v1/rounds/{id}/decisions": [401, 403, 403, 403, OK, 404, 403, 403, 403, 403],
    "PUT /v1/nominations/{nom}/inspection": [401, 403, OK, 404, 403, 403, 403, 403, 403, 403],
    "POST /v1/rounds/{id}/notices": [401, 403, OK, 404, 403, 403, 403, 403, 403, 403],
    "POST /v1/rounds/{id}/approval": [401, 403, OK, 404, 403, 403, 403, 403, 403, 403],
    "POST /v1/rounds/{id}/recognitions": [401, 403, OK, 404, 403, 403, 403, 403, 403, 403],
    "GET /v1/rounds/{id}/recognitions": [401, OK, OK, 404, OK, 404, 403, 403, 403, OK],
    "GET /v1/notices": [OK] * 10,
    "GET /v1/notices/{notice}": [OK] * 10,
}


@pytest.fixture(scope="module")
def world(api, factory):
    w = df.noticed_round(api, factory, 1, awards=1)
    other = factory.programme(base=df.HC)
    tokens = {"anonymous": None, "admin": factory.admin.get(), "office": w.office.token,
              "office_other": factory.office(other).token, "leader": w.leader.token,
              "leader_other": factory.user("leader", programmes=[other]).token,
              "unit": w.unit.token, "expert": factory.user("expert").token,
              "finance": factory.user("finance").token, "auditor": factory.user("auditor").token}
    w.tokens = tokens
    return w


def snapshot(api, w):
    """What a refused write must leave alone."""
    r = api.get(f"/v1/rounds/{w.round['id']}", token=w.office.token, expect=200).body
    n = api.get(f"/v1/nominations/{w.ids[0]}", token=w.office.token, expect=200).body
    return r["phase"], r["version"], n["state"], n["version"]


CASES = [(e, p, want) for e, row in MATRIX.items() for p, want in zip(PRINCIPALS, row)]


def test_matrix_covers_every_route():
    assert all(len(row) == len(PRINCIPALS) for row in MATRIX.values())


@pytest.mark.parametrize("endpoint,principal,want", CASES, ids=[f"{e}-{p}" for e, p, _ in CASES])
def test_access(api, world, endpoint, principal, want):
    method, tpl = endpoint.split(" ", 1)
    path = (tpl.replace("{id}", world.round["id"]).replace("{nom}", world.ids[0])
            .replace("{notice}", world.notice["id"]))
    before = snapshot(api, world)
    kw = {"json": {}} if method in ("POST", "PUT") and not path.endswith("/recognitions") else {}
    r = api.request(method, path, token=world.tokens[principal], **kw)
    if want == OK:
        allowed = (200,) if method == "GET" else (400, 409, 422)
        assert r.status_code in allowed, (endpoint, principal, r.status_code, r.text[:300])
    else:
        assert r.status_code == want, (endpoint, principal, r.status_code, r.text[:300])
    assert snapshot(api, world) == before


def test_no_unit_or_expert_sees_a_decision_or_certificate(api, world):
    """Nothing of the steps reaches a unit or an expert, in any list."""
    for who in ("unit", "expert"):
        for path in (f"/v1/rounds/{world.round['id']}/decision-pack",
                     f"/v1/rounds/{world.round['id']}/decisions",
                     f"/v1/rounds/{world.round['id']}/recognitions"):
            r = api.get(path, token=world.tokens[who], expect=403)
            assert "nomination" not in r.text and world.ids[0] not in r.text


def test_public_notice_holds_no_private_field(api, world):
    text = api.get(f"/v1/notices/{world.notice['id']}", expect=200).text
    nom = api.get(f"/v1/nominations/{world.ids[0]}", token=world.office.token, expect=200).body
    assert nom["id_number"] and nom["id_number"] not in text
    assert nom["phone"] and nom["phone"] not in text
    assert world.ids[0] not in text  # not even the internal id
