/* SPDX-License-Identifier: MIT */
/*
 * programmes. Their rules are policy versions (policy_version_store.c);
 * a programme's representation shows the version of today, the clock's
 * date passed as a parameter. Policies are validated by api/model/policy.c
 * before they reach this file.
 */
#include "programme_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "db_internal.h"
#include "policy_version_store.h"

const struct db_statement programme_store_statements[] = {
    {"programme_store_list", "SELECT api_programme(p, $1::date)::text, p.code FROM programmes p"
                             " ORDER BY code LIMIT 1000"},
    {"programme_store_get",
     "SELECT api_programme(p, $2::date)::text FROM programmes p WHERE code = $1"},
    {"programme_store_get_for_update",
     "SELECT api_programme(p, $2::date)::text FROM programmes p WHERE code = $1 FOR UPDATE"},
    {"programme_store_touch", "UPDATE programmes SET version = version + 1, updated_at = now()"
                              " WHERE code = $1 AND ($2::int < 0 OR version = $2::int)"},
    {"programme_store_insert", "INSERT INTO programmes (code, name, name_en) VALUES ($1, $2, $3)"},
    {"programme_store_count_codes", "SELECT count(*) FROM programmes"
                                    " WHERE code IN (SELECT jsonb_array_elements_text($1::jsonb))"},
    {NULL, NULL},
};

enum app_err programme_store_list(struct db *db, char **ret_array)
{
    char today[11];
    const char *params[] = {today};
    char *next = NULL;
    enum app_err err;

    db_clock_today(today);
    err = db_json_page(db, "programme_store_list", 1, params, 1000, ret_array, &next);
    free(next);
    return err;
}

enum app_err programme_store_get(struct db *db, const char *code, bool for_update, char **ret_json)
{
    char today[11];
    const char *params[] = {code, today};

    db_clock_today(today);
    return db_json_one(db, for_update ? "programme_store_get_for_update" : "programme_store_get", 2,
                       params, ret_json);
}

enum app_err programme_store_touch(struct db *db, const char *code, int version)
{
    char ver[16];
    const char *params[] = {code, ver};
    PGresult *res = NULL;
    enum app_err err;

    snprintf(ver, sizeof(ver), "%d", version);
    err = db_exec(db, "programme_store_touch", 2, params, PGRES_COMMAND_OK, &res);
    if (err == APP_OK && atoi(PQcmdTuples(res)) != 1) {
        err = APP_ERR_PRECONDITION_FAILED;
    }
    PQclear(res);
    return err;
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
                                    const char *created_by,
                                    char **ret_json)
{
    const char *params[] = {code, name, name_en};
    PGresult *res = NULL;
    int number = 0;
    enum app_err err = db_exec(db, "programme_store_insert", 3, params, PGRES_COMMAND_OK, &res);

    PQclear(res);
    if (err == APP_OK) {
        err = policy_version_store_insert(db, code, policy_json, created_by, &number);
    }
    if (err == APP_OK) {
        err = programme_store_get(db, code, false, ret_json);
    }
    return err;
}
