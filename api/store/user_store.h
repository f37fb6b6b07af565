/* SPDX-License-Identifier: MIT */
/*
 * The store of users and their login: what ops and handlers call. JSON-returning functions
 * give the representation (an api_* function of db/functions) as malloc'd
 * text; NOT_FOUND when there is no such row; lists return a JSON array
 * text and the next cursor. Nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_USER_STORE_H
#define JIANGXIN_USER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

/* users */
enum app_err user_store_login(struct db *db, const char *username, char **ret_id, char **ret_hash);
/* Seconds the username stays locked (0 when it is not): locked after
 * max_failures failed sign-ins within window_s seconds. */
enum app_err user_store_login_locked(
    struct db *db, const char *username, int max_failures, int window_s, int *ret_retry_after);
/* Records a sign-in outcome: a failure counts towards the lock, a success clears it. */
enum app_err user_store_login_result(struct db *db, const char *username, bool ok, int window_s);
/* The principal of an enabled user, and its token version (tokens carrying
 * another version are void: see db/migrations/0012). */
enum app_err
user_store_principal(struct db *db, const char *id, struct principal *ret, long *ret_tv);
/* The token version of an enabled user; APP_ERR_NOT_FOUND otherwise. */
enum app_err user_store_token_version(struct db *db, const char *id, long *ret_tv);
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

#endif
