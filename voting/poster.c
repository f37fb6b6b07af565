/* SPDX-License-Identifier: MIT */
/*
 * Why it looks like this: the snapshot script gives counts and the log's
 * last id in one atomic step, so the digest of the entries up to that id
 * (kept incrementally, per session, in memory) always matches the counts
 * it is posted with. The sequence comes from Redis INCR, so whichever
 * instance posts, the API can keep the highest and drop the rest. The API
 * being down slows posting down (backoff) but never stops the digest or the
 * lag gauge; one session the API refuses (4xx) backs off on its own.
 */
#include "poster.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "clock.h"
#include "http_client.h"
#include "log.h"
#include "model/vote_log.h"
#include "store/redis_store.h"
#include "store/vote_store.h"
#include "vote_metrics.h"
#include "worker.h"

#define POSTER_URL_MAX 512

/* What this instance knows about one session. */
struct session_state {
    char id[VOTE_ID_MAX];
    crypto_hash_sha256_state sha;         /* over the lines up to digested_id */
    char digested_id[VOTE_STREAM_ID_MAX]; /* "0-0" before the first entry */
    long digested;                        /* lines fed into sha */
    char acked_id[VOTE_STREAM_ID_MAX];    /* last_id of the last acknowledged post */
    bool posted;                          /* a post was acknowledged */
    long long oldest_unacked_ms;          /* stream time of the oldest unacknowledged vote */
    long long retry_at;                   /* monotonic ms; this session backs off (4xx) */
    long backoff_ms;
    bool done; /* final tally acknowledged and marked in Redis */
};

struct poster {
    struct poster_conf conf;
    char api_url[POSTER_URL_MAX / 2]; /* conf.api_url without a trailing '/' */
    char instance[33];                /* random hex: the lock's value */
    struct worker *worker;            /* runs tick(); set by poster_start */
    bool held;                        /* the posting lock, as of the last tick */
    char token[2048];
    long long token_until; /* monotonic ms; 0 = no token */
    long long api_retry_at;
    long api_backoff_ms;
    struct session_state *states;
    size_t n_states, cap_states;
    char (*ids)[VOTE_ID_MAX];
    struct vote_snapshot snap;
    struct vote_log_entry batch[VOTE_LOG_BATCH];
};

enum post_outcome { POST_ACKED, POST_REFUSED, POST_API_DOWN };

static long long mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long next_backoff(long current)
{
    if (current <= 0) {
        return POSTER_BACKOFF_MIN_MS;
    }
    return current * 2 > POSTER_BACKOFF_MAX_MS ? POSTER_BACKOFF_MAX_MS : current * 2;
}

static struct session_state *state_of(struct poster *p, const char *id)
{
    for (size_t i = 0; i < p->n_states; i++) {
        if (strcmp(p->states[i].id, id) == 0) {
            return &p->states[i];
        }
    }
    if (p->n_states == p->cap_states) {
        size_t cap = p->cap_states == 0 ? 16 : p->cap_states * 2;
        struct session_state *s = realloc(p->states, cap * sizeof(*s));
        if (s == NULL) {
            return NULL;
        }
        p->states = s;
        p->cap_states = cap;
    }
    struct session_state *st = &p->states[p->n_states++];
    memset(st, 0, sizeof(*st));
    snprintf(st->id, sizeof(st->id), "%s", id);
    crypto_hash_sha256_init(&st->sha);
    strcpy(st->digested_id, "0-0");
    return st;
}

static void state_restart(struct session_state *st)
{
    crypto_hash_sha256_init(&st->sha);
    strcpy(st->digested_id, "0-0");
    st->digested = 0;
}

/* Feeds the log entries after digested_id up to the snapshot's last id.
 * False when Redis failed or an entry cannot be formatted. */
static bool digest_to(struct poster *p, struct session_state *st)
{
    const struct vote_snapshot *snap = &p->snap;
    size_t n = VOTE_LOG_BATCH;

    while (n == VOTE_LOG_BATCH && strcmp(st->digested_id, snap->last_id) != 0) {
        if (vote_store_log_range(st->id, st->digested_id, snap->last_id, p->batch, VOTE_LOG_BATCH,
                                 &n) != APP_OK) {
            return false;
        }
        for (size_t i = 0; i < n; i++) {
            const struct vote_log_entry *e = &p->batch[i];
            char line[VOTE_LOG_LINE_MAX];
            size_t len = vote_log_line(line, sizeof(line), e->id, e->nominee_id, e->receipt_hash);

            if (len == 0) {
                log_error("poster: session %s: log entry %s cannot be published", st->id, e->id);
                return false;
            }
            crypto_hash_sha256_update(&st->sha, (const unsigned char *)line, len);
            snprintf(st->digested_id, sizeof(st->digested_id), "%s", e->id);
            st->digested++;
            if (st->oldest_unacked_ms == 0) {
                st->oldest_unacked_ms = strtoll(e->id, NULL, 10);
            }
        }
    }
    return true;
}

/* Brings the digest up to the snapshot; starts over once when the log no
 * longer matches what was fed (e.g. Redis came back from an older AOF). */
