/* SPDX-License-Identifier: MIT */
/*
 * users and user_programmes. Deleted users keep their row (audit events
 * name them) but disappear from every query here, and their tokens stop
 * working because user_store_principal no longer finds them.
 */
#include "user_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

const struct db_statement user_store_statements[] = {
    {"user_store_login", "SELECT id::text, password_hash FROM users"
                         " WHERE username = $1 AND deleted_at IS NULL AND NOT disabled"},
    {"user_store_principal", "SELECT u.role::text, u.username, coalesce(u.unit_id::text, ''),"
                             "       coalesce(string_agg(p.code, ',' ORDER BY p.code), ''),"
                             "       u.id::text"
                             "  FROM users u"
                             "  LEFT JOIN user_programmes up ON up.user_id = u.id"
                             "  LEFT JOIN programmes p ON p.id = up.programme_id"
                             " WHERE u.id = $1::uuid AND u.deleted_at IS NULL AND NOT u.disabled"
                             " GROUP BY u.id"},
    {"user_store_get", "SELECT api_user(u)::text FROM users u"
                       " WHERE id = $1::uuid AND deleted_at IS NULL"},
    {"user_store_get_for_update", "SELECT api_user(u)::text FROM users u"
                                  " WHERE id = $1::uuid AND deleted_at IS NULL FOR UPDATE"},
    {"user_store_list", "SELECT api_user(u)::text, u.username FROM users u"
                        " WHERE deleted_at IS NULL"
                        "   AND ($1::text IS NULL OR role::text = $1)"
                        "   AND ($2::text IS NULL OR username > $2)"
                        " ORDER BY username LIMIT $3::int"},
    {"user_store_insert", "INSERT INTO users (username, password_hash, role, unit_id)"
                          " VALUES ($1, $2, $3::user_role, $4::uuid) RETURNING id::text"},
    {"user_store_clear_programmes", "DELETE FROM user_programmes WHERE user_id = $1::uuid"},
    {"user_store_add_programmes",
     "INSERT INTO user_programmes (user_id, programme_id)"
     " SELECT $1::uuid, p.id FROM programmes p"
     "  WHERE p.code IN (SELECT jsonb_array_elements_text($2::jsonb))"},
    {"user_store_update",
     "UPDATE users SET role = $3::user_role, unit_id = $4::uuid, disabled = $5::boolean,"
     "       password_hash = coalesce($6, password_hash),"
     "       version = version + 1, updated_at = now()"
     " WHERE id = $1::uuid AND version = $2::int AND deleted_at IS NULL"
     " RETURNING api_user(users)::text"},
    {"user_store_delete", "UPDATE users SET deleted_at = now(), disabled = true,"
                          "       version = version + 1, updated_at = now()"
                          " WHERE id = $1::uuid AND deleted_at IS NULL"
                          " RETURNING api_user(users)::text"},
    /* Seconds left in a locked window, when the username is locked. */
    {"user_store_login_locked",
     "SELECT greatest(1, ceil(extract(epoch FROM"
     "         window_start + make_interval(secs => $3::int) - now())))::int"
     "  FROM login_failures"
     " WHERE username = $1 AND failures >= $2::int"
     "   AND window_start > now() - make_interval(secs => $3::int)"},
    {"user_store_login_failed",
     "WITH sweep AS (DELETE FROM login_failures"
     "                WHERE window_start <= now() - make_interval(secs => $2::int)"
     "                  AND username <> $1)"
     "INSERT INTO login_failures (username, failures, window_start) VALUES ($1, 1, now())"
     " ON CONFLICT (username) DO UPDATE SET"
     "   failures = CASE WHEN login_failures.window_start > now() - make_interval(secs => $2::int)"
     "                   THEN login_failures.failures + 1 ELSE 1 END,"
     "   window_start = CASE WHEN login_failures.window_start > now() - make_interval(secs => "
     "$2::int)"
     "                       THEN login_failures.window_start ELSE now() END"},
    {"user_store_login_succeeded", "DELETE FROM login_failures WHERE username = $1"},
    {NULL, NULL},
};

enum app_err user_store_login_locked(
    struct db *db, const char *username, int max_failures, int window_s, int *ret_retry_after)
{
    char maxf[16], win[16];
    const char *params[] = {username, maxf, win};
    PGresult *res = NULL;
    enum app_err err;

    snprintf(maxf, sizeof(maxf), "%d", max_failures);
    snprintf(win, sizeof(win), "%d", window_s);
    err = db_exec(db, "user_store_login_locked", 3, params, PGRES_TUPLES_OK, &res);
    if (err == APP_OK) {
        *ret_retry_after = PQntuples(res) == 1 ? atoi(PQgetvalue(res, 0, 0)) : 0;
    }
    PQclear(res);
    return err;
}

enum app_err user_store_login_result(struct db *db, const char *username, bool ok, int window_s)
{
    char win[16];
    const char *params[] = {username, win};
    PGresult *res = NULL;
    enum app_err err;

