/* SPDX-License-Identifier: MIT */
/*
 * HTTP glue shared by both services: a static route table, our own router
 * (exact segment match, literals before parameters), and one dispatcher that
 * does everything cross-cutting once — request id, CORS, body limit and JSON
 * parsing, bearer authentication and the role check, metrics, the access
 * log — before calling the route's handler. ulfius/libmicrohttpd do the
 * protocol; handlers see only struct http_call.
 */
#ifndef JIANGXIN_HTTP_H
#define JIANGXIN_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "auth.h"
#include "problem.h"

struct _u_request;
struct _u_response;

#define HTTP_MAX_SEGMENTS   12
#define HTTP_REQUEST_ID_MAX 64
#define HTTP_LIST_LIMIT_MAX 200
#define HTTP_LIST_LIMIT_DEF 50
#define HTTP_CURSOR_MAX     256 /* decoded bytes */
#define HTTP_ETAG_MAX       35  /* "…32 hex…" and the NUL */
/* Body limit of a caller without a token (whatever max_body says): the
 * only such body is a sign-in, well under 1 KiB. */
#define HTTP_ANONYMOUS_BODY_MAX (64 * 1024)

/* Route flags. */
#define ROUTE_BODY (1u << 0) /* takes a JSON object body (415/400 checked before the handler) */
#define ROUTE_UPLOAD \
    (1u << 1) /* takes raw bytes up to max_upload; the handler checks what they are */
/* A token is optional: without Authorization the handler runs as ROLE_NONE;
 * with one, it is checked and the roles apply as usual. */
#define ROUTE_AUTH_OPTIONAL (1u << 2)
/* Exists only while the test clock is on (clock.h); otherwise the path is
 * unknown (404) before authentication. */
#define ROUTE_TEST_CLOCK (1u << 3)
/* A key-scoped machine principal (principal.key_scoped: the tally poster)
 * may call this route; on any other route it gets 403. */
#define ROUTE_KEY_SCOPED (1u << 4)
/* A public read: a 200 with a body leaves with a strong ETag (the hash of
 * its bytes, http_etag_of: a version tag the handler set is replaced, as
 * the bytes may change with the clock alone) and `Cache-Control: public, no-cache`
 * (unless the handler set its own), and a request whose If-None-Match
 * matches gets 304 with no body. Decided after the handler, so whatever
 * the handler counts (a rate limit) counts for a 304 too. */
#define ROUTE_CACHEABLE (1u << 5)

struct http_call;
struct http_server;
/* A handler parses, calls an op and renders. It answers either with a
 * reply (http_reply_*) or by returning the problem it filled in p, which
 * arrives cleared (APP_OK); the dispatcher renders that problem, clears it
 * and runs the service's after-handler hook. */
typedef enum app_err route_handler_fn(struct http_call *call, struct problem *p);

struct route {
    const char *method;
    const char *path; /* "/v1/units/:id" */
    route_handler_fn *handler;
    const char *operation_id; /* == the handler's name (openapi operationId) */
    unsigned roles;           /* ROLE_BIT mask; 0 = public */
    unsigned flags;
};

#define ROUTE(method, path, handler, roles, flags)    \
    {                                                 \
        method, path, handler, #handler, roles, flags \
    }

/* One request in flight. Lives on the dispatcher's stack. */
struct http_call {
    const struct _u_request *req;
    struct _u_response *res;
    const struct route *route;
    void *app; /* the service's context */
    const struct http_server *server;
    struct principal who;  /* role ROLE_NONE when anonymous */
    json_t *body;          /* parsed object for ROUTE_BODY routes (borrowed) */
    const char *body_text; /* raw body bytes (borrowed), body_len bytes */
    size_t body_len;
    const char *path; /* request path without the query string */
    enum problem_lang lang;
    char request_id[HTTP_REQUEST_ID_MAX + 1];
    size_t n_params;
    const char *param_names[HTTP_MAX_SEGMENTS];
    char *param_values[HTTP_MAX_SEGMENTS];
    unsigned status;                  /* set by the reply functions */
    char cursor[HTTP_CURSOR_MAX + 1]; /* decoded `cursor` parameter */
    /* ROUTE_CACHEABLE: http_etag_of() of the body when the handler knows it
     * already (a cached body), else "" and the dispatcher computes it. */
    char body_etag[HTTP_ETAG_MAX];
};

/* Authenticates a bearer token for the service (JWT check plus whatever the
 * service needs, e.g. a user lookup). Fills *ret on success. */
typedef enum app_err
http_auth_fn(void *app, const char *token, struct principal *ret, struct problem *reterr);

struct http_server_conf {
    const char *service; /* "api" or "vote": log and metrics label */
    const char *listen;  /* "127.0.0.1:8080" */
    unsigned threads;    /* MHD epoll thread pool size */
    unsigned max_connections;
    unsigned max_connections_per_ip; /* per client address; 0 = no limit */
    unsigned idle_timeout;           /* seconds without traffic before a connection is closed */
    /* Body limits, decided from the head (Content-Length) before any body
     * byte is kept, and from the running count for chunked bodies. */
    size_t max_body;    /* bytes; larger bodies get 413 */
    size_t max_upload;  /* bytes, for ROUTE_UPLOAD routes only and only for an authenticated
                           caller allowed on the route; 0 when the service has none */
    size_t conn_memory; /* libmicrohttpd's per-connection pool (headers, buffers); 0 = its
                           default of 32 KiB. Bodies do not live there. */
    const char *cors_origin;
    const struct route *routes;
    size_t n_routes;
    void *app;
    http_auth_fn *authenticate; /* may be NULL when no route needs a role */
    /* Runs after every handler on the handler's thread (may be NULL): the API
     * rolls back a transaction a handler left open there. */
    void (*after_handler)(void *app);
};

