/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/eligibility.c: one test per rule, named after
 * the article it enforces, against the two seed policies of
 * db/migrations/0002_seed_programmes.sql written out as struct policy (with
 * the articles they cite), then the outcome and eligibility_clear(). People
 * are birth dates in 1900-1950 and reference dates set to give the ages.
 */
#include <stdio.h>
#include <string.h>

#include "eligibility.h"
#include "test.h"
#include "workdays.h"

/* 环翠区首席技师 (威环人社字〔2022〕26号), the members the checklist reads. */
static struct policy huancui_policy(void)
{
    return (struct policy){
        .unit_publicity_required = true,
        .unit_publicity_min_workdays = -1, /* 第十条（二） fixes no length */
        .min_skill_level = SKILL_TECHNICIAN,
        .front_line_required = true,
        .enterprise_only = true,
        .honours_considered = true,
        .age_max = 55,
        .age_max_hard = false,
        .age_preferred_max = 45,
        .repeat_once = false,
        .management_period_months = 24,
        .deeds_min_chars = 500,
        .deeds_max_chars = 1500,
        .vote_nominees = -1,
        .vote_weight = -1,
        .skill_test_weight = 50,
        .assessment_fail_limit = -1,
        .recheck_min_apprentices = 2,
        .recheck_apprentice_min_level = SKILL_SENIOR_WORKER,
    };
}

/* 岚山工匠 (岚政办字〔2022〕8号). */
static struct policy lanshan_policy(void)
{
    return (struct policy){
        .unit_publicity_required = true,
        .unit_publicity_min_workdays = 3,
        .min_skill_level = -1,
        .front_line_required = true,
        .enterprise_only = false,
        .honours_considered = true,
        .age_max = -1,
        .age_preferred_max = -1,
        .repeat_once = true,
        .deeds_min_chars = -1,
        .deeds_max_chars = -1,
        .vote_nominees = 20,
        .vote_weight = 0,
        .skill_test_weight = -1,
        .assessment_fail_limit = 2,
        .recheck_min_apprentices = -1,
        .recheck_apprentice_min_level = -1,
    };
}

static json_t *huancui_articles(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "min_skill_level",
                     "第六条", "front_line_required", "第六条", "enterprise_only", "第六条",
                     "honours_considered", "第七条（二）（三）", "age_max", "第七条（五）",
                     "age_max_kind", "第七条（五）", "age_preferred_max", "第七条（五）",
                     "repeat_rule", "第十六条（二）", "unit_publicity_required", "第十条（二）",
                     "deeds_min_chars", "第十条（二）", "deeds_max_chars", "第十条（二）");
}

static json_t *lanshan_articles(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "unit_publicity_required", "第五条（一）",
                     "unit_publicity_min_workdays", "第五条（一）", "front_line_required", "第二条",
                     "enterprise_only", "第二条", "honours_considered", "第四条（五）",
                     "repeat_rule", "第六条");
}

/* A nominee who passes every check of both policies: 50 on 1950-12-31. */
static struct eligibility_input passing(const struct policy *pol, const json_t *articles)
{
    return (struct eligibility_input){
        .policy = pol,
        .articles = articles,
        .reference_date = date_make(1950, 12, 31),
        .birth_date = date_make(1900, 7, 1),
        .skill_level = SKILL_TECHNICIAN,
        .front_line = 1,
        .employer_kind = UNIT_KIND_ENTERPRISE,
        .employer_name = "威海测试机械有限公司",
        .channel = CHANNEL_UNIT,
        .competition = {.level = -1},
        .deeds_chars = 1000,
        .honours_district_plus = 2,
        .attachments = 3,
        .earlier_recognitions = 0,
        .held_until = ELIGIBILITY_NO_DATE,
        .same_round_others = 0,
        .publicity_done = true,
        .publicity_workdays = 5,
    };
}

/* The check named `code` of a checklist, borrowed, or NULL. */
static const json_t *check_of(const json_t *cl, const char *code)
{
    size_t i;
    json_t *c;

    json_array_foreach(json_object_get(cl, "checks"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "check")), code) == 0) {
            return c;
        }
    }
    return NULL;
}

static const char *field(const json_t *cl, const char *code, const char *name)
{
    return json_string_value(json_object_get(check_of(cl, code), name));
}

static const char *outcome(const json_t *cl)
{
    return json_string_value(json_object_get(cl, "outcome"));
}

/* Runs the checklist and returns the result of one check (NULL when absent). */
static const char *result_for(const struct eligibility_input *in, const char *code, json_t **cl)
{
    json_decref(*cl);
    *cl = eligibility_run(in);
    return field(*cl, code, "result");
}

static void test_passing_nominee(void)
{
    struct policy hc = huancui_policy(), ls = lanshan_policy();
    json_t *arts = huancui_articles(), *cl;
    struct eligibility_input in = passing(&hc, arts);

    cl = eligibility_run(&in);
    CHECK_EQ_STR(outcome(cl), "pass");
    CHECK_EQ_INT(json_integer_value(json_object_get(cl, "age")), 50);
    json_decref(cl);
    in = passing(&ls, NULL);
    cl = eligibility_run(&in);
    CHECK_EQ_STR(outcome(cl), "pass");
    json_decref(cl);
    json_decref(arts);
}

