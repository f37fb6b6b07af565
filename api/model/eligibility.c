/* SPDX-License-Identifier: MIT */
/*
 * The eligibility checklist. One small function per rule appends its check
 * in the order eligibility.h lists; each names the policy member it comes
 * from so the article cited is the policy's own, never one written here.
 * Details are short Chinese findings about ages, levels, dates and counts:
 * never the name, the ID number or the phone.
 */
#include "eligibility.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "idcard.h"
#include "json_fields.h"
#include "nomination_guards.h"
#include "workdays.h"

#define DETAIL_MAX      256
#define CHECK_CODE_MAX  48  /* bytes of an override's check code */
#define REASON_MAX      500 /* code points of an override's reason */
#define OVERRIDES_MAX   32  /* more cannot be meaningful: there are 14 checks */
#define UNKNOWN_LABEL   "未知"
#define DATE_TEXT_BYTES 11

static const char *const result_names[] = {
    [CHECK_PASS] = "pass",
    [CHECK_INFO] = "info",
    [CHECK_WARNING] = "warning",
    [CHECK_FAIL] = "fail",
};

/* The checks, in the order eligibility.h lists them. */
enum check_code {
    CK_ID_NUMBER = 0,
    CK_AGE_MAX,
    CK_AGE_PREFERRED,
    CK_SKILL_LEVEL,
    CK_FRONT_LINE,
    CK_EMPLOYER,
    CK_ENTERPRISE,
    CK_COMPETITION,
    CK_REPEAT,
    CK_ONE_PER_ROUND,
    CK_UNIT_PUBLICITY,
    CK_DEEDS_LENGTH,
    CK_HONOURS,
    CK_EVIDENCE,
};

/* clang-format off */
static const struct {
    const char *code, *label, *label_en;
} check_names[] = {
    [CK_ID_NUMBER]      = {"id_number",      "身份证号码",   "ID number"},
    [CK_AGE_MAX]        = {"age_max",        "年龄上限",     "Age limit"},
    [CK_AGE_PREFERRED]  = {"age_preferred",  "优先年龄",     "Preferred age"},
    [CK_SKILL_LEVEL]    = {"skill_level",    "职业技能等级", "Skill level"},
    [CK_FRONT_LINE]     = {"front_line",     "一线岗位",     "Front-line post"},
    [CK_EMPLOYER]       = {"employer",       "用人单位",     "Employer"},
    [CK_ENTERPRISE]     = {"enterprise",     "企业职工",     "Enterprise employee"},
    [CK_COMPETITION]    = {"competition",    "竞赛成绩",     "Competition result"},
    [CK_REPEAT]         = {"repeat",         "重复申报",     "Repeat nomination"},
    [CK_ONE_PER_ROUND]  = {"one_per_round",  "本轮唯一申报", "One nomination per round"},
    [CK_UNIT_PUBLICITY] = {"unit_publicity", "单位公示",     "Unit publicity"},
    [CK_DEEDS_LENGTH]   = {"deeds_length",   "事迹材料字数", "Length of the deeds"},
    [CK_HONOURS]        = {"honours",        "荣誉奖项",     "Honours and awards"},
    [CK_EVIDENCE]       = {"evidence",       "证明材料",     "Evidence files"},
};
/* clang-format on */

struct checklist {
    const struct eligibility_input *in;
    json_t *checks;
    enum check_result worst;
    bool oom;
    char ref[DATE_TEXT_BYTES]; /* the reference date as text */
};

/* articles[member], borrowed, or NULL. */
static const char *article_of(const struct eligibility_input *in, const char *member)
{
    if (member == NULL || in->articles == NULL) {
        return NULL;
    }
    return json_string_value(json_object_get(in->articles, member));
}

