# SPDX-License-Identifier: MIT
"""Problems a front end can show: every machine code the sources can put in
a problem (tools/problem_codes.py reads them out of the C) is documented in
the contract as ProblemCode's enum, which the response checks apply to every
problem the suite provokes, and the contract documents no code the service
cannot send. Details come in Chinese by default and in English on request,
with the same codes."""

import json
import subprocess
import sys

import pytest

from conftest import repo_root


def source_codes(service):
    out = subprocess.run([sys.executable, str(repo_root() / "tools" / "problem_codes.py"),
                          service], check=True, capture_output=True, text=True).stdout
    return set(json.loads(out))


@pytest.mark.parametrize("service,spec_name", [("api", "api_spec"), ("vote", "vote_spec")])
def test_every_code_is_documented_and_none_else(service, spec_name, request):
    spec = request.getfixturevalue(spec_name)
    documented = spec.doc["components"]["schemas"]["ProblemCode"]["enum"]
    assert documented == sorted(documented), "keep ProblemCode's enum sorted"
    codes = source_codes(service)
    assert codes - set(documented) == set(), "codes the sources use but the contract lacks"
    assert set(documented) - codes == set(), "codes the contract lists but no source sends"


def test_problem_and_items_use_the_enum(api_spec):
    schemas = api_spec.doc["components"]["schemas"]
    assert schemas["Problem"]["properties"]["code"]["$ref"].endswith("/ProblemCode")
    assert schemas["ProblemError"]["properties"]["code"]["$ref"].endswith("/ProblemCode")


def test_detail_language_follows_accept_language(api):
    zh = api.get("/v1/nominations/not-a-uuid", expect=401)
    en = api.get("/v1/nominations/not-a-uuid", expect=401, headers={"Accept-Language": "en"})
    assert zh.body["code"] == en.body["code"]
    assert zh.body["title"] == "未认证或令牌无效" and en.body["title"] == "Authentication required"


def test_unknown_path_problem_in_both_languages(api):
    zh = api.get("/v1/no-such-thing", expect=404, check="problem")
    en = api.get("/v1/no-such-thing", expect=404, check="problem",
                 headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert zh.body["code"] == en.body["code"]
    assert any("\u4e00" <= c <= "\u9fff" for c in zh.body["detail"])
    assert en.body["detail"].isascii()
