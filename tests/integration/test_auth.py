# SPDX-License-Identifier: MIT
"""Authentication: issuing tokens, refusing bad credentials and forged or
stale tokens (JWTs built by hand), disabled and deleted users, and an access
log free of secrets."""

import datetime
import json
import time
import uuid

import pytest

import support
from support import jwt_encode, jwt_parts


def test_token_issue_returns_bearer_jwt(api, factory):
    user = factory.user("expert", login_now=False)
    before = int(time.time())
    r = api.post("/v1/auth/token", json={"username": user.username, "password": user.password},
                 expect=200)
    body = r.body
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] > 0
    header, claims = jwt_parts(body["access_token"])
    assert header["alg"] == "HS256"
    assert claims["iss"] == "jiangxin-api"
    aud = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    assert "jiangxin-api" in aud
    assert claims["sub"] == user.id
    assert abs(claims["exp"] - (before + body["expires_in"])) <= 5
    expires_at = datetime.datetime.fromisoformat(body["expires_at"])
    assert abs(expires_at.timestamp() - claims["exp"]) <= 1
    assert body["expires_at"].endswith("+08:00")


def test_me_returns_the_caller(api, factory):
    user = factory.user("leader")
    r = api.get("/v1/me", token=user.token, expect=200)
    assert r.body["id"] == user.id
    assert r.body["username"] == user.username
    assert r.body["role"] == "leader"
    assert r.body["disabled"] is False
    text = r.text.lower()
    assert "password" not in text and "argon2" not in text


def test_me_without_token_is_401(api):
    r = api.get("/v1/me", expect=401)
    assert r.body["type"] == "urn:jiangxin:problem:unauthorized"


def test_wrong_password_is_401(api, factory):
    user = factory.user("expert", login_now=False)
    r = api.post("/v1/auth/token", json={"username": user.username,
                                         "password": user.password + "x"}, expect=401)
    assert r.body["type"] == "urn:jiangxin:problem:unauthorized"


def test_unknown_user_is_401(api):
    r = api.post("/v1/auth/token", json={"username": f"t-nobody-{support.rand_hex(10)}",
                                         "password": "whatever-password-123"}, expect=401)
    assert r.body["type"] == "urn:jiangxin:problem:unauthorized"


def test_bad_credentials_do_not_reveal_which_part_was_wrong(api, factory):
    user = factory.user("expert", login_now=False)
    wrong_pw = api.post("/v1/auth/token", json={"username": user.username,
                                                "password": "not-the-password-1"}, expect=401)
    no_user = api.post("/v1/auth/token", json={"username": f"t-nobody-{support.rand_hex(10)}",
                                               "password": "not-the-password-1"}, expect=401)

    def strip(b):
        return {k: v for k, v in b.items() if k not in ("request_id", "instance")}
    assert strip(wrong_pw.body) == strip(no_user.body)


# Sign-in throttling (api/handlers/auth.c; test_security_login.py has the
# growing delay, the per-address budget and the lockout chain). The test
# stack trusts X-Forwarded-For from 127.0.0.1, so each test signs in from an
# address of its own.
LOGIN_FREE_FAILURES = 5  # JIANGXIN_SIGNIN_FREE_FAILURES


def _random_ip():
    return "10.%d.%d.%d" % tuple(b % 250 + 1 for b in bytes.fromhex(support.rand_hex(6)))


def test_repeated_failed_sign_ins_delay_the_username_from_that_address(api, factory):
    victim = factory.user("expert", login_now=False)
    bystander = factory.user("expert", login_now=False)
    here = {"X-Forwarded-For": _random_ip()}
    for _ in range(LOGIN_FREE_FAILURES + 1):
        api.post("/v1/auth/token", json={"username": victim.username,
                                         "password": "not-the-password-1"},
                 headers=here, expect=401)
    # Delayed from this address: even the right password is refused, with a Retry-After.
    r = api.post("/v1/auth/token", json={"username": victim.username,
                                         "password": victim.password}, headers=here, expect=429)
    assert r.body["type"] == "urn:jiangxin:problem:rate-limited"
    assert r.body["code"] == "sign_in_throttled"
    retry = int(r.headers["Retry-After"])
    assert 0 < retry <= 1
    # Another account is not affected, nor the same account from elsewhere.
    api.post("/v1/auth/token", json={"username": bystander.username,
                                     "password": bystander.password}, headers=here, expect=200)
    api.post("/v1/auth/token", json={"username": victim.username, "password": victim.password},
             headers={"X-Forwarded-For": _random_ip()}, expect=200)


