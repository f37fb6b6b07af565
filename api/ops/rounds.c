/* SPDX-License-Identifier: MIT */
/*
 * Rounds as operations (see rounds.h): each loads through the stores,
 * judges with model/round_rules.c, writes, and appends its audit event.
 * The refusals that name what was loaded (the policy document, the
 * round's phase) are written here; the body checks' texts live with their
 * rules in the model.
 */
#include "ops/rounds.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "json_fields.h"
#include "log.h"
#include "ops/scope.h"
#include "store/policy_version_store.h"
#include "store/programme_store.h"
#include "store/round_store.h"
#include "store/scope_store.h"

#define ROUND_TARGETS_TEXT_MAX 160

/*
 * Helpers of an operation that collects the body's faults return their
 * own verdict (APP_OK: go on) and put what they refuse in p, whose p->err
 * is the verdict so far.
 */

/* ---- problems ---- */

static enum app_err no_programme(const char *code, struct problem *p)
{
    return problem_fail(p, APP_ERR_NOT_FOUND, NULL, "项目 %s 不存在", "no programme %s", code);
}

/* Whether programme `code` exists for the actor (its row locked FOR UPDATE
 * when `lock`): office users and leaders act only on their programmes
 * (ops_programme_in_scope), and others' look like unknown ones. The
 * store's verdict; the problem is the caller's. */
static enum app_err programme_find(const struct op_ctx *ctx, const char *code, bool lock)
{
    char *text = NULL;
    enum app_err err;

    if (!ops_programme_in_scope(ctx->actor, code)) {
        return APP_ERR_NOT_FOUND;
    }
    err = programme_store_get(ctx->db, code, lock, &text);
    free(text);
    return err;
}

static enum app_err year_taken(const char *code, int year, struct problem *p)
{
    return problem_fail(p, APP_ERR_CONFLICT, "round_year_taken", "项目 %s 已有 %d 年度的批次",
                        "programme %s already has a round for %d", code, year);
}

/*
 * 409 policy-expired: no new round opens under `v` (a version head with
 * its policy), which ended on its in_force_to; the problem names the
 * document, the date and the article, and says what an admin does. Only
 * for a body without faults: those are reported first.
 */
static enum app_err refuse_expired(const char *code, const json_t *v, struct problem *p)
{
    const char *doc = json_string_value(json_object_get(v, "document_no"));
    const char *to = json_string_value(json_object_get(v, "in_force_to"));
    const char *art = json_string_value(
        json_object_get(json_object_get(json_object_get(v, "policy"), "articles"), "in_force_to"));

    if (p->err != APP_OK) {
        return p->err;
    }
    /* The Chinese text skips (%.0s) the code it names in the path anyway:
     * a detail holds PROBLEM_DETAIL_MAX bytes. */
    problem_fail(
        p, APP_ERR_POLICY_EXPIRED, "policy_expired",
        "政策文件 %.0s%s 已于 %s 期满（%s），不再开启新批次；请管理员添加接续文件为新政策版本"
        "（POST /v1/programmes/%s/policy-versions）",
        "programme %s's policy %s expired on %s (%s); no new round opens under it. An "
        "admin adds the successor document as a new policy version (POST "
        "/v1/programmes/%s/policy-versions)",
        code, doc ? doc : "?", to ? to : "?", art ? art : "in_force_to", code);
    p->extra = json_pack("{s:s?, s:s?, s:s?, s:o}", "document_no", doc, "in_force_to", to,
                         "article", art, "policy_version", json_copy(json_object_get(v, "number")));
    return p->err;
}

/* ---- opening a round ---- */

/* The version `pick` (policy_version_store_pick) says is in force on
 * window_opens, as the head refuse_expired() names. */
static json_t *on_head(const json_t *on)
{
    const json_t *policy = json_object_get(on, "policy");

    return json_pack("{s:O, s:O, s:O, s:O}", "number", json_object_get(on, "number"), "document_no",
                     json_object_get(policy, "document_no"), "in_force_to",
                     json_object_get(policy, "in_force_to"), "policy", policy);
}

/* A version head's last day in force, ROUND_NO_DAY when it has none. */
static int32_t last_day(const json_t *head)
{
    int32_t day;

    return date_parse(json_string_value(json_object_get(head, "in_force_to")), &day) ? day
                                                                                     : ROUND_NO_DAY;
}

