/* SPDX-License-Identifier: MIT */
/*
 * The ranking (ops/ranking.h). Scores are shown in points as decimal
 * strings with two places ("87.45"): the model keeps hundredths and
 * nothing passes through floating point.
 */
#include "ranking.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enums.h"
#include "scope.h"

void ranking_free(struct ranking *r)
{
    ranking_inputs_free(r->in, r->n);
    free(r->rank);
    free(r->src);
    memset(r, 0, sizeof(*r));
}

/* qsort has no context argument: the inputs being sorted by id (one
 * build at a time per thread). */
static _Thread_local const struct ranking_input *sort_base;

static int by_input_id(const void *a, const void *b)
{
    return strcmp(sort_base[*(const size_t *)a].nomination_id,
                  sort_base[*(const size_t *)b].nomination_id);
}

enum app_err ranking_build(const struct op_ctx *ctx,
                           const struct round_ref *round,
                           const struct policy *policy,
                           struct ranking *ret,
                           struct problem *p)
{
    struct ranking r = {0};
    enum app_err err = ranking_store_inputs(ctx->db, round->id, &r.in, &r.n);

    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    r.rank = calloc(r.n > 0 ? r.n : 1, sizeof(*r.rank));
    r.src = calloc(r.n > 0 ? r.n : 1, sizeof(*r.src));
    if (r.rank == NULL || r.src == NULL) {
        ranking_free(&r);
        return ops_internal(p);
    }
    for (size_t i = 0; i < r.n; i++) {
        struct review_rank_entry *e = &r.rank[i];
        snprintf(e->nomination_id, sizeof(e->nomination_id), "%s", r.in[i].nomination_id);
        e->submitted_us = r.in[i].submitted_us;
        e->agg =
            review_aggregate(r.in[i].reviews, r.in[i].n_reviews, policy->review_disagreement_stdev);
        e->skill = r.in[i].skill;
        review_entry_combine(e, policy);
    }
    review_rank(r.rank, r.n);
    /* Map each ranked entry back to its input: the inputs' ids sorted
     * once, then a binary search each (n log n, not n²). */
    for (size_t i = 0; i < r.n; i++) {
        r.src[i] = i;
    }
    sort_base = r.in;
    qsort(r.src, r.n, sizeof(*r.src), by_input_id);
    {
        size_t *by_id = r.src;
        size_t *src = calloc(r.n > 0 ? r.n : 1, sizeof(*src));
        if (src == NULL) {
            ranking_free(&r);
            return ops_internal(p);
        }
        for (size_t i = 0; i < r.n; i++) {
            size_t lo = 0, hi = r.n;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                int c = strcmp(r.in[by_id[mid]].nomination_id, r.rank[i].nomination_id);
                if (c == 0) {
                    lo = mid;
                    break;
                }
                if (c < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            src[i] = by_id[lo < r.n ? lo : 0];
        }
        free(by_id);
        r.src = src;
    }
    *ret = r;
    return APP_OK;
}

bool ranking_listable(const struct review_rank_entry *e)
{
    return e->combined >= 0 && !e->agg.gate_failed;
}

/* Hundredths as "87.45"; null when unknown (< 0). */
static json_t *points(int h)
{
    char buf[24];

    if (h < 0) {
        return json_null();
    }
    snprintf(buf, sizeof(buf), "%d.%02d", h / 100, h % 100);
    return json_string(buf);
}

json_t *ranking_entries_json(const struct ranking *r)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr != NULL && i < r->n; i++) {
        const struct review_rank_entry *e = &r->rank[i];
        const struct ranking_input *in = &r->in[r->src[i]];
        json_t *o = json_pack(
            "{s:i, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:b, s:b, s:b}", "rank",
            e->rank, "nomination_id", e->nomination_id, "name", in->name, "state", in->state,
            "reviews", e->agg.count, "mean", points(e->agg.mean), "median", points(e->agg.median),
            "stdev", points(e->agg.stdev), "trimmed_mean", points(e->agg.trimmed_mean),
            "skill_test", points(e->skill), "combined", points(e->combined), "gate_failures",
            e->agg.gate_failures, "gate_failed", e->agg.gate_failed, "disagreement",
            e->agg.disagreement, "complete", e->combined >= 0);
        if (o == NULL) {
            json_decref(arr);
            return NULL;
        }
        json_object_set_new(o, "shortlist_position",
                            in->position > 0 ? json_integer(in->position) : json_null());
        json_object_set_new(o, "override_reason",
                            in->override_reason != NULL ? json_string(in->override_reason)
                                                        : json_null());
        json_array_append_new(arr, o);
    }
    return arr;
}

enum app_err
ranking_get(const struct op_ctx *ctx, const char *round_id, json_t **ret, struct problem *p)
{
    struct round_ref round;
    struct programme_policy pol = {0};
    struct ranking r = {0};
    json_t *entries = NULL;

    if (ops_round_scope(ctx, round_id, false, &round, p) != APP_OK ||
        nomination_load_policy(ctx->db, &round, &pol, p) != APP_OK ||
        ranking_build(ctx, &round, &pol.p, &r, p) != APP_OK) {
        goto cleanup;
    }
    if ((entries = ranking_entries_json(&r)) == NULL ||
        (*ret = json_pack(
             "{s:s, s:s, s:s, s:o, s:o, s:o}", "round_id", round.id, "programme", round.programme,
             "phase", enums_value(ENUMS_ROUND_PHASES, round.phase), "disagreement_stdev",
             points(pol.p.review_disagreement_stdev * 100), "skill_test_weight",
             pol.p.skill_test_weight >= 0 ? json_integer(pol.p.skill_test_weight) : json_null(),
             "entries", entries)) == NULL) {
        entries = NULL;
        ops_internal(p);
    }
    entries = NULL;

cleanup:
    json_decref(entries);
    json_decref(pol.json);
    ranking_free(&r);
    return p->err;
}
