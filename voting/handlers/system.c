/* SPDX-License-Identifier: MIT */
/*
 * Operational endpoints of jiangxin-vote: liveness, readiness (Redis
 * answers PING; a restarted Redis is picked up without a restart of ours),
 * metrics, the OpenAPI contract and its rendered docs.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "clock.h"
#include "store/redis_store.h"

enum app_err system_readyz(struct http_call *call, struct problem *p)
{
    struct problem prob = {.err = APP_OK};
    json_t *body;

    if (redis_store_ping() != APP_OK) {
        problem_fail(&prob, APP_ERR_UNAVAILABLE, "database_unavailable",
                     "投票数据库暂无响应，请稍后重试", "Redis does not answer");
        prob.retry_after = 1;
        http_reply_problem(call, &prob);
        return APP_OK;
    }
    body = json_pack("{s:s, s:s, s:o}", "status", "ok", "redis", "ok", "clock", clock_to_json());
    http_reply_json(call, 200, body);
    json_decref(body);
    return APP_OK;
}

enum app_err system_openapi(struct http_call *call, struct problem *p)
{
    const struct vote_ctx *ctx = call->app;

    http_reply_text(call, 200, "application/json", ctx->openapi_json, ctx->openapi_len);
    return APP_OK;
}

/* The page (openapi/build-docs.sh) inlines its scripts and styles, and loads
 * nothing from elsewhere: the policy keeps it that way (Redoc would fetch its
 * logo from a CDN; blocked, the logo is left out). */
enum app_err system_docs(struct http_call *call, struct problem *p)
{
    const struct vote_ctx *ctx = call->app;

    http_reply_docs(call, ctx->docs_html, ctx->docs_len);
    return APP_OK;
}
