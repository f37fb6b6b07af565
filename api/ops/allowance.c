/* SPDX-License-Identifier: MIT */
/* The allowance ledger's operations (allowance.h). */
#include "allowance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowance_rules.h"
#include "civil_time.h"
#include "json_fields.h"
#include "problem.h"
#include "scope.h"
#include "store/allowance_store.h"
#include "textbuf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The policy versions a run meets (a handful: one per version pinned by a
 * round with a monthly allowance). */
#define RUN_POLICIES_MAX 64

struct run_policy {
    char id[40];
    struct policy p;
};

static const char *const KINDS[] = {"accrual",  "hold",    "release", "cancellation",
                                    "reversal", "payment", "recovery"};

static struct allowance_actor actor_of(const struct op_ctx *ctx)
{
    const struct principal *who = ctx->actor;

    return (struct allowance_actor){
        .id = who->id,
        .name = who->username[0]  ? who->username
                : ctx->actor_name ? ctx->actor_name
                                  : "anonymous",
        .role = who->role,
    };
}

static enum app_err month_of(const struct op_ctx *ctx,
                             const char *text,
                             const char *pointer,
                             bool in_body,
                             int32_t *ret,
                             char ret_text[11],
                             struct problem *p)
{
    if (!allowance_month_parse(text, ret)) {
        return in_body ? problem_field(p, APP_ERR_VALIDATION, pointer, "not_month",
                                       "须为 YYYY-MM 格式的月份", "must be a month YYYY-MM")
                       : problem_fail(p, APP_ERR_BAD_PARAMETER, "not_month",
                                      "%s 须为 YYYY-MM 格式的月份", "%s must be a month YYYY-MM",
                                      pointer);
    }
    date_format(*ret, ret_text);
    return APP_OK;
}

/* The run's policy for version `id`, loaded once. NULL with p set. */
static const struct policy *run_policy(const struct op_ctx *ctx,
                                       struct run_policy *cache,
                                       size_t *n,
                                       const char *id,
                                       struct problem *p)
{
    char *text = NULL;
    json_t *json;
    enum app_err err;

    for (size_t i = 0; i < *n; i++) {
        if (strcmp(cache[i].id, id) == 0) {
            return &cache[i].p;
        }
    }
    if (*n == RUN_POLICIES_MAX) {
        ops_internal(p);
        return NULL;
    }
    if ((err = allowance_store_policy(ctx->db, id, &text)) != APP_OK) {
        ops_store_problem(err, p);
        return NULL;
    }
    json = ops_json(text, p);
    free(text);
    if (json == NULL) {
        return NULL;
    }
    err = policy_from_json(json, &cache[*n].p);
    json_decref(json);
    if (err != APP_OK) {
        ops_internal(p);
        return NULL;
    }
    snprintf(cache[*n].id, sizeof(cache[*n].id), "%s", id);
    return &cache[(*n)++].p;
}

enum app_err allowance_run_month(const struct op_ctx *ctx,
                                 const char *month,
                                 const char *pointer,
                                 const char *source,
                                 json_t **ret,
                                 struct problem *p)
{
    struct allowance_fact *rows = NULL;
    struct run_policy *cache = NULL;
    struct textbuf ids, kinds, amounts;
    struct allowance_actor who = actor_of(ctx);
    char day[11], now[RFC3339_TEXT_MAX], *scope = NULL, *texts[3] = {0}, *out = NULL;
    size_t n = 0, n_policies = 0, added = 0;
    int32_t m;
    enum app_err err;

