/* SPDX-License-Identifier: MIT */
/*
 * The API's configuration and its context, shared read-only by every
 * handler after start-up.
 */
#ifndef JIANGXIN_API_APP_H
#define JIANGXIN_API_APP_H

#include <stddef.h>

#include "config.h"
#include "http.h"

#define API_ISSUER   "jiangxin-api"
#define API_AUDIENCE "jiangxin-api"

struct api_config {
    const char *database_url;
    const char *migrations_dir;
    const char *log_level;
    const char *jwt_secret;
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
    const char *vote_url;   /* jiangxin-vote base URL; NULL: sessions are not pushed */
    const char *test_clock; /* JIANGXIN_TEST_CLOCK (clock.h); NULL: off */
};

struct api_ctx {
    const struct api_config *cfg;
    const char *openapi_json; /* the contract as JSON text */
    size_t openapi_len;
    const char *docs_html; /* the /docs page (openapi/docs/api.html) */
    size_t docs_len;
};

extern const struct route api_routes[];
extern const size_t api_routes_count;

/* The bearer-token check for http_server_conf.authenticate. */
enum app_err
api_authenticate(void *app, const char *token, struct principal *ret, struct problem *reterr);

/* CLI subcommands (api/cli.c). Each returns the process exit code. */
int cli_migrate(const struct api_config *cfg);
int cli_user_add(const struct api_config *cfg, int argc, char **argv);
int cli_calendar_load(const struct api_config *cfg, int argc, char **argv);
int cli_status(const struct api_config *cfg, int argc, char **argv);

#endif
