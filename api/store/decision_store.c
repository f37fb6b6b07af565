/* SPDX-License-Identifier: MIT */
/*
 * The steps after the shortlist (decision_store.h). Each statement calls
 * a function of db/functions/11_decisions.sql and answers JSON text.
 */
#include "decision_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "db_internal.h"

const struct db_statement decision_store_statements[] = {
    {"decision_store_facts", "SELECT round_step_facts($1::uuid)::text"},
    {"decision_store_in_state",
     "SELECT coalesce(json_agg(json_build_object('id', n.id, 'name', n.name, 'state', n.state)"
     "                         ORDER BY n.name, n.id), '[]')::text"
     "  FROM nominations n WHERE n.round_id = $1::uuid AND n.state = $2::nomination_state"},
    {"decision_store_pack",
     "SELECT coalesce(jsonb_agg(jsonb_build_object("
     "    'position', e.position, 'rank', e.rank, 'override_reason', e.override_reason,"
     "    'nomination', api_nomination_summary(n),"
     "    'eligibility', n.eligibility,"
     "    'skill_test', api_skill_test(n.id),"
     "    'vote', decision_vote_of(n.round_id, n.id, $2::timestamptz),"
     "    'inspection', inspection_of(n.id),"
     "    'review', (SELECT x FROM shortlists s, jsonb_array_elements(s.ranking) x"
     "                WHERE s.round_id = e.round_id AND x ->> 'nomination_id' = n.id::text))"
     "  ORDER BY e.position), '[]')::text"
     "  FROM shortlist_entries e JOIN nominations n ON n.id = e.nomination_id"
     " WHERE e.round_id = $1::uuid"},
    {"decision_store_record",
     "SELECT decision_record($1::uuid, $2, $3::date, $4, $5::jsonb, $6,"
     "  ARRAY(SELECT jsonb_array_elements_text($7::jsonb)::uuid), $8::uuid, $9,"
     "  $10::user_role, $11::timestamptz)::text"},
    {"decision_store_get",
     "SELECT api_decision(d)::text FROM decisions d WHERE d.round_id = $1::uuid AND d.step = $2"},
    {"decision_store_inspect",
     "INSERT INTO inspections (round_id, nomination_id, revision, passed, findings, inspected_on,"
     "                         recorded_by, recorded_at)"
     " SELECT $1::uuid, $2::uuid, coalesce(max(i.revision), 0) + 1, $3::boolean, $4, $5::date,"
     "        $6::uuid, $7::timestamptz"
     "   FROM inspections i WHERE i.nomination_id = $2::uuid"
     " RETURNING api_inspection(inspections.*)::text"},
    {"decision_store_inspection",
     "SELECT inspection_of($1::uuid)::text WHERE inspection_of($1::uuid) IS NOT NULL"},
    {"decision_store_publish",
     "SELECT notice_publish($1::uuid, ARRAY(SELECT jsonb_array_elements_text($2::jsonb)::uuid),"
     "  $3::nomination_state, $4, $5, $6, $7, $8::date, $9::date, $10::int, $11::uuid, $12,"
     "  $13::user_role, $14::timestamptz)::text"},
    /* A final notice or a revocation notice (13_holders.sql). */
    {"decision_store_notice",
     "SELECT api_notice(t, $2::date)::text FROM notices t WHERE t.id = $1::uuid"
     " UNION ALL"
     " SELECT api_revocation_notice(t)::text FROM revocation_notices t WHERE t.id = $1::uuid"},
    {"decision_store_round_notice",
     "SELECT api_notice(t, $2::date)::text FROM notices t WHERE t.round_id = $1::uuid"},
    {"decision_store_notices",
     "SELECT coalesce(json_agg(x.j ORDER BY x.at DESC, x.id), '[]')::text FROM ("
     "  SELECT api_notice(t, $2::date) - 'entries' - 'body' AS j, t.published_at AS at, t.id"
     "    FROM notices t JOIN rounds r ON r.id = t.round_id"
     "    JOIN programmes p ON p.id = r.programme_id"
     "   WHERE $1::text IS NULL OR p.code = $1"
     "  UNION ALL"
     "  SELECT api_revocation_notice(t) - 'body', t.published_at, t.id"
     "    FROM revocation_notices t JOIN programmes p ON p.id = t.programme_id"
     "   WHERE $1::text IS NULL OR p.code = $1) x"},
    {"decision_store_approve",
     "INSERT INTO round_approvals (round_id, document_no, approved_on, recorded_by, recorded_at)"
     " VALUES ($1::uuid, $2, $3::date, $4::uuid, $5::timestamptz)"
     " RETURNING json_build_object('round_id', round_id, 'document_no', document_no,"
     "   'approved_on', approved_on,"
     "   'recorded_by', (SELECT u.username FROM users u WHERE u.id = recorded_by),"
     "   'recorded_at', api_ts(recorded_at))::text"},
    {"decision_store_approval",
     "SELECT json_build_object('round_id', a.round_id, 'document_no', a.document_no,"
     "   'approved_on', a.approved_on,"
     "   'recorded_by', (SELECT u.username FROM users u WHERE u.id = a.recorded_by),"
     "   'recorded_at', api_ts(a.recorded_at))::text"
     "  FROM round_approvals a WHERE a.round_id = $1::uuid"},
    {"decision_store_candidates", "SELECT to_json(recognition_candidates($1::uuid))::text"},
    {"decision_store_take_seq", "SELECT certificate_sequence_take($1, $2::int, $3::int)::text"},
    {"decision_store_issue",
     "SELECT recognitions_issue($1::uuid, ARRAY(SELECT jsonb_array_elements_text($2::jsonb)::uuid),"
     "  ARRAY(SELECT jsonb_array_elements_text($3::jsonb)), $4::int, $5::int, $6, $7::date,"
     "  $8::uuid, $9, $10::user_role, $11::timestamptz)::text"},
    {"decision_store_recognitions",
     "SELECT coalesce(json_agg(api_recognition(r) ORDER BY r.certificate_year,"
     "                         r.certificate_seq), '[]')::text"
     "  FROM recognitions r WHERE r.round_id = $1::uuid"},
    {"decision_store_recognition",
     "SELECT api_recognition(r)::text FROM recognitions r WHERE r.id = $1::uuid"},
    {"decision_store_certificate", "SELECT api_certificate(r)::text FROM recognitions r"
                                   " WHERE r.certificate_number = $1 AND r.verification_code = $2"},
    {NULL, NULL},
};

