/* SPDX-License-Identifier: MIT */
/*
 * The allowance ledger's operations (issue 15, SPEC §4): the monthly run,
 * the settlement of held months when a re-check is decided, and the
 * ledger's reads. No HTTP here: the handlers (handlers/allowance.c) and the
 * CLI (`jiangxin-api allowance run`) call the same functions. Writes run in
 * the caller's open transaction.
 *
 * Scope: an office user runs and reads the titles of its programmes;
 * finance and auditors (and the CLI) the whole district.
 */
#ifndef JIANGXIN_OPS_ALLOWANCE_H
#define JIANGXIN_OPS_ALLOWANCE_H

#include <stdbool.h>

#include <jansson.h>

#include "ops.h"
#include "textbuf.h"

/*
 * The run of allowance month `month` ("YYYY-MM"; 422 not_month at
 * `pointer`, 422 month_in_future after the clock's current month) from
 * `source` ("api" or "cli"): for every title in scope whose management
 * period contains the month and which has no entry for it yet, the
 * payable-month rule (allowance_rules.h) decides an accrual of the
 * policy's monthly amount, a hold, or nothing. One transaction, set-based
 * (one read of the facts, one write of the entries), serialised with the
 * ledger's other writers, idempotent by the ledger's unique key: a second
 * run, or one after a crash, adds nothing. *ret is the run with the
 * totals it really added; an audit event records it.
 */
enum app_err allowance_run_month(const struct op_ctx *ctx,
                                 const char *month,
                                 const char *pointer,
                                 const char *source,
                                 json_t **ret,
                                 struct problem *p);

/* POST /v1/allowance/runs {"month": "YYYY-MM"}. */
enum app_err allowance_run_create(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p);

/* A re-check of title `recognition_id` was decided (`passed` or not):
 * its held months are released or cancelled, in the decision's
 * transaction. */
enum app_err allowance_settle_recheck(const struct op_ctx *ctx,
                                      const char *recognition_id,
                                      bool passed,
                                      struct problem *p);

/* Title `recognition_id`'s benefits stopped from `effective_on` (days
 * since 1970-01-01): a suspension stopping the allowance (why
 * "suspension") or a revocation (why "revocation", or "revocation_fraud"
 * with `every_month` for the reason fraud, allowance_rules_claws_back_all). The months already
 * accrued from the first month it takes back (allowance_rules_stop_from)
 * are reversed and the held ones cancelled, in the event's transaction. */
enum app_err allowance_stop(const struct op_ctx *ctx,
                            const char *recognition_id,
                            int32_t effective_on,
                            const char *why,
                            bool every_month,
                            struct problem *p);

/* A suspension of title `recognition_id` was lifted on `lifted_on` (days
 * since 1970-01-01), possibly in the past: the months from the first whose
 * first day the lifting covers up to the clock's current month that have
 * no entry yet — those monthly runs passed the title by while it was
 * suspended — get what the payable-month rule says now (an accrual or a
 * hold, reason `suspension_lifted`), in the lifting's transaction. Months
 * a late suspension reversed stay reversed. */
enum app_err allowance_resume(const struct op_ctx *ctx,
                              const char *recognition_id,
                              int32_t lifted_on,
                              struct problem *p);

/* Title `recognition_id` was revoked effective `effective_on` (days since
 * 1970-01-01) for `reason` (第十七条): its allowance stops as
 * allowance_stop() says (why "revocation", or "revocation_fraud" taking
 * back every month for fraud, allowance_rules_claws_back_all), and every
 * hold still unsettled is cancelled, whatever its month — the year-2
 * re-check that would release it cannot come for a revoked title. In the
 * revocation's transaction. */
enum app_err allowance_revoke(const struct op_ctx *ctx,
                              const char *recognition_id,
                              int32_t effective_on,
                              const char *reason,
                              struct problem *p);

/* GET /v1/allowance/runs?month=: runs newest first. */
enum app_err allowance_runs_list(const struct op_ctx *ctx,
                                 const char *month,
                                 const char *cursor,
                                 int limit,
                                 char **ret_array,
                                 char **ret_next,
                                 struct problem *p);

/* GET /v1/allowance/ledger?recognition_id=&month=&kind=: entries in
 * ledger order. */
struct allowance_ledger_query {
    const char *recognition_id, *month, *kind;
};
enum app_err allowance_ledger_list(const struct op_ctx *ctx,
                                   const struct allowance_ledger_query *q,
                                   const char *cursor,
                                   int limit,
                                   char **ret_array,
                                   char **ret_next,
                                   struct problem *p);

