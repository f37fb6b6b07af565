/* SPDX-License-Identifier: MIT */
/*
 * Counters as C11 atomics with relaxed ordering: each series is read on its
 * own at scrape time, so no two need to agree, and a vote pays one atomic
 * add per metric instead of a lock. Durations are kept in microseconds so
 * the sum is an integer too.
 */
#include "vote_metrics.h"

#include <stdatomic.h>

#include "textbuf.h"

#define REDIS_BUCKETS 10

static const double redis_bounds[REDIS_BUCKETS] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                   0.005,  0.01,    0.025,  0.1,   0.5};
static const char *const outcome_names[VOTE_OUTCOME__MAX] = {
    "accepted", "replay",      "duplicate",  "rate_limited", "daily_limit", "not_open",
    "closed",   "bad_nominee", "no_session", "unavailable",  "withdrawn",
};
static const char *const post_names[TALLY_POST__MAX] = {"ok", "stale", "failed"};

static atomic_ullong votes[VOTE_OUTCOME__MAX];
static atomic_ullong redis_buckets[REDIS_BUCKETS];
static atomic_ullong redis_count;
static atomic_ullong redis_sum_us;
static atomic_ullong posts[TALLY_POST__MAX];
static atomic_ullong lag_us;

const char *vote_outcome_name(enum vote_outcome o)
{
    return (unsigned)o < VOTE_OUTCOME__MAX ? outcome_names[o] : "unknown";
}

void vote_metrics_count(enum vote_outcome o)
{
    if ((unsigned)o < VOTE_OUTCOME__MAX) {
        atomic_fetch_add_explicit(&votes[o], 1, memory_order_relaxed);
    }
}

void vote_metrics_redis(double seconds)
{
    if (seconds < 0) {
        seconds = 0;
    }
    for (size_t b = 0; b < REDIS_BUCKETS; b++) {
        if (seconds <= redis_bounds[b]) {
            atomic_fetch_add_explicit(&redis_buckets[b], 1, memory_order_relaxed);
        }
    }
    atomic_fetch_add_explicit(&redis_count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&redis_sum_us, (unsigned long long)(seconds * 1e6 + 0.5),
                              memory_order_relaxed);
}

void vote_metrics_post(enum tally_post_result r)
{
    if ((unsigned)r < TALLY_POST__MAX) {
        atomic_fetch_add_explicit(&posts[r], 1, memory_order_relaxed);
    }
}

void vote_metrics_set_lag(double seconds)
{
    atomic_store_explicit(&lag_us, seconds > 0 ? (unsigned long long)(seconds * 1e6 + 0.5) : 0,
                          memory_order_relaxed);
}

static unsigned long long load(atomic_ullong *a)
{
    return atomic_load_explicit(a, memory_order_relaxed);
}

char *vote_metrics_render(void)
{
    static const char hist[] = "jiangxin_vote_redis_seconds";
    struct textbuf out;

    textbuf_init(&out, 4096);
#define ADD(...) textbuf_printf(&out, __VA_ARGS__)
    ADD("# HELP jiangxin_votes_total Vote attempts by outcome.\n"
        "# TYPE jiangxin_votes_total counter\n");
    for (size_t i = 0; i < VOTE_OUTCOME__MAX; i++) {
        ADD("jiangxin_votes_total{outcome=\"%s\"} %llu\n", outcome_names[i], load(&votes[i]));
    }
    ADD("# HELP %s Round trip of the vote script to Redis.\n# TYPE %s histogram\n", hist, hist);
    for (size_t b = 0; b < REDIS_BUCKETS; b++) {
        ADD("%s_bucket{le=\"%g\"} %llu\n", hist, redis_bounds[b], load(&redis_buckets[b]));
    }
    ADD("%s_bucket{le=\"+Inf\"} %llu\n", hist, load(&redis_count));
    ADD("%s_sum %.6f\n", hist, (double)load(&redis_sum_us) / 1e6);
    ADD("%s_count %llu\n", hist, load(&redis_count));
    ADD("# HELP jiangxin_tally_posts_total Tally posts to the API by result.\n"
        "# TYPE jiangxin_tally_posts_total counter\n");
    for (size_t i = 0; i < TALLY_POST__MAX; i++) {
        ADD("jiangxin_tally_posts_total{result=\"%s\"} %llu\n", post_names[i], load(&posts[i]));
    }
    ADD("# HELP jiangxin_tally_post_lag_seconds Age of the oldest vote the API has not "
        "acknowledged; 0 when up to date.\n"
        "# TYPE jiangxin_tally_post_lag_seconds gauge\n"
        "jiangxin_tally_post_lag_seconds %.3f\n",
        (double)load(&lag_us) / 1e6);
#undef ADD
    return textbuf_take(&out, NULL);
}
