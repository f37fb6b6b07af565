/* SPDX-License-Identifier: MIT */
/*
 * The public read API (issue 16): anonymous, cacheable representations
 * built only from the public projections (store/public_store.h). Each
 * returns a malloc'd JSON text in *ret_json; a round that is unknown or
 * not public yet is 404 not_found, whatever the reason.
 */
#ifndef JIANGXIN_OPS_PUBLIC_H
#define JIANGXIN_OPS_PUBLIC_H

#include "ops.h"

/* The public reads of one round. */
enum public_round_view {
    PUBLIC_ROUND,          /* phase, dates, vote window, notice */
    PUBLIC_ROUND_NOMINEES, /* the nominees as the ballot or the notice published them */
    PUBLIC_ROUND_RESULTS,  /* vote results after the close, decisions once noticed */
};

enum app_err public_programmes(const struct op_ctx *ctx, char **ret_json, struct problem *p);

enum app_err public_round(const struct op_ctx *ctx,
                          const char *id,
                          enum public_round_view view,
                          char **ret_json,
                          struct problem *p);

/* The register of titles: programme (a code), year (the certificate's)
 * and status (active, suspended, revoked) filter when not NULL. */
struct public_register_query {
    const char *programme;
    const char *year;
    const char *status;
};
enum app_err public_register_page(const struct op_ctx *ctx,
                                  const struct public_register_query *q,
                                  const char *cursor,
                                  int limit,
                                  char **ret_array,
                                  char **ret_next,
                                  struct problem *p);

#endif
