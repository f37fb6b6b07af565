/* SPDX-License-Identifier: MIT */
/*
 * Each guard of api/model/flow.c's nomination moves, once. The texts name
 * the rule and, where a date or a number decides, the value, so the unit
 * or the office knows what to do next; none carries personal data.
 */
#include "nomination_guards.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "civil_time.h"
#include "round_rules.h"

const char *const nomination_required_for_submission[] = {
    "phone", "occupation", "skill_level", "front_line", "post", "employer", NULL,
};

static const char *const required_for_competition[] = {"competition_result", NULL};
static const char *const required_for_none[] = {NULL};

const char *const *nomination_required_for_channel(const char *channel)
{
    if (channel != NULL &&
        enums_from_value(ENUMS_NOMINATION_CHANNELS, channel) == CHANNEL_COMPETITION) {
        return required_for_competition;
    }
    return required_for_none;
}

enum app_err nomination_conflict(struct problem *p,
                                 enum nomination_state state,
                                 const char *code,
                                 const char *zh,
                                 const char *en,
                                 ...)
{
    va_list ap;

    va_start(ap, en);
    problem_vfail(p, APP_ERR_CONFLICT, code, zh, en, ap);
    va_end(ap);
    json_decref(p->extra);
    p->extra = json_pack("{s:s}", "current_state", enums_value(ENUMS_NOMINATION_STATES, state));
    return p->err;
}

enum app_err nomination_guard_move(enum nomination_state from,
                                   enum nomination_state to,
                                   enum role role,
                                   enum round_phase phase,
                                   const struct nomination_move **ret,
                                   struct problem *p)
{
    const struct nomination_move *move = flow_nomination_move(from, to);
    const char *a = enums_value(ENUMS_NOMINATION_STATES, from);
    const char *b = enums_value(ENUMS_NOMINATION_STATES, to);
    char targets[160];

    if (move == NULL || (move->guards & GUARD_BY_DRAW)) {
        flow_nomination_targets(from, role, targets, sizeof(targets));
        return nomination_conflict(
            p, from, "move_not_allowed", "状态为 %s 的推荐不能转为 %s（可转为：%s）",
            "a nomination in state %s cannot move to %s (allowed: %s)", a, b, targets);
    }
    if (!(move->roles & ROLE_BIT(role))) {
        return problem_fail(
            p, APP_ERR_FORBIDDEN, "role_may_not_move", "角色 %s 不能将推荐从 %s 转为 %s",
            "role %s may not move a nomination from %s to %s", auth_role_name(role), a, b);
    }
    if (!(move->phases & PHASE_BIT(phase))) {
        const char *ph = enums_value(ENUMS_ROUND_PHASES, phase);
        return nomination_conflict(
            p, from, "move_not_in_phase", "%s → %s 不能在评选批次的 %s 阶段办理",
            "%s → %s is not possible while the round is in phase %s", a, b, ph);
    }
    *ret = move;
    return APP_OK;
}

/* Which move guards use which request member. */
static const struct {
    const char *pointer;
    unsigned used_by;
} member_rules[] = {
    {"/publicity_start", GUARD_PUBLICITY_START},
    {"/publicity_workdays", GUARD_PUBLICITY_START},
    {"/overrides", GUARD_CHECKS_CLEAR},
    {"/note", GUARD_NOTE_REQUIRED | GUARD_NOTE_ALLOWED},
};

enum app_err nomination_guard_members(const struct nomination_move *move,
                                      const struct nomination_move_members *m,
                                      struct problem *p)
{
    const bool sent[] = {m->publicity_start, m->publicity_workdays, m->overrides, m->note};

    for (size_t i = 0; i < sizeof(member_rules) / sizeof(member_rules[0]); i++) {
        if (sent[i] && !(move->guards & member_rules[i].used_by)) {
            problem_field(p, APP_ERR_VALIDATION, member_rules[i].pointer, "member_not_used",
                          "此操作不使用该字段", "not used by this move");
        }
    }
    if (!m->note && (move->guards & GUARD_NOTE_REQUIRED)) {
        problem_field(p, APP_ERR_VALIDATION, "/note", "note_required",
                      "必填：请写明理由（或给推荐单位的意见）",
                      "is required: the reason (or the comments for the unit)");
    }
    return p->n_errors > 0 ? p->err : APP_OK;
}

enum app_err nomination_guard_publicity_start(bool start_ok,
                                              int32_t start,
                                              int workdays,
                                              const struct policy *pol,
                                              int32_t opens,
                                              int32_t closes,
                                              int32_t created_on,
                                              int *ret_n,
                                              struct problem *p)
{
    char created[11];

    int min = pol->unit_publicity_min_workdays;
    int n = workdays >= 0 ? workdays : min;
    int lo = min > 0 ? min : 1;

