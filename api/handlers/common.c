/* SPDX-License-Identifier: MIT */
/*
 * Helpers every API handler uses. Idempotency follows the IETF draft
 * (draft-ietf-httpapi-idempotency-key-header): per caller, 24 hours, the
 * stored answer replayed for the same request, 422 for another request.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "civil_time.h"
#include "client_ip.h"
#include "clock.h"
#include "handlers.h"
#include "json_fields.h"
#include "log.h"
#include "ops/calendar.h"
#include "ops/ops.h"
#include "ops/public_limit.h"
#include "ops/scope.h"
#include "store/idem_store.h"
#include "uuid.h"
#include "workdays.h"

struct db *api_db(struct problem *p)
{
    struct db *db = db_thread();

    if (db == NULL) {
        ops_store_problem(APP_ERR_UNAVAILABLE, p);
    }
    return db;
}

json_t *api_parse(const char *text, struct problem *p)
{
    return ops_json(text, p);
}

void api_reply_resource(struct http_call *call, unsigned status, const json_t *obj)
{
    int version;

    if (json_int_value(json_object_get(obj, "version"), 0, INT_MAX, &version)) {
        http_set_etag(call, version);
    }
    http_reply_json(call, status, obj);
}

enum app_err
api_reply_read(struct http_call *call,
               enum app_err (*op)(const struct op_ctx *, const char *, json_t **, struct problem *),
               struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    json_t *obj = NULL;

    if (db != NULL) {
        api_op_ctx(call, db, &ctx);
        if (op(&ctx, http_param(call, "id"), &obj, p) == APP_OK) {
            api_reply_resource(call, 200, obj);
        }
    }
    json_decref(obj);
    return p->err;
}

enum app_err api_reply_read_text(
    struct http_call *call,
    enum app_err (*op)(const struct op_ctx *, const char *, char **, struct problem *),
    struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    char *text = NULL;

    if (db == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (op(&ctx, http_param(call, "id"), &text, p) == APP_OK) {
        api_reply_stored(call, APP_OK, &text, p);
    }
    free(text);
    return p->err;
}

void api_op_ctx(const struct http_call *call, struct db *db, struct op_ctx *ret)
{
    long long now = clock_now_ms();

    *ret = (struct op_ctx){
        .db = db,
        .actor = &call->who,
        .now_ms = now,
        .today = date_of_ms(now),
        .request_id = call->request_id,
        .pii_key = ((const struct api_ctx *)call->app)->cfg->pii_key,
    };
}

enum app_err api_audit(struct http_call *call,
                       struct db *db,
                       const char *action,
                       const char *entity_type,
                       const char *entity_id,
                       const char *before,
                       const char *after)
{
    struct op_ctx ctx;

    api_op_ctx(call, db, &ctx);
    return ops_audit(&ctx, action, entity_type, entity_id, before, after);
}

enum app_err api_reply_page(
    struct http_call *call, enum app_err err, char **array, char **next, struct problem *p)
{
    if (err != APP_OK) {
        ops_store_problem(err, p);
    } else {
        http_reply_list_text(call, *array, *next);
    }
    free(*array);
    free(*next);
    *array = *next = NULL;
    return p->err;
}

enum app_err
api_reply_stored(struct http_call *call, enum app_err err, char **text, struct problem *p)
{
    json_t *obj = NULL;

    if (err != APP_OK) {
        ops_store_problem(err, p);
    } else if ((obj = api_parse(*text, p)) != NULL) {
        api_reply_resource(call, 200, obj);
    }
    json_decref(obj);
    free(*text);
    *text = NULL;
    return p->err;
}

enum app_err api_reply_saved(struct http_call *call,
                             struct db *db,
                             const struct idem_state *idem,
                             unsigned status,
                             const json_t *obj,
                             const char *location,
                             struct problem *p)
{
    enum app_err err = api_idem_save(call, db, idem, status, obj, location);

    if (err == APP_OK) {
        err = db_commit(db);
    }
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (location != NULL) {
        http_set_header(call, "Location", location);
    }
    api_reply_resource(call, status, obj);
    return APP_OK;
}

enum app_err api_reply_created(struct http_call *call,
                               struct db *db,
                               const struct idem_state *idem,
                               const json_t *obj,
                               const char *location,
                               struct problem *p)
{
    return api_reply_saved(call, db, idem, 201, obj, location, p);
}

enum app_err
api_reply_write(struct http_call *call, api_write_fn *op, unsigned status, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct db *db = NULL;
    json_t *obj = NULL;

    if ((db = api_db(p)) == NULL || api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (op(&ctx, http_param(call, "id"), call->body, &obj, p) == APP_OK) {
        api_reply_saved(call, db, &idem, status, obj, NULL, p);
    }

cleanup:
    db_rollback(db);
    json_decref(obj);
    return p->err;
}

bool api_is_uuid(const char *s)
{
    return uuid_valid(s);
}

enum app_err api_path_uuid(const char *id, struct problem *p)
{
    return ops_check_uuid(id, p);
}

bool api_distinct_strings(const json_t *array)
{
    size_t n = json_array_size(array);

    for (size_t i = 0; i < n; i++) {
        const char *a = json_string_value(json_array_get(array, i));
        if (a == NULL || a[0] == '\0') {
            return false;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(a, json_string_value(json_array_get(array, j))) == 0) {
                return false;
            }
        }
    }
    return true;
}

enum app_err api_check_version(const json_t *obj, int version, struct problem *p)
{
    return ops_check_version(obj, version, p);
}

/* SHA-256 over method, path, query, media type and body: what "the same
 * request" means. */
