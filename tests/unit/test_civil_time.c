/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/civil_time.c (dates, RFC 3339, ISO 8601
 * durations, Asia/Shanghai days) and common/clock.c (the test clock).
 * Fixed dates here are inputs of pure functions; the clock cases set the
 * test clock themselves.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "civil_time.h"
#include "clock.h"
#include "test.h"

/* ---- dates ---- */

static void test_date_make(void)
{
    CHECK_EQ_INT(date_make(1970, 1, 1), 0);
    CHECK_EQ_INT(date_make(1969, 12, 31), -1);
    CHECK_EQ_INT(date_make(2000, 3, 1), 11017);
    CHECK_EQ_INT(date_make(1800, 1, 1), -62091);
    CHECK_EQ_INT(date_make(2999, 12, 31), 376199);
    CHECK_EQ_INT(date_make(2026, 9, 29), 20725);
}

static void test_date_weekday(void)
{
    CHECK_EQ_INT(date_weekday(0), 4);                      /* 1970-01-01 Thursday */
    CHECK_EQ_INT(date_weekday(-1), 3);                     /* 1969-12-31 Wednesday */
    CHECK_EQ_INT(date_weekday(date_make(1800, 1, 1)), 3);  /* Wednesday */
    CHECK_EQ_INT(date_weekday(date_make(2026, 9, 29)), 2); /* Tuesday */
    CHECK_EQ_INT(date_weekday(date_make(2026, 10, 10)), 6);
    CHECK_EQ_INT(date_weekday(date_make(2024, 9, 29)), 7);
    CHECK_EQ_INT(date_weekday(date_make(2026, 11, 23)), 1);
}

struct parse_vector {
    const char *in;
    bool ok;
};

static const struct parse_vector parse_vectors[] = {
    {"2026-01-05", true},        {"2024-02-29", true},   {"2000-02-29", true},
    {"1800-01-01", true},        {"2999-12-31", true},   {"2026-12-31", true},
    {"2026-02-29", false},       {"1900-02-29", false},  {"2026-1-05", false},
    {"2026-01-5", false},        {"2026-01-05x", false}, {" 2026-01-05", false},
    {"2026/01/05", false},       {"20260105", false},    {"2026-13-01", false},
    {"2026-00-10", false},       {"2026-04-31", false},  {"2026-01-00", false},
    {"1799-12-31", false},       {"3000-01-01", false},  {"+026-01-05", false},
    {"2026-0a-05", false},       {"2026-01-0 ", false},  {"", false},
    {"2026-01-05T00:00", false},
};

static void test_date_parse(void)
{
    size_t i;

    for (i = 0; i < TEST_COUNT(parse_vectors); i++) {
        int32_t day = 12345;
        bool ok = date_parse(parse_vectors[i].in, &day);
        char back[11];

        CHECKF(ok == parse_vectors[i].ok, "\"%s\": want %s", parse_vectors[i].in,
               parse_vectors[i].ok ? "accepted" : "rejected");
        if (!ok) {
            CHECKF(day == 12345, "\"%s\": ret written on failure", parse_vectors[i].in);
            continue;
        }
        date_format(day, back);
        CHECK_EQ_STR(back, parse_vectors[i].in);
    }
    CHECK(!date_parse(NULL, NULL));
}

/* Every day of the accepted range survives split/make/format/parse. */
static void test_date_round_trip(void)
{
    int32_t day, parsed, first = date_make(1800, 1, 1), last = date_make(2999, 12, 31);
    int y, m, d, bad = 0, prev_wd = date_weekday(first - 1);
    char s[11];

    for (day = first; day <= last && bad < 5; day++) {
        date_split(day, &y, &m, &d);
        date_format(day, s);
        if (date_make(y, m, d) != day || !date_parse(s, &parsed) || parsed != day ||
            date_weekday(day) != prev_wd % 7 + 1) {
            test_fail(__FILE__, __LINE__, "day %ld (%s) does not round-trip", (long)day, s);
            bad++;
        }
        prev_wd = date_weekday(day);
    }
    date_split(last, &y, &m, &d);
    CHECK(y == 2999 && m == 12 && d == 31);
}

