/* SPDX-License-Identifier: MIT */
/*
 * The public vote of a round (岚山工匠 第五条（三）（四）), HTTP side: the
 * office opens one vote session per round in phase `review` and reads it.
 * Each handler parses, calls ops/vote_sessions.c and renders; the rules are
 * api/model/vote_rules.c's. A new session is pushed to jiangxin-vote
 * (api/vote_push.c) once its transaction committed. Tallies and results
 * are in vote_results.c.
 */
#include "ops/vote_sessions.h"

#include <stdio.h>

#include "handlers.h"
#include "store/scope_store.h"
#include "vote_push.h"

enum app_err vote_sessions_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct round_ref ref;
    struct vote_session_draft in;
    struct problem reload = {0};
    const char *id = http_param(call, "id");
    char location[96];
    json_t *created = NULL, *pushed = NULL;
    enum app_err err;

    api_op_ctx(call, NULL, &ctx);
    if (api_path_uuid(id, p) != APP_OK ||
        vote_rules_session_body(call->body, ctx.now_ms, &in, p) != APP_OK ||
        (ctx.db = api_db(p)) == NULL || api_idem_begin(call, ctx.db, &idem, p) != APP_OK ||
        idem.replayed) {
        goto cleanup;
    }
    if ((err = db_begin(ctx.db)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    /* The round's row lock serialises session creation for it and holds its phase. */
    if (api_round_scope(call, ctx.db, id, true, &ref, p) != APP_OK ||
        vote_session_create(&ctx, &ref, &in, &created, p) != APP_OK) {
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/rounds/%s/vote-session", ref.id);
    if ((err = api_idem_save(call, ctx.db, &idem, 201, created, location)) != APP_OK ||
        (err = db_commit(ctx.db)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    /* Committed: push once now, outside the transaction, and answer with
     * the row as the push left it (pending when it failed). */
    const char *sid = json_string_value(json_object_get(created, "id"));
    vote_push_now(ctx.db, sid);
    vote_session_load(&ctx, sid, &pushed, &reload);
    http_set_header(call, "Location", location);
    api_reply_resource(call, 201, pushed != NULL ? pushed : created);

cleanup:
    problem_clear(&reload);
    json_decref(created);
    json_decref(pushed);
    return p->err;
}

enum app_err vote_sessions_get(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct round_ref ref;
    json_t *obj = NULL;

    api_op_ctx(call, api_db(p), &ctx);
    if (ctx.db == NULL ||
        api_round_scope(call, ctx.db, http_param(call, "id"), false, &ref, p) != APP_OK ||
        vote_session_of_round(&ctx, &ref, &obj, p) != APP_OK) {
        return p->err;
    }
    api_reply_resource(call, 200, obj);
    json_decref(obj);
    return APP_OK;
}
