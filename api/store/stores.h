/* SPDX-License-Identifier: MIT */
/*
 * The store functions handlers call. JSON-returning functions give the
 * resource's representation (an api_* function of db/functions) as malloc'd
 * text; NOT_FOUND when there is no such row. Lists return a JSON array text
 * and the next cursor (NULL on the last page). Nothing here returns a
 * PGresult, and nothing here knows HTTP.
 */
#ifndef JIANGXIN_STORES_H
#define JIANGXIN_STORES_H

#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

struct calendar;

/* users */
enum app_err user_store_login(struct db *db, const char *username, char **ret_id, char **ret_hash);
/* Seconds the username stays locked (0 when it is not): locked after
 * max_failures failed sign-ins within window_s seconds. */
enum app_err user_store_login_locked(
    struct db *db, const char *username, int max_failures, int window_s, int *ret_retry_after);
/* Records a sign-in outcome: a failure counts towards the lock, a success clears it. */
enum app_err user_store_login_result(struct db *db, const char *username, bool ok, int window_s);
enum app_err user_store_principal(struct db *db, const char *id, struct principal *ret);
enum app_err user_store_get(struct db *db, const char *id, bool for_update, char **ret_json);
enum app_err user_store_list(struct db *db,
                             const char *role,
                             const char *cursor,
                             int limit,
                             char **ret_array,
                             char **ret_next);
enum app_err user_store_insert(struct db *db,
                               const char *username,
                               const char *hash,
                               const char *role,
                               const char *unit_id,
                               char **ret_id);
/* Replaces the user's programme scope with the codes in a JSON array text. */
enum app_err user_store_set_programmes(struct db *db, const char *id, const char *codes_json);
enum app_err user_store_update(struct db *db,
                               const char *id,
                               int version,
                               const char *role,
                               const char *unit_id,
                               bool disabled,
                               const char *new_hash,
                               char **ret_json);
enum app_err user_store_delete(struct db *db, const char *id, char **ret_json);

/* units */
enum app_err unit_store_get(struct db *db, const char *id, bool for_update, char **ret_json);
enum app_err unit_store_list(struct db *db,
                             const char *kind,
                             const char *q,
                             const char *only_id,
                             const char *cursor,
                             int limit,
                             char **ret_array,
                             char **ret_next);
enum app_err unit_store_insert(
    struct db *db, const char *code, const char *name, const char *kind, char **ret_json);
enum app_err unit_store_update(struct db *db,
                               const char *id,
                               int version,
                               const char *name,
                               const char *kind,
                               char **ret_json);

/* programmes: the representation shows the policy version of today (the
 * clock's), see api_programme in db/functions/04_programmes.sql */
enum app_err programme_store_list(struct db *db, char **ret_array);
enum app_err programme_store_get(struct db *db, const char *code, bool for_update, char **ret_json);
/* The programme and its policy version 1 (created by `created_by`). */
enum app_err programme_store_insert(struct db *db,
                                    const char *code,
                                    const char *name,
                                    const char *name_en,
                                    const char *policy_json,
                                    const char *created_by,
                                    char **ret_json);
/* version + 1 when it is `version`, or whatever it is when `version` < 0
 * (PRECONDITION_FAILED otherwise): a change to what the programme shows. */
enum app_err programme_store_touch(struct db *db, const char *code, int version);

/* policy versions (db/migrations/0009). Representations take today from
 * the clock. */
enum app_err policy_version_store_list(struct db *db, const char *code, char **ret_array);
enum app_err policy_version_store_get(
    struct db *db, const char *code, int number, bool for_update, char **ret_json);
/* Adds the next-numbered version; *ret_number is its number. */
enum app_err policy_version_store_insert(struct db *db,
                                         const char *code,
                                         const char *policy_json,
                                         const char *created_by,
                                         int *ret_number);
/* Replaces the rules of a version whose version is `version`
 * (PRECONDITION_FAILED otherwise); CONFLICT when a round uses it. */
enum app_err policy_version_store_update(
    struct db *db, const char *code, int number, int version, const char *policy_json);
/* For a new round of `code` opening on `day` (YYYY-MM-DD):
 * {"on": {"id", "number", "policy"} | null, "latest": {"number",
 * "document_no", "in_force_from", "in_force_to", "policy"}}. */
enum app_err
policy_version_store_pick(struct db *db, const char *code, const char *day, char **ret_json);
/* The rules (policy object text) of the version round `round_id` pinned. */
enum app_err policy_version_store_of_round(struct db *db, const char *round_id, char **ret_json);
/* Every version of every programme, for the status warnings: a JSON array
 * of {"programme", "number", "document_no", "in_force_from",
 * "in_force_to", "article"}. */
enum app_err policy_version_store_all(struct db *db, char **ret_array);
/* How many of the codes in a JSON array text name existing programmes. */
enum app_err programme_store_count_codes(struct db *db, const char *codes_json, long *ret_count);

