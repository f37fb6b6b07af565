/* SPDX-License-Identifier: MIT */
/*
 * The year-2 re-check's store (db/migrations/0025; representation in
 * db/functions/16_rechecks.sql). JSON-returning functions give malloc'd
 * text. Nothing here decides what may happen (api/ops/holders.c does).
 */
#ifndef JIANGXIN_RECHECK_STORE_H
#define JIANGXIN_RECHECK_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"

/* Title `recognition_id`'s management period start ("" without one) and
 * its re-check (*ret_json NULL when none was filed). */
enum app_err recheck_store_get(struct db *db,
                               const char *recognition_id,
                               char ret_period_start[11],
                               char **ret_json);

/* What an application records (JSON texts for the lists and objects). */
struct recheck_write {
    const char *recognition_id, *achievements, *awards, *agreements, *apprentices, *statements,
        *checklist, *suggested;
};
enum app_err recheck_store_insert(struct db *db,
                                  const struct recheck_write *w,
                                  const struct principal *who,
                                  const char *at,
                                  char **ret);

/* Decides the undecided re-check of the title; NOT_FOUND when there is none. */
enum app_err recheck_store_decide(struct db *db,
                                  const char *recognition_id,
                                  const char *result,
                                  const char *reason,
                                  const char *decided_on,
                                  const struct principal *who,
                                  const char *at,
                                  char **ret);

#endif
