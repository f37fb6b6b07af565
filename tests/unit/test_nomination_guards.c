/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/nomination_guards.c: each guard as table rows
 * of input → kind and code, plus the details in both languages for one
 * refusal of each kind.
 */
#include <string.h>

#include "civil_time.h"
#include "nomination_guards.h"
#include "test.h"

/* A day number from y-m-d (civil_time.h's date_make). */
#define D(y, m, d) date_make(y, m, d)

struct move_row {
    enum nomination_state from, to;
    enum role role;
    enum round_phase phase;
    enum app_err want;
    const char *code; /* NULL when APP_OK */
};

static const struct move_row move_rows[] = {
    {NOM_DRAFT, NOM_UNIT_PUBLICITY, ROLE_UNIT, PHASE_ACCEPTING, APP_OK, NULL},
    {NOM_DRAFT, NOM_QUALIFIED, ROLE_OFFICE, PHASE_QUALIFICATION, APP_ERR_CONFLICT,
     "move_not_allowed"},
    {NOM_SUBMITTED, NOM_QUALIFIED, ROLE_UNIT, PHASE_QUALIFICATION, APP_ERR_FORBIDDEN,
     "role_may_not_move"},
    {NOM_SUBMITTED, NOM_QUALIFIED, ROLE_OFFICE, PHASE_ACCEPTING, APP_ERR_CONFLICT,
     "move_not_in_phase"},
    {NOM_SUBMITTED, NOM_RETURNED, ROLE_OFFICE, PHASE_QUALIFICATION, APP_OK, NULL},
};

static void test_move(void)
{
    for (size_t i = 0; i < TEST_COUNT(move_rows); i++) {
        const struct move_row *r = &move_rows[i];
        const struct nomination_move *m = NULL;
        struct problem p = {0};
        enum app_err err = nomination_guard_move(r->from, r->to, r->role, r->phase, &m, &p);

        CHECKF(err == r->want, "row %zu: %d, want %d", i, err, r->want);
        if (r->code != NULL) {
            CHECKF(strcmp(problem_code(&p), r->code) == 0, "row %zu: code %s", i, problem_code(&p));
            CHECKF(p.detail[PROBLEM_LANG_ZH][0] != '\0' && p.detail[PROBLEM_LANG_EN][0] != '\0',
                   "row %zu: a detail is missing", i);
        } else {
            CHECKF(m != NULL && m->from == r->from && m->to == r->to, "row %zu: no move", i);
        }
        /* Conflicts name the state for the front end. */
        if (err == APP_ERR_CONFLICT) {
            CHECKF(json_object_get(p.extra, "current_state") != NULL, "row %zu", i);
        }
        problem_clear(&p);
    }
}

static void test_members(void)
{
    const struct nomination_move *publicity = flow_nomination_move(NOM_DRAFT, NOM_UNIT_PUBLICITY);
    const struct nomination_move *reject = flow_nomination_move(NOM_SUBMITTED, NOM_REJECTED);
    struct problem p = {0};

    CHECK(publicity != NULL && reject != NULL);
    if (publicity == NULL || reject == NULL)
        return;
    /* Unused members and a missing note are all reported at once. */
    struct nomination_move_members m = {.publicity_start = true, .overrides = true};
    CHECK_EQ_INT(nomination_guard_members(reject, &m, &p), APP_ERR_VALIDATION);
    CHECK_EQ_INT(p.n_errors, 3);
    CHECK_EQ_STR(p.errors[0].pointer, "/publicity_start");
    CHECK_EQ_STR(p.errors[0].code, "member_not_used");
    CHECK_EQ_STR(p.errors[1].pointer, "/overrides");
    CHECK_EQ_STR(p.errors[2].code, "note_required");
    problem_clear(&p);
    struct nomination_move_members ok = {.publicity_start = true, .publicity_workdays = true};
    CHECK_EQ_INT(nomination_guard_members(publicity, &ok, &p), APP_OK);
    CHECK_EQ_INT(p.n_errors, 0);
}

struct publicity_row {
    bool start_ok;
    int32_t start;
    int workdays;
    int policy_min;
    enum app_err want;
    int want_n;
    size_t n_errors;
};

