/* SPDX-License-Identifier: MIT */
/*
 * /v1/rounds/{id}/ranking and /v1/rounds/{id}/shortlist: HTTP ↔ the
 * ranking and shortlist operations (api/ops/ranking.c, shortlists.c),
 * which hold every rule. Here: Idempotency-Key, the transaction around the
 * freeze, the reply. Experts and units never reach these handlers
 * (routes.def).
 */
#include "ops/ranking.h"

#include "handlers.h"
#include "ops/shortlists.h"

/* The reply is written as text (ranking_view_text), not a jansson tree. */
enum app_err rankings_get(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    struct ranking_view v = {0};
    struct textbuf b = {0};
    char *text = NULL;
    size_t len;

    if (db == NULL) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (ranking_get(&ctx, http_param(call, "id"), &v, p) != APP_OK) {
        goto cleanup;
    }
    textbuf_init(&b, RANKING_TEXT_BYTES(v.r.n));
    ranking_view_text(&b, &v);
    if ((text = textbuf_take(&b, &len)) == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    http_reply_text_take(call, 200, "application/json", text, len);
    text = NULL;

cleanup:
    free(text);
    ranking_view_free(&v);
    return p->err;
}

enum app_err shortlists_get(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, shortlist_get, p);
}

enum app_err shortlists_freeze(struct http_call *call, struct problem *p)
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
    if (shortlist_freeze(&ctx, http_param(call, "id"), call->body, &obj, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = api_idem_save(call, db, &idem, 201, obj, NULL)) != APP_OK ||
        (err = db_commit(db)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    api_reply_resource(call, 201, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    return p->err;
}
