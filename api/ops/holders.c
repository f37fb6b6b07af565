/* SPDX-License-Identifier: MIT */
/*
 * Holder management (ops/holders.h). "Today" is the service clock's
 * (ctx->today); which reasons and steps a title knows is its round's
 * pinned policy version's; who may record a step is holder_rules.h's.
 */
#include "holders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowance.h"
#include "civil_time.h"
#include "enums.h"
#include "holder_rules.h"
#include "json_fields.h"
#include "nominations.h"
#include "recheck_rules.h"
#include "scope.h"
#include "store/assessment_store.h"
#include "store/holder_store.h"
#include "store/recheck_store.h"
#include "store/scope_store.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct json_field NOTE_FIELDS[] = {
    {"text", JF_STRING, true, 1, HOLDER_TEXT_MAX},
    {"evidence", JF_ARRAY, false, 0, HOLDER_EVIDENCE_MAX},
};

static const struct json_field SUSPEND_FIELDS[] = {
    {"reason", JF_STRING, true, 1, 48},
    {"effective_on", JF_STRING, true, 10, 10},
    {"note", JF_STRING, true, 1, HOLDER_TEXT_MAX},
    {"benefits_stopped", JF_ARRAY, false, 1, 2},
};

static const struct json_field LIFT_FIELDS[] = {
    {"lifted_on", JF_STRING, true, 10, 10},
    {"reason", JF_STRING, true, 1, HOLDER_TEXT_MAX},
};

static const struct json_field CASE_FIELDS[] = {
    {"reason", JF_STRING, true, 1, 48},
    {"facts", JF_STRING, true, 1, HOLDER_FACTS_MAX},
    {"finding", JF_STRING, false, 1, HOLDER_FACTS_MAX},
    {"evidence", JF_ARRAY, false, 0, HOLDER_EVIDENCE_MAX},
    {"effective_on", JF_STRING, true, 10, 10},
};

static const struct json_field STEP_FIELDS[] = {
    {"step", JF_STRING, true, 1, 32},
    {"outcome", JF_STRING, true, 1, 16},
    {"note", JF_STRING, true, 1, HOLDER_TEXT_MAX},
    {"decided_on", JF_STRING, true, 10, 10},
    {"meeting_reference", JF_STRING, false, 1, 100},
    {"document_no", JF_STRING, false, 1, 100},
};

static enum app_err holder_not_found(const char *id, struct problem *p)
{
    return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "认定记录 %s 不存在",
                        "no recognition %s", id);
}

/* Whether the actor may see a title of `programme` nominated by `unit_id`. */
static bool holder_visible(const struct principal *who, const char *programme, const char *unit_id)
{
    if (!ops_programme_in_scope(who, programme)) {
        return false;
    }
    return who->role != ROLE_UNIT || strcmp(who->unit_id, unit_id) == 0;
}

/* Title `id` in the actor's scope, locked for a write. */
static enum app_err holder_load(
    const struct op_ctx *ctx, const char *id, bool lock, struct holder_ref *ret, struct problem *p)
{
    enum app_err err;

    if (ops_check_uuid(id, p) != APP_OK) {
        return p->err;
    }
    err = holder_store_ref(ctx->db, id, lock, ret);
    if (err == APP_OK && !holder_visible(ctx->actor, ret->programme, ret->unit_id)) {
        err = APP_ERR_NOT_FOUND;
    }
    if (err == APP_ERR_NOT_FOUND) {
        return holder_not_found(id, p);
    }
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

/* The policy version the title's round pinned. */
static enum app_err holder_policy(const struct op_ctx *ctx,
                                  const struct holder_ref *h,
                                  struct programme_policy *ret,
                                  struct problem *p)
{
    struct round_ref round;
    enum app_err err = scope_store_round(ctx->db, h->round_id, SCOPE_NO_LOCK, &round);

    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    return nomination_load_policy(ctx->db, &round, ret, p);
}

/* The date at body member `member` (holder_rules_effective_date). */
static enum app_err body_date(const struct op_ctx *ctx,
                              const json_t *body,
                              const char *member,
                              int32_t not_before,
                              int32_t *ret,
                              struct problem *p)
{
    char ptr[64];

    snprintf(ptr, sizeof(ptr), "/%s", member);
    return holder_rules_effective_date(json_string_value(json_object_get(body, member)), ctx->today,
                                       not_before, ptr, ret, p);
}

/* Whether the JSON array `list` holds the string `s`. */
static bool list_has(const json_t *list, const char *s)
{
    size_t i;
    const json_t *x;

    json_array_foreach(list, i, x)
    {
        if (json_is_string(x) && strcmp(json_string_value(x), s) == 0) {
            return true;
        }
    }
    return false;
}

/* The evidence references at `member`: strings of 1..200 code points. */
static enum app_err evidence_ok(const json_t *body, const char *member, struct problem *p)
{
    const json_t *list = json_object_get(body, member), *x;
    size_t i;

    json_array_foreach(list, i, x)
    {
        size_t n = json_is_string(x) ? json_utf8_length(json_string_value(x)) : 0;
        if (n < 1 || n > 200) {
            char ptr[64];
            snprintf(ptr, sizeof(ptr), "/%s/%zu", member, i);
            return problem_field(p, APP_ERR_VALIDATION, ptr, "out_of_range",
                                 "证据须为 1 至 200 字的文字（文件名、文号或链接）",
                                 "evidence is a text of 1 to 200 characters (a file name, a "
                                 "document number or a link)");
        }
    }
    return APP_OK;
}

/* A JSON text of the list at body[member], or "[]" (malloc'd). */
static char *list_text(const json_t *body, const char *member)
{
    const json_t *list = json_object_get(body, member);
    return list != NULL ? json_dumps(list, JSON_COMPACT) : strdup("[]");
}

static enum app_err title_not_revoked(const struct holder_ref *h, struct problem *p)
{
    if (strcmp(h->status, "revoked") != 0) {
        return APP_OK;
    }
    return problem_fail(p, APP_ERR_CONFLICT, "title_revoked", "“%s”称号已被撤销（证书 %s）",
                        "the title %s has been revoked (certificate %s)", h->title,
                        h->certificate_number);
}

/* The audit event `action` on entity (type, id) with the new representation. */
static enum app_err audited(const struct op_ctx *ctx,
                            const char *action,
                            const char *type,
                            const json_t *obj,
                            const char *before,
                            struct problem *p)
{
    char *after = json_dumps(obj, JSON_COMPACT);
    enum app_err err = after != NULL
                           ? ops_audit(ctx, action, type,
                                       json_string_value(json_object_get(obj, "id")), before, after)
                           : APP_ERR_INTERNAL;

    free(after);
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

/* ---- the record ---- */

enum app_err holder_list(const struct op_ctx *ctx,
                         const struct holder_query *q,
                         const char *cursor,
                         int limit,
                         char **ret_array,
                         char **ret_next,
                         struct problem *p)
{
    char *programmes = NULL;
    struct holder_filter f = {
        .programme = q->programme,
        .status = q->status,
        .round_id = q->round_id,
        .unit_id = ctx->actor->role == ROLE_UNIT ? ctx->actor->unit_id : q->unit_id,
    };
    enum app_err err;

    *ret_array = *ret_next = NULL;
    if (q->status != NULL && strcmp(q->status, "active") != 0 &&
        strcmp(q->status, "suspended") != 0 && strcmp(q->status, "revoked") != 0) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "unknown_value",
                            "status 须为 active、suspended 或 revoked",
                            "status must be active, suspended or revoked");
    }
    if ((q->round_id != NULL && ops_check_uuid(q->round_id, p) != APP_OK) ||
        (f.unit_id != NULL && ops_check_uuid(f.unit_id, p) != APP_OK) ||
        ops_scope_codes(ctx, &programmes, p) != APP_OK) {
        return p->err;
    }
    f.programmes = programmes;
    err = holder_store_list(ctx->db, &f, cursor, limit, ret_array, ret_next);
    free(programmes);
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

enum app_err holder_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p)
{
    struct holder_ref h;
    char *text = NULL;
    enum app_err err;

