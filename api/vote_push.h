/* SPDX-License-Identifier: MIT */
/*
 * Pushing vote sessions to jiangxin-vote (PUT /internal/v1/sessions/{id},
 * service token): once inline after the creating transaction commits, then
 * from one background thread that retries every pending session until the
 * voting service answers 2xx, with a per-session backoff (2 s doubling to
 * 10 s, kept in the row). Without JIANGXIN_VOTE_URL nothing is pushed and
 * sessions stay `pending`.
 */
#ifndef JIANGXIN_API_VOTE_PUSH_H
#define JIANGXIN_API_VOTE_PUSH_H

#include "app_err.h"
#include "store/db.h"

struct api_config;

#define VOTE_PUSH_AUDIENCE    "jiangxin-vote"
#define VOTE_PUSH_TOKEN_TTL_S 120
#define VOTE_PUSH_INTERVAL_MS 2000
#define VOTE_PUSH_BATCH       20 /* sessions per scan */

/* Keeps cfg (read-only, must outlive the thread) and, when a voting URL is
 * configured, starts the retry thread. Call once, before serving. */
enum app_err vote_push_start(const struct api_config *cfg);
/* Wakes the thread, lets it finish the push in flight and joins it. */
void vote_push_stop(void);
/* A service token for jiangxin-vote (malloc'd): the one place that mints
 * what the API sends it, for session pushes and log fetches alike. */
enum app_err vote_service_token(char **ret);
/* "<JIANGXIN_VOTE_URL><path><id>" (malloc'd); NULL without a voting URL. */
char *vote_service_url(const char *path, const char *id);
/* One push attempt for session id on the caller's connection, outside any
 * transaction (it makes its own). No-op without a voting URL. */
void vote_push_now(struct db *db, const char *id);

#endif
