/* SPDX-License-Identifier: MIT */
/*
 * The API's own recount of a session's sealed vote log: it fetches the log
 * jiangxin-vote publishes after the close (GET /v1/sessions/{id}/log, with
 * the service token of vote_push.c), hashes the bytes as anyone can and
 * counts the votes per nominee, so a final tally is frozen only when it
 * agrees with the log (ops/vote_sessions.c decides).
 */
#ifndef JIANGXIN_API_VOTE_LOG_H
#define JIANGXIN_API_VOTE_LOG_H

#include <jansson.h>

#include "problem.h"
#include "store/vote_session_store.h"

#define VOTE_LOG_FETCH_TIMEOUT_S 60
#define VOTE_LOG_FETCH_MAX       (512UL * 1024 * 1024) /* ~3 million votes */

struct vote_log_recount {
    struct vote_log_count c; /* its strings point into the members below */
    char sha256[65];
    char *counts_text;
};

/*
 * Fetches and recounts session `id`'s log for the nominees `nominee_ids`
 * (a JSON array of id strings; every one gets a count, 0 included). 503
 * vote_log_unavailable when there is no voting URL, jiangxin-vote does not
 * answer or does not publish the log (not sealed yet); 500 when out of
 * memory. Release with vote_log_recount_clear.
 */
enum app_err vote_log_recount(const char *id,
                              const json_t *nominee_ids,
                              struct vote_log_recount *ret,
                              struct problem *p);
void vote_log_recount_clear(struct vote_log_recount *r);

#endif
