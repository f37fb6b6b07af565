/* SPDX-License-Identifier: MIT */
/*
 * Rounds (批次) over HTTP: each handler parses the request, calls the
 * operation of api/ops/rounds.c (which opens a round under the policy
 * version it pins, moves it through its phases and builds the
 * representation with the caller's nomination counts and working-day
 * figures) and renders the answer. Idempotency-Key, If-Match and the
 * transaction stay here.
 */
#include "ops/rounds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "json_fields.h"
#include "store/scope_store.h"

static const struct json_field create_fields[] = {
    {"year", JF_INT, true, ROUND_YEAR_MIN, ROUND_YEAR_MAX},
    {"reference_date", JF_STRING, true, 0, 0},
    {"window_opens", JF_STRING, true, 0, 0},
    {"window_closes", JF_STRING, true, 0, 0},
    {"cycle_override_reason", JF_STRING, false, 1, 500},
};

static const struct json_field transition_fields[] = {
    {"to", JF_STRING, true, 1, 32},
};

/* The body of a new round: every member's type is checked and reported
 * at once (400 for unknown members first); the values are the op's. */
static enum app_err
parse_new(const json_t *b, const char *code, struct round_new *ret, struct problem *p)
{
    if (!json_fields_check(b, create_fields, sizeof(create_fields) / sizeof(create_fields[0]), "",
                           p) &&
        p->err != APP_ERR_VALIDATION) {
        return p->err;
    }
    *ret = (struct round_new){
        .programme = code,
        .draft =
            {
                .year = json_int_or(b, "year", ROUND_YEAR_MIN, ROUND_YEAR_MAX, 0),
                .reference_date = json_string_value(json_object_get(b, "reference_date")),
                .window_opens = json_string_value(json_object_get(b, "window_opens")),
                .window_closes = json_string_value(json_object_get(b, "window_closes")),
            },
        .cycle_override_reason = json_string_value(json_object_get(b, "cycle_override_reason")),
    };
    return APP_OK;
}

enum app_err rounds_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct round_new in;
    struct db *db = NULL;
    const char *code = http_param(call, "code");
    char location[96];
    json_t *obj = NULL;
    enum app_err err;

    if ((db = api_db(p)) == NULL || api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed) {
        return p->err;
    }
    if ((err = db_begin(db)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    api_op_ctx(call, db, &ctx);
    if (parse_new(call->body, code, &in, p) != APP_OK ||
        round_create(&ctx, &in, &obj, p) != APP_OK) {
        goto cleanup;
    }
    const char *id = json_string_value(json_object_get(obj, "id"));
    if (!api_is_uuid(id)) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/rounds/%s", id);
    api_reply_created(call, db, &idem, obj, location, p);

cleanup:
    db_rollback(db);
    json_decref(obj);
    return p->err;
}

enum app_err rounds_list(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = NULL;
    const char *code = http_param(call, "code");
    const char *cursor;
    char *next = NULL;
    json_t *items = NULL;
    int limit;

    if (http_list_params(call, &limit, &cursor, p) != APP_OK || (db = api_db(p)) == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (round_list(&ctx, code, cursor, limit, &items, &next, p) == APP_OK) {
        http_reply_list(call, items, next);
    }
    json_decref(items);
    free(next);
    return p->err;
}

enum app_err rounds_get(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct round_ref ref;
    struct db *db = api_db(p);
    json_t *obj = NULL;

    if (db == NULL || api_round_scope(call, db, http_param(call, "id"), false, &ref, p) != APP_OK) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (round_get(&ctx, &ref, &obj, p) == APP_OK) {
        api_reply_resource(call, 200, obj);
    }
    json_decref(obj);
    return p->err;
}

enum app_err rounds_transition(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct round_ref ref;
    struct db *db = NULL;
    const char *to_text = json_string_value(json_object_get(call->body, "to"));
    json_t *obj = NULL;
    int version = 0, to;
    bool if_match = http_header(call, "If-Match") != NULL;
    enum app_err err;

    if (!json_fields_check(call->body, transition_fields, 1, "", p)) {
        return p->err;
    }
    if ((to = enums_from_value(ENUMS_ROUND_PHASES, to_text)) < 0) {
        return problem_field(p, APP_ERR_VALIDATION, "/to", "unknown_round_phase",
                             "不是有效的批次阶段", "not a round phase");
    }
    if ((if_match && http_if_match_version(call, &version, p) != APP_OK) ||
        (db = api_db(p)) == NULL) {
        return p->err;
    }
    if ((err = db_begin(db)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (api_round_scope(call, db, http_param(call, "id"), true, &ref, p) != APP_OK) {
        goto cleanup;
    }
    if (if_match && version != ref.version) {
        problem_fail(p, APP_ERR_PRECONDITION_FAILED, "stale_etag",
                     "批次已被修改（当前 ETag 为 \"%d\"），请重新获取",
                     "the round changed (ETag \"%d\"); GET it again", ref.version);
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (round_transition(&ctx, &ref, (enum round_phase)to, &obj, p) != APP_OK) {
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
