/* SPDX-License-Identifier: MIT */
/* The allowance ledger's store (allowance_store.h). */
#include "allowance_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil_time.h"
#include "db_internal.h"

/* The three statement parameters naming who writes (its user id or NULL,
 * the name the ledger records, its role or NULL). */
#define LEDGER_ACTOR(who)                         \
    (who)->id[0] ? (who)->id : NULL, (who)->name, \
        (who)->role != ROLE_NONE ? auth_role_name((who)->role) : NULL

/* clang-format off */
const struct db_statement allowance_store_statements[] = {
    /* 15 in the transaction-level advisory key space: the ledger's writers.
     * A month's run or batch over 100,000 titles takes seconds: its
     * transaction may run its statements for up to 5 minutes instead of the
     * service's 5 seconds (db.c). */
    {"allowance_store_lock",
     "SELECT pg_advisory_xact_lock(15, 0), set_config('statement_timeout', '300s', true)"},
    {"allowance_store_long_read", "SELECT set_config('statement_timeout', '300s', true)"},
    {"allowance_store_facts",
     "SELECT recognition_id, policy_version_id, to_char(period_start, 'YYYY-MM-DD'),"
     "  to_char(revoked_effective, 'YYYY-MM-DD'), revoked_reason, suspended, recheck,"
     "  to_char($1::date, 'YYYY-MM-DD')"
     "  FROM allowance_month_facts($1::date, $2::jsonb)"},
    {"allowance_store_title_facts",
     "SELECT recognition_id, policy_version_id, to_char(period_start, 'YYYY-MM-DD'),"
     "  to_char(revoked_effective, 'YYYY-MM-DD'), revoked_reason, suspended, recheck,"
     "  to_char(month, 'YYYY-MM-DD')"
     "  FROM allowance_title_facts($1::uuid, $2::date, $3::date)"},
    {"allowance_store_title_record",
     "SELECT allowance_title_record($1::uuid, $2::date[], $3::text[], $4::bigint[], $5,"
     "  $6::uuid, $7, $8::user_role, $9::timestamptz)"},
    {"allowance_store_policy", "SELECT policy::text FROM policy_versions WHERE id = $1::uuid"},
    {"allowance_store_record",
     "SELECT allowance_run_record($1::date, $2::jsonb, $3::uuid[], $4::text[], $5::bigint[],"
     "  $6, $7::uuid, $8, $9::user_role, $10::timestamptz)::text"},
    {"allowance_store_settle",
     "SELECT allowance_settle_holds($1::uuid, $2, $3, $4::uuid, $5, $6::user_role,"
     "  $7::timestamptz)"},
    {"allowance_store_stop",
     "SELECT allowance_stop($1::uuid, $2::date, $3, $4::uuid, $5, $6::user_role,"
     "  $7::timestamptz)::text"},
    {"allowance_store_entries",
     "SELECT api_allowance_entry(e)::text, e.seq::text"
     "  FROM allowance_entries e JOIN recognitions r ON r.id = e.recognition_id"
     "  JOIN programmes p ON p.id = r.programme_id"
     " WHERE ($1::uuid IS NULL OR e.recognition_id = $1::uuid)"
     "   AND ($2::date IS NULL OR e.month = $2::date)"
     "   AND ($3::text IS NULL OR e.kind = $3)"
     "   AND ($4::jsonb IS NULL OR $4::jsonb ? p.code)"
     "   AND ($5::bigint IS NULL OR e.seq > $5::bigint)"
     " ORDER BY e.seq LIMIT $6::int"},
    {"allowance_store_runs",
     "SELECT api_allowance_run(x)::text, x.seq::text FROM allowance_runs x"
     " WHERE ($1::date IS NULL OR x.month = $1::date)"
     "   AND ($2::jsonb IS NULL OR (x.programmes IS NOT NULL AND"
     "        x.programmes <@ ARRAY(SELECT jsonb_array_elements_text($2::jsonb))))"
     "   AND ($3::bigint IS NULL OR x.seq < $3::bigint)"
     " ORDER BY x.seq DESC LIMIT $4::int"},
    {"allowance_store_balances",
     "SELECT item::text, certificate_number FROM allowance_balances($1::jsonb)"
     " WHERE ($2::text IS NULL OR certificate_number > $2)"
     " ORDER BY certificate_number LIMIT $3::int"},
    {"allowance_store_statement",
     "SELECT x::text FROM allowance_statement($1::uuid, $2::jsonb) x WHERE x IS NOT NULL"},
    {"allowance_store_summary",
     "SELECT allowance_summary($1::date, $2::date, $3::jsonb)::text"},
    {"allowance_store_reconciliation", "SELECT allowance_reconciliation($1::jsonb)::text"},
    {"allowance_store_holder",
     "SELECT p.code FROM recognitions r JOIN programmes p ON p.id = r.programme_id"
     " WHERE r.id = $1::uuid"},
    {"allowance_store_payee_get",
     "SELECT api_allowance_payee(x)::text FROM allowance_payees x"
     " WHERE x.recognition_id = $1::uuid"},
    {"allowance_store_payee_set",
     "SELECT allowance_payee_set($1::uuid, $2, $3, $4, $5, $6, $7, $8::uuid, $9,"
     "  $10::timestamptz)::text"},
    {"allowance_store_batch_create",
     "SELECT allowance_batch_create($1::date, $2::jsonb, $3::uuid, $4, $5::timestamptz)::text"},
    {"allowance_store_batch_get",
     "SELECT api_allowance_batch_head(b)::text, coalesce(array_to_json(b.programmes)::text, '')"
     "  FROM allowance_batches b WHERE b.id = $1::uuid"},
    {"allowance_store_batch_lock",
     "SELECT api_allowance_batch_head(b)::text, coalesce(array_to_json(b.programmes)::text, '')"
     "  FROM allowance_batches b WHERE b.id = $1::uuid FOR UPDATE"},
    {"allowance_store_batch_full",
     "SELECT api_allowance_batch(b)::text FROM allowance_batches b WHERE b.id = $1::uuid"},
    {"allowance_store_batches",
     "SELECT api_allowance_batch_head(b)::text, b.seq::text FROM allowance_batches b"
     " WHERE ($1::date IS NULL OR b.month = $1::date)"
     "   AND ($2::jsonb IS NULL OR (b.programmes IS NOT NULL AND"
     "        b.programmes <@ ARRAY(SELECT jsonb_array_elements_text($2::jsonb))))"
     "   AND ($3::bigint IS NULL OR b.seq < $3::bigint)"
     " ORDER BY b.seq DESC LIMIT $4::int"},
    {"allowance_store_batch_paid",
     "SELECT allowance_batch_paid($1::uuid, $2, $3::date, $4::uuid, $5, $6::user_role,"
     "  $7::timestamptz)::text"},
    {"allowance_store_batch_return",
     "SELECT allowance_batch_return($1::uuid, $2::uuid, $3, $4::uuid, $5, $6::user_role,"
     "  $7::timestamptz)"},
    {"allowance_store_receivable",
     "SELECT coalesce(jsonb_agg(jsonb_build_object('month', to_char(rv.month, 'YYYY-MM'),"
     "  'amount_fen', rv.amount_fen, 'reversal_id', rv.id, 'reason', rv.reason)"
     "  ORDER BY rv.month), '[]')::text FROM allowance_receivable($1::uuid) rv"},
    {"allowance_store_recover",
     "SELECT allowance_recover($1::uuid, $2::date[], $3, $4::uuid, $5, $6::user_role,"
     "  $7::timestamptz)::text"},
    {"allowance_store_forecast_facts",
     "SELECT to_char(month, 'YYYY-MM-DD'), programme, policy_version_id,"
     "  to_char(period_start, 'YYYY-MM-DD'), to_char(revoked_effective, 'YYYY-MM-DD'),"
     "  revoked_reason, suspended, recheck, titles"
     "  FROM allowance_forecast_facts($1::date, $2::date, $3::jsonb)"},
    {"allowance_store_batch_lines",
     "SELECT r.certificate_number, r.holder_name, p.name, to_char(l.month, 'YYYY-MM'),"
     "  l.amount_fen, l.method, l.bank_name, encode(l.account_sealed, 'hex'),"
     "  l.employer_name, l.employer_code"
     "  FROM allowance_batch_lines l JOIN recognitions r ON r.id = l.recognition_id"
     "  JOIN programmes p ON p.id = r.programme_id"
     " WHERE l.batch_id = $1::uuid ORDER BY r.certificate_number, l.month"},
    {NULL, NULL},
};
/* clang-format on */

