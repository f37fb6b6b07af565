/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/auth.c and auth_keys.c: role names, programme scope,
 * HS256 tokens and ES256 service tokens with rotating keys. Hostile tokens
 * (alg none, HS384/HS512 with the right key, HS256 HMAC-ed with a PEM public
 * key, altered payload, missing, malformed or future claims) are built here
 * by hand or with libjwt; every one must be refused with
 * APP_ERR_UNAUTHORIZED (tech-brief §2).
 */
#include <limits.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jwt.h>
#include <sodium.h>

#include "auth.h"
#include "auth_keys.h"
#include "test.h"

#define ISS "jiangxin-api"
#define AUD "jiangxin"
#define NOW 1767225600L /* 2026-01-01T00:00:00Z */

static const unsigned char key[] = "0123456789abcdef0123456789abcdef";       /* 32 bytes */
static const unsigned char wrong_key[] = "0123456789abcdef0123456789abcdeF"; /* 32 bytes */
#define KEY_LEN (sizeof(key) - 1)

/* Signs an arbitrary claim set with libjwt; NULL on failure. free() it. */
static char *sign_json(jwt_alg_t alg, const unsigned char *k, size_t klen, const char *claims)
{
    jwt_t *jwt = NULL;
    char *token = NULL;

    if (jwt_new(&jwt) != 0)
        return NULL;
    if (jwt_add_grants_json(jwt, claims) == 0 && jwt_set_alg(jwt, alg, k, (int)klen) == 0)
        token = jwt_encode_str(jwt);
    jwt_free(jwt);
    return token;
}

/* The standard claim set with a given exp, signed HS256 with `key`. */
static char *sign_exp(long exp)
{
    char claims[256];

    snprintf(claims, sizeof(claims),
             "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u-1\",\"role\":\"office\","
             "\"iat\":%ld,\"exp\":%ld}",
             NOW - 60, exp);
    return sign_json(JWT_ALG_HS256, key, KEY_LEN, claims);
}

/* base64url without padding of a NUL-terminated string, into a static-size
 * buffer owned by the caller. */
