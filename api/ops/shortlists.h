/* SPDX-License-Identifier: MIT */
/*
 * The shortlist (岚山 第五条（三） "确定20名提名人选"; 环翠 第十条（四）):
 * the office freezes the top N of the ranking (README "Review and ranking
 * rules"), departing from it only with a recorded reason. No HTTP here;
 * the caller holds the transaction open and commits.
 */
#ifndef JIANGXIN_OPS_SHORTLISTS_H
#define JIANGXIN_OPS_SHORTLISTS_H

#include <jansson.h>

#include "ops.h"

/* POST /v1/rounds/{id}/shortlist: body {size?, order?, reasons?}. Writes
 * the shortlist and its entries, moves the round's in_review nominations
 * to shortlisted / not_shortlisted, moves a round without a public vote
 * to deciding (a round with one stays in review: its vote session opens
 * there), and appends shortlist.freeze. 409 shortlist_exists the second
 * time, round_not_in_review outside phase review. */
enum app_err shortlist_freeze(const struct op_ctx *ctx,
                              const char *round_id,
                              const json_t *body,
                              json_t **ret,
                              struct problem *p);

/* GET /v1/rounds/{id}/shortlist: 404 shortlist_not_frozen before. */
enum app_err
shortlist_get(const struct op_ctx *ctx, const char *round_id, json_t **ret, struct problem *p);

#endif
