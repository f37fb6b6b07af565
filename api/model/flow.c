/* SPDX-License-Identifier: MIT */
/*
 * The two transition tables. Articles: 岚山 第五条（一）（二）, 环翠 第十条
 * （二）（三）. Unit publicity precedes submission to the office (both
 * seeds publicise at the unit, then report upward); the office's
 * qualification review qualifies, rejects with a reason, disqualifies for
 * fraud (环翠 第十条（三）: barred from the round; 岚山 第十二条（一）), or
 * returns the nomination to its unit with comments.
 */
#include "flow.h"

#include <stdio.h>
#include <string.h>

#define UNIT   ROLE_BIT(ROLE_UNIT)
#define OFFICE ROLE_BIT(ROLE_OFFICE)

#define ACCEPTING     PHASE_BIT(PHASE_ACCEPTING)
#define QUALIFICATION PHASE_BIT(PHASE_QUALIFICATION)
#define REVIEW        PHASE_BIT(PHASE_REVIEW)
#define VOTING        PHASE_BIT(PHASE_VOTING)
#define DECIDING      PHASE_BIT(PHASE_DECIDING)
#define NOTICE        PHASE_BIT(PHASE_NOTICE)

/* clang-format off */
const struct nomination_move flow_nomination_moves[] = {
    /* The unit publicises its nomination (第五条（一）: ≥ 3 working days). */
    {NOM_DRAFT,          NOM_UNIT_PUBLICITY, UNIT,   ACCEPTING, GUARD_PUBLICITY_START},
    /* … and approves it once the publicity has ended, with its evidence
     * (a photo or document of the notice) when the policy asks for it. */
    {NOM_UNIT_PUBLICITY, NOM_UNIT_APPROVED,  UNIT,   ACCEPTING, GUARD_PUBLICITY_PASSED |
                                                                GUARD_PUBLICITY_FILE},
    /* Submission to the office runs the eligibility checklist. */
    {NOM_UNIT_APPROVED,  NOM_SUBMITTED,      UNIT,   ACCEPTING,
                                             GUARD_COMPLETE | GUARD_RUN_CHECKS},
    /* A programme without unit publicity submits drafts directly. */
    {NOM_DRAFT,          NOM_SUBMITTED,      UNIT,   ACCEPTING,
                                             GUARD_NO_PUBLICITY | GUARD_COMPLETE | GUARD_RUN_CHECKS},
    /* Corrected after the office returned it. */
    {NOM_RETURNED,       NOM_SUBMITTED,      UNIT,   ACCEPTING | QUALIFICATION,
                                             GUARD_COMPLETE | GUARD_RUN_CHECKS},
    /* Qualification review (资格审查/复核). */
    {NOM_SUBMITTED,      NOM_QUALIFIED,      OFFICE, QUALIFICATION, GUARD_CHECKS_CLEAR |
                                                                    GUARD_NOTE_ALLOWED},
    {NOM_SUBMITTED,      NOM_REJECTED,       OFFICE, QUALIFICATION, GUARD_NOTE_REQUIRED},
    {NOM_SUBMITTED,      NOM_DISQUALIFIED,   OFFICE, QUALIFICATION, GUARD_NOTE_REQUIRED},
    {NOM_SUBMITTED,      NOM_RETURNED,       OFFICE, QUALIFICATION, GUARD_NOTE_REQUIRED},
    /* The review draw (POST /v1/rounds/{id}/review-assignments, issue 12;
     * 岚山 第五条（三）, 环翠 第十条（四）) takes every qualified nomination
     * into review with its panel: a system move the office's draw makes,
     * never one asked for through the transitions route. */
    {NOM_QUALIFIED,      NOM_IN_REVIEW,      OFFICE, QUALIFICATION | REVIEW, GUARD_BY_DRAW},
    /* Fraud found after qualification still disqualifies. */
    {NOM_QUALIFIED,      NOM_DISQUALIFIED,   OFFICE, QUALIFICATION | REVIEW, GUARD_NOTE_REQUIRED},
    /* The unit withdraws what the office has not yet taken. */
    {NOM_DRAFT,          NOM_WITHDRAWN,      UNIT,   ACCEPTING | QUALIFICATION, GUARD_NOTE_ALLOWED},
    {NOM_UNIT_PUBLICITY, NOM_WITHDRAWN,      UNIT,   ACCEPTING | QUALIFICATION, GUARD_NOTE_ALLOWED},
    {NOM_UNIT_APPROVED,  NOM_WITHDRAWN,      UNIT,   ACCEPTING | QUALIFICATION, GUARD_NOTE_ALLOWED},
    {NOM_RETURNED,       NOM_WITHDRAWN,      UNIT,   ACCEPTING | QUALIFICATION, GUARD_NOTE_ALLOWED},
    /* The shortlist's freeze (POST /v1/rounds/{id}/shortlist, api/ops/shortlists.c)
     * moves every nomination in review at once; no role takes these one by
     * one through /transitions (roles 0). */
    {NOM_IN_REVIEW,      NOM_SHORTLISTED,     0,     REVIEW, GUARD_SHORTLIST_FREEZE},
    {NOM_IN_REVIEW,      NOM_NOT_SHORTLISTED, 0,     REVIEW, GUARD_SHORTLIST_FREEZE},
    /* Fraud found after the freeze still disqualifies (岚山 第十二条（一）):
     * a nominee on the ballot leaves the vote (vote_session_withdraw). */
    {NOM_SHORTLISTED,    NOM_DISQUALIFIED,    OFFICE, REVIEW | VOTING, GUARD_NOTE_REQUIRED},
    /* The steps after the shortlist (api/ops/decisions.c), each for the
     * whole list at once, in the policy's order (decision_rules.h).
     * 岚山 第五条（五）–（七）: the group decides (after the vote's final
     * result), the decided list goes on notice, titles are issued. */
    {NOM_SHORTLISTED,    NOM_SELECTED,        0,     VOTING | DECIDING, GUARD_BY_STEP},
    {NOM_SHORTLISTED,    NOM_NOT_SELECTED,    0,     VOTING | DECIDING, GUARD_BY_STEP},
    {NOM_SELECTED,       NOM_FINAL_NOTICE,    0,     DECIDING, GUARD_BY_STEP},
    /* 环翠 第十条（五）（六）: after 考察 the proposed list goes on notice
     * (a failed 考察 leaves it); the group's 审定 may leave one out. */
    {NOM_SHORTLISTED,    NOM_FINAL_NOTICE,    0,     DECIDING, GUARD_BY_STEP},
    {NOM_FINAL_NOTICE,   NOM_NOT_SELECTED,    0,     NOTICE, GUARD_BY_STEP},
    /* An upheld objection (api/ops/objections.c) takes the candidate off. */
    {NOM_FINAL_NOTICE,   NOM_OBJECTION_UPHELD, 0,    NOTICE, GUARD_BY_STEP},
    {NOM_FINAL_NOTICE,   NOM_RECOGNIZED,      0,     NOTICE, GUARD_BY_STEP},
};

