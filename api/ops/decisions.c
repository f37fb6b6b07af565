/* SPDX-License-Identifier: MIT */
/*
 * The steps after the shortlist (ops/decisions.h). Each write: the round
 * in scope and locked, its pinned policy, what it has done of its steps
 * (decision_store_facts) and decision_rules_gate(); then the body, the
 * store's write and one audit event.
 */
#include "decisions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "civil_time.h"
#include "date_rules.h"
#include "decision_rules.h"
#include "enums.h"
#include "json_fields.h"
#include "nominations.h"
#include "scope.h"
#include "store/decision_store.h"
#include "store/round_store.h"
#include "uuid.h"

/* A round about to take a step: its reference, policy and facts. */
struct step_ctx {
    struct round_ref round;
    struct programme_policy pol;
    struct step_facts facts;
    json_t *facts_json;
};

static void step_ctx_free(struct step_ctx *s)
{
    json_decref(s->pol.json);
    json_decref(s->facts_json);
}

static bool jbool(const json_t *o, const char *k)
{
    return json_is_true(json_object_get(o, k));
}

/* Loads what the round has done; s->round must be set. */
static enum app_err load_facts(const struct op_ctx *ctx, struct step_ctx *s, struct problem *p)
{
    char *text = NULL;
    enum app_err err = decision_store_facts(ctx->db, s->round.id, &text);
    const json_t *f;
    int32_t ends = 0;

    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    s->facts_json = ops_json(text, p);
    free(text);
    if ((f = s->facts_json) == NULL) {
        return p->err;
    }
    s->facts.decided = jbool(f, "decided");
    s->facts.inspected = json_integer_value(json_object_get(f, "inspections")) > 0 &&
                         json_integer_value(json_object_get(f, "uninspected")) == 0;
    s->facts.published = jbool(f, "published");
    if (json_is_string(json_object_get(f, "notice_ends_on"))) {
        date_parse(json_string_value(json_object_get(f, "notice_ends_on")), &ends);
    }
    s->facts.notice_ends_on = ends;
    s->facts.open_objections = (long)json_integer_value(json_object_get(f, "open_objections"));
    s->facts.ratified = jbool(f, "ratified");
    s->facts.approved = jbool(f, "approved");
    s->facts.recognized = jbool(f, "recognized");
    return APP_OK;
}

/* The round `round_id` in scope (locked for a write), its policy and
 * facts; 409 round_concluded once it has concluded. */
static enum app_err
step_load(const struct op_ctx *ctx, const char *round_id, struct step_ctx *s, struct problem *p)
{
    if (ops_round_scope(ctx, round_id, true, &s->round, p) != APP_OK ||
        nomination_load_policy(ctx->db, &s->round, &s->pol, p) != APP_OK ||
        load_facts(ctx, s, p) != APP_OK) {
        return p->err;
    }
    if (s->round.phase == PHASE_CONCLUDED) {
        return problem_fail(p, APP_ERR_CONFLICT, "round_concluded", "本轮次已结束，不能再修改",
                            "the round has concluded; it is read-only");
    }
    return APP_OK;
}

/* The gate for `want` on a loaded round, naming the step it needs first. */
static enum app_err step_gate(const struct op_ctx *ctx,
                              const struct step_ctx *s,
                              enum decision_step want,
                              struct problem *p)
{
    enum decision_step missing;

    if (decision_rules_gate(&s->pol.p, &s->facts, ctx->today, want, &missing, p) != APP_OK) {
        if (missing != STEP__COUNT) {
            p->extra = json_pack("{s:s}", "next_step", decision_step_value(missing));
        }
        return p->err;
    }
    return APP_OK;
}

/* step_load, then step_gate for `want`. */
static enum app_err step_begin(const struct op_ctx *ctx,
                               const char *round_id,
                               enum decision_step want,
                               struct step_ctx *s,
                               struct problem *p)
{
    if (step_load(ctx, round_id, s, p) != APP_OK) {
        return p->err;
    }
    return step_gate(ctx, s, want, p);
}

