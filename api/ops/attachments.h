/* SPDX-License-Identifier: MIT */
/*
 * Evidence files (证明材料) of a nomination: adding one (already checked
 * and sealed by the caller) and removing one, while the nomination may
 * still change; each audited. No HTTP here; the caller has checked the
 * caller's scope, holds the transaction open and commits.
 */
#ifndef JIANGXIN_OPS_ATTACHMENTS_H
#define JIANGXIN_OPS_ATTACHMENTS_H

#include "ops.h"
#include "store/attachment_store.h"
#include "store/scope_store.h"

/* Files per nomination: an application form and a handful of certificates,
 * honours, patents and competition results fit well within it. */
#define ATTACHMENTS_MAX 20

/* Adds file `a` to the nomination (locked by the caller, in `round`):
 * 409 nomination_not_editable / round_phase_closed while it may not
 * change, 409 too_many_attachments past ATTACHMENTS_MAX. */
enum app_err attachment_add(const struct op_ctx *ctx,
                            const struct nomination_ref *nom,
                            const struct round_ref *round,
                            const struct attachment_new *a,
                            char **ret_json,
                            struct problem *p);

/* Removes file `id` of the nomination under the same guard; 404 when the
 * nomination has no such file. */
enum app_err attachment_remove(const struct op_ctx *ctx,
                               const struct nomination_ref *nom,
                               const struct round_ref *round,
                               const char *id,
                               struct problem *p);

#endif
