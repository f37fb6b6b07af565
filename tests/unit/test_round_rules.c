/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/round_rules.c: the checks of a new round's body
 * (every fault at once, members already reported skipped), which policy
 * version a round may pin, one round a year and the cycle rule, the phase
 * moves and their guard, the application window and the working-day
 * figures on a small hand-made calendar.
 */
#include <string.h>

#include "round_rules.h"
#include "test.h"
#include "test_dates.h"

/* The pointers of p's errors, as "/a /b". */
static const char *pointers(const struct problem *p)
{
    static char out[512];

    out[0] = '\0';
    for (size_t i = 0; i < p->n_errors; i++) {
        size_t used = strlen(out);
        snprintf(out + used, sizeof(out) - used, "%s%s", i ? " " : "", p->errors[i].pointer);
    }
    return out;
}

static const char *codes(const struct problem *p)
{
    static char out[512];

    out[0] = '\0';
    for (size_t i = 0; i < p->n_errors; i++) {
        size_t used = strlen(out);
        snprintf(out + used, sizeof(out) - used, "%s%s", i ? " " : "", p->errors[i].code);
    }
    return out;
}

/* ---- the body ---- */

static const struct {
    struct round_draft d;
    const char *pointers;
    const char *codes;
} drafts[] = {
    {{2026, "2026-12-31", "2026-01-05", "2026-12-31"}, "", ""},
    {{2026, "2026-02-30", "2026-01-05", "2026-12-31"}, "/reference_date", "not_date"},
    {{2026, "2026-12-31", "2026/01/05", "2026-12-31"}, "/window_opens", "not_date"},
    {{2026, "2026-12-31", "2026-1-5", "2026-12-31"}, "/window_opens", "not_date"},
    {{2026, "2026-12-31", "2026-01-05", "20261231"}, "/window_closes", "not_date"},
    {{2026, "2026-12-31", "2026-06-01", "2026-05-31"}, "/window_closes", "closes_before_opens"},
    {{2026, "2026-12-31", "2026-06-01", "2026-06-01"}, "", ""}, /* one day */
    {{2027, "2027-12-31", "2026-12-01", "2027-01-31"}, "/year", "year_mismatch"},
    {{1999, "1999-12-31", "1999-03-01", "1999-04-01"}, "/year", "out_of_range"},
    {{3000, "2026-12-31", "2026-01-05", "2026-12-31"}, "/year", "out_of_range"},
    /* Every fault at once. */
    {{1999, "2026-02-30", "2026-06-01", "2026-05-31"},
     "/reference_date /year /window_closes",
     "not_date out_of_range closes_before_opens"},
    {{0, NULL, NULL, NULL},
     "/reference_date /window_opens /window_closes /year",
     "not_date not_date not_date out_of_range"},
};

static void test_draft_table(void)
{
    for (size_t i = 0; i < sizeof(drafts) / sizeof(drafts[0]); i++) {
        struct problem p = {0};
        struct round_window w;
        enum app_err err = round_check_draft(&drafts[i].d, &w, &p);

        CHECKF(err == (drafts[i].pointers[0] ? APP_ERR_VALIDATION : APP_OK), "row %zu: err %d", i,
               (int)err);
        CHECKF(strcmp(pointers(&p), drafts[i].pointers) == 0, "row %zu: pointers \"%s\"", i,
               pointers(&p));
        CHECKF(strcmp(codes(&p), drafts[i].codes) == 0, "row %zu: codes \"%s\"", i, codes(&p));
        for (size_t k = 0; k < p.n_errors; k++) {
            CHECKF(p.errors[k].detail[PROBLEM_LANG_ZH][0] && p.errors[k].detail[PROBLEM_LANG_EN][0],
                   "row %zu: item %zu lacks a language", i, k);
        }
        problem_clear(&p);
    }
}

static void test_draft_window(void)
{
    struct round_draft d = {2026, "2026-12-31", "2026-01-05", "2026-12-31"};
    struct problem p = {0};
    struct round_window w;

    CHECK_EQ_INT(round_check_draft(&d, &w, &p), APP_OK);
    CHECK(w.year_ok && w.reference_date_ok && w.opens_ok && w.closes_ok);
    CHECK_EQ_INT(w.opens, day("2026-01-05"));
    CHECK_EQ_INT(w.closes, day("2026-12-31"));
    CHECK_EQ_INT(w.reference_date, day("2026-12-31"));

    /* A reversed window: closes is not usable, opens is. */
    d.window_closes = "2026-01-04";
    CHECK_EQ_INT(round_check_draft(&d, &w, &p), APP_ERR_VALIDATION);
    CHECK(w.opens_ok && !w.closes_ok && w.year_ok);
    problem_clear(&p);
}

