/* SPDX-License-Identifier: MIT */
/*
 * Holder management (holder_store.h). Each statement reads a table of
 * db/migrations/0022 or calls a function of db/functions/13_holders.sql.
 */
#include "holder_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

#define REF_SQL                                                                      \
    "SELECT r.id, r.round_id, n.unit_id, p.code, r.status, to_char(r.recognized_on," \
    "  'YYYY-MM-DD'),"                                                               \
    "  (SELECT s.id FROM suspensions s WHERE s.recognition_id = r.id"                \
    "     AND s.lifted_on IS NULL),"                                                 \
    "  (SELECT c.id FROM revocation_cases c WHERE c.recognition_id = r.id"           \
    "     AND c.state = 'open'),"                                                    \
    "  r.holder_name, r.certificate_number, r.title, r.employer"                     \
    "  FROM recognitions r JOIN nominations n ON n.id = r.nomination_id"             \
    "  JOIN programmes p ON p.id = r.programme_id WHERE r.id = $1::uuid"

#define CASE_SQL                                                                         \
    "SELECT c.id, c.recognition_id, c.state, c.reason, to_char(c.effective_on,"          \
    "  'YYYY-MM-DD'), to_json(c.steps)::text,"                                           \
    "  (SELECT count(*) FROM revocation_case_steps s WHERE s.case_id = c.id), c.version" \
    "  FROM revocation_cases c WHERE c.id = $1::uuid"

/* clang-format off */
const struct db_statement holder_store_statements[] = {
    {"holder_store_ref", REF_SQL},
    {"holder_store_ref_lock", REF_SQL " FOR UPDATE OF r"},
    {"holder_store_get",
     "SELECT (api_holder(r) || jsonb_build_object('timeline', recognition_timeline(r)))::text"
     "  FROM recognitions r WHERE r.id = $1::uuid"},
    {"holder_store_list",
     "SELECT api_holder(r)::text, r.certificate_number"
     "  FROM recognitions r JOIN nominations n ON n.id = r.nomination_id"
     "  JOIN programmes p ON p.id = r.programme_id"
     " WHERE ($1::text IS NULL OR p.code = $1)"
     "   AND ($2::text IS NULL OR r.status = $2)"
     "   AND ($3::uuid IS NULL OR r.round_id = $3::uuid)"
     "   AND ($4::uuid IS NULL OR n.unit_id = $4::uuid)"
     "   AND ($5::jsonb IS NULL OR $5::jsonb ? p.code)"
     "   AND ($6::text IS NULL OR r.certificate_number > $6)"
     " ORDER BY r.certificate_number LIMIT $7::int"},
    {"holder_store_note",
     "INSERT INTO holder_notes (recognition_id, text, evidence, recorded_by, recorded_by_name,"
     "  role, recorded_at)"
     " VALUES ($1::uuid, $2, $3::jsonb, $4::uuid, $5, $6::user_role, $7::timestamptz)"
     " RETURNING jsonb_build_object('id', id, 'recognition_id', recognition_id, 'text', text,"
     "   'evidence', evidence, 'recorded_by', recorded_by_name,"
     "   'recorded_at', api_ts(recorded_at))::text"},
    {"holder_store_suspend",
     "SELECT suspension_record($1::uuid, $2, $3::date, $4,"
     "  ARRAY(SELECT jsonb_array_elements_text($5::jsonb)), $6::uuid, $7::timestamptz)::text"},
    {"holder_store_suspension",
     "SELECT s.id, s.recognition_id, to_char(s.effective_on, 'YYYY-MM-DD'),"
     "  s.lifted_on IS NOT NULL"
     "  FROM suspensions s WHERE s.id = $1::uuid FOR UPDATE"},
    {"holder_store_lift",
     "SELECT suspension_lift($1::uuid, $2::date, $3, $4::uuid, $5::timestamptz)::text"},
    {"holder_store_case_open",
     "INSERT INTO revocation_cases (recognition_id, reason, facts, finding, evidence,"
     "  effective_on, steps, opened_by, opened_by_name, opened_at)"
     " VALUES ($1::uuid, $2, $3, $4, $5::jsonb, $6::date,"
     "  ARRAY(SELECT jsonb_array_elements_text($7::jsonb)), $8::uuid, $9, $10::timestamptz)"
     " RETURNING api_revocation_case(revocation_cases)::text"},
    {"holder_store_case", CASE_SQL},
    {"holder_store_case_lock", CASE_SQL " FOR UPDATE"},
    {"holder_store_case_get",
     "SELECT api_revocation_case(c)::text FROM revocation_cases c WHERE c.id = $1::uuid"},
    {"holder_store_cases",
     "SELECT jsonb_build_object('items', coalesce(jsonb_agg(api_revocation_case(c)"
     "                          ORDER BY c.opened_at DESC, c.id), '[]'))::text"
     "  FROM revocation_cases c JOIN recognitions r ON r.id = c.recognition_id"
     "  JOIN programmes p ON p.id = r.programme_id"
     " WHERE ($1::text IS NULL OR c.state = $1)"
     "   AND ($2::text IS NULL OR p.code = $2)"
     "   AND ($3::jsonb IS NULL OR $3::jsonb ? p.code)"},
    {"holder_store_step",
     "SELECT revocation_step_record($1::uuid, $2::int, $3, $4, $5, $6::date, $7, $8,"
     "  $9::boolean, $10, $11, $12, $13::uuid, $14, $15::user_role, $16::timestamptz)::text"},
    {NULL, NULL},
};
/* clang-format on */

