/* SPDX-License-Identifier: MIT */
/*
 * libpq connections, one per MHD pool thread (tech-brief §5: no pool, no
 * locks, prepared statements stay valid). A pthread key closes each thread's
 * connection when the thread ends, so shutdown leaks nothing.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil_time.h"
#include "clock.h"
#include "db_internal.h"
#include "log.h"

static const char *db_conninfo;
static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;

static const struct db_statement db_statements[] = {
    {"db_ping", "SELECT 1"},
    {NULL, NULL},
};

static const struct db_statement *const all_statements[] = {
    db_statements,
#define STORE(name) name##_statements,
#include "stores.def"
#undef STORE
};

/* SQLSTATE → error kind. Never parse message text. */
static const struct {
    const char *sqlstate;
    enum app_err err;
} sqlstate_errs[] = {
    {"23505", APP_ERR_CONFLICT},      /* unique_violation */
    {"23503", APP_ERR_VALIDATION},    /* foreign_key_violation: a referenced id is unknown */
    {"23514", APP_ERR_VALIDATION},    /* check_violation */
    {"23502", APP_ERR_VALIDATION},    /* not_null_violation */
    {"22P02", APP_ERR_BAD_PARAMETER}, /* invalid_text_representation (e.g. bad uuid) */
    {"22007", APP_ERR_BAD_PARAMETER}, /* invalid_datetime_format */
    {"22008", APP_ERR_BAD_PARAMETER}, /* datetime_field_overflow */
    {"40001", APP_ERR_UNAVAILABLE},   /* serialization_failure: the client may retry */
    {"40P01", APP_ERR_UNAVAILABLE},   /* deadlock_detected */
    {"57014", APP_ERR_UNAVAILABLE},   /* query_canceled (statement_timeout) */
    {"57P01", APP_ERR_UNAVAILABLE},   /* admin_shutdown */
    {"JX409", APP_ERR_CONFLICT},      /* our triggers: a change the state forbids (0009) */
};

static void db_free(void *p)
{
    struct db *db = p;

    if (db != NULL) {
        PQfinish(db->conn);
        free(db);
    }
}

static void make_key(void)
{
    pthread_key_create(&db_key, db_free);
}

void db_configure(const char *conninfo)
{
    db_conninfo = conninfo;
    pthread_once(&db_key_once, make_key);
}

const char *db_statement_sql(const char *name)
{
    for (size_t i = 0; i < sizeof(all_statements) / sizeof(all_statements[0]); i++) {
        for (const struct db_statement *st = all_statements[i]; st->name != NULL; st++) {
            if (name == NULL) {
                puts(st->name);
            } else if (strcmp(st->name, name) == 0) {
                return st->sql;
            }
        }
    }
    return NULL;
}

static bool prepare_all(PGconn *conn)
{
    for (size_t i = 0; i < sizeof(all_statements) / sizeof(all_statements[0]); i++) {
        for (const struct db_statement *st = all_statements[i]; st->name != NULL; st++) {
            PGresult *res = PQprepare(conn, st->name, st->sql, 0, NULL);
            bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;

            if (!ok) {
                log_error("cannot prepare %s: %s", st->name, PQresultErrorMessage(res));
            }
            PQclear(res);
            if (!ok) {
                return false;
            }
        }
    }
    return true;
}

static bool db_connect(struct db *db)
{
    PQfinish(db->conn);
    db->in_tx = false;
    db->conn = PQconnectdb(db_conninfo);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        log_error("database unreachable: %s", PQerrorMessage(db->conn));
        PQfinish(db->conn);
        db->conn = NULL;
        return false;
    }
    PGresult *res = PQexec(db->conn, "SET TIME ZONE 'Asia/Shanghai'; SET statement_timeout = 5000");
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK && prepare_all(db->conn);
    PQclear(res);
    if (!ok) {
        PQfinish(db->conn);
        db->conn = NULL;
    }
    return ok;
}

