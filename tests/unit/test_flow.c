/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/flow.c: properties every row of the two
 * transition tables must have (no self-moves, no duplicates, someone may
 * make each move in some phase, the office alone decides qualification),
 * the look-ups and the "allowed targets" strings handlers put in problems.
 */
#include <string.h>

#include "flow.h"
#include "test.h"

#define TARGETS_MAX 256

/* The outcomes of the office's qualification review (岚山 第五条（二）, 环翠 第十条（三）). */
static bool office_decision(enum nomination_state s)
{
    return s == NOM_QUALIFIED || s == NOM_REJECTED || s == NOM_DISQUALIFIED || s == NOM_RETURNED;
}

static void test_nomination_rows(void)
{
    CHECK(flow_nomination_moves_count > 0);
    for (size_t i = 0; i < flow_nomination_moves_count; i++) {
        const struct nomination_move *m = &flow_nomination_moves[i];

        CHECKF(m->from != m->to, "row %zu moves to itself", i);
        CHECKF(m->from < NOM__COUNT && m->to < NOM__COUNT, "row %zu: bad state", i);
        /* roles 0 only for the shortlist's freeze and the steps after it,
         * which no role takes alone */
        CHECKF((m->roles != 0) != ((m->guards & (GUARD_SHORTLIST_FREEZE | GUARD_BY_STEP)) != 0),
               "row %zu: roles", i);
        CHECKF(m->phases != 0, "row %zu: no phase", i);
        CHECKF((m->phases & ~((1u << PHASE__COUNT) - 1)) == 0, "row %zu: bad phase bit", i);
        for (size_t j = 0; j < i; j++) {
            CHECKF(flow_nomination_moves[j].from != m->from || flow_nomination_moves[j].to != m->to,
                   "rows %zu and %zu are the same move", j, i);
        }
    }
}

static void test_round_rows(void)
{
    CHECK(flow_round_moves_count > 0);
    for (size_t i = 0; i < flow_round_moves_count; i++) {
        const struct round_move *m = &flow_round_moves[i];

        CHECKF(m->from != m->to, "row %zu moves to itself", i);
        CHECKF((m->roles != 0) != ((m->guards & (GUARD_SHORTLIST_FREEZE | GUARD_BY_STEP)) != 0),
               "row %zu: roles", i);
        /* Phases only go forward. */
        CHECKF(m->to > m->from, "row %zu goes back", i);
        for (size_t j = 0; j < i; j++) {
            CHECKF(flow_round_moves[j].from != m->from || flow_round_moves[j].to != m->to,
                   "rows %zu and %zu are the same move", j, i);
        }
    }
}

/* A unit never decides its own nomination's qualification: only the office does. */
static void test_office_decides(void)
{
    size_t decisions = 0;

    for (size_t i = 0; i < flow_nomination_moves_count; i++) {
        const struct nomination_move *m = &flow_nomination_moves[i];

        if (m->roles & ROLE_BIT(ROLE_UNIT)) {
            CHECKF(!office_decision(m->to), "row %zu: a unit move to %s", i,
                   enums_value(ENUMS_NOMINATION_STATES, (int)m->to));
        }
        if (office_decision(m->to)) {
            CHECKF(m->roles == ROLE_BIT(ROLE_OFFICE), "row %zu: not the office alone", i);
            decisions++;
        }
    }
    CHECK(decisions >= 4);
    /* Qualifying clears the checklist; rejecting, disqualifying and returning need a note. */
    CHECK(flow_nomination_move(NOM_SUBMITTED, NOM_QUALIFIED)->guards & GUARD_CHECKS_CLEAR);
    CHECK(flow_nomination_move(NOM_SUBMITTED, NOM_REJECTED)->guards & GUARD_NOTE_REQUIRED);
    CHECK(flow_nomination_move(NOM_SUBMITTED, NOM_DISQUALIFIED)->guards & GUARD_NOTE_REQUIRED);
    CHECK(flow_nomination_move(NOM_SUBMITTED, NOM_RETURNED)->guards & GUARD_NOTE_REQUIRED);
    /* Every way into submitted runs the checklist. */
    for (size_t i = 0; i < flow_nomination_moves_count; i++) {
        if (flow_nomination_moves[i].to == NOM_SUBMITTED) {
            CHECKF(flow_nomination_moves[i].guards & GUARD_RUN_CHECKS, "row %zu", i);
        }
    }
}

static void test_editable(void)
{
    for (int s = 0; s < NOM__COUNT; s++) {
        bool want = s == NOM_DRAFT || s == NOM_RETURNED;

        CHECKF(flow_nomination_editable((enum nomination_state)s) == want, "state %s",
               enums_value(ENUMS_NOMINATION_STATES, s));
        CHECKF(flow_nomination_open((enum nomination_state)s) ==
                   (s == NOM_SUBMITTED || s == NOM_RETURNED),
               "open: %s", enums_value(ENUMS_NOMINATION_STATES, s));
    }
}

