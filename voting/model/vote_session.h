/* SPDX-License-Identifier: MIT */
/*
 * A vote session as the voting service's public sees it: validation of the
 * PUT body the API pushes, the normalised public document stored in Redis,
 * the session's state from the clock, the public views (session, tally,
 * vote receipt) and Asia/Shanghai times. Pure: no I/O.
 */
#ifndef JIANGXIN_VOTE_SESSION_H
#define JIANGXIN_VOTE_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "civil_time.h" /* times: rfc3339_parse, rfc3339_format */
#include "problem.h"
#include "vote_limits.h" /* the bounds the API checks too */

#define VOTE_SESSION_NAME_MAX    100
#define VOTE_SESSION_UNIT_MAX    200
#define VOTE_SESSION_SUMMARY_MAX 1000
#define VOTE_TIME_MIN_MS         1577808000000LL /* 2020-01-01T00:00:00+08:00 */
#define VOTE_TIME_MAX_MS         4102416000000LL /* 2100-01-01T00:00:00+08:00 */

enum vote_state {
    VOTE_STATE_SCHEDULED = 0,
    VOTE_STATE_OPEN,
    VOTE_STATE_CLOSED,
};

/* A validated PUT body. Strings point into the body (keep it alive). */
struct vote_session_input {
    const char *round_id;
    long long opens_ms;
    long long closes_ms;
    long votes_per_day;
    long votes_per_nominee_per_day;
    long ip_rate_per_minute;
    long ip_burst;
    bool show_counts;
    size_t n_nominees;
    const char *nominee_ids[VOTE_SESSION_NOMINEES_MAX];
    char *doc;       /* malloc'd normalised public JSON (everything but closes_at, state and the
                        withdrawals) */
    char *withdrawn; /* malloc'd: the ids of nominees with `withdrawn: true`, space-separated */
};

/* True for a lowercase canonical UUID (8-4-4-4-12 hex). */
bool vote_uuid_valid(const char *s);

/* Milliseconds of a stream id "<ms>-<seq>"; false when malformed. */
bool vote_stream_id_ms(const char *id, long long *ret_ms);

/* Checks the body of PUT /internal/v1/sessions/{id}. False with every
 * finding in reterr (400 unknown-field first, else 422). On success
 * ret->doc must be released with vote_session_input_clear(). */
bool vote_session_parse(const json_t *body,
                        const char *session_id,
                        struct vote_session_input *ret,
                        struct problem *reterr);
void vote_session_input_clear(struct vote_session_input *in);

enum vote_state
vote_session_state(long long now_ms, long long opens_ms, long long closes_ms, bool sealed);
const char *vote_state_name(enum vote_state s);

/* What the public views need besides the stored doc. */
struct vote_view {
    long long now_ms;
    long long closes_ms;
    enum vote_state state;
    bool show_counts;             /* counts visible: closed, or open with show_counts_while_open */
    const char *const *count_ids; /* nominee ids with votes */
    const long *count_votes;
    size_t n_counts;
    long total;
    long log_entries; /* < 0: no digest yet */
    const char *log_sha256;
    const char *withdrawn; /* withdrawn nominee ids, space-separated; NULL: none */
};

/* The public session (new reference), NULL when the doc is unreadable. */
json_t *vote_session_public(const char *doc, const struct vote_view *v);
/* The public tally {session_id, state, counts, total_votes, as_of, log?}. */
json_t *vote_session_tally(const char *doc, const struct vote_view *v);

#endif
