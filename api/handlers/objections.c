/* SPDX-License-Identifier: MIT */
/*
 * /v1/notices/{id}/objections and /v1/objections/…: HTTP ↔ the objection
 * operations (api/ops/objections.c), which hold every rule. Here: the
 * client address and the public routes' rate limits (taken before the
 * transaction, so a refused request still counts), the transaction, the
 * reply. No Idempotency-Key on the public POST: a key is kept per caller,
 * and every anonymous caller is the same one, so a replay would hand one
 * objector's secret code to whoever sent the same key and body.
 */
#include "ops/objections.h"

#include <stdio.h>

#include "app.h"
#include "handlers.h"

enum app_err objections_create(struct http_call *call, struct problem *p)
{
    const struct api_config *cfg = ((const struct api_ctx *)call->app)->cfg;
    struct op_ctx ctx;
    struct db *db = api_db(p);
    json_t *obj = NULL;
    char location[64];
    enum app_err err;

    if (db == NULL) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (api_public_limit(call, &ctx, "objections", cfg->objection_limit, cfg->objection_window,
                         p) != APP_OK ||
        (p->err = db_begin(db)) != APP_OK ||
        objection_create(&ctx, http_param(call, "id"), call->body, &obj, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = db_commit(db)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/objections/%s",
             json_string_value(json_object_get(obj, "tracking_number")));
    http_set_header(call, "Location", location);
    http_set_header(call, "Cache-Control", "no-store");
    http_reply_json(call, 201, obj);

cleanup:
    db_rollback(db);
    if (obj != NULL) {
        json_object_clear(obj); /* the code goes nowhere else */
    }
    json_decref(obj);
    return p->err;
}

enum app_err objections_status(struct http_call *call, struct problem *p)
{
    const struct api_config *cfg = ((const struct api_ctx *)call->app)->cfg;

    return api_reply_lookup(call, "objection-status", cfg->objection_status_limit,
                            cfg->objection_window, "tracking_number", objection_status, "no-store",
                            p);
}

enum app_err objections_list(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, objection_list, p);
}

enum app_err objections_transition(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = NULL;
    json_t *obj = NULL;
    int if_match = -1;
    enum app_err err;

    if ((http_header(call, "If-Match") != NULL &&
         http_if_match_version(call, &if_match, p) != APP_OK) ||
        (db = api_db(p)) == NULL || (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (objection_transition(&ctx, http_param(call, "id"), if_match, call->body, &obj, p) !=
        APP_OK) {
        goto cleanup;
    }
    if ((err = db_commit(db)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    return p->err;
}