static void test_lookup(void)
{
    for (size_t i = 0; i < flow_nomination_moves_count; i++) {
        const struct nomination_move *m = &flow_nomination_moves[i];

        CHECKF(flow_nomination_move(m->from, m->to) == m, "row %zu not found", i);
    }
    for (size_t i = 0; i < flow_round_moves_count; i++) {
        const struct round_move *m = &flow_round_moves[i];

        CHECKF(flow_round_move(m->from, m->to) == m, "round row %zu not found", i);
    }
    CHECK(flow_nomination_move(NOM_DRAFT, NOM_QUALIFIED) == NULL);
    CHECK(flow_nomination_move(NOM_DRAFT, NOM_DRAFT) == NULL);
    CHECK(flow_nomination_move(NOM_QUALIFIED, NOM_SUBMITTED) == NULL);
    CHECK(flow_nomination_move(NOM_WITHDRAWN, NOM_DRAFT) == NULL);
    CHECK(flow_round_move(PHASE_PREPARING, PHASE_ACCEPTING) != NULL);
    CHECK(flow_round_move(PHASE_PREPARING, PHASE_REVIEW) == NULL);
    CHECK(flow_round_move(PHASE_ACCEPTING, PHASE_PREPARING) == NULL);
    CHECK(flow_round_move(PHASE_QUALIFICATION, PHASE_REVIEW)->guards & GUARD_NONE_OPEN);
    /* The review draw's system move: in the table, but no one's target
     * (test_targets: qualified → only disqualified for the office). */
    CHECK(flow_nomination_move(NOM_QUALIFIED, NOM_IN_REVIEW) != NULL);
    CHECK(flow_nomination_move(NOM_QUALIFIED, NOM_IN_REVIEW)->guards & GUARD_BY_DRAW);
    /* The shortlist's moves: no role takes them through /transitions. */
    CHECK(flow_nomination_move(NOM_IN_REVIEW, NOM_SHORTLISTED)->roles == 0);
    CHECK(flow_nomination_move(NOM_IN_REVIEW, NOM_NOT_SHORTLISTED)->roles == 0);
    CHECK(flow_round_move(PHASE_REVIEW, PHASE_DECIDING)->roles == 0);
}

static void test_targets(void)
{
    static const struct {
        enum nomination_state from;
        enum role role;
        const char *want;
    } rows[] = {
        {NOM_SUBMITTED, ROLE_OFFICE, "qualified, rejected, disqualified, returned"},
        {NOM_SUBMITTED, ROLE_UNIT, "none"},
        {NOM_DRAFT, ROLE_UNIT, "unit_publicity, submitted, withdrawn"},
        {NOM_DRAFT, ROLE_OFFICE, "none"},
        {NOM_RETURNED, ROLE_UNIT, "submitted, withdrawn"},
        {NOM_QUALIFIED, ROLE_OFFICE, "disqualified"},
        {NOM_WITHDRAWN, ROLE_UNIT, "none"},
        {NOM_SUBMITTED, ROLE_ADMIN, "none"},
    };
    char out[TARGETS_MAX], tiny[8];

    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        flow_nomination_targets(rows[i].from, rows[i].role, out, sizeof(out));
        CHECK_EQ_STR(out, rows[i].want);
    }
    flow_round_targets(PHASE_PREPARING, ROLE_OFFICE, out, sizeof(out));
    CHECK_EQ_STR(out, "accepting");
    flow_round_targets(PHASE_QUALIFICATION, ROLE_OFFICE, out, sizeof(out));
    CHECK_EQ_STR(out, "review");
    flow_round_targets(PHASE_PREPARING, ROLE_UNIT, out, sizeof(out));
    CHECK_EQ_STR(out, "none");
    flow_round_targets(PHASE_CONCLUDED, ROLE_OFFICE, out, sizeof(out));
    CHECK_EQ_STR(out, "none");
    /* A short buffer is cut, never overrun, and stays terminated. */
    flow_nomination_targets(NOM_SUBMITTED, ROLE_OFFICE, tiny, sizeof(tiny));
    CHECK_EQ_INT(strlen(tiny), sizeof(tiny) - 1);
    CHECK(strncmp(tiny, "qualifi", sizeof(tiny) - 1) == 0);
}

static void test_values_round_trip(void)
{
    CHECK_EQ_INT(enums_count(ENUMS_ROUND_PHASES), PHASE__COUNT);
    CHECK_EQ_INT(enums_count(ENUMS_NOMINATION_STATES), NOM__COUNT);
    for (int p = 0; p < PHASE__COUNT; p++) {
        const char *v = enums_value(ENUMS_ROUND_PHASES, p);

        CHECKF(v != NULL && enums_from_value(ENUMS_ROUND_PHASES, v) == p, "phase %d", p);
    }
    for (int s = 0; s < NOM__COUNT; s++) {
        const char *v = enums_value(ENUMS_NOMINATION_STATES, s);

        CHECKF(v != NULL && enums_from_value(ENUMS_NOMINATION_STATES, v) == s, "state %d", s);
    }
    CHECK_EQ_INT(enums_from_value(ENUMS_NOMINATION_STATES, "approved"), -1);
    CHECK_EQ_INT(enums_from_value(ENUMS_ROUND_PHASES, "Accepting"), -1);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"nomination moves: no self-move, no duplicate, a role and a phase", test_nomination_rows},
        {"round moves: forward, no duplicate, a role", test_round_rows},
        {"qualification decisions are the office's alone", test_office_decides},
        {"editable states are draft and returned", test_editable},
        {"every row is found; unknown moves are NULL", test_lookup},
        {"allowed targets as text", test_targets},
        {"phase and state values round-trip", test_values_round_trip},
    };

    return test_run(cases, TEST_COUNT(cases));
}
