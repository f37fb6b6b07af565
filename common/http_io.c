/* SPDX-License-Identifier: MIT */
/*
 * What handlers call: request accessors (headers, query, path parameters,
 * list and If-Match parsing) and the reply functions. Every reply records
 * its status in the call for metrics and the access log.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <ulfius.h>

#include "http.h"
#include "log.h"

const char *http_header(const struct http_call *call, const char *name)
{
    return u_map_get_case(call->req->map_header, name);
}

const char *http_query(const struct http_call *call, const char *name)
{
    return u_map_get(call->req->map_url, name);
}

const char *http_raw_query(const struct http_call *call)
{
    const char *q = call->req->http_url != NULL ? strchr(call->req->http_url, '?') : NULL;

    return q != NULL ? q + 1 : "";
}

const char *http_param(const struct http_call *call, const char *name)
{
    for (size_t i = 0; i < call->n_params; i++) {
        if (strcmp(call->param_names[i], name) == 0) {
            return call->param_values[i];
        }
    }
    return NULL;
}

bool http_peer_address(const struct http_call *call, char *buf, size_t len)
{
    const struct sockaddr *sa = call->req->client_address;

    /* ulfius copies only sizeof(struct sockaddr) bytes: enough for IPv4. */
    if (sa == NULL || sa->sa_family != AF_INET) {
        return false;
    }
    const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
    return inet_ntop(AF_INET, &in->sin_addr, buf, (socklen_t)len) != NULL;
}

enum app_err http_list_params(struct http_call *call,
                              int *ret_limit,
                              const char **ret_cursor,
                              struct problem *reterr)
{
    const char *limit = http_query(call, "limit");
    const char *cursor = http_query(call, "cursor");
    long n = HTTP_LIST_LIMIT_DEF;

    if (limit != NULL) {
        char *end;
        errno = 0;
        n = strtol(limit, &end, 10);
        if (errno != 0 || end == limit || *end != '\0' || n < 1 || n > HTTP_LIST_LIMIT_MAX) {
            return problem_fail(reterr, APP_ERR_BAD_PARAMETER, "invalid_limit",
                                "limit 应为 1 至 %d 的整数",
                                "limit must be an integer from 1 to %d", HTTP_LIST_LIMIT_MAX);
        }
    }
    if (cursor != NULL) {
        size_t len = 0;
        json_t *probe = NULL;

        /* Decoded into the call; keys are text, so invalid UTF-8 is refused too. */
        if (cursor[0] == '\0' ||
            sodium_hex2bin((unsigned char *)call->cursor, HTTP_CURSOR_MAX, cursor, strlen(cursor),
                           NULL, &len, NULL) != 0 ||
            memchr(call->cursor, '\0', len) != NULL ||
            (call->cursor[len] = '\0', probe = json_string(call->cursor)) == NULL) {
            return problem_fail(reterr, APP_ERR_BAD_PARAMETER, "invalid_cursor",
                                "cursor 无效，应使用本服务返回的游标",
                                "cursor is not one this server issued");
        }
        json_decref(probe);
        cursor = call->cursor;
    }
    *ret_limit = (int)n;
    *ret_cursor = cursor;
    return APP_OK;
}

enum app_err
http_if_match_version(const struct http_call *call, int *ret_version, struct problem *reterr)
{
    const char *v = http_header(call, "If-Match");
    char *end;
    long n;

    if (v == NULL || v[0] == '\0') {
        return problem_fail(reterr, APP_ERR_PRECONDITION_REQUIRED, "if_match_required",
                            "请在 If-Match 中发送最近一次 GET 返回的 ETag",
                            "send If-Match with the ETag from your last GET");
    }
    /* Strong comparison (RFC 9110 §13.1.1): only "<version>" can match. */
    errno = 0;
    n = v[0] == '"' ? strtol(v + 1, &end, 10) : -1;
    if (n < 0 || errno != 0 || end[0] != '"' || end[1] != '\0' || n > 2147483647L) {
        return problem_fail(reterr, APP_ERR_PRECONDITION_FAILED, "stale_etag",
                            "If-Match 与当前 ETag 不一致，请重新获取后再提交",
                            "If-Match does not match the current ETag");
    }
    *ret_version = (int)n;
    return APP_OK;
}

void http_set_header(struct http_call *call, const char *name, const char *value)
{
    u_map_put(call->res->map_header, name, value);
}

void http_set_etag(struct http_call *call, int version)
{
    char etag[24];

    snprintf(etag, sizeof(etag), "\"%d\"", version);
    http_set_header(call, "ETag", etag);
}

