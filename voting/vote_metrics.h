/* SPDX-License-Identifier: MIT */
/*
 * The voting service's own Prometheus metrics, appended to the HTTP ones at
 * GET /metrics: votes by outcome, the Redis round trip of the vote script,
 * tally posts by result and the posting lag. Lock-free counters; labels are
 * fixed enums, so nothing personal can reach them.
 */
#ifndef JIANGXIN_VOTE_METRICS_H
#define JIANGXIN_VOTE_METRICS_H

enum vote_outcome {
    VOTE_ACCEPTED = 0,
    VOTE_REPLAY,       /* a retried vote already stored: answered 201 again */
    VOTE_DUPLICATE,    /* already voted for this nominee today (409) */
    VOTE_RATE_LIMITED, /* per-IP GCRA (429) */
    VOTE_DAILY_LIMIT,  /* votes per voter per day used up (429) */
    VOTE_NOT_OPEN,     /* before the window (403) */
    VOTE_CLOSED,       /* after the window (403) */
    VOTE_BAD_NOMINEE,  /* 404 */
    VOTE_NO_SESSION,   /* 404 */
    VOTE_UNAVAILABLE,  /* Redis did not answer (503) */
    VOTE_WITHDRAWN,    /* the nominee was withdrawn during the vote (409) */
    VOTE_OUTCOME__MAX
};

enum tally_post_result {
    TALLY_POST_OK = 0,
    TALLY_POST_STALE, /* the API answered 200 applied:false */
    TALLY_POST_FAILED,
    TALLY_POST__MAX
};

/* "accepted", "replay", ... (the label values). */
const char *vote_outcome_name(enum vote_outcome o);
void vote_metrics_count(enum vote_outcome o);
/* One vote-script round trip, in seconds. */
void vote_metrics_redis(double seconds);
void vote_metrics_post(enum tally_post_result r);
/* Seconds since the oldest vote the API has not acknowledged; 0 when none. */
void vote_metrics_set_lag(double seconds);
/* Prometheus text of the above; malloc'd, NULL when out of memory. */
char *vote_metrics_render(void);

#endif
