# SPDX-License-Identifier: MIT
"""The privacy guarantee (issue 16): only public fields leave. Through
HTTP only, a 岚山-based round with a public vote to its close and a
环翠-based round through to recognition are filled with synthetic personal
data whose values are planted to be found: ID numbers (valid check
characters, born in 1900 as support.new_id_number makes them; their birth
dates recorded), mobile phones, a bank account on a payee, expert review
scores and comments, skill-test scores and notes, 考察 findings, an
objection's text and contact and its findings, assessment notes and the
return reason, a re-check's statements and the decision's reason, holder
notes, suspension notes and the lifting's reason.

Then every byte that leaves publicly is collected: `jiangxin-api export
--out DIR --full` (all files), an anonymous GET of every public route of
both services (the GET rows of api/routes.def and voting/routes.def whose
roles are PUBLIC or that are ROUTE_AUTH_OPTIONAL, path parameters filled
with this module's ids; a public route this module cannot fill fails the
test, so a new one cannot slip past the scan), and the public PDFs as
`pdftotext` reads them (their streams are compressed). The bytes are
scanned for an 18-character ID number (GB 11643 check character and a
valid birth date; hex boundaries, since SHA-256 digests hold decimal
runs), a mobile phone, the planted birth dates in three spellings, and
every planted value verbatim with its masked forms. /openapi.json and /docs
are exempt from the patterns (their examples), not from the planted values.
Any hit fails, naming the file or route and a snippet."""

import datetime
import pathlib
import re
import random
import subprocess
import types

import pytest
import requests

import clock_support
import decision_flow as df
import review_flow
import support
import vote_flow

ROOT = pathlib.Path(__file__).resolve().parents[2]
TAG = support.rand_hex(6).upper()

ID_RE = re.compile(r"(?<![0-9A-Fa-f])\d{17}[\dX](?![0-9A-Fa-f])")
PHONE_RE = re.compile(r"(?<![0-9A-Fa-f])1[3-9]\d{9}(?![0-9A-Fa-f])")
PATTERN_EXEMPT = ("/openapi.json", "/docs")


# ------------------------------------------------------------- planting
class Planted:
    """The planted values: label → text, and the birth dates."""

    def __init__(self):
        self.values = {}
        self.numbers = {}
        self.births = []

    def text(self, label, prefix):
        """A distinctive free text: `prefix`, then a marker of its own."""
        value = f"{prefix}（隐私{TAG}{label}）"
        self.values[label] = value
        return value

    def id_number(self, label):
        used = set(self.births)
        while True:
            rng = random.SystemRandom()
            birth = datetime.date(1900, rng.randint(1, 12), rng.randint(1, 28))
            if birth not in used:
                break
        number = support.new_id_number(birth=birth.strftime("%Y%m%d"))
        self.births.append(birth)
        self.values[label] = number
        self.values[label + " (masked)"] = support.mask_id(number)
        return number

    def phone(self, label):
        number = support.new_phone()
        self.values[label] = number
        self.values[label + " (masked)"] = number[:3] + "****" + number[-4:]
        return number

    def account(self, label):
        rng = random.SystemRandom()
        number = "6222" + "".join(str(rng.randint(0, 9)) for _ in range(15))
        self.values[label] = number
        self.values[label + " (masked)"] = number[:3] + "*" * (len(number) - 7) + number[-4:]
        return number

    def number(self, label, value):
        """A score, found by its decimal spelling (two places) between
        non-digits; the hundredths are 9, which no vote share of a test
        (k/n of a few votes) spells."""
        self.numbers[label] = f"{value:.2f}"
        return value

    def needles(self):
        out = dict(self.values)
        for b in self.births:
            out[f"birth {b} (ISO)"] = b.isoformat()
            out[f"birth {b} (YYYYMMDD)"] = b.strftime("%Y%m%d")
            out[f"birth {b} (年月日)"] = f"{b.year}年{b.month}月{b.day}日"
        return out