/* Members json_fields_check reported are not reported twice. */
static void test_draft_skips_reported(void)
{
    struct round_draft d = {0, "2026-12-31", NULL, "2026-12-31"};
    struct problem p = {0};
    struct round_window w;

    problem_field(&p, APP_ERR_VALIDATION, "/year", "wrong_type", "类型", "type");
    problem_field(&p, APP_ERR_VALIDATION, "/window_opens", "required", "必填", "required");
    CHECK_EQ_INT(round_check_draft(&d, &w, &p), APP_ERR_VALIDATION);
    CHECK_EQ_STR(pointers(&p), "/year /window_opens");
    CHECK(!w.year_ok && !w.opens_ok && w.closes_ok && w.reference_date_ok);
    CHECK(problem_has_error(&p, "/year"));
    CHECK(!problem_has_error(&p, "/window_closes"));
    problem_clear(&p);
}

/* ---- the version pinned ---- */

static void test_pin(void)
{
    int32_t today = day("2026-11-20"), end = day("2027-03-25");

    /* In force on window_opens, the window inside its period. */
    CHECK_EQ_INT(round_pin_check(end, end, today, day("2027-03-25")), ROUND_PIN_OK);
    CHECK_EQ_INT(round_pin_check(end, end, today, ROUND_NO_DAY), ROUND_PIN_OK);
    /* The window runs past its end. */
    CHECK_EQ_INT(round_pin_check(end, end, today, day("2027-03-26")), ROUND_PIN_PAST_END);
    /* Expired by today: also for a window that opened while in force. */
    CHECK_EQ_INT(round_pin_check(end, end, day("2027-04-01"), day("2027-03-20")),
                 ROUND_PIN_EXPIRED);
    CHECK_EQ_INT(round_pin_check(end, end, end, day("2027-03-20")), ROUND_PIN_OK);
    /* None in force that day: expired when the latest ended before today. */
    CHECK_EQ_INT(round_pin_check(ROUND_NO_DAY, end, day("2027-04-01"), ROUND_NO_DAY),
                 ROUND_PIN_EXPIRED);
    /* ... a gap or a day after the latest's end while it is in force: none. */
    CHECK_EQ_INT(round_pin_check(ROUND_NO_DAY, end, today, day("2028-03-31")), ROUND_PIN_NONE);
    CHECK_EQ_INT(round_pin_check(ROUND_NO_DAY, ROUND_NO_DAY, today, ROUND_NO_DAY), ROUND_PIN_NONE);
}

/* ---- one a year, the cycle ---- */

static void test_year_and_cycle(void)
{
    const int years[] = {2024, 2026, 2027};

    CHECK(round_year_taken(years, 3, 2026));
    CHECK(!round_year_taken(years, 3, 2025));
    CHECK(!round_year_taken(NULL, 0, 2025));
    CHECK_EQ_INT(round_cycle_conflict(years, 3, 2029, 2), 0);
    CHECK_EQ_INT(round_cycle_conflict(years, 3, 2028, 2), 2027);
    /* Two as near: the earlier (years are listed ascending). */
    CHECK_EQ_INT(round_cycle_conflict(years, 3, 2025, 2), 2024);
    CHECK_EQ_INT(round_cycle_conflict(years, 3, 2025, 1), 0);
    /* Itself does not count. */
    CHECK_EQ_INT(round_cycle_conflict((const int[]){2026}, 1, 2026, 2), 0);
    CHECK_EQ_INT(round_cycle_conflict(years, 3, 2030, 4), 2027);
}

static void test_cycle_rule(void)
{
    const int years[] = {2026};
    struct problem p = {0};

    CHECK_EQ_INT(round_check_cycle(years, 1, 2025, 2, "第二条", false, &p), APP_ERR_VALIDATION);
    CHECK_EQ_STR(codes(&p), "cycle_reason_required");
    CHECK_EQ_STR(pointers(&p), "/cycle_override_reason");
    CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_ZH], "2026") != NULL);
    CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_EN], "cycle_years, 第二条") != NULL);
    problem_clear(&p);

    CHECK_EQ_INT(round_check_cycle(years, 1, 2025, 2, NULL, true, &p), APP_OK);
    CHECK_EQ_INT(round_check_cycle(years, 1, 2028, 2, NULL, false, &p), APP_OK);
    CHECK_EQ_INT(round_check_cycle(years, 1, 2028, 2, NULL, true, &p), APP_ERR_VALIDATION);
    CHECK_EQ_STR(codes(&p), "cycle_reason_not_allowed");
    problem_clear(&p);
}