static void test_publicity_start(void)
{
    const int32_t opens = D(2031, 3, 1), closes = D(2031, 3, 31);
    const struct publicity_row rows[] = {
        {true, D(2031, 3, 2), -1, 5, APP_OK, 5, 0},            /* the policy's minimum */
        {true, D(2031, 3, 2), 7, 5, APP_OK, 7, 0},             /* longer is fine */
        {true, D(2031, 3, 2), 4, 5, APP_ERR_VALIDATION, 0, 1}, /* shorter is not */
        {true, D(2031, 3, 2), POLICY_WORKDAYS_MAX + 1, -1, APP_ERR_VALIDATION, 0, 1},
        {true, D(2031, 3, 2), -1, -1, APP_ERR_VALIDATION, 0, 1}, /* no length at all */
        {true, D(2031, 4, 1), 5, 5, APP_ERR_VALIDATION, 0, 1},   /* after the window */
        {false, 0, 0, 5, APP_ERR_VALIDATION, 0, 2},              /* both wrong at once */
        {true, opens, POLICY_WORKDAYS_MAX, 1, APP_OK, POLICY_WORKDAYS_MAX, 0},
    };

    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        struct policy pol = {.unit_publicity_min_workdays = rows[i].policy_min};
        struct problem p = {0};
        int n = 0;
        enum app_err err = nomination_guard_publicity_start(
            rows[i].start_ok, rows[i].start, rows[i].workdays, &pol, opens, closes, opens, &n, &p);

        CHECKF(err == rows[i].want, "row %zu: %d, want %d", i, err, rows[i].want);
        CHECKF(p.n_errors == rows[i].n_errors, "row %zu: %zu errors", i, p.n_errors);
        CHECKF(err != APP_OK || n == rows[i].want_n, "row %zu: n %d", i, n);
    }
}

/* Backdating: a publicity cannot start before its nomination existed
 * (security issue 11), and the evidence the policy asks for. */
static void test_publicity_backdated_and_evidence(void)
{
    struct policy pol = {.unit_publicity_min_workdays = 3};
    struct problem p = {0};
    int n = 0;

    CHECK_EQ_INT(nomination_guard_publicity_start(true, D(2031, 3, 1), -1, &pol, D(2031, 3, 1),
                                                  D(2031, 3, 31), D(2031, 3, 10), &n, &p),
                 APP_ERR_VALIDATION);
    CHECK_EQ_STR(p.errors[0].code, "publicity_before_nomination");
    CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_EN], "2031-03-10") != NULL);
    problem_clear(&p);
    CHECK_EQ_INT(nomination_guard_publicity_start(true, D(2031, 3, 10), -1, &pol, D(2031, 3, 1),
                                                  D(2031, 3, 31), D(2031, 3, 10), &n, &p),
                 APP_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(nomination_guard_publicity_evidence(NOM_UNIT_PUBLICITY, &pol, "x", 0, &p), APP_OK);
    pol.publicity_evidence_required = true;
    CHECK_EQ_INT(
        nomination_guard_publicity_evidence(NOM_UNIT_PUBLICITY, &pol, "岚山 第五条（一）", 0, &p),
        APP_ERR_CONFLICT);
    CHECK_EQ_STR(problem_code(&p), "publicity_evidence_required");
    CHECK(strstr(p.detail[PROBLEM_LANG_ZH], "岚山 第五条（一）") != NULL);
    problem_clear(&p);
    CHECK_EQ_INT(nomination_guard_publicity_evidence(NOM_UNIT_PUBLICITY, &pol, NULL, 1, &p),
                 APP_OK);
}

static void test_dates(void)
{
    struct problem p = {0};

    /* The publicity ends at 24:00 on its last day. */
    CHECK_EQ_INT(
        nomination_guard_publicity_passed(NOM_UNIT_PUBLICITY, D(2031, 3, 9), D(2031, 3, 9), &p),
        APP_ERR_CONFLICT);
    CHECK_EQ_STR(problem_code(&p), "publicity_running");
    CHECK(strstr(p.detail[PROBLEM_LANG_ZH], "2031-03-09") != NULL);
    problem_clear(&p);
    CHECK_EQ_INT(
        nomination_guard_publicity_passed(NOM_UNIT_PUBLICITY, D(2031, 3, 9), D(2031, 3, 10), &p),
        APP_OK);
    /* The window includes both ends; outside it is not-open, not a conflict. */
    CHECK_EQ_INT(nomination_guard_window(D(2031, 3, 1), D(2031, 3, 31), D(2031, 3, 1), &p), APP_OK);
    CHECK_EQ_INT(nomination_guard_window(D(2031, 3, 1), D(2031, 3, 31), D(2031, 3, 31), &p),
                 APP_OK);
    CHECK_EQ_INT(nomination_guard_window(D(2031, 3, 1), D(2031, 3, 31), D(2031, 4, 1), &p),
                 APP_ERR_NOT_OPEN);
    CHECK_EQ_STR(problem_code(&p), "outside_application_window");
    CHECK_EQ_STR(json_string_value(json_object_get(p.extra, "window_closes")), "2031-03-31");
    CHECK_EQ_STR(p.detail[PROBLEM_LANG_EN], "the application window is 2031-03-01 to 2031-03-31");
    CHECK_EQ_STR(p.detail[PROBLEM_LANG_ZH], "申报期为 2031-03-01 至 2031-03-31");
    problem_clear(&p);
}

/* 环翠 第十条（二） "1000字左右" is soft: the bounds say SHORT/LONG (a warning
 * of the checklist), only the storage limit is refused at save. */
