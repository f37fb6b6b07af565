/* SPDX-License-Identifier: MIT */
/*
 * What nominations.c and nomination_moves.c share: the programme's policy
 * for a round, the full representation, and the 409 that names the
 * nomination's state.
 */
#ifndef JIANGXIN_NOMINATIONS_H
#define JIANGXIN_NOMINATIONS_H

#include <stdbool.h>

#include <jansson.h>

#include "enums.h"
#include "policy.h"
#include "problem.h"
#include "store/db.h"
#include "store/stores.h"

struct programme_policy {
    json_t *json; /* the round's policy version's rules (owned) */
    struct policy p;
};

/* Loads the policy version `round` pinned into *ret (ret->json to json_decref). */
enum app_err nomination_load_policy(struct db *db,
                                    const struct round_ref *round,
                                    struct programme_policy *ret,
                                    struct problem *p);

/* The application window rule: true when today (the clock's) lies in the
 * round's window; otherwise false with a 409 naming the window in p. */
bool nomination_window_open(const struct round_ref *round, struct problem *p);

/* The full representation of nomination `id` as text and, if ret_obj, JSON. */
enum app_err nomination_load_full(
    struct db *db, const char *id, char **ret_text, json_t **ret_obj, struct problem *p);

/* Compact JSON text (malloc'd) of obj. */
char *nomination_dump(const json_t *obj);

/* 409 naming the nomination's current state (also as `current_state`). */
void nomination_conflict(struct problem *p, enum nomination_state state, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether the unit may edit a nomination in `state` while the round is in `phase`. */
bool nomination_editable_now(enum nomination_state state, enum round_phase phase);

#endif