    if (!start_ok) {
        problem_field(p, APP_ERR_VALIDATION, "/publicity_start", "publicity_start_required",
                      "必填：推荐单位公示的开始日期，格式 YYYY-MM-DD",
                      "is required: the date the unit published it, YYYY-MM-DD");
    } else if (start < opens || start > closes) {
        problem_field(p, APP_ERR_VALIDATION, "/publicity_start", "publicity_outside_window",
                      "须在本批次申报期内", "must lie in the round's application window");
    } else if (start < created_on) {
        date_format(created_on, created);
        problem_field(p, APP_ERR_VALIDATION, "/publicity_start", "publicity_before_nomination",
                      "不得早于推荐创建之日（%s）：公示不能在推荐之前进行",
                      "must not be before the day the nomination was created (%s): a publicity "
                      "cannot precede its nomination",
                      created);
    }
    if (n < 0) {
        problem_field(p, APP_ERR_VALIDATION, "/publicity_workdays", "publicity_workdays_required",
                      "必填：本项目政策未规定公示天数",
                      "is required: this programme's policy sets no length");
    } else if (n < lo || n > POLICY_WORKDAYS_MAX) {
        problem_field(p, APP_ERR_VALIDATION, "/publicity_workdays", "publicity_workdays_range",
                      "须为 %d 至 %d 个工作日", "must be %d to %d working days", lo,
                      POLICY_WORKDAYS_MAX);
    }
    if (p->n_errors > 0) {
        return p->err;
    }
    *ret_n = n;
    return APP_OK;
}

enum app_err nomination_guard_publicity_passed(enum nomination_state state,
                                               int32_t end,
                                               int32_t today,
                                               struct problem *p)
{
    char date[11];

    if (today > end) {
        return APP_OK;
    }
    date_format(end, date);
    return nomination_conflict(p, state, "publicity_running", "推荐单位公示至 %s 24 时结束",
                               "the unit publicity runs until 24:00 on %s", date);
}

enum app_err nomination_guard_publicity_evidence(enum nomination_state state,
                                                 const struct policy *pol,
                                                 const char *article,
                                                 long files,
                                                 struct problem *p)
{
    if (!pol->publicity_evidence_required || files > 0) {
        return APP_OK;
    }
    article = article != NULL ? article : "policy";
    return nomination_conflict(
        p, state, "publicity_evidence_required",
        "本项目须上传推荐单位公示的证明材料（公示照片或文件，类型 "
        "unit_publicity）后方可确认公示结束（%s）",
        "this programme requires the unit publicity's evidence (a photo or document of the notice, "
        "kind unit_publicity) before the publicity is approved (%s)",
        article);
}

enum app_err nomination_guard_no_publicity(enum nomination_state state,
                                           const struct policy *pol,
                                           const char *article,
                                           struct problem *p)
{
    if (!pol->unit_publicity_required) {
        return APP_OK;
    }
    article = article != NULL ? article : "policy";
    return nomination_conflict(p, state, "unit_publicity_required",
                               "本项目须先经推荐单位公示（%s）",
                               "this programme requires unit publicity first (%s)", article);
}

enum app_err
nomination_guard_window(int32_t opens, int32_t closes, int32_t today, struct problem *p)
{
    char a[11], b[11];

    if (round_window_holds(opens, closes, today)) {
        return APP_OK;
    }
    date_format(opens, a);
    date_format(closes, b);
    problem_fail(p, APP_ERR_NOT_OPEN, "outside_application_window", "申报期为 %s 至 %s",
                 "the application window is %s to %s", a, b);
    json_decref(p->extra);
    p->extra = json_pack("{s:s, s:s}", "window_opens", a, "window_closes", b);
    return p->err;
}

enum nomination_deeds nomination_deeds_check(const struct policy *pol, size_t chars)
{
    if (chars > NOMINATION_DEEDS_HARD_MAX) {
        return DEEDS_OVER_STORAGE;
    }
    if (pol->deeds_min_chars >= 0 && chars < (size_t)pol->deeds_min_chars) {
        return DEEDS_TOO_SHORT;
    }
    if (pol->deeds_max_chars >= 0 && chars > (size_t)pol->deeds_max_chars) {
        return DEEDS_TOO_LONG;
    }
    return DEEDS_OK;
}

enum app_err
nomination_guard_deeds_storage(const struct policy *pol, size_t chars, struct problem *p)
{
    if (nomination_deeds_check(pol, chars) != DEEDS_OVER_STORAGE) {
        return APP_OK;
    }
    return problem_field(
        p, APP_ERR_VALIDATION, "/deeds", "deeds_over_storage_limit",
        "现为 %zu 字，超过存储上限 %d 字（本项目政策的字数要求只作提示，不在此处拒绝）",
        "is %zu characters, over the storage limit of %d (the policy's bounds "
        "are only a warning of the checklist)",
        chars, NOMINATION_DEEDS_HARD_MAX);
}

enum app_err nomination_guard_complete(const char *const *missing, size_t n, struct problem *p)
{
    char ptr[PROBLEM_POINTER_MAX];

    for (size_t i = 0; i < n; i++) {
        snprintf(ptr, sizeof(ptr), "/%s", missing[i]);
        problem_field(p, APP_ERR_VALIDATION, ptr, "required_before_submission", "报送前须填写",
                      "is required before submission");
    }
    if (p->n_errors == 0) {
        return APP_OK;
    }
    return problem_fail(p, APP_ERR_VALIDATION, "nomination_incomplete", "推荐材料不完整",
                        "the nomination is incomplete");
}

enum app_err
nomination_guard_editable(enum nomination_state state, enum round_phase phase, struct problem *p)
{
    unsigned phases = state == NOM_RETURNED ? FLOW_CORRECTION_PHASES : FLOW_INTAKE_PHASES;
    const char *s = enums_value(ENUMS_NOMINATION_STATES, state);
    const char *ph = enums_value(ENUMS_ROUND_PHASES, phase);

    if (flow_nomination_editable(state) && (phases & PHASE_BIT(phase))) {
        return APP_OK;
    }
    return nomination_conflict(p, state, "not_editable", "状态为 %s 的推荐在批次 %s 阶段不能修改",
                               "a nomination in state %s cannot be edited while the round is in %s",
                               s, ph);
}
