/* SPDX-License-Identifier: MIT */
/*
 * The guards of a nomination's moves and edits, each once and pure: given
 * the move (api/model/flow.c), the request's members, the nomination's
 * facts, the policy and today, each answers APP_OK or fills the problem
 * with the cause's code in both languages. ops/nominations.c loads the
 * facts and calls these; tests/unit/test_nomination_guards.c runs them as
 * table rows. 岚山 第五条（一）（二）; 环翠 第十条（二）（三）.
 */
#ifndef JIANGXIN_NOMINATION_GUARDS_H
#define JIANGXIN_NOMINATION_GUARDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "enums.h"
#include "flow.h"
#include "policy.h"
#include "problem.h"

/* What a move request carries besides its target. */
struct nomination_move_members {
    bool publicity_start;    /* present */
    bool publicity_workdays; /* present */
    bool overrides;          /* present */
    bool note;               /* present */
};

/*
 * The move from -> to for role while the round is in phase: *ret the
 * table's row, or 409 move_not_allowed (no such move), 403
 * role_may_not_move, 409 move_not_in_phase. The conflicts carry
 * `current_state` as an extension member.
 */
enum app_err nomination_guard_move(enum nomination_state from,
                                   enum nomination_state to,
                                   enum role role,
                                   enum round_phase phase,
                                   const struct nomination_move **ret,
                                   struct problem *p);

/* Members the move does not use are refused (member_not_used), a note the
 * move needs is asked for (note_required); all at once. */
enum app_err nomination_guard_members(const struct nomination_move *move,
                                      const struct nomination_move_members *m,
                                      struct problem *p);

/*
 * GUARD_PUBLICITY_START: the unit's publicity starts on `start` (false
 * parse: not a date) for `workdays` working days (-1: not sent, the
 * policy's minimum applies). It must lie in the application window
 * [opens, closes], not before `created_on` (the day the nomination was
 * created, on the service clock: a publicity cannot have run before
 * there was a nomination to publicise), and last from the policy's
 * minimum (at least 1) to POLICY_WORKDAYS_MAX working days. *ret_n: the
 * length to use.
 */
enum app_err nomination_guard_publicity_start(bool start_ok,
                                              int32_t start,
                                              int workdays,
                                              const struct policy *pol,
                                              int32_t opens,
                                              int32_t closes,
                                              int32_t created_on,
                                              int *ret_n,
                                              struct problem *p);

/* GUARD_PUBLICITY_FILE: when the policy requires it, the nomination
 * holds at least one evidence file of kind unit_publicity (`files`); else
 * 409 publicity_evidence_required citing `article`. */
enum app_err nomination_guard_publicity_evidence(enum nomination_state state,
                                                 const struct policy *pol,
                                                 const char *article,
                                                 long files,
                                                 struct problem *p);

/* GUARD_PUBLICITY_PASSED: the publicity ending on `end` (24:00) is over on
 * `today`; else 409 publicity_running. */
enum app_err nomination_guard_publicity_passed(enum nomination_state state,
                                               int32_t end,
                                               int32_t today,
                                               struct problem *p);

/* GUARD_NO_PUBLICITY: only when the policy requires no unit publicity;
 * else 409 unit_publicity_required citing `article`. */
enum app_err nomination_guard_no_publicity(enum nomination_state state,
                                           const struct policy *pol,
                                           const char *article,
                                           struct problem *p);

/* The application window rule: today in [opens, closes], else 409
 * not-open outside_application_window with window_opens/window_closes. */
enum app_err
nomination_guard_window(int32_t opens, int32_t closes, int32_t today, struct problem *p);

/*
 * The one rule for the deeds' length (code points), used at save, at
 * submission and in the checklist. The policy's bounds are soft: "1000字
 * 左右" (环翠 第十条（二）) is read as "5人左右" is, so DEEDS_TOO_SHORT and
 * DEEDS_TOO_LONG are a warning of the checklist (deeds_length) the office
 * may override with a reason at qualification. Only the storage limit is
 * hard: DEEDS_OVER_STORAGE, whatever the policy says, refused at save
 * (nomination_guard_deeds_storage).
 */
enum nomination_deeds { DEEDS_OK = 0, DEEDS_TOO_SHORT, DEEDS_TOO_LONG, DEEDS_OVER_STORAGE };
#define NOMINATION_DEEDS_HARD_MAX 100000 /* code points; the table's CHECK too (migration 0015) */
enum nomination_deeds nomination_deeds_check(const struct policy *pol, size_t chars);

/* The storage limit at save: 422 deeds_over_storage_limit at /deeds when
 * nomination_deeds_check says DEEDS_OVER_STORAGE (added to p's errors). */
enum app_err
nomination_guard_deeds_storage(const struct policy *pol, size_t chars, struct problem *p);

/* GUARD_COMPLETE: the members the office needs (null ones named in
 * `missing`, n of them), every gap at once (required_before_submission).
 * The deeds' bounds are not among them: they are soft (see above). */
enum app_err nomination_guard_complete(const char *const *missing, size_t n, struct problem *p);

/* The members nomination_guard_complete needs (NULL-terminated): every
 * nomination's, and besides them a nomination of `channel`'s (may be
 * NULL). A competition nomination needs its competition result (环翠 第十条
 * （二） "从各类职业技能竞赛成绩优异者中推荐"). */
extern const char *const nomination_required_for_submission[];
const char *const *nomination_required_for_channel(const char *channel);

/* An edit (PATCH, evidence files) of a nomination in `state` while the
 * round is in `phase`; else 409 not_editable. */
enum app_err
nomination_guard_editable(enum nomination_state state, enum round_phase phase, struct problem *p);

/* 409 naming the state (also as `current_state`), with a code. */
enum app_err nomination_conflict(struct problem *p,
                                 enum nomination_state state,
                                 const char *code,
                                 const char *zh,
                                 const char *en,
                                 ...) __attribute__((format(printf, 4, 6), format(printf, 5, 6)));

#endif
