/* SPDX-License-Identifier: MIT */
/*
 * The expert operations (ops/experts.h).
 *
 * Fields (职业（工种）) are short labels as written in the 国家职业分类大典
 * ("数控车工", "焊工") or their codes ("6-18-01-01"); the draw compares them
 * with a nomination's `occupation` as written, so they are kept verbatim:
 * no leading or trailing space, no control characters, no duplicates.
 * A declared relation is stored as the keyed hash of the ID number only
 * (ops_id_number_hash, the nominations' hash), so it can be matched but
 * never read back.
 */
#include "experts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "civil_time.h"
#include "enums.h"
#include "idcard.h"
#include "json_fields.h"
#include "scope.h"
#include "store/expert_store.h"
#include "store/policy_version_store.h"
#include "store/unit_store.h"
#include "store/user_store.h"
#include "units.h"
#include "uuid.h"

static const struct json_field profile_fields[] = {
    {"name", JF_STRING, true, 1, 50},
    {"fields", JF_ARRAY, true, 1, EXPERT_FIELDS_MAX},
    {"employer_name", JF_STRING, true, 1, 200},
    {"employer_code", JF_STRING, true, 1, 32},
    {"employer_unit_id", JF_STRING | JF_NULL, false, 1, 64},
    {"title", JF_STRING | JF_NULL, false, 1, 100},
    {"specialty", JF_STRING | JF_NULL, false, 1, 500},
    {"active", JF_BOOL, false, 0, 0},
    {"programmes", JF_ARRAY, true, 0, EXPERT_PROGRAMMES_MAX},
};

static const struct json_field relation_fields[] = {
    {"kind", JF_STRING, true, 1, 32},
    {"id_number", JF_STRING, true, 1, 32},
    {"note", JF_STRING | JF_NULL, false, 1, EXPERT_RELATION_NOTE_MAX},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

enum app_err expert_scope(const struct op_ctx *ctx, const char *user_id, struct problem *p)
{
    if (ops_check_uuid(user_id, p) != APP_OK) {
        return p->err;
    }
    if (ctx->actor->role == ROLE_EXPERT && strcmp(ctx->actor->id, user_id) != 0) {
        return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "评审专家 %s 不存在", "no expert %s",
                            user_id);
    }
    return APP_OK;
}

/* Out of scope reads as no profile at all: the store finds none. */
enum app_err expert_load(const struct op_ctx *ctx,
                         const char *user_id,
                         bool for_update,
                         char **ret_json,
                         struct problem *p)
{
    char *text = NULL, *scope = NULL;
    enum app_err err;

    if (expert_scope(ctx, user_id, p) != APP_OK || ops_scope_codes(ctx, &scope, p) != APP_OK) {
        return p->err;
    }
    err = expert_store_get(ctx->db, user_id, scope, for_update, &text);
    free(scope);
    if (err == APP_ERR_NOT_FOUND) {
        return problem_fail(p, err, "not_found", "评审专家 %s 不存在", "no expert %s", user_id);
    }
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (ret_json != NULL) {
        *ret_json = text;
    } else {
        free(text);
    }
    return APP_OK;
}

static bool label_ok(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || s[0] == ' ' || s[n - 1] == ' ') {
        return false;
    }
    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
        if (*c < 0x20 || *c == 0x7f) {
            return false;
        }
    }
    /* U+3000 (ideographic space) at either end */
    return !(n >= 3 &&
             (memcmp(s, "\xe3\x80\x80", 3) == 0 || memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0));
}

static void check_fields(const json_t *fields, struct problem *p)
{
    char ptr[32];
    size_t i, j;
    const json_t *el;

    json_array_foreach(fields, i, el)
    {
        snprintf(ptr, sizeof(ptr), "/fields/%zu", i);
        if (!json_is_string(el)) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "wrong_type", "须为字符串",
                          "must be a string");
            continue;
        }
        const char *s = json_string_value(el);
        if (json_utf8_length(s) < 1 || json_utf8_length(s) > EXPERT_FIELD_LEN_MAX || !label_ok(s)) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "field_label",
                          "职业（工种）须为 1 至 %d 字，首尾无空格，不含控制字符",
                          "a 职业（工种） label is 1 to %d characters, no space at either end and "
                          "no control characters",
                          EXPERT_FIELD_LEN_MAX);
            continue;
        }
        for (j = 0; j < i; j++) {
            if (json_equal(json_array_get(fields, j), el)) {
                problem_field(p, APP_ERR_VALIDATION, ptr, "duplicate_field", "与 /fields/%zu 重复",
                              "repeats /fields/%zu", j);
                break;
            }
        }
    }
}

