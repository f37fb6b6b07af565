# SPDX-License-Identifier: MIT
"""The public read API (issue 16): anonymous routes under /v1/public/ that
show only what the public projections (db/functions/18_public.sql) allow —
the visibility rules themselves are tested row by row in
test_public_sql.py; here the HTTP side: no token needed, a token changes
nothing, 404 for a round that is not public, the register's filters and
paging, and no secret in any answer. The ETag/304 contract of every
cacheable route is in test_public_etag.py."""

import pytest

import decision_flow as df
import support

MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def held(api, factory):
    """A 环翠-based round with two titles: the first suspended."""
    w = df.huancui_recognized(api, factory, n=2)
    first = w.issued[0]
    api.post(f"/v1/recognitions/{first['id']}/suspensions", token=w.office.token, json={
        "reason": "moved_out_of_district", "effective_on": df.today().isoformat(),
        "note": "迁出本区。"}, expect=201)
    return w


def test_programmes_show_the_version_in_force(api):
    items = api.get("/v1/public/programmes", expect=200).body["items"]
    codes = {p["code"]: p for p in items}
    for code in support.PROGRAMMES:
        assert code in codes
        p = codes[code]
        assert p["policy"]["document_no"] == p["document_no"]
    assert [p["code"] for p in items] == sorted(codes)


def test_a_round_its_nominees_and_results(api, held, admin_token):
    rid = held.round["id"]
    r = api.get(f"/v1/public/rounds/{rid}", expect=200).body
    assert r["id"] == rid and r["notice_id"] == held.notice["id"]
    assert r["approved_on"] is not None and r["vote_session_id"] is None
    # A token changes nothing: the same bytes.
    assert api.get(f"/v1/public/rounds/{rid}", token=admin_token, expect=200).body == r

    nominees = api.get(f"/v1/public/rounds/{rid}/nominees", expect=200).body
    assert nominees["round_id"] == rid
    by_id = {n["id"]: n for n in nominees["items"]}
    assert set(by_id) == set(held.ids)
    assert {n["source"] for n in by_id.values()} == {"notice"}
    assert {n["public_status"] for n in by_id.values()} == {"recognized"}

    res = api.get(f"/v1/public/rounds/{rid}/results", expect=200).body
    assert res["vote"] is None  # 环翠 has no public vote
    assert len(res["decisions"]) == 1
    assert [s["nominee_id"] for s in res["decisions"][0]["selections"]] == held.ids


def test_register_lists_every_title_with_its_status(api, held):
    code = held.round.get("programme_code") or held.round.get("programme")
    numbers = [c["certificate_number"] for c in held.issued]
    year = numbers[0].split("-")[1]
    q = f"?year={year}&limit=200" + (f"&programme={code}" if code else "")
    got = {}
    path = "/v1/public/recognitions" + q
    while path:
        page = api.get(path, expect=200).body
        got.update({x["certificate_number"]: x for x in page["items"]})
        path = (f"/v1/public/recognitions{q}&cursor={page['next_cursor']}"
                if page["next_cursor"] else None)
    assert got[numbers[0]]["status"] == "suspended"
    assert got[numbers[1]]["status"] == "active"
    assert got[numbers[0]]["holder_name"] == held.issued[0]["holder_name"]

    suspended = api.get(f"/v1/public/recognitions?status=suspended&year={year}&limit=200",
                        expect=200).body["items"]
    assert numbers[0] in [x["certificate_number"] for x in suspended]
    assert numbers[1] not in [x["certificate_number"] for x in suspended]


def test_register_pages_in_certificate_order_without_gaps(api, held):
    year = held.issued[0]["certificate_number"].split("-")[1]
    seen, cursor = [], None
    for _ in range(500):
        q = f"/v1/public/recognitions?year={year}&limit=1"
        page = api.get(q + (f"&cursor={cursor}" if cursor else ""), expect=200).body
        assert len(page["items"]) <= 1
        seen += [x["certificate_number"] for x in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen, key=lambda s: s.encode()) and len(seen) == len(set(seen))
    for c in held.issued:
        assert c["certificate_number"] in seen


def test_no_secret_in_any_public_answer(api, held):
    rid = held.round["id"]
    bodies = [api.get(p, expect=200).text for p in (
        "/v1/public/programmes", f"/v1/public/rounds/{rid}",
        f"/v1/public/rounds/{rid}/nominees", f"/v1/public/rounds/{rid}/results",
        "/v1/public/recognitions?limit=200")]
    for c in held.issued:
        assert all(c["verification_code"] not in b for b in bodies)
    for b in bodies:
        for word in ("verification_code", "id_number", "phone", "birth", "members_present",
                     "decided_by", "issued_by", "nomination_id"):
            assert word not in b, word


def test_rounds_not_public_answer_404(api, factory):
    code = factory.programme()
    office = factory.office(code)
    preparing = factory.round(code, office, phase="preparing")
    for tail in ("", "/nominees", "/results"):
        api.get(f"/v1/public/rounds/{preparing['id']}{tail}", expect=404)
    api.post(f"/v1/rounds/{preparing['id']}/transitions", token=office.token,
             json={"to": "accepting"}, expect=200)
    opened = api.get(f"/v1/public/rounds/{preparing['id']}", expect=200).body
    assert opened["phase"] == "accepting" and opened["programme"] == code
    assert api.get(f"/v1/public/rounds/{preparing['id']}/nominees",
                   expect=200).body["items"] == []

    r = api.get(f"/v1/public/rounds/{MISSING}", expect=404)
    assert r.body["code"] == "not_found"
    for tail in ("", "/nominees", "/results"):
        api.get(f"/v1/public/rounds/{MISSING}{tail}", expect=404)
    bad = api.get("/v1/public/rounds/not-a-uuid", expect=400)
    assert bad.body["code"] == "not_uuid"


@pytest.mark.parametrize("query,code", [
    ("year=1999", "not_year"), ("year=20x6", "not_year"), ("status=lost", "unknown_value"),
    ("programme=NO", "programme_code_format"), ("limit=0", None),
])
def test_register_refuses_bad_filters(api, query, code):
    r = api.get(f"/v1/public/recognitions?{query}", expect=400)
    if code:
        assert r.body["code"] == code
