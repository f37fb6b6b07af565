/* SPDX-License-Identifier: MIT */
/*
 * Private to voting/store: key builders and reply checks shared by
 * vote_store.c and vote_store_poster.c.
 */
#ifndef JIANGXIN_VOTE_KEYS_H
#define JIANGXIN_VOTE_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "redis_internal.h"
#include "vote_store.h"

#define KEY_MAX 160

extern const char VOTE_KEY_SESSIONS[];
extern const char VOTE_KEY_POSTER[];
extern const char VOTE_KEY_CLOSES[];

/* v:{E}:<suffix> for cfg, nom, tally, log, seq. */
void vote_key(char out[KEY_MAX], const char *session_id, const char *suffix);
/* v:{E}:vd:<voter hash> */
void vote_key_voter_day(char out[KEY_MAX], const char *session_id, const char *voter_hash);
/* v:{E}:ip:<ip hash> */
void vote_key_ip(char out[KEY_MAX], const char *session_id, const char *ip_hash);

bool vote_reply_is_int(const redisReply *r);
bool vote_reply_is_str(const redisReply *r);
bool vote_reply_copy_str(const redisReply *r, char *out, size_t len);
/* An integer reply, or a string that is all digits (HGET values). */
bool vote_reply_ll(const redisReply *r, long long *out);
/* {1, ...} with at least n elements (*found true) or {0} (*found false). */
bool vote_reply_script(const redisReply *r, size_t n, bool *found);
/* A flat {nominee, count, ...} array; false when malformed. */
bool vote_reply_counts(const redisReply *a, struct vote_count *counts, size_t *n, long *total);
/* Logs, frees r, returns APP_ERR_INTERNAL. */
enum app_err vote_reply_bad(const char *what, redisReply *r);
void vote_offset_text(char out[24], long long offset_ms);

#endif
