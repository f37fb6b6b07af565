/* SPDX-License-Identifier: MIT */
#include "export_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "log.h"

/* The export's advisory lock key ('jxexport'). */
#define EXPORT_LOCK_KEY "7614541467519562868"
#define FETCH_ROWS      "2000"

const struct db_statement export_store_statements[] = {
    {"export_store_programmes",
     "SELECT * FROM public_programme_versions() x ORDER BY x.key COLLATE \"C\""},
    {"export_store_rounds",
     "SELECT * FROM public_rounds($1::date) x ORDER BY x.id::text COLLATE \"C\""},
    {"export_store_nominees",
     "SELECT * FROM public_nominees($1::timestamptz) x ORDER BY x.id::text COLLATE \"C\""},
    {"export_store_vote_results", "SELECT * FROM public_vote_results($1::timestamptz) x"
                                  " ORDER BY x.nominee_id::text COLLATE \"C\""},
    {"export_store_decisions",
     "SELECT * FROM public_decisions($1::date) x ORDER BY x.id::text COLLATE \"C\""},
    {"export_store_notices",
     "SELECT * FROM public_notices($1::date) x ORDER BY x.id::text COLLATE \"C\""},
    {"export_store_recognitions",
     "SELECT * FROM public_recognitions() x ORDER BY x.certificate_number COLLATE \"C\""},
    {"export_store_allowance_summary",
     "SELECT * FROM public_allowance_summary() x ORDER BY x.key COLLATE \"C\""},
    {"export_store_audit_head",
     "SELECT seq, encode(hash, 'hex') FROM audit_events ORDER BY seq DESC LIMIT 1"},
    {"export_store_try_lock", "SELECT pg_try_advisory_lock(" EXPORT_LOCK_KEY ")"},
    {"export_store_run_start",
     "WITH interrupted AS ("
     "  UPDATE export_runs SET state = 'failed', finished_at = $1::timestamptz,"
     "         error = 'interrupted (the process ended before it finished)'"
     "   WHERE state = 'running' RETURNING 1)"
     " INSERT INTO export_runs (started_at, \"full\", date)"
     " SELECT $1::timestamptz, $2::boolean, $3::date"
     "   FROM (SELECT count(*) FROM interrupted) i RETURNING id"},
    /* GET /v1/export-runs: newest first; the cursor is the last run's id. */
    {"export_store_runs",
     "SELECT (to_jsonb(r) - 'started_at' - 'finished_at' || jsonb_build_object("
     "         'started_at', api_ts(r.started_at), 'finished_at', api_ts(r.finished_at)))::text,"
     "       r.id::text"
     "  FROM export_runs r"
     " WHERE $1::uuid IS NULL OR (r.started_at, r.id) <"
     "       (SELECT s.started_at, s.id FROM export_runs s WHERE s.id = $1::uuid)"
     " ORDER BY r.started_at DESC, r.id DESC LIMIT $2::int"},
    {"export_store_run_finish",
     "UPDATE export_runs SET state = $2, finished_at = $3::timestamptz,"
     "       audit_seq = $4::bigint, audit_head = $5, manifest_sha256 = $6, files = $7::jsonb,"
     "       error = $8"
     " WHERE id = $1::uuid"
     " RETURNING jsonb_build_object('id', id, 'state', state, 'full', \"full\", 'date', date,"
     "   'started_at', started_at, 'finished_at', finished_at, 'audit_seq', audit_seq,"
     "   'audit_head', audit_head, 'manifest_sha256', manifest_sha256, 'error', error)::text"},
    {"export_store_run_delivery",
     "UPDATE export_runs SET state = CASE WHEN $2::boolean THEN state ELSE 'delivery_failed' END,"
     "       delivery_attempts = $3::integer,"
     "       delivered_at = CASE WHEN $2::boolean THEN $4::timestamptz END,"
     "       error = CASE WHEN $2::boolean THEN error ELSE $5 END"
     " WHERE id = $1::uuid AND state = 'succeeded'"
     " RETURNING jsonb_build_object('id', id, 'state', state, 'delivery_attempts',"
     "   delivery_attempts, 'delivered_at', delivered_at, 'error', error)::text"},
    {NULL, NULL},
};

enum app_err export_store_try_lock(struct db *db, bool *ret_locked)
{
    PGresult *res = NULL;
    enum app_err err = db_row(db, "export_store_try_lock", 0, NULL, &res);

    if (err == APP_OK) {
        *ret_locked = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
        PQclear(res);
    }
    return err;
}

static enum app_err command(struct db *db, const char *sql)
{
    PGresult *res = PQexec(db->conn, sql);
    enum app_err err = APP_OK;

    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
        err = PQstatus(db->conn) == CONNECTION_BAD ? APP_ERR_UNAVAILABLE : APP_ERR_INTERNAL;
        log_error("export: %s: %s", sql, PQerrorMessage(db->conn));
    }
    PQclear(res);
    return err;
}

enum app_err export_store_snapshot(struct db *db, long long *ret_seq, char ret_head[65])
{
    PGresult *res = NULL;
    enum app_err err;

