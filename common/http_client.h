/* SPDX-License-Identifier: MIT */
/*
 * The one outgoing HTTP call the services make to each other: a JSON
 * request with an optional bearer token and a bounded time, answered by a
 * status and a parsed JSON body. Built on ulfius's libcurl client, which
 * opens a connection per call: fine for the few calls a minute made here
 * (session pushes, tally posts), never on a request thread's hot path.
 */
#ifndef JIANGXIN_HTTP_CLIENT_H
#define JIANGXIN_HTTP_CLIENT_H

#include <jansson.h>

#include "app_err.h"

#define HTTP_CLIENT_TIMEOUT_S 5

struct http_client_reply {
    long status;  /* HTTP status; 0 when no answer arrived */
    json_t *body; /* parsed JSON body (object or array) or NULL; owned */
};

/* Sends `method url` with `body` (JSON, may be NULL) and `Authorization:
 * Bearer token` when token is not NULL. `extra_header`/`extra_value` add one
 * more header when not NULL (e.g. If-Match). APP_OK when an HTTP answer
 * arrived (any status: look at ret->status); APP_ERR_UNAVAILABLE when the
 * peer could not be reached or did not answer in time. */
enum app_err http_client_send(const char *method,
                              const char *url,
                              const char *token,
                              const json_t *body,
                              const char *extra_header,
                              const char *extra_value,
                              struct http_client_reply *ret);

/* A raw answer: the status and the body's bytes (malloc'd, owned). */
struct http_client_raw {
    long status;
    char *body;
    size_t len;
};

/* GET `url` (bearer token when not NULL) within timeout_s seconds and keeps
 * the body as bytes, at most max of them (a longer one: APP_ERR_TOO_LARGE).
 * APP_OK when an answer arrived (look at ret->status); APP_ERR_UNAVAILABLE
 * when the peer could not be reached or did not answer in time. Free with
 * http_client_raw_clear. */
enum app_err http_client_get_raw(
    const char *url, const char *token, long timeout_s, size_t max, struct http_client_raw *ret);
void http_client_raw_clear(struct http_client_raw *raw);

/* libcurl's global set-up, which is not thread-safe: call once in main
 * before any thread starts, and http_client_global_close() at exit. */
enum app_err http_client_global_init(void);
void http_client_global_close(void);

/* Releases ret->body. NULL-safe. */
void http_client_reply_clear(struct http_client_reply *reply);

#endif
