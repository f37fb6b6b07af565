/* SPDX-License-Identifier: MIT */
/*
 * /v1/nominations/{id}/skill-test: HTTP ↔ the skill-test operations
 * (api/ops/skill_tests.c, 环翠 第十条（四）), which hold every rule. Here:
 * If-Match and Idempotency-Key, the transaction around the op, the reply.
 * Only office users (PUT) and office, leader and admin users (GET) reach
 * these handlers (routes.def); units and experts never see a score.
 */
#include "ops/skill_tests.h"

#include <stdio.h>

#include "handlers.h"

enum app_err skill_tests_get(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    json_t *obj = NULL;

    if (db != NULL) {
        api_op_ctx(call, db, &ctx);
        if (skill_test_get(&ctx, http_param(call, "id"), &obj, p) == APP_OK) {
            api_reply_resource(call, 200, obj);
        }
    }
    json_decref(obj);
    return p->err;
}

enum app_err skill_tests_put(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct db *db = NULL;
    json_t *obj = NULL;
    int if_match = -1;
    bool created = false;
    unsigned status;
    enum app_err err;

    if ((http_header(call, "If-Match") != NULL &&
         http_if_match_version(call, &if_match, p) != APP_OK) ||
        (db = api_db(p)) == NULL || api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (skill_test_record(&ctx, http_param(call, "id"), if_match, call->body, &obj, &created, p) !=
        APP_OK) {
        goto cleanup;
    }
    status = created ? 201 : 200;
    if ((err = api_idem_save(call, db, &idem, status, obj, NULL)) != APP_OK ||
        (err = db_commit(db)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    api_reply_resource(call, status, obj);

cleanup:
    json_decref(obj);
    return p->err;
}
