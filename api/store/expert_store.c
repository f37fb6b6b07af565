/* SPDX-License-Identifier: MIT */
/*
 * expert_profiles, expert_programmes and expert_relations. A profile's
 * values come in as one JSON text (the checked body) and are taken apart
 * here in SQL. Lists are ordered by id, which is also the keyset cursor.
 */
#include "expert_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

/* The profile columns from s.v, the body's JSON. */
#define VALUES_OF                                                                \
    "s.v ->> 'name', ARRAY(SELECT jsonb_array_elements_text(s.v -> 'fields')),"  \
    " s.v ->> 'employer_name', s.v ->> 'employer_code',"                         \
    " (s.v ->> 'employer_unit_id')::uuid, s.v ->> 'title', s.v ->> 'specialty'," \
    " coalesce((s.v ->> 'active')::boolean, true)"

/* Whether profile e is in the scope `param` (expert_store.h: a JSON array
 * of programme codes, NULL for all): the one test of the experts' scope. */
#define IN_SCOPE(param)                                                         \
    "(" param "::jsonb IS NULL OR EXISTS (SELECT 1 FROM expert_programmes sp"   \
    " JOIN programmes p ON p.id = sp.programme_id WHERE sp.user_id = e.user_id" \
    " AND p.code IN (SELECT jsonb_array_elements_text(" param "::jsonb))))"

const struct db_statement expert_store_statements[] = {
    {"expert_store_get", "SELECT api_expert(e)::text FROM expert_profiles e"
                         " WHERE user_id = $1::uuid AND " IN_SCOPE("$2")},
    {"expert_store_get_for_update", "SELECT api_expert(e)::text FROM expert_profiles e"
                                    " WHERE user_id = $1::uuid AND " IN_SCOPE("$2") " FOR UPDATE"},
    {"expert_store_list", "SELECT api_expert(e)::text, e.user_id::text FROM expert_profiles e"
                          " WHERE ($1::text IS NULL OR $1 = ANY (e.fields))"
                          "   AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM expert_programmes ep"
                          "        JOIN programmes p ON p.id = ep.programme_id"
                          "        WHERE ep.user_id = e.user_id AND p.code = $2))"
                          "   AND ($3::boolean IS NULL OR e.active = $3::boolean)"
                          "   AND ($4::text IS NULL OR e.user_id::text > $4)"
                          "   AND " IN_SCOPE("$5") " ORDER BY e.user_id::text LIMIT $6::int"},
    {"expert_store_insert",
     "INSERT INTO expert_profiles (user_id, name, fields, employer_name, employer_code,"
     "       employer_unit_id, title, specialty, active)"
     " SELECT $1::uuid, " VALUES_OF " FROM (SELECT $2::jsonb AS v) s"},
    {"expert_store_update",
     "UPDATE expert_profiles e SET (name, fields, employer_name, employer_code,"
     "       employer_unit_id, title, specialty, active) = (" VALUES_OF "),"
     "       version = e.version + 1, updated_at = now()"
     "  FROM (SELECT $3::jsonb AS v) s"
     " WHERE e.user_id = $1::uuid AND e.version = $2::int"},
    /* Removes the scope's programmes not named, adds those named: the two
     * sets are disjoint, so the order the two parts run in does not matter. */
    {"expert_store_set_programmes",
     "WITH scope AS (SELECT id, code FROM programmes"
     "                WHERE $3::jsonb IS NULL"
     "                   OR code IN (SELECT jsonb_array_elements_text($3::jsonb))),"
     " named AS (SELECT id FROM scope"
     "            WHERE code IN (SELECT jsonb_array_elements_text($2::jsonb))),"
     " gone AS (DELETE FROM expert_programmes WHERE user_id = $1::uuid"
     "          AND programme_id IN (SELECT id FROM scope)"
     "          AND programme_id NOT IN (SELECT id FROM named))"
     " INSERT INTO expert_programmes (user_id, programme_id)"
     " SELECT $1::uuid, id FROM named ON CONFLICT DO NOTHING"},
    {"expert_store_relation_insert",
     "INSERT INTO expert_relations (expert_id, kind, id_number_hash, note)"
     " VALUES ($1::uuid, $2::expert_relation_kind, $3, $4)"
     " RETURNING api_expert_relation(expert_relations)::text"},
    {"expert_store_relation_get", "SELECT api_expert_relation(r)::text FROM expert_relations r"
                                  " WHERE expert_id = $1::uuid AND id = $2::uuid"},
    {"expert_store_relation_list",
     "SELECT api_expert_relation(r)::text, r.id::text FROM expert_relations r"
     " WHERE expert_id = $1::uuid AND ($2::text IS NULL OR id::text > $2)"
     " ORDER BY id::text LIMIT $3::int"},
    {"expert_store_relation_delete",
     "DELETE FROM expert_relations r WHERE expert_id = $1::uuid AND id = $2::uuid"
     " RETURNING api_expert_relation(r)::text"},
    {NULL, NULL},
};

