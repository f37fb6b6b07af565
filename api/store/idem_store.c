/* SPDX-License-Identifier: MIT */
/*
 * Idempotency-Key records (24 hours). A record is written in the same
 * transaction as the change it answers for, so a key never points at a
 * change that was rolled back.
 */
#include "idem_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

const struct db_statement idem_store_statements[] = {
    {"idem_store_get", "SELECT encode(request_hash, 'hex'), status, location, body"
                       "  FROM idempotency_keys"
                       " WHERE principal = $1 AND key = $2"
                       "   AND created_at > now() - interval '24 hours'"},
    {"idem_store_sweep",
     "DELETE FROM idempotency_keys WHERE created_at <= now() - interval '24 hours'"},
    {"idem_store_put",
     "INSERT INTO idempotency_keys (principal, key, method, path, request_hash, status,"
     "                              location, body)"
     " VALUES ($1, $2, $3, $4, decode($5, 'hex'), $6::int, $7, $8)"
     " ON CONFLICT (principal, key) DO NOTHING RETURNING 1"},
    {NULL, NULL},
};

void idem_record_clear(struct idem_record *r)
{
    if (r != NULL) {
        free(r->location);
        free(r->body);
        memset(r, 0, sizeof(*r));
    }
}

enum app_err
idem_store_get(struct db *db, const char *principal, const char *key, struct idem_record *ret)
{
    const char *params[] = {principal, key};
    struct idem_record r = {0};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "idem_store_get", 2, params, PGRES_TUPLES_OK, &res);

    if (err != APP_OK) {
        return err;
    }
    if (PQntuples(res) != 1) {
        PQclear(res);
        return APP_ERR_NOT_FOUND;
    }
    snprintf(r.request_hash, sizeof(r.request_hash), "%s", PQgetvalue(res, 0, 0));
    r.status = atoi(PQgetvalue(res, 0, 1));
    r.location = db_strdup(res, 0, 2);
    r.body = db_strdup(res, 0, 3);
    PQclear(res);
    if (r.location == NULL || r.body == NULL) {
        idem_record_clear(&r);
        return APP_ERR_INTERNAL;
    }
    *ret = r;
    return APP_OK;
}

enum app_err idem_store_put(struct db *db,
                            const char *principal,
                            const char *key,
                            const char *method,
                            const char *path,
                            const char *request_hash,
                            int status,
                            const char *location,
                            const char *body)
{
    char st[16];
    const char *params[] = {principal, key, method, path, request_hash, st, location, body};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "idem_store_sweep", 0, NULL, PGRES_COMMAND_OK, &res);

    PQclear(res);
    res = NULL;
    if (err != APP_OK) {
        return err;
    }
    snprintf(st, sizeof(st), "%d", status);
    err = db_exec(db, "idem_store_put", 8, params, PGRES_TUPLES_OK, &res);
    if (err == APP_OK && PQntuples(res) != 1) {
        err = APP_ERR_CONFLICT; /* the same key is being used by a concurrent request */
    }
    PQclear(res);
    return err;
}
