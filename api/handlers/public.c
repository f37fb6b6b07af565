/* SPDX-License-Identifier: MIT */
/*
 * The public read API over HTTP (api/ops/public.c): anonymous, flagged
 * ROUTE_CACHEABLE, so each 200 leaves with a strong ETag and answers
 * If-None-Match with 304 (common/http.c). The JSON texts the store builds
 * go out as they are, never parsed again.
 */
#include "ops/public.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handlers.h"

static enum app_err reply_json_text(struct http_call *call, char *text, struct problem *p)
{
    http_reply_text_take(call, 200, "application/json", text, strlen(text));
    return p->err;
}

enum app_err public_programmes_list(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    char *text = NULL;

    if (db == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (public_programmes(&ctx, &text, p) != APP_OK) {
        return p->err;
    }
    return reply_json_text(call, text, p);
}

static enum app_err
reply_round(struct http_call *call, enum public_round_view view, struct problem *p)
{
    const char *id = http_param(call, "id");
    struct op_ctx ctx;
    struct db *db = NULL;
    char *text = NULL;

    if (api_path_uuid(id, p) != APP_OK || (db = api_db(p)) == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (public_round(&ctx, id, view, &text, p) != APP_OK) {
        return p->err;
    }
    return reply_json_text(call, text, p);
}

enum app_err public_rounds_get(struct http_call *call, struct problem *p)
{
    return reply_round(call, PUBLIC_ROUND, p);
}

enum app_err public_nominees_list(struct http_call *call, struct problem *p)
{
    return reply_round(call, PUBLIC_ROUND_NOMINEES, p);
}

enum app_err public_results_get(struct http_call *call, struct problem *p)
{
    return reply_round(call, PUBLIC_ROUND_RESULTS, p);
}

enum app_err public_recognitions_list(struct http_call *call, struct problem *p)
{
    const struct public_register_query q = {
        .programme = http_query(call, "programme"),
        .year = http_query(call, "year"),
        .status = http_query(call, "status"),
    };
    struct op_ctx ctx;
    struct db *db = NULL;
    const char *cursor;
    char *array = NULL, *next = NULL;
    int limit;

    if ((q.programme != NULL && api_programme_code_ok(q.programme, p) != APP_OK) ||
        http_list_params(call, &limit, &cursor, p) != APP_OK || (db = api_db(p)) == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (public_register_page(&ctx, &q, cursor, limit, &array, &next, p) != APP_OK) {
        return p->err;
    }
    return api_reply_page(call, APP_OK, &array, &next, p);
}
