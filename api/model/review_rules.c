/* SPDX-License-Identifier: MIT */
/*
 * The expert review's arithmetic (review_rules.h): integers in hundredths of
 * a point throughout, each quotient rounded half up once.
 */
#include "review_rules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* a / b rounded half up; a >= 0, b > 0. */
static int64_t div_half_up(int64_t a, int64_t b)
{
    return (2 * a + b) / (2 * b);
}

/* floor(sqrt(x)), exactly. */
static uint64_t isqrt(uint64_t x)
{
    uint64_t r = (uint64_t)sqrtl((long double)x);

    while (r > 0 && r * r > x) {
        r--;
    }
    while ((r + 1) * (r + 1) <= x) {
        r++;
    }
    return r;
}

static const struct policy_criterion *
find_criterion(const struct policy_criterion *rubric, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rubric[i].criterion, code) == 0) {
            return &rubric[i];
        }
    }
    return NULL;
}

/* One scored criterion's value in hundredths; reports and returns false on a fault. */
static bool score_of(
    const json_t *v, const struct policy_criterion *k, const char *ptr, int *ret, struct problem *p)
{
    long long max = k->max_score;

    if (json_is_integer(v)) {
        long long x = json_integer_value(v);

        if (x < 0 || x > max) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "out_of_range", "应为 0 至 %lld 分",
                          "must be from 0 to %lld", max);
            return false;
        }
        *ret = (int)(x * 100);
        return true;
    }
    if (json_is_real(v)) {
        double x = json_real_value(v);
        double h = x * 100.0;
        long long r;

        if (!isfinite(x) || x < 0.0 || x > (double)max) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "out_of_range", "应为 0 至 %lld 分",
                          "must be from 0 to %lld", max);
            return false;
        }
        r = llround(h);
        /* 7.25 is 725 hundredths give or take the binary fraction; 7.255 is not. */
        if (fabs(h - (double)r) > 1e-6) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "too_precise", "最多保留两位小数",
                          "must have at most two decimals");
            return false;
        }
        *ret = (int)r;
        return true;
    }
    problem_field(p, APP_ERR_VALIDATION, ptr, "wrong_type", "应为 0 至 %lld 的数字",
                  "must be a number from 0 to %lld", max);
    return false;
}

bool review_scores_parse(const json_t *scores,
                         const struct policy_criterion *rubric,
                         size_t n,
                         const char *prefix,
                         struct review_score *ret,
                         struct problem *reterr)
{
    char ptr[PROBLEM_POINTER_MAX];
    const char *key;
    const json_t *v;
    bool ok = true;