struct db *db_thread(void)
{
    struct db *db = pthread_getspecific(db_key);

    if (db == NULL) {
        db = calloc(1, sizeof(*db));
        if (db == NULL) {
            return NULL;
        }
        pthread_setspecific(db_key, db);
    }
    if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK) {
        if (db->in_tx) { /* a handler forgot to finish: never leak a transaction */
            db_rollback(db);
        }
        return db;
    }
    return db_connect(db) ? db : NULL;
}

void db_thread_finish(void *unused)
{
    struct db *db = pthread_getspecific(db_key);

    (void)unused;
    if (db != NULL && db->in_tx) {
        db_rollback(db);
    }
}

void db_thread_close(void)
{
    struct db *db = pthread_getspecific(db_key);

    pthread_setspecific(db_key, NULL);
    db_free(db);
}

char *db_strdup(const PGresult *res, int row, int col)
{
    if (row >= PQntuples(res) || PQgetisnull(res, row, col)) {
        return NULL;
    }
    return strdup(PQgetvalue(res, row, col));
}

/* After a server restart a thread's idle connection is dead but looks fine
 * until used. Outside a transaction nothing has happened yet, so reconnect
 * and run the statement once more; inside one, the transaction is lost and
 * the caller answers 503. */
static bool reconnect_for_retry(struct db *db)
{
    if (db->in_tx || PQstatus(db->conn) != CONNECTION_BAD) {
        return false;
    }
    log_warn("database connection lost; reconnecting");
    return db_connect(db);
}

enum app_err db_exec(struct db *db,
                     const char *name,
                     int n_params,
                     const char *const *params,
                     ExecStatusType expected,
                     PGresult **ret)
{
    struct db_binary text = {0};

    return db_exec_binary(db, name, n_params, params, &text, expected, ret);
}

enum app_err
db_row(struct db *db, const char *name, int n_params, const char *const *params, PGresult **ret)
{
    PGresult *res = NULL;
    enum app_err err = db_exec(db, name, n_params, params, PGRES_TUPLES_OK, &res);

    if (err != APP_OK) {
        return err;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        return APP_ERR_NOT_FOUND;
    }
    *ret = res;
    return APP_OK;
}

void db_copy_col(const PGresult *res, int col, char *out, size_t len)
{
    snprintf(out, len, "%s", PQgetvalue(res, 0, col));
}

enum app_err db_exec_binary(struct db *db,
                            const char *name,
                            int n_params,
                            const char *const *params,
                            const struct db_binary *bin,
                            ExecStatusType expected,
                            PGresult **ret)
{
    PGresult *res = PQexecPrepared(db->conn, name, n_params, params, bin->lengths, bin->formats,
                                   bin->result_format);
    const char *state;

    if (PQresultStatus(res) != expected && reconnect_for_retry(db)) {
        PQclear(res);
        res = PQexecPrepared(db->conn, name, n_params, params, bin->lengths, bin->formats,
                             bin->result_format);
    }

    if (PQresultStatus(res) == expected) {
        *ret = res;
        return APP_OK;
    }
    if (PQstatus(db->conn) == CONNECTION_BAD) {
        log_error("%s: database connection lost", name);
        PQclear(res);
        return APP_ERR_UNAVAILABLE;
    }
    state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    for (size_t i = 0; state != NULL && i < sizeof(sqlstate_errs) / sizeof(sqlstate_errs[0]); i++) {
        if (strcmp(state, sqlstate_errs[i].sqlstate) == 0) {
            enum app_err err = sqlstate_errs[i].err;
            /* Expected outcomes (conflicts, bad input) are not server faults. */
            if (err == APP_ERR_UNAVAILABLE) {
                log_warn("%s: SQLSTATE %s", name, state);
            }
            PQclear(res);
            return err;
        }
    }
    log_error("%s failed (SQLSTATE %s): %s", name, state ? state : "none",
              PQresultErrorMessage(res));
    PQclear(res);
    return APP_ERR_INTERNAL;
}

