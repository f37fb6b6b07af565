/* SPDX-License-Identifier: MIT */
/*
 * The review panel's routes: the office's draw (POST, with a dry run) and
 * list of a round's assignments (office and leader read), an expert's own
 * assignments (/v1/me/assignments), an expert's recusal and the office's
 * removal, each drawing a replacement (ops/review_assignments.c).
 */
#include "ops/review_assignments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

enum app_err review_assignments_create(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct round_ref ref;
    struct db *db = NULL;
    json_t *obj = NULL;
    bool dry_run = json_is_true(json_object_get(call->body, "dry_run"));

    if (review_draw_body_check(call->body, p) != APP_OK || (db = api_db(p)) == NULL ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    if (api_round_scope(call, db, http_param(call, "id"), true, &ref, p) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (review_draw_panel(&ctx, &ref, call->body, &obj, p) != APP_OK) {
        goto cleanup;
    }
    if (dry_run) {
        db_rollback(db);
        http_reply_json(call, 200, obj);
        goto cleanup;
    }
    if ((p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    http_reply_json(call, 201, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    return p->err;
}

enum app_err review_assignments_list(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct round_ref ref;
    struct db *db = api_db(p);
    json_t *obj = NULL;

    if (db == NULL || api_round_scope(call, db, http_param(call, "id"), false, &ref, p) != APP_OK) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (review_assignment_list(&ctx, ref.id, &obj, p) == APP_OK) {
        http_reply_json(call, 200, obj);
    }
    json_decref(obj);
    return p->err;
}

enum app_err review_assignments_mine(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    json_t *obj = NULL;

    if (db == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (review_assignment_mine(&ctx, &obj, p) == APP_OK) {
        http_reply_json(call, 200, obj);
    }
    json_decref(obj);
    return p->err;
}

static enum app_err end_assignment(struct http_call *call, bool recusal, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = NULL;
    json_t *obj = NULL;

    if ((db = api_db(p)) == NULL || (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (review_assignment_end(&ctx, http_param(call, "id"), recusal, call->body, &obj, p) !=
            APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    http_reply_json(call, 200, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    return p->err;
}

enum app_err review_assignments_recuse(struct http_call *call, struct problem *p)
{
    return end_assignment(call, true, p);
}

enum app_err review_assignments_remove(struct http_call *call, struct problem *p)
{
    return end_assignment(call, false, p);
}
