/* SPDX-License-Identifier: MIT */
/*
 * /v1/users (admin only, by the route table). Passwords are hashed with
 * argon2id before the transaction starts and never leave this file; the
 * representation has no hash. A unit user needs exactly one unit; other
 * roles have none. Admins cannot disable or delete themselves, so a
 * deployment never locks out its last administrator by accident.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto.h"
#include "handlers.h"
#include "json_fields.h"
#include "store/stores.h"

static const struct json_field create_fields[] = {
    {"username", JF_STRING, true, 3, 64},
    {"password", JF_STRING, true, CRYPTO_PASSWORD_MIN, CRYPTO_PASSWORD_MAX},
    {"role", JF_STRING, true, 1, 16},
    {"programmes", JF_ARRAY, false, 0, AUTH_PROGRAMMES_MAX},
    {"unit_id", JF_STRING | JF_NULL, false, 0, 0},
};

static const struct json_field patch_fields[] = {
    {"password", JF_STRING, false, CRYPTO_PASSWORD_MIN, CRYPTO_PASSWORD_MAX},
    {"role", JF_STRING, false, 1, 16},
    {"programmes", JF_ARRAY, false, 0, AUTH_PROGRAMMES_MAX},
    {"unit_id", JF_STRING | JF_NULL, false, 0, 0},
    {"disabled", JF_BOOL, false, 0, 0},
};

static bool username_ok(const char *s)
{
    size_t n = strlen(s);

    if (n < 3 || n > 64 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) {
        return false;
    }
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* Checks role, unit scope and programme codes of the final state. */
static bool check_scope(struct db *db,
                        const char *role,
                        const char *unit_id,
                        const json_t *programmes,
                        struct problem *p)
{
    enum role r = auth_role_from_name(role);
    char *unit = NULL;
    long found = 0;

    if (r == ROLE_NONE) {
        problem_add_error(p, APP_ERR_VALIDATION, "/role", "unknown role");
        return false;
    }
    if ((r == ROLE_UNIT) != (unit_id != NULL)) {
        problem_add_error(p, APP_ERR_VALIDATION, "/unit_id",
                          r == ROLE_UNIT ? "a unit user needs unit_id"
                                         : "only unit users have a unit_id");
        return false;
    }
    if (unit_id != NULL) {
        enum app_err err =
            api_is_uuid(unit_id) ? unit_store_get(db, unit_id, false, &unit) : APP_ERR_NOT_FOUND;
        free(unit);
        if (err != APP_OK) {
            problem_add_error(p, err == APP_ERR_NOT_FOUND ? APP_ERR_VALIDATION : err, "/unit_id",
                              "no such unit");
            return false;
        }
    }
    if (programmes == NULL) {
        return true;
    }
    if (!api_distinct_strings(programmes)) {
        problem_add_error(p, APP_ERR_VALIDATION, "/programmes", "must be distinct strings");
        return false;
    }
    char *codes = json_dumps(programmes, JSON_COMPACT);
    enum app_err err = codes ? programme_store_count_codes(db, codes, &found) : APP_ERR_INTERNAL;
    free(codes);
    if (err != APP_OK || found != (long)json_array_size(programmes)) {
        problem_add_error(p, err != APP_OK ? err : APP_ERR_VALIDATION, "/programmes",
                          "unknown programme code");
        return false;
    }
    return true;
}

enum app_err users_list(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    char *array = NULL, *next = NULL;
    json_t *items = NULL;
    const char *cursor;
    int limit;

    if (db == NULL || http_list_params(call, &limit, &cursor, p) != APP_OK) {
        goto cleanup;
    }
    const char *role = http_query(call, "role");
    if (role != NULL && auth_role_from_name(role) == ROLE_NONE) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "role: unknown role");
        goto cleanup;
    }
    p->err = user_store_list(db, role, cursor, limit, &array, &next);
    if (p->err != APP_OK || (items = api_parse(array, p)) == NULL) {
        goto cleanup;
    }
    http_reply_list(call, items, next);

cleanup:
    json_decref(items);
    free(array);
    free(next);
    return p->err;
}

