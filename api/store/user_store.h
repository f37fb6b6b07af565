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
/* Sign-in throttling (db/migrations/0011): keys are keyed hashes of
 * "address username" (the pair) and of the address, never the text. */
struct sign_in_limits {
    int free_failures;    /* failures of a pair before delays start */
    int delay_max_s;      /* the doubling delay's cap */
    int address_failures; /* an address's budget of failures ... */
    int address_window_s; /* ... regained over this many seconds */
};
/* Seconds the pair, and the address, must still wait (0: none). */
enum app_err user_store_sign_in_wait(struct db *db,
                                     const char *pair_key,
                                     const char *address_key,
                                     const struct sign_in_limits *lim,
                                     int *ret_pair_wait,
                                     int *ret_address_wait);
/* Counts a failed sign-in for the pair and the address; the pair's
 * failures so far and the address's level before this one. */
enum app_err user_store_sign_in_failed(struct db *db,
                                       const char *pair_key,
                                       const char *address_key,
                                       const struct sign_in_limits *lim,
                                       int *ret_failures,
                                       double *ret_address_level);
/* A success clears the pair's failures (the address's stay counted). */
enum app_err user_store_sign_in_succeeded(struct db *db, const char *pair_key);
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
