/* SPDX-License-Identifier: MIT */
/*
 * The hasher threads of hash_pool.h. A slot counter admits at most as many
 * checks as there are hashers, so a handed-over check always finds an idle
 * hasher and the request thread waits for one argon2id run, never longer.
 * Hashers run at nice +10: under load the request threads (nice 0) get the
 * CPU first, and the checks slow down instead of everything else.
 */
#include "hash_pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/resource.h>

#include <sodium.h>

#include "crypto.h"
#include "log.h"

struct hash_job {
    const char *hash;
    const char *password;
    bool done;
    bool ok;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static struct hash_job *queue[HASH_POOL_MAX];
static size_t queue_head, queue_len;
static bool stopping;
static pthread_t hashers[HASH_POOL_MAX];
static unsigned n_hashers;
static atomic_uint in_use;

/* A valid argon2id hash of a random password: what unknown users are
 * checked against, so both failures take the same time. */
static char dummy_hash[CRYPTO_HASH_STR_BYTES];

static void *hasher_main(void *arg)
{
    (void)arg;
    /* Linux: the nice value is per thread; raising it needs no privilege. */
    if (setpriority(PRIO_PROCESS, 0, 10) != 0) {
        log_warn("hash pool: could not lower the hasher's priority");
    }
    pthread_mutex_lock(&mu);
    for (;;) {
        while (queue_len == 0 && !stopping) {
            pthread_cond_wait(&work_cv, &mu);
        }
        if (queue_len == 0) {
            break; /* stopping, nothing left */
        }
        struct hash_job *job = queue[queue_head];
        queue_head = (queue_head + 1) % HASH_POOL_MAX;
        queue_len--;
        pthread_mutex_unlock(&mu);
        bool ok = crypto_password_verify(job->hash != NULL ? job->hash : dummy_hash, job->password);
        pthread_mutex_lock(&mu);
        job->ok = ok;
        job->done = true;
        pthread_cond_broadcast(&done_cv);
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

enum app_err hash_pool_start(unsigned n)
{
    unsigned char raw[16];
    char pw[33];

    if (n == 0 || n > HASH_POOL_MAX) {
        return APP_ERR_INTERNAL;
    }
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(pw, sizeof(pw), raw, sizeof(raw));
    if (crypto_password_hash(pw, dummy_hash) != APP_OK) {
        return APP_ERR_INTERNAL;
    }
    stopping = false;
    for (n_hashers = 0; n_hashers < n; n_hashers++) {
        if (pthread_create(&hashers[n_hashers], NULL, hasher_main, NULL) != 0) {
            log_error("hash pool: cannot start a hasher thread");
            hash_pool_stop();
            return APP_ERR_INTERNAL;
        }
    }
    return APP_OK;
}

void hash_pool_stop(void)
{
    pthread_mutex_lock(&mu);
    stopping = true;
    pthread_cond_broadcast(&work_cv);
    pthread_mutex_unlock(&mu);
    for (unsigned i = 0; i < n_hashers; i++) {
        pthread_join(hashers[i], NULL);
    }
    n_hashers = 0;
}

bool hash_pool_full(void)
{
    return atomic_load(&in_use) >= n_hashers;
}

bool hash_pool_verify(const char *hash, const char *password, bool *ret_ok)
{
    struct hash_job job = {.hash = hash, .password = password};

    if (atomic_fetch_add(&in_use, 1) >= n_hashers) {
        atomic_fetch_sub(&in_use, 1);
        return false;
    }
    pthread_mutex_lock(&mu);
    queue[(queue_head + queue_len) % HASH_POOL_MAX] = &job;
    queue_len++;
    pthread_cond_signal(&work_cv);
    while (!job.done) {
        pthread_cond_wait(&done_cv, &mu);
    }
    pthread_mutex_unlock(&mu);
    atomic_fetch_sub(&in_use, 1);
    *ret_ok = job.ok;
    return true;
}
