/* SPDX-License-Identifier: MIT */
/*
 * review_assignments (read) and reviews (append only: the app role has no
 * UPDATE or DELETE on it, migration 0020).
 */
#include "review_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

#define ASSIGNMENT_COLUMNS                                                           \
    "SELECT a.id::text, a.round_id::text, a.nomination_id::text, a.expert_id::text," \
    " p.code, a.state = 'active', r.phase::text = 'review'"                          \
    "  FROM review_assignments a JOIN rounds r ON r.id = a.round_id"                 \
    "  JOIN programmes p ON p.id = r.programme_id WHERE a.id = $1::uuid"

const struct db_statement review_store_statements[] = {
    {"review_store_assignment", ASSIGNMENT_COLUMNS},
    {"review_store_assignment_for_update", ASSIGNMENT_COLUMNS " FOR UPDATE OF a FOR SHARE OF r"},
    {"review_store_dossier",
     "SELECT api_review_dossier(a)::text FROM review_assignments a WHERE a.id = $1::uuid"},
    {"review_store_get",
     "SELECT api_assignment_review(a)::text FROM review_assignments a WHERE a.id = $1::uuid"},
    {"review_store_insert",
     "INSERT INTO reviews (assignment_id, revision, scores, total, gate_pass, comment,"
     "                     reviewed_at)"
     " SELECT $1::uuid, coalesce(max(revision), 0) + 1, $2::jsonb, $3::int, $4::boolean, $5,"
     "        $6::timestamptz"
     "   FROM reviews WHERE assignment_id = $1::uuid"
     " RETURNING api_review(reviews)::text"},
    {NULL, NULL},
};

enum app_err review_store_assignment(struct db *db,
                                     const char *id,
                                     bool for_update,
                                     struct review_assignment_ref *ret)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    enum app_err err =
        db_row(db, for_update ? "review_store_assignment_for_update" : "review_store_assignment", 1,
               params, &res);

    if (err != APP_OK) {
        return err;
    }
    memset(ret, 0, sizeof(*ret));
    db_copy_col(res, 0, ret->id, sizeof(ret->id));
    db_copy_col(res, 1, ret->round_id, sizeof(ret->round_id));
    db_copy_col(res, 2, ret->nomination_id, sizeof(ret->nomination_id));
    db_copy_col(res, 3, ret->expert_id, sizeof(ret->expert_id));
    db_copy_col(res, 4, ret->programme, sizeof(ret->programme));
    ret->active = strcmp(PQgetvalue(res, 0, 5), "t") == 0;
    ret->in_review = strcmp(PQgetvalue(res, 0, 6), "t") == 0;
    PQclear(res);
    return APP_OK;
}

enum app_err review_store_dossier(struct db *db, const char *assignment_id, char **ret_json)
{
    const char *params[] = {assignment_id};

    return db_json_one(db, "review_store_dossier", 1, params, ret_json);
}

enum app_err review_store_get(struct db *db, const char *assignment_id, char **ret_json)
{
    const char *params[] = {assignment_id};

    return db_json_one(db, "review_store_get", 1, params, ret_json);
}

enum app_err review_store_insert(struct db *db,
                                 const char *assignment_id,
                                 const char *scores_json,
                                 int total,
                                 bool gate_pass,
                                 const char *comment,
                                 const char *reviewed_at,
                                 char **ret_json)
{
    char total_text[16];
    const char *params[6];
    enum app_err err;

    snprintf(total_text, sizeof(total_text), "%d", total);
    params[0] = assignment_id;
    params[1] = scores_json;
    params[2] = total_text;
    params[3] = gate_pass ? "true" : "false";
    params[4] = comment;
    params[5] = reviewed_at;
    err = db_json_one(db, "review_store_insert", 6, params, ret_json);
    /* Every value was checked before: a check violation here is the
     * trigger reviews_sealed (the round left review, the assignment ended). */
    return err == APP_ERR_VALIDATION ? APP_ERR_CONFLICT : err;
}