def odd_scores(rubric, fraction, planted, label):
    """Every gate passed; every score near `fraction` of its maximum, with odd
    hundredths so the spelling is distinctive; the scores planted."""
    out = {}
    for c in rubric:
        if c["gate"]:
            out[c["criterion"]] = True
            continue
        v = round(c["max_score"] * fraction) - 0.81
        out[c["criterion"]] = planted.number(f"{label} {c['criterion']}", round(v, 2))
    return out


# ------------------------------------------------------------- the rounds
def nominate(api, factory, w, planted, n, prefix, **changes):
    """`n` submitted nominations of w.round by w.unit with planted IDs and phones."""
    ids = []
    for i in range(n):
        body = dict(changes, name=f"隐私测试{prefix}{i + 1}",
                    id_number=planted.id_number(f"{prefix}{i + 1} id_number"),
                    phone=planted.phone(f"{prefix}{i + 1} phone"))
        nom = factory.nomination(w.round["id"], w.unit, **body)
        vote_flow._move(api, w.unit, nom["id"], "submitted")
        ids.append(nom["id"])
    return ids


def qualify_and_review(api, factory, w, ids, planted, prefix, rejected=()):
    """Qualification (warnings overridden with a planted reason; `rejected`
    refused with a planted note), the draw and one expert's review of each
    with planted scores and comment."""
    api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
             json={"to": "qualification"}, expect=200)
    for k, nid in enumerate(ids, 1):
        checks = api.get(f"/v1/nominations/{nid}/eligibility", token=w.office.token,
                         expect=200).body["checks"]
        assert not [c for c in checks if c["result"] == "fail"], checks
        reason = planted.text(f"{prefix}{k} override reason", "资格审查核验说明")
        overrides = [{"check": c["check"], "reason": reason}
                     for c in checks if c["result"] == "warning"]
        vote_flow._move(api, w.office, nid, "qualified",
                        **({"overrides": overrides} if overrides else {}))
    for nid in rejected:
        note = planted.text(f"{prefix} rejection note", "资格审查不通过原因")
        vote_flow._move(api, w.office, nid, "rejected", note=note)
    api.post(f"/v1/rounds/{w.round['id']}/transitions", token=w.office.token,
             json={"to": "review"}, expect=200)
    experts = review_flow.add_experts(api, factory, w.programme, 1)
    items = review_flow.draw(api, w.office, w.round["id"])["items"]
    rubric = review_flow.rubric_of(api, w.programme)
    token = {e.id: e.token for e in experts}
    place = {nid: i for i, nid in enumerate(ids)}
    for a in items:
        if a["state"] != "active":
            continue
        k = place[a["nomination_id"]] + 1
        api.put(f"/v1/review-assignments/{a['id']}/review", token=token[a["expert_id"]],
                json={"scores": odd_scores(rubric, 0.93 - 0.04 * k, planted,
                                           f"{prefix}{k} review score"),
                      "comment": planted.text(f"{prefix}{k} review comment", "专家评审意见")},
                expect=200)


def lanshan_voted(api, vote, factory, planted):
    """A 岚山-based round with a public vote, closed with its final result; the
    decision, the notice and the titles follow."""
    w = support_ns(programme=factory.programme(
        base=df.LS, unit_publicity_required=False, unit_publicity_min_workdays=None,
        review_experts=1, vote_nominees=2, awards_per_round=2,
        certificate_prefix=df.prefix()))
    w.office = factory.office(w.programme)
    w.round = factory.round(w.programme, w.office, phase="accepting")
    w.unit = factory.user("unit")
    ids = nominate(api, factory, w, planted, 3, "岚山")
    qualify_and_review(api, factory, w, ids[:2], planted, "岚山", rejected=ids[2:])
    ids = ids[:2]
    frozen = review_flow.freeze(api, w.office, w.round["id"])
    w.shortlist = [e["nomination_id"] for e in frozen["entries"]]
    assert sorted(w.shortlist) == sorted(ids)
    w.session = vote_flow.open_session(api, w.office, w.round["id"], w.shortlist, closes_in=8)
    w.receipts = []
    for nid, votes in zip(w.shortlist, (2, 1)):
        for _ in range(votes):
            w.receipts.append(vote_flow.cast(vote, w.session["id"], nid).body["receipt"])
    support.poll(lambda: api.get(f"/v1/rounds/{w.round['id']}/vote-results",
                                 token=w.office.token, expect=200).body["final"],
                 timeout=40, interval=0.3, what="the vote's final result")
    w.leader = factory.user("leader", programmes=[w.programme])
    api.post(f"/v1/rounds/{w.round['id']}/decisions", token=w.leader.token,
             json=df.meeting(w.shortlist), expect=201)
    w.notice = df.publish(api, w)
    df.past_notice(w.notice)
    return df.issue(api, w)


