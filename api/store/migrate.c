/* SPDX-License-Identifier: MIT */
/*
 * The migration runner (see migrate.h). It uses its own connection and the
 * simple query protocol, because a migration file holds many statements.
 */
#include "migrate.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

#define MIGRATE_LOCK_KEY "7236010"
#define MIGRATE_MAX      512
#define MIGRATE_SUM_LEN  (crypto_hash_sha256_BYTES * 2 + 1)

/* What a run found in one directory. */
struct migrate_files {
    char dir[4096];
    char *names[MIGRATE_MAX];
    int n;
    int applied; /* by this run */
};

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* NNNN_<verb>_<object>.sql */
static bool is_migration(const char *name)
{
    size_t n = strlen(name);

    return n > 9 && strspn(name, "0123456789") == 4 && name[4] == '_' &&
           strcmp(name + n - 4, ".sql") == 0;
}

/* NN_<domain>.sql: the number fixes the order a file's dependencies need. */
static bool is_functions_file(const char *name)
{
    size_t n = strlen(name);

    return n > 7 && strspn(name, "0123456789") == 2 && name[2] == '_' &&
           strcmp(name + n - 4, ".sql") == 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long len;

    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)len + 1)) != NULL) {
        if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
            free(buf);
            buf = NULL;
        } else {
            buf[len] = '\0';
        }
    }
    fclose(f);
    return buf;
}

static bool exec_ok(PGconn *conn, const char *sql, FILE *out)
{
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

    if (!ok) {
        fprintf(out, "migrate: %s", PQresultErrorMessage(res));
    }
    PQclear(res);
    return ok;
}

/* Creates a bookkeeping table on first use. Checked first so that a role
 * without CREATE on the schema can still run an up-to-date migrate. */
static bool ensure_table(PGconn *conn, const char *name, const char *create, FILE *out)
{
    const char *params[] = {name};
    PGresult *res =
        PQexecParams(conn, "SELECT to_regclass($1) IS NULL", 1, NULL, params, NULL, NULL, 0);
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    bool missing = ok && PQgetvalue(res, 0, 0)[0] == 't';

    if (!ok) {
        fprintf(out, "migrate: %s", PQresultErrorMessage(res));
    }
    PQclear(res);
    return ok && (!missing || exec_ok(conn, create, out));
}

/* The file's text and its SHA-256 in hex; NULL (reported) when unreadable. */
static char *read_sql(const char *dir, const char *name, char sum[MIGRATE_SUM_LEN], FILE *out)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    char path[4200];
    char *sql;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if ((sql = read_file(path)) == NULL) {
        fprintf(out, "migrate: cannot read %s\n", path);
        return NULL;
    }
    crypto_hash_sha256(digest, (const unsigned char *)sql, strlen(sql));
    sodium_bin2hex(sum, MIGRATE_SUM_LEN, digest, sizeof(digest));
    return sql;
}

/* The checksum recorded for `name` by `query` into ret_sum ("" when none);
 * false on a database error. */
static bool recorded_sum(
    PGconn *conn, const char *query, const char *name, char ret_sum[MIGRATE_SUM_LEN], FILE *out)
{
    const char *params[] = {name};
    PGresult *res = PQexecParams(conn, query, 1, NULL, params, NULL, NULL, 0);
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;

    if (!ok) {
        fprintf(out, "migrate: %s", PQresultErrorMessage(res));
    } else {
        snprintf(ret_sum, MIGRATE_SUM_LEN, "%s", PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "");
    }
    PQclear(res);
    return ok;
}

/* Runs sql, then `record` with (name, sum). */
static bool run_and_record(
    PGconn *conn, const char *sql, const char *record, const char *name, const char *sum, FILE *out)
{
    const char *params[] = {name, sum};
    PGresult *res;
    bool ok;

    if (!exec_ok(conn, sql, out)) {
        return false;
    }
    res = PQexecParams(conn, record, 2, NULL, params, NULL, NULL, 0);
    ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok) {
        fprintf(out, "migrate: %s", PQresultErrorMessage(res));
    }
    PQclear(res);
    return ok;
}

/* 1 applied now, 0 already applied (same checksum), -1 error. */
static int apply_migration(PGconn *conn, const char *dir, const char *name, FILE *out)
{
    char sum[MIGRATE_SUM_LEN], have[MIGRATE_SUM_LEN];
    char *sql = read_sql(dir, name, sum, out);
    int rc = -1;

    if (sql == NULL || !recorded_sum(conn, "SELECT checksum FROM schema_migrations WHERE name = $1",
                                     name, have, out)) {
        goto cleanup;
    }
    if (have[0] != '\0') {
        rc = strcmp(have, sum) == 0 ? 0 : -1;
        if (rc < 0) {
            fprintf(out, "migrate: %s was changed after it was applied; write a new migration\n",
                    name);
        }
    } else if (run_and_record(conn, sql,
                              "INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)",
                              name, sum, out)) {
        fprintf(out, "migrate: applied %s\n", name);
        rc = 1;
    } else {
        fprintf(out, "migrate: %s failed\n", name);
    }

cleanup:
    free(sql);
    return rc;
}

