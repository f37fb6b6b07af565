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
#include "auth.h"

#define POSTER_BACKOFF_MIN_MS 500
#define POSTER_BACKOFF_MAX_MS 30000
#define POSTER_TOKEN_TTL_S    300 /* the poster's own tokens (the API accepts up to 900 s) */
#define POSTER_TOKEN_MARGIN_S 60  /* mint a new one this long before expiry */
#define POSTER_TOKEN_ISSUER   "jiangxin-vote"
#define POSTER_TOKEN_AUDIENCE "jiangxin-api"
#define POSTER_TOKEN_SUBJECT  "vote-poster"

struct poster_conf {
    const char *api_url;        /* "http://host:port", no trailing slash needed */
    const struct auth_key *key; /* ES256 private key the poster signs its tokens with */
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
