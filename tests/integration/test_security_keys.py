# SPDX-License-Identifier: MIT
"""Keys and tokens (issue 11, "Keys and tokens"): the voting service holds
no key that signs staff tokens (the API's pushes are ES256, verified with
its public key only); the tally poster authenticates with its own ES256 key,
scoped to the tally route; staff tokens die with a password change, a
disable (and stay dead after a re-enable) or a role change; voter tokens
with a future nbf or iat, or too long a lifetime, are refused.

Token times are real time (vote_support.real_s), as the services check
them; every test passes at any test-clock start."""

import os
import pathlib
import subprocess
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

import support
import vote_flow
import vote_support as vs
from support import etag_of

EN = {"Accept-Language": "en"}


def hs(payload, key, alg="HS256"):
    return support.jwt_encode({"alg": alg, "typ": "JWT"}, payload, key)


def read(env_name):
    return pathlib.Path(support.need_env(env_name)).read_text(encoding="ascii")


def service_claims(**kw):
    now = vs.real_s()
    c = {"iss": "jiangxin-api", "aud": "jiangxin-vote", "sub": str(uuid.uuid4()),
         "role": "service", "iat": now, "exp": now + 120}
    c.update(kw)
    return {k: v for k, v in c.items() if v is not None}


def poster_claims(**kw):
    now = vs.real_s()
    c = {"iss": "jiangxin-vote", "aud": "jiangxin-api", "sub": "vote-poster",
         "role": "service", "iat": now, "exp": now + 300}
    c.update(kw)
    return {k: v for k, v in c.items() if v is not None}


def fresh_ec_key():
    return ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()


# --------------------------------------------- the voting service's keys
def test_token_of_the_old_shared_secret_is_refused_by_the_voting_service(vote):
    """Defect: jiangxin-vote verified service tokens with JIANGXIN_JWT_SECRET,
    the key of staff tokens; a token HMAC-ed with it must no longer work."""
    secret = support.need_env("JIANGXIN_TEST_JWT_SECRET")
    sid = vs.new_id()
    body = vs.session_body(n=1)
    r = vs.put_session(vote, sid, body, token=vs.service_token(secret=secret), expect=401)
    assert r.body["code"] == "token_invalid"
    # the same claims signed with the API's push key pass
    vs.put_session(vote, sid, body, token=vs.service_token(), expect=(200, 201))


def test_hs256_token_hmac_ed_with_the_public_key_is_refused(vote, api):
    """libjwt issue #200: with a PEM key, an HS256 token HMAC-ed with the PEM
    text verifies unless the algorithm is pinned. Both services pin ES256."""
    pem = read("JIANGXIN_TEST_API_PUBLIC_KEY")
    sid = vs.new_id()
    r = vs.put_session(vote, sid, vs.session_body(n=1), token=hs(service_claims(), pem),
                       expect=401)
    assert r.body["code"] == "token_invalid"
    poster_pem = read("JIANGXIN_TEST_POSTER_PUBLIC_KEY")
    r = api.put(f"/v1/vote-sessions/{uuid.uuid4()}/tally", token=hs(poster_claims(), poster_pem),
                json={}, expect=401)
    assert r.body["code"] == "token_invalid"


def _vote_pid():
    """The pid of the test stack's jiangxin-vote (by its listen address)."""
    port = support.need_env("JIANGXIN_TEST_VOTE_URL").rstrip("/").rsplit(":", 1)[1]
    needle = f"JIANGXIN_LISTEN=127.0.0.1:{port}".encode()
    binary = os.path.realpath(support.need_env("JIANGXIN_TEST_VOTE_BIN"))
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.path.realpath(entry / "exe") != binary:
                continue
            env = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if needle in env:
            return int(entry.name)
    raise AssertionError("the test stack's jiangxin-vote process was not found")


def test_voting_service_holds_no_staff_token_secret():
    """Defect: jiangxin-vote was configured with JIANGXIN_JWT_SECRET; a
    compromised vote host could mint admin tokens the API accepted."""
    secret = support.need_env("JIANGXIN_TEST_JWT_SECRET").encode()
    env = pathlib.Path(f"/proc/{_vote_pid()}/environ").read_bytes().split(b"\0")
    names = {e.split(b"=", 1)[0] for e in env if b"=" in e}
    assert b"JIANGXIN_JWT_SECRET" not in names
    assert b"JIANGXIN_API_PASSWORD" not in names and b"JIANGXIN_API_USERNAME" not in names
    assert not any(secret in e for e in env)
    assert b"JIANGXIN_API_PUBLIC_KEY" in names and b"JIANGXIN_POSTER_KEY" in names
    # its key files are private keys of its own, public keys of the API
    vote_env = vs.base_env()
    assert "PUBLIC KEY" in pathlib.Path(vote_env["JIANGXIN_API_PUBLIC_KEY"]).read_text()
    assert "PRIVATE KEY" not in pathlib.Path(vote_env["JIANGXIN_API_PUBLIC_KEY"]).read_text()
    assert oct(os.stat(vote_env["JIANGXIN_POSTER_KEY"]).st_mode & 0o777) == "0o600"


