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
#include "ops/programmes.h"
#include "policy.h"
#include "store/policy_version_store.h"
#include "store/programme_store.h"

#define POLICY_VERSION_MAX 1000 /* numbers per programme (the table's CHECK) */

static const struct json_field body_fields[] = {
    {"policy", JF_OBJECT, true, 0, 0},
};

/* The {number} path parameter, 1..POLICY_VERSION_MAX as written in
 * canonical form (no sign, no leading zero); otherwise a 400. */
static enum app_err number_param(const struct http_call *call, int *ret, struct problem *p)
{
    const char *s = http_param(call, "number");
    long n = 0;

    if (s == NULL || s[0] < '1' || s[0] > '9' || !api_parse_long(s, 1, POLICY_VERSION_MAX, &n)) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "policy_version_number",
                            "版本号须为 1 至 %d 的整数", "number must be an integer from 1 to %d",
                            POLICY_VERSION_MAX);
    }
    *ret = (int)n;
    return APP_OK;
}

/* The {code} path parameter and the programme's existence (404 before the
 * body is judged: the resource must exist). */
static enum app_err programme_exists(struct db *db, const char *code, struct problem *p)
{
    char *prog = NULL;
    enum app_err err = programme_store_get(db, code, false, &prog);

    free(prog);
    return err != APP_OK ? programme_not_found(err, code, 0, p) : APP_OK;
}

/* The {"policy": {...}} body: its shape, then every fault of the policy. */
static enum app_err check_body(const json_t *b, struct problem *p)
{
    if (!json_fields_check(b, body_fields, 1, "", p)) {
        return p->err;
    }
    return policy_validate(json_object_get(b, "policy"), p) ? APP_OK : p->err;
}

enum app_err policy_versions_list(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    const char *code = http_param(call, "code");
    char *array = NULL;
    json_t *items = NULL;

    if (api_programme_code_ok(code, p) != APP_OK || (db = api_db(p)) == NULL ||
        programme_exists(db, code, p) != APP_OK) {
        goto cleanup;
    }
    if ((p->err = policy_version_store_list(db, code, &array)) != APP_OK ||
        (items = api_parse(array, p)) == NULL) {
        goto cleanup;
    }
    http_reply_list(call, items, NULL);

cleanup:
    json_decref(items);
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

    if (api_programme_code_ok(code, p) != APP_OK || number_param(call, &number, p) != APP_OK ||
        (db = api_db(p)) == NULL) {
        goto cleanup;
    }
    if ((p->err = policy_version_store_get(db, code, number, false, &text)) != APP_OK) {
        programme_not_found(p->err, code, number, p);
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
    struct op_ctx ctx;
    struct db *db = NULL;
    const char *code = http_param(call, "code");
    char *after = NULL, location[160];
    json_t *obj = NULL;
    int version, number = 0;

    if (api_programme_code_ok(code, p) != APP_OK ||
        http_if_match_version(call, &version, p) != APP_OK || (db = api_db(p)) == NULL ||
        programme_exists(db, code, p) != APP_OK || check_body(call->body, p) != APP_OK ||
        api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (policy_version_add(&ctx, code, version, json_object_get(call->body, "policy"), &number,
                           &after, p) != APP_OK ||
        (obj = api_parse(after, p)) == NULL) {
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/programmes/%s/policy-versions/%d", code, number);
    api_reply_created(call, db, &idem, obj, location, p);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(after);
    return p->err;
}

enum app_err policy_versions_update(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = NULL;
    const char *code = http_param(call, "code");
    char *after = NULL;
    json_t *obj = NULL;
    int version, number;

    if (api_programme_code_ok(code, p) != APP_OK || number_param(call, &number, p) != APP_OK ||
        http_if_match_version(call, &version, p) != APP_OK || check_body(call->body, p) != APP_OK ||
        (db = api_db(p)) == NULL || (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (policy_version_edit(&ctx, code, number, version, json_object_get(call->body, "policy"),
                            &after, p) != APP_OK ||
        (obj = api_parse(after, p)) == NULL || (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(after);
    return p->err;
}

/* The policy as the whole body, If-Match on the programme: a new version. */
enum app_err programmes_update_policy(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = NULL;
    const char *code = http_param(call, "code");
    char *after = NULL, *text = NULL;
    json_t *obj = NULL;
    int version, number = 0;

    if (api_programme_code_ok(code, p) != APP_OK ||
        http_if_match_version(call, &version, p) != APP_OK || (db = api_db(p)) == NULL ||
        programme_exists(db, code, p) != APP_OK || !policy_validate_at(call->body, "", p) ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (policy_version_add(&ctx, code, version, call->body, &number, &after, p) != APP_OK ||
        (p->err = programme_store_get(db, code, false, &text)) != APP_OK ||
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