/* Appends one check; `member` (may be NULL) is the policy member the rule comes from. */
__attribute__((format(printf, 5, 6))) static void add(struct checklist *cl,
                                                      enum check_code code,
                                                      enum check_result result,
                                                      const char *member,
                                                      const char *fmt,
                                                      ...)
{
    char detail[DETAIL_MAX];
    json_t *item;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    problem_utf8_trim(detail);
    item = json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:s, s:s}", "check", check_names[code].code,
                     "result", result_names[result], "member", member, "article",
                     article_of(cl->in, member), "label", check_names[code].label, "label_en",
                     check_names[code].label_en, "detail", detail);
    if (item == NULL || json_array_append_new(cl->checks, item) != 0) {
        cl->oom = true;
    }
    if (result > cl->worst) {
        cl->worst = result;
    }
}

/* Full years on `ref` for someone born on `birth` (idcard_age_at's rule), -1 if not yet born. */
static int age_at(int32_t birth, int32_t ref)
{
    struct idcard c = {0};
    int y, m, d;

    date_split(birth, &c.birth_year, &c.birth_month, &c.birth_day);
    date_split(ref, &y, &m, &d);
    return idcard_age_at(&c, y, m, d);
}

static const char *level_label(int level)
{
    const char *s = enums_label(ENUMS_SKILL_LEVELS, level);

    return s != NULL ? s : UNKNOWN_LABEL;
}

/* The birth date is derived from a number already checked against GB 11643 at intake. */
static bool check_id_number(struct checklist *cl)
{
    const struct eligibility_input *in = cl->in;

    if (in->birth_date == ELIGIBILITY_NO_DATE) {
        add(cl, CK_ID_NUMBER, CHECK_FAIL, NULL, "身份证号码无效，无法确定出生日期");
        return false;
    }
    if (in->birth_date >= in->reference_date) {
        add(cl, CK_ID_NUMBER, CHECK_FAIL, NULL, "身份证号码所载出生日期不早于基准日 %s", cl->ref);
        return false;
    }
    add(cl, CK_ID_NUMBER, CHECK_PASS, NULL, "身份证号码有效，出生日期早于基准日 %s", cl->ref);
    return true;
}

static void check_age(struct checklist *cl, int age)
{
    const struct policy *pol = cl->in->policy;

    if (pol->age_max >= 0) {
        if (age <= pol->age_max) {
            add(cl, CK_AGE_MAX, CHECK_PASS, "age_max",
                "申报人在基准日 %s 年满 %d 周岁，未超过年龄上限 %d 周岁", cl->ref, age,
                pol->age_max);
        } else if (pol->age_max_hard) {
            add(cl, CK_AGE_MAX, CHECK_FAIL, "age_max",
                "申报人在基准日 %s 年满 %d 周岁，超过年龄上限 %d 周岁", cl->ref, age, pol->age_max);
        } else {
            add(cl, CK_AGE_MAX, CHECK_WARNING, "age_max",
                "申报人在基准日 %s 年满 %d 周岁，超过一般年龄上限 %d 周岁", cl->ref, age,
                pol->age_max);
        }
    }
    if (pol->age_preferred_max >= 0) {
        add(cl, CK_AGE_PREFERRED, CHECK_INFO, "age_preferred_max",
            age <= pol->age_preferred_max
                ? "申报人在基准日 %s 年满 %d 周岁，在 %d 周岁（含）以下，同等条件下优先"
                : "申报人在基准日 %s 年满 %d 周岁，超过优先年龄 %d 周岁",
            cl->ref, age, pol->age_preferred_max);
    }
}

static void check_skill_level(struct checklist *cl)
{
    const struct eligibility_input *in = cl->in;
    int min = in->policy->min_skill_level;

    if (min < 0) {
        return;
    }
    if (in->skill_level < 0) {
        add(cl, CK_SKILL_LEVEL, CHECK_FAIL, "min_skill_level", "未填写职业技能等级，要求%s以上",
            level_label(min));
    } else if (in->skill_level < min) {
        add(cl, CK_SKILL_LEVEL, CHECK_FAIL, "min_skill_level", "职业技能等级为%s，低于要求的%s",
            level_label(in->skill_level), level_label(min));
    } else {
        add(cl, CK_SKILL_LEVEL, CHECK_PASS, "min_skill_level", "职业技能等级为%s，达到%s以上的要求",
            level_label(in->skill_level), level_label(min));
    }
}