enum app_err decision_store_facts(struct db *db, const char *round_id, char **ret)
{
    const char *params[] = {round_id};
    return db_json_one(db, "decision_store_facts", 1, params, ret);
}

enum app_err
decision_store_in_state(struct db *db, const char *round_id, const char *state, char **ret)
{
    const char *params[] = {round_id, state};
    return db_json_one(db, "decision_store_in_state", 2, params, ret);
}

enum app_err decision_store_pack(struct db *db, const char *round_id, const char *at, char **ret)
{
    const char *params[] = {round_id, at};
    return db_json_one(db, "decision_store_pack", 2, params, ret);
}

enum app_err decision_store_record(struct db *db,
                                   const struct decision_write *w,
                                   const struct principal *who,
                                   const char *at,
                                   char **ret)
{
    const char *params[] = {w->round_id,          w->step,         w->meeting_date,
                            w->meeting_reference, w->members_json, w->reason,
                            w->ids_json,          DB_ACTOR(who),   at};
    return db_json_one(db, "decision_store_record", 11, params, ret);
}

enum app_err decision_store_get(struct db *db, const char *round_id, const char *step, char **ret)
{
    const char *params[] = {round_id, step};
    return db_json_one(db, "decision_store_get", 2, params, ret);
}

enum app_err decision_store_inspect(struct db *db,
                                    const char *round_id,
                                    const char *nom,
                                    bool passed,
                                    const char *findings,
                                    const char *inspected_on,
                                    const struct principal *who,
                                    const char *at,
                                    char **ret)
{
    const char *params[] = {round_id, nom,          passed ? "true" : "false",
                            findings, inspected_on, who->id[0] ? who->id : NULL,
                            at};
    return db_json_one(db, "decision_store_inspect", 7, params, ret);
}

