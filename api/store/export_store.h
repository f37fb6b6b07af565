/* SPDX-License-Identifier: MIT */
/*
 * The nightly export's reads and its run records (issue 16). The datasets
 * come from the public_* projections (db/functions/18_public.sql) and
 * nothing else, each ordered by its key column (first) in byte order, and
 * are streamed through a server-side cursor (FETCH FORWARD 2000), so memory
 * does not grow with the row count.
 */
#ifndef JIANGXIN_EXPORT_STORE_H
#define JIANGXIN_EXPORT_STORE_H

#include <stdbool.h>

#include "db.h"

/* How a column is written: JSON number, true/false, JSON as it is, or a
 * string (everything else, by PostgreSQL's text output). */
enum export_kind { EXPORT_TEXT, EXPORT_NUMBER, EXPORT_BOOL, EXPORT_JSON };

#define EXPORT_MAX_COLS 64

struct export_cols {
    int n;
    const char *names[EXPORT_MAX_COLS];
    enum export_kind kinds[EXPORT_MAX_COLS];
};

/* Called once with the columns (before any row, also for no rows), then
 * once per row: values[i] NULL for SQL NULL. Returning false stops. */
struct export_sink {
    bool (*columns)(void *ctx, const struct export_cols *cols);
    bool (*row)(void *ctx, const struct export_cols *cols, const char *const *values);
    void *ctx;
};

/* Session-level pg_try_advisory_lock of the export: false when another
 * export holds it. */
enum app_err export_store_try_lock(struct db *db, bool *ret_locked);

/* BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY with the statement
 * timeout raised, then the audit chain's head in that snapshot (seq 0 and
 * "" when the log is empty). End it with db_rollback. */
enum app_err export_store_snapshot(struct db *db, long long *ret_seq, char ret_head[65]);

/* Streams the statement `stmt` (an export_store_* name; its parameter, if
 * any, is `param`) into sink. Inside export_store_snapshot's transaction.
 * APP_ERR_INTERNAL also when the sink stopped. */
enum app_err export_store_stream(struct db *db,
                                 const char *stmt,
                                 const char *param,
                                 const struct export_sink *sink);

/* Marks runs left `running` (a killed export) failed and starts a new run
 * at `now`; *ret_id is its id (malloc'd). Commits itself. */
enum app_err
export_store_run_start(struct db *db, const char *now, bool full, const char *date, char **ret_id);

/* Writes a run's result (state succeeded|failed) in the caller's
 * transaction; *ret_after is the run as JSON (malloc'd) for the audit. */
enum app_err export_store_run_finish(struct db *db,
                                     const char *id,
                                     const char *state,
                                     const char *now,
                                     const char *audit_seq,
                                     const char *audit_head,
                                     const char *manifest_sha256,
                                     const char *files,
                                     const char *error,
                                     char **ret_after);

/* A page of export_runs, newest first (db_json_page's shapes). */
enum app_err
export_store_runs(struct db *db, const char *cursor, int limit, char **ret_array, char **ret_next);

/* Records a succeeded run's delivery in the caller's transaction:
 * `attempts` POSTs, accepted at `now` (delivered) or given up with `error`
 * (the run becomes delivery_failed). *ret_after is the run's delivery as
 * JSON (malloc'd) for the audit. */
enum app_err export_store_run_delivery(struct db *db,
                                       const char *id,
                                       bool delivered,
                                       int attempts,
                                       const char *now,
                                       const char *error,
                                       char **ret_after);

#endif
