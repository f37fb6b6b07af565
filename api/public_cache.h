/* SPDX-License-Identifier: MIT */
/*
 * The in-process cache of public representations (issue 16): a hot public
 * page is answered from memory, with no database round trip.
 *
 * An entry is served only while all of these hold:
 *  - the version counter is the one read before the entry was rendered.
 *    It moves on every NOTIFY jiangxin_public (a commit that changed a
 *    table the public projections read, from any process:
 *    db/migrations/0029_public_notify.sql) and on every commit of this
 *    process (public_cache_bump, so a write is seen by the next read here);
 *  - the listener is connected (while it is not, nothing is served or
 *    kept: notifications could be missed);
 *  - the clock has not been set since (the test clock), today is the
 *    entry's day, and less than the TTL has passed since the render: what
 *    changes with time alone (a vote that opens or closes at an instant)
 *    shows within the TTL (JIANGXIN_PUBLIC_CACHE_TTL_MS, 1000 by default).
 * Entries live in a direct-mapped table capped at JIANGXIN_PUBLIC_CACHE_MB
 * (0 turns the cache off). Keys are built by the handlers from validated
 * parameters, never from raw query text.
 */
#ifndef JIANGXIN_PUBLIC_CACHE_H
#define JIANGXIN_PUBLIC_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app_err.h"
#include "http.h"

struct public_cache_conf {
    const char *conninfo; /* the listener's own connection */
    size_t max_bytes;     /* 0: off */
    long ttl_ms;
};

/* Starts the listener (when the cache is on). Once, before serving. */
enum app_err public_cache_start(const struct public_cache_conf *conf);
void public_cache_stop(void);

/* Something public may have changed: every entry is stale. Any thread. */
void public_cache_bump(void);

/* What a render must carry to public_cache_put: the state read before it. */
struct public_cache_ticket {
    uint64_t version;
    uint64_t epoch;
    long long at_ms;
    int32_t today;
    bool usable;
};

/* A hit: *ret_body (malloc'd), *ret_len and the entry's ETag, true. A
 * miss: false, and *t filled for public_cache_put after the render. */
bool public_cache_get(const char *key,
                      char **ret_body,
                      size_t *ret_len,
                      char ret_etag[HTTP_ETAG_MAX],
                      struct public_cache_ticket *t);

/* Keeps a copy of a 200's body rendered after public_cache_get missed. */
void public_cache_put(const char *key,
                      const struct public_cache_ticket *t,
                      const char *body,
                      size_t len,
                      const char etag[HTTP_ETAG_MAX]);

/* Prometheus text of the cache's counters (a new malloc'd string). */
char *public_cache_metrics(void);

#endif
