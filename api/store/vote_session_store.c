/* SPDX-License-Identifier: MIT */
/*
 * vote_sessions: the public vote of a round (db/migrations/0008). The
 * nominees come from vote_candidates() only; the push state is kept for the
 * retry thread (api/vote_push.c); tallies keep the highest sequence and
 * freeze once final, decided in one locked read and one UPDATE.
 */
#include "vote_session_store.h"

#include <stdio.h>

#include "db_internal.h"

/* The retry delay after a failed push: 2 s, doubling, at most this. */
#define VOTE_PUSH_BACKOFF_MAX_S 10

const struct db_statement vote_session_store_statements[] = {
    {"vote_session_store_nominees", "SELECT vote_session_nominees($1::uuid, $2::jsonb)::text"},
    /* Without a title: "<programme name> <year> 网络投票". */
    {"vote_session_store_insert",
     "INSERT INTO vote_sessions (round_id, title, opens_at, closes_at, limits,"
     "                           show_counts_while_open, nominees, created_by, next_push_at,"
     "                           tally_epoch)"
     " SELECT r.id, coalesce($2, p.name || ' ' || r.year || ' 网络投票'), $3::timestamptz,"
     "        $4::timestamptz, $5::jsonb, $6::boolean, $7::jsonb, $8::uuid, $9::timestamptz,"
     "        $9::timestamptz"
     "   FROM rounds r JOIN programmes p ON p.id = r.programme_id WHERE r.id = $1::uuid"
     " RETURNING api_vote_session(vote_sessions, $9::timestamptz)::text"},
    {"vote_session_store_get",
     "SELECT api_vote_session(s, $2::timestamptz)::text FROM vote_sessions s"
     " WHERE s.id = $1::uuid"},
    {"vote_session_store_by_round",
     "SELECT api_vote_session(s, $2::timestamptz)::text FROM vote_sessions s"
     " WHERE s.round_id = $1::uuid"},
    {"vote_session_store_results",
     "SELECT api_vote_results(s, $2::timestamptz)::text FROM vote_sessions s"
     " WHERE s.round_id = $1::uuid"},
    /* What a tally post is checked against, the row locked until commit. */
    {"vote_session_store_tally_target",
     "SELECT jsonb_build_object("
     "         'nominee_ids', (SELECT coalesce(jsonb_agg(e ->> 'id'), '[]'::jsonb)"
     "                           FROM jsonb_array_elements(s.nominees) e),"
     "         'closes_at', api_ts(s.closes_at), 'epoch', api_ts(s.tally_epoch),"
     "         'integrity', api_vote_integrity(s),"
     "         'tally', api_vote_tally(s))::text"
     "  FROM vote_sessions s WHERE s.id = $1::uuid FOR UPDATE"},
    /* A final that agrees with the sealed log: frozen whatever the stored
     * (live) sequence, which only grows. */
    {"vote_session_store_tally_freeze",
     "UPDATE vote_sessions SET tally_sequence = greatest(tally_sequence, $2::bigint),"
     "       tally_counts = $3::jsonb, tally_total = $4::bigint, tally_final = true,"
     "       log_entries = $5::bigint, log_sha256 = $6, tally_as_of = $7::timestamptz,"
     "       tally_received_at = $8::timestamptz, integrity_state = 'agreed',"
     "       integrity_reason = NULL, integrity_checked_at = $8::timestamptz,"
     "       last_final = $9::jsonb, version = version + 1, updated_at = now()"
     " WHERE id = $1::uuid AND NOT tally_final"
     " RETURNING api_vote_tally(vote_sessions)::text"},
    /* The API's own recount of the sealed log (immutable once sealed). */
    {"vote_session_store_log_verified",
     "UPDATE vote_sessions SET log_verified_entries = $2::bigint, log_verified_sha256 = $3,"
     "       log_verified_counts = $4::jsonb, log_invalid_entries = $5::bigint,"
     "       integrity_checked_at = $6::timestamptz, version = version + 1, updated_at = now()"
     " WHERE id = $1::uuid RETURNING api_vote_integrity(vote_sessions)::text"},
    /* A final that was not frozen: kept for the admin; refused ones count
     * and dispute the result unless an agreed final is frozen already. */
    {"vote_session_store_final_not_frozen",
     "UPDATE vote_sessions SET last_final = $2::jsonb,"
     "       refused_finals = refused_finals + CASE WHEN $3::boolean THEN 1 ELSE 0 END,"
     "       integrity_state = CASE WHEN $3::boolean AND integrity_state <> 'agreed'"
     "                              THEN 'disputed' ELSE integrity_state END,"
     "       integrity_reason = CASE WHEN $3::boolean AND integrity_state <> 'agreed'"
     "                               THEN $4 ELSE integrity_reason END,"
     "       integrity_checked_at = $5::timestamptz, version = version + 1, updated_at = now()"
     " WHERE id = $1::uuid RETURNING api_vote_integrity(vote_sessions)::text"},
    {"vote_session_store_integrity_set",
     "UPDATE vote_sessions SET integrity_state = $2, integrity_reason = $3,"
     "       integrity_checked_at = $4::timestamptz, version = version + 1, updated_at = now()"
     " WHERE id = $1::uuid RETURNING api_vote_integrity(vote_sessions)::text"},
    /* The admin's resolution: the log's recount becomes the frozen final. */
    {"vote_session_store_resolve",
     "UPDATE vote_sessions SET tally_sequence = greatest(tally_sequence, 1),"
     "       tally_counts = log_verified_counts,"
     "       tally_total = log_verified_entries - log_invalid_entries, tally_final = true,"
     "       log_entries = log_verified_entries, log_sha256 = log_verified_sha256,"
     "       tally_as_of = $3::timestamptz, tally_received_at = $3::timestamptz,"
     "       integrity_state = 'agreed', integrity_reason = 'resolved_from_log',"
     "       integrity_checked_at = $3::timestamptz, integrity_resolved_by = $2::uuid,"
     "       integrity_resolved_at = $3::timestamptz, integrity_note = $4,"
     "       version = version + 1, updated_at = now()"
     " WHERE id = $1::uuid AND log_verified_sha256 IS NOT NULL"
     " RETURNING api_vote_tally(vote_sessions)::text"},
    {"vote_session_store_tally_apply",
     "UPDATE vote_sessions SET tally_sequence = $2::bigint, tally_counts = $3::jsonb,"
     "       tally_total = $4::bigint, tally_final = $5::boolean, log_entries = $6::bigint,"
     "       log_sha256 = $7, tally_as_of = $8::timestamptz,"
     "       tally_received_at = $9::timestamptz,"
     "       version = version + 1, updated_at = now()"
     " WHERE id = $1::uuid AND NOT tally_final AND tally_sequence < $2::bigint"
     " RETURNING api_vote_tally(vote_sessions)::text"},
    {"vote_session_store_push_due",
     "SELECT coalesce(jsonb_agg(x.id ORDER BY x.next_push_at), '[]'::jsonb)::text"
     "  FROM (SELECT id, next_push_at FROM vote_sessions"
     "         WHERE push_state = 'pending' AND next_push_at <= $2::timestamptz"
     "         ORDER BY next_push_at LIMIT $1::int) x"},
    {"vote_session_store_push_body", "SELECT api_vote_push(s)::text FROM vote_sessions s"
                                     " WHERE s.id = $1::uuid AND s.push_state = 'pending'"},
    {"vote_session_store_push_ok",
     "UPDATE vote_sessions SET push_state = 'pushed', pushed_at = $2::timestamptz,"
     "       push_attempts = push_attempts + 1, push_error = NULL,"
     "       version = version + 1, updated_at = now()"
     " WHERE id = $1::uuid AND push_state = 'pending'"
     /* Only when the body pushed is still the session's: a change made
      * while the push was in flight (a withdrawn nominee) stays pending. */
     "   AND api_vote_push(vote_sessions) = $3::jsonb"
     " RETURNING api_vote_session(vote_sessions, $2::timestamptz)::text"},
    {"vote_session_store_push_failed",
     "UPDATE vote_sessions SET push_attempts = push_attempts + 1, push_error = $2,"
     "       next_push_at = $4::timestamptz + make_interval(secs =>"
     "           least(2 * power(2, least(push_attempts, 16)), $3::int)),"
     "       version = version + 1, updated_at = now()"
     " WHERE id = $1::uuid AND push_state = 'pending'"
     " RETURNING api_vote_session(vote_sessions, $4::timestamptz)::text"},
    {"vote_session_store_withdraw",
     "SELECT vote_session_withdraw($1::uuid, $2::timestamptz)::text"},
    /* The nomination's ballot, locked before the nomination moves: the
     * tally and the push lock the session row and then append to the audit
     * chain, so a move that audits first and locks the session after could
     * deadlock with them (40P01). One order: session row, then the chain. */
    {"vote_session_store_lock_ballot",
     "SELECT count(*) FROM (SELECT 1 FROM vote_sessions s JOIN nominations n"
     "  ON n.round_id = s.round_id WHERE n.id = $1::uuid FOR UPDATE OF s) locked"},
    {NULL, NULL},
};

