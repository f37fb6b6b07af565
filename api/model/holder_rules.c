/* SPDX-License-Identifier: MIT */
/* The pure rules of a title after it is issued (holder_rules.h). */
#include "holder_rules.h"

#include <string.h>

#include "civil_time.h"
#include "date_rules.h"

/* Who records each step, and what the record needs besides a note. */
static const struct {
    enum role role;
    bool document, meeting;
} steps[] = {
    [RSTEP_VERIFICATION] = {ROLE_OFFICE, false, false},
    [RSTEP_DECISION] = {ROLE_LEADER, false, true},
    [RSTEP_PRELIMINARY] = {ROLE_OFFICE, false, false},
    [RSTEP_RATIFICATION] = {ROLE_LEADER, false, true},
    [RSTEP_APPROVAL] = {ROLE_OFFICE, true, false},
};

_Static_assert(sizeof(steps) / sizeof(steps[0]) == RSTEP__COUNT, "revocation steps");

enum role revocation_step_role(enum revocation_step s)
{
    return steps[s].role;
}

bool revocation_step_needs_document(enum revocation_step s)
{
    return steps[s].document;
}

bool revocation_step_needs_meeting(enum revocation_step s)
{
    return steps[s].meeting;
}

bool revocation_reason_needs_finding(const char *reason)
{
    return strcmp(reason, "fraud") == 0 || strcmp(reason, "other") == 0;
}

enum app_err holder_rules_past_date(
    const char *text, int32_t today, const char *pointer, int32_t *ret_day, struct problem *p)
{
    char day[11];

    switch (date_rules_past(text, today, ret_day)) {
    case DATE_PAST_NOT_DATE:
        return problem_field(p, APP_ERR_VALIDATION, pointer, "not_date",
                             "须为 YYYY-MM-DD 格式的日期", "must be a date YYYY-MM-DD");
    case DATE_PAST_IN_FUTURE:
        date_format(today, day);
        return problem_field(p, APP_ERR_VALIDATION, pointer, "date_in_future",
                             "日期不得晚于今天（%s）", "the date must not be after today (%s)",
                             day);
    case DATE_PAST_OK:
        break;
    }
    return APP_OK;
}

enum app_err holder_rules_effective_date(const char *text,
                                         int32_t today,
                                         int32_t recognized_on,
                                         const char *pointer,
                                         int32_t *ret_day,
                                         struct problem *p)
{
    char day[11];

    if (holder_rules_past_date(text, today, pointer, ret_day, p) != APP_OK) {
        return p->err;
    }
    if (*ret_day < recognized_on) {
        date_format(recognized_on, day);
        return problem_field(p, APP_ERR_VALIDATION, pointer, "before_recognition",
                             "日期不得早于认定日期（%s）",
                             "the date must not be before the title was recognised (%s)", day);
    }
    return APP_OK;
}

enum app_err holder_rules_step_gate(const enum revocation_step list[],
                                    size_t n,
                                    size_t done,
                                    enum revocation_step asked,
                                    enum role role,
                                    struct problem *p)
{
    if (done >= n) {
        return problem_fail(p, APP_ERR_CONFLICT, "revocation_case_closed",
                            "撤销案件的审批步骤已全部完成", "every step of the case is done");
    }
    if (list[done] != asked) {
        return problem_fail(p, APP_ERR_CONFLICT, "revocation_step_out_of_order",
                            "下一步应为“%s”（%s），不是 %s", "the next step is %.0s%s, not %s",
                            enums_label(ENUMS_REVOCATION_STEPS, (int)list[done]),
                            enums_value(ENUMS_REVOCATION_STEPS, (int)list[done]),
                            enums_value(ENUMS_REVOCATION_STEPS, (int)asked));
    }
    if (steps[asked].role != role) {
        return problem_fail(
            p, APP_ERR_FORBIDDEN, "revocation_step_role", "“%s”%.0s由 %s 角色记录",
            "%.0s%s is recorded by the %s", enums_label(ENUMS_REVOCATION_STEPS, (int)asked),
            enums_value(ENUMS_REVOCATION_STEPS, (int)asked), auth_role_name(steps[asked].role));
    }
    return APP_OK;
}

/* Whether r[0..n) holds a confirmed failure of `year`. */
static bool failed_in(const struct assessment_result r[], size_t n, int year)
{
    for (size_t i = 0; i < n; i++) {
        if (r[i].year == year) {
            return r[i].failed;
        }
    }
    return false;
}

bool holder_rules_failed_run(const struct assessment_result r[], size_t n, int year, int limit)
{
    int run = 0;

    if (limit < 1 || !failed_in(r, n, year)) {
        return false;
    }
    for (int y = year; failed_in(r, n, y); y--) {
        run++;
    }
    for (int y = year + 1; failed_in(r, n, y); y++) {
        run++;
    }
    return run >= limit;
}
