/* SPDX-License-Identifier: MIT */
/*
 * The session push and its retry thread, a common/worker.c worker. The
 * thread has a database connection of its own (db_thread() is per thread,
 * closed when the worker ends); a stop wakes it at once and lets the push
 * in flight finish.
 * Each push carries a short-lived ES256 token signed with the API's push key
 * (JIANGXIN_VOTE_PUSH_KEY); the voting service holds only its public half.
 * Attempts, the last error (the status and problem type, never a body
 * member that could carry a name) and pushed_at are kept in the row.
 */
#include "vote_push.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "app.h"
#include "auth.h"
#include "auth_keys.h"
#include "http_client.h"
#include "log.h"
#include "ops/ops.h"
#include "ops/vote_sessions.h"
#include "store/vote_session_store.h"
#include "worker.h"

static struct {
    const struct api_config *cfg;
    struct worker *worker; /* NULL without a voting URL */
    struct auth_key key;   /* the push signing key (ES256) */
} push;

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
static void record(struct db *db, const char *id, const char *body, const char *error)
{
    struct principal job;
    struct op_ctx ctx;
    struct problem p = {0};
    enum app_err err;

    ops_ctx_job(&ctx, db, &job, API_ISSUER, ROLE_SERVICE);
    err = vote_session_record_push(&ctx, id, body, error, &p);
    /* NOT_FOUND: another attempt recorded its success first. */
    if (err != APP_OK && err != APP_ERR_NOT_FOUND) {
        log_warn("vote push %s: could not record the attempt", id);
    }
    problem_clear(&p);
}

enum app_err vote_service_token(char **ret)
{
    struct auth_grant g = {.iss = API_ISSUER,
                           .aud = VOTE_PUSH_AUDIENCE,
                           .sub = API_ISSUER,
                           .role = auth_role_name(ROLE_SERVICE),
                           .ttl = VOTE_PUSH_TOKEN_TTL_S,
                           .tv = -1};

    if (push.cfg == NULL || push.key.key == NULL) {
        return APP_ERR_INTERNAL;
    }
    return auth_token_sign(AUTH_ALG_ES256, push.key.key, push.key.len, &g, (long)time(NULL), ret);
}

char *vote_service_url(const char *path, const char *id)
{
    const struct api_config *cfg = push.cfg;
    char *url;

    if (cfg == NULL || cfg->vote_url == NULL) {
        return NULL;
    }
    size_t base = strlen(cfg->vote_url);
    while (base > 0 && cfg->vote_url[base - 1] == '/') {
        base--;
    }
    size_t len = base + strlen(path) + strlen(id) + 1;
    if ((url = malloc(len)) != NULL) {
        snprintf(url, len, "%.*s%s%s", (int)base, cfg->vote_url, path, id);
    }
    return url;
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
    if ((body = json_loads(body_text, 0, NULL)) == NULL || vote_service_token(&token) != APP_OK ||
        (url = vote_service_url("/internal/v1/sessions/", id)) == NULL) {
        log_error("vote push %s: cannot build the request", id);
        goto cleanup;
    }
    err = http_client_send("PUT", url, token, body, NULL, NULL, &reply);
    if (err == APP_OK && reply.status >= 200 && reply.status < 300) {
        log_info("vote push %s: HTTP %ld", id, reply.status);
        record(db, id, body_text, NULL);
    } else {
        describe_failure(err, &reply, error, sizeof(error));
        log_warn("vote push %s: %s", id, error);
        record(db, id, body_text, error);
    }

cleanup:
    http_client_reply_clear(&reply);
    json_decref(body);
    free(body_text);
    free(token);
    free(url);
}

/* Every pending session whose next attempt is due, oldest first: the
 * worker's step. */
static void push_due(struct worker *w, void *arg)
{
    struct db *db = db_thread();
    char *text = NULL;
    json_t *ids = NULL, *v;
    size_t i;

    (void)arg;
    if (db == NULL || vote_session_store_push_due(db, VOTE_PUSH_BATCH, &text) != APP_OK ||
        (ids = json_loads(text, 0, NULL)) == NULL) {
        goto cleanup;
    }
    json_array_foreach(ids, i, v)
    {
        if (worker_stopping(w)) {
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

static void push_thread_end(void *arg)
{
    (void)arg;
    db_thread_close();
}

enum app_err vote_push_start(const struct api_config *cfg)
{
    struct worker_conf wc = {.name = "vote-push",
                             .interval_ms = VOTE_PUSH_INTERVAL_MS,
                             .step = push_due,
                             .thread_end = push_thread_end};

    char why[512];

    push.cfg = cfg;
    if (cfg->vote_url == NULL) {
        log_warn("JIANGXIN_VOTE_URL is not set: vote sessions are recorded but not pushed");
        return APP_OK;
    }
    if (!auth_private_key_load("JIANGXIN_VOTE_PUSH_KEY", cfg->vote_push_key, &push.key, why,
                               sizeof(why))) {
        log_error("%.*s", (int)strcspn(why, "\n"), why);
        return APP_ERR_INTERNAL;
    }
    /* libcurl's global set-up is not thread-safe: once, before any push. */
    if (http_client_global_init() != APP_OK) {
        auth_key_free(&push.key);
        return APP_ERR_INTERNAL;
    }
    enum app_err err = worker_start(&wc, &push.worker);
    if (err != APP_OK) {
        http_client_global_close();
        auth_key_free(&push.key);
    }
    return err;
}

void vote_push_stop(void)
{
    if (push.worker == NULL) {
        return;
    }
    worker_stop(push.worker);
    push.worker = NULL;
    http_client_global_close();
    auth_key_free(&push.key);
}