enum app_err expert_store_get(
    struct db *db, const char *user_id, const char *scope_json, bool for_update, char **ret_json)
{
    const char *params[] = {user_id, scope_json};

    return db_json_one(db, for_update ? "expert_store_get_for_update" : "expert_store_get", 2,
                       params, ret_json);
}

enum app_err expert_store_list(struct db *db,
                               const char *field,
                               const char *programme,
                               const char *active,
                               const char *scope_json,
                               const char *cursor,
                               int limit,
                               char **ret_array,
                               char **ret_next)
{
    char lim[16];
    const char *params[] = {field, programme, active, cursor, scope_json, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, "expert_store_list", 6, params, limit, ret_array, ret_next);
}

/* A statement without rows; NOT_FOUND when `one_row` and it changed none. */
static enum app_err
command(struct db *db, const char *stmt, int n, const char *const *params, bool one_row)
{
    PGresult *res = NULL;
    enum app_err err = db_exec(db, stmt, n, params, PGRES_COMMAND_OK, &res);

    if (err == APP_OK && one_row && strcmp(PQcmdTuples(res), "0") == 0) {
        err = APP_ERR_NOT_FOUND;
    }
    PQclear(res);
    return err;
}

enum app_err expert_store_insert(struct db *db, const char *user_id, const char *values)
{
    const char *params[] = {user_id, values};

    return command(db, "expert_store_insert", 2, params, true);
}

enum app_err
expert_store_update(struct db *db, const char *user_id, int version, const char *values)
{
    char ver[16];
    const char *params[] = {user_id, ver, values};

    snprintf(ver, sizeof(ver), "%d", version);
    return command(db, "expert_store_update", 3, params, true);
}

enum app_err expert_store_set_programmes(struct db *db,
                                         const char *user_id,
                                         const char *codes_json,
                                         const char *scope_json)
{
    const char *params[] = {user_id, codes_json, scope_json};

    return command(db, "expert_store_set_programmes", 3, params, false);
}

enum app_err expert_store_relation_insert(struct db *db,
                                          const char *expert_id,
                                          const char *kind,
                                          const char *id_number_hash,
                                          const char *note,
                                          char **ret_json)
{
    const char *params[] = {expert_id, kind, id_number_hash, note};

    return db_json_one(db, "expert_store_relation_insert", 4, params, ret_json);
}

enum app_err
expert_store_relation_get(struct db *db, const char *expert_id, const char *id, char **ret_json)
{
    const char *params[] = {expert_id, id};

    return db_json_one(db, "expert_store_relation_get", 2, params, ret_json);
}

enum app_err expert_store_relation_list(struct db *db,
                                        const char *expert_id,
                                        const char *cursor,
                                        int limit,
                                        char **ret_array,
                                        char **ret_next)
{
    char lim[16];
    const char *params[] = {expert_id, cursor, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, "expert_store_relation_list", 3, params, limit, ret_array, ret_next);
}

enum app_err
expert_store_relation_delete(struct db *db, const char *expert_id, const char *id, char **ret_json)
{
    const char *params[] = {expert_id, id};

    return db_json_one(db, "expert_store_relation_delete", 2, params, ret_json);
}
