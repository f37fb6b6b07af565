# SPDX-License-Identifier: MIT
"""The route tables and the contracts agree: every row of api/routes.def and
voting/routes.def is an operation of openapi/api.yaml or voting.yaml (as
bundled by tools/embed_spec.py, the document /openapi.json serves) whose
operationId is the row's handler, and the documents describe no operation
the service does not route."""

import os
import pathlib
import re

import pytest

ROUTE_RE = re.compile(r'ROUTE\("(\w+)",\s*"([^"]+)",\s*(\w+)')


def _rows(rel):
    repo = pathlib.Path(os.environ.get("JIANGXIN_TEST_REPO")
                        or pathlib.Path(__file__).resolve().parents[2])
    text = (repo / rel).read_text(encoding="utf-8")
    return {(m.group(1), re.sub(r":(\w+)", r"{\1}", m.group(2))): m.group(3)
            for m in ROUTE_RE.finditer(text)}


@pytest.mark.parametrize("routes,spec_name", [("api/routes.def", "api_spec"),
                                              ("voting/routes.def", "vote_spec")])
def test_route_table_equals_contract(request, routes, spec_name):
    spec = request.getfixturevalue(spec_name)
    rows = _rows(routes)
    assert len(rows) > 3, f"no ROUTE rows read from {routes}"
    documented = {(m, t): op.get("operationId") for m, t, op in spec.operations()}
    assert rows == documented
