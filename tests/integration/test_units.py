# SPDX-License-Identifier: MIT
"""Recommending units: GB 32100 code validation (check character, alphabet,
length), duplicates, list filters, ETag/If-Match on PATCH."""

import uuid

import pytest

import support
from support import etag_of, pointers


def test_generator_matches_known_vectors():
    # Guards the test's own GB 32100 generator with the standard's example.
    assert support.uscc_check_char("91350100M000100Y4") == "3"
    assert support.uscc_check_char("91110000600037341") == "L"
    for _ in range(200):
        assert support.uscc_valid(support.new_uscc())


def test_create_unit_201(api, admin_token):
    code = support.new_uscc()
    r = api.post("/v1/units", token=admin_token,
                 json={"code": code, "name": "岚山测试钢铁有限公司", "kind": "enterprise"},
                 expect=201)
    u = r.body
    assert u["code"] == code and u["name"] == "岚山测试钢铁有限公司" and u["kind"] == "enterprise"
    assert u["version"] == 1
    assert r.headers["Location"].endswith(f"/v1/units/{u['id']}")
    assert etag_of(r) == '"1"'
    got = api.get(f"/v1/units/{u['id']}", token=admin_token, expect=200)
    assert got.body == u
    assert etag_of(got) == '"1"'


def test_office_can_create_unit(api, factory):
    office = factory.user("office")
    r = api.post("/v1/units", token=office.token,
                 json={"code": support.new_uscc(), "name": "街道办测试", "kind": "subdistrict"},
                 expect=201)
    assert r.body["kind"] == "subdistrict"


@pytest.mark.parametrize("kind", ["enterprise", "township", "subdistrict", "agency",
                                  "institution", "other"])
def test_every_unit_kind_is_accepted(factory, kind):
    assert factory.unit(kind=kind)["kind"] == kind


def test_bad_check_character_is_422_pointing_at_code(api, admin_token, db_count):
    before = db_count("units")
    code = support.wrong_check(support.new_uscc())
    r = api.post("/v1/units", token=admin_token,
                 json={"code": code, "name": "校验位错误", "kind": "enterprise"}, expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:validation-failed"
    assert "/code" in pointers(r.body)
    assert db_count("units") == before


def test_standard_counter_example_is_rejected(api, admin_token):
    r = api.post("/v1/units", token=admin_token,
                 json={"code": "91350100M000100Y4Z", "name": "标准反例", "kind": "enterprise"},
                 expect=422)
    assert "/code" in pointers(r.body)


@pytest.mark.parametrize("code", [
    "9135010OM000100Y43",     # letter O is not in the alphabet
    "91350100M000100Y4",      # 17 characters
    "91350100M000100Y431",    # 19 characters
    "LOWERCASE",              # a fresh valid code in lower case (the schema says upper)
    "",
    " 91350100M000100Y43",
])
def test_malformed_code_is_422(api, admin_token, code):
    if code == "LOWERCASE":
        code = next(c for c in iter(support.new_uscc, None) if any(x.isalpha() for x in c)).lower()
    r = api.post("/v1/units", token=admin_token,
                 json={"code": code, "name": "格式错误", "kind": "enterprise"}, expect=422)
    assert "/code" in pointers(r.body)


def test_duplicate_code_is_409(api, admin_token, factory, db_count):
    u = factory.unit()
    before = db_count("units")
    r = api.post("/v1/units", token=admin_token,
                 json={"code": u["code"], "name": "重复代码", "kind": "other"}, expect=409)
    assert r.body["type"] == "urn:jiangxin:problem:conflict"
    assert db_count("units") == before


def test_bad_kind_is_422(api, admin_token):
    r = api.post("/v1/units", token=admin_token,
                 json={"code": support.new_uscc(), "name": "x", "kind": "company"}, expect=422)
    assert "/kind" in pointers(r.body)


@pytest.mark.parametrize("name", ["", "名" * 201])
def test_bad_name_is_422(api, admin_token, name):
    r = api.post("/v1/units", token=admin_token,
                 json={"code": support.new_uscc(), "name": name, "kind": "other"}, expect=422)
    assert "/name" in pointers(r.body)


def test_get_unknown_unit_is_404(api, admin_token):
    api.get(f"/v1/units/{uuid.uuid4()}", token=admin_token, expect=404)


def test_list_filters_by_kind_and_name(api, admin_token, factory):
    tag = support.rand_hex(10)
    a = factory.unit(kind="township", name=f"甲镇-{tag}")
    b = factory.unit(kind="agency", name=f"乙局-{tag}")
    r = api.get("/v1/units", params={"q": tag}, token=admin_token, expect=200)
    assert {u["id"] for u in r.body["items"]} == {a["id"], b["id"]}
    r = api.get("/v1/units", params={"q": tag, "kind": "agency"}, token=admin_token, expect=200)
    assert [u["id"] for u in r.body["items"]] == [b["id"]]
    r = api.get("/v1/units", params={"q": f"乙局-{tag}"}, token=admin_token, expect=200)
    assert [u["id"] for u in r.body["items"]] == [b["id"]]
    items = support.list_all(api, "/v1/units?kind=township", admin_token)
    assert all(u["kind"] == "township" for u in items)
    assert a["id"] in {u["id"] for u in items}


def test_list_name_filter_treats_wildcards_literally(api, admin_token, factory):
    tag = support.rand_hex(10)
    factory.unit(name=f"通配-{tag}")
    r = api.get("/v1/units", params={"q": f"%{tag[:3]}_"}, token=admin_token, expect=200)
    assert r.body["items"] == []


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "limit=x", "kind=company",
                                   "cursor=%00", "cursor=not-issued-by-server"])
