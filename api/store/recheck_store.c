/* SPDX-License-Identifier: MIT */
/* The year-2 re-check (recheck_store.h). */
#include "recheck_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

/* clang-format off */
const struct db_statement recheck_store_statements[] = {
    {"recheck_store_get",
     "SELECT to_char((recognition_period(r)).period_start, 'YYYY-MM-DD'),"
     "  (SELECT api_recheck(x)::text FROM rechecks x WHERE x.recognition_id = r.id)"
     "  FROM recognitions r WHERE r.id = $1::uuid"},
    {"recheck_store_insert",
     "INSERT INTO rechecks (recognition_id, achievements, awards, agreements, apprentices,"
     "  statements, checklist, suggested, filed_by, filed_by_name, filed_role, filed_at)"
     " VALUES ($1::uuid, $2, $3::jsonb, $4::jsonb, $5::jsonb, $6::jsonb, $7::jsonb, $8,"
     "  $9::uuid, $10, $11::user_role, $12::timestamptz)"
     " RETURNING api_recheck(rechecks)::text"},
    {"recheck_store_decide",
     "UPDATE rechecks x SET result = $2, reason = $3, decided_on = $4::date,"
     "  decided_by = $5::uuid, decided_by_name = $6, decided_at = $7::timestamptz,"
     "  version = x.version + 1"
     " WHERE x.recognition_id = $1::uuid AND x.result IS NULL"
     " RETURNING api_recheck(x)::text"},
    {NULL, NULL},
};
/* clang-format on */

enum app_err recheck_store_get(struct db *db,
                               const char *recognition_id,
                               char ret_period_start[11],
                               char **ret_json)
{
    const char *params[] = {recognition_id};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "recheck_store_get", 1, params, &res);

    *ret_json = NULL;
    if (err != APP_OK) {
        return err;
    }
    db_copy_col(res, 0, ret_period_start, 11);
    if (!PQgetisnull(res, 0, 1) && (*ret_json = db_strdup(res, 0, 1)) == NULL) {
        err = APP_ERR_INTERNAL;
    }
    PQclear(res);
    return err;
}

enum app_err recheck_store_insert(struct db *db,
                                  const struct recheck_write *w,
                                  const struct principal *who,
                                  const char *at,
                                  char **ret)
{
    const char *params[] = {
        w->recognition_id, w->achievements, w->awards,    w->agreements, w->apprentices,
        w->statements,     w->checklist,    w->suggested, DB_ACTOR(who), at};
    return db_json_one(db, "recheck_store_insert", 12, params, ret);
}

enum app_err recheck_store_decide(struct db *db,
                                  const char *recognition_id,
                                  const char *result,
                                  const char *reason,
                                  const char *decided_on,
                                  const struct principal *who,
                                  const char *at,
                                  char **ret)
{
    const char *params[] = {recognition_id,
                            result,
                            reason,
                            decided_on,
                            who->id[0] ? who->id : NULL,
                            who->username[0] ? who->username : "anonymous",
                            at};
    return db_json_one(db, "recheck_store_decide", 7, params, ret);
}
