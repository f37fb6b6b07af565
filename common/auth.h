/* SPDX-License-Identifier: MIT */
/*
 * Who is calling: roles, the authenticated principal, and JWTs (libjwt
 * 1.10): HS256 with a shared secret, ES256 with a PEM EC P-256 key pair.
 * Verification pins the algorithm of each key, refuses empty keys (libjwt
 * would skip the signature check) and checks exp, nbf, iat, iss and aud
 * itself, since 1.10 has no claim validation.
 */
#ifndef JIANGXIN_AUTH_H
#define JIANGXIN_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "app_err.h"

#define AUTH_KEY_MIN        32   /* bytes of HS256 secret */
#define AUTH_TOKEN_MAX      4096 /* longer bearer tokens are refused unread */
#define AUTH_SUB_MAX        64
#define AUTH_PROGRAMMES_MAX 16
#define AUTH_CODE_MAX       48
#define AUTH_CLOCK_SKEW_S   30
#define AUTH_KEYS_MAX       4 /* verification keys of one kind: the current and rotating ones */

enum role {
    ROLE_NONE = 0, /* anonymous */
    ROLE_ADMIN,
    ROLE_OFFICE,
    ROLE_UNIT,
    ROLE_EXPERT,
    ROLE_LEADER,
    ROLE_FINANCE,
    ROLE_AUDITOR,
    ROLE_SERVICE,
    ROLE_VOTER, /* a member of the public with a voter token; never a staff role */
    ROLE__MAX
};

#define ROLE_BIT(r) (1u << (r))
#define ROLES_ANY_USER                                                                            \
    (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_OFFICE) | ROLE_BIT(ROLE_UNIT) | ROLE_BIT(ROLE_EXPERT) | \
     ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_FINANCE) | ROLE_BIT(ROLE_AUDITOR) |                    \
     ROLE_BIT(ROLE_SERVICE))

struct principal {
    enum role role;
    char id[AUTH_SUB_MAX];       /* user id (uuid) or voter subject */
    char username[AUTH_SUB_MAX]; /* display name for audit; never personal data */
    char unit_id[40];            /* unit scope ("" when none) */
    size_t n_programmes;         /* programme scope (office users) */
    char programmes[AUTH_PROGRAMMES_MAX][AUTH_CODE_MAX];
    long expires_at; /* token exp (unix seconds) */
    /* A machine principal authenticated by a key-signed token (the tally
     * poster): it may call only routes flagged ROUTE_KEY_SCOPED. */
    bool key_scoped;
};

/* "admin" → ROLE_ADMIN; ROLE_NONE for unknown names and for "voter" (only
 * a voter token gives ROLE_VOTER, never a stored user). */
enum role auth_role_from_name(const char *name);
const char *auth_role_name(enum role role);
/* True when the principal is scoped to programme `code` (admins always are). */
bool auth_has_programme(const struct principal *who, const char *code);

struct auth_claims {
    char sub[AUTH_SUB_MAX + 1]; /* up to AUTH_SUB_MAX bytes */
    char role[16];
    long exp;
    long iat; /* 0 when absent */
    long nbf; /* 0 when absent */
    long tv;  /* the "tv" claim (the user's token version); -1 when absent */
};

/* Issues an HS256 token {iss, aud, sub, role, iat, exp=now+ttl, jti}. *ret is
 * malloc'd (free()). APP_ERR_INTERNAL on failure. */
enum app_err auth_token_issue(const unsigned char *key,
                              size_t key_len,
                              const char *iss,
                              const char *aud,
                              const char *sub,
                              const char *role,
                              long ttl,
                              long now,
                              char **ret);

/* The algorithm of a key. */
enum auth_alg {
    AUTH_ALG_HS256 = 0, /* key: the shared secret (>= AUTH_KEY_MIN bytes) */
    AUTH_ALG_ES256,     /* key: a PEM EC P-256 key (private to sign, public to verify) */
};

/* What a token says about its subject. */
struct auth_grant {
    const char *iss;
    const char *aud;
    const char *sub;
    const char *role;
    long ttl; /* exp = now + ttl */
    long tv;  /* >= 0: adds a "tv" claim (token version); < 0: none */
};

/* Signs {iss, aud, sub, role, iat=now, exp, jti[, tv]} with `alg`; the key
 * is the secret (HS256) or the PEM text of an EC P-256 private key (ES256).
 * *ret is malloc'd (free()). APP_ERR_INTERNAL on failure. */
enum app_err auth_token_sign(enum auth_alg alg,
                             const unsigned char *key,
                             size_t key_len,
                             const struct auth_grant *grant,
                             long now,
                             char **ret);

/* One verification key: the algorithm is pinned per key. */
struct auth_key {
    enum auth_alg alg;
    const unsigned char *key; /* the secret or a PEM public key's text */
    size_t len;
};

/* Verifies a token against each key in turn (a token must use its key's
 * algorithm exactly): signature, exp (required), nbf and iat (not after
 * now + AUTH_CLOCK_SKEW_S), iss, aud and a sub of 1..sub_max bytes.
 * APP_ERR_UNAUTHORIZED for any bad token; never logs the token. */
enum app_err auth_token_verify_keys(const struct auth_key *keys,
                                    size_t n_keys,
                                    const char *iss,
                                    const char *aud,
                                    const char *token,
                                    long now,
                                    size_t sub_max,
                                    struct auth_claims *ret);

/* Verifies signature (HS256 only), exp (with AUTH_CLOCK_SKEW_S), nbf, iat, iss, aud
 * and a sub shorter than AUTH_SUB_MAX bytes.
 * APP_ERR_UNAUTHORIZED for any bad token; never logs the token. */
enum app_err auth_token_verify(const unsigned char *key,
                               size_t key_len,
                               const char *iss,
                               const char *aud,
                               const char *token,
                               long now,
                               struct auth_claims *ret);

/* Verifies a token of exactly algorithm `alg` (any other alg, "none"
 * included, is refused), exp (required, AUTH_CLOCK_SKEW_S), nbf and iat (not
 * in the future beyond AUTH_CLOCK_SKEW_S), iss, aud and a
 * sub of 1..AUTH_SUB_MAX bytes. APP_ERR_UNAUTHORIZED for any bad token;
 * never logs the token or its subject. */
enum app_err auth_token_verify_alg(enum auth_alg alg,
                                   const unsigned char *key,
                                   size_t key_len,
                                   const char *iss,
                                   const char *aud,
                                   const char *token,
                                   long now,
                                   struct auth_claims *ret);

#endif
