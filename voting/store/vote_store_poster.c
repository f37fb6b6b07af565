/* SPDX-License-Identifier: MIT */
/*
 * The vote store's side of tally posting and log reading (vote_store.h):
 * the snapshot, the log in batches, the session list, the posting lock and
 * the stored digest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "redis_internal.h"
#include "vote_keys.h"
#include "vote_scripts.h"
#include "vote_store.h"

/* ---- the poster ---- */

enum app_err
vote_store_snapshot(const char *session_id, long long offset_ms, struct vote_snapshot *ret)
{
    char cfg[KEY_MAX], tally[KEY_MAX], log[KEY_MAX], seq[KEY_MAX], nom[KEY_MAX], off[24];
    const char *argv[6] = {cfg, tally, log, seq, nom, off};
    redisReply *r = NULL;
    enum app_err err;
    long long v[4];
    bool found;

    vote_key(cfg, session_id, "cfg");
    vote_key(tally, session_id, "tally");
    vote_key(log, session_id, "log");
    vote_key(seq, session_id, "seq");
    vote_key(nom, session_id, "nom");
    vote_offset_text(off, offset_ms);
    err = redis_store_eval(&vote_script_snapshot, 5, 6, argv, &r);
    if (err != APP_OK) {
        return err;
    }
    if (!vote_reply_script(r, VOTE_SNAPSHOT_REPLY_LEN, &found)) {
        return vote_reply_bad("snapshot", r);
    }
    if (!found) {
        freeReplyObject(r);
        return APP_ERR_NOT_FOUND;
    }
    memset(ret, 0, sizeof(*ret));
    if (!vote_reply_ll(r->element[VOTE_SNAPSHOT_SEQ], &v[0]) ||
        !vote_reply_ll(r->element[VOTE_SNAPSHOT_SEALED], &v[1]) ||
        !vote_reply_ll(r->element[VOTE_SNAPSHOT_FINAL_POSTED], &v[2]) ||
        !vote_reply_ll(r->element[VOTE_SNAPSHOT_NOW], &ret->now_ms) ||
        !vote_reply_ll(r->element[VOTE_SNAPSHOT_XLEN], &v[3]) ||
        !vote_reply_copy_str(r->element[VOTE_SNAPSHOT_LAST_ID], ret->last_id,
                             sizeof(ret->last_id)) ||
        !vote_reply_counts(r->element[VOTE_SNAPSHOT_COUNTS], ret->counts, &ret->n_counts,
                           &ret->total)) {
        return vote_reply_bad("snapshot", r);
    }
    ret->seq = v[0];
    ret->sealed = v[1] == 1;
    ret->final_posted = v[2] == 1;
    ret->entries = (long)v[3];
    freeReplyObject(r);
    return APP_OK;
}

static bool read_entry(const redisReply *e, struct vote_log_entry *out)
{
    const redisReply *f;
    bool have_n = false, have_r = false;

    if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
        !vote_reply_copy_str(e->element[0], out->id, sizeof(out->id))) {
        return false;
    }
    f = e->element[1];
    if (f->type != REDIS_REPLY_ARRAY || f->elements % 2 != 0) {
        return false;
    }
    for (size_t i = 0; i + 1 < f->elements; i += 2) {
        if (!vote_reply_is_str(f->element[i])) {
            return false;
        }
        if (strcmp(f->element[i]->str, "n") == 0) {
            have_n =
                vote_reply_copy_str(f->element[i + 1], out->nominee_id, sizeof(out->nominee_id));
        } else if (strcmp(f->element[i]->str, "r") == 0) {
            have_r = vote_reply_copy_str(f->element[i + 1], out->receipt_hash,
                                         sizeof(out->receipt_hash));
        }
    }
    return have_n && have_r;
}

enum app_err vote_store_log_range(const char *session_id,
                                  const char *after_id,
                                  const char *until_id,
                                  struct vote_log_entry *ret,
                                  size_t max,
                                  size_t *ret_n)
{
    char log[KEY_MAX], start[VOTE_STREAM_ID_MAX + 2], count[24];
    const char *argv[6] = {"XRANGE", log, start, until_id != NULL ? until_id : "+", "COUNT", count};
    redisReply *r = NULL;
    enum app_err err;

    if (max == 0 || max > VOTE_LOG_BATCH) {
        return APP_ERR_INTERNAL;
    }
    vote_key(log, session_id, "log");
    snprintf(start, sizeof(start), "(%s", after_id != NULL && after_id[0] ? after_id : "0-0");
    snprintf(count, sizeof(count), "%zu", max);
    err = redis_store_command(6, argv, &r);
    if (err != APP_OK) {
        return err;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements > max) {
        return vote_reply_bad("XRANGE", r);
    }
    for (size_t i = 0; i < r->elements; i++) {
        if (!read_entry(r->element[i], &ret[i])) {
            return vote_reply_bad("XRANGE", r);
        }
    }
    *ret_n = r->elements;
    freeReplyObject(r);
    return APP_OK;
}

