/* SPDX-License-Identifier: MIT */
/*
 * The API's configuration and its context, shared read-only by every
 * handler after start-up.
 */
#ifndef JIANGXIN_API_APP_H
#define JIANGXIN_API_APP_H

#include <stddef.h>

#include "auth_keys.h"
#include "client_ip.h"
#include "config.h"
#include "http.h"

#define API_ISSUER   "jiangxin-api"
#define API_AUDIENCE "jiangxin-api"
/* The tally poster's own tokens (ES256, its key pair): issuer, subject and
 * the longest lifetime accepted. */
#define POSTER_ISSUER      "jiangxin-vote"
#define POSTER_SUBJECT     "vote-poster"
#define POSTER_TOKEN_MAX_S 900

struct api_config {
    const char *database_url;
    const char *migrations_dir;
    const char *log_level;
    const char *jwt_secret;
    const char *jwt_secret_previous; /* verifies only, while a rotation's old tokens live */
    const char *vote_push_key;       /* path: PEM EC private key of the session pushes */
    const char *poster_public_key;   /* paths: the tally poster's PEM public key(s) */
    unsigned char pii_key[CONFIG_KEY_BYTES];
    const char *listen;
    long threads;
    long max_connections;
    long max_connections_per_ip;
    long idle_timeout;
    long max_body;
    long max_upload; /* evidence files (ROUTE_UPLOAD routes) */
    long token_ttl;
    const char *cors_origin;
    const char *vote_url;         /* jiangxin-vote base URL; NULL: sessions are not pushed */
    const char *public_url;       /* the API's public base URL (certificate QR codes) */
    const char *test_clock;       /* JIANGXIN_TEST_CLOCK (clock.h); NULL: off */
    const char *trusted_proxies;  /* JIANGXIN_TRUSTED_PROXIES (client_ip.h) */
    long hash_concurrency;        /* password hashes running at once */
    long signin_free_failures;    /* per (username, address) before delays */
    long signin_delay_max;        /* seconds: the doubling delay's cap */
    long signin_address_failures; /* an address's budget of failed sign-ins ... */
    long signin_address_window;   /* ... regained over this many seconds */
    long objection_limit;         /* objections one address may file ... */
    long objection_status_limit;  /* ... status checks it may make ... */
    long certificate_limit;       /* certificate checks one address may make ... */
    long certificate_window;      /* ... per this many seconds */
    long objection_window;        /* ... per this many seconds (ops/public_limit.h) */
    long public_cache_mb;         /* api/public_cache.h: 0 = off */
    long public_cache_ttl_ms;
    /* The nightly export's key as GET /v1/public/export-key shows it: the
     * public key, or (one host) derived from the seed; both optional. */
    unsigned char export_public_key[CONFIG_KEY_BYTES];
    unsigned char export_seed[CONFIG_KEY_BYTES];
};

struct api_ctx {
    const struct api_config *cfg;
    const char *openapi_json; /* the contract as JSON text */
    size_t openapi_len;
    const char *docs_html; /* the /docs page (openapi/docs/api.html) */
    size_t docs_len;
    struct auth_key staff_keys[2];   /* JIANGXIN_JWT_SECRET[_PREVIOUS] (HS256) */
    size_t n_staff_keys;             /* set by api_auth_configure */
    struct auth_keyring poster_keys; /* empty: no poster tokens accepted */
    struct client_ip_trust trusted;  /* parsed JIANGXIN_TRUSTED_PROXIES */
    /* {"alg", "key_id", "public_key"} of the export key; "" when unset. */
    char export_key_json[160];
};

extern const struct route api_routes[];
extern const size_t api_routes_count;

/* Sets the verification keys of ctx from its configuration; false (err
 * says why) when a key file is unusable. api_auth_release frees them. */
bool api_auth_configure(struct api_ctx *ctx, char *err, size_t errlen);
void api_auth_release(struct api_ctx *ctx);

/* The bearer-token check for http_server_conf.authenticate. */
enum app_err
api_authenticate(void *app, const char *token, struct principal *ret, struct problem *reterr);

/* CLI subcommands (api/cli.c). Each returns the process exit code. */
int cli_migrate(const struct api_config *cfg);
int cli_user_add(const struct api_config *cfg, int argc, char **argv);
int cli_calendar_load(const struct api_config *cfg, int argc, char **argv);
int cli_status(const struct api_config *cfg, int argc, char **argv);
int cli_allowance_run(const struct api_config *cfg, int argc, char **argv);

#endif
