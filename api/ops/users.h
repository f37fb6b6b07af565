/* SPDX-License-Identifier: MIT */
/*
 * User accounts: adding, changing and deleting one with its audit event,
 * and the rules on a user's final state (a unit user has exactly one unit
 * that exists, others none; programme codes exist; an admin never locks
 * themself out). No HTTP and no passwords here: callers pass the argon2id
 * hash. The caller holds the transaction open and commits.
 */
#ifndef JIANGXIN_OPS_USERS_H
#define JIANGXIN_OPS_USERS_H

#include <stdbool.h>

#include <jansson.h>

#include "ops.h"

/* A user's fields as given; NULL (or unit_given false, disabled -1) = not
 * given, kept by an update. The values' shapes are checked by the caller. */
struct user_input {
    const char *username;      /* create only */
    const char *password_hash; /* argon2id, or NULL */
    const char *role;          /* role name */
    const char *unit_id;       /* NULL with unit_given: none */
    bool unit_given;
    const json_t *programmes; /* array of programme codes, or NULL */
    int disabled;             /* 0, 1 or -1 */
};

/* The pairing of role and unit (a unit user needs unit_id, others have
 * none) as one errors[] item on /unit_id; APP_OK when it holds or the
 * role is unknown. No I/O. */
enum app_err user_role_unit_check(const char *role, bool has_unit, struct problem *p);

/* Adds a user (username, password_hash and role given) after checking the
 * unit and programmes exist, and audits it. 409 duplicate_username. */
enum app_err user_create(const struct op_ctx *ctx,
                         const struct user_input *in,
                         char **ret_json,
                         struct problem *p);

/* Changes user `id` at `version` (412 stale_etag otherwise): the final
 * state is checked, the caller's own account keeps admin and enabled
 * (409 self_lockout). */
enum app_err user_update(const struct op_ctx *ctx,
                         const char *id,
                         int version,
                         const struct user_input *in,
                         char **ret_json,
                         struct problem *p);

/* Deletes user `id` (never the caller: 409 self_delete) and audits it. */
enum app_err user_delete(const struct op_ctx *ctx, const char *id, struct problem *p);

#endif
