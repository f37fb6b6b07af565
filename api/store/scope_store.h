/* SPDX-License-Identifier: MIT */
/*
 * The store of what scope checks need to know about a round or a nomination: what ops and handlers
 * call. JSON-returning functions give the representation (an api_* function of db/functions) as
 * malloc'd text; NOT_FOUND when there is no such row; lists return a JSON array text and the next
 * cursor. Nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_SCOPE_STORE_H
#define JIANGXIN_SCOPE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

/* scope: what access checks need to know about a round or a nomination */
struct round_ref {
    char id[40];
    char programme[AUTH_CODE_MAX]; /* programme code */
    enum round_phase phase;
    int32_t reference_date, window_opens, window_closes; /* days (workdays.h) */
    int version;
    int year;
};
struct nomination_ref {
    char id[40];
    char round_id[40];
    char unit_id[40];
    enum nomination_state state;
    int version;
    int32_t created_on;     /* the day it was created, on the service clock (days since 1970) */
    bool entered_by_office; /* entered by the office on the unit's behalf (migration 0016) */
};
/* Row locks for the scope reads, taken inside the caller's transaction. */
enum scope_lock {
    SCOPE_NO_LOCK = 0,
    SCOPE_LOCK_SHARE,  /* the round must not change phase under a nomination move */
    SCOPE_LOCK_UPDATE, /* the round itself changes */
};
enum app_err
scope_store_round(struct db *db, const char *id, enum scope_lock lock, struct round_ref *ret);
enum app_err
scope_store_nomination(struct db *db, const char *id, bool for_update, struct nomination_ref *ret);

#endif