/* Judges a pick (round_pin_check) and fills the version to pin. */
static enum app_err judge_pick(const struct op_ctx *ctx,
                               const char *code,
                               const struct round_window *w,
                               const json_t *pick,
                               char ret_id[40],
                               json_t **ret_policy,
                               struct problem *p)
{
    const json_t *on = json_object_get(pick, "on"), *latest = json_object_get(pick, "latest");
    const json_t *policy = json_object_get(on, "policy");
    int32_t on_to = json_is_object(on) ? last_day(policy) : ROUND_NO_DAY;
    char opens[11];
    json_t *head;

    if (json_is_object(on) && on_to == ROUND_NO_DAY) {
        log_error("programme %s: a stored policy version has no in_force_to", code);
        return ops_internal(p);
    }
    date_format(w->opens, opens);
    switch (round_pin_check(on_to, last_day(latest), ctx->today,
                            w->closes_ok ? w->closes : ROUND_NO_DAY)) {
    case ROUND_PIN_EXPIRED:
        if (!json_is_object(on)) {
            return refuse_expired(code, latest, p);
        }
        if ((head = on_head(on)) == NULL) {
            return ops_internal(p);
        }
        refuse_expired(code, head, p);
        json_decref(head);
        return p->err;
    case ROUND_PIN_NONE: {
        const char *doc = json_string_value(json_object_get(latest, "document_no"));
        const char *from = json_string_value(json_object_get(latest, "in_force_from"));
        const char *to = json_string_value(json_object_get(latest, "in_force_to"));
        return problem_field(
            p, APP_ERR_VALIDATION, "/window_opens", "no_policy_in_force",
            "项目 %s 在 %s 没有施行中的政策版本（最新版本 %s 的施行期为 %s 至 %s）",
            "no policy version of programme %s is in force on %s (the latest, %s, is in force "
            "from %s to %s)",
            code, opens, doc ? doc : "?", from ? from : "?", to ? to : "?");
    }
    case ROUND_PIN_PAST_END:
        /* Still that version's rules for the checks that follow. */
        problem_field(p, APP_ERR_VALIDATION, "/window_closes", "window_past_policy_end",
                      "晚于 %s 施行的政策版本（%s）的施行截止日 %s",
                      "after the end of the policy version in force on %s (%s, in force to %s)",
                      opens, json_string_value(json_object_get(policy, "document_no")),
                      json_string_value(json_object_get(policy, "in_force_to")));
        break;
    case ROUND_PIN_OK:
        break;
    }
    snprintf(ret_id, 40, "%s", json_string_value(json_object_get(on, "id")));
    *ret_policy = json_incref((json_t *)policy);
    return APP_OK;
}

/* The version a new round of `code` pins (SPEC §11). */
static enum app_err pin_version(const struct op_ctx *ctx,
                                const char *code,
                                const struct round_window *w,
                                char ret_id[40],
                                json_t **ret_policy,
                                struct problem *p)
{
    char *text = NULL, opens[11];
    json_t *pick = NULL;
    enum app_err err;

    date_format(w->opens, opens);
    if ((err = policy_version_store_pick(ctx->db, code, opens, &text)) != APP_OK) {
        ops_store_problem(err, p);
    } else if ((pick = ops_json(text, p)) == NULL) {
        err = APP_ERR_INTERNAL;
    } else {
        err = judge_pick(ctx, code, w, pick, ret_id, ret_policy, p);
    }
    json_decref(pick);
    free(text);
    return err;
}

/* The years of `code`'s rounds, ascending, into a new array (free()). */
static enum app_err
load_years(const struct op_ctx *ctx, const char *code, int **ret, size_t *ret_n, struct problem *p)
{
    char *text = NULL;
    json_t *arr = NULL, *v;
    enum app_err err = round_store_years(ctx->db, code, &text);
    size_t i;

    if (err != APP_OK) {
        ops_store_problem(err, p);
    } else if ((arr = ops_json(text, p)) == NULL ||
               (*ret = calloc(json_array_size(arr) + 1, sizeof(**ret))) == NULL) {
        err = ops_internal(p);
    } else {
        json_array_foreach(arr, i, v)
        {
            json_int_value(v, INT_MIN, INT_MAX, &(*ret)[i]);
        }
        *ret_n = json_array_size(arr);
    }
    json_decref(arr);
    free(text);
    return err;
}

