/* SPDX-License-Identifier: MIT */
/*
 * The expert's workspace and the reviews (ops/reviews.h). The arithmetic
 * and the score checks are model/review_rules.c; this loads, guards,
 * writes and audits.
 */
#include "reviews.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil_time.h"
#include "json_fields.h"
#include "nominations.h"
#include "review_rules.h"
#include "scope.h"

static const struct json_field review_fields[] = {
    {"scores", JF_OBJECT, true, 0, 0},
    {"comment", JF_STRING | JF_NULL, false, 1, REVIEW_COMMENT_MAX},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static enum app_err not_found(const char *id, struct problem *p)
{
    return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "评审任务 %s 不存在",
                        "no review assignment %s", id);
}

static bool in_scope(const struct op_ctx *ctx, const struct review_assignment_ref *a)
{
    switch (ctx->actor->role) {
    case ROLE_EXPERT:
        return strcmp(ctx->actor->id, a->expert_id) == 0;
    case ROLE_OFFICE:
    case ROLE_LEADER:
        return ops_programme_in_scope(ctx->actor, a->programme);
    default:
        return false;
    }
}

enum app_err review_assignment_scope(const struct op_ctx *ctx,
                                     const char *id,
                                     bool for_update,
                                     struct review_assignment_ref *ret,
                                     struct problem *p)
{
    enum app_err err;

    if (ops_check_uuid(id, p) != APP_OK) {
        return p->err;
    }
    err = review_store_assignment(ctx->db, id, for_update, ret);
    /* Unknown and not yours answer alike: nothing tells an expert that
     * another expert's assignment exists. */
    if (err == APP_ERR_NOT_FOUND || (err == APP_OK && !in_scope(ctx, ret))) {
        return not_found(id, p);
    }
    return err != APP_OK ? ops_store_problem(err, p) : APP_OK;
}

enum app_err review_assignment_usable(const struct op_ctx *ctx,
                                      const struct review_assignment_ref *a,
                                      struct problem *p)
{
    if (ctx->actor->role == ROLE_EXPERT && !a->active) {
        return problem_fail(p, APP_ERR_CONFLICT, "assignment_not_active",
                            "该评审任务已结束（回避或撤换），不能再查看材料或评分",
                            "this review assignment has ended (recused or removed): its dossier "
                            "and scoring are closed");
    }
    return APP_OK;
}

enum app_err
review_dossier(const struct op_ctx *ctx, const char *id, char **ret_json, struct problem *p)
{
    struct review_assignment_ref a;
    enum app_err err;

    if (review_assignment_scope(ctx, id, false, &a, p) != APP_OK ||
        review_assignment_usable(ctx, &a, p) != APP_OK) {
        return p->err;
    }
    err = review_store_dossier(ctx->db, a.id, ret_json);
    return err != APP_OK ? ops_store_problem(err, p) : APP_OK;
}

enum app_err
review_get(const struct op_ctx *ctx, const char *id, char **ret_json, struct problem *p)
{
    struct review_assignment_ref a;
    enum app_err err;

    if (review_assignment_scope(ctx, id, false, &a, p) != APP_OK) {
        return p->err;
    }
    err = review_store_get(ctx->db, a.id, ret_json);
    return err != APP_OK ? ops_store_problem(err, p) : APP_OK;
}

static enum app_err sealed(struct problem *p)
{
    return problem_fail(p, APP_ERR_CONFLICT, "review_sealed",
                        "评审阶段已结束，评审意见已封存，不能再提交或修改",
                        "the review phase is closed: reviews are sealed and take no new revision");
}

/* The body's shape, then the scores against the rubric: all faults at once,
 * unknown members (400) alone. */
static bool check_body(const json_t *body,
                       const struct policy *pol,
                       struct review_score *ret,
                       struct problem *p)
{
    const json_t *scores = json_object_get(body, "scores");

    if (!json_fields_check(body, review_fields, N_OF(review_fields), "", p) &&
        p->err == APP_ERR_UNKNOWN_FIELD) {
        return false;
    }
    if (json_is_object(scores) &&
        !review_scores_parse(scores, pol->rubric, pol->n_rubric, "/scores", ret, p)) {
        return false;
    }
    return p->err == APP_OK;
}

enum app_err review_put(const struct op_ctx *ctx,
                        const char *id,
                        const json_t *body,
                        char **ret_json,
                        struct problem *p)
{
    struct review_assignment_ref a;
    struct round_ref round = {0};
    struct programme_policy pol = {0};
    struct review_score scores[POLICY_RUBRIC_MAX];
    struct review_result r;
    char now[RFC3339_TEXT_MAX], *scores_text = NULL, *rev = NULL;
    const char *comment;
    enum app_err err;

    if (review_assignment_scope(ctx, id, true, &a, p) != APP_OK ||
        review_assignment_usable(ctx, &a, p) != APP_OK) {
        goto cleanup;
    }
    if (!a.in_review) {
        sealed(p);
        goto cleanup;
    }
    snprintf(round.id, sizeof(round.id), "%s", a.round_id);
    if (nomination_load_policy(ctx->db, &round, &pol, p) != APP_OK ||
        !check_body(body, &pol.p, scores, p)) {
        goto cleanup;
    }
    r = review_total(pol.p.rubric, pol.p.n_rubric, scores);
    comment = json_string_value(json_object_get(body, "comment"));
    scores_text = json_dumps(json_object_get(body, "scores"), JSON_COMPACT | JSON_SORT_KEYS);
    if (scores_text == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    err = review_store_insert(ctx->db, a.id, scores_text, r.total, r.gate_pass, comment, now, &rev);
    if (err == APP_ERR_CONFLICT) {
        sealed(p);
        goto cleanup;
    }
    if (err != APP_OK ||
        (err = ops_audit(ctx, "review.submit", "review_assignment", a.id, NULL, rev)) != APP_OK ||
        (err = review_store_get(ctx->db, a.id, ret_json)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }

cleanup:
    json_decref(pol.json);
    free(scores_text);
    free(rev);
    return p->err;
}
