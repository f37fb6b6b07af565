/* SPDX-License-Identifier: MIT */
/*
 * The store of review experts' profiles and their declared relations:
 * what ops and handlers call. JSON-returning functions give the
 * representation (api_expert, api_expert_relation of db/functions) as
 * malloc'd text; NOT_FOUND when there is no such row; lists return a JSON
 * array text and the next cursor. Nothing here knows HTTP.
 */
#ifndef JIANGXIN_EXPERT_STORE_H
#define JIANGXIN_EXPERT_STORE_H

#include <stdbool.h>

#include "db.h"

/* Profiles. `values` is the checked request body as JSON text (name,
 * fields, employer_name, employer_code, employer_unit_id, title, specialty,
 * active); absent optional members are stored as NULL (active: true).
 *
 * `scope_json`, where taken, is a JSON array of programme codes (an office
 * user's scope): only profiles that name one of them are found, as if the
 * others did not exist; NULL finds every profile. */
enum app_err expert_store_get(
    struct db *db, const char *user_id, const char *scope_json, bool for_update, char **ret_json);
/* Filters may be NULL; `active` is "true", "false" or NULL. */
enum app_err expert_store_list(struct db *db,
                               const char *field,
                               const char *programme,
                               const char *active,
                               const char *scope_json,
                               const char *cursor,
                               int limit,
                               char **ret_array,
                               char **ret_next);
enum app_err expert_store_insert(struct db *db, const char *user_id, const char *values);
/* NOT_FOUND when the version is no longer `version`. */
enum app_err
expert_store_update(struct db *db, const char *user_id, int version, const char *values);
/* Replaces the profile's programmes with the codes of `codes_json` (a JSON
 * array) among those of `scope_json` (a JSON array of codes: an office
 * user's scope), or among all when scope_json is NULL: programmes outside
 * the scope stay as they are. */
enum app_err expert_store_set_programmes(struct db *db,
                                         const char *user_id,
                                         const char *codes_json,
                                         const char *scope_json);

/* Declared relations; the hash is never read back. CONFLICT when the
 * expert declared that hash already. */
enum app_err expert_store_relation_insert(struct db *db,
                                          const char *expert_id,
                                          const char *kind,
                                          const char *id_number_hash,
                                          const char *note,
                                          char **ret_json);
enum app_err
expert_store_relation_get(struct db *db, const char *expert_id, const char *id, char **ret_json);
enum app_err expert_store_relation_list(struct db *db,
                                        const char *expert_id,
                                        const char *cursor,
                                        int limit,
                                        char **ret_array,
                                        char **ret_next);
/* Deletes it; *ret_json is what it was. */
enum app_err
expert_store_relation_delete(struct db *db, const char *expert_id, const char *id, char **ret_json);

#endif
