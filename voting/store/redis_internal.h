/* SPDX-License-Identifier: MIT */
/*
 * Private to voting/store: the calling thread's hiredis context and a
 * script runner. EVALSHA with the script loaded on first use and again on
 * NOSCRIPT (a restarted or flushed Redis); a transport error drops the
 * context and the command runs once more on a fresh one.
 */
#ifndef JIANGXIN_REDIS_INTERNAL_H
#define JIANGXIN_REDIS_INTERNAL_H

#include <stddef.h>

#include <hiredis/hiredis.h>

#include "app_err.h"

struct redis_script {
    const char *name; /* for logs */
    const char *lua;
    char sha[41]; /* set once loaded (under a mutex in redis_store.c) */
};

/* Runs `s` with argv = keys then args (nkeys of them keys). On APP_OK *ret
 * is a reply that is not an error (caller frees it). APP_ERR_UNAVAILABLE
 * when Redis did not answer twice; APP_ERR_INTERNAL on a script error. */
enum app_err redis_store_eval(
    struct redis_script *s, size_t nkeys, size_t argc, const char *const *argv, redisReply **ret);

/* One plain command (binary-safe argv), with the same retry and checks. */
enum app_err redis_store_command(size_t argc, const char *const *argv, redisReply **ret);

#endif
