/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/holder_rules.c (issue 14): the approval steps of
 * a revocation case in each policy's order and who records each (岚山
 * 第十二条 "经核实后，按程序取消"; 环翠 第十七条 初步认定 → 审定 → 批准), the
 * reasons that need a finding, and a holder event's effective date.
 */
#include <string.h>

#include "civil_time.h"
#include "holder_rules.h"
#include "test.h"

static const enum revocation_step LANSHAN[] = {RSTEP_VERIFICATION, RSTEP_DECISION};
static const enum revocation_step HUANCUI[] = {RSTEP_PRELIMINARY, RSTEP_RATIFICATION,
                                               RSTEP_APPROVAL};

static void test_step_gate(void)
{
    static const struct {
        const enum revocation_step *steps;
        size_t n, done;
        enum revocation_step asked;
        enum role role;
        enum app_err want;
        const char *code;
    } rows[] = {
        {LANSHAN, 2, 0, RSTEP_VERIFICATION, ROLE_OFFICE, APP_OK, NULL},
        {LANSHAN, 2, 0, RSTEP_VERIFICATION, ROLE_LEADER, APP_ERR_FORBIDDEN, "revocation_step_role"},
        {LANSHAN, 2, 0, RSTEP_DECISION, ROLE_LEADER, APP_ERR_CONFLICT,
         "revocation_step_out_of_order"},
        {LANSHAN, 2, 1, RSTEP_DECISION, ROLE_LEADER, APP_OK, NULL},
        {LANSHAN, 2, 1, RSTEP_DECISION, ROLE_OFFICE, APP_ERR_FORBIDDEN, "revocation_step_role"},
        {LANSHAN, 2, 2, RSTEP_DECISION, ROLE_LEADER, APP_ERR_CONFLICT, "revocation_case_closed"},
        /* 环翠's ratification is not 岚山's step */
        {LANSHAN, 2, 1, RSTEP_RATIFICATION, ROLE_LEADER, APP_ERR_CONFLICT,
         "revocation_step_out_of_order"},
        {HUANCUI, 3, 0, RSTEP_PRELIMINARY, ROLE_OFFICE, APP_OK, NULL},
        {HUANCUI, 3, 1, RSTEP_RATIFICATION, ROLE_LEADER, APP_OK, NULL},
        {HUANCUI, 3, 1, RSTEP_APPROVAL, ROLE_OFFICE, APP_ERR_CONFLICT,
         "revocation_step_out_of_order"},
        {HUANCUI, 3, 2, RSTEP_APPROVAL, ROLE_OFFICE, APP_OK, NULL},
        {HUANCUI, 3, 2, RSTEP_APPROVAL, ROLE_LEADER, APP_ERR_FORBIDDEN, "revocation_step_role"},
        {HUANCUI, 3, 2, RSTEP_APPROVAL, ROLE_ADMIN, APP_ERR_FORBIDDEN, "revocation_step_role"},
    };

    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        struct problem p = {0};

        CHECK_EQ_INT(holder_rules_step_gate(rows[i].steps, rows[i].n, rows[i].done, rows[i].asked,
                                            rows[i].role, &p),
                     rows[i].want);
        if (rows[i].code != NULL) {
            CHECK_EQ_STR(p.code, rows[i].code);
        }
        problem_clear(&p);
    }
}

static void test_out_of_order_names_the_next_step(void)
{
    struct problem p = {0};

    holder_rules_step_gate(HUANCUI, 3, 1, RSTEP_APPROVAL, ROLE_OFFICE, &p);
    CHECK(strstr(p.detail[PROBLEM_LANG_ZH], "领导小组审定") != NULL);
    CHECK(strstr(p.detail[PROBLEM_LANG_EN], "ratification, not approval") != NULL);
    problem_clear(&p);
}

static void test_steps_table(void)
{
    CHECK_EQ_INT(enums_from_value(ENUMS_REVOCATION_STEPS, "preliminary_finding"),
                 RSTEP_PRELIMINARY);
    CHECK_EQ_INT(enums_from_value(ENUMS_REVOCATION_STEPS, "vote"), -1);
    CHECK_EQ_INT(enums_from_value(ENUMS_REVOCATION_STEPS, NULL), -1);
    CHECK(revocation_step_role(RSTEP_DECISION) == ROLE_LEADER);
    CHECK(revocation_step_role(RSTEP_APPROVAL) == ROLE_OFFICE);
    CHECK(revocation_step_needs_document(RSTEP_APPROVAL));
    CHECK(!revocation_step_needs_document(RSTEP_RATIFICATION));
    CHECK(revocation_step_needs_meeting(RSTEP_RATIFICATION));
    CHECK(!revocation_step_needs_meeting(RSTEP_VERIFICATION));
    for (int s = 0; s < RSTEP__COUNT; s++) {
        CHECK_EQ_INT(
            enums_from_value(ENUMS_REVOCATION_STEPS, enums_value(ENUMS_REVOCATION_STEPS, s)), s);
    }
}

