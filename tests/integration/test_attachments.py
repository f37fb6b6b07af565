# SPDX-License-Identifier: MIT
"""Evidence files (证明材料): a unit uploads the raw bytes of a PDF, JPEG or
PNG to its own nomination while the nomination is editable; the type comes
from the leading bytes, the SHA-256 is of the plain bytes, the bytes are
sealed at rest and come back identical on download. Readers are admins,
offices in scope, the nomination's unit and auditors; everyone else is 403,
404 or 401. Uploads have their own size limit (JIANGXIN_MAX_UPLOAD); JSON
routes keep JIANGXIN_MAX_BODY."""

import hashlib
import json
import os
import re
import subprocess
import types
import urllib.parse
import uuid

import pytest

import clock_support
import support

# The scenarios use publicity dates in 2026: both clocks are on 2026-11-20 for the
# whole module.
pytestmark = pytest.mark.clock("2026-11-20")

MAX_BODY = 1024 * 1024  # JIANGXIN_MAX_BODY: the test stack leaves the default
MAX_UPLOAD = int(os.environ.get("JIANGXIN_TEST_MAX_UPLOAD") or 10 * 1024 * 1024)
MAX_FILES = 20  # per nomination (api/handlers/attachments.c ATTACHMENTS_MAX)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def marker():
    """32 bytes no sealed content will contain by chance."""
    return b"JXMARK" + os.urandom(13).hex().encode()[:26]


def pdf(mark=None):
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n(" + (mark or marker()) + b")\nendobj\n%%EOF\n"


def jpeg(mark=None):
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            + (mark or marker()) + b"\xff\xd9")


def png(mark=None):
    return (PNG_MAGIC + b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
            + (mark or marker()) + b"\x00\x00\x00\x00IEND\xaeB`\x82")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- setup
def _new_draft(factory, env):
    """A draft nomination of env.unit in env.round (through the nominations API)."""
    return factory.nomination(env.round["id"], env.unit)


@pytest.fixture
def env(factory):
    """A programme of its own, its office, an accepting round, a unit user
    and one draft nomination of that unit."""
    e = types.SimpleNamespace()
    e.programme = factory.programme()
    e.office = factory.office(e.programme)
    e.round = factory.round(e.programme, e.office, phase="accepting")
    e.unit = factory.user("unit")
    e.nom = _new_draft(factory, e)
    e.base = f"/v1/nominations/{e.nom['id']}/attachments"
    return e


def upload(api, token, base, data, ctype, *, kind="skill_certificate", filename="证书.pdf",
           expect=201, headers=None, params=None):
    hdrs = {"Content-Type": ctype} if ctype is not None else {}
    hdrs.update(headers or {})
    query = {"kind": kind, "filename": filename} if params is None else params
    return api.post(base, token=token, params=query, data=data, headers=hdrs, expect=expect)


def stored(db_url, nom_id):
    return int(support.psql_scalar(
        db_url, f"SELECT count(*) FROM attachments WHERE nomination_id = '{nom_id}'"))


def disposition_name(header):
    m = re.search(r"filename\*=UTF-8''(\S+)$", header)
    assert m, f"no filename* in Content-Disposition: {header!r}"
    return urllib.parse.unquote(m.group(1), encoding="utf-8", errors="strict")


# --------------------------------------------------------- round trips
@pytest.mark.parametrize("ctype,make,name,kind", [
    ("application/pdf", pdf, "申报表.pdf", "application_form"),
    ("image/jpeg", jpeg, "技能等级证书 扫描件.jpg", "skill_certificate"),
    ("image/png", png, "honour-2025.png", "honour"),
])
def test_upload_and_download_round_trip(api, env, ctype, make, name, kind):
    data = make()
    r = upload(api, env.unit.token, env.base, data, ctype, kind=kind, filename=name)
    a = r.body
    assert a["nomination_id"] == env.nom["id"]
    assert (a["kind"], a["filename"], a["media_type"]) == (kind, name, ctype)
    assert a["size_bytes"] == len(data)
    assert a["sha256"] == sha256(data)
    assert r.headers["Location"] == f"{env.base}/{a['id']}"

    d = api.get(r.headers["Location"], token=env.unit.token, expect=200)
    assert d.content == data
    assert d.headers["Content-Type"] == ctype
    assert d.headers["ETag"] == f'"{sha256(data)}"'
    assert d.headers["X-Content-Type-Options"] == "nosniff"
    assert d.headers["Content-Disposition"].startswith("attachment;")
    assert disposition_name(d.headers["Content-Disposition"]) == name

    listed = api.get(env.base, token=env.unit.token, expect=200).body
    assert listed == {"items": [a], "next_cursor": None}


