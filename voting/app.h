/* SPDX-License-Identifier: MIT */
/* The voting service's configuration and context. */
#ifndef JIANGXIN_VOTE_APP_H
#define JIANGXIN_VOTE_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "auth.h"
#include "client_ip.h"
#include "config.h"
#include "http.h"

struct vote_config {
    const char *redis_url;
    const char *jwt_secret;
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
    const char *trusted_proxies;
    const char *test_clock; /* JIANGXIN_TEST_CLOCK (clock.h); NULL: off */
    const char *api_url;    /* tally posting (voting/poster.c); NULL: no poster */
    const char *api_username;
    const char *api_password;
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
};

/* voting/auth.c: the voter key and trusted proxies from the configuration;
 * false with the reason in err. vote_auth_release frees what it loaded. */
bool vote_auth_configure(struct vote_ctx *ctx, char *err, size_t errlen);
void vote_auth_release(struct vote_ctx *ctx);
/* The http_auth_fn: a service token (HS256, JIANGXIN_JWT_SECRET, role
 * service) first, then a voter token. A voter's principal id is the keyed
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
