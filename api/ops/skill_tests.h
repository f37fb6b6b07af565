/* SPDX-License-Identifier: MIT */
/*
 * The on-site skill test's operations (现场技能考查, 环翠 第十条（四）):
 * reading a nomination's score with its history, and recording a score or
 * a correction (a new revision with its reason; nothing overwritten), each
 * audited. The rules are model/skill_test.h's. No HTTP here; the caller
 * holds the transaction open and commits.
 */
#ifndef JIANGXIN_OPS_SKILL_TESTS_H
#define JIANGXIN_OPS_SKILL_TESTS_H

#include <stdbool.h>

#include <jansson.h>

#include "ops.h"
#include "store/attachment_store.h"

/* GET /v1/nominations/{id}/skill-test: {nomination_id, current, history,
 * version}; 404 outside the caller's scope, 409 skill_test_not_in_policy
 * for a programme without a test. */
enum app_err skill_test_get(const struct op_ctx *ctx,
                            const char *nomination_id,
                            json_t **ret,
                            struct problem *p);

/* PUT /v1/nominations/{id}/skill-test: appends a revision. if_match is
 * the If-Match version (-1: none sent), required once a score exists
 * (428), compared with the revision count (412). Refusals, in this
 * order: 404 scope, 400/422 the body (model/skill_test.h), 409
 * skill_test_not_in_policy / skill_test_wrong_state, 428/412. *ret_created: this was the first
 * score. */
enum app_err skill_test_record(const struct op_ctx *ctx,
                               const char *nomination_id,
                               int if_match,
                               const json_t *body,
                               json_t **ret,
                               bool *ret_created,
                               struct problem *p);

/* POST /v1/nominations/{id}/skill-test/sheets: stores score sheet `a`
 * (checked and sealed by the caller; a->nomination_id is set here, valid
 * only during the call) under
 * the same guards as a score; audited skill_test.sheet_create. *ret_json:
 * the sheet's description. */
enum app_err skill_test_sheet_add(const struct op_ctx *ctx,
                                  const char *nomination_id,
                                  struct attachment_new *a,
                                  char **ret_json,
                                  struct problem *p);

/* GET …/skill-test/sheets/{sheet_id}: the stored sheet (sealed; the caller
 * opens it and clears *ret); 404 unless it is one of that nomination's. */
enum app_err skill_test_sheet_read(const struct op_ctx *ctx,
                                   const char *nomination_id,
                                   const char *sheet_id,
                                   struct attachment_content *ret,
                                   struct problem *p);

#endif
