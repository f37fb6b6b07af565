/* SPDX-License-Identifier: MIT */
/*
 * Why it looks like this: the pause is a condition-variable wait on a
 * monotonic deadline, so a stop or a wake ends it at once and a clock step
 * does not stretch it. Backoff stays with the jobs: the vote push backs off
 * per session (in the row) and the poster per session and for the API as a
 * whole while it still ticks every interval for the digest and the lag
 * gauge, so stretching the pause here would change what they do.
 */
#include "worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

struct worker {
    struct worker_conf conf;
    char name[WORKER_NAME_MAX];
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* signalled by worker_wake and worker_stop */
    bool stopping;       /* under lock */
    bool woken;          /* under lock: run the next step without the pause */
};

/* The monotonic time interval_ms from now. */
static struct timespec deadline_after(long interval_ms)
{
    struct timespec at;

    clock_gettime(CLOCK_MONOTONIC, &at);
    at.tv_sec += (time_t)(interval_ms / 1000);
    at.tv_nsec += (interval_ms % 1000) * 1000000L;
    if (at.tv_nsec >= 1000000000L) {
        at.tv_sec++;
        at.tv_nsec -= 1000000000L;
    }
    return at;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;

    /* Only for ps, top and gdb: a name that does not take changes nothing. */
    (void)pthread_setname_np(pthread_self(), w->name);
    pthread_mutex_lock(&w->lock);
    while (!w->stopping) {
        pthread_mutex_unlock(&w->lock);
        w->conf.step(w, w->conf.arg);
        struct timespec until = deadline_after(w->conf.interval_ms);
        int rc = 0;

        pthread_mutex_lock(&w->lock);
        while (!w->stopping && !w->woken && rc != ETIMEDOUT) {
            rc = pthread_cond_timedwait(&w->cond, &w->lock, &until);
        }
        w->woken = false;
    }
    pthread_mutex_unlock(&w->lock);
    if (w->conf.thread_end != NULL) {
        w->conf.thread_end(w->conf.arg);
    }
    return NULL;
}

enum app_err worker_start(const struct worker_conf *conf, struct worker **ret)
{
    struct worker *w = NULL;
    pthread_condattr_t attr;
    bool have_lock = false, have_cond = false;
    int rc;

    if (conf->name == NULL || conf->step == NULL || conf->interval_ms <= 0) {
        log_error("worker %s: needs a name, a step and a positive interval",
                  conf->name != NULL ? conf->name : "(unnamed)");
        return APP_ERR_INTERNAL;
    }
    if ((w = calloc(1, sizeof(*w))) == NULL) {
        log_error("worker %s: out of memory", conf->name);
        return APP_ERR_INTERNAL;
    }
    w->conf = *conf;
    snprintf(w->name, sizeof(w->name), "%s", conf->name);
    w->conf.name = w->name;
    if ((rc = pthread_mutex_init(&w->lock, NULL)) != 0) {
        goto cleanup;
    }
    have_lock = true;
    if ((rc = pthread_condattr_init(&attr)) != 0) {
        goto cleanup;
    }
    if ((rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)) == 0) {
        rc = pthread_cond_init(&w->cond, &attr);
    }
    pthread_condattr_destroy(&attr);
    if (rc != 0) {
        goto cleanup;
    }
    have_cond = true;
    if ((rc = pthread_create(&w->thread, NULL, worker_main, w)) != 0) {
        goto cleanup;
    }
    *ret = w;
    return APP_OK;

cleanup:
    log_error("worker %s: cannot start the thread (%s)", w->name, strerror(rc));
    if (have_cond) {
        pthread_cond_destroy(&w->cond);
    }
    if (have_lock) {
        pthread_mutex_destroy(&w->lock);
    }
    free(w);
    return APP_ERR_INTERNAL;
}

void worker_wake(struct worker *w)
{
    pthread_mutex_lock(&w->lock);
    if (!w->stopping) {
        w->woken = true;
        pthread_cond_signal(&w->cond);
    }
    pthread_mutex_unlock(&w->lock);
}

bool worker_stopping(struct worker *w)
{
    pthread_mutex_lock(&w->lock);
    bool stopping = w->stopping;
    pthread_mutex_unlock(&w->lock);
    return stopping;
}

void worker_stop(struct worker *w)
{
    if (w == NULL) {
        return;
    }
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
