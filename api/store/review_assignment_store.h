/* SPDX-License-Identifier: MIT */
/*
 * The store of review draws and assignments (migration 0020): the draw's
 * inputs as one JSON text (review_draw_inputs of db/functions/09_review.sql),
 * the writes of a draw, a recusal or removal and its replacement, and the
 * lists. JSON-returning functions give malloc'd text; NOT_FOUND when there
 * is no such row. Nothing here knows HTTP.
 */
#ifndef JIANGXIN_REVIEW_ASSIGNMENT_STORE_H
#define JIANGXIN_REVIEW_ASSIGNMENT_STORE_H

#include <stdbool.h>

#include "db.h"

/* The draw's inputs for round `round_id`: its qualified nominations
 * (nomination_id NULL) or that one nomination. */
enum app_err review_assignment_store_inputs(struct db *db,
                                            const char *round_id,
                                            const char *nomination_id,
                                            char **ret_json);

/* Whether the round has a panel draw already. */
enum app_err review_assignment_store_has_panel(struct db *db, const char *round_id, bool *ret);

/*
 * Records a draw (kind "panel" or "replacement") of round `round_id` with
 * its seed and k, and its assignments: `pairs` is a JSON array of
 * {nomination_id, expert_id, field_match, replaces (or null)}. The clock
 * is the service's. *ret_draw: the draw's representation.
 */
enum app_err review_assignment_store_record(struct db *db,
                                            const char *round_id,
                                            const char *kind,
                                            const char *seed,
                                            int k,
                                            const char *actor_id,
                                            const char *pairs,
                                            char **ret_draw);

/* Moves the listed nominations (a JSON array of ids) qualified → in_review
 * with a transition row each (actor, role, the service clock). */
enum app_err review_assignment_store_start_review(
    struct db *db, const char *ids, const char *actor_id, const char *actor, const char *role);

/* One assignment of the round's programme (FOR UPDATE when asked). */
enum app_err
review_assignment_store_get(struct db *db, const char *id, bool for_update, char **ret_json);

/* Ends an active assignment: state "recused" or "removed" with its reason;
 * NOT_FOUND when it is not active. *ret_json: the representation after. */
enum app_err review_assignment_store_end(struct db *db,
                                         const char *id,
                                         const char *state,
                                         const char *reason,
                                         const char *actor_id,
                                         char **ret_json);

/* The round's draws and assignments: {"round_id", "draws", "items"}. */
enum app_err review_assignment_store_list(struct db *db, const char *round_id, char **ret_json);

/* An expert's own active assignments (api_my_assignment), as {"items"}. */
enum app_err review_assignment_store_mine(struct db *db, const char *expert_id, char **ret_json);

#endif
