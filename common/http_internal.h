/* SPDX-License-Identifier: MIT */
/*
 * Private to common/http*.c: the server object and one request's exchange.
 * http_conn.c drives libmicrohttpd (head, body, reply); http.c decides
 * (route, authentication, limits) and dispatches. Services use http.h only.
 */
#ifndef JIANGXIN_HTTP_INTERNAL_H
#define JIANGXIN_HTTP_INTERNAL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include <microhttpd.h>
#include <ulfius.h>

#include "http.h"

#define HTTP_PATH_MAX 1024

struct metrics;

struct route_info {
    char *copy; /* the path, split in place into segs */
    char *segs[HTTP_MAX_SEGMENTS];
    size_t n_segs;
    char *label; /* "/v1/units/{id}" */
};

struct http_server {
    struct http_server_conf conf;
    struct MHD_Daemon *daemon;
    struct sockaddr_in addr;
    struct route_info *info;
    struct metrics *metrics;
    size_t drain_max; /* body bytes read and dropped after a refusal before the connection is cut */
};

struct http_match {
    const struct route *route; /* route for the method, or NULL */
    size_t route_index;
    bool path_known; /* some route has this path */
    char allow[96];
};

/* One request from its request line to its reply: libmicrohttpd's
 * per-request context. The head (headers, no body yet) decides the route,
 * the caller and the body limit; the body is kept within that limit or,
 * once the request is refused, read and dropped. */
struct http_exchange {
    struct _u_request req; /* the request in ulfius's form (handlers read it) */
    struct http_call call; /* route, path parameters and caller, from the head */
    struct http_match m;
    char path[HTTP_PATH_MAX]; /* split in place: the path parameters point here */
    struct problem *refusal;  /* the answer, decided before the handler (NULL: none) */
    size_t limit;             /* body bytes kept */
    size_t received;          /* body bytes seen, kept or dropped */
    size_t body_cap;          /* bytes allocated for req.binary_body */
    bool head_done;
    bool auth_done; /* call.who is checked */
    bool keep_body; /* false: every body byte is dropped */
};

/* Decides at the head: route, authentication of routes with roles, then
 * the body limit (the route's, the upload limit only for an authenticated
 * caller of a ROUTE_UPLOAD route) against the declared length. A refusal
 * lands in x->refusal. */
void http_exchange_head(const struct http_server *s,
                        struct http_exchange *x,
                        bool has_length,
                        uint64_t length);
/* Sets x->refusal to p's problem (p is cleared). */
void http_exchange_refuse(struct http_exchange *x, struct problem *p);
/* The body went past x->limit: refused with 413. */
void http_exchange_refuse_size(struct http_exchange *x);
/* Routes, labels and metrics of s (conf set), before listening. */
enum app_err http_server_prepare(struct http_server *s);
/* Frees what http_server_prepare made, and s. NULL-safe. */
void http_server_free(struct http_server *s);

/* Answers the request into res: the refusal, 404/405/preflight, or the
 * handler after the body checks; then metrics and the access log. */
void http_exchange_reply(const struct http_server *s,
                         struct http_exchange *x,
                         struct _u_response *res);

#endif