enum app_err
vote_store_log_entry(const char *session_id, const char *stream_id, struct vote_log_entry *ret)
{
    char log[KEY_MAX];
    const char *argv[4] = {"XRANGE", log, stream_id, stream_id};
    redisReply *r = NULL;
    enum app_err err;

    vote_key(log, session_id, "log");
    err = redis_store_command(4, argv, &r);
    if (err != APP_OK) {
        return err;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements > 1) {
        return vote_reply_bad("XRANGE", r);
    }
    if (r->elements == 0) {
        freeReplyObject(r);
        return APP_ERR_NOT_FOUND;
    }
    if (!read_entry(r->element[0], ret)) {
        return vote_reply_bad("XRANGE", r);
    }
    freeReplyObject(r);
    return APP_OK;
}

enum app_err vote_store_sessions(char (*ret)[VOTE_ID_MAX], size_t max, size_t *ret_n)
{
    const char *argv[2] = {"SMEMBERS", VOTE_KEY_SESSIONS};
    redisReply *r = NULL;
    enum app_err err = redis_store_command(2, argv, &r);
    size_t n = 0;

    if (err != APP_OK) {
        return err;
    }
    if (r->type != REDIS_REPLY_ARRAY) {
        return vote_reply_bad("SMEMBERS", r);
    }
    for (size_t i = 0; i < r->elements && n < max; i++) {
        if (vote_reply_copy_str(r->element[i], ret[n], VOTE_ID_MAX)) {
            n++;
        }
    }
    *ret_n = n;
    freeReplyObject(r);
    return APP_OK;
}

enum app_err vote_store_poster_lock(const char *instance_id, long ttl_ms, bool *ret_held)
{
    char ttl[24];
    const char *argv[3] = {VOTE_KEY_POSTER, instance_id, ttl};
    redisReply *r = NULL;
    enum app_err err;

    snprintf(ttl, sizeof(ttl), "%ld", ttl_ms);
    err = redis_store_eval(&vote_script_lock, 1, 3, argv, &r);
    if (err != APP_OK) {
        return err;
    }
    if (!vote_reply_is_int(r)) {
        return vote_reply_bad("lock", r);
    }
    *ret_held = r->integer == 1;
    freeReplyObject(r);
    return APP_OK;
}

static enum app_err digest(const char *session_id,
                           long entries,
                           const char *sha256,
                           bool final,
                           long *ret_entries,
                           char ret_sha256[VOTE_HEX_MAX])
{
    char cfg[KEY_MAX], n[24];
    const char *argv[4] = {cfg, n, sha256, final ? "1" : "0"};
    redisReply *r = NULL;
    enum app_err err;
    long long stored;
    bool found;

    vote_key(cfg, session_id, "cfg");
    snprintf(n, sizeof(n), "%ld", entries);
    err = redis_store_eval(&vote_script_digest, 1, 4, argv, &r);
    if (err != APP_OK) {
        return err;
    }
    if (!vote_reply_script(r, VOTE_DIGEST_REPLY_LEN, &found)) {
        return vote_reply_bad("digest", r);
    }
    if (!found) {
        freeReplyObject(r);
        return APP_ERR_NOT_FOUND;
    }
    if (!vote_reply_ll(r->element[VOTE_DIGEST_LOG_ENTRIES], &stored) ||
        !vote_reply_copy_str(r->element[VOTE_DIGEST_LOG_SHA256], ret_sha256, VOTE_HEX_MAX)) {
        return vote_reply_bad("digest", r);
    }
    *ret_entries = (long)stored;
    freeReplyObject(r);
    return APP_OK;
}

enum app_err vote_store_mark_final(const char *session_id, long entries, const char *sha256)
{
    char sha[VOTE_HEX_MAX];
    long n;

    return digest(session_id, entries, sha256, true, &n, sha);
}

enum app_err vote_store_set_digest(const char *session_id,
                                   long entries,
                                   const char *sha256,
                                   long *ret_entries,
                                   char ret_sha256[VOTE_HEX_MAX])
{
    return digest(session_id, entries, sha256, false, ret_entries, ret_sha256);
}
