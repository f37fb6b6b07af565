/* SPDX-License-Identifier: MIT */
/*
 * A background thread that runs one step function over and over: again an
 * interval after each step ends, at once when woken, and not again once
 * stopped. The services' jobs run on it (the API's vote push, the voting
 * service's tally poster); what a step does, and any backoff, is theirs.
 */
#ifndef JIANGXIN_WORKER_H
#define JIANGXIN_WORKER_H

#include <stdbool.h>

#include "app_err.h"

#define WORKER_NAME_MAX 16 /* a thread name: 15 characters and the NUL */

struct worker;

struct worker_conf {
    /* Thread and log name; longer than WORKER_NAME_MAX - 1 is cut. */
    const char *name;
    /* > 0: the pause from the end of one step to the start of the next. */
    long interval_ms;
    /* Runs on the worker thread, never two at once. A long step checks
     * worker_stopping(w) between items so a stop does not wait for all. */
    void (*step)(struct worker *w, void *arg);
    /* Optional: runs once on the worker thread after its last step, e.g. to
     * close that thread's own connection. */
    void (*thread_end)(void *arg);
    void *arg; /* passed to both; must outlive the worker */
};

/* Copies conf and starts the thread; its first step runs at once.
 * APP_ERR_INTERNAL (logged) when conf lacks a name, step or a positive
 * interval, or a thread resource cannot be had; *ret is set only on
 * success. */
enum app_err worker_start(const struct worker_conf *conf, struct worker **ret);
/* Runs the next step now instead of at the end of the pause; a wake during
 * a step runs one more step right after it. Wakes that arrive before the
 * next step starts count as one. Any thread; a no-op once stopping. */
void worker_wake(struct worker *w);
/* True once worker_stop has begun; for the step to cut its work short. */
bool worker_stopping(struct worker *w);
/* Lets the step in flight finish, starts no other, runs thread_end, joins
 * the thread and frees w. Call once, not from the worker thread. NULL-safe. */
void worker_stop(struct worker *w);

#endif
