/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/allowance_rules.c (issue 15): the payable-month
 * rule table by table — the month index across a year boundary and a leap
 * February, the first and last months of the period, a stop on the
 * month's first day, the months the re-check decides (passed, failed,
 * undecided), a policy without an allowance — and how a decided re-check
 * settles its holds. Where a period starts (the month after recognition:
 * on the 1st, mid-month, the last day) is SQL's management_period(),
 * tested in tests/integration/test_db_functions.py.
 */
#include "allowance_rules.h"
#include "civil_time.h"
#include "test.h"
#include "test_dates.h"

static const struct policy HUANCUI = {
    .monthly_allowance = true,
    .allowance_monthly_fen = 50000,
    .management_period_months = 24,
    .year2_recheck = true,
    .recheck_due_month = 12,
    .recheck_decides_from_month = 13,
};

static void test_month_index(void)
{
    static const struct {
        const char *start, *month;
        int want;
    } rows[] = {
        {"2027-01-01", "2027-01-01", 1},  {"2027-01-01", "2027-12-01", 12},
        {"2027-01-01", "2028-01-01", 13}, {"2027-01-01", "2028-12-01", 24},
        {"2027-01-01", "2029-01-01", 25}, {"2027-01-01", "2026-12-01", 0},
        {"2027-11-01", "2028-02-01", 4}, /* across the year boundary into a leap February */
        {"2028-02-01", "2028-03-01", 2},  {"2027-12-01", "2029-11-01", 24},
    };
    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        CHECK_EQ_INT(allowance_month_index(day(rows[i].start), day(rows[i].month)), rows[i].want);
    }
}

static void test_payable_months(void)
{
    static const struct {
        const char *month;
        bool revoked, suspended;
        enum allowance_recheck recheck;
        enum allowance_month want;
    } rows[] = {
        /* period 2027-12 .. 2029-11: the month before and after are outside */
        {"2027-11-01", false, false, ALLOWANCE_RECHECK_PASSED, ALLOWANCE_OUTSIDE},
        {"2027-12-01", false, false, ALLOWANCE_RECHECK_UNDECIDED, ALLOWANCE_PAYABLE}, /* first */
        {"2028-02-01", false, false, ALLOWANCE_RECHECK_UNDECIDED, ALLOWANCE_PAYABLE}, /* leap */
        {"2028-11-01", false, false, ALLOWANCE_RECHECK_FAILED, ALLOWANCE_PAYABLE},    /* month 12 */
        {"2028-12-01", false, false, ALLOWANCE_RECHECK_UNDECIDED, ALLOWANCE_HELD},    /* month 13 */
        {"2028-12-01", false, false, ALLOWANCE_RECHECK_PASSED, ALLOWANCE_PAYABLE},
        {"2028-12-01", false, false, ALLOWANCE_RECHECK_FAILED, ALLOWANCE_CANCELLED},
        {"2029-11-01", false, false, ALLOWANCE_RECHECK_PASSED, ALLOWANCE_PAYABLE}, /* last */
        {"2029-11-01", false, false, ALLOWANCE_RECHECK_UNDECIDED, ALLOWANCE_HELD},
        {"2029-12-01", false, false, ALLOWANCE_RECHECK_PASSED, ALLOWANCE_OUTSIDE},
        /* a stop on the first day wins over the re-check */
        {"2028-03-01", true, false, ALLOWANCE_RECHECK_UNDECIDED, ALLOWANCE_STOPPED},
        {"2028-03-01", false, true, ALLOWANCE_RECHECK_UNDECIDED, ALLOWANCE_STOPPED},
        {"2029-01-01", false, true, ALLOWANCE_RECHECK_UNDECIDED, ALLOWANCE_STOPPED},
        {"2029-01-01", true, true, ALLOWANCE_RECHECK_PASSED, ALLOWANCE_STOPPED},
        {"2027-11-01", true, false, ALLOWANCE_RECHECK_PASSED, ALLOWANCE_OUTSIDE},
    };
    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        const struct allowance_month_facts f = {.month = day(rows[i].month),
                                                .period_start = day("2027-12-01"),
                                                .revoked = rows[i].revoked,
                                                .suspended = rows[i].suspended,
                                                .recheck = rows[i].recheck};
        CHECK_EQ_INT(allowance_rules_month(&HUANCUI, &f), rows[i].want);
    }
}

static void test_policies(void)
{
    const struct allowance_month_facts f = {.month = day("2028-12-01"),
                                            .period_start = day("2027-12-01"),
                                            .recheck = ALLOWANCE_RECHECK_UNDECIDED};
    struct policy no_recheck = HUANCUI, later = HUANCUI, one_time = HUANCUI, short_period = HUANCUI;

    no_recheck.year2_recheck = false; /* an annual assessment gates no month */
    CHECK_EQ_INT(allowance_rules_month(&no_recheck, &f), ALLOWANCE_PAYABLE);
    later.recheck_decides_from_month = 14; /* another district decides from month 14 */
    CHECK_EQ_INT(allowance_rules_month(&later, &f), ALLOWANCE_PAYABLE);
    one_time.monthly_allowance = false; /* 岚山工匠: a one-time reward */
    CHECK_EQ_INT(allowance_rules_month(&one_time, &f), ALLOWANCE_OUTSIDE);
    short_period.management_period_months = 12;
    CHECK_EQ_INT(allowance_rules_month(&short_period, &f), ALLOWANCE_OUTSIDE);
}

