/* SPDX-License-Identifier: MIT */
/*
 * The vote store's request side (vote_store.h): setting a session up,
 * casting a vote, reading a session and sealing it. Each is one script
 * round trip; replies are checked element by element before use.
 */
#include "vote_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "vote_keys.h"
#include "vote_metrics.h"
#include "vote_scripts.h"

#define SETUP_ARGS 12

static const char *const setup_results[] = {
    [VOTE_SETUP_CREATED] = "CREATED",     [VOTE_SETUP_REPLACED] = "REPLACED",
    [VOTE_SETUP_UNCHANGED] = "UNCHANGED", [VOTE_SETUP_CLOSED_EARLY] = "CLOSED_EARLY",
    [VOTE_SETUP_LOCKED] = "LOCKED",       [VOTE_SETUP_WITHDRAWN] = "WITHDRAWN",
};

enum app_err vote_store_setup(const char *session_id,
                              const struct vote_setup *s,
                              long long offset_ms,
                              enum vote_setup_result *ret)
{
    char cfg[KEY_MAX], nom[KEY_MAX], off[24], opens[24], closes[24], day[24], nday[24], t[32],
        burst[24];
    const char *argv[4 + SETUP_ARGS + VOTE_NOMINEES_MAX] = {cfg,
                                                            nom,
                                                            VOTE_KEY_SESSIONS,
                                                            VOTE_KEY_CLOSES,
                                                            off,
                                                            session_id,
                                                            s->round_id,
                                                            opens,
                                                            closes,
                                                            day,
                                                            nday,
                                                            t,
                                                            burst,
                                                            s->show_counts ? "1" : "0",
                                                            s->doc,
                                                            s->withdrawn != NULL ? s->withdrawn
                                                                                 : ""};
    redisReply *r = NULL;
    enum app_err err;

    if (s->n_nominees > VOTE_NOMINEES_MAX) {
        return APP_ERR_INTERNAL;
    }
    vote_key(cfg, session_id, "cfg");
    vote_key(nom, session_id, "nom");
    vote_offset_text(off, offset_ms);
    snprintf(opens, sizeof(opens), "%lld", s->opens_ms);
    snprintf(closes, sizeof(closes), "%lld", s->closes_ms);
    snprintf(day, sizeof(day), "%ld", s->max_day);
    snprintf(nday, sizeof(nday), "%ld", s->max_nominee_day);
    snprintf(t, sizeof(t), "%.3f", s->ip_t_ms);
    snprintf(burst, sizeof(burst), "%ld", s->ip_burst);
    for (size_t i = 0; i < s->n_nominees; i++) {
        argv[4 + SETUP_ARGS + i] = s->nominee_ids[i];
    }
    err = redis_store_eval(&vote_script_setup, 4, 4 + SETUP_ARGS + s->n_nominees, argv, &r);
    if (err != APP_OK) {
        return err;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != VOTE_SETUP_REPLY_LEN ||
        !vote_reply_is_str(r->element[VOTE_SETUP_RESULT])) {
        return vote_reply_bad("setup", r);
    }
    for (size_t i = 0; i < sizeof(setup_results) / sizeof(setup_results[0]); i++) {
        if (strcmp(r->element[VOTE_SETUP_RESULT]->str, setup_results[i]) == 0) {
            *ret = (enum vote_setup_result)i;
            freeReplyObject(r);
            return APP_OK;
        }
    }
    return vote_reply_bad("setup", r);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static const struct {
    const char *name;
    enum vote_cast_status status;
} refusals[] = {
    {"NO_SESSION", VOTE_CAST_NO_SESSION},   {"NOT_OPEN", VOTE_CAST_NOT_OPEN},
    {"CLOSED", VOTE_CAST_CLOSED},           {"RATE_LIMITED", VOTE_CAST_RATE_LIMITED},
    {"BAD_NOMINEE", VOTE_CAST_BAD_NOMINEE}, {"NOMINEE_LIMIT", VOTE_CAST_NOMINEE_LIMIT},
    {"DAILY_LIMIT", VOTE_CAST_DAILY_LIMIT}, {"WITHDRAWN", VOTE_CAST_WITHDRAWN},
};

/* {1, id, remaining[, 'REPLAY']} or {0, reason[, retry_ms]} (cast.lua). */
static bool read_cast(const redisReply *r, struct vote_cast_result *out)
{
    long long v;

    if (r->type != REDIS_REPLY_ARRAY || r->elements <= VOTE_CAST_REASON ||
        !vote_reply_is_int(r->element[VOTE_CAST_OK])) {
        return false;
    }
    memset(out, 0, sizeof(*out));
    if (r->element[VOTE_CAST_OK]->integer == 1) {
        if (r->elements <= VOTE_CAST_REMAINING ||
            !vote_reply_copy_str(r->element[VOTE_CAST_ID], out->stream_id,
                                 sizeof(out->stream_id)) ||
            !vote_reply_ll(r->element[VOTE_CAST_REMAINING], &v)) {
            return false;
        }
        out->remaining = v > 0 ? (long)v : 0;
        /* Only a replay carries the mark, the reply's last element. */
        out->status = r->elements == VOTE_CAST_REPLY_LEN ? VOTE_CAST_REPLAY : VOTE_CAST_ACCEPTED;
        return true;
    }
    if (!vote_reply_is_str(r->element[VOTE_CAST_REASON])) {
        return false;
    }
    if (r->elements > VOTE_CAST_RETRY_MS &&
        (!vote_reply_ll(r->element[VOTE_CAST_RETRY_MS], &v) || v < 0)) {
        return false;
    }
    out->retry_ms = r->elements > VOTE_CAST_RETRY_MS ? v : 0;
    for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
        if (strcmp(r->element[VOTE_CAST_REASON]->str, refusals[i].name) == 0) {
            out->status = refusals[i].status;
            return true;
        }
    }
    return false;
}

