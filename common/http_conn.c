/* SPDX-License-Identifier: MIT */
/*
 * libmicrohttpd's side of a request: the server is started here with our
 * own access handler, so that the head (framing, route, caller, body limit)
 * is judged before a single body byte is kept, and a refused body is read
 * and dropped, never buffered. Requests and replies keep ulfius's types,
 * which handlers see through http_io.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "config.h"
#include "http_internal.h"
#include "log.h"

/* ---- The head ---- */

/* True when s[0..len) is UTF-8 (no overlong forms, surrogates or values
 * past U+10FFFF). */
static bool utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < len;) {
        unsigned c = p[i];
        size_t n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : 3;
        unsigned long cp = n == 0 ? c : n == 1 ? c & 0x1f : n == 2 ? c & 0x0f : c & 0x07;

        if ((c >= 0x80 && c < 0xc2) || c > 0xf4 || (n > 0 && i + n >= len)) {
            return false;
        }
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xc0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
            return false;
        }
        i += n + 1;
    }
    return true;
}

/* Into a ulfius map as ulfius itself fills it: values that are not UTF-8
 * are left out, repeated keys are joined with ','. */
static enum MHD_Result
fill_map(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct _u_map *map = cls;
    const char *v = value != NULL ? value : "";
    const char *had;

    (void)kind;
    if (key == NULL || !utf8_valid(key, strlen(key)) || !utf8_valid(v, strlen(v))) {
        return MHD_YES;
    }
    had = u_map_get(map, key);
    if (had == NULL) {
        return u_map_put(map, key, v) == U_OK ? MHD_YES : MHD_NO;
    }
    char *joined = NULL;
    if (asprintf(&joined, "%s,%s", had, v) < 0) {
        return MHD_NO;
    }
    int rc = u_map_put(map, key, joined);
    free(joined);
    return rc == U_OK ? MHD_YES : MHD_NO;
}

/* What the head says about the body's framing. libmicrohttpd 0.9.75 has
 * already refused a Content-Length that is not a decimal number (with its
 * own 400/413) but reads only the first of several. */
struct framing {
    unsigned n_length;
    const char *length; /* the first Content-Length */
    bool conflict;      /* another Content-Length says otherwise */
    unsigned n_encoding;
    const char *encoding; /* the first Transfer-Encoding */
};

static enum MHD_Result
scan_framing(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct framing *f = cls;
    const char *v = value != NULL ? value : "";

    (void)kind;
    if (key == NULL) {
        return MHD_YES;
    }
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        if (f->n_length++ == 0) {
            f->length = v;
        } else if (strcmp(f->length, v) != 0) {
            f->conflict = true;
        }
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        if (f->n_encoding++ == 0) {
            f->encoding = v;
        }
    }
    return MHD_YES;
}

/* 400 for a head whose body length is ambiguous: conflicting lengths, a
 * length beside a transfer coding, or a coding other than a single
 * "chunked". A reverse proxy and this server could otherwise split the
 * stream into different requests. */
static bool check_framing(const struct framing *f, struct problem *p)
{
    if (f->conflict) {
        problem_fail(p, APP_ERR_MALFORMED, "invalid_framing",
                     "请求头含有多个不一致的 Content-Length", "conflicting Content-Length headers");
        return false;
    }
    if (f->n_encoding > 0 &&
        (f->n_length > 0 || f->n_encoding > 1 || strcasecmp(f->encoding, "chunked") != 0)) {
        problem_fail(p, APP_ERR_MALFORMED, "invalid_framing",
                     "Transfer-Encoding 只能是单独的 chunked，且不能与 Content-Length 同时出现",
                     "Transfer-Encoding must be a single \"chunked\" without Content-Length");
        return false;
    }
    return true;
}

/* Fills the request from the head; false when out of memory. */
static bool read_head(struct MHD_Connection *c,
                      struct http_exchange *x,
                      const char *method,
                      const char *version)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

    x->req.http_verb = strdup(method);
    x->req.http_protocol = strdup(version);
    if (x->req.http_verb == NULL || x->req.http_protocol == NULL) {
        return false;
    }
    if (ci != NULL && ci->client_addr != NULL && ci->client_addr->sa_family == AF_INET) {
        x->req.client_address = malloc(sizeof(struct sockaddr_in));
        if (x->req.client_address == NULL) {
            return false;
        }
        memcpy(x->req.client_address, ci->client_addr, sizeof(struct sockaddr_in));
    }
    return MHD_get_connection_values(c, MHD_HEADER_KIND, fill_map, x->req.map_header) >= 0 &&
           MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, fill_map, x->req.map_url) >= 0;
}