def lanshan_assessed(api, w, planted):
    """The first 岚山 holder's assessment of the year after its title (in
    December): returned with a reason, submitted again, confirmed."""
    one = w.issued[0]
    year = int(one["recognized_on"][:4]) + 1
    clock_support.clock().set(datetime.date(year, 12, 10))
    path = f"/v1/recognitions/{one['id']}/assessments"
    a = api.post(path, token=w.unit.token, expect=201, json={
        "year": year, "result": "pass",
        "notes": planted.text("assessment notes", "年度考评意见")}).body
    api.post(f"/v1/assessments/{a['id']}/review", token=w.office.token, expect=200, json={
        "action": "return", "reason": planted.text("assessment return", "退回原因")})
    a = api.post(path, token=w.unit.token, expect=201, json={
        "year": year, "result": "pass",
        "notes": planted.text("assessment notes 2", "年度考评意见补充")}).body
    api.post(f"/v1/assessments/{a['id']}/review", token=w.office.token, expect=200,
             json={"action": "confirm"})


def support_ns(**kw):
    return types.SimpleNamespace(**kw)


def huancui_recognized(api, factory, planted):
    """A 环翠-based round (skill test, one review each) whose two candidates
    passed 考察, survived an objection and hold their titles; then the
    holders' management with notes of every kind."""
    w = support_ns(programme=factory.programme(
        base=df.HC, unit_publicity_required=False, unit_publicity_min_workdays=None,
        review_experts=1, awards_per_round=2, certificate_prefix=df.prefix()))
    w.office = factory.office(w.programme)
    w.leader = factory.user("leader", programmes=[w.programme])
    w.round = factory.round(w.programme, w.office, phase="accepting")
    w.unit = factory.user("unit")
    ids = nominate(api, factory, w, planted, 2, "环翠", skill_level="technician")
    qualify_and_review(api, factory, w, ids, planted, "环翠")
    for k, nid in enumerate(ids, 1):
        api.put(f"/v1/nominations/{nid}/skill-test", token=w.office.token, expect=201, json={
            "score": planted.number(f"环翠{k} skill-test score", 91.91 - 4 * k),
            "examiners": ["王建国", "李红"], "tested_on": w.round["window_opens"],
            "note": planted.text(f"环翠{k} skill-test note", "技能测试备注")})
    frozen = review_flow.freeze(api, w.office, w.round["id"], {"size": 2})
    w.ids = [e["nomination_id"] for e in frozen["entries"]]
    for k, nid in enumerate(w.ids, 1):
        api.put(f"/v1/nominations/{nid}/inspection", token=w.office.token, expect=200, json={
            "passed": True, "findings": planted.text(f"环翠{k} inspection", "考察情况"),
            "inspected_on": df.today().isoformat()})
    w.notice = df.publish(api, w)
    contact = planted.phone("objection contact")
    got = api.post(f"/v1/notices/{w.notice['id']}/objections",
                   headers={"X-Forwarded-For": vote_flow.random_ip()}, expect=201,
                   json={"entry": 1, "text": planted.text("objection text", "异议内容"),
                         "contact": contact}).body
    w.objection = (got["tracking_number"], got["code"])
    oid = next(o["id"] for o in api.get(f"/v1/notices/{w.notice['id']}/objections",
                                        token=w.office.token, expect=200).body["items"]
               if o["tracking_number"] == got["tracking_number"])
    for to, findings in (("investigating", None),
                         ("dismissed", planted.text("objection findings", "异议调查结论"))):
        api.post(f"/v1/objections/{oid}/transitions", token=w.office.token, expect=200,
                 json={"to": to, **({"findings": findings} if findings else {})})
    df.past_notice(w.notice)
    df.ratify_and_approve(api, w)
    df.issue(api, w)
    one, two = w.issued
    office, unit = w.office.token, w.unit.token

    api.put(f"/v1/allowance/payees/{one['id']}", token=office, expect=200, json={
        "method": "bank", "bank_name": "中国工商银行威海环翠支行",
        "account": planted.account("bank account")})
    api.post(f"/v1/recognitions/{one['id']}/notes", token=office, expect=201, json={
        "text": planted.text("holder note", "业绩考评档案记录")})
    start = datetime.date.fromisoformat(one["period_start"])
    susp = api.post(f"/v1/recognitions/{two['id']}/suspensions", token=office, expect=201, json={
        "reason": "moved_out_of_district", "effective_on": df.today().isoformat(),
        "note": planted.text("suspension note", "暂停原因说明")}).body
    api.post(f"/v1/suspensions/{susp['id']}/lifting", token=office, expect=200, json={
        "lifted_on": df.today().isoformat(),
        "reason": planted.text("suspension lift reason", "恢复原因说明")})

    clock = clock_support.clock()
    # Month 12 of the period: the re-check, filed and decided with a reason.
    clock.set(datetime.date(start.year + (start.month + 10) // 12, (start.month + 10) % 12 + 1,
                            15))
    certified = (start + datetime.timedelta(days=120)).isoformat()
    api.post(f"/v1/recognitions/{one['id']}/recheck", token=unit, expect=201, json={
        "achievements": planted.text("recheck achievements", "复核期业绩"), "awards": [],
        "agreements": [{"apprentice": "徒弟甲", "signed_on": start.isoformat()}],
        "apprentices": [{"name": "徒弟甲", "level": "senior_worker", "certified_on": certified},
                        {"name": "徒弟乙", "level": "technician", "certified_on": certified}],
        "front_line": True, "no_accident": True, "no_violation": True, "keeps_lead": True})
    api.post(f"/v1/recognitions/{one['id']}/recheck/decision", token=office, expect=200,
             json={"result": "passed", "reason": planted.text("recheck reason", "复核意见")})
    return w


