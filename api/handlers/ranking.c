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
    return api_reply_write(call, shortlist_freeze, 201, p);
}