/* ---- RFC 3339 ---- */

struct time_case {
    const char *text;
    long long ms; /* -1: invalid */
};

static const struct time_case time_cases[] = {
    {"2026-11-21T09:30:00+08:00", 1795224600000LL},
    {"2026-11-21T01:30:00Z", 1795224600000LL},
    {"2026-11-21T01:30:00.123Z", 1795224600123LL},
    {"2026-11-21T01:30:00.1239Z", 1795224600123LL},
    {"2026-11-21T01:30:00.5-01:00", 1795228200500LL},
    {"2024-02-29T00:00:00+08:00", 1709136000000LL},
    {"1970-01-01T00:00:00Z", 0},
    {"2025-02-29T00:00:00Z", -1},
    {"2026-13-01T00:00:00Z", -1},
    {"2026-11-31T00:00:00Z", -1},
    {"2026-11-21T24:00:00Z", -1},
    {"2026-11-21 01:30:00Z", -1},
    {"2026-11-21T01:30:00", -1},
    {"2026-11-21T01:30:00.Z", -1},
    {"2026-11-21T01:30:00+0800", -1},
    {"2026-11-21T01:30:00Zjunk", -1},
    {"2026-11-21", -1},
    {"", -1},
};

static void test_times(void)
{
    char out[RFC3339_TEXT_MAX];
    long long ms;

    for (size_t i = 0; i < TEST_COUNT(time_cases); i++) {
        const struct time_case *c = &time_cases[i];
        bool ok = rfc3339_parse(c->text, &ms);
        CHECKF(ok == (c->ms >= 0) && (!ok || ms == c->ms), "\"%s\": ok %d ms %lld", c->text, ok,
               ok ? ms : 0);
    }
    CHECK(!rfc3339_parse(NULL, &ms));
    rfc3339_format(1795224600000LL, false, out);
    CHECK_EQ_STR(out, "2026-11-21T09:30:00+08:00");
    rfc3339_format(1795224600123LL, true, out);
    CHECK_EQ_STR(out, "2026-11-21T09:30:00.123+08:00");
    /* 16:00 UTC is the next day's 00:00 in Shanghai */
    rfc3339_format(1795276800000LL, false, out);
    CHECK_EQ_STR(out, "2026-11-22T00:00:00+08:00");
    rfc3339_format(1795276799999LL, true, out);
    CHECK_EQ_STR(out, "2026-11-21T23:59:59.999+08:00");
}

/* ---- Asia/Shanghai days and months ---- */

static void test_shanghai_days(void)
{
    /* 2026-12-31T15:59:59.999Z is 23:59:59.999 in Shanghai, still the 31st. */
    CHECK_EQ_INT(date_of_ms(1798732799999LL), date_make(2026, 12, 31));
    CHECK_EQ_INT(date_of_ms(1798732800000LL), date_make(2027, 1, 1));
    CHECK_EQ_INT(date_start_ms(date_make(2027, 1, 1)), 1798732800000LL);
    CHECK_EQ_INT(date_of_ms(0), 0);            /* 1970-01-01T08:00+08:00 */
    CHECK_EQ_INT(date_of_ms(-28800001LL), -1); /* 1969-12-31T23:59:59.999+08:00 */
    CHECK_EQ_INT(date_of_ms(-28800000LL), 0);
}

struct month_case {
    const char *from;
    int months;
    const char *to;
};

