/* SPDX-License-Identifier: MIT */
/*
 * The objections' store (objection_store.h): one statement per function,
 * representations from db/functions/12_objections.sql.
 */
#include "objection_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

const struct db_statement objection_store_statements[] = {
    {"objection_store_notice",
     "SELECT t.id, t.round_id, to_char(t.ends_on, 'YYYY-MM-DD'),"
     "       jsonb_array_length(t.entries), n.id, n.state::text"
     "  FROM notices t"
     "  LEFT JOIN nominations n ON n.id = CASE"
     "      WHEN $2::int BETWEEN 1 AND jsonb_array_length(t.entries)"
     "      THEN (t.entries -> ($2::int - 1) ->> 'nomination_id')::uuid END"
     " WHERE t.id = $1::uuid"},
    /* A taken tracking number writes nothing and returns no row. */
    {"objection_store_insert",
     "INSERT INTO objections AS o (notice_id, nomination_id, tracking_number, code_hash, body,"
     "                             contact_sealed, contact_masked, received_at)"
     " VALUES ($1::uuid, $2::uuid, $3, $4, $5, decode($6, 'hex'), $7, $8::timestamptz)"
     " ON CONFLICT (tracking_number) DO NOTHING"
     " RETURNING o.id, api_ts(o.received_at), audit_objection(o)::text"},
    {"objection_store_status", "SELECT o.code_hash, api_objection_status(o)::text FROM objections o"
                               " WHERE o.tracking_number = $1"},
    {"objection_store_list",
     "SELECT jsonb_build_object('notice_id', t.id,"
     "  'items', coalesce((SELECT jsonb_agg(api_objection(o) ORDER BY o.received_at, o.id)"
     "                       FROM objections o WHERE o.notice_id = t.id), '[]'::jsonb))::text"
     "  FROM notices t WHERE t.id = $1::uuid"},
    {"objection_store_round_of",
     "SELECT t.round_id FROM objections o JOIN notices t ON t.id = o.notice_id"
     " WHERE o.id = $1::uuid"},
    {"objection_store_lock", "SELECT o.id, o.nomination_id, o.state, o.version, n.state::text,"
                             "       api_objection(o)::text, audit_objection(o)::text"
                             "  FROM objections o JOIN nominations n ON n.id = o.nomination_id"
                             " WHERE o.id = $1::uuid FOR UPDATE OF o"},
    {"objection_store_decide",
     "UPDATE objections o SET state = $3, findings = $4, decided_by = $5::uuid,"
     "       decided_at = $6::timestamptz, version = o.version + 1"
     " WHERE o.id = $1::uuid AND o.version = $2::int"
     " RETURNING api_objection(o)::text, audit_objection(o)::text"},
    {"objection_store_withdraw",
     "SELECT nominations_move($1::uuid, ARRAY[$2::uuid], 'final_notice', 'objection_upheld',"
     "                        $3::uuid, $4, $5::user_role, $6, $7::timestamptz)"},
    {NULL, NULL},
};

enum app_err
objection_store_notice(struct db *db, const char *id, int entry, struct notice_ref *ret)
{
    char n[16];
    const char *params[] = {id, n};
    PGresult *res = NULL;
    char date[11];
    enum app_err err;

    snprintf(n, sizeof(n), "%d", entry);
    if ((err = db_row(db, "objection_store_notice", 2, params, &res)) != APP_OK) {
        return err;
    }
    memset(ret, 0, sizeof(*ret));
    db_copy_col(res, 0, ret->id, sizeof(ret->id));
    db_copy_col(res, 1, ret->round_id, sizeof(ret->round_id));
    db_copy_col(res, 2, date, sizeof(date));
    date_parse(date, &ret->ends_on);
    ret->entries = atoi(PQgetvalue(res, 0, 3));
    ret->has_entry = !PQgetisnull(res, 0, 4);
    if (ret->has_entry) {
        db_copy_col(res, 4, ret->nomination_id, sizeof(ret->nomination_id));
        ret->state =
            (enum nomination_state)enums_from_value(ENUMS_NOMINATION_STATES, PQgetvalue(res, 0, 5));
    }
    PQclear(res);
    return APP_OK;
}