/* One round a year (409, for a body without faults), then the cycle rule
 * of the pinned policy (422). */
static enum app_err check_year(const struct op_ctx *ctx,
                               const struct round_new *in,
                               const json_t *policy,
                               const struct policy *pol,
                               struct problem *p)
{
    int *years = NULL;
    size_t n = 0;
    enum app_err err = load_years(ctx, in->programme, &years, &n, p);

    if (err != APP_OK) {
        return err;
    }
    if (round_year_taken(years, n, in->draft.year)) {
        err = p->err != APP_OK ? p->err : year_taken(in->programme, in->draft.year, p);
    } else if (!problem_has_error(p, "/cycle_override_reason")) {
        const char *article =
            json_string_value(json_object_get(json_object_get(policy, "articles"), "cycle_years"));
        round_check_cycle(years, n, in->draft.year, pol->cycle_years, article,
                          in->cycle_override_reason != NULL, p);
    }
    free(years);
    return err;
}

/* Writes the checked round, its audit event, and the representation. */
static enum app_err insert(const struct op_ctx *ctx,
                           const struct round_new *in,
                           const char *version_id,
                           json_t **ret,
                           struct problem *p)
{
    const struct round_draft *d = &in->draft;
    char *text = NULL;
    json_t *row = NULL;
    enum app_err err =
        round_store_insert(ctx->db, in->programme, d->year, d->reference_date, d->window_opens,
                           d->window_closes, in->cycle_override_reason, version_id, &text);
    const char *id;

    if (err == APP_ERR_CONFLICT) {
        year_taken(in->programme, d->year, p);
    } else if (err != APP_OK) {
        ops_store_problem(err, p);
    } else if ((row = ops_json(text, p)) != NULL) {
        if ((id = json_string_value(json_object_get(row, "id"))) == NULL) {
            ops_internal(p);
        } else if ((err = ops_audit(ctx, "round.create", "round", id, NULL, text)) != APP_OK) {
            ops_store_problem(err, p);
        } else {
            round_view(ctx, id, text, ret, p);
        }
    }
    json_decref(row);
    free(text);
    return p->err;
}

enum app_err
round_create(const struct op_ctx *ctx, const struct round_new *in, json_t **ret, struct problem *p)
{
    struct round_window w;
    struct policy pol;
    char version_id[40];
    json_t *policy = NULL;

    round_check_draft(&in->draft, &w, p);
    /* The programme row lock serialises its round creations, so the cycle
     * rule below holds against concurrent requests too. */
    enum app_err err = programme_find(ctx, in->programme, true);
    if (err == APP_ERR_NOT_FOUND) {
        return p->err != APP_OK ? p->err : no_programme(in->programme, p);
    }
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (!w.opens_ok || pin_version(ctx, in->programme, &w, version_id, &policy, p) != APP_OK) {
        return p->err;
    }
    if (policy_from_json(policy, &pol) != APP_OK) {
        log_error("programme %s: a stored policy version does not validate", in->programme);
        ops_internal(p);
    } else if ((!w.year_ok || check_year(ctx, in, policy, &pol, p) == APP_OK) && p->err == APP_OK) {
        insert(ctx, in, version_id, ret, p);
    }
    json_decref(policy);
    return p->err;
}

enum app_err round_list(const struct op_ctx *ctx,
                        const char *code,
                        const char *cursor,
                        int limit,
                        json_t **ret_items,
                        char **ret_next,
                        struct problem *p)
{
    char *array = NULL, *next = NULL;
    enum app_err err;