static bool digest_snapshot(struct poster *p, struct session_state *st)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!digest_to(p, st)) {
            return false;
        }
        if (st->digested == p->snap.entries && strcmp(st->digested_id, p->snap.last_id) == 0) {
            return true;
        }
        log_warn("poster: session %s: the log changed under the digest; starting over", st->id);
        state_restart(st);
        st->oldest_unacked_ms = 0;
    }
    return false;
}

/* Mints the poster's own short-lived token (ES256, its key pair): no
 * password and nothing the API could lock. False when signing failed. */
static bool sign_in(struct poster *p)
{
    struct auth_grant g = {.iss = POSTER_TOKEN_ISSUER,
                           .aud = POSTER_TOKEN_AUDIENCE,
                           .sub = POSTER_TOKEN_SUBJECT,
                           .role = "service",
                           .ttl = POSTER_TOKEN_TTL_S,
                           .tv = -1};
    char *token = NULL;
    bool ok = false;

    /* Token times are real time, as the API checks them (not the test clock). */
    if (auth_token_sign(AUTH_ALG_ES256, p->conf.key->key, p->conf.key->len, &g, (long)time(NULL),
                        &token) == APP_OK &&
        strlen(token) < sizeof(p->token)) {
        snprintf(p->token, sizeof(p->token), "%s", token);
        p->token_until = mono_ms() + (long long)(POSTER_TOKEN_TTL_S - POSTER_TOKEN_MARGIN_S) * 1000;
        ok = true;
    } else {
        log_error("poster: cannot sign a token with JIANGXIN_POSTER_KEY");
    }
    if (token != NULL) {
        sodium_memzero(token, strlen(token));
        free(token);
    }
    return ok;
}

static json_t *tally_body(const struct vote_snapshot *snap, const char *sha256)
{
    char as_of[VOTE_LOG_TIME_LEN + 1];
    json_t *counts = json_object();

    if (counts == NULL || !vote_log_time(as_of, sizeof(as_of), snap->now_ms)) {
        json_decref(counts);
        return NULL;
    }
    for (size_t i = 0; i < snap->n_counts; i++) {
        if (json_object_set_new(counts, snap->counts[i].nominee_id,
                                json_integer(snap->counts[i].votes)) != 0) {
            json_decref(counts);
            return NULL;
        }
    }
    return json_pack("{s:I, s:o, s:I, s:b, s:I, s:s, s:s}", "sequence", (json_int_t)snap->seq,
                     "counts", counts, "total", (json_int_t)snap->total, "final", snap->sealed,
                     "log_entries", (json_int_t)snap->entries, "log_sha256", sha256, "as_of",
                     as_of);
}

/* PUT the tally of the current snapshot. */
static enum post_outcome post_tally(struct poster *p, const struct session_state *st)
{
    struct http_client_reply reply = {0};
    crypto_hash_sha256_state copy = st->sha;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char sha256[VOTE_HEX_MAX], url[POSTER_URL_MAX];
    enum post_outcome out = POST_API_DOWN;
    json_t *body;

    crypto_hash_sha256_final(&copy, digest);
    sodium_bin2hex(sha256, sizeof(sha256), digest, sizeof(digest));
    if ((body = tally_body(&p->snap, sha256)) == NULL) {
        return POST_REFUSED;
    }
    if (p->token_until <= mono_ms() && !sign_in(p)) {
        goto cleanup;
    }
    snprintf(url, sizeof(url), "%s/v1/vote-sessions/%s/tally", p->api_url, st->id);
    if (http_client_send("PUT", url, p->token, body, NULL, NULL, &reply) != APP_OK ||
        reply.status >= 500 || reply.status == 0) {
        log_warn("poster: session %s: the API answered %ld", st->id, reply.status);
        goto cleanup;
    }
    if (reply.status == 401) {
        p->token_until = 0; /* expired or revoked: sign in again next time */
        log_warn("poster: the API refused our token");
        goto cleanup;
    }
    if (reply.status < 200 || reply.status > 299) {
        log_warn("poster: session %s: the API refused the tally (%ld)", st->id, reply.status);
        out = POST_REFUSED;
        goto cleanup;
    }
    vote_metrics_post(json_is_false(json_object_get(reply.body, "applied")) ? TALLY_POST_STALE
                                                                            : TALLY_POST_OK);
    out = POST_ACKED;
cleanup:
    if (out != POST_ACKED) {
        vote_metrics_post(TALLY_POST_FAILED);
    }
    json_decref(body);
    http_client_reply_clear(&reply);
    return out;
}

/* Snapshot, digest and, when due, post one session. False when the API is
 * down (the caller backs off and stops this round). */
