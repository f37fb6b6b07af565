/* SPDX-License-Identifier: MIT */
/*
 * The store of units (推荐单位): what ops and handlers call. JSON-returning functions
 * give the representation (an api_* function of db/functions) as malloc'd
 * text; NOT_FOUND when there is no such row; lists return a JSON array
 * text and the next cursor. Nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_UNIT_STORE_H
#define JIANGXIN_UNIT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

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

#endif