    snprintf(win, sizeof(win), "%d", window_s);
    err = db_exec(db, ok ? "user_store_login_succeeded" : "user_store_login_failed", ok ? 1 : 2,
                  params, PGRES_COMMAND_OK, &res);
    PQclear(res);
    return err;
}

enum app_err user_store_login(struct db *db, const char *username, char **ret_id, char **ret_hash)
{
    const char *params[] = {username};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "user_store_login", 1, params, PGRES_TUPLES_OK, &res);
    char *id = NULL, *hash = NULL;

    if (err != APP_OK) {
        return err;
    }
    if (PQntuples(res) != 1) {
        err = APP_ERR_NOT_FOUND;
        goto cleanup;
    }
    id = db_strdup(res, 0, 0);
    hash = db_strdup(res, 0, 1);
    if (id == NULL || hash == NULL) {
        err = APP_ERR_INTERNAL;
        goto cleanup;
    }
    *ret_id = id;
    *ret_hash = hash;
    id = hash = NULL;

cleanup:
    free(id);
    free(hash);
    PQclear(res);
    return err;
}

enum app_err user_store_principal(struct db *db, const char *id, struct principal *ret)
{
    const char *params[] = {id};
    struct principal p = {0};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "user_store_principal", 1, params, PGRES_TUPLES_OK, &res);

    if (err == APP_ERR_BAD_PARAMETER) {
        return APP_ERR_UNAUTHORIZED;
    }
    if (err != APP_OK) {
        return err;
    }
    if (PQntuples(res) != 1) {
        PQclear(res);
        return APP_ERR_UNAUTHORIZED;
    }
    p.role = auth_role_from_name(PQgetvalue(res, 0, 0));
    /* The id as PostgreSQL prints it (canonical), not as the token spelt it. */
    snprintf(p.id, sizeof(p.id), "%s", PQgetvalue(res, 0, 4));
    snprintf(p.username, sizeof(p.username), "%s", PQgetvalue(res, 0, 1));
    snprintf(p.unit_id, sizeof(p.unit_id), "%s", PQgetvalue(res, 0, 2));
    char *codes = PQgetvalue(res, 0, 3);
    for (char *save = NULL, *c = strtok_r(codes, ",", &save);
         c != NULL && p.n_programmes < AUTH_PROGRAMMES_MAX; c = strtok_r(NULL, ",", &save)) {
        snprintf(p.programmes[p.n_programmes++], AUTH_CODE_MAX, "%s", c);
    }
    PQclear(res);
    *ret = p;
    return APP_OK;
}

enum app_err user_store_get(struct db *db, const char *id, bool for_update, char **ret_json)
{
    const char *params[] = {id};

    return db_json_one(db, for_update ? "user_store_get_for_update" : "user_store_get", 1, params,
                       ret_json);
}

enum app_err user_store_list(struct db *db,
                             const char *role,
                             const char *cursor,
                             int limit,
                             char **ret_array,
                             char **ret_next)
{
    char lim[16];
    const char *params[] = {role, cursor, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, "user_store_list", 3, params, limit, ret_array, ret_next);
}

enum app_err user_store_insert(struct db *db,
                               const char *username,
                               const char *hash,
                               const char *role,
                               const char *unit_id,
                               char **ret_id)
{
    const char *params[] = {username, hash, role, unit_id};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "user_store_insert", 4, params, PGRES_TUPLES_OK, &res);
    char *id;

    if (err != APP_OK) {
        return err;
    }
    id = db_strdup(res, 0, 0);
    PQclear(res);
    if (id == NULL) {
        return APP_ERR_INTERNAL;
    }
    *ret_id = id;
    return APP_OK;
}

enum app_err user_store_set_programmes(struct db *db, const char *id, const char *codes_json)
{
    const char *params[] = {id, codes_json};
    PGresult *res = NULL;
    enum app_err err =
        db_exec(db, "user_store_clear_programmes", 1, params, PGRES_COMMAND_OK, &res);

    PQclear(res);
    res = NULL;
    if (err == APP_OK) {
        err = db_exec(db, "user_store_add_programmes", 2, params, PGRES_COMMAND_OK, &res);
        PQclear(res);
    }
    return err;
}

enum app_err user_store_update(struct db *db,
                               const char *id,
                               int version,
                               const char *role,
                               const char *unit_id,
                               bool disabled,
                               const char *new_hash,
                               char **ret_json)
{
    char ver[16];
    const char *params[] = {id, ver, role, unit_id, disabled ? "true" : "false", new_hash};

    snprintf(ver, sizeof(ver), "%d", version);
    return db_json_one(db, "user_store_update", 6, params, ret_json);
}

enum app_err user_store_delete(struct db *db, const char *id, char **ret_json)
{
    const char *params[] = {id};

    return db_json_one(db, "user_store_delete", 1, params, ret_json);
}
