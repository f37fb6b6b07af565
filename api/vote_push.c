/* SPDX-License-Identifier: MIT */
/*
 * The session push and its retry thread. The thread has a database
 * connection of its own (db_thread() is per thread) and sleeps on a
 * condition variable with a monotonic deadline, so a stop wakes it at once.
 * Attempts, the last error (the status and problem type, never a body
 * member that could carry a name) and pushed_at are kept in the row.
 */
#include "vote_push.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "app.h"
#include "auth.h"
#include "http_client.h"
#include "log.h"
#include "store/stores.h"

static struct {
    const struct api_config *cfg;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t thread;
    bool running;
    bool stopping;
} push = {.mu = PTHREAD_MUTEX_INITIALIZER};

static bool stopping(void)
{
    pthread_mutex_lock(&push.mu);
    bool s = push.stopping;
    pthread_mutex_unlock(&push.mu);
    return s;
}

/* "HTTP 409 urn:jiangxin:problem:conflict", or why no answer came. */
static void
describe_failure(enum app_err err, const struct http_client_reply *reply, char *out, size_t len)
{
    const char *type = json_string_value(json_object_get(reply->body, "type"));

    if (err != APP_OK) {
        snprintf(out, len, "voting service unreachable or no answer");
    } else if (type != NULL && strlen(type) < 100) {
        snprintf(out, len, "HTTP %ld %s", reply->status, type);
    } else {
        snprintf(out, len, "HTTP %ld", reply->status);
    }
}

/* Records the outcome; a success is an audit event of the service itself. */
static void record(struct db *db, const char *id, const char *error)
{
    char *row = NULL;
    enum app_err err = db_begin(db);

    if (err == APP_OK) {
        err = vote_session_store_push_result(db, id, error, &row);
    }
    if (err == APP_OK && error == NULL) {
        struct audit_entry e = {.actor = API_ISSUER,
                                .role = auth_role_name(ROLE_SERVICE),
                                .action = "vote_session.push",
                                .entity_type = "vote_session",
                                .entity_id = id,
                                .request_id = "",
                                .after = row};
        err = audit_store_append(db, &e);
    }
    if (err == APP_OK) {
        err = db_commit(db);
    }
    db_rollback(db);
    /* NOT_FOUND: another attempt recorded its success first. */
    if (err != APP_OK && err != APP_ERR_NOT_FOUND) {
        log_warn("vote push %s: could not record the attempt", id);
    }
    free(row);
}

void vote_push_now(struct db *db, const char *id)
{
    const struct api_config *cfg = push.cfg;
    struct http_client_reply reply = {0};
    char *body_text = NULL, *token = NULL, *url = NULL, error[160];
    json_t *body = NULL;
    enum app_err err;

    if (cfg == NULL || cfg->vote_url == NULL || db == NULL ||
        vote_session_store_push_body(db, id, &body_text) != APP_OK) {
        goto cleanup;
    }
    if ((body = json_loads(body_text, 0, NULL)) == NULL ||
        auth_token_issue((const unsigned char *)cfg->jwt_secret, strlen(cfg->jwt_secret),
                         API_ISSUER, VOTE_PUSH_AUDIENCE, API_ISSUER, auth_role_name(ROLE_SERVICE),
                         VOTE_PUSH_TOKEN_TTL_S, (long)time(NULL), &token) != APP_OK) {
        log_error("vote push %s: cannot build the request", id);
        goto cleanup;
    }
    size_t base = strlen(cfg->vote_url);
    while (base > 0 && cfg->vote_url[base - 1] == '/') {
        base--;
    }
    size_t len = base + sizeof("/internal/v1/sessions/") + strlen(id);
    if ((url = malloc(len)) == NULL) {
        goto cleanup;
    }
    snprintf(url, len, "%.*s/internal/v1/sessions/%s", (int)base, cfg->vote_url, id);
    err = http_client_send("PUT", url, token, body, NULL, NULL, &reply);
    if (err == APP_OK && reply.status >= 200 && reply.status < 300) {
        log_info("vote push %s: HTTP %ld", id, reply.status);
        record(db, id, NULL);
    } else {
        describe_failure(err, &reply, error, sizeof(error));
        log_warn("vote push %s: %s", id, error);
        record(db, id, error);
    }

cleanup:
    http_client_reply_clear(&reply);
    json_decref(body);
    free(body_text);
    free(token);
    free(url);
}

/* Every pending session whose next attempt is due, oldest first. */
static void push_due(void)
{
    struct db *db = db_thread();
    char *text = NULL;
    json_t *ids = NULL, *v;
    size_t i;

    if (db == NULL || vote_session_store_push_due(db, VOTE_PUSH_BATCH, &text) != APP_OK ||
        (ids = json_loads(text, 0, NULL)) == NULL) {
        goto cleanup;
    }
    json_array_foreach(ids, i, v)
    {
        if (stopping()) {
            break;
        }
        if (json_is_string(v)) {
            vote_push_now(db, json_string_value(v));
        }
    }

cleanup:
    json_decref(ids);
    free(text);
}

static void *push_loop(void *arg)
{
    (void)arg;
    while (!stopping()) {
        push_due();
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += VOTE_PUSH_INTERVAL_MS / 1000;
        until.tv_nsec += (VOTE_PUSH_INTERVAL_MS % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&push.mu);
        int rc = 0;
        while (!push.stopping && rc != ETIMEDOUT) {
            rc = pthread_cond_timedwait(&push.wake, &push.mu, &until);
        }
        pthread_mutex_unlock(&push.mu);
    }
    db_thread_close();
    return NULL;
}

enum app_err vote_push_start(const struct api_config *cfg)
{
    pthread_condattr_t attr;

    push.cfg = cfg;
    if (cfg->vote_url == NULL) {
        log_warn("JIANGXIN_VOTE_URL is not set: vote sessions are recorded but not pushed");
        return APP_OK;
    }
    /* libcurl's global set-up is not thread-safe: once, before any push. */
    if (http_client_global_init() != APP_OK) {
        return APP_ERR_INTERNAL;
    }
    if (pthread_condattr_init(&attr) != 0) {
        http_client_global_close();
        return APP_ERR_INTERNAL;
    }
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&push.wake, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0) {
        http_client_global_close();
        return APP_ERR_INTERNAL;
    }
    push.stopping = false;
    if (pthread_create(&push.thread, NULL, push_loop, NULL) != 0) {
        log_error("cannot start the vote push thread");
        pthread_cond_destroy(&push.wake);
        http_client_global_close();
        return APP_ERR_INTERNAL;
    }
    push.running = true;
    return APP_OK;
}

void vote_push_stop(void)
{
    if (!push.running) {
        return;
    }
    pthread_mutex_lock(&push.mu);
    push.stopping = true;
    pthread_cond_signal(&push.wake);
    pthread_mutex_unlock(&push.mu);
    pthread_join(push.thread, NULL);
    pthread_cond_destroy(&push.wake);
    http_client_global_close();
    push.running = false;
}
