/* SPDX-License-Identifier: MIT */
/*
 * Sign-in and the caller's own record. Tokens are short-lived HS256 JWTs
 * carrying the user's token version; every request re-reads the user, so a
 * disabled or deleted user's token stops working at once, role changes apply
 * to the next request, and a token from before a password change, disable
 * or scope change stays dead. The tally poster signs its own ES256 tokens:
 * a service principal scoped to the ROUTE_KEY_SCOPED routes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "civil_time.h"
#include "crypto.h"
#include "handlers.h"
#include "json_fields.h"
#include "store/user_store.h"

/* A valid argon2id hash of a random password: verified when the user does
 * not exist, so both failures take the same time. */
static char dummy_hash_text[CRYPTO_HASH_STR_BYTES];
static pthread_once_t dummy_hash_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
    unsigned char raw[16];
    char pw[33];

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(pw, sizeof(pw), raw, sizeof(raw));
    if (crypto_password_hash(pw, dummy_hash_text) != APP_OK) {
        dummy_hash_text[0] = '\0';
    }
}

static const char *dummy_hash(void)
{
    pthread_once(&dummy_hash_once, make_dummy_hash);
    return dummy_hash_text;
}

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

/* Sign-in throttling (see db/migrations/0006): per username, not per IP. */
#define AUTH_LOGIN_MAX_FAILURES 10
#define AUTH_LOGIN_WINDOW_S     900

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
    struct db *db = NULL;
    char *id = NULL, *hash = NULL;
    long now = (long)time(NULL);

    if (!json_fields_check(call->body, token_fields, 2, "", p)) {
        goto cleanup;
    }
    db = api_db(p);
    if (db == NULL) {
        goto cleanup;
    }
    const char *username = json_string_value(json_object_get(call->body, "username"));
    const char *password = json_string_value(json_object_get(call->body, "password"));
    int locked = 0;
    if ((p->err = user_store_login_locked(db, username, AUTH_LOGIN_MAX_FAILURES,
                                          AUTH_LOGIN_WINDOW_S, &locked)) != APP_OK) {
        goto cleanup;
    }
    if (locked > 0) {
        problem_fail(p, APP_ERR_RATE_LIMITED, "sign_in_locked", "登录失败次数过多，请稍后再试",
                     "too many failed sign-ins; try again later");
        p->retry_after = (unsigned)locked;
        goto cleanup;
    }
    p->err = user_store_login(db, username, &id, &hash);
    if (p->err != APP_OK && p->err != APP_ERR_NOT_FOUND) {
        goto cleanup;
    }
    bool ok = crypto_password_verify(hash != NULL ? hash : dummy_hash(), password) && id != NULL;
    if ((p->err = user_store_login_result(db, username, ok, AUTH_LOGIN_WINDOW_S)) != APP_OK) {
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