# ------------------------------------------------------------- collecting
def public_routes(path):
    """The paths of the GET rows of a routes.def that are public (roles
    PUBLIC or 0) or ROUTE_AUTH_OPTIONAL. Every ROUTE row must parse."""
    row = re.compile(r'^ROUTE\(\s*"(\w+)",\s*"([^"]+)",\s*\w+,\s*([^,]+),\s*([^)]*)\)')
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("ROUTE("):
            continue
        m = row.match(line.strip())
        assert m, f"{path.name}: a ROUTE row this test cannot read: {line}"
        method, route, flags = m.group(1), m.group(2), m.group(4)
        roles = {r.strip() for r in m.group(3).split("|")}
        if method == "GET" and (roles & {"PUBLIC", "0"} or "ROUTE_AUTH_OPTIONAL" in flags):
            out.append(route)
    assert "/healthz" in out and "/metrics" in out, f"{path.name}: parsed {out}"
    return out


def fill(route, params):
    """Every concrete URL for `route` from `params` (name → list of values,
    or route → list of URLs)."""
    if route in params:
        return params[route]
    names = re.findall(r":(\w+)", route)
    if not names:
        return [route]
    urls = [route]
    for name in names:
        assert name in params, f"public route {route}: no value for :{name}"
        urls = [u.replace(f":{name}", str(v), 1) for u in urls for v in params[name]]
    return urls