enum app_err vote_session_store_nominees(struct db *db,
                                         const char *round_id,
                                         const char *ids_json,
                                         char **ret_json)
{
    const char *params[] = {round_id, ids_json};

    return db_json_one(db, "vote_session_store_nominees", 2, params, ret_json);
}

enum app_err
vote_session_store_insert(struct db *db, const struct vote_session_new *s, char **ret_json)
{
    char now[RFC3339_TEXT_MAX];
    const char *params[] = {s->round_id,      s->title,       s->opens_at,
                            s->closes_at,     s->limits_json, s->show_counts ? "true" : "false",
                            s->nominees_json, s->created_by,  now};

    db_clock_now(now);
    return db_json_one(db, "vote_session_store_insert", 9, params, ret_json);
}

enum app_err vote_session_store_get(struct db *db, const char *id, char **ret_json)
{
    char now[RFC3339_TEXT_MAX];
    const char *params[] = {id, now};

    db_clock_now(now);
    return db_json_one(db, "vote_session_store_get", 2, params, ret_json);
}

enum app_err vote_session_store_by_round(struct db *db, const char *round_id, char **ret_json)
{
    char now[RFC3339_TEXT_MAX];
    const char *params[] = {round_id, now};

    db_clock_now(now);
    return db_json_one(db, "vote_session_store_by_round", 2, params, ret_json);
}

