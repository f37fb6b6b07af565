/* SPDX-License-Identifier: MIT */
/*
 * Rounds (批次) as domain operations: opening one, moving it to another
 * phase, listing a programme's rounds and building the full
 * representation. Each runs inside the caller's open transaction (so a
 * handler can record its Idempotency-Key answer in it) and commits
 * nothing; the rules are api/model/round_rules.h's. No HTTP here.
 */
#ifndef JIANGXIN_OPS_ROUNDS_H
#define JIANGXIN_OPS_ROUNDS_H

#include <jansson.h>

#include "ops/ops.h"
#include "round_rules.h"
#include "store/scope_store.h"

struct round_new {
    const char *programme; /* its code */
    struct round_draft draft;
    const char *cycle_override_reason; /* NULL: none */
};

/*
 * Opens a round of in->programme under the policy version in force on the
 * day its window opens (the round pins it), never under one that has
 * expired by today, inside that version's period, at most one a year and,
 * unless a reason is recorded, no sooner than the policy's cycle after
 * another round of the programme. An office user acts only on the
 * programmes in their scope: others' look like unknown ones (404), here
 * and in round_list. `p` may arrive with the body's type findings (422):
 * every fault of the body is added to them and reported at once; what the
 * state refuses (404 no programme, 409 policy-expired, 409
 * round_year_taken) is reported only for a body without faults. Appends
 * round.create to the audit log. *ret: the full representation (new
 * reference).
 */
enum app_err
round_create(const struct op_ctx *ctx, const struct round_new *in, json_t **ret, struct problem *p);

/*
 * Moves round `r` (read FOR UPDATE by the caller) to phase `to` when
 * flow.c's table lets the actor and the move's guard holds (409 with
 * `current_phase` otherwise); appends round.transition. *ret: the full
 * representation after the move (new reference).
 */
enum app_err round_transition(const struct op_ctx *ctx,
                              const struct round_ref *r,
                              enum round_phase to,
                              json_t **ret,
                              struct problem *p);

/*
 * The full representation of round `r` (ops/round_view.c): the row, the
 * nomination counts (a unit user's own only), the working-day figures
 * ("dates") and the phases the actor may move it to now
 * ("allowed_transitions").
 */
enum app_err
round_get(const struct op_ctx *ctx, const struct round_ref *r, json_t **ret, struct problem *p);

/* The same from the row text `row` of round `id` (round_store_*); called
 * with p clear, as every write ends. */
enum app_err round_view(
    const struct op_ctx *ctx, const char *id, const char *row, json_t **ret, struct problem *p);

/* How many of the round's nominations the office still has to answer
 * (model round_open_count), whoever the actor is. */
enum app_err
round_open_nominations(const struct op_ctx *ctx, const char *id, long *ret, struct problem *p);

/* A page of programme `code`'s rounds, newest year first; `cursor` is a
 * year this module issued, or NULL. */
enum app_err round_list(const struct op_ctx *ctx,
                        const char *code,
                        const char *cursor,
                        int limit,
                        json_t **ret_items,
                        char **ret_next,
                        struct problem *p);

#endif
