/* SPDX-License-Identifier: MIT */
/*
 * The public cache (public_cache.h): a direct-mapped table under one
 * read-write lock, a version counter, and a worker that listens for
 * NOTIFY jiangxin_public on its own connection.
 */
#include "public_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "civil_time.h"
#include "clock.h"
#include "log.h"
#include "store/public_listen_store.h"
#include "worker.h"

#define SLOTS    1024
#define KEY_MAX  512
#define WAIT_MS  250 /* a stop waits at most this for the listener */
#define RETRY_MS 1000

struct entry {
    char *key;
    char *body;
    size_t len;
    char etag[HTTP_ETAG_MAX];
    uint64_t version;
    uint64_t epoch;
    long long rendered_ms;
    int32_t today;
};

static struct {
    struct public_cache_conf conf;
    bool on;
    pthread_rwlock_t lock;
    struct entry slots[SLOTS];
    size_t bytes; /* bodies and keys held, under lock */
    atomic_uint_fast64_t version;
    atomic_bool live;
    atomic_uint_fast64_t hits, misses, bypass;
    struct worker *worker;
    struct public_listen *listen;
} cache = {.lock = PTHREAD_RWLOCK_INITIALIZER};

void public_cache_bump(void)
{
    atomic_fetch_add(&cache.version, 1);
}

static uint64_t key_hash(const char *key)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */

    for (const unsigned char *s = (const unsigned char *)key; *s != '\0'; s++) {
        h = (h ^ *s) * 1099511628211ULL;
    }
    return h;
}

bool public_cache_get(const char *key,
                      char **ret_body,
                      size_t *ret_len,
                      char ret_etag[HTTP_ETAG_MAX],
                      struct public_cache_ticket *t)
{
    long long now = clock_now_ms();
    struct entry *e;
    bool hit = false;

    *t = (struct public_cache_ticket){
        .version = atomic_load(&cache.version),
        .epoch = clock_epoch(),
        .at_ms = now,
        .today = date_of_ms(now),
        .usable = cache.on && atomic_load(&cache.live) && strlen(key) < KEY_MAX,
    };
    if (!t->usable) {
        atomic_fetch_add(&cache.bypass, 1);
        return false;
    }
    pthread_rwlock_rdlock(&cache.lock);
    e = &cache.slots[key_hash(key) % SLOTS];
    if (e->key != NULL && e->version == t->version && e->epoch == t->epoch &&
        e->today == t->today && now >= e->rendered_ms && now < e->rendered_ms + cache.conf.ttl_ms &&
        strcmp(e->key, key) == 0 && (*ret_body = malloc(e->len + 1)) != NULL) {
        memcpy(*ret_body, e->body, e->len + 1);
        *ret_len = e->len;
        memcpy(ret_etag, e->etag, HTTP_ETAG_MAX);
        hit = true;
    }
    pthread_rwlock_unlock(&cache.lock);
    atomic_fetch_add(hit ? &cache.hits : &cache.misses, 1);
    return hit;
}

static void entry_clear(struct entry *e)
{
    if (e->key != NULL) {
        cache.bytes -= strlen(e->key) + e->len;
    }
    free(e->key);
    free(e->body);
    *e = (struct entry){0};
}

void public_cache_put(const char *key,
                      const struct public_cache_ticket *t,
                      const char *body,
                      size_t len,
                      const char etag[HTTP_ETAG_MAX])
{
    size_t need = strlen(key) + len;
    struct entry fresh = {.len = len,
                          .version = t->version,
                          .epoch = t->epoch,
                          .rendered_ms = t->at_ms,
                          .today = t->today};

    if (!t->usable || t->version != atomic_load(&cache.version) ||
        need > cache.conf.max_bytes / 8) {
        return; /* already stale, or too large for a share of the cache */
    }
    fresh.key = strdup(key);
    fresh.body = malloc(len + 1);
    if (fresh.key == NULL || fresh.body == NULL) {
        free(fresh.key);
        free(fresh.body);
        return;
    }
    memcpy(fresh.body, body, len);
    fresh.body[len] = '\0';
    memcpy(fresh.etag, etag, HTTP_ETAG_MAX);
    pthread_rwlock_wrlock(&cache.lock);
    struct entry *e = &cache.slots[key_hash(key) % SLOTS];

    entry_clear(e);
    if (cache.bytes + need <= cache.conf.max_bytes) {
        *e = fresh;
        cache.bytes += need;
        fresh = (struct entry){0};
    }
    pthread_rwlock_unlock(&cache.lock);
    free(fresh.key);
    free(fresh.body);
}