enum app_err expert_profile_body_check(const json_t *body, struct problem *p)
{
    const json_t *v;
    size_t i;
    char ptr[32];

    if (!json_fields_check(body, profile_fields, N_OF(profile_fields), "", p) &&
        p->err == APP_ERR_UNKNOWN_FIELD) {
        return p->err;
    }
    if (json_is_array(v = json_object_get(body, "fields")) && !problem_has_error(p, "/fields")) {
        check_fields(v, p);
    }
    if (json_is_string(v = json_object_get(body, "employer_code")) &&
        !problem_has_error(p, "/employer_code")) {
        unit_code_problem(json_string_value(v), "/employer_code", p);
    }
    if (json_is_string(v = json_object_get(body, "employer_unit_id")) &&
        !problem_has_error(p, "/employer_unit_id") && !uuid_valid(json_string_value(v))) {
        problem_field(p, APP_ERR_VALIDATION, "/employer_unit_id", "not_uuid", "须为小写的 UUID",
                      "must be a UUID in lower case");
    }
    if (json_is_array(v = json_object_get(body, "programmes")) &&
        !problem_has_error(p, "/programmes")) {
        const json_t *el;
        bool distinct = true;
        json_array_foreach(v, i, el)
        {
            snprintf(ptr, sizeof(ptr), "/programmes/%zu", i);
            if (!json_is_string(el)) {
                problem_field(p, APP_ERR_VALIDATION, ptr, "wrong_type", "须为字符串",
                              "must be a string");
            }
            for (size_t j = 0; j < i; j++) {
                distinct = distinct && !json_equal(json_array_get(v, j), el);
            }
        }
        if (!distinct) {
            problem_field(p, APP_ERR_VALIDATION, "/programmes", "programmes_not_distinct",
                          "项目代码须为互不相同的非空字符串", "must be distinct strings");
        }
    }
    return p->n_errors > 0 ? p->err : APP_OK;
}

/* ---- profiles ---- */

/* obj[key] when it is the string `want`. */
static bool member_is(const json_t *obj, const char *key, const char *want)
{
    const char *s = json_string_value(json_object_get(obj, key));

    return s != NULL && want != NULL && strcmp(s, want) == 0;
}

/* The target user: 404 when there is none (or it was deleted), 422 when it
 * holds another role. */
static enum app_err check_user(const struct op_ctx *ctx, const char *user_id, struct problem *p)
{
    char *text = NULL;
    json_t *user = NULL;
    enum app_err err = user_store_get(ctx->db, user_id, true, &text);

    if (err == APP_ERR_NOT_FOUND) {
        problem_fail(p, err, "not_found", "用户 %s 不存在", "no user %s", user_id);
    } else if (err != APP_OK) {
        ops_store_problem(err, p);
    } else if ((user = ops_json(text, p)) != NULL && !member_is(user, "role", "expert")) {
        problem_fail(p, APP_ERR_VALIDATION, "user_not_expert",
                     "用户 %s 不是评审专家（角色须为 expert）",
                     "user %s is not an expert (role expert)", user_id);
    }
    json_decref(user);
    free(text);
    return p->err;
}

/* The checks that read the database, all at once: the employer's unit
 * (exists, has the employer's code) and the programmes (exist; an office
 * user's own). */
