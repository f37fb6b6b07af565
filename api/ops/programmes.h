/* SPDX-License-Identifier: MIT */
/*
 * Programmes and their policy versions: adding a programme with its policy
 * as version 1, adding a version, editing one no round has pinned; each
 * with its audit event. Policies arrive validated (model/policy.c is the
 * gate). No HTTP here; the caller holds the transaction open and commits.
 */
#ifndef JIANGXIN_OPS_PROGRAMMES_H
#define JIANGXIN_OPS_PROGRAMMES_H

#include <jansson.h>

#include "ops.h"

struct programme_input {
    const char *code;
    const char *name;
    const char *name_en;
    const json_t *policy; /* validated */
};

/* A store's `err` about programme `code` (and its version `number` when
 * > 0) as a problem: 404 naming what is missing, else the store's kind. */
enum app_err programme_not_found(enum app_err err, const char *code, int number, struct problem *p);

/* Adds the programme and its policy version 1; audited. 409
 * duplicate_programme when the code exists. */
enum app_err programme_create(const struct op_ctx *ctx,
                              const struct programme_input *in,
                              char **ret_json,
                              struct problem *p);

/* Adds `policy` as the next version of `code` if the programme's version
 * is still `version` (412 stale_etag); the programme's ETag moves on.
 * *ret_number and *ret_json: the new version. Audited. */
enum app_err policy_version_add(const struct op_ctx *ctx,
                                const char *code,
                                int version,
                                const json_t *policy,
                                int *ret_number,
                                char **ret_json,
                                struct problem *p);

/* Replaces the policy of version `number` at `version` while no round has
 * pinned it (409 policy_version_pinned). Audited. */
enum app_err policy_version_edit(const struct op_ctx *ctx,
                                 const char *code,
                                 int number,
                                 int version,
                                 const json_t *policy,
                                 char **ret_json,
                                 struct problem *p);

#endif