/* 1 applied now, 0 unchanged, -1 error. `all`: apply even when unchanged. */
static int apply_functions(PGconn *conn, const char *dir, const char *name, bool all, FILE *out)
{
    char sum[MIGRATE_SUM_LEN], have[MIGRATE_SUM_LEN];
    char *sql = read_sql(dir, name, sum, out);
    int rc = -1;

    if (sql == NULL || !recorded_sum(conn, "SELECT checksum FROM schema_functions WHERE name = $1",
                                     name, have, out)) {
        goto cleanup;
    }
    if (!all && strcmp(have, sum) == 0) {
        rc = 0;
    } else if (run_and_record(conn, sql,
                              "INSERT INTO schema_functions (name, checksum) VALUES ($1, $2)"
                              " ON CONFLICT (name) DO UPDATE"
                              " SET checksum = excluded.checksum, applied_at = now()",
                              name, sum, out)) {
        fprintf(out, "migrate: applied functions/%s\n", name);
        rc = 1;
    } else {
        fprintf(out, "migrate: functions/%s failed\n", name);
    }

cleanup:
    free(sql);
    return rc;
}

/* The names in `dir` that `keep` accepts, sorted. */
static bool list_dir(struct migrate_files *files, bool (*keep)(const char *), FILE *out)
{
    DIR *d = opendir(files->dir);
    struct dirent *e;

    if (d == NULL) {
        fprintf(out, "migrate: cannot open %s\n", files->dir);
        return false;
    }
    while ((e = readdir(d)) != NULL && files->n < MIGRATE_MAX) {
        if (keep(e->d_name) && (files->names[files->n] = strdup(e->d_name)) != NULL) {
            files->n++;
        }
    }
    closedir(d);
    qsort(files->names, (size_t)files->n, sizeof(*files->names), by_name);
    return true;
}

/* `functions` beside the migrations directory: the parent of its last
 * component (trailing slashes ignored), textually, so that a symlinked
 * directory finds the functions next to the link. */
static void functions_dir(const char *migrations, char *buf, size_t cap)
{
    size_t len = strlen(migrations);

    while (len > 1 && migrations[len - 1] == '/') {
        len--;
    }
    while (len > 0 && migrations[len - 1] != '/') {
        len--;
    }
    snprintf(buf, cap, "%.*sfunctions", (int)len, migrations);
}

/* The pending migrations, then the changed functions files (all of them
 * when a migration ran), in one transaction: a run that fails leaves the
 * database as it was, so the migrations never land without the functions
 * that go with them. The price: an enum value a migration adds cannot be
 * used as such until the commit, not even in a function body (README). */
static bool
run_transaction(PGconn *conn, struct migrate_files *mig, struct migrate_files *fns, FILE *out)
{
    int rc = 0;

    if (!exec_ok(conn, "BEGIN", out)) {
        return false;
    }
    if (!ensure_table(conn, "schema_migrations",
                      "CREATE TABLE schema_migrations (name text PRIMARY KEY,"
                      " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                      out) ||
        !ensure_table(conn, "schema_functions",
                      "CREATE TABLE schema_functions (name text PRIMARY KEY,"
                      " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                      out)) {
        rc = -1;
    }
    for (int i = 0; i < mig->n && rc >= 0; i++) {
        rc = apply_migration(conn, mig->dir, mig->names[i], out);
        mig->applied += rc > 0;
    }
    for (int i = 0; i < fns->n && rc >= 0; i++) {
        rc = apply_functions(conn, fns->dir, fns->names[i], mig->applied > 0, out);
        fns->applied += rc > 0;
    }
    if (rc >= 0 && exec_ok(conn, "COMMIT", out)) {
        return true;
    }
    exec_ok(conn, "ROLLBACK", out);
    fprintf(out, "migrate: rolled back; nothing of this run was applied\n");
    return false;
}

enum app_err migrate_run(const char *conninfo, const char *dir, FILE *out, int *ret_applied)
{
    struct migrate_files mig = {.n = 0}, fns = {.n = 0};
    PGconn *conn = PQconnectdb(conninfo);
    enum app_err err = APP_ERR_INTERNAL;

    snprintf(mig.dir, sizeof(mig.dir), "%s", dir);
    functions_dir(dir, fns.dir, sizeof(fns.dir));
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(out, "migrate: database unreachable: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return APP_ERR_UNAVAILABLE;
    }
    /* Concurrent runners wait here; the second one then finds nothing to do. */
    if (!exec_ok(conn, "SET client_min_messages = warning", out) ||
        !exec_ok(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", out) ||
        !list_dir(&mig, is_migration, out) || !list_dir(&fns, is_functions_file, out) ||
        !run_transaction(conn, &mig, &fns, out)) {
        goto cleanup;
    }
    fprintf(out, "migrate: %d applied, %d already in place; functions: %d applied, %d unchanged\n",
            mig.applied, mig.n - mig.applied, fns.applied, fns.n - fns.applied);
    *ret_applied = mig.applied + fns.applied;
    err = APP_OK;

cleanup:
    for (int i = 0; i < mig.n; i++) {
        free(mig.names[i]);
    }
    for (int i = 0; i < fns.n; i++) {
        free(fns.names[i]);
    }
    exec_ok(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", out);
    PQfinish(conn);
    return err;
}
