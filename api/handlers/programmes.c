/* SPDX-License-Identifier: MIT */
/*
 * /v1/programmes: public reading; admins add a programme (a third
 * district's scheme is data, not code) with its policy as version 1. A
 * programme shows the policy version of today (the clock's) with its end
 * and the days left; changing the policy adds a version
 * (policy_versions.c). api/model/policy.c is the only gate: a policy that
 * fails it changes nothing.
 */
#include "ops/programmes.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "json_fields.h"
#include "ops/ops.h"
#include "policy.h"
#include "store/programme_store.h"

bool api_programme_code_valid(const char *code)
{
    size_t n = code != NULL ? strlen(code) : 0;

    return n >= 3 && n <= 48 && code[0] >= 'a' && code[0] <= 'z' &&
           strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

enum app_err api_programme_code_ok(const char *code, struct problem *p)
{
    if (api_programme_code_valid(code)) {
        return APP_OK;
    }
    return problem_fail(p, APP_ERR_BAD_PARAMETER, "programme_code_format",
                        "项目代码须为 3 至 48 个小写字母、数字或连字符，以字母开头",
                        "code must be 3 to 48 of a-z 0-9 -, starting with a-z");
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

    if (api_programme_code_ok(http_param(call, "code"), p) != APP_OK || db == NULL) {
        goto cleanup;
    }
    p->err = programme_store_get(db, http_param(call, "code"), false, &text);
    if (p->err != APP_OK) {
        programme_not_found(p->err, http_param(call, "code"), 0, p);
        goto cleanup;
    }
    if ((obj = api_parse(text, p)) == NULL) {
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

/*
 * The body's shape, the code's and every fault of the policy in one
 * problem; unknown members (400, the body's or the policy's) alone and
 * first.
 */
static enum app_err check_create(const json_t *b, struct problem *p)
{
    struct problem pol = {0};
    const json_t *policy = json_object_get(b, "policy");
    const char *code = json_string_value(json_object_get(b, "code"));

    if (!json_fields_check(b, create_fields, 4, "", p) && p->err == APP_ERR_UNKNOWN_FIELD) {
        return p->err;
    }
    if (json_is_object(policy) && !policy_validate(policy, &pol) &&
        (pol.err == APP_ERR_UNKNOWN_FIELD || pol.n_errors == 0)) {
        problem_move(p, &pol);
        return p->err;
    }
    if (code != NULL && !problem_has_error(p, "/code") && !api_programme_code_valid(code)) {
        problem_field(p, APP_ERR_VALIDATION, "/code", "programme_code_format",
                      "项目代码须为 3 至 48 个小写字母、数字或连字符，以字母开头",
                      "3 to 48 of a-z 0-9 -, starting with a-z");
    }
    for (size_t i = 0; i < pol.n_errors; i++) {
        problem_copy_error(p, APP_ERR_VALIDATION, &pol.errors[i]);
    }
    problem_clear(&pol);
    return p->err;
}

enum app_err programmes_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct db *db = NULL;
    const json_t *b = call->body;
    struct programme_input in = {
        .code = json_string_value(json_object_get(b, "code")),
        .name = json_string_value(json_object_get(b, "name")),
        .name_en = json_string_value(json_object_get(b, "name_en")),
        .policy = json_object_get(b, "policy"),
    };
    char *text = NULL, location[96];
    json_t *obj = NULL;

    if (check_create(b, p) != APP_OK || (db = api_db(p)) == NULL ||
        api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    snprintf(location, sizeof(location), "/v1/programmes/%s", in.code);
    if (programme_create(&ctx, &in, &text, p) == APP_OK && (obj = api_parse(text, p)) != NULL) {
        api_reply_created(call, db, &idem, obj, location, p);
    }

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(text);
    return p->err;
}
