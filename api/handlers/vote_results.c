/* SPDX-License-Identifier: MIT */
/*
 * What comes back from the vote, HTTP side: tallies posted by jiangxin-vote
 * (role service) and the results as the API shows them. A tally is
 * absolute, so the highest sequence wins and an older or repeated one
 * changes nothing; `final` (sent once the vote closed and its log is
 * digested) freezes it. Who sees the results when is vote_rules.c's rule
 * (岚山工匠 第五条（五）); the work is ops/vote_sessions.c's.
 */
#include "handlers.h"
#include "ops/vote_sessions.h"
#include "store/scope_store.h"

enum app_err vote_sessions_put_tally(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct vote_tally_post t;
    const char *id = http_param(call, "id");
    json_t *ack = NULL;
    enum app_err err;

    api_op_ctx(call, NULL, &ctx);
    if (api_path_uuid(id, p) != APP_OK || vote_rules_tally_body(call->body, &t, p) != APP_OK ||
        (ctx.db = api_db(p)) == NULL) {
        goto cleanup;
    }
    if ((err = db_begin(ctx.db)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (vote_session_post_tally(&ctx, id, &t, &ack, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = db_commit(ctx.db)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    http_reply_json(call, 200, ack);

cleanup:
    json_decref(ack);
    return p->err;
}

enum app_err vote_results_get(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct round_ref ref;
    json_t *res = NULL;

    /* Anonymous callers are scoped as an unscoped role: any round. */
    api_op_ctx(call, api_db(p), &ctx);
    if (ctx.db == NULL ||
        api_round_scope(call, ctx.db, http_param(call, "id"), false, &ref, p) != APP_OK ||
        vote_session_results(&ctx, &ref, &res, p) != APP_OK) {
        return p->err;
    }
    http_reply_json(call, 200, res);
    json_decref(res);
    return APP_OK;
}
