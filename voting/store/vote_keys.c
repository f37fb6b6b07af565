/* SPDX-License-Identifier: MIT */
/*
 * The vote store's key shapes (one function each; every key of a session
 * carries the hash tag {session id}, so a script's keys share one slot) and
 * the checks that read script replies. Private to voting/store.
 */
#include "vote_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vote_scripts.h"

/* ---- keys ---- */

void vote_key(char out[KEY_MAX], const char *session_id, const char *suffix)
{
    snprintf(out, KEY_MAX, "v:{%s}:%s", session_id, suffix);
}

void vote_key_voter_day(char out[KEY_MAX], const char *session_id, const char *voter_hash)
{
    snprintf(out, KEY_MAX, "v:{%s}:vd:%s", session_id, voter_hash);
}

void vote_key_ip(char out[KEY_MAX], const char *session_id, const char *ip_hash)
{
    snprintf(out, KEY_MAX, "v:{%s}:ip:%s", session_id, ip_hash);
}

const char VOTE_KEY_SESSIONS[] = "v:sessions";
const char VOTE_KEY_POSTER[] = "v:poster";
const char VOTE_KEY_CLOSES[] = "v:sessions:closes"; /* ids by closes_ms (list.lua) */

/* ---- reply helpers ---- */

bool vote_reply_is_int(const redisReply *r)
{
    return r != NULL && r->type == REDIS_REPLY_INTEGER;
}

bool vote_reply_is_str(const redisReply *r)
{
    return r != NULL && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS);
}

bool vote_reply_copy_str(const redisReply *r, char *out, size_t len)
{
    if (!vote_reply_is_str(r) || r->len >= len) {
        return false;
    }
    memcpy(out, r->str, r->len);
    out[r->len] = '\0';
    return true;
}

/* An integer reply, or a string of digits (HGET values). */
bool vote_reply_ll(const redisReply *r, long long *out)
{
    char *end;

    if (vote_reply_is_int(r)) {
        *out = r->integer;
        return true;
    }
    if (!vote_reply_is_str(r) || r->len == 0) {
        return false;
    }
    *out = strtoll(r->str, &end, 10);
    return end == r->str + r->len;
}

/* The scripts read with vote_reply_script answer {0} or {1, ...}. */
#define REPLY_FOUND 0
_Static_assert(VOTE_INFO_FOUND == REPLY_FOUND && VOTE_SEAL_FOUND == REPLY_FOUND &&
                   VOTE_SNAPSHOT_FOUND == REPLY_FOUND && VOTE_DIGEST_FOUND == REPLY_FOUND,
               "found leads the reply");

/* {1, ...} with at least n elements; *found false for {0}. */
bool vote_reply_script(const redisReply *r, size_t n, bool *found)
{
    if (r->type != REDIS_REPLY_ARRAY || r->elements <= REPLY_FOUND ||
        !vote_reply_is_int(r->element[REPLY_FOUND])) {
        return false;
    }
    *found = r->element[REPLY_FOUND]->integer == 1;
    return !*found || r->elements >= n;
}

enum app_err vote_reply_bad(const char *what, redisReply *r)
{
    log_error("redis: unexpected reply to %s", what);
    freeReplyObject(r);
    return APP_ERR_INTERNAL;
}

void vote_offset_text(char out[24], long long offset_ms)
{
    snprintf(out, 24, "%lld", offset_ms);
}

/* A flat {nominee, count, ...} array into counts; false when malformed. */
bool vote_reply_counts(const redisReply *a, struct vote_count *counts, size_t *n, long *total)
{
    *n = 0;
    *total = 0;
    if (a->type != REDIS_REPLY_ARRAY || a->elements % 2 != 0 ||
        a->elements / 2 > VOTE_NOMINEES_MAX) {
        return false;
    }
    for (size_t i = 0; i < a->elements; i += 2) {
        long long v;

        if (!vote_reply_copy_str(a->element[i], counts[*n].nominee_id, VOTE_ID_MAX) ||
            !vote_reply_ll(a->element[i + 1], &v) || v < 0) {
            return false;
        }
        counts[*n].votes = (long)v;
        *total += (long)v;
        (*n)++;
    }
    return true;
}
