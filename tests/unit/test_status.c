/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/status.c: when the calendar and the policy
 * versions warn. "today" is an input here, so each case names its own.
 */
#include <string.h>

#include "status.h"
#include "test.h"
#include "workdays.h"

static int32_t day(const char *s)
{
    int32_t d = 0;

    if (!date_parse(s, &d)) {
        test_fail(__FILE__, __LINE__, "bad date literal %s", s);
    }
    return d;
}

/* The codes of the warnings, comma-separated, in order. */
static void codes(const json_t *warnings, char *out, size_t len)
{
    size_t i, o = 0;
    json_t *w;

    out[0] = '\0';
    json_array_foreach(warnings, i, w)
    {
        o += (size_t)snprintf(out + o, len - o, "%s%s", i ? "," : "",
                              json_string_value(json_object_get(w, "code")));
    }
}

static json_t *lanshan(const char *extra_from, const char *extra_to)
{
    json_t *v = json_pack("[{s:s, s:i, s:s, s:s, s:s, s:s}]", "programme", "lanshan-craftsman",
                          "number", 1, "document_no", "岚政办字〔2022〕8号", "in_force_from",
                          "2022-03-25", "in_force_to", "2027-03-25", "article", "第十三条");
    if (extra_from != NULL) {
        json_array_append_new(v, json_pack("{s:s, s:i, s:s, s:s, s:s}", "programme",
                                           "lanshan-craftsman", "number", 2, "document_no",
                                           "测试文号〔2099〕1号（虚构）", "in_force_from",
                                           extra_from, "in_force_to", extra_to));
    }
    return v;
}

static void test_calendar_end(void)
{
    json_t *years = json_pack("[i, i, i, i]", 2024, 2026, 2025, 2028);

    CHECK_EQ_INT(status_calendar_end(day("2025-06-01"), years), day("2026-12-31"));
    CHECK_EQ_INT(status_calendar_end(day("2028-06-01"), years), day("2028-12-31"));
    CHECK_EQ_INT(status_calendar_end(day("2027-01-01"), years), -1);
    json_decref(years);
}

static void test_calendar_warnings(void)
{
    json_t *years = json_pack("[i, i]", 2025, 2026), *none = json_array(), *w;
    char c[256];

    /* 61 days before the end: quiet; 60: a warning; a missing year: critical. */
    w = status_warnings(day("2026-10-31"), years, none, NULL);
    CHECK_EQ_INT(json_array_size(w), 0);
    json_decref(w);
    w = status_warnings(day("2026-11-01"), years, none, NULL);
    codes(w, c, sizeof(c));
    CHECK_EQ_STR(c, "calendar_ending");
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(w, 0), "last_day")),
                 "2026-12-31");
    CHECK_EQ_INT(json_integer_value(json_object_get(json_array_get(w, 0), "days_left")), 60);
    CHECK_EQ_INT(json_integer_value(json_object_get(json_array_get(w, 0), "year")), 2027);
    json_decref(w);
    w = status_warnings(day("2027-01-01"), years, none, NULL);
    codes(w, c, sizeof(c));
    CHECK_EQ_STR(c, "calendar_missing");
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(w, 0), "severity")), "critical");
    json_decref(w);
    json_decref(years);
    json_decref(none);
}

static void test_policy_warnings(void)
{
    json_t *years = json_pack("[i, i, i, i]", 2026, 2027, 2028, 2029), *v, *w;
    char c[256];

    v = lanshan(NULL, NULL);
    /* 91 days before 2027-03-25: quiet; 90: expiring; after: expired. */
    w = status_warnings(day("2026-12-24"), years, v, NULL);
    CHECK_EQ_INT(json_array_size(w), 0);
    json_decref(w);
    w = status_warnings(day("2026-12-25"), years, v, NULL);
    codes(w, c, sizeof(c));
    CHECK_EQ_STR(c, "policy_expiring");
    const json_t *first = json_array_get(w, 0);
    CHECK_EQ_INT(json_integer_value(json_object_get(first, "days_left")), 90);
    CHECK_EQ_STR(json_string_value(json_object_get(first, "article")), "第十三条");
    const char *msg = json_string_value(json_object_get(first, "message"));
    CHECK(msg != NULL && strstr(msg, "岚政办字〔2022〕8号") != NULL);
    json_decref(w);
    w = status_warnings(day("2027-03-25"), years, v, NULL);
    codes(w, c, sizeof(c));
    CHECK_EQ_STR(c, "policy_expiring");
    json_decref(w);
    w = status_warnings(day("2027-03-26"), years, v, "2027-03-26T10:00:00+08:00");
    codes(w, c, sizeof(c));
    CHECK_EQ_STR(c, "policy_expired,test_clock_on");
    json_decref(w);
    json_decref(v);

    /* A successor from the day after: no warning before or after. */
    v = lanshan("2027-03-26", "2032-03-25");
    w = status_warnings(day("2027-03-01"), years, v, NULL);
    CHECK_EQ_INT(json_array_size(w), 0);
    json_decref(w);
    w = status_warnings(day("2027-04-01"), years, v, NULL);
    CHECK_EQ_INT(json_array_size(w), 0);
    json_decref(w);
    json_decref(v);

    /* A successor that starts later: a gap, but not "no successor". */
    v = lanshan("2027-06-01", "2032-05-31");
    w = status_warnings(day("2027-04-01"), years, v, NULL);
    CHECK_EQ_INT(json_array_size(w), 0);
    json_decref(w);
    w = status_warnings(day("2027-03-01"), years, v, NULL);
    codes(w, c, sizeof(c));
    CHECK_EQ_STR(c, "policy_expiring");
    json_decref(w);
    json_decref(v);
    json_decref(years);
}

static void test_order(void)
{
    json_t *years = json_pack("[i]", 2027), *v = lanshan(NULL, NULL), *w;
    char c[256];

    /* Critical before warning: the calendar ends soon, the policy expired. */
    w = status_warnings(day("2027-11-15"), years, v, "2027-11-15T09:00:00+08:00");
    codes(w, c, sizeof(c));
    CHECK_EQ_STR(c, "policy_expired,calendar_ending,test_clock_on");
    json_decref(w);
    json_decref(v);
    json_decref(years);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"the calendar's end", test_calendar_end},
        {"calendar warnings", test_calendar_warnings},
        {"policy version warnings", test_policy_warnings},
        {"critical first", test_order},
    };

    return test_run(cases, TEST_COUNT(cases));
}
