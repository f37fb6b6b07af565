/* SPDX-License-Identifier: MIT */
/* The voting service's configuration and context. */
#ifndef JIANGXIN_VOTE_APP_H
#define JIANGXIN_VOTE_APP_H

#include <stddef.h>

#include "http.h"

struct vote_config {
    const char *redis_url;
    const char *jwt_secret;
    const char *listen;
    const char *log_level;
    long threads;
    long max_connections;
    long max_body;
    const char *cors_origin;
};

struct vote_ctx {
    const struct vote_config *cfg;
    const char *openapi_json;
    size_t openapi_len;
};

extern const struct route vote_routes[];
extern const size_t vote_routes_count;

route_handler_fn system_readyz, system_openapi;

#endif
