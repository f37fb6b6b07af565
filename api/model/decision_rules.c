/* SPDX-License-Identifier: MIT */
/*
 * The decision's pure rules (see decision_rules.h).
 */
#include "decision_rules.h"

#include <stdio.h>
#include <string.h>

#include "json_fields.h"

enum app_err decision_rules_selection(const struct policy *policy,
                                      size_t n_selected,
                                      const char *reason,
                                      const char *article,
                                      const char *pointer,
                                      const char *reason_pointer,
                                      struct problem *p)
{
    size_t awards = (size_t)policy->awards_per_round;
    size_t reason_len = reason != NULL ? json_utf8_length(reason) : 0;

    if (n_selected == 0) {
        return problem_field(p, APP_ERR_VALIDATION, pointer, "too_few_items", "须至少选定 1 人",
                             "must select at least one nomination");
    }
    if (reason != NULL && (reason_len == 0 || reason_len > DECISION_REASON_MAX)) {
        return problem_field(p, APP_ERR_VALIDATION, reason_pointer, "out_of_range",
                             "理由须为 1 至 %d 个字符", "must be 1 to %d characters",
                             DECISION_REASON_MAX);
    }
    if (n_selected <= awards) {
        return APP_OK;
    }
    if (policy->awards_cap_hard) {
        return problem_field(p, APP_ERR_VALIDATION, pointer, "over_award_cap",
                             "选定 %zu 人，超过本轮政策规定的上限 %zu 名（%s）",
                             "selects %zu, over the policy's cap of %zu (%s)", n_selected, awards,
                             article);
    }
    if (reason == NULL) {
        return problem_field(p, APP_ERR_VALIDATION, reason_pointer,
                             "over_award_target_reason_required",
                             "选定 %zu 人，多于本轮政策的名额 %zu 名左右（%s），须说明理由",
                             "selects %zu, above the policy's target of about %zu (%s): "
                             "a reason is required",
                             n_selected, awards, article);
    }
    return APP_OK;
}

size_t decision_rules_steps(const struct policy *policy, enum decision_step steps[])
{
    static const enum decision_step decide_first[] = {STEP_DECISION, STEP_NOTICE, STEP_RECOGNITION};
    static const enum decision_step notice_first[] = {
        STEP_INSPECTION, STEP_NOTICE, STEP_RATIFICATION, STEP_APPROVAL, STEP_RECOGNITION};
    const enum decision_step *order = policy->notice_before_decision ? notice_first : decide_first;
    size_t n = policy->notice_before_decision ? sizeof(notice_first) / sizeof(notice_first[0])
                                              : sizeof(decide_first) / sizeof(decide_first[0]);

    memcpy(steps, order, n * sizeof(*order));
    return n;
}

const char *decision_step_value(enum decision_step step)
{
    static const char *const values[STEP__COUNT] = {
        [STEP_DECISION] = "decision", [STEP_INSPECTION] = "inspection",
        [STEP_NOTICE] = "notice",     [STEP_RATIFICATION] = "ratification",
        [STEP_APPROVAL] = "approval", [STEP_RECOGNITION] = "recognition",
    };

    return (unsigned)step < STEP__COUNT ? values[step] : NULL;
}

enum decision_step decision_rules_next(const struct policy *policy, enum decision_step done)
{
    enum decision_step steps[DECISION_STEPS_MAX];
    size_t n = decision_rules_steps(policy, steps);

    for (size_t i = 0; i + 1 < n; i++) {
        if (steps[i] == done) {
            return steps[i + 1];
        }
    }
    return STEP__COUNT;
}

bool certificate_number_format(const char *prefix,
                               int year,
                               long long seq,
                               char out[CERTIFICATE_NUMBER_MAX])
{
    size_t len = prefix != NULL ? strlen(prefix) : 0;

    out[0] = '\0';
    if (len == 0 || len > 16 || strspn(prefix, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != len ||
        year < 1900 || year > 9999 || seq < 1 || seq > 9999999999LL) {
        return false;
    }
    snprintf(out, CERTIFICATE_NUMBER_MAX, "%s-%04d-%03lld", prefix, year, seq);
    return true;
}
