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
                             "       u.token_version, u.id::text"
                             "  FROM users u"
                             "  LEFT JOIN user_programmes up ON up.user_id = u.id"
                             "  LEFT JOIN programmes p ON p.id = up.programme_id"
                             " WHERE u.id = $1::uuid AND u.deleted_at IS NULL AND NOT u.disabled"
                             " GROUP BY u.id"},
    {"user_store_token_version", "SELECT token_version FROM users"
                                 " WHERE id = $1::uuid AND deleted_at IS NULL AND NOT disabled"},
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
    /* A programme scope that changes ends the user's tokens. */
    {"user_store_scope_changed",
     "UPDATE users SET token_version = token_version + 1"
     " WHERE id = $1::uuid"
     "   AND coalesce((SELECT array_agg(p.code ORDER BY p.code) FROM user_programmes up"
     "                   JOIN programmes p ON p.id = up.programme_id WHERE up.user_id = $1::uuid),"
     "                '{}')"
     "       IS DISTINCT FROM"
     "       coalesce((SELECT array_agg(p.code ORDER BY p.code) FROM programmes p"
     "                  WHERE p.code IN (SELECT jsonb_array_elements_text($2::jsonb))), '{}')"},
    {"user_store_clear_programmes", "DELETE FROM user_programmes WHERE user_id = $1::uuid"},
    {"user_store_add_programmes",
     "INSERT INTO user_programmes (user_id, programme_id)"
     " SELECT $1::uuid, p.id FROM programmes p"
     "  WHERE p.code IN (SELECT jsonb_array_elements_text($2::jsonb))"},
    {"user_store_update",
     "UPDATE users SET role = $3::user_role, unit_id = $4::uuid, disabled = $5::boolean,"
     "       password_hash = coalesce($6, password_hash),"
     /* Tokens end with a new password, a disable, a role or unit change. */
     "       token_version = token_version + CASE WHEN $6 IS NOT NULL"
     "           OR (disabled IS DISTINCT FROM $5::boolean)"
     "           OR role IS DISTINCT FROM $3::user_role OR unit_id IS DISTINCT FROM $4::uuid"
     "           THEN 1 ELSE 0 END,"
     "       version = version + 1, updated_at = now()"
     " WHERE id = $1::uuid AND version = $2::int AND deleted_at IS NULL"
     " RETURNING api_user(users)::text"},
    {"user_store_delete", "UPDATE users SET deleted_at = now(), disabled = true,"
                          "       token_version = token_version + 1,"
                          "       version = version + 1, updated_at = now()"
                          " WHERE id = $1::uuid AND deleted_at IS NULL"
                          " RETURNING api_user(users)::text"},
    /* Sign-in throttling (0011_create_sign_in_throttle.sql). $1 the pair's
     * key, $2 the address's key, $3 the address budget (failures), $4 its
     * window (s): the bucket drains $3 per $4 seconds. Seconds to wait
     * for the pair, and for the address (0: not blocked). */
    {"user_store_sign_in_wait",
     "SELECT coalesce((SELECT greatest(1, ceil(extract(epoch FROM blocked_until - now())))::int"
     "                   FROM sign_in_failures WHERE key = $1 AND blocked_until > now()), 0),"
     "       coalesce((SELECT greatest(1, ceil((lvl - ($3::int::float8 - 1)) * $4::int::float8"
     "                                         / $3::int::float8))::int"
     "                   FROM (SELECT level - extract(epoch FROM now() - updated_at)"
     "                                        * $3::int::float8 / $4::int::float8 AS lvl"
     "                           FROM sign_in_address_failures WHERE key = $2) b"
     "                  WHERE lvl > $3::int::float8 - 1), 0)"},
    /* A failure: the pair's count and block (after $5 free failures, 1 s
     * doubling per failure up to $6 s; a row idle 24 h past its block
     * starts again), the address's bucket; expired rows are swept. Returns
     * the pair's failures and the address's level before this failure. */
    {"user_store_sign_in_failed",
     "WITH sweep_pairs AS (DELETE FROM sign_in_failures"
     "                      WHERE blocked_until < now() - interval '24 hours' AND key <> $1),"
     "     sweep_addresses AS (DELETE FROM sign_in_address_failures"
     "                          WHERE updated_at < now() - make_interval(secs => 2 * $4::int)"
     "                            AND key <> $2),"
     "     address AS (INSERT INTO sign_in_address_failures AS a (key, level, updated_at)"
     "                 VALUES ($2, 1, now())"
     "                 ON CONFLICT (key) DO UPDATE SET"
     "                   level = greatest(0, a.level - extract(epoch FROM now() - a.updated_at)"
     "                                                 * $3::int::float8 / $4::int::float8) + 1,"
     "                   updated_at = now()"
     "                 RETURNING a.level),"
     "     pair AS (INSERT INTO sign_in_failures AS f (key, failures, blocked_until)"
     "              VALUES ($1, 1, now() + make_interval(secs => CASE WHEN 1 > $5::int"
     "                                                       THEN 1 ELSE 0 END))"
     "              ON CONFLICT (key) DO UPDATE SET"
     "                failures = CASE WHEN f.blocked_until < now() - interval '24 hours'"
     "                                THEN 1 ELSE f.failures + 1 END,"
     "                blocked_until = now() + make_interval(secs =>"
     "                  CASE WHEN f.blocked_until < now() - interval '24 hours'"
     "                            OR f.failures + 1 <= $5::int THEN 0"
     "                       ELSE least($6::int, power(2, least(f.failures - $5::int, 30)))"
     "                  END)"
     "              RETURNING f.failures)"
     "SELECT (SELECT failures FROM pair), (SELECT level - 1 FROM address)"},
    {"user_store_sign_in_succeeded", "DELETE FROM sign_in_failures WHERE key = $1"},
    {NULL, NULL},
};

