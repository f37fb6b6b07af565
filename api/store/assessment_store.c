/* SPDX-License-Identifier: MIT */
/* Annual assessments (assessment_store.h). */
#include "assessment_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

/* clang-format off */
const struct db_statement assessment_store_statements[] = {
    {"assessment_store_year",
     "SELECT assessment_due(r, $2::int),"
     "  (SELECT a.state FROM assessments a WHERE a.recognition_id = r.id AND a.year = $2::int"
     "    ORDER BY a.revision DESC LIMIT 1),"
     "  (SELECT coalesce(max(a.revision), 0) FROM assessments a"
     "    WHERE a.recognition_id = r.id AND a.year = $2::int)"
     "  FROM recognitions r WHERE r.id = $1::uuid"},
    {"assessment_store_insert",
     "INSERT INTO assessments (recognition_id, year, revision, result, notes, evidence,"
     "  submitted_by, submitted_by_name, submitted_role, submitted_at)"
     " VALUES ($1::uuid, $2::int, $3::int, $4, $5, $6::jsonb, $7::uuid, $8, $9::user_role,"
     "  $10::timestamptz)"
     " RETURNING api_assessment(assessments)::text"},
    {"assessment_store_lock",
     "SELECT a.id, a.recognition_id, a.year, a.state, a.version FROM assessments a"
     " WHERE a.id = $1::uuid FOR UPDATE"},
    {"assessment_store_review",
     "UPDATE assessments a SET state = $2, review_reason = $3, reviewed_by = $4::uuid,"
     "  reviewed_by_name = $5, reviewed_at = $6::timestamptz, version = a.version + 1"
     " WHERE a.id = $1::uuid AND a.state = 'submitted'"
     " RETURNING api_assessment(a)::text"},
    {"assessment_store_confirmed",
     "SELECT coalesce(json_agg(json_build_object('year', a.year, 'failed', a.result = 'fail')"
     "                         ORDER BY a.year), '[]')::text"
     "  FROM assessments a WHERE a.recognition_id = $1::uuid AND a.state = 'confirmed'"},
    {"assessment_store_list",
     "SELECT jsonb_build_object('year', $1::int, 'items', coalesce(jsonb_agg("
     "    assessment_status(r, $1::int, $2::date) ORDER BY r.certificate_number), '[]'))::text"
     "  FROM recognitions r JOIN nominations n ON n.id = r.nomination_id"
     "  JOIN programmes p ON p.id = r.programme_id"
     " WHERE assessment_due(r, $1::int)"
     "   AND ($3::text IS NULL OR p.code = $3)"
     "   AND ($4::jsonb IS NULL OR $4::jsonb ? p.code)"
     "   AND ($5::uuid IS NULL OR n.unit_id = $5::uuid)"},
    {NULL, NULL},
};
/* clang-format on */

enum app_err assessment_store_year(struct db *db,
                                   const char *recognition_id,
                                   int year,
                                   bool *ret_due,
                                   char ret_state[16],
                                   int *ret_revision)
{
    char y[16];
    const char *params[] = {recognition_id, y};
    PGresult *res = NULL;
    enum app_err err;

    snprintf(y, sizeof(y), "%d", year);
    if ((err = db_row(db, "assessment_store_year", 2, params, &res)) != APP_OK) {
        return err;
    }
    *ret_due = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    db_copy_col(res, 1, ret_state, 16);
    *ret_revision = atoi(PQgetvalue(res, 0, 2));
    PQclear(res);
    return APP_OK;
}

enum app_err assessment_store_insert(struct db *db,
                                     const struct assessment_write *w,
                                     const struct principal *who,
                                     const char *at,
                                     char **ret)
{
    char year[16], revision[16];
    const char *params[] = {w->recognition_id, year,          revision, w->result, w->notes,
                            w->evidence_json,  DB_ACTOR(who), at};

    snprintf(year, sizeof(year), "%d", w->year);
    snprintf(revision, sizeof(revision), "%d", w->revision);
    return db_json_one(db, "assessment_store_insert", 10, params, ret);
}

enum app_err assessment_store_lock(struct db *db, const char *id, struct assessment_ref *ret)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "assessment_store_lock", 1, params, &res);

    if (err != APP_OK) {
        return err;
    }
    memset(ret, 0, sizeof(*ret));
    db_copy_col(res, 0, ret->id, sizeof(ret->id));
    db_copy_col(res, 1, ret->recognition_id, sizeof(ret->recognition_id));
    ret->year = atoi(PQgetvalue(res, 0, 2));
    db_copy_col(res, 3, ret->state, sizeof(ret->state));
    ret->version = atoi(PQgetvalue(res, 0, 4));
    PQclear(res);
    return APP_OK;
}

enum app_err assessment_store_review(struct db *db,
                                     const char *id,
                                     const char *state,
                                     const char *reason,
                                     const struct principal *who,
                                     const char *at,
                                     char **ret)
{
    const char *params[] = {id,
                            state,
                            reason,
                            who->id[0] ? who->id : NULL,
                            who->username[0] ? who->username : "anonymous",
                            at};
    return db_json_one(db, "assessment_store_review", 6, params, ret);
}

enum app_err assessment_store_confirmed(struct db *db, const char *recognition_id, char **ret)
{
    const char *params[] = {recognition_id};
    return db_json_one(db, "assessment_store_confirmed", 1, params, ret);
}

enum app_err assessment_store_list(struct db *db,
                                   int year,
                                   const char *today,
                                   const char *programme,
                                   const char *programmes,
                                   const char *unit_id,
                                   char **ret)
{
    char y[16];
    const char *params[] = {y, today, programme, programmes, unit_id};

    snprintf(y, sizeof(y), "%d", year);
    return db_json_one(db, "assessment_store_list", 5, params, ret);
}