/* The shortlist must be frozen and the step's phase reached. */
static enum app_err
need_phase(const struct round_ref *r, unsigned phases, const char *what, struct problem *p)
{
    if (PHASE_BIT(r->phase) & phases) {
        return APP_OK;
    }
    problem_fail(p, APP_ERR_CONFLICT, "round_phase_wrong", "轮次处于“%s”阶段，不能%s%.0s%.0s",
                 "%.0s%.0sthe round is in phase %s: no %s now",
                 enums_label(ENUMS_ROUND_PHASES, (int)r->phase), what,
                 enums_value(ENUMS_ROUND_PHASES, (int)r->phase), what);
    p->extra = json_pack("{s:s}", "current_phase", enums_value(ENUMS_ROUND_PHASES, (int)r->phase));
    return p->err;
}

static enum app_err audit_json(const struct op_ctx *ctx,
                               const char *action,
                               const char *type,
                               const char *id,
                               const char *after,
                               struct problem *p)
{
    enum app_err err = ops_audit(ctx, action, type, id, NULL, after);
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

/* A date member: YYYY-MM-DD, not after today. */
static enum app_err past_date(const struct op_ctx *ctx,
                              const json_t *body,
                              const char *member,
                              int32_t *ret,
                              struct problem *p)
{
    char ptr[64];
    enum date_past past =
        date_rules_past(json_string_value(json_object_get(body, member)), ctx->today, ret);

    snprintf(ptr, sizeof(ptr), "/%s", member);
    if (past == DATE_PAST_NOT_DATE) {
        return problem_field(p, APP_ERR_VALIDATION, ptr, "not_date", "须为 YYYY-MM-DD 格式的日期",
                             "must be a date YYYY-MM-DD");
    }
    if (past == DATE_PAST_IN_FUTURE) {
        return problem_field(p, APP_ERR_VALIDATION, ptr, "date_in_future", "不能晚于今天",
                             "must not be after today");
    }
    return APP_OK;
}

/* ---- the meeting pack ---- */

enum app_err
decision_pack_get(const struct op_ctx *ctx, const char *round_id, json_t **ret, struct problem *p)
{
    struct step_ctx s = {0};
    enum decision_step steps[DECISION_STEPS_MAX];
    size_t n;
    char now[RFC3339_TEXT_MAX], *text = NULL;
    json_t *order = NULL;
    enum app_err err;

    *ret = NULL;
    if (ops_round_scope(ctx, round_id, false, &s.round, p) != APP_OK ||
        nomination_load_policy(ctx->db, &s.round, &s.pol, p) != APP_OK ||
        load_facts(ctx, &s, p) != APP_OK ||
        need_phase(&s.round,
                   PHASE_BIT(PHASE_VOTING) | PHASE_BIT(PHASE_DECIDING) | PHASE_BIT(PHASE_NOTICE) |
                       PHASE_BIT(PHASE_CONCLUDED),
                   "查看决定材料（入围名单尚未确定）", p) != APP_OK) {
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    if ((err = decision_store_pack(ctx->db, s.round.id, now, &text)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    n = decision_rules_steps(&s.pol.p, steps);
    order = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(order, json_string(decision_step_value(steps[i])));
    }
    *ret = json_pack("{s:s, s:s, s:o, s:O, s:i, s:b, s:o}", "round_id", s.round.id, "phase",
                     enums_value(ENUMS_ROUND_PHASES, (int)s.round.phase), "steps", order, "done",
                     s.facts_json, "awards_per_round", s.pol.p.awards_per_round, "awards_cap_hard",
                     s.pol.p.awards_cap_hard, "candidates", ops_json(text, p));
    order = NULL;
    if (*ret == NULL) {
        ops_internal(p);
    }

cleanup:
    json_decref(order);
    free(text);
    step_ctx_free(&s);
    return p->err;
}

/* ---- the decision and the 审定 ---- */

static const struct json_field DECISION_FIELDS[] = {
    {"meeting_date", JF_STRING, true, 10, 10},
    {"meeting_reference", JF_STRING, true, 1, 100},
    {"members_present", JF_ARRAY, true, 1, 50},
    {"selections", JF_ARRAY, true, 0, 1000},
    {"reason", JF_STRING | JF_NULL, false, 1, DECISION_REASON_MAX},
};

/* members_present: names of 1..50 code points, distinct. */
static enum app_err check_members(const json_t *members, struct problem *p)
{
    size_t i, j;
    json_t *v;

    json_array_foreach(members, i, v)
    {
        char ptr[40];
        size_t len = json_is_string(v) ? json_utf8_length(json_string_value(v)) : 0;

        snprintf(ptr, sizeof(ptr), "/members_present/%zu", i);
        if (len < 1 || len > 50) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "out_of_range", "须为 1 至 50 个字符的姓名",
                          "must be a name of 1 to 50 characters");
            continue;
        }
        for (j = 0; j < i; j++) {
            if (json_equal(v, json_array_get(members, j))) {
                problem_field(p, APP_ERR_VALIDATION, ptr, "duplicate", "与第 %zu 项重复",
                              "repeats item %zu", j);
                break;
            }
        }
    }
    return p->err;
}

/* selections: distinct ids of the round's nominations in `state`. */
static enum app_err
check_selections(const json_t *sel, const json_t *candidates, const char *state, struct problem *p)
{
    size_t i, j, k;
    json_t *v, *c;

    json_array_foreach(sel, i, v)
    {
        char ptr[40];
        bool found = false;

        snprintf(ptr, sizeof(ptr), "/selections/%zu", i);
        if (!json_is_string(v) || !uuid_valid(json_string_value(v))) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "not_uuid", "须为推荐编号（UUID）",
                          "must be a nomination id (UUID)");
            continue;
        }
        json_array_foreach(candidates, k, c)
        {
            found = found ||
                    strcmp(json_string_value(json_object_get(c, "id")), json_string_value(v)) == 0;
        }
        if (!found) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "not_candidate",
                          "推荐 %s 不是本轮次可选定的人选（须处于 %s 状态）",
                          "nomination %s is not a candidate of this round (state %s)",
                          json_string_value(v), state);
            continue;
        }
        for (j = 0; j < i; j++) {
            if (json_equal(v, json_array_get(sel, j))) {
                problem_field(p, APP_ERR_VALIDATION, ptr, "duplicate", "与第 %zu 项重复",
                              "repeats item %zu", j);
                break;
            }
        }
    }
    return p->err;
}

