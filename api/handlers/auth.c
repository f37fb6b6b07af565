/* SPDX-License-Identifier: MIT */
/*
 * Sign-in and the caller's own record. Tokens are short-lived HS256 JWTs
 * carrying the user's token version; every request re-reads the user, so a
 * disabled or deleted user's token stops working at once, role changes apply
 * to the next request, and a token from before a password change, disable
 * or scope change stays dead. The tally poster signs its own ES256 tokens:
 * a service principal scoped to the ROUTE_KEY_SCOPED routes.
 * Sign-in is throttled per (username, client address) and per address
 * (db/migrations/0011), and password hashes run a bounded number at once.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "civil_time.h"
#include "crypto.h"
#include "handlers.h"
#include "hash_pool.h"
#include "json_fields.h"
#include "log.h"
#include "store/user_store.h"

bool api_auth_configure(struct api_ctx *ctx, char *err, size_t errlen)
{
    const struct api_config *cfg = ctx->cfg;

    ctx->n_staff_keys = 0;
    ctx->staff_keys[ctx->n_staff_keys++] = (struct auth_key){
        AUTH_ALG_HS256, (const unsigned char *)cfg->jwt_secret, strlen(cfg->jwt_secret)};
    if (cfg->jwt_secret_previous != NULL) {
        ctx->staff_keys[ctx->n_staff_keys++] =
            (struct auth_key){AUTH_ALG_HS256, (const unsigned char *)cfg->jwt_secret_previous,
                              strlen(cfg->jwt_secret_previous)};
    }
    ctx->poster_keys.n = 0;
    return cfg->poster_public_key == NULL ||
           auth_keyring_load("JIANGXIN_POSTER_PUBLIC_KEY", cfg->poster_public_key,
                             &ctx->poster_keys, err, errlen);
}

void api_auth_release(struct api_ctx *ctx)
{
    auth_keyring_free(&ctx->poster_keys);
}

/* The tally poster's token: the principal "vote-poster", role service,
 * scoped (no user row: audit events name it, with no actor id). */
static bool
poster_principal(const struct api_ctx *ctx, const char *token, long now, struct principal *ret)
{
    struct auth_claims c;

    if (ctx->poster_keys.n == 0 ||
        auth_token_verify_keys(ctx->poster_keys.keys, ctx->poster_keys.n, POSTER_ISSUER,
                               API_AUDIENCE, token, now, AUTH_SUB_MAX - 1, &c) != APP_OK ||
        strcmp(c.sub, POSTER_SUBJECT) != 0 || strcmp(c.role, "service") != 0 || c.iat == 0 ||
        c.exp - c.iat > POSTER_TOKEN_MAX_S) {
        return false;
    }
    *ret = (struct principal){.role = ROLE_SERVICE, .key_scoped = true, .expires_at = c.exp};
    snprintf(ret->username, sizeof(ret->username), "%s", POSTER_SUBJECT);
    return true;
}

enum app_err
api_authenticate(void *app, const char *token, struct principal *ret, struct problem *reterr)
{
    const struct api_ctx *ctx = app;
    struct auth_claims claims;
    struct db *db;
    enum app_err err;
    long now = (long)time(NULL), tv = -1;

    err = auth_token_verify_keys(ctx->staff_keys, ctx->n_staff_keys, API_ISSUER, API_AUDIENCE,
                                 token, now, AUTH_SUB_MAX - 1, &claims);
    if (err != APP_OK) {
        if (poster_principal(ctx, token, now, ret)) {
            return APP_OK;
        }
        return problem_fail(reterr, APP_ERR_UNAUTHORIZED, "token_invalid", "令牌无效或已过期",
                            "the token is invalid or expired");
    }
    db = api_db(reterr);
    if (db == NULL) {
        return reterr->err;
    }
    err = user_store_principal(db, claims.sub, ret, &tv);
    if (err == APP_ERR_UNAVAILABLE) {
        return ops_store_problem(err, reterr);
    }
    if (err != APP_OK) {
        return problem_fail(reterr, APP_ERR_UNAUTHORIZED, "user_disabled",
                            "令牌所属用户已停用或已删除",
                            "the token's user is disabled or deleted");
    }
    /* Same row, same round trip: the token must carry the user's current
     * version (a password, disable or scope change since voids it). */
    if (claims.tv != tv) {
        return problem_fail(reterr, APP_ERR_UNAUTHORIZED, "token_revoked",
                            "令牌已失效（密码、状态或权限已变更），请重新登录",
                            "the token was revoked (password, status or scope changed); sign in "
                            "again");
    }
    ret->expires_at = claims.exp;
    return APP_OK;
}