static void check_front_line(struct checklist *cl)
{
    if (!cl->in->policy->front_line_required) {
        return;
    }
    if (cl->in->front_line == 1) {
        add(cl, CK_FRONT_LINE, CHECK_PASS, "front_line_required", "申报人在一线岗位工作");
    } else {
        add(cl, CK_FRONT_LINE, CHECK_FAIL, "front_line_required",
            cl->in->front_line == 0 ? "申报人不在一线岗位，本项目要求一线岗位"
                                    : "未填写是否在一线岗位，本项目要求一线岗位");
    }
}

/* The 用人单位 the office (and later the review's conflicts) sees. */
static void check_employer(struct checklist *cl)
{
    const struct eligibility_input *in = cl->in;
    const char *kind = enums_label(ENUMS_UNIT_KINDS, in->employer_kind);

    if (in->employer_name == NULL || in->employer_kind < 0) {
        add(cl, CK_EMPLOYER, CHECK_FAIL, NULL, "未填写用人单位");
        return;
    }
    add(cl, CK_EMPLOYER, CHECK_INFO, NULL, "用人单位为%s（%s）", in->employer_name,
        kind != NULL ? kind : UNKNOWN_LABEL);
}

/* 环翠 第六条 "全区各类所有制经济企业中…的高技能人才": the employer's kind
 * decides, not the recommending unit's (a competition winner may be
 * recommended by a body that is not an enterprise, 第十条（二）). */
static void check_enterprise(struct checklist *cl)
{
    const struct eligibility_input *in = cl->in;
    const char *kind = enums_label(ENUMS_UNIT_KINDS, in->employer_kind);
    bool ok = in->employer_kind == UNIT_KIND_ENTERPRISE;

    if (!in->policy->enterprise_only) {
        return;
    }
    if (in->employer_kind < 0) {
        add(cl, CK_ENTERPRISE, CHECK_FAIL, "enterprise_only",
            "未填写用人单位，本项目仅面向企业职工");
        return;
    }
    add(cl, CK_ENTERPRISE, ok ? CHECK_PASS : CHECK_FAIL, "enterprise_only",
        ok ? "用人单位类型为%s" : "用人单位类型为%s，本项目仅面向企业职工",
        kind != NULL ? kind : UNKNOWN_LABEL);
}

/* Channel competition (环翠 第十条（二） "从各类职业技能竞赛成绩优异者中推荐"): the
 * result it rests on. No policy member sets it: nothing to cite. */
static void check_competition(struct checklist *cl)
{
    const struct eligibility_input *in = cl->in;
    const char *level = enums_label(ENUMS_HONOUR_LEVELS, in->competition.level);

    if (in->channel != CHANNEL_COMPETITION) {
        return;
    }
    if (!in->competition.present) {
        add(cl, CK_COMPETITION, CHECK_FAIL, NULL, "经竞赛渠道推荐，但未填写竞赛成绩");
        return;
    }
    add(cl, CK_COMPETITION, CHECK_PASS, NULL, "经竞赛渠道推荐：%d 年%s%s，%s", in->competition.year,
        level != NULL ? level : UNKNOWN_LABEL,
        in->competition.name != NULL ? in->competition.name : "",
        in->competition.rank != NULL ? in->competition.rank : "");
}

