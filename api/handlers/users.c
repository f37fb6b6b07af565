/* SPDX-License-Identifier: MIT */
/*
 * /v1/users (admin only, by the route table). Passwords are hashed with
 * argon2id before the transaction starts and never leave this file; the
 * representation has no hash. A unit user needs exactly one unit; other
 * roles have none. Admins cannot disable or delete themselves, so a
 * deployment never locks out its last administrator by accident.
 */
#include "ops/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto.h"
#include "handlers.h"
#include "json_fields.h"
#include "ops/ops.h"
#include "store/user_store.h"

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

/*
 * The body's shape, then every rule on its values that needs no database
 * (username, role, the unit_id's shape, distinct programmes, and on a
 * create the role/unit pairing): all faults in one problem, unknown
 * members (400) alone and first. Fills *ret from the body.
 */
static enum app_err check_body(const json_t *b,
                               const struct json_field *fields,
                               size_t n,
                               bool create,
                               struct user_input *ret,
                               struct problem *p)
{
    const json_t *unit = json_object_get(b, "unit_id"), *dis = json_object_get(b, "disabled");

    if (!json_fields_check(b, fields, n, "", p) && p->err == APP_ERR_UNKNOWN_FIELD) {
        return p->err;
    }
    *ret = (struct user_input){
        .username = json_string_value(json_object_get(b, "username")),
        .role = json_string_value(json_object_get(b, "role")),
        .unit_id = json_string_value(unit),
        .unit_given = create || json_is_string(unit) || json_is_null(unit),
        .programmes = json_is_array(json_object_get(b, "programmes"))
                          ? json_object_get(b, "programmes")
                          : NULL,
        .disabled = json_is_boolean(dis) ? json_is_true(dis) : -1,
    };
    if (ret->username != NULL && !problem_has_error(p, "/username") &&
        !username_ok(ret->username)) {
        problem_field(p, APP_ERR_VALIDATION, "/username", "username_format",
                      "用户名须为 3 至 64 个小写字母、数字或 . _ -，以字母或数字开头",
                      "3 to 64 of a-z 0-9 . _ -, starting with a letter or digit");
    }
    if (ret->role != NULL && !problem_has_error(p, "/role") &&
        auth_role_from_name(ret->role) == ROLE_NONE) {
        problem_field(p, APP_ERR_VALIDATION, "/role", "unknown_role", "角色不在可选范围内",
                      "unknown role");
    }
    if (ret->unit_id != NULL && !api_is_uuid(ret->unit_id)) {
        problem_field(p, APP_ERR_VALIDATION, "/unit_id", "unknown_unit", "推荐单位不存在",
                      "no such unit");
    }
    if (create && ret->role != NULL && !problem_has_error(p, "/unit_id")) {
        user_role_unit_check(ret->role, ret->unit_id != NULL, p);
    }
    if (ret->programmes != NULL && !problem_has_error(p, "/programmes") &&
        !api_distinct_strings(ret->programmes)) {
        problem_field(p, APP_ERR_VALIDATION, "/programmes", "programmes_not_distinct",
                      "项目代码须为互不相同的非空字符串", "must be distinct strings");
    }
    return p->err;
}

/* The new password's argon2id hash into in->password_hash (hash[] must
 * outlive in), before any transaction opens: hashing is slow on purpose. */
static enum app_err hash_password(const json_t *b,
                                  char hash[CRYPTO_HASH_STR_BYTES],
                                  struct user_input *in,
                                  struct problem *p)
{
    const char *password = json_string_value(json_object_get(b, "password"));

    if (password != NULL) {
        if (crypto_password_hash(password, hash) != APP_OK) {
            return problem_kind(p, APP_ERR_INTERNAL);
        }
        in->password_hash = hash;
    }
    return APP_OK;
}

enum app_err users_list(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    char *array = NULL, *next = NULL;
    const char *cursor, *role = http_query(call, "role");
    int limit;

    if (db == NULL || http_list_params(call, &limit, &cursor, p) != APP_OK) {
        return p->err;
    }
    if (role != NULL && auth_role_from_name(role) == ROLE_NONE) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "unknown_role", "role：角色不在可选范围内",
                            "role: unknown role");
    }
    return api_reply_page(call, user_store_list(db, role, cursor, limit, &array, &next), &array,
                          &next, p);
}

enum app_err users_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct user_input in;
    struct db *db = NULL;
    char hash[CRYPTO_HASH_STR_BYTES], location[96];
    char *text = NULL;
    json_t *obj = NULL;

    if (check_body(call->body, create_fields, 5, true, &in, p) != APP_OK ||
        (db = api_db(p)) == NULL || api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        hash_password(call->body, hash, &in, p) != APP_OK || (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (user_create(&ctx, &in, &text, p) != APP_OK || (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/users/%s",
             json_string_value(json_object_get(obj, "id")));
    api_reply_created(call, db, &idem, obj, location, p);

cleanup:
    db_rollback(db);
    sodium_memzero(hash, sizeof(hash));
    json_decref(obj);
    free(text);
    return p->err;
}

enum app_err users_get(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    const char *id = http_param(call, "id");
    char *text = NULL;
    json_t *obj = NULL;

    if (db == NULL || api_path_uuid(id, p) != APP_OK) {
        goto cleanup;
    }
    api_reply_stored(call, user_store_get(db, id, false, &text), &text, p);

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}

enum app_err users_update(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct user_input in;
    struct db *db = NULL;
    const char *id = http_param(call, "id");
    char hash[CRYPTO_HASH_STR_BYTES], *after = NULL;
    json_t *obj = NULL;
    int version;

    if (check_body(call->body, patch_fields, 5, false, &in, p) != APP_OK ||
        http_if_match_version(call, &version, p) != APP_OK || (db = api_db(p)) == NULL ||
        api_path_uuid(id, p) != APP_OK || hash_password(call->body, hash, &in, p) != APP_OK ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (user_update(&ctx, id, version, &in, &after, p) != APP_OK ||
        (obj = api_parse(after, p)) == NULL || (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    sodium_memzero(hash, sizeof(hash));
    json_decref(obj);
    free(after);
    return p->err;
}

enum app_err users_delete(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    const char *id = http_param(call, "id");

    if (db == NULL || api_path_uuid(id, p) != APP_OK || (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (user_delete(&ctx, id, p) != APP_OK || (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    http_reply_empty(call, 204);

cleanup:
    db_rollback(db);
    return p->err;
}
