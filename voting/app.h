/* SPDX-License-Identifier: MIT */
/* The voting service's configuration and context. */
#ifndef JIANGXIN_VOTE_APP_H
#define JIANGXIN_VOTE_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "auth.h"
#include "auth_keys.h"
#include "client_ip.h"
#include "config.h"
#include "http.h"

struct vote_config {
    const char *redis_url;
    const char *api_public_key; /* paths: the API's PEM public keys (session pushes) */
    const char *listen;
    const char *log_level;
    long threads;
    long max_connections;
    long max_connections_per_ip;
    long idle_timeout;
    long max_body;
    long conn_memory;
    const char *cors_origin;
    long max_session_body; /* the internal session PUT (up to 200 nominees) */
    unsigned char vote_hash_key[CONFIG_KEY_BYTES]; /* keyed voter and IP hashes */
    const char *voter_jwt_secret;                  /* HS256, or … */
    const char *voter_jwt_public_key;              /* … path of a PEM P-256 key (ES256) */
    const char *voter_jwt_issuer;
    long voter_token_max_ttl; /* seconds: the longest exp - iat of a voter token */
    const char *trusted_proxies;
    const char *test_clock; /* JIANGXIN_TEST_CLOCK (clock.h); NULL: off */
    const char *api_url;    /* tally posting (voting/poster.c); NULL: no poster */
    const char *poster_key; /* path: the poster's PEM EC private key */
    long tally_interval_ms;
};

struct vote_ctx {
    const struct vote_config *cfg;
    const char *openapi_json;
    size_t openapi_len;
    const char *docs_html; /* the /docs page (openapi/docs/voting.html) */
    size_t docs_len;
    enum auth_alg voter_alg;
    unsigned char *voter_key; /* the secret or the PEM text (malloc'd by vote_auth_configure) */
    size_t voter_key_len;
    struct client_ip_trust trusted;
    struct auth_keyring api_keys; /* verify the API's service tokens (ES256) */
    struct auth_key poster_key;   /* signs the poster's tokens; len 0 without a poster */
};

/* voting/auth.c: the voter key and trusted proxies from the configuration;
 * false with the reason in err. vote_auth_release frees what it loaded. */
bool vote_auth_configure(struct vote_ctx *ctx, char *err, size_t errlen);
void vote_auth_release(struct vote_ctx *ctx);
/* The http_auth_fn: a voter token first, then a service token of the API
 * (ES256, JIANGXIN_API_PUBLIC_KEY, role service). A voter's principal id is the keyed
 * voter hash, never the subject itself. */
http_auth_fn vote_authenticate;

extern const struct route vote_routes[];
extern const size_t vote_routes_count;

/* Every handler of voting/routes.def. */
#pragma push_macro("ROUTE")
#undef ROUTE
#define ROUTE(method, path, handler, roles, flags) route_handler_fn handler;
#include "routes.def"
#pragma pop_macro("ROUTE")

#endif
