/* SPDX-License-Identifier: MIT */
/*
 * The dispatcher. Routing happens here so that 404, 405 with Allow, CORS
 * preflight, body limits, JSON parsing, authentication, role checks,
 * metrics and the access log are each done once, for every route of both
 * services. http_conn.c drives libmicrohttpd and calls the head and reply
 * steps below; replies and request accessors are in http_io.c.
 */
#include "http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>
#include <ulfius.h>

#include "clock.h"
#include "config.h"
#include "http_internal.h"
#include "log.h"
#include "metrics.h"

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- Route table preparation ---- */

static bool split_path(char *path, char **segs, size_t *ret_n)
{
    size_t n = 0;

    for (char *save = NULL, *s = strtok_r(path, "/", &save); s != NULL;
         s = strtok_r(NULL, "/", &save)) {
        if (n == HTTP_MAX_SEGMENTS) {
            return false;
        }
        segs[n++] = s;
    }
    *ret_n = n;
    return true;
}

/* "/v1/units/:id" → "/v1/units/{id}" for metrics labels (openapi spelling). */
static char *route_label(const char *path)
{
    size_t len = strlen(path);
    char *out = malloc(len * 2 + 2);
    size_t o = 0;

    if (out == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        if (path[i] == ':' && (i == 0 || path[i - 1] == '/')) {
            out[o++] = '{';
            while (i + 1 < len && path[i + 1] != '/') {
                out[o++] = path[++i];
            }
            out[o++] = '}';
        } else {
            out[o++] = path[i];
        }
    }
    out[o] = '\0';
    return out;
}

static enum app_err prepare_routes(struct http_server *s)
{
    const char **labels = NULL;
    const char **methods = NULL;
    size_t n = s->conf.n_routes;
    enum app_err err = APP_ERR_INTERNAL;

    s->info = calloc(n, sizeof(*s->info));
    labels = calloc(n + 1, sizeof(*labels));
    methods = calloc(n + 1, sizeof(*methods));
    if (s->info == NULL || labels == NULL || methods == NULL) {
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        struct route_info *ri = &s->info[i];

        ri->copy = strdup(s->conf.routes[i].path);
        ri->label = route_label(s->conf.routes[i].path);
        if (ri->copy == NULL || ri->label == NULL || !split_path(ri->copy, ri->segs, &ri->n_segs)) {
            log_error("cannot prepare route %s", s->conf.routes[i].path);
            goto cleanup;
        }
        labels[i] = ri->label;
        methods[i] = s->conf.routes[i].method;
    }
    labels[n] = "unmatched";
    methods[n] = "any";
    s->metrics = metrics_new(s->conf.service, labels, methods, n + 1);
    err = s->metrics != NULL ? APP_OK : APP_ERR_INTERNAL;

cleanup:
    free(labels);
    free(methods);
    return err;
}

/* ---- Routing ---- */

/* Finds the best route for segs: literal segments outrank parameters,
 * earlier segments outrank later ones. Fills call params for the winner. */
static void route_match(const struct http_server *s,
                        const char *method,
                        char **segs,
                        size_t n_segs,
                        struct http_call *call,
                        struct http_match *ret)
{
    long best = -1;

    memset(ret, 0, sizeof(*ret));
    for (size_t i = 0; i < s->conf.n_routes; i++) {
        const struct route_info *ri = &s->info[i];
        long score = 0;
        bool ok = ri->n_segs == n_segs &&
                  (!(s->conf.routes[i].flags & ROUTE_TEST_CLOCK) || clock_is_test());

        for (size_t j = 0; ok && j < n_segs; j++) {
            if (ri->segs[j][0] == ':') {
                continue;
            }
            ok = strcmp(ri->segs[j], segs[j]) == 0;
            score |= 1L << (n_segs - 1 - j);
        }
        if (!ok || score < best) {
            continue;
        }
        if (score > best) {
            best = score;
            ret->route = NULL;
            ret->allow[0] = '\0';
        }
        ret->path_known = true;
        size_t used = strlen(ret->allow);
        snprintf(ret->allow + used, sizeof(ret->allow) - used, "%s%s", used ? ", " : "",
                 s->conf.routes[i].method);
        if (strcmp(s->conf.routes[i].method, method) == 0) {
            ret->route = &s->conf.routes[i];
            ret->route_index = i;
        }
    }
    if (ret->route == NULL) {
        return;
    }
    const struct route_info *ri = &s->info[ret->route_index];
    for (size_t j = 0; j < n_segs; j++) {
        if (ri->segs[j][0] == ':') {
            call->param_names[call->n_params] = ri->segs[j] + 1;
            call->param_values[call->n_params] = segs[j];
            call->n_params++;
        }
    }
}

