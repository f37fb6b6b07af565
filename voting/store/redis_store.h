/* SPDX-License-Identifier: MIT */
/*
 * Redis as the voting service sees it: one hiredis context per pool thread,
 * connected lazily with connect and command timeouts, and dropped on any
 * transport error so the next call reconnects (tech-brief §3: a context that
 * timed out must never be reused). The only code that touches hiredis.
 */
#ifndef JIANGXIN_REDIS_STORE_H
#define JIANGXIN_REDIS_STORE_H

#include <stdbool.h>

#include "app_err.h"

#define REDIS_TIMEOUT_MS 500

/* Parses redis://host:port[/db] and keeps it for every thread. */
bool redis_store_configure(const char *url);
/* PING. APP_ERR_UNAVAILABLE when Redis does not answer. */
enum app_err redis_store_ping(void);
/* Closes the calling thread's context (also done at thread exit). */
void redis_store_thread_close(void);

#endif