static enum app_err
check_references(const struct op_ctx *ctx, const json_t *body, struct problem *p)
{
    const char *unit_id = json_string_value(json_object_get(body, "employer_unit_id"));
    const char *code = json_string_value(json_object_get(body, "employer_code"));
    const json_t *programmes = json_object_get(body, "programmes"), *el;
    char *text = NULL, *codes = NULL, ptr[32];
    json_t *unit = NULL;
    long found = 0;
    size_t i;
    enum app_err err = APP_OK;

    if (unit_id != NULL) {
        err = unit_store_get(ctx->db, unit_id, false, &text);
        if (err == APP_ERR_NOT_FOUND) {
            problem_field(p, APP_ERR_VALIDATION, "/employer_unit_id", "unknown_unit",
                          "推荐单位不存在", "no such unit");
            err = APP_OK;
        } else if (err == APP_OK && (unit = ops_json(text, p)) != NULL &&
                   !member_is(unit, "code", code)) {
            problem_field(p, APP_ERR_VALIDATION, "/employer_unit_id", "employer_unit_mismatch",
                          "所关联单位的统一社会信用代码与 employer_code 不一致",
                          "the linked unit's 统一社会信用代码 is not employer_code");
        }
    }
    if (err == APP_OK && (codes = json_dumps(programmes, JSON_COMPACT)) == NULL) {
        err = APP_ERR_INTERNAL;
    }
    if (err == APP_OK && (err = programme_store_count_codes(ctx->db, codes, &found)) == APP_OK &&
        found != (long)json_array_size(programmes)) {
        problem_field(p, APP_ERR_VALIDATION, "/programmes", "unknown_programme", "项目代码不存在",
                      "unknown programme code");
    }
    if (err == APP_OK && ctx->actor->role == ROLE_OFFICE) {
        json_array_foreach(programmes, i, el)
        {
            if (!auth_has_programme(ctx->actor, json_string_value(el))) {
                snprintf(ptr, sizeof(ptr), "/programmes/%zu", i);
                problem_field(p, APP_ERR_VALIDATION, ptr, "programme_out_of_scope",
                              "不在您负责的项目范围内", "not a programme in your scope");
            }
        }
    }
    json_decref(unit);
    free(text);
    free(codes);
    return err != APP_OK ? ops_store_problem(err, p) : p->n_errors > 0 ? p->err : APP_OK;
}

/* 428 when a profile exists and no If-Match came, 412 when it changed. */
static enum app_err check_version(const json_t *cur, bool if_match, int version, struct problem *p)
{
    int current = cur != NULL ? json_int_or(cur, "version", 0, INT32_MAX, 0) : 0;

    if (cur != NULL && !if_match) {
        return problem_fail(p, APP_ERR_PRECONDITION_REQUIRED, "profile_exists",
                            "该专家已有档案：替换时请发送 If-Match: \"%d\"",
                            "the expert has a profile: send If-Match: \"%d\" to replace it",
                            current);
    }
    if (if_match && version != current) {
        return problem_fail(p, APP_ERR_PRECONDITION_FAILED, "stale_etag",
                            "专家档案已被修改（当前 ETag 为 \"%d\"），请重新获取",
                            "the profile changed (ETag \"%d\"); GET it again", current);
    }
    return APP_OK;
}

enum app_err expert_profile_put(const struct op_ctx *ctx,
                                const char *user_id,
                                bool if_match,
                                int version,
                                const json_t *body,
                                char **ret_json,
                                bool *ret_created,
                                struct problem *p)
{
    char *before = NULL, *after = NULL, *values = NULL, *codes = NULL, *scope = NULL;
    json_t *cur = NULL;
    enum app_err err;

