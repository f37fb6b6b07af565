# SPDX-License-Identifier: MIT
"""The JSON Schemas of the nightly export (issue 16), published in
openapi/export/: each is a valid Draft 2020-12 schema, and a full export of
the test database (with a 岚山 round whose candidates hold their titles:
rounds, nominees, decisions, a notice, recognitions) and the incremental
run after it match them: manifest.json, every line of changes.ndjson (its
row against the dataset's schema too) and every row of every <ds>.json."""

import json
import pathlib

import pytest
from jsonschema import Draft202012Validator, RefResolver

import decision_flow as df
import support
from test_export import DATASETS, changes, export, manifest, rows_json, today_dir

SCHEMA_DIR = pathlib.Path(__file__).resolve().parents[2] / "openapi" / "export"
NAMES = DATASETS + ["changes", "manifest"]


@pytest.fixture(scope="module")
def api_bin():
    return support.need_env("JIANGXIN_TEST_API_BIN")


@pytest.fixture(scope="module")
def schemas():
    loaded = {n: json.loads((SCHEMA_DIR / f"{n}.schema.json").read_text(encoding="utf-8"))
              for n in NAMES}
    store = {s["$id"]: s for s in loaded.values()}
    return {n: Draft202012Validator(s, resolver=RefResolver(s["$id"], s, store=store))
            for n, s in loaded.items()}


@pytest.fixture(scope="module")
def holders(api, factory):
    return df.lanshan_recognized(api, factory, 2)


def test_schema_files_are_valid_and_closed():
    files = sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json"))
    assert files == sorted(f"{n}.schema.json" for n in NAMES)
    for n in NAMES:
        s = json.loads((SCHEMA_DIR / f"{n}.schema.json").read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(s)
        assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert s["$id"].endswith(f"/{n}.schema.json")
        assert s["additionalProperties"] is False


def errors(validator, doc):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(doc)]


def check_export(d, schemas):
    m = manifest(d)
    assert errors(schemas["manifest"], m) == []
    counts = {}
    for ds in DATASETS:
        rows = rows_json(d, ds)
        counts[ds] = len(rows)
        for i, row in enumerate(rows):
            assert errors(schemas[ds], row) == [], f"{ds}.json row {i}: {row}"
    lines = changes(d)
    for i, line in enumerate(lines):
        assert errors(schemas["changes"], line) == [], f"changes.ndjson line {i}: {line}"
        if "row" in line:
            assert errors(schemas[line["dataset"]], line["row"]) == []
    return counts, lines


def test_export_matches_the_schemas(api_bin, clock, holders, tmp_path, schemas,
                                    superuser_url):
    export(api_bin, clock, tmp_path, "--full")
    counts, lines = check_export(today_dir(clock, tmp_path), schemas)
    # Our round gives rows to these datasets (the others may be empty here).
    for ds in ("programmes", "rounds", "nominees", "decisions", "notices", "recognitions"):
        assert counts[ds] > 0, ds
    assert len(lines) == sum(counts.values())
    regs = {x["certificate_number"] for x in rows_json(today_dir(clock, tmp_path), "recognitions")}
    assert {c["certificate_number"] for c in holders.issued} <= regs

    # A change after it (planted in SQL, triggers off for the one session, as
    # test_export's CSV test does; the clock is not moved, so the runs of
    # test_export stay the latest): the incremental run's upsert matches too.
    c = holders.issued[0]
    support.psql(superuser_url,
                 "SET session_replication_role = replica; UPDATE recognitions SET "
                 f"employer = '变更后单位' WHERE certificate_number = '{c['certificate_number']}'")
    export(api_bin, clock, tmp_path)
    d = today_dir(clock, tmp_path)
    assert manifest(d)["full"] is False
    _, lines = check_export(d, schemas)
    assert [x["row"]["employer"] for x in lines if x["dataset"] == "recognitions"
            and x["key"] == c["certificate_number"]] == ["变更后单位"]
