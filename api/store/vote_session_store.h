/* SPDX-License-Identifier: MIT */
/*
 * The store of vote sessions: what ops and handlers call. JSON-returning functions
 * give the representation (an api_* function of db/functions) as malloc'd
 * text; NOT_FOUND when there is no such row; lists return a JSON array
 * text and the next cursor. Nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_VOTE_SESSION_STORE_H
#define JIANGXIN_VOTE_SESSION_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

/* vote sessions (db/migrations/0008) */
struct vote_session_new {
    const char *round_id;
    const char *title;                /* NULL: "<programme name> <year> 网络投票" */
    const char *opens_at, *closes_at; /* RFC 3339 */
    const char *limits_json;          /* all four limits */
    bool show_counts;
    const char *nominees_json; /* the public list from vote_session_store_nominees */
    const char *created_by;    /* user id */
};
struct vote_tally {
    long long sequence;
    const char *counts_json; /* {"<nominee id>": n, ...} */
    long long total;
    bool final;
    long long log_entries;  /* -1: not given */
    const char *log_sha256; /* NULL: not given */
    const char *as_of;      /* RFC 3339 */
};
/* {"nominees": [public list], "unknown": [indexes of ids that are not
 * vote_candidates of the round], "candidates": n} for a JSON array of ids. */
enum app_err vote_session_store_nominees(struct db *db,
                                         const char *round_id,
                                         const char *ids_json,
                                         char **ret_json);
/* CONFLICT when the round has a session already. */
enum app_err
vote_session_store_insert(struct db *db, const struct vote_session_new *s, char **ret_json);
enum app_err vote_session_store_get(struct db *db, const char *id, char **ret_json);
enum app_err vote_session_store_by_round(struct db *db, const char *round_id, char **ret_json);
enum app_err vote_session_store_results(struct db *db, const char *round_id, char **ret_json);
/* The API's own recount of a sealed vote log (api/vote_log.c). */
struct vote_log_count {
    long long entries;       /* lines */
    long long invalid;       /* lines naming no nominee of the session */
    const char *sha256;      /* of the log as published (hex) */
    const char *counts_json; /* {"<nominee id>": n, ...}, every nominee */
};
/* {"nominee_ids": [...], "closes_at", "epoch" (the sequence bound's start),
 * "integrity": api_vote_integrity, "tally": api_vote_tally}, the row locked
 * FOR UPDATE. */
enum app_err vote_session_store_tally_target(struct db *db, const char *id, char **ret_json);
/* Stores the tally unless the session is final or has this sequence or a
 * higher one (NOT_FOUND then); *ret_json is the new api_vote_tally. */
enum app_err vote_session_store_tally_apply(struct db *db,
                                            const char *id,
                                            const struct vote_tally *t,
                                            char **ret_json);
/* Freezes a final that agrees with the log (sequence: the higher of the
 * stored and the posted one; integrity agreed; posted_json kept as the last
 * final); NOT_FOUND when final already. *ret_json: api_vote_tally. */
enum app_err vote_session_store_tally_freeze(struct db *db,
                                             const char *id,
                                             const struct vote_tally *t,
                                             const char *posted_json,
                                             char **ret_json);
/* Stores the API's recount of the sealed log. *ret_json: api_vote_integrity. */
enum app_err vote_session_store_log_verified(struct db *db,
                                             const char *id,
                                             const struct vote_log_count *c,
                                             char **ret_json);
/* Keeps a final that was not frozen as the last one posted; with a reason
 * (a refusal) it is counted and disputes a result not agreed yet.
 * *ret_json: api_vote_integrity. */
enum app_err vote_session_store_final_not_frozen(struct db *db,
                                                 const char *id,
                                                 const char *posted_json,
                                                 const char *refused_reason,
                                                 char **ret_json);
/* Sets the integrity state and reason. *ret_json: api_vote_integrity. */
enum app_err vote_session_store_integrity_set(
    struct db *db, const char *id, const char *state, const char *reason, char **ret_json);
/* Freezes the stored recount of the log as the final (an admin's
 * resolution); NOT_FOUND without a recount. *ret_json: api_vote_tally. */
enum app_err vote_session_store_resolve(
    struct db *db, const char *id, const char *admin_id, const char *note, char **ret_json);
/* JSON array text of the ids of pending sessions due for a push attempt. */
enum app_err vote_session_store_push_due(struct db *db, int limit, char **ret_array);
/* The PUT body for jiangxin-vote; NOT_FOUND unless the session is pending. */
enum app_err vote_session_store_push_body(struct db *db, const char *id, char **ret_json);
/* Records a push attempt of `body` (the push body as sent): error NULL =
 * pushed, else the reason (no personal data) and the next attempt after a
 * backoff. NOT_FOUND when no longer pending, or (success) when the session
 * changed since `body` was read (it stays pending for the next push). */
enum app_err vote_session_store_push_result(
    struct db *db, const char *id, const char *body, const char *error, char **ret_json);
/* Marks nomination `nomination_id` withdrawn in its round's session when it
 * is listed there and no longer a vote candidate (SQL vote_session_withdraw):
 * {"id", "before", "after"}; NOT_FOUND when nothing was marked. */
enum app_err vote_session_store_withdraw(struct db *db, const char *nomination_id, char **ret_json);

/* Locks the session of the nomination's round, if it has one, for the rest
 * of the transaction: the lock order shared with the tally and the push. */
enum app_err vote_session_store_lock_ballot(struct db *db, const char *nomination_id);

#endif
