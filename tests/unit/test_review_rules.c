/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/review_rules.c: a review's scores against the
 * rubric, its total, the aggregates for hand-computed score sets of 1, 2, 4,
 * 5 and 7 reviews (values in hundredths; the comments show the arithmetic),
 * gate failures, the combined score, the ranking's tie-break order and the
 * shortlist's size.
 */
#include <stdio.h>
#include <string.h>

#include "review_rules.h"
#include "test.h"

/* A gate, then three scored criteria with different ranges. */
static const struct policy_criterion rubric[] = {
    {.criterion = "character", .weight = 0, .gate = true, .max_score = 0},
    {.criterion = "skill", .weight = 40, .gate = false, .max_score = 40},
    {.criterion = "innovation", .weight = 35, .gate = false, .max_score = 100},
    {.criterion = "mentoring", .weight = 25, .gate = false, .max_score = 10},
};
#define N_RUBRIC (sizeof(rubric) / sizeof(rubric[0]))

static bool parse(const char *json, struct review_score *ret, struct problem *p)
{
    json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
    bool ok = review_scores_parse(v, rubric, N_RUBRIC, "/scores", ret, p);

    json_decref(v);
    return ok;
}

static void test_parse_valid(void)
{
    struct review_score s[N_RUBRIC];
    struct problem p = PROBLEM_INIT;

    CHECK(parse("{\"character\": true, \"skill\": 30, \"innovation\": 87.5, "
                "\"mentoring\": 7.25}",
                s, &p));
    CHECK_EQ_INT(p.n_errors, 0);
    CHECK(s[0].pass);
    CHECK_EQ_INT(s[1].hundredths, 3000);
    CHECK_EQ_INT(s[2].hundredths, 8750);
    CHECK_EQ_INT(s[3].hundredths, 725);
    /* the bounds are inclusive; 40.0 is a number like 40 */
    CHECK(parse("{\"character\": false, \"skill\": 40.0, \"innovation\": 0, \"mentoring\": 10}", s,
                &p));
    CHECK(!s[0].pass);
    CHECK_EQ_INT(s[1].hundredths, 4000);
    CHECK_EQ_INT(s[2].hundredths, 0);
    CHECK_EQ_INT(s[3].hundredths, 1000);
    /* 0.29 * 100 is 28.999999999999996 in binary: still 29 hundredths */
    CHECK(parse("{\"character\": true, \"skill\": 0.29, \"innovation\": 0.01, "
                "\"mentoring\": 9.99}",
                s, &p));
    CHECK_EQ_INT(s[1].hundredths, 29);
    CHECK_EQ_INT(s[2].hundredths, 1);
    CHECK_EQ_INT(s[3].hundredths, 999);
}

static const struct parse_case {
    const char *json, *pointer, *code;
    enum app_err kind;
    size_t n;
} parse_cases[] = {
    {"[]", "/scores", "not_an_object", APP_ERR_VALIDATION, 1},
    {"{\"character\": true, \"skill\": 30, \"innovation\": 80}", "/scores/mentoring", "required",
     APP_ERR_VALIDATION, 1},
    {"{\"character\": true, \"skill\": 30, \"innovation\": 80, \"mentoring\": 5, \"x/y\": 1}",
     "/scores/x~1y", "unknown_field", APP_ERR_UNKNOWN_FIELD, 1},
    {"{\"character\": 1, \"skill\": 30, \"innovation\": 80, \"mentoring\": 5}", "/scores/character",
     "wrong_type", APP_ERR_VALIDATION, 1},
    {"{\"character\": true, \"skill\": 41, \"innovation\": 80, \"mentoring\": 5}", "/scores/skill",
     "out_of_range", APP_ERR_VALIDATION, 1},
    {"{\"character\": true, \"skill\": -1, \"innovation\": 80, \"mentoring\": 5}", "/scores/skill",
     "out_of_range", APP_ERR_VALIDATION, 1},
    {"{\"character\": true, \"skill\": 40.01, \"innovation\": 80, \"mentoring\": 5}",
     "/scores/skill", "out_of_range", APP_ERR_VALIDATION, 1},
    {"{\"character\": true, \"skill\": 30, \"innovation\": 7.255, \"mentoring\": 5}",
     "/scores/innovation", "too_precise", APP_ERR_VALIDATION, 1},
    {"{\"character\": true, \"skill\": \"30\", \"innovation\": 80, \"mentoring\": 5}",
     "/scores/skill", "wrong_type", APP_ERR_VALIDATION, 1},
    {"{\"character\": true, \"skill\": true, \"innovation\": 80, \"mentoring\": null}",
     "/scores/skill", "wrong_type", APP_ERR_VALIDATION, 2},
    /* the unknown member comes first and makes it a 400, the rest still reported */
    {"{\"bogus\": 1, \"skill\": 30, \"innovation\": 80, \"mentoring\": 5}", "/scores/bogus",
     "unknown_field", APP_ERR_UNKNOWN_FIELD, 2},
};

