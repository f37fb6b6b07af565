/* SPDX-License-Identifier: MIT */
/*
 * programmes and their policy. The policy is validated by
 * api/model/policy.c before it reaches this file.
 */
#include <stdio.h>
#include <stdlib.h>

#include "db_internal.h"
#include "stores.h"

const struct db_statement programme_store_statements[] = {
    {"programme_store_list",
     "SELECT api_programme(p)::text, p.code FROM programmes p ORDER BY code LIMIT 1000"},
    {"programme_store_get", "SELECT api_programme(p)::text FROM programmes p WHERE code = $1"},
    {"programme_store_get_for_update",
     "SELECT api_programme(p)::text FROM programmes p WHERE code = $1 FOR UPDATE"},
    {"programme_store_update_policy",
     "UPDATE programmes SET policy = $3::jsonb, version = version + 1, updated_at = now()"
     " WHERE code = $1 AND version = $2::int RETURNING api_programme(programmes)::text"},
    {"programme_store_insert",
     "INSERT INTO programmes (code, name, name_en, policy) VALUES ($1, $2, $3, $4::jsonb)"
     " RETURNING api_programme(programmes)::text"},
    {"programme_store_count_codes", "SELECT count(*) FROM programmes"
                                    " WHERE code IN (SELECT jsonb_array_elements_text($1::jsonb))"},
    {NULL, NULL},
};

enum app_err programme_store_list(struct db *db, char **ret_array)
{
    char *next = NULL;
    enum app_err err = db_json_page(db, "programme_store_list", 0, NULL, 1000, ret_array, &next);

    free(next);
    return err;
}

enum app_err programme_store_get(struct db *db, const char *code, bool for_update, char **ret_json)
{
    const char *params[] = {code};

    return db_json_one(db, for_update ? "programme_store_get_for_update" : "programme_store_get", 1,
                       params, ret_json);
}

enum app_err programme_store_update_policy(
    struct db *db, const char *code, int version, const char *policy_json, char **ret_json)
{
    char ver[16];
    const char *params[] = {code, ver, policy_json};

    snprintf(ver, sizeof(ver), "%d", version);
    return db_json_one(db, "programme_store_update_policy", 3, params, ret_json);
}

enum app_err programme_store_count_codes(struct db *db, const char *codes_json, long *ret_count)
{
    const char *params[] = {codes_json};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "programme_store_count_codes", 1, params, PGRES_TUPLES_OK, &res);

    if (err == APP_OK) {
        *ret_count = strtol(PQgetvalue(res, 0, 0), NULL, 10);
    }
    PQclear(res);
    return err;
}

enum app_err programme_store_insert(struct db *db,
                                    const char *code,
                                    const char *name,
                                    const char *name_en,
                                    const char *policy_json,
                                    char **ret_json)
{
    const char *params[] = {code, name, name_en, policy_json};

    return db_json_one(db, "programme_store_insert", 4, params, ret_json);
}
