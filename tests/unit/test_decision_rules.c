/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/decision_rules.c (issue 13): the selection's
 * size against a hard cap (岚山 第二条 "不超过10名") and a soft target
 * (环翠 第四条 "5名左右"), the steps after the shortlist in each policy's
 * order (notice_before_decision), and certificate numbers.
 */
#include <string.h>

#include "decision_rules.h"
#include "test.h"

static const struct policy LANSHAN = {
    .awards_per_round = 10, .awards_cap_hard = true, .notice_before_decision = false};
static const struct policy HUANCUI = {
    .awards_per_round = 5, .awards_cap_hard = false, .notice_before_decision = true};

static void test_selection(void)
{
    static const struct {
        const struct policy *pol;
        size_t n;
        const char *reason;
        enum app_err want;
        const char *pointer, *code;
    } rows[] = {
        {&LANSHAN, 1, NULL, APP_OK, NULL, NULL},
        {&LANSHAN, 10, NULL, APP_OK, NULL, NULL},
        /* the 11th is refused, reason or not: the cap is hard */
        {&LANSHAN, 11, NULL, APP_ERR_VALIDATION, "/selections", "over_award_cap"},
        {&LANSHAN, 11, "工作需要", APP_ERR_VALIDATION, "/selections", "over_award_cap"},
        {&LANSHAN, 0, NULL, APP_ERR_VALIDATION, "/selections", "too_few_items"},
        {&HUANCUI, 5, NULL, APP_OK, NULL, NULL},
        /* the 6th needs a reason: "左右" is a target */
        {&HUANCUI, 6, NULL, APP_ERR_VALIDATION, "/reason", "over_award_target_reason_required"},
        {&HUANCUI, 6, "第6名与第5名综合得分相同，经研究一并选定", APP_OK, NULL, NULL},
        {&HUANCUI, 4, "可以附理由", APP_OK, NULL, NULL},
        {&HUANCUI, 6, "", APP_ERR_VALIDATION, "/reason", "out_of_range"},
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct problem p = {0};

        CHECK_EQ_INT(decision_rules_selection(rows[i].pol, rows[i].n, rows[i].reason, "第二条",
                                              "/selections", "/reason", &p),
                     rows[i].want);
        if (rows[i].code == NULL) {
            CHECK_EQ_INT(p.n_errors, 0);
        } else {
            CHECK_EQ_INT(p.n_errors, 1);
            CHECK_EQ_STR(p.errors[0].pointer, rows[i].pointer);
            CHECK_EQ_STR(p.errors[0].code, rows[i].code);
        }
        problem_clear(&p);
    }
}

static void test_messages_cite_the_article(void)
{
    struct problem p = {0};
    char long_reason[3 * (DECISION_REASON_MAX + 1) + 1];

    decision_rules_selection(&LANSHAN, 11, NULL, "第二条", "/selections", "/reason", &p);
    CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_ZH], "上限 10 名（第二条）") != NULL);
    CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_EN], "cap of 10 (第二条)") != NULL);
    problem_clear(&p);
    decision_rules_selection(&HUANCUI, 7, NULL, "第四条", "/selections", "/reason", &p);
    CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_ZH], "5 名左右（第四条）") != NULL);
    problem_clear(&p);
    /* 501 code points of three bytes each: too long */
    for (size_t i = 0; i < DECISION_REASON_MAX + 1; i++) {
        memcpy(long_reason + 3 * i, "理", 3);
    }
    long_reason[3 * (DECISION_REASON_MAX + 1)] = '\0';
    CHECK_EQ_INT(
        decision_rules_selection(&HUANCUI, 6, long_reason, "第四条", "/selections", "/reason", &p),
        APP_ERR_VALIDATION);
    CHECK_EQ_STR(p.errors[0].code, "out_of_range");
    problem_clear(&p);
    long_reason[3 * DECISION_REASON_MAX] = '\0'; /* 500: allowed */
    CHECK_EQ_INT(
        decision_rules_selection(&HUANCUI, 6, long_reason, "第四条", "/selections", "/reason", &p),
        APP_OK);
}

static void test_steps(void)
{
    enum decision_step s[DECISION_STEPS_MAX];
    char got[128] = "";

    CHECK_EQ_INT(decision_rules_steps(&LANSHAN, s), 3);
    for (size_t i = 0; i < 3; i++) {
        strcat(got, decision_step_value(s[i]));
        strcat(got, " ");
    }
    CHECK_EQ_STR(got, "decision notice recognition ");
    got[0] = '\0';
    CHECK_EQ_INT(decision_rules_steps(&HUANCUI, s), 5);
    for (size_t i = 0; i < 5; i++) {
        strcat(got, decision_step_value(s[i]));
        strcat(got, " ");
    }
    CHECK_EQ_STR(got, "inspection notice ratification approval recognition ");

    CHECK_EQ_INT(decision_rules_next(&LANSHAN, STEP_DECISION), STEP_NOTICE);
    CHECK_EQ_INT(decision_rules_next(&LANSHAN, STEP_NOTICE), STEP_RECOGNITION);
    CHECK_EQ_INT(decision_rules_next(&LANSHAN, STEP_RECOGNITION), STEP__COUNT);
    CHECK_EQ_INT(decision_rules_next(&LANSHAN, STEP_RATIFICATION), STEP__COUNT);
    CHECK_EQ_INT(decision_rules_next(&HUANCUI, STEP_NOTICE), STEP_RATIFICATION);
    CHECK_EQ_INT(decision_rules_next(&HUANCUI, STEP_APPROVAL), STEP_RECOGNITION);
    CHECK(decision_step_value(STEP__COUNT) == NULL);
}

