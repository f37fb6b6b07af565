/* SPDX-License-Identifier: MIT */
/*
 * The allowance ledger's store (db/migrations/0026; SQL in
 * db/functions/17_allowance.sql). JSON-returning functions give malloc'd
 * text. Nothing here decides what a month is (api/model/allowance_rules.h
 * does); api/ops/allowance.c runs it.
 */
#ifndef JIANGXIN_ALLOWANCE_STORE_H
#define JIANGXIN_ALLOWANCE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"

/* Serialises the ledger's writers (a monthly run, a re-check's settlement)
 * until the transaction ends, so that a run never holds a month a
 * concurrent decision has just settled, and lets the transaction's
 * statements run up to 5 minutes (a district's month). Inside a
 * transaction. */
enum app_err allowance_store_lock(struct db *db);

/* Lets the open transaction's statements run up to 5 minutes, as the
 * writers may (a district-wide read such as the forecast), without the
 * writers' lock. */
enum app_err allowance_store_long_read(struct db *db);

/* One row of allowance_month_facts(). */
struct allowance_fact {
    char recognition_id[40];
    char policy_version_id[40];
    int32_t period_start;      /* days since 1970-01-01 */
    bool revoked;              /* the title was revoked … */
    int32_t revoked_effective; /* … effective on this day (when revoked) */
    char revoked_reason[48];   /* … for this reason code ("" when not revoked) */
    bool suspended;
    const char *recheck; /* "passed", "failed" or NULL (static strings) */
    int32_t month;       /* the allowance month (its first day) */
};

/* The facts of month `month` (YYYY-MM-DD, a first) for the titles within
 * `scope` (a JSON array text of programme codes; NULL: all): *ret_rows
 * malloc'd (free it), *ret_n rows. */
enum app_err allowance_store_facts(struct db *db,
                                   const char *month,
                                   const char *scope,
                                   struct allowance_fact **ret_rows,
                                   size_t *ret_n);

/* The facts of title `recognition_id` in each month from `from` to `to`
 * (YYYY-MM-DD firsts) that has no accrual or hold for it yet
 * (allowance_title_facts()); as allowance_store_facts. */
enum app_err allowance_store_title_facts(struct db *db,
                                         const char *recognition_id,
                                         const char *from,
                                         const char *to,
                                         struct allowance_fact **ret_rows,
                                         size_t *ret_n);

/* Policy version `id`'s policy as JSON text (malloc'd). */
enum app_err allowance_store_policy(struct db *db, const char *id, char **ret_json);

/* Who writes to the ledger: the user (id may be ""), the name the ledger
 * records, the role. */
struct allowance_actor {
    const char *id, *name;
    enum role role;
};

/* Records a run of `month`: entries given as PostgreSQL array texts of
 * recognition ids, kinds and amounts (fen), its source ("api", "cli");
 * *ret the run's JSON. */
struct allowance_run_write {
    const char *month, *scope, *ids, *kinds, *amounts, *source;
};
enum app_err allowance_store_record(struct db *db,
                                    const struct allowance_run_write *w,
                                    const struct allowance_actor *who,
                                    const char *at,
                                    char **ret);

/* Records entries of title `recognition_id` outside a monthly run:
 * PostgreSQL array texts of months (firsts), kinds and amounts (fen),
 * reason code `why`; *ret_n how many were added (an entry already there is
 * skipped). */
enum app_err allowance_store_title_record(struct db *db,
                                          const char *recognition_id,
                                          const char *months,
                                          const char *kinds,
                                          const char *amounts,
                                          const char *why,
                                          const struct allowance_actor *who,
                                          const char *at,
                                          int *ret_n);

/* Settles the open holds of title `recognition_id` with entries of `kind`
 * ("release" or "cancellation") and reason code `why`; *ret_n how many. */
enum app_err allowance_store_settle(struct db *db,
                                    const char *recognition_id,
                                    const char *kind,
                                    const char *why,
                                    const struct allowance_actor *who,
                                    const char *at,
                                    int *ret_n);

/* Stops title `recognition_id`'s allowance from month `from_month`
 * (YYYY-MM-DD): reversals and cancellations with reason code `why`
 * (allowance_stop()); *ret the counts as JSON text. */
enum app_err allowance_store_stop(struct db *db,
                                  const char *recognition_id,
                                  const char *from_month,
                                  const char *why,
                                  const struct allowance_actor *who,
                                  const char *at,
                                  char **ret);

/* Entries in ledger order, `limit` a page from `cursor` (an entry's seq). */
struct allowance_entry_filter {
    const char *recognition_id, *month, *kind; /* NULL: any; month YYYY-MM-DD */
    const char *scope;                         /* JSON array text of codes; NULL: all */
};
enum app_err allowance_store_entries(struct db *db,
                                     const struct allowance_entry_filter *f,
                                     const char *cursor,
                                     int limit,
                                     char **ret_array,
                                     char **ret_next);
/* Runs newest first (cursor: a run's seq), of `month` (YYYY-MM-DD) or
 * any; a scoped reader sees the runs of its programmes only. */
enum app_err allowance_store_runs(struct db *db,
                                  const char *month,
                                  const char *scope,
                                  const char *cursor,
                                  int limit,
                                  char **ret_array,
                                  char **ret_next);

