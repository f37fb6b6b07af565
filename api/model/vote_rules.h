/* SPDX-License-Identifier: MIT */
/*
 * The rules of a round's public vote on the API side (岚山工匠 第五条（三）
 * （四）（五）), pure: what the office may send to open a session (window,
 * limits, nominees), when a round and its policy allow one, what a tally
 * posted by jiangxin-vote must hold, the session's state from its window
 * and who sees the results when. Each check reports every fault it finds,
 * with a code and both languages, and returns p->err (APP_OK when none).
 */
#ifndef JIANGXIN_VOTE_RULES_H
#define JIANGXIN_VOTE_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "auth.h"
#include "civil_time.h"
#include "enums.h"
#include "problem.h"
#include "vote_limits.h" /* the bounds jiangxin-vote checks too */

/* Defaults for the limits the office leaves out (0008 and the contract);
 * votes_per_day defaults to the number of nominees, at most VOTE_LIMIT_DAY_MAX. */
#define VOTE_DEFAULT_PER_NOMINEE_DAY 1
#define VOTE_DEFAULT_IP_RATE         60
#define VOTE_DEFAULT_IP_BURST        30
/* The window: opens at most this far in the past or ahead, lasts at most this long. */
#define VOTE_OPENS_PAST_MS   60000LL
#define VOTE_OPENS_AHEAD_MS  (366LL * DAY_MS)
#define VOTE_LENGTH_MAX_DAYS 60
/* A tally's count per nominee; far above any real vote. */
#define VOTE_COUNT_MAX 1000000000000LL
/* A tally's sequence (Redis INCR): at most the largest integer every JSON
 * reader holds exactly, 2^53 - 1. */
#define VOTE_SEQUENCE_MAX 9007199254740991LL

enum vote_limit {
    VOTE_LIMIT_PER_DAY = 0,
    VOTE_LIMIT_PER_NOMINEE_DAY,
    VOTE_LIMIT_IP_RATE,
    VOTE_LIMIT_IP_BURST,
    VOTE_LIMITS_N
};

/* The JSON member name of a limit, e.g. "votes_per_day". */
const char *vote_limit_name(enum vote_limit l);

/* A checked POST /v1/rounds/{id}/vote-session body. Strings and the id
 * array are borrowed from the body (keep it alive). */
struct vote_session_draft {
    const char *title; /* NULL: "<programme name> <year> 网络投票" */
    const char *opens_at;
    const char *closes_at;
    long long opens_ms;
    long long closes_ms;
    const json_t *nominee_ids; /* UUID texts, no repeats, in the office's order */
    long limits[VOTE_LIMITS_N];
    bool show_counts;
};

/*
 * Checks the body against now_ms: members and types, then every value
 * (window, nominee ids, limits) at once. Unknown members, at the top or in
 * `limits`, are reported alone (400); otherwise every other fault (422).
 * Fills *ret only on APP_OK.
 */
enum app_err vote_rules_session_body(const json_t *body,
                                     long long now_ms,
                                     struct vote_session_draft *ret,
                                     struct problem *p);

/* {"votes_per_day": n, ...}: a new reference, NULL when out of memory. */
json_t *vote_rules_limits_json(const long limits[VOTE_LIMITS_N]);

/* The round's policy version holds a public vote (vote_nominees >= 0);
 * otherwise 409 no_public_vote naming the programme (a code, not data). */
enum app_err vote_rules_policy(int vote_nominees, const char *programme, struct problem *p);

/* The round is in phase voting, which only the shortlist's freeze enters;
 * otherwise 409 shortlist_not_frozen with the phase as the extension
 * member current_phase. */
enum app_err vote_rules_phase(enum round_phase phase, struct problem *p);

/* How many nominees the office must name: min(vote_nominees, candidates). */
long vote_rules_nominees_needed(long candidates, int vote_nominees);

/*
 * The named ids against the round's candidates: `unknown` is the JSON
 * array of indexes (into the ids) that are not candidates (422 at
 * /nominee_ids/<i> each); then the count must be vote_rules_nominees_needed
 * (422 at /nominee_ids naming the policy's article).
 */
