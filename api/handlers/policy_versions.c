/* SPDX-License-Identifier: MIT */
/*
 * A programme's policy versions (SPEC §11): one per founding document or
 * amendment. Anyone reads them (they are public documents); an admin adds
 * one (If-Match on the programme, audited) or edits one that no round has
 * pinned yet (If-Match on the version). A version a round uses never
 * changes, so adding a successor never changes a round already open.
 * PUT /v1/programmes/{code}/policy, the older way to change a policy, now
 * adds a version too and answers with the programme.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "json_fields.h"
#include "policy.h"
#include "store/stores.h"

#define POLICY_VERSION_MAX 1000 /* numbers per programme (the table's CHECK) */

static const struct json_field body_fields[] = {
    {"policy", JF_OBJECT, true, 0, 0},
};

/* The {number} path parameter, 1..POLICY_VERSION_MAX as written in
 * canonical form (no sign, no leading zero); false with a 400. */
static bool number_param(const struct http_call *call, int *ret, struct problem *p)
{
    const char *s = http_param(call, "number");
    long n = 0;

    if (s == NULL || s[0] < '1' || s[0] > '9' || !api_parse_long(s, 1, POLICY_VERSION_MAX, &n)) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "number must be an integer from 1 to %d",
                    POLICY_VERSION_MAX);
        return false;
    }
    *ret = (int)n;
    return true;
}

/* After a store call failed with p->err: 404 naming what is missing when
 * it is NOT_FOUND, else the error as it is (503 for a lost database). */
static enum app_err not_found(const char *code, int number, struct problem *p)
{
    if (p->err != APP_ERR_NOT_FOUND) {
        problem_set(p, p->err, NULL);
    } else if (number > 0) {
        problem_set(p, APP_ERR_NOT_FOUND, "programme %s has no policy version %d", code, number);
    } else {
        problem_set(p, APP_ERR_NOT_FOUND, "no programme %s", code);
    }
    return p->err;
}

/*
 * Adds `policy` (validated) as the next version of `code` inside the
 * caller's transaction: the programme row locked and its ETag checked
 * against `version`, the version inserted and audited, the programme's
 * ETag moved on. *ret_number is the new version's number.
 */
static enum app_err add_version(struct http_call *call,
                                struct db *db,
                                const char *code,
                                int version,
                                const json_t *policy,
                                int *ret_number,
                                char **ret_after,
                                struct problem *p)
{
    char *prog = NULL, *text = NULL, id[96];
    json_t *cur = NULL;

