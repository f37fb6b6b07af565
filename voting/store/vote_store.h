/* SPDX-License-Identifier: MIT */
/*
 * Vote sessions in Redis: the Lua scripts that set a session up, cast a
 * vote, read a session, seal it and snapshot it for the tally poster, and
 * the plain reads of the vote log stream. Keys are built in vote_store.c
 * only (one function per key shape, all under the hash tag {session id}).
 * Every script gets `offset_ms`, the test clock's offset (clock.h; 0 in
 * production), added to Redis TIME: the service's clock on Redis's time
 * base, so all instances order votes alike. Callers never see hiredis types.
 *
 * For the poster (voting/poster.c) the contract is:
 *   vote_store_sessions()    every session id (SMEMBERS v:sessions)
 *   vote_store_poster_lock() take or extend the posting lock
 *   vote_store_snapshot()    one atomic {seq, sealed, xlen, last id, counts}
 *   vote_store_log_range()   the log entries after an id, in batches
 *   vote_store_mark_final()  final_posted = 1 and the digest (if absent)
 * All return APP_OK, APP_ERR_NOT_FOUND (no such session) or
 * APP_ERR_UNAVAILABLE (Redis did not answer; the context is dropped and
 * the next call reconnects).
 */
#ifndef JIANGXIN_VOTE_STORE_H
#define JIANGXIN_VOTE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "app_err.h"
#include "vote_limits.h"

#define VOTE_ID_MAX        40                        /* a uuid (36) + NUL, with room */
#define VOTE_STREAM_ID_MAX 48                        /* "<ms>-<seq>" + NUL */
#define VOTE_HEX_MAX       65                        /* SHA-256 hex + NUL */
#define VOTE_NOMINEES_MAX  VOTE_SESSION_NOMINEES_MAX /* common/vote_limits.h */
#define VOTE_LOG_BATCH     1000                      /* entries per XRANGE */
#define VOTE_SESSIONS_MAX  4096

/* ---- the tally poster ---- */

struct vote_count {
    char nominee_id[VOTE_ID_MAX];
    long votes;
};

struct vote_snapshot {
    long long seq;     /* INCR v:{E}:seq (not incremented once final_posted: then the last value) */
    bool sealed;       /* the window has closed: no vote can be added any more (final) */
    bool final_posted; /* cfg final_posted = 1: the final tally was acknowledged */
    long long now_ms;  /* Redis TIME + offset when the snapshot was taken (as_of) */
    long entries;      /* XLEN of the log */
    char last_id[VOTE_STREAM_ID_MAX]; /* last stream id, "0-0" when the log is empty */
    long total;                       /* sum of counts == entries */
    size_t n_counts;
    struct vote_count counts[VOTE_NOMINEES_MAX]; /* every nominee of the session, 0s included */
};

/* Snapshot script (atomic): seals the session when now >= closes_ms, then
 * INCR seq and reads XLEN, the last stream id and the tally. The counts
 * therefore equal the log entries up to last_id. */
enum app_err
vote_store_snapshot(const char *session_id, long long offset_ms, struct vote_snapshot *ret);

struct vote_log_entry {
    char id[VOTE_STREAM_ID_MAX]; /* stream id "<ms>-<seq>" */
    char nominee_id[VOTE_ID_MAX];
    char receipt_hash[VOTE_HEX_MAX]; /* hex SHA-256 of the receipt token */
};

/* Up to `max` (<= VOTE_LOG_BATCH) entries with after_id < id <= until_id,
 * in stream order (XRANGE log (after_id until_id COUNT max). after_id
 * "0-0" starts at the beginning; until_id NULL means "+" (the end).
 * *ret_n < max means the range is exhausted. */
enum app_err vote_store_log_range(const char *session_id,
                                  const char *after_id,
                                  const char *until_id,
                                  struct vote_log_entry *ret,
                                  size_t max,
                                  size_t *ret_n);

