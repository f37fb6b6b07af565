/* SPDX-License-Identifier: MIT */
/*
 * The steps after the shortlist over HTTP (api/ops/decisions.c holds every
 * rule): the meeting pack, the decision or 审定, 考察, the final notice,
 * the approval, the recognition, and the public notice and certificate
 * reads. Here: Idempotency-Key, the transaction around a write, the reply.
 */
#include "ops/decisions.h"

#include "handlers.h"

/* A write through `op` on the path's {id}: one transaction, the answer
 * recorded under the Idempotency-Key, `status` with the resource. */
static enum app_err write_op(struct http_call *call,
                             enum app_err (*op)(const struct op_ctx *,
                                                const char *,
                                                const json_t *,
                                                json_t **,
                                                struct problem *),
                             unsigned status,
                             struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct db *db = NULL;
    json_t *obj = NULL;
    enum app_err err;

    if ((db = api_db(p)) == NULL || api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (op(&ctx, http_param(call, "id"), call->body, &obj, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = api_idem_save(call, db, &idem, status, obj, NULL)) != APP_OK ||
        (err = db_commit(db)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    api_reply_resource(call, status, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    return p->err;
}

enum app_err decision_packs_get(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, decision_pack_get, p);
}

enum app_err decisions_create(struct http_call *call, struct problem *p)
{
    return write_op(call, decision_create, 201, p);
}

enum app_err decisions_get(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, decisions_list, p);
}

enum app_err inspections_put(struct http_call *call, struct problem *p)
{
    return write_op(call, inspection_put, 200, p);
}

enum app_err notices_create(struct http_call *call, struct problem *p)
{
    return write_op(call, notice_publish, 201, p);
}

enum app_err notices_get(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, notice_get, p);
}

enum app_err notices_index(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    json_t *items = NULL;

    if (db == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (notices_list(&ctx, http_query(call, "programme"), &items, p) == APP_OK) {
        json_t *page = json_pack("{s:o}", "items", items);
        api_reply_resource(call, 200, page);
        json_decref(page);
    }
    return p->err;
}

enum app_err approvals_create(struct http_call *call, struct problem *p)
{
    return write_op(call, approval_create, 201, p);
}

enum app_err recognitions_create(struct http_call *call, struct problem *p)
{
    return write_op(call, recognitions_issue, 201, p);
}

enum app_err recognitions_get(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, recognitions_list, p);
}

enum app_err certificates_verify(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    json_t *obj = NULL;

    if (db == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (certificate_verify(&ctx, http_param(call, "number"), http_query(call, "code"), &obj, p) ==
        APP_OK) {
        api_reply_resource(call, 200, obj);
    }
    json_decref(obj);
    return p->err;
}