static void test_reasons_needing_a_finding(void)
{
    CHECK(revocation_reason_needs_finding("fraud"));
    CHECK(revocation_reason_needs_finding("other"));
    CHECK(!revocation_reason_needs_finding("criminal_penalty"));
    CHECK(!revocation_reason_needs_finding("consecutive_failed_assessments"));
    CHECK(!revocation_reason_needs_finding("violation_or_gross_negligence"));
}

static void test_effective_date(void)
{
    int32_t today, recognized, day = 0;
    struct problem p = {0};

    CHECK(date_parse("2027-06-15", &today));
    CHECK(date_parse("2026-12-20", &recognized));
    CHECK_EQ_INT(holder_rules_effective_date("2027-06-15", today, recognized, "/e", &day, &p),
                 APP_OK);
    CHECK_EQ_INT(day, today);
    CHECK_EQ_INT(holder_rules_effective_date("2026-12-20", today, recognized, "/e", &day, &p),
                 APP_OK);
    static const struct {
        const char *text, *code;
    } bad[] = {
        {"2027-06-16", "date_in_future"},
        {"2026-12-19", "before_recognition"},
        {"2027-02-30", "not_date"},
        {NULL, "not_date"},
    };
    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        CHECK_EQ_INT(holder_rules_effective_date(bad[i].text, today, recognized, "/e", &day, &p),
                     APP_ERR_VALIDATION);
        CHECK_EQ_STR(p.errors[0].code, bad[i].code);
        CHECK_EQ_STR(p.errors[0].pointer, "/e");
        problem_clear(&p);
    }
}

static void test_past_date(void)
{
    int32_t today, day = 0;
    struct problem p = {0};

    CHECK(date_parse("2027-06-15", &today));
    CHECK_EQ_INT(holder_rules_past_date("2027-06-15", today, "/a/0/d", &day, &p), APP_OK);
    CHECK_EQ_INT(day, today);
    CHECK_EQ_INT(holder_rules_past_date("1990-01-01", today, "/a/0/d", &day, &p), APP_OK);
    static const struct {
        const char *text, *code;
    } bad[] = {
        {"2027-06-16", "date_in_future"},
        {"2027-13-01", "not_date"},
        {"20270101", "not_date"},
        {NULL, "not_date"},
    };
    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        CHECK_EQ_INT(holder_rules_past_date(bad[i].text, today, "/a/0/d", &day, &p),
                     APP_ERR_VALIDATION);
        CHECK_EQ_STR(p.errors[0].code, bad[i].code);
        CHECK_EQ_STR(p.errors[0].pointer, "/a/0/d");
        problem_clear(&p);
    }
}

static void test_failed_runs(void)
{
    static const struct assessment_result fail_fail[] = {{2028, true}, {2029, true}};
    static const struct assessment_result fail_pass_fail[] = {
        {2028, true}, {2029, false}, {2030, true}};
    static const struct assessment_result gap[] = {{2028, true}, {2030, true}};
    static const struct assessment_result late_first[] = {{2030, true}, {2029, true}};
    static const struct assessment_result three[] = {{2028, true}, {2029, true}, {2030, true}};

    CHECK(holder_rules_failed_run(fail_fail, 2, 2029, 2));
    CHECK(holder_rules_failed_run(fail_fail, 2, 2028, 2));  /* confirmed second, 2028 closes it */
    CHECK(!holder_rules_failed_run(fail_fail, 1, 2028, 2)); /* only one confirmed */
    CHECK(!holder_rules_failed_run(fail_pass_fail, 3, 2030, 2));
    CHECK(!holder_rules_failed_run(fail_pass_fail, 3, 2029, 2)); /* a pass */
    CHECK(!holder_rules_failed_run(gap, 2, 2030, 2));            /* 2029 not confirmed */
    CHECK(holder_rules_failed_run(late_first, 2, 2029, 2));
    CHECK(!holder_rules_failed_run(fail_fail, 2, 2029, 3));
    CHECK(holder_rules_failed_run(three, 3, 2029, 3));
    CHECK(holder_rules_failed_run(fail_fail, 2, 2029, 1));
    CHECK(!holder_rules_failed_run(fail_fail, 2, 2029, -1)); /* no limit */
    CHECK(!holder_rules_failed_run(fail_fail, 2, 2027, 2));
}

int main(void)
{
    static const struct test_case cases[] = {
        {"which step a case may take, and who records it", test_step_gate},
        {"out of order names the next step", test_out_of_order_names_the_next_step},
        {"the steps' table", test_steps_table},
        {"reasons that need a written finding", test_reasons_needing_a_finding},
        {"a holder event's effective date", test_effective_date},
        {"a reported date of the past", test_past_date},
        {"consecutive failed assessments", test_failed_runs},
    };

    return test_run(cases, TEST_COUNT(cases));
}