static void check_repeat(struct checklist *cl)
{
    const struct eligibility_input *in = cl->in;
    char until[DATE_TEXT_BYTES];

    if (in->policy->repeat_once) {
        if (in->earlier_recognitions > 0) {
            add(cl, CK_REPEAT, CHECK_FAIL, "repeat_rule",
                "申报人已在本项目往届获得认定（%d 次），不重复认定", in->earlier_recognitions);
        } else {
            add(cl, CK_REPEAT, CHECK_PASS, "repeat_rule", "申报人未在本项目往届获得认定");
        }
        return;
    }
    if (in->held_until == ELIGIBILITY_NO_DATE) {
        add(cl, CK_REPEAT, CHECK_PASS, "repeat_rule", "申报人在本项目没有处于管理期内的称号");
        return;
    }
    date_format(in->held_until, until);
    if (in->held_until >= in->reference_date) {
        add(cl, CK_REPEAT, CHECK_FAIL, "repeat_rule",
            "申报人现有称号的管理期至 %s，在基准日 %s 尚未期满", until, cl->ref);
    } else {
        add(cl, CK_REPEAT, CHECK_PASS, "repeat_rule",
            "申报人原有称号的管理期于 %s 届满，早于基准日 %s", until, cl->ref);
    }
}

static void check_one_per_round(struct checklist *cl)
{
    if (cl->in->same_round_others > 0) {
        add(cl, CK_ONE_PER_ROUND, CHECK_FAIL, NULL, "申报人在本轮已有其他有效申报（%d 项）",
            cl->in->same_round_others);
    } else {
        add(cl, CK_ONE_PER_ROUND, CHECK_PASS, NULL, "申报人在本轮没有其他有效申报");
    }
}

/* Cites the minimum when the policy fixes one, else the bare requirement. */
static void check_unit_publicity(struct checklist *cl)
{
    const struct eligibility_input *in = cl->in;
    int min = in->policy->unit_publicity_min_workdays;
    const char *member = min > 0 ? "unit_publicity_min_workdays" : "unit_publicity_required";

    if (!in->policy->unit_publicity_required) {
        return;
    }
    if (!in->publicity_done || in->publicity_workdays < 0) {
        add(cl, CK_UNIT_PUBLICITY, CHECK_FAIL, "unit_publicity_required",
            in->publicity_workdays < 0 ? "推荐单位未进行公示" : "推荐单位的公示尚未期满");
    } else if (in->publicity_workdays < min) {
        add(cl, CK_UNIT_PUBLICITY, CHECK_FAIL, member, "推荐单位公示 %d 个工作日，少于 %d 个工作日",
            in->publicity_workdays, min);
    } else {
        add(cl, CK_UNIT_PUBLICITY, CHECK_PASS, member, "推荐单位已公示 %d 个工作日，公示期满",
            in->publicity_workdays);
    }
}

/* Soft (环翠 第十条（二） "1000字左右", read as "5人左右" is): outside the
 * bounds is a warning the office may override with a reason. */
static void check_deeds(struct checklist *cl)
{
    const struct policy *pol = cl->in->policy;
    size_t n = cl->in->deeds_chars;

    if (pol->deeds_min_chars < 0 && pol->deeds_max_chars < 0) {
        return;
    }
    switch (nomination_deeds_check(pol, n)) {
    case DEEDS_TOO_SHORT:
        add(cl, CK_DEEDS_LENGTH, CHECK_WARNING, "deeds_min_chars", "事迹材料 %zu 字，少于 %d 字", n,
            pol->deeds_min_chars);
        break;
    case DEEDS_TOO_LONG:
    case DEEDS_OVER_STORAGE:
        add(cl, CK_DEEDS_LENGTH, CHECK_WARNING,
            pol->deeds_max_chars >= 0 ? "deeds_max_chars" : NULL, "事迹材料 %zu 字，多于 %d 字", n,
            pol->deeds_max_chars >= 0 ? pol->deeds_max_chars : NOMINATION_DEEDS_HARD_MAX);
        break;
    case DEEDS_OK:
        add(cl, CK_DEEDS_LENGTH, CHECK_PASS,
            pol->deeds_min_chars >= 0 ? "deeds_min_chars" : "deeds_max_chars",
            "事迹材料 %zu 字，符合字数要求", n);
        break;
    }
}

