/* SPDX-License-Identifier: MIT */
/*
 * The ranking of a round's nominations in review (README "Review and
 * ranking rules"; 岚山 第五条（三）, 环翠 第十条（四）): the inputs from one
 * statement (ranking_inputs()), aggregated and ordered by
 * model/review_rules.h. Shared by GET …/ranking and the shortlist's freeze.
 * No HTTP here.
 */
#ifndef JIANGXIN_OPS_RANKING_H
#define JIANGXIN_OPS_RANKING_H

#include <jansson.h>

#include "nominations.h"
#include "ops.h"
#include "review_rules.h"
#include "store/ranking_store.h"

struct ranking {
    struct ranking_input *in;       /* as loaded */
    size_t n;                       /* entries */
    struct review_rank_entry *rank; /* sorted, rank 1..n */
    size_t *src;                    /* src[i]: rank[i]'s index in `in` */
};

/* Loads and ranks the round's nominations under `policy`. */
enum app_err ranking_build(const struct op_ctx *ctx,
                           const struct round_ref *round,
                           const struct policy *policy,
                           struct ranking *ret,
                           struct problem *p);
void ranking_free(struct ranking *r);

/* Complete (combined score known) and no gate failed: may be listed
 * without an override. */
bool ranking_listable(const struct review_rank_entry *e);

/* The entries as the API shows them (an array, rank order). */
json_t *ranking_entries_json(const struct ranking *r);

/* GET /v1/rounds/{id}/ranking: 404 outside the caller's scope. */
enum app_err
ranking_get(const struct op_ctx *ctx, const char *round_id, json_t **ret, struct problem *p);

#endif
