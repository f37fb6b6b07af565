/* SPDX-License-Identifier: MIT */
/*
 * The store of rounds: what ops and handlers call. JSON-returning functions
 * give the representation (an api_* function of db/functions) as malloc'd
 * text; NOT_FOUND when there is no such row; lists return a JSON array
 * text and the next cursor. Nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_ROUND_STORE_H
#define JIANGXIN_ROUND_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

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

#endif
