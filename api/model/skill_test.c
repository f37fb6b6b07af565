/* SPDX-License-Identifier: MIT */
/*
 * The on-site skill test's rules (model/skill_test.h). 环翠 第十条（四）.
 */
#include "skill_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "civil_time.h"
#include "date_rules.h"
#include "json_fields.h"
#include "uuid.h"

static const struct json_field body_fields[] = {
    {"examiners", JF_ARRAY, true, 1, SKILL_TEST_EXAMINERS_MAX},
    {"tested_on", JF_STRING, true, 1, 10},
    {"note", JF_STRING | JF_NULL, false, 1, SKILL_TEST_NOTE_MAX},
    {"reason", JF_STRING | JF_NULL, false, 1, SKILL_TEST_REASON_MAX},
    {"score_sheet_id", JF_STRING | JF_NULL, false, 1, 64},
    {"score", 0, false, 0, 0}, /* a JSON number: checked below (json_fields takes no reals) */
};
#define N_BODY_FIELDS (sizeof(body_fields) / sizeof(body_fields[0]))

bool skill_test_score_value(const json_t *v, int *ret_hundredths)
{
    double d, h;

    if (json_is_integer(v)) {
        json_int_t n = json_integer_value(v);
        if (n < 0 || n > SKILL_TEST_SCORE_MAX / 100) {
            return false;
        }
        *ret_hundredths = (int)n * 100;
        return true;
    }
    if (!json_is_real(v)) {
        return false;
    }
    d = json_real_value(v);
    if (!isfinite(d) || d < 0.0 || d > SKILL_TEST_SCORE_MAX / 100.0) {
        return false;
    }
    h = round(d * 100.0);
    /* Two decimal places: d*100 within rounding noise of an integer. */
    if (fabs(d * 100.0 - h) > 1e-6 * (1.0 + fabs(h))) {
        return false;
    }
    *ret_hundredths = (int)h;
    return true;
}

static void check_score(const json_t *v, struct skill_test_input *ret, struct problem *p)
{
    if (v == NULL) {
        problem_field(p, APP_ERR_VALIDATION, "/score", "required", "必填", "required");
    } else if (!json_is_number(v)) {
        problem_field(p, APP_ERR_VALIDATION, "/score", "wrong_type", "应为数字（0 至 100）",
                      "must be a number (0 to 100)");
    } else if (json_number_value(v) < 0.0 || json_number_value(v) > 100.0) {
        problem_field(p, APP_ERR_VALIDATION, "/score", "out_of_range", "应在 0 至 100 之间",
                      "must be between 0 and 100");
    } else if (!skill_test_score_value(v, &ret->score)) {
        problem_field(p, APP_ERR_VALIDATION, "/score", "too_many_decimals", "最多保留两位小数",
                      "at most two decimal places");
    }
}

static void check_examiners(const json_t *a, struct problem *p)
{
    char ptr[PROBLEM_POINTER_MAX];
    size_t i, j;
    const json_t *v;

    json_array_foreach(a, i, v)
    {
        const char *s = json_string_value(v);
        size_t len;

        snprintf(ptr, sizeof(ptr), "/examiners/%zu", i);
        if (s == NULL) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "wrong_type", "应为考官姓名（字符串）",
                          "must be an examiner's name (a string)");
            continue;
        }
        len = json_utf8_length(s);
        if (len < 1) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "too_short", "不能为空", "must not be empty");
            continue;
        }
        if (len > SKILL_TEST_EXAMINER_MAX) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "too_long", "最多 %d 个字符",
                          "at most %d characters", SKILL_TEST_EXAMINER_MAX);
            continue;
        }
        for (j = 0; j < i; j++) {
            const char *t = json_string_value(json_array_get(a, j));
            if (t != NULL && strcmp(s, t) == 0) {
                problem_field(p, APP_ERR_VALIDATION, ptr, "duplicate_item", "考官“%s”重复列出",
                              "examiner %s is listed twice", s);
                break;
            }
        }
    }
}

static void check_date(const char *s,
                       int32_t today,
                       int32_t round_opens,
                       struct skill_test_input *ret,
                       struct problem *p)
{
    char a[11], b[11];
    enum date_past past = date_rules_past(s, today, &ret->tested_on);

