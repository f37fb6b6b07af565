/* SPDX-License-Identifier: MIT */
/*
 * The steps after the shortlist as operations without HTTP (issue 13):
 * the leadership group's meeting pack and decision (or 审定), the office's
 * 考察 findings, the final notice, the district government's approval, the
 * recognition with its certificates, and the public reads (notices,
 * certificate verification). Which step a round may take is
 * decision_rules_gate() on the round's pinned policy; each write runs in
 * the caller's transaction, the round row locked, and appends its audit
 * event; the caller commits.
 */
#ifndef JIANGXIN_OPS_DECISIONS_H
#define JIANGXIN_OPS_DECISIONS_H

#include <jansson.h>

#include "ops.h"

/* GET /v1/rounds/{id}/decision-pack: the steps and, per shortlisted
 * candidate, the checklist, the review, the skill test, the vote, 考察. */
enum app_err
decision_pack_get(const struct op_ctx *ctx, const char *round_id, json_t **ret, struct problem *p);

/* POST /v1/rounds/{id}/decisions: the group's decision (policy order
 * decision first) or its 审定 (notice first). Leader. */
enum app_err decision_create(const struct op_ctx *ctx,
                             const char *round_id,
                             const json_t *body,
                             json_t **ret,
                             struct problem *p);

/* GET /v1/rounds/{id}/decisions: the round's decisions (an array). */
enum app_err
decisions_list(const struct op_ctx *ctx, const char *round_id, json_t **ret, struct problem *p);

/* PUT /v1/nominations/{id}/inspection: 考察 findings (office). */
enum app_err inspection_put(const struct op_ctx *ctx,
                            const char *nomination_id,
                            const json_t *body,
                            json_t **ret,
                            struct problem *p);

/* POST /v1/rounds/{id}/notices: publishes the final notice (office). */
enum app_err notice_publish(const struct op_ctx *ctx,
                            const char *round_id,
                            const json_t *body,
                            json_t **ret,
                            struct problem *p);

/* Public reads: one notice, and the list (optionally ?programme=). */
enum app_err notice_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p);
enum app_err
notices_list(const struct op_ctx *ctx, const char *programme, json_t **ret, struct problem *p);

/* POST /v1/rounds/{id}/approval: the district government's approval (office). */
enum app_err approval_create(const struct op_ctx *ctx,
                             const char *round_id,
                             const json_t *body,
                             json_t **ret,
                             struct problem *p);

/* POST /v1/rounds/{id}/recognitions: issues the titles (office). */
enum app_err recognitions_issue(const struct op_ctx *ctx,
                                const char *round_id,
                                const json_t *body,
                                json_t **ret,
                                struct problem *p);

/* GET /v1/rounds/{id}/recognitions. */
enum app_err
recognitions_list(const struct op_ctx *ctx, const char *round_id, json_t **ret, struct problem *p);

/* GET /v1/certificates/{number}?code=: the public fields and status, or a
 * 404 not_found identical for an unknown number and a wrong code. */
enum app_err certificate_verify(const struct op_ctx *ctx,
                                const char *number,
                                const char *code,
                                json_t **ret,
                                struct problem *p);

#endif
