/* SPDX-License-Identifier: MIT */
/*
 * Roles and HS256 JWTs. See auth.h for the contract; the pitfalls of libjwt
 * 1.10 that shape this file are in ../shared/research/tech-brief.md §2.
 */
#include "auth.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>
#include <sodium.h>

static const char *const role_names[ROLE__MAX] = {
    [ROLE_NONE] = "anonymous",  [ROLE_ADMIN] = "admin",     [ROLE_OFFICE] = "office",
    [ROLE_UNIT] = "unit",       [ROLE_EXPERT] = "expert",   [ROLE_LEADER] = "leader",
    [ROLE_FINANCE] = "finance", [ROLE_AUDITOR] = "auditor", [ROLE_SERVICE] = "service",
    [ROLE_VOTER] = "voter",
};

enum role auth_role_from_name(const char *name)
{
    /* Staff roles only: ROLE_VOTER comes from a voter token, never a name. */
    for (int r = ROLE_ADMIN; name != NULL && r < ROLE_VOTER; r++) {
        if (strcmp(name, role_names[r]) == 0) {
            return (enum role)r;
        }
    }
    return ROLE_NONE;
}

const char *auth_role_name(enum role role)
{
    return (unsigned)role < ROLE__MAX ? role_names[role] : "anonymous";
}

bool auth_has_programme(const struct principal *who, const char *code)
{
    if (who->role == ROLE_ADMIN) {
        return true;
    }
    for (size_t i = 0; i < who->n_programmes; i++) {
        if (strcmp(who->programmes[i], code) == 0) {
            return true;
        }
    }
    return false;
}

enum app_err auth_token_sign(enum auth_alg alg,
                             const unsigned char *key,
                             size_t key_len,
                             const struct auth_grant *g,
                             long now,
                             char **ret)
{
    jwt_t *jwt = NULL;
    unsigned char jti_raw[16];
    char jti[33];
    char *token = NULL;
    int rc = 0;

    if (key == NULL || key_len < AUTH_KEY_MIN || key_len > INT_MAX || jwt_new(&jwt) != 0) {
        return APP_ERR_INTERNAL;
    }
    randombytes_buf(jti_raw, sizeof(jti_raw));
    sodium_bin2hex(jti, sizeof(jti), jti_raw, sizeof(jti_raw));
    rc |= jwt_add_grant(jwt, "iss", g->iss);
    rc |= jwt_add_grant(jwt, "aud", g->aud);
    rc |= jwt_add_grant(jwt, "sub", g->sub);
    rc |= jwt_add_grant(jwt, "role", g->role);
    rc |= jwt_add_grant(jwt, "jti", jti);
    rc |= jwt_add_grant_int(jwt, "iat", now);
    rc |= jwt_add_grant_int(jwt, "exp", now + g->ttl);
    if (g->tv >= 0) {
        rc |= jwt_add_grant_int(jwt, "tv", g->tv);
    }
    rc |=
        jwt_set_alg(jwt, alg == AUTH_ALG_ES256 ? JWT_ALG_ES256 : JWT_ALG_HS256, key, (int)key_len);
    if (rc == 0) {
        token = jwt_encode_str(jwt);
    }
    jwt_free(jwt);
    if (token == NULL) {
        return APP_ERR_INTERNAL;
    }
    *ret = token;
    return APP_OK;
}

enum app_err auth_token_issue(const unsigned char *key,
                              size_t key_len,
                              const char *iss,
                              const char *aud,
                              const char *sub,
                              const char *role,
                              long ttl,
                              long now,
                              char **ret)
{
    struct auth_grant g = {.iss = iss, .aud = aud, .sub = sub, .role = role, .ttl = ttl, .tv = -1};

    return auth_token_sign(AUTH_ALG_HS256, key, key_len, &g, now, ret);
}

static bool copy_claim(jwt_t *jwt, const char *name, char *out, size_t outlen)
{
    const char *v = jwt_get_grant(jwt, name);

    if (v == NULL || v[0] == '\0' || strlen(v) >= outlen) {
        return false;
    }
    memcpy(out, v, strlen(v) + 1);
    return true;
}

static bool int_claim(jwt_t *jwt, const char *name, long *out)
{
    long v;

    errno = 0;
    v = jwt_get_grant_int(jwt, name);
    /* A missing claim sets ENOENT; a non-integer one returns 0. */
    if (errno == ENOENT || v <= 0) {
        return false;
    }
    *out = v;
    return true;
}

/* An optional integer claim: false when present but not an integer >= min;
 * *out = the value, or min - 1 (iat, nbf: 0; tv: -1) when absent. */