/* Per title: earned, held, paid, outstanding, receivable (by certificate
 * number; cursor: the last one). */
enum app_err allowance_store_balances(struct db *db,
                                      const char *scope,
                                      const char *cursor,
                                      int limit,
                                      char **ret_array,
                                      char **ret_next);

/* Title `recognition_id`'s statement; NOT_FOUND when unknown or outside
 * `scope`. */
enum app_err
allowance_store_statement(struct db *db, const char *recognition_id, const char *scope, char **ret);

/* Totals per programme and month from `from` to `to` (YYYY-MM-DD firsts). */
enum app_err allowance_store_summary(
    struct db *db, const char *from, const char *to, const char *scope, char **ret);

/* The reconciliation within `scope`. */
enum app_err allowance_store_reconciliation(struct db *db, const char *scope, char **ret);

/* Title `recognition_id`'s programme code; NOT_FOUND when unknown. */
enum app_err allowance_store_holder(struct db *db, const char *recognition_id, char ret_code[64]);

/* The payee (masked), NOT_FOUND when none is set; and setting it. */
enum app_err allowance_store_payee_get(struct db *db, const char *recognition_id, char **ret);
struct allowance_payee_write {
    const char *recognition_id, *method;
    const char *bank_name, *account_sealed_hex, *account_masked; /* bank, else NULL */
    const char *employer_name, *employer_code;                   /* employer, else NULL */
};
enum app_err allowance_store_payee_set(struct db *db,
                                       const struct allowance_payee_write *w,
                                       const struct allowance_actor *who,
                                       const char *at,
                                       char **ret);

/* allowance_batch_create(): {batch, created, without_payee} as JSON text. */
enum app_err allowance_store_batch_create(struct db *db,
                                          const char *month,
                                          const char *scope,
                                          const struct allowance_actor *who,
                                          const char *at,
                                          char **ret);

/* Batch `id` without its lines (locked FOR UPDATE when `lock`) and its
 * programmes as a JSON array text ("" for the whole district). */
enum app_err allowance_store_batch_get(
    struct db *db, const char *id, bool lock, char **ret_json, char **ret_programmes);

/* Batch `id` with its lines (the accounts masked). */
enum app_err allowance_store_batch_full(struct db *db, const char *id, char **ret);

/* Batches newest first, without their lines. */
enum app_err allowance_store_batches(struct db *db,
                                     const char *month,
                                     const char *scope,
                                     const char *cursor,
                                     int limit,
                                     char **ret_array,
                                     char **ret_next);

/* allowance_batch_paid(); NOT_FOUND when the batch is not open. */
enum app_err allowance_store_batch_paid(struct db *db,
                                        const char *id,
                                        const char *reference,
                                        const char *paid_on,
                                        const struct allowance_actor *who,
                                        const char *at,
                                        char **ret);

/* allowance_batch_return(): *ret_n payments returned. */
enum app_err allowance_store_batch_return(struct db *db,
                                          const char *id,
                                          const char *recognition_id,
                                          const char *why,
                                          const struct allowance_actor *who,
                                          const char *at,
                                          int *ret_n);

/* Each line of batch `id` for an export, in order: fn(arg, n_lines, col)
 * with col[0..9] = certificate number, holder name, programme name, month
 * (YYYY-MM), amount (fen), method, bank name, sealed account (hex),
 * employer name, employer code (NULL where empty). fn's error stops it. */
typedef enum app_err allowance_line_fn(void *arg, size_t n_lines, const char *const col[10]);
enum app_err
allowance_store_batch_lines(struct db *db, const char *id, allowance_line_fn *fn, void *arg);

/* Title `recognition_id`'s clawbacks receivable (allowance_receivable()):
 * a JSON array text of {month, amount_fen, reversal_id, reason}. */
enum app_err allowance_store_receivable(struct db *db, const char *recognition_id, char **ret);

/* Records the recovery of title `recognition_id`'s clawbacks of `months`
 * (a PostgreSQL array text of firsts, NULL: all) with reason code `why`;
 * *ret {recovered, recovered_fen, months} as JSON text. */
enum app_err allowance_store_recover(struct db *db,
                                     const char *recognition_id,
                                     const char *months,
                                     const char *why,
                                     const struct allowance_actor *who,
                                     const char *at,
                                     char **ret);

/* One row of allowance_forecast_facts(): `titles` titles of `programme`
 * with the same facts in `month`. The strings live for the call. */
struct allowance_forecast_row {
    int32_t month, period_start; /* days since 1970-01-01 */
    const char *programme, *policy_version_id;
    bool revoked;               /* the title was revoked … */
    int32_t revoked_effective;  /* … effective on this day … */
    const char *revoked_reason; /* … for this reason code (NULL when not revoked) */
    bool suspended;
    const char *recheck; /* "passed", "failed" or NULL */
    long long titles;
};
typedef enum app_err allowance_forecast_fn(void *arg, const struct allowance_forecast_row *row);

/* Calls `fn` for each row of the forecast facts of months `from` to `to`
 * (YYYY-MM-DD firsts) within `scope`. */
enum app_err allowance_store_forecast(struct db *db,
                                      const char *from,
                                      const char *to,
                                      const char *scope,
                                      allowance_forecast_fn *fn,
                                      void *arg);

#endif
