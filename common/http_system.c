/* SPDX-License-Identifier: MIT */
/*
 * The operational handlers both services share: liveness, Prometheus
 * metrics and the test clock. Readiness and the OpenAPI document are per
 * service. The clock routes carry ROUTE_TEST_CLOCK, so without
 * JIANGXIN_TEST_CLOCK the dispatcher answers 404 before any of this runs.
 */
#include <stdlib.h>
#include <string.h>

#include "civil_time.h"
#include "clock.h"
#include "http.h"
#include "json_fields.h"
#include "log.h"

enum app_err system_healthz(struct http_call *call, struct problem *p)
{
    json_t *body = json_pack("{s:s}", "status", "ok");

    http_reply_json(call, 200, body);
    json_decref(body);
    return APP_OK;
}

enum app_err system_metrics(struct http_call *call, struct problem *p)
{
    char *text = http_metrics_text(http_call_server(call));

    if (text == NULL) {
        return problem_kind(p, APP_ERR_INTERNAL);
    }
    http_reply_text(call, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
    free(text);
    return APP_OK;
}

static void reply_clock(struct http_call *call)
{
    json_t *body = clock_to_json();

    if (body == NULL) {
        struct problem prob = PROBLEM_INIT;
        http_reply_problem(call, &prob);
        return;
    }
    http_set_header(call, "Cache-Control", "no-store");
    http_reply_json(call, 200, body);
    json_decref(body);
}

enum app_err system_clock_get(struct http_call *call, struct problem *p)
{
    reply_clock(call);
    return APP_OK;
}

static const struct json_field clock_fields[] = {
    {"now", JF_STRING, false, 1, 64},
    {"advance", JF_STRING, false, 1, 64},
};

/* {"now": RFC 3339} or {"advance": ISO 8601 duration}, exactly one. */
enum app_err system_clock_put(struct http_call *call, struct problem *p)
{
    const char *now = json_string_value(json_object_get(call->body, "now"));
    const char *advance = json_string_value(json_object_get(call->body, "advance"));
    struct duration d;
    long long target = 0;
    char text[RFC3339_TEXT_MAX];

    if (!json_fields_check(call->body, clock_fields, 2, "", p)) {
        goto cleanup;
    }
    p->err = APP_OK;
    if ((now == NULL) == (advance == NULL)) {
        problem_field(p, APP_ERR_VALIDATION, now != NULL ? "/advance" : "", "exactly_one_required",
                      "now 与 advance 须且只能提供其中一项", "send exactly one of now and advance");
    } else if (now != NULL && !rfc3339_parse(now, &target)) {
        problem_field(p, APP_ERR_VALIDATION, "/now", "not_date_time",
                      "应为带时区偏移的 RFC 3339 日期时间",
                      "must be an RFC 3339 date-time with an offset");
    } else if (advance != NULL && !duration_parse(advance, &d)) {
        problem_field(p, APP_ERR_VALIDATION, "/advance", "not_duration",
                      "应为 ISO 8601 时长，如 P1D、PT2H、-P1Y2M",
                      "must be an ISO 8601 duration such as P1D, PT2H, -P1Y2M");
    } else if (advance != NULL) {
        target = duration_apply(clock_now_ms(), &d);
    }
    if (p->n_errors > 0) {
        goto cleanup;
    }
    if (clock_set_ms(target) != APP_OK) {
        problem_field(p, APP_ERR_VALIDATION, now != NULL ? "/now" : "/advance", "out_of_range",
                      "时钟须在 2020-01-01 至 2099-12-31 之间",
                      "the clock must stay within 2020-01-01 and 2099-12-31");
        goto cleanup;
    }
    rfc3339_format(target, true, text);
    log_warn("test clock set to %s by %s", text, call->who.username);
    reply_clock(call);

cleanup:
    return p->err;
}

/* Inline scripts and styles, images inline or from here; nothing else. */
#define DOCS_CSP                                                                                 \
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' " \
    "data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "    \
    "frame-ancestors 'none'"

void http_reply_docs(struct http_call *call, const char *html, size_t len)
{
    http_set_header(call, "Content-Security-Policy", DOCS_CSP);
    http_reply_text(call, 200, "text/html; charset=utf-8", html, len);
}