    /* Our cursors are a round's year. */
    if (cursor != NULL && (strlen(cursor) != 4 || strspn(cursor, "0123456789") != 4)) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "invalid_cursor",
                            "cursor 不是本服务签发的分页游标",
                            "cursor is not one this server issued");
    }
    if ((err = programme_find(ctx, code, false)) == APP_ERR_NOT_FOUND) {
        return no_programme(code, p);
    }
    if (err != APP_OK ||
        (err = round_store_list(ctx->db, code, cursor, limit, &array, &next)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    if ((*ret_items = ops_json(array, p)) != NULL) {
        *ret_next = next;
        next = NULL;
    }
    free(array);
    free(next);
    return p->err;
}

/* ---- phase moves ---- */

/* The phases the table lets `role` move a round in `from` to, as a list in
 * each language ("无" / "none" when there is none). */
static void target_texts(enum round_phase from, enum role role, char *zh, char *en, size_t len)
{
    enum round_phase to[PHASE__COUNT];
    size_t n = round_targets(from, role, 0, to, PHASE__COUNT);

    snprintf(zh, len, "%s", n == 0 ? "无" : "");
    snprintf(en, len, "%s", n == 0 ? "none" : "");
    for (size_t i = 0; i < n; i++) {
        const char *v = enums_value(ENUMS_ROUND_PHASES, (int)to[i]);
        size_t uz = strlen(zh), ue = strlen(en);
        snprintf(zh + uz, len - uz, "%s%s（%s）", i ? "、" : "",
                 enums_label(ENUMS_ROUND_PHASES, (int)to[i]), v);
        snprintf(en + ue, len - ue, "%s%s", i ? ", " : "", v);
    }
    problem_utf8_trim(zh);
}

/* A refused move is a 409 carrying the round's phase as an extension
 * member, so a client can act on it without parsing the detail. */
static enum app_err refuse_move(const struct round_ref *r, enum role role, struct problem *p)
{
    char zh[ROUND_TARGETS_TEXT_MAX], en[ROUND_TARGETS_TEXT_MAX];
    const char *phase = enums_value(ENUMS_ROUND_PHASES, (int)r->phase);

    target_texts(r->phase, role, zh, en, sizeof(zh));
    /* Both formats take the same arguments: each skips (%.0s) what the
     * other language prints. */
    problem_fail(p, APP_ERR_CONFLICT, "round_move_not_allowed",
                 "批次当前处于“%s”（%s）阶段，可转入：%s%.0s",
                 "the round is in phase %.0s%s; it can move to: %.0s%s",
                 enums_label(ENUMS_ROUND_PHASES, (int)r->phase), phase, zh, en);
    p->extra = json_pack("{s:s}", "current_phase", phase);
    return p->err;
}

static enum app_err
refuse_open(const struct round_ref *r, long open, enum round_phase to, struct problem *p)
{
    problem_fail(p, APP_ERR_CONFLICT, "nominations_awaiting_answer",
                 "尚有 %ld 份推荐处于已报送或退回状态，须先作出答复，方可转入 %s 阶段",
                 "%ld nomination(s) are submitted or returned and need the office's answer "
                 "before %s",
                 open, enums_value(ENUMS_ROUND_PHASES, (int)to));
    p->extra = json_pack("{s:s}", "current_phase", enums_value(ENUMS_ROUND_PHASES, (int)r->phase));
    return p->err;
}

enum app_err round_transition(const struct op_ctx *ctx,
                              const struct round_ref *r,
                              enum round_phase to,
                              json_t **ret,
                              struct problem *p)
{
    enum role role = ctx->actor->role;
    const char *to_text = enums_value(ENUMS_ROUND_PHASES, (int)to);
    char *before = NULL, *after = NULL;
    long open = 0;
    enum app_err err;

    if (round_needs_open_count(r->phase, role) &&
        round_open_nominations(ctx, r->id, &open, p) != APP_OK) {
        return p->err;
    }
    switch (round_move_check(r->phase, to, role, open)) {
    case ROUND_MOVE_NOT_ALLOWED:
        return refuse_move(r, role, p);
    case ROUND_MOVE_OPEN:
        return refuse_open(r, open, to, p);
    case ROUND_MOVE_BAD_GUARD:
        log_error("round move %s -> %s: a guard round_rules.c does not know",
                  enums_value(ENUMS_ROUND_PHASES, (int)r->phase), to_text);
        return ops_internal(p);
    case ROUND_MOVE_OK:
        break;
    }
    if ((err = round_store_get(ctx->db, r->id, &before)) != APP_OK ||
        (err = round_store_set_phase(ctx->db, r->id, r->version, to_text, &after)) != APP_OK ||
        (err = ops_audit(ctx, "round.transition", "round", r->id, before, after)) != APP_OK) {
        ops_store_problem(err, p);
    } else {
        round_view(ctx, r->id, after, ret, p);
    }
    free(before);
    free(after);
    return p->err;
}
