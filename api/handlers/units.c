/* SPDX-License-Identifier: MIT */
/*
 * /v1/units (推荐单位). Admins and office users manage units; a unit user
 * sees only its own unit — in lists (the scope is part of the query) and by
 * id (another unit's id answers 404, exactly like an unknown one).
 */
#include "ops/units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enums.h"
#include "handlers.h"
#include "json_fields.h"
#include "store/unit_store.h"

static const struct json_field create_fields[] = {
    {"code", JF_STRING, true, 18, 18},
    {"name", JF_STRING, true, 1, 200},
    {"kind", JF_STRING, true, 1, 32},
};

static const struct json_field patch_fields[] = {
    {"name", JF_STRING, false, 1, 200},
    {"kind", JF_STRING, false, 1, 32},
};

/* The body as a unit_input: members of the wrong type count as not given
 * (json_fields_check has named them). */
static struct unit_input unit_input_of(const json_t *b)
{
    return (struct unit_input){
        .code = json_string_value(json_object_get(b, "code")),
        .name = json_string_value(json_object_get(b, "name")),
        .kind = json_string_value(json_object_get(b, "kind")),
    };
}

/* The body's shape, then every value rule: all faults in one problem
 * (unknown members, 400, alone and first). */
static enum app_err check_body(const json_t *b,
                               const struct json_field *fields,
                               size_t n,
                               struct unit_input *ret,
                               struct problem *p)
{
    if (!json_fields_check(b, fields, n, "", p) && p->err == APP_ERR_UNKNOWN_FIELD) {
        return p->err;
    }
    *ret = unit_input_of(b);
    return unit_input_check(ret, p);
}

enum app_err units_list(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    char *array = NULL, *next = NULL;
    const char *cursor, *kind = http_query(call, "kind");
    const char *only = call->who.role == ROLE_UNIT ? call->who.unit_id : NULL;
    int limit;

    if (db == NULL || http_list_params(call, &limit, &cursor, p) != APP_OK) {
        return p->err;
    }
    if (kind != NULL && !enums_unit_kind_valid(kind)) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "unknown_unit_kind",
                            "kind：单位类别不在可选范围内（见 GET /v1/enums）",
                            "kind: unknown unit kind");
    }
    return api_reply_page(
        call, unit_store_list(db, kind, http_query(call, "q"), only, cursor, limit, &array, &next),
        &array, &next, p);
}

enum app_err units_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct unit_input in;
    struct db *db = NULL;
    char location[96];
    char *text = NULL;
    json_t *obj = NULL;

    if (check_body(call->body, create_fields, 3, &in, p) != APP_OK || (db = api_db(p)) == NULL ||
        api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (unit_create(&ctx, &in, &text, p) != APP_OK || (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/units/%s",
             json_string_value(json_object_get(obj, "id")));
    api_reply_created(call, db, &idem, obj, location, p);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(text);
    return p->err;
}

/* A unit user may read only its own unit; others get 404, not 403. */
static bool visible(const struct http_call *call, const char *id)
{
    return call->who.role != ROLE_UNIT || strcmp(call->who.unit_id, id) == 0;
}

enum app_err units_get(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    const char *id = http_param(call, "id");
    char *text = NULL;
    json_t *obj = NULL;

    if (db == NULL || api_path_uuid(id, p) != APP_OK) {
        goto cleanup;
    }
    api_reply_stored(call,
                     visible(call, id) ? unit_store_get(db, id, false, &text) : APP_ERR_NOT_FOUND,
                     &text, p);

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}

enum app_err units_update(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct unit_input in;
    struct db *db = NULL;
    const char *id = http_param(call, "id");
    char *after = NULL;
    json_t *obj = NULL;
    int version;

    if (check_body(call->body, patch_fields, 2, &in, p) != APP_OK ||
        http_if_match_version(call, &version, p) != APP_OK || (db = api_db(p)) == NULL ||
        api_path_uuid(id, p) != APP_OK || (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (unit_update(&ctx, id, version, &in, &after, p) != APP_OK ||
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