/* ---- Per-request steps ---- */

static void set_request_id(struct http_call *call)
{
    const char *given = http_header(call, "X-Request-Id");
    size_t len = given != NULL ? strlen(given) : 0;
    bool sane = len > 0 && len <= HTTP_REQUEST_ID_MAX;

    for (size_t i = 0; sane && i < len; i++) {
        sane = isalnum((unsigned char)given[i]) || strchr("._-", given[i]) != NULL;
    }
    if (sane) {
        memcpy(call->request_id, given, len + 1);
        return;
    }
    unsigned char r[16];
    randombytes_buf(r, sizeof(r));
    r[6] = (unsigned char)((r[6] & 0x0f) | 0x40); /* UUID version 4 */
    r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
    snprintf(call->request_id, sizeof(call->request_id),
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1],
             r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14],
             r[15]);
}

static void set_cors(struct http_call *call, const struct http_server *s)
{
    http_set_header(call, "Access-Control-Allow-Origin", s->conf.cors_origin);
    http_set_header(call, "Access-Control-Expose-Headers",
                    "ETag, Link, Location, Retry-After, X-Request-Id, Idempotent-Replayed, "
                    "Content-Disposition, X-Log-Entries, X-Log-Sha256, Repr-Digest");
    if (strcmp(s->conf.cors_origin, "*") != 0) {
        http_set_header(call, "Vary", "Origin");
    }
}

static void reply_preflight(struct http_call *call, const char *allow)
{
    char methods[128];

    snprintf(methods, sizeof(methods), "%s, OPTIONS", allow);
    http_set_header(call, "Access-Control-Allow-Methods", methods);
    http_set_header(call, "Access-Control-Allow-Headers",
                    "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, "
                    "X-Request-Id, Accept-Language");
    http_set_header(call, "Access-Control-Max-Age", "600");
    http_reply_empty(call, 204);
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Percent-decodes src[0..n) into dst (n + 1 bytes), '+' as a space and a
 * '%' without two hex digits kept as it is, as libmicrohttpd decodes query
 * arguments. Returns the decoded length; dst is NUL-terminated after it. */
static size_t query_unescape(const char *src, size_t n, char *dst)
{
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        if (src[i] == '%' && i + 2 < n && hex_digit(src[i + 1]) >= 0 &&
            hex_digit(src[i + 2]) >= 0) {
            dst[o++] = (char)(hex_digit(src[i + 1]) * 16 + hex_digit(src[i + 2]));
            i += 2;
        } else {
            dst[o++] = src[i] == '+' ? ' ' : src[i];
        }
    }
    dst[o] = '\0';
    return o;
}

/* True when s[0..n) is UTF-8 text without NUL (jansson's strict check:
 * no overlong forms, no surrogates). */
static bool query_text_ok(const char *s, size_t n)
{
    json_t *probe;

    if (memchr(s, '\0', n) != NULL || (probe = json_stringn(s, n)) == NULL) {
        return false;
    }
    json_decref(probe);
    return true;
}

/* Every query parameter of every route, before its handler runs. ulfius
 * leaves a name or value that is not UTF-8 out of its map, so `?state=%FF`
 * read as no filter at all and answered the unfiltered list; a value with
 * an encoded NUL reads cut short; an empty value passed although every
 * parameter of both contracts has minLength 1 (or an enum, format or
 * integer that "" is not). All three are refused here, with the
 * parameter's name when it is printable. */
static enum app_err check_query(const struct http_call *call, struct problem *prob)
{
    const char *q = http_raw_query(call);