enum app_err vote_session_store_results(struct db *db, const char *round_id, char **ret_json)
{
    char now[RFC3339_TEXT_MAX];
    const char *params[] = {round_id, now};

    db_clock_now(now);
    return db_json_one(db, "vote_session_store_results", 2, params, ret_json);
}

enum app_err vote_session_store_tally_target(struct db *db, const char *id, char **ret_json)
{
    const char *params[] = {id};

    return db_json_one(db, "vote_session_store_tally_target", 1, params, ret_json);
}

enum app_err vote_session_store_tally_apply(struct db *db,
                                            const char *id,
                                            const struct vote_tally *t,
                                            char **ret_json)
{
    char seq[24], total[24], entries[24], now[RFC3339_TEXT_MAX];
    const char *params[] = {id,
                            seq,
                            t->counts_json,
                            total,
                            t->final ? "true" : "false",
                            t->log_entries >= 0 ? entries : NULL,
                            t->log_sha256,
                            t->as_of,
                            now};

    snprintf(seq, sizeof(seq), "%lld", t->sequence);
    snprintf(total, sizeof(total), "%lld", t->total);
    snprintf(entries, sizeof(entries), "%lld", t->log_entries);
    db_clock_now(now);
    return db_json_one(db, "vote_session_store_tally_apply", 9, params, ret_json);
}

