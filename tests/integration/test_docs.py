# SPDX-License-Identifier: MIT
"""GET /docs on both services: the Redoc page built by openapi/build-docs.sh
from the bundled contract. It is HTML, carries the whole contract (schemas,
operations, problem types) with only internal $refs, loads nothing from
another origin (a Content-Security-Policy keeps it so), and is current: the
document inside it is the bundle of today's YAML, and regenerating it
(npm tooling, present in the suite) gives the committed bytes."""

import json
import pathlib
import re
import shutil
import subprocess

import pytest

import conftest
import support

DEFINITION_RE = re.compile(r"const __redoc_definition = (\{.*?\});\n", re.S)
# An http(s) or protocol-relative URL in a src or href attribute.
EXTERNAL_RE = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]*""", re.I)


def _page(client):
    r = client.get("/docs", expect=200)
    assert r.headers["Content-Type"].startswith("text/html"), r.headers["Content-Type"]
    return r


def _definition(html):
    m = DEFINITION_RE.search(html)
    assert m, "no __redoc_definition in the page"
    return json.loads(m.group(1))


def _refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


@pytest.fixture(params=["api", "vote"])
def service(request):
    spec = request.getfixturevalue(f"{request.param}_spec")
    return request.getfixturevalue(request.param), spec


def test_docs_page_is_html_with_a_fitting_csp(service):
    client, _ = service
    r = _page(client)
    assert r.text.lstrip().lower().startswith("<!doctype html>")
    csp = r.headers.get("Content-Security-Policy", "")
    assert "default-src 'none'" in csp, csp
    for directive in ("script-src", "style-src", "img-src", "connect-src"):
        sources = re.search(directive + r" ([^;]*)", csp)
        assert sources, f"{directive} missing from {csp!r}"
        assert "http" not in sources.group(1) and "*" not in sources.group(1), csp


def test_docs_page_carries_the_contract(service):
    client, spec = service
    html = _page(client).text
    definition = _definition(html)
    assert definition == spec.doc, "the page renders another document than openapi/*.yaml's " \
        "bundle: run openapi/build-docs.sh"
    schemas = list(spec.doc["components"]["schemas"])
    for name in schemas[:3] + schemas[-3:] + ["Problem"]:
        assert f'"{name}"' in html, f"schema {name} not in the page"
    for _, _, op in spec.operations():
        assert f'"{op["operationId"]}"' in html, f"operation {op['operationId']} not in the page"
    for t in spec.doc["x-problem-types"]:
        assert t["type"] in html


def test_docs_page_has_no_file_refs(service):
    client, _ = service
    refs = set(_refs(_definition(_page(client).text)))
    assert refs, "no $ref at all: not the bundled contract?"
    assert all(ref.startswith("#/") for ref in refs), sorted(r for r in refs if r[:2] != "#/")
    assert ".yaml#" not in _page(client).text


def test_docs_page_loads_nothing_from_elsewhere(service):
    client, _ = service
    html = _page(client).text
    assert not EXTERNAL_RE.findall(html), EXTERNAL_RE.findall(html)[:5]
    assert "cdn.redocly.com/redoc/v" not in html, "the Redoc script is not inlined"


def test_committed_docs_pages_are_current(tmp_path):
    """Regenerates both pages into a temporary directory: the same bytes as
    openapi/docs/*.html (else run openapi/build-docs.sh and commit)."""
    openapi = conftest.repo_root() / "openapi"
    if not (openapi / "node_modules" / ".bin" / "redocly").exists() or not shutil.which("node"):
        support.unreachable("openapi/node_modules (npm ci) or node is missing")
    subprocess.run([str(openapi / "build-docs.sh"), str(tmp_path)], check=True,
                   capture_output=True, timeout=300)
    for name in ("api.html", "voting.html"):
        fresh = (tmp_path / name).read_bytes()
        committed = pathlib.Path(openapi / "docs" / name).read_bytes()
        assert fresh == committed, f"openapi/docs/{name} is stale: run openapi/build-docs.sh"