/* Each policy lists its own checks, in the header's order, each with seven members. */
static void test_order_and_shape(void)
{
    static const char *const hc_codes[] = {
        "id_number",    "age_max",    "age_preferred", "skill_level",   "front_line",
        "employer",     "enterprise", "repeat",        "one_per_round", "unit_publicity",
        "deeds_length", "honours",    "evidence",
    };
    static const char *const ls_codes[] = {
        "id_number",     "front_line",     "employer", "repeat",
        "one_per_round", "unit_publicity", "honours",  "evidence",
    };
    struct policy hc = huancui_policy(), ls = lanshan_policy();
    json_t *arts = huancui_articles(), *cl;
    struct eligibility_input in = passing(&hc, arts);
    const json_t *checks, *c;
    size_t i;

    cl = eligibility_run(&in);
    checks = json_object_get(cl, "checks");
    CHECK_EQ_INT(json_object_size(cl), 3);
    CHECK_EQ_INT(json_array_size(checks), TEST_COUNT(hc_codes));
    json_array_foreach(checks, i, c)
    {
        CHECK_EQ_INT(json_object_size(c), 7);
        CHECK_EQ_STR(json_string_value(json_object_get(c, "check")),
                     i < TEST_COUNT(hc_codes) ? hc_codes[i] : NULL);
        CHECK(json_is_string(json_object_get(c, "label")));
        CHECK(json_is_string(json_object_get(c, "label_en")));
        CHECK(json_is_string(json_object_get(c, "detail")));
        CHECK(json_object_get(c, "member") != NULL && json_object_get(c, "article") != NULL);
    }
    json_decref(cl);
    in = passing(&ls, NULL);
    cl = eligibility_run(&in);
    checks = json_object_get(cl, "checks");
    CHECK_EQ_INT(json_array_size(checks), TEST_COUNT(ls_codes));
    json_array_foreach(checks, i, c)
    {
        CHECK_EQ_STR(json_string_value(json_object_get(c, "check")),
                     i < TEST_COUNT(ls_codes) ? ls_codes[i] : NULL);
        /* No articles object: nothing is cited. */
        CHECK(json_is_null(json_object_get(c, "article")));
    }
    json_decref(cl);
    json_decref(arts);
}

/* 环翠 第七条（五）: 年龄一般不超过55周岁 — a soft limit, so 56 is a warning. */
static void test_huancui_age_soft_limit(void)
{
    struct policy hc = huancui_policy();
    json_t *arts = huancui_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);

    in.birth_date = date_make(1900, 12, 31);
    in.reference_date = date_make(1955, 12, 31); /* 55 on the day */
    CHECK_EQ_STR(result_for(&in, "age_max", &cl), "pass");
    CHECK_EQ_INT(json_integer_value(json_object_get(cl, "age")), 55);
    CHECK_EQ_STR(field(cl, "age_max", "member"), "age_max");
    CHECK_EQ_STR(field(cl, "age_max", "article"), "第七条（五）");
    CHECK_EQ_STR(outcome(cl), "pass");

    in.reference_date = date_make(1956, 12, 31); /* 56 */
    CHECK_EQ_STR(result_for(&in, "age_max", &cl), "warning");
    CHECK_EQ_INT(json_integer_value(json_object_get(cl, "age")), 56);
    CHECK_EQ_STR(field(cl, "age_max", "detail"),
                 "申报人在基准日 1956-12-31 年满 56 周岁，超过一般年龄上限 55 周岁");
    CHECK_EQ_STR(outcome(cl), "warning");

    in.reference_date = date_make(1956, 12, 30); /* one day before the 56th birthday */
    CHECK_EQ_STR(result_for(&in, "age_max", &cl), "pass");
    CHECK_EQ_INT(json_integer_value(json_object_get(cl, "age")), 55);
    json_decref(cl);
    json_decref(arts);
}

/* A policy whose age_max_kind is "hard" rejects above the limit. */
static void test_hard_age_limit(void)
{
    struct policy hc = huancui_policy();
    json_t *arts = huancui_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);

    hc.age_max_hard = true;
    in.birth_date = date_make(1900, 12, 31);
    in.reference_date = date_make(1956, 12, 31);
    CHECK_EQ_STR(result_for(&in, "age_max", &cl), "fail");
    CHECK_EQ_STR(outcome(cl), "fail");
    in.reference_date = date_make(1955, 12, 31);
    CHECK_EQ_STR(result_for(&in, "age_max", &cl), "pass");
    json_decref(cl);
    json_decref(arts);
}

/* 环翠 第七条（五）: 同等条件下优先从45周岁（含45周岁）以下 — information only. */
static void test_huancui_age_preferred(void)
{
    struct policy hc = huancui_policy();
    json_t *arts = huancui_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);

    in.birth_date = date_make(1905, 3, 10);
    in.reference_date = date_make(1950, 3, 10); /* 45 */
    CHECK_EQ_STR(result_for(&in, "age_preferred", &cl), "info");
    CHECK_EQ_STR(field(cl, "age_preferred", "member"), "age_preferred_max");
    CHECK_EQ_STR(field(cl, "age_preferred", "article"), "第七条（五）");
    CHECK(strstr(field(cl, "age_preferred", "detail"), "同等条件下优先") != NULL);
    CHECK_EQ_STR(outcome(cl), "pass");

    in.reference_date = date_make(1951, 3, 10); /* 46 */
    CHECK_EQ_STR(result_for(&in, "age_preferred", &cl), "info");
    CHECK(strstr(field(cl, "age_preferred", "detail"), "超过优先年龄 45 周岁") != NULL);
    CHECK(strstr(field(cl, "age_preferred", "detail"), "同等条件下优先") == NULL);
    CHECK_EQ_STR(outcome(cl), "pass");
    json_decref(cl);
    json_decref(arts);
}

