/* SPDX-License-Identifier: MIT */
/* The allowance ledger's routes (issue 15): parse, call ops/allowance.c,
 * render. */
#include "ops/allowance.h"

#include "app.h"
#include "handlers.h"

enum app_err allowance_runs_create(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, allowance_run_create, 201, p);
}

enum app_err allowance_runs_index(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    char *array = NULL, *next = NULL;
    const char *cursor;
    int limit;

    if (api_list_begin(call, &ctx, &limit, &cursor, p) != APP_OK) {
        return p->err;
    }
    if (allowance_runs_list(&ctx, http_query(call, "month"), cursor, limit, &array, &next, p) !=
        APP_OK) {
        return p->err;
    }
    return api_reply_page(call, APP_OK, &array, &next, p);
}

enum app_err allowance_ledger_index(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    char *array = NULL, *next = NULL;
    const char *cursor;
    int limit;
    const struct allowance_ledger_query q = {
        .recognition_id = http_query(call, "recognition_id"),
        .month = http_query(call, "month"),
        .kind = http_query(call, "kind"),
    };

    if (api_list_begin(call, &ctx, &limit, &cursor, p) != APP_OK) {
        return p->err;
    }
    if (allowance_ledger_list(&ctx, &q, cursor, limit, &array, &next, p) != APP_OK) {
        return p->err;
    }
    return api_reply_page(call, APP_OK, &array, &next, p);
}

enum app_err allowance_balances_index(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    char *array = NULL, *next = NULL;
    const char *cursor;
    int limit;

    if (api_list_begin(call, &ctx, &limit, &cursor, p) != APP_OK) {
        return p->err;
    }
    if (allowance_balances_list(&ctx, cursor, limit, &array, &next, p) != APP_OK) {
        return p->err;
    }
    return api_reply_page(call, APP_OK, &array, &next, p);
}

enum app_err allowance_statements_show(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, allowance_statement_get, p);
}

enum app_err allowance_summary_show(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    struct op_ctx ctx;
    json_t *obj = NULL;

    if (db == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (allowance_summary_get(&ctx, http_query(call, "from"), http_query(call, "to"), &obj, p) ==
        APP_OK) {
        api_reply_resource(call, 200, obj);
    }
    json_decref(obj);
    return p->err;
}

enum app_err allowance_reconciliation_show(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, allowance_reconciliation_get, p);
}