enum app_err holder_store_ref(struct db *db, const char *id, bool lock, struct holder_ref *ret)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    enum app_err err =
        db_row(db, lock ? "holder_store_ref_lock" : "holder_store_ref", 1, params, &res);

    if (err != APP_OK) {
        return err;
    }
    memset(ret, 0, sizeof(*ret));
    db_copy_col(res, 0, ret->id, sizeof(ret->id));
    db_copy_col(res, 1, ret->round_id, sizeof(ret->round_id));
    db_copy_col(res, 2, ret->unit_id, sizeof(ret->unit_id));
    db_copy_col(res, 3, ret->programme, sizeof(ret->programme));
    db_copy_col(res, 4, ret->status, sizeof(ret->status));
    if (!date_parse(PQgetvalue(res, 0, 5), &ret->recognized_on)) {
        err = APP_ERR_INTERNAL;
    }
    db_copy_col(res, 6, ret->suspension_id, sizeof(ret->suspension_id));
    db_copy_col(res, 7, ret->case_id, sizeof(ret->case_id));
    db_copy_col(res, 8, ret->holder_name, sizeof(ret->holder_name));
    db_copy_col(res, 9, ret->certificate_number, sizeof(ret->certificate_number));
    db_copy_col(res, 10, ret->title, sizeof(ret->title));
    db_copy_col(res, 11, ret->employer, sizeof(ret->employer));
    PQclear(res);
    return err;
}

enum app_err holder_store_get(struct db *db, const char *id, char **ret)
{
    const char *params[] = {id};
    return db_json_one(db, "holder_store_get", 1, params, ret);
}

enum app_err holder_store_list(struct db *db,
                               const struct holder_filter *f,
                               const char *cursor,
                               int limit,
                               char **ret_array,
                               char **ret_next)
{
    char lim[16];
    const char *params[] = {f->programme,  f->status, f->round_id, f->unit_id,
                            f->programmes, cursor,    lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, "holder_store_list", 7, params, limit, ret_array, ret_next);
}

enum app_err holder_store_note(struct db *db,
                               const char *recognition_id,
                               const char *text,
                               const char *evidence_json,
                               const struct principal *who,
                               const char *at,
                               char **ret)
{
    const char *params[] = {recognition_id, text, evidence_json, DB_ACTOR(who), at};
    return db_json_one(db, "holder_store_note", 7, params, ret);
}

