/* SPDX-License-Identifier: MIT */
/*
 * The store functions handlers call. JSON-returning functions give the
 * resource's representation (defined in db/migrations/0004) as malloc'd
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

/* programmes */
enum app_err programme_store_list(struct db *db, char **ret_array);
enum app_err programme_store_get(struct db *db, const char *code, bool for_update, char **ret_json);
enum app_err programme_store_update_policy(
    struct db *db, const char *code, int version, const char *policy_json, char **ret_json);
/* How many of the codes in a JSON array text name existing programmes. */
enum app_err programme_store_count_codes(struct db *db, const char *codes_json, long *ret_count);

/* calendar */
enum app_err calendar_store_year(struct db *db, int year, char **ret_json);
/* Loads the known years and the listed days in (from, from + span] into cal. */
enum app_err calendar_store_load(struct db *db, int32_t from, int span_days, struct calendar *cal);
enum app_err calendar_store_day(struct db *db, int32_t day, char **ret_json);
enum app_err calendar_store_put_day(
    struct db *db, int32_t day, int version, bool is_workday, const char *name, char **ret_json);
enum app_err calendar_store_upsert_year(struct db *db, int year, const char *source);
enum app_err calendar_store_upsert_day(
    struct db *db, int32_t day, bool is_workday, const char *name, const char *source);

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
