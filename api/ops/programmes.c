/* SPDX-License-Identifier: MIT */
/*
 * The programme writes. A version a round uses never changes, so adding a
 * successor never changes a round already open; editing is for versions
 * not yet in use (SPEC §11).
 */
#include "programmes.h"

#include <stdio.h>
#include <stdlib.h>

#include "ops.h"
#include "store/policy_version_store.h"
#include "store/programme_store.h"

#define POLICY_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

enum app_err programme_not_found(enum app_err err, const char *code, int number, struct problem *p)
{
    if (err != APP_ERR_NOT_FOUND) {
        return ops_store_problem(err, p);
    }
    if (number > 0) {
        return problem_fail(p, err, "not_found", "项目 %s 没有第 %d 版政策",
                            "programme %s has no policy version %d", code, number);
    }
    return problem_fail(p, err, "not_found", "项目 %s 不存在", "no programme %s", code);
}

enum app_err programme_create(const struct op_ctx *ctx,
                              const struct programme_input *in,
                              char **ret_json,
                              struct problem *p)
{
    char *policy = json_dumps(in->policy, POLICY_JSON_FLAGS), *text = NULL;
    const char *by = ctx->actor->username;
    enum app_err err;

    if (policy == NULL) {
        return problem_kind(p, APP_ERR_INTERNAL);
    }
    err = programme_store_insert(ctx->db, in->code, in->name, in->name_en, policy, by, &text);
    if (err == APP_ERR_CONFLICT) {
        problem_fail(p, err, "duplicate_programme", "项目代码 %s 已存在",
                     "a programme with code %s exists", in->code);
    } else if (err != APP_OK || (err = ops_audit(ctx, "programme.create", "programme", in->code,
                                                 NULL, text)) != APP_OK) {
        ops_store_problem(err, p);
    } else {
        *ret_json = text;
        text = NULL;
    }
    free(policy);
    free(text);
    return p->err;
}

enum app_err policy_version_add(const struct op_ctx *ctx,
                                const char *code,
                                int version,
                                const json_t *policy,
                                int *ret_number,
                                char **ret_json,
                                struct problem *p)
{
    char *prog = NULL, *text = NULL, *after = NULL, id[96];
    json_t *cur = NULL;
    enum app_err err;

    if ((text = json_dumps(policy, POLICY_JSON_FLAGS)) == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    if ((err = programme_store_get(ctx->db, code, true, &prog)) != APP_OK) {
        programme_not_found(err, code, 0, p);
        goto cleanup;
    }
    if ((cur = ops_json(prog, p)) == NULL || ops_check_version(cur, version, p) != APP_OK) {
        goto cleanup;
    }
    const char *by = ctx->actor->username;
    if ((err = policy_version_store_insert(ctx->db, code, text, by, ret_number)) == APP_OK &&
        (err = programme_store_touch(ctx->db, code, version)) == APP_OK &&
        (err = policy_version_store_get(ctx->db, code, *ret_number, false, &after)) == APP_OK) {
        snprintf(id, sizeof(id), "%s/%d", code, *ret_number);
        err = ops_audit(ctx, "policy_version.create", "policy_version", id, NULL, after);
    }
    if (err != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    *ret_json = after;
    after = NULL;

cleanup:
    json_decref(cur);
    free(prog);
    free(text);
    free(after);
    return p->err;
}

enum app_err policy_version_edit(const struct op_ctx *ctx,
                                 const char *code,
                                 int number,
                                 int version,
                                 const json_t *policy,
                                 char **ret_json,
                                 struct problem *p)
{
    char *before = NULL, *after = NULL, *text = NULL, id[96];
    json_t *cur = NULL;
    enum app_err err;

    if ((text = json_dumps(policy, POLICY_JSON_FLAGS)) == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    if ((err = policy_version_store_get(ctx->db, code, number, true, &before)) != APP_OK) {
        programme_not_found(err, code, number, p);
        goto cleanup;
    }
    if ((cur = ops_json(before, p)) == NULL || ops_check_version(cur, version, p) != APP_OK) {
        goto cleanup;
    }
    long rounds = (long)json_integer_value(json_object_get(cur, "rounds"));
    if (rounds > 0) {
        problem_fail(p, APP_ERR_CONFLICT, "policy_version_pinned",
                     "第 %d 版政策已被 %ld 个评选轮次采用，不再修改；请新增一版（POST "
                     "/v1/programmes/%s/policy-versions）",
                     "policy version %d is pinned by %ld round(s) and never changes; add a new "
                     "version (POST /v1/programmes/%s/policy-versions)",
                     number, rounds, code);
        goto cleanup;
    }
    snprintf(id, sizeof(id), "%s/%d", code, number);
    if ((err = policy_version_store_update(ctx->db, code, number, version, text)) != APP_OK ||
        (err = programme_store_touch(ctx->db, code, -1)) != APP_OK ||
        (err = policy_version_store_get(ctx->db, code, number, false, &after)) != APP_OK ||
        (err = ops_audit(ctx, "policy_version.update", "policy_version", id, before, after)) !=
            APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    *ret_json = after;
    after = NULL;

cleanup:
    json_decref(cur);
    free(before);
    free(after);
    free(text);
    return p->err;
}