static bool opt_int_claim(jwt_t *jwt, const char *name, long min, long *out)
{
    long v;

    errno = 0;
    v = jwt_get_grant_int(jwt, name);
    if (errno == ENOENT) {
        *out = min - 1;
        return true;
    }
    if (errno != 0 || v < min) {
        return false;
    }
    /* libjwt reads any non-integer (a string, true, a list) as 0. */
    if (v == 0) {
        char *text = jwt_get_grants_json(jwt, name);
        bool zero = text != NULL && strcmp(text, "0") == 0;

        free(text);
        if (!zero) {
            return false;
        }
    }
    *out = v;
    return true;
}

/* sub_max: the longest sub accepted, in bytes. */
static enum app_err verify(enum auth_alg alg,
                           const unsigned char *key,
                           size_t key_len,
                           const char *iss,
                           const char *aud,
                           const char *token,
                           long now,
                           size_t sub_max,
                           struct auth_claims *ret)
{
    struct auth_claims c = {0};
    jwt_t *jwt = NULL;
    enum app_err err = APP_ERR_UNAUTHORIZED;
    jwt_alg_t want = alg == AUTH_ALG_ES256 ? JWT_ALG_ES256 : JWT_ALG_HS256;
    const char *v;

    /* An empty key makes libjwt skip the signature check: never allow it. */
    if (key == NULL || key_len < AUTH_KEY_MIN || key_len > INT_MAX || token == NULL ||
        strnlen(token, AUTH_TOKEN_MAX + 1) > AUTH_TOKEN_MAX) {
        return APP_ERR_UNAUTHORIZED;
    }
    if (jwt_decode(&jwt, token, key, (int)key_len) != 0) {
        goto cleanup;
    }
    /* The token names its algorithm; pin ours. With an HS256 secret, HS384
     * and HS512 verify too; with a PEM key, an HS256 token HMAC-ed with the
     * PEM text would (libjwt issue #200). */
    if (jwt_get_alg(jwt) != want) {
        goto cleanup;
    }
    v = jwt_get_grant(jwt, "iss");
    if (v == NULL || strcmp(v, iss) != 0) {
        goto cleanup;
    }
    v = jwt_get_grant(jwt, "aud");
    if (v == NULL || strcmp(v, aud) != 0) {
        goto cleanup;
    }
    if (!int_claim(jwt, "exp", &c.exp) || c.exp <= now - AUTH_CLOCK_SKEW_S) {
        goto cleanup;
    }
    if (!copy_claim(jwt, "sub", c.sub, sub_max + 1)) {
        goto cleanup;
    }
    copy_claim(jwt, "role", c.role, sizeof(c.role));
    /* iat, nbf and tv are optional; iat and nbf, when present, not in the
     * future (beyond the skew): a token "issued" a year ahead is forged or
     * broken. */
    if (!opt_int_claim(jwt, "iat", 1, &c.iat) || !opt_int_claim(jwt, "nbf", 1, &c.nbf) ||
        !opt_int_claim(jwt, "tv", 0, &c.tv)) {
        goto cleanup;
    }
    if (c.iat > now + AUTH_CLOCK_SKEW_S || c.nbf > now + AUTH_CLOCK_SKEW_S) {
        goto cleanup;
    }
    *ret = c;
    err = APP_OK;

cleanup:
    jwt_free(jwt);
    return err;
}

enum app_err auth_token_verify(const unsigned char *key,
                               size_t key_len,
                               const char *iss,
                               const char *aud,
                               const char *token,
                               long now,
                               struct auth_claims *ret)
{
    /* Staff and service subjects are user ids: shorter than AUTH_SUB_MAX. */
    return verify(AUTH_ALG_HS256, key, key_len, iss, aud, token, now, AUTH_SUB_MAX - 1, ret);
}

enum app_err auth_token_verify_alg(enum auth_alg alg,
                                   const unsigned char *key,
                                   size_t key_len,
                                   const char *iss,
                                   const char *aud,
                                   const char *token,
                                   long now,
                                   struct auth_claims *ret)
{
    return verify(alg, key, key_len, iss, aud, token, now, AUTH_SUB_MAX, ret);
}

enum app_err auth_token_verify_keys(const struct auth_key *keys,
                                    size_t n_keys,
                                    const char *iss,
                                    const char *aud,
                                    const char *token,
                                    long now,
                                    size_t sub_max,
                                    struct auth_claims *ret)
{
    /* Rotation keeps at most a few keys: each is tried in turn. */
    for (size_t i = 0; keys != NULL && i < n_keys; i++) {
        if (verify(keys[i].alg, keys[i].key, keys[i].len, iss, aud, token, now, sub_max, ret) ==
            APP_OK) {
            return APP_OK;
        }
    }
    return APP_ERR_UNAUTHORIZED;
}
