/* SPDX-License-Identifier: MIT */
/*
 * Users: the references of a user's final state checked against the
 * database (every fault reported at once), and the three writes with
 * their audit events.
 */
#include "users.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "ops.h"
#include "scope.h"
#include "store/policy_version_store.h"
#include "store/unit_store.h"
#include "store/user_store.h"

enum app_err user_role_unit_check(const char *role, bool has_unit, struct problem *p)
{
    enum role r = auth_role_from_name(role);

    if (r == ROLE_NONE || (r == ROLE_UNIT) == has_unit) {
        return APP_OK;
    }
    if (r == ROLE_UNIT) {
        return problem_field(p, APP_ERR_VALIDATION, "/unit_id", "unit_id_required",
                             "推荐单位用户须指定所属单位（unit_id）", "a unit user needs unit_id");
    }
    return problem_field(p, APP_ERR_VALIDATION, "/unit_id", "unit_id_not_allowed",
                         "仅推荐单位用户可指定所属单位（unit_id）",
                         "only unit users have a unit_id");
}

/* The final state's role/unit pairing, unit and programme codes. */
static enum app_err check_final(struct db *db,
                                const char *role,
                                const char *unit_id,
                                const json_t *programmes,
                                struct problem *p)
{
    char *unit = NULL, *codes = NULL;
    long found = 0;
    enum app_err err = APP_OK;

    if (!problem_has_error(p, "/unit_id")) {
        user_role_unit_check(role, unit_id != NULL, p);
    }
    if (unit_id != NULL && !problem_has_error(p, "/unit_id")) {
        err = unit_store_get(db, unit_id, false, &unit);
        free(unit);
        if (err == APP_ERR_NOT_FOUND) {
            problem_field(p, APP_ERR_VALIDATION, "/unit_id", "unknown_unit", "推荐单位不存在",
                          "no such unit");
            err = APP_OK;
        }
    }
    if (err == APP_OK && programmes != NULL && !problem_has_error(p, "/programmes")) {
        codes = json_dumps(programmes, JSON_COMPACT);
        err = codes ? programme_store_count_codes(db, codes, &found) : APP_ERR_INTERNAL;
        free(codes);
        if (err == APP_OK && found != (long)json_array_size(programmes)) {
            problem_field(p, APP_ERR_VALIDATION, "/programmes", "unknown_programme",
                          "项目代码不存在", "unknown programme code");
        }
    }
    return err != APP_OK ? ops_store_problem(err, p) : p->err;
}

/* Replaces the user's programmes when given. */
static enum app_err set_programmes(struct db *db, const char *id, const json_t *programmes)
{
    char *codes;
    enum app_err err;

    if (programmes == NULL) {
        return APP_OK;
    }
    if ((codes = json_dumps(programmes, JSON_COMPACT)) == NULL) {
        return APP_ERR_INTERNAL;
    }
    err = user_store_set_programmes(db, id, codes);
    free(codes);
    return err;
}

enum app_err user_create(const struct op_ctx *ctx,
                         const struct user_input *in,
                         char **ret_json,
                         struct problem *p)
{
    char *id = NULL, *text = NULL;
    enum app_err err;

    if (check_final(ctx->db, in->role, in->unit_id, in->programmes, p) != APP_OK) {
        goto cleanup;
    }
    err = user_store_insert(ctx->db, in->username, in->password_hash, in->role, in->unit_id, &id);
    if (err == APP_ERR_CONFLICT) {
        problem_fail(p, err, "duplicate_username", "该用户名已被使用", "the username is taken");
        goto cleanup;
    }
    if (err != APP_OK || (err = set_programmes(ctx->db, id, in->programmes)) != APP_OK ||
        (err = user_store_get(ctx->db, id, false, &text)) != APP_OK ||
        (err = ops_audit(ctx, "user.create", "user", id, NULL, text)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    *ret_json = text;
    text = NULL;

cleanup:
    free(id);
    free(text);
    return p->err;
}

/* 409 when the caller would disable themself or leave the admin role.
 * Ids compare as text only in their canonical spelling (model/uuid.h):
 * anything else is refused before the comparison, so an upper-case
 * spelling of one's own id cannot pass as someone else's. */
static enum app_err check_self(
    const struct op_ctx *ctx, const char *id, const char *role, bool disabled, struct problem *p)
{
    if (ops_check_uuid(id, p) != APP_OK) {
        return p->err;
    }
    if (strcmp(id, ctx->actor->id) == 0 && (disabled || strcmp(role, "admin") != 0)) {
        return problem_fail(p, APP_ERR_CONFLICT, "self_lockout",
                            "不能停用本人账号或取消本人的系统管理员角色",
                            "you cannot disable yourself or drop your admin role");
    }
    return APP_OK;
}

enum app_err user_update(const struct op_ctx *ctx,
                         const char *id,
                         int version,
                         const struct user_input *in,
                         char **ret_json,
                         struct problem *p)
{
    char *before = NULL, *after = NULL;
    json_t *cur = NULL;
    enum app_err err = user_store_get(ctx->db, id, true, &before);

    if (err != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((cur = ops_json(before, p)) == NULL || ops_check_version(cur, version, p) != APP_OK) {
        goto cleanup;
    }
    const char *role = in->role ? in->role : json_string_value(json_object_get(cur, "role"));
    const char *unit_id =
        in->unit_given ? in->unit_id : json_string_value(json_object_get(cur, "unit_id"));
    bool disabled =
        in->disabled >= 0 ? in->disabled == 1 : json_is_true(json_object_get(cur, "disabled"));
    if (check_final(ctx->db, role, unit_id, in->programmes, p) != APP_OK ||
        check_self(ctx, id, role, disabled, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = set_programmes(ctx->db, id, in->programmes)) != APP_OK ||
        (err = user_store_update(ctx->db, id, version, role, unit_id, disabled, in->password_hash,
                                 &after)) != APP_OK ||
        (err = ops_audit(ctx, "user.update", "user", id, before, after)) != APP_OK) {
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

enum app_err user_delete(const struct op_ctx *ctx, const char *id, struct problem *p)
{
    char *before = NULL, *after = NULL;
    enum app_err err;

    if (ops_check_uuid(id, p) != APP_OK) {
        return p->err;
    }
    if (strcmp(id, ctx->actor->id) == 0) {
        return problem_fail(p, APP_ERR_CONFLICT, "self_delete", "不能删除本人账号",
                            "you cannot delete yourself");
    }
    if ((err = user_store_get(ctx->db, id, true, &before)) != APP_OK ||
        (err = user_store_delete(ctx->db, id, &after)) != APP_OK ||
        (err = ops_audit(ctx, "user.delete", "user", id, before, after)) != APP_OK) {
        ops_store_problem(err, p);
    }
    free(before);
    free(after);
    return p->err;
}