enum app_err vote_store_cast(const char *session_id,
                             const struct vote_cast *v,
                             long long offset_ms,
                             struct vote_cast_result *ret)
{
    char cfg[KEY_MAX], nom[KEY_MAX], vd[KEY_MAX], ip[KEY_MAX], tally[KEY_MAX], log[KEY_MAX],
        off[24];
    const char *argv[11] = {
        cfg, nom, vd, ip, tally, log, v->nominee_id, v->voter_hash, v->ip_hash, v->receipt_hash,
        off};
    struct timespec t0;
    redisReply *r = NULL;
    enum app_err err;

    vote_key(cfg, session_id, "cfg");
    vote_key(nom, session_id, "nom");
    vote_key_voter_day(vd, session_id, v->voter_hash);
    vote_key_ip(ip, session_id, v->ip_hash);
    vote_key(tally, session_id, "tally");
    vote_key(log, session_id, "log");
    vote_offset_text(off, offset_ms);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* A transport error is retried once inside with the same receipt hash:
     * if the first try was stored, the script answers REPLAY. */
    err = redis_store_eval(&vote_script_cast, 6, 11, argv, &r);
    vote_metrics_redis(seconds_since(&t0));
    if (err != APP_OK) {
        return err;
    }
    if (!read_cast(r, ret)) {
        return vote_reply_bad("vote", r);
    }
    freeReplyObject(r);
    return APP_OK;
}

enum app_err vote_store_info(const char *session_id, long long offset_ms, struct vote_info *ret)
{
    char cfg[KEY_MAX], tally[KEY_MAX], off[24];
    const char *argv[3] = {cfg, tally, off};
    redisReply *r = NULL;
    struct vote_info in = {.log_entries = -1};
    long long v[3];
    bool found;
    enum app_err err;

