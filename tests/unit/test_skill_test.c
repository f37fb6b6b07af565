/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/skill_test.c, the on-site skill test of 环翠
 * 第十条（四） ("组织进行现场技能考查"): the score's decimals and range, the
 * examiner panel, the test date against today and the round's opening,
 * the reason a correction needs, the policy guard (岚山 第五条 has no test)
 * and the states a score may be recorded in.
 */
#include "test.h"

#include <string.h>

#include "civil_time.h"
#include "skill_test.h"
#include "test_dates.h"
#include "test_problem.h"

static void test_score_value(void)
{
    static const struct {
        const char *json;
        bool ok;
        int hundredths;
    } cases[] = {
        {"0", true, 0},       {"100", true, 10000},  {"87.5", true, 8750},   {"87.55", true, 8755},
        {"0.01", true, 1},    {"99.99", true, 9999}, {"100.0", true, 10000}, {"87.555", false, 0},
        {"100.01", false, 0}, {"-0.5", false, 0},    {"101", false, 0},      {"-1", false, 0},
        {"\"90\"", false, 0}, {"null", false, 0},    {"1e2", true, 10000},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *v = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
        int h = -1;
        bool ok = skill_test_score_value(v, &h);
        CHECKF(ok == cases[i].ok, "%s: ok %d", cases[i].json, ok);
        if (ok && cases[i].ok) {
            CHECKF(h == cases[i].hundredths, "%s: %d", cases[i].json, h);
        }
        json_decref(v);
    }
}

static const struct {
    const char *body;
    bool correction;
    const char *faults;
} bodies[] = {
    {"{\"score\": 88.5, \"examiners\": [\"张三\", \"李四\"], \"tested_on\": \"2026-06-10\"}", false,
     ""},
    {"{\"score\": 88.5, \"examiners\": [\"张三\"], \"tested_on\": \"2026-06-10\", \"note\": "
     "\"现场\"}",
     false, ""},
    {"{\"score\": 90, \"examiners\": [\"张三\"], \"tested_on\": \"2026-06-10\"}", true,
     "/reason:reason_required"},
    {"{\"score\": 90, \"examiners\": [\"张三\"], \"tested_on\": \"2026-06-10\", \"reason\": "
     "\"录入错误\"}",
     true, ""},
    {"{\"score\": 100.5, \"examiners\": [], \"tested_on\": \"2026-06-30\"}", false,
     "/examiners:too_few_items /score:out_of_range /tested_on:date_in_future"},
    {"{\"score\": 88.125, \"examiners\": [\"张三\", 7, \"张三\", \"\"], \"tested_on\": "
     "\"2026-05-31\"}",
     false,
     "/score:too_many_decimals /examiners/1:wrong_type /examiners/2:duplicate_item "
     "/examiners/3:too_short /tested_on:before_round_opened"},
    {"{\"score\": \"88\", \"tested_on\": \"2026-6-1\"}", false,
     "/examiners:required /score:wrong_type /tested_on:not_date"},
    {"{\"examiners\": [\"a\"], \"tested_on\": \"2026-06-01\"}", false, "/score:required"},
    {"{\"score\": 1, \"examiners\": [\"a\"], \"tested_on\": \"2026-06-01\", "
     "\"score_sheet_id\": \"sheet-1\"}",
     false, "/score_sheet_id:not_uuid"},
    {"{\"score\": 1, \"examiners\": [\"a\"], \"tested_on\": \"2026-06-01\", "
     "\"score_sheet_id\": \"00000000-0000-4000-8000-000000000000\"}",
     false, ""},
    {"{\"score\": 1, \"examiners\": [\"a\"], \"tested_on\": \"2026-06-01\", \"x\": 1}", false,
     "/x:unknown_field"},
};

static void test_bodies(void)
{
    int32_t today = day("2026-06-20"), opens = day("2026-06-01");

    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        struct problem p = {0};
        struct skill_test_input in;
        json_t *b = json_loads(bodies[i].body, 0, NULL);
        CHECKF(b != NULL, "body %zu does not parse", i);
        skill_test_check_body(b, bodies[i].correction, today, opens, &in, &p);
        CHECKF(strcmp(test_faults(&p), bodies[i].faults) == 0, "body %zu: got \"%s\" want \"%s\"",
               i, test_faults(&p), bodies[i].faults);
        if (bodies[i].faults[0] == '\0') {
            CHECK(p.err == APP_OK);
            CHECK(in.examiners != NULL);
        }
        problem_clear(&p);
        json_decref(b);
    }
}