/* ---- The reply ---- */

static enum MHD_Result
reply(struct http_server *s, struct MHD_Connection *c, struct http_exchange *x)
{
    struct _u_response res;
    struct MHD_Response *r;
    enum MHD_Result ret = MHD_NO;

    memset(&res, 0, sizeof(res));
    if (ulfius_init_response(&res) != U_OK) {
        ulfius_clean_response(&res);
        return MHD_NO;
    }
    http_exchange_reply(s, x, &res);
    if (res.stream_callback != NULL) {
        r = MHD_create_response_from_callback(res.stream_size, res.stream_block_size,
                                              res.stream_callback, res.stream_user_data,
                                              res.stream_callback_free);
        if (r == NULL && res.stream_callback_free != NULL) {
            res.stream_callback_free(res.stream_user_data);
        }
    } else {
        /* The body moves to MHD (ulfius allocates it with malloc, the
         * default of its allocator, which nothing here changes): a large
         * reply is not copied once more. */
        r = MHD_create_response_from_buffer(res.binary_body_length, res.binary_body,
                                            MHD_RESPMEM_MUST_FREE);
        if (r != NULL) {
            res.binary_body = NULL;
            res.binary_body_length = 0;
        }
    }
    if (r == NULL) {
        goto cleanup;
    }
    const char **keys = u_map_enum_keys(res.map_header);
    for (size_t i = 0; keys != NULL && keys[i] != NULL; i++) {
        const char *v = u_map_get(res.map_header, keys[i]);
        if (v != NULL && MHD_add_response_header(r, keys[i], v) != MHD_YES) {
            goto cleanup;
        }
    }
    ret = MHD_queue_response(c, (unsigned)res.status, r);

cleanup:
    if (r != NULL) {
        MHD_destroy_response(r);
    }
    ulfius_clean_response(&res);
    return ret;
}

/* ---- The body ---- */

/* Keeps n more body bytes within the limit, drops them after a refusal.
 * MHD_NO (cut the connection) once a refused body goes on for too long. */
static enum MHD_Result
take_body(const struct http_server *s, struct http_exchange *x, const char *data, size_t n)
{
    x->received += n;
    if (x->keep_body && x->received > x->limit) {
        free(x->req.binary_body);
        x->req.binary_body = NULL;
        x->req.binary_body_length = 0;
        x->body_cap = 0;
        http_exchange_refuse_size(x);
    }
    if (!x->keep_body) {
        return x->received <= s->drain_max ? MHD_YES : MHD_NO;
    }
    size_t have = x->req.binary_body_length;
    if (have + n > x->body_cap) {
        size_t cap = x->body_cap * 2 > have + n ? x->body_cap * 2 : have + n;
        cap = cap < 4096 ? 4096 : cap;
        cap = cap > x->limit ? x->limit : cap;
        void *grown = realloc(x->req.binary_body, cap);
        if (grown == NULL) {
            return MHD_NO;
        }
        x->req.binary_body = grown;
        x->body_cap = cap;
    }
    memcpy((char *)x->req.binary_body + have, data, n);
    x->req.binary_body_length = have + n;
    return MHD_YES;
}

/* ---- libmicrohttpd callbacks ---- */

/* Runs on the request line, before MHD rewrites the URI: the exchange. */
static void *begin_request(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct http_exchange *x = calloc(1, sizeof(*x));

    (void)cls;
    (void)c;
    if (x == NULL) {
        return NULL;
    }
    if (ulfius_init_request(&x->req) != U_OK) {
        ulfius_clean_request(&x->req);
        free(x);
        return NULL;
    }
    x->req.http_url = strdup(uri);
    x->req.url_path = strndup(uri, strcspn(uri, "?"));
    return x;
}

