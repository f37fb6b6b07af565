/* SPDX-License-Identifier: MIT */
/*
 * /v1/programmes: public reading; admins replace a programme's policy as a
 * whole (PUT with If-Match). api/model/policy.c is the only gate: a policy
 * that fails it changes nothing.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "policy.h"
#include "store/stores.h"

/* The shape of a programme code (as the CHECK in 0001_create_core.sql). */
static bool code_ok(const char *code, struct problem *p)
{
    size_t n = code != NULL ? strlen(code) : 0;

    if (n >= 3 && n <= 48 && code[0] >= 'a' && code[0] <= 'z' &&
        strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789-") == n) {
        return true;
    }
    problem_set(p, APP_ERR_BAD_PARAMETER, "code must be 3 to 48 of a-z 0-9 -, starting with a-z");
    return false;
}

void programmes_list(struct http_call *call)
{
    struct problem prob = PROBLEM_INIT;
    struct db *db = api_db(&prob);
    char *array = NULL;
    json_t *items = NULL;

    if (db == NULL || (prob.err = programme_store_list(db, &array)) != APP_OK ||
        (items = api_parse(array, &prob)) == NULL) {
        goto cleanup;
    }
    http_reply_list(call, items, NULL);

cleanup:
    if (prob.err != APP_OK) {
        http_reply_problem(call, &prob);
    }
    json_decref(items);
    free(array);
}

void programmes_get(struct http_call *call)
{
    struct problem prob = PROBLEM_INIT;
    struct db *db = api_db(&prob);
    char *text = NULL;
    json_t *obj = NULL;

    if (!code_ok(http_param(call, "code"), &prob) || db == NULL ||
        (prob.err = programme_store_get(db, http_param(call, "code"), false, &text)) != APP_OK ||
        (obj = api_parse(text, &prob)) == NULL) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    if (prob.err != APP_OK) {
        http_reply_problem(call, &prob);
    }
    json_decref(obj);
    free(text);
}

void programmes_update_policy(struct http_call *call)
{
    struct problem prob = PROBLEM_INIT;
    struct db *db = NULL;
    const char *code = http_param(call, "code");
    char *before = NULL, *after = NULL, *policy = NULL;
    json_t *cur = NULL, *obj = NULL;
    int version;

    if (!code_ok(code, &prob) || http_if_match_version(call, &version, &prob) != APP_OK ||
        (db = api_db(&prob)) == NULL) {
        goto cleanup;
    }
    if ((prob.err = programme_store_get(db, code, false, &before)) != APP_OK) {
        goto cleanup; /* 404 before judging the body: the resource must exist */
    }
    free(before);
    before = NULL;
    prob.err = APP_OK;
    if (!policy_validate_at(call->body, "", &prob)) {
        goto cleanup;
    }
    policy = json_dumps(call->body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (policy == NULL) {
        problem_set(&prob, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    if ((prob.err = db_begin(db)) != APP_OK ||
        (prob.err = programme_store_get(db, code, true, &before)) != APP_OK ||
        (cur = api_parse(before, &prob)) == NULL ||
        api_check_version(cur, version, &prob) != APP_OK ||
        (prob.err = programme_store_update_policy(db, code, version, policy, &after)) != APP_OK ||
        (prob.err = api_audit(call, db, "programme.policy_update", "programme", code, before,
                              after)) != APP_OK ||
        (obj = api_parse(after, &prob)) == NULL || (prob.err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    if (prob.err != APP_OK) {
        http_reply_problem(call, &prob);
    }
    json_decref(cur);
    json_decref(obj);
    free(before);
    free(after);
    free(policy);
}
