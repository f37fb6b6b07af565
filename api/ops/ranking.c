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

/* Literal JSON text; one member after an object's first: `,"name":` and
 * its value written by fn. */
#define LIT(b, lit)              textbuf_append((b), lit, sizeof(lit) - 1)
#define MEMBER(b, name, fn, ...) (LIT(b, ",\"" name "\":"), fn(b, __VA_ARGS__))

/* Hundredths as the string "87.45"; null when unknown (< 0). */
static void points(struct textbuf *b, int h)
{
    char buf[24];
    char *s = buf + sizeof(buf);
    unsigned v = (unsigned)h / 100;

    if (h < 0) {
        LIT(b, "null");
        return;
    }
    *--s = '"';
    *--s = (char)('0' + h % 10);
    *--s = (char)('0' + h / 10 % 10);
    *--s = '.';
    do {
        *--s = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    *--s = '"';
    textbuf_append(b, s, (size_t)(buf + sizeof(buf) - s));
}

/* A count or position; null when there is none (< 0). */
static void int_or_null(struct textbuf *b, int v)
{
    if (v < 0) {
        LIT(b, "null");
    } else {
        textbuf_json_int(b, v);
    }
}

static void boolean(struct textbuf *b, bool v)
{
    if (v) {
        LIT(b, "true");
    } else {
        LIT(b, "false");
    }
}

/* Members in the order json_pack wrote them before (the contract's order). */
void ranking_entries_text(struct textbuf *b, const struct ranking *r)
{
    LIT(b, "[");
    for (size_t i = 0; i < r->n; i++) {
        const struct review_rank_entry *e = &r->rank[i];
        const struct ranking_input *in = &r->in[r->src[i]];

        if (i > 0) {
            LIT(b, ",");
        }
        LIT(b, "{\"rank\":");
        textbuf_json_int(b, e->rank);
        MEMBER(b, "nomination_id", textbuf_json_string, e->nomination_id);
        MEMBER(b, "name", textbuf_json_string, in->name);
        MEMBER(b, "state", textbuf_json_string, in->state);
        MEMBER(b, "reviews", textbuf_json_int, e->agg.count);
        MEMBER(b, "mean", points, e->agg.mean);
        MEMBER(b, "median", points, e->agg.median);
        MEMBER(b, "stdev", points, e->agg.stdev);
        MEMBER(b, "trimmed_mean", points, e->agg.trimmed_mean);
        MEMBER(b, "skill_test", points, e->skill);
        MEMBER(b, "combined", points, e->combined);
        MEMBER(b, "gate_failures", textbuf_json_int, e->agg.gate_failures);
        MEMBER(b, "gate_failed", boolean, e->agg.gate_failed);
        MEMBER(b, "disagreement", boolean, e->agg.disagreement);
        MEMBER(b, "complete", boolean, e->combined >= 0);
        MEMBER(b, "shortlist_position", int_or_null, in->position > 0 ? in->position : -1);
        MEMBER(b, "override_reason", textbuf_json_string, in->override_reason);
        LIT(b, "}");
    }
    LIT(b, "]");
}

enum app_err ranking_get(const struct op_ctx *ctx,
                         const char *round_id,
                         struct ranking_view *ret,
                         struct problem *p)
{
    struct ranking_view v = {0};

    if (ops_round_scope(ctx, round_id, false, &v.round, p) != APP_OK ||
        nomination_load_policy(ctx->db, &v.round, &v.pol, p) != APP_OK ||
        ranking_build(ctx, &v.round, &v.pol.p, &v.r, p) != APP_OK) {
        ranking_view_free(&v);
        return p->err;
    }
    *ret = v;
    return APP_OK;
}

void ranking_view_free(struct ranking_view *v)
{
    json_decref(v->pol.json);
    ranking_free(&v->r);
    memset(v, 0, sizeof(*v));
}

void ranking_view_text(struct textbuf *b, const struct ranking_view *v)
{
    LIT(b, "{\"round_id\":");
    textbuf_json_string(b, v->round.id);
    MEMBER(b, "programme", textbuf_json_string, v->round.programme);
    MEMBER(b, "phase", textbuf_json_string, enums_value(ENUMS_ROUND_PHASES, v->round.phase));
    MEMBER(b, "disagreement_stdev", points, v->pol.p.review_disagreement_stdev * 100);
    MEMBER(b, "skill_test_weight", int_or_null, v->pol.p.skill_test_weight);
    MEMBER(b, "entries", ranking_entries_text, &v->r);
    LIT(b, "}");
}