/* Born on 29 February: a year older on 1 March in a common year (idcard_age_at). */
static void test_leap_day_birthday(void)
{
    struct policy hc = huancui_policy();
    json_t *arts = huancui_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);
    static const struct {
        int y, m, d, age;
        const char *age_max;
    } rows[] = {
        {1959, 2, 28, 54, "pass"},    {1959, 3, 1, 55, "pass"},     {1960, 2, 28, 55, "pass"},
        {1960, 2, 29, 56, "warning"}, {1961, 2, 28, 56, "warning"}, {1961, 3, 1, 57, "warning"},
    };

    in.birth_date = date_make(1904, 2, 29);
    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        in.reference_date = date_make(rows[i].y, rows[i].m, rows[i].d);
        CHECKF(strcmp(result_for(&in, "age_max", &cl), rows[i].age_max) == 0, "row %zu", i);
        CHECKF(json_integer_value(json_object_get(cl, "age")) == rows[i].age, "row %zu age", i);
    }
    json_decref(cl);
    json_decref(arts);
}

/* GB 11643: the birth date must lie before the reference date; age checks are left out. */
static void test_born_after_reference_date(void)
{
    struct policy hc = huancui_policy();
    json_t *arts = huancui_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);

    in.birth_date = date_make(1950, 6, 1);
    in.reference_date = date_make(1950, 5, 31);
    CHECK_EQ_STR(result_for(&in, "id_number", &cl), "fail");
    CHECK(json_is_null(json_object_get(cl, "age")));
    CHECK(check_of(cl, "age_max") == NULL);
    CHECK(check_of(cl, "age_preferred") == NULL);
    CHECK(json_is_null(json_object_get(check_of(cl, "id_number"), "member")));
    CHECK(json_is_null(json_object_get(check_of(cl, "id_number"), "article")));
    CHECK_EQ_STR(outcome(cl), "fail");

    in.reference_date = in.birth_date; /* born on the day: not before */
    CHECK_EQ_STR(result_for(&in, "id_number", &cl), "fail");
    in.birth_date = ELIGIBILITY_NO_DATE;
    CHECK_EQ_STR(result_for(&in, "id_number", &cl), "fail");
    in.birth_date = in.reference_date - 1;
    CHECK_EQ_STR(result_for(&in, "id_number", &cl), "pass");
    CHECK_EQ_INT(json_integer_value(json_object_get(cl, "age")), 0);
    json_decref(cl);
    json_decref(arts);
}

/* 环翠 第六条: 具有技师（二级）以上职业资格. 岚山 sets no level. */
static void test_huancui_skill_level(void)
{
    struct policy hc = huancui_policy(), ls = lanshan_policy();
    json_t *arts = huancui_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);

    CHECK_EQ_STR(result_for(&in, "skill_level", &cl), "pass");
    CHECK_EQ_STR(field(cl, "skill_level", "member"), "min_skill_level");
    CHECK_EQ_STR(field(cl, "skill_level", "article"), "第六条");
    in.skill_level = SKILL_CHIEF_TECHNICIAN;
    CHECK_EQ_STR(result_for(&in, "skill_level", &cl), "pass");
    in.skill_level = SKILL_SENIOR_WORKER;
    CHECK_EQ_STR(result_for(&in, "skill_level", &cl), "fail");
    CHECK_EQ_STR(field(cl, "skill_level", "detail"),
                 "职业技能等级为高级工（三级），低于要求的技师（二级）");
    CHECK_EQ_STR(outcome(cl), "fail");
    in.skill_level = -1;
    CHECK_EQ_STR(result_for(&in, "skill_level", &cl), "fail");
    CHECK(strstr(field(cl, "skill_level", "detail"), "未填写") != NULL);
    in = passing(&ls, NULL);
    in.skill_level = -1;
    CHECK(result_for(&in, "skill_level", &cl) == NULL);
    CHECK_EQ_STR(outcome(cl), "pass");
    json_decref(cl);
    json_decref(arts);
}

/* 环翠 第六条 在一线岗位上; 岚山 第二条 在生产服务一线. */
static void test_front_line(void)
{
    struct policy hc = huancui_policy(), ls = lanshan_policy();
    json_t *arts = huancui_articles(), *la = lanshan_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);

    in.front_line = 0;
    CHECK_EQ_STR(result_for(&in, "front_line", &cl), "fail");
    CHECK_EQ_STR(field(cl, "front_line", "article"), "第六条");
    in.front_line = -1;
    CHECK_EQ_STR(result_for(&in, "front_line", &cl), "fail");
    in = passing(&ls, la);
    in.front_line = 0;
    CHECK_EQ_STR(result_for(&in, "front_line", &cl), "fail");
    CHECK_EQ_STR(field(cl, "front_line", "article"), "第二条");
    in.front_line = 1;
    CHECK_EQ_STR(result_for(&in, "front_line", &cl), "pass");
    ls.front_line_required = false;
    in.front_line = 0;
    CHECK(result_for(&in, "front_line", &cl) == NULL);
    json_decref(cl);
    json_decref(la);
    json_decref(arts);
}

