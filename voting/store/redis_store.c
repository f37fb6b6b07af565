/* SPDX-License-Identifier: MIT */
/*
 * hiredis contexts, one per thread behind a pthread key whose destructor
 * frees them when MHD's pool threads end. hiredis 0.14's redisReconnect does
 * not keep the command timeout, so a broken context is freed and a new one
 * made with both timeouts applied.
 */
#include "redis_store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <hiredis/hiredis.h>

#include "log.h"

static char redis_host[256];
static int redis_port;
static int redis_db;
static pthread_key_t redis_key;
static pthread_once_t redis_once = PTHREAD_ONCE_INIT;

static void context_free(void *p)
{
    if (p != NULL) {
        redisFree(p);
    }
}

static void make_key(void)
{
    pthread_key_create(&redis_key, context_free);
}

bool redis_store_configure(const char *url)
{
    const char *p = url + strlen("redis://");
    char rest[16] = "";

    if (strncmp(url, "redis://", 8) != 0 ||
        sscanf(p, "%255[^:/]:%d%15s", redis_host, &redis_port, rest) < 2 || redis_port < 1 ||
        redis_port > 65535) {
        return false;
    }
    redis_db = 0;
    if (rest[0] != '\0' && (rest[0] != '/' || sscanf(rest + 1, "%d", &redis_db) != 1)) {
        return false;
    }
    pthread_once(&redis_once, make_key);
    return true;
}

static redisContext *context(void)
{
    redisContext *c = pthread_getspecific(redis_key);
    struct timeval tv = {0, REDIS_TIMEOUT_MS * 1000};

    if (c != NULL && c->err == 0) {
        return c;
    }
    context_free(c);
    pthread_setspecific(redis_key, NULL);
    c = redisConnectWithTimeout(redis_host, redis_port, tv);
    if (c == NULL || c->err != 0) {
        log_warn("redis unreachable: %s", c != NULL ? c->errstr : "out of memory");
        context_free(c);
        return NULL;
    }
    redisSetTimeout(c, tv);
    redisEnableKeepAlive(c);
    if (redis_db != 0) {
        redisReply *r = redisCommand(c, "SELECT %d", redis_db);
        bool ok = r != NULL && r->type != REDIS_REPLY_ERROR;
        freeReplyObject(r);
        if (!ok) {
            context_free(c);
            return NULL;
        }
    }
    pthread_setspecific(redis_key, c);
    return c;
}

static void drop_context(void)
{
    context_free(pthread_getspecific(redis_key));
    pthread_setspecific(redis_key, NULL);
}

enum app_err redis_store_ping(void)
{
    /* A context idle across a Redis restart only learns it is dead when a
     * command fails; PING is idempotent, so retry once on a fresh one. */
    for (int attempt = 0; attempt < 2; attempt++) {
        redisContext *c = context();
        redisReply *r;

        if (c == NULL) {
            return APP_ERR_UNAVAILABLE;
        }
        r = redisCommand(c, "PING");
        if (r == NULL) {
            drop_context();
            continue;
        }
        bool ok = r->type == REDIS_REPLY_STATUS && strcmp(r->str, "PONG") == 0;
        freeReplyObject(r);
        return ok ? APP_OK : APP_ERR_UNAVAILABLE;
    }
    return APP_ERR_UNAVAILABLE;
}

void redis_store_thread_close(void)
{
    drop_context();
}