/* Runs statement `name`, which takes no parameter, for its effect. */
static enum app_err exec_setting(struct db *db, const char *name)
{
    PGresult *res = NULL;
    enum app_err err = db_exec(db, name, 0, NULL, PGRES_TUPLES_OK, &res);

    PQclear(res);
    return err;
}

enum app_err allowance_store_lock(struct db *db)
{
    return exec_setting(db, "allowance_store_lock");
}

enum app_err allowance_store_long_read(struct db *db)
{
    return exec_setting(db, "allowance_store_long_read");
}

/* The rows of facts query `name`: the columns of allowance_month_facts(),
 * then the month (YYYY-MM-DD). */
static enum app_err facts_rows(struct db *db,
                               const char *name,
                               int n_params,
                               const char *const *params,
                               struct allowance_fact **ret_rows,
                               size_t *ret_n)
{
    PGresult *res = NULL;
    enum app_err err = db_exec(db, name, n_params, params, PGRES_TUPLES_OK, &res);
    size_t n;

    *ret_rows = NULL;
    *ret_n = 0;
    if (err != APP_OK) {
        return err;
    }
    n = (size_t)PQntuples(res);
    if (n > 0 && (*ret_rows = calloc(n, sizeof(**ret_rows))) == NULL) {
        PQclear(res);
        return APP_ERR_INTERNAL;
    }
    for (size_t i = 0; i < n; i++) {
        struct allowance_fact *f = &(*ret_rows)[i];
        const char *recheck = PQgetisnull(res, (int)i, 6) ? "" : PQgetvalue(res, (int)i, 6);

        snprintf(f->recognition_id, sizeof(f->recognition_id), "%s", PQgetvalue(res, (int)i, 0));
        snprintf(f->policy_version_id, sizeof(f->policy_version_id), "%s",
                 PQgetvalue(res, (int)i, 1));
        f->revoked = !PQgetisnull(res, (int)i, 3);
        snprintf(f->revoked_reason, sizeof(f->revoked_reason), "%s", PQgetvalue(res, (int)i, 4));
        if (!date_parse(PQgetvalue(res, (int)i, 2), &f->period_start) ||
            !date_parse(PQgetvalue(res, (int)i, 7), &f->month) ||
            (f->revoked && !date_parse(PQgetvalue(res, (int)i, 3), &f->revoked_effective))) {
            free(*ret_rows);
            *ret_rows = NULL;
            PQclear(res);
            return APP_ERR_INTERNAL;
        }
        f->suspended = PQgetvalue(res, (int)i, 5)[0] == 't';
        f->recheck = strcmp(recheck, "passed") == 0   ? "passed"
                     : strcmp(recheck, "failed") == 0 ? "failed"
                                                      : NULL;
    }
    *ret_n = n;
    PQclear(res);
    return APP_OK;
}

