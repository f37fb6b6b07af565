/* SPDX-License-Identifier: MIT */
/*
 * The store of the hash-chained audit log: what ops and handlers call. JSON-returning functions
 * give the representation (an api_* function of db/functions) as malloc'd
 * text; NOT_FOUND when there is no such row; lists return a JSON array
 * text and the next cursor. Nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_AUDIT_STORE_H
#define JIANGXIN_AUDIT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

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

#endif