/* 环翠 第六条: 全区各类所有制经济企业中 — judged on the employer (用人单位), not
 * the recommending unit. 岚山 第二条 is open to 乡镇（街道）. */
static void test_enterprise_only(void)
{
    struct policy hc = huancui_policy(), ls = lanshan_policy();
    json_t *arts = huancui_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);

    CHECK_EQ_STR(result_for(&in, "enterprise", &cl), "pass");
    CHECK_EQ_STR(field(cl, "enterprise", "detail"), "用人单位类型为企业");
    in.employer_kind = UNIT_KIND_TOWNSHIP;
    CHECK_EQ_STR(result_for(&in, "enterprise", &cl), "fail");
    CHECK_EQ_STR(field(cl, "enterprise", "member"), "enterprise_only");
    CHECK_EQ_STR(field(cl, "enterprise", "article"), "第六条");
    CHECK_EQ_STR(field(cl, "enterprise", "detail"), "用人单位类型为乡镇，本项目仅面向企业职工");
    in.employer_kind = -1;
    in.employer_name = NULL;
    CHECK_EQ_STR(result_for(&in, "enterprise", &cl), "fail");
    CHECK_EQ_STR(result_for(&in, "employer", &cl), "fail");
    in = passing(&ls, NULL);
    in.employer_kind = UNIT_KIND_TOWNSHIP;
    CHECK(result_for(&in, "enterprise", &cl) == NULL);
    CHECK_EQ_STR(outcome(cl), "pass");
    json_decref(cl);
    json_decref(arts);
}

/* 岚山 第六条: 不重复认定. */
static void test_lanshan_once(void)
{
    struct policy ls = lanshan_policy();
    json_t *la = lanshan_articles(), *cl = NULL;
    struct eligibility_input in = passing(&ls, la);

    CHECK_EQ_STR(result_for(&in, "repeat", &cl), "pass");
    CHECK_EQ_STR(field(cl, "repeat", "member"), "repeat_rule");
    CHECK_EQ_STR(field(cl, "repeat", "article"), "第六条");
    in.earlier_recognitions = 1;
    CHECK_EQ_STR(result_for(&in, "repeat", &cl), "fail");
    CHECK_EQ_STR(outcome(cl), "fail");
    /* A title's period does not matter under "once". */
    in.earlier_recognitions = 0;
    in.held_until = in.reference_date + 100;
    CHECK_EQ_STR(result_for(&in, "repeat", &cl), "pass");
    json_decref(cl);
    json_decref(la);
}

/* 环翠 第十六条（二）: 管理期满…可以申报参加新一届评选. */
static void test_huancui_after_management_period(void)
{
    struct policy hc = huancui_policy();
    json_t *arts = huancui_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);

    CHECK_EQ_STR(result_for(&in, "repeat", &cl), "pass");
    CHECK_EQ_STR(field(cl, "repeat", "article"), "第十六条（二）");
    in.held_until = in.reference_date;
    CHECK_EQ_STR(result_for(&in, "repeat", &cl), "fail");
    CHECK_EQ_STR(field(cl, "repeat", "detail"),
                 "申报人现有称号的管理期至 1950-12-31，在基准日 1950-12-31 尚未期满");
    in.held_until = in.reference_date + 200;
    CHECK_EQ_STR(result_for(&in, "repeat", &cl), "fail");
    in.held_until = in.reference_date - 1;
    in.earlier_recognitions = 1; /* recognised before, period over */
    CHECK_EQ_STR(result_for(&in, "repeat", &cl), "pass");
    CHECK_EQ_STR(outcome(cl), "pass");
    json_decref(cl);
    json_decref(arts);
}

/* 岚山 第五条（一）, 环翠 第十条（三）: one live nomination per person and round. */
static void test_one_per_round(void)
{
    struct policy hc = huancui_policy(), ls = lanshan_policy();
    json_t *arts = huancui_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);

    CHECK_EQ_STR(result_for(&in, "one_per_round", &cl), "pass");
    in.same_round_others = 1;
    CHECK_EQ_STR(result_for(&in, "one_per_round", &cl), "fail");
    CHECK(json_is_null(json_object_get(check_of(cl, "one_per_round"), "member")));
    CHECK(json_is_null(json_object_get(check_of(cl, "one_per_round"), "article")));
    in = passing(&ls, NULL);
    in.same_round_others = 2;
    CHECK_EQ_STR(result_for(&in, "one_per_round", &cl), "fail");
    CHECK_EQ_STR(outcome(cl), "fail");
    json_decref(cl);
    json_decref(arts);
}