static void test_parse_faults(void)
{
    for (size_t i = 0; i < TEST_COUNT(parse_cases); i++) {
        const struct parse_case *c = &parse_cases[i];
        struct review_score s[N_RUBRIC];
        struct problem p = PROBLEM_INIT;

        CHECKF(!parse(c->json, s, &p), "case %zu: accepted", i);
        CHECKF(p.err == c->kind, "case %zu: kind %d", i, (int)p.err);
        CHECKF(p.n_errors == c->n, "case %zu: %zu errors", i, p.n_errors);
        CHECKF(p.n_errors > 0 && strcmp(p.errors[0].pointer, c->pointer) == 0,
               "case %zu: pointer %s", i, p.n_errors > 0 ? p.errors[0].pointer : "-");
        CHECKF(p.n_errors > 0 && strcmp(p.errors[0].code, c->code) == 0, "case %zu: code %s", i,
               p.n_errors > 0 ? p.errors[0].code : "-");
        CHECKF(p.n_errors > 0 && p.errors[0].detail[PROBLEM_LANG_ZH][0] != '\0' &&
                   p.errors[0].detail[PROBLEM_LANG_EN][0] != '\0',
               "case %zu: both languages", i);
        problem_clear(&p);
    }
}

static struct review_result total_of(int skill, int innovation, int mentoring, bool pass)
{
    struct review_score s[N_RUBRIC] = {{.pass = pass},
                                       {.hundredths = skill},
                                       {.hundredths = innovation},
                                       {.hundredths = mentoring}};

    return review_total(rubric, N_RUBRIC, s);
}

static void test_total(void)
{
    struct review_result r;

    /* 40×30/40 + 35×87.5/100 + 25×7.25/10 = 30 + 30.625 + 18.125 = 78.75 */
    r = total_of(3000, 8750, 725, true);
    CHECK_EQ_INT(r.total, 7875);
    CHECK(r.gate_pass);
    /* every maximum: exactly 100.00 */
    r = total_of(4000, 10000, 1000, true);
    CHECK_EQ_INT(r.total, 10000);
    r = total_of(0, 0, 0, false);
    CHECK_EQ_INT(r.total, 0);
    CHECK(!r.gate_pass);
    /* 35×33.33/100 = 11.6655 → 11.67 (half up, once, at the hundredths) */
    r = total_of(0, 3333, 0, true);
    CHECK_EQ_INT(r.total, 1167);
    /* 25×0.01/10 = 0.025 → 0.03 */
    r = total_of(0, 0, 1, true);
    CHECK_EQ_INT(r.total, 3);
    /* 40×0.01/40 + 35×0.01/100 + 25×0.01/10 = 0.01 + 0.0035 + 0.025 = 0.0385 → 0.04 */
    r = total_of(1, 1, 1, true);
    CHECK_EQ_INT(r.total, 4);
}

/* A rubric whose terms are not whole ten-thousandths: each is rounded there. */
static void test_total_thirds(void)
{
    static const struct policy_criterion thirds[] = {
        {.criterion = "a", .weight = 34, .gate = false, .max_score = 3},
        {.criterion = "b", .weight = 33, .gate = false, .max_score = 3},
        {.criterion = "c", .weight = 33, .gate = false, .max_score = 3},
    };
    struct review_score s[3] = {{.hundredths = 100}, {.hundredths = 100}, {.hundredths = 100}};
    struct review_result r = review_total(thirds, 3, s);

    /* 34/3 = 11.33333 → 113333; 33/3 = 11 → 110000 twice; 33.3333 → 33.33 */
    CHECK_EQ_INT(r.total, 3333);
    s[0].hundredths = s[1].hundredths = s[2].hundredths = 300;
    CHECK_EQ_INT(review_total(thirds, 3, s).total, 10000);
    /* 34×2/3 = 22.66667 → 226667; 33×2/3 = 22 twice → 66.6667 → 66.67 */
    s[0].hundredths = s[1].hundredths = s[2].hundredths = 200;
    CHECK_EQ_INT(review_total(thirds, 3, s).total, 6667);
}

static struct review_aggregate agg_of(const int *totals, size_t n, int fails, int threshold)
{
    struct review_result r[16] = {0}; /* n may be 0: -O2 sees r passed unset */