    if ((text = json_dumps(policy, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL) {
        problem_set(p, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    if ((p->err = programme_store_get(db, code, true, &prog)) != APP_OK) {
        not_found(code, 0, p);
        goto cleanup;
    }
    if ((cur = api_parse(prog, p)) == NULL || api_check_version(cur, version, p) != APP_OK ||
        (p->err = policy_version_store_insert(db, code, text, call->who.username, ret_number)) !=
            APP_OK ||
        (p->err = programme_store_touch(db, code, version)) != APP_OK ||
        (p->err = policy_version_store_get(db, code, *ret_number, false, ret_after)) != APP_OK) {
        goto cleanup;
    }
    snprintf(id, sizeof(id), "%s/%d", code, *ret_number);
    p->err = api_audit(call, db, "policy_version.create", "policy_version", id, NULL, *ret_after);

cleanup:
    json_decref(cur);
    free(prog);
    free(text);
    return p->err;
}

enum app_err policy_versions_list(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    const char *code = http_param(call, "code");
    char *prog = NULL, *array = NULL;
    json_t *items = NULL;

    if (!api_programme_code_ok(code, p) || (db = api_db(p)) == NULL) {
        goto cleanup;
    }
    if ((p->err = programme_store_get(db, code, false, &prog)) != APP_OK) {
        not_found(code, 0, p);
        goto cleanup;
    }
    if ((p->err = policy_version_store_list(db, code, &array)) != APP_OK ||
        (items = api_parse(array, p)) == NULL) {
        goto cleanup;
    }
    http_reply_list(call, items, NULL);

cleanup:
    json_decref(items);
    free(prog);
    free(array);
    return p->err;
}

enum app_err policy_versions_get(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    const char *code = http_param(call, "code");
    char *text = NULL;
    json_t *obj = NULL;
    int number;

    if (!api_programme_code_ok(code, p) || !number_param(call, &number, p) ||
        (db = api_db(p)) == NULL) {
        goto cleanup;
    }
    if ((p->err = policy_version_store_get(db, code, number, false, &text)) != APP_OK) {
        not_found(code, number, p);
        goto cleanup;
    }
    if ((obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}

enum app_err policy_versions_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct db *db = NULL;
    const char *code = http_param(call, "code");
    char *after = NULL, *prog = NULL, location[160];
    json_t *obj = NULL;
    int version, number = 0;

    if (!api_programme_code_ok(code, p) || http_if_match_version(call, &version, p) != APP_OK ||
        (db = api_db(p)) == NULL) {
        goto cleanup;
    }
    if ((p->err = programme_store_get(db, code, false, &prog)) != APP_OK) {
        not_found(code, 0, p); /* 404 before judging the body */
        goto cleanup;
    }
    if (!json_fields_check(call->body, body_fields, 1, "", p)) {
        goto cleanup;
    }
    p->err = APP_OK;
    if (!policy_validate(json_object_get(call->body, "policy"), p) ||
        api_idem_begin(call, db, &idem, p) || (p->err = db_begin(db)) != APP_OK ||
        add_version(call, db, code, version, json_object_get(call->body, "policy"), &number, &after,
                    p) != APP_OK ||
        (obj = api_parse(after, p)) == NULL) {
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/programmes/%s/policy-versions/%d", code, number);
    if ((p->err = api_idem_save(call, db, &idem, 201, obj, location)) != APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    http_set_header(call, "Location", location);
    api_reply_resource(call, 201, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(after);
    free(prog);
    return p->err;
}

enum app_err policy_versions_update(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    const char *code = http_param(call, "code");
    char *before = NULL, *after = NULL, *text = NULL, id[96];
    json_t *cur = NULL, *obj = NULL;
    int version, number;

    if (!api_programme_code_ok(code, p) || !number_param(call, &number, p) ||
        http_if_match_version(call, &version, p) != APP_OK ||
        !json_fields_check(call->body, body_fields, 1, "", p)) {
        goto cleanup;
    }
    p->err = APP_OK;
    if (!policy_validate(json_object_get(call->body, "policy"), p) ||
        (text = json_dumps(json_object_get(call->body, "policy"),
                           JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL ||
        (db = api_db(p)) == NULL || (p->err = db_begin(db)) != APP_OK) {
        if (text == NULL && p->err == APP_OK) {
            problem_set(p, APP_ERR_INTERNAL, NULL);
        }
        goto cleanup;
    }
    if ((p->err = policy_version_store_get(db, code, number, true, &before)) != APP_OK) {
        not_found(code, number, p);
        goto cleanup;
    }
    if ((cur = api_parse(before, p)) == NULL || api_check_version(cur, version, p) != APP_OK) {
        goto cleanup;
    }
    long rounds = (long)json_integer_value(json_object_get(cur, "rounds"));
    if (rounds > 0) {
        problem_set(p, APP_ERR_CONFLICT,
                    "policy version %d is pinned by %ld round(s) and never changes; add a new "
                    "version (POST /v1/programmes/%s/policy-versions)",
                    number, rounds, code);
        goto cleanup;
    }
    snprintf(id, sizeof(id), "%s/%d", code, number);
    if ((p->err = policy_version_store_update(db, code, number, version, text)) != APP_OK ||
        (p->err = programme_store_touch(db, code, -1)) != APP_OK ||
        (p->err = policy_version_store_get(db, code, number, false, &after)) != APP_OK ||
        (p->err = api_audit(call, db, "policy_version.update", "policy_version", id, before,
                            after)) != APP_OK ||
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
    free(text);
    return p->err;
}

/* The policy as the whole body, If-Match on the programme: a new version. */
enum app_err programmes_update_policy(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    const char *code = http_param(call, "code");
    char *after = NULL, *text = NULL;
    json_t *obj = NULL;
    int version, number = 0;

    if (!api_programme_code_ok(code, p) || http_if_match_version(call, &version, p) != APP_OK ||
        (db = api_db(p)) == NULL) {
        goto cleanup;
    }
    if ((p->err = programme_store_get(db, code, false, &text)) != APP_OK) {
        not_found(code, 0, p); /* 404 before judging the body: the resource must exist */
        goto cleanup;
    }
    p->err = APP_OK;
    if (!policy_validate_at(call->body, "", p) || (p->err = db_begin(db)) != APP_OK ||
        add_version(call, db, code, version, call->body, &number, &after, p) != APP_OK) {
        goto cleanup;
    }
    free(text);
    text = NULL;
    if ((p->err = programme_store_get(db, code, false, &text)) != APP_OK ||
        (obj = api_parse(text, p)) == NULL || (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(after);
    free(text);
    return p->err;
}
