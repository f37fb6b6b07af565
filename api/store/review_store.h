/* SPDX-License-Identifier: MIT */
/*
 * The store of the expert's workspace: an assignment's reference (for the
 * scope), the dossier, and the append-only review revisions (table
 * reviews, migration 0020). JSON-returning functions give the
 * representation (api_review_dossier, api_assignment_review of
 * db/functions/09_review.sql) as malloc'd text; NOT_FOUND when there is no
 * such assignment. Nothing here knows HTTP.
 */
#ifndef JIANGXIN_REVIEW_STORE_H
#define JIANGXIN_REVIEW_STORE_H

#include <stdbool.h>

#include "auth.h"
#include "db.h"

/* An assignment with what its scope and guards need. */
struct review_assignment_ref {
    char id[40];
    char round_id[40];
    char nomination_id[40];
    char expert_id[40];
    char programme[AUTH_CODE_MAX]; /* the round's programme code */
    bool active;                   /* state = 'active' */
    bool in_review;                /* the round is in phase review */
};

/* Loads it; for_update locks the assignment row (FOR UPDATE) and the round
 * (FOR SHARE: it cannot leave phase review while a review commits). */
enum app_err review_store_assignment(struct db *db,
                                     const char *id,
                                     bool for_update,
                                     struct review_assignment_ref *ret);
enum app_err review_store_dossier(struct db *db, const char *assignment_id, char **ret_json);
/* The current review and every revision of the assignment. */
enum app_err review_store_get(struct db *db, const char *assignment_id, char **ret_json);
/* Appends the next revision (previous + 1) at `reviewed_at` (RFC 3339,
 * the service clock); `comment` may be NULL. CONFLICT when the database
 * refuses it as sealed (trigger reviews_sealed) or a concurrent revision
 * took the number. *ret_json is the new revision (api_review). */
enum app_err review_store_insert(struct db *db,
                                 const char *assignment_id,
                                 const char *scores_json,
                                 int total,
                                 bool gate_pass,
                                 const char *comment,
                                 const char *reviewed_at,
                                 char **ret_json);

#endif
