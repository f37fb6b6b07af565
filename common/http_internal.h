/* SPDX-License-Identifier: MIT */
/*
 * Private to common/http*.c: the server object. Services use http.h only.
 */
#ifndef JIANGXIN_HTTP_INTERNAL_H
#define JIANGXIN_HTTP_INTERNAL_H

#include <netinet/in.h>
#include <stdbool.h>

#include <ulfius.h>

#include "http.h"

struct metrics;

struct route_info {
    char *copy; /* the path, split in place into segs */
    char *segs[HTTP_MAX_SEGMENTS];
    size_t n_segs;
    char *label; /* "/v1/units/{id}" */
};

struct http_server {
    struct http_server_conf conf;
    struct _u_instance inst;
    bool inst_ready;
    struct sockaddr_in addr;
    struct route_info *info;
    struct metrics *metrics;
};

#endif
