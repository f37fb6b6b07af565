/* SPDX-License-Identifier: MIT */
/*
 * The public read API over HTTP (api/ops/public.c): anonymous, flagged
 * ROUTE_CACHEABLE, so each 200 leaves with a strong ETag and answers
 * If-None-Match with 304 (common/http.c). The JSON texts the store builds
 * go out as they are, never parsed again.
 */
#include "ops/public.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handlers.h"
#include "public_cache.h"

/* Renders one public representation (a JSON text) for key. */
typedef enum app_err
render_fn(const struct op_ctx *ctx, const char *arg, char **ret_json, struct problem *p);

/* The answer for `key` from the public cache (public_cache.h), or
 * rendered, kept and answered: a hit touches no database. The ETag goes
 * with the body, so the dispatcher's conditional GET never hashes it again. */
static enum app_err reply_cached(
    struct http_call *call, const char *key, render_fn *render, const char *arg, struct problem *p)
{
    struct public_cache_ticket t;
    struct op_ctx ctx;
    struct db *db;
    char *body = NULL;
    size_t len;

    if (public_cache_get(key, &body, &len, call->body_etag, &t)) {
        http_reply_text_take(call, 200, "application/json", body, len);
        return APP_OK;
    }
    if ((db = api_db(p)) == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (render(&ctx, arg, &body, p) != APP_OK) {
        return p->err;
    }
    len = strlen(body);
    http_etag_of(body, len, call->body_etag);
    public_cache_put(key, &t, body, len, call->body_etag);
    http_reply_text_take(call, 200, "application/json", body, len);
    return APP_OK;
}

static enum app_err
render_programmes(const struct op_ctx *ctx, const char *arg, char **ret_json, struct problem *p)
{
    (void)arg;
    return public_programmes(ctx, ret_json, p);
}

enum app_err public_programmes_list(struct http_call *call, struct problem *p)
{
    return reply_cached(call, "programmes", render_programmes, NULL, p);
}

static enum app_err
render_round(const struct op_ctx *ctx, const char *id, char **ret_json, struct problem *p)
{
    return public_round(ctx, id, PUBLIC_ROUND, ret_json, p);
}

static enum app_err
render_nominees(const struct op_ctx *ctx, const char *id, char **ret_json, struct problem *p)
{
    return public_round(ctx, id, PUBLIC_ROUND_NOMINEES, ret_json, p);
}

static enum app_err
render_results(const struct op_ctx *ctx, const char *id, char **ret_json, struct problem *p)
{
    return public_round(ctx, id, PUBLIC_ROUND_RESULTS, ret_json, p);
}

static enum app_err
reply_round(struct http_call *call, const char *view, render_fn *render, struct problem *p)
{
    const char *id = http_param(call, "id");
    char key[128];

    if (api_path_uuid(id, p) != APP_OK) {
        return p->err;
    }
    snprintf(key, sizeof(key), "round/%s/%s", id, view);
    return reply_cached(call, key, render, id, p);
}

enum app_err public_rounds_get(struct http_call *call, struct problem *p)
{
    return reply_round(call, "round", render_round, p);
}

enum app_err public_nominees_list(struct http_call *call, struct problem *p)
{
    return reply_round(call, "nominees", render_nominees, p);
}

enum app_err public_results_get(struct http_call *call, struct problem *p)
{
    return reply_round(call, "results", render_results, p);
}

/* The register is paged (a Link header beside the body) and keyed by its
 * filters and cursor: it is answered from the database, its ETag and 304
 * from the dispatcher. */
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