struct http_server;

/* Starts listening. Returns APP_OK or APP_ERR_INTERNAL (the reason is logged). */
enum app_err http_server_start(const struct http_server_conf *conf, struct http_server **ret);
/* Stops and frees. NULL-safe. */
void http_server_stop(struct http_server *server);

/* ---- Request accessors (all returned strings are borrowed) ---- */
const char *http_header(const struct http_call *call, const char *name);
const char *http_query(const struct http_call *call, const char *name);
const char *http_param(const struct http_call *call, const char *name);
/* Parses the body as a JSON object into call->body (the dispatcher frees
 * it), as it does for ROUTE_BODY routes: 400 empty_body, invalid_json or
 * not_an_object. For a route that takes JSON among other media types and
 * reads Content-Type itself. */
enum app_err http_body_json(struct http_call *call, struct problem *prob);
/* The query string as sent, still percent-encoded, without the '?'; "" when
 * there is none. http_query() values are decoded C strings, so a value
 * with an encoded NUL (%00) arrives cut short: look for it here. */
const char *http_raw_query(const struct http_call *call);

/* The TCP peer's address as text (IPv4: the server listens on IPv4 only);
 * false when unknown. The client IP rule is in client_ip.h. */
bool http_peer_address(const struct http_call *call, char *buf, size_t len);

/* Reads `limit` (default HTTP_LIST_LIMIT_DEF, 1..HTTP_LIST_LIMIT_MAX) and
 * `cursor` (NULL when absent). Cursors are opaque to clients: the hex form
 * of the store's keyset key, decoded here. APP_ERR_BAD_PARAMETER on a bad
 * limit or a cursor this server cannot have issued. */
enum app_err http_list_params(struct http_call *call,
                              int *ret_limit,
                              const char **ret_cursor,
                              struct problem *reterr);

/* Parses `If-Match: "<int>"`. APP_ERR_PRECONDITION_REQUIRED when absent,
 * APP_ERR_PRECONDITION_FAILED when it is not one of our ETags. */
enum app_err
http_if_match_version(const struct http_call *call, int *ret_version, struct problem *reterr);

/* A strong entity tag for len bytes: `"` + 32 hex digits of a 128-bit
 * BLAKE2b of the bytes + `"`, so equal bodies have equal tags whichever
 * process rendered them. */
void http_etag_of(const void *body, size_t len, char ret[HTTP_ETAG_MAX]);
/* Whether an If-None-Match field value matches `etag` (RFC 9110 §13.1.2):
 * "*", or any tag of the comma-separated list under the weak comparison
 * (a W/ prefix on either side is ignored). A malformed list matches
 * nothing, so the full answer goes out. */
bool http_if_none_match(const char *field, const char *etag);

/* ---- Replies: each sets call->status; json bodies are copied (still yours) ---- */
void http_set_header(struct http_call *call, const char *name, const char *value);
void http_set_etag(struct http_call *call, int version);
void http_reply_json(struct http_call *call, unsigned status, const json_t *body);
/* The /docs page (openapi/build-docs.sh: its scripts and styles inline,
 * nothing loaded from elsewhere) with a Content-Security-Policy that keeps
 * it so. */
void http_reply_docs(struct http_call *call, const char *html, size_t len);
/* Binary-safe: `text` may be any len bytes (a file download, too). */
void http_reply_text(struct http_call *call,
                     unsigned status,
                     const char *content_type,
                     const char *text,
                     size_t len);
/* The same, taking `text` (malloc'd) over instead of copying it: for
 * bodies written into a textbuf (textbuf.h). */
void http_reply_text_take(
    struct http_call *call, unsigned status, const char *content_type, char *text, size_t len);
void http_reply_empty(struct http_call *call, unsigned status);
/* A streamed body (chunked, length unknown) for downloads too large to
 * hold: fn fills buf with up to max bytes and returns how many, 0 at the
 * end, or -1 on a failure (the connection is then cut, so the client sees
 * an incomplete body). It runs on the same server thread after the
 * handler returns. done(ctx) runs exactly once, when the response is
 * finished or abandoned (also when this call itself fails: then a 500). */
typedef long http_stream_fn(void *ctx, char *buf, size_t max);
void http_reply_stream(struct http_call *call,
                       unsigned status,
                       const char *content_type,
                       http_stream_fn *fn,
                       void (*done)(void *ctx),
                       void *ctx);
void http_reply_problem(struct http_call *call, const struct problem *p);
/* A list page: {"items": items, "next_cursor": next|null} plus a Link header. */
void http_reply_list(struct http_call *call, const json_t *items, const char *next_cursor);
/* The same from a JSON array text as a store returns it: spliced, not re-parsed. */
void http_reply_list_text(struct http_call *call, const char *items_json, const char *next_cursor);

/* Shared operational handlers (common/http_system.c): liveness, metrics,
 * and GET/PUT of the test clock (routes flagged ROUTE_TEST_CLOCK). */
route_handler_fn system_healthz, system_metrics, system_clock_get, system_clock_put;

/* Writes the Prometheus text of the HTTP metrics into a new malloc'd string. */
char *http_metrics_text(const struct http_server *server);
/* The server of the current request (for /metrics handlers). */
const struct http_server *http_call_server(const struct http_call *call);

#endif