/* Every session id ever set up (at most max; *ret_n written). */
enum app_err vote_store_sessions(char (*ret)[VOTE_ID_MAX], size_t max, size_t *ret_n);

/* SET v:poster instance_id NX PX ttl_ms, or PEXPIRE it when it is already
 * ours. *ret_held = true when we hold the lock afterwards. */
enum app_err vote_store_poster_lock(const char *instance_id, long ttl_ms, bool *ret_held);

/* HSET cfg final_posted 1; log_entries and log_sha256 set only if absent. */
enum app_err vote_store_mark_final(const char *session_id, long entries, const char *sha256);

/* ---- the request handlers ---- */

/* What PUT /internal/v1/sessions/{id} stores (see voting/model/vote_session.h). */
struct vote_setup {
    const char *round_id;
    long long opens_ms;
    long long closes_ms;
    long max_day;
    long max_nominee_day;
    double ip_t_ms; /* GCRA emission interval: 60000 / ip_rate_per_minute */
    long ip_burst;
    bool show_counts;
    const char *doc;       /* the normalised public JSON without closes_at */
    const char *withdrawn; /* withdrawn nominee ids, space-separated; "" or NULL: none */
    size_t n_nominees;
    const char *const *nominee_ids;
};

enum vote_setup_result {
    VOTE_SETUP_CREATED = 0,
    VOTE_SETUP_REPLACED,
    VOTE_SETUP_UNCHANGED,
    VOTE_SETUP_CLOSED_EARLY,
    VOTE_SETUP_LOCKED,    /* opened: only an identical doc with an earlier closes_at >= now,
                             or more withdrawn nominees */
    VOTE_SETUP_WITHDRAWN, /* opened: more nominees withdrawn (setup.lua) */
};

enum app_err vote_store_setup(const char *session_id,
                              const struct vote_setup *s,
                              long long offset_ms,
                              enum vote_setup_result *ret);

/* One vote. Inputs are hex hashes (never the voter id or IP in clear). */
struct vote_cast {
    const char *nominee_id;
    const char *voter_hash;
    const char *ip_hash;
    const char *receipt_hash;
};

enum vote_cast_status {
    VOTE_CAST_ACCEPTED = 0,
    VOTE_CAST_REPLAY, /* the same receipt hash was stored by an earlier try */
    VOTE_CAST_NO_SESSION,
    VOTE_CAST_NOT_OPEN,
    VOTE_CAST_CLOSED,
    VOTE_CAST_RATE_LIMITED,
    VOTE_CAST_BAD_NOMINEE,
    VOTE_CAST_NOMINEE_LIMIT,
    VOTE_CAST_DAILY_LIMIT,
    VOTE_CAST_WITHDRAWN, /* the nominee was withdrawn: votes cast before stay */
};

struct vote_cast_result {
    enum vote_cast_status status;
    char stream_id[VOTE_STREAM_ID_MAX]; /* ACCEPTED / REPLAY */
    long remaining;                     /* votes left today (ACCEPTED / REPLAY) */
    long long retry_ms;                 /* RATE_LIMITED / DAILY_LIMIT */
};

/* Runs the vote script. On a transport error it reconnects and runs it once
 * more with the same receipt hash (the REPLAY path makes that safe); if that
 * fails too: APP_ERR_UNAVAILABLE. Each round trip is reported to
 * vote_metrics_redis(). */
enum app_err vote_store_cast(const char *session_id,
                             const struct vote_cast *v,
                             long long offset_ms,
                             struct vote_cast_result *ret);

/* A session as the public views need it (info script, one round trip). */
struct vote_info {
    long long now_ms;
    long long opens_ms;
    long long closes_ms;
    bool sealed;
    bool show_counts;
    char *doc;        /* malloc'd; vote_info_clear() frees */
    char *withdrawn;  /* malloc'd: withdrawn nominee ids, space-separated ("" when none) */
    long log_entries; /* -1 when the digest is not stored yet */
    char log_sha256[VOTE_HEX_MAX];
    long total;
    size_t n_counts;
    struct vote_count counts[VOTE_NOMINEES_MAX]; /* nominees with at least one vote */
};