enum app_err allowance_store_facts(struct db *db,
                                   const char *month,
                                   const char *scope,
                                   struct allowance_fact **ret_rows,
                                   size_t *ret_n)
{
    const char *params[] = {month, scope};
    return facts_rows(db, "allowance_store_facts", 2, params, ret_rows, ret_n);
}

enum app_err allowance_store_title_facts(struct db *db,
                                         const char *recognition_id,
                                         const char *from,
                                         const char *to,
                                         struct allowance_fact **ret_rows,
                                         size_t *ret_n)
{
    const char *params[] = {recognition_id, from, to};
    return facts_rows(db, "allowance_store_title_facts", 3, params, ret_rows, ret_n);
}

enum app_err allowance_store_title_record(struct db *db,
                                          const char *recognition_id,
                                          const char *months,
                                          const char *kinds,
                                          const char *amounts,
                                          const char *why,
                                          const struct allowance_actor *who,
                                          const char *at,
                                          int *ret_n)
{
    const char *params[] = {recognition_id, months, kinds, amounts, why, LEDGER_ACTOR(who), at};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "allowance_store_title_record", 9, params, &res);

    *ret_n = 0;
    if (err == APP_OK) {
        *ret_n = atoi(PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    return err;
}

enum app_err allowance_store_policy(struct db *db, const char *id, char **ret_json)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "allowance_store_policy", 1, params, &res);

    *ret_json = NULL;
    if (err != APP_OK) {
        return err;
    }
    *ret_json = db_strdup(res, 0, 0);
    PQclear(res);
    return *ret_json != NULL ? APP_OK : APP_ERR_INTERNAL;
}

enum app_err allowance_store_record(struct db *db,
                                    const struct allowance_run_write *w,
                                    const struct allowance_actor *who,
                                    const char *at,
                                    char **ret)
{
    const char *params[] = {w->month,  w->scope,          w->ids, w->kinds, w->amounts,
                            w->source, LEDGER_ACTOR(who), at};
    return db_json_one(db, "allowance_store_record", 10, params, ret);
}