static void request_hash(const struct http_call *call, char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    unsigned char zero = 0;

    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)call->route->method,
                              strlen(call->route->method));
    crypto_hash_sha256_update(&st, &zero, 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)call->path, strlen(call->path));
    crypto_hash_sha256_update(&st, &zero, 1);
    /* The query and media type too: an upload names its file in the query. */
    const char *query = http_raw_query(call), *ctype = http_header(call, "Content-Type");
    crypto_hash_sha256_update(&st, (const unsigned char *)(query ? query : ""),
                              query ? strlen(query) : 0);
    crypto_hash_sha256_update(&st, &zero, 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)(ctype ? ctype : ""),
                              ctype ? strlen(ctype) : 0);
    crypto_hash_sha256_update(&st, &zero, 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)call->body_text, call->body_len);
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(out, 65, digest, sizeof(digest));
}

/* Answers with the stored response of an earlier request. */
static void idem_replay(struct http_call *call, const struct idem_record *rec)
{
    json_t *body = json_loads(rec->body, 0, NULL);
    int version;

    if (rec->location[0] != '\0') {
        http_set_header(call, "Location", rec->location);
    }
    http_set_header(call, "Idempotent-Replayed", "true");
    if (json_int_value(json_object_get(body, "version"), 0, INT_MAX, &version)) {
        http_set_etag(call, version);
    }
    http_reply_text(call, (unsigned)rec->status, "application/json", rec->body, strlen(rec->body));
    json_decref(body);
}

enum app_err
api_idem_begin(struct http_call *call, struct db *db, struct idem_state *st, struct problem *p)
{
    const char *key = http_header(call, "Idempotency-Key");
    struct idem_record rec = {0};
    size_t len;
    enum app_err err;

    memset(st, 0, sizeof(*st));
    if (key == NULL) {
        return APP_OK;
    }
    /* The draft sends a structured-field string: "…"; accept it bare too. */
    len = strlen(key);
    if (len >= 2 && key[0] == '"' && key[len - 1] == '"') {
        key++;
        len -= 2;
    }
    if (len == 0 || len >= sizeof(st->key)) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "idempotency_key_length",
                            "Idempotency-Key 须为 1 至 255 个字符",
                            "Idempotency-Key must be 1 to 255 characters");
    }
    memcpy(st->key, key, len);
    st->key[len] = '\0';
    st->active = true;
    request_hash(call, st->hash);
    err = idem_store_get(db, call->who.id, st->key, &rec);
    if (err == APP_ERR_NOT_FOUND) {
        return APP_OK;
    }
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (strcmp(rec.request_hash, st->hash) != 0) {
        problem_fail(p, APP_ERR_IDEMPOTENCY_REUSED, "idempotency_key_reused",
                     "该 Idempotency-Key 已用于另一个请求",
                     "this Idempotency-Key was used for a different request");
    } else {
        idem_replay(call, &rec);
        st->replayed = true;
    }
    idem_record_clear(&rec);
    return p->err;
}

enum app_err api_idem_save(struct http_call *call,
                           struct db *db,
                           const struct idem_state *st,
                           unsigned status,
                           const json_t *body,
                           const char *location)
{
    char *text;
    enum app_err err;

    if (!st->active) {
        return APP_OK;
    }
    text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text == NULL) {
        return APP_ERR_INTERNAL;
    }
    err = idem_store_put(db, call->who.id, st->key, call->route->method, call->path, st->hash,
                         (int)status, location != NULL ? location : "", text);
    free(text);
    return err;
}

bool api_parse_long(const char *s, long lo, long hi, long *ret)
{
    char *end;
    long v;

    if (s == NULL || *s == '\0') {
        return false;
    }
    v = strtol(s, &end, 10);
    if (*end != '\0' || v < lo || v > hi) {
        return false;
    }
    *ret = v;
    return true;
}

enum app_err api_public_limit(struct http_call *call,
                              const struct op_ctx *ctx,
                              const char *scope,
                              long capacity,
                              long window_seconds,
                              struct problem *p)
{
    const struct api_ctx *app = call->app;
    char peer[CLIENT_IP_TEXT_MAX], address[CLIENT_IP_TEXT_MAX];

    if (!http_peer_address(call, peer, sizeof(peer)) ||
        !client_ip_resolve(&app->trusted, peer, http_header(call, "X-Forwarded-For"), address)) {
        return ops_internal(p);
    }
    return public_limit_take(ctx, scope, address, (int)capacity, (int)window_seconds, p);
}

enum app_err api_reply_lookup(struct http_call *call,
                              const char *scope,
                              long capacity,
                              long window_seconds,
                              const char *param,
                              api_lookup_fn *op,
                              const char *cache_control,
                              struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    json_t *obj = NULL;

    if (db == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (api_public_limit(call, &ctx, scope, capacity, window_seconds, p) == APP_OK &&
        op(&ctx, http_param(call, param), http_query(call, "code"), &obj, p) == APP_OK) {
        if (cache_control != NULL) {
            http_set_header(call, "Cache-Control", cache_control);
        }
        http_reply_json(call, 200, obj);
    }
    json_decref(obj);
    return p->err;
}

enum app_err api_list_begin(
    struct http_call *call, struct op_ctx *ctx, int *limit, const char **cursor, struct problem *p)
{
    struct db *db = api_db(p);

    if (db == NULL || http_list_params(call, limit, cursor, p) != APP_OK) {
        return p->err;
    }
    api_op_ctx(call, db, ctx);
    return APP_OK;
}