/* 503 at once when every hasher is busy; the client retries in a second. */
static enum app_err sign_in_busy(struct problem *p)
{
    problem_fail(p, APP_ERR_UNAVAILABLE, "sign_in_busy", "登录请求繁忙，请稍后再试",
                 "too many sign-ins at once; try again shortly");
    p->retry_after = 1;
    return p->err;
}

/* The client address (the peer, or X-Forwarded-For from a trusted proxy)
 * and the throttle keys derived from it: keyed hashes, so neither the
 * address nor the username is stored. */
static bool sign_in_keys(const struct http_call *call,
                         const char *username,
                         char pair_key[CRYPTO_KEYED_HEX],
                         char address_key[CRYPTO_KEYED_HEX])
{
    const struct api_ctx *ctx = call->app;
    char peer[CLIENT_IP_TEXT_MAX], address[CLIENT_IP_TEXT_MAX];
    char pair[CLIENT_IP_TEXT_MAX + 1 + 64 + 1];

    if (!http_peer_address(call, peer, sizeof(peer)) ||
        !client_ip_resolve(&ctx->trusted, peer, http_header(call, "X-Forwarded-For"), address)) {
        return false;
    }
    /* An address holds no blank, so "address username" is unambiguous. */
    snprintf(pair, sizeof(pair), "%s %s", address, username);
    crypto_keyed_hash(ctx->cfg->pii_key, "jiangxin sign-in pair", pair, pair_key);
    crypto_keyed_hash(ctx->cfg->pii_key, "jiangxin sign-in address", address, address_key);
    return true;
}

static void sign_in_limits_of(const struct api_config *cfg, struct sign_in_limits *ret)
{
    ret->free_failures = (int)cfg->signin_free_failures;
    ret->delay_max_s = (int)cfg->signin_delay_max;
    ret->address_failures = (int)cfg->signin_address_failures;
    ret->address_window_s = (int)cfg->signin_address_window;
}

/* 429 when the address has used its budget or the pair must still wait;
 * checked before the user is read and before any hashing. */
static enum app_err sign_in_throttled(struct db *db,
                                      const char *pair_key,
                                      const char *address_key,
                                      const struct sign_in_limits *lim,
                                      struct problem *p)
{
    int pair_wait = 0, address_wait = 0;
    enum app_err err =
        user_store_sign_in_wait(db, pair_key, address_key, lim, &pair_wait, &address_wait);

    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (address_wait > 0) {
        problem_fail(p, APP_ERR_RATE_LIMITED, "sign_in_address_throttled",
                     "来自此网络地址的登录失败次数过多，请稍后再试",
                     "too many failed sign-ins from this network address; try again later");
        p->retry_after = (unsigned)address_wait;
        return p->err;
    }
    if (pair_wait > 0) {
        problem_fail(p, APP_ERR_RATE_LIMITED, "sign_in_throttled",
                     "该用户名登录失败次数过多，请稍后再试",
                     "too many failed sign-ins for this username; try again later");
        p->retry_after = (unsigned)pair_wait;
        return p->err;
    }
    return APP_OK;
}

/* Counts a failure; logs (without username or address) when a pair's
 * delays begin and when an address uses up its budget. */
static enum app_err sign_in_failed(struct http_call *call,
                                   struct db *db,
                                   const char *pair_key,
                                   const char *address_key,
                                   const struct sign_in_limits *lim)
{
    int failures = 0;
    double before = 0;
    enum app_err err =
        user_store_sign_in_failed(db, pair_key, address_key, lim, &failures, &before);

    if (err != APP_OK) {
        return err;
    }
    if (failures == lim->free_failures + 1) {
        log_warn("sign-in: %d failures for one username from one address, delays begin"
                 " (request %s)",
                 failures, call->request_id);
    }
    if (before < lim->address_failures && before + 1 >= lim->address_failures) {
        log_warn("sign-in: an address used its budget of %d failed sign-ins (request %s)",
                 lim->address_failures, call->request_id);
    }
    return APP_OK;
}

static const struct json_field token_fields[] = {
    {"username", JF_STRING, true, 1, 64},
    {"password", JF_STRING, true, 1, CRYPTO_PASSWORD_MAX},
};