enum app_err allowance_store_settle(struct db *db,
                                    const char *recognition_id,
                                    const char *kind,
                                    const char *why,
                                    const struct allowance_actor *who,
                                    const char *at,
                                    int *ret_n)
{
    const char *params[] = {recognition_id, kind, why, LEDGER_ACTOR(who), at};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "allowance_store_settle", 7, params, &res);

    *ret_n = 0;
    if (err == APP_OK) {
        *ret_n = atoi(PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    return err;
}

enum app_err allowance_store_stop(struct db *db,
                                  const char *recognition_id,
                                  const char *from_month,
                                  const char *why,
                                  const struct allowance_actor *who,
                                  const char *at,
                                  char **ret)
{
    const char *params[] = {recognition_id, from_month, why, LEDGER_ACTOR(who), at};
    return db_json_one(db, "allowance_store_stop", 7, params, ret);
}

enum app_err allowance_store_entries(struct db *db,
                                     const struct allowance_entry_filter *f,
                                     const char *cursor,
                                     int limit,
                                     char **ret_array,
                                     char **ret_next)
{
    char lim[16];
    const char *params[] = {f->recognition_id, f->month, f->kind, f->scope, cursor, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, "allowance_store_entries", 6, params, limit, ret_array, ret_next);
}

/* A page of statement `stmt` taking (month, scope, cursor, limit + 1). */
static enum app_err month_page(struct db *db,
                               const char *stmt,
                               const char *month,
                               const char *scope,
                               const char *cursor,
                               int limit,
                               char **ret_array,
                               char **ret_next)
{
    char lim[16];
    const char *params[] = {month, scope, cursor, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, stmt, 4, params, limit, ret_array, ret_next);
}

enum app_err allowance_store_runs(struct db *db,
                                  const char *month,
                                  const char *scope,
                                  const char *cursor,
                                  int limit,
                                  char **ret_array,
                                  char **ret_next)
{
    return month_page(db, "allowance_store_runs", month, scope, cursor, limit, ret_array, ret_next);
}

enum app_err allowance_store_balances(struct db *db,
                                      const char *scope,
                                      const char *cursor,
                                      int limit,
                                      char **ret_array,
                                      char **ret_next)
{
    char lim[16];
    const char *params[] = {scope, cursor, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, "allowance_store_balances", 3, params, limit, ret_array, ret_next);
}

enum app_err
allowance_store_statement(struct db *db, const char *recognition_id, const char *scope, char **ret)
{
    const char *params[] = {recognition_id, scope};
    return db_json_one(db, "allowance_store_statement", 2, params, ret);
}

enum app_err allowance_store_summary(
    struct db *db, const char *from, const char *to, const char *scope, char **ret)
{
    const char *params[] = {from, to, scope};
    return db_json_one(db, "allowance_store_summary", 3, params, ret);
}

enum app_err allowance_store_reconciliation(struct db *db, const char *scope, char **ret)
{
    const char *params[] = {scope};
    return db_json_one(db, "allowance_store_reconciliation", 1, params, ret);
}

enum app_err allowance_store_holder(struct db *db, const char *recognition_id, char ret_code[64])
{
    const char *params[] = {recognition_id};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "allowance_store_holder", 1, params, &res);

    if (err == APP_OK) {
        db_copy_col(res, 0, ret_code, 64);
        PQclear(res);
    }
    return err;
}

enum app_err allowance_store_payee_get(struct db *db, const char *recognition_id, char **ret)
{
    const char *params[] = {recognition_id};
    return db_json_one(db, "allowance_store_payee_get", 1, params, ret);
}

enum app_err allowance_store_payee_set(struct db *db,
                                       const struct allowance_payee_write *w,
                                       const struct allowance_actor *who,
                                       const char *at,
                                       char **ret)
{
    const char *params[] = {w->recognition_id, w->method,
                            w->bank_name,      w->account_sealed_hex,
                            w->account_masked, w->employer_name,
                            w->employer_code,  who->id[0] ? who->id : NULL,
                            who->name,         at};
    return db_json_one(db, "allowance_store_payee_set", 10, params, ret);
}

enum app_err allowance_store_batch_create(struct db *db,
                                          const char *month,
                                          const char *scope,
                                          const struct allowance_actor *who,
                                          const char *at,
                                          char **ret)
{
    const char *params[] = {month, scope, who->id[0] ? who->id : NULL, who->name, at};
    return db_json_one(db, "allowance_store_batch_create", 5, params, ret);
}