enum app_err users_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct db *db = NULL;
    char hash[CRYPTO_HASH_STR_BYTES];
    char *id = NULL, *text = NULL;
    json_t *obj = NULL;
    const json_t *b = call->body;

    if (!json_fields_check(b, create_fields, 5, "", p) || (db = api_db(p)) == NULL ||
        api_idem_begin(call, db, &idem, p)) {
        goto cleanup;
    }
    const char *username = json_string_value(json_object_get(b, "username"));
    const char *role = json_string_value(json_object_get(b, "role"));
    const char *unit_id = json_string_value(json_object_get(b, "unit_id"));
    if (!username_ok(username)) {
        problem_add_error(p, APP_ERR_VALIDATION, "/username",
                          "3 to 64 of a-z 0-9 . _ -, starting with a letter or digit");
        goto cleanup;
    }
    if (!check_scope(db, role, unit_id, json_object_get(b, "programmes"), p) ||
        (p->err = crypto_password_hash(json_string_value(json_object_get(b, "password")), hash)) !=
            APP_OK ||
        (p->err = db_begin(db)) != APP_OK ||
        (p->err = user_store_insert(db, username, hash, role, unit_id, &id)) != APP_OK) {
        if (p->err == APP_ERR_CONFLICT) {
            problem_set(p, APP_ERR_CONFLICT, "username %s is taken", username);
        }
        goto cleanup;
    }
    char *codes = json_dumps(json_object_get(b, "programmes"), JSON_COMPACT);
    p->err = codes ? user_store_set_programmes(db, id, codes) : APP_OK;
    free(codes);
    if (p->err != APP_OK || (p->err = user_store_get(db, id, false, &text)) != APP_OK ||
        (p->err = api_audit(call, db, "user.create", "user", id, NULL, text)) != APP_OK ||
        (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    char location[96];
    snprintf(location, sizeof(location), "/v1/users/%s", id);
    if ((p->err = api_idem_save(call, db, &idem, 201, obj, location)) != APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    http_set_header(call, "Location", location);
    api_reply_resource(call, 201, obj);

cleanup:
    db_rollback(db);
    sodium_memzero(hash, sizeof(hash));
    json_decref(obj);
    free(id);
    free(text);
    return p->err;
}

enum app_err users_get(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    const char *id = http_param(call, "id");
    char *text = NULL;
    json_t *obj = NULL;

    if (db == NULL) {
        goto cleanup;
    }
    if (!api_path_uuid(id, p)) {
        goto cleanup;
    }
    p->err = user_store_get(db, id, false, &text);
    if (p->err != APP_OK || (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}

/* Applies a validated PATCH body to the locked row `cur`. */
static enum app_err apply_patch(struct http_call *call,
                                struct db *db,
                                const char *id,
                                const json_t *cur,
                                char **ret_after,
                                struct problem *p)
{
    const json_t *b = call->body;
    const json_t *unit = json_object_get(b, "unit_id");
    const char *role = json_string_value(json_object_get(b, "role"));
    const char *unit_id = json_string_value(json_object_get(cur, "unit_id"));
    const json_t *progs = json_object_get(b, "programmes");
    const json_t *dis = json_object_get(b, "disabled");
    bool disabled = dis ? json_is_true(dis) : json_is_true(json_object_get(cur, "disabled"));
    const char *password = json_string_value(json_object_get(b, "password"));
    char hash[CRYPTO_HASH_STR_BYTES];
    enum app_err err;

    role = role != NULL ? role : json_string_value(json_object_get(cur, "role"));
    unit_id = unit != NULL ? json_string_value(unit) : unit_id;
    if (!check_scope(db, role, unit_id, progs, p)) {
        return p->err;
    }
    if (strcmp(id, call->who.id) == 0 && (disabled || strcmp(role, "admin") != 0)) {
        problem_set(p, APP_ERR_CONFLICT, "you cannot disable yourself or drop your admin role");
        return p->err;
    }
    if (password != NULL && crypto_password_hash(password, hash) != APP_OK) {
        return APP_ERR_INTERNAL;
    }
    char *codes = progs ? json_dumps(progs, JSON_COMPACT) : NULL;
    err = codes ? user_store_set_programmes(db, id, codes) : APP_OK;
    free(codes);
    if (err == APP_OK) {
        err = user_store_update(db, id, (int)json_integer_value(json_object_get(cur, "version")),
                                role, unit_id, disabled, password ? hash : NULL, ret_after);
    }
    sodium_memzero(hash, sizeof(hash));
    return err;
}

enum app_err users_update(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    const char *id = http_param(call, "id");
    char *before = NULL, *after = NULL;
    json_t *cur = NULL, *obj = NULL;
    int version;

    if (!json_fields_check(call->body, patch_fields, 5, "", p) ||
        http_if_match_version(call, &version, p) != APP_OK || (db = api_db(p)) == NULL) {
        goto cleanup;
    }
    if (!api_path_uuid(id, p)) {
        goto cleanup;
    }
    if ((p->err = db_begin(db)) != APP_OK ||
        (p->err = user_store_get(db, id, true, &before)) != APP_OK ||
        (cur = api_parse(before, p)) == NULL || api_check_version(cur, version, p) != APP_OK ||
        (p->err = apply_patch(call, db, id, cur, &after, p)) != APP_OK ||
        (p->err = api_audit(call, db, "user.update", "user", id, before, after)) != APP_OK ||
        (obj = api_parse(after, p)) == NULL || (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    json_decref(cur);
    json_decref(obj);
    free(before);
    free(after);
    return p->err;
}

enum app_err users_delete(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    const char *id = http_param(call, "id");
    char *before = NULL, *after = NULL;

    if (db == NULL) {
        goto cleanup;
    }
    if (!api_path_uuid(id, p)) {
        goto cleanup;
    }
    if (strcmp(id, call->who.id) == 0) {
        problem_set(p, APP_ERR_CONFLICT, "you cannot delete yourself");
        goto cleanup;
    }
    if ((p->err = db_begin(db)) != APP_OK ||
        (p->err = user_store_get(db, id, true, &before)) != APP_OK ||
        (p->err = user_store_delete(db, id, &after)) != APP_OK ||
        (p->err = api_audit(call, db, "user.delete", "user", id, before, after)) != APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    http_reply_empty(call, 204);

cleanup:
    db_rollback(db);
    free(before);
    free(after);
    return p->err;
}