def http_get(session, base, url):
    r = session.get(base + url, timeout=60,
                    headers={"X-Forwarded-For": vote_flow.random_ip()})
    head = "".join(f"{k}: {v}\n" for k, v in r.headers.items())
    return r.status_code, head.encode("utf-8") + b"\n" + r.content, r.headers


def pdf_text(data):
    r = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data,
                       capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


# ------------------------------------------------------------- scanning
def valid_id(number):
    if support.id_check_char(number[:17]) != number[17]:
        return False
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return 1800 <= born.year <= 2099  # the years GB 11643 numbers carry


def snippet(text, start, end):
    return text[max(0, start - 60):end + 60].replace("\n", "\\n")


def scan(where, data, needles, *, patterns=True, numbers=None):
    """The hits in `data` (bytes): (where, what, snippet)."""
    text = data.decode("utf-8", errors="replace")
    hits = []
    if patterns:
        for m in ID_RE.finditer(text):
            if valid_id(m.group()):
                hits.append((where, "ID-number pattern", snippet(text, m.start(), m.end())))
        for m in PHONE_RE.finditer(text):
            hits.append((where, "phone pattern", snippet(text, m.start(), m.end())))
    for label, value in needles.items():
        i = text.find(value)
        if i >= 0:
            hits.append((where, f"planted {label} = {value!r}", snippet(text, i, i + len(value))))
    for label, value in (numbers or {}).items():
        for m in re.finditer(r"(?<![\d.])" + re.escape(value) + r"(?!\d)", text):
            hits.append((where, f"planted {label} = {value}", snippet(text, m.start(), m.end())))
    return hits


# ------------------------------------------------------------- the test
@pytest.fixture(scope="module")
def world(api, vote, factory):
    planted = Planted()
    ls = lanshan_voted(api, vote, factory, planted)
    hc = huancui_recognized(api, factory, planted)
    lanshan_assessed(api, ls, planted)
    return support_ns(planted=planted, ls=ls, hc=hc)