void http_etag_of(const void *body, size_t len, char ret[HTTP_ETAG_MAX])
{
    unsigned char h[16];
    static const char hex[] = "0123456789abcdef";

    crypto_generichash(h, sizeof(h), body, len, NULL, 0);
    ret[0] = '"';
    for (size_t i = 0; i < sizeof(h); i++) {
        ret[1 + 2 * i] = hex[h[i] >> 4];
        ret[2 + 2 * i] = hex[h[i] & 15];
    }
    ret[33] = '"';
    ret[34] = '\0';
}

/* The opaque part of an entity tag (its quoted string), W/ skipped: sets
 * *ret and *ret_len and returns the rest, or NULL when malformed. */
static const char *etag_opaque(const char *s, const char **ret, size_t *ret_len)
{
    const char *end;

    if (s[0] == 'W' && s[1] == '/') {
        s += 2;
    }
    if (*s != '"' || (end = strchr(s + 1, '"')) == NULL) {
        return NULL;
    }
    *ret = s + 1;
    *ret_len = (size_t)(end - s - 1);
    return end + 1;
}

bool http_if_none_match(const char *field, const char *etag)
{
    const char *want, *got;
    size_t want_len, got_len;

    if (etag_opaque(etag, &want, &want_len) == NULL) {
        return false;
    }
    for (const char *s = field; *s != '\0';) {
        if (*s == ' ' || *s == '\t' || *s == ',') {
            s++;
        } else if (*s == '*') {
            return true;
        } else if ((s = etag_opaque(s, &got, &got_len)) == NULL) {
            return false;
        } else if (got_len == want_len && memcmp(got, want, got_len) == 0) {
            return true;
        }
    }
    return false;
}

void http_reply_text(
    struct http_call *call, unsigned status, const char *content_type, const char *text, size_t len)
{
    ulfius_set_binary_body_response(call->res, status, text, len);
    http_set_header(call, "Content-Type", content_type);
    call->status = status;
}

void http_reply_text_take(
    struct http_call *call, unsigned status, const char *content_type, char *text, size_t len)
{
    ulfius_set_empty_body_response(call->res, status);
    call->res->binary_body = text;
    call->res->binary_body_length = len;
    http_set_header(call, "Content-Type", content_type);
    call->status = status;
}

void http_reply_empty(struct http_call *call, unsigned status)
{
    ulfius_set_empty_body_response(call->res, status);
    call->status = status;
}

struct stream {
    http_stream_fn *fn;
    void (*done)(void *ctx);
    void *ctx;
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream *st = cls;
    long n = st->fn(st->ctx, buf, max);

    (void)pos;
    if (n < 0) {
        return U_STREAM_ERROR;
    }
    return n == 0 ? U_STREAM_END : (ssize_t)n;
}

static void stream_free(void *cls)
{
    struct stream *st = cls;

    st->done(st->ctx);
    free(st);
}

void http_reply_stream(struct http_call *call,
                       unsigned status,
                       const char *content_type,
                       http_stream_fn *fn,
                       void (*done)(void *ctx),
                       void *ctx)
{
    struct stream *st = malloc(sizeof(*st));

    if (st == NULL) {
        struct problem p = PROBLEM_INIT;
        done(ctx);
        http_reply_problem(call, &p);
        return;
    }
    *st = (struct stream){.fn = fn, .done = done, .ctx = ctx};
    if (ulfius_set_stream_response(call->res, status, stream_read, stream_free,
                                   U_STREAM_SIZE_UNKNOWN, 16384, st) != U_OK) {
        struct problem p = PROBLEM_INIT;
        stream_free(st);
        http_reply_problem(call, &p);
        return;
    }
    http_set_header(call, "Content-Type", content_type);
    call->status = status;
}

static void
reply_json_as(struct http_call *call, unsigned status, const json_t *body, const char *content_type)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);

    if (text == NULL) {
        log_error("cannot serialise a %u response", status);
        http_reply_text(call, 500, "application/problem+json",
                        "{\"type\":\"urn:jiangxin:problem:internal-error\",\"status\":500}", 58);
        return;
    }
    http_reply_text(call, status, content_type, text, strlen(text));
    free(text);
}

void http_reply_json(struct http_call *call, unsigned status, const json_t *body)
{
    reply_json_as(call, status, body, "application/json");
}

