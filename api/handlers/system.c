/* SPDX-License-Identifier: MIT */
/*
 * Operational endpoints: readiness (the database answers; the clock),
 * Prometheus metrics (the shared HTTP ones plus the calendar's and the
 * policy versions' ends), the status warnings, the OpenAPI contract,
 * rendered docs, and the enums with their Chinese and English labels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "clock.h"
#include "enums.h"
#include "handlers.h"
#include "ops/system_status.h"

/* Fits the /docs page: inline scripts and styles, images inline or from here. */
#define DOCS_CSP                                                                                 \
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' " \
    "data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "    \
    "frame-ancestors 'none'"

void system_readyz(struct http_call *call)
{
    struct problem prob = PROBLEM_INIT;
    struct db *db = api_db(&prob);
    json_t *body = NULL;

    if (db == NULL) {
        goto cleanup;
    }
    prob.err = db_ping(db);
    if (prob.err != APP_OK) {
        problem_set(&prob, APP_ERR_UNAVAILABLE, "the database does not answer");
        prob.retry_after = 2;
        goto cleanup;
    }
    body = json_pack("{s:s, s:s, s:o}", "status", "ok", "database", "ok", "clock", clock_to_json());
    http_reply_json(call, 200, body);

cleanup:
    if (prob.err != APP_OK) {
        http_reply_problem(call, &prob);
    }
    json_decref(body);
}

void system_openapi(struct http_call *call)
{
    const struct api_ctx *ctx = call->app;

    http_reply_text(call, 200, "application/json", ctx->openapi_json, ctx->openapi_len);
}

/* The page (openapi/build-docs.sh) inlines its scripts and styles, and loads
 * nothing from elsewhere: the policy keeps it that way (Redoc would fetch its
 * logo from a CDN; blocked, the logo is left out). */
void system_docs(struct http_call *call)
{
    const struct api_ctx *ctx = call->app;

    http_set_header(call, "Content-Security-Policy", DOCS_CSP);
    http_reply_text(call, 200, "text/html; charset=utf-8", ctx->docs_html, ctx->docs_len);
}

void enums_list(struct http_call *call)
{
    json_t *body = enums_to_json();

    if (body == NULL) {
        struct problem prob = PROBLEM_INIT;
        http_reply_problem(call, &prob);
        return;
    }
    http_reply_json(call, 200, body);
    json_decref(body);
}

void system_status(struct http_call *call)
{
    struct problem prob = PROBLEM_INIT;
    struct db *db = api_db(&prob);
    json_t *body = NULL;

    if (db == NULL) {
        goto cleanup; /* 503, as api_db said */
    }
    if ((prob.err = system_status_build(db, &body)) != APP_OK) {
        problem_set(&prob, prob.err, NULL);
        goto cleanup;
    }
    http_set_header(call, "Cache-Control", "no-store");
    http_reply_json(call, 200, body);

cleanup:
    if (prob.err != APP_OK) {
        http_reply_problem(call, &prob);
    }
    json_decref(body);
}

/* The shared HTTP metrics, then the status gauges (left out while the
 * database is down: metrics must answer anyway). */
void system_api_metrics(struct http_call *call)
{
    struct db *db = db_thread();
    char *http_text = http_metrics_text(http_call_server(call)), *gauges = NULL, *text = NULL;
    json_t *status = NULL;

    if (http_text == NULL) {
        struct problem prob = PROBLEM_INIT;
        http_reply_problem(call, &prob);
        return;
    }
    if (db != NULL && system_status_build(db, &status) == APP_OK) {
        gauges = system_status_metrics(status);
    }
    if (gauges != NULL && asprintf(&text, "%s%s", http_text, gauges) < 0) {
        text = NULL;
    }
    const char *out = text != NULL ? text : http_text;
    http_reply_text(call, 200, "text/plain; version=0.0.4; charset=utf-8", out, strlen(out));
    json_decref(status);
    free(gauges);
    free(text);
    free(http_text);
}
