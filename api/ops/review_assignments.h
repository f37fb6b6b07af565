/* SPDX-License-Identifier: MIT */
/*
 * The review panel (岚山 第五条（三）, 环翠 第十条（四）): the office's seeded
 * draw of k = policy.review_experts experts for every qualified nomination
 * of a round (api/model/review_draw.h decides who; this loads the facts,
 * records the draw with its seed and moves the round and its nominations
 * into review), an expert's recusal, the office's removal, each with a
 * replacement drawn in the same transaction. No HTTP here; the caller
 * holds the transaction open and commits.
 */
#ifndef JIANGXIN_OPS_REVIEW_ASSIGNMENTS_H
#define JIANGXIN_OPS_REVIEW_ASSIGNMENTS_H

#include <stdbool.h>

#include <jansson.h>

#include "ops.h"
#include "store/scope_store.h"

#define REVIEW_END_REASON_MAX 500

/* The body of POST /v1/rounds/{id}/review-assignments ({seed?, dry_run?}):
 * every fault at once; the seed is a decimal 0..2^64-1 (422 bad_seed). */
enum app_err review_draw_body_check(const json_t *body, struct problem *p);

/*
 * Draws the panel of round `r` (read FOR UPDATE by the caller) with the
 * body's seed, or a random one. The round is in qualification or review
 * (409 round_not_drawable), has no panel draw yet (409 panel_drawn), has
 * qualified nominations (409 no_qualified_nominations) and each of them
 * enough conflict-free experts (409 not_enough_experts, listing them with
 * the counts they have). A dry run writes nothing; a real draw records the
 * draw and its assignments, moves the round to review (round_transition,
 * its guards) and each drawn nomination qualified → in_review, and appends
 * review.draw. *ret (new reference): {dry_run, draw, items}.
 */
enum app_err review_draw_panel(const struct op_ctx *ctx,
                               const struct round_ref *r,
                               const json_t *body,
                               json_t **ret,
                               struct problem *p);

/*
 * Ends assignment `id` (recusal: the assigned expert; removal: the office
 * of the round's programme; anyone else 404) with the body's reason
 * (1..500) and draws a replacement for its nomination. Only while the
 * round is in review (409 round_not_in_review) and the assignment is
 * active (409 assignment_ended); no conflict-free expert left → 409
 * no_replacement. A recusal after the expert reviewed is allowed: only
 * active assignments' reviews count. Audited as review.recusal or
 * review.removal. *ret: {ended, replacement, draw}.
 */
enum app_err review_assignment_end(const struct op_ctx *ctx,
                                   const char *id,
                                   bool recusal,
                                   const json_t *body,
                                   json_t **ret,
                                   struct problem *p);

/* The round's draws and assignments (scope checked by the caller). */
enum app_err review_assignment_list(const struct op_ctx *ctx,
                                    const char *round_id,
                                    json_t **ret,
                                    struct problem *p);

/* The actor's own active assignments. */
enum app_err review_assignment_mine(const struct op_ctx *ctx, json_t **ret, struct problem *p);

#endif
