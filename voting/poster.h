/* SPDX-License-Identifier: MIT */
/*
 * The tally poster: one background thread per instance that, while it
 * holds the Redis posting lock, snapshots every session and PUTs absolute
 * tallies with the log digest to the API (vote.md §6). Request threads
 * never wait on it.
 */
#ifndef JIANGXIN_POSTER_H
#define JIANGXIN_POSTER_H

#include "app_err.h"

#define POSTER_BACKOFF_MIN_MS 500
#define POSTER_BACKOFF_MAX_MS 30000
#define POSTER_TOKEN_MARGIN_S 60 /* sign in again this long before expiry */

struct poster_conf {
    const char *api_url; /* "http://host:port", no trailing slash needed */
    const char *username;
    const char *password;
    long interval_ms;
};

struct poster;

/* Starts the thread, a common/worker.c worker ticking every interval_ms (the
 * strings must outlive it). APP_ERR_INTERNAL when it could not be started
 * (logged); *ret is set only on success. */
enum app_err poster_start(const struct poster_conf *conf, struct poster **ret);
/* Wakes the thread, waits for it to finish its current step, frees. NULL-safe. */
void poster_stop(struct poster *p);

#endif
