# SPDX-License-Identifier: MIT
"""Issue 13: the printable PDFs as the API serves them, read back with the
tools a clerk's machine has: pdftotext (poppler-utils) finds the holder's
name and number in Chinese, zbarimg (zbar-tools) decodes the certificate's
QR code to its public check, which answers; pdffonts lists every font
embedded. Roles as for the JSON forms."""

import subprocess

import pytest

import decision_flow as df


@pytest.fixture(scope="module")
def concluded(api, factory, tmp_path_factory):
    w = df.noticed_round(api, factory, 2, awards=2)
    df.past_notice(w.notice)
    rid = w.round["id"]
    api.post(f"/v1/rounds/{rid}/decisions", token=w.leader.token, json=df.meeting(w.ids),
             expect=201)
    api.post(f"/v1/rounds/{rid}/approval", token=w.office.token,
             json={"document_no": "环政字〔2027〕9号", "approved_on": df.today().isoformat()},
             expect=201)
    w.issued = api.post(f"/v1/rounds/{rid}/recognitions", token=w.office.token,
                        expect=201).body["items"]
    w.dir = tmp_path_factory.mktemp("pdfs")
    return w


def fetch(api, path, token, out):
    r = api.get(path, token=token, expect=200)
    assert r.headers["Content-Type"].startswith("application/pdf")
    assert r.content.startswith(b"%PDF-")
    out.write_bytes(r.content)
    return out


def text_of(path):
    """The PDF's text in reading order, without whitespace (a table cell may
    wrap a name onto two lines)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return "".join(out.split())


def fonts_embedded(path):
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert lines, "no fonts"
    # columns: name type encoding emb sub uni object ID
    return [(line.split()[0], line.split()[-5]) for line in lines]


def test_certificate_pdf_text_qr_and_fonts(api, concluded):
    c = concluded.issued[0]
    pdf = fetch(api, f"/v1/recognitions/{c['id']}/certificate.pdf", concluded.office.token,
                concluded.dir / "certificate.pdf")
    text = text_of(pdf)
    assert c["holder_name"] in text and c["certificate_number"] in text
    assert c["verification_code"] in text
    fonts = fonts_embedded(pdf)
    assert all(emb == "yes" for _, emb in fonts), fonts
    assert any("CJK" in name for name, _ in fonts), fonts

    png = concluded.dir / "certificate"
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(png)],
                   check=True)
    qr = subprocess.run(["zbarimg", "--raw", "-q", str(png) + ".png"], capture_output=True,
                        text=True, check=True).stdout.strip()
    assert qr == (f"{api.base}/v1/certificates/{c['certificate_number']}"
                  f"?code={c['verification_code']}")
    # The QR code's address is the public check, and it answers.
    path = qr[len(api.base):]
    body = api.get(path, expect=200).body
    assert body["holder_name"] == c["holder_name"] and body["status"] == "active"


def test_notice_pdf_is_public(api, concluded):
    pdf = fetch(api, f"/v1/notices/{concluded.notice['id']}/notice.pdf", None,
                concluded.dir / "notice.pdf")
    text = text_of(pdf)
    for e in concluded.notice["entries"]:
        assert e["name"] in text
    assert "公示" in text and "区人社局人才科" in text
    assert all(emb == "yes" for _, emb in fonts_embedded(pdf))


def test_result_list_pdf(api, concluded):
    pdf = fetch(api, f"/v1/rounds/{concluded.round['id']}/result-list.pdf",
                concluded.leader.token, concluded.dir / "results.pdf")
    text = text_of(pdf)
    for c in concluded.issued:
        assert c["holder_name"] in text
    assert "认定" in text


@pytest.mark.parametrize("who,want", [("anonymous", 401), ("unit", 403), ("expert", 403),
                                      ("finance", 403), ("office_other", 404)])
def test_pdfs_outside_the_roles(api, factory, concluded, who, want):
    token = {"anonymous": None, "unit": concluded.unit.token,
             "expert": factory.user("expert").token, "finance": factory.user("finance").token,
             "office_other": factory.office(factory.programme(base=df.HC)).token}[who]
    c = concluded.issued[0]
    api.get(f"/v1/recognitions/{c['id']}/certificate.pdf", token=token, expect=want)
    api.get(f"/v1/rounds/{concluded.round['id']}/result-list.pdf", token=token, expect=want)


@pytest.mark.parametrize("who", ["admin", "leader", "auditor"])
def test_pdfs_for_the_roles_that_read_them(api, factory, concluded, who):
    """Admin and the programme's leader print certificates; they and the
    auditor print the result list (an auditor never a certificate)."""
    token = {"admin": factory.admin.get(), "leader": concluded.leader.token,
             "auditor": factory.user("auditor").token}[who]
    c = concluded.issued[0]
    api.get(f"/v1/recognitions/{c['id']}/certificate.pdf", token=token,
            expect=403 if who == "auditor" else 200)
    r = api.get(f"/v1/rounds/{concluded.round['id']}/result-list.pdf", token=token, expect=200)
    assert r.content.startswith(b"%PDF-")


def test_result_list_waits_for_the_conclusion(api, factory):
    w = df.huancui_deciding(api, factory, 1, awards=1)
    r = api.get(f"/v1/rounds/{w.round['id']}/result-list.pdf", token=w.office.token,
                expect=409)
    assert r.body["code"] == "round_not_concluded"