static void test_entry_kinds(void)
{
    CHECK_EQ_STR(allowance_month_entry_kind(ALLOWANCE_PAYABLE), "accrual");
    CHECK_EQ_STR(allowance_month_entry_kind(ALLOWANCE_HELD), "hold");
    CHECK(allowance_month_entry_kind(ALLOWANCE_OUTSIDE) == NULL);
    CHECK(allowance_month_entry_kind(ALLOWANCE_STOPPED) == NULL);
    CHECK(allowance_month_entry_kind(ALLOWANCE_CANCELLED) == NULL);
    CHECK_EQ_STR(allowance_hold_settlement(true), "release");
    CHECK_EQ_STR(allowance_hold_settlement(false), "cancellation");
}

static void test_months_named(void)
{
    int32_t m = 0;
    static const char *const bad[] = {"2027-13", "2027-00", "2027-1",     "27-01", "2027/01",
                                      "1999-12", "2100-01", "2027-01-01", "",      "２０２７-01"};

    CHECK(allowance_month_parse("2027-01", &m));
    CHECK_EQ_INT(m, day("2027-01-01"));
    CHECK(allowance_month_parse("2028-02", &m));
    CHECK_EQ_INT(m, day("2028-02-01"));
    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        CHECK(!allowance_month_parse(bad[i], &m));
    }
    CHECK(!allowance_month_parse(NULL, &m));
    CHECK(allowance_month_runnable(day("2027-06-01"), day("2027-06-01")));
    CHECK(allowance_month_runnable(day("2027-06-01"), day("2027-06-30")));
    CHECK(allowance_month_runnable(day("2026-12-01"), day("2027-01-01")));
    CHECK(!allowance_month_runnable(day("2027-07-01"), day("2027-06-30")));
    CHECK(!allowance_month_runnable(day("2028-01-01"), day("2027-12-31")));
}

static void test_stops(void)
{
    static const struct {
        const char *effective_on;
        bool every_month;
        const char *want;
    } rows[] = {
        {"2028-03-01", false, "2028-03-01"}, /* on the 1st: that month */
        {"2028-03-10", false, "2028-04-01"}, /* mid-month: the next */
        {"2028-02-29", false, "2028-03-01"}, /* a leap day */
        {"2028-12-31", false, "2029-01-01"}, /* across the year */
        {"2028-03-10", true, "1970-01-01"},  /* fraud: every month */
    };
    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        CHECK_EQ_INT(allowance_rules_stop_from(day(rows[i].effective_on), rows[i].every_month),
                     day(rows[i].want));
    }
    CHECK(allowance_rules_claws_back_all("fraud"));
    CHECK(!allowance_rules_claws_back_all("refusing_duties"));
    CHECK(!allowance_rules_claws_back_all(NULL));
}

/* A revocation stops months from its effective date, not from the day it
 * was approved (a month run after the approval gets nothing either). */
static void test_revoked_months(void)
{
    static const struct {
        const char *month, *effective_on, *reason;
        bool want;
    } rows[] = {
        {"2028-01-01", "2027-12-17", "refusing_duties", true},  /* the month after */
        {"2027-12-01", "2027-12-17", "refusing_duties", false}, /* its own month is kept */
        {"2027-12-01", "2027-12-01", "refusing_duties", true},  /* from the 1st: that month */
        {"2027-11-01", "2027-12-17", "refusing_duties", false},
        {"2027-01-01", "2027-12-17", "fraud", true}, /* fraud: every month */
        {"2029-12-01", "2027-12-17", "fraud", true},
    };
    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        CHECK(allowance_rules_revoked(day(rows[i].month), day(rows[i].effective_on),
                                      rows[i].reason) == rows[i].want);
    }
    /* a revoked title's re-check never comes: its undecided months cancel */
    CHECK_EQ_INT(allowance_rules_recheck(NULL, false), ALLOWANCE_RECHECK_UNDECIDED);
    CHECK_EQ_INT(allowance_rules_recheck(NULL, true), ALLOWANCE_RECHECK_FAILED);
    CHECK_EQ_INT(allowance_rules_recheck("passed", true), ALLOWANCE_RECHECK_PASSED);
    CHECK_EQ_INT(allowance_rules_recheck("passed", false), ALLOWANCE_RECHECK_PASSED);
    CHECK_EQ_INT(allowance_rules_recheck("failed", false), ALLOWANCE_RECHECK_FAILED);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"the month's index in the period", test_month_index},
        {"the payable-month rule", test_payable_months},
        {"other policies' figures", test_policies},
        {"what a run writes, how a re-check settles", test_entry_kinds},
        {"months as the API names them, and which may run", test_months_named},
        {"what a stop takes back", test_stops},
        {"which months a revocation stops, and its re-check", test_revoked_months},
    };

    return test_run(cases, TEST_COUNT(cases));
}