const struct round_move flow_round_moves[] = {
    {PHASE_PREPARING,     PHASE_ACCEPTING,     OFFICE, 0},
    {PHASE_ACCEPTING,     PHASE_QUALIFICATION, OFFICE, 0},
    /* Review starts once every submitted nomination has an answer. */
    {PHASE_QUALIFICATION, PHASE_REVIEW,        OFFICE, GUARD_NONE_OPEN},
    /* The shortlist's freeze closes the review, sealing the reviews; only
     * the freeze takes these (roles 0). With a public vote (岚山 第五条（三）
     * （四）: the 20 go to the vote) the round moves to voting, where the
     * vote session opens on exactly the frozen list; without one (环翠)
     * to deciding. */
    {PHASE_REVIEW,        PHASE_VOTING,        0,      GUARD_SHORTLIST_FREEZE},
    {PHASE_REVIEW,        PHASE_DECIDING,      0,      GUARD_SHORTLIST_FREEZE},
    /* The group's decision once the vote has its final result (岚山); the
     * notice's publication; the recognition, which concludes the round
     * (read-only from then on). */
    {PHASE_VOTING,        PHASE_DECIDING,      0,      GUARD_BY_STEP},
    {PHASE_DECIDING,      PHASE_NOTICE,        0,      GUARD_BY_STEP},
    {PHASE_NOTICE,        PHASE_CONCLUDED,     0,      GUARD_BY_STEP},
};
/* clang-format on */

const size_t flow_nomination_moves_count =
    sizeof(flow_nomination_moves) / sizeof(flow_nomination_moves[0]);
const size_t flow_round_moves_count = sizeof(flow_round_moves) / sizeof(flow_round_moves[0]);

const struct nomination_move *flow_nomination_move(enum nomination_state from,
                                                   enum nomination_state to)
{
    for (size_t i = 0; i < flow_nomination_moves_count; i++) {
        if (flow_nomination_moves[i].from == from && flow_nomination_moves[i].to == to) {
            return &flow_nomination_moves[i];
        }
    }
    return NULL;
}

const struct round_move *flow_round_move(enum round_phase from, enum round_phase to)
{
    for (size_t i = 0; i < flow_round_moves_count; i++) {
        if (flow_round_moves[i].from == from && flow_round_moves[i].to == to) {
            return &flow_round_moves[i];
        }
    }
    return NULL;
}

/* Appends ", value" (or "value" first) to out, never past len. */
static void append(char *out, size_t len, const char *value)
{
    size_t used = strlen(out);

    if (used < len) {
        snprintf(out + used, len - used, "%s%s", used > 0 ? ", " : "", value);
    }
}

void flow_nomination_targets(enum nomination_state from, enum role role, char *out, size_t len)
{
    out[0] = '\0';
    for (size_t i = 0; i < flow_nomination_moves_count; i++) {
        const struct nomination_move *m = &flow_nomination_moves[i];
        if (m->from == from && (m->roles & ROLE_BIT(role)) && !(m->guards & GUARD_BY_DRAW)) {
            append(out, len, enums_value(ENUMS_NOMINATION_STATES, (int)m->to));
        }
    }
    if (out[0] == '\0') {
        snprintf(out, len, "none");
    }
}

void flow_round_targets(enum round_phase from, enum role role, char *out, size_t len)
{
    out[0] = '\0';
    for (size_t i = 0; i < flow_round_moves_count; i++) {
        const struct round_move *m = &flow_round_moves[i];
        if (m->from == from && (m->roles & ROLE_BIT(role))) {
            append(out, len, enums_value(ENUMS_ROUND_PHASES, (int)m->to));
        }
    }
    if (out[0] == '\0') {
        snprintf(out, len, "none");
    }
}

bool flow_nomination_editable(enum nomination_state state)
{
    return state == NOM_DRAFT || state == NOM_RETURNED;
}

bool flow_nomination_open(enum nomination_state state)
{
    return state == NOM_SUBMITTED || state == NOM_RETURNED;
}