/* ---- phases ---- */

static void test_moves(void)
{
    CHECK_EQ_INT(round_move_check(PHASE_PREPARING, PHASE_ACCEPTING, ROLE_OFFICE, 0), ROUND_MOVE_OK);
    CHECK_EQ_INT(round_move_check(PHASE_PREPARING, PHASE_ACCEPTING, ROLE_UNIT, 0),
                 ROUND_MOVE_NOT_ALLOWED);
    CHECK_EQ_INT(round_move_check(PHASE_PREPARING, PHASE_REVIEW, ROLE_OFFICE, 0),
                 ROUND_MOVE_NOT_ALLOWED);
    CHECK_EQ_INT(round_move_check(PHASE_ACCEPTING, PHASE_PREPARING, ROLE_OFFICE, 0),
                 ROUND_MOVE_NOT_ALLOWED);
    /* Review waits for every submitted or returned nomination's answer. */
    CHECK(round_needs_open_count(PHASE_QUALIFICATION, ROLE_OFFICE));
    CHECK(!round_needs_open_count(PHASE_QUALIFICATION, ROLE_UNIT));
    CHECK(!round_needs_open_count(PHASE_PREPARING, ROLE_OFFICE));
    CHECK_EQ_INT(round_move_check(PHASE_QUALIFICATION, PHASE_REVIEW, ROLE_OFFICE, 2),
                 ROUND_MOVE_OPEN);
    CHECK_EQ_INT(round_move_check(PHASE_QUALIFICATION, PHASE_REVIEW, ROLE_OFFICE, 0),
                 ROUND_MOVE_OK);
    /* The open count matters only for a guarded move. */
    CHECK_EQ_INT(round_move_check(PHASE_PREPARING, PHASE_ACCEPTING, ROLE_OFFICE, 5), ROUND_MOVE_OK);
}

static void test_targets(void)
{
    enum round_phase to[PHASE__COUNT];

    CHECK_EQ_INT(round_targets(PHASE_PREPARING, ROLE_OFFICE, 0, to, PHASE__COUNT), 1);
    CHECK_EQ_INT(to[0], PHASE_ACCEPTING);
    CHECK_EQ_INT(round_targets(PHASE_QUALIFICATION, ROLE_OFFICE, 1, to, PHASE__COUNT), 0);
    CHECK_EQ_INT(round_targets(PHASE_QUALIFICATION, ROLE_OFFICE, 0, to, PHASE__COUNT), 1);
    CHECK_EQ_INT(to[0], PHASE_REVIEW);
    CHECK_EQ_INT(round_targets(PHASE_PREPARING, ROLE_ADMIN, 0, to, PHASE__COUNT), 0);
    CHECK_EQ_INT(round_targets(PHASE_REVIEW, ROLE_OFFICE, 0, to, PHASE__COUNT), 0);
    CHECK_EQ_INT(round_targets(PHASE_PREPARING, ROLE_OFFICE, 0, to, 0), 0);
}

static void test_open_count(void)
{
    json_t *counts = json_pack("{s:i, s:i, s:i, s:i, s:i}", "draft", 4, "submitted", 2, "returned",
                               3, "qualified", 7, "withdrawn", 1);

    CHECK_EQ_INT(round_open_count(counts), 5);
    json_decref(counts);
    CHECK_EQ_INT(round_open_count(NULL), 0);
}

/* ---- dates ---- */

static void test_window_holds(void)
{
    int32_t a = day("2026-01-05"), b = day("2026-12-31");

    CHECK(round_window_holds(a, b, a));
    CHECK(round_window_holds(a, b, b));
    CHECK(!round_window_holds(a, b, a - 1));
    CHECK(!round_window_holds(a, b, b + 1));
}