    *ret = NULL;
    if (holder_load(ctx, id, false, &h, p) != APP_OK) {
        return p->err;
    }
    if ((err = holder_store_get(ctx->db, h.id, &text)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret = ops_json(text, p);
    free(text);
    return p->err;
}

enum app_err holder_note_add(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p)
{
    struct holder_ref h;
    char now[RFC3339_TEXT_MAX], *evidence = NULL, *text = NULL;
    enum app_err err;

    *ret = NULL;
    if (!json_fields_check(body, NOTE_FIELDS, N(NOTE_FIELDS), "", p) ||
        evidence_ok(body, "evidence", p) != APP_OK || holder_load(ctx, id, true, &h, p) != APP_OK) {
        return p->err;
    }
    if ((evidence = list_text(body, "evidence")) == NULL) {
        return ops_internal(p);
    }
    rfc3339_format(ctx->now_ms, true, now);
    err = holder_store_note(ctx->db, h.id, json_string_value(json_object_get(body, "text")),
                            evidence, ctx->actor, now, &text);
    free(evidence);
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if ((*ret = ops_json(text, p)) != NULL) {
        audited(ctx, "recognition.note", "recognition_note", *ret, NULL, p);
    }
    free(text);
    return p->err;
}

/* ---- suspension (环翠 第十六条（一）) ---- */

/* The benefits a suspension stops: the body's, each one the programme
 * gives, or by default all of them. */
static json_t *
benefits_of(const json_t *body, const struct programme_policy *pol, struct problem *p)
{
    const json_t *given = json_object_get(body, "benefits_stopped"), *x;
    json_t *all = json_array();
    size_t i;

    if (all == NULL) {
        ops_internal(p);
        return NULL;
    }
    if (pol->p.monthly_allowance) {
        json_array_append_new(all, json_string("allowance"));
    }
    json_array_append_new(all, json_string("employer_benefits"));
    if (given == NULL) {
        return all;
    }
    json_array_foreach(given, i, x)
    {
        bool dup = false;
        char ptr[48];

        for (size_t j = 0; j < i; j++) {
            dup = dup || json_equal(x, json_array_get(given, j));
        }
        snprintf(ptr, sizeof(ptr), "/benefits_stopped/%zu", i);
        if (!json_is_string(x) || !list_has(all, json_string_value(x))) {
            json_decref(all);
            problem_field(
                p, APP_ERR_VALIDATION, ptr, "unknown_value", "待遇须为本项目给予的 %s 之一",
                "a benefit must be one the programme gives (%s)",
                pol->p.monthly_allowance ? "allowance, employer_benefits" : "employer_benefits");
            return NULL;
        }
        if (dup) {
            json_decref(all);
            problem_field(p, APP_ERR_VALIDATION, ptr, "duplicate", "同一待遇只能列出一次",
                          "a benefit is listed once");
            return NULL;
        }
    }
    json_decref(all);
    return json_deep_copy(given);
}

enum app_err suspension_create(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p)
{
    struct holder_ref h;
    struct programme_policy pol = {0};
    const json_t *reasons;
    const char *reason;
    json_t *benefits = NULL;
    char now[RFC3339_TEXT_MAX], *benefits_text = NULL, *text = NULL;
    int32_t day;
    enum app_err err;

    *ret = NULL;
    if (!json_fields_check(body, SUSPEND_FIELDS, N(SUSPEND_FIELDS), "", p) ||
        holder_load(ctx, id, true, &h, p) != APP_OK || holder_policy(ctx, &h, &pol, p) != APP_OK) {
        goto cleanup;
    }
    reason = json_string_value(json_object_get(body, "reason"));
    reasons = json_object_get(pol.json, "suspension_reasons");
    if (json_array_size(reasons) == 0) {
        problem_fail(p, APP_ERR_CONFLICT, "suspension_not_in_policy",
                     "本项目的政策没有保留称号、停止待遇的情形，须按撤销程序办理",
                     "the programme's policy knows no suspension (title kept, benefits "
                     "stopped); a title ends by revocation");
        goto cleanup;
    }
    if (!list_has(reasons, reason)) {
        problem_field(p, APP_ERR_VALIDATION, "/reason", "unknown_value",
                      "暂停事由须为本项目政策所列之一（suspension_reasons）",
                      "the reason must be one of the policy's suspension_reasons");
        goto cleanup;
    }
    if (body_date(ctx, body, "effective_on", h.recognized_on, &day, p) != APP_OK ||
        (benefits = benefits_of(body, &pol, p)) == NULL || title_not_revoked(&h, p) != APP_OK) {
        goto cleanup;
    }
    if (h.suspension_id[0] != '\0') {
        problem_fail(p, APP_ERR_CONFLICT, "already_suspended", "该称号的待遇已暂停（%s），须先解除",
                     "the title's benefits are already "
                     "stopped (suspension %s); lift it first",
                     h.suspension_id);
        goto cleanup;
    }
    if ((benefits_text = json_dumps(benefits, JSON_COMPACT)) == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    const struct suspension_write w = {
        .recognition_id = h.id,
        .reason = reason,
        .effective_on = json_string_value(json_object_get(body, "effective_on")),
        .note = json_string_value(json_object_get(body, "note")),
        .benefits_json = benefits_text,
    };
    if ((err = holder_store_suspend(ctx->db, &w, ctx->actor, now, &text)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    /* 第十六条（一）: the allowance stops from the effective date; months
     * already accrued after it are reversed in this transaction. */
    if (list_has(benefits, "allowance") &&
        allowance_stop(ctx, h.id, day, "suspension", false, p) != APP_OK) {
        goto cleanup;
    }
    if ((*ret = ops_json(text, p)) != NULL) {
        audited(ctx, "suspension.create", "suspension", *ret, NULL, p);
    }

cleanup:
    json_decref(pol.json);
    json_decref(benefits);
    free(benefits_text);
    free(text);
    return p->err;
}

enum app_err suspension_lift_op(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p)
{
    struct suspension_ref s;
    struct holder_ref h;
    char now[RFC3339_TEXT_MAX], *text = NULL;
    int32_t day;
    enum app_err err;

    *ret = NULL;
    if (ops_check_uuid(id, p) != APP_OK ||
        !json_fields_check(body, LIFT_FIELDS, N(LIFT_FIELDS), "", p)) {
        return p->err;
    }
    err = holder_store_suspension(ctx->db, id, &s);
    if (err == APP_ERR_NOT_FOUND) {
        return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "暂停记录 %s 不存在",
                            "no suspension %s", id);
    }
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (holder_load(ctx, s.recognition_id, true, &h, p) != APP_OK) {
        return p->err == APP_ERR_NOT_FOUND
                   ? problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "暂停记录 %s 不存在",
                                  "no suspension %s", id)
                   : p->err;
    }
    if (body_date(ctx, body, "lifted_on", h.recognized_on, &day, p) != APP_OK ||
        title_not_revoked(&h, p) != APP_OK) {
        return p->err;
    }
    if (day < s.effective_on) {
        char from[11];
        date_format(s.effective_on, from);
        return problem_field(p, APP_ERR_VALIDATION, "/lifted_on", "before_suspension",
                             "解除日期不得早于暂停生效日期（%s）",
                             "the suspension cannot be lifted before it took effect (%s)", from);
    }
    if (s.lifted) {
        return problem_fail(p, APP_ERR_CONFLICT, "suspension_lifted", "该暂停已经解除",
                            "the suspension has been lifted already");
    }
    rfc3339_format(ctx->now_ms, true, now);
    err = holder_store_lift(ctx->db, s.id, json_string_value(json_object_get(body, "lifted_on")),
                            json_string_value(json_object_get(body, "reason")), ctx->actor, now,
                            &text);
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if ((*ret = ops_json(text, p)) != NULL &&
        audited(ctx, "suspension.lift", "suspension", *ret, NULL, p) == APP_OK) {
        /* 第十六条（一）: the allowance resumes from the lifting */
        allowance_resume(ctx, s.recognition_id, day, p);
    }
    if (p->err != APP_OK) {
        json_decref(*ret);
        *ret = NULL;
    }
    free(text);
    return p->err;
}

/* ---- revocation (岚山 第十二条, 环翠 第十七条) ---- */

/* The steps of the pinned policy as a JSON array text (malloc'd). */
static char *steps_text(const struct policy *pol)
{
    json_t *a = json_array();
    char *text;

    for (size_t i = 0; a != NULL && i < pol->n_revocation_steps; i++) {
        json_array_append_new(
            a, json_string(enums_value(ENUMS_REVOCATION_STEPS, pol->revocation_steps[i])));
    }
    text = a != NULL ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    return text;
}

/* Opens a case on title `h` under its policy `pol`: the reason and the
 * finding checked, the title not revoked, no case open. evidence_json a
 * JSON array text; effective_on checked by the caller. */
static enum app_err case_create(const struct op_ctx *ctx,
                                const struct holder_ref *h,
                                const struct programme_policy *pol,
                                const struct case_write *in,
                                json_t **ret,
                                struct problem *p)
{
    struct case_write w = *in;
    char now[RFC3339_TEXT_MAX], *steps = NULL, *text = NULL;
    enum app_err err;

    if (!list_has(json_object_get(pol->json, "revocation_reasons"), in->reason)) {
        return problem_field(p, APP_ERR_VALIDATION, "/reason", "unknown_value",
                             "撤销事由须为本项目政策所列之一（revocation_reasons）",
                             "the reason must be one of the policy's revocation_reasons");
    }
    if (in->finding == NULL && revocation_reason_needs_finding(in->reason)) {
        int r = enums_from_value(ENUMS_REVOCATION_REASONS, in->reason);
        return problem_field(p, APP_ERR_VALIDATION, "/finding", "finding_required",
                             "以“%s”为由撤销须写明核查认定的事实（finding）",
                             "a revocation for %s needs the written finding",
                             r >= 0 ? enums_label(ENUMS_REVOCATION_REASONS, r) : in->reason);
    }
    if (title_not_revoked(h, p) != APP_OK) {
        return p->err;
    }
    if (h->case_id[0] != '\0') {
        return problem_fail(p, APP_ERR_CONFLICT, "revocation_case_open",
                            "该称号已有正在办理的撤销案件（%s）",
                            "a revocation case of this title is open (%s)", h->case_id);
    }
    if ((steps = steps_text(&pol->p)) == NULL) {
        return ops_internal(p);
    }
    w.recognition_id = h->id;
    w.steps_json = steps;
    rfc3339_format(ctx->now_ms, true, now);
    if ((err = holder_store_case_open(ctx->db, &w, ctx->actor, now, &text)) != APP_OK) {
        ops_store_problem(err, p);
    } else if ((*ret = ops_json(text, p)) != NULL) {
        audited(ctx, "revocation_case.open", "revocation_case", *ret, NULL, p);
    }
    free(steps);
    free(text);
    return p->err;
}

enum app_err revocation_case_open(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p)
{
    struct holder_ref h;
    struct programme_policy pol = {0};
    char *evidence = NULL;
    int32_t day;

    *ret = NULL;
    if (!json_fields_check(body, CASE_FIELDS, N(CASE_FIELDS), "", p) ||
        evidence_ok(body, "evidence", p) != APP_OK || holder_load(ctx, id, true, &h, p) != APP_OK ||
        holder_policy(ctx, &h, &pol, p) != APP_OK ||
        body_date(ctx, body, "effective_on", h.recognized_on, &day, p) != APP_OK) {
        goto cleanup;
    }
    if ((evidence = list_text(body, "evidence")) == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    const struct case_write w = {
        .reason = json_string_value(json_object_get(body, "reason")),
        .facts = json_string_value(json_object_get(body, "facts")),
        .finding = json_string_value(json_object_get(body, "finding")),
        .evidence_json = evidence,
        .effective_on = json_string_value(json_object_get(body, "effective_on")),
    };
    case_create(ctx, &h, &pol, &w, ret, p);

cleanup:
    json_decref(pol.json);
    free(evidence);
    return p->err;
}

static enum app_err case_not_found(const char *id, struct problem *p)
{
    return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "撤销案件 %s 不存在",
                        "no revocation case %s", id);
}

/* Case `id` whose title the actor may see, locked for a write. */
static enum app_err case_load(const struct op_ctx *ctx,
                              const char *id,
                              bool lock,
                              struct case_ref *ret,
                              struct holder_ref *ret_holder,
                              struct problem *p)
{
    enum app_err err;

    if (ops_check_uuid(id, p) != APP_OK) {
        return p->err;
    }
    err = holder_store_case(ctx->db, id, false, ret);
    if (err == APP_OK) {
        /* The title first (as every holder write locks it), then the case. */
        err = holder_store_ref(ctx->db, ret->recognition_id, lock, ret_holder);
    }
    if (err == APP_OK && lock) {
        case_ref_free(ret);
        err = holder_store_case(ctx->db, id, true, ret);
    }
    if (err == APP_OK && !holder_visible(ctx->actor, ret_holder->programme, ret_holder->unit_id)) {
        err = APP_ERR_NOT_FOUND;
    }
    if (err == APP_ERR_NOT_FOUND) {
        case_ref_free(ret);
        return case_not_found(id, p);
    }
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

enum app_err
revocation_case_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p)
{
    struct case_ref c;
    struct holder_ref h;
    char *text = NULL;
    enum app_err err;

    *ret = NULL;
    if (case_load(ctx, id, false, &c, &h, p) != APP_OK) {
        return p->err;
    }
    case_ref_free(&c);
    if ((err = holder_store_case_get(ctx->db, id, &text)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret = ops_json(text, p);
    free(text);
    return p->err;
}

enum app_err revocation_case_list(const struct op_ctx *ctx,
                                  const char *state,
                                  const char *programme,
                                  json_t **ret,
                                  struct problem *p)
{
    char *programmes = NULL, *text = NULL;
    enum app_err err;

    *ret = NULL;
    if (state != NULL && strcmp(state, "open") != 0 && strcmp(state, "revoked") != 0 &&
        strcmp(state, "rejected") != 0) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "unknown_value",
                            "state 须为 open、revoked 或 rejected",
                            "state must be open, revoked or rejected");
    }
    if (ops_scope_codes(ctx, &programmes, p) != APP_OK) {
        return p->err;
    }
    err = holder_store_cases(ctx->db, state, programme, programmes, &text);
    free(programmes);
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret = ops_json(text, p);
    free(text);
    return p->err;
}

/* The step's body beyond the table: a known step and outcome, the date, a
 * meeting reference for the group's steps and a document number for the
 * government's approval (each only there). */
static enum app_err step_body(const struct op_ctx *ctx,
                              const json_t *body,
                              const struct holder_ref *h,
                              int *ret_step,
                              struct problem *p)
{
    const char *outcome = json_string_value(json_object_get(body, "outcome"));
    bool meeting = json_object_get(body, "meeting_reference") != NULL;
    bool document = json_object_get(body, "document_no") != NULL;
    int32_t day;

    *ret_step =
        enums_from_value(ENUMS_REVOCATION_STEPS, json_string_value(json_object_get(body, "step")));
    if (*ret_step < 0) {
        return problem_field(p, APP_ERR_VALIDATION, "/step", "unknown_value",
                             "step 须为 verification、decision、preliminary_finding、"
                             "ratification 或 approval",
                             "step must be verification, decision, preliminary_finding, "
                             "ratification or approval");
    }
    if (strcmp(outcome, "approved") != 0 && strcmp(outcome, "rejected") != 0) {
        return problem_field(p, APP_ERR_VALIDATION, "/outcome", "unknown_value",
                             "outcome 须为 approved 或 rejected",
                             "outcome must be approved or rejected");
    }
    if (revocation_step_needs_meeting(*ret_step) && !meeting) {
        return problem_field(p, APP_ERR_VALIDATION, "/meeting_reference", "required",
                             "领导小组的步骤须写明会议（meeting_reference）",
                             "the leadership group's step needs the meeting's reference");
    }
    if (!revocation_step_needs_meeting(*ret_step) && meeting) {
        return problem_field(p, APP_ERR_VALIDATION, "/meeting_reference", "meeting_not_allowed",
                             "会议（meeting_reference）只在领导小组的步骤中填写",
                             "meeting_reference belongs to the leadership group's steps only");
    }
    if (revocation_step_needs_document(*ret_step) && !document) {
        return problem_field(p, APP_ERR_VALIDATION, "/document_no", "required",
                             "区政府批准须写明批准文号（document_no）",
                             "the government's approval needs its document number");
    }
    if (!revocation_step_needs_document(*ret_step) && document) {
        return problem_field(p, APP_ERR_VALIDATION, "/document_no", "document_not_allowed",
                             "批准文号（document_no）只在区政府批准步骤中填写",
                             "document_no belongs to the government's approval only");
    }
    return body_date(ctx, body, "decided_on", h->recognized_on, &day, p);
}

/* The public revocation notice's text (取消认定公告): who, which title and
 * certificate, why (the reason's label and the policy's article), and
 * from when the benefits stop. */
static void notice_text(const struct holder_ref *h,
                        const struct case_ref *c,
                        const struct programme_policy *pol,
                        char *title,
                        size_t title_len,
                        char *body,
                        size_t body_len)
{
    int r = enums_from_value(ENUMS_REVOCATION_REASONS, c->reason);
    const char *label = r >= 0 ? enums_label(ENUMS_REVOCATION_REASONS, r) : c->reason;
    const char *article = json_string_value(
        json_object_get(json_object_get(pol->json, "articles"), "revocation_reasons"));
    const char *doc = json_string_value(json_object_get(pol->json, "document_no"));

    snprintf(title, title_len, "关于撤销%s“%s”认定的公告", h->holder_name, h->title);
    snprintf(body, body_len,
             "%s%s（证书编号 %s）因%s，经按程序审核批准，根据%s%s有关规定，撤销其“%s”认定，"
             "收回证书，自 %s 起停止其享受的有关待遇。特此公告。",
             h->employer, h->holder_name, h->certificate_number, label, doc != NULL ? doc : "",
             article != NULL ? article : "", h->title, c->effective_on);
}

enum app_err revocation_step_add(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p)
{
    struct case_ref c = {0};
    struct holder_ref h;
    struct programme_policy pol = {0};
    enum revocation_step list[REVOCATION_STEPS_MAX];
    json_t *steps = NULL;
    char now[RFC3339_TEXT_MAX], title[512], text_body[2048], *text = NULL;
    const char *issuer;
    int step = -1;
    size_t n = 0;
    bool last;
    enum app_err err;

    *ret = NULL;
    if (!json_fields_check(body, STEP_FIELDS, N(STEP_FIELDS), "", p) ||
        case_load(ctx, id, true, &c, &h, p) != APP_OK ||
        step_body(ctx, body, &h, &step, p) != APP_OK) {
        goto cleanup;
    }
    if (strcmp(c.state, "open") != 0) {
        problem_fail(p, APP_ERR_CONFLICT, "revocation_case_closed", "撤销案件已办结（%s）",
                     "the case is closed (%s)", c.state);
        goto cleanup;
    }
    if ((steps = ops_json(c.steps_json, p)) == NULL) {
        goto cleanup;
    }
    for (n = 0; n < json_array_size(steps) && n < REVOCATION_STEPS_MAX; n++) {
        list[n] = (enum revocation_step)enums_from_value(
            ENUMS_REVOCATION_STEPS, json_string_value(json_array_get(steps, n)));
    }
    if (holder_rules_step_gate(list, n, (size_t)c.done, (enum revocation_step)step,
                               ctx->actor->role, p) != APP_OK ||
        holder_policy(ctx, &h, &pol, p) != APP_OK) {
        goto cleanup;
    }
    last = (size_t)c.done + 1 == n &&
           strcmp(json_string_value(json_object_get(body, "outcome")), "approved") == 0;
    notice_text(&h, &c, &pol, title, sizeof(title), text_body, sizeof(text_body));
    issuer = json_string_value(json_object_get(pol.json, "authority"));
    rfc3339_format(ctx->now_ms, true, now);
    const struct step_write w = {
        .case_id = c.id,
        .step = enums_value(ENUMS_REVOCATION_STEPS, step),
        .outcome = json_string_value(json_object_get(body, "outcome")),
        .note = json_string_value(json_object_get(body, "note")),
        .decided_on = json_string_value(json_object_get(body, "decided_on")),
        .meeting_reference = json_string_value(json_object_get(body, "meeting_reference")),
        .document_no = json_string_value(json_object_get(body, "document_no")),
        .position = c.done + 1,
        .last = last,
        .notice_title = title,
        .notice_body = text_body,
        .notice_issuer = issuer != NULL ? issuer : "",
    };
    if ((err = holder_store_step(ctx->db, &w, ctx->actor, now, &text)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((*ret = ops_json(text, p)) == NULL ||
        audited(ctx, "revocation_case.step", "revocation_case", *ret, NULL, p) != APP_OK) {
        goto cleanup;
    }
    if (last) {
        json_t *rec = json_pack("{s:s, s:s, s:s}", "id", h.id, "status", "revoked",
                                "certificate_number", h.certificate_number);
        if (rec == NULL) {
            ops_internal(p);
            goto cleanup;
        }
        audited(ctx, "recognition.revoke", "recognition", rec, NULL, p);
        json_decref(rec);
        if (p->err != APP_OK) {
            goto cleanup;
        }
        /* 第十七条: the benefits stop; the allowance is taken back from the
         * case's effective date, or every month for fraud (第十七条（三）). */
        int32_t effective;
        if (!date_parse(c.effective_on, &effective)) {
            ops_internal(p);
            goto cleanup;
        }
        allowance_revoke(ctx, h.id, effective, c.reason, p);
    }

cleanup:
    case_ref_free(&c);
    json_decref(steps);
    json_decref(pol.json);
    free(text);
    return p->err;
}

/* ---- annual assessments (岚山 第十一条, 第十二条（四）) ---- */

static const struct json_field ASSESS_FIELDS[] = {
    {"year", JF_INT, true, 2000, 9999},
    {"result", JF_STRING, true, 1, 8},
    {"notes", JF_STRING, true, 1, HOLDER_TEXT_MAX},
    {"evidence", JF_ARRAY, false, 0, HOLDER_EVIDENCE_MAX},
};

static const struct json_field REVIEW_FIELDS[] = {
    {"action", JF_STRING, true, 1, 16},
    {"reason", JF_STRING, false, 1, HOLDER_TEXT_MAX},
};

enum app_err assessment_submit(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p)
{
    struct holder_ref h;
    const char *result;
    char state[16], now[RFC3339_TEXT_MAX], *evidence = NULL, *text = NULL;
    int year = 0, revision = 0, today_year, m, d;
    bool due = false;
    enum app_err err;

    *ret = NULL;
    if (!json_fields_check(body, ASSESS_FIELDS, N(ASSESS_FIELDS), "", p) ||
        evidence_ok(body, "evidence", p) != APP_OK || holder_load(ctx, id, true, &h, p) != APP_OK) {
        return p->err;
    }
    json_int_value(json_object_get(body, "year"), 2000, 9999, &year);
    result = json_string_value(json_object_get(body, "result"));
    if (strcmp(result, "pass") != 0 && strcmp(result, "fail") != 0) {
        return problem_field(p, APP_ERR_VALIDATION, "/result", "unknown_value",
                             "result 须为 pass（合格）或 fail（不合格）",
                             "result must be pass or fail");
    }
    date_split(ctx->today, &today_year, &m, &d);
    if (year > today_year) {
        return problem_field(p, APP_ERR_VALIDATION, "/year", "year_in_future",
                             "不能提交 %d 年之后年度的考核结果", "no result for a year after %d",
                             today_year);
    }
    if ((err = assessment_store_year(ctx->db, h.id, year, &due, state, &revision)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (!due) {
        return problem_fail(p, APP_ERR_CONFLICT, "assessment_not_due",
                            "该称号 %d 年度无须年度考核（项目政策不设年度考核，或为认定当年及以前，"
                            "或称号已撤销）",
                            "the title owes no annual assessment for %d (the policy has none, "
                            "the year is not after the recognition's, or the title was revoked)",
                            year);
    }
    if (strcmp(state, "submitted") == 0 || strcmp(state, "confirmed") == 0) {
        return problem_fail(p, APP_ERR_CONFLICT, "assessment_exists", "%d 年度的考核结果已%s",
                            "the result for %d is %s already", year,
                            strcmp(state, "submitted") == 0 ? "submitted" : "confirmed");
    }
    if ((evidence = list_text(body, "evidence")) == NULL) {
        return ops_internal(p);
    }
    rfc3339_format(ctx->now_ms, true, now);
    const struct assessment_write w = {
        .recognition_id = h.id,
        .result = result,
        .notes = json_string_value(json_object_get(body, "notes")),
        .evidence_json = evidence,
        .year = year,
        .revision = revision + 1,
    };
    err = assessment_store_insert(ctx->db, &w, ctx->actor, now, &text);
    free(evidence);
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if ((*ret = ops_json(text, p)) != NULL) {
        audited(ctx, "assessment.submit", "assessment", *ret, NULL, p);
    }
    free(text);
    return p->err;
}

/* After `year` of title `h` is confirmed: a run of assessment_fail_limit
 * consecutive confirmed failures opens a revocation case (岚山 第十二条（四）
 * "经核实后，按程序取消": a case, not a revocation), unless one is open or
 * the title is revoked. ret_case the case's id, "" for none. */
static enum app_err failure_run(const struct op_ctx *ctx,
                                const struct holder_ref *h,
                                int year,
                                char ret_case[40],
                                struct problem *p)
{
    struct programme_policy pol = {0};
    struct assessment_result r[64];
    json_t *list = NULL, *x, *opened = NULL;
    char *text = NULL, facts[512], today[11];
    size_t i, n = 0;
    enum app_err err;

    ret_case[0] = '\0';
    if (holder_policy(ctx, h, &pol, p) != APP_OK) {
        return p->err;
    }
    if ((err = assessment_store_confirmed(ctx->db, h->id, &text)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((list = ops_json(text, p)) == NULL) {
        goto cleanup;
    }
    json_array_foreach(list, i, x)
    {
        if (n < sizeof(r) / sizeof(r[0])) {
            r[n].year = (int)json_integer_value(json_object_get(x, "year"));
            r[n++].failed = json_is_true(json_object_get(x, "failed"));
        }
    }
    if (!holder_rules_failed_run(r, n, year, pol.p.assessment_fail_limit) ||
        h->case_id[0] != '\0' || strcmp(h->status, "revoked") == 0) {
        goto cleanup;
    }
    snprintf(facts, sizeof(facts),
             "%d 年度考核经复核确认不合格，连续 %d 年以上考核不合格（由年度考核自动立案）", year,
             pol.p.assessment_fail_limit);
    date_format(ctx->today, today);
    const struct case_write w = {
        .reason = "consecutive_failed_assessments",
        .facts = facts,
        .evidence_json = "[]",
        .effective_on = today,
    };
    if (case_create(ctx, h, &pol, &w, &opened, p) == APP_OK) {
        snprintf(ret_case, 40, "%s", json_string_value(json_object_get(opened, "id")));
    }

cleanup:
    json_decref(opened);
    json_decref(list);
    json_decref(pol.json);
    free(text);
    return p->err;
}

static enum app_err assessment_not_found(const char *id, struct problem *p)
{
    return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "考核记录 %s 不存在", "no assessment %s",
                        id);
}

enum app_err assessment_review(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p)
{
    struct assessment_ref a;
    struct holder_ref h;
    const char *action, *reason;
    char now[RFC3339_TEXT_MAX], case_id[40] = "", *text = NULL;
    bool confirm;
    enum app_err err;

    *ret = NULL;
    if (ops_check_uuid(id, p) != APP_OK ||
        !json_fields_check(body, REVIEW_FIELDS, N(REVIEW_FIELDS), "", p)) {
        return p->err;
    }
    action = json_string_value(json_object_get(body, "action"));
    reason = json_string_value(json_object_get(body, "reason"));
    confirm = strcmp(action, "confirm") == 0;
    if (!confirm && strcmp(action, "return") != 0) {
        return problem_field(p, APP_ERR_VALIDATION, "/action", "unknown_value",
                             "action 须为 confirm（确认）或 return（退回）",
                             "action must be confirm or return");
    }
    if (!confirm && reason == NULL) {
        return problem_field(p, APP_ERR_VALIDATION, "/reason", "required",
                             "退回须写明理由（reason）", "returning a result needs the reason");
    }
    if ((err = assessment_store_lock(ctx->db, id, &a)) == APP_ERR_NOT_FOUND) {
        return assessment_not_found(id, p);
    }
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (holder_load(ctx, a.recognition_id, true, &h, p) != APP_OK) {
        if (p->err != APP_ERR_NOT_FOUND) {
            return p->err;
        }
        problem_clear(p);
        return assessment_not_found(id, p);
    }
    if (strcmp(a.state, "submitted") != 0) {
        return problem_fail(p, APP_ERR_CONFLICT, "assessment_reviewed", "该考核结果已复核（%s）",
                            "the result has been reviewed (%s)", a.state);
    }
    rfc3339_format(ctx->now_ms, true, now);
    err = assessment_store_review(ctx->db, a.id, confirm ? "confirmed" : "returned", reason,
                                  ctx->actor, now, &text);
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if ((*ret = ops_json(text, p)) == NULL ||
        audited(ctx, confirm ? "assessment.confirm" : "assessment.return", "assessment", *ret, NULL,
                p) != APP_OK ||
        (confirm && failure_run(ctx, &h, a.year, case_id, p) != APP_OK)) {
        free(text);
        return p->err;
    }
    json_object_set_new(*ret, "revocation_case_id",
                        case_id[0] ? json_string(case_id) : json_null());
    free(text);
    return p->err;
}

enum app_err assessment_list(
    const struct op_ctx *ctx, int year, const char *programme, json_t **ret, struct problem *p)
{
    char *programmes = NULL, *text = NULL, today[11];
    enum app_err err;

    *ret = NULL;
    if (ops_scope_codes(ctx, &programmes, p) != APP_OK) {
        return p->err;
    }
    date_format(ctx->today, today);
    err = assessment_store_list(ctx->db, year, today, programme, programmes,
                                ctx->actor->role == ROLE_UNIT ? ctx->actor->unit_id : NULL, &text);
    free(programmes);
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret = ops_json(text, p);
    free(text);
    return p->err;
}

/* ---- the year-2 re-check (环翠 第八条, 第十一条, 第十二条) ---- */

static const struct json_field RECHECK_FIELDS[] = {
    {"achievements", JF_STRING, true, 1, 4000},
    {"awards", JF_ARRAY, false, 0, 50},
    {"agreements", JF_ARRAY, false, 0, RECHECK_APPRENTICES_MAX},
    {"apprentices", JF_ARRAY, true, 0, RECHECK_APPRENTICES_MAX},
    {"front_line", JF_BOOL, true, 0, 0},
    {"no_accident", JF_BOOL, true, 0, 0},
    {"no_violation", JF_BOOL, true, 0, 0},
    {"keeps_lead", JF_BOOL, true, 0, 0},
};

static const struct json_field AWARD_FIELDS[] = {
    {"name", JF_STRING, true, 1, 200},
    {"level", JF_STRING, false, 1, 32},
    {"awarded_on", JF_STRING, true, 10, 10},
};

static const struct json_field AGREEMENT_FIELDS[] = {
    {"apprentice", JF_STRING, true, 1, 50},
    {"signed_on", JF_STRING, true, 10, 10},
};

static const struct json_field APPRENTICE_FIELDS[] = {
    {"name", JF_STRING, true, 1, 50},
    {"level", JF_STRING, true, 1, 32},
    {"certified_on", JF_STRING, true, 10, 10},
};

static const struct json_field DECIDE_FIELDS[] = {
    {"result", JF_STRING, true, 1, 8},
    {"reason", JF_STRING, false, 1, HOLDER_TEXT_MAX},
};

/* Each item of body[member] against its table; its date member a date not
 * after today. */
static enum app_err items_ok(const struct op_ctx *ctx,
                             const json_t *body,
                             const char *member,
                             const struct json_field *fields,
                             size_t n,
                             const char *date_member,
                             struct problem *p)
{
    const json_t *x;
    size_t i;
    int32_t day;

    json_array_foreach(json_object_get(body, member), i, x)
    {
        char ptr[64];
        snprintf(ptr, sizeof(ptr), "/%s/%zu", member, i);
        if (!json_fields_check(x, fields, n, ptr, p)) {
            return p->err;
        }
        snprintf(ptr, sizeof(ptr), "/%s/%zu/%s", member, i, date_member);
        if (holder_rules_past_date(json_string_value(json_object_get(x, date_member)), ctx->today,
                                   ptr, &day, p) != APP_OK) {
            return p->err;
        }
    }
    return APP_OK;
}

/* The apprentices of the body as the rules read them. */
static enum app_err
apprentices_of(const json_t *body, struct recheck_apprentice *out, size_t *ret_n, struct problem *p)
{
    const json_t *x;
    size_t i;

    *ret_n = 0;
    json_array_foreach(json_object_get(body, "apprentices"), i, x)
    {
        int level =
            enums_from_value(ENUMS_SKILL_LEVELS, json_string_value(json_object_get(x, "level")));
        if (level < 0) {
            char ptr[48];
            snprintf(ptr, sizeof(ptr), "/apprentices/%zu/level", i);
            return problem_field(p, APP_ERR_VALIDATION, ptr, "unknown_value",
                                 "职业技能等级不在可选范围内（见 GET /v1/enums skill_levels）",
                                 "unknown skill level (see GET /v1/enums skill_levels)");
        }
        out[i].level = level;
        date_parse(json_string_value(json_object_get(x, "certified_on")), &out[i].certified_on);
        *ret_n = i + 1;
    }
    return APP_OK;
}

/* The checklist as JSON: each item with its code, article and status;
 * the apprentices' item with the count per year of the period. */
static json_t *checklist_json(const struct policy *pol, const struct recheck_checklist *c)
{
    json_t *list = json_array();

    for (int i = 0; list != NULL && i < RECHECK__COUNT; i++) {
        json_t *item = json_pack("{s:s, s:s, s:s}", "item", recheck_item_code(i), "article",
                                 recheck_item_article(i), "status", c->passed[i] ? "pass" : "fail");
        if (item != NULL && i == RECHECK_APPRENTICES) {
            json_t *years = json_array();
            for (size_t k = 0; years != NULL && k < c->n_years; k++) {
                json_array_append_new(years, json_pack("{s:i, s:i}", "year", (int)k + 1,
                                                       "certified", c->certified[k]));
            }
            json_object_set_new(item, "per_year", years);
            json_object_set_new(item, "required_per_year",
                                json_integer(pol->recheck_min_apprentices));
            json_object_set_new(item, "min_level",
                                pol->recheck_apprentice_min_level >= 0
                                    ? json_string(enums_value(ENUMS_SKILL_LEVELS,
                                                              pol->recheck_apprentice_min_level))
                                    : json_null());
        }
        json_array_append_new(list, item);
    }
    return list;
}

/* What the re-check of title `h` needs: its policy (year2_recheck, else 409
 * recheck_not_in_policy), the period's start, the filed re-check if any. */
static enum app_err recheck_load(const struct op_ctx *ctx,
                                 const struct holder_ref *h,
                                 struct programme_policy *pol,
                                 int32_t *ret_start,
                                 json_t **ret_filed,
                                 struct problem *p)
{
    char start[11];
    char *text = NULL;
    enum app_err err;

    *ret_filed = NULL;
    if (holder_policy(ctx, h, pol, p) != APP_OK) {
        return p->err;
    }
    if (!pol->p.year2_recheck) {
        return problem_fail(p, APP_ERR_CONFLICT, "recheck_not_in_policy",
                            "本项目的政策不设第二年复核认定",
                            "the programme's policy has no "
                            "year-2 re-check");
    }
    if ((err = recheck_store_get(ctx->db, h->id, start, &text)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (!date_parse(start, ret_start)) {
        free(text);
        return ops_internal(p);
    }
    if (text != NULL) {
        *ret_filed = ops_json(text, p);
        free(text);
        return *ret_filed != NULL ? APP_OK : p->err;
    }
    return APP_OK;
}

/* {status, due_from, due_until, decides_from, recheck} on `today`
 * (recheck_rules_status). */
static json_t *recheck_view(const struct op_ctx *ctx,
                            const struct policy *pol,
                            const struct holder_ref *h,
                            int32_t start,
                            json_t *filed)
{
    int32_t from = recheck_rules_due_from(start, pol->recheck_due_month);
    int32_t until = recheck_rules_due_until(start, pol->recheck_due_month);
    int32_t decides = date_add_months(start, pol->recheck_decides_from_month - 1);
    const char *status =
        recheck_rules_status(json_string_value(json_object_get(filed, "result")),
                             strcmp(h->status, "revoked") == 0, ctx->today, from, until);
    char a[11], b[11], c[11];

    date_format(from, a);
    date_format(until, b);
    date_format(decides, c);
    return json_pack("{s:s, s:s, s:s, s:s, s:o}", "status", status, "due_from", a, "due_until", b,
                     "decides_from", c, "recheck", filed != NULL ? filed : json_null());
}

enum app_err recheck_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p)
{
    struct holder_ref h;
    struct programme_policy pol = {0};
    json_t *filed = NULL;
    int32_t start;

    *ret = NULL;
    if (holder_load(ctx, id, false, &h, p) == APP_OK &&
        recheck_load(ctx, &h, &pol, &start, &filed, p) == APP_OK &&
        (*ret = recheck_view(ctx, &pol.p, &h, start, filed)) == NULL) {
        ops_internal(p);
    }
    json_decref(pol.json);
    return p->err;
}

enum app_err recheck_file(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p)
{
    struct holder_ref h;
    struct programme_policy pol = {0};
    struct recheck_apprentice apprentices[RECHECK_APPRENTICES_MAX];
    struct recheck_checklist c;
    json_t *filed = NULL, *checklist = NULL, *statements = NULL;
    char now[RFC3339_TEXT_MAX], *texts[6] = {0}, *out = NULL;
    int32_t start;
    size_t n = 0;
    enum app_err err;

    *ret = NULL;
    if (!json_fields_check(body, RECHECK_FIELDS, N(RECHECK_FIELDS), "", p) ||
        items_ok(ctx, body, "awards", AWARD_FIELDS, N(AWARD_FIELDS), "awarded_on", p) != APP_OK ||
        items_ok(ctx, body, "agreements", AGREEMENT_FIELDS, N(AGREEMENT_FIELDS), "signed_on", p) !=
            APP_OK ||
        items_ok(ctx, body, "apprentices", APPRENTICE_FIELDS, N(APPRENTICE_FIELDS), "certified_on",
                 p) != APP_OK ||
        apprentices_of(body, apprentices, &n, p) != APP_OK ||
        holder_load(ctx, id, true, &h, p) != APP_OK ||
        recheck_load(ctx, &h, &pol, &start, &filed, p) != APP_OK ||
        title_not_revoked(&h, p) != APP_OK) {
        goto cleanup;
    }
    if (filed != NULL) {
        problem_fail(p, APP_ERR_CONFLICT, "recheck_filed", "该称号的复核申请已于 %s 提交",
                     "the title's re-check was filed at %s",
                     json_string_value(json_object_get(filed, "filed_at")));
        goto cleanup;
    }
    if (ctx->today < recheck_rules_due_from(start, pol.p.recheck_due_month)) {
        char from[11];
        date_format(recheck_rules_due_from(start, pol.p.recheck_due_month), from);
        problem_fail(p, APP_ERR_CONFLICT, "recheck_not_due", "复核自 %s 起申请",
                     "the re-check is filed from %s", from);
        goto cleanup;
    }
    const struct recheck_input in = {
        .front_line = json_is_true(json_object_get(body, "front_line")),
        .no_accident = json_is_true(json_object_get(body, "no_accident")),
        .no_violation = json_is_true(json_object_get(body, "no_violation")),
        .keeps_lead = json_is_true(json_object_get(body, "keeps_lead")),
        .apprentices = apprentices,
        .n_apprentices = n,
        .period_start = start,
        /* the years begun by the end of the due month, however late the filing */
        .as_of = recheck_rules_due_until(start, pol.p.recheck_due_month),
    };
    recheck_rules_checklist(&pol.p, &in, &c);
    checklist = checklist_json(&pol.p, &c);
    statements = json_pack(
        "{s:O, s:O, s:O, s:O}", "front_line", json_object_get(body, "front_line"), "no_accident",
        json_object_get(body, "no_accident"), "no_violation", json_object_get(body, "no_violation"),
        "keeps_lead", json_object_get(body, "keeps_lead"));
    texts[0] = list_text(body, "awards");
    texts[1] = list_text(body, "agreements");
    texts[2] = list_text(body, "apprentices");
    texts[3] = statements != NULL ? json_dumps(statements, JSON_COMPACT) : NULL;
    texts[4] = checklist != NULL ? json_dumps(checklist, JSON_COMPACT) : NULL;
    for (int i = 0; i < 5; i++) {
        if (texts[i] == NULL) {
            ops_internal(p);
            goto cleanup;
        }
    }
    rfc3339_format(ctx->now_ms, true, now);
    const struct recheck_write w = {
        .recognition_id = h.id,
        .achievements = json_string_value(json_object_get(body, "achievements")),
        .awards = texts[0],
        .agreements = texts[1],
        .apprentices = texts[2],
        .statements = texts[3],
        .checklist = texts[4],
        .suggested = c.suggest_pass ? "passed" : "failed",
    };
    if ((err = recheck_store_insert(ctx->db, &w, ctx->actor, now, &out)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((*ret = ops_json(out, p)) != NULL) {
        audited(ctx, "recheck.file", "recheck", *ret, NULL, p);
    }

cleanup:
    for (int i = 0; i < 6; i++) {
        free(texts[i]);
    }
    free(out);
    json_decref(filed);
    json_decref(checklist);
    json_decref(statements);
    json_decref(pol.json);
    return p->err;
}

enum app_err recheck_decide(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p)
{
    struct holder_ref h;
    struct programme_policy pol = {0};
    json_t *filed = NULL;
    const char *result, *reason, *suggested;
    char now[RFC3339_TEXT_MAX], today[11], *out = NULL;
    int32_t start;
    enum app_err err;

    *ret = NULL;
    if (!json_fields_check(body, DECIDE_FIELDS, N(DECIDE_FIELDS), "", p) ||
        holder_load(ctx, id, true, &h, p) != APP_OK ||
        recheck_load(ctx, &h, &pol, &start, &filed, p) != APP_OK) {
        goto cleanup;
    }
    result = json_string_value(json_object_get(body, "result"));
    reason = json_string_value(json_object_get(body, "reason"));
    if (strcmp(result, "passed") != 0 && strcmp(result, "failed") != 0) {
        problem_field(p, APP_ERR_VALIDATION, "/result", "unknown_value",
                      "result 须为 passed（复核通过）或 failed（未通过）",
                      "result must be passed or failed");
        goto cleanup;
    }
    if (filed == NULL) {
        problem_fail(p, APP_ERR_CONFLICT, "recheck_not_filed", "单位尚未提交复核申请",
                     "the unit has not filed the re-check application");
        goto cleanup;
    }
    if (json_string_value(json_object_get(filed, "result")) != NULL) {
        problem_fail(p, APP_ERR_CONFLICT, "recheck_decided", "复核已有结论",
                     "the re-check has been decided");
        goto cleanup;
    }
    suggested = json_string_value(json_object_get(filed, "suggested"));
    if (reason == NULL && strcmp(result, suggested) != 0) {
        problem_field(p, APP_ERR_VALIDATION, "/reason", "reason_required",
                      "结论与核查清单的建议（%s）不同，须写明理由",
                      "the result departs from the checklist's suggestion (%s): give the reason",
                      suggested);
        goto cleanup;
    }
    date_format(ctx->today, today);
    rfc3339_format(ctx->now_ms, true, now);
    if ((err = recheck_store_decide(ctx->db, h.id, result, reason, today, ctx->actor, now, &out)) !=
        APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    /* 第十二条: the months the re-check decides, held until now, are released
     * or cancelled in this same transaction. */
    if (allowance_settle_recheck(ctx, h.id, strcmp(result, "passed") == 0, p) != APP_OK) {
        goto cleanup;
    }
    if ((*ret = ops_json(out, p)) != NULL) {
        audited(ctx, "recheck.decide", "recheck", *ret, NULL, p);
    }

cleanup:
    free(out);
    json_decref(filed);
    json_decref(pol.json);
    return p->err;
}