    for (size_t i = 0; i < n; i++) {
        r[i] = (struct review_result){.total = totals[i], .gate_pass = (int)i >= fails};
    }
    return review_aggregate(r, n, threshold);
}

static void test_aggregate_0_1_2(void)
{
    struct review_aggregate a;
    static const int one[] = {8000};
    static const int two[] = {7000, 8001};

    a = agg_of(NULL, 0, 0, 15);
    CHECK_EQ_INT(a.count, 0);
    CHECK_EQ_INT(a.mean, -1);
    CHECK_EQ_INT(a.median, -1);
    CHECK_EQ_INT(a.stdev, -1);
    CHECK_EQ_INT(a.trimmed_mean, -1);
    CHECK(!a.disagreement && !a.gate_failed);

    a = agg_of(one, 1, 0, 15);
    CHECK_EQ_INT(a.count, 1);
    CHECK_EQ_INT(a.mean, 8000);
    CHECK_EQ_INT(a.median, 8000);
    CHECK_EQ_INT(a.stdev, 0);
    CHECK_EQ_INT(a.trimmed_mean, 8000);

    /* mean 15001/2 = 7500.5 → 75.01; median the same; population stdev
     * |8001 − 7000| / 2 = 500.5 → 5.01 (an exact half, rounded up) */
    a = agg_of(two, 2, 0, 15);
    CHECK_EQ_INT(a.mean, 7501);
    CHECK_EQ_INT(a.median, 7501);
    CHECK_EQ_INT(a.stdev, 501);
    CHECK_EQ_INT(a.trimmed_mean, 7501); /* fewer than 5: the mean */
    CHECK(!a.disagreement);
}

static void test_aggregate_4(void)
{
    static const int four[] = {9500, 6000, 8000, 7000};
    /* sum 30500, mean 76.25; median (70 + 80)/2 = 75; deviations −16.25,
     * −6.25, 3.75, 18.75: squares sum 668.75, /4 = 167.1875, sqrt 12.930 → 12.93 */
    struct review_aggregate a = agg_of(four, 4, 0, 15);

    CHECK_EQ_INT(a.count, 4);
    CHECK_EQ_INT(a.mean, 7625);
    CHECK_EQ_INT(a.median, 7500);
    CHECK_EQ_INT(a.stdev, 1293);
    CHECK_EQ_INT(a.trimmed_mean, 7625);
    CHECK(!a.disagreement);
    /* threshold 12: 12.93 > 12 */
    CHECK(agg_of(four, 4, 0, 12).disagreement);
    /* threshold 13: 12.93 is not above it */
    CHECK(!agg_of(four, 4, 0, 13).disagreement);
}

static void test_aggregate_5(void)
{
    static const int five[] = {7500, 9900, 5000, 8000, 7000};
    /* sum 374, mean 74.80; median 75; trimmed (374 − 50 − 99)/3 = 75;
     * population stdev sqrt(1250.16... ) = 15.816 → 15.82 > 15: disagreement */
    struct review_aggregate a = agg_of(five, 5, 0, 15);

    CHECK_EQ_INT(a.mean, 7480);
    CHECK_EQ_INT(a.median, 7500);
    CHECK_EQ_INT(a.trimmed_mean, 7500);
    CHECK_EQ_INT(a.stdev, 1582);
    CHECK(a.disagreement);
    CHECK(!agg_of(five, 5, 0, 16).disagreement);

    /* five equal totals: no spread, the trimmed mean is the mean */
    static const int same[] = {7000, 7000, 7000, 7000, 7000};
    a = agg_of(same, 5, 0, 1);
    CHECK_EQ_INT(a.stdev, 0);
    CHECK_EQ_INT(a.trimmed_mean, 7000);
    CHECK(!a.disagreement);
}

static void test_aggregate_7(void)
{
    static const int seven[] = {7000, 6000, 10000, 6500, 7250, 7000, 8000};
    /* sum 517.50 / 7 = 73.928… → 73.93; median (sorted 60 65 70 70 72.5 80
     * 100) 70; trimmed (517.5 − 60 − 100)/5 = 71.50; stdev 12.090 → 12.09 */
    struct review_aggregate a = agg_of(seven, 7, 2, 15);

    CHECK_EQ_INT(a.count, 7);
    CHECK_EQ_INT(a.mean, 7393);
    CHECK_EQ_INT(a.median, 7000);
    CHECK_EQ_INT(a.trimmed_mean, 7150);
    CHECK_EQ_INT(a.stdev, 1209);
    CHECK(!a.disagreement);
    /* two reviews failed the gate: the gate fails (any review failing it) */
    CHECK_EQ_INT(a.gate_failures, 2);
    CHECK(a.gate_failed);
    /* the scores still count: a gate is not a score */
    CHECK_EQ_INT(agg_of(seven, 7, 0, 15).mean, 7393);
    CHECK(!agg_of(seven, 7, 0, 15).gate_failed);
}