def test_unknown_usernames_are_delayed_the_same_way(api):
    name = f"t-nobody-{support.rand_hex(10)}"
    here = {"X-Forwarded-For": _random_ip()}
    for _ in range(LOGIN_FREE_FAILURES + 1):
        api.post("/v1/auth/token", json={"username": name, "password": "guess-password-1"},
                 headers=here, expect=401)
    r = api.post("/v1/auth/token", json={"username": name, "password": "guess-password-1"},
                 headers=here, expect=429)
    assert r.body["code"] == "sign_in_throttled"
    assert "Retry-After" in r.headers


def test_a_success_clears_earlier_failures(api, factory):
    user = factory.user("expert", login_now=False)
    here = {"X-Forwarded-For": _random_ip()}
    for _ in range(2):
        for _ in range(LOGIN_FREE_FAILURES):
            api.post("/v1/auth/token", json={"username": user.username,
                                             "password": "not-the-password-1"},
                     headers=here, expect=401)
        api.post("/v1/auth/token", json={"username": user.username, "password": user.password},
                 headers=here, expect=200)


def test_token_missing_password_is_422(api):
    r = api.post("/v1/auth/token", json={"username": "someone"}, expect=422)
    assert any(e["pointer"] == "/password" for e in r.body.get("errors", []))


# ------------------------------------------------------------ forged JWTs
@pytest.fixture
def real(api, factory):
    """A fresh user, its real token, and the token's decoded header + claims."""
    user = factory.user("expert")
    header, claims = jwt_parts(user.token)
    return user, header, claims


def test_hand_built_token_with_right_claims_works(api, real, jwt_secret):
    # Control for the forgeries below: the same claims, signed by us, pass.
    user, header, claims = real
    token = jwt_encode({"alg": "HS256", "typ": "JWT"}, claims, jwt_secret)
    r = api.get("/v1/me", token=token, expect=200)
    assert r.body["id"] == user.id


def _forgeries(header, claims, secret):
    now = int(time.time())
    hs256 = {"alg": "HS256", "typ": "JWT"}

    def with_(**kw):
        c = dict(claims)
        for k, v in kw.items():
            if v is None:
                c.pop(k, None)
            else:
                c[k] = v
        return c
    yield "alg-none", jwt_encode({"alg": "none", "typ": "JWT"}, claims, None, "none")
    yield "alg-None", jwt_encode({"alg": "None", "typ": "JWT"}, claims, None, "none")
    yield "alg-none-with-signature", jwt_encode({"alg": "none", "typ": "JWT"}, claims,
                                                secret, "HS256")
    yield "wrong-key", jwt_encode(hs256, claims, secret + "x")
    yield "empty-key", jwt_encode(hs256, claims, "")
    yield "hs512-right-key", jwt_encode({"alg": "HS512", "typ": "JWT"}, claims, secret)
    yield "expired", jwt_encode(hs256, with_(exp=now - 3600, iat=now - 4000), secret)
    yield "wrong-audience", jwt_encode(hs256, with_(aud="jiangxin-vote"), secret)
    yield "audience-list-without-us", jwt_encode(hs256, with_(aud=["someone-else"]), secret)
    yield "missing-audience", jwt_encode(hs256, with_(aud=None), secret)
    yield "wrong-issuer", jwt_encode(hs256, with_(iss="evil"), secret)
    yield "missing-issuer", jwt_encode(hs256, with_(iss=None), secret)
    yield "missing-exp", jwt_encode(hs256, with_(exp=None), secret)
    yield "string-exp", jwt_encode(hs256, with_(exp=str(now + 600)), secret)
    yield "unknown-subject", jwt_encode(hs256, with_(sub=str(uuid.uuid4())), secret)
    yield "non-uuid-subject", jwt_encode(hs256, with_(sub="admin"), secret)
    yield "missing-subject", jwt_encode(hs256, with_(sub=None), secret)
    good = jwt_encode(hs256, claims, secret)
    h, p, s = good.split(".")
    tampered = dict(claims, role="admin", sub=claims["sub"])
    yield "tampered-payload", f"{h}.{support.b64url(json.dumps(tampered).encode())}.{s}"
    yield "truncated-signature", f"{h}.{p}.{s[:-4]}"
    yield "no-signature", f"{h}.{p}"
    yield "garbage", "garbage"
    yield "garbage-dots", "a.b.c"
    yield "empty", ""


FORGERY_NAMES = [name for name, _ in _forgeries({}, {"sub": "x", "exp": 1}, "k")]