enum app_err vote_store_info(const char *session_id, long long offset_ms, struct vote_info *ret);
void vote_info_clear(struct vote_info *info);

/* Seal script: seals when now >= closes_ms; reports the log's extent. */
struct vote_seal {
    bool sealed;
    long entries;
    char last_id[VOTE_STREAM_ID_MAX];
    long log_entries; /* the stored digest's entry count, -1 when none yet */
    char log_sha256[VOTE_HEX_MAX];
};

enum app_err vote_store_seal(const char *session_id, long long offset_ms, struct vote_seal *ret);
/* Stores log_entries/log_sha256 when absent; returns the stored pair (the
 * first writer wins, so every reader publishes the same digest). */
enum app_err vote_store_set_digest(const char *session_id,
                                   long entries,
                                   const char *sha256,
                                   long *ret_entries,
                                   char ret_sha256[VOTE_HEX_MAX]);

/* The log entry `stream_id`; APP_ERR_NOT_FOUND when there is none. */
enum app_err
vote_store_log_entry(const char *session_id, const char *stream_id, struct vote_log_entry *ret);

/* ---- the session list (GET /v1/sessions; vote_store_list.c) ---- */

#define VOTE_LIST_LIMIT_MAX 100  /* items per page */
#define VOTE_LIST_SCAN_MAX  2000 /* index entries list.lua examines per page */

/* Which sessions a page lists (list.lua's mode letters). */
enum vote_list_mode {
    VOTE_LIST_CURRENT = 'a',   /* open and scheduled, soonest closing first */
    VOTE_LIST_OPEN = 'o',      /* soonest closing first */
    VOTE_LIST_SCHEDULED = 's', /* soonest closing first */
    VOTE_LIST_CLOSED = 'c',    /* latest closing first */
};

struct vote_list_item {
    char id[VOTE_ID_MAX];
    char round_id[VOTE_ID_MAX];
    char *title; /* malloc'd; vote_list_page_clear() frees */
    long long opens_ms;
    long long closes_ms;
    bool sealed;
};

/* A position in the closes index: (closes_ms, id), the keyset of the list. */
struct vote_list_pos {
    long long closes_ms;
    char id[VOTE_ID_MAX];
};

struct vote_list_page {
    long long now_ms; /* the clock the states were decided on */
    size_t n;
    struct vote_list_item items[VOTE_LIST_LIMIT_MAX];
    bool more;                 /* next holds where the next page starts */
    struct vote_list_pos next; /* only when more */
};

/* Up to `limit` (1..VOTE_LIST_LIMIT_MAX) sessions of `mode` after `after`
 * (NULL: from the start) on the service's clock (list.lua, one round trip;
 * a page may hold fewer than limit and still have more). Makes sure the
 * closes index was backfilled first (vote_store_index). On success the page
 * must be released with vote_list_page_clear(). */
enum app_err vote_store_list(enum vote_list_mode mode,
                             int limit,
                             const struct vote_list_pos *after,
                             long long offset_ms,
                             struct vote_list_page *ret);
void vote_list_page_clear(struct vote_list_page *page);

/* Backfills the closes index and the cfg titles from v:sessions (index.lua;
 * idempotent). Run once at start-up and, until it has succeeded once, by
 * vote_store_list. *ret_n (may be NULL): the sessions indexed. */
enum app_err vote_store_index(long long *ret_n);

/* The Lua text of script `name` ("vote", "setup", ...), for `jiangxin-vote
 * script NAME` (the benchmark loads the service's own vote script into
 * redis-benchmark). NULL name: prints every name, one per line. */
const char *vote_store_script_lua(const char *name);

#endif
