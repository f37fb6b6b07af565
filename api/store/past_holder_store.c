/* SPDX-License-Identifier: MIT */
/*
 * past_holders (0023): the import in one statement (past_holders_import
 * decides imported, unchanged and conflicting rows against what the
 * programme already holds) and the masked list.
 */
#include "past_holder_store.h"

#include <stdio.h>

#include "db_internal.h"

const struct db_statement past_holder_store_statements[] = {
    {"past_holder_store_import",
     "SELECT past_holders_import($1, $2::jsonb, $3::uuid, $4::timestamptz)::text"},
    {"past_holder_store_list",
     "SELECT api_past_holder(h)::text, h.certificate_number FROM past_holders h"
     "  JOIN programmes p ON p.id = h.programme_id"
     " WHERE p.code = $1 AND ($2::text IS NULL OR h.certificate_number > $2)"
     " ORDER BY h.certificate_number LIMIT $3::int"},
    {NULL, NULL},
};

enum app_err past_holder_store_import(struct db *db,
                                      const char *code,
                                      const char *rows_json,
                                      const char *actor_id,
                                      const char *at,
                                      char **ret_json)
{
    const char *params[] = {code, rows_json, actor_id, at};

    return db_json_one(db, "past_holder_store_import", 4, params, ret_json);
}

enum app_err past_holder_store_list(struct db *db,
                                    const char *code,
                                    const char *cursor,
                                    int limit,
                                    char **ret_array,
                                    char **ret_next)
{
    char lim[16];
    const char *params[] = {code, cursor, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, "past_holder_store_list", 3, params, limit, ret_array, ret_next);
}