    if (!json_is_object(scores)) {
        problem_field(reterr, APP_ERR_VALIDATION, prefix[0] != '\0' ? prefix : "", "not_an_object",
                      "应为以评分标准代码为键的对象", "must be an object keyed by criterion code");
        return false;
    }
    /* Unknown members first: their kind (400) decides the status. */
    json_object_foreach((json_t *)scores, key, v)
    {
        if (find_criterion(rubric, n, key) == NULL) {
            problem_pointer(ptr, sizeof(ptr), prefix, key);
            problem_field(reterr, APP_ERR_UNKNOWN_FIELD, ptr, "unknown_field",
                          "不是本轮评分标准中的项目", "not a criterion of the round's rubric");
            ok = false;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const struct policy_criterion *k = &rubric[i];
        struct review_score s = {.hundredths = 0, .pass = true};

        v = json_object_get(scores, k->criterion);
        problem_pointer(ptr, sizeof(ptr), prefix, k->criterion);
        if (v == NULL) {
            problem_field(reterr, APP_ERR_VALIDATION, ptr, "required", "为必填项", "required");
            ok = false;
        } else if (k->gate) {
            if (!json_is_boolean(v)) {
                problem_field(reterr, APP_ERR_VALIDATION, ptr, "wrong_type",
                              "门槛项应为 true（通过）或 false（不通过）",
                              "must be true (passes) or false (fails): a gate");
                ok = false;
            }
            s.pass = json_is_true(v);
        } else if (!score_of(v, k, ptr, &s.hundredths, reterr)) {
            ok = false;
        }
        if (ok) {
            ret[i] = s;
        }
    }
    return ok;
}

struct review_result
review_total(const struct policy_criterion *rubric, size_t n, const struct review_score *scores)
{
    struct review_result r = {.total = 0, .gate_pass = true};
    int64_t sum_e4 = 0; /* ten-thousandths of a point */

    for (size_t i = 0; i < n; i++) {
        if (rubric[i].gate) {
            r.gate_pass = r.gate_pass && scores[i].pass;
        } else if (rubric[i].max_score > 0) {
            sum_e4 += div_half_up((int64_t)rubric[i].weight * scores[i].hundredths * 100,
                                  rubric[i].max_score);
        }
    }
    r.total = (int)div_half_up(sum_e4, 100);
    return r;
}

static int by_value(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

struct review_aggregate
review_aggregate(const struct review_result *reviews, size_t n, int threshold_points)
{
    struct review_aggregate a = {.mean = -1, .median = -1, .stdev = -1, .trimmed_mean = -1};
    int sorted[REVIEW_REVIEWS_MAX];
    int64_t sum = 0, sum_sq = 0, spread;

    if (n > REVIEW_REVIEWS_MAX) {
        n = REVIEW_REVIEWS_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        sorted[i] = reviews[i].total;
        sum += reviews[i].total;
        sum_sq += (int64_t)reviews[i].total * reviews[i].total;
        a.gate_failures += !reviews[i].gate_pass;
    }
    a.count = (int)n;
    a.gate_failed = a.gate_failures > 0;
    if (n == 0) {
        return a;
    }
    qsort(sorted, n, sizeof(sorted[0]), by_value);
    a.mean = (int)div_half_up(sum, (int64_t)n);
    a.median = n % 2 == 1 ? sorted[n / 2]
                          : (int)div_half_up((int64_t)sorted[n / 2 - 1] + sorted[n / 2], 2);
    /* sqrt(n Σx² − (Σx)²) / n, half up: floor((floor(sqrt(4N)) + n) / 2n). */
    spread = (int64_t)n * sum_sq - sum * sum;
    a.stdev = (int)(((int64_t)isqrt(4 * (uint64_t)spread) + (int64_t)n) / (2 * (int64_t)n));
    a.trimmed_mean =
        n >= 5 ? (int)div_half_up(sum - sorted[0] - sorted[n - 1], (int64_t)n - 2) : a.mean;
    a.disagreement = a.stdev > threshold_points * 100;
    return a;
}

int review_combined(int review, int skill, int skill_weight)
{
    if (review < 0) {
        return -1;
    }
    if (skill_weight < 0) {
        return review;
    }
    if (skill < 0) {
        return -1;
    }
    return (int)div_half_up((int64_t)review * (100 - skill_weight) + (int64_t)skill * skill_weight,
                            100);
}

void review_entry_combine(struct review_rank_entry *e, const struct policy *policy)
{
    e->combined = review_combined(e->agg.trimmed_mean, e->skill,
                                  policy->skill_test ? policy->skill_test_weight : -1);
}

/* < 0 when a > b (higher first). */
static int desc(long long a, long long b)
{
    return (a < b) - (a > b);
}

int review_rank_cmp(const struct review_rank_entry *a, const struct review_rank_entry *b)
{
    int c;

    if ((c = desc(a->combined >= 0, b->combined >= 0)) != 0 ||
        (c = desc(!a->agg.gate_failed, !b->agg.gate_failed)) != 0 ||
        (c = desc(a->combined, b->combined)) != 0 ||
        (c = desc(a->agg.trimmed_mean, b->agg.trimmed_mean)) != 0 ||
        (c = desc(a->skill, b->skill)) != 0 ||
        (c = -desc(a->agg.gate_failures, b->agg.gate_failures)) != 0 ||
        (c = desc(a->agg.count, b->agg.count)) != 0 ||
        (c = -desc(a->submitted_us, b->submitted_us)) != 0) {
        return c;
    }
    c = strcmp(a->nomination_id, b->nomination_id);
    return (c > 0) - (c < 0);
}

static int rank_cmp(const void *a, const void *b)
{
    return review_rank_cmp(a, b);
}

void review_rank(struct review_rank_entry *e, size_t n)
{
    qsort(e, n, sizeof(*e), rank_cmp);
    for (size_t i = 0; i < n; i++) {
        e[i].rank = (int)i + 1;
    }
}

enum app_err review_shortlist_size(const struct policy *policy,
                                   int office_n,
                                   const char *pointer,
                                   int *ret,
                                   struct problem *reterr)
{
    int fixed = policy->vote_nominees >= 0 ? policy->vote_nominees : policy->shortlist_size;

    if (fixed >= 0) {
        if (office_n >= 0 && office_n != fixed) {
            return problem_field(reterr, APP_ERR_VALIDATION, pointer, "shortlist_size_fixed",
                                 "本轮政策规定的提名人选人数为 %d",
                                 "the round's policy fixes it at %d", fixed);
        }
        *ret = fixed;
        return APP_OK;
    }
    if (office_n < 0) {
        return problem_field(reterr, APP_ERR_VALIDATION, pointer, "required",
                             "本轮政策未规定人选名单人数，须填写",
                             "required: the round's policy fixes no size");
    }
    if (office_n < policy->awards_per_round) {
        return problem_field(reterr, APP_ERR_VALIDATION, pointer, "fewer_shortlisted_than_awards",
                             "不得少于每轮名额 %d", "must not be less than the %d awards a round",
                             policy->awards_per_round);
    }
    if (office_n > 1000) {
        return problem_field(reterr, APP_ERR_VALIDATION, pointer, "out_of_range",
                             "应为 %d 至 1000 的整数", "must be an integer from %d to 1000",
                             policy->awards_per_round);
    }
    *ret = office_n;
    return APP_OK;
}