/* GET /v1/allowance/balances: per title, by certificate number. */
enum app_err allowance_balances_list(const struct op_ctx *ctx,
                                     const char *cursor,
                                     int limit,
                                     char **ret_array,
                                     char **ret_next,
                                     struct problem *p);

/* GET /v1/allowance/statements/{id}: the title's statement (404 when
 * unknown or outside the actor's programmes). */
enum app_err
allowance_statement_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p);

/* GET /v1/allowance/summary?from=&to= ("YYYY-MM", both required, from not
 * after to, at most 120 months): totals per programme and month. */
enum app_err allowance_summary_get(
    const struct op_ctx *ctx, const char *from, const char *to, json_t **ret, struct problem *p);

/* GET /v1/allowance/reconciliation (`unused`: the route has no id). */
enum app_err allowance_reconciliation_get(const struct op_ctx *ctx,
                                          const char *unused,
                                          json_t **ret,
                                          struct problem *p);

/* GET /v1/allowance/payees/{id}: the title's payee, the account masked
 * (404 payee_not_set when none). */
enum app_err
allowance_payee_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p);

/* PUT /v1/allowance/payees/{id} {method: "bank", bank_name, account} or
 * {method: "employer", employer_name, employer_code}: the account (8–32
 * digits, 422 not_account) sealed and masked like an ID number, the code
 * checked (422 not_unit_code). Audited. */
enum app_err allowance_payee_put(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p);

/* POST /v1/allowance/batches {"month"}: the month's payable entries within
 * the actor's scope whose titles have a payee, as a new batch
 * (*ret_created); with none, the newest open batch of that month and scope
 * (a repeated request), else 409 nothing_to_pay. The batch without its
 * lines (GET it for them); `without_payee` lists the certificate numbers
 * still without a payee. */
enum app_err allowance_batch_create(const struct op_ctx *ctx,
                                    const char *unused,
                                    const json_t *body,
                                    json_t **ret,
                                    bool *ret_created,
                                    struct problem *p);

/* GET /v1/allowance/batches/{id} (accounts masked) and the list. */
enum app_err
allowance_batch_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p);
enum app_err allowance_batches_list(const struct op_ctx *ctx,
                                    const char *month,
                                    const char *cursor,
                                    int limit,
                                    char **ret_array,
                                    char **ret_next,
                                    struct problem *p);

/* POST /v1/allowance/batches/{id}/paid {reference, paid_on} with the
 * batch's version (If-Match): a payment entry per line; 409 batch_paid. */
enum app_err allowance_batch_pay(const struct op_ctx *ctx,
                                 const char *id,
                                 const json_t *body,
                                 int if_match,
                                 json_t **ret,
                                 struct problem *p);

/* POST /v1/allowance/batches/{id}/returned {recognition_id, reason}: the
 * bank returned the payment of that line; its months are outstanding
 * again. 409 batch_not_paid, nothing_to_return. */
enum app_err allowance_batch_return_op(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p);

/* The finance export of batch `id`: CSV or XLSX (api/render/allowance_sheet.h)
 * with the full account numbers, into `out`; audited. */
enum app_err allowance_batch_export(
    const struct op_ctx *ctx, const char *id, bool xlsx, struct textbuf *out, struct problem *p);

/*
 * POST /v1/allowance/recoveries {recognition_id, reference, received_on,
 * months?} (finance): the holder (or the employer) paid back clawbacks —
 * a `recovery` entry names each reversal of a paid month that it settles
 * (every receivable month, or the months named: 422 not_receivable for
 * one that is not). 409 nothing_receivable when none is. The bank
 * reference and date go into the audit event; *ret {recovered,
 * recovered_fen, months, still_receivable, …}.
 */
enum app_err allowance_recovery_create(const struct op_ctx *ctx,
                                       const char *unused,
                                       const json_t *body,
                                       json_t **ret,
                                       struct problem *p);

/*
 * GET /v1/allowance/forecast?year=YYYY: the year's budget commitment per
 * month and programme — what the ledger holds for each month (earned,
 * held) plus, for the titles of the active cohort without an entry for it
 * yet, the payable-month rule over the facts as they stand today:
 * committed (payable), contingent (held for the re-check), and suspended
 * (months still to come that a lifting would pay; not in the budget).
 * 400 year_required, not_year. Inside a transaction (its statements may run
 * up to 5 minutes: allowance_store_long_read).
 */
enum app_err
allowance_forecast_get(const struct op_ctx *ctx, const char *year, json_t **ret, struct problem *p);

#endif
