# SPDX-License-Identifier: MIT
"""Every validation error at once: a body with several invalid members gets
one 422 that lists all of them (each with its pointer and machine code), not
just the first; unknown members are still a 400 alone. Units, users and
programmes here (nominations and rounds alongside their own tests). Also
the language of details: Chinese by default, English on request."""

import re

import support
from support import etag_of, pointers

LANSHAN = "lanshan-craftsman"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _codes(problem):
    return {e["pointer"]: e["code"] for e in problem.get("errors") or []}


def _bad_check(code):
    """The same code with a wrong check character."""
    return support.wrong_check(code)


def test_unit_create_lists_every_fault(api, admin_token, db_count):
    before = db_count("units")
    body = {"code": _bad_check(support.new_uscc()), "name": "", "kind": "spaceship"}
    r = api.post("/v1/units", token=admin_token, json=body, expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:validation-failed"
    assert sorted(pointers(r.body)) == ["/code", "/kind", "/name"]
    codes = _codes(r.body)
    assert codes["/code"] == "unit_code_check_character"
    assert codes["/kind"] == "unknown_unit_kind"
    assert codes["/name"]
    assert db_count("units") == before


def test_unit_code_faults_have_their_own_codes(api, admin_token):
    good = support.new_uscc()
    cases = [(good.lower(), "unit_code_lower_case"),
             (good[:17] + "I", "unit_code_character"),
             (_bad_check(good), "unit_code_check_character")]
    for code, want in cases:
        if code == good.lower() and code == good:
            continue  # an all-digit code has no lower case
        r = api.post("/v1/units", token=admin_token,
                     json={"code": code, "name": "代码测试", "kind": "enterprise"}, expect=422)
        assert _codes(r.body) == {"/code": want}, code


def test_unit_unknown_member_is_400_alone(api, admin_token):
    body = {"code": "short", "name": "", "kind": "spaceship", "colour": "red"}
    r = api.post("/v1/units", token=admin_token, json=body, expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:unknown-field"
    assert pointers(r.body) == ["/colour"]


def test_unit_patch_lists_every_fault(api, admin_token, factory):
    u = factory.unit()
    r = api.patch(f"/v1/units/{u['id']}", token=admin_token, json={"name": "", "kind": "castle"},
                  headers={"If-Match": '"1"'}, expect=422)
    assert sorted(pointers(r.body)) == ["/kind", "/name"]
    assert _codes(r.body)["/kind"] == "unknown_unit_kind"
    assert api.get(f"/v1/units/{u['id']}", token=admin_token, expect=200).body["version"] == 1


def test_user_create_lists_every_fault(api, admin_token, db_count):
    before = db_count("users")
    body = {"username": "-Bad Name-", "password": "short", "role": "emperor",
            "programmes": [LANSHAN, LANSHAN]}
    r = api.post("/v1/users", token=admin_token, json=body, expect=422)
    assert sorted(pointers(r.body)) == ["/password", "/programmes", "/role", "/username"]
    codes = _codes(r.body)
    assert codes["/username"] == "username_format"
    assert codes["/role"] == "unknown_role"
    assert codes["/programmes"] == "programmes_not_distinct"
    assert db_count("users") == before


def test_user_create_role_and_unit_faults_together(api, admin_token, factory):
    unit = factory.unit()
    body = {"username": "UPPER", "password": support.new_password(), "role": "expert",
            "unit_id": unit["id"]}
    r = api.post("/v1/users", token=admin_token, json=body, expect=422)
    assert _codes(r.body) == {"/username": "username_format", "/unit_id": "unit_id_not_allowed"}
    body = {"username": f"t-unit-{support.rand_hex(8)}", "password": "short", "role": "unit"}
    r = api.post("/v1/users", token=admin_token, json=body, expect=422)
    assert sorted(pointers(r.body)) == ["/password", "/unit_id"]
    assert _codes(r.body)["/unit_id"] == "unit_id_required"


def test_user_create_unknown_references_together(api, admin_token):
    body = {"username": f"t-unit-{support.rand_hex(8)}", "password": support.new_password(),
            "role": "unit", "unit_id": "00000000-0000-4000-8000-000000000000",
            "programmes": ["no-such-programme"]}
    r = api.post("/v1/users", token=admin_token, json=body, expect=422)
    assert _codes(r.body) == {"/unit_id": "unknown_unit", "/programmes": "unknown_programme"}


def test_user_patch_lists_every_fault(api, admin_token, factory):
    u = factory.user("expert", login_now=False)
    path = f"/v1/users/{u.id}"
    etag = etag_of(api.get(path, token=admin_token, expect=200))
    r = api.patch(path, token=admin_token, headers={"If-Match": etag},
                  json={"password": "short", "role": "emperor", "programmes": ["a", "a"],
                        "disabled": "yes"}, expect=422)
    assert sorted(pointers(r.body)) == ["/disabled", "/password", "/programmes", "/role"]
    assert _codes(r.body)["/role"] == "unknown_role"
    assert etag_of(api.get(path, token=admin_token, expect=200)) == etag


def test_programme_create_lists_code_and_policy_faults(api, admin_token):
    policy = api.get(f"/v1/programmes/{LANSHAN}", expect=200).body["policy"]
    body = {"code": "Bad Code", "name": "", "name_en": "Bad",
            "policy": dict(policy, cycle_years="2")}
    r = api.post("/v1/programmes", token=admin_token, json=body, expect=422)
    assert {"/code", "/name", "/policy/cycle_years"} <= set(pointers(r.body))
    assert _codes(r.body)["/code"] == "programme_code_format"


def test_details_are_chinese_by_default_and_english_on_request(api, admin_token):
    body = {"code": support.new_uscc(), "name": "语言测试", "kind": "spaceship"}
    zh = api.post("/v1/units", token=admin_token, json=body, expect=422).body
    en = api.post("/v1/units", token=admin_token, json=body,
                  headers={"Accept-Language": "en"}, expect=422).body
    assert zh["code"] == en["code"] == "unknown_unit_kind"
    assert HAN.search(zh["errors"][0]["detail"]) and HAN.search(zh["title"])
    assert en["errors"][0]["detail"] == "unknown unit kind"
    assert not HAN.search(en["title"])


def test_problem_detail_languages_for_a_conflict(api, admin_token, factory):
    u = factory.unit()
    body = {"code": u["code"], "name": "重复", "kind": "enterprise"}
    zh = api.post("/v1/units", token=admin_token, json=body, expect=409).body
    en = api.post("/v1/units", token=admin_token, json=body,
                  headers={"Accept-Language": "en"}, expect=409).body
    assert zh["code"] == en["code"] == "duplicate_unit_code"
    assert HAN.search(zh["detail"])
    assert en["detail"] == f"a unit with code {u['code']} exists"