static enum MHD_Result on_head(struct http_server *s,
                               struct MHD_Connection *c,
                               struct http_exchange *x,
                               const char *method,
                               const char *version)
{
    struct framing f = {0};
    struct problem p = {.err = APP_OK};
    uint64_t length = 0;

    x->head_done = true;
    if (!read_head(c, x, method, version)) {
        return MHD_NO;
    }
    MHD_get_connection_values(c, MHD_HEADER_KIND, scan_framing, &f);
    if (!check_framing(&f, &p)) {
        /* Answered at once: libmicrohttpd then closes the connection, so
         * nothing after this head is read as another request. */
        http_exchange_refuse(x, &p);
        http_exchange_head(s, x, false, 0);
        return reply(s, c, x);
    }
    if (f.n_length > 0) {
        length = strtoull(f.length, NULL, 10);
    }
    http_exchange_head(s, x, f.n_length > 0, length);
    if (x->refusal == NULL) {
        return MHD_YES;
    }
    /* Refused with a body to come. A client waiting for 100 Continue has
     * sent none: answered now. So is one announcing more than we would
     * drop (then closed). Otherwise the body is read, dropped, and the
     * answer comes after it, so that a client still sending sees it. */
    const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
    if ((expect != NULL && strcasecmp(expect, "100-continue") == 0) ||
        (f.n_length > 0 && length > s->drain_max)) {
        return reply(s, c, x);
    }
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls,
                                  struct MHD_Connection *c,
                                  const char *url,
                                  const char *method,
                                  const char *version,
                                  const char *data,
                                  size_t *data_size,
                                  void **con_cls)
{
    struct http_server *s = cls;
    struct http_exchange *x = *con_cls;

    (void)url;
    if (x == NULL || x->req.http_url == NULL || x->req.url_path == NULL) {
        return MHD_NO;
    }
    if (!x->head_done) {
        return on_head(s, c, x, method, version);
    }
    if (*data_size != 0) {
        enum MHD_Result ret = take_body(s, x, data, *data_size);
        *data_size = 0;
        return ret;
    }
    return reply(s, c, x);
}

static void end_request(void *cls,
                        struct MHD_Connection *c,
                        void **con_cls,
                        enum MHD_RequestTerminationCode toe)
{
    struct http_exchange *x = *con_cls;

    (void)cls;
    (void)c;
    (void)toe;
    if (x == NULL) {
        return;
    }
    if (x->refusal != NULL) {
        problem_clear(x->refusal);
        free(x->refusal);
    }
    json_decref(x->call.body);
    ulfius_clean_request(&x->req);
    free(x);
    *con_cls = NULL;
}

/* ---- Start and stop ---- */

static void raise_fd_limit(void)
{
    struct rlimit rl;

    /* >1000 concurrent connections need more than the usual soft limit. */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

enum app_err http_server_start(const struct http_server_conf *conf, struct http_server **ret)
{
    struct http_server *s = calloc(1, sizeof(*s));
    char host[64];
    unsigned port;

    if (s == NULL) {
        return APP_ERR_INTERNAL;
    }
    s->conf = *conf;
    if (!config_split_listen(conf->listen, host, sizeof(host), &port) ||
        inet_pton(AF_INET, host, &s->addr.sin_addr) != 1) {
        log_error("bad listen address");
        goto fail;
    }
    s->addr.sin_family = AF_INET;
    s->addr.sin_port = htons((uint16_t)port);
    if (http_server_prepare(s) != APP_OK) {
        goto fail;
    }
    /* A refused body of up to twice the largest limit is read and dropped,
     * so that the client, still sending, sees the answer; a longer one is
     * answered at once and the connection closed. */
    s->drain_max = 2 * (conf->max_upload > conf->max_body ? conf->max_upload : conf->max_body);
    raise_fd_limit();

    struct MHD_OptionItem ops[] = {
        {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)begin_request, s},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)end_request, s},
        {MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)conf->threads, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, (intptr_t)conf->max_connections, NULL},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, (intptr_t)conf->max_connections_per_ip, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)conf->idle_timeout, NULL},
        {MHD_OPTION_LISTEN_BACKLOG_SIZE, 2048, NULL},
        {MHD_OPTION_SOCK_ADDR, 0, &s->addr},
        {conf->conn_memory > 0 ? MHD_OPTION_CONNECTION_MEMORY_LIMIT : MHD_OPTION_END,
         (intptr_t)conf->conn_memory, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    s->daemon = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port,
                                 NULL, NULL, on_request, s, MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
    if (s->daemon == NULL) {
        log_error("cannot listen on %s: %s", conf->listen, strerror(errno));
        goto fail;
    }
    log_info("listening on %s with %u threads", conf->listen, conf->threads);
    *ret = s;
    return APP_OK;

fail:
    http_server_stop(s);
    return APP_ERR_INTERNAL;
}

void http_server_stop(struct http_server *s)
{
    if (s == NULL) {
        return;
    }
    if (s->daemon != NULL) {
        MHD_stop_daemon(s->daemon);
    }
    http_server_free(s);
}
