/* SPDX-License-Identifier: MIT */
/*
 * Past holders (往届获评者) of a programme: the office's import and the
 * masked list (routes /v1/programmes/{code}/past-holders). The repeat
 * rules read them through nomination_store_facts: 岚山 第六条 "不重复认定"
 * and 环翠 第十六条（二） (re-apply after the management period).
 */
#ifndef JIANGXIN_OPS_PAST_HOLDERS_H
#define JIANGXIN_OPS_PAST_HOLDERS_H

#include "ops.h"

/*
 * Imports `rows` (an array of row objects; `lines` their CSV line numbers,
 * or NULL for a JSON body: model/past_holder.h) into programme `code`
 * inside the caller's transaction: every row checked first (all faults in
 * one 422, nothing written), the ID numbers sealed, hashed and masked as
 * nominations' are, then written; a row already held with the same facts
 * is unchanged, one whose certificate number the programme holds with
 * other facts is a fault (certificate_number_taken). Audited with masked
 * ID numbers. *ret: {"programme", "received", "imported", "unchanged"}.
 * 404 for a programme unknown or outside the actor's scope.
 */
enum app_err past_holders_import(const struct op_ctx *ctx,
                                 const char *code,
                                 const json_t *rows,
                                 const json_t *lines,
                                 json_t **ret,
                                 struct problem *p);

/* One page of the programme's past holders (ID numbers masked). */
enum app_err past_holders_page(const struct op_ctx *ctx,
                               const char *code,
                               const char *cursor,
                               int limit,
                               char **ret_array,
                               char **ret_next,
                               struct problem *p);

#endif
