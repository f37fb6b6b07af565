/* SPDX-License-Identifier: MIT */
/*
 * Units: the value rules (the credit code's shape and check character, the
 * kind) reported all at once, and the two writes with their audit events.
 */
#include "units.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "enums.h"
#include "ops.h"
#include "store/unit_store.h"
#include "unit_code.h"

/* The English details add the model's text; "%.0s" takes it in Chinese
 * and writes nothing. */
void unit_code_problem(const char *code, const char *pointer, struct problem *p)
{
    char norm[UNIT_CODE_LEN + 1];

    switch (unit_code_validate(code, norm)) {
    case UNIT_CODE_OK:
        if (strcmp(norm, code) != 0) {
            problem_field(p, APP_ERR_VALIDATION, pointer, "unit_code_lower_case",
                          "统一社会信用代码须使用大写字母",
                          "write the 统一社会信用代码 in upper case");
        }
        break;
    case UNIT_CODE_BAD_LENGTH:
        problem_field(p, APP_ERR_VALIDATION, pointer, "unit_code_length",
                      "统一社会信用代码须为 18 位%.0s",
                      "not a valid 统一社会信用代码 (GB 32100): %s",
                      unit_code_status_text(UNIT_CODE_BAD_LENGTH));
        break;
    case UNIT_CODE_BAD_CHAR:
        problem_field(p, APP_ERR_VALIDATION, pointer, "unit_code_character",
                      "统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）%.0s",
                      "not a valid 统一社会信用代码 (GB 32100): %s",
                      unit_code_status_text(UNIT_CODE_BAD_CHAR));
        break;
    case UNIT_CODE_BAD_CHECK:
        problem_field(p, APP_ERR_VALIDATION, pointer, "unit_code_check_character",
                      "统一社会信用代码校验位不符，请核对%.0s",
                      "not a valid 统一社会信用代码 (GB 32100): %s",
                      unit_code_status_text(UNIT_CODE_BAD_CHECK));
        break;
    }
}

void unit_kind_problem(const char *kind, const char *pointer, struct problem *p)
{
    if (!enums_unit_kind_valid(kind)) {
        problem_field(p, APP_ERR_VALIDATION, pointer, "unknown_unit_kind",
                      "单位类别不在可选范围内（见 GET /v1/enums）", "unknown unit kind");
    }
}

enum app_err unit_input_check(const struct unit_input *in, struct problem *p)
{
    if (in->code != NULL && !problem_has_error(p, "/code")) {
        unit_code_problem(in->code, "/code", p);
    }
    if (in->kind != NULL && !problem_has_error(p, "/kind")) {
        unit_kind_problem(in->kind, "/kind", p);
    }
    return p->err;
}

enum app_err unit_create(const struct op_ctx *ctx,
                         const struct unit_input *in,
                         char **ret_json,
                         struct problem *p)
{
    char *text = NULL;
    json_t *obj = NULL;
    enum app_err err = unit_store_insert(ctx->db, in->code, in->name, in->kind, &text);

    if (err == APP_ERR_CONFLICT) {
        problem_fail(p, err, "duplicate_unit_code", "统一社会信用代码为 %s 的单位已存在",
                     "a unit with code %s exists", in->code);
        goto cleanup;
    }
    if (err != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((obj = ops_json(text, p)) == NULL) {
        goto cleanup;
    }
    err = ops_audit(ctx, "unit.create", "unit", json_string_value(json_object_get(obj, "id")), NULL,
                    text);
    if (err != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    *ret_json = text;
    text = NULL;

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}

enum app_err unit_update(const struct op_ctx *ctx,
                         const char *id,
                         int version,
                         const struct unit_input *in,
                         char **ret_json,
                         struct problem *p)
{
    char *before = NULL, *after = NULL;
    json_t *cur = NULL;
    enum app_err err = unit_store_get(ctx->db, id, true, &before);

    if (err != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((cur = ops_json(before, p)) == NULL) {
        goto cleanup;
    }
    if (ops_check_version(cur, version, p) != APP_OK) {
        goto cleanup;
    }
    const char *name = in->name ? in->name : json_string_value(json_object_get(cur, "name"));
    const char *kind = in->kind ? in->kind : json_string_value(json_object_get(cur, "kind"));
    if ((err = unit_store_update(ctx->db, id, version, name, kind, &after)) != APP_OK ||
        (err = ops_audit(ctx, "unit.update", "unit", id, before, after)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    *ret_json = after;
    after = NULL;

cleanup:
    json_decref(cur);
    free(before);
    free(after);
    return p->err;
}