static void test_complete_and_deeds(void)
{
    struct policy pol = {.deeds_min_chars = 100, .deeds_max_chars = 3000};
    const char *missing[] = {"phone", "employer"};
    struct problem p = {0};

    CHECK_EQ_INT(nomination_deeds_check(&pol, 99), DEEDS_TOO_SHORT);
    CHECK_EQ_INT(nomination_deeds_check(&pol, 100), DEEDS_OK);
    CHECK_EQ_INT(nomination_deeds_check(&pol, 3000), DEEDS_OK);
    CHECK_EQ_INT(nomination_deeds_check(&pol, 3001), DEEDS_TOO_LONG);
    CHECK_EQ_INT(nomination_deeds_check(&pol, NOMINATION_DEEDS_HARD_MAX + 1), DEEDS_OVER_STORAGE);
    CHECK_EQ_INT(nomination_guard_deeds_storage(&pol, 3001, &p), APP_OK);
    CHECK_EQ_INT(p.n_errors, 0);
    pol.deeds_min_chars = pol.deeds_max_chars = -1;
    CHECK_EQ_INT(nomination_deeds_check(&pol, NOMINATION_DEEDS_HARD_MAX), DEEDS_OK);
    CHECK_EQ_INT(nomination_deeds_check(&pol, NOMINATION_DEEDS_HARD_MAX + 1), DEEDS_OVER_STORAGE);
    CHECK_EQ_INT(nomination_guard_deeds_storage(&pol, NOMINATION_DEEDS_HARD_MAX + 1, &p),
                 APP_ERR_VALIDATION);
    CHECK_EQ_STR(p.errors[0].code, "deeds_over_storage_limit");
    CHECK_EQ_STR(p.errors[0].pointer, "/deeds");
    problem_clear(&p);
    /* Every gap at once; the deeds are no gap whatever their length. */
    CHECK_EQ_INT(nomination_guard_complete(missing, 2, &p), APP_ERR_VALIDATION);
    CHECK_EQ_INT(p.n_errors, 2);
    CHECK_EQ_STR(p.errors[0].code, "required_before_submission");
    CHECK_EQ_STR(p.errors[1].pointer, "/employer");
    CHECK_EQ_STR(problem_code(&p), "nomination_incomplete");
    problem_clear(&p);
    CHECK_EQ_INT(nomination_guard_complete(missing, 0, &p), APP_OK);
}

/* 环翠 第十条（二）: a competition nomination needs its result; a unit's does not. */
static void test_required_for_channel(void)
{
    const char *const *k = nomination_required_for_channel("competition");

    CHECK_EQ_STR(k[0], "competition_result");
    CHECK(k[1] == NULL);
    CHECK(nomination_required_for_channel("unit")[0] == NULL);
    CHECK(nomination_required_for_channel(NULL)[0] == NULL);
    for (k = nomination_required_for_submission; *k != NULL && strcmp(*k, "employer") != 0; k++) {
    }
    CHECK(*k != NULL);
}

static void test_editable_and_no_publicity(void)
{
    struct policy pol = {.unit_publicity_required = true};
    struct problem p = {0};

    CHECK_EQ_INT(nomination_guard_editable(NOM_DRAFT, PHASE_ACCEPTING, &p), APP_OK);
    CHECK_EQ_INT(nomination_guard_editable(NOM_RETURNED, PHASE_QUALIFICATION, &p), APP_OK);
    CHECK_EQ_INT(nomination_guard_editable(NOM_DRAFT, PHASE_QUALIFICATION, &p), APP_ERR_CONFLICT);
    CHECK_EQ_STR(problem_code(&p), "not_editable");
    problem_clear(&p);
    CHECK_EQ_INT(nomination_guard_editable(NOM_SUBMITTED, PHASE_ACCEPTING, &p), APP_ERR_CONFLICT);
    problem_clear(&p);
    CHECK_EQ_INT(nomination_guard_no_publicity(NOM_DRAFT, &pol, "岚山 第五条", &p),
                 APP_ERR_CONFLICT);
    CHECK(strstr(p.detail[PROBLEM_LANG_ZH], "岚山 第五条") != NULL);
    problem_clear(&p);
    pol.unit_publicity_required = false;
    CHECK_EQ_INT(nomination_guard_no_publicity(NOM_DRAFT, &pol, NULL, &p), APP_OK);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"move: table, role, phase", test_move},
        {"members a move does not use, all at once", test_members},
        {"publicity start and length", test_publicity_start},
        {"publicity not backdated, its evidence", test_publicity_backdated_and_evidence},
        {"publicity passed and the application window", test_dates},
        {"complete and the deeds' bounds", test_complete_and_deeds},
        {"the members a channel requires", test_required_for_channel},
        {"editable, no publicity", test_editable_and_no_publicity},
    };

    return test_run(cases, TEST_COUNT(cases));
}