enum app_err objection_store_insert(struct db *db,
                                    const struct objection_new *o,
                                    char ret_id[40],
                                    char *ret_received_at,
                                    char **ret_audit)
{
    const char *params[] = {o->notice_id,      o->nomination_id, o->tracking_number,
                            o->code_hash,      o->text,          o->contact_sealed_hex,
                            o->contact_masked, o->received_at};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "objection_store_insert", 8, params, &res);

    if (err == APP_ERR_NOT_FOUND) {
        return APP_ERR_CONFLICT;
    }
    if (err != APP_OK) {
        return err;
    }
    db_copy_col(res, 0, ret_id, 40);
    db_copy_col(res, 1, ret_received_at, RFC3339_TEXT_MAX);
    *ret_audit = db_strdup(res, 0, 2);
    PQclear(res);
    return *ret_audit != NULL ? APP_OK : APP_ERR_INTERNAL;
}

enum app_err objection_store_status(struct db *db,
                                    const char *tracking_number,
                                    char ret_code_hash[65],
                                    char **ret_json)
{
    const char *params[] = {tracking_number};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "objection_store_status", 1, params, &res);

    if (err != APP_OK) {
        return err;
    }
    db_copy_col(res, 0, ret_code_hash, 65);
    *ret_json = db_strdup(res, 0, 1);
    PQclear(res);
    return *ret_json != NULL ? APP_OK : APP_ERR_INTERNAL;
}

enum app_err objection_store_list(struct db *db, const char *notice_id, char **ret_json)
{
    const char *params[] = {notice_id};

    return db_json_one(db, "objection_store_list", 1, params, ret_json);
}

enum app_err objection_store_round_of(struct db *db, const char *id, char ret_round_id[40])
{
    const char *params[] = {id};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "objection_store_round_of", 1, params, &res);

    if (err == APP_OK) {
        db_copy_col(res, 0, ret_round_id, 40);
        PQclear(res);
    }
    return err;
}

void objection_row_free(struct objection_row *o)
{
    if (o != NULL) {
        free(o->json);
        free(o->audit);
        o->json = o->audit = NULL;
    }
}

enum app_err objection_store_lock(struct db *db, const char *id, struct objection_row *ret)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "objection_store_lock", 1, params, &res);

    if (err != APP_OK) {
        return err;
    }
    memset(ret, 0, sizeof(*ret));
    db_copy_col(res, 0, ret->id, sizeof(ret->id));
    db_copy_col(res, 1, ret->nomination_id, sizeof(ret->nomination_id));
    db_copy_col(res, 2, ret->state, sizeof(ret->state));
    ret->version = atoi(PQgetvalue(res, 0, 3));
    ret->nomination_state =
        (enum nomination_state)enums_from_value(ENUMS_NOMINATION_STATES, PQgetvalue(res, 0, 4));
    ret->json = db_strdup(res, 0, 5);
    ret->audit = db_strdup(res, 0, 6);
    PQclear(res);
    if (ret->json == NULL || ret->audit == NULL) {
        objection_row_free(ret);
        return APP_ERR_INTERNAL;
    }
    return APP_OK;
}

enum app_err objection_store_decide(struct db *db,
                                    const char *id,
                                    int version,
                                    const char *state,
                                    const char *findings,
                                    const char *decided_by,
                                    const char *decided_at,
                                    char **ret_json,
                                    char **ret_audit)
{
    char v[16];
    const char *params[] = {id, v, state, findings, decided_by, decided_at};
    PGresult *res = NULL;
    enum app_err err;

    snprintf(v, sizeof(v), "%d", version);
    err = db_row(db, "objection_store_decide", 6, params, &res);
    if (err == APP_ERR_NOT_FOUND) {
        return APP_ERR_CONFLICT;
    }
    if (err != APP_OK) {
        return err;
    }
    *ret_json = db_strdup(res, 0, 0);
    *ret_audit = db_strdup(res, 0, 1);
    PQclear(res);
    if (*ret_json == NULL || *ret_audit == NULL) {
        free(*ret_json);
        free(*ret_audit);
        *ret_json = *ret_audit = NULL;
        return APP_ERR_INTERNAL;
    }
    return APP_OK;
}

enum app_err objection_store_withdraw(struct db *db,
                                      const char *round_id,
                                      const char *nomination_id,
                                      const struct principal *who,
                                      const char *note,
                                      const char *at,
                                      int *ret_moved)
{
    const char *params[] = {round_id, nomination_id, DB_ACTOR(who), note, at};
    PGresult *res = NULL;
    enum app_err err = db_row(db, "objection_store_withdraw", 7, params, &res);

    if (err == APP_OK) {
        *ret_moved = atoi(PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    return err;
}
