/* SPDX-License-Identifier: MIT */
/*
 * The store of policy versions: what ops and handlers call. JSON-returning functions
 * give the representation (an api_* function of db/functions) as malloc'd
 * text; NOT_FOUND when there is no such row; lists return a JSON array
 * text and the next cursor. Nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_POLICY_VERSION_STORE_H
#define JIANGXIN_POLICY_VERSION_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

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

#endif
