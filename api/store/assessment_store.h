/* SPDX-License-Identifier: MIT */
/*
 * Annual assessments' store (db/migrations/0024, representations and the
 * due rule in db/functions/15_assessments.sql). JSON-returning functions
 * give malloc'd text; NOT_FOUND when there is no such row.
 */
#ifndef JIANGXIN_ASSESSMENT_STORE_H
#define JIANGXIN_ASSESSMENT_STORE_H

#include <stdbool.h>

#include "auth.h"
#include "db.h"

/* Whether title `recognition_id` owes a result for `year`
 * (assessment_due), and the state of its latest revision ("" for none). */
enum app_err assessment_store_year(struct db *db,
                                   const char *recognition_id,
                                   int year,
                                   bool *ret_due,
                                   char ret_state[16],
                                   int *ret_revision);

/* A new revision of the year's result. */
struct assessment_write {
    const char *recognition_id, *result, *notes, *evidence_json;
    int year, revision;
};
enum app_err assessment_store_insert(struct db *db,
                                     const struct assessment_write *w,
                                     const struct principal *who,
                                     const char *at,
                                     char **ret);

/* Assessment `id`, locked: its title, year, state and version. */
struct assessment_ref {
    char id[40];
    char recognition_id[40];
    int year;
    char state[16];
    int version;
};
enum app_err assessment_store_lock(struct db *db, const char *id, struct assessment_ref *ret);

/* Confirms it or returns it with `reason`. */
enum app_err assessment_store_review(struct db *db,
                                     const char *id,
                                     const char *state,
                                     const char *reason,
                                     const struct principal *who,
                                     const char *at,
                                     char **ret);

/* The title's confirmed results as a JSON array text [{year, failed}]. */
enum app_err assessment_store_confirmed(struct db *db, const char *recognition_id, char **ret);

/* GET /v1/assessments: {year, items} for the titles owing `year`, on
 * `today`; programme filter, the actor's programmes (JSON array text or
 * NULL) and unit (NULL: all). */
enum app_err assessment_store_list(struct db *db,
                                   int year,
                                   const char *today,
                                   const char *programme,
                                   const char *programmes,
                                   const char *unit_id,
                                   char **ret);

#endif
