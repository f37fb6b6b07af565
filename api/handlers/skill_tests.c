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
#include <stdlib.h>

#include "handlers.h"
#include "store/attachment_store.h"

enum app_err skill_tests_get(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, skill_test_get, p);
}

enum app_err skill_tests_put(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct db *db = NULL;
    json_t *obj = NULL;
    int if_match = -1;
    bool created = false;

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
    api_reply_saved(call, db, &idem, created ? 201 : 200, obj, NULL, p);

cleanup:
    db_rollback(db);
    json_decref(obj);
    return p->err;
}

enum app_err skill_tests_sheets_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct attachment_new a;
    struct db *db = NULL;
    unsigned char *sealed = NULL;
    char sha256[65], location[200];
    char *text = NULL;
    const char *media_type = NULL;
    json_t *obj = NULL;

    if (api_upload_ok(call, &media_type, p) != APP_OK || (db = api_db(p)) == NULL ||
        api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        api_upload_seal(call, media_type, sha256, &sealed, &a, p) != APP_OK ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    a.kind = NULL;
    if (skill_test_sheet_add(&ctx, http_param(call, "id"), &a, &text, p) != APP_OK ||
        (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/nominations/%s/skill-test/sheets/%s",
             json_string_value(json_object_get(obj, "nomination_id")),
             json_string_value(json_object_get(obj, "id")));
    api_reply_created(call, db, &idem, obj, location, p);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(text);
    free(sealed);
    return p->err;
}

enum app_err skill_tests_sheets_get(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    struct attachment_content c = {0};
    const char *id = http_param(call, "sheet_id");

    if (db != NULL) {
        api_op_ctx(call, db, &ctx);
        if (skill_test_sheet_read(&ctx, http_param(call, "id"), id, &c, p) == APP_OK) {
            api_reply_file(call, &c, id, p);
        }
    }
    attachment_content_clear(&c);
    return p->err;
}