static void b64url(const char *in, char *out, size_t outlen)
{
    sodium_bin2base64(out, outlen, (const unsigned char *)in, strlen(in),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* "header.payload.signature" built by hand from JSON texts; malloc'd. */
static char *hand_token(const char *header, const char *payload, const char *signature)
{
    char h[512], p[512];
    size_t len;
    char *t;

    b64url(header, h, sizeof(h));
    b64url(payload, p, sizeof(p));
    len = strlen(h) + strlen(p) + strlen(signature) + 3;
    t = malloc(len);
    if (t != NULL)
        snprintf(t, len, "%s.%s.%s", h, p, signature);
    return t;
}

#define GOOD_CLAIMS                                                                        \
    "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u-1\",\"role\":\"admin\",\"iat\":" \
    "1767225540,\"exp\":1767229200}"

static void test_round_trip(void)
{
    char *token = NULL;
    struct auth_claims c;

    CHECK_EQ_INT(auth_token_issue(key, KEY_LEN, ISS, AUD, "u-42", "office", 3600, NOW, &token),
                 APP_OK);
    CHECK(token != NULL);
    if (token == NULL)
        return;
    CHECK(strlen(token) < AUTH_TOKEN_MAX);
    memset(&c, 0, sizeof(c));
    CHECK_EQ_INT(auth_token_verify(key, KEY_LEN, ISS, AUD, token, NOW, &c), APP_OK);
    CHECK_EQ_STR(c.sub, "u-42");
    CHECK_EQ_STR(c.role, "office");
    CHECK_EQ_INT(c.exp, NOW + 3600);
    CHECK_EQ_INT(c.iat, NOW);
    /* Still good just before expiry and inside the clock skew after it. */
    CHECK_EQ_INT(auth_token_verify(key, KEY_LEN, ISS, AUD, token, NOW + 3599, &c), APP_OK);
    CHECK_EQ_INT(
        auth_token_verify(key, KEY_LEN, ISS, AUD, token, NOW + 3600 + AUTH_CLOCK_SKEW_S - 1, &c),
        APP_OK);
    CHECK_EQ_INT(
        auth_token_verify(key, KEY_LEN, ISS, AUD, token, NOW + 3600 + AUTH_CLOCK_SKEW_S, &c),
        APP_ERR_UNAUTHORIZED);
    /* The issuer's key must not verify with another audience or issuer. */
    CHECK_EQ_INT(auth_token_verify(key, KEY_LEN, ISS, "jiangxin-vote", token, NOW, &c),
                 APP_ERR_UNAUTHORIZED);
    CHECK_EQ_INT(auth_token_verify(key, KEY_LEN, "someone-else", AUD, token, NOW, &c),
                 APP_ERR_UNAUTHORIZED);
    free(token);
}

static void test_issue_unique_jti(void)
{
    char *a = NULL, *b = NULL;

    CHECK_EQ_INT(auth_token_issue(key, KEY_LEN, ISS, AUD, "u-1", "admin", 60, NOW, &a), APP_OK);
    CHECK_EQ_INT(auth_token_issue(key, KEY_LEN, ISS, AUD, "u-1", "admin", 60, NOW, &b), APP_OK);
    CHECK(a != NULL && b != NULL && strcmp(a, b) != 0);
    free(a);
    free(b);
}

static void test_issue_refuses_short_key(void)
{
    char sentinel[] = "untouched";
    char *token = sentinel;

    CHECK_EQ_INT(auth_token_issue(key, AUTH_KEY_MIN - 1, ISS, AUD, "u-1", "admin", 60, NOW, &token),
                 APP_ERR_INTERNAL);
    CHECK(token == sentinel);
    CHECK_EQ_INT(auth_token_issue(key, 0, ISS, AUD, "u-1", "admin", 60, NOW, &token),
                 APP_ERR_INTERNAL);
    CHECK_EQ_INT(auth_token_issue(NULL, KEY_LEN, ISS, AUD, "u-1", "admin", 60, NOW, &token),
                 APP_ERR_INTERNAL);
    CHECK(token == sentinel);
}

static void test_verify_refuses_short_key(void)
{
    /* A token really signed with the 31-byte key is refused for the length alone. */
    char *t31 = sign_json(JWT_ALG_HS256, key, AUTH_KEY_MIN - 1, GOOD_CLAIMS);
    char *t32 = sign_json(JWT_ALG_HS256, key, KEY_LEN, GOOD_CLAIMS);
    char *none = NULL;
    struct auth_claims c;

    CHECK(t31 != NULL && t32 != NULL);
    if (t31 == NULL || t32 == NULL)
        goto out;
    CHECK_EQ_INT(auth_token_verify(key, KEY_LEN, ISS, AUD, t32, NOW, &c), APP_OK);
    CHECK_EQ_INT(auth_token_verify(key, AUTH_KEY_MIN - 1, ISS, AUD, t31, NOW, &c),
                 APP_ERR_UNAUTHORIZED);
    /* NULL or empty key would make libjwt skip the signature check: a token
     * signed with some other key, or unsigned, would then pass. */
    CHECK_EQ_INT(auth_token_verify(key, 0, ISS, AUD, t32, NOW, &c), APP_ERR_UNAUTHORIZED);
    CHECK_EQ_INT(auth_token_verify(key, 0, ISS, AUD, t31, NOW, &c), APP_ERR_UNAUTHORIZED);
    CHECK_EQ_INT(auth_token_verify(NULL, KEY_LEN, ISS, AUD, t31, NOW, &c), APP_ERR_UNAUTHORIZED);
    CHECK_EQ_INT(auth_token_verify(NULL, 0, ISS, AUD, t31, NOW, &c), APP_ERR_UNAUTHORIZED);
    none = hand_token("{\"alg\":\"none\",\"typ\":\"JWT\"}", GOOD_CLAIMS, "");
    CHECK(none != NULL);
    if (none != NULL) {
        CHECK_EQ_INT(auth_token_verify(NULL, 0, ISS, AUD, none, NOW, &c), APP_ERR_UNAUTHORIZED);
        CHECK_EQ_INT(auth_token_verify(key, 0, ISS, AUD, none, NOW, &c), APP_ERR_UNAUTHORIZED);
    }
out:
    free(t31);
    free(t32);
    free(none);
}

struct bad_token {
    const char *name;
    char *token; /* malloc'd, or NULL when building failed */
};

/* Each row is refused with `key`. Built at run time; see build_bad_tokens. */
static struct bad_token bad_tokens[40];
static size_t n_bad_tokens;

static void add_bad(const char *name, char *token)
{
    if (n_bad_tokens < TEST_COUNT(bad_tokens))
        bad_tokens[n_bad_tokens++] = (struct bad_token){name, token};
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);

    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

static char *claims_token(const char *claims)
{
    return sign_json(JWT_ALG_HS256, key, KEY_LEN, claims);
}

/* The valid token with its payload segment replaced by `payload` (same
 * header and signature): what an attacker editing claims would send. */
static char *swap_payload(const char *token, const char *payload)
{
    const char *dot1 = strchr(token, '.');
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    char p[512];
    char *t;
    size_t len;

    if (dot2 == NULL)
        return NULL;
    b64url(payload, p, sizeof(p));
    len = (size_t)(dot1 - token) + 1 + strlen(p) + strlen(dot2) + 1;
    t = malloc(len);
    if (t != NULL)
        snprintf(t, len, "%.*s.%s%s", (int)(dot1 - token), token, p, dot2);
    return t;
}

static void build_bad_tokens(void)
{
    char *good = claims_token(GOOD_CLAIMS);
    char *t;

    add_bad("wrong key", sign_json(JWT_ALG_HS256, wrong_key, KEY_LEN, GOOD_CLAIMS));
    add_bad("alg none", hand_token("{\"alg\":\"none\",\"typ\":\"JWT\"}", GOOD_CLAIMS, ""));
    add_bad("alg None", hand_token("{\"alg\":\"None\",\"typ\":\"JWT\"}", GOOD_CLAIMS, ""));
    add_bad("alg none with a signature",
            hand_token("{\"alg\":\"none\",\"typ\":\"JWT\"}", GOOD_CLAIMS, "c2lnbmF0dXJl"));
    add_bad("no alg", hand_token("{\"typ\":\"JWT\"}", GOOD_CLAIMS, ""));
    add_bad("HS512 with the right key", sign_json(JWT_ALG_HS512, key, KEY_LEN, GOOD_CLAIMS));
    add_bad("HS384 with the right key", sign_json(JWT_ALG_HS384, key, KEY_LEN, GOOD_CLAIMS));
    add_bad("expired beyond the skew", sign_exp(NOW - AUTH_CLOCK_SKEW_S - 1));
    add_bad("expired exactly at the skew", sign_exp(NOW - AUTH_CLOCK_SKEW_S));
    add_bad("expired long ago", sign_exp(1));
    add_bad("wrong iss", claims_token("{\"iss\":\"evil\",\"aud\":\"" AUD "\",\"sub\":\"u-1\","
                                      "\"exp\":1767229200}"));
    add_bad("missing iss",
            claims_token("{\"aud\":\"" AUD "\",\"sub\":\"u-1\",\"exp\":1767229200}"));
    add_bad("numeric iss", claims_token("{\"iss\":7,\"aud\":\"" AUD "\",\"sub\":\"u-1\","
                                        "\"exp\":1767229200}"));
    add_bad("wrong aud", claims_token("{\"iss\":\"" ISS "\",\"aud\":\"jiangxin-vote\","
                                      "\"sub\":\"u-1\",\"exp\":1767229200}"));
    add_bad("missing aud",
            claims_token("{\"iss\":\"" ISS "\",\"sub\":\"u-1\",\"exp\":1767229200}"));
    add_bad("missing exp",
            claims_token("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u-1\"}"));
    add_bad("string exp", claims_token("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
                                       "\"sub\":\"u-1\",\"exp\":\"1767229200\"}"));
    add_bad("real exp", claims_token("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
                                     "\"sub\":\"u-1\",\"exp\":1767229200.5}"));
    add_bad("boolean exp", claims_token("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
                                        "\"sub\":\"u-1\",\"exp\":true}"));
    add_bad("null exp", claims_token("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
                                     "\"sub\":\"u-1\",\"exp\":null}"));
    add_bad("negative exp", claims_token("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\","
                                         "\"sub\":\"u-1\",\"exp\":-1}"));
    add_bad("missing sub",
            claims_token("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"exp\":1767229200}"));
    add_bad("empty sub", claims_token("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"\","
                                      "\"exp\":1767229200}"));
    add_bad("numeric sub", claims_token("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":42,"
                                        "\"exp\":1767229200}"));
    add_bad("sub of AUTH_SUB_MAX characters",
            claims_token("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\""
                         "0123456789012345678901234567890123456789012345678901234567890123"
                         "\",\"exp\":1767229200}"));
    add_bad("empty string", dup_str(""));
    add_bad("one word", dup_str("garbage"));
    add_bad("three dots", dup_str("..."));
    add_bad("three empty-ish parts", dup_str("a.b.c"));
    add_bad("not base64", dup_str("!!!.@@@.###"));
    add_bad("JSON text", dup_str(GOOD_CLAIMS));
    if (good != NULL) {
        size_t n = strlen(good);
        char buf[1024];

        snprintf(buf, sizeof(buf), "Bearer %s", good);
        add_bad("with Bearer prefix", dup_str(buf));
        snprintf(buf, sizeof(buf), "%.*s", (int)(strchr(good, '.') - good), good);
        add_bad("header only", dup_str(buf));
        snprintf(buf, sizeof(buf), "%.*s", (int)(strrchr(good, '.') - good + 1), good);
        add_bad("signature stripped", dup_str(buf));
        t = dup_str(good);
        if (t != NULL)
            t[n - 2] = t[n - 2] == 'A' ? 'B' : 'A'; /* a clean change of the MAC */
        add_bad("signature altered", t);
        add_bad("payload altered to admin role",
                swap_payload(good, "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u-1\","
                                   "\"role\":\"admin\",\"iat\":1767225540,\"exp\":1767229200,"
                                   "\"x\":1}"));
        add_bad("payload altered to later exp",
                swap_payload(good, "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u-1\","
                                   "\"role\":\"admin\",\"iat\":1767225540,\"exp\":1999999999}"));
    }
    free(good);
}

static void test_verify_refusals(void)
{
    build_bad_tokens();
    CHECK(n_bad_tokens >= 35 && n_bad_tokens < TEST_COUNT(bad_tokens));
    for (size_t i = 0; i < n_bad_tokens; i++) {
        struct auth_claims c, before;
        enum app_err got;

        CHECKF(bad_tokens[i].token != NULL, "%s: could not build the token", bad_tokens[i].name);
        if (bad_tokens[i].token == NULL)
            continue;
        memset(&c, 0x5A, sizeof(c));
        memset(&before, 0x5A, sizeof(before));
        got = auth_token_verify(key, KEY_LEN, ISS, AUD, bad_tokens[i].token, NOW, &c);
        CHECKF(got == APP_ERR_UNAUTHORIZED, "%s: got %d", bad_tokens[i].name, (int)got);
        /* A refusal leaves *ret alone. */
        CHECKF(memcmp(&c, &before, sizeof(c)) == 0, "%s: ret was written", bad_tokens[i].name);
        free(bad_tokens[i].token);
        bad_tokens[i].token = NULL;
    }
    /* NULL token. */
    {
        struct auth_claims c;

        CHECK_EQ_INT(auth_token_verify(key, KEY_LEN, ISS, AUD, NULL, NOW, &c),
                     APP_ERR_UNAUTHORIZED);
    }
}

static void test_verify_accepts_edge_cases(void)
{
    static const struct {
        const char *name;
        long exp;
    } rows[] = {
        {"exp now", NOW},
        {"exp one second inside the skew", NOW - AUTH_CLOCK_SKEW_S + 1},
        {"exp in ten years", NOW + 10L * 365 * 86400},
    };

    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        char *t = sign_exp(rows[i].exp);
        struct auth_claims c;

        CHECKF(t != NULL, "%s: could not build", rows[i].name);
        if (t == NULL)
            continue;
        CHECKF(auth_token_verify(key, KEY_LEN, ISS, AUD, t, NOW, &c) == APP_OK, "%s: refused",
               rows[i].name);
        CHECKF(c.exp == rows[i].exp, "%s: exp %ld", rows[i].name, c.exp);
        free(t);
    }
    /* role and iat are optional: role "" and iat 0. */
    {
        char *t = claims_token("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"svc\","
                               "\"exp\":1767229200,\"extra\":[1,2]}");
        struct auth_claims c;

        CHECK(t != NULL);
        CHECK_EQ_INT(auth_token_verify(key, KEY_LEN, ISS, AUD, t, NOW, &c), APP_OK);
        CHECK_EQ_STR(c.sub, "svc");
        CHECK_EQ_STR(c.role, "");
        CHECK_EQ_INT(c.iat, 0);
        free(t);
    }
    /* The longest sub that fits (AUTH_SUB_MAX - 1 characters). */
    {
        char *t = claims_token("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\""
                               "012345678901234567890123456789012345678901234567890123456789012"
                               "\",\"exp\":1767229200}");
        struct auth_claims c;

        CHECK(t != NULL);
        CHECK_EQ_INT(auth_token_verify(key, KEY_LEN, ISS, AUD, t, NOW, &c), APP_OK);
        CHECK_EQ_INT(strlen(c.sub), AUTH_SUB_MAX - 1);
        free(t);
    }
}

static void test_verify_huge_exp(void)
{
    /* A validly signed exp near LONG_MAX is far in the future, so the token is
     * good; adding the skew to it must not overflow (UBSan would report it). */
    char *t = sign_exp(LONG_MAX);
    struct auth_claims c;

    CHECK(t != NULL);
    if (t == NULL)
        return;
    CHECK_EQ_INT(auth_token_verify(key, KEY_LEN, ISS, AUD, t, NOW, &c), APP_OK);
    free(t);
}

/* A token with a "pad" claim of pad_len characters. */
static char *padded_token(size_t pad_len)
{
    char claims[AUTH_TOKEN_MAX + 256];
    int used = snprintf(claims, sizeof(claims),
                        "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u-1\","
                        "\"exp\":1767229200,\"pad\":\"");

    if (pad_len + (size_t)used + 3 > sizeof(claims))
        return NULL;
    memset(claims + used, 'p', pad_len);
    strcpy(claims + used + pad_len, "\"}");
    return claims_token(claims);
}

static void test_token_length_limit(void)
{
    char *fit = NULL, *over = NULL;
    struct auth_claims c;

    /* Find the longest signed token within AUTH_TOKEN_MAX and the next one over. */
    for (size_t pad = 2800; pad < 3300 && over == NULL; pad++) {
        char *t = padded_token(pad);

        if (t == NULL)
            break;
        if (strlen(t) <= AUTH_TOKEN_MAX) {
            free(fit);
            fit = t;
        } else {
            over = t;
        }
    }
    CHECK(fit != NULL && over != NULL);
    if (fit != NULL && over != NULL) {
        CHECKF(strlen(fit) >= AUTH_TOKEN_MAX - 4, "longest fitting token is %zu", strlen(fit));
        CHECK_EQ_INT(auth_token_verify(key, KEY_LEN, ISS, AUD, fit, NOW, &c), APP_OK);
        /* Valid signature, but over the limit: refused unread. */
        CHECK(strlen(over) > AUTH_TOKEN_MAX);
        CHECK_EQ_INT(auth_token_verify(key, KEY_LEN, ISS, AUD, over, NOW, &c),
                     APP_ERR_UNAUTHORIZED);
    }
    free(fit);
    free(over);
}

struct role_vector {
    enum role role;
    const char *name;
};

static const struct role_vector role_vectors[] = {
    {ROLE_ADMIN, "admin"},     {ROLE_OFFICE, "office"},   {ROLE_UNIT, "unit"},
    {ROLE_EXPERT, "expert"},   {ROLE_LEADER, "leader"},   {ROLE_FINANCE, "finance"},
    {ROLE_AUDITOR, "auditor"}, {ROLE_SERVICE, "service"},
};

static void test_role_names(void)
{
    static const char *const unknown[] = {"",     "Admin",     "ADMIN", "admin ",  " admin", "root",
                                          "none", "anonymous", "offic", "offices", "unit\n"};

    CHECK_EQ_INT(TEST_COUNT(role_vectors), ROLE_VOTER - 1);
    /* A voter is named but can never be taken by name (users, CLI). */
    CHECK_EQ_STR(auth_role_name(ROLE_VOTER), "voter");
    CHECK_EQ_INT(auth_role_from_name("voter"), ROLE_NONE);
    for (size_t i = 0; i < TEST_COUNT(role_vectors); i++) {
        const struct role_vector *v = &role_vectors[i];

        CHECKF(auth_role_from_name(v->name) == v->role, "\"%s\": got %d", v->name,
               (int)auth_role_from_name(v->name));
        CHECKF(strcmp(auth_role_name(v->role), v->name) == 0, "%d: got \"%s\"", (int)v->role,
               auth_role_name(v->role));
        CHECKF(auth_role_from_name(auth_role_name(v->role)) == v->role, "%s: no round trip",
               v->name);
    }
    for (size_t i = 0; i < TEST_COUNT(unknown); i++)
        CHECKF(auth_role_from_name(unknown[i]) == ROLE_NONE, "\"%s\" is not ROLE_NONE", unknown[i]);
    CHECK_EQ_INT(auth_role_from_name(NULL), ROLE_NONE);
    CHECK_EQ_STR(auth_role_name(ROLE_NONE), "anonymous");
    CHECK_EQ_STR(auth_role_name(ROLE__MAX), "anonymous");
    CHECK_EQ_STR(auth_role_name((enum role) - 1), "anonymous");
}

/* A P-256 public key (the private half was thrown away): ES256 tokens can
 * not be made here, but the algorithm pin can be tested against it. */
static const char es_pem[] = "-----BEGIN PUBLIC KEY-----\n"
                             "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAczf8Hz3bayH7t3y4YOF6VqBxPiZ\n"
                             "KjOUBlKzx9Mz1UtAMAgHaJmKsU+oLRyS3MDlAlQOe2RafUbDtzALS3BlZA==\n"
                             "-----END PUBLIC KEY-----\n";

#define VOTER_CLAIMS(sub)                                                           \
    "{\"iss\":\"jiangxin-identity\",\"aud\":\"jiangxin-vote\",\"sub\":\"" sub "\"," \
    "\"exp\":1767229200}"

static enum app_err voter(enum auth_alg alg, const unsigned char *k, size_t klen, char *token)
{
    struct auth_claims c;
    enum app_err err =
        auth_token_verify_alg(alg, k, klen, "jiangxin-identity", "jiangxin-vote", token, NOW, &c);
    free(token);
    return err;
}

static void test_voter_tokens(void)
{
    const char *sub64 = "0123456789012345678901234567890123456789012345678901234567890123";
    const unsigned char *pem = (const unsigned char *)es_pem;
    size_t pem_len = strlen(es_pem);
    struct auth_claims c;
    char *t;

    t = sign_json(JWT_ALG_HS256, key, KEY_LEN, VOTER_CLAIMS("v-1"));
    CHECK_EQ_INT(auth_token_verify_alg(AUTH_ALG_HS256, key, KEY_LEN, "jiangxin-identity",
                                       "jiangxin-vote", t, NOW, &c),
                 APP_OK);
    CHECK_EQ_STR(c.sub, "v-1");
    free(t);
    /* a voter sub may be AUTH_SUB_MAX bytes (a staff one may not), not more */
    CHECK_EQ_INT(voter(AUTH_ALG_HS256, key, KEY_LEN,
                       sign_json(JWT_ALG_HS256, key, KEY_LEN,
                                 VOTER_CLAIMS("0123456789012345678901234567890123456789012345678"
                                              "901234567890123"))),
                 APP_OK);
    CHECK_EQ_INT((int)strlen(sub64), AUTH_SUB_MAX);
    CHECK_EQ_INT(voter(AUTH_ALG_HS256, key, KEY_LEN,
                       sign_json(JWT_ALG_HS256, key, KEY_LEN,
                                 VOTER_CLAIMS("0123456789012345678901234567890123456789012345678"
                                              "9012345678901234"))),
                 APP_ERR_UNAUTHORIZED);
    /* pinned: HS512 with the same secret, wrong audience, alg none */
    CHECK_EQ_INT(voter(AUTH_ALG_HS256, key, KEY_LEN,
                       sign_json(JWT_ALG_HS512, key, KEY_LEN, VOTER_CLAIMS("v-1"))),
                 APP_ERR_UNAUTHORIZED);
    CHECK_EQ_INT(voter(AUTH_ALG_HS256, key, KEY_LEN,
                       sign_json(JWT_ALG_HS256, key, KEY_LEN,
                                 "{\"iss\":\"jiangxin-identity\",\"aud\":\"jiangxin-api\","
                                 "\"sub\":\"v\",\"exp\":1767229200}")),
                 APP_ERR_UNAUTHORIZED);
    CHECK_EQ_INT(voter(AUTH_ALG_HS256, key, KEY_LEN,
                       hand_token("{\"alg\":\"none\"}", VOTER_CLAIMS("v-1"), "")),
                 APP_ERR_UNAUTHORIZED);
    /* ES256 configured: an HS256 token HMAC-ed with the PEM text verifies in
     * libjwt 1.10 (the token picks the algorithm) and must be refused */
    CHECK_EQ_INT(voter(AUTH_ALG_ES256, pem, pem_len,
                       sign_json(JWT_ALG_HS256, pem, pem_len, VOTER_CLAIMS("v-1"))),
                 APP_ERR_UNAUTHORIZED);
    CHECK_EQ_INT(voter(AUTH_ALG_ES256, pem, pem_len,
                       sign_json(JWT_ALG_HS256, key, KEY_LEN, VOTER_CLAIMS("v-1"))),
                 APP_ERR_UNAUTHORIZED);
    /* and a HS256 configuration refuses an ES256 header */
    CHECK_EQ_INT(voter(AUTH_ALG_HS256, key, KEY_LEN,
                       hand_token("{\"alg\":\"ES256\"}", VOTER_CLAIMS("v-1"), "AAAA")),
                 APP_ERR_UNAUTHORIZED);
}

/* Two P-256 key pairs, made afresh by each run (OpenSSL): PEM texts. */
static char a_priv[1024], a_pub[512], b_priv[1024], b_pub[512];

static bool pem_of(EVP_PKEY *k, bool private_key, char *out, size_t outlen)
{
    BIO *bio = BIO_new(BIO_s_mem());
    bool ok =
        bio != NULL && (private_key ? PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL)
                                    : PEM_write_bio_PUBKEY(bio, k)) == 1;
    int n = ok ? BIO_read(bio, out, (int)outlen - 1) : -1;

    BIO_free(bio);
    if (n <= 0)
        return false;
    out[n] = '\0';
    return true;
}