static void test_publicity_workdays(void)
{
    struct policy pol = {0};

    pol.unit_publicity_min_workdays = 0; /* not fixed */
    CHECK_EQ_INT(round_publicity_workdays(&pol), ROUND_PUBLICITY_DEFAULT_WORKDAYS);
    pol.unit_publicity_min_workdays = 5;
    CHECK_EQ_INT(round_publicity_workdays(&pol), 5);
}

/* 2026 National Day as in db/seed/holiday-cn/2026.json: 09-25 and
 * 10-01…10-07 off, 09-20 (Sun) and 10-10 (Sat) working days. */
static void national_day_2026(struct calendar *cal)
{
    static const char *const off[] = {"2026-09-25", "2026-10-01", "2026-10-02",
                                      "2026-10-05", "2026-10-06", "2026-10-07"};

    calendar_init(cal);
    CHECK_EQ_INT(calendar_add_year(cal, 2026), APP_OK);
    for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
        CHECK_EQ_INT(calendar_set_day(cal, day(off[i]), false), APP_OK);
    }
    CHECK_EQ_INT(calendar_set_day(cal, day("2026-09-20"), true), APP_OK);
    CHECK_EQ_INT(calendar_set_day(cal, day("2026-10-10"), true), APP_OK);
}

static void test_figures(void)
{
    struct calendar cal;
    struct round_figures f;

    national_day_2026(&cal);
    /* 3 working days back from Fri 10-09: 10-09, 10-08, 09-30: start 09-29. */
    round_figures(&cal, day("2026-09-01"), day("2026-10-09"), 3, &f);
    CHECK_EQ_INT(f.window_workdays, 24);
    CHECK_EQ_INT(f.publicity_workdays, 3);
    CHECK(f.has_latest_start);
    CHECK_EQ_INT(f.latest_publicity_start, day("2026-09-29"));
    CHECK_EQ_INT(f.calendar_missing_year, 0);
    /* 5: ... 09-29, 09-28 (Mon): start Sun 09-27. */
    round_figures(&cal, day("2026-09-01"), day("2026-10-09"), 5, &f);
    CHECK_EQ_INT(f.latest_publicity_start, day("2026-09-27"));

    json_t *j = round_figures_to_json(&f);
    CHECK_EQ_STR(json_string_value(json_object_get(j, "latest_publicity_start")), "2026-09-27");
    CHECK_EQ_INT(json_integer_value(json_object_get(j, "window_workdays")), 24);
    CHECK(json_is_null(json_object_get(j, "calendar_missing_year")));
    json_decref(j);
    calendar_clear(&cal);
}

static void test_figures_missing_year(void)
{
    struct calendar cal;
    struct round_figures f;

    national_day_2026(&cal);
    /* A window into 2027 (no data): both figures unknown, the year named. */
    round_figures(&cal, day("2026-12-01"), day("2027-01-15"), 3, &f);
    CHECK_EQ_INT(f.window_workdays, -1);
    CHECK(!f.has_latest_start);
    CHECK_EQ_INT(f.calendar_missing_year, 2027);
    json_t *j = round_figures_to_json(&f);
    CHECK(json_is_null(json_object_get(j, "window_workdays")));
    CHECK(json_is_null(json_object_get(j, "latest_publicity_start")));
    CHECK_EQ_INT(json_integer_value(json_object_get(j, "calendar_missing_year")), 2027);
    json_decref(j);
    /* A 2035 window: nothing known. */
    round_figures(&cal, day("2035-03-01"), day("2035-06-30"), 3, &f);
    CHECK_EQ_INT(f.calendar_missing_year, 2035);
    calendar_clear(&cal);
}

static void test_first_day(void)
{
    int32_t closes = day("2026-12-31");

    CHECK_EQ_INT(round_figures_first_day(closes - 10, closes), closes - ROUND_LOOKBACK_DAYS);
    CHECK_EQ_INT(round_figures_first_day(closes - 500, closes), closes - 500);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"draft table", test_draft_table},
        {"draft window", test_draft_window},
        {"draft skips reported members", test_draft_skips_reported},
        {"pin", test_pin},
        {"year and cycle", test_year_and_cycle},
        {"cycle rule", test_cycle_rule},
        {"moves", test_moves},
        {"targets", test_targets},
        {"open count", test_open_count},
        {"window holds", test_window_holds},
        {"publicity workdays", test_publicity_workdays},
        {"figures", test_figures},
        {"figures missing year", test_figures_missing_year},
        {"first day", test_first_day},
    };

    return test_run(cases, TEST_COUNT(cases));
}