/* The listener: connect and LISTEN, then count a change for every batch of
 * notifications. Until it is connected nothing is cached, and on every
 * (re)connection all entries become stale: what was sent while nobody
 * listened is lost. */
static void listen_step(struct worker *w, void *arg)
{
    (void)arg;
    if (cache.listen == NULL) {
        if ((cache.listen = public_listen_open(cache.conf.conninfo)) == NULL) {
            struct timespec pause = {.tv_sec = RETRY_MS / 1000};

            nanosleep(&pause, NULL);
            return;
        }
        public_cache_bump();
        atomic_store(&cache.live, true);
    }
    while (!worker_stopping(w)) {
        int n = public_listen_wait(cache.listen, WAIT_MS);

        if (n < 0) {
            atomic_store(&cache.live, false);
            log_warn("public cache: lost the listening connection; serving uncached");
            public_listen_close(cache.listen);
            cache.listen = NULL;
            return;
        }
        if (n > 0) {
            public_cache_bump();
        }
    }
}

static void listen_end(void *arg)
{
    (void)arg;
    atomic_store(&cache.live, false);
    public_listen_close(cache.listen);
    cache.listen = NULL;
}

enum app_err public_cache_start(const struct public_cache_conf *conf)
{
    struct worker_conf wc = {
        .name = "public-listen", .interval_ms = 1, .step = listen_step, .thread_end = listen_end};

    cache.conf = *conf;
    cache.on = conf->max_bytes > 0 && conf->ttl_ms > 0;
    if (!cache.on) {
        log_info("public cache: off");
        return APP_OK;
    }
    return worker_start(&wc, &cache.worker);
}

void public_cache_stop(void)
{
    worker_stop(cache.worker);
    cache.worker = NULL;
    pthread_rwlock_wrlock(&cache.lock);
    for (size_t i = 0; i < SLOTS; i++) {
        entry_clear(&cache.slots[i]);
    }
    pthread_rwlock_unlock(&cache.lock);
}

char *public_cache_metrics(void)
{
    char *out = NULL;

    if (asprintf(&out,
                 "# HELP jiangxin_public_cache_hits_total Public answers served from memory.\n"
                 "# TYPE jiangxin_public_cache_hits_total counter\n"
                 "jiangxin_public_cache_hits_total %llu\n"
                 "# HELP jiangxin_public_cache_misses_total Public answers rendered and kept.\n"
                 "# TYPE jiangxin_public_cache_misses_total counter\n"
                 "jiangxin_public_cache_misses_total %llu\n"
                 "# HELP jiangxin_public_cache_bypass_total Public answers rendered while the "
                 "cache was off or not listening.\n"
                 "# TYPE jiangxin_public_cache_bypass_total counter\n"
                 "jiangxin_public_cache_bypass_total %llu\n"
                 "# HELP jiangxin_public_cache_live 1 while the cache listens for changes.\n"
                 "# TYPE jiangxin_public_cache_live gauge\njiangxin_public_cache_live %d\n",
                 (unsigned long long)atomic_load(&cache.hits),
                 (unsigned long long)atomic_load(&cache.misses),
                 (unsigned long long)atomic_load(&cache.bypass),
                 atomic_load(&cache.live) ? 1 : 0) < 0) {
        return NULL;
    }
    return out;
}