    vote_key(cfg, session_id, "cfg");
    vote_key(tally, session_id, "tally");
    vote_offset_text(off, offset_ms);
    err = redis_store_eval(&vote_script_info, 2, 3, argv, &r);
    if (err != APP_OK) {
        return err;
    }
    if (!vote_reply_script(r, VOTE_INFO_REPLY_LEN, &found)) {
        return vote_reply_bad("info", r);
    }
    if (!found) {
        freeReplyObject(r);
        return APP_ERR_NOT_FOUND;
    }
    if (!vote_reply_ll(r->element[VOTE_INFO_NOW], &in.now_ms) ||
        !vote_reply_ll(r->element[VOTE_INFO_OPENS_MS], &in.opens_ms) ||
        !vote_reply_ll(r->element[VOTE_INFO_CLOSES_MS], &in.closes_ms) ||
        !vote_reply_ll(r->element[VOTE_INFO_SEALED], &v[0]) ||
        !vote_reply_ll(r->element[VOTE_INFO_SHOW_COUNTS], &v[1]) ||
        !vote_reply_is_str(r->element[VOTE_INFO_DOC]) ||
        !vote_reply_counts(r->element[VOTE_INFO_TALLY], in.counts, &in.n_counts, &in.total)) {
        return vote_reply_bad("info", r);
    }
    if (vote_reply_ll(r->element[VOTE_INFO_LOG_ENTRIES], &v[2]) &&
        vote_reply_copy_str(r->element[VOTE_INFO_LOG_SHA256], in.log_sha256,
                            sizeof(in.log_sha256)) &&
        strlen(in.log_sha256) == 64) {
        in.log_entries = (long)v[2];
    }
    in.sealed = v[0] == 1;
    in.show_counts = v[1] == 1;
    in.doc = strdup(r->element[VOTE_INFO_DOC]->str);
    in.withdrawn = strdup(vote_reply_is_str(r->element[VOTE_INFO_WITHDRAWN])
                              ? r->element[VOTE_INFO_WITHDRAWN]->str
                              : "");
    freeReplyObject(r);
    if (in.doc == NULL || in.withdrawn == NULL) {
        vote_info_clear(&in);
        return APP_ERR_INTERNAL;
    }
    *ret = in;
    return APP_OK;
}

void vote_info_clear(struct vote_info *info)
{
    if (info != NULL) {
        free(info->doc);
        info->doc = NULL;
        free(info->withdrawn);
        info->withdrawn = NULL;
    }
}

enum app_err vote_store_seal(const char *session_id, long long offset_ms, struct vote_seal *ret)
{
    char cfg[KEY_MAX], log[KEY_MAX], off[24];
    const char *argv[3] = {cfg, log, off};
    redisReply *r = NULL;
    struct vote_seal s = {.log_entries = -1};
    long long v[3];
    bool found;
    enum app_err err;

    vote_key(cfg, session_id, "cfg");
    vote_key(log, session_id, "log");
    vote_offset_text(off, offset_ms);
    err = redis_store_eval(&vote_script_seal, 2, 3, argv, &r);
    if (err != APP_OK) {
        return err;
    }
    if (!vote_reply_script(r, VOTE_SEAL_REPLY_LEN, &found)) {
        return vote_reply_bad("seal", r);
    }
    if (!found) {
        freeReplyObject(r);
        return APP_ERR_NOT_FOUND;
    }
    if (!vote_reply_ll(r->element[VOTE_SEAL_SEALED], &v[0]) ||
        !vote_reply_ll(r->element[VOTE_SEAL_XLEN], &v[1]) ||
        !vote_reply_copy_str(r->element[VOTE_SEAL_LAST_ID], s.last_id, sizeof(s.last_id))) {
        return vote_reply_bad("seal", r);
    }
    if (vote_reply_ll(r->element[VOTE_SEAL_LOG_ENTRIES], &v[2]) &&
        vote_reply_copy_str(r->element[VOTE_SEAL_LOG_SHA256], s.log_sha256, sizeof(s.log_sha256)) &&
        strlen(s.log_sha256) == 64) {
        s.log_entries = (long)v[2];
    }
    s.sealed = v[0] == 1;
    s.entries = (long)v[1];
    freeReplyObject(r);
    *ret = s;
    return APP_OK;
}