/* calendar */
enum app_err calendar_store_year(struct db *db, int year, char **ret_json);
/* Loads the known years and the listed days in (from, from + span] into cal. */
enum app_err calendar_store_load(struct db *db, int32_t from, int span_days, struct calendar *cal);
enum app_err calendar_store_day(struct db *db, int32_t day, char **ret_json);
enum app_err calendar_store_put_day(
    struct db *db, int32_t day, int version, bool is_workday, const char *name, char **ret_json);
/* Marks `year` loaded from `source` (version + 1 when it was loaded before). */
enum app_err calendar_store_upsert_year(struct db *db, int year, const char *source);
enum app_err calendar_store_upsert_day(
    struct db *db, int32_t day, bool is_workday, const char *name, const char *source);
/* Every loaded year: a JSON array of {"year", "source", "loaded_at",
 * "listed_days", "version"}, ascending. */
enum app_err calendar_store_years_list(struct db *db, char **ret_array);
/* One loaded year's entry of that list; NOT_FOUND when it is not loaded. */
enum app_err calendar_store_year_head(struct db *db, int year, char **ret_json);
/* Deletes the listed days of `year` that are not among keep[0..n-1]
 * (inside the caller's transaction; upsert the kept ones after). */
struct holiday_cn_day;
enum app_err
calendar_store_prune_year(struct db *db, int year, const struct holiday_cn_day *keep, size_t n);

/* rounds */
/* Inserts a round of programme `programme` (a code) with the code
 * "<programme>-<year>", pinned to the policy version with that id; dates
 * are YYYY-MM-DD, the reason may be NULL. CONFLICT when the programme has a
 * round that year, NOT_FOUND when there is no such programme. */
enum app_err round_store_insert(struct db *db,
                                const char *programme,
                                int year,
                                const char *reference_date,
                                const char *window_opens,
                                const char *window_closes,
                                const char *cycle_override_reason,
                                const char *policy_version_id,
                                char **ret_json);
enum app_err round_store_get(struct db *db, const char *id, char **ret_json);
/* A programme's rounds, newest year first. */
enum app_err round_store_list(struct db *db,
                              const char *programme,
                              const char *cursor,
                              int limit,
                              char **ret_array,
                              char **ret_next);
/* JSON array text of the years of a programme's rounds, ascending. */
enum app_err round_store_years(struct db *db, const char *programme, char **ret_array);
/* {"<nomination state>": count, ...} with every state; only unit_id's
 * nominations when unit_id is not NULL. */
enum app_err
round_store_counts(struct db *db, const char *id, const char *unit_id, char **ret_json);
/* Moves the round to `phase` (a round_phase value) when its version is `version`. */
enum app_err round_store_set_phase(
    struct db *db, const char *id, int version, const char *phase, char **ret_json);

/* scope: what access checks need to know about a round or a nomination */
struct round_ref {
    char id[40];
    char programme[AUTH_CODE_MAX]; /* programme code */
    enum round_phase phase;
    int32_t reference_date, window_opens, window_closes; /* days (workdays.h) */
    int version;
    int year;
};
struct nomination_ref {
    char id[40];
    char round_id[40];
    char unit_id[40];
    enum nomination_state state;
    int version;
};
/* Row locks for the scope reads, taken inside the caller's transaction. */
enum scope_lock {
    SCOPE_NO_LOCK = 0,
    SCOPE_LOCK_SHARE,  /* the round must not change phase under a nomination move */
    SCOPE_LOCK_UPDATE, /* the round itself changes */
};
enum app_err
scope_store_round(struct db *db, const char *id, enum scope_lock lock, struct round_ref *ret);
enum app_err
scope_store_nomination(struct db *db, const char *id, bool for_update, struct nomination_ref *ret);

/* nominations */
enum nomination_sort {
    NOMINATION_SORT_CREATED = 0, /* created_at (the default) */
    NOMINATION_SORT_CREATED_DESC,
    NOMINATION_SORT_NAME,
    NOMINATION_SORT_NAME_DESC,
    NOMINATION_SORT__COUNT
};
struct nomination_filter {
    const char *round_id;
    const char *unit_id; /* NULL: every unit (a unit user always has its own here) */
    const char *state, *skill_level, *q;
    enum nomination_sort sort;
};
/* The facts eligibility_run() needs, as the database knows them. */
struct nomination_facts {
    char birth_date[11];
    char skill_level[32]; /* "" when not given */
    int front_line;       /* 1, 0, -1 not given */
    char unit_kind[16];
    long deeds_chars;
    int honours_district_plus;
    int attachments;
    int earlier_recognitions;
    char held_until[11]; /* "" when none */
    int same_round_others;
    bool publicity_done;
    int publicity_workdays; /* -1 when none */
};
enum app_err nomination_store_get(struct db *db, const char *id, char **ret_json);
/* values_json: the prepared columns (see nomination_store.c). *ret_id is malloc'd. */
enum app_err nomination_store_insert(struct db *db,
                                     const char *round_id,
                                     const char *unit_id,
                                     const char *values_json,
                                     char **ret_id);