static bool make_pair(char *priv, size_t priv_len, char *pub, size_t pub_len)
{
    EVP_PKEY *k = EVP_EC_gen("P-256");
    bool ok = k != NULL && pem_of(k, true, priv, priv_len) && pem_of(k, false, pub, pub_len);

    EVP_PKEY_free(k);
    return ok;
}

static bool make_keys(void)
{
    return make_pair(a_priv, sizeof(a_priv), a_pub, sizeof(a_pub)) &&
           make_pair(b_priv, sizeof(b_priv), b_pub, sizeof(b_pub));
}

#define PEM_KEY(text)                                                   \
    {                                                                   \
        AUTH_ALG_ES256, (const unsigned char *)(text), sizeof(text) - 1 \
    }

static char *es_sign(const char *priv, long tv)
{
    struct auth_grant g = {
        .iss = ISS, .aud = AUD, .sub = "api", .role = "service", .ttl = 120, .tv = tv};
    char *t = NULL;

    if (auth_token_sign(AUTH_ALG_ES256, (const unsigned char *)priv, strlen(priv), &g, NOW, &t) !=
        APP_OK)
        return NULL;
    return t;
}

static void test_es256_service_tokens(void)
{
    const struct auth_key a[] = {PEM_KEY(a_pub)}, b[] = {PEM_KEY(b_pub)};
    const struct auth_key both[] = {PEM_KEY(b_pub), PEM_KEY(a_pub)};
    struct auth_claims c;
    char *t = es_sign(a_priv, 7), *tb = es_sign(b_priv, -1);

    CHECK(t != NULL && tb != NULL);
    if (t == NULL || tb == NULL)
        goto done;
    CHECK_EQ_INT(auth_token_verify_keys(a, 1, ISS, AUD, t, NOW, AUTH_SUB_MAX, &c), APP_OK);
    CHECK_EQ_STR(c.sub, "api");
    CHECK_EQ_STR(c.role, "service");
    CHECK_EQ_INT(c.tv, 7);
    CHECK_EQ_INT(c.iat, NOW);
    CHECK_EQ_INT(auth_token_verify_keys(a, 1, ISS, AUD, tb, NOW, AUTH_SUB_MAX, &c),
                 APP_ERR_UNAUTHORIZED);
    CHECK_EQ_INT(auth_token_verify_keys(b, 1, ISS, AUD, t, NOW, AUTH_SUB_MAX, &c),
                 APP_ERR_UNAUTHORIZED);
    /* rotation: both public keys configured, tokens of either signer pass */
    CHECK_EQ_INT(auth_token_verify_keys(both, 2, ISS, AUD, t, NOW, AUTH_SUB_MAX, &c), APP_OK);
    CHECK_EQ_INT(auth_token_verify_keys(both, 2, ISS, AUD, tb, NOW, AUTH_SUB_MAX, &c), APP_OK);
    CHECK_EQ_INT(c.tv, -1);
    CHECK_EQ_INT(auth_token_verify_keys(both, 0, ISS, AUD, t, NOW, AUTH_SUB_MAX, &c),
                 APP_ERR_UNAUTHORIZED);
    /* wrong issuer or audience for the same key */
    CHECK_EQ_INT(auth_token_verify_keys(a, 1, "jiangxin-vote", AUD, t, NOW, AUTH_SUB_MAX, &c),
                 APP_ERR_UNAUTHORIZED);
    CHECK_EQ_INT(auth_token_verify_keys(a, 1, ISS, "jiangxin-vote", t, NOW, AUTH_SUB_MAX, &c),
                 APP_ERR_UNAUTHORIZED);
    /* libjwt issue #200: an HS256 token HMAC-ed with the public key's PEM
     * text verifies in libjwt 1.10 unless the algorithm is pinned */
    {
        char claims[256];
        char *forged;

        snprintf(claims, sizeof(claims),
                 "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"api\",\"role\":\"service\","
                 "\"iat\":%ld,\"exp\":%ld}",
                 NOW, NOW + 60);
        forged = sign_json(JWT_ALG_HS256, (const unsigned char *)a_pub, strlen(a_pub), claims);
        CHECK(forged != NULL);
        CHECK_EQ_INT(auth_token_verify_keys(a, 1, ISS, AUD, forged, NOW, AUTH_SUB_MAX, &c),
                     APP_ERR_UNAUTHORIZED);
        CHECK_EQ_INT(auth_token_verify_keys(both, 2, ISS, AUD, forged, NOW, AUTH_SUB_MAX, &c),
                     APP_ERR_UNAUTHORIZED);
        free(forged);
    }
    /* a public key cannot sign */
    {
        char *none = es_sign(a_pub, -1);
        CHECK(none == NULL);
        free(none);
    }
done:
    free(t);
    free(tb);
}