static void test_date_bounds(void)
{
    int32_t today = day("2028-02-29"), opens = day("2028-01-03");
    const char *ok[] = {"2028-02-29", "2028-01-03"};
    const char *bad[] = {"2028-03-01", "2028-01-02", "2027-02-29"};

    for (size_t i = 0; i < 2; i++) {
        struct problem p = {0};
        struct skill_test_input in;
        json_t *b =
            json_pack("{s:i, s:[s], s:s}", "score", 60, "examiners", "王五", "tested_on", ok[i]);
        CHECKF(skill_test_check_body(b, false, today, opens, &in, &p) == APP_OK, "%s: %s", ok[i],
               test_faults(&p));
        CHECK_EQ_INT(in.tested_on, day(ok[i]));
        CHECK_EQ_INT(in.score, 6000);
        problem_clear(&p);
        json_decref(b);
    }
    for (size_t i = 0; i < 3; i++) {
        struct problem p = {0};
        struct skill_test_input in;
        json_t *b =
            json_pack("{s:i, s:[s], s:s}", "score", 60, "examiners", "王五", "tested_on", bad[i]);
        CHECKF(skill_test_check_body(b, false, today, opens, &in, &p) == APP_ERR_VALIDATION,
               "%s accepted", bad[i]);
        problem_clear(&p);
        json_decref(b);
    }
}

static void test_panel_limits(void)
{
    struct problem p = {0};
    struct skill_test_input in;
    char name[64];
    json_t *a = json_array(), *b;

    for (int i = 0; i < SKILL_TEST_EXAMINERS_MAX + 1; i++) {
        snprintf(name, sizeof(name), "考官%d", i);
        json_array_append_new(a, json_string(name));
    }
    b = json_pack("{s:i, s:o, s:s}", "score", 1, "examiners", a, "tested_on", "2026-06-10");
    skill_test_check_body(b, false, day("2026-06-20"), day("2026-06-01"), &in, &p);
    CHECK_EQ_STR(test_faults(&p), "/examiners:too_many_items");
    problem_clear(&p);
    json_decref(b);

    memset(name, 'x', 51);
    name[51] = '\0';
    b = json_pack("{s:i, s:[s], s:s}", "score", 1, "examiners", name, "tested_on", "2026-06-10");
    skill_test_check_body(b, false, day("2026-06-20"), day("2026-06-01"), &in, &p);
    CHECK_EQ_STR(test_faults(&p), "/examiners/0:too_long");
    problem_clear(&p);
    json_decref(b);
}

static void test_guards(void)
{
    struct policy pol;
    struct problem p = {0};

    memset(&pol, 0, sizeof(pol));
    pol.skill_test = false;
    CHECK(skill_test_guard_policy(&pol, "第五条", &p) == APP_ERR_CONFLICT);
    CHECK_EQ_STR(p.code, "skill_test_not_in_policy");
    CHECK(strstr(p.detail[0], "第五条") != NULL);
    problem_clear(&p);
    pol.skill_test = true;
    CHECK(skill_test_guard_policy(&pol, "第十条（四）", &p) == APP_OK);

    for (int s = 0; s < NOM__COUNT; s++) {
        bool allowed = s == NOM_QUALIFIED || s == NOM_IN_REVIEW;
        CHECKF(skill_test_state_allows((enum nomination_state)s) == allowed, "state %d", s);
        CHECK(skill_test_guard_state((enum nomination_state)s, &p) ==
              (allowed ? APP_OK : APP_ERR_CONFLICT));
        if (!allowed) {
            CHECK_EQ_STR(p.code, "skill_test_wrong_state");
        }
        problem_clear(&p);
    }
}

int main(void)
{
    static const struct test_case cases[] = {
        {"score value", test_score_value}, {"bodies", test_bodies},
        {"date bounds", test_date_bounds}, {"panel limits", test_panel_limits},
        {"guards", test_guards},
    };

    return test_run(cases, TEST_COUNT(cases));
}