def test_front_ends_can_read_the_download_name(api, env):
    r = upload(api, env.unit.token, env.base, png(), "image/png", filename="奖状.png")
    d = api.get(r.headers["Location"], token=env.unit.token,
                headers={"Origin": "https://front.example.org"}, expect=200)
    exposed = {h.strip().lower() for h in d.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"content-disposition", "etag"} <= exposed, exposed


def test_disposition_escapes_quotes_and_non_ascii(api, env):
    name = '证书 "2025" 100%;a,b.pdf'
    r = upload(api, env.unit.token, env.base, pdf(), "application/pdf", filename=name)
    assert r.body["filename"] == name
    d = api.get(r.headers["Location"], token=env.unit.token, expect=200)
    header = d.headers["Content-Disposition"]
    assert disposition_name(header) == name
    fallback = re.match(r'attachment; filename="([^"]*)";', header)
    assert fallback and all(32 <= ord(c) < 127 for c in fallback.group(1)), header


def test_bytes_are_sealed_at_rest(api, env, superuser_url):
    mark = marker()
    data = pdf(mark)
    assert mark in data
    a = upload(api, env.unit.token, env.base, data, "application/pdf").body
    row = support.psql_scalar(
        superuser_url,
        f"SELECT position('\\x{mark.hex()}'::bytea IN content_sealed) || ' ' ||"
        f"       octet_length(content_sealed) || ' ' || sha256"
        f"  FROM attachments WHERE id = '{a['id']}'")
    pos, sealed_len, digest = row.split()
    assert pos == "0", "the plain bytes are in the database"
    assert int(sealed_len) == len(data) + 40
    assert digest == sha256(data)
    # The same bytes twice are sealed differently (a fresh nonce each time).
    b = upload(api, env.unit.token, env.base, data, "application/pdf").body
    assert a["sha256"] == b["sha256"]
    distinct = support.psql_scalar(
        superuser_url, f"SELECT count(DISTINCT content_sealed) FROM attachments"
                       f" WHERE id IN ('{a['id']}', '{b['id']}')")
    assert distinct == "2"


# ------------------------------------------------------- refused uploads
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,"


@pytest.mark.parametrize("data,ctype,name", [
    (png(), "application/pdf", "certificate.pdf"),   # the name and the header lie
    (pdf(), "image/png", "scan.png"),
    (jpeg(), "image/png", "scan.png"),
    (b"just some text, not a scan\n", "application/pdf", "notes.pdf"),
    (GIF, "image/png", "photo.png"),
    (GIF, "image/gif", "photo.gif"),
    (pdf(), "text/plain", "scan.pdf"),
    (pdf(), "application/octet-stream", "scan.pdf"),
    (pdf(), None, "scan.pdf"),
    (b"%PD", "application/pdf", "short.pdf"),
    (b"\xff\xd8", "image/jpeg", "short.jpg"),
])
def test_type_comes_from_the_bytes(api, env, db_url, data, ctype, name):
    r = upload(api, env.unit.token, env.base, data, ctype, filename=name, expect=415)
    assert r.body["type"] == "urn:jiangxin:problem:unsupported-media-type"
    assert stored(db_url, env.nom["id"]) == 0


def test_content_type_parameters_are_ignored(api, env):
    r = upload(api, env.unit.token, env.base, png(), "image/PNG; charset=binary")
    assert r.body["media_type"] == "image/png"


