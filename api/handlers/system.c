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
#include "public_cache.h"

enum app_err system_readyz(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    json_t *body = NULL;

    if (db == NULL) {
        goto cleanup;
    }
    p->err = db_ping(db);
    if (p->err != APP_OK) {
        problem_fail(p, APP_ERR_UNAVAILABLE, "database_unavailable", "数据库未响应",
                     "the database does not answer");
        p->retry_after = 2;
        goto cleanup;
    }
    body = json_pack("{s:s, s:s, s:o}", "status", "ok", "database", "ok", "clock", clock_to_json());
    http_reply_json(call, 200, body);

cleanup:
    json_decref(body);
    return p->err;
}

enum app_err system_openapi(struct http_call *call, struct problem *p)
{
    const struct api_ctx *ctx = call->app;

    http_reply_text(call, 200, "application/json", ctx->openapi_json, ctx->openapi_len);
    return APP_OK;
}

/* The page (openapi/build-docs.sh) inlines its scripts and styles, and loads
 * nothing from elsewhere: the policy keeps it that way (Redoc would fetch its
 * logo from a CDN; blocked, the logo is left out). */
enum app_err system_docs(struct http_call *call, struct problem *p)
{
    const struct api_ctx *ctx = call->app;

    http_reply_docs(call, ctx->docs_html, ctx->docs_len);
    return APP_OK;
}

enum app_err enums_list(struct http_call *call, struct problem *p)
{
    json_t *body = enums_to_json();

    if (body == NULL) {
        return problem_kind(p, APP_ERR_INTERNAL);
    }
    http_reply_json(call, 200, body);
    json_decref(body);
    return p->err;
}

enum app_err system_status(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    json_t *body = NULL;

    if (db == NULL) {
        goto cleanup; /* 503, as api_db said */
    }
    if ((p->err = system_status_build(db, &body)) != APP_OK) {
        ops_store_problem(p->err, p);
        goto cleanup;
    }
    http_set_header(call, "Cache-Control", "no-store");
    http_reply_json(call, 200, body);

cleanup:
    json_decref(body);
    return p->err;
}

/* The shared HTTP metrics, then the status gauges (left out while the
 * database is down: metrics must answer anyway). */
enum app_err system_api_metrics(struct http_call *call, struct problem *p)
{
    struct db *db = db_thread();
    char *http_text = http_metrics_text(http_call_server(call)), *gauges = NULL, *text = NULL;
    json_t *status = NULL;

    if (http_text == NULL) {
        return problem_kind(p, APP_ERR_INTERNAL);
    }
    if (db != NULL && system_status_build(db, &status) == APP_OK) {
        gauges = system_status_metrics(status);
    }
    char *cached = public_cache_metrics();

    if (asprintf(&text, "%s%s%s", http_text, cached != NULL ? cached : "",
                 gauges != NULL ? gauges : "") < 0) {
        text = NULL;
    }
    free(cached);
    const char *out = text != NULL ? text : http_text;
    http_reply_text(call, 200, "text/plain; version=0.0.4; charset=utf-8", out, strlen(out));
    json_decref(status);
    free(gauges);
    free(text);
    free(http_text);
    return p->err;
}