enum app_err holder_store_suspend(struct db *db,
                                  const struct suspension_write *w,
                                  const struct principal *who,
                                  const char *at,
                                  char **ret)
{
    const char *params[] = {
        w->recognition_id,           w->reason, w->effective_on, w->note, w->benefits_json,
        who->id[0] ? who->id : NULL, at};
    return db_json_one(db, "holder_store_suspend", 7, params, ret);
}

enum app_err holder_store_suspension(struct db *db, const char *id, struct suspension_ref *ret)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "holder_store_suspension", 1, params, &res);

    if (err != APP_OK) {
        return err;
    }
    memset(ret, 0, sizeof(*ret));
    db_copy_col(res, 0, ret->id, sizeof(ret->id));
    db_copy_col(res, 1, ret->recognition_id, sizeof(ret->recognition_id));
    if (!date_parse(PQgetvalue(res, 0, 2), &ret->effective_on)) {
        err = APP_ERR_INTERNAL;
    }
    ret->lifted = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
    PQclear(res);
    return err;
}

enum app_err holder_store_lift(struct db *db,
                               const char *id,
                               const char *lifted_on,
                               const char *reason,
                               const struct principal *who,
                               const char *at,
                               char **ret)
{
    const char *params[] = {id, lifted_on, reason, who->id[0] ? who->id : NULL, at};
    return db_json_one(db, "holder_store_lift", 5, params, ret);
}

enum app_err holder_store_case_open(struct db *db,
                                    const struct case_write *w,
                                    const struct principal *who,
                                    const char *at,
                                    char **ret)
{
    const char *params[] = {w->recognition_id,
                            w->reason,
                            w->facts,
                            w->finding,
                            w->evidence_json,
                            w->effective_on,
                            w->steps_json,
                            who->id[0] ? who->id : NULL,
                            who->username[0] ? who->username : "anonymous",
                            at};
    return db_json_one(db, "holder_store_case_open", 10, params, ret);
}

enum app_err holder_store_case(struct db *db, const char *id, bool lock, struct case_ref *ret)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    enum app_err err =
        db_row(db, lock ? "holder_store_case_lock" : "holder_store_case", 1, params, &res);

    memset(ret, 0, sizeof(*ret));
    if (err != APP_OK) {
        return err;
    }
    db_copy_col(res, 0, ret->id, sizeof(ret->id));
    db_copy_col(res, 1, ret->recognition_id, sizeof(ret->recognition_id));
    db_copy_col(res, 2, ret->state, sizeof(ret->state));
    db_copy_col(res, 3, ret->reason, sizeof(ret->reason));
    db_copy_col(res, 4, ret->effective_on, sizeof(ret->effective_on));
    ret->steps_json = db_strdup(res, 0, 5);
    ret->done = atoi(PQgetvalue(res, 0, 6));
    ret->version = atoi(PQgetvalue(res, 0, 7));
    PQclear(res);
    return ret->steps_json != NULL ? APP_OK : APP_ERR_INTERNAL;
}

void case_ref_free(struct case_ref *c)
{
    free(c->steps_json);
    c->steps_json = NULL;
}

enum app_err holder_store_case_get(struct db *db, const char *id, char **ret)
{
    const char *params[] = {id};
    return db_json_one(db, "holder_store_case_get", 1, params, ret);
}

enum app_err holder_store_cases(
    struct db *db, const char *state, const char *programme, const char *programmes, char **ret)
{
    const char *params[] = {state, programme, programmes};
    return db_json_one(db, "holder_store_cases", 3, params, ret);
}

enum app_err holder_store_step(struct db *db,
                               const struct step_write *w,
                               const struct principal *who,
                               const char *at,
                               char **ret)
{
    char position[16];
    const char *params[] = {w->case_id,
                            position,
                            w->step,
                            w->outcome,
                            w->note,
                            w->decided_on,
                            w->meeting_reference,
                            w->document_no,
                            w->last ? "true" : "false",
                            w->notice_title,
                            w->notice_body,
                            w->notice_issuer,
                            DB_ACTOR(who),
                            at};

    snprintf(position, sizeof(position), "%d", w->position);
    return db_json_one(db, "holder_store_step", 16, params, ret);
}
