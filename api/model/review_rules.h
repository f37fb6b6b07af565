/* SPDX-License-Identifier: MIT */
/*
 * The expert review's arithmetic, pure (岚山 第四条, 第五条（三）; 环翠 第七条,
 * 第十条（四）): a review's scores checked against the rubric its round pinned,
 * its weighted total and gate verdict; a nomination's aggregates over its
 * reviews; the combined score with the on-site skill test; the ranking's
 * order; the shortlist's size. The README's "Review and ranking rules" is
 * the spec these implement.
 *
 * Every score is an integer number of hundredths of a point (0.01): a
 * review's total, the aggregates, the skill test and the combined score all
 * run 0..10000 (0.00..100.00), so nothing drifts with floating point.
 * Rounding is always half up (x.xx5 -> x.xx + 0.01) on non-negative values.
 */
#ifndef JIANGXIN_REVIEW_RULES_H
#define JIANGXIN_REVIEW_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "policy.h"
#include "problem.h"

#define REVIEW_POINTS_MAX  10000 /* 100.00 points, in hundredths */
#define REVIEW_REVIEWS_MAX 1000  /* reviews per nomination the aggregates take */
#define REVIEW_ID_MAX      36    /* a nomination's id (UUID text) */

/* One criterion's answer: a score for a scored criterion, a verdict for a gate. */
struct review_score {
    int hundredths; /* scored: 0..max_score * 100; 0 for a gate */
    bool pass;      /* gate: the verdict; true for a scored criterion */
};

/* One review, reduced. */
struct review_result {
    int total;      /* hundredths, 0..10000 */
    bool gate_pass; /* every gate passed */
};

/*
 * Checks a review's scores object against the rubric: a closed JSON object
 * with one member per criterion, named by its code; a scored criterion is a
 * number 0..max_score with at most two decimals (7, 7.5, 7.25), a gate is
 * true (passes) or false. Faults go to *reterr as errors[] items at
 * "<prefix>/<criterion>" (RFC 6901): unknown members first as
 * APP_ERR_UNKNOWN_FIELD (400) with code unknown_field, then
 * APP_ERR_VALIDATION (422) with required, wrong_type, out_of_range or
 * too_precise; a non-object at <prefix> is not_an_object. On success fills
 * ret[i] for rubric[i] (ret holds n entries) and returns true.
 */
bool review_scores_parse(const json_t *scores,
                         const struct policy_criterion *rubric,
                         size_t n,
                         const char *prefix,
                         struct review_score *ret,
                         struct problem *reterr);

/*
 * A review's total and gate verdict. Each scored criterion adds
 * weight × score / max_score, computed in ten-thousandths of a point and
 * rounded half up there; the sum is rounded half up to hundredths. The
 * weights sum to 100, so a review scoring every criterion at its maximum
 * totals exactly 100.00.
 */
struct review_result
review_total(const struct policy_criterion *rubric, size_t n, const struct review_score *scores);

/* A nomination's reviews, aggregated. Values in hundredths; -1 when count is 0. */
struct review_aggregate {
    int count;
    int mean;         /* sum / count */
    int median;       /* the middle total; for an even count the mean of the two middle ones */
    int stdev;        /* population standard deviation (divides by count) */
    int trimmed_mean; /* count >= 5: without one highest and one lowest; else the mean */
    int gate_failures;
    bool gate_failed;  /* gate_failures > 0: any review failing a gate */
    bool disagreement; /* stdev (as rounded) > the policy's threshold */
};

/*
 * Aggregates n reviews (n <= REVIEW_REVIEWS_MAX; more are ignored). Every
 * quotient and the square root are exact integer arithmetic, rounded half
 * up once at the end. `threshold_points` is review_disagreement_stdev.
 */
struct review_aggregate
review_aggregate(const struct review_result *reviews, size_t n, int threshold_points);

/*
 * The combined score: review × (100 − w) / 100 + skill × w / 100, rounded
 * half up to hundredths, where review is the trimmed mean and w the
 * policy's skill_test_weight. Without a skill test (w < 0) it is the
 * review part itself. -1 when a part it needs is missing (review < 0, or
 * skill < 0 with a skill test).
 */
int review_combined(int review, int skill, int skill_weight);

/* A nomination in the ranking: the op fills it from the database. */
struct review_rank_entry {
    char nomination_id[REVIEW_ID_MAX + 1];
    int64_t submitted_us; /* when the unit submitted it (µs since the epoch) */
    struct review_aggregate agg;
    int skill;    /* the skill test in hundredths, -1: none recorded */
    int combined; /* review_combined(agg.trimmed_mean, skill, w) */
    int rank;     /* set by review_rank: 1.. */
};

/* Fills e->combined from e->agg and e->skill under `policy`. */
void review_entry_combine(struct review_rank_entry *e, const struct policy *policy);

/*
 * The ranking's order (< 0: a ranks before b), a strict total order:
 *   1. complete before incomplete (combined known: reviewed, and tested
 *      when the policy has a skill test);
 *   2. gate passed before gate failed;
 *   3. combined score, higher first;
 *   4. trimmed mean, higher first;
 *   5. skill test, higher first (none counts as below 0);
 *   6. fewer gate failures first;
 *   7. more reviews first;
 *   8. submitted earlier first;
 *   9. nomination id, ascending (bytewise).
 */
int review_rank_cmp(const struct review_rank_entry *a, const struct review_rank_entry *b);

/* Sorts e[0..n) by review_rank_cmp and sets rank = 1..n. */
void review_rank(struct review_rank_entry *e, size_t n);

/*
 * The shortlist's size for a round under `policy`: vote_nominees when there
 * is a public vote, else shortlist_size, else `office_n` (the size the
 * office sends when it freezes the list, -1 when it sends none), which must
 * then be awards_per_round..1000. When the policy fixes the size, office_n
 * must be -1 or equal to it. Faults go to *reterr at `pointer` (codes
 * required, shortlist_size_fixed, fewer_shortlisted_than_awards,
 * out_of_range); returns APP_OK and sets *ret otherwise.
 */
enum app_err review_shortlist_size(const struct policy *policy,
                                   int office_n,
                                   const char *pointer,
                                   int *ret,
                                   struct problem *reterr);

#endif
