/* SPDX-License-Identifier: MIT */
/*
 * /v1/units (推荐单位). Admins and office users manage units; a unit user
 * sees only its own unit — in lists (the scope is part of the query) and by
 * id (another unit's id answers 404, exactly like an unknown one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enums.h"
#include "handlers.h"
#include "json_fields.h"
#include "store/stores.h"
#include "unit_code.h"

static const struct json_field create_fields[] = {
    {"code", JF_STRING, true, 18, 18},
    {"name", JF_STRING, true, 1, 200},
    {"kind", JF_STRING, true, 1, 32},
};

static const struct json_field patch_fields[] = {
    {"name", JF_STRING, false, 1, 200},
    {"kind", JF_STRING, false, 1, 32},
};

static bool kind_ok(const char *kind, struct problem *p)
{
    if (kind != NULL && !enums_unit_kind_valid(kind)) {
        problem_add_error(p, APP_ERR_VALIDATION, "/kind", "unknown unit kind");
        return false;
    }
    return true;
}

enum app_err units_list(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    char *array = NULL, *next = NULL;
    json_t *items = NULL;
    const char *cursor, *kind = http_query(call, "kind");
    int limit;

    if (db == NULL || http_list_params(call, &limit, &cursor, p) != APP_OK) {
        goto cleanup;
    }
    if (kind != NULL && !enums_unit_kind_valid(kind)) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "kind: unknown unit kind");
        goto cleanup;
    }
    const char *only = call->who.role == ROLE_UNIT ? call->who.unit_id : NULL;
    p->err = unit_store_list(db, kind, http_query(call, "q"), only, cursor, limit, &array, &next);
    if (p->err != APP_OK || (items = api_parse(array, p)) == NULL) {
        goto cleanup;
    }
    http_reply_list(call, items, next);

cleanup:
    json_decref(items);
    free(array);
    free(next);
    return p->err;
}

enum app_err units_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct db *db = NULL;
    char code[19], location[96];
    char *text = NULL;
    json_t *obj = NULL;
    const json_t *b = call->body;

    if (!json_fields_check(b, create_fields, 3, "", p) || (db = api_db(p)) == NULL ||
        api_idem_begin(call, db, &idem, p)) {
        goto cleanup;
    }
    enum unit_code_status st =
        unit_code_validate(json_string_value(json_object_get(b, "code")), code);
    if (st == UNIT_CODE_OK && strcmp(code, json_string_value(json_object_get(b, "code"))) != 0) {
        problem_add_error(p, APP_ERR_VALIDATION, "/code",
                          "write the 统一社会信用代码 in upper case");
        goto cleanup;
    }
    if (st != UNIT_CODE_OK) {
        problem_add_error(p, APP_ERR_VALIDATION, "/code",
                          "not a valid 统一社会信用代码 (GB 32100): %s", unit_code_status_text(st));
        goto cleanup;
    }
    if (!kind_ok(json_string_value(json_object_get(b, "kind")), p) ||
        (p->err = db_begin(db)) != APP_OK ||
        (p->err = unit_store_insert(db, code, json_string_value(json_object_get(b, "name")),
                                    json_string_value(json_object_get(b, "kind")), &text)) !=
            APP_OK ||
        (obj = api_parse(text, p)) == NULL) {
        if (p->err == APP_ERR_CONFLICT) {
            problem_set(p, APP_ERR_CONFLICT, "a unit with code %s exists", code);
        }
        goto cleanup;
    }
    const char *id = json_string_value(json_object_get(obj, "id"));
    snprintf(location, sizeof(location), "/v1/units/%s", id);
    if ((p->err = api_audit(call, db, "unit.create", "unit", id, NULL, text)) != APP_OK ||
        (p->err = api_idem_save(call, db, &idem, 201, obj, location)) != APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    http_set_header(call, "Location", location);
    api_reply_resource(call, 201, obj);

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

    if (db == NULL) {
        goto cleanup;
    }
    if (!api_path_uuid(id, p)) {
        goto cleanup;
    }
    p->err = visible(call, id) ? unit_store_get(db, id, false, &text) : APP_ERR_NOT_FOUND;
    if (p->err != APP_OK || (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}

enum app_err units_update(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    const char *id = http_param(call, "id");
    char *before = NULL, *after = NULL;
    json_t *cur = NULL, *obj = NULL;
    int version;

    if (!json_fields_check(call->body, patch_fields, 2, "", p) ||
        !kind_ok(json_string_value(json_object_get(call->body, "kind")), p) ||
        http_if_match_version(call, &version, p) != APP_OK || (db = api_db(p)) == NULL) {
        goto cleanup;
    }
    if (!api_path_uuid(id, p)) {
        goto cleanup;
    }
    if ((p->err = db_begin(db)) != APP_OK ||
        (p->err = unit_store_get(db, id, true, &before)) != APP_OK ||
        (cur = api_parse(before, p)) == NULL || api_check_version(cur, version, p) != APP_OK) {
        goto cleanup;
    }
    const json_t *b = call->body;
    const char *name = json_string_value(json_object_get(b, "name"));
    const char *kind = json_string_value(json_object_get(b, "kind"));
    if ((p->err = unit_store_update(
             db, id, version, name ? name : json_string_value(json_object_get(cur, "name")),
             kind ? kind : json_string_value(json_object_get(cur, "kind")), &after)) != APP_OK ||
        (p->err = api_audit(call, db, "unit.update", "unit", id, before, after)) != APP_OK ||
        (obj = api_parse(after, p)) == NULL || (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    json_decref(cur);
    json_decref(obj);
    free(before);
    free(after);
    return p->err;
}