    if (ops_check_uuid(user_id, p) != APP_OK || check_user(ctx, user_id, p) != APP_OK) {
        goto cleanup;
    }
    /* The whole profile, whatever programmes it names: an office user may
     * add its own to any expert's (only the reads are scoped). */
    err = expert_store_get(ctx->db, user_id, NULL, true, &before);
    if (err != APP_OK && err != APP_ERR_NOT_FOUND) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((before != NULL && (cur = ops_json(before, p)) == NULL) ||
        check_version(cur, if_match, version, p) != APP_OK ||
        check_references(ctx, body, p) != APP_OK) {
        goto cleanup;
    }
    values = json_dumps(body, JSON_COMPACT);
    codes = json_dumps(json_object_get(body, "programmes"), JSON_COMPACT);
    if (values == NULL || codes == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    if (ops_scope_codes(ctx, &scope, p) != APP_OK) {
        goto cleanup;
    }
    err = cur == NULL ? expert_store_insert(ctx->db, user_id, values)
                      : expert_store_update(ctx->db, user_id, version, values);
    if (err == APP_ERR_NOT_FOUND) { /* a concurrent change took the version */
        problem_fail(p, APP_ERR_PRECONDITION_FAILED, "stale_etag", "专家档案已被修改，请重新获取",
                     "the profile changed; GET it again");
        goto cleanup;
    }
    if (err != APP_OK ||
        (err = expert_store_set_programmes(ctx->db, user_id, codes, scope)) != APP_OK ||
        (err = expert_store_get(ctx->db, user_id, NULL, false, &after)) != APP_OK ||
        (err = ops_audit(ctx, cur == NULL ? "expert.create" : "expert.update", "expert", user_id,
                         before, after)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    *ret_created = cur == NULL;
    *ret_json = after;
    after = NULL;

cleanup:
    json_decref(cur);
    free(before);
    free(after);
    free(values);
    free(codes);
    free(scope);
    return p->err;
}

/* ---- declared relations ---- */

enum app_err expert_relation_create(const struct op_ctx *ctx,
                                    const char *expert_id,
                                    const json_t *body,
                                    char **ret_json,
                                    struct problem *p)
{
    const char *kind = json_string_value(json_object_get(body, "kind"));
    const char *number = json_string_value(json_object_get(body, "id_number"));
    const char *note = json_string_value(json_object_get(body, "note"));
    char hash[65], *text = NULL;
    struct idcard card;
    json_t *obj = NULL;
    int y, m, d;
    enum app_err err;

    memset(&card, 0, sizeof(card));
    if (!json_fields_check(body, relation_fields, N_OF(relation_fields), "", p) &&
        p->err == APP_ERR_UNKNOWN_FIELD) {
        goto cleanup;
    }
    if (kind != NULL && !problem_has_error(p, "/kind") &&
        enums_from_value(ENUMS_RELATION_KINDS, kind) < 0) {
        problem_field(p, APP_ERR_VALIDATION, "/kind", "unknown_value",
                      "关系类别不在可选范围内（见 GET /v1/enums 的 expert_relation_kinds）",
                      "unknown relation kind (see GET /v1/enums expert_relation_kinds)");
    }
    if (number != NULL && !problem_has_error(p, "/id_number")) {
        date_split(ctx->today, &y, &m, &d);
        idcard_check(number, y, m, d, "/id_number", &card, p);
    }
    if (p->n_errors > 0 || expert_load(ctx, expert_id, true, NULL, p) != APP_OK) {
        goto cleanup;
    }
    ops_id_number_hash(ctx, card.number, hash);
    err = expert_store_relation_insert(ctx->db, expert_id, kind, hash, note, &text);
    sodium_memzero(hash, sizeof(hash));
    if (err == APP_ERR_CONFLICT) {
        problem_fail(p, err, "duplicate_relation", "已申报过与此人的关系",
                     "a relation to this person is declared already");
        goto cleanup;
    }
    if (err != APP_OK || (obj = ops_json(text, p)) == NULL ||
        (err = ops_audit(ctx, "expert.relation_create", "expert_relation",
                         json_string_value(json_object_get(obj, "id")), NULL, text)) != APP_OK) {
        if (p->err == APP_OK) {
            ops_store_problem(err, p);
        }
        goto cleanup;
    }
    *ret_json = text;
    text = NULL;

cleanup:
    sodium_memzero(&card, sizeof(card));
    json_decref(obj);
    free(text);
    return p->err;
}

enum app_err expert_relation_delete(const struct op_ctx *ctx,
                                    const char *expert_id,
                                    const char *id,
                                    struct problem *p)
{
    char *before = NULL;
    enum app_err err;

    if (expert_load(ctx, expert_id, true, NULL, p) != APP_OK || ops_check_uuid(id, p) != APP_OK) {
        goto cleanup;
    }
    err = expert_store_relation_delete(ctx->db, expert_id, id, &before);
    if (err == APP_ERR_NOT_FOUND) {
        problem_fail(p, err, "not_found", "关系申报 %s 不存在", "no declared relation %s", id);
        goto cleanup;
    }
    if (err != APP_OK || (err = ops_audit(ctx, "expert.relation_delete", "expert_relation", id,
                                          before, NULL)) != APP_OK) {
        ops_store_problem(err, p);
    }

cleanup:
    free(before);
    return p->err;
}
