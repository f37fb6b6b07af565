/* SPDX-License-Identifier: MIT */
/*
 * The database handle as handlers see it: opaque. One connection per pool
 * thread, opened lazily, reset after a lost connection, with every store's
 * statements prepared again on each (re)connect. Transactions go through
 * db_begin/db_commit/db_rollback.
 */
#ifndef JIANGXIN_DB_H
#define JIANGXIN_DB_H

#include <stdbool.h>

#include "app_err.h"

struct db;

/* Sets the connection string for all threads. Call once at start. */
void db_configure(const char *conninfo);
/* The calling thread's connection, (re)connected when needed; NULL when the
 * database cannot be reached (callers answer 503). */
struct db *db_thread(void);
/* Closes the calling thread's connection (also done at thread exit). */
void db_thread_close(void);
/* After each request (the dispatcher's after-handler hook): rolls back a
 * transaction the handler left open on this thread. Never connects. */
void db_thread_finish(void *unused);

enum app_err db_begin(struct db *db);
enum app_err db_commit(struct db *db);
/* fn runs after every successful COMMIT of this process (any thread), e.g.
 * to mark cached public answers stale at once. Set once, before serving. */
void db_on_commit(void (*fn)(void));
/* Rolls back if a transaction is open. NULL-safe. */
void db_rollback(struct db *db);
/* SELECT 1 through the prepared path. */
enum app_err db_ping(struct db *db);

/* The SQL of the prepared statement `name` (NULL when there is none); with
 * name NULL, prints every statement name to stdout and returns NULL. For
 * `jiangxin-api statement`, so benchmarks and EXPLAIN run the very SQL the
 * service runs. */
const char *db_statement_sql(const char *name);

/* ---- Generic shapes used by the stores (see db.c) ---- */

/* A statement returning one row whose first column is a JSON object text:
 * *ret_json is malloc'd. APP_ERR_NOT_FOUND when there is no row. */
enum app_err db_json_one(
    struct db *db, const char *stmt, int n_params, const char *const *params, char **ret_json);

/* A statement returning rows of (json, cursor) in page order, asked for
 * limit + 1 rows: *ret_array is a JSON array text of at most `limit` items
 * and *ret_next the cursor of the last item when more rows exist (or NULL). */
enum app_err db_json_page(struct db *db,
                          const char *stmt,
                          int n_params,
                          const char *const *params,
                          int limit,
                          char **ret_array,
                          char **ret_next);

#endif