/* 岚山 第五条（一）: 公示时间不少于3个工作日; 环翠 第十条（二）: 经公示后上报 (no length). */
static void test_unit_publicity(void)
{
    struct policy hc = huancui_policy(), ls = lanshan_policy();
    json_t *arts = huancui_articles(), *la = lanshan_articles(), *cl = NULL;
    struct eligibility_input in = passing(&ls, la);

    in.publicity_workdays = 3;
    CHECK_EQ_STR(result_for(&in, "unit_publicity", &cl), "pass");
    CHECK_EQ_STR(field(cl, "unit_publicity", "member"), "unit_publicity_min_workdays");
    CHECK_EQ_STR(field(cl, "unit_publicity", "article"), "第五条（一）");
    in.publicity_workdays = 2;
    CHECK_EQ_STR(result_for(&in, "unit_publicity", &cl), "fail");
    CHECK_EQ_STR(field(cl, "unit_publicity", "detail"), "推荐单位公示 2 个工作日，少于 3 个工作日");
    in.publicity_workdays = 3;
    in.publicity_done = false;
    CHECK_EQ_STR(result_for(&in, "unit_publicity", &cl), "fail");
    CHECK_EQ_STR(field(cl, "unit_publicity", "member"), "unit_publicity_required");
    in.publicity_done = true;
    in.publicity_workdays = -1; /* none ran although the policy requires one */
    CHECK_EQ_STR(result_for(&in, "unit_publicity", &cl), "fail");

    in = passing(&hc, arts);
    in.publicity_workdays = 1;
    CHECK_EQ_STR(result_for(&in, "unit_publicity", &cl), "pass");
    CHECK_EQ_STR(field(cl, "unit_publicity", "member"), "unit_publicity_required");
    CHECK_EQ_STR(field(cl, "unit_publicity", "article"), "第十条（二）");
    in.publicity_done = false;
    CHECK_EQ_STR(result_for(&in, "unit_publicity", &cl), "fail");

    hc.unit_publicity_required = false;
    in.publicity_workdays = -1;
    CHECK(result_for(&in, "unit_publicity", &cl) == NULL);
    json_decref(cl);
    json_decref(la);
    json_decref(arts);
}

/* The employer is shown to the office (info), a missing one fails. */
static void test_employer(void)
{
    struct policy ls = lanshan_policy();
    json_t *cl = NULL;
    struct eligibility_input in = passing(&ls, NULL);

    CHECK_EQ_STR(result_for(&in, "employer", &cl), "info");
    CHECK_EQ_STR(field(cl, "employer", "detail"), "用人单位为威海测试机械有限公司（企业）");
    CHECK(json_is_null(json_object_get(check_of(cl, "employer"), "member")));
    CHECK_EQ_STR(outcome(cl), "pass");
    in.employer_name = NULL;
    in.employer_kind = -1;
    CHECK_EQ_STR(result_for(&in, "employer", &cl), "fail");
    CHECK_EQ_STR(field(cl, "employer", "detail"), "未填写用人单位");
    json_decref(cl);
}

/* 环翠 第十条（二） "从各类职业技能竞赛成绩优异者中推荐": channel competition shows
 * its result, and a non-enterprise recommender does not matter (the employer does). */
static void test_competition(void)
{
    struct policy hc = huancui_policy();
    json_t *arts = huancui_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);

    CHECK(result_for(&in, "competition", &cl) == NULL); /* channel unit */
    in.channel = CHANNEL_COMPETITION;
    CHECK_EQ_STR(result_for(&in, "competition", &cl), "fail");
    CHECK_EQ_STR(field(cl, "competition", "detail"), "经竞赛渠道推荐，但未填写竞赛成绩");
    in.competition.present = true;
    in.competition.name = "威海市数控技能大赛";
    in.competition.rank = "一等奖";
    in.competition.level = HONOUR_MUNICIPAL;
    in.competition.year = 1948;
    CHECK_EQ_STR(result_for(&in, "competition", &cl), "pass");
    CHECK_EQ_STR(field(cl, "competition", "detail"),
                 "经竞赛渠道推荐：1948 年市级威海市数控技能大赛，一等奖");
    CHECK_EQ_STR(result_for(&in, "enterprise", &cl), "pass");
    CHECK_EQ_STR(outcome(cl), "pass");
    json_decref(cl);
    json_decref(arts);
}

/* 环翠 第十条（二）2: 1000字左右的事迹材料 (500..1500), soft: "左右" is read as
 * "5人左右" is, so outside the bounds is a warning; 岚山 sets no bounds. */
static void test_deeds_length(void)
{
    struct policy hc = huancui_policy(), ls = lanshan_policy();
    json_t *arts = huancui_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);
    static const struct {
        size_t chars;
        const char *result, *member;
    } rows[] = {
        {0, "warning", "deeds_min_chars"},    {499, "warning", "deeds_min_chars"},
        {500, "pass", "deeds_min_chars"},     {1500, "pass", "deeds_min_chars"},
        {1501, "warning", "deeds_max_chars"}, {100000, "warning", "deeds_max_chars"},
    };

    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        in.deeds_chars = rows[i].chars;
        CHECKF(strcmp(result_for(&in, "deeds_length", &cl), rows[i].result) == 0, "row %zu", i);
        CHECK_EQ_STR(field(cl, "deeds_length", "member"), rows[i].member);
        CHECK_EQ_STR(field(cl, "deeds_length", "article"), "第十条（二）");
    }
    in.deeds_chars = 499;
    result_for(&in, "deeds_length", &cl);
    CHECK_EQ_STR(field(cl, "deeds_length", "detail"), "事迹材料 499 字，少于 500 字");
    CHECK_EQ_STR(outcome(cl), "warning");

    /* Only an upper bound: the check cites it. */
    hc.deeds_min_chars = -1;
    in.deeds_chars = 0;
    CHECK_EQ_STR(result_for(&in, "deeds_length", &cl), "pass");
    CHECK_EQ_STR(field(cl, "deeds_length", "member"), "deeds_max_chars");

    in = passing(&ls, NULL);
    in.deeds_chars = 0;
    CHECK(result_for(&in, "deeds_length", &cl) == NULL);
    CHECK_EQ_STR(outcome(cl), "pass");
    in.deeds_chars = 100000;
    CHECK(result_for(&in, "deeds_length", &cl) == NULL);
    CHECK_EQ_STR(outcome(cl), "pass");
    json_decref(cl);
    json_decref(arts);
}