static void check_honours(struct checklist *cl)
{
    int n = cl->in->honours_district_plus > 0 ? cl->in->honours_district_plus : 0;

    if (!cl->in->policy->honours_considered) {
        return;
    }
    add(cl, CK_HONOURS, CHECK_INFO, "honours_considered", "区级及以上荣誉、奖项和竞赛成绩 %d 项",
        n);
}

/* No policy member sets it (a form asks for evidence, 环翠 第十条（二）3): nothing to cite. */
static void check_evidence(struct checklist *cl)
{
    if (cl->in->attachments > 0) {
        add(cl, CK_EVIDENCE, CHECK_PASS, NULL, "已上传证明材料 %d 份", cl->in->attachments);
    } else {
        add(cl, CK_EVIDENCE, CHECK_WARNING, NULL, "未上传任何证明材料");
    }
}

json_t *eligibility_run(const struct eligibility_input *in)
{
    struct checklist cl = {.in = in, .worst = CHECK_PASS};
    json_t *out = NULL;
    int age = -1;

    cl.checks = json_array();
    if (cl.checks == NULL) {
        return NULL;
    }
    date_format(in->reference_date, cl.ref);
    if (check_id_number(&cl)) {
        age = age_at(in->birth_date, in->reference_date);
        check_age(&cl, age);
    }
    check_skill_level(&cl);
    check_front_line(&cl);
    check_employer(&cl);
    check_enterprise(&cl);
    check_competition(&cl);
    check_repeat(&cl);
    check_one_per_round(&cl);
    check_unit_publicity(&cl);
    check_deeds(&cl);
    check_honours(&cl);
    check_evidence(&cl);
    if (!cl.oom) {
        out = json_pack("{s:s, s:o, s:O}", "outcome",
                        cl.worst == CHECK_FAIL      ? "fail"
                        : cl.worst == CHECK_WARNING ? "warning"
                                                    : "pass",
                        "age", age >= 0 ? json_integer(age) : json_null(), "checks", cl.checks);
    }
    json_decref(cl.checks);
    return out;
}

/* ---- Overrides ---- */

static const struct json_field override_fields[] = {
    {"check", JF_STRING, true, 1, CHECK_CODE_MAX},
    {"reason", JF_STRING, true, 1, REASON_MAX},
};

/* Every fault of shape, each under /overrides/<i>: the unknown members of
 * every override first (400), else every other fault (422). */
static bool overrides_well_formed(const json_t *overrides, struct problem *p)
{
    bool ok = true;
    size_t i, j;
    json_t *o;

    if (!json_is_array(overrides)) {
        problem_field(p, APP_ERR_VALIDATION, "/overrides", "wrong_type", "应为数组",
                      "must be an array");
        return false;
    }
    if (json_array_size(overrides) > OVERRIDES_MAX) {
        problem_field(p, APP_ERR_VALIDATION, "/overrides", "too_many_items", "最多 %d 项",
                      "must have at most %d elements", OVERRIDES_MAX);
        return false;
    }
    json_array_foreach(overrides, i, o)
    {
        char ptr[PROBLEM_POINTER_MAX];

        snprintf(ptr, sizeof(ptr), "/overrides/%zu", i);
        if (json_is_object(o) && !json_fields_unknown(o, override_fields, 2, ptr, p)) {
            ok = false;
        }
    }
    if (!ok) {
        return false;
    }
    json_array_foreach(overrides, i, o)
    {
        char ptr[PROBLEM_POINTER_MAX];

        snprintf(ptr, sizeof(ptr), "/overrides/%zu", i);
        if (!json_fields_check(o, override_fields, 2, ptr, p)) {
            ok = false;
        }
    }
    for (i = 0; ok && i < json_array_size(overrides); i++) {
        const char *code =
            json_string_value(json_object_get(json_array_get(overrides, i), "check"));

        for (j = 0; j < i; j++) {
            const char *other =
                json_string_value(json_object_get(json_array_get(overrides, j), "check"));

            if (strcmp(code, other) == 0) {
                char ptr[PROBLEM_POINTER_MAX];

                snprintf(ptr, sizeof(ptr), "/overrides/%zu/check", i);
                problem_field(p, APP_ERR_VALIDATION, ptr, "duplicate_override",
                              "对检查项“%s”重复豁免", "duplicate override of \"%s\"", code);
                ok = false;
                break;
            }
        }
    }
    return ok;
}