/* nbf and iat in the future (beyond the skew), malformed optional claims. */
static void test_time_claims(void)
{
    static const struct {
        const char *name;
        const char *claim;
        long value;
        bool quoted; /* the value as a JSON string */
        enum app_err want;
    } rows[] = {
        {"nbf now", "nbf", NOW, false, APP_OK},
        {"nbf inside the skew", "nbf", NOW + AUTH_CLOCK_SKEW_S, false, APP_OK},
        {"nbf beyond the skew", "nbf", NOW + AUTH_CLOCK_SKEW_S + 1, false, APP_ERR_UNAUTHORIZED},
        {"nbf in a year", "nbf", NOW + 365L * 86400, false, APP_ERR_UNAUTHORIZED},
        {"iat inside the skew", "iat", NOW + AUTH_CLOCK_SKEW_S, false, APP_OK},
        {"iat beyond the skew", "iat", NOW + AUTH_CLOCK_SKEW_S + 1, false, APP_ERR_UNAUTHORIZED},
        {"iat in a year", "iat", NOW + 365L * 86400, false, APP_ERR_UNAUTHORIZED},
        {"iat a string", "iat", NOW, true, APP_ERR_UNAUTHORIZED},
        {"nbf a string", "nbf", NOW, true, APP_ERR_UNAUTHORIZED},
        {"tv negative", "tv", -1, false, APP_ERR_UNAUTHORIZED},
        {"tv a string", "tv", 1, true, APP_ERR_UNAUTHORIZED},
        {"tv zero", "tv", 0, false, APP_OK},
    };

    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        char claims[256];
        struct auth_claims c;
        const char *q = rows[i].quoted ? "\"" : "";
        char *t;

        snprintf(claims, sizeof(claims),
                 "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u-1\",\"exp\":%ld,"
                 "\"%s\":%s%ld%s}",
                 NOW + 3600L * 24 * 400, rows[i].claim, q, rows[i].value, q);
        t = sign_json(JWT_ALG_HS256, key, KEY_LEN, claims);
        CHECKF(t != NULL, "%s: could not build", rows[i].name);
        if (t == NULL)
            continue;
        CHECKF(auth_token_verify(key, KEY_LEN, ISS, AUD, t, NOW, &c) == rows[i].want, "%s: want %d",
               rows[i].name, (int)rows[i].want);
        free(t);
    }
}

