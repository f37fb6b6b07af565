/* SPDX-License-Identifier: MIT */
/*
 * units (推荐单位). Lists are ordered by the unique unit code, which is also
 * the keyset cursor. `only_id` confines a list to one unit for unit users,
 * so their scope is applied in the query, never after it.
 */
#include "unit_store.h"

#include <stdio.h>

#include "db_internal.h"

const struct db_statement unit_store_statements[] = {
    {"unit_store_get", "SELECT api_unit(u)::text FROM units u WHERE id = $1::uuid"},
    {"unit_store_get_for_update",
     "SELECT api_unit(u)::text FROM units u WHERE id = $1::uuid FOR UPDATE"},
    {"unit_store_list", "SELECT api_unit(u)::text, u.code FROM units u"
                        " WHERE ($1::text IS NULL OR kind::text = $1)"
                        "   AND ($2::text IS NULL OR strpos(name, $2) > 0)"
                        "   AND ($3::uuid IS NULL OR id = $3::uuid)"
                        "   AND ($4::text IS NULL OR code > $4)"
                        " ORDER BY code LIMIT $5::int"},
    {"unit_store_insert", "INSERT INTO units (code, name, kind) VALUES ($1, $2, $3::unit_kind)"
                          " RETURNING api_unit(units)::text"},
    {"unit_store_update", "UPDATE units SET name = $3, kind = $4::unit_kind,"
                          "       version = version + 1, updated_at = now()"
                          " WHERE id = $1::uuid AND version = $2::int"
                          " RETURNING api_unit(units)::text"},
    {NULL, NULL},
};

enum app_err unit_store_get(struct db *db, const char *id, bool for_update, char **ret_json)
{
    const char *params[] = {id};

    return db_json_one(db, for_update ? "unit_store_get_for_update" : "unit_store_get", 1, params,
                       ret_json);
}

enum app_err unit_store_list(struct db *db,
                             const char *kind,
                             const char *q,
                             const char *only_id,
                             const char *cursor,
                             int limit,
                             char **ret_array,
                             char **ret_next)
{
    char lim[16];
    const char *params[] = {kind, q, only_id, cursor, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, "unit_store_list", 5, params, limit, ret_array, ret_next);
}

enum app_err unit_store_insert(
    struct db *db, const char *code, const char *name, const char *kind, char **ret_json)
{
    const char *params[] = {code, name, kind};

    return db_json_one(db, "unit_store_insert", 3, params, ret_json);
}

enum app_err unit_store_update(
    struct db *db, const char *id, int version, const char *name, const char *kind, char **ret_json)
{
    char ver[16];
    const char *params[] = {id, ver, name, kind};

    snprintf(ver, sizeof(ver), "%d", version);
    return db_json_one(db, "unit_store_update", 4, params, ret_json);
}
