/* SPDX-License-Identifier: MIT */
/*
 * The public cache's own connection (api/public_cache.c): LISTEN
 * jiangxin_public, then wait for what db/migrations/0029_public_notify.sql
 * sends at each commit that changes a public table. Not one of the
 * request threads' connections: it only ever waits.
 */
#ifndef JIANGXIN_PUBLIC_LISTEN_STORE_H
#define JIANGXIN_PUBLIC_LISTEN_STORE_H

struct public_listen;

/* Connects and listens; NULL (logged) when the database cannot be had. */
struct public_listen *public_listen_open(const char *conninfo);

/* Waits up to timeout_ms for notifications and consumes every one that
 * arrived: how many, or -1 when the connection is lost (close and open
 * again: notifications sent meanwhile are lost, so the caller must assume
 * a change). */
int public_listen_wait(struct public_listen *l, int timeout_ms);

/* NULL-safe. */
void public_listen_close(struct public_listen *l);

#endif