/* enum check_result of a check object, or -1 for none of the four. */
static int result_of(const json_t *check)
{
    const char *r = json_string_value(json_object_get(check, "result"));

    for (int k = CHECK_PASS; r != NULL && k <= CHECK_FAIL; k++) {
        if (strcmp(r, result_names[k]) == 0) {
            return k;
        }
    }
    return -1;
}

/* The check object named `code` in the checklist, borrowed, or NULL. */
static const json_t *check_named(const json_t *checks, const char *code)
{
    size_t i;
    json_t *c;

    json_array_foreach(checks, i, c)
    {
        const char *name = json_string_value(json_object_get(c, "check"));

        if (name != NULL && strcmp(name, code) == 0) {
            return c;
        }
    }
    return NULL;
}

static bool overridden(const json_t *overrides, const char *code)
{
    size_t i;
    json_t *o;

    json_array_foreach(overrides, i, o)
    {
        if (strcmp(json_string_value(json_object_get(o, "check")), code) == 0) {
            return true;
        }
    }
    return false;
}

bool eligibility_clear(const json_t *checklist, const json_t *overrides, struct problem *p)
{
    const json_t *checks = json_object_get(checklist, "checks");
    json_t *empty = NULL;
    bool ok = true;
    size_t i;
    json_t *c;

    if (overrides == NULL || json_is_null(overrides)) {
        overrides = empty = json_array();
        if (empty == NULL) {
            problem_kind(p, APP_ERR_INTERNAL);
            return false;
        }
    }
    if (!overrides_well_formed(overrides, p)) {
        json_decref(empty);
        return false;
    }
    json_array_foreach(overrides, i, c)
    {
        const char *code = json_string_value(json_object_get(c, "check"));
        char ptr[PROBLEM_POINTER_MAX];

        if (result_of(check_named(checks, code)) != CHECK_WARNING) {
            snprintf(ptr, sizeof(ptr), "/overrides/%zu/check", i);
            problem_field(p, APP_ERR_VALIDATION, ptr, "override_not_warning",
                          "“%s”不是资格审查清单中的警告项，只有警告项可以豁免",
                          "\"%s\" is not a warning of the checklist; only warnings can be "
                          "overridden",
                          code);
            ok = false;
        }
    }
    json_array_foreach(checks, i, c)
    {
        const char *code = json_string_value(json_object_get(c, "check"));
        const char *label = json_string_value(json_object_get(c, "label"));
        int r = result_of(c);

        if (code == NULL) {
            continue;
        }
        if (r == CHECK_FAIL) {
            /* Both formats take the label and the code; each prints one (%.0s: nothing). */
            problem_field(p, APP_ERR_VALIDATION, "/overrides", "check_failed",
                          "资格条件“%s”%.0s未通过，不可豁免",
                          "check %.0s\"%s\" failed; a failed check cannot be overridden",
                          label != NULL ? label : code, code);
            ok = false;
        } else if (r == CHECK_WARNING && !overridden(overrides, code)) {
            problem_field(p, APP_ERR_VALIDATION, "/overrides", "override_required",
                          "资格条件“%s”%.0s为警告项，须说明理由予以豁免",
                          "check %.0s\"%s\" is a warning and needs an override with a reason",
                          label != NULL ? label : code, code);
            ok = false;
        }
    }
    json_decref(empty);
    return ok;
}
