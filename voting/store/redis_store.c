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
#include "redis_internal.h"

static char redis_host[256];
static int redis_port;
static int redis_db;
static pthread_key_t redis_key;
static pthread_once_t redis_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t script_lock = PTHREAD_MUTEX_INITIALIZER;

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

#define REDIS_ARGV_MAX 256

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

/* A reply that means the command ran (not a transport error). */
static redisReply *run_argv(redisContext *c, size_t argc, const char *const *argv)
{
    size_t lens[REDIS_ARGV_MAX];

    if (argc > REDIS_ARGV_MAX) {
        return NULL;
    }
    for (size_t i = 0; i < argc; i++) {
        lens[i] = strlen(argv[i]);
    }
    return redisCommandArgv(c, (int)argc, (const char **)argv, lens);
}

/* Errors Redis answers while it cannot serve for a while: loading the AOF
 * after a restart, a busy script, a lost or read-only primary, a failed
 * persistence (MISCONF refuses writes). They mean 503, not 500. */
static bool transient_error(const redisReply *r)
{
    static const char *const kinds[] = {"LOADING", "BUSY",     "MASTERDOWN", "TRYAGAIN",
                                        "MISCONF", "READONLY", "NOREPLICAS", "CLUSTERDOWN"};

    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strncmp(r->str, kinds[i], strlen(kinds[i])) == 0) {
            return true;
        }
    }
    return false;
}

static enum app_err reply_error(const char *what, const char *name, const redisReply *r)
{
    if (transient_error(r)) {
        log_warn("redis %s %s: %s", what, name, r->str);
        return APP_ERR_UNAVAILABLE;
    }
    log_error("redis %s %s: %s", what, name, r->str);
    return APP_ERR_INTERNAL;
}

enum app_err redis_store_command(size_t argc, const char *const *argv, redisReply **ret)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        redisContext *c = context();
        redisReply *r;

        if (c == NULL) {
            return APP_ERR_UNAVAILABLE;
        }
        r = run_argv(c, argc, argv);
        if (r == NULL) {
            drop_context();
            continue;
        }
        if (r->type == REDIS_REPLY_ERROR) {
            enum app_err err = reply_error("command", argv[0], r);
            freeReplyObject(r);
            return err;
        }
        *ret = r;
        return APP_OK;
    }
    return APP_ERR_UNAVAILABLE;
}

/* SCRIPT LOAD on this context; remembers the sha for every thread.
 * APP_ERR_UNAVAILABLE on a transport or transient error. */
static enum app_err script_load(redisContext *c, struct redis_script *s, char sha[41])
{
    redisReply *r = redisCommand(c, "SCRIPT LOAD %s", s->lua);
    enum app_err err = APP_ERR_UNAVAILABLE;

    if (r != NULL && r->type == REDIS_REPLY_STRING && r->len == 40) {
        memcpy(sha, r->str, 41);
        pthread_mutex_lock(&script_lock);
        memcpy(s->sha, sha, 41);
        pthread_mutex_unlock(&script_lock);
        err = APP_OK;
    } else if (r != NULL) {
        err = r->type == REDIS_REPLY_ERROR ? reply_error("cannot load script", s->name, r)
                                           : APP_ERR_INTERNAL;
    }
    freeReplyObject(r);
    return err;
}

/* EVALSHA on c. Loads the script when this process has not yet, or when
 * Redis answers NOSCRIPT. NULL with *reterr set when no reply came
 * (APP_ERR_UNAVAILABLE: transport or transient; APP_ERR_INTERNAL). */
static redisReply *eval_once(redisContext *c,
                             struct redis_script *s,
                             size_t nkeys,
                             size_t argc,
                             const char *const *argv,
                             enum app_err *reterr)
{
    const char *full[REDIS_ARGV_MAX];
    char sha[41];
    char nk[16];
    redisReply *r = NULL;

    *reterr = APP_ERR_INTERNAL;
    if (argc + 3 > REDIS_ARGV_MAX) {
        return NULL;
    }
    pthread_mutex_lock(&script_lock);
    memcpy(sha, s->sha, sizeof(sha));
    pthread_mutex_unlock(&script_lock);
    snprintf(nk, sizeof(nk), "%zu", nkeys);
    full[0] = "EVALSHA";
    full[1] = sha;
    full[2] = nk;
    memcpy(full + 3, argv, argc * sizeof(*argv));
    for (int attempt = 0; attempt < 2; attempt++) {
        if (sha[0] == '\0') {
            *reterr = script_load(c, s, sha);
            if (*reterr != APP_OK) {
                return NULL;
            }
        }
        r = run_argv(c, argc + 3, full);
        *reterr = APP_ERR_UNAVAILABLE;
        if (r == NULL || r->type != REDIS_REPLY_ERROR || strncmp(r->str, "NOSCRIPT", 8) != 0) {
            return r;
        }
        freeReplyObject(r);
        r = NULL;
        sha[0] = '\0';
    }
    return r;
}

enum app_err redis_store_eval(
    struct redis_script *s, size_t nkeys, size_t argc, const char *const *argv, redisReply **ret)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        redisContext *c = context();
        enum app_err err;
        redisReply *r;

        if (c == NULL) {
            return APP_ERR_UNAVAILABLE;
        }
        r = eval_once(c, s, nkeys, argc, argv, &err);
        if (r == NULL) {
            if (c->err == 0) {
                return err; /* Redis answered, but the script would not load */
            }
            drop_context();
            continue;
        }
        if (r->type == REDIS_REPLY_ERROR) {
            err = reply_error("script", s->name, r);
            freeReplyObject(r);
            return err;
        }
        *ret = r;
        return APP_OK;
    }
    return APP_ERR_UNAVAILABLE;
}
