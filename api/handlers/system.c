/* SPDX-License-Identifier: MIT */
/*
 * Operational endpoints: liveness, readiness (the database answers),
 * Prometheus metrics, the OpenAPI contract, rendered docs, and the enums
 * with their Chinese and English labels.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "enums.h"
#include "handlers.h"

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
    body = json_pack("{s:s, s:s}", "status", "ok", "database", "ok");
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

void system_docs(struct http_call *call)
{
    const struct api_ctx *ctx = call->app;

    http_reply_text(call, 200, "text/html; charset=utf-8", ctx->docs_html, strlen(ctx->docs_html));
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