static void test_certificate_numbers(void)
{
    static const struct {
        const char *prefix;
        int year;
        long long seq;
        const char *want; /* NULL: refused */
    } rows[] = {
        {"LSGJ", 2027, 1, "LSGJ-2027-001"},
        {"HCSX", 2027, 12, "HCSX-2027-012"},
        {"LSGJ", 2027, 999, "LSGJ-2027-999"},
        {"LSGJ", 2027, 1000, "LSGJ-2027-1000"},
        {"ABCDEFGHIJKLMNOP", 9999, 9999999999LL, "ABCDEFGHIJKLMNOP-9999-9999999999"},
        {"LSGJ", 2027, 0, NULL},
        {"LSGJ", 1899, 1, NULL},
        {"lsgj", 2027, 1, NULL},
        {"LS-GJ", 2027, 1, NULL},
        {"", 2027, 1, NULL},
        {"ABCDEFGHIJKLMNOPQ", 2027, 1, NULL},
        {NULL, 2027, 1, NULL},
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char out[CERTIFICATE_NUMBER_MAX];
        bool ok = certificate_number_format(rows[i].prefix, rows[i].year, rows[i].seq, out);

        CHECK_EQ_INT(ok, rows[i].want != NULL);
        CHECK_EQ_STR(out, rows[i].want != NULL ? rows[i].want : "");
    }
}

/* Which step a round may take, from what it has done (decision_rules_gate). */
static void test_gate(void)
{
    const int32_t today = 20000, ended = today - 1, running = today;
    static const struct step_facts none = {0};
    const struct step_facts decided = {.decided = true};
    const struct step_facts noticed = {.decided = true, .published = true, .notice_ends_on = ended};
    const struct step_facts noticing = {
        .decided = true, .published = true, .notice_ends_on = running};
    const struct step_facts objected = {
        .decided = true, .published = true, .notice_ends_on = ended, .open_objections = 2};
    const struct step_facts inspected = {.inspected = true};
    const struct step_facts h_noticed = {
        .inspected = true, .published = true, .notice_ends_on = ended};
    const struct step_facts h_ratified = {
        .inspected = true, .published = true, .notice_ends_on = ended, .ratified = true};
    const struct step_facts h_approved = {.inspected = true,
                                          .published = true,
                                          .notice_ends_on = ended,
                                          .ratified = true,
                                          .approved = true};
    const struct {
        const struct policy *pol;
        const struct step_facts *f;
        enum decision_step want;
        const char *code; /* NULL: allowed */
        enum decision_step missing;
    } rows[] = {
        {&LANSHAN, &none, STEP_DECISION, NULL, STEP__COUNT},
        {&LANSHAN, &none, STEP_NOTICE, "step_out_of_order", STEP_DECISION},
        {&LANSHAN, &decided, STEP_DECISION, "step_done", STEP__COUNT},
        {&LANSHAN, &decided, STEP_NOTICE, NULL, STEP__COUNT},
        {&LANSHAN, &decided, STEP_RECOGNITION, "step_out_of_order", STEP_NOTICE},
        {&LANSHAN, &noticing, STEP_RECOGNITION, "notice_not_ended", STEP_NOTICE},
        {&LANSHAN, &objected, STEP_RECOGNITION, "objections_open", STEP_NOTICE},
        {&LANSHAN, &noticed, STEP_RECOGNITION, NULL, STEP__COUNT},
        {&LANSHAN, &noticed, STEP_NOTICE, "step_done", STEP__COUNT},
        {&LANSHAN, &none, STEP_INSPECTION, "step_not_in_policy", STEP__COUNT},
        {&HUANCUI, &none, STEP_DECISION, "step_not_in_policy", STEP__COUNT},
        {&HUANCUI, &none, STEP_INSPECTION, NULL, STEP__COUNT},
        /* findings may be revised until the notice is out */
        {&HUANCUI, &inspected, STEP_INSPECTION, NULL, STEP__COUNT},
        {&HUANCUI, &none, STEP_NOTICE, "step_out_of_order", STEP_INSPECTION},
        {&HUANCUI, &inspected, STEP_NOTICE, NULL, STEP__COUNT},
        {&HUANCUI, &h_noticed, STEP_INSPECTION, "step_done", STEP__COUNT},
        {&HUANCUI, &h_noticed, STEP_RATIFICATION, NULL, STEP__COUNT},
        {&HUANCUI, &h_noticed, STEP_APPROVAL, "step_out_of_order", STEP_RATIFICATION},
        {&HUANCUI, &h_ratified, STEP_RECOGNITION, "step_out_of_order", STEP_APPROVAL},
        {&HUANCUI, &h_approved, STEP_RECOGNITION, NULL, STEP__COUNT},
    };

    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        struct problem p = PROBLEM_INIT;
        enum decision_step missing;
        enum app_err err =
            decision_rules_gate(rows[i].pol, rows[i].f, today, rows[i].want, &missing, &p);

        CHECKF((err == APP_OK) == (rows[i].code == NULL), "row %zu: %s", i, p.code);
        CHECKF(rows[i].code == NULL || strcmp(p.code, rows[i].code) == 0, "row %zu: %s", i, p.code);
        CHECK_EQ_INT(missing, rows[i].missing);
        CHECK(err == APP_OK || err == APP_ERR_CONFLICT);
        problem_clear(&p);
    }
}

int main(void)
{
    static const struct test_case cases[] = {
        {"selection against a hard cap and a soft target", test_selection},
        {"messages cite the article; reason length", test_messages_cite_the_article},
        {"steps in each policy's order", test_steps},
        {"certificate numbers", test_certificate_numbers},
        {"which step a round may take", test_gate},
    };

    return test_run(cases, TEST_COUNT(cases));
}
