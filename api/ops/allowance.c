/* SPDX-License-Identifier: MIT */
/* The allowance ledger's operations (allowance.h). */
#include "allowance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "allowance_rules.h"
#include "allowance_sheet.h"
#include "civil_time.h"
#include "crypto.h"
#include "date_rules.h"
#include "json_fields.h"
#include "mask.h"
#include "problem.h"
#include "scope.h"
#include "store/allowance_store.h"
#include "textbuf.h"
#include "unit_code.h"
#include "uuid.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The policy versions a run meets (a handful: one per version pinned by a
 * round with a monthly allowance). */
#define RUN_POLICIES_MAX 64

struct run_policy {
    char id[40];
    struct policy p;
};

static const char *const KINDS[] = {"accrual",  "hold",    "release", "cancellation",
                                    "reversal", "payment", "return",  "recovery"};

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

/* The audit event of a write: `obj` as the after-image. */
static enum app_err audit_obj(const struct op_ctx *ctx,
                              const char *action,
                              const char *type,
                              const json_t *obj,
                              const char *entity_id,
                              struct problem *p)
{
    char *after = json_dumps(obj, JSON_COMPACT);
    enum app_err err =
        after != NULL ? ops_audit(ctx, action, type, entity_id, NULL, after) : APP_ERR_INTERNAL;

    free(after);
    return err == APP_OK ? APP_OK : ops_internal(p);
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

/* The rule's facts of a title in `month` from what the store read: whether
 * a revocation (when `revoked`, effective `revoked_effective` for
 * `revoked_reason`) stops the month, and where the re-check stands. */
static struct allowance_month_facts month_facts(int32_t month,
                                                int32_t period_start,
                                                bool revoked,
                                                int32_t revoked_effective,
                                                const char *revoked_reason,
                                                bool suspended,
                                                const char *recheck)
{
    return (struct allowance_month_facts){
        .month = month,
        .period_start = period_start,
        .revoked = revoked && allowance_rules_revoked(month, revoked_effective, revoked_reason),
        .suspended = suspended,
        .recheck = allowance_rules_recheck(recheck, revoked),
    };
}

/* What the payable-month rule writes for the facts `row` of a title and
 * month: *ret_kind "accrual", "hold" or NULL, and *ret_fen the policy's
 * monthly amount. False with p set when the policy cannot be read. */
static bool fact_entry(const struct op_ctx *ctx,
                       struct run_policy *cache,
                       size_t *n_policies,
                       const struct allowance_fact *row,
                       const char **ret_kind,
                       long long *ret_fen,
                       struct problem *p)
{
    const struct policy *pol = run_policy(ctx, cache, n_policies, row->policy_version_id, p);

    if (pol == NULL) {
        return false;
    }
    const struct allowance_month_facts f =
        month_facts(row->month, row->period_start, row->revoked, row->revoked_effective,
                    row->revoked_reason, row->suspended, row->recheck);
    *ret_kind = allowance_month_entry_kind(allowance_rules_month(pol, &f));
    *ret_fen = pol->allowance_monthly_fen;
    return true;
}

/* The entries the payable-month rule decides for facts `rows`: ret[0..2]
 * PostgreSQL array texts (malloc'd) of each entry's key — the title's id,
 * or the month when `by_month` — kind and amount; *ret_added entries. A
 * month's run may hold 100,000 titles (tests/bench/allowance.sh): the
 * buffers are sized once, elements are copied, and an amount is formatted
 * once per policy. False with p set. */
static bool decide_entries(const struct op_ctx *ctx,
                           const struct allowance_fact *rows,
                           size_t n,
                           bool by_month,
                           char *ret[3],
                           size_t *ret_added,
                           struct problem *p)
{
    struct run_policy *cache = calloc(RUN_POLICIES_MAX, sizeof(*cache));
    struct textbuf b[3];
    char key[11], amount[24] = "";
    long long amount_of = -1; /* the amount formatted in `amount` */
    size_t n_policies = 0, added = 0, amount_len = 0;
    bool ok = cache != NULL;