    *ret = NULL;
    if (month_of(ctx, month, pointer, true, &m, day, p) != APP_OK) {
        return p->err;
    }
    if (!allowance_month_runnable(m, ctx->today)) {
        return problem_field(p, APP_ERR_VALIDATION, pointer, "month_in_future",
                             "%.7s 尚未开始，不能计提", "%.7s has not begun: it cannot be run",
                             day);
    }
    textbuf_init(&ids, 4096);
    textbuf_init(&kinds, 1024);
    textbuf_init(&amounts, 1024);
    if ((cache = calloc(RUN_POLICIES_MAX, sizeof(*cache))) == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    if (ops_scope_codes(ctx, &scope, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = allowance_store_lock(ctx->db)) != APP_OK ||
        (err = allowance_store_facts(ctx->db, day, scope, &rows, &n)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    textbuf_puts(&ids, "{");
    textbuf_puts(&kinds, "{");
    textbuf_puts(&amounts, "{");
    for (size_t i = 0; i < n; i++) {
        const struct policy *pol =
            run_policy(ctx, cache, &n_policies, rows[i].policy_version_id, p);
        if (pol == NULL) {
            goto cleanup;
        }
        const struct allowance_month_facts f = {
            .month = m,
            .period_start = rows[i].period_start,
            .revoked = rows[i].revoked,
            .suspended = rows[i].suspended,
            .recheck = rows[i].recheck == NULL                  ? ALLOWANCE_RECHECK_UNDECIDED
                       : strcmp(rows[i].recheck, "passed") == 0 ? ALLOWANCE_RECHECK_PASSED
                                                                : ALLOWANCE_RECHECK_FAILED,
        };
        const char *kind = allowance_month_entry_kind(allowance_rules_month(pol, &f));
        if (kind == NULL) {
            continue;
        }
        const char *sep = added++ > 0 ? "," : "";
        textbuf_printf(&ids, "%s%s", sep, rows[i].recognition_id);
        textbuf_printf(&kinds, "%s%s", sep, kind);
        textbuf_printf(&amounts, "%s%lld", sep, pol->allowance_monthly_fen);
    }
    textbuf_puts(&ids, "}");
    textbuf_puts(&kinds, "}");
    textbuf_puts(&amounts, "}");
    texts[0] = textbuf_take(&ids, NULL);
    texts[1] = textbuf_take(&kinds, NULL);
    texts[2] = textbuf_take(&amounts, NULL);
    if (texts[0] == NULL || texts[1] == NULL || texts[2] == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    const struct allowance_run_write w = {
        .month = day,
        .scope = scope,
        .ids = texts[0],
        .kinds = texts[1],
        .amounts = texts[2],
        .source = source,
    };
    if ((err = allowance_store_record(ctx->db, &w, &who, now, &out)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((*ret = ops_json(out, p)) != NULL) {
        char *after = json_dumps(*ret, JSON_COMPACT);
        if (after == NULL ||
            ops_audit(ctx, "allowance.run", "allowance_run",
                      json_string_value(json_object_get(*ret, "id")), NULL, after) != APP_OK) {
            ops_internal(p);
        }
        free(after);
    }

cleanup:
    if (p->err != APP_OK) {
        json_decref(*ret);
        *ret = NULL;
    }
    for (size_t i = 0; i < N(texts); i++) {
        free(texts[i]);
    }
    textbuf_free(&ids);
    textbuf_free(&kinds);
    textbuf_free(&amounts);
    free(out);
    free(scope);
    free(rows);
    free(cache);
    return p->err;
}

static const struct json_field RUN_FIELDS[] = {
    {"month", JF_STRING, true, 7, 7},
};

enum app_err allowance_run_create(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p)
{
    (void)id;
    *ret = NULL;
    if (!json_fields_check(body, RUN_FIELDS, N(RUN_FIELDS), "", p)) {
        return p->err;
    }
    return allowance_run_month(ctx, json_string_value(json_object_get(body, "month")), "/month",
                               "api", ret, p);
}

enum app_err allowance_settle_recheck(const struct op_ctx *ctx,
                                      const char *recognition_id,
                                      bool passed,
                                      struct problem *p)
{
    struct allowance_actor who = actor_of(ctx);
    char now[RFC3339_TEXT_MAX];
    int settled = 0;
    enum app_err err;

    rfc3339_format(ctx->now_ms, true, now);
    if ((err = allowance_store_lock(ctx->db)) != APP_OK ||
        (err = allowance_store_settle(ctx->db, recognition_id, allowance_hold_settlement(passed),
                                      passed ? "recheck_passed" : "recheck_failed", &who, now,
                                      &settled)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    return APP_OK;
}

enum app_err allowance_stop(const struct op_ctx *ctx,
                            const char *recognition_id,
                            int32_t effective_on,
                            const char *why,
                            bool every_month,
                            struct problem *p)
{
    struct allowance_actor who = actor_of(ctx);
    char now[RFC3339_TEXT_MAX], from[11], *out = NULL;
    enum app_err err;

    date_format(allowance_rules_stop_from(effective_on, every_month), from);
    rfc3339_format(ctx->now_ms, true, now);
    if ((err = allowance_store_lock(ctx->db)) != APP_OK ||
        (err = allowance_store_stop(ctx->db, recognition_id, from, why, &who, now, &out)) !=
            APP_OK) {
        return ops_store_problem(err, p);
    }
    free(out);
    return APP_OK;
}

/* Our cursors are an entry's or a run's seq. */
static enum app_err cursor_ok(const char *cursor, struct problem *p)
{
    size_t n = cursor != NULL ? strlen(cursor) : 0;

    if (cursor != NULL && (n == 0 || n > 18 || strspn(cursor, "0123456789") != n)) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "invalid_cursor",
                            "cursor 不是本服务签发的分页游标",
                            "cursor is not one this server issued");
    }
    return APP_OK;
}

enum app_err allowance_runs_list(const struct op_ctx *ctx,
                                 const char *month,
                                 const char *cursor,
                                 int limit,
                                 char **ret_array,
                                 char **ret_next,
                                 struct problem *p)
{
    char day[11], *scope = NULL;
    int32_t m;
    enum app_err err;

    *ret_array = *ret_next = NULL;
    if ((month != NULL && month_of(ctx, month, "month", false, &m, day, p) != APP_OK) ||
        cursor_ok(cursor, p) != APP_OK || ops_scope_codes(ctx, &scope, p) != APP_OK) {
        return p->err;
    }
    err = allowance_store_runs(ctx->db, month != NULL ? day : NULL, scope, cursor, limit, ret_array,
                               ret_next);
    free(scope);
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

enum app_err allowance_ledger_list(const struct op_ctx *ctx,
                                   const struct allowance_ledger_query *q,
                                   const char *cursor,
                                   int limit,
                                   char **ret_array,
                                   char **ret_next,
                                   struct problem *p)
{
    char day[11], *scope = NULL;
    int32_t m;
    bool known = q->kind == NULL;
    enum app_err err;

    *ret_array = *ret_next = NULL;
    for (size_t i = 0; i < N(KINDS) && !known; i++) {
        known = strcmp(q->kind, KINDS[i]) == 0;
    }
    if (!known) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "unknown_value",
                            "kind 须为 accrual、hold、release、cancellation、reversal、payment 或 "
                            "recovery",
                            "kind must be accrual, hold, release, cancellation, reversal, payment "
                            "or recovery");
    }
    if ((q->recognition_id != NULL && ops_check_uuid(q->recognition_id, p) != APP_OK) ||
        (q->month != NULL && month_of(ctx, q->month, "month", false, &m, day, p) != APP_OK) ||
        cursor_ok(cursor, p) != APP_OK || ops_scope_codes(ctx, &scope, p) != APP_OK) {
        return p->err;
    }
    const struct allowance_entry_filter f = {
        .recognition_id = q->recognition_id,
        .month = q->month != NULL ? day : NULL,
        .kind = q->kind,
        .scope = scope,
    };
    err = allowance_store_entries(ctx->db, &f, cursor, limit, ret_array, ret_next);
    free(scope);
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

enum app_err allowance_balances_list(const struct op_ctx *ctx,
                                     const char *cursor,
                                     int limit,
                                     char **ret_array,
                                     char **ret_next,
                                     struct problem *p)
{
    char *scope = NULL;
    enum app_err err;

    *ret_array = *ret_next = NULL;
    if (ops_scope_codes(ctx, &scope, p) != APP_OK) {
        return p->err;
    }
    err = allowance_store_balances(ctx->db, scope, cursor, limit, ret_array, ret_next);
    free(scope);
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

/* A store's JSON text (and its error) as the op's answer. */
static enum app_err json_answer(enum app_err err, char *text, json_t **ret, struct problem *p)
{
    if (err == APP_OK) {
        *ret = ops_json(text, p);
    } else {
        ops_store_problem(err, p);
    }
    free(text);
    return p->err;
}

enum app_err
allowance_statement_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p)
{
    char *scope = NULL, *text = NULL;
    enum app_err err;

    *ret = NULL;
    if (ops_check_uuid(id, p) != APP_OK || ops_scope_codes(ctx, &scope, p) != APP_OK) {
        return p->err;
    }
    err = allowance_store_statement(ctx->db, id, scope, &text);
    free(scope);
    if (err == APP_ERR_NOT_FOUND) {
        return problem_fail(p, err, "not_found", "称号 %s 不存在", "no title %s", id);
    }
    return json_answer(err, text, ret, p);
}

enum app_err allowance_summary_get(
    const struct op_ctx *ctx, const char *from, const char *to, json_t **ret, struct problem *p)
{
    char a[11], b[11], *scope = NULL, *text = NULL;
    int32_t m0, m1;
    enum app_err err;

    *ret = NULL;
    if (from == NULL || to == NULL) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "month_range_required",
                            "须在查询参数 from 和 to 中给出月份 YYYY-MM",
                            "give the months YYYY-MM in the query parameters from and to");
    }
    if (month_of(ctx, from, "from", false, &m0, a, p) != APP_OK ||
        month_of(ctx, to, "to", false, &m1, b, p) != APP_OK) {
        return p->err;
    }
    if (m1 < m0 || allowance_month_index(m0, m1) > 120) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "bad_month_range",
                            "from 不得晚于 to，且相隔不超过 120 个月",
                            "from must not be after to, and at most 120 months before it");
    }
    if (ops_scope_codes(ctx, &scope, p) != APP_OK) {
        return p->err;
    }
    err = allowance_store_summary(ctx->db, a, b, scope, &text);
    free(scope);
    return json_answer(err, text, ret, p);
}

enum app_err allowance_reconciliation_get(const struct op_ctx *ctx,
                                          const char *unused,
                                          json_t **ret,
                                          struct problem *p)
{
    char *scope = NULL, *text = NULL;
    enum app_err err;

    (void)unused;
    *ret = NULL;
    if (ops_scope_codes(ctx, &scope, p) != APP_OK) {
        return p->err;
    }
    err = allowance_store_reconciliation(ctx->db, scope, &text);
    free(scope);
    return json_answer(err, text, ret, p);
}
