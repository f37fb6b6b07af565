/* SPDX-License-Identifier: MIT */
/*
 * Review experts (评审专家): their profiles and the relations to candidates
 * they declare, with the checks, the scope (an expert sees only itself)
 * and the audit events. No HTTP here; the caller holds the transaction
 * open and commits.
 */
#ifndef JIANGXIN_OPS_EXPERTS_H
#define JIANGXIN_OPS_EXPERTS_H

#include <stdbool.h>

#include <jansson.h>

#include "ops.h"

#define EXPERT_FIELDS_MAX        20 /* 职业（工种） labels per profile */
#define EXPERT_FIELD_LEN_MAX     50 /* code points per label */
#define EXPERT_PROGRAMMES_MAX    50
#define EXPERT_RELATION_NOTE_MAX 500

/* The scope of experts: admin and a leader given no programme see every
 * profile; an office user, or a leader given programmes, those whose
 * profile names one of its programmes (ops_programme_scoped); an expert only its
 * own. Another's id answers 404 exactly like an unknown one. Checks the
 * id's shape (400 not_uuid) first; the programmes are the store's to check
 * (ops_scope_codes). */
enum app_err expert_scope(const struct op_ctx *ctx, const char *user_id, struct problem *p);

/* The profile of expert `user_id` within the actor's scope (expert_scope
 * and ops_scope_codes), optionally locked: 404 when there is none.
 * *ret_json is malloc'd; pass NULL when only its existence matters. */
enum app_err expert_load(const struct op_ctx *ctx,
                         const char *user_id,
                         bool for_update,
                         char **ret_json,
                         struct problem *p);

/* The shape and every value rule of a profile body (PUT) that needs no
 * database, all faults at once (unknown members, 400, alone and first). */
enum app_err expert_profile_body_check(const json_t *body, struct problem *p);

/*
 * Creates or replaces the profile of user `user_id` (who must hold role
 * expert: 404 for no such user, 422 user_not_expert otherwise) from a
 * checked body. A new profile takes no If-Match (or "0"); an existing one
 * needs it (428 profile_exists, 412 stale_etag). The employer's unit must
 * exist and have the employer's code; the programmes must exist and, for
 * an office user, be in its scope (programmes outside it that the profile
 * has stay). Audited as expert.create / expert.update.
 */
enum app_err expert_profile_put(const struct op_ctx *ctx,
                                const char *user_id,
                                bool if_match,
                                int version,
                                const json_t *body,
                                char **ret_json,
                                bool *ret_created,
                                struct problem *p);

/* Declares a relation of expert `expert_id` (scope checked, profile must
 * exist: 404) to the person with the body's ID number, stored as the keyed
 * hash only. 409 duplicate_relation when that person is declared already.
 * Audited as expert.relation_create (the representation: no number, no
 * hash). */
enum app_err expert_relation_create(const struct op_ctx *ctx,
                                    const char *expert_id,
                                    const json_t *body,
                                    char **ret_json,
                                    struct problem *p);

/* Removes one (admin and office only, by route), audited as
 * expert.relation_delete. */
enum app_err expert_relation_delete(const struct op_ctx *ctx,
                                    const char *expert_id,
                                    const char *id,
                                    struct problem *p);

#endif
