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

#include "nominations.h"
#include "ops.h"
#include "review_rules.h"
#include "store/ranking_store.h"
#include "textbuf.h"

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

/* The entries as the API shows them: a JSON array in rank order, appended
 * to b (the GET's entries and the freeze's snapshot alike). */
void ranking_entries_text(struct textbuf *b, const struct ranking *r);

/* What GET …/ranking shows: the round, its pinned policy, the ranking. */
struct ranking_view {
    struct round_ref round;
    struct programme_policy pol;
    struct ranking r;
};

/* GET /v1/rounds/{id}/ranking: 404 outside the caller's scope. On success
 * *ret holds what ranking_view_free() releases. */
enum app_err ranking_get(const struct op_ctx *ctx,
                         const char *round_id,
                         struct ranking_view *ret,
                         struct problem *p);
void ranking_view_free(struct ranking_view *v);

/* Room to reserve for the text of n entries (about 360 bytes each with
 * short names; the buffer grows past it when needed). */
#define RANKING_TEXT_BYTES(n) (512 + (n)*400)

/* The representation of GET …/ranking (openapi/api/ranking.yaml), appended
 * to b as JSON text. Written without a jansson tree: 2,000 entries as
 * objects cost more than the statement that reads them. */
void ranking_view_text(struct textbuf *b, const struct ranking_view *v);

#endif