/* Issues the user's token and replies with it (never cached). */
static enum app_err reply_token(struct http_call *call, const char *id, long now, struct problem *p)
{
    const struct api_ctx *ctx = call->app;
    char *token = NULL, expires[RFC3339_TEXT_MAX];
    json_t *body = NULL;
    struct db *db = api_db(p);
    struct auth_grant g = {.iss = API_ISSUER,
                           .aud = API_AUDIENCE,
                           .sub = id,
                           .role = "user",
                           .ttl = ctx->cfg->token_ttl};

    if (db == NULL) {
        return p->err;
    }
    /* The token carries the user's token version (see api_authenticate). */
    if ((p->err = user_store_token_version(db, id, &g.tv)) != APP_OK) {
        return ops_store_problem(p->err == APP_ERR_NOT_FOUND ? APP_ERR_INTERNAL : p->err, p);
    }
    p->err = auth_token_sign(AUTH_ALG_HS256, (const unsigned char *)ctx->cfg->jwt_secret,
                             strlen(ctx->cfg->jwt_secret), &g, now, &token);
    if (p->err != APP_OK) {
        return p->err;
    }
    rfc3339_format(((long long)now + ctx->cfg->token_ttl) * 1000, false, expires);
    body = json_pack("{s:s, s:s, s:I, s:s}", "access_token", token, "token_type", "Bearer",
                     "expires_in", (json_int_t)ctx->cfg->token_ttl, "expires_at", expires);
    free(token);
    if (body == NULL) {
        return problem_kind(p, APP_ERR_INTERNAL);
    }
    http_set_header(call, "Cache-Control", "no-store");
    http_reply_json(call, 200, body);
    json_decref(body);
    return APP_OK;
}

enum app_err auth_token(struct http_call *call, struct problem *p)
{
    const struct api_ctx *ctx = call->app;
    struct sign_in_limits lim;
    struct db *db = NULL;
    char *id = NULL, *hash = NULL;
    char pair_key[CRYPTO_KEYED_HEX], address_key[CRYPTO_KEYED_HEX];
    long now = (long)time(NULL);

    if (!json_fields_check(call->body, token_fields, 2, "", p)) {
        goto cleanup;
    }
    const char *username = json_string_value(json_object_get(call->body, "username"));
    const char *password = json_string_value(json_object_get(call->body, "password"));
    if (!sign_in_keys(call, username, pair_key, address_key)) {
        log_error("sign-in: the client address is unknown (request %s)", call->request_id);
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    /* Cheap first: no database work while the hashers are busy. */
    if (hash_pool_full()) {
        sign_in_busy(p);
        goto cleanup;
    }
    db = api_db(p);
    if (db == NULL) {
        goto cleanup;
    }
    sign_in_limits_of(ctx->cfg, &lim);
    if (sign_in_throttled(db, pair_key, address_key, &lim, p) != APP_OK) {
        goto cleanup;
    }
    p->err = user_store_login(db, username, &id, &hash);
    if (p->err != APP_OK && p->err != APP_ERR_NOT_FOUND) {
        ops_store_problem(p->err, p);
        goto cleanup;
    }
    p->err = APP_OK;
    /* Unknown users (hash NULL) cost the same argon2id time as wrong
     * passwords. At most JIANGXIN_HASH_CONCURRENCY run at once. */
    bool ok = false;
    if (!hash_pool_verify(hash, password, &ok)) {
        sign_in_busy(p);
        goto cleanup;
    }
    ok = ok && id != NULL;
    p->err = ok ? user_store_sign_in_succeeded(db, pair_key)
                : sign_in_failed(call, db, pair_key, address_key, &lim);
    if (p->err != APP_OK) {
        ops_store_problem(p->err, p);
        goto cleanup;
    }
    if (!ok) {
        problem_fail(p, APP_ERR_UNAUTHORIZED, "wrong_credentials", "用户名或密码错误",
                     "unknown user or wrong password");
        goto cleanup;
    }
    reply_token(call, id, now, p);

cleanup:
    free(id);
    free(hash);
    return p->err;
}

enum app_err me_get(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    char *text = NULL;
    json_t *obj = NULL;

    if (db == NULL) {
        goto cleanup;
    }
    api_reply_stored(call, user_store_get(db, call->who.id, false, &text), &text, p);

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}