enum app_err user_store_sign_in_wait(struct db *db,
                                     const char *pair_key,
                                     const char *address_key,
                                     const struct sign_in_limits *lim,
                                     int *ret_pair_wait,
                                     int *ret_address_wait)
{
    char budget[16], window[16];
    const char *params[] = {pair_key, address_key, budget, window};
    PGresult *res = NULL;
    enum app_err err;

    snprintf(budget, sizeof(budget), "%d", lim->address_failures);
    snprintf(window, sizeof(window), "%d", lim->address_window_s);
    err = db_exec(db, "user_store_sign_in_wait", 4, params, PGRES_TUPLES_OK, &res);
    if (err == APP_OK) {
        *ret_pair_wait = atoi(PQgetvalue(res, 0, 0));
        *ret_address_wait = atoi(PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return err;
}

enum app_err user_store_sign_in_failed(struct db *db,
                                       const char *pair_key,
                                       const char *address_key,
                                       const struct sign_in_limits *lim,
                                       int *ret_failures,
                                       double *ret_address_level)
{
    char budget[16], window[16], free_failures[16], delay_max[16];
    const char *params[] = {pair_key, address_key, budget, window, free_failures, delay_max};
    PGresult *res = NULL;
    enum app_err err;

    snprintf(budget, sizeof(budget), "%d", lim->address_failures);
    snprintf(window, sizeof(window), "%d", lim->address_window_s);
    snprintf(free_failures, sizeof(free_failures), "%d", lim->free_failures);
    snprintf(delay_max, sizeof(delay_max), "%d", lim->delay_max_s);
    err = db_exec(db, "user_store_sign_in_failed", 6, params, PGRES_TUPLES_OK, &res);
    if (err == APP_OK) {
        *ret_failures = atoi(PQgetvalue(res, 0, 0));
        *ret_address_level = strtod(PQgetvalue(res, 0, 1), NULL);
    }
    PQclear(res);
    return err;
}

enum app_err user_store_sign_in_succeeded(struct db *db, const char *pair_key)
{
    const char *params[] = {pair_key};
    PGresult *res = NULL;
    enum app_err err =
        db_exec(db, "user_store_sign_in_succeeded", 1, params, PGRES_COMMAND_OK, &res);

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

enum app_err
user_store_principal(struct db *db, const char *id, struct principal *ret, long *ret_tv)
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
    snprintf(p.id, sizeof(p.id), "%s", PQgetvalue(res, 0, 5));
    snprintf(p.username, sizeof(p.username), "%s", PQgetvalue(res, 0, 1));
    snprintf(p.unit_id, sizeof(p.unit_id), "%s", PQgetvalue(res, 0, 2));
    char *codes = PQgetvalue(res, 0, 3);
    for (char *save = NULL, *c = strtok_r(codes, ",", &save);
         c != NULL && p.n_programmes < AUTH_PROGRAMMES_MAX; c = strtok_r(NULL, ",", &save)) {
        snprintf(p.programmes[p.n_programmes++], AUTH_CODE_MAX, "%s", c);
    }
    *ret_tv = strtol(PQgetvalue(res, 0, 4), NULL, 10);
    PQclear(res);
    *ret = p;
    return APP_OK;
}

enum app_err user_store_token_version(struct db *db, const char *id, long *ret_tv)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "user_store_token_version", 1, params, PGRES_TUPLES_OK, &res);

    if (err != APP_OK) {
        return err;
    }
    if (PQntuples(res) != 1) {
        PQclear(res);
        return APP_ERR_NOT_FOUND;
    }
    *ret_tv = strtol(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
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
    enum app_err err = db_exec(db, "user_store_scope_changed", 2, params, PGRES_COMMAND_OK, &res);

    PQclear(res);
    res = NULL;
    if (err == APP_OK) {
        err = db_exec(db, "user_store_clear_programmes", 1, params, PGRES_COMMAND_OK, &res);
    }

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
