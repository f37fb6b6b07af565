/* SPDX-License-Identifier: MIT */
/*
 * Who calls the voting service: the API with a service token (internal
 * routes) or a voter with a token from the identity front end (votes).
 * The voter key is either an HS256 secret or an ES256 public key, and the
 * algorithm is pinned to that kind. The voter's subject is hashed here and
 * then forgotten: nothing downstream sees it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "model/vote_receipt.h"

#define SERVICE_ISS "jiangxin-api"
#define VOTE_AUD    "jiangxin-vote"
#define PEM_MAX     16384

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
    if (cfg->voter_jwt_public_key != NULL) {
        ctx->voter_alg = AUTH_ALG_ES256;
        return read_pem(cfg->voter_jwt_public_key, &ctx->voter_key, &ctx->voter_key_len, err,
                        errlen);
    }
    ctx->voter_alg = AUTH_ALG_HS256;
    ctx->voter_key_len = strlen(cfg->voter_jwt_secret);
    ctx->voter_key = malloc(ctx->voter_key_len + 1);
    if (ctx->voter_key == NULL) {
        snprintf(err, errlen, "out of memory\n");
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
}

enum app_err
vote_authenticate(void *app, const char *token, struct principal *ret, struct problem *reterr)
{
    const struct vote_ctx *ctx = app;
    const struct vote_config *cfg = ctx->cfg;
    struct principal who = {0};
    struct auth_claims c;
    long now = (long)time(NULL);

    if (auth_token_verify((const unsigned char *)cfg->jwt_secret, strlen(cfg->jwt_secret),
                          SERVICE_ISS, VOTE_AUD, token, now, &c) == APP_OK) {
        if (strcmp(c.role, "service") != 0) {
            return problem_fail(reterr, APP_ERR_UNAUTHORIZED, "service_token_required",
                                "此处只接受服务令牌", "only service tokens are accepted here");
        }
        who.role = ROLE_SERVICE;
        snprintf(who.id, sizeof(who.id), "%s", c.sub);
        snprintf(who.username, sizeof(who.username), "service");
    } else if (auth_token_verify_alg(ctx->voter_alg, ctx->voter_key, ctx->voter_key_len,
                                     cfg->voter_jwt_issuer, VOTE_AUD, token, now, &c) == APP_OK) {
        who.role = ROLE_VOTER;
        vote_voter_hash(cfg->vote_hash_key, cfg->voter_jwt_issuer, c.sub, who.id);
        sodium_memzero(c.sub, sizeof(c.sub));
        snprintf(who.username, sizeof(who.username), "voter");
    } else {
        return problem_fail(reterr, APP_ERR_UNAUTHORIZED, "token_invalid", "令牌无效或已过期",
                            "the token is invalid or expired");
    }
    who.expires_at = c.exp;
    *ret = who;
    return APP_OK;
}