static enum app_err simple(struct db *db, const char *sql)
{
    PGresult *res = PQexec(db->conn, sql);
    enum app_err err = APP_OK;

    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        err = PQstatus(db->conn) == CONNECTION_BAD ? APP_ERR_UNAVAILABLE : APP_ERR_INTERNAL;
        log_error("%s: %s", sql, PQerrorMessage(db->conn));
    }
    PQclear(res);
    return err;
}

enum app_err db_begin(struct db *db)
{
    enum app_err err = simple(db, "BEGIN");

    if (err != APP_OK && reconnect_for_retry(db)) {
        err = simple(db, "BEGIN");
    }
    db->in_tx = err == APP_OK;
    return err;
}

static void (*commit_hook)(void);

void db_on_commit(void (*fn)(void))
{
    commit_hook = fn;
}

enum app_err db_commit(struct db *db)
{
    enum app_err err = simple(db, "COMMIT");

    db->in_tx = false;
    if (err == APP_OK && commit_hook != NULL) {
        commit_hook();
    }
    return err;
}

void db_rollback(struct db *db)
{
    if (db != NULL && db->in_tx) {
        db->in_tx = false;
        if (PQstatus(db->conn) == CONNECTION_OK) {
            PQclear(PQexec(db->conn, "ROLLBACK"));
        }
    }
}

enum app_err db_ping(struct db *db)
{
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "db_ping", 0, NULL, PGRES_TUPLES_OK, &res);

    PQclear(res);
    return err;
}

enum app_err db_json_one(
    struct db *db, const char *stmt, int n_params, const char *const *params, char **ret_json)
{
    PGresult *res = NULL;
    enum app_err err = db_exec(db, stmt, n_params, params, PGRES_TUPLES_OK, &res);
    char *json;

    if (err != APP_OK) {
        return err;
    }
    if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0)) {
        PQclear(res);
        return APP_ERR_NOT_FOUND;
    }
    json = strdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    if (json == NULL) {
        return APP_ERR_INTERNAL;
    }
    *ret_json = json;
    return APP_OK;
}

enum app_err db_json_page(struct db *db,
                          const char *stmt,
                          int n_params,
                          const char *const *params,
                          int limit,
                          char **ret_array,
                          char **ret_next)
{
    PGresult *res = NULL;
    enum app_err err = db_exec(db, stmt, n_params, params, PGRES_TUPLES_OK, &res);
    size_t len = 3;
    int rows, shown;
    char *out, *next = NULL;

    if (err != APP_OK) {
        return err;
    }
    rows = PQntuples(res);
    shown = rows > limit ? limit : rows;
    for (int i = 0; i < shown; i++) {
        len += (size_t)PQgetlength(res, i, 0) + 1;
    }
    out = malloc(len);
    if (out == NULL) {
        PQclear(res);
        return APP_ERR_INTERNAL;
    }
    size_t o = 0;
    out[o++] = '[';
    for (int i = 0; i < shown; i++) {
        size_t n = (size_t)PQgetlength(res, i, 0);
        if (i > 0) {
            out[o++] = ',';
        }
        memcpy(out + o, PQgetvalue(res, i, 0), n);
        o += n;
    }
    out[o++] = ']';
    out[o] = '\0';
    if (rows > limit && shown > 0) {
        next = db_strdup(res, shown - 1, 1);
        if (next == NULL) {
            free(out);
            PQclear(res);
            return APP_ERR_INTERNAL;
        }
    }
    PQclear(res);
    *ret_array = out;
    *ret_next = next;
    return APP_OK;
}

void db_clock_now(char out[RFC3339_TEXT_MAX])
{
    rfc3339_format(clock_now_ms(), true, out);
}

void db_clock_today(char out[11])
{
    date_format(clock_today(), out);
}
