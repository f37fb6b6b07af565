/* SPDX-License-Identifier: MIT */
/*
 * Password checks off the request threads' CPU share: a few hasher threads
 * (JIANGXIN_HASH_CONCURRENCY) at a lower scheduling priority run argon2id
 * (~140 ms each); a request thread hands over one check and waits for it,
 * and is refused at once when every hasher is busy, so checks never queue
 * and other routes keep their latency while sign-ins flood in.
 */
#ifndef JIANGXIN_HASH_POOL_H
#define JIANGXIN_HASH_POOL_H

#include <stdbool.h>

#include "app_err.h"

#define HASH_POOL_MAX 64

/* Starts n hasher threads (1..HASH_POOL_MAX) and computes the dummy hash
 * that unknown users are checked against. */
enum app_err hash_pool_start(unsigned n);

/* Stops and joins the hashers (after the HTTP server stopped). */
void hash_pool_stop(void);

/* True when every hasher is busy now (a hint: no database work is worth
 * doing for a sign-in that would be refused anyway). */
bool hash_pool_full(void);

/* Checks password against hash (NULL: against the dummy hash, so that an
 * unknown user costs the same time). False, with nothing checked, when
 * every hasher is busy; otherwise true with the result in *ret_ok. */
bool hash_pool_verify(const char *hash, const char *password, bool *ret_ok);

#endif
