/* SPDX-License-Identifier: MIT */
/*
 * The typed view of a programme policy: struct policy for C callers, read
 * from a policy that policy_validate() accepted. Kept apart from the
 * validator so each file stays one concern.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "holder_rules.h"
#include "json_fields.h"
#include "policy.h"
#include "workdays.h"

/* Readers for a validated policy: `dflt` stands for JSON null. */
static int int_or(const json_t *policy, const char *name, int dflt)
{
    return json_int_or(policy, name, INT_MIN, INT_MAX, dflt);
}

static bool bool_of(const json_t *policy, const char *name)
{
    return json_is_true(json_object_get(policy, name));
}

static int enum_or(const json_t *policy, const char *name, enum enums_set set)
{
    return enums_from_value(set, json_string_value(json_object_get(policy, name)));
}

static bool value_is(const json_t *policy, const char *name, const char *value)
{
    const char *s = json_string_value(json_object_get(policy, name));

    return s != NULL && strcmp(s, value) == 0;
}

bool policy_month_day(const char *s, int *ret_month, int *ret_day)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m, d;

    if (s == NULL || strlen(s) != 5 || s[2] != '-') {
        return false;
    }
    for (int i = 0; i < 5; i++) {
        if (i != 2 && (s[i] < '0' || s[i] > '9')) {
            return false;
        }
    }
    m = (s[0] - '0') * 10 + (s[1] - '0');
    d = (s[3] - '0') * 10 + (s[4] - '0');
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1]) {
        return false;
    }
    *ret_month = m;
    *ret_day = d;
    return true;
}

/* The policy's `revocation_steps`, or when absent the two of 岚山 第十二条
 * "经核实后，按程序取消": the office verifies, the leadership group decides. */
static void revocation_steps_of(const json_t *policy, struct policy *v)
{
    const json_t *list = json_object_get(policy, "revocation_steps");
    size_t i;

    if (!json_is_array(list)) {
        v->revocation_steps[0] = RSTEP_VERIFICATION;
        v->revocation_steps[1] = RSTEP_DECISION;
        v->n_revocation_steps = 2;
        return;
    }
    for (i = 0; i < json_array_size(list) && i < POLICY_REVOCATION_STEPS_MAX; i++) {
        v->revocation_steps[i] =
            enums_from_value(ENUMS_REVOCATION_STEPS, json_string_value(json_array_get(list, i)));
    }
    v->n_revocation_steps = i;
}

enum app_err policy_from_json(const json_t *policy, struct policy *ret)
{
    struct problem p = {.err = APP_OK};
    struct policy v = {0};
    const json_t *rubric, *x;
    size_t i;

    if (!policy_validate(policy, &p)) {
        problem_clear(&p);
        return APP_ERR_VALIDATION;
    }
    /* Validated: both dates parse, and every enum and integer is in range. */
    date_parse(json_string_value(json_object_get(policy, "in_force_from")), &v.in_force_from);
    date_parse(json_string_value(json_object_get(policy, "in_force_to")), &v.in_force_to);
    v.cycle_years = int_or(policy, "cycle_years", 0);
    v.awards_per_round = int_or(policy, "awards_per_round", 0);
    v.awards_cap_hard = value_is(policy, "awards_cap", "hard");
    v.vote_nominees = int_or(policy, "vote_nominees", -1);
    v.vote_weight = int_or(policy, "vote_weight", -1);
    v.unit_publicity_required = bool_of(policy, "unit_publicity_required");
    v.unit_publicity_min_workdays = int_or(policy, "unit_publicity_min_workdays", -1);
    v.publicity_evidence_required =
        json_is_true(json_object_get(policy, "publicity_evidence_required"));
    v.final_notice_workdays = int_or(policy, "final_notice_workdays", 0);
    v.notice_counts_publication_day = bool_of(policy, "notice_counts_publication_day");
    v.notice_before_decision = bool_of(policy, "notice_before_decision");
    v.min_skill_level = enum_or(policy, "min_skill_level", ENUMS_SKILL_LEVELS);
    v.front_line_required = bool_of(policy, "front_line_required");
    v.enterprise_only = bool_of(policy, "enterprise_only");
    v.honours_considered = bool_of(policy, "honours_considered");
    v.age_max = int_or(policy, "age_max", -1);
    v.age_max_hard = value_is(policy, "age_max_kind", "hard");
    v.age_preferred_max = int_or(policy, "age_preferred_max", -1);
    v.repeat_once = value_is(policy, "repeat_rule", "once");
    v.fraud_disqualifies_round = value_is(policy, "fraud_at_intake", "disqualify_round");
    v.skill_test = bool_of(policy, "skill_test");
    v.skill_test_weight = int_or(policy, "skill_test_weight", -1);
    rubric = json_object_get(policy, "rubric");
    json_array_foreach(rubric, i, x)
    {
        struct policy_criterion *k = &v.rubric[i];

        snprintf(k->criterion, sizeof(k->criterion), "%s",
                 json_string_value(json_object_get(x, "criterion")));
        k->weight = int_or(x, "weight", 0);
        k->gate = bool_of(x, "gate");
        k->max_score = k->gate ? 0 : int_or(x, "max_score", POLICY_MAX_SCORE_DEFAULT);
        v.n_rubric = i + 1;
    }
    v.monthly_allowance = value_is(policy, "reward", "monthly_allowance");
    v.allowance_monthly_fen = int_or(policy, "allowance_monthly_fen", 0);
    v.management_period_months = int_or(policy, "management_period_months", 0);
    v.year2_recheck = value_is(policy, "assessment", "year2_recheck");
    v.assessment_fail_limit = int_or(policy, "assessment_fail_limit", -1);
    v.recheck_min_apprentices = int_or(policy, "recheck_min_apprentices", -1);
    v.recheck_apprentice_min_level =
        enum_or(policy, "recheck_apprentice_min_level", ENUMS_SKILL_LEVELS);
    v.deeds_min_chars = int_or(policy, "deeds_min_chars", -1);
    v.deeds_max_chars = int_or(policy, "deeds_max_chars", -1);
    v.review_experts = int_or(policy, "review_experts", POLICY_REVIEW_EXPERTS_DEFAULT);
    v.review_disagreement_stdev =
        int_or(policy, "review_disagreement_stdev", POLICY_DISAGREEMENT_DEFAULT);
    v.shortlist_size = int_or(policy, "shortlist_size", -1);
    snprintf(v.certificate_prefix, sizeof(v.certificate_prefix), "%s",
             json_is_string(json_object_get(policy, "certificate_prefix"))
                 ? json_string_value(json_object_get(policy, "certificate_prefix"))
                 : POLICY_CERTIFICATE_PREFIX_DEFAULT);
    revocation_steps_of(policy, &v);
    /* SPEC §11 reading of 第十二条 "第二年复核认定": due in month 12, deciding 13-24 */
    v.recheck_due_month = int_or(policy, "recheck_due_month", 12);
    v.recheck_decides_from_month = int_or(policy, "recheck_decides_from_month", 13);
    *ret = v;
    return APP_OK;
}