static bool tend_session(struct poster *p, struct session_state *st, bool may_post)
{
    long long now = mono_ms();
    enum post_outcome out;

    if (vote_store_snapshot(st->id, clock_offset_ms(), &p->snap) != APP_OK) {
        return true;
    }
    if (p->snap.final_posted) {
        st->done = true;
        st->oldest_unacked_ms = 0;
        return true;
    }
    if (!digest_snapshot(p, st)) {
        return true;
    }
    if (!may_post || now < st->retry_at ||
        (st->posted && !p->snap.sealed && strcmp(st->acked_id, p->snap.last_id) == 0)) {
        return true;
    }
    out = post_tally(p, st);
    if (out == POST_API_DOWN) {
        return false;
    }
    if (out == POST_REFUSED) {
        st->backoff_ms = next_backoff(st->backoff_ms);
        st->retry_at = now + st->backoff_ms;
        return true;
    }
    st->backoff_ms = 0;
    st->retry_at = 0;
    st->posted = true;
    st->oldest_unacked_ms = 0;
    snprintf(st->acked_id, sizeof(st->acked_id), "%s", p->snap.last_id);
    if (p->snap.sealed) {
        crypto_hash_sha256_state copy = st->sha;
        unsigned char digest[crypto_hash_sha256_BYTES];
        char sha256[VOTE_HEX_MAX];

        crypto_hash_sha256_final(&copy, digest);
        sodium_bin2hex(sha256, sizeof(sha256), digest, sizeof(digest));
        if (vote_store_mark_final(st->id, p->snap.entries, sha256) == APP_OK) {
            st->done = true;
            log_info("poster: session %s: final tally posted (%ld votes)", st->id, p->snap.total);
        }
    }
    return true;
}

static void update_lag(const struct poster *p)
{
    long long oldest = 0, now = clock_now_ms(); /* as_of times are the clock's */

    for (size_t i = 0; i < p->n_states; i++) {
        const struct session_state *st = &p->states[i];
        if (!st->done && st->oldest_unacked_ms > 0 &&
            (oldest == 0 || st->oldest_unacked_ms < oldest)) {
            oldest = st->oldest_unacked_ms;
        }
    }
    vote_metrics_set_lag(oldest > 0 && now > oldest ? (double)(now - oldest) / 1000.0 : 0.0);
}

/* The worker's step. */
static void tick(struct worker *w, void *arg)
{
    struct poster *p = arg;
    bool held = false, may_post = mono_ms() >= p->api_retry_at, api_down = false;
    size_t n = 0;

    if (vote_store_poster_lock(p->instance, 3 * p->conf.interval_ms, &held) != APP_OK) {
        return; /* Redis down: nothing to post, nothing to lose */
    }
    if (held != p->held) {
        log_info("poster: %s", held ? "took the posting lock" : "another instance posts");
        p->held = held;
    }
    if (!held) {
        vote_metrics_set_lag(0);
        return;
    }
    if (vote_store_sessions(p->ids, VOTE_SESSIONS_MAX, &n) != APP_OK) {
        return;
    }
    for (size_t i = 0; i < n && !worker_stopping(w); i++) {
        struct session_state *st = state_of(p, p->ids[i]);

        if (st == NULL || st->done) {
            continue;
        }
        /* Posting many sessions may outlast the TTL: extend before each. */
        if (i > 0 &&
            (vote_store_poster_lock(p->instance, 3 * p->conf.interval_ms, &held) != APP_OK ||
             !held)) {
            p->held = false;
            break;
        }
        if (!tend_session(p, st, may_post && !api_down)) {
            api_down = true;
        }
    }
    if (api_down) {
        p->api_backoff_ms = next_backoff(p->api_backoff_ms);
        p->api_retry_at = mono_ms() + p->api_backoff_ms;
        log_warn("poster: the API is unavailable; next try in %ld ms", p->api_backoff_ms);
    } else if (may_post) {
        p->api_backoff_ms = 0;
    }
    update_lag(p);
}

static void poster_thread_end(void *arg)
{
    (void)arg;
    redis_store_thread_close();
}

static void poster_free(struct poster *p)
{
    sodium_memzero(p->token, sizeof(p->token));
    free(p->states);
    free(p->ids);
    free(p);
}

enum app_err poster_start(const struct poster_conf *conf, struct poster **ret)
{
    struct poster *p = calloc(1, sizeof(*p));
    struct worker_conf wc = {.name = "tally-poster",
                             .interval_ms = conf->interval_ms,
                             .step = tick,
                             .thread_end = poster_thread_end,
                             .arg = p};
    unsigned char raw[16];

    if (p == NULL || (p->ids = calloc(VOTE_SESSIONS_MAX, sizeof(*p->ids))) == NULL) {
        free(p);
        log_error("poster: out of memory");
        return APP_ERR_INTERNAL;
    }
    p->conf = *conf;
    snprintf(p->api_url, sizeof(p->api_url), "%s", conf->api_url);
    for (size_t n = strlen(p->api_url); n > 0 && p->api_url[n - 1] == '/'; n--) {
        p->api_url[n - 1] = '\0';
    }
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(p->instance, sizeof(p->instance), raw, sizeof(raw));
    if (worker_start(&wc, &p->worker) != APP_OK) {
        poster_free(p);
        return APP_ERR_INTERNAL;
    }
    log_info("poster: posting tallies to %s every %ld ms (instance %.8s)", conf->api_url,
             conf->interval_ms, p->instance);
    *ret = p;
    return APP_OK;
}

void poster_stop(struct poster *p)
{
    if (p == NULL) {
        return;
    }
    worker_stop(p->worker);
    poster_free(p);
}
