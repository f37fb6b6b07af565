/* SPDX-License-Identifier: MIT */
/*
 * /v1/review-assignments/{id}/…: the expert's workspace. The dossier and
 * the review (GET) for the assigned expert, office users and leaders in
 * their programmes; the evidence files and the review's PUT for the
 * assigned expert only, while its assignment is active. Another expert's
 * assignment answers 404 exactly like an unknown one (ops/reviews.c).
 */
#include "ops/reviews.h"

#include <stdlib.h>

#include "handlers.h"

enum app_err reviews_dossier_get(struct http_call *call, struct problem *p)
{
    return api_reply_read_text(call, review_dossier, p);
}

enum app_err reviews_get(struct http_call *call, struct problem *p)
{
    return api_reply_read_text(call, review_get, p);
}

enum app_err reviews_attachment_get(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    struct review_assignment_ref a;

    if (db == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (review_assignment_scope(&ctx, http_param(call, "id"), false, &a, p) != APP_OK ||
        review_assignment_usable(&ctx, &a, p) != APP_OK) {
        return p->err;
    }
    return api_attachment_send(call, db, a.nomination_id, http_param(call, "attachment_id"), p);
}

enum app_err reviews_put(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = NULL;
    char *after = NULL;
    json_t *obj = NULL;

    if ((db = api_db(p)) == NULL || (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (review_put(&ctx, http_param(call, "id"), call->body, &after, p) != APP_OK ||
        (obj = api_parse(after, p)) == NULL || (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(after);
    return p->err;
}