    while (*q != '\0') {
        size_t len = strcspn(q, "&");
        const char *eq = memchr(q, '=', len);
        size_t name_len = eq != NULL ? (size_t)(eq - q) : len;
        char *name = malloc(len + 1), *value = malloc(len + 1);
        size_t n_name, n_value;
        enum app_err err = APP_OK;

        if (name == NULL || value == NULL) {
            free(name);
            free(value);
            return problem_kind(prob, APP_ERR_INTERNAL);
        }
        n_name = query_unescape(q, name_len, name);
        n_value = eq != NULL ? query_unescape(eq + 1, len - name_len - 1, value) : 0;
        value[n_value] = '\0';
        bool name_ok = query_text_ok(name, n_name);
        const char *shown = name_ok && n_name <= 64 ? name : "?";
        if (len == 0) {
            /* "a=1&&b=2": nothing between the separators; nothing to read. */
        } else if (!name_ok || !query_text_ok(value, n_value)) {
            err =
                problem_fail(prob, APP_ERR_BAD_PARAMETER, "query_not_utf8",
                             "查询参数 %s 须为 UTF-8 文本，且不得包含 NUL 字符",
                             "query parameter %s must be UTF-8 text without NUL characters", shown);
        } else if (n_value == 0) {
            err = problem_fail(prob, APP_ERR_BAD_PARAMETER, "query_empty",
                               "查询参数 %s 不得为空；不需要时请省略",
                               "query parameter %s must not be empty; leave it out instead", shown);
        }
        free(name);
        free(value);
        if (err != APP_OK) {
            return err;
        }
        q += len;
        q += *q == '&';
    }
    return APP_OK;
}

/* Media type and JSON syntax for ROUTE_BODY routes, before any handler
 * runs (the size was checked while the body arrived). An upload's type is
 * its handler's to judge. */
static enum app_err
check_body(struct http_call *call, const struct http_server *s, struct problem *prob)
{
    const char *ctype = http_header(call, "Content-Type");

    (void)s;
    if (!(call->route->flags & ROUTE_BODY)) {
        return APP_OK;
    }
    if (ctype == NULL || strncasecmp(ctype, "application/json", 16) != 0 ||
        (ctype[16] != '\0' && ctype[16] != ';' && ctype[16] != ' ')) {
        return problem_fail(prob, APP_ERR_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                            "请使用 Content-Type: application/json",
                            "send Content-Type: application/json");
    }
    return http_body_json(call, prob);
}

enum app_err http_body_json(struct http_call *call, struct problem *prob)
{
    json_error_t jerr;

    if (call->body_len == 0) {
        return problem_fail(prob, APP_ERR_MALFORMED, "empty_body", "请求体为空，应为 JSON 对象",
                            "the body is empty; a JSON object is required");
    }
    /* A scalar is valid JSON: it is refused below, as not an object. */
    call->body = json_loadb(call->body_text, call->body_len,
                            JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (call->body == NULL) {
        return problem_fail(
            prob, APP_ERR_MALFORMED, "invalid_json", "JSON 格式错误（第 %d 行第 %d 列）：%s",
            "invalid JSON at line %d column %d: %s", jerr.line, jerr.column, jerr.text);
    }
    if (!json_is_object(call->body)) {
        return problem_fail(prob, APP_ERR_MALFORMED, "not_an_object", "请求体应为 JSON 对象",
                            "the body must be a JSON object");
    }
    return APP_OK;
}

static enum app_err
check_auth(struct http_call *call, const struct http_server *s, struct problem *prob)
{
    const char *authz = http_header(call, "Authorization");
    unsigned roles = call->route->roles;

    if (roles == 0 || (authz == NULL && (call->route->flags & ROUTE_AUTH_OPTIONAL))) {
        return APP_OK;
    }
    if (authz == NULL || strncasecmp(authz, "Bearer ", 7) != 0 || authz[7] == '\0' ||
        s->conf.authenticate == NULL) {
        return problem_fail(prob, APP_ERR_UNAUTHORIZED, "token_missing",
                            "请在 Authorization 中发送 Bearer 令牌",
                            "send Authorization: Bearer <token>");
    }
    if (s->conf.authenticate(s->conf.app, authz + 7, &call->who, prob) != APP_OK) {
        if (prob->err == APP_OK || prob->err == APP_ERR_INTERNAL) {
            problem_fail(prob, APP_ERR_UNAUTHORIZED, "token_invalid", "令牌无效或已过期",
                         "the token is invalid or expired");
        }
        return prob->err;
    }
    if (!(roles & ROLE_BIT(call->who.role))) {
        return problem_fail(prob, APP_ERR_FORBIDDEN, "role_not_allowed", "角色 %s 无权执行此操作",
                            "role %s may not do this", auth_role_name(call->who.role));
    }
    if (call->who.key_scoped && !(call->route->flags & ROUTE_KEY_SCOPED)) {
        return problem_fail(prob, APP_ERR_FORBIDDEN, "key_scope_not_allowed",
                            "此服务密钥只能用于其指定的接口",
                            "this service key is scoped to other routes");
    }
    return APP_OK;
}

static void access_log(const struct http_call *call, const char *route, double seconds)
{
    json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:i, s:f, s:I, s:s}", "request_id",
                          call->request_id, "method", call->req->http_verb, "path", call->path,
                          "route", route, "status", (int)call->status, "duration_ms",
                          seconds * 1000.0, "bytes", (json_int_t)call->res->binary_body_length,
                          "role", auth_role_name(call->who.role));

    /* json_pack fails on a path that is not UTF-8: log without it. */
    if (f == NULL) {
        f = json_pack("{s:s, s:s, s:i}", "request_id", call->request_id, "route", route, "status",
                      (int)call->status);
    }
    log_fields(LOG_INFO, "request", f);
    json_decref(f);
}

