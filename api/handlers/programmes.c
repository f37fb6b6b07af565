/* SPDX-License-Identifier: MIT */
/*
 * /v1/programmes: public reading; admins add a programme (a third
 * district's scheme is data, not code) with its policy as version 1. A
 * programme shows the policy version of today (the clock's) with its end
 * and the days left; changing the policy adds a version
 * (policy_versions.c). api/model/policy.c is the only gate: a policy that
 * fails it changes nothing.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "json_fields.h"
#include "policy.h"
#include "store/stores.h"

bool api_programme_code_ok(const char *code, struct problem *p)
{
    size_t n = code != NULL ? strlen(code) : 0;

    if (n >= 3 && n <= 48 && code[0] >= 'a' && code[0] <= 'z' &&
        strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789-") == n) {
        return true;
    }
    problem_set(p, APP_ERR_BAD_PARAMETER, "code must be 3 to 48 of a-z 0-9 -, starting with a-z");
    return false;
}

enum app_err programmes_list(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    char *array = NULL;
    json_t *items = NULL;

    if (db == NULL || (p->err = programme_store_list(db, &array)) != APP_OK ||
        (items = api_parse(array, p)) == NULL) {
        goto cleanup;
    }
    http_reply_list(call, items, NULL);

cleanup:
    json_decref(items);
    free(array);
    return p->err;
}

enum app_err programmes_get(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    char *text = NULL;
    json_t *obj = NULL;

    if (!api_programme_code_ok(http_param(call, "code"), p) || db == NULL ||
        (p->err = programme_store_get(db, http_param(call, "code"), false, &text)) != APP_OK ||
        (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}

static const struct json_field create_fields[] = {
    {"code", JF_STRING, true, 3, 48},
    {"name", JF_STRING, true, 1, 100},
    {"name_en", JF_STRING, true, 1, 100},
    {"policy", JF_OBJECT, true, 0, 0},
};

enum app_err programmes_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct db *db = NULL;
    const json_t *b = call->body;
    const char *code = json_string_value(json_object_get(b, "code"));
    char *policy = NULL, *text = NULL, location[96];
    json_t *obj = NULL;

    if (!json_fields_check(b, create_fields, 4, "", p)) {
        goto cleanup;
    }
    if (!api_programme_code_ok(code, p)) {
        p->err = APP_OK;
        problem_add_error(p, APP_ERR_VALIDATION, "/code",
                          "3 to 48 of a-z 0-9 -, starting with a-z");
        goto cleanup;
    }
    if (!policy_validate(json_object_get(b, "policy"), p) || (db = api_db(p)) == NULL ||
        api_idem_begin(call, db, &idem, p)) {
        goto cleanup;
    }
    policy = json_dumps(json_object_get(b, "policy"), JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (policy == NULL) {
        problem_set(p, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/programmes/%s", code);
    if ((p->err = db_begin(db)) != APP_OK ||
        (p->err = programme_store_insert(db, code, json_string_value(json_object_get(b, "name")),
                                         json_string_value(json_object_get(b, "name_en")), policy,
                                         call->who.username, &text)) != APP_OK ||
        (obj = api_parse(text, p)) == NULL ||
        (p->err = api_audit(call, db, "programme.create", "programme", code, NULL, text)) !=
            APP_OK ||
        (p->err = api_idem_save(call, db, &idem, 201, obj, location)) != APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        if (p->err == APP_ERR_CONFLICT) {
            problem_set(p, APP_ERR_CONFLICT, "a programme with code %s exists", code);
        }
        goto cleanup;
    }
    http_set_header(call, "Location", location);
    api_reply_resource(call, 201, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(text);
    free(policy);
    return p->err;
}
