/* SPDX-License-Identifier: MIT */
/*
 * Nomination operations (推荐/申报) without HTTP: create, edit, move, the
 * eligibility checklist and the audited reveal of personal data. Each runs
 * inside the caller's open transaction (db_begin … db_commit), so a
 * handler can record its idempotent answer in the same transaction; each
 * loads what it needs, applies the guards of model/nomination_guards.h,
 * writes, appends the audit event and returns the new representation.
 * 岚山 第四条, 第五条（一）（二）; 环翠 第六条, 第七条, 第十条（一）–（三）.
 */
#ifndef JIANGXIN_OPS_NOMINATIONS_H
#define JIANGXIN_OPS_NOMINATIONS_H

#include <jansson.h>

#include "nomination_guards.h"
#include "ops.h"
#include "policy.h"
#include "store/scope_store.h"
#include "vote_sessions.h" /* VOTE_SESSION_ID_MAX */

struct programme_policy {
    json_t *json; /* the round's policy version's rules (owned) */
    struct policy p;
};

/* Loads the policy version `round` pinned into *ret (ret->json to json_decref). */
enum app_err nomination_load_policy(struct db *db,
                                    const struct round_ref *round,
                                    struct programme_policy *ret,
                                    struct problem *p);

/* The application window rule for this round today (nomination_guard_window). */
enum app_err
nomination_window_open(const struct op_ctx *ctx, const struct round_ref *round, struct problem *p);

/* The full representation of nomination `id` as text and, if ret_obj, JSON. */
enum app_err nomination_load_full(
    struct db *db, const char *id, char **ret_text, json_t **ret_obj, struct problem *p);

/* POST /v1/rounds/{id}/nominations: the unit's candidate. Every fault of
 * the body is reported at once (unknown members alone, 400), before the
 * round's phase and window are judged. *ret_obj: the new nomination. */
enum app_err nomination_create(const struct op_ctx *ctx,
                               const char *round_id,
                               const json_t *body,
                               json_t **ret_obj,
                               struct problem *p);

/* PATCH: the members sent replace the stored ones; version is If-Match's. */
enum app_err nomination_update(const struct op_ctx *ctx,
                               const char *id,
                               int version,
                               const json_t *body,
                               json_t **ret_obj,
                               struct problem *p);

struct nomination_move_input {
    const char *id;
    const char *to;              /* a nomination state's value */
    int if_match;                /* -1: no If-Match */
    const char *note;            /* NULL: not sent */
    const char *publicity_start; /* NULL: not sent */
    int publicity_workdays;      /* -1: not sent */
    const json_t *overrides;     /* NULL: not sent */
    struct nomination_move_members sent;
};

/* POST /v1/nominations/{id}/transitions. When the move takes a nominee
 * off its round's vote session (disqualified or withdrawn during the
 * vote), the session marks it withdrawn and ret_vote_session gets the
 * session's id, to push after commit (vote_push_now); else it is left alone. */
enum app_err nomination_move(const struct op_ctx *ctx,
                             const struct nomination_move_input *in,
                             json_t **ret_obj,
                             char ret_vote_session[VOTE_SESSION_ID_MAX],
                             struct problem *p);

/* GET /v1/nominations/{id}/eligibility: the checklist as of today. */
enum app_err
nomination_checklist(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p);

/* GET /v1/nominations/{id}?reveal=…: the representation with the opened
 * ID number and/or phone, audited (nomination.reveal). Office users only. */
enum app_err nomination_reveal(const struct op_ctx *ctx,
                               const char *id,
                               bool id_number,
                               bool phone,
                               json_t **ret_obj,
                               struct problem *p);

#endif