enum app_err allowance_store_batch_get(
    struct db *db, const char *id, bool lock, char **ret_json, char **ret_programmes)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    enum app_err err = db_row(db, lock ? "allowance_store_batch_lock" : "allowance_store_batch_get",
                              1, params, &res);

    *ret_json = *ret_programmes = NULL;
    if (err != APP_OK) {
        return err;
    }
    *ret_json = db_strdup(res, 0, 0);
    *ret_programmes = db_strdup(res, 0, 1);
    PQclear(res);
    if (*ret_json == NULL || *ret_programmes == NULL) {
        free(*ret_json);
        free(*ret_programmes);
        *ret_json = *ret_programmes = NULL;
        return APP_ERR_INTERNAL;
    }
    return APP_OK;
}

enum app_err allowance_store_batches(struct db *db,
                                     const char *month,
                                     const char *scope,
                                     const char *cursor,
                                     int limit,
                                     char **ret_array,
                                     char **ret_next)
{
    return month_page(db, "allowance_store_batches", month, scope, cursor, limit, ret_array,
                      ret_next);
}

enum app_err allowance_store_batch_paid(struct db *db,
                                        const char *id,
                                        const char *reference,
                                        const char *paid_on,
                                        const struct allowance_actor *who,
                                        const char *at,
                                        char **ret)
{
    const char *params[] = {id, reference, paid_on, LEDGER_ACTOR(who), at};
    return db_json_one(db, "allowance_store_batch_paid", 7, params, ret);
}

enum app_err allowance_store_batch_return(struct db *db,
                                          const char *id,
                                          const char *recognition_id,
                                          const char *why,
                                          const struct allowance_actor *who,
                                          const char *at,
                                          int *ret_n)
{
    const char *params[] = {id, recognition_id, why, LEDGER_ACTOR(who), at};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "allowance_store_batch_return", 7, params, &res);

    *ret_n = 0;
    if (err == APP_OK) {
        *ret_n = atoi(PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    return err;
}

enum app_err
allowance_store_batch_lines(struct db *db, const char *id, allowance_line_fn *fn, void *arg)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "allowance_store_batch_lines", 1, params, PGRES_TUPLES_OK, &res);
    int n;

    if (err != APP_OK) {
        return err;
    }
    n = PQntuples(res);
    for (int i = 0; i < n && err == APP_OK; i++) {
        const char *col[10];
        for (int c = 0; c < 10; c++) {
            col[c] = PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
        }
        err = fn(arg, (size_t)n, col);
    }
    PQclear(res);
    return err;
}

enum app_err allowance_store_batch_full(struct db *db, const char *id, char **ret)
{
    const char *params[] = {id};
    return db_json_one(db, "allowance_store_batch_full", 1, params, ret);
}

enum app_err allowance_store_receivable(struct db *db, const char *recognition_id, char **ret)
{
    const char *params[] = {recognition_id};
    return db_json_one(db, "allowance_store_receivable", 1, params, ret);
}

enum app_err allowance_store_recover(struct db *db,
                                     const char *recognition_id,
                                     const char *months,
                                     const char *why,
                                     const struct allowance_actor *who,
                                     const char *at,
                                     char **ret)
{
    const char *params[] = {recognition_id, months, why, LEDGER_ACTOR(who), at};
    return db_json_one(db, "allowance_store_recover", 7, params, ret);
}

enum app_err allowance_store_forecast(struct db *db,
                                      const char *from,
                                      const char *to,
                                      const char *scope,
                                      allowance_forecast_fn *fn,
                                      void *arg)
{
    const char *params[] = {from, to, scope};
    PGresult *res = NULL;
    enum app_err err =
        db_exec(db, "allowance_store_forecast_facts", 3, params, PGRES_TUPLES_OK, &res);

    for (int i = 0; err == APP_OK && i < PQntuples(res); i++) {
        struct allowance_forecast_row row = {
            .programme = PQgetvalue(res, i, 1),
            .policy_version_id = PQgetvalue(res, i, 2),
            .revoked = !PQgetisnull(res, i, 4),
            .revoked_reason = PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5),
            .suspended = PQgetvalue(res, i, 6)[0] == 't',
            .recheck = PQgetisnull(res, i, 7) ? NULL : PQgetvalue(res, i, 7),
            .titles = atoll(PQgetvalue(res, i, 8)),
        };
        if (!date_parse(PQgetvalue(res, i, 0), &row.month) ||
            !date_parse(PQgetvalue(res, i, 3), &row.period_start) ||
            (row.revoked && !date_parse(PQgetvalue(res, i, 4), &row.revoked_effective))) {
            err = APP_ERR_INTERNAL;
            break;
        }
        err = fn(arg, &row);
    }
    PQclear(res);
    return err;
}