def test_empty_body_is_400(api, env, db_url):
    r = upload(api, env.unit.token, env.base, b"", "application/pdf", expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:malformed-request"
    assert stored(db_url, env.nom["id"]) == 0


@pytest.mark.parametrize("params", [
    {"filename": "a.pdf"},
    {"kind": "", "filename": "a.pdf"},
    {"kind": "photo", "filename": "a.pdf"},
    {"kind": "Honour", "filename": "a.pdf"},
    {"kind": "honour"},
    {"kind": "honour", "filename": ""},
    {"kind": "honour", "filename": "dir/a.pdf"},
    {"kind": "honour", "filename": "..\\a.pdf"},
    {"kind": "honour", "filename": "a\nb.pdf"},
    {"kind": "honour", "filename": "a\x00b.pdf"},
    {"kind": "honour", "filename": "a\x7fb.pdf"},
    {"kind": "honour", "filename": "a\u0085b.pdf"},
    {"kind": "honour", "filename": "invoice\u202efdp.exe"},
    {"kind": "honour", "filename": "."},
    {"kind": "honour", "filename": ".."},
    {"kind": "honour", "filename": "证" * 201},
    {"kind": "honour", "filename": b"\xff\xfe.pdf"},
    {"kind": "honour", "filename": b"\xed\xa0\x80.pdf"},  # a UTF-16 surrogate
])
def test_bad_kind_or_filename_is_400(api, env, db_url, params):
    r = upload(api, env.unit.token, env.base, pdf(), "application/pdf", params=params,
               expect=400)
    assert r.body["type"] == "urn:jiangxin:problem:invalid-parameter"
    assert stored(db_url, env.nom["id"]) == 0


def test_longest_filename_is_accepted(api, env):
    name = "证" * 196 + ".pdf"
    assert len(name) == 200
    r = upload(api, env.unit.token, env.base, pdf(), "application/pdf", filename=name)
    assert r.body["filename"] == name


def test_every_evidence_kind_is_accepted(api, env):
    kinds = [e["value"] for e in api.get("/v1/enums", expect=200).body["evidence_kinds"]]
    assert kinds == ["application_form", "skill_certificate", "honour", "patent", "competition",
                     "unit_publicity", "other"]
    for kind in kinds:
        upload(api, env.unit.token, env.base, png(), "image/png", kind=kind, filename="x.png")
    listed = api.get(env.base, token=env.unit.token, expect=200).body["items"]
    assert [a["kind"] for a in listed] == kinds


# ---------------------------------------------------------------- sizes
def test_upload_limit_is_its_own(api, env, db_url):
    """Exactly JIANGXIN_MAX_UPLOAD bytes are taken, one more is 413 (by
    Content-Length and, chunked, by the received length)."""
    top = pdf() + b"\n" * (MAX_UPLOAD - len(pdf()))
    top = top[:MAX_UPLOAD]
    assert len(top) == MAX_UPLOAD
    a = upload(api, env.unit.token, env.base, top, "application/pdf").body
    assert a["size_bytes"] == MAX_UPLOAD and a["sha256"] == sha256(top)
    over = top + b"\n"
    r = upload(api, env.unit.token, env.base, over, "application/pdf", expect=413)
    assert r.body["type"] == "urn:jiangxin:problem:payload-too-large"
    chunks = (over[i:i + 65536] for i in range(0, len(over), 65536))
    upload(api, env.unit.token, env.base, chunks, "application/pdf", expect=413)
    assert stored(db_url, env.nom["id"]) == 1


@pytest.mark.skipif(MAX_UPLOAD <= MAX_BODY, reason="needs JIANGXIN_MAX_UPLOAD > JIANGXIN_MAX_BODY")
def test_json_routes_keep_max_body(api, env, admin_token, db_count):
    """A body between the two limits: an upload takes it, a JSON route does not."""
    size = (MAX_BODY + MAX_UPLOAD) // 2
    data = png() + b"\x00" * (size - len(png()))
    upload(api, env.unit.token, env.base, data, "image/png")
    body = json.dumps({"code": support.new_uscc(), "name": "过大请求", "kind": "other"}).encode()
    big = body[:-1] + b" " * (size - len(body)) + b"}"
    units = db_count("units")
    r = api.post("/v1/units", token=admin_token, data=big,
                 headers={"Content-Type": "application/json"}, expect=413)
    assert r.body["type"] == "urn:jiangxin:problem:payload-too-large"
    assert db_count("units") == units


def test_upload_limit_is_configured_and_bounded():
    api_bin = support.need_env("JIANGXIN_TEST_API_BIN")
    for bad in ("512", "67108865", "lots"):
        env = support.cli_env(JIANGXIN_LISTEN="127.0.0.1:1", JIANGXIN_MAX_UPLOAD=bad)
        proc = subprocess.run([api_bin, "serve"], env=env, capture_output=True, text=True,
                              timeout=30)
        assert proc.returncode == 2, (bad, proc.returncode, proc.stderr)
        assert "JIANGXIN_MAX_UPLOAD" in proc.stderr, proc.stderr


def test_files_per_nomination_are_capped(api, env, db_url):
    ids = [upload(api, env.unit.token, env.base, png(), "image/png", filename=f"{i}.png")
           .body["id"] for i in range(MAX_FILES)]
    r = upload(api, env.unit.token, env.base, png(), "image/png", expect=409)
    assert str(MAX_FILES) in r.body["detail"]
    assert stored(db_url, env.nom["id"]) == MAX_FILES
    api.delete(f"{env.base}/{ids[0]}", token=env.unit.token, expect=204)
    upload(api, env.unit.token, env.base, png(), "image/png")


# ---------------------------------------------------------- idempotency
def test_idempotent_upload_replays(api, env, db_url, db_count):
    key = str(uuid.uuid4())
    data = jpeg()
    first = upload(api, env.unit.token, env.base, data, "image/jpeg",
                   headers={"Idempotency-Key": key})
    audit = db_count("audit_events")
    again = upload(api, env.unit.token, env.base, data, "image/jpeg",
                   headers={"Idempotency-Key": key})
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.body == first.body
    assert again.headers["Location"] == first.headers["Location"]
    assert stored(db_url, env.nom["id"]) == 1 and db_count("audit_events") == audit
    r = upload(api, env.unit.token, env.base, jpeg(), "image/jpeg",
               headers={"Idempotency-Key": key}, expect=422)
    assert r.body["type"] == "urn:jiangxin:problem:idempotency-key-reused"
    assert stored(db_url, env.nom["id"]) == 1


# --------------------------------------------------------- list, delete
def test_list_pages_oldest_first(api, env):
    made = [upload(api, env.unit.token, env.base, png(), "image/png", filename=f"p{i}.png").body
            for i in range(5)]
    r = api.get(env.base, params={"limit": 2}, token=env.unit.token, expect=200)
    assert r.body["items"] == made[:2] and r.body["next_cursor"]
    assert 'rel="next"' in r.headers["Link"]
    assert support.list_all(api, env.base, env.unit.token, limit=2) == made
    api.get(env.base, params={"cursor": "zz"}, token=env.unit.token, expect=400)
    api.get(env.base, params={"cursor": b"not a key".hex()}, token=env.unit.token, expect=400)


def test_delete_and_audit(api, env, admin_token):
    mark = marker()
    rid_c = "it-attach-c-" + support.rand_hex(8)
    a = upload(api, env.unit.token, env.base, pdf(mark), "application/pdf",
               headers={"X-Request-Id": rid_c}).body
    rid_d = "it-attach-d-" + support.rand_hex(8)
    api.delete(f"{env.base}/{a['id']}", token=env.unit.token, headers={"X-Request-Id": rid_d},
               expect=204)
    api.get(f"{env.base}/{a['id']}", token=env.unit.token, expect=404)
    api.delete(f"{env.base}/{a['id']}", token=env.unit.token, expect=404)
    assert api.get(env.base, token=env.unit.token, expect=200).body["items"] == []

    events = support.list_all(api, f"/v1/audit?entity_id={a['id']}", admin_token)
    by_rid = {e["request_id"]: e for e in events}
    create, delete = by_rid[rid_c], by_rid[rid_d]
    assert (create["action"], create["entity_type"]) == ("attachment.create", "attachment")
    assert create["before"] is None and create["after"] == a
    assert (delete["action"], delete["before"], delete["after"]) == ("attachment.delete", a, None)
    assert create["actor_id"] == env.unit.id and create["role"] == "unit"
    text = json.dumps(events)
    assert mark.decode() not in text and mark.hex() not in text


def test_the_nomination_itself_is_not_changed(api, env):
    """Files are a resource of their own: the nomination keeps its version
    (and ETag), so a unit's pending If-Match stays valid; it counts them."""
    path = f"/v1/nominations/{env.nom['id']}"
    before = api.get(path, token=env.unit.token, expect=200)
    a = upload(api, env.unit.token, env.base, pdf(), "application/pdf").body
    after = api.get(path, token=env.unit.token, expect=200)
    assert after.headers["ETag"] == before.headers["ETag"]
    assert after.body["updated_at"] == before.body["updated_at"]
    assert after.body["attachments"] == before.body["attachments"] + 1
    api.delete(f"{env.base}/{a['id']}", token=env.unit.token, expect=204)
    assert api.get(path, token=env.unit.token, expect=200).body["version"] == before.body["version"]


def test_ids_from_another_nomination_are_404(api, env, factory):
    other = _new_draft(factory, env)
    other_base = f"/v1/nominations/{other['id']}/attachments"
    a = upload(api, env.unit.token, env.base, png(), "image/png").body
    api.get(f"{other_base}/{a['id']}", token=env.unit.token, expect=404)
    api.delete(f"{other_base}/{a['id']}", token=env.unit.token, expect=404)
    api.get(f"{env.base}/{a['id']}", token=env.unit.token, expect=200)


@pytest.mark.parametrize("path", ["/v1/nominations/not-a-uuid/attachments",
                                  "/v1/nominations/{nom}/attachments/not-a-uuid"])
def test_bad_ids_are_400(api, env, path):
    path = path.format(nom=env.nom["id"])
    api.get(path, token=env.unit.token, expect=400)


def test_unknown_nomination_is_404(api, env):
    base = f"/v1/nominations/{uuid.uuid4()}/attachments"
    api.get(base, token=env.unit.token, expect=404)
    upload(api, env.unit.token, base, pdf(), "application/pdf", expect=404)


# ---------------------------------------------------------------- roles
def test_other_unit_gets_404_on_every_route(api, env, factory, db_url):
    a = upload(api, env.unit.token, env.base, pdf(), "application/pdf").body
    stranger = factory.user("unit")
    item = f"{env.base}/{a['id']}"
    api.get(env.base, token=stranger.token, expect=404)
    api.get(item, token=stranger.token, expect=404)
    upload(api, stranger.token, env.base, pdf(), "application/pdf", expect=404)
    api.delete(item, token=stranger.token, expect=404)
    assert stored(db_url, env.nom["id"]) == 1


def test_readers_and_scope(api, env, factory, admin_token):
    data = png()
    a = upload(api, env.unit.token, env.base, data, "image/png").body
    item = f"{env.base}/{a['id']}"
    for token in (env.office.token, admin_token, factory.user("auditor").token):
        assert api.get(env.base, token=token, expect=200).body["items"] == [a]
        assert api.get(item, token=token, expect=200).content == data
    elsewhere = factory.user("office", programmes=["huancui-chief-technician"])
    api.get(env.base, token=elsewhere.token, expect=404)
    api.get(item, token=elsewhere.token, expect=404)
    # Only the unit uploads and removes.
    for token in (env.office.token, admin_token):
        upload(api, token, env.base, png(), "image/png", expect=403)
        api.delete(item, token=token, expect=403)


def test_leader_reads_the_list_only(api, env, factory):
    """Issue 12: the leader reads the files' metadata, never their bytes,
    and changes nothing."""
    a = upload(api, env.unit.token, env.base, png(), "image/png").body
    leader = factory.user("leader")
    item = f"{env.base}/{a['id']}"
    items = api.get(env.base, token=leader.token, expect=200).body["items"]
    assert a["id"] in [x["id"] for x in items]
    r = api.get(item, token=leader.token, expect=403)
    assert r.body["type"] == "urn:jiangxin:problem:forbidden"
    upload(api, leader.token, env.base, png(), "image/png", expect=403)
    api.delete(item, token=leader.token, expect=403)
    assert a["id"] in [x["id"] for x in api.get(env.base, token=env.unit.token).body["items"]]


@pytest.mark.parametrize("role", ["expert", "finance", "service"])
def test_other_roles_are_403(api, env, factory, role):
    a = upload(api, env.unit.token, env.base, png(), "image/png").body
    user = factory.user(role)
    item = f"{env.base}/{a['id']}"
    api.get(env.base, token=user.token, expect=403)
    api.get(item, token=user.token, expect=403)
    upload(api, user.token, env.base, png(), "image/png", expect=403)
    api.delete(item, token=user.token, expect=403)


def test_anonymous_is_401(api, env, db_url):
    a = upload(api, env.unit.token, env.base, png(), "image/png").body
    item = f"{env.base}/{a['id']}"
    api.get(env.base, expect=401)
    api.get(item, expect=401)
    upload(api, None, env.base, png(), "image/png", expect=401)
    api.delete(item, expect=401)
    assert stored(db_url, env.nom["id"]) == 1


# ---------------------------------------------------- nomination state
def _submit(api, env):
    path = f"/v1/nominations/{env.nom['id']}/transitions"
    clock_support.publicise(api, env.unit, env.nom["id"])
    api.post(path, token=env.unit.token, json={"to": "submitted"}, expect=200)


def test_no_changes_once_submitted(api, env, db_url):
    a = upload(api, env.unit.token, env.base, pdf(), "application/pdf").body
    _submit(api, env)
    r = upload(api, env.unit.token, env.base, png(), "image/png", expect=409)
    assert r.body["code"] == "nomination_not_editable"
    assert "已报送" in r.body["detail"]
    r = api.delete(f"{env.base}/{a['id']}", token=env.unit.token, expect=409,
                   headers={"Accept-Language": "en"})
    assert r.body["code"] == "nomination_not_editable"
    assert "submitted" in r.body["detail"]
    assert stored(db_url, env.nom["id"]) == 2  # a and the publicity's evidence
    # Still readable by the unit and the office.
    items = api.get(env.base, token=env.office.token, expect=200).body["items"]
    assert items[0] == a and items[1]["kind"] == "unit_publicity"


def test_draft_is_frozen_outside_intake(api, env):
    a = upload(api, env.unit.token, env.base, pdf(), "application/pdf").body
    api.post(f"/v1/rounds/{env.round['id']}/transitions", token=env.office.token,
             json={"to": "qualification"}, expect=200)
    r = upload(api, env.unit.token, env.base, png(), "image/png", expect=409)
    assert r.body["code"] == "round_phase_closed"
    assert "草稿" in r.body["detail"] and "资格审查" in r.body["detail"]
    api.delete(f"{env.base}/{a['id']}", token=env.unit.token, expect=409)


def test_returned_nomination_takes_corrections(api, env):
    _submit(api, env)
    api.post(f"/v1/rounds/{env.round['id']}/transitions", token=env.office.token,
             json={"to": "qualification"}, expect=200)
    api.post(f"/v1/nominations/{env.nom['id']}/transitions", token=env.office.token,
             json={"to": "returned", "note": "请补充技能等级证书扫描件"}, expect=200)
    a = upload(api, env.unit.token, env.base, pdf(), "application/pdf",
               kind="skill_certificate").body
    api.delete(f"{env.base}/{a['id']}", token=env.unit.token, expect=204)


# ------------------------------------------------------------ logging
def test_access_log_has_no_filename_or_content(api, env):
    log_path = support.need_env("JIANGXIN_TEST_API_LOG")
    mark = marker()
    name = f"secret-name-{support.rand_hex(10)}.pdf"
    rid = "it-attach-log-" + support.rand_hex(8)
    a = upload(api, env.unit.token, env.base, pdf(mark), "application/pdf", filename=name,
               headers={"X-Request-Id": rid}).body
    rid_get = "it-attach-log-get-" + support.rand_hex(8)
    api.get(f"{env.base}/{a['id']}", token=env.unit.token, headers={"X-Request-Id": rid_get},
            expect=200)

    def lines():
        with open(log_path, encoding="utf-8", errors="replace") as f:
            return f.read()
    support.poll(lambda: rid in lines() and rid_get in lines(), timeout=10,
                 what="the access log lines of the upload and the download")
    text = lines()
    assert name not in text and urllib.parse.quote(name) not in text
    assert mark.decode() not in text
    for line in text.splitlines():
        if rid in line:
            assert json.loads(line)["path"] == env.base