/* 环翠 第十条（二）3: 证明材料. No member sets it, so nothing is cited. */
static void test_evidence(void)
{
    struct policy hc = huancui_policy(), ls = lanshan_policy();
    json_t *arts = huancui_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);

    CHECK_EQ_STR(result_for(&in, "evidence", &cl), "pass");
    in.attachments = 0;
    CHECK_EQ_STR(result_for(&in, "evidence", &cl), "warning");
    CHECK(json_is_null(json_object_get(check_of(cl, "evidence"), "member")));
    CHECK(json_is_null(json_object_get(check_of(cl, "evidence"), "article")));
    CHECK_EQ_STR(outcome(cl), "warning");
    in = passing(&ls, NULL);
    in.attachments = 0;
    CHECK_EQ_STR(result_for(&in, "evidence", &cl), "warning");
    json_decref(cl);
    json_decref(arts);
}

/* 岚山 第四条（五）: 注重荣誉基础 — information for the office, never blocking. */
static void test_honours(void)
{
    struct policy ls = lanshan_policy();
    json_t *la = lanshan_articles(), *cl = NULL;
    struct eligibility_input in = passing(&ls, la);

    in.honours_district_plus = 3;
    CHECK_EQ_STR(result_for(&in, "honours", &cl), "info");
    CHECK_EQ_STR(field(cl, "honours", "member"), "honours_considered");
    CHECK_EQ_STR(field(cl, "honours", "article"), "第四条（五）");
    CHECK(strstr(field(cl, "honours", "detail"), "3 项") != NULL);
    in.honours_district_plus = 0;
    CHECK_EQ_STR(result_for(&in, "honours", &cl), "info");
    CHECK(strstr(field(cl, "honours", "detail"), "0 项") != NULL);
    CHECK_EQ_STR(outcome(cl), "pass");
    ls.honours_considered = false;
    CHECK(result_for(&in, "honours", &cl) == NULL);
    json_decref(cl);
    json_decref(la);
}

/* The worst result wins; info counts as pass. */
static void test_outcome(void)
{
    struct policy hc = huancui_policy();
    json_t *arts = huancui_articles(), *cl = NULL;
    struct eligibility_input in = passing(&hc, arts);

    in.birth_date = date_make(1900, 1, 1);
    in.reference_date = date_make(1940, 1, 1); /* 40: preferred (info) */
    result_for(&in, "evidence", &cl);
    CHECK_EQ_STR(outcome(cl), "pass");
    in.attachments = 0; /* + warning */
    result_for(&in, "evidence", &cl);
    CHECK_EQ_STR(outcome(cl), "warning");
    in.reference_date = date_make(1960, 1, 1); /* + age warning */
    result_for(&in, "evidence", &cl);
    CHECK_EQ_STR(outcome(cl), "warning");
    in.employer_kind = UNIT_KIND_AGENCY; /* + fail */
    result_for(&in, "evidence", &cl);
    CHECK_EQ_STR(outcome(cl), "fail");
    in.attachments = 1;
    in.reference_date = date_make(1940, 1, 1); /* fail alone */
    result_for(&in, "evidence", &cl);
    CHECK_EQ_STR(outcome(cl), "fail");
    json_decref(cl);
    json_decref(arts);
}

/* ---- eligibility_clear ---- */

static bool has_error(const struct problem *p, const char *pointer)
{
    for (size_t i = 0; i < p->n_errors; i++) {
        if (strcmp(p->errors[i].pointer, pointer) == 0) {
            return true;
        }
    }
    return false;
}

/* A checklist of the Huancui policy with the given faults. */
static json_t *huancui_checklist(int age, int attachments, int skill_level)
{
    struct policy hc = huancui_policy();
    json_t *arts = huancui_articles(), *cl;
    struct eligibility_input in = passing(&hc, arts);

    in.birth_date = date_make(1900, 1, 1);
    in.reference_date = date_make(1900 + age, 1, 1);
    in.attachments = attachments;
    in.skill_level = skill_level;
    cl = eligibility_run(&in);
    json_decref(arts);
    return cl;
}

static void test_clear_pass(void)
{
    json_t *cl = huancui_checklist(50, 1, SKILL_TECHNICIAN), *empty = json_array();
    struct problem p = PROBLEM_INIT;

    CHECK(eligibility_clear(cl, NULL, &p));
    CHECK(eligibility_clear(cl, empty, &p));
    CHECK(eligibility_clear(cl, json_null(), &p));
    CHECK_EQ_INT(p.n_errors, 0);
    problem_clear(&p);
    json_decref(empty);
    json_decref(cl);
}