static void test_combined(void)
{
    /* 环翠: w = 50. 80 × 50% + 90 × 50% = 85 */
    CHECK_EQ_INT(review_combined(8000, 9000, 50), 8500);
    /* 75.01 × 0.5 + 80 × 0.5 = 77.505 → 77.51 */
    CHECK_EQ_INT(review_combined(7501, 8000, 50), 7751);
    /* w = 30: 70 × 0.7 + 95.55 × 0.3 = 49 + 28.665 = 77.665 → 77.67 */
    CHECK_EQ_INT(review_combined(7000, 9555, 30), 7767);
    CHECK_EQ_INT(review_combined(7000, 9555, 0), 7000);
    CHECK_EQ_INT(review_combined(7000, 9555, 100), 9555);
    /* 岚山: no skill test, the review part alone */
    CHECK_EQ_INT(review_combined(7393, -1, -1), 7393);
    /* a missing part leaves it unknown */
    CHECK_EQ_INT(review_combined(7000, -1, 50), -1);
    CHECK_EQ_INT(review_combined(-1, 9000, 50), -1);
    CHECK_EQ_INT(review_combined(-1, -1, -1), -1);
}

static struct review_rank_entry
entry(const char *id, int combined, int trimmed, int skill, int fails, int count, int64_t submitted)
{
    struct review_rank_entry e = {.submitted_us = submitted, .skill = skill, .combined = combined};

    snprintf(e.nomination_id, sizeof(e.nomination_id), "%s", id);
    e.agg.count = count;
    e.agg.trimmed_mean = trimmed;
    e.agg.gate_failures = fails;
    e.agg.gate_failed = fails > 0;
    return e;
}

/* Each tie-break decides when the keys before it tie. */
static void test_rank_order(void)
{
    struct review_rank_entry e[] = {
        entry("k-incomplete", -1, 9900, -1, 0, 5, 1),    /* 12: no combined score */
        entry("j-gate", 9000, 9000, 9000, 1, 5, 1),      /* 11: fails the gate, scores high */
        entry("a-top", 8000, 7000, 7000, 0, 5, 1),       /* 1 */
        entry("b-trimmed", 7000, 7600, 7000, 0, 5, 1),   /* 2: combined ties, trimmed higher */
        entry("c-trimmed", 7000, 7500, 8000, 0, 5, 1),   /* 3 */
        entry("d-skill", 7000, 7400, 6000, 0, 5, 1),     /* 4: skill higher */
        entry("e-skill", 7000, 7400, 5000, 0, 5, 1),     /* 5 */
        entry("f-count", 7000, 7400, 4000, 0, 7, 9),     /* 6: more reviews */
        entry("g-early", 7000, 7400, 4000, 0, 5, 100),   /* 7: submitted earlier */
        entry("i-id", 7000, 7400, 4000, 0, 5, 200),      /* 9: same time, id after h */
        entry("h-id", 7000, 7400, 4000, 0, 5, 200),      /* 8 */
        entry("l-two-fails", 9500, 9500, 9500, 2, 5, 1), /* 10: fails it twice, scores higher */
    };
    static const char *const want[] = {"a-top",   "b-trimmed",   "c-trimmed", "d-skill",
                                       "e-skill", "f-count",     "g-early",   "h-id",
                                       "i-id",    "l-two-fails", "j-gate",    "k-incomplete"};

    review_rank(e, TEST_COUNT(e));
    for (size_t i = 0; i < TEST_COUNT(e); i++) {
        CHECKF(strcmp(e[i].nomination_id, want[i]) == 0, "rank %zu: %s, want %s", i + 1,
               e[i].nomination_id, want[i]);
        CHECK_EQ_INT(e[i].rank, (int)i + 1);
    }
    /* Among gate failures the scores decide first (l's 95 beats j's 90) */
    CHECK(review_rank_cmp(&e[9], &e[10]) < 0);
    CHECK(review_rank_cmp(&e[10], &e[9]) > 0);
    CHECK_EQ_INT(review_rank_cmp(&e[0], &e[0]), 0);
}