enum app_err vote_rules_nominees(const json_t *unknown,
                                 size_t n_named,
                                 long candidates,
                                 int vote_nominees,
                                 const char *article,
                                 struct problem *p);

/* A checked PUT /v1/vote-sessions/{id}/tally body (strings and counts
 * borrowed from the body). */
struct vote_tally_post {
    long long sequence;
    const json_t *counts;
    long long total;
    bool final;
    long long log_entries;  /* -1: not given */
    const char *log_sha256; /* NULL: not given */
    const char *as_of;
};

/*
 * The body on its own: members and types, sequence >= 1, numbers not
 * negative, log_entries equal to total (one log line per counted vote),
 * the digest's shape, the log members when final, as_of an RFC 3339 time
 * from 2020 through 2099. Every fault at once (unknown members alone, 400).
 */
enum app_err
vote_rules_tally_body(const json_t *body, struct vote_tally_post *ret, struct problem *p);

/* counts' keys are exactly the session's nominee ids (a JSON array of
 * strings), each a count, and total is their sum; every fault at once. */
enum app_err vote_rules_tally_counts(const json_t *counts,
                                     const json_t *nominee_ids,
                                     long long total,
                                     struct problem *p);

/*
 * The sequence bound (SPEC §5): jiangxin-vote takes one sequence number per
 * snapshot of a session, at most one per JIANGXIN_TALLY_INTERVAL_MS (at
 * least 100 ms). A tally's sequence may therefore not exceed
 * VOTE_SEQ_SLACK + (now − the session's epoch) / VOTE_SEQ_STEP_MS, the
 * epoch being when the API recorded the session, on its clock.
 */
#define VOTE_SEQ_SLACK   10000LL
#define VOTE_SEQ_STEP_MS 50LL

/* The highest sequence a tally may carry at now_ms. */
long long vote_rules_sequence_max(long long now_ms, long long epoch_ms);

/*
 * A tally against the session's clock: `final` only once closes_ms has
 * passed (409 tally_final_before_close), the sequence at most
 * vote_rules_sequence_max (409 tally_sequence_implausible).
 */
enum app_err vote_rules_tally_timing(const struct vote_tally_post *t,
                                     long long now_ms,
                                     long long closes_ms,
                                     long long epoch_ms,
                                     struct problem *p);

/*
 * A final tally (counts, log_entries, log_sha256) against the API's own
 * recount of the sealed log: NULL when they agree, else why not, as a code:
 * log_invalid_entries (the log names no nominee of the session on some
 * line), log_entries_mismatch, log_digest_mismatch, log_counts_mismatch.
 */
const char *vote_rules_final_vs_log(const json_t *counts,
                                    long long log_entries,
                                    const char *log_sha256,
                                    const json_t *log_counts,
                                    long long log_total_entries,
                                    long long log_invalid,
                                    const char *log_digest);

/* POST /v1/vote-sessions/{id}/resolution: {"note": 1..VOTE_NOTE_MAX
 * characters}, required (400 unknown members, 422 otherwise). *ret_note is
 * borrowed from the body. */
#define VOTE_NOTE_MAX 500
enum app_err
vote_rules_resolution_body(const json_t *body, const char **ret_note, struct problem *p);

/* 409 tally_log_mismatch naming the reason (a code from
 * vote_rules_final_vs_log) as the extension member `reason`. */
enum app_err vote_rules_log_mismatch(const char *reason, struct problem *p);

/* A session's state as of now_ms, from its window. */
enum vote_window_state {
    VOTE_WINDOW_SCHEDULED = 0,
    VOTE_WINDOW_OPEN,
    VOTE_WINDOW_CLOSED,
};
enum vote_window_state vote_rules_state(long long now_ms, long long opens_ms, long long closes_ms);
/* "scheduled", "open", "closed": the representation's `state`. */
const char *vote_rules_state_name(enum vote_window_state s);

/*
 * Who sees the results (岚山工匠 第五条（五）): once the vote has closed,
 * anyone; before, admins, office users and leaders (the vote informs the
 * leadership group). Anonymous callers before then: 401; other roles: 403;
 * both with code results_not_public. The programme scope is checked
 * before, by the caller.
 */
enum app_err
vote_rules_results_access(enum vote_window_state state, enum role role, struct problem *p);

#endif