static char *write_tmp(const char *text)
{
    static char path[64];
    char *copy;
    int fd;
    FILE *f;

    snprintf(path, sizeof(path), "/tmp/jx-test-auth-XXXXXX");
    fd = mkstemp(path);
    if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
        return NULL;
    fputs(text, f);
    fclose(f);
    copy = strdup(path);
    return copy;
}

static void test_key_files(void)
{
    char both_text[1024], err[256], list[160];
    char *one = write_tmp(a_pub), *two, *priv = write_tmp(a_priv), *junk = write_tmp("junk\n");
    struct auth_keyring ring = {0};
    struct auth_key k = {0};

    snprintf(both_text, sizeof(both_text), "# rotation\n%s%s", b_pub, a_pub);
    two = write_tmp(both_text);
    CHECK(one != NULL && two != NULL && priv != NULL && junk != NULL);
    if (one == NULL || two == NULL || priv == NULL || junk == NULL)
        goto done;
    CHECK(auth_keyring_load("K", two, &ring, err, sizeof(err)));
    CHECK_EQ_INT(ring.n, 2);
    auth_keyring_free(&ring);
    snprintf(list, sizeof(list), "%s, %s", one, two);
    CHECK(auth_keyring_load("K", list, &ring, err, sizeof(err)));
    CHECK_EQ_INT(ring.n, 3);
    auth_keyring_free(&ring);
    CHECK(!auth_keyring_load("K", junk, &ring, err, sizeof(err)));
    CHECK(strstr(err, "K:") == err);
    CHECK(!auth_keyring_load("K", "/nonexistent/key.pem", &ring, err, sizeof(err)));
    CHECK(!auth_keyring_load("K", priv, &ring, err, sizeof(err)));
    /* the private key signs; what the public key file verifies */
    CHECK(auth_private_key_load("P", priv, &k, err, sizeof(err)));
    CHECK(!auth_private_key_load("P", one, &k, err, sizeof(err)) || k.len > 0);
    CHECK(!auth_private_key_load("P", junk, &k, err, sizeof(err)) || k.len > 0);
    if (k.len > 0 && auth_keyring_load("K", one, &ring, err, sizeof(err))) {
        struct auth_grant g = {
            .iss = ISS, .aud = AUD, .sub = "s", .role = "service", .ttl = 60, .tv = -1};
        struct auth_claims c;
        char *t = NULL;

        CHECK_EQ_INT(auth_token_sign(k.alg, k.key, k.len, &g, NOW, &t), APP_OK);
        CHECK_EQ_INT(auth_token_verify_keys(ring.keys, ring.n, ISS, AUD, t, NOW, AUTH_SUB_MAX, &c),
                     APP_OK);
        free(t);
        auth_keyring_free(&ring);
    }
    auth_key_free(&k);
    CHECK(k.key == NULL && k.len == 0);
done : {
    char *files[] = {one, two, priv, junk};

    for (size_t i = 0; i < TEST_COUNT(files); i++) {
        if (files[i] != NULL)
            unlink(files[i]);
        free(files[i]);
    }
}
}