void http_reply_problem(struct http_call *call, const struct problem *p)
{
    unsigned status = problem_status(p->err);
    json_t *body = problem_to_json(p, call->lang, call->path, call->request_id);
    char num[16];

    if (status >= 500) {
        json_t *f = json_pack("{s:s, s:i}", "request_id", call->request_id, "status", status);
        log_fields(
            LOG_ERROR,
            p->detail[PROBLEM_LANG_EN][0] ? p->detail[PROBLEM_LANG_EN] : problem_slug(p->err), f);
        json_decref(f);
    }
    if (p->retry_after > 0) {
        snprintf(num, sizeof(num), "%u", p->retry_after);
        http_set_header(call, "Retry-After", num);
    }
    if (p->allow[0] != '\0') {
        http_set_header(call, "Allow", p->allow);
    }
    if (status == 401) {
        http_set_header(call, "WWW-Authenticate", "Bearer");
    }
    if (body == NULL) {
        http_reply_text(call, status, "application/problem+json", "{}", 2);
        return;
    }
    reply_json_as(call, status, body, "application/problem+json");
    json_decref(body);
}

/* Appends k=v to out with RFC 3986 percent-encoding; false when out is full. */
static bool append_query(char *out, size_t len, const char *k, const char *v)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = strlen(out);
    const char *parts[2] = {k, v};

    for (int p = 0; p < 2; p++) {
        if (o + 1 >= len) {
            return false;
        }
        char sep = p == 1 ? '=' : (o == 0 ? '?' : '&');
        out[o++] = sep;
        for (const unsigned char *c = (const unsigned char *)parts[p]; *c; c++) {
            bool plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                         (*c >= '0' && *c <= '9') || strchr("-._~", *c) != NULL;
            if (o + 4 >= len) {
                return false;
            }
            if (plain) {
                out[o++] = (char)*c;
            } else {
                out[o++] = '%';
                out[o++] = hex[*c >> 4];
                out[o++] = hex[*c & 15];
            }
        }
    }
    out[o] = '\0';
    return true;
}

/* Link: <path?...&cursor=next>; rel="next" keeping every other parameter. */
static void set_next_link(struct http_call *call, const char *next_cursor)
{
    const struct _u_map *q = call->req->map_url;
    char query[1024];
    char link[1200];
    bool ok = true;

    query[0] = '\0';
    for (int i = 0; q != NULL && ok && i < q->nb_values; i++) {
        if (strcmp(q->keys[i], "cursor") != 0) {
            ok = append_query(query, sizeof(query), q->keys[i], q->values[i]);
        }
    }
    ok = ok && append_query(query, sizeof(query), "cursor", next_cursor);
    if (!ok) {
        return; /* absurdly long query: the body's next_cursor still works */
    }
    snprintf(link, sizeof(link), "<%s%s>; rel=\"next\"", call->path, query);
    http_set_header(call, "Link", link);
}

void http_reply_list(struct http_call *call, const json_t *items, const char *next_cursor)
{
    char hex[2 * HTTP_CURSOR_MAX + 1];
    json_t *body;

    if (next_cursor != NULL && strlen(next_cursor) <= HTTP_CURSOR_MAX) {
        sodium_bin2hex(hex, sizeof(hex), (const unsigned char *)next_cursor, strlen(next_cursor));
        next_cursor = hex;
    } else {
        next_cursor = NULL; /* a key too long to page by: end the list here */
    }
    body = json_pack("{s:O, s:s?}", "items", items, "next_cursor", next_cursor);
    if (body == NULL) {
        struct problem p = PROBLEM_INIT;
        http_reply_problem(call, &p);
        return;
    }
    if (next_cursor != NULL) {
        set_next_link(call, next_cursor);
    }
    http_reply_json(call, 200, body);
    json_decref(body);
}

void http_reply_list_text(struct http_call *call, const char *items_json, const char *next_cursor)
{
    char hex[2 * HTTP_CURSOR_MAX + 1];
    size_t n = strlen(items_json);
    char *body;
    int len;

    if (next_cursor != NULL && strlen(next_cursor) <= HTTP_CURSOR_MAX) {
        sodium_bin2hex(hex, sizeof(hex), (const unsigned char *)next_cursor, strlen(next_cursor));
        next_cursor = hex;
    } else {
        next_cursor = NULL;
    }
    body = malloc(n + sizeof(hex) + 48);
    if (body == NULL) {
        struct problem p = PROBLEM_INIT;
        http_reply_problem(call, &p);
        return;
    }
    len = next_cursor != NULL
              ? sprintf(body, "{\"items\":%s,\"next_cursor\":\"%s\"}", items_json, next_cursor)
              : sprintf(body, "{\"items\":%s,\"next_cursor\":null}", items_json);
    if (next_cursor != NULL) {
        set_next_link(call, next_cursor);
    }
    http_reply_text(call, 200, "application/json", body, (size_t)len);
    free(body);
}