static const struct month_case month_cases[] = {
    {"2026-01-31", 1, "2026-02-28"},  {"2028-01-31", 1, "2028-02-29"},
    {"2028-02-29", 12, "2029-02-28"}, {"2028-02-29", 48, "2032-02-29"},
    {"2026-12-15", 1, "2027-01-15"},  {"2027-01-15", -1, "2026-12-15"},
    {"2026-03-31", -1, "2026-02-28"}, {"2026-05-31", 24, "2028-05-31"},
    {"2026-05-01", 0, "2026-05-01"},  {"2026-01-01", -13, "2024-12-01"},
};

static void test_add_months(void)
{
    char out[11];

    for (size_t i = 0; i < TEST_COUNT(month_cases); i++) {
        int32_t d = 0;
        date_parse(month_cases[i].from, &d);
        date_format(date_add_months(d, month_cases[i].months), out);
        CHECKF(strcmp(out, month_cases[i].to) == 0, "%s %+d months: %s, want %s",
               month_cases[i].from, month_cases[i].months, out, month_cases[i].to);
    }
}

/* ---- ISO 8601 durations ---- */

struct duration_case {
    const char *text;
    bool ok;
    int months;
    long long millis;
};

static const struct duration_case duration_cases[] = {
    {"P1D", true, 0, DAY_MS},
    {"PT2H", true, 0, 2 * 3600000LL},
    {"PT1M", true, 0, 60000},
    {"P1M", true, 1, 0},
    {"P1Y2M3DT4H5M6.5S", true, 14, 3 * DAY_MS + 4 * 3600000LL + 5 * 60000 + 6500},
    {"P2W", true, 0, 14 * DAY_MS},
    {"-P1D", true, 0, -DAY_MS},
    {"-P1Y", true, -12, 0},
    {"PT0.001S", true, 0, 1},
    {"PT1,5S", true, 0, 1500},
    {"P0D", true, 0, 0},
    {"P", false, 0, 0},
    {"PT", false, 0, 0},
    {"P1DT", false, 0, 0},
    {"1D", false, 0, 0},
    {"P1H", false, 0, 0},
    {"PT1D", false, 0, 0},
    {"P1D1M", false, 0, 0},
    {"P1M1M", false, 0, 0},
    {"P1.5D", false, 0, 0},
    {"PT1.S", false, 0, 0},
    {"P-1D", false, 0, 0},
    {"P1D ", false, 0, 0},
    {"p1d", false, 0, 0},
    {"P101Y", false, 0, 0},
    {"P36501D", false, 0, 0},
    {"P99999999999D", false, 0, 0},
    {"", false, 0, 0},
};

static void test_durations(void)
{
    for (size_t i = 0; i < TEST_COUNT(duration_cases); i++) {
        const struct duration_case *c = &duration_cases[i];
        struct duration d = {.months = 77, .millis = 77};
        bool ok = duration_parse(c->text, &d);
        CHECKF(ok == c->ok, "\"%s\": %s", c->text, ok ? "accepted" : "refused");
        if (ok && c->ok) {
            CHECKF(d.months == c->months && d.millis == c->millis, "\"%s\": %d months %lld ms",
                   c->text, d.months, d.millis);
        }
        if (!ok) {
            CHECKF(d.months == 77 && d.millis == 77, "\"%s\": written on failure", c->text);
        }
    }
    CHECK(!duration_parse(NULL, &(struct duration){0}));
}

static void test_duration_apply(void)
{
    struct duration d;
    long long ms = 0;
    char out[RFC3339_TEXT_MAX];

    /* Months keep the Shanghai wall-clock time and clamp the day. */
    rfc3339_parse("2028-01-31T23:30:00+08:00", &ms);
    CHECK(duration_parse("P1M", &d));
    rfc3339_format(duration_apply(ms, &d), false, out);
    CHECK_EQ_STR(out, "2028-02-29T23:30:00+08:00");
    CHECK(duration_parse("P1MT1H", &d));
    rfc3339_format(duration_apply(ms, &d), false, out);
    CHECK_EQ_STR(out, "2028-03-01T00:30:00+08:00");
    CHECK(duration_parse("-P2Y", &d));
    rfc3339_format(duration_apply(ms, &d), false, out);
    CHECK_EQ_STR(out, "2026-01-31T23:30:00+08:00");
}