/* Fewer gate failures break a tie among failures; the input order never matters. */
static void test_rank_fails_and_stability(void)
{
    struct review_rank_entry a[] = {
        entry("x2", 8000, 8000, -1, 2, 5, 1),
        entry("x1", 8000, 8000, -1, 1, 5, 1),
        entry("x3", 8000, 8000, -1, 3, 5, 1),
    };
    struct review_rank_entry b[] = {a[2], a[0], a[1]};

    review_rank(a, 3);
    review_rank(b, 3);
    CHECK_EQ_STR(a[0].nomination_id, "x1");
    CHECK_EQ_STR(a[1].nomination_id, "x2");
    CHECK_EQ_STR(a[2].nomination_id, "x3");
    for (size_t i = 0; i < 3; i++) {
        CHECK_EQ_STR(a[i].nomination_id, b[i].nomination_id);
    }
}

static void test_entry_combine(void)
{
    struct policy huancui = {.skill_test = true, .skill_test_weight = 50};
    struct policy lanshan = {.skill_test = false, .skill_test_weight = -1};
    struct review_rank_entry e = entry("n", 0, 0, 9000, 0, 5, 1);

    e.agg.trimmed_mean = 8000;
    review_entry_combine(&e, &huancui);
    CHECK_EQ_INT(e.combined, 8500);
    review_entry_combine(&e, &lanshan);
    CHECK_EQ_INT(e.combined, 8000);
    e.skill = -1;
    review_entry_combine(&e, &huancui);
    CHECK_EQ_INT(e.combined, -1); /* not tested yet: incomplete */
}

static void test_shortlist_size(void)
{
    struct policy lanshan = {.awards_per_round = 10, .vote_nominees = 20, .shortlist_size = -1};
    struct policy huancui = {.awards_per_round = 5, .vote_nominees = -1, .shortlist_size = -1};
    struct policy fixed = {.awards_per_round = 5, .vote_nominees = -1, .shortlist_size = 8};
    struct problem p = PROBLEM_INIT;
    int n = 0;

    CHECK_EQ_INT(review_shortlist_size(&lanshan, -1, "/size", &n, &p), APP_OK);
    CHECK_EQ_INT(n, 20);
    CHECK_EQ_INT(review_shortlist_size(&lanshan, 20, "/size", &n, &p), APP_OK);
    CHECK_EQ_INT(review_shortlist_size(&lanshan, 19, "/size", &n, &p), APP_ERR_VALIDATION);
    CHECK_EQ_STR(p.errors[0].code, "shortlist_size_fixed");
    CHECK_EQ_STR(p.errors[0].pointer, "/size");
    problem_clear(&p);

    CHECK_EQ_INT(review_shortlist_size(&fixed, -1, "/size", &n, &p), APP_OK);
    CHECK_EQ_INT(n, 8);

    CHECK_EQ_INT(review_shortlist_size(&huancui, -1, "/size", &n, &p), APP_ERR_VALIDATION);
    CHECK_EQ_STR(p.errors[0].code, "required");
    problem_clear(&p);
    CHECK_EQ_INT(review_shortlist_size(&huancui, 4, "/size", &n, &p), APP_ERR_VALIDATION);
    CHECK_EQ_STR(p.errors[0].code, "fewer_shortlisted_than_awards");
    problem_clear(&p);
    CHECK_EQ_INT(review_shortlist_size(&huancui, 1001, "/size", &n, &p), APP_ERR_VALIDATION);
    CHECK_EQ_STR(p.errors[0].code, "out_of_range");
    problem_clear(&p);
    n = 0;
    CHECK_EQ_INT(review_shortlist_size(&huancui, 5, "/size", &n, &p), APP_OK);
    CHECK_EQ_INT(n, 5);
    CHECK_EQ_INT(p.n_errors, 0);
}

static const struct test_case cases[] = {
    {"scores parse", test_parse_valid},
    {"score faults: pointer, code, kind", test_parse_faults},
    {"a review's weighted total", test_total},
    {"terms rounded in ten-thousandths", test_total_thirds},
    {"aggregates of 0, 1 and 2 reviews", test_aggregate_0_1_2},
    {"aggregates of 4 reviews", test_aggregate_4},
    {"aggregates of 5 reviews", test_aggregate_5},
    {"aggregates of 7 reviews and gate failures", test_aggregate_7},
    {"combined score", test_combined},
    {"rank order and tie-breaks", test_rank_order},
    {"gate failures and input order", test_rank_fails_and_stability},
    {"entry combined under a policy", test_entry_combine},
    {"shortlist size", test_shortlist_size},
};

int main(void)
{
    return test_run(cases, TEST_COUNT(cases));
}
