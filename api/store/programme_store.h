/* SPDX-License-Identifier: MIT */
/*
 * The store of programmes: what ops and handlers call. JSON-returning functions
 * give the representation (an api_* function of db/functions) as malloc'd
 * text; NOT_FOUND when there is no such row; lists return a JSON array
 * text and the next cursor. Nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_PROGRAMME_STORE_H
#define JIANGXIN_PROGRAMME_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

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

#endif