/* A soft age limit (环翠 第七条（五）) and missing evidence need an override each. */
static void test_clear_warnings_need_overrides(void)
{
    json_t *cl = huancui_checklist(56, 0, SKILL_TECHNICIAN), *ov;
    struct problem p = PROBLEM_INIT;

    CHECK_EQ_STR(outcome(cl), "warning");
    CHECK(!eligibility_clear(cl, NULL, &p));
    CHECK_EQ_INT(p.err, APP_ERR_VALIDATION);
    CHECK_EQ_INT(p.n_errors, 2);
    CHECK(has_error(&p, "/overrides"));
    problem_clear(&p);

    p = (struct problem)PROBLEM_INIT;
    ov = json_pack("[{s:s, s:s}]", "check", "age_max", "reason", "绝技绝活突出，经研究放宽年龄");
    CHECK(!eligibility_clear(cl, ov, &p)); /* evidence still open */
    CHECK_EQ_INT(p.n_errors, 1);
    CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_EN], "evidence") != NULL);
    CHECK_EQ_STR(p.errors[0].code, "override_required");
    problem_clear(&p);
    json_decref(ov);

    p = (struct problem)PROBLEM_INIT;
    ov = json_pack("[{s:s, s:s}, {s:s, s:s}]", "check", "age_max", "reason", "放宽年龄", "check",
                   "evidence", "reason", "材料已线下报送");
    CHECK(eligibility_clear(cl, ov, &p));
    CHECK_EQ_INT(p.n_errors, 0);
    problem_clear(&p);
    json_decref(ov);
    json_decref(cl);
}

/* A failed check cannot be overridden, not even with an override for it. */
static void test_clear_fail_is_final(void)
{
    json_t *cl = huancui_checklist(50, 1, SKILL_SENIOR_WORKER), *ov;
    struct problem p = PROBLEM_INIT;

    CHECK(!eligibility_clear(cl, NULL, &p));
    CHECK_EQ_INT(p.err, APP_ERR_VALIDATION);
    CHECK(has_error(&p, "/overrides"));
    CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_EN], "skill_level") != NULL);
    CHECK_EQ_STR(p.errors[0].code, "check_failed");
    /* Chinese names the check by its label, not its code. */
    CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_ZH], "skill_level") == NULL);
    CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_ZH], "不可豁免") != NULL);
    problem_clear(&p);

    p = (struct problem)PROBLEM_INIT;
    ov = json_pack("[{s:s, s:s}]", "check", "skill_level", "reason", "技能突出");
    CHECK(!eligibility_clear(cl, ov, &p));
    CHECK(has_error(&p, "/overrides/0/check"));
    CHECK(has_error(&p, "/overrides"));
    problem_clear(&p);
    json_decref(ov);
    json_decref(cl);
}

/* Overriding a check that passed, is only information, or does not exist is refused. */
static void test_clear_override_of_non_warning(void)
{
    json_t *cl = huancui_checklist(56, 1, SKILL_TECHNICIAN), *ov;
    struct problem p = PROBLEM_INIT;
    static const char *const codes[] = {"skill_level", "age_preferred", "no_such_check"};

    for (size_t i = 0; i < TEST_COUNT(codes); i++) {
        p = (struct problem)PROBLEM_INIT;
        ov = json_pack("[{s:s, s:s}, {s:s, s:s}]", "check", "age_max", "reason", "放宽", "check",
                       codes[i], "reason", "理由");
        CHECKF(!eligibility_clear(cl, ov, &p), "%s", codes[i]);
        CHECKF(p.n_errors == 1 && has_error(&p, "/overrides/1/check"), "%s", codes[i]);
        CHECK_EQ_STR(p.errors[0].code, "override_not_warning");
        CHECK_EQ_INT(p.err, APP_ERR_VALIDATION);
        problem_clear(&p);
        json_decref(ov);
    }
    json_decref(cl);
}

static void
expect_malformed(const json_t *cl, const char *overrides, const char *pointer, enum app_err err)
{
    json_t *ov = json_loads(overrides, JSON_DECODE_ANY, NULL);
    struct problem p = PROBLEM_INIT;

    CHECKF(ov != NULL, "cannot parse %s", overrides);
    CHECKF(!eligibility_clear(cl, ov, &p), "accepted %s", overrides);
    CHECKF(has_error(&p, pointer), "%s: no error at %s (first: %s)", overrides, pointer,
           p.n_errors > 0 ? p.errors[0].pointer : "none");
    CHECKF(p.err == err, "%s: err %d", overrides, (int)p.err);
    problem_clear(&p);
    json_decref(ov);
}