@pytest.mark.parametrize("name", FORGERY_NAMES)
def test_forged_token_is_401(api, real, jwt_secret, name):
    _, header, claims = real
    token = dict(_forgeries(header, claims, jwt_secret))[name]
    r = api.get("/v1/me", headers={"Authorization": f"Bearer {token}"}, expect=401)
    assert r.body["type"] == "urn:jiangxin:problem:unauthorized"


@pytest.mark.parametrize("value", ["{token}", "Basic {token}", "Token {token}", "Bearer",
                                   "Bearer  ", "Bearer {token} extra"])
def test_authorization_without_bearer_scheme_is_401(api, real, value):
    user, _, _ = real
    r = api.get("/v1/me", headers={"Authorization": value.format(token=user.token)}, expect=401)
    assert r.body["type"] == "urn:jiangxin:problem:unauthorized"


def test_disabled_users_token_stops_working(api, factory, admin_token):
    user = factory.user("finance")
    api.get("/v1/me", token=user.token, expect=200)
    got = api.get(f"/v1/users/{user.id}", token=admin_token, expect=200)
    r = api.patch(f"/v1/users/{user.id}", token=admin_token, json={"disabled": True},
                  headers={"If-Match": support.etag_of(got)}, expect=200)
    assert r.body["disabled"] is True
    api.get("/v1/me", token=user.token, expect=401)
    api.post("/v1/auth/token", json={"username": user.username, "password": user.password},
             expect=401)


def test_reenabled_user_can_log_in_again(api, factory, admin_token):
    user = factory.user("finance")
    got = api.get(f"/v1/users/{user.id}", token=admin_token, expect=200)
    r = api.patch(f"/v1/users/{user.id}", token=admin_token, json={"disabled": True},
                  headers={"If-Match": support.etag_of(got)}, expect=200)
    api.patch(f"/v1/users/{user.id}", token=admin_token, json={"disabled": False},
              headers={"If-Match": support.etag_of(r)}, expect=200)
    token = support.login(api, user.username, user.password)
    api.get("/v1/me", token=token, expect=200)


def test_deleted_users_token_stops_working(api, factory, admin_token):
    user = factory.user("auditor")
    api.get("/v1/me", token=user.token, expect=200)
    api.delete(f"/v1/users/{user.id}", token=admin_token, expect=204)
    api.get("/v1/me", token=user.token, expect=401)
    api.post("/v1/auth/token", json={"username": user.username, "password": user.password},
             expect=401)


# ------------------------------------------------------------ access log
def _log_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().splitlines()


def _lines_with(path, request_id):
    out = []
    for line in _log_lines(path):
        if request_id in line:
            out.append(line)
    return out


def test_access_log_has_no_secrets(api, factory):
    log_path = support.need_env("JIANGXIN_TEST_API_LOG")
    user = factory.user("expert", login_now=False)
    rid_login = "it-log-login-" + support.rand_hex(8)
    rid_me = "it-log-me-" + support.rand_hex(8)
    rid_query = "it-log-query-" + support.rand_hex(8)
    secret_query = "q-secret-" + support.rand_hex(8)
    token = support.login(api, user.username, user.password,
                          headers={"X-Request-Id": rid_login})
    api.get("/v1/me", token=token, headers={"X-Request-Id": rid_me}, expect=200)
    api.get("/v1/programmes", params={"q": secret_query},
            headers={"X-Request-Id": rid_query}, expect=200)
    support.poll(lambda: all(_lines_with(log_path, rid) for rid in (rid_login, rid_me, rid_query)),
                 timeout=10, what="the access log lines of three requests")
    lines = _log_lines(log_path)
    text = "\n".join(lines)
    assert user.password not in text, "the access log contains a password"
    assert token not in text, "the access log contains a token"
    assert token.split(".")[2] not in text, "the access log contains a token signature"
    low = text.lower()
    assert "bearer ey" not in low and '"authorization"' not in low, \
        "the access log carries the Authorization header"
    assert secret_query not in text, "the access log contains a query string"
    for rid, method, path, status in ((rid_login, "POST", "/v1/auth/token", 200),
                                      (rid_me, "GET", "/v1/me", 200),
                                      (rid_query, "GET", "/v1/programmes", 200)):
        matches = _lines_with(log_path, rid)
        assert len(matches) == 1, matches
        entry = json.loads(matches[0])
        assert entry["msg"] == "request" and entry["level"] == "info"
        assert entry["request_id"] == rid
        assert entry["method"] == method and entry["path"] == path
        assert entry["status"] == status
        assert isinstance(entry["duration_ms"], (int, float)) and entry["duration_ms"] >= 0
        assert isinstance(entry["bytes"], int) and entry["bytes"] >= 0
        assert entry["route"] and entry["ts"]
