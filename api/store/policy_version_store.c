/* SPDX-License-Identifier: MIT */
/*
 * policy_versions (db/migrations/0009): a programme's rules, one version
 * per document. Numbers are assigned here under the programme's row lock
 * (the caller holds it), and a version a round uses is refused a change by
 * the table's trigger as well as by the handlers.
 */
#include "policy_version_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "db_internal.h"

/* The member values the table keeps as columns, taken from the policy. */
#define FROM_POLICY(p) "(" p "->>'in_force_from')::date, (" p "->>'in_force_to')::date"

const struct db_statement policy_version_store_statements[] = {
    {"policy_version_store_list",
     "SELECT coalesce(jsonb_agg(api_policy_version(v, $2::date) ORDER BY v.number),"
     "                '[]'::jsonb)::text"
     "  FROM policy_versions v JOIN programmes p ON p.id = v.programme_id WHERE p.code = $1"},
    {"policy_version_store_get",
     "SELECT api_policy_version(v, $3::date)::text"
     "  FROM policy_versions v JOIN programmes p ON p.id = v.programme_id"
     " WHERE p.code = $1 AND v.number = $2::int"},
    {"policy_version_store_get_for_update",
     "SELECT api_policy_version(v, $3::date)::text"
     "  FROM policy_versions v JOIN programmes p ON p.id = v.programme_id"
     " WHERE p.code = $1 AND v.number = $2::int FOR UPDATE OF v"},
    {"policy_version_store_insert",
     "INSERT INTO policy_versions (programme_id, number, policy, in_force_from, in_force_to,"
     "                             created_by)"
     " SELECT p.id, coalesce((SELECT max(v.number) FROM policy_versions v"
     "                         WHERE v.programme_id = p.id), 0) + 1,"
     "        $2::jsonb, " FROM_POLICY("$2::jsonb") ", $3"
                                                    "   FROM programmes p WHERE p.code = $1"
                                                    " RETURNING number"},
    {"policy_version_store_update",
     "UPDATE policy_versions v SET policy = $4::jsonb,"
     "       in_force_from = ($4::jsonb->>'in_force_from')::date,"
     "       in_force_to = ($4::jsonb->>'in_force_to')::date,"
     "       version = v.version + 1, updated_at = now()"
     "  FROM programmes p"
     " WHERE p.id = v.programme_id AND p.code = $1 AND v.number = $2::int"
     "   AND v.version = $3::int"},
    {"policy_version_store_pick",
     "SELECT jsonb_build_object("
     "  'on', (SELECT jsonb_build_object('id', o.id, 'number', o.number, 'policy', o.policy)"
     "           FROM policy_version_on(p.id, $2::date) o),"
     "  'latest', (SELECT jsonb_build_object('number', l.number,"
     "                    'document_no', l.policy->>'document_no',"
     "                    'in_force_from', to_char(l.in_force_from, 'YYYY-MM-DD'),"
     "                    'in_force_to', to_char(l.in_force_to, 'YYYY-MM-DD'),"
     "                    'policy', l.policy)"
     "               FROM policy_versions l WHERE l.programme_id = p.id"
     "              ORDER BY l.in_force_to DESC, l.number DESC LIMIT 1))::text"
     "  FROM programmes p WHERE p.code = $1"},
    {"policy_version_store_of_round",
     "SELECT v.policy::text FROM rounds r JOIN policy_versions v ON v.id = r.policy_version_id"
     " WHERE r.id = $1::uuid"},
    {"policy_version_store_all",
     "SELECT coalesce(jsonb_agg(jsonb_build_object("
     "         'programme', p.code, 'number', v.number,"
     "         'document_no', v.policy->>'document_no',"
     "         'in_force_from', to_char(v.in_force_from, 'YYYY-MM-DD'),"
     "         'in_force_to', to_char(v.in_force_to, 'YYYY-MM-DD'),"
     "         'article', v.policy->'articles'->>'in_force_to')"
     "       ORDER BY p.code, v.number), '[]'::jsonb)::text"
     "  FROM policy_versions v JOIN programmes p ON p.id = v.programme_id"},
    {NULL, NULL},
};

enum app_err policy_version_store_list(struct db *db, const char *code, char **ret_array)
{
    char today[11];
    const char *params[] = {code, today};

    db_clock_today(today);
    return db_json_one(db, "policy_version_store_list", 2, params, ret_array);
}

enum app_err policy_version_store_get(
    struct db *db, const char *code, int number, bool for_update, char **ret_json)
{
    char today[11], num[16];
    const char *params[] = {code, num, today};

    db_clock_today(today);
    snprintf(num, sizeof(num), "%d", number);
    return db_json_one(
        db, for_update ? "policy_version_store_get_for_update" : "policy_version_store_get", 3,
        params, ret_json);
}

enum app_err policy_version_store_insert(struct db *db,
                                         const char *code,
                                         const char *policy_json,
                                         const char *created_by,
                                         int *ret_number)
{
    const char *params[] = {code, policy_json, created_by};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "policy_version_store_insert", 3, params, PGRES_TUPLES_OK, &res);

    if (err == APP_OK && PQntuples(res) != 1) {
        err = APP_ERR_NOT_FOUND;
    }
    if (err == APP_OK) {
        *ret_number = atoi(PQgetvalue(res, 0, 0));
    }
    PQclear(res);
    return err;
}

enum app_err policy_version_store_update(
    struct db *db, const char *code, int number, int version, const char *policy_json)
{
    char num[16], ver[16];
    const char *params[] = {code, num, ver, policy_json};
    PGresult *res = NULL;
    enum app_err err;

    snprintf(num, sizeof(num), "%d", number);
    snprintf(ver, sizeof(ver), "%d", version);
    err = db_exec(db, "policy_version_store_update", 4, params, PGRES_COMMAND_OK, &res);
    if (err == APP_OK && atoi(PQcmdTuples(res)) != 1) {
        err = APP_ERR_PRECONDITION_FAILED;
    }
    PQclear(res);
    return err;
}

enum app_err
policy_version_store_pick(struct db *db, const char *code, const char *day, char **ret_json)
{
    const char *params[] = {code, day};

    return db_json_one(db, "policy_version_store_pick", 2, params, ret_json);
}

enum app_err policy_version_store_of_round(struct db *db, const char *round_id, char **ret_json)
{
    const char *params[] = {round_id};

    return db_json_one(db, "policy_version_store_of_round", 1, params, ret_json);
}

enum app_err policy_version_store_all(struct db *db, char **ret_array)
{
    return db_json_one(db, "policy_version_store_all", 0, NULL, ret_array);
}