/* PRECONDITION_FAILED when the row's version is no longer `version`. */
enum app_err
nomination_store_update(struct db *db, const char *id, int version, const char *values_json);
enum app_err nomination_store_add_transition(struct db *db,
                                             const char *id,
                                             const char *from_state,
                                             const char *to_state,
                                             const struct principal *who,
                                             const char *note);
/* The sealed ID number and phone as hex (*ret_phone_hex NULL when none). */
enum app_err
nomination_store_sealed(struct db *db, const char *id, char **ret_id_hex, char **ret_phone_hex);
enum app_err nomination_store_facts(struct db *db,
                                    const char *id,
                                    int management_period_months,
                                    struct nomination_facts *ret);
enum app_err nomination_store_list(struct db *db,
                                   const struct nomination_filter *f,
                                   const char *cursor,
                                   int limit,
                                   char **ret_array,
                                   char **ret_next);

/* attachments */
#define ATTACHMENT_FILENAME_MAX 200 /* code points (the column's CHECK) */
struct attachment_new {
    const char *nomination_id;
    const char *kind; /* evidence_kind value */
    const char *filename;
    const char *media_type;
    size_t size;                 /* plain bytes */
    const char *sha256;          /* hex, of the plain bytes */
    const unsigned char *sealed; /* crypto_seal output, size + 40 bytes */
    size_t sealed_len;
    const char *uploaded_by; /* user id */
};
struct attachment_content {
    char media_type[32];
    char filename[ATTACHMENT_FILENAME_MAX * 4 + 1];
    char sha256[65];
    size_t size;
    unsigned char *sealed; /* malloc'd; attachment_content_clear frees */
    size_t sealed_len;
};
enum app_err attachment_store_count(struct db *db, const char *nomination_id, long *ret_count);
enum app_err
attachment_store_insert(struct db *db, const struct attachment_new *a, char **ret_json);
/* Oldest first. */
enum app_err attachment_store_list(struct db *db,
                                   const char *nomination_id,
                                   const char *cursor,
                                   int limit,
                                   char **ret_array,
                                   char **ret_next);
/* NOT_FOUND unless the file belongs to that nomination. */
enum app_err attachment_store_content(struct db *db,
                                      const char *nomination_id,
                                      const char *id,
                                      struct attachment_content *ret);
void attachment_content_clear(struct attachment_content *c);
/* *ret_json: the representation of the deleted file. */
enum app_err
attachment_store_delete(struct db *db, const char *nomination_id, const char *id, char **ret_json);

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
/* {"nominee_ids": [...], "tally": api_vote_tally}, the row locked FOR UPDATE. */
enum app_err vote_session_store_tally_target(struct db *db, const char *id, char **ret_json);
/* Stores the tally unless the session is final or has this sequence or a
 * higher one (NOT_FOUND then); *ret_json is the new api_vote_tally. */
enum app_err vote_session_store_tally_apply(struct db *db,
                                            const char *id,
                                            const struct vote_tally *t,
                                            char **ret_json);
/* JSON array text of the ids of pending sessions due for a push attempt. */
enum app_err vote_session_store_push_due(struct db *db, int limit, char **ret_array);
/* The PUT body for jiangxin-vote; NOT_FOUND unless the session is pending. */
enum app_err vote_session_store_push_body(struct db *db, const char *id, char **ret_json);
/* Records a push attempt: error NULL = pushed, else the reason (no personal
 * data) and the next attempt after a backoff. NOT_FOUND when no longer pending. */
enum app_err
vote_session_store_push_result(struct db *db, const char *id, const char *error, char **ret_json);

/* audit */
struct audit_entry {
    const char *actor_id; /* NULL for the CLI */
    const char *actor;
    const char *role;
    const char *action;
    const char *entity_type;
    const char *entity_id;
    const char *request_id;
    const char *before; /* JSON text or NULL */
    const char *after;
};
enum app_err audit_store_append(struct db *db, const struct audit_entry *e);
enum app_err audit_store_list(struct db *db,
                              const char *entity_type,
                              const char *entity_id,
                              const char *action,
                              const char *cursor,
                              int limit,
                              char **ret_array,
                              char **ret_next);
enum app_err audit_store_verify(struct db *db, char **ret_json);

/* idempotency keys */
struct idem_record {
    char request_hash[65];
    int status;
    char *location;
    char *body;
};
void idem_record_clear(struct idem_record *r);
enum app_err
idem_store_get(struct db *db, const char *principal, const char *key, struct idem_record *ret);
/* CONFLICT when a live record with that key exists (a concurrent request). */
enum app_err idem_store_put(struct db *db,
                            const char *principal,
                            const char *key,
                            const char *method,
                            const char *path,
                            const char *request_hash,
                            int status,
                            const char *location,
                            const char *body);

#endif