enum app_err decision_store_inspection(struct db *db, const char *nom, char **ret)
{
    const char *params[] = {nom};
    return db_json_one(db, "decision_store_inspection", 1, params, ret);
}

enum app_err decision_store_publish(struct db *db,
                                    const struct notice_write *w,
                                    const struct principal *who,
                                    const char *at,
                                    char **ret)
{
    char days[16];
    const char *params[] = {w->round_id, w->ids_json, w->from_state, w->title,
                            w->body,     w->contact,  w->issuer,     w->published_on,
                            w->ends_on,  days,        DB_ACTOR(who), at};

    snprintf(days, sizeof(days), "%d", w->workdays);
    return db_json_one(db, "decision_store_publish", 14, params, ret);
}

enum app_err decision_store_notice(struct db *db, const char *id, const char *today, char **ret)
{
    const char *params[] = {id, today};
    return db_json_one(db, "decision_store_notice", 2, params, ret);
}

enum app_err
decision_store_round_notice(struct db *db, const char *round_id, const char *today, char **ret)
{
    const char *params[] = {round_id, today};
    return db_json_one(db, "decision_store_round_notice", 2, params, ret);
}

enum app_err
decision_store_notices(struct db *db, const char *programme, const char *today, char **ret)
{
    const char *params[] = {programme, today};
    return db_json_one(db, "decision_store_notices", 2, params, ret);
}

enum app_err decision_store_approve(struct db *db,
                                    const char *round_id,
                                    const char *document_no,
                                    const char *approved_on,
                                    const struct principal *who,
                                    const char *at,
                                    char **ret)
{
    const char *params[] = {round_id, document_no, approved_on, who->id[0] ? who->id : NULL, at};
    return db_json_one(db, "decision_store_approve", 5, params, ret);
}

enum app_err decision_store_approval(struct db *db, const char *round_id, char **ret)
{
    const char *params[] = {round_id};
    return db_json_one(db, "decision_store_approval", 1, params, ret);
}

enum app_err decision_store_candidates(struct db *db, const char *round_id, char **ret)
{
    const char *params[] = {round_id};
    return db_json_one(db, "decision_store_candidates", 1, params, ret);
}

enum app_err
decision_store_take_seq(struct db *db, const char *prefix, int year, int n, long long *ret_first)
{
    char y[16], count[16], *text = NULL;
    const char *params[] = {prefix, y, count};
    enum app_err err;

    snprintf(y, sizeof(y), "%d", year);
    snprintf(count, sizeof(count), "%d", n);
    if ((err = db_json_one(db, "decision_store_take_seq", 3, params, &text)) == APP_OK) {
        *ret_first = atoll(text);
    }
    free(text);
    return err;
}

enum app_err decision_store_issue(struct db *db,
                                  const struct recognition_write *w,
                                  const struct principal *who,
                                  const char *at,
                                  char **ret)
{
    char first[24], year[16];
    const char *params[] = {w->round_id, w->ids_json,      w->numbers_json, first, year,
                            w->title,    w->recognized_on, DB_ACTOR(who),   at};

    snprintf(first, sizeof(first), "%lld", w->first_seq);
    snprintf(year, sizeof(year), "%d", w->year);
    return db_json_one(db, "decision_store_issue", 11, params, ret);
}

enum app_err decision_store_recognitions(struct db *db, const char *round_id, char **ret)
{
    const char *params[] = {round_id};
    return db_json_one(db, "decision_store_recognitions", 1, params, ret);
}

enum app_err decision_store_recognition(struct db *db, const char *id, char **ret)
{
    const char *params[] = {id};
    return db_json_one(db, "decision_store_recognition", 1, params, ret);
}

enum app_err
decision_store_certificate(struct db *db, const char *number, const char *code, char **ret)
{
    const char *params[] = {number, code};
    return db_json_one(db, "decision_store_certificate", 2, params, ret);
}