static void test_clear_malformed(void)
{
    json_t *cl = huancui_checklist(56, 1, SKILL_TECHNICIAN);
    char reason[3 * 501 + 64], body[sizeof(reason) + 64];

    expect_malformed(cl, "{}", "/overrides", APP_ERR_VALIDATION);
    expect_malformed(cl, "\"age_max\"", "/overrides", APP_ERR_VALIDATION);
    expect_malformed(cl, "[{\"check\": \"age_max\", \"reason\": \"x\"}, 1]", "/overrides/1",
                     APP_ERR_VALIDATION);
    expect_malformed(cl, "[{\"check\": \"age_max\"}]", "/overrides/0/reason", APP_ERR_VALIDATION);
    expect_malformed(cl, "[{\"reason\": \"x\"}]", "/overrides/0/check", APP_ERR_VALIDATION);
    expect_malformed(cl, "[{\"check\": \"age_max\", \"reason\": \"\"}]", "/overrides/0/reason",
                     APP_ERR_VALIDATION);
    expect_malformed(cl, "[{\"check\": 7, \"reason\": \"x\"}]", "/overrides/0/check",
                     APP_ERR_VALIDATION);
    expect_malformed(cl, "[{\"check\": \"\", \"reason\": \"x\"}]", "/overrides/0/check",
                     APP_ERR_VALIDATION);
    expect_malformed(cl, "[{\"check\": \"age_max\", \"reason\": \"x\", \"by\": \"me\"}]",
                     "/overrides/0/by", APP_ERR_UNKNOWN_FIELD);
    expect_malformed(cl,
                     "[{\"check\": \"age_max\", \"reason\": \"a\"},"
                     " {\"check\": \"age_max\", \"reason\": \"b\"}]",
                     "/overrides/1/check", APP_ERR_VALIDATION);

    /* Every malformed override at once; unknown members alone (400) first. */
    {
        json_t *ov =
            json_loads("[{\"check\": 7, \"reason\": \"x\"}, {\"check\": \"age_max\"}, 1]", 0, NULL);
        struct problem p = PROBLEM_INIT;

        CHECK(!eligibility_clear(cl, ov, &p));
        CHECK_EQ_INT(p.err, APP_ERR_VALIDATION);
        CHECK_EQ_INT(p.n_errors, 3);
        CHECK(has_error(&p, "/overrides/0/check") && has_error(&p, "/overrides/1/reason") &&
              has_error(&p, "/overrides/2"));
        problem_clear(&p);
        json_decref(ov);
        ov = json_loads("[{\"check\": 7, \"reason\": \"x\"}, {\"check\": \"a\", \"by\": 1}]", 0,
                        NULL);
        p = (struct problem)PROBLEM_INIT;
        CHECK(!eligibility_clear(cl, ov, &p));
        CHECK_EQ_INT(p.err, APP_ERR_UNKNOWN_FIELD);
        CHECK_EQ_INT(p.n_errors, 1);
        CHECK(has_error(&p, "/overrides/1/by"));
        problem_clear(&p);
        json_decref(ov);
    }

    /* reason: 1..500 code points, counted as characters, not bytes. */
    for (int n = 500; n <= 501; n++) {
        json_t *ov;
        struct problem p = PROBLEM_INIT;

        reason[0] = '\0';
        for (int i = 0; i < n; i++) {
            strcat(reason, "匠");
        }
        snprintf(body, sizeof(body), "[{\"check\": \"age_max\", \"reason\": \"%s\"}]", reason);
        ov = json_loads(body, 0, NULL);
        CHECK_EQ_INT(eligibility_clear(cl, ov, &p), n == 500);
        CHECK_EQ_INT(has_error(&p, "/overrides/0/reason"), n == 501);
        problem_clear(&p);
        json_decref(ov);
    }
    json_decref(cl);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"a nominee meeting every rule passes both policies", test_passing_nominee},
        {"checks in the documented order and shape", test_order_and_shape},
        {"环翠 第七条（五）: 55 passes, 56 warns, the day before 56 passes",
         test_huancui_age_soft_limit},
        {"a hard age limit fails above it", test_hard_age_limit},
        {"环翠 第七条（五）: 45 preferred, 46 not (info)", test_huancui_age_preferred},
        {"a 29 February birthday turns a year older on 1 March", test_leap_day_birthday},
        {"GB 11643: born on or after the reference date fails id_number",
         test_born_after_reference_date},
        {"环翠 第六条: technician or above", test_huancui_skill_level},
        {"环翠 第六条, 岚山 第二条: front-line post", test_front_line},
        {"环翠 第六条: enterprises only", test_enterprise_only},
        {"岚山 第六条: recognised once", test_lanshan_once},
        {"环翠 第十六条（二）: again only after the management period",
         test_huancui_after_management_period},
        {"one live nomination per person and round", test_one_per_round},
        {"岚山 第五条（一） ≥ 3 working days; 环翠 第十条（二） publicity", test_unit_publicity},
        {"环翠 第十条（二）2: deeds 500..1500, soft; 岚山 unbounded", test_deeds_length},
        {"the employer (用人单位) shown, required", test_employer},
        {"环翠 第十条（二）: the competition channel's result", test_competition},
        {"环翠 第十条（二）3: no evidence file is a warning", test_evidence},
        {"岚山 第四条（五）: honours are information", test_honours},
        {"outcome is the worst result, info counting as pass", test_outcome},
        {"clear: a passing checklist needs no override", test_clear_pass},
        {"clear: each warning needs an override", test_clear_warnings_need_overrides},
        {"clear: a failed check cannot be overridden", test_clear_fail_is_final},
        {"clear: only warnings can be overridden", test_clear_override_of_non_warning},
        {"clear: malformed overrides are refused with pointers", test_clear_malformed},
    };

    return test_run(cases, TEST_COUNT(cases));
}