    /* One snapshot for every file, the watermark and the audit head. The
     * 5 s statement timeout is for requests; a FETCH of a big dataset may
     * take longer (the transaction's own setting, gone at its end). */
    err = command(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (err != APP_OK) {
        return err;
    }
    db->in_tx = true;
    err = command(db, "SELECT set_config('statement_timeout', '0', true),"
                      " set_config('client_encoding', 'UTF8', true)");
    if (err != APP_OK) {
        return err;
    }
    err = db_row(db, "export_store_audit_head", 0, NULL, &res);
    if (err == APP_ERR_NOT_FOUND) {
        *ret_seq = 0;
        ret_head[0] = '\0';
        return APP_OK;
    }
    if (err == APP_OK) {
        *ret_seq = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        snprintf(ret_head, 65, "%s", PQgetvalue(res, 0, 1));
        PQclear(res);
    }
    return err;
}

static enum export_kind kind_of(Oid type)
{
    switch (type) {
    case 20:   /* int8 */
    case 21:   /* int2 */
    case 23:   /* int4 */
    case 26:   /* oid */
    case 700:  /* float4 */
    case 701:  /* float8 */
    case 1700: /* numeric */
        return EXPORT_NUMBER;
    case 16: /* bool */
        return EXPORT_BOOL;
    case 114:  /* json */
    case 3802: /* jsonb */
        return EXPORT_JSON;
    default:
        return EXPORT_TEXT;
    }
}

enum app_err export_store_stream(struct db *db,
                                 const char *stmt,
                                 const char *param,
                                 const struct export_sink *sink)
{
    const char *sql = db_statement_sql(stmt);
    const char *params[1] = {param};
    struct export_cols cols = {0};
    bool described = false, ok = true;
    enum app_err err = APP_OK;
    char *declare;
    PGresult *res;

    if (sql == NULL || asprintf(&declare, "DECLARE export_rows NO SCROLL CURSOR FOR %s", sql) < 0) {
        return APP_ERR_INTERNAL;
    }
    /* Parameters are bound server-side in DECLARE (the extended protocol). */
    res = PQexecParams(db->conn, declare, param != NULL ? 1 : 0, NULL, params, NULL, NULL, 0);
    free(declare);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        log_error("export: %s: %s", stmt, PQresultErrorMessage(res));
        err = PQstatus(db->conn) == CONNECTION_BAD ? APP_ERR_UNAVAILABLE : APP_ERR_INTERNAL;
        PQclear(res);
        return err;
    }
    PQclear(res);
    while (ok) {
        res = PQexec(db->conn, "FETCH FORWARD " FETCH_ROWS " FROM export_rows");
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            log_error("export: %s: %s", stmt, PQresultErrorMessage(res));
            err = PQstatus(db->conn) == CONNECTION_BAD ? APP_ERR_UNAVAILABLE : APP_ERR_INTERNAL;
            PQclear(res);
            return err;
        }
        if (!described) {
            cols.n = PQnfields(res);
            if (cols.n > EXPORT_MAX_COLS) {
                PQclear(res);
                return APP_ERR_INTERNAL;
            }
            for (int c = 0; c < cols.n; c++) {
                cols.names[c] = PQfname(res, c);
                cols.kinds[c] = kind_of(PQftype(res, c));
            }
            ok = sink->columns(sink->ctx, &cols);
            described = true;
        }
        int rows = PQntuples(res);
        for (int c = 0; c < cols.n; c++) { /* this result's names (the last one is cleared) */
            cols.names[c] = PQfname(res, c);
        }
        for (int r = 0; ok && r < rows; r++) {
            const char *values[EXPORT_MAX_COLS];
            for (int c = 0; c < cols.n; c++) {
                values[c] = PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
            }
            ok = sink->row(sink->ctx, &cols, values);
        }
        PQclear(res);
        if (rows == 0) {
            break;
        }
    }
    if (!ok) {
        return APP_ERR_INTERNAL;
    }
    return command(db, "CLOSE export_rows");
}

enum app_err
export_store_run_start(struct db *db, const char *now, bool full, const char *date, char **ret_id)
{
    const char *params[] = {now, full ? "true" : "false", date};
    PGresult *res = NULL;
    enum app_err err = db_begin(db);

    if (err == APP_OK) {
        err = db_row(db, "export_store_run_start", 3, params, &res);
    }
    if (err == APP_OK) {
        *ret_id = db_strdup(res, 0, 0);
        PQclear(res);
        err = *ret_id != NULL ? db_commit(db) : APP_ERR_INTERNAL;
    }
    db_rollback(db);
    return err;
}

enum app_err export_store_run_finish(struct db *db,
                                     const char *id,
                                     const char *state,
                                     const char *now,
                                     const char *audit_seq,
                                     const char *audit_head,
                                     const char *manifest_sha256,
                                     const char *files,
                                     const char *error,
                                     char **ret_after)
{
    const char *params[] = {id, state, now, audit_seq, audit_head, manifest_sha256, files, error};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "export_store_run_finish", 8, params, &res);

    if (err == APP_OK) {
        *ret_after = db_strdup(res, 0, 0);
        PQclear(res);
        err = *ret_after != NULL ? APP_OK : APP_ERR_INTERNAL;
    }
    return err;
}

enum app_err
export_store_runs(struct db *db, const char *cursor, int limit, char **ret_array, char **ret_next)
{
    char lim[16];
    const char *params[] = {cursor, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, "export_store_runs", 2, params, limit, ret_array, ret_next);
}

enum app_err export_store_run_delivery(struct db *db,
                                       const char *id,
                                       bool delivered,
                                       int attempts,
                                       const char *now,
                                       const char *error,
                                       char **ret_after)
{
    char n[16];
    const char *params[] = {id, delivered ? "true" : "false", n, now, error};
    PGresult *res = NULL;
    enum app_err err;

    snprintf(n, sizeof(n), "%d", attempts);
    err = db_row(db, "export_store_run_delivery", 5, params, &res);
    if (err == APP_OK) {
        *ret_after = db_strdup(res, 0, 0);
        PQclear(res);
        err = *ret_after != NULL ? APP_OK : APP_ERR_INTERNAL;
    }
    return err;
}
