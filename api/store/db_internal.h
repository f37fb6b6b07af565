/* SPDX-License-Identifier: MIT */
/*
 * For api/store/ only: the libpq side of struct db. Each store file lists
 * its statements in a NULL-terminated table named <store>_statements; the
 * statement name equals the C function that runs it.
 */
#ifndef JIANGXIN_DB_INTERNAL_H
#define JIANGXIN_DB_INTERNAL_H

#include <libpq-fe.h>

#include "auth.h"
#include "civil_time.h"
#include "db.h"

/* The three statement parameters that name the actor of a write (its user
 * id or NULL, its username or "anonymous", its role), in that order. */
#define DB_ACTOR(who)                                                                    \
    (who)->id[0] ? (who)->id : NULL, (who)->username[0] ? (who)->username : "anonymous", \
        auth_role_name((who)->role)

struct db_statement {
    const char *name;
    const char *sql;
};

struct db {
    PGconn *conn;
    bool in_tx;
};

/* Runs a prepared statement; *ret is the result (caller PQclears) when the
 * status is `expected`. Errors map by SQLSTATE; a lost connection is
 * APP_ERR_UNAVAILABLE. The server's message is logged once here. */
enum app_err db_exec(struct db *db,
                     const char *name,
                     int n_params,
                     const char *const *params,
                     ExecStatusType expected,
                     PGresult **ret);

/* Binary parameters and results (bytea without the hex detour): lengths
 * and formats per parameter (NULL: all text), result_format 1 for binary
 * columns (raw bytes for bytea and text). */
struct db_binary {
    const int *lengths;
    const int *formats;
    int result_format;
};
/* db_exec with binary parameters or results. */
enum app_err db_exec_binary(struct db *db,
                            const char *name,
                            int n_params,
                            const char *const *params,
                            const struct db_binary *bin,
                            ExecStatusType expected,
                            PGresult **ret);

/* The service clock (common/clock.h) as a statement parameter: now as an
 * RFC 3339 text for $n::timestamptz, today as YYYY-MM-DD for $n::date.
 * Business rules in SQL take the time from here, never from the database. */
void db_clock_now(char out[RFC3339_TEXT_MAX]);
void db_clock_today(char out[11]);

/* Copies a text column of row 0; NULL for SQL NULL or out of memory. */
char *db_strdup(const PGresult *res, int row, int col);

/* db_exec of a statement that reads at most one row: *ret is its result
 * (caller PQclears) when it found one, APP_ERR_NOT_FOUND (nothing to
 * clear) when it found none. */
enum app_err
db_row(struct db *db, const char *name, int n_params, const char *const *params, PGresult **ret);

/* Copies text column `col` of row 0 into out (len bytes, always
 * terminated; "" for SQL NULL). */
void db_copy_col(const PGresult *res, int col, char *out, size_t len);

#define STORE(name) extern const struct db_statement name##_statements[];
#include "stores.def"
#undef STORE

#endif