static void test_has_programme(void)
{
    struct principal admin = {.role = ROLE_ADMIN};
    struct principal office = {.role = ROLE_OFFICE, .n_programmes = 2};
    struct principal empty_office = {.role = ROLE_OFFICE};
    struct principal unit = {.role = ROLE_UNIT};
    static const char *const others[] = {"P-03", "P-0", "P-01x", "p-01", ""};

    strcpy(office.programmes[0], "P-01");
    strcpy(office.programmes[1], "P-02");
    /* Stale entry past n_programmes must not count. */
    strcpy(office.programmes[2], "P-03");

    CHECK(auth_has_programme(&admin, "P-01"));
    CHECK(auth_has_programme(&admin, "anything"));
    CHECK(auth_has_programme(&office, "P-01"));
    CHECK(auth_has_programme(&office, "P-02"));
    for (size_t i = 0; i < TEST_COUNT(others); i++)
        CHECKF(!auth_has_programme(&office, others[i]), "office has \"%s\"", others[i]);
    CHECK(!auth_has_programme(&empty_office, "P-01"));
    CHECK(!auth_has_programme(&unit, "P-01"));
}

int main(void)
{
    static const struct test_case cases[] = {
        {"issue then verify", test_round_trip},
        {"each token has its own jti", test_issue_unique_jti},
        {"issue refuses a short key", test_issue_refuses_short_key},
        {"verify refuses a short key", test_verify_refuses_short_key},
        {"verify refuses bad tokens", test_verify_refusals},
        {"verify accepts edge cases", test_verify_accepts_edge_cases},
        {"verify with exp near LONG_MAX", test_verify_huge_exp},
        {"token length limit", test_token_length_limit},
        {"role names", test_role_names},
        {"voter tokens: pinned algorithm, sub length", test_voter_tokens},
        {"ES256 service tokens: keys, rotation, PEM-as-HMAC refused", test_es256_service_tokens},
        {"nbf, iat and tv claims", test_time_claims},
        {"key files", test_key_files},
        {"programme scope", test_has_programme},
    };

    if (sodium_init() < 0 || !make_keys())
        return 1;
    return test_run(cases, TEST_COUNT(cases));
}
