/* SPDX-License-Identifier: MIT */
/*
 * The expert's workspace (评审专家工作台): an assignment's dossier, its
 * evidence files and the expert's review, scored by the rubric the round
 * pinned (model/review_rules.h), appended as revisions and sealed when
 * the review phase closes. No HTTP here; the caller holds the transaction
 * open and commits.
 *
 * Scope (one place, review_assignment_scope): an expert sees only its own
 * assignments, and another expert's assignment answers 404 exactly like an
 * unknown id; office users and leaders see the assignments of the rounds
 * of their programmes (read only: the dossier and the reviews, for audit);
 * any other role gets 404 (its routes already refuse it).
 */
#ifndef JIANGXIN_OPS_REVIEWS_H
#define JIANGXIN_OPS_REVIEWS_H

#include <jansson.h>

#include "ops.h"
#include "store/review_store.h"

#define REVIEW_COMMENT_MAX 2000 /* code points */

/* Checks the id (400 not_uuid), loads the assignment (locked when
 * for_update) and answers 404 not_found when there is none or it is
 * outside the actor's scope. */
enum app_err review_assignment_scope(const struct op_ctx *ctx,
                                     const char *id,
                                     bool for_update,
                                     struct review_assignment_ref *ret,
                                     struct problem *p);

/* An assigned expert works only on an active assignment: 409
 * assignment_not_active otherwise (office and leader read any). */
enum app_err review_assignment_usable(const struct op_ctx *ctx,
                                      const struct review_assignment_ref *a,
                                      struct problem *p);

/* The dossier of assignment `id` (scope, then usable). */
enum app_err
review_dossier(const struct op_ctx *ctx, const char *id, char **ret_json, struct problem *p);

/* The assignment's current review and its revisions (scope). */
enum app_err
review_get(const struct op_ctx *ctx, const char *id, char **ret_json, struct problem *p);

/*
 * The assigned expert scores its nomination: body {scores, comment?}
 * checked against the round's pinned rubric (review_scores_parse, every
 * fault at once with its pointer; unknown members 400 first). 409
 * assignment_not_active when the assignment ended, 409 review_sealed when
 * the round is not in phase review (and when the database's trigger
 * reviews_sealed refuses it). Appends revision previous + 1 at the service
 * clock's now with review_total's total and gate verdict; audited as
 * review.submit (the revision: scores, no personal data). *ret_json is
 * the assignment's review after it (review_get's shape).
 */
enum app_err review_put(const struct op_ctx *ctx,
                        const char *id,
                        const json_t *body,
                        char **ret_json,
                        struct problem *p);

#endif