/* A decision while the round votes needs the vote's final result. */
static enum app_err need_final_vote(const struct op_ctx *ctx,
                                    const struct step_ctx *s,
                                    const json_t *pack,
                                    struct problem *p)
{
    size_t i;
    json_t *c;

    if (s->round.phase != PHASE_VOTING) {
        return APP_OK;
    }
    (void)ctx;
    json_array_foreach(pack, i, c)
    {
        const json_t *vote = json_object_get(c, "vote");
        if (!json_is_true(json_object_get(vote, "final"))) {
            return problem_fail(p, APP_ERR_CONFLICT, "vote_not_final",
                                "网络投票尚未结束或结果尚未核定，领导小组须待最终结果后研究决定",
                                "the public vote has no final, verified result yet; the "
                                "leadership group decides after it");
        }
    }
    return APP_OK;
}

enum app_err decision_create(const struct op_ctx *ctx,
                             const char *round_id,
                             const json_t *body,
                             json_t **ret,
                             struct problem *p)
{
    struct step_ctx s = {0};
    enum decision_step want;
    char now[RFC3339_TEXT_MAX], *cand_text = NULL, *pack_text = NULL, *after = NULL;
    char *members = NULL, *ids = NULL, *round_after = NULL;
    json_t *cand = NULL, *pack = NULL;
    const char *state, *article, *reason;
    int32_t day;
    enum app_err err;

