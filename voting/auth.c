/* SPDX-License-Identifier: MIT */
/*
 * Who calls the voting service: the API with a service token (internal
 * routes; ES256, verified with the API's public keys only, so this host
 * holds no key that could sign a staff or service token) or a voter with a
 * token from the identity front end (votes). The voter key is either an
 * HS256 secret or an ES256 public key, and the algorithm is pinned to that
 * kind; a voter token's lifetime is capped (JIANGXIN_VOTER_TOKEN_MAX_TTL).
 * The voter's subject is hashed here and then forgotten: nothing downstream
 * sees it. Token times are checked on the system clock, not the test clock:
 * their issuers run on real time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "model/vote_receipt.h"

#define SERVICE_ISS   "jiangxin-api"
#define VOTE_AUD      "jiangxin-vote"
#define PEM_MAX       16384
#define SERVICE_TTL_S 900 /* the longest service token accepted (the API's are 120 s) */

/* Reads the PEM file whole; its text is libjwt's ES256 "key". */
static bool
read_pem(const char *path, unsigned char **ret, size_t *ret_len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t n = 0;

    if (f == NULL) {
        snprintf(err, errlen, "JIANGXIN_VOTER_JWT_PUBLIC_KEY: cannot open %s: %s\n", path,
                 strerror(errno));
        return false;
    }
    buf = malloc(PEM_MAX + 1);
    if (buf != NULL) {
        n = fread(buf, 1, PEM_MAX + 1, f);
        buf[n < PEM_MAX ? n : PEM_MAX] = '\0';
    }
    fclose(f);
    if (buf == NULL || n == 0 || n > PEM_MAX ||
        strstr((const char *)buf, "-----BEGIN PUBLIC KEY-----") == NULL) {
        snprintf(err, errlen, "JIANGXIN_VOTER_JWT_PUBLIC_KEY: %s is not a PEM public key\n", path);
        free(buf);
        return false;
    }
    *ret = buf;
    *ret_len = n;
    return true;
}

bool vote_auth_configure(struct vote_ctx *ctx, char *err, size_t errlen)
{
    const struct vote_config *cfg = ctx->cfg;
    char why[160];

    if ((cfg->voter_jwt_secret == NULL) == (cfg->voter_jwt_public_key == NULL)) {
        snprintf(err, errlen,
                 "JIANGXIN_VOTER_JWT_SECRET / JIANGXIN_VOTER_JWT_PUBLIC_KEY: set exactly one\n");
        return false;
    }
    if (!client_ip_parse_trusted(cfg->trusted_proxies, &ctx->trusted, why, sizeof(why))) {
        snprintf(err, errlen, "JIANGXIN_TRUSTED_PROXIES: %s\n", why);
        return false;
    }
    if (!auth_keyring_load("JIANGXIN_API_PUBLIC_KEY", cfg->api_public_key, &ctx->api_keys, err,
                           errlen)) {
        return false;
    }
    if (cfg->poster_key != NULL && !auth_private_key_load("JIANGXIN_POSTER_KEY", cfg->poster_key,
                                                          &ctx->poster_key, err, errlen)) {
        auth_keyring_free(&ctx->api_keys);
        return false;
    }
    if (cfg->voter_jwt_public_key != NULL) {
        ctx->voter_alg = AUTH_ALG_ES256;
        if (!read_pem(cfg->voter_jwt_public_key, &ctx->voter_key, &ctx->voter_key_len, err,
                      errlen)) {
            vote_auth_release(ctx);
            return false;
        }
        return true;
    }
    ctx->voter_alg = AUTH_ALG_HS256;
    ctx->voter_key_len = strlen(cfg->voter_jwt_secret);
    ctx->voter_key = malloc(ctx->voter_key_len + 1);
    if (ctx->voter_key == NULL) {
        snprintf(err, errlen, "out of memory\n");
        vote_auth_release(ctx);
        return false;
    }
    memcpy(ctx->voter_key, cfg->voter_jwt_secret, ctx->voter_key_len + 1);
    return true;
}

void vote_auth_release(struct vote_ctx *ctx)
{
    if (ctx->voter_key != NULL) {
        sodium_memzero(ctx->voter_key, ctx->voter_key_len);
        free(ctx->voter_key);
        ctx->voter_key = NULL;
    }
    auth_keyring_free(&ctx->api_keys);
    auth_key_free(&ctx->poster_key);
}

/* A voter token lives at most max_ttl seconds: exp - iat, or exp - now
 * when it has no iat (its issuer did not say when it began). */
static bool voter_lifetime_ok(const struct auth_claims *c, long now, long max_ttl)
{
    long from = c->iat > 0 ? c->iat : now;

    return c->exp - from <= max_ttl;
}

enum app_err
vote_authenticate(void *app, const char *token, struct principal *ret, struct problem *reterr)
{
    const struct vote_ctx *ctx = app;
    const struct vote_config *cfg = ctx->cfg;
    struct principal who = {0};
    struct auth_claims c;
    struct auth_key voter = {ctx->voter_alg, ctx->voter_key, ctx->voter_key_len};
    long now = (long)time(NULL);

    /* Voters first: they are the many; the API's pushes are few. */
    if (auth_token_verify_keys(&voter, 1, cfg->voter_jwt_issuer, VOTE_AUD, token, now, AUTH_SUB_MAX,
                               &c) == APP_OK) {
        if (!voter_lifetime_ok(&c, now, cfg->voter_token_max_ttl)) {
            sodium_memzero(c.sub, sizeof(c.sub));
            return problem_fail(reterr, APP_ERR_UNAUTHORIZED, "token_lifetime_too_long",
                                "投票令牌有效期超过允许的上限",
                                "the voter token's lifetime exceeds the allowed maximum");
        }
        who.role = ROLE_VOTER;
        vote_voter_hash(cfg->vote_hash_key, cfg->voter_jwt_issuer, c.sub, who.id);
        sodium_memzero(c.sub, sizeof(c.sub));
        snprintf(who.username, sizeof(who.username), "voter");
    } else if (auth_token_verify_keys(ctx->api_keys.keys, ctx->api_keys.n, SERVICE_ISS, VOTE_AUD,
                                      token, now, AUTH_SUB_MAX - 1, &c) == APP_OK) {
        if (strcmp(c.role, "service") != 0) {
            return problem_fail(reterr, APP_ERR_UNAUTHORIZED, "service_token_required",
                                "此处只接受服务令牌", "only service tokens are accepted here");
        }
        if (c.iat == 0 || c.exp - c.iat > SERVICE_TTL_S) {
            return problem_fail(reterr, APP_ERR_UNAUTHORIZED, "token_lifetime_too_long",
                                "服务令牌有效期超过允许的上限",
                                "the service token's lifetime exceeds the allowed maximum");
        }
        who.role = ROLE_SERVICE;
        snprintf(who.id, sizeof(who.id), "%s", c.sub);
        snprintf(who.username, sizeof(who.username), "service");
    } else {
        return problem_fail(reterr, APP_ERR_UNAUTHORIZED, "token_invalid", "令牌无效或已过期",
                            "the token is invalid or expired");
    }
    who.expires_at = c.exp;
    *ret = who;
    return APP_OK;
}
