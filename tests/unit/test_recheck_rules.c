/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/recheck_rules.c (issue 14): 环翠区首席技师
 * 第八条（一）–（五） as a checklist, with 0, 1, 2 and 3 apprentices certified
 * in each year, the level boundary at 高级工, and when the re-check is due.
 */
#include <string.h>

#include "civil_time.h"
#include "enums.h"
#include "recheck_rules.h"
#include "test.h"
#include "test_dates.h"

static const struct policy HUANCUI = {
    .recheck_min_apprentices = 2,
    .recheck_apprentice_min_level = SKILL_SENIOR_WORKER,
    .recheck_due_month = 12,
    .recheck_decides_from_month = 13,
};

static struct recheck_input input(const struct recheck_apprentice *a, size_t n, const char *as_of)
{
    return (struct recheck_input){.front_line = true,
                                  .no_accident = true,
                                  .no_violation = true,
                                  .keeps_lead = true,
                                  .apprentices = a,
                                  .n_apprentices = n,
                                  .period_start = day("2027-01-01"),
                                  .as_of = day(as_of)};
}

static void test_apprentices_per_year(void)
{
    struct recheck_apprentice a[3];
    struct recheck_checklist c;

    for (size_t n = 0; n <= 3; n++) {
        for (size_t i = 0; i < n; i++) {
            a[i] = (struct recheck_apprentice){SKILL_SENIOR_WORKER, day("2027-06-30")};
        }
        struct recheck_input in = input(a, n, "2027-12-10");
        recheck_rules_checklist(&HUANCUI, &in, &c);
        CHECK_EQ_INT((int)c.n_years, 1);
        CHECK_EQ_INT(c.certified[0], (int)n);
        CHECK(c.passed[RECHECK_APPRENTICES] == (n >= 2));
        CHECK(c.suggest_pass == (n >= 2));
    }
}

static void test_level_boundary(void)
{
    struct recheck_apprentice a[2] = {{SKILL_SENIOR_WORKER, day("2027-03-01")},
                                      {SKILL_INTERMEDIATE_WORKER, day("2027-03-01")}};
    struct recheck_checklist c;
    struct recheck_input in = input(a, 2, "2027-12-01");

    recheck_rules_checklist(&HUANCUI, &in, &c);
    CHECK_EQ_INT(c.certified[0], 1); /* 中级工 is below 高级工 */
    CHECK(!c.passed[RECHECK_APPRENTICES]);
    a[1].level = SKILL_TECHNICIAN; /* above counts */
    recheck_rules_checklist(&HUANCUI, &in, &c);
    CHECK(c.passed[RECHECK_APPRENTICES]);
}

static void test_each_year_of_the_period(void)
{
    /* Two in the first year, one in the second: a re-check in year 2 fails. */
    struct recheck_apprentice a[3] = {{SKILL_SENIOR_WORKER, day("2027-02-01")},
                                      {SKILL_SENIOR_WORKER, day("2027-12-31")},
                                      {SKILL_SENIOR_WORKER, day("2028-01-01")}};
    struct recheck_checklist c;
    struct recheck_input in = input(a, 3, "2028-03-01");

    recheck_rules_checklist(&HUANCUI, &in, &c);
    CHECK_EQ_INT((int)c.n_years, 2);
    CHECK_EQ_INT(c.certified[0], 2);
    CHECK_EQ_INT(c.certified[1], 1);
    CHECK(!c.passed[RECHECK_APPRENTICES]);
    /* Certified before the period: not counted. */
    a[0].certified_on = day("2026-12-31");
    in.as_of = day("2027-12-15");
    recheck_rules_checklist(&HUANCUI, &in, &c);
    CHECK_EQ_INT(c.certified[0], 1);
}

static void test_statements(void)
{
    struct recheck_apprentice a[2] = {{SKILL_SENIOR_WORKER, day("2027-05-01")},
                                      {SKILL_SENIOR_WORKER, day("2027-06-01")}};
    struct recheck_checklist c;
    struct recheck_input in = input(a, 2, "2027-12-01");

    in.no_accident = false;
    recheck_rules_checklist(&HUANCUI, &in, &c);
    CHECK(!c.passed[RECHECK_NO_ACCIDENT] && c.passed[RECHECK_APPRENTICES] && !c.suggest_pass);
    CHECK_EQ_STR(recheck_item_article(RECHECK_NO_ACCIDENT), "第八条（二）");
    CHECK_EQ_STR(recheck_item_code(RECHECK_APPRENTICES), "apprentices");
}

static void test_due(void)
{
    CHECK_EQ_INT(recheck_rules_due_from(day("2027-01-01"), 12), day("2027-12-01"));
    CHECK_EQ_INT(recheck_rules_due_until(day("2027-01-01"), 12), day("2027-12-31"));
    CHECK_EQ_INT(recheck_rules_due_from(day("2027-03-01"), 12), day("2028-02-01"));
    CHECK_EQ_INT(recheck_rules_due_until(day("2027-03-01"), 12), day("2028-02-29"));
}

static void test_status(void)
{
    int32_t from = day("2027-12-01"), until = day("2027-12-31");
    static const struct {
        const char *result;
        bool revoked;
        const char *today, *want;
    } rows[] = {
        {NULL, false, "2027-11-30", "not_due"},    {NULL, false, "2027-12-01", "due"},
        {NULL, false, "2027-12-31", "due"},        {NULL, false, "2028-01-01", "overdue"},
        {NULL, true, "2027-11-30", "revoked"},     {NULL, true, "2028-01-01", "revoked"},
        {"passed", false, "2028-03-01", "passed"}, {"failed", false, "2027-12-15", "failed"},
        {"passed", true, "2028-03-01", "passed"}, /* revoked after a passed re-check */
    };
    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        CHECK_EQ_STR(
            recheck_rules_status(rows[i].result, rows[i].revoked, day(rows[i].today), from, until),
            rows[i].want);
    }
}

int main(void)
{
    static const struct test_case cases[] = {
        {"0, 1, 2 and 3 apprentices certified in the year", test_apprentices_per_year},
        {"the level boundary at 高级工", test_level_boundary},
        {"each year of the period", test_each_year_of_the_period},
        {"the unit's statements and the articles", test_statements},
        {"when the re-check is due", test_due},
        {"where a re-check stands", test_status},
    };

    return test_run(cases, TEST_COUNT(cases));
}