enum app_err vote_session_store_tally_freeze(struct db *db,
                                             const char *id,
                                             const struct vote_tally *t,
                                             const char *posted_json,
                                             char **ret_json)
{
    char seq[24], total[24], entries[24], now[RFC3339_TEXT_MAX];
    const char *params[] = {id,       seq, t->counts_json, total, entries, t->log_sha256,
                            t->as_of, now, posted_json};

    snprintf(seq, sizeof(seq), "%lld", t->sequence);
    snprintf(total, sizeof(total), "%lld", t->total);
    snprintf(entries, sizeof(entries), "%lld", t->log_entries);
    db_clock_now(now);
    return db_json_one(db, "vote_session_store_tally_freeze", 9, params, ret_json);
}

enum app_err vote_session_store_log_verified(struct db *db,
                                             const char *id,
                                             const struct vote_log_count *c,
                                             char **ret_json)
{
    char entries[24], invalid[24], now[RFC3339_TEXT_MAX];
    const char *params[] = {id, entries, c->sha256, c->counts_json, invalid, now};

    snprintf(entries, sizeof(entries), "%lld", c->entries);
    snprintf(invalid, sizeof(invalid), "%lld", c->invalid);
    db_clock_now(now);
    return db_json_one(db, "vote_session_store_log_verified", 6, params, ret_json);
}

enum app_err vote_session_store_final_not_frozen(struct db *db,
                                                 const char *id,
                                                 const char *posted_json,
                                                 const char *refused_reason,
                                                 char **ret_json)
{
    char now[RFC3339_TEXT_MAX];
    const char *params[] = {id, posted_json, refused_reason != NULL ? "true" : "false",
                            refused_reason, now};

    db_clock_now(now);
    return db_json_one(db, "vote_session_store_final_not_frozen", 5, params, ret_json);
}

enum app_err vote_session_store_integrity_set(
    struct db *db, const char *id, const char *state, const char *reason, char **ret_json)
{
    char now[RFC3339_TEXT_MAX];
    const char *params[] = {id, state, reason, now};

    db_clock_now(now);
    return db_json_one(db, "vote_session_store_integrity_set", 4, params, ret_json);
}

enum app_err vote_session_store_resolve(
    struct db *db, const char *id, const char *admin_id, const char *note, char **ret_json)
{
    char now[RFC3339_TEXT_MAX];
    const char *params[] = {id, admin_id, now, note};

    db_clock_now(now);
    return db_json_one(db, "vote_session_store_resolve", 4, params, ret_json);
}

enum app_err vote_session_store_push_due(struct db *db, int limit, char **ret_array)
{
    char lim[16], now[RFC3339_TEXT_MAX];
    const char *params[] = {lim, now};

    snprintf(lim, sizeof(lim), "%d", limit);
    db_clock_now(now);
    return db_json_one(db, "vote_session_store_push_due", 2, params, ret_array);
}

enum app_err vote_session_store_push_body(struct db *db, const char *id, char **ret_json)
{
    const char *params[] = {id};

    return db_json_one(db, "vote_session_store_push_body", 1, params, ret_json);
}

enum app_err vote_session_store_push_result(
    struct db *db, const char *id, const char *body, const char *error, char **ret_json)
{
    char cap[16], now[RFC3339_TEXT_MAX];
    const char *ok_params[] = {id, now, body};
    const char *failed_params[] = {id, error, cap, now};

    db_clock_now(now);
    if (error == NULL) {
        return db_json_one(db, "vote_session_store_push_ok", 3, ok_params, ret_json);
    }
    snprintf(cap, sizeof(cap), "%d", VOTE_PUSH_BACKOFF_MAX_S);
    return db_json_one(db, "vote_session_store_push_failed", 4, failed_params, ret_json);
}

enum app_err vote_session_store_withdraw(struct db *db, const char *nomination_id, char **ret_json)
{
    char now[RFC3339_TEXT_MAX];
    const char *params[] = {nomination_id, now};

    db_clock_now(now);
    return db_json_one(db, "vote_session_store_withdraw", 2, params, ret_json);
}

enum app_err vote_session_store_lock_ballot(struct db *db, const char *nomination_id)
{
    const char *params[] = {nomination_id};
    PGresult *res = NULL;
    enum app_err err =
        db_exec(db, "vote_session_store_lock_ballot", 1, params, PGRES_TUPLES_OK, &res);

    PQclear(res);
    return err;
}
