/* SPDX-License-Identifier: MIT */
/*
 * The workflow, written once: which round phase may follow which, and
 * which nomination state may follow which — for which role, in which
 * phase of the round, and under which guard. Handlers look a move up here
 * and then check its guard; nothing else decides whether a move is legal.
 * The database ties each state to its columns with CHECK constraints
 * (db/migrations/0007).
 */
#ifndef JIANGXIN_FLOW_H
#define JIANGXIN_FLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "auth.h"
#include "enums.h" /* enum round_phase, enum nomination_state */

#define PHASE_BIT(p) (1u << (p))

/* What a move needs besides role and phase; the handler checks each. */
#define GUARD_PUBLICITY_START  (1u << 0) /* body: publicity_start (+ publicity_workdays) */
#define GUARD_PUBLICITY_PASSED (1u << 1) /* the publicity's last working day has passed */
#define GUARD_NO_PUBLICITY     (1u << 2) /* only when the policy requires no unit publicity */
#define GUARD_COMPLETE         (1u << 3) /* the fields the office needs are filled */
#define GUARD_RUN_CHECKS       (1u << 4) /* runs the eligibility checklist and stores it */
#define GUARD_CHECKS_CLEAR     (1u << 5) /* no failed check; each warning overridden */
#define GUARD_NOTE_REQUIRED    (1u << 6) /* body: note (a reason or a comment) */
#define GUARD_NOTE_ALLOWED     (1u << 7) /* body: note, optional */
#define GUARD_NONE_OPEN        (1u << 8) /* round: no nomination submitted or returned */
#define GUARD_PUBLICITY_FILE   (1u << 9) /* the publicity's evidence file, if policy asks */
/* A system move: only the review draw makes it (ops/review_assignments.c);
 * the transitions route refuses it and lists it among no one's targets. */
#define GUARD_BY_DRAW (1u << 10)
/* Taken only by the shortlist's freeze (api/ops/shortlists.c), all the
 * round's nominations at once; no role takes it through /transitions, so
 * its row has roles 0. */
#define GUARD_SHORTLIST_FREEZE (1u << 11)
/* Taken only by a step after the shortlist (api/ops/decisions.c: the
 * decision, the notice, the 审定, the recognition; api/ops/objections.c:
 * an upheld objection), in the order the round's policy sets
 * (decision_rules.h); roles 0. */
#define GUARD_BY_STEP (1u << 12)

struct nomination_move {
    enum nomination_state from, to;
    unsigned roles;  /* ROLE_BIT mask */
    unsigned phases; /* PHASE_BIT mask of the round */
    unsigned guards; /* GUARD_* */
};

struct round_move {
    enum round_phase from, to;
    unsigned roles;
    unsigned guards;
};

extern const struct nomination_move flow_nomination_moves[];
extern const size_t flow_nomination_moves_count;
extern const struct round_move flow_round_moves[];
extern const size_t flow_round_moves_count;

/* The move from -> to, or NULL when the table has none (for any role). */
const struct nomination_move *flow_nomination_move(enum nomination_state from,
                                                   enum nomination_state to);
const struct round_move *flow_round_move(enum round_phase from, enum round_phase to);

/* Writes the targets reachable from `from` by `role` as "a, b" (or "none"). */
void flow_nomination_targets(enum nomination_state from, enum role role, char *out, size_t len);
void flow_round_targets(enum round_phase from, enum role role, char *out, size_t len);

/* States a unit may still edit (PATCH, evidence files): draft, returned. */
bool flow_nomination_editable(enum nomination_state state);
/* States the qualification review has not settled: submitted (waiting for
 * the office) and returned (waiting for the unit). GUARD_NONE_OPEN. */
bool flow_nomination_open(enum nomination_state state);

/* Round phases in which a unit may edit or create nominations. */
#define FLOW_INTAKE_PHASES (PHASE_BIT(PHASE_ACCEPTING))
/* Phases in which a returned nomination may be corrected and resubmitted. */
#define FLOW_CORRECTION_PHASES (PHASE_BIT(PHASE_ACCEPTING) | PHASE_BIT(PHASE_QUALIFICATION))

#endif