    if (past == DATE_PAST_NOT_DATE) {
        problem_field(p, APP_ERR_VALIDATION, "/tested_on", "not_date", "应为 YYYY-MM-DD 格式的日期",
                      "must be a date YYYY-MM-DD");
        return;
    }
    if (past == DATE_PAST_IN_FUTURE) {
        date_format(today, a);
        problem_field(p, APP_ERR_VALIDATION, "/tested_on", "date_in_future",
                      "考查日期不能晚于今天（%s）", "the test date cannot be after today (%s)", a);
    } else if (ret->tested_on < round_opens) {
        date_format(round_opens, b);
        problem_field(p, APP_ERR_VALIDATION, "/tested_on", "before_round_opened",
                      "考查日期不能早于本轮申报开始日（%s）",
                      "the test date cannot be before the round opened (%s)", b);
    }
}

enum app_err skill_test_check_body(const json_t *body,
                                   bool correction,
                                   int32_t today,
                                   int32_t round_opens,
                                   struct skill_test_input *ret,
                                   struct problem *p)
{
    const json_t *v;

    memset(ret, 0, sizeof(*ret));
    if (!json_fields_unknown(body, body_fields, N_BODY_FIELDS, "", p)) {
        return p->err;
    }
    if (!json_is_object(body)) {
        json_fields_check(body, body_fields, N_BODY_FIELDS, "", p);
        return p->err;
    }
    /* The table's checks without the score, which json_fields cannot type. */
    for (size_t i = 0; i + 1 < N_BODY_FIELDS; i++) {
        json_t *one = json_object();
        v = json_object_get(body, body_fields[i].name);
        if (v != NULL) {
            json_object_set(one, body_fields[i].name, (json_t *)v);
        }
        json_fields_check(one, &body_fields[i], 1, "", p);
        json_decref(one);
    }
    check_score(json_object_get(body, "score"), ret, p);

    v = json_object_get(body, "examiners");
    if (json_is_array(v) && json_array_size(v) >= 1 &&
        json_array_size(v) <= SKILL_TEST_EXAMINERS_MAX) {
        check_examiners(v, p);
        ret->examiners = v;
    }
    v = json_object_get(body, "tested_on");
    if (json_is_string(v)) {
        check_date(json_string_value(v), today, round_opens, ret, p);
    }
    ret->note = json_string_value(json_object_get(body, "note"));
    ret->reason = json_string_value(json_object_get(body, "reason"));
    ret->score_sheet_id = json_string_value(json_object_get(body, "score_sheet_id"));
    if (ret->score_sheet_id != NULL && !uuid_valid(ret->score_sheet_id)) {
        problem_field(p, APP_ERR_VALIDATION, "/score_sheet_id", "not_uuid",
                      "应为评分表的编号（小写 UUID）",
                      "must be a score sheet's id (a UUID in lower case)");
    }
    if (correction && ret->reason == NULL) {
        problem_field(p, APP_ERR_VALIDATION, "/reason", "reason_required",
                      "已有考查成绩，更正须说明理由",
                      "a score is already on file: a correction needs a reason");
    }
    return p->err;
}

enum app_err
skill_test_guard_policy(const struct policy *pol, const char *article, struct problem *p)
{
    if (pol->skill_test) {
        return APP_OK;
    }
    return problem_fail(p, APP_ERR_CONFLICT, "skill_test_not_in_policy",
                        "本评选的政策（%s）未规定现场技能考查，不能记录考查成绩",
                        "the programme's policy (%s) has no on-site skill test; no score can be "
                        "recorded",
                        article != NULL ? article : "skill_test");
}

bool skill_test_state_allows(enum nomination_state state)
{
    return state == NOM_QUALIFIED || state == NOM_IN_REVIEW;
}

enum app_err skill_test_guard_state(enum nomination_state state, struct problem *p)
{
    if (skill_test_state_allows(state)) {
        return APP_OK;
    }
    return problem_fail(
        p, APP_ERR_CONFLICT, "skill_test_wrong_state",
        "该推荐当前为“%s”状态%.0s，仅资格审查通过或评审中的推荐可以记录现场技能考查成绩",
        "%.0sthe nomination is %s; a skill-test score is recorded only for a "
        "qualified nomination or one in review",
        enums_label(ENUMS_NOMINATION_STATES, (int)state),
        enums_value(ENUMS_NOMINATION_STATES, (int)state));
}
