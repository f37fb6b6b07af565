# SPDX-License-Identifier: MIT
"""Voter tokens at jiangxin-vote: forged, expired, alg:none, HS384,
wrong audience or issuer, bad sub → 401; a service token cannot vote; an
ES256-configured instance accepts ES256 and refuses HS256 (also an HS256
token HMAC-ed with its public key's PEM text)."""

import os
import tempfile
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

import support
import vote_support as vs


def hs(payload, key, alg="HS256"):
    return support.jwt_encode({"alg": alg, "typ": "JWT"}, payload, key)


@pytest.fixture(scope="module")
def session(vote):
    return vs.new_session(vote, n=2, votes_per_day=100, per_nominee=100)


BAD = {
    "wrong secret": lambda key: hs(vs.voter_payload(), "y" * 40),
    "expired": lambda key: hs(vs.voter_payload(exp=vs.real_s() - 120), key),
    "no exp": lambda key: hs(vs.voter_payload(exp=None), key),
    "string exp": lambda key: hs(vs.voter_payload(exp=str(vs.real_s() + 600)), key),
    "alg none": lambda key: support.jwt_encode({"alg": "none", "typ": "JWT"},
                                                vs.voter_payload(), key, alg="none"),
    "alg none with a signature": lambda key: hs(vs.voter_payload(), key).rsplit(".", 1)[0]
    .replace(support.b64url(b'{"alg":"HS256","typ":"JWT"}'),
             support.b64url(b'{"alg":"none","typ":"JWT"}')) + ".",
    "HS512 with the secret": lambda key: hs(vs.voter_payload(), key, "HS512"),
    "wrong audience": lambda key: hs(vs.voter_payload(aud="jiangxin-api"), key),
    "no audience": lambda key: hs(vs.voter_payload(aud=None), key),
    "wrong issuer": lambda key: hs(vs.voter_payload(iss="someone-else"), key),
    "empty sub": lambda key: hs(vs.voter_payload(sub=""), key),
    "numeric sub": lambda key: hs(vs.voter_payload(sub=12345), key),
    "sub of 65 bytes": lambda key: hs(vs.voter_payload(sub="v" * 65), key),
    "tampered payload": lambda key: (lambda t: t.split(".")[0] + "." + support.b64url(
        b'{"iss":"jiangxin-identity","aud":"jiangxin-vote","sub":"x","exp":9999999999}')
        + "." + t.split(".")[2])(hs(vs.voter_payload(), key)),
    "garbage": lambda key: "not.a.token",
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_voter_tokens_are_401(vote, session, case):
    sid, body, noms = session
    key = support.need_env("JIANGXIN_TEST_VOTER_JWT_SECRET")
    r = vs.cast(vote, sid, noms[0], token=BAD[case](key), expect=401)
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_missing_token_is_401(vote, session):
    sid, body, noms = session
    vote.post(f"/v1/sessions/{sid}/votes", json={"nominee_id": noms[0]}, expect=401)
    vote.post(f"/v1/sessions/{sid}/votes", json={"nominee_id": noms[0]},
              headers={"Authorization": "Basic eDp5"}, expect=401)


def test_good_voter_token_edges(vote, session):
    sid, body, noms = session
    key = support.need_env("JIANGXIN_TEST_VOTER_JWT_SECRET")
    vs.cast(vote, sid, noms[0], token=hs(vs.voter_payload(sub="v" * 64), key), expect=201)
    # inside the 30 s clock skew
    vs.cast(vote, sid, noms[0], token=hs(vs.voter_payload(exp=vs.real_s() - 5), key), expect=201)


def test_one_voter_is_its_sub(vote):
    sid, body, noms = vs.new_session(vote, n=1, per_nominee=1)
    sub = f"voter-{support.rand_hex(8)}"
    vs.cast(vote, sid, noms[0], token=vs.voter_token(sub), expect=201)
    # a second token of the same voter is the same voter
    vs.cast(vote, sid, noms[0], token=vs.voter_token(sub, jti="another"), expect=409)


def test_service_token_cannot_vote(vote, session):
    sid, body, noms = session
    r = vs.cast(vote, sid, noms[0], token=vs.service_token(), expect=403, lang="en")
    assert r.body["code"] == "role_not_allowed" and "service" in r.body["detail"]


def test_voter_token_cannot_push_sessions(vote):
    sid = vs.new_id()
    vs.put_session(vote, sid, vs.session_body(), token=vs.voter_token(), expect=403)


def test_sub_never_in_logs(vote):
    sid, body, noms = vs.new_session(vote, n=1)
    sub = f"secret-voter-{support.rand_hex(12)}"
    vs.cast(vote, sid, noms[0], token=vs.voter_token(sub), ip="198.51.100.201", expect=201)
    vs.cast(vote, sid, noms[0], token=vs.voter_token(sub), ip="198.51.100.201", expect=409)
    time.sleep(0.2)
    for name in ("JIANGXIN_TEST_VOTE_LOG", "JIANGXIN_TEST_VOTE_ERR_LOG"):
        with open(support.need_env(name), encoding="utf-8", errors="replace") as f:
            text = f.read()
        assert sub not in text and "198.51.100.201" not in text


def test_es256_instance(vote):
    priv = ec.generate_private_key(ec.SECP256R1())
    pem = priv.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    other = ec.generate_private_key(ec.SECP256R1())
    with tempfile.NamedTemporaryFile("wb", suffix=".pem", delete=False) as f:
        f.write(pem)
        path = f.name
    try:
        with vs.vote_instance(vote, drop=["JIANGXIN_VOTER_JWT_SECRET"],
                              JIANGXIN_VOTER_JWT_PUBLIC_KEY=path) as es:
            sid, body, noms = vs.new_session(es, n=1, votes_per_day=10, per_nominee=10)
            good = jwt.encode(vs.voter_payload(), priv, algorithm="ES256")
            vs.cast(es, sid, noms[0], token=good, expect=201)
            bad = {
                "other key": jwt.encode(vs.voter_payload(), other, algorithm="ES256"),
                "HS256 with the voter secret": vs.voter_token(),
                "HS256 keyed with the PEM": hs(vs.voter_payload(), pem),
                "ES256 expired": jwt.encode(vs.voter_payload(exp=vs.real_s() - 120), priv,
                                            algorithm="ES256"),
                "ES256 wrong audience": jwt.encode(vs.voter_payload(aud="x"), priv,
                                                   algorithm="ES256"),
            }
            for name, token in bad.items():
                r = vs.cast(es, sid, noms[0], token=token, check="none")
                assert r.status_code == 401, name
    finally:
        os.unlink(path)


def test_es256_config_needs_exactly_one_key(vote, tmp_path):
    with pytest.raises(AssertionError, match="exactly one"):
        with vs.vote_instance(vote, JIANGXIN_VOTER_JWT_PUBLIC_KEY=str(tmp_path / "k.pem")):
            pass
