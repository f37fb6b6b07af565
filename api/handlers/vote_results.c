/* SPDX-License-Identifier: MIT */
/*
 * What comes back from the vote, HTTP side: tallies posted by jiangxin-vote
 * (role service) and the results as the API shows them. A tally is
 * absolute, so the highest sequence wins and an older or repeated one
 * changes nothing; `final` (sent once the vote closed and its log is
 * digested) freezes it once it agrees with the sealed log as the API
 * recounts it (vote_log.c); admins re-verify and resolve a disagreement
 * (verification, resolution). Who sees the results when is vote_rules.c's rule
 * (岚山工匠 第五条（五）); the work is ops/vote_sessions.c's.
 */
#include "handlers.h"
#include "ops/vote_sessions.h"
#include "store/scope_store.h"
#include "vote_log.h"

enum app_err vote_sessions_put_tally(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct vote_tally_post t;
    struct vote_log_recount rc = {0};
    struct problem fetch = {0};
    const char *id = http_param(call, "id");
    json_t *ack = NULL, *ids = NULL;
    bool needs_log = false, have_log = false;

    api_op_ctx(call, NULL, &ctx);
    if (api_path_uuid(id, p) != APP_OK || vote_rules_tally_body(call->body, &t, p) != APP_OK ||
        (ctx.db = api_db(p)) == NULL ||
        vote_session_log_target(&ctx, id, &t, &ids, &needs_log, p) != APP_OK) {
        goto cleanup;
    }
    /* A final is checked against the sealed log, fetched outside any
     * transaction; without it the final waits (503 from the op). */
    if (needs_log) {
        have_log = vote_log_recount(id, ids, &rc, &fetch) == APP_OK;
    }
    if (vote_session_post_tally(&ctx, id, &t, have_log ? &rc.c : NULL, &ack, p) != APP_OK) {
        goto cleanup;
    }
    http_reply_json(call, 200, ack);

cleanup:
    problem_clear(&fetch);
    vote_log_recount_clear(&rc);
    json_decref(ids);
    json_decref(ack);
    return p->err;
}

enum app_err vote_sessions_verify(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct vote_log_recount rc = {0};
    const char *id = http_param(call, "id");
    json_t *ids = NULL, *obj = NULL;
    bool needs_log = false;

    api_op_ctx(call, NULL, &ctx);
    if (api_path_uuid(id, p) != APP_OK || (ctx.db = api_db(p)) == NULL ||
        vote_session_log_target(&ctx, id, NULL, &ids, &needs_log, p) != APP_OK ||
        vote_log_recount(id, ids, &rc, p) != APP_OK ||
        vote_session_verify(&ctx, id, &rc.c, &obj, p) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    vote_log_recount_clear(&rc);
    json_decref(ids);
    json_decref(obj);
    return p->err;
}

enum app_err vote_sessions_resolve(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    const char *id = http_param(call, "id"), *note = NULL;
    json_t *obj = NULL;

    api_op_ctx(call, NULL, &ctx);
    if (api_path_uuid(id, p) != APP_OK ||
        vote_rules_resolution_body(call->body, &note, p) != APP_OK ||
        (ctx.db = api_db(p)) == NULL || vote_session_resolve(&ctx, id, note, &obj, p) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    json_decref(obj);
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