def test_voting_service_refuses_to_start_with_the_staff_secret():
    """The old variable still set on a vote host is a configuration error
    (exit 2, named, its value never printed)."""
    secret = support.need_env("JIANGXIN_TEST_JWT_SECRET")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIANGXIN_")}
    env.update(vs.base_env())
    env.update({"JIANGXIN_JWT_SECRET": secret, "JIANGXIN_LISTEN": "127.0.0.1:1",
                "JIANGXIN_API_USERNAME": "vote-service", "JIANGXIN_API_PASSWORD": "x" * 24})
    proc = subprocess.run([support.need_env("JIANGXIN_TEST_VOTE_BIN")], env=env,
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    for name in ("JIANGXIN_JWT_SECRET", "JIANGXIN_API_USERNAME", "JIANGXIN_API_PASSWORD"):
        assert name in proc.stderr
    assert secret not in proc.stderr + proc.stdout


# ------------------------------------------------------ the tally poster
def test_poster_token_works_only_on_the_tally_route(api):
    """Defect: the poster signed in with a staff password (lockable, and a
    full service principal). Its own ES256 token is accepted on the tally
    route only."""
    token = support.poster_token()
    r = api.put(f"/v1/vote-sessions/{uuid.uuid4()}/tally", token=token, headers=EN,
                json={"sequence": 1, "counts": {}, "total": 0, "final": False,
                      "log_entries": 0, "log_sha256": "0" * 64,
                      "as_of": "2030-01-01T00:00:00Z"}, check="none")
    assert r.status_code not in (401, 403), r.text  # authenticated and allowed here
    r = api.get("/v1/me", token=token, headers=EN, expect=403)
    assert r.body["code"] == "key_scope_not_allowed"
    r = api.get("/v1/users", token=token, expect=403)
    assert r.body["code"] == "role_not_allowed"


@pytest.mark.parametrize("case", ["other key", "staff secret", "role admin", "other subject",
                                  "long lifetime", "no iat", "wrong audience", "API issuer"])
def test_bad_poster_tokens_are_401(api, case):
    secret = support.need_env("JIANGXIN_TEST_JWT_SECRET")
    token = {
        "other key": lambda: jwt.encode(poster_claims(), fresh_ec_key(), algorithm="ES256"),
        "staff secret": lambda: hs(poster_claims(), secret),
        "role admin": lambda: support.poster_token(role="admin"),
        "other subject": lambda: support.poster_token(sub="someone"),
        "long lifetime": lambda: support.poster_token(exp=vs.real_s() + 7200),
        "no iat": lambda: support.poster_token(iat=None),
        "wrong audience": lambda: support.poster_token(aud="jiangxin-vote"),
        "API issuer": lambda: support.poster_token(iss="jiangxin-api"),
    }[case]()
    r = api.put(f"/v1/vote-sessions/{uuid.uuid4()}/tally", token=token, json={}, expect=401)
    assert r.body["code"] == "token_invalid"


# ------------------------------------------------------ staff token life
def _patch(api, admin_token, user_id, body):
    got = api.get(f"/v1/users/{user_id}", token=admin_token, expect=200)
    return api.patch(f"/v1/users/{user_id}", token=admin_token, json=body,
                     headers={"If-Match": etag_of(got)}, expect=200)


def test_token_dies_with_a_password_change(api, admin_token, factory):
    """Defect: a token still worked after its user's password changed."""
    u = factory.user("expert")
    api.get("/v1/me", token=u.token, expect=200)
    new_pw = support.new_password()
    _patch(api, admin_token, u.id, {"password": new_pw})
    r = api.get("/v1/me", token=u.token, headers=EN, expect=401)
    assert r.body["code"] == "token_revoked"
    fresh = support.login(api, u.username, new_pw)
    assert api.get("/v1/me", token=fresh, expect=200).body["id"] == u.id


def test_token_stays_dead_after_disable_and_re_enable(api, admin_token, factory):
    """Defect: a token issued before the user was disabled worked again
    after re-enabling."""
    u = factory.user("leader")
    api.get("/v1/me", token=u.token, expect=200)
    _patch(api, admin_token, u.id, {"disabled": True})
    assert api.get("/v1/me", token=u.token, expect=401).body["code"] == "user_disabled"
    _patch(api, admin_token, u.id, {"disabled": False})
    r = api.get("/v1/me", token=u.token, expect=401)
    assert r.body["code"] == "token_revoked"
    fresh = support.login(api, u.username, u.password)
    api.get("/v1/me", token=fresh, expect=200)


def test_token_dies_with_a_role_or_scope_change(api, admin_token, factory):
    u = factory.user("expert")
    _patch(api, admin_token, u.id, {"role": "leader"})
    assert api.get("/v1/me", token=u.token, expect=401).body["code"] == "token_revoked"
    o = factory.user("office", programmes=[support.PROGRAMMES[0]])
    api.get("/v1/me", token=o.token, expect=200)
    # the same scope again changes nothing ...
    _patch(api, admin_token, o.id, {"programmes": [support.PROGRAMMES[0]]})
    api.get("/v1/me", token=o.token, expect=200)
    # ... another one ends the token
    _patch(api, admin_token, o.id, {"programmes": list(support.PROGRAMMES[:2])})
    assert api.get("/v1/me", token=o.token, expect=401).body["code"] == "token_revoked"


def test_unrelated_edits_keep_the_token(api, admin_token, factory):
    u = factory.user("expert")
    _patch(api, admin_token, u.id, {"role": "expert", "disabled": False})
    api.get("/v1/me", token=u.token, expect=200)


def test_staff_token_without_token_version_is_refused(api, factory, jwt_secret):
    u = factory.user("expert")
    _, claims = support.jwt_parts(u.token)
    assert isinstance(claims.get("tv"), int)
    claims.pop("tv")
    r = api.get("/v1/me", token=hs(claims, jwt_secret), expect=401)
    assert r.body["code"] == "token_revoked"


# ----------------------------------------------------------- voter tokens
@pytest.fixture(scope="module")
def session(vote):
    return vs.new_session(vote, n=1, votes_per_day=100, per_nominee=100)


def test_voter_token_times_are_checked(vote, session):
    """Defect: nbf was ignored, an iat a year ahead and a 10-year exp were
    accepted."""
    sid, _, noms = session
    key = support.need_env("JIANGXIN_TEST_VOTER_JWT_SECRET")
    now = vs.real_s()
    year = 365 * 86400
    bad = {
        "nbf in an hour": (vs.voter_payload(nbf=now + 3600), "token_invalid"),
        "nbf beyond the skew": (vs.voter_payload(nbf=now + 120), "token_invalid"),
        "iat a year ahead": (vs.voter_payload(iat=now + year, exp=now + year + 600),
                             "token_invalid"),
        "a 10-year exp": (vs.voter_payload(exp=now + 10 * year), "token_lifetime_too_long"),
        "25 hours from iat": (vs.voter_payload(iat=now, exp=now + 25 * 3600),
                              "token_lifetime_too_long"),
        "no iat, 2 days ahead": (vs.voter_payload(iat=None, exp=now + 2 * 86400),
                                 "token_lifetime_too_long"),
        "a string nbf": (vs.voter_payload(nbf=str(now)), "token_invalid"),
    }
    for name, (payload, code) in bad.items():
        r = vs.cast(vote, sid, noms[0], token=hs(payload, key), expect=401)
        assert r.body["code"] == code, name
    good = {
        "nbf now": vs.voter_payload(nbf=now),
        "nbf inside the skew": vs.voter_payload(nbf=now + 10),
        "iat inside the skew": vs.voter_payload(iat=now + 10),
        "23 hours": vs.voter_payload(iat=now - 3600, exp=now + 22 * 3600),
        "no iat, an hour": vs.voter_payload(iat=None, exp=now + 3600),
    }
    for name, payload in good.items():
        r = vs.cast(vote, sid, noms[0], token=hs(payload, key), check="none")
        assert r.status_code == 201, (name, r.status_code, r.text)


def test_voter_token_lifetime_is_configurable(vote):
    key = support.need_env("JIANGXIN_TEST_VOTER_JWT_SECRET")
    with vs.vote_instance(vote, JIANGXIN_VOTER_TOKEN_MAX_TTL="600") as short:
        sid, _, noms = vs.new_session(short, n=1, votes_per_day=10, per_nominee=10)
        now = vs.real_s()
        r = vs.cast(short, sid, noms[0], token=hs(vs.voter_payload(iat=now, exp=now + 900), key),
                    expect=401)
        assert r.body["code"] == "token_lifetime_too_long"
        vs.cast(short, sid, noms[0], token=hs(vs.voter_payload(iat=now, exp=now + 500), key),
                expect=201)


# ---------------------------------------------------- key rotation (API)
def test_previous_staff_secret_verifies_but_never_signs(api, factory, tmp_path):
    """JIANGXIN_JWT_SECRET_PREVIOUS: tokens of the old secret keep working
    on an API restarted with a new one, until they expire."""
    u = factory.user("expert")
    old = support.need_env("JIANGXIN_TEST_JWT_SECRET")
    new = support.rand_hex(32)
    port = vote_flow.free_port()
    env = vote_flow.api_env(port, "http://127.0.0.1:1")
    env.update({"JIANGXIN_JWT_SECRET": new, "JIANGXIN_JWT_SECRET_PREVIOUS": old})
    env.pop("JIANGXIN_VOTE_URL")
    svc = vote_flow.Service("api-rotated", support.need_env("JIANGXIN_TEST_API_BIN"), env, port,
                            tmp_path, ["serve"])
    try:
        svc.start()
        import conftest
        rotated = conftest.Client(svc.url, api.spec, "jiangxin-api (rotated)")
        rotated.get("/v1/me", token=u.token, expect=200)
        fresh = support.login(rotated, u.username, u.password)
        # signed with the new secret only
        jwt.decode(fresh, new, algorithms=["HS256"], audience="jiangxin-api")
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(fresh, old, algorithms=["HS256"], audience="jiangxin-api")
        api.get("/v1/me", token=fresh, expect=401)  # the old-secret API does not know it yet
    finally:
        svc.stop()
