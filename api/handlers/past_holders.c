/* SPDX-License-Identifier: MIT */
/*
 * /v1/programmes/{code}/past-holders: the office imports earlier holders
 * as JSON ({"holders": [...]}) or CSV (text/csv), and reads them back with
 * the ID numbers masked (ops/past_holders.c). The body is read here, by
 * its media type, into the rows the op checks; nothing else happens here.
 */
#include "ops/past_holders.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers.h"
#include "json_fields.h"
#include "past_holder.h"

static const struct json_field body_fields[] = {
    {"holders", JF_ARRAY, true, 1, PAST_HOLDER_ROWS_MAX},
};

static bool media_is(const char *ctype, const char *type)
{
    size_t n = strlen(type);

    return ctype != NULL && strncasecmp(ctype, type, n) == 0 &&
           (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

/* The rows of the body (new references) and, for CSV, their lines. */
static enum app_err
read_body(struct http_call *call, json_t **ret_rows, json_t **ret_lines, struct problem *p)
{
    const char *ctype = http_header(call, "Content-Type");

    if (media_is(ctype, "text/csv")) {
        if (call->body_len == 0) {
            return problem_fail(p, APP_ERR_MALFORMED, "empty_body", "请求体为空",
                                "the body is empty");
        }
        return past_holder_csv_read(call->body_text, call->body_len, ret_rows, ret_lines, p)
                   ? APP_OK
                   : p->err;
    }
    if (!media_is(ctype, "application/json")) {
        return problem_fail(p, APP_ERR_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                            "请使用 Content-Type: application/json 或 text/csv",
                            "send Content-Type: application/json or text/csv");
    }
    if (http_body_json(call, p) == APP_OK && json_fields_check(call->body, body_fields, 1, "", p)) {
        *ret_rows = json_incref(json_object_get(call->body, "holders"));
    }
    return p->err;
}

enum app_err past_holders_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct db *db = NULL;
    json_t *rows = NULL, *lines = NULL, *obj = NULL;
    enum app_err err;

    if (api_programme_code_ok(http_param(call, "code"), p) != APP_OK ||
        read_body(call, &rows, &lines, p) != APP_OK || (db = api_db(p)) == NULL ||
        api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (past_holders_import(&ctx, http_param(call, "code"), rows, lines, &obj, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = api_idem_save(call, db, &idem, 200, obj, NULL)) != APP_OK ||
        (err = db_commit(db)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    http_reply_json(call, 200, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    json_decref(lines);
    json_decref(rows);
    return p->err;
}

enum app_err past_holders_list(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = NULL;
    const char *code = http_param(call, "code"), *cursor;
    char *array = NULL, *next = NULL;
    int limit;

    if (api_programme_code_ok(code, p) != APP_OK ||
        http_list_params(call, &limit, &cursor, p) != APP_OK || (db = api_db(p)) == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (past_holders_page(&ctx, code, cursor, limit, &array, &next, p) != APP_OK) {
        return p->err;
    }
    return api_reply_page(call, APP_OK, &array, &next, p);
}
