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

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_migration(const char *name)
{
    size_t n = strlen(name);

    return n > 9 && strspn(name, "0123456789") == 4 && name[4] == '_' &&
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

/* Creates schema_migrations on first use. Checked first so that a role
 * without CREATE on the schema can still run an up-to-date migrate. */
static bool ensure_versions_table(PGconn *conn, FILE *out)
{
    PGresult *res = PQexec(conn, "SELECT to_regclass('schema_migrations') IS NULL");
    bool missing = PQresultStatus(res) == PGRES_TUPLES_OK && PQgetvalue(res, 0, 0)[0] == 't';
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;

    PQclear(res);
    if (!ok) {
        fprintf(out, "migrate: %s", PQerrorMessage(conn));
        return false;
    }
    return !missing || exec_ok(conn,
                               "CREATE TABLE schema_migrations ("
                               " name text PRIMARY KEY, checksum text NOT NULL,"
                               " applied_at timestamptz NOT NULL DEFAULT now())",
                               out);
}

/* 1 applied now, 0 already applied (same checksum), -1 error. */
static int apply_one(PGconn *conn, const char *dir, const char *name, FILE *out)
{
    char path[4096], sum[crypto_hash_sha256_BYTES * 2 + 1];
    unsigned char digest[crypto_hash_sha256_BYTES];
    char *sql = NULL;
    int rc = -1;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if ((sql = read_file(path)) == NULL) {
        fprintf(out, "migrate: cannot read %s\n", path);
        return -1;
    }
    crypto_hash_sha256(digest, (const unsigned char *)sql, strlen(sql));
    sodium_bin2hex(sum, sizeof(sum), digest, sizeof(digest));
    const char *params[] = {name, sum};
    PGresult *res = PQexecParams(conn, "SELECT checksum FROM schema_migrations WHERE name = $1", 1,
                                 NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(out, "migrate: %s", PQresultErrorMessage(res));
    } else if (PQntuples(res) == 1) {
        rc = strcmp(PQgetvalue(res, 0, 0), sum) == 0 ? 0 : -1;
        if (rc < 0) {
            fprintf(out, "migrate: %s was changed after it was applied; write a new migration\n",
                    name);
        }
    } else if (exec_ok(conn, "BEGIN", out)) {
        PGresult *ins = NULL;
        if (exec_ok(conn, sql, out) &&
            PQresultStatus(ins = PQexecParams(conn,
                                              "INSERT INTO schema_migrations (name, checksum)"
                                              " VALUES ($1, $2)",
                                              2, NULL, params, NULL, NULL, 0)) ==
                PGRES_COMMAND_OK &&
            exec_ok(conn, "COMMIT", out)) {
            fprintf(out, "migrate: applied %s\n", name);
            rc = 1;
        } else {
            exec_ok(conn, "ROLLBACK", out);
            fprintf(out, "migrate: %s failed; nothing of it was applied\n", name);
        }
        PQclear(ins);
    }
    PQclear(res);
    free(sql);
    return rc;
}

static int list_dir(const char *dir, char **names, FILE *out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (d == NULL) {
        fprintf(out, "migrate: cannot open %s\n", dir);
        return -1;
    }
    while ((e = readdir(d)) != NULL && n < MIGRATE_MAX) {
        if (is_migration(e->d_name) && (names[n] = strdup(e->d_name)) != NULL) {
            n++;
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof(*names), by_name);
    return n;
}

enum app_err migrate_run(const char *conninfo, const char *dir, FILE *out, int *ret_applied)
{
    char *names[MIGRATE_MAX];
    PGconn *conn = PQconnectdb(conninfo);
    enum app_err err = APP_ERR_INTERNAL;
    int n = 0, applied = 0;

    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(out, "migrate: database unreachable: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return APP_ERR_UNAVAILABLE;
    }
    /* Concurrent runners wait here; the second one then finds nothing to do. */
    if (!exec_ok(conn, "SET client_min_messages = warning", out) ||
        !exec_ok(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", out) ||
        !ensure_versions_table(conn, out) || (n = list_dir(dir, names, out)) < 0) {
        goto cleanup;
    }
    err = APP_OK;
    for (int i = 0; i < n && err == APP_OK; i++) {
        int rc = apply_one(conn, dir, names[i], out);
        applied += rc > 0;
        err = rc < 0 ? APP_ERR_INTERNAL : APP_OK;
    }
    if (err == APP_OK) {
        fprintf(out, "migrate: %d applied, %d already in place\n", applied, n - applied);
        *ret_applied = applied;
    }

cleanup:
    for (int i = 0; i < n; i++) {
        free(names[i]);
    }
    exec_ok(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", out);
    PQfinish(conn);
    return err;
}
