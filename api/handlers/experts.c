/* SPDX-License-Identifier: MIT */
/*
 * /v1/experts (评审专家) and /v1/me/expert-profile: the profiles, which
 * admins and office users manage (admin and leader read them all, an office
 * user those that name one of its programmes), and the relations to
 * candidates an expert declares (admin, office, and the expert for itself;
 * only admin and office remove one). An expert sees only its own profile
 * and relations. Out of scope answers 404, exactly like an unknown id
 * (ops/experts.c).
 */
#include "ops/experts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "ops/scope.h"
#include "store/expert_store.h"

enum app_err experts_list(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    char *array = NULL, *next = NULL, *scope = NULL;
    const char *cursor, *programme = http_query(call, "programme");
    const char *active = http_query(call, "active");
    enum app_err err;
    int limit;

    if (db == NULL || http_list_params(call, &limit, &cursor, p) != APP_OK ||
        (programme != NULL && api_programme_code_ok(programme, p) != APP_OK)) {
        return p->err;
    }
    if (active != NULL && strcmp(active, "true") != 0 && strcmp(active, "false") != 0) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "bad_boolean", "active 须为 true 或 false",
                            "active must be true or false");
    }
    api_op_ctx(call, db, &ctx);
    if (ops_scope_codes(&ctx, &scope, p) != APP_OK) {
        return p->err;
    }
    err = expert_store_list(db, http_query(call, "field"), programme, active, scope, cursor, limit,
                            &array, &next);
    free(scope);
    return api_reply_page(call, err, &array, &next, p);
}

/* One profile within the caller's scope (the expert: its own). */
static enum app_err reply_profile(struct http_call *call, const char *user_id, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    char *text = NULL;

    if (db == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (expert_load(&ctx, user_id, false, &text, p) == APP_OK) {
        api_reply_stored(call, APP_OK, &text, p);
    }
    free(text);
    return p->err;
}

enum app_err experts_get(struct http_call *call, struct problem *p)
{
    return reply_profile(call, http_param(call, "id"), p);
}

enum app_err experts_me(struct http_call *call, struct problem *p)
{
    return reply_profile(call, call->who.id, p);
}

/* PUT: creates (201, no If-Match) or replaces (200, If-Match) a profile. */
enum app_err experts_put(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = NULL;
    const char *id = http_param(call, "id");
    char *after = NULL, location[80];
    json_t *obj = NULL;
    bool created = false, if_match = http_header(call, "If-Match") != NULL;
    int version = 0;

    if (expert_profile_body_check(call->body, p) != APP_OK ||
        (if_match && http_if_match_version(call, &version, p) != APP_OK) ||
        (db = api_db(p)) == NULL || (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (expert_profile_put(&ctx, id, if_match, version, call->body, &after, &created, p) !=
            APP_OK ||
        (obj = api_parse(after, p)) == NULL || (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    if (created) {
        snprintf(location, sizeof(location), "/v1/experts/%s", id);
        http_set_header(call, "Location", location);
    }
    api_reply_resource(call, created ? 201 : 200, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(after);
    return p->err;
}

enum app_err expert_relations_list(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    const char *id = http_param(call, "id"), *cursor;
    char *array = NULL, *next = NULL;
    int limit;

    if (db == NULL || http_list_params(call, &limit, &cursor, p) != APP_OK) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (expert_load(&ctx, id, false, NULL, p) != APP_OK) {
        return p->err;
    }
    return api_reply_page(call, expert_store_relation_list(db, id, cursor, limit, &array, &next),
                          &array, &next, p);
}

enum app_err expert_relations_get(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    const char *id = http_param(call, "id"), *relation = http_param(call, "relation_id");
    char *text = NULL;
    enum app_err err;

    if (db == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (expert_load(&ctx, id, false, NULL, p) != APP_OK || api_path_uuid(relation, p) != APP_OK) {
        return p->err;
    }
    err = expert_store_relation_get(db, id, relation, &text);
    if (err == APP_ERR_NOT_FOUND) {
        return problem_fail(p, err, "not_found", "关系申报 %s 不存在", "no declared relation %s",
                            relation);
    }
    return api_reply_stored(call, err, &text, p);
}

enum app_err expert_relations_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct db *db = NULL;
    const char *id = http_param(call, "id");
    char location[160], *text = NULL;
    json_t *obj = NULL;

    if ((db = api_db(p)) == NULL || api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (expert_relation_create(&ctx, id, call->body, &text, p) != APP_OK ||
        (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/experts/%s/relations/%s", id,
             json_string_value(json_object_get(obj, "id")));
    api_reply_created(call, db, &idem, obj, location, p);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(text);
    return p->err;
}

enum app_err expert_relations_delete(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);

    if (db == NULL || (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (expert_relation_delete(&ctx, http_param(call, "id"), http_param(call, "relation_id"), p) !=
            APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    http_reply_empty(call, 204);

cleanup:
    db_rollback(db);
    return p->err;
}