def export_files(clock, tmp_path):
    api_bin = support.need_env("JIANGXIN_TEST_API_BIN")
    support.need_env("JIANGXIN_TEST_EXPORT_KEY")
    env = support.cli_env(JIANGXIN_PII_KEY=None, JIANGXIN_JWT_SECRET=None,
                          JIANGXIN_TEST_CLOCK=clock.now_iso())
    out = tmp_path / "export"
    r = subprocess.run([api_bin, "export", "--out", str(out), "--full"], env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    d = out / clock.today().isoformat()
    files = {f"export:{p.name}": p.read_bytes() for p in sorted(d.iterdir())}
    assert "export:manifest.json" in files and "export:recognitions.json" in files
    return files


def public_bytes(api, api_url, vote_url, world):
    """(where, bytes, patterns?) of every anonymous GET of the public routes."""
    ls, hc = world.ls, world.hc
    session = requests.Session()
    session.trust_env = False
    today = df.today()
    notices = [hc.notice["id"], ls.notice["id"]]
    listing = api.get("/v1/notices", expect=200).body
    notices += [n["id"] for n in listing.get("items", [])[:20] if n["id"] not in notices]
    final_notices = [hc.notice["id"], ls.notice["id"]] + [
        n["id"] for n in listing.get("items", [])[:20]
        if n["id"] not in notices[:2] and n.get("kind") == "final"]
    certs = [f"{c['certificate_number']}?code={c['verification_code']}"
             for c in hc.issued + ls.issued]
    tracking, code = hc.objection
    years = sorted({today.year} | {int(c["recognized_on"][:4]) for c in hc.issued + ls.issued})
    programmes = [ls.programme, hc.programme]
    api_params = {
        "code": programmes, "number": [1], "date": [today.isoformat()],
        "year": years, "id": [ls.round["id"], hc.round["id"]],
        "/v1/notices/:id": [f"/v1/notices/{n}" for n in notices],
        # A revocation notice has no PDF (its printed form is the authority's own).
        "/v1/notices/:id/notice.pdf": [f"/v1/notices/{n}/notice.pdf" for n in final_notices],
        "/v1/notices": ["/v1/notices"] + [f"/v1/notices?programme={p}" for p in programmes],
        "/v1/calendar/workdays": [f"/v1/calendar/workdays?from={today.isoformat()}&days=30"],
        # The 环翠 round has no vote (404 without a token).
        "/v1/rounds/:id/vote-results": [f"/v1/rounds/{ls.round['id']}/vote-results"],
        "/v1/certificates/:number": [f"/v1/certificates/{c}" for c in certs],
        "/v1/objections/:tracking_number": [f"/v1/objections/{tracking}?code={code}"],
        "/v1/public/recognitions": ["/v1/public/recognitions"] + [
            f"/v1/public/recognitions?programme={p}&year={y}" for p in programmes
            for y in years],
    }
    sid = ls.session["id"]
    vote_params = {
        "id": [sid], "receipt": ls.receipts,
        "/v1/sessions": ["/v1/sessions", "/v1/sessions?state=open",
                         "/v1/sessions?state=closed"],
    }
    out = []
    for base, routes, params in (
            (api_url, public_routes(ROOT / "api" / "routes.def"), api_params),
            (vote_url, public_routes(ROOT / "voting" / "routes.def"), vote_params)):
        for route in routes:
            for url in fill(route, params):
                status, data, headers = http_get(session, base, url)
                assert status == 200, f"GET {base}{url}: {status}\n{data[-600:]!r}"
                where = f"GET {base}{url} ({status})"
                if headers.get("Content-Type", "").startswith("application/pdf"):
                    body = data.split(b"\n\n", 1)[1]
                    data = data.split(b"\n\n", 1)[0] + b"\n\n" + pdf_text(body)
                exempt = route in PATTERN_EXEMPT
                out.append((where, data, not exempt))
    return out


def test_nothing_personal_leaves(api, api_url, vote_url, clock, world, tmp_path):
    needles = world.planted.needles()
    assert len(world.planted.births) == 5 and len(needles) > 30
    assert len(world.planted.numbers) >= 10
    collected = [(k, v, True) for k, v in export_files(clock, tmp_path).items()]
    collected += public_bytes(api, api_url, vote_url, world)
    # The scan saw our data: the public register and the export name our holders.
    everything = b"".join(data for _, data, _ in collected).decode("utf-8", errors="replace")
    for c in world.hc.issued + world.ls.issued:
        assert c["certificate_number"] in everything
    assert any(w.startswith("GET") and "notice.pdf" in w for w, _, _ in collected)
    hits = []
    for where, data, patterns in collected:
        hits += scan(where, data, needles, patterns=patterns, numbers=world.planted.numbers)
    assert not hits, (
        f"personal data left publicly: {len(hits)} hits in "
        f"{sorted({w for w, _, _ in hits})}\n"
        + "\n".join(f"- {w}: {what}: …{s}…" for w, what, s in hits[:40]))


def test_the_scan_finds_what_is_planted():
    """The scanner itself: each kind of hit is found, digests are not."""
    p = Planted()
    number = p.id_number("x")
    phone = p.phone("y")
    b = p.births[0]
    needles = p.needles()
    for data in (f'{{"a":"{number}"}}', f"tel {phone}.", f"{b.year}年{b.month}月{b.day}日",
                 b.isoformat(), support.mask_id(number)):
        assert scan("t", data.encode(), needles), data
    # An 18-digit run inside a SHA-256 digest or a 19-digit account is no ID number.
    digest = "ab" + number[:17] + support.id_check_char(number[:17]) + "cd"
    assert not scan("t", digest.encode(), {})
    assert not scan("t", ("6" + number[:17] + "0").encode(), {})
    assert scan("t", b"x 110105190012310026 y", {})  # an unplanted one, born 1900
    # A planted score is found as a number, not inside another.
    assert scan("t", b'{"score": 87.91}', {}, numbers={"s": "87.91"})
    assert not scan("t", b"187.912", {}, numbers={"s": "87.91"})
