/* SPDX-License-Identifier: MIT */
/*
 * The scope checks by data (ops/scope.c) for handlers that hold a call:
 * the caller's context, then the op.
 */
#include "ops/scope.h"

#include "handlers.h"
#include "store/scope_store.h"

enum app_err api_round_scope(struct http_call *call,
                             struct db *db,
                             const char *id,
                             bool for_update,
                             struct round_ref *ret,
                             struct problem *p)
{
    struct op_ctx ctx;

    api_op_ctx(call, db, &ctx);
    return ops_round_scope(&ctx, id, for_update, ret, p);
}

enum app_err api_nomination_scope(struct http_call *call,
                                  struct db *db,
                                  const char *id,
                                  bool for_update,
                                  struct nomination_ref *ret,
                                  struct round_ref *ret_round,
                                  struct problem *p)
{
    struct op_ctx ctx;

    api_op_ctx(call, db, &ctx);
    return ops_nomination_scope(&ctx, id, for_update, ret, ret_round, p);
}