    *ret = NULL;
    if (step_load(ctx, round_id, &s, p) != APP_OK) {
        goto cleanup;
    }
    want = s.pol.p.notice_before_decision ? STEP_RATIFICATION : STEP_DECISION;
    state = want == STEP_DECISION ? "shortlisted" : "final_notice";
    if (step_gate(ctx, &s, want, p) != APP_OK ||
        need_phase(&s.round,
                   want == STEP_DECISION ? PHASE_BIT(PHASE_VOTING) | PHASE_BIT(PHASE_DECIDING)
                                         : PHASE_BIT(PHASE_NOTICE),
                   "研究决定", p) != APP_OK) {
        goto cleanup;
    }
    if (!json_fields_check(body, DECISION_FIELDS,
                           sizeof(DECISION_FIELDS) / sizeof(DECISION_FIELDS[0]), "", p) ||
        past_date(ctx, body, "meeting_date", &day, p) != APP_OK ||
        check_members(json_object_get(body, "members_present"), p) != APP_OK) {
        goto cleanup;
    }
    if ((err = decision_store_in_state(ctx->db, s.round.id, state, &cand_text)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((cand = ops_json(cand_text, p)) == NULL ||
        check_selections(json_object_get(body, "selections"), cand, state, p) != APP_OK) {
        goto cleanup;
    }
    article = json_string_value(
        json_object_get(json_object_get(s.pol.json, "articles"), "awards_per_round"));
    reason = json_string_value(json_object_get(body, "reason"));
    if (decision_rules_selection(&s.pol.p, json_array_size(json_object_get(body, "selections")),
                                 reason, article != NULL ? article : "awards_per_round",
                                 "/selections", "/reason", p) != APP_OK) {
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    if (want == STEP_DECISION) {
        if ((err = decision_store_pack(ctx->db, s.round.id, now, &pack_text)) != APP_OK) {
            ops_store_problem(err, p);
            goto cleanup;
        }
        if ((pack = ops_json(pack_text, p)) == NULL ||
            need_final_vote(ctx, &s, pack, p) != APP_OK) {
            goto cleanup;
        }
    }
    members = json_dumps(json_object_get(body, "members_present"), JSON_COMPACT);
    ids = json_dumps(json_object_get(body, "selections"), JSON_COMPACT);
    if (members == NULL || ids == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    struct decision_write w = {
        .round_id = s.round.id,
        .step = decision_step_value(want),
        .meeting_date = json_string_value(json_object_get(body, "meeting_date")),
        .meeting_reference = json_string_value(json_object_get(body, "meeting_reference")),
        .members_json = members,
        .reason = reason,
        .ids_json = ids,
    };
    if ((err = decision_store_record(ctx->db, &w, ctx->actor, now, &after)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    /* The decision closes the vote's phase (岚山: voting → deciding). */
    if (s.round.phase == PHASE_VOTING &&
        (err = round_store_set_phase(ctx->db, s.round.id, s.round.version, "deciding",
                                     &round_after)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (audit_json(ctx, want == STEP_DECISION ? "decision.create" : "decision.ratify", "decision",
                   s.round.id, after, p) != APP_OK) {
        goto cleanup;
    }
    *ret = ops_json(after, p);

cleanup:
    json_decref(cand);
    json_decref(pack);
    free(cand_text);
    free(pack_text);
    free(after);
    free(members);
    free(ids);
    free(round_after);
    step_ctx_free(&s);
    return p->err;
}

enum app_err
decisions_list(const struct op_ctx *ctx, const char *round_id, json_t **ret, struct problem *p)
{
    struct round_ref round;
    static const char *const steps[] = {"decision", "ratification"};

    *ret = NULL;
    if (ops_round_scope(ctx, round_id, false, &round, p) != APP_OK) {
        return p->err;
    }
    *ret = json_array();
    for (size_t i = 0; i < 2 && p->err == APP_OK; i++) {
        char *text = NULL;
        enum app_err err = decision_store_get(ctx->db, round.id, steps[i], &text);

        if (err == APP_OK) {
            json_array_append_new(*ret, ops_json(text, p));
        } else if (err != APP_ERR_NOT_FOUND) {
            ops_store_problem(err, p);
        }
        free(text);
    }
    if (p->err != APP_OK) {
        json_decref(*ret);
        *ret = NULL;
    } else {
        *ret = json_pack("{s:s, s:o}", "round_id", round.id, "items", *ret);
    }
    return p->err;
}

/* ---- 考察 ---- */

static const struct json_field INSPECTION_FIELDS[] = {
    {"passed", JF_BOOL, true, 0, 0},
    {"findings", JF_STRING, true, 1, 2000},
    {"inspected_on", JF_STRING, true, 10, 10},
};

enum app_err inspection_put(const struct op_ctx *ctx,
                            const char *nomination_id,
                            const json_t *body,
                            json_t **ret,
                            struct problem *p)
{
    struct nomination_ref nom;
    struct step_ctx s = {0};
    char now[RFC3339_TEXT_MAX], *after = NULL;
    int32_t day;
    enum app_err err;

    *ret = NULL;
    if (ops_nomination_scope(ctx, nomination_id, true, &nom, &s.round, p) != APP_OK ||
        step_begin(ctx, s.round.id, STEP_INSPECTION, &s, p) != APP_OK ||
        need_phase(&s.round, PHASE_BIT(PHASE_DECIDING), "记录考察情况", p) != APP_OK) {
        goto cleanup;
    }
    if (nom.state != NOM_SHORTLISTED) {
        problem_fail(p, APP_ERR_CONFLICT, "not_shortlisted",
                     "只能考察入围名单上的人选（当前状态：%s）",
                     "only a shortlisted candidate is inspected (state %s)",
                     enums_value(ENUMS_NOMINATION_STATES, (int)nom.state));
        goto cleanup;
    }
    if (!json_fields_check(body, INSPECTION_FIELDS,
                           sizeof(INSPECTION_FIELDS) / sizeof(INSPECTION_FIELDS[0]), "", p) ||
        past_date(ctx, body, "inspected_on", &day, p) != APP_OK) {
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    if ((err = decision_store_inspect(ctx->db, s.round.id, nom.id,
                                      json_is_true(json_object_get(body, "passed")),
                                      json_string_value(json_object_get(body, "findings")),
                                      json_string_value(json_object_get(body, "inspected_on")),
                                      ctx->actor, now, &after)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (audit_json(ctx, "inspection.record", "nomination", nom.id, after, p) == APP_OK) {
        *ret = ops_json(after, p);
    }

cleanup:
    free(after);
    step_ctx_free(&s);
    return p->err;
}

/* ---- the final notice ---- */

static const struct json_field NOTICE_FIELDS[] = {
    {"title", JF_STRING | JF_NULL, false, 1, 200},
    {"body", JF_STRING | JF_NULL, false, 1, 2000},
    {"contact", JF_STRING, true, 1, 200},
    {"issuer", JF_STRING | JF_NULL, false, 1, 200},
};

/* The listed nominations, in order: the selected ones after a decision
 * (its order); after 考察 the shortlisted ones whose latest findings
 * passed (the shortlist's order). */
static enum app_err
notice_list_ids(const struct op_ctx *ctx, const struct step_ctx *s, json_t **ret, struct problem *p)
{
    char *text = NULL, now[RFC3339_TEXT_MAX];
    json_t *src = NULL, *v;
    size_t i;
    enum app_err err;

    *ret = json_array();
    if (!s->pol.p.notice_before_decision) {
        err = decision_store_get(ctx->db, s->round.id, "decision", &text);
        if (err == APP_OK && (src = ops_json(text, p)) != NULL) {
            json_array_foreach(json_object_get(src, "selections"), i, v)
            {
                json_array_append(*ret, json_object_get(v, "nomination_id"));
            }
        }
    } else {
        rfc3339_format(ctx->now_ms, true, now);
        err = decision_store_pack(ctx->db, s->round.id, now, &text);
        if (err == APP_OK && (src = ops_json(text, p)) != NULL) {
            json_array_foreach(src, i, v)
            {
                const json_t *nom = json_object_get(v, "nomination");
                if (json_is_true(json_object_get(json_object_get(v, "inspection"), "passed")) &&
                    strcmp(json_string_value(json_object_get(nom, "state")), "shortlisted") == 0) {
                    json_array_append(*ret, json_object_get(nom, "id"));
                }
            }
        }
    }
    if (err != APP_OK) {
        ops_store_problem(err, p);
    }
    json_decref(src);
    free(text);
    if (p->err == APP_OK && json_array_size(*ret) == 0) {
        problem_fail(p, APP_ERR_CONFLICT, "nothing_to_notice", "没有可公示的人选（考察均未通过）",
                     "no candidate to give notice of (none "
                     "passed the inspection)");
    }
    return p->err;
}

enum app_err notice_publish(const struct op_ctx *ctx,
                            const char *round_id,
                            const json_t *body,
                            json_t **ret,
                            struct problem *p)
{
    struct step_ctx s = {0};
    json_t *ids = NULL;
    char now[RFC3339_TEXT_MAX], today[11], ends[11], *ids_text = NULL, *after = NULL;
    char title[512], text[1024];
    int32_t end;
    const char *name;
    enum app_err err;

    *ret = NULL;
    if (step_begin(ctx, round_id, STEP_NOTICE, &s, p) != APP_OK ||
        need_phase(&s.round, PHASE_BIT(PHASE_DECIDING), "发布公示", p) != APP_OK ||
        !json_fields_check(body, NOTICE_FIELDS, sizeof(NOTICE_FIELDS) / sizeof(NOTICE_FIELDS[0]),
                           "", p) ||
        notice_list_ids(ctx, &s, &ids, p) != APP_OK) {
        goto cleanup;
    }
    /* N working days from the first working day after publication (or
     * from the publication day itself when the policy counts it). */
    if (calendar_workdays_end(ctx->db, ctx->today - (s.pol.p.notice_counts_publication_day ? 1 : 0),
                              s.pol.p.final_notice_workdays, &end, p) != APP_OK) {
        goto cleanup;
    }
    name = json_string_value(json_object_get(s.facts_json, "programme_name"));
    snprintf(title, sizeof(title), "关于%d年度“%s”%s人选的公示", s.round.year,
             name != NULL ? name : "", s.pol.p.notice_before_decision ? "拟认定" : "拟命名");
    snprintf(text, sizeof(text),
             "经推荐、资格审查、评审%s，现将%d年度“%s”%s人选予以公示，接受社会监督。",
             s.pol.p.notice_before_decision ? "和考察" : "和领导小组研究", s.round.year,
             name != NULL ? name : "", s.pol.p.notice_before_decision ? "拟认定" : "拟命名");
    date_format(ctx->today, today);
    date_format(end, ends);
    rfc3339_format(ctx->now_ms, true, now);
    if ((ids_text = json_dumps(ids, JSON_COMPACT)) == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    const json_t *t = json_object_get(body, "title"), *b = json_object_get(body, "body"),
                 *i = json_object_get(body, "issuer");
    struct notice_write w = {
        .round_id = s.round.id,
        .ids_json = ids_text,
        .from_state = s.pol.p.notice_before_decision ? "shortlisted" : "selected",
        .title = json_is_string(t) ? json_string_value(t) : title,
        .body = json_is_string(b) ? json_string_value(b) : text,
        .contact = json_string_value(json_object_get(body, "contact")),
        .issuer = json_is_string(i) ? json_string_value(i)
                                    : json_string_value(json_object_get(s.pol.json, "authority")),
        .published_on = today,
        .ends_on = ends,
        .workdays = s.pol.p.final_notice_workdays,
    };
    if ((err = decision_store_publish(ctx->db, &w, ctx->actor, now, &after)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (audit_json(ctx, "notice.publish", "round", s.round.id, after, p) == APP_OK) {
        *ret = ops_json(after, p);
    }

cleanup:
    json_decref(ids);
    free(ids_text);
    free(after);
    step_ctx_free(&s);
    return p->err;
}

enum app_err notice_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p)
{
    char today[11], *text = NULL;
    enum app_err err;

    *ret = NULL;
    if (!uuid_valid(id)) {
        return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "未找到", "not found");
    }
    date_format(ctx->today, today);
    if ((err = decision_store_notice(ctx->db, id, today, &text)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret = ops_json(text, p);
    free(text);
    return p->err;
}

enum app_err
notices_list(const struct op_ctx *ctx, const char *programme, json_t **ret, struct problem *p)
{
    char today[11], *text = NULL;
    enum app_err err;

    date_format(ctx->today, today);
    if ((err = decision_store_notices(ctx->db, programme, today, &text)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret = ops_json(text, p);
    free(text);
    return p->err;
}

/* ---- the district government's approval ---- */

static const struct json_field APPROVAL_FIELDS[] = {
    {"document_no", JF_STRING, true, 1, 100},
    {"approved_on", JF_STRING, true, 10, 10},
};

enum app_err approval_create(const struct op_ctx *ctx,
                             const char *round_id,
                             const json_t *body,
                             json_t **ret,
                             struct problem *p)
{
    struct step_ctx s = {0};
    char now[RFC3339_TEXT_MAX], *after = NULL;
    int32_t day;
    enum app_err err;

    *ret = NULL;
    if (step_begin(ctx, round_id, STEP_APPROVAL, &s, p) != APP_OK ||
        !json_fields_check(body, APPROVAL_FIELDS,
                           sizeof(APPROVAL_FIELDS) / sizeof(APPROVAL_FIELDS[0]), "", p) ||
        past_date(ctx, body, "approved_on", &day, p) != APP_OK) {
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    if ((err = decision_store_approve(ctx->db, s.round.id,
                                      json_string_value(json_object_get(body, "document_no")),
                                      json_string_value(json_object_get(body, "approved_on")),
                                      ctx->actor, now, &after)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (audit_json(ctx, "round.approval", "round", s.round.id, after, p) == APP_OK) {
        *ret = ops_json(after, p);
    }

cleanup:
    free(after);
    step_ctx_free(&s);
    return p->err;
}

/* ---- recognition ---- */

enum app_err recognitions_issue(const struct op_ctx *ctx,
                                const char *round_id,
                                const json_t *body,
                                json_t **ret,
                                struct problem *p)
{
    struct step_ctx s = {0};
    json_t *ids = NULL, *numbers = NULL;
    char now[RFC3339_TEXT_MAX], today[11], *ids_text = NULL, *num_text = NULL, *after = NULL;
    long long first = 0;
    int year, month, mday;
    const char *title;
    enum app_err err;

    *ret = NULL;
    if (step_begin(ctx, round_id, STEP_RECOGNITION, &s, p) != APP_OK ||
        need_phase(&s.round, PHASE_BIT(PHASE_NOTICE), "认定发证", p) != APP_OK) {
        goto cleanup;
    }
    (void)body; /* none: the notice's list is the list */
    if ((err = decision_store_candidates(ctx->db, s.round.id, &ids_text)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((ids = ops_json(ids_text, p)) == NULL) {
        goto cleanup;
    }
    if (json_array_size(ids) == 0) {
        problem_fail(p, APP_ERR_CONFLICT, "nothing_to_recognize", "公示名单上已没有可认定的人选",
                     "no one on the notice is left to recognise");
        goto cleanup;
    }
    /* Numbers continue the prefix's sequence for the year of issue. */
    date_split(ctx->today, &year, &month, &mday);
    if ((err = decision_store_take_seq(ctx->db, s.pol.p.certificate_prefix, year,
                                       (int)json_array_size(ids), &first)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    numbers = json_array();
    for (size_t i = 0; i < json_array_size(ids); i++) {
        char number[CERTIFICATE_NUMBER_MAX];
        if (!certificate_number_format(s.pol.p.certificate_prefix, year, first + (long long)i,
                                       number)) {
            ops_internal(p);
            goto cleanup;
        }
        json_array_append_new(numbers, json_string(number));
    }
    free(ids_text);
    ids_text = json_dumps(ids, JSON_COMPACT);
    num_text = json_dumps(numbers, JSON_COMPACT);
    title = json_string_value(json_object_get(s.facts_json, "programme_name"));
    date_format(ctx->today, today);
    rfc3339_format(ctx->now_ms, true, now);
    if (ids_text == NULL || num_text == NULL || title == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    struct recognition_write w = {
        .round_id = s.round.id,
        .ids_json = ids_text,
        .numbers_json = num_text,
        .first_seq = first,
        .year = year,
        .title = title,
        .recognized_on = today,
    };
    if ((err = decision_store_issue(ctx->db, &w, ctx->actor, now, &after)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (audit_json(ctx, "recognition.issue", "round", s.round.id, after, p) == APP_OK) {
        json_t *items = ops_json(after, p);
        if (items != NULL) {
            *ret = json_pack("{s:s, s:o}", "round_id", s.round.id, "items", items);
        }
    }

cleanup:
    json_decref(ids);
    json_decref(numbers);
    free(ids_text);
    free(num_text);
    free(after);
    step_ctx_free(&s);
    return p->err;
}

enum app_err
recognitions_list(const struct op_ctx *ctx, const char *round_id, json_t **ret, struct problem *p)
{
    struct round_ref round;
    char *text = NULL;
    enum app_err err;

    *ret = NULL;
    if (ops_round_scope(ctx, round_id, false, &round, p) != APP_OK) {
        return p->err;
    }
    if ((err = decision_store_recognitions(ctx->db, round.id, &text)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    json_t *items = ops_json(text, p);
    free(text);
    if (items != NULL) {
        *ret = json_pack("{s:s, s:o}", "round_id", round.id, "items", items);
    }
    return p->err;
}

enum app_err certificate_verify(
    const struct op_ctx *ctx, const char *number, const char *code, json_t **ret, struct problem *p)
{
    char *text = NULL;
    enum app_err err = APP_ERR_NOT_FOUND;

    *ret = NULL;
    if (number != NULL && code != NULL && strlen(number) < CERTIFICATE_NUMBER_MAX &&
        strlen(code) == 8) {
        err = decision_store_certificate(ctx->db, number, code, &text);
    }
    if (err == APP_ERR_NOT_FOUND) {
        return problem_fail(p, APP_ERR_NOT_FOUND, "certificate_not_found", "证书编号或查验码不正确",
                            "no certificate with that number and code");
    }
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret = ops_json(text, p);
    free(text);
    return p->err;
}