/* ---- the clock ---- */

static long long system_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_clock_off(void)
{
    CHECK(clock_configure(NULL));
    CHECK(!clock_is_test());
    CHECK(clock_configure(""));
    CHECK(clock_configure("0"));
    CHECK(!clock_is_test());
    CHECK_EQ_INT(clock_offset_ms(), 0);
    CHECK(llabs(clock_now_ms() - system_ms()) < 1000);
    CHECK_EQ_INT(clock_today(), date_of_ms(system_ms()));
    /* Nothing can move a clock that is not a test clock. */
    CHECK_EQ_INT(clock_set_ms(1830297600000LL), APP_ERR_NOT_FOUND);
    CHECK_EQ_INT(clock_offset_ms(), 0);
    json_t *j = clock_to_json();
    CHECK(json_is_false(json_object_get(j, "test_clock")));
    json_decref(j);
}

static void test_clock_on(void)
{
    long long start = 0, ms = 0;

    CHECK(clock_configure("1"));
    CHECK(clock_is_test());
    CHECK(llabs(clock_now_ms() - system_ms()) < 1000);

    CHECK(rfc3339_parse("2028-02-29T10:00:00+08:00", &start));
    CHECK(clock_configure("2028-02-29T10:00:00+08:00"));
    CHECK(clock_is_test());
    CHECK(llabs(clock_now_ms() - start) < 1000);
    CHECK_EQ_INT(clock_today(), date_make(2028, 2, 29));

    /* Time runs on from where the clock was set. */
    CHECK(rfc3339_parse("2030-12-31T23:59:59+08:00", &ms));
    CHECK_EQ_INT(clock_set_ms(ms), APP_OK);
    CHECK_EQ_INT(clock_today(), date_make(2030, 12, 31));
    CHECK(clock_now_ms() >= ms && clock_now_ms() - ms < 1000);
    CHECK(llabs(clock_offset_ms() - (ms - system_ms())) < 1000);
    json_t *j = clock_to_json();
    CHECK(json_is_true(json_object_get(j, "test_clock")));
    CHECK_EQ_STR(json_string_value(json_object_get(j, "today")), "2030-12-31");
    json_decref(j);

    /* Out of range: refused, unchanged. */
    CHECK_EQ_INT(clock_set_ms(CLOCK_MAX_MS), APP_ERR_VALIDATION);
    CHECK_EQ_INT(clock_set_ms(CLOCK_MIN_MS - 1), APP_ERR_VALIDATION);
    CHECK_EQ_INT(clock_today(), date_make(2030, 12, 31));

    /* Bad settings are refused and leave the clock off. */
    CHECK(!clock_configure("yes"));
    CHECK(!clock_is_test());
    CHECK(!clock_configure("2028-02-29"));
    CHECK(!clock_configure("2019-12-31T23:59:59+08:00"));
    CHECK(!clock_configure("2100-01-01T00:00:00+08:00"));
    CHECK(clock_configure(NULL));
}

int main(void)
{
    static const struct test_case cases[] = {
        {"date_make", test_date_make},
        {"date_weekday", test_date_weekday},
        {"date_parse is strict", test_date_parse},
        {"dates round-trip 1800..2999", test_date_round_trip},
        {"RFC 3339 in, Asia/Shanghai out", test_times},
        {"Asia/Shanghai days", test_shanghai_days},
        {"calendar months, clamped", test_add_months},
        {"ISO 8601 durations", test_durations},
        {"durations applied to instants", test_duration_apply},
        {"the clock without the test clock", test_clock_off},
        {"the test clock", test_clock_on},
    };

    return test_run(cases, TEST_COUNT(cases));
}
