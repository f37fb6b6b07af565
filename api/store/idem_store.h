/* SPDX-License-Identifier: MIT */
/*
 * The store of idempotency keys: what ops and handlers call. JSON-returning functions
 * give the representation (an api_* function of db/functions) as malloc'd
 * text; NOT_FOUND when there is no such row; lists return a JSON array
 * text and the next cursor. Nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_IDEM_STORE_H
#define JIANGXIN_IDEM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

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