/* Runs the handler with a cleared problem; a handler that neither replied
 * nor named a problem is a bug, answered 500. */
/* ROUTE_CACHEABLE after the handler: the tag and the cache policy on a
 * 200 with a body in memory, and 304 when If-None-Match names the tag. */
static void conditional_get(struct http_call *call)
{
    struct _u_response *res = call->res;
    const char *etag = call->body_etag, *inm;

    if (call->status != 200 || res->binary_body == NULL) {
        return;
    }
    if (etag[0] == '\0') {
        http_etag_of(res->binary_body, res->binary_body_length, call->body_etag);
    }
    http_set_header(call, "ETag", etag);
    if (u_map_get(res->map_header, "Cache-Control") == NULL) {
        http_set_header(call, "Cache-Control", "public, no-cache");
    }
    if ((inm = http_header(call, "If-None-Match")) != NULL && http_if_none_match(inm, etag)) {
        free(res->binary_body);
        res->binary_body = NULL;
        res->binary_body_length = 0;
        res->status = 304;
        u_map_remove_from_key(res->map_header, "Content-Type");
        call->status = 304;
    }
}

static void call_handler(struct http_call *call,
                         const struct http_server *s,
                         const struct route *route,
                         struct problem *p)
{
    enum app_err err;

    problem_clear(p);
    err = route->handler(call, p);
    if (s->conf.after_handler != NULL) {
        s->conf.after_handler(s->conf.app);
    }
    if (call->status != 0) {
        if (route->flags & ROUTE_CACHEABLE) {
            conditional_get(call);
        }
        return;
    }
    if (err != APP_OK && p->err == APP_OK) {
        problem_kind(p, err);
    } else if (err == APP_OK && p->err == APP_OK) {
        problem_kind(p, APP_ERR_INTERNAL);
        log_error("handler %s sent no reply", route->operation_id);
    }
}

/* The body limit of a route for this caller: uploads only once the caller
 * is known to be allowed on the route, anonymous bodies (the sign-in) at
 * most HTTP_ANONYMOUS_BODY_MAX. */
static size_t body_limit(const struct http_server *s, const struct http_call *call)
{
    size_t limit = s->conf.max_body;

    if ((call->route->flags & ROUTE_UPLOAD) && call->who.role != ROLE_NONE) {
        limit = s->conf.max_upload;
    }
    if (call->who.role == ROLE_NONE && limit > HTTP_ANONYMOUS_BODY_MAX) {
        limit = HTTP_ANONYMOUS_BODY_MAX;
    }
    return limit;
}

void http_exchange_refuse(struct http_exchange *x, struct problem *p)
{
    if (x->refusal == NULL) {
        x->refusal = calloc(1, sizeof(*x->refusal));
    }
    x->keep_body = false;
    if (x->refusal == NULL) {
        problem_clear(p);
        return; /* answered 500 by http_exchange_reply */
    }
    problem_move(x->refusal, p);
}

void http_exchange_refuse_size(struct http_exchange *x)
{
    struct problem p = {.err = APP_OK};

    problem_fail(&p, APP_ERR_TOO_LARGE, "payload_too_large", "请求体超过 %zu 字节",
                 "the body is larger than %zu bytes", x->limit);
    http_exchange_refuse(x, &p);
}

