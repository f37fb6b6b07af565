/* SPDX-License-Identifier: MIT */
/*
 * The on-site skill test's operations (ops/skill_tests.h). 环翠 第十条（四）
 * "组织进行现场技能考查"; 岚山 第五条 has no such test.
 */
#include "skill_tests.h"

#include <stdlib.h>

#include "civil_time.h"
#include "nominations.h"
#include "scope.h"
#include "skill_test.h"
#include "store/skill_test_store.h"
#include "uuid.h"

/* 409 unless the round's policy has an on-site skill test. */
static enum app_err
policy_has_test(const struct op_ctx *ctx, const struct round_ref *round, struct problem *p)
{
    struct programme_policy pol = {0};
    const char *article;

    if (nomination_load_policy(ctx->db, round, &pol, p) == APP_OK) {
        article =
            json_string_value(json_object_get(json_object_get(pol.json, "articles"), "skill_test"));
        skill_test_guard_policy(&pol.p, article, p);
    }
    json_decref(pol.json);
    return p->err;
}

/* The nomination in scope, in a programme with a test: its round too. */
static enum app_err load(const struct op_ctx *ctx,
                         const char *id,
                         bool for_update,
                         struct nomination_ref *nom,
                         struct round_ref *round,
                         struct problem *p)
{
    if (ops_nomination_scope(ctx, id, for_update, nom, round, p) != APP_OK) {
        return p->err;
    }
    return policy_has_test(ctx, round, p);
}

static enum app_err current(const struct op_ctx *ctx,
                            const char *nomination_id,
                            char **ret_text,
                            json_t **ret,
                            struct problem *p)
{
    enum app_err err = skill_test_store_get(ctx->db, nomination_id, ret_text);

    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret = ops_json(*ret_text, p);
    return *ret == NULL ? p->err : APP_OK;
}

enum app_err
skill_test_get(const struct op_ctx *ctx, const char *nomination_id, json_t **ret, struct problem *p)
{
    struct nomination_ref nom;
    struct round_ref round;
    char *text = NULL;

    if (load(ctx, nomination_id, false, &nom, &round, p) == APP_OK) {
        current(ctx, nom.id, &text, ret, p);
    }
    free(text);
    return p->err;
}

enum app_err skill_test_record(const struct op_ctx *ctx,
                               const char *nomination_id,
                               int if_match,
                               const json_t *body,
                               json_t **ret,
                               bool *ret_created,
                               struct problem *p)
{
    struct nomination_ref nom;
    struct round_ref round;
    struct skill_test_input in;
    struct skill_test_row row = {0};
    char *before_text = NULL, *examiners = NULL, *revision = NULL, *after_text = NULL;
    json_t *before = NULL;
    char tested_on[11], now[RFC3339_TEXT_MAX];
    int version;
    enum app_err err;

