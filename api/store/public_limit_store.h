/* SPDX-License-Identifier: MIT */
/*
 * The leaky buckets of the public routes that write or guess
 * (public_rate_buckets, db/migrations/0021): one row per keyed hash of
 * "scope address", never an address. Real time (the database's now()), as
 * every security timer (README "Time"): moving the test clock neither
 * fills nor drains a bucket. The rule is api/ops/public_limit.c's.
 */
#ifndef JIANGXIN_PUBLIC_LIMIT_STORE_H
#define JIANGXIN_PUBLIC_LIMIT_STORE_H

#include <stdbool.h>

#include "db.h"

/* Adds one to bucket `key` when it holds room (the level, drained at
 * `capacity` per `window_s` seconds, plus one stays within capacity):
 * *ret_taken true. Otherwise the bucket is left as it is, *ret_taken false
 * and *ret_wait_s the whole seconds until one more fits (at least 1). Runs
 * as its own statement: outside a transaction it counts even when the
 * request then fails. Sweeps a few buckets idle for a day (empty for any
 * window up to a day). */
enum app_err public_limit_store_take(
    struct db *db, const char *key, int capacity, int window_s, bool *ret_taken, int *ret_wait_s);

#endif
