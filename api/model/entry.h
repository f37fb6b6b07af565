/* SPDX-License-Identifier: MIT */
/*
 * Paper submissions (issue 12, "Corrections to intake first"): the office
 * may enter a nomination on a unit's behalf when the unit hands in paper.
 * The nomination is the unit's (the unit sees it in its list and reads
 * it); it records that the office entered it (migration 0016). Who takes
 * the unit's steps of such a nomination is decided here, once:
 *   - the office takes them (publicity, approval, submission, withdrawal:
 *     the moves api/model/flow.c gives the unit only), judged as the unit
 *     would be and recorded as on behalf of the unit;
 *   - the unit may take them too (it is its nomination);
 *   - the same for the unit's writes: the office edits it (PATCH) and adds
 *     or removes its evidence files (the scanned paper, the publicity's
 *     evidence), under the unit's rules;
 *   - on a nomination the unit entered itself, the office may not take the
 *     unit's steps nor write it (403 unit_entered_nomination).
 * Pure: no I/O; ops/nominations.c calls these.
 */
#ifndef JIANGXIN_ENTRY_H
#define JIANGXIN_ENTRY_H

#include <stdbool.h>

#include "auth.h"
#include "enums.h"
#include "problem.h"

/* The create body's unit_id for the caller: an office user names the unit
 * (422 /unit_id unit_id_required when absent); a unit user creates for its
 * own unit only (422 /unit_id unit_id_not_allowed when sent). Adds the
 * field error to p and answers p->err; APP_OK when none. */
enum app_err entry_unit_check(enum role actor, bool has_unit_id, struct problem *p);

/* The role the move from -> to is judged as: the actor's own, except an
 * office user on a step the table gives the unit only, which it takes as
 * the unit (*ret_on_behalf true) on a nomination it entered
 * (entered_by_office), and may not take otherwise (403
 * unit_entered_nomination). A move the table does not have: the actor's
 * role (nomination_guard_move reports it). */
enum app_err entry_acting_role(enum role actor,
                               bool entered_by_office,
                               enum nomination_state from,
                               enum nomination_state to,
                               enum role *ret_role,
                               bool *ret_on_behalf,
                               struct problem *p);

/* The unit's writes (PATCH, evidence files) by `actor`: an office user only
 * on a nomination it entered (403 unit_entered_nomination); any other
 * caller as its route and scope allow. */
enum app_err entry_may_write(enum role actor, bool entered_by_office, struct problem *p);

#endif