    *ret = NULL;
    /* The body's faults come first, all at once (as for a nomination),
     * then the programme, the state and the precondition. */
    if (ops_nomination_scope(ctx, nomination_id, true, &nom, &round, p) != APP_OK ||
        current(ctx, nom.id, &before_text, &before, p) != APP_OK) {
        goto cleanup;
    }
    version = (int)json_integer_value(json_object_get(before, "version"));
    if (skill_test_check_body(body, version > 0, ctx->today, round.window_opens, &in, p) !=
            APP_OK ||
        policy_has_test(ctx, &round, p) != APP_OK ||
        skill_test_guard_state(nom.state, p) != APP_OK) {
        goto cleanup;
    }
    if (if_match >= 0 ? ops_check_version(before, if_match, p) != APP_OK : version > 0) {
        if (p->err == APP_OK) {
            problem_fail(p, APP_ERR_PRECONDITION_REQUIRED, "if_match_required",
                         "已有考查成绩：更正时请在 If-Match 中发送最近一次 GET 返回的 ETag",
                         "a score is on file: send If-Match with the ETag from your last GET to "
                         "correct it");
        }
        goto cleanup;
    }
    if (in.score_sheet_id != NULL) {
        bool found = false;
        if ((err = skill_test_store_sheet_exists(ctx->db, nom.id, in.score_sheet_id, &found)) !=
            APP_OK) {
            ops_store_problem(err, p);
            goto cleanup;
        }
        if (!found) {
            problem_field(p, APP_ERR_VALIDATION, "/score_sheet_id", "score_sheet_not_found",
                          "该推荐没有编号为 %s 的评分表", "no score sheet %s on this nomination",
                          in.score_sheet_id);
            goto cleanup;
        }
    }
    if ((examiners = json_dumps(in.examiners, JSON_COMPACT)) == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    date_format(in.tested_on, tested_on);
    rfc3339_format(ctx->now_ms, true, now);
    row = (struct skill_test_row){
        .nomination_id = nom.id,
        .revision = version + 1,
        .score = in.score,
        .examiners = examiners,
        .tested_on = tested_on,
        .note = in.note,
        .reason = in.reason,
        .score_sheet_id = in.score_sheet_id,
        .recorded_by = ctx->actor->id[0] != '\0' ? ctx->actor->id : NULL,
        .recorded_at = now,
    };
    if ((err = skill_test_store_insert(ctx->db, &row, &revision)) != APP_OK ||
        (err = skill_test_store_get(ctx->db, nom.id, &after_text)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((*ret = ops_json(after_text, p)) == NULL) {
        goto cleanup;
    }
    err = ops_audit(ctx, version == 0 ? "skill_test.record" : "skill_test.correct", "skill_test",
                    nom.id, version == 0 ? NULL : before_text, after_text);
    if (err != APP_OK) {
        ops_store_problem(err, p);
        json_decref(*ret);
        *ret = NULL;
        goto cleanup;
    }
    *ret_created = version == 0;

cleanup:
    json_decref(before);
    free(before_text);
    free(examiners);
    free(revision);
    free(after_text);
    return p->err;
}

enum app_err skill_test_sheet_add(const struct op_ctx *ctx,
                                  const char *nomination_id,
                                  struct attachment_new *a,
                                  char **ret_json,
                                  struct problem *p)
{
    struct nomination_ref nom;
    struct round_ref round;
    char *text = NULL;
    json_t *obj = NULL;
    enum app_err err;

    if (load(ctx, nomination_id, true, &nom, &round, p) != APP_OK ||
        skill_test_guard_state(nom.state, p) != APP_OK) {
        return p->err;
    }
    a->nomination_id = nom.id;
    if ((err = skill_test_store_sheet_insert(ctx->db, a, &text)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    if ((obj = ops_json(text, p)) != NULL &&
        (err = ops_audit(ctx, "skill_test.sheet_create", "skill_test_sheet",
                         json_string_value(json_object_get(obj, "id")), NULL, text)) != APP_OK) {
        ops_store_problem(err, p);
    }
    json_decref(obj);
    if (p->err == APP_OK) {
        *ret_json = text;
        text = NULL;
    }
    free(text);
    return p->err;
}

enum app_err skill_test_sheet_read(const struct op_ctx *ctx,
                                   const char *nomination_id,
                                   const char *sheet_id,
                                   struct attachment_content *ret,
                                   struct problem *p)
{
    struct nomination_ref nom;
    struct round_ref round;
    enum app_err err;

    if (load(ctx, nomination_id, false, &nom, &round, p) != APP_OK) {
        return p->err;
    }
    if (!uuid_valid(sheet_id)) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "not_uuid", "sheet_id 须为 UUID",
                            "sheet_id must be a UUID");
    }
    err = skill_test_store_sheet_content(ctx->db, nom.id, sheet_id, ret);
    if (err == APP_ERR_NOT_FOUND) {
        return problem_fail(p, err, "not_found", "该推荐没有编号为 %s 的评分表",
                            "no score sheet %s on this nomination", sheet_id);
    }
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}
