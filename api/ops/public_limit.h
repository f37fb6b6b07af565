/* SPDX-License-Identifier: MIT */
/*
 * Rate limits of the public routes that write or let a caller guess (an
 * objection, an objection's status, a certificate check): a leaky bucket
 * per (scope, client address), kept in the database under a keyed hash
 * of "scope address" (the PII key), so every API instance counts together
 * and no address is stored. Real time, like sign-in throttling.
 */
#ifndef JIANGXIN_OPS_PUBLIC_LIMIT_H
#define JIANGXIN_OPS_PUBLIC_LIMIT_H

#include "ops.h"

#define PUBLIC_LIMIT_SCOPE_MAX 32 /* a scope: [a-z-], 1..32 characters */

/* Takes one request of `address` (client_ip_resolve's text) from the
 * bucket of `scope`, which holds `capacity` requests and regains them over
 * `window_seconds` (1..86400). APP_OK when it fitted; otherwise 429
 * rate_limited with Retry-After in p. Call it before opening the request's
 * transaction: the take commits on its own, so a request refused later
 * (404, 422, a wrong code) still counts. */
enum app_err public_limit_take(const struct op_ctx *ctx,
                               const char *scope,
                               const char *address,
                               int capacity,
                               int window_seconds,
                               struct problem *p);

#endif
