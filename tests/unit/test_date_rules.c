/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/date_rules.c: a reported date is exactly
 * YYYY-MM-DD and not after today; the day is given back for a future date
 * too, and left alone for text that is no date.
 */
#include "civil_time.h"
#include "date_rules.h"
#include "test.h"

static void test_past(void)
{
    static const struct {
        const char *text;
        enum date_past want;
        const char *day; /* the day written back, NULL: untouched */
    } cases[] = {
        {"2027-03-10", DATE_PAST_OK, "2027-03-10"},
        {"2027-03-09", DATE_PAST_OK, "2027-03-09"},
        {"1999-12-31", DATE_PAST_OK, "1999-12-31"},
        {"2027-03-11", DATE_PAST_IN_FUTURE, "2027-03-11"},
        {"2030-01-01", DATE_PAST_IN_FUTURE, "2030-01-01"},
        {"2027-3-10", DATE_PAST_NOT_DATE, NULL},
        {"2027-02-30", DATE_PAST_NOT_DATE, NULL},
        {"2027-03-10T00:00:00", DATE_PAST_NOT_DATE, NULL},
        {"", DATE_PAST_NOT_DATE, NULL},
        {NULL, DATE_PAST_NOT_DATE, NULL},
    };
    int32_t today = 0;

    CHECK(date_parse("2027-03-10", &today));
    for (size_t i = 0; i < TEST_COUNT(cases); i++) {
        int32_t day = -1, want_day = -1;
        enum date_past got = date_rules_past(cases[i].text, today, &day);

        CHECKF(got == cases[i].want, "%s: %d", cases[i].text ? cases[i].text : "(null)", (int)got);
        if (cases[i].day != NULL) {
            CHECK(date_parse(cases[i].day, &want_day));
        }
        CHECKF(day == want_day, "%s: day %d, want %d", cases[i].text ? cases[i].text : "(null)",
               (int)day, (int)want_day);
    }
}

int main(void)
{
    static const struct test_case cases[] = {
        {"past dates", test_past},
    };

    return test_run(cases, TEST_COUNT(cases));
}