void http_exchange_head(const struct http_server *s,
                        struct http_exchange *x,
                        bool has_length,
                        uint64_t length)
{
    const char *path = x->req.url_path != NULL ? x->req.url_path : "/";
    char *segs[HTTP_MAX_SEGMENTS];
    size_t n_segs = 0;
    struct problem p = {.err = APP_OK};

    x->call.req = &x->req;
    x->call.app = s->conf.app;
    x->call.server = s;
    x->keep_body = false;
    if (x->refusal != NULL) {
        return;
    }
    if (strlen(path) < sizeof(x->path)) {
        memcpy(x->path, path, strlen(path) + 1);
        if (split_path(x->path, segs, &n_segs)) {
            route_match(s, x->req.http_verb, segs, n_segs, &x->call, &x->m);
        }
    }
    if (x->m.route == NULL) {
        return; /* 404, 405 or a preflight: the body, if any, is dropped */
    }
    x->call.route = x->m.route;
    /* Who is calling decides how much body is read: before any of it. */
    if (check_auth(&x->call, s, &p) != APP_OK) {
        http_exchange_refuse(x, &p);
        return;
    }
    x->auth_done = true;
    x->limit = body_limit(s, &x->call);
    if (has_length && length > x->limit) {
        http_exchange_refuse_size(x);
        return;
    }
    x->keep_body = true;
}

void http_exchange_reply(const struct http_server *s,
                         struct http_exchange *x,
                         struct _u_response *res)
{
    struct http_call *call = &x->call;
    const struct _u_request *req = &x->req;
    struct problem prob = {.err = APP_OK};
    const struct http_match *m = &x->m;
    double t0 = now_seconds();

    call->req = req;
    call->res = res;
    call->app = s->conf.app;
    call->server = s;
    call->path = req->url_path != NULL ? req->url_path : "/";
    call->body_text = req->binary_body;
    call->body_len = req->binary_body_length;
    call->lang = problem_lang_from_header(http_header(call, "Accept-Language"));
    set_request_id(call);
    http_set_header(call, "X-Request-Id", call->request_id);
    set_cors(call, s);

    if (x->refusal != NULL) {
        problem_move(&prob, x->refusal);
    } else if (x->keep_body == false && m->route != NULL) {
        problem_kind(&prob, APP_ERR_INTERNAL); /* no memory for the refusal */
    } else if (m->route == NULL) {
        if (!m->path_known) {
            problem_fail(&prob, APP_ERR_NOT_FOUND, "unknown_path", "路径不存在", "no such path");
        } else if (strcmp(req->http_verb, "OPTIONS") == 0) {
            reply_preflight(call, m->allow);
        } else {
            problem_fail(&prob, APP_ERR_METHOD_NOT_ALLOWED, "method_not_allowed", "允许的方法：%s",
                         "allowed: %s", m->allow);
            snprintf(prob.allow, sizeof(prob.allow), "%s", m->allow);
        }
    } else if (check_query(call, &prob) == APP_OK && check_body(call, s, &prob) == APP_OK &&
               (x->auth_done || check_auth(call, s, &prob) == APP_OK)) {
        call_handler(call, s, m->route, &prob);
    }
    if (prob.err != APP_OK && call->status == 0) {
        http_reply_problem(call, &prob);
    }
    double dt = now_seconds() - t0;
    size_t slot = m->route != NULL ? m->route_index : s->conf.n_routes;
    metrics_observe(s->metrics, slot, call->status, dt);
    access_log(call, m->route != NULL ? s->info[m->route_index].label : "unmatched", dt);
    json_decref(call->body);
    call->body = NULL;
    problem_clear(&prob);
}

/* ---- Start and stop ---- */

enum app_err http_server_prepare(struct http_server *s)
{
    return prepare_routes(s);
}

void http_server_free(struct http_server *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t i = 0; s->info != NULL && i < s->conf.n_routes; i++) {
        free(s->info[i].copy);
        free(s->info[i].label);
    }
    free(s->info);
    metrics_free(s->metrics);
    free(s);
}

char *http_metrics_text(const struct http_server *server)
{
    char *http = metrics_render(server->metrics), *out = NULL;

    if (http == NULL) {
        return NULL;
    }
    if (asprintf(&out,
                 "%s# HELP jiangxin_test_clock 1 when the test clock is on (JIANGXIN_TEST_CLOCK; "
                 "test and demo stacks only).\n"
                 "# TYPE jiangxin_test_clock gauge\njiangxin_test_clock %d\n"
                 "# HELP jiangxin_clock_offset_seconds The test clock's offset from the system "
                 "clock.\n"
                 "# TYPE jiangxin_clock_offset_seconds gauge\njiangxin_clock_offset_seconds %lld\n",
                 http, clock_is_test() ? 1 : 0, clock_offset_ms() / 1000) < 0) {
        out = NULL;
    }
    free(http);
    return out;
}

const struct http_server *http_call_server(const struct http_call *call)
{
    return call->server;
}