    textbuf_init(&b[0], n * 37 + 3);
    textbuf_init(&b[1], n * 8 + 3);
    textbuf_init(&b[2], n * 8 + 3);
    for (size_t j = 0; j < 3; j++) {
        textbuf_puts(&b[j], "{");
    }
    for (size_t i = 0; ok && i < n; i++) {
        const char *kind;
        long long fen;
        if (!(ok = fact_entry(ctx, cache, &n_policies, &rows[i], &kind, &fen, p)) || kind == NULL) {
            continue;
        }
        if (fen != amount_of) {
            amount_of = fen;
            amount_len = (size_t)snprintf(amount, sizeof(amount), "%lld", fen);
        }
        if (added++ > 0) {
            for (size_t j = 0; j < 3; j++) {
                textbuf_append(&b[j], ",", 1);
            }
        }
        if (by_month) {
            date_format(rows[i].month, key);
        }
        textbuf_puts(&b[0], by_month ? key : rows[i].recognition_id);
        textbuf_puts(&b[1], kind);
        textbuf_append(&b[2], amount, amount_len);
    }
    for (size_t j = 0; j < 3; j++) {
        textbuf_puts(&b[j], "}");
        ret[j] = textbuf_take(&b[j], NULL);
        ok = ok && ret[j] != NULL;
        textbuf_free(&b[j]);
    }
    free(cache);
    if (!ok) {
        for (size_t j = 0; j < 3; j++) {
            free(ret[j]);
            ret[j] = NULL;
        }
        if (p->err == APP_OK) {
            ops_internal(p);
        }
        return false;
    }
    *ret_added = added;
    return true;
}

enum app_err allowance_run_month(const struct op_ctx *ctx,
                                 const char *month,
                                 const char *pointer,
                                 const char *source,
                                 json_t **ret,
                                 struct problem *p)
{
    struct allowance_fact *rows = NULL;
    struct allowance_actor who = actor_of(ctx);
    char day[11], now[RFC3339_TEXT_MAX], *scope = NULL, *texts[3] = {0}, *out = NULL;
    size_t n = 0, added = 0;
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
    if (ops_scope_codes(ctx, &scope, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = allowance_store_lock(ctx->db)) != APP_OK ||
        (err = allowance_store_facts(ctx->db, day, scope, &rows, &n)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (!decide_entries(ctx, rows, n, false, texts, &added, p)) {
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
        audit_obj(ctx, "allowance.run", "allowance_run", *ret,
                  json_string_value(json_object_get(*ret, "id")), p);
    }

cleanup:
    if (p->err != APP_OK) {
        json_decref(*ret);
        *ret = NULL;
    }
    for (size_t i = 0; i < N(texts); i++) {
        free(texts[i]);
    }
    free(out);
    free(scope);
    free(rows);
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

enum app_err allowance_resume(const struct op_ctx *ctx,
                              const char *recognition_id,
                              int32_t lifted_on,
                              struct problem *p)
{
    struct allowance_actor who = actor_of(ctx);
    struct allowance_fact *rows = NULL;
    char from[11], to[11], now[RFC3339_TEXT_MAX], *texts[3] = {0};
    size_t n = 0, added = 0;
    int y, m, d, written = 0;
    enum app_err err;

    /* the first month whose first day the lifting covers, as a stop's */
    date_format(allowance_rules_stop_from(lifted_on, false), from);
    date_split(ctx->today, &y, &m, &d);
    date_format(date_make(y, m, 1), to);
    if (strcmp(from, to) > 0) {
        return APP_OK;
    }
    if ((err = allowance_store_lock(ctx->db)) != APP_OK ||
        (err = allowance_store_title_facts(ctx->db, recognition_id, from, to, &rows, &n)) !=
            APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (!decide_entries(ctx, rows, n, true, texts, &added, p) || added == 0) {
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    if ((err = allowance_store_title_record(ctx->db, recognition_id, texts[0], texts[1], texts[2],
                                            "suspension_lifted", &who, now, &written)) != APP_OK) {
        ops_store_problem(err, p);
    }

cleanup:
    for (size_t i = 0; i < N(texts); i++) {
        free(texts[i]);
    }
    free(rows);
    return p->err;
}

enum app_err allowance_revoke(const struct op_ctx *ctx,
                              const char *recognition_id,
                              int32_t effective_on,
                              const char *reason,
                              struct problem *p)
{
    struct allowance_actor who = actor_of(ctx);
    bool fraud = allowance_rules_claws_back_all(reason);
    const char *why = fraud ? "revocation_fraud" : "revocation";
    char now[RFC3339_TEXT_MAX];
    int cancelled = 0;
    enum app_err err;

    if (allowance_stop(ctx, recognition_id, effective_on, why, fraud, p) != APP_OK) {
        return p->err;
    }
    /* the holds of months before it: the re-check that would release them
     * cannot come for a revoked title */
    rfc3339_format(ctx->now_ms, true, now);
    if ((err = allowance_store_settle(ctx->db, recognition_id, "cancellation", why, &who, now,
                                      &cancelled)) != APP_OK) {
        return ops_store_problem(err, p);
    }
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

/* The store's list of runs or batches, by month (YYYY-MM or NULL), a page. */
typedef enum app_err month_list_fn(struct db *db,
                                   const char *month,
                                   const char *scope,
                                   const char *cursor,
                                   int limit,
                                   char **ret_array,
                                   char **ret_next);

/* A list of runs or batches in the actor's scope: the month and cursor
 * checked (400 not_month, invalid_cursor), then `list`. */
static enum app_err month_list(const struct op_ctx *ctx,
                               month_list_fn *list,
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
    err = list(ctx->db, month != NULL ? day : NULL, scope, cursor, limit, ret_array, ret_next);
    free(scope);
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

enum app_err allowance_runs_list(const struct op_ctx *ctx,
                                 const char *month,
                                 const char *cursor,
                                 int limit,
                                 char **ret_array,
                                 char **ret_next,
                                 struct problem *p)
{
    return month_list(ctx, allowance_store_runs, month, cursor, limit, ret_array, ret_next, p);
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
                            "kind 须为 accrual、hold、release、cancellation、reversal、payment、"
                            "return 或 recovery",
                            "kind must be accrual, hold, release, cancellation, reversal, payment, "
                            "return or recovery");
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

/* ---- payees ---- */

/* Title `id` visible to the actor (its programme in scope), else 404. */
static enum app_err title_in_scope(const struct op_ctx *ctx, const char *id, struct problem *p)
{
    char code[64];
    enum app_err err;

    if (ops_check_uuid(id, p) != APP_OK) {
        return p->err;
    }
    err = allowance_store_holder(ctx->db, id, code);
    if (err == APP_OK && !ops_programme_in_scope(ctx->actor, code)) {
        err = APP_ERR_NOT_FOUND;
    }
    if (err == APP_ERR_NOT_FOUND) {
        return problem_fail(p, err, "not_found", "称号 %s 不存在", "no title %s", id);
    }
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

enum app_err
allowance_payee_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p)
{
    char *text = NULL;
    enum app_err err;

    *ret = NULL;
    if (title_in_scope(ctx, id, p) != APP_OK) {
        return p->err;
    }
    err = allowance_store_payee_get(ctx->db, id, &text);
    if (err == APP_ERR_NOT_FOUND) {
        return problem_fail(p, err, "payee_not_set", "尚未登记该称号的津贴收款信息",
                            "no payee is set for the title");
    }
    return json_answer(err, text, ret, p);
}

static const struct json_field PAYEE_FIELDS[] = {
    {"method", JF_STRING, true, 1, 16},         {"bank_name", JF_STRING, false, 1, 100},
    {"account", JF_STRING, false, 1, 40},       {"employer_name", JF_STRING, false, 1, 200},
    {"employer_code", JF_STRING, false, 1, 40},
};

/* The members the payment method needs are there, the others absent. */
static enum app_err payee_members(const json_t *body, bool bank, struct problem *p)
{
    static const char *const bank_members[] = {"bank_name", "account"};
    static const char *const employer_members[] = {"employer_name", "employer_code"};

    for (size_t i = 0; i < 2; i++) {
        const char *need = bank ? bank_members[i] : employer_members[i];
        const char *other = bank ? employer_members[i] : bank_members[i];
        char ptr[32];
        if (json_object_get(body, need) == NULL) {
            snprintf(ptr, sizeof(ptr), "/%s", need);
            problem_field(p, APP_ERR_VALIDATION, ptr, "required", "%s 为必填项（method 为 %s）",
                          "%s is required (method %s)", need, bank ? "bank" : "employer");
        }
        if (json_object_get(body, other) != NULL) {
            snprintf(ptr, sizeof(ptr), "/%s", other);
            problem_field(p, APP_ERR_VALIDATION, ptr, "not_allowed", "method 为 %s 时不填 %s",
                          "%s does not go with method %s", bank ? "bank" : "employer", other);
        }
    }
    return p->n_errors > 0 ? p->err : APP_OK;
}

enum app_err allowance_payee_put(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p)
{
    struct allowance_actor who = actor_of(ctx);
    const char *method, *account, *code;
    char now[RFC3339_TEXT_MAX], masked[40], normalized[UNIT_CODE_LEN + 1], *text = NULL;
    json_t *sealed = NULL;
    bool bank;
    enum app_err err;

    *ret = NULL;
    if (!json_fields_check(body, PAYEE_FIELDS, N(PAYEE_FIELDS), "", p)) {
        return p->err;
    }
    method = json_string_value(json_object_get(body, "method"));
    bank = strcmp(method, "bank") == 0;
    if (!bank && strcmp(method, "employer") != 0) {
        return problem_field(p, APP_ERR_VALIDATION, "/method", "unknown_value",
                             "method 须为 bank（个人银行账户）或 employer（单位代发）",
                             "method must be bank (the person's account) or employer");
    }
    if (payee_members(body, bank, p) != APP_OK) {
        return p->err;
    }
    account = json_string_value(json_object_get(body, "account"));
    code = json_string_value(json_object_get(body, "employer_code"));
    if (bank && !account_is_valid(account)) {
        return problem_field(p, APP_ERR_VALIDATION, "/account", "not_account",
                             "账号须为 8 至 32 位数字", "the account must be 8 to 32 digits");
    }
    if (!bank && unit_code_validate(code, normalized) != UNIT_CODE_OK) {
        return problem_field(p, APP_ERR_VALIDATION, "/employer_code", "not_unit_code",
                             "统一社会信用代码无效（%s）",
                             "not a valid unified social credit code (%s)",
                             unit_code_status_text(unit_code_validate(code, normalized)));
    }
    if (title_in_scope(ctx, id, p) != APP_OK) {
        return p->err;
    }
    if (bank && ((sealed = json_object()) == NULL ||
                 !ops_put_sealed(sealed, "account", ctx->pii_key, account) ||
                 !mask_account(account, masked, sizeof(masked)))) {
        json_decref(sealed);
        return ops_internal(p);
    }
    rfc3339_format(ctx->now_ms, true, now);
    const struct allowance_payee_write w = {
        .recognition_id = id,
        .method = method,
        .bank_name = bank ? json_string_value(json_object_get(body, "bank_name")) : NULL,
        .account_sealed_hex = bank ? json_string_value(json_object_get(sealed, "account")) : NULL,
        .account_masked = bank ? masked : NULL,
        .employer_name = bank ? NULL : json_string_value(json_object_get(body, "employer_name")),
        .employer_code = bank ? NULL : normalized,
    };
    err = allowance_store_payee_set(ctx->db, &w, &who, now, &text);
    json_decref(sealed);
    if (json_answer(err, text, ret, p) == APP_OK) {
        audit_obj(ctx, "allowance_payee.set", "allowance_payee", *ret,
                  json_string_value(json_object_get(*ret, "recognition_id")), p);
    }
    return p->err;
}

/* ---- payment batches ---- */

/* A batch's audit event: the batch without its lines. */
static enum app_err
audit_batch(const struct op_ctx *ctx, const char *action, const json_t *batch, struct problem *p)
{
    json_t *head = json_deep_copy(batch);

    if (head == NULL) {
        return ops_internal(p);
    }
    json_object_del(head, "items");
    audit_obj(ctx, action, "allowance_batch", head, json_string_value(json_object_get(head, "id")),
              p);
    json_decref(head);
    return p->err;
}

static const struct json_field BATCH_FIELDS[] = {
    {"month", JF_STRING, true, 7, 7},
};

enum app_err allowance_batch_create(const struct op_ctx *ctx,
                                    const char *unused,
                                    const json_t *body,
                                    json_t **ret,
                                    bool *ret_created,
                                    struct problem *p)
{
    struct allowance_actor who = actor_of(ctx);
    char day[11], now[RFC3339_TEXT_MAX], *scope = NULL, *text = NULL;
    json_t *made = NULL, *batch;
    int32_t m;
    enum app_err err;

    (void)unused;
    *ret = NULL;
    *ret_created = false;
    if (!json_fields_check(body, BATCH_FIELDS, N(BATCH_FIELDS), "", p) ||
        month_of(ctx, json_string_value(json_object_get(body, "month")), "/month", true, &m, day,
                 p) != APP_OK ||
        ops_scope_codes(ctx, &scope, p) != APP_OK) {
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    if ((err = allowance_store_lock(ctx->db)) != APP_OK ||
        (err = allowance_store_batch_create(ctx->db, day, scope, &who, now, &text)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((made = ops_json(text, p)) == NULL) {
        goto cleanup;
    }
    batch = json_object_get(made, "batch");
    if (json_is_null(batch)) {
        problem_fail(p, APP_ERR_CONFLICT, "nothing_to_pay",
                     "%.7s 没有可发放的津贴（尚无收款信息的称号见 without_payee）",
                     "%.7s has nothing to pay (titles without a payee: without_payee)", day);
        json_decref(p->extra);
        p->extra = json_pack("{s:O}", "without_payee", json_object_get(made, "without_payee"));
        goto cleanup;
    }
    *ret_created = json_is_true(json_object_get(made, "created"));
    *ret = json_incref(batch);
    json_object_del(*ret, "items"); /* a district's month is 100,000 lines: GET the batch */
    json_object_set(*ret, "without_payee", json_object_get(made, "without_payee"));
    if (*ret_created) {
        audit_batch(ctx, "allowance_batch.create", *ret, p);
    }

cleanup:
    if (p->err != APP_OK) {
        json_decref(*ret);
        *ret = NULL;
    }
    json_decref(made);
    free(text);
    free(scope);
    return p->err;
}

/* Batch `id` within the actor's scope (404 otherwise): its JSON. */
static enum app_err
batch_load(const struct op_ctx *ctx, const char *id, bool lock, json_t **ret, struct problem *p)
{
    char *text = NULL, *programmes = NULL;
    json_t *codes = NULL, *x;
    size_t i;
    bool visible = true;
    enum app_err err;

    *ret = NULL;
    if (ops_check_uuid(id, p) != APP_OK) {
        return p->err;
    }
    err = allowance_store_batch_get(ctx->db, id, lock, &text, &programmes);
    if (err == APP_OK && ops_programme_scoped(ctx->actor)) {
        /* a scoped reader sees a batch made within its programmes only */
        codes = programmes[0] != '\0' ? json_loads(programmes, 0, NULL) : NULL;
        visible = codes != NULL && json_array_size(codes) > 0;
        json_array_foreach(codes, i, x)
        {
            visible = visible && ops_programme_in_scope(ctx->actor, json_string_value(x));
        }
        json_decref(codes);
    }
    free(programmes);
    if (err == APP_OK && !visible) {
        err = APP_ERR_NOT_FOUND;
    }
    if (err == APP_ERR_NOT_FOUND) {
        free(text);
        return problem_fail(p, err, "not_found", "发放批次 %s 不存在", "no batch %s", id);
    }
    return json_answer(err, text, ret, p);
}

/* Batch `id`'s full representation, with its lines. */
static enum app_err
batch_full(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p)
{
    char *text = NULL;
    enum app_err err = allowance_store_batch_full(ctx->db, id, &text);

    return json_answer(err, text, ret, p);
}

enum app_err
allowance_batch_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p)
{
    json_t *head = NULL;

    *ret = NULL;
    if (batch_load(ctx, id, false, &head, p) == APP_OK) {
        batch_full(ctx, json_string_value(json_object_get(head, "id")), ret, p);
    }
    json_decref(head);
    return p->err;
}

enum app_err allowance_batches_list(const struct op_ctx *ctx,
                                    const char *month,
                                    const char *cursor,
                                    int limit,
                                    char **ret_array,
                                    char **ret_next,
                                    struct problem *p)
{
    return month_list(ctx, allowance_store_batches, month, cursor, limit, ret_array, ret_next, p);
}

static const struct json_field PAID_FIELDS[] = {
    {"reference", JF_STRING, true, 1, 100},
    {"paid_on", JF_STRING, true, 10, 10},
};

enum app_err allowance_batch_pay(const struct op_ctx *ctx,
                                 const char *id,
                                 const json_t *body,
                                 int if_match,
                                 json_t **ret,
                                 struct problem *p)
{
    struct allowance_actor who = actor_of(ctx);
    char now[RFC3339_TEXT_MAX], *text = NULL;
    json_t *batch = NULL;
    int32_t paid_on;
    enum app_err err;

    *ret = NULL;
    if (!json_fields_check(body, PAID_FIELDS, N(PAID_FIELDS), "", p)) {
        return p->err;
    }
    switch (date_rules_past(json_string_value(json_object_get(body, "paid_on")), ctx->today,
                            &paid_on)) {
    case DATE_PAST_NOT_DATE:
        return problem_field(p, APP_ERR_VALIDATION, "/paid_on", "not_date",
                             "须为 YYYY-MM-DD 格式的日期", "must be a date YYYY-MM-DD");
    case DATE_PAST_IN_FUTURE:
        return problem_field(p, APP_ERR_VALIDATION, "/paid_on", "date_in_future",
                             "付款日期不得晚于今天", "the payment date must not be after today");
    case DATE_PAST_OK:
        break;
    }
    if (batch_load(ctx, id, true, &batch, p) != APP_OK ||
        ops_check_version(batch, if_match, p) != APP_OK) {
        goto cleanup;
    }
    if (strcmp(json_string_value(json_object_get(batch, "state")), "open") != 0) {
        problem_fail(p, APP_ERR_CONFLICT, "batch_paid", "该批次已于 %s 付款（%s）",
                     "the batch was paid on %s (%s)",
                     json_string_value(json_object_get(batch, "paid_on")),
                     json_string_value(json_object_get(batch, "paid_reference")));
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    if ((err = allowance_store_lock(ctx->db)) != APP_OK ||
        (err = allowance_store_batch_paid(ctx->db, json_string_value(json_object_get(batch, "id")),
                                          json_string_value(json_object_get(body, "reference")),
                                          json_string_value(json_object_get(body, "paid_on")), &who,
                                          now, &text)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((*ret = ops_json(text, p)) != NULL) {
        audit_batch(ctx, "allowance_batch.paid", *ret, p);
    }

cleanup:
    if (p->err != APP_OK) {
        json_decref(*ret);
        *ret = NULL;
    }
    json_decref(batch);
    free(text);
    return p->err;
}

static const struct json_field RETURN_FIELDS[] = {
    {"recognition_id", JF_STRING, true, 36, 36},
    {"reason", JF_STRING, true, 1, 200},
};

enum app_err allowance_batch_return_op(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p)
{
    struct allowance_actor who = actor_of(ctx);
    const char *rid;
    char now[RFC3339_TEXT_MAX];
    json_t *batch = NULL;
    int n = 0;
    enum app_err err;

    *ret = NULL;
    if (!json_fields_check(body, RETURN_FIELDS, N(RETURN_FIELDS), "", p)) {
        return p->err;
    }
    rid = json_string_value(json_object_get(body, "recognition_id"));
    if (!uuid_valid(rid)) {
        return problem_field(p, APP_ERR_VALIDATION, "/recognition_id", "not_uuid",
                             "须为小写的 UUID", "must be a lower-case UUID");
    }
    if (batch_load(ctx, id, true, &batch, p) != APP_OK) {
        goto cleanup;
    }
    if (strcmp(json_string_value(json_object_get(batch, "state")), "paid") != 0) {
        problem_fail(p, APP_ERR_CONFLICT, "batch_not_paid", "批次尚未付款，无退票可记",
                     "the batch is not paid: nothing can have been returned");
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    if ((err = allowance_store_lock(ctx->db)) != APP_OK ||
        (err =
             allowance_store_batch_return(ctx->db, json_string_value(json_object_get(batch, "id")),
                                          rid, "payment_returned", &who, now, &n)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (n == 0) {
        problem_fail(p, APP_ERR_CONFLICT, "nothing_to_return", "该批次没有 %s 的未退付款",
                     "the batch has no unreturned payment to %s", rid);
        goto cleanup;
    }
    if (batch_full(ctx, json_string_value(json_object_get(batch, "id")), ret, p) == APP_OK) {
        json_t *ev = json_pack("{s:s, s:s, s:i, s:O}", "batch_id", id, "recognition_id", rid,
                               "payments", n, "reason", json_object_get(body, "reason"));
        if (ev == NULL) {
            ops_internal(p);
            goto cleanup;
        }
        audit_obj(ctx, "allowance_batch.returned", "allowance_batch", ev, id, p);
        json_decref(ev);
    }

cleanup:
    if (p->err != APP_OK) {
        json_decref(*ret);
        *ret = NULL;
    }
    json_decref(batch);
    return p->err;
}

/* ---- the finance export ---- */

/* The lines of an export, their strings owned. */
struct export_lines {
    const struct op_ctx *ctx;
    struct allowance_sheet_line *lines;
    char **owned; /* 10 per line */
    size_t n, cap;
};

static char *own(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

/* The full account number from its sealed hex; NULL when it cannot be
 * opened (a missing key, a damaged value). */
static char *unseal(const struct op_ctx *ctx, const char *hex)
{
    size_t len = hex != NULL ? strlen(hex) / 2 : 0, bin_len = 0;
    unsigned char *bin = len > 0 ? malloc(len) : NULL;
    char *plain = NULL;

    if (bin != NULL && ctx->pii_key != NULL &&
        sodium_hex2bin(bin, len, hex, strlen(hex), NULL, &bin_len, NULL) == 0 &&
        crypto_open(ctx->pii_key, bin, bin_len, &plain) != APP_OK) {
        plain = NULL;
    }
    free(bin);
    return plain;
}

static enum app_err export_line(void *arg, size_t n_lines, const char *const col[10])
{
    struct export_lines *x = arg;
    char **o;

    if (x->lines == NULL) {
        x->cap = n_lines;
        x->lines = calloc(n_lines, sizeof(*x->lines));
        x->owned = calloc(n_lines * 10, sizeof(*x->owned));
        if (x->lines == NULL || x->owned == NULL) {
            return APP_ERR_INTERNAL;
        }
    }
    if (x->n == x->cap) {
        return APP_ERR_INTERNAL;
    }
    o = &x->owned[x->n * 10];
    for (int c = 0; c < 10; c++) {
        o[c] = c == 7 ? (col[7] != NULL ? unseal(x->ctx, col[7]) : NULL) : own(col[c]);
        if (col[c] != NULL && o[c] == NULL) {
            return APP_ERR_INTERNAL;
        }
    }
    x->lines[x->n++] = (struct allowance_sheet_line){
        .certificate_number = o[0],
        .holder_name = o[1],
        .programme = o[2],
        .month = o[3],
        .amount_fen = atoll(o[4]),
        .method = o[5],
        .bank_name = o[6],
        .account = o[7],
        .employer_name = o[8],
        .employer_code = o[9],
    };
    return APP_OK;
}

static void export_lines_free(struct export_lines *x)
{
    for (size_t i = 0; x->owned != NULL && i < x->n * 10; i++) {
        if (x->owned[i] != NULL && i % 10 == 7) {
            sodium_memzero(x->owned[i], strlen(x->owned[i]));
        }
        free(x->owned[i]);
    }
    free(x->owned);
    free(x->lines);
}

enum app_err allowance_batch_export(
    const struct op_ctx *ctx, const char *id, bool xlsx, struct textbuf *out, struct problem *p)
{
    struct export_lines x = {.ctx = ctx};
    json_t *batch = NULL, *ev = NULL;
    enum app_err err;
    bool ok;

    if (batch_load(ctx, id, false, &batch, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = allowance_store_batch_lines(ctx->db, json_string_value(json_object_get(batch, "id")),
                                           export_line, &x)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    const struct allowance_sheet sheet = {
        .batch_id = json_string_value(json_object_get(batch, "id")),
        .month = json_string_value(json_object_get(batch, "month")),
        .state = json_string_value(json_object_get(batch, "state")),
        .paid_reference = json_string_value(json_object_get(batch, "paid_reference")),
        .lines = x.lines,
        .n = x.n,
    };
    ok = xlsx ? allowance_sheet_xlsx(&sheet, "/tmp", out) : allowance_sheet_csv(&sheet, out);
    if (!ok) {
        ops_internal(p);
        goto cleanup;
    }
    /* Full account numbers leave only here: each export is audited. */
    ev = json_pack("{s:s, s:s, s:I}", "batch_id", sheet.batch_id, "format", xlsx ? "xlsx" : "csv",
                   "lines", (json_int_t)x.n);
    if (ev == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    audit_obj(ctx, "allowance_batch.export", "allowance_batch", ev, sheet.batch_id, p);

cleanup:
    export_lines_free(&x);
    json_decref(ev);
    json_decref(batch);
    return p->err;
}

/* ---- recoveries of clawbacks ---- */

static const struct json_field RECOVERY_FIELDS[] = {
    {"recognition_id", JF_STRING, true, 36, 36},
    {"reference", JF_STRING, true, 1, 100},
    {"received_on", JF_STRING, true, 10, 10},
    {"months", JF_ARRAY, false, 1, 24},
};

/* The body's months as a PostgreSQL array text of firsts (*ret NULL when
 * absent), each a month (422 not_month) named once (422 duplicate). */
static enum app_err recovery_months(const json_t *months, char **ret, struct problem *p)
{
    struct textbuf b;
    int32_t seen[24];
    size_t i, n = 0;
    json_t *v;
    char ptr[32], day[11];

    *ret = NULL;
    if (months == NULL) {
        return APP_OK;
    }
    textbuf_init(&b, 256);
    textbuf_puts(&b, "{");
    json_array_foreach(months, i, v)
    {
        int32_t m;
        snprintf(ptr, sizeof(ptr), "/months/%zu", i);
        if (!allowance_month_parse(json_string_value(v), &m)) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "not_month", "须为 YYYY-MM 格式的月份",
                          "must be a month YYYY-MM");
            continue;
        }
        for (size_t j = 0; j < n; j++) {
            if (seen[j] == m) {
                problem_field(p, APP_ERR_VALIDATION, ptr, "duplicate", "与第 %zu 项重复",
                              "repeats item %zu", j + 1);
            }
        }
        date_format(m, day);
        textbuf_printf(&b, "%s%s", n > 0 ? "," : "", day);
        seen[n++] = m;
    }
    textbuf_puts(&b, "}");
    if (p->n_errors > 0) {
        textbuf_free(&b);
        return p->err;
    }
    if ((*ret = textbuf_take(&b, NULL)) == NULL) {
        return ops_internal(p);
    }
    return APP_OK;
}

/* Every month the body names is receivable (422 not_receivable). */
static enum app_err
months_receivable(const json_t *months, const json_t *receivable, struct problem *p)
{
    size_t i, j;
    json_t *v, *r;

    json_array_foreach(months, i, v)
    {
        bool found = false;
        json_array_foreach(receivable, j, r)
        {
            found = found || strcmp(json_string_value(json_object_get(r, "month")),
                                    json_string_value(v)) == 0;
        }
        if (!found) {
            char ptr[32];
            snprintf(ptr, sizeof(ptr), "/months/%zu", i);
            problem_field(p, APP_ERR_VALIDATION, ptr, "not_receivable",
                          "%s 没有待追回的津贴（未付款、未被追减或已追回）",
                          "%s has no clawback to recover (not paid, not reversed, or recovered)",
                          json_string_value(v));
        }
    }
    return p->n_errors > 0 ? p->err : APP_OK;
}

/* Title `rid`'s receivable months (a JSON array). */
static json_t *receivable_of(const struct op_ctx *ctx, const char *rid, struct problem *p)
{
    char *text = NULL;
    json_t *ret = NULL;

    enum app_err err = allowance_store_receivable(ctx->db, rid, &text);

    json_answer(err, text, &ret, p);
    return ret;
}

enum app_err allowance_recovery_create(const struct op_ctx *ctx,
                                       const char *unused,
                                       const json_t *body,
                                       json_t **ret,
                                       struct problem *p)
{
    struct allowance_actor who = actor_of(ctx);
    const char *rid;
    char now[RFC3339_TEXT_MAX], *months = NULL, *text = NULL;
    json_t *receivable = NULL, *left = NULL, *named;
    int32_t received_on;
    enum app_err err;

    (void)unused;
    *ret = NULL;
    if (!json_fields_check(body, RECOVERY_FIELDS, N(RECOVERY_FIELDS), "", p)) {
        return p->err;
    }
    rid = json_string_value(json_object_get(body, "recognition_id"));
    named = json_object_get(body, "months");
    if (!uuid_valid(rid)) {
        problem_field(p, APP_ERR_VALIDATION, "/recognition_id", "not_uuid", "须为小写的 UUID",
                      "must be a lower-case UUID");
    }
    switch (date_rules_past(json_string_value(json_object_get(body, "received_on")), ctx->today,
                            &received_on)) {
    case DATE_PAST_NOT_DATE:
        problem_field(p, APP_ERR_VALIDATION, "/received_on", "not_date",
                      "须为 YYYY-MM-DD 格式的日期", "must be a date YYYY-MM-DD");
        break;
    case DATE_PAST_IN_FUTURE:
        problem_field(p, APP_ERR_VALIDATION, "/received_on", "date_in_future",
                      "收款日期不得晚于今天", "the date received must not be after today");
        break;
    case DATE_PAST_OK:
        break;
    }
    if (recovery_months(named, &months, p) != APP_OK || p->n_errors > 0 ||
        title_in_scope(ctx, rid, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = allowance_store_lock(ctx->db)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((receivable = receivable_of(ctx, rid, p)) == NULL) {
        goto cleanup;
    }
    if (json_array_size(receivable) == 0) {
        problem_fail(p, APP_ERR_CONFLICT, "nothing_receivable", "该称号没有待追回的津贴",
                     "the title has no clawback to recover");
        goto cleanup;
    }
    if (named != NULL && months_receivable(named, receivable, p) != APP_OK) {
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    err = allowance_store_recover(ctx->db, rid, months, "recovered", &who, now, &text);
    if (json_answer(err, text, ret, p) != APP_OK || (left = receivable_of(ctx, rid, p)) == NULL) {
        goto cleanup;
    }
    json_object_set_new(*ret, "recognition_id", json_string(rid));
    json_object_set(*ret, "reference", json_object_get(body, "reference"));
    json_object_set(*ret, "received_on", json_object_get(body, "received_on"));
    json_object_set(*ret, "still_receivable", left);
    audit_obj(ctx, "allowance.recovery", "allowance_recovery", *ret, rid, p);

cleanup:
    if (p->err != APP_OK) {
        json_decref(*ret);
        *ret = NULL;
    }
    json_decref(receivable);
    json_decref(left);
    free(months);
    return p->err;
}

/* ---- the forecast ---- */

/* The figures of one month and programme. */
static const char *const FORECAST_FIGURES[] = {
    "ledger_titles", "earned_fen",     "held_fen",      "forecast_titles",
    "committed_fen", "contingent_fen", "suspended_fen", "budget_fen",
};

struct forecast {
    const struct op_ctx *ctx;
    struct run_policy *cache;
    size_t n_policies;
    int32_t this_month;
    json_t *cells; /* "YYYY-MM programme" -> {month, programme, figures…} */
    struct problem *p;
};

/* Adds `v` to figure `name` of the cell of `month` and `programme`. */
static enum app_err forecast_add(
    struct forecast *x, int32_t month, const char *programme, const char *name, json_int_t v)
{
    char key[96], ym[11];
    json_t *cell;

    date_format(month, ym);
    snprintf(key, sizeof(key), "%.7s %s", ym, programme);
    if ((cell = json_object_get(x->cells, key)) == NULL) {
        if ((cell = json_pack("{s:s%, s:s}", "month", ym, (size_t)7, "programme", programme)) ==
            NULL) {
            return APP_ERR_INTERNAL;
        }
        for (size_t i = 0; i < N(FORECAST_FIGURES); i++) {
            json_object_set_new(cell, FORECAST_FIGURES[i], json_integer(0));
        }
        if (json_object_set_new(x->cells, key, cell) != 0) {
            return APP_ERR_INTERNAL;
        }
    }
    json_object_set_new(cell, name,
                        json_integer(json_integer_value(json_object_get(cell, name)) + v));
    return APP_OK;
}

/* A row of facts projected by the payable-month rule. */
static enum app_err forecast_row(void *arg, const struct allowance_forecast_row *row)
{
    struct forecast *x = arg;
    const struct policy *pol =
        run_policy(x->ctx, x->cache, &x->n_policies, row->policy_version_id, x->p);
    const struct allowance_month_facts f =
        month_facts(row->month, row->period_start, row->revoked, row->revoked_effective,
                    row->revoked_reason, row->suspended, row->recheck);
    json_int_t fen;
    enum app_err err = APP_OK;

    if (pol == NULL) {
        return x->p->err;
    }
    fen = (json_int_t)row->titles * pol->allowance_monthly_fen;
    switch (allowance_rules_month(pol, &f)) {
    case ALLOWANCE_PAYABLE:
        err = forecast_add(x, row->month, row->programme, "committed_fen", fen);
        break;
    case ALLOWANCE_HELD:
        err = forecast_add(x, row->month, row->programme, "contingent_fen", fen);
        break;
    case ALLOWANCE_STOPPED:
        /* a month still to come that a lifting of the suspension would pay */
        if (!f.revoked && row->month > x->this_month) {
            err = forecast_add(x, row->month, row->programme, "suspended_fen", fen);
        }
        return err;
    case ALLOWANCE_OUTSIDE:
    case ALLOWANCE_CANCELLED:
        return APP_OK;
    }
    return err == APP_OK ? forecast_add(x, row->month, row->programme, "forecast_titles",
                                        (json_int_t)row->titles)
                         : err;
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The cells in month and programme order, with their budget, and the
 * totals. */
static json_t *forecast_items(json_t *cells, json_t *totals)
{
    size_t n = json_object_size(cells), k = 0;
    const char **keys = calloc(n > 0 ? n : 1, sizeof(*keys));
    json_t *items = json_array(), *cell;
    const char *key;

    if (keys == NULL || items == NULL) {
        free(keys);
        json_decref(items);
        return NULL;
    }
    json_object_foreach(cells, key, cell)
    {
        keys[k++] = key;
    }
    qsort(keys, n, sizeof(*keys), cmp_text);
    for (size_t i = 0; i < N(FORECAST_FIGURES); i++) {
        json_object_set_new(totals, FORECAST_FIGURES[i], json_integer(0));
    }
    for (size_t i = 0; i < n; i++) {
        cell = json_object_get(cells, keys[i]);
        json_int_t budget = 0;
        static const char *const parts[] = {"earned_fen", "held_fen", "committed_fen",
                                            "contingent_fen"};
        for (size_t j = 0; j < N(parts); j++) {
            budget += json_integer_value(json_object_get(cell, parts[j]));
        }
        json_object_set_new(cell, "budget_fen", json_integer(budget));
        for (size_t j = 0; j < N(FORECAST_FIGURES); j++) {
            const char *f = FORECAST_FIGURES[j];
            json_object_set_new(totals, f,
                                json_integer(json_integer_value(json_object_get(totals, f)) +
                                             json_integer_value(json_object_get(cell, f))));
        }
        json_array_append(items, cell);
    }
    free(keys);
    return items;
}

enum app_err
allowance_forecast_get(const struct op_ctx *ctx, const char *year, json_t **ret, struct problem *p)
{
    struct forecast x = {.ctx = ctx, .p = p};
    char from[11], to[11], today[11], *scope = NULL, *text = NULL;
    json_t *summary = NULL, *item, *totals = NULL, *items = NULL;
    int32_t y0, y1;
    size_t i;
    int y, m, d;
    enum app_err err;

    *ret = NULL;
    if (year == NULL) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "year_required",
                            "须在查询参数 year 中给出年份",
                            "give the year in the query parameter year");
    }
    if (strlen(year) != 4 || strspn(year, "0123456789") != 4 || atoi(year) < 2000 ||
        atoi(year) > 2099) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "not_year", "year 须为 2000 至 2099 的年份",
                            "year must be a year from 2000 to 2099");
    }
    y0 = date_make(atoi(year), 1, 1);
    y1 = date_make(atoi(year), 12, 1);
    date_format(y0, from);
    date_format(y1, to);
    date_split(ctx->today, &y, &m, &d);
    x.this_month = date_make(y, m, 1);
    if (ops_scope_codes(ctx, &scope, p) != APP_OK) {
        return p->err;
    }
    if ((x.cache = calloc(RUN_POLICIES_MAX, sizeof(*x.cache))) == NULL ||
        (x.cells = json_object()) == NULL || (totals = json_object()) == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    /* the months written in the ledger, then the rule over the rest (a
     * district's year is 12 months of facts: a long read) */
    if ((err = allowance_store_long_read(ctx->db)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    err = allowance_store_summary(ctx->db, from, to, scope, &text);
    if (json_answer(err, text, &summary, p) != APP_OK) {
        goto cleanup;
    }
    json_array_foreach(json_object_get(summary, "items"), i, item)
    {
        int32_t mm;
        const char *prog = json_string_value(json_object_get(item, "programme"));
        if (!allowance_month_parse(json_string_value(json_object_get(item, "month")), &mm) ||
            forecast_add(&x, mm, prog, "ledger_titles",
                         json_integer_value(json_object_get(item, "holders"))) != APP_OK ||
            forecast_add(&x, mm, prog, "earned_fen",
                         json_integer_value(json_object_get(item, "earned_fen"))) != APP_OK ||
            forecast_add(&x, mm, prog, "held_fen",
                         json_integer_value(json_object_get(item, "net_held_fen"))) != APP_OK) {
            ops_internal(p);
            goto cleanup;
        }
    }
    if ((err = allowance_store_forecast(ctx->db, from, to, scope, forecast_row, &x)) != APP_OK) {
        if (p->err == APP_OK) {
            ops_store_problem(err, p);
        }
        goto cleanup;
    }
    if ((items = forecast_items(x.cells, totals)) == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    date_format(ctx->today, today);
    *ret = json_pack("{s:i, s:s, s:o, s:O}", "year", atoi(year), "as_of", today, "items", items,
                     "totals", totals);
    items = NULL;
    if (*ret == NULL) {
        ops_internal(p);
    }

cleanup:
    json_decref(items);
    json_decref(totals);
    json_decref(summary);
    json_decref(x.cells);
    free(x.cache);
    free(scope);
    return p->err;
}
