/* SPDX-License-Identifier: MIT */
/*
 * The decision's pure rules (see decision_rules.h).
 */
#include "decision_rules.h"

#include <stdio.h>
#include <string.h>

#include "civil_time.h"
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

const char *decision_step_label(enum decision_step step)
{
    static const char *const labels[STEP__COUNT] = {
        [STEP_DECISION] = "领导小组研究决定",
        [STEP_INSPECTION] = "考察",
        [STEP_NOTICE] = "公示",
        [STEP_RATIFICATION] = "领导小组审定",
        [STEP_APPROVAL] = "区政府同意",
        [STEP_RECOGNITION] = "认定发证",
    };

    return (unsigned)step < STEP__COUNT ? labels[step] : NULL;
}

static bool step_done(const struct step_facts *f, enum decision_step s)
{
    switch (s) {
    case STEP_DECISION:
        return f->decided;
    case STEP_INSPECTION:
        return f->inspected;
    case STEP_NOTICE:
        return f->published;
    case STEP_RATIFICATION:
        return f->ratified;
    case STEP_APPROVAL:
        return f->approved;
    case STEP_RECOGNITION:
    case STEP__COUNT:
        break;
    }
    return f->recognized;
}

enum app_err decision_rules_gate(const struct policy *policy,
                                 const struct step_facts *f,
                                 int32_t today,
                                 enum decision_step want,
                                 enum decision_step *ret_missing,
                                 struct problem *p)
{
    enum decision_step steps[DECISION_STEPS_MAX];
    size_t n = decision_rules_steps(policy, steps), i;
    char ends[11];

    *ret_missing = STEP__COUNT;
    for (i = 0; i < n && steps[i] != want; i++) {
    }
    if (i == n) {
        return problem_fail(p, APP_ERR_CONFLICT, "step_not_in_policy",
                            "本轮次的政策没有“%s”这一步骤%.0s",
                            "%.0sthe round's policy has no step %s", decision_step_label(want),
                            decision_step_value(want));
    }
    for (i = 0; steps[i] != want; i++) {
        if (!step_done(f, steps[i])) {
            *ret_missing = steps[i];
            return problem_fail(p, APP_ERR_CONFLICT, "step_out_of_order",
                                "须先完成“%s”，才能进行“%s”%.0s%.0s",
                                "%.0s%.0sstep %s must come first; %s cannot be taken yet",
                                decision_step_label(steps[i]), decision_step_label(want),
                                decision_step_value(steps[i]), decision_step_value(want));
        }
        if (steps[i] == STEP_NOTICE && today <= f->notice_ends_on) {
            *ret_missing = STEP_NOTICE;
            date_format(f->notice_ends_on, ends);
            return problem_fail(p, APP_ERR_CONFLICT, "notice_not_ended",
                                "公示期至 %s 24 时，期满后才能进行“%s”%.0s",
                                "the notice runs until 24:00 of %s; %.0s%s comes after it", ends,
                                decision_step_label(want), decision_step_value(want));
        }
        if (steps[i] == STEP_NOTICE && f->open_objections > 0) {
            *ret_missing = STEP_NOTICE;
            return problem_fail(
                p, APP_ERR_CONFLICT, "objections_open", "尚有 %ld 件异议未办结，不能进行“%s”%.0s",
                "%ld objection(s) are still open; %.0s%s must wait", f->open_objections,
                decision_step_label(want), decision_step_value(want));
        }
    }
    for (size_t j = want == STEP_INSPECTION ? i + 1 : i; j < n; j++) {
        if (step_done(f, steps[j])) {
            return problem_fail(p, APP_ERR_CONFLICT, "step_done",
                                "本轮次已完成“%s”，不能再进行“%s”%.0s%.0s",
                                "%.0s%.0sthe round has taken step %s already; %s is closed",
                                decision_step_label(steps[j]), decision_step_label(want),
                                decision_step_value(steps[j]), decision_step_value(want));
        }
    }
    return APP_OK;
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