def test_bad_unit_list_parameter_is_400(api, admin_token, query):
    r = api.get(f"/v1/units?{query}", token=admin_token, expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:invalid-parameter"


def test_units_pagination_walks_every_unit_once(api, admin_token, factory):
    tag = support.rand_hex(10)
    made = {factory.unit(name=f"分页-{tag}-{i}")["id"] for i in range(5)}
    seen = []
    cursor = None
    for _ in range(10):
        params = {"q": tag, "limit": 2}
        if cursor:
            params["cursor"] = cursor
        r = api.get("/v1/units", params=params, token=admin_token, expect=200)
        seen += [u["id"] for u in r.body["items"]]
        cursor = r.body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(made)


def test_patch_unit_etag_rules(api, admin_token, factory):
    u = factory.unit(kind="enterprise")
    path = f"/v1/units/{u['id']}"
    r = api.patch(path, token=admin_token, json={"name": "新名称"}, expect=428)
    assert r.body["type"] == "urn:jiangxin:problem:precondition-required"
    r = api.patch(path, token=admin_token, json={"name": "新名称"},
                  headers={"If-Match": '"99"'}, expect=412)
    assert r.body["type"] == "urn:jiangxin:problem:precondition-failed"
    assert api.get(path, token=admin_token, expect=200).body["name"] == u["name"]
    r = api.patch(path, token=admin_token, json={"name": "新名称", "kind": "institution"},
                  headers={"If-Match": '"1"'}, expect=200)
    assert r.body["name"] == "新名称" and r.body["kind"] == "institution"
    assert r.body["version"] == 2 and etag_of(r) == '"2"'
    assert r.body["code"] == u["code"]
    got = api.get(path, token=admin_token, expect=200)
    assert got.body == r.body and etag_of(got) == '"2"'
    api.patch(path, token=admin_token, json={"name": "再改"}, headers={"If-Match": '"1"'},
              expect=412)


def test_patch_unit_code_is_not_allowed(api, admin_token, factory):
    u = factory.unit()
    r = api.patch(f"/v1/units/{u['id']}", token=admin_token, json={"code": support.new_uscc()},
                  headers={"If-Match": '"1"'}, expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:unknown-field"
    assert "/code" in pointers(r.body)


def test_patch_unit_bad_kind_is_422(api, admin_token, factory):
    u = factory.unit()
    r = api.patch(f"/v1/units/{u['id']}", token=admin_token, json={"kind": 7},
                  headers={"If-Match": '"1"'}, expect=422)
    assert "/kind" in pointers(r.body)
    assert api.get(f"/v1/units/{u['id']}", token=admin_token, expect=200).body["version"] == 1
