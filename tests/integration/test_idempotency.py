# SPDX-License-Identifier: MIT
"""Idempotency-Key on creating POSTs: a repeat replays the first answer
(`Idempotent-Replayed: true`) and creates nothing; the same key with another
body is 422 idempotency-key-reused; keys are scoped per caller."""

import uuid

import pytest

import support
from support import etag_of


def _unit_body(tag=None):
    return {"code": support.new_uscc(), "name": f"幂等测试-{tag or support.rand_hex(8)}",
            "kind": "enterprise"}


def _count_named(api, token, name):
    return len(api.get("/v1/units", params={"q": name}, token=token, expect=200).body["items"])


def test_same_key_same_body_replays(api, admin_token, db_count):
    key = str(uuid.uuid4())
    body = _unit_body()
    first = api.post("/v1/units", token=admin_token, json=body,
                     headers={"Idempotency-Key": key}, expect=201)
    assert first.headers.get("Idempotent-Replayed") in (None, "false")
    units, audit = db_count("units"), db_count("audit_events")
    again = api.post("/v1/units", token=admin_token, json=body,
                     headers={"Idempotency-Key": key}, expect=201)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.body == first.body
    assert again.headers["Location"] == first.headers["Location"]
    assert etag_of(again) == etag_of(first)
    assert (db_count("units"), db_count("audit_events")) == (units, audit)
    assert _count_named(api, admin_token, body["name"]) == 1


def test_replay_returns_the_first_answer_even_after_a_change(api, admin_token):
    key = str(uuid.uuid4())
    body = _unit_body()
    first = api.post("/v1/units", token=admin_token, json=body,
                     headers={"Idempotency-Key": key}, expect=201)
    api.patch(f"/v1/units/{first.body['id']}", token=admin_token, json={"name": "已改名"},
              headers={"If-Match": etag_of(first)}, expect=200)
    again = api.post("/v1/units", token=admin_token, json=body,
                     headers={"Idempotency-Key": key}, expect=201)
    assert again.body == first.body
    assert again.headers.get("Idempotent-Replayed") == "true"


def test_same_key_other_body_is_422(api, admin_token, db_count):
    key = str(uuid.uuid4())
    api.post("/v1/units", token=admin_token, json=_unit_body(),
             headers={"Idempotency-Key": key}, expect=201)
    other = _unit_body()
    units = db_count("units")
    r = api.post("/v1/units", token=admin_token, json=other,
                 headers={"Idempotency-Key": key}, expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:idempotency-key-reused"
    assert r.headers.get("Idempotent-Replayed") != "true"
    assert db_count("units") == units
    assert _count_named(api, admin_token, other["name"]) == 0


def test_same_body_with_reordered_members_is_a_replay_or_a_reuse_not_a_new_unit(api,
                                                                                admin_token,
                                                                                db_count):
    key = str(uuid.uuid4())
    body = _unit_body()
    api.post("/v1/units", token=admin_token, json=body, headers={"Idempotency-Key": key},
             expect=201)
    units = db_count("units")
    reordered = {k: body[k] for k in reversed(list(body))}
    r = api.post("/v1/units", token=admin_token, json=reordered,
                 headers={"Idempotency-Key": key}, expect=(201, 422))
    if r.status_code == 201:
        assert r.headers.get("Idempotent-Replayed") == "true"
    assert db_count("units") == units


def test_keys_are_scoped_per_caller(api, admin_token, factory):
    office = factory.user("office")
    key = str(uuid.uuid4())
    body = _unit_body()
    mine = api.post("/v1/units", token=admin_token, json=body,
                    headers={"Idempotency-Key": key}, expect=201)
    # Another caller with the same key and body is not served the admin's answer:
    # the request is processed, and the code is already taken.
    theirs = api.post("/v1/units", token=office.token, json=body,
                      headers={"Idempotency-Key": key}, expect=409)
    assert theirs.headers.get("Idempotent-Replayed") != "true"
    # And with another body it is simply a new request, not a reused key.
    other = _unit_body()
    created = api.post("/v1/units", token=office.token, json=other,
                       headers={"Idempotency-Key": key}, expect=201)
    assert created.body["id"] != mine.body["id"]
    assert created.headers.get("Idempotent-Replayed") != "true"


def test_users_create_is_idempotent_too(api, admin_token, db_count):
    key = str(uuid.uuid4())
    body = {"username": f"t-expert-{support.rand_hex(10)}", "password": support.new_password(),
            "role": "expert"}
    first = api.post("/v1/users", token=admin_token, json=body,
                     headers={"Idempotency-Key": key}, expect=201)
    users = db_count("users")
    again = api.post("/v1/users", token=admin_token, json=body,
                     headers={"Idempotency-Key": key}, expect=201)
    assert again.body == first.body
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert db_count("users") == users


def test_without_key_no_replay(api, admin_token):
    body = _unit_body()
    api.post("/v1/units", token=admin_token, json=body, expect=201)
    r = api.post("/v1/units", token=admin_token, json=body, expect=409)
    assert r.headers.get("Idempotent-Replayed") != "true"


@pytest.mark.parametrize("key", ["k" * 256])
def test_bad_key_length_is_400(api, admin_token, db_count, key):
    units = db_count("units")
    r = api.post("/v1/units", token=admin_token, json=_unit_body(),
                 headers={"Idempotency-Key": key}, expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:invalid-parameter"
    assert db_count("units") == units


def test_key_of_255_chars_is_accepted(api, admin_token):
    api.post("/v1/units", token=admin_token, json=_unit_body(),
             headers={"Idempotency-Key": support.rand_hex(255)}, expect=201)
