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

enum app_err allowance_payees_show(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, allowance_payee_get, p);
}

enum app_err allowance_payees_put(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, allowance_payee_put, 200, p);
}

enum app_err allowance_batches_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct db *db = NULL;
    json_t *obj = NULL;
    bool created = false;

    if ((db = api_db(p)) == NULL || api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (allowance_batch_create(&ctx, NULL, call->body, &obj, &created, p) == APP_OK) {
        api_reply_saved(call, db, &idem, created ? 201 : 200, obj, NULL, p);
    }

cleanup:
    db_rollback(db);
    json_decref(obj);
    return p->err;
}

enum app_err allowance_batches_index(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    char *array = NULL, *next = NULL;
    const char *cursor;
    int limit;

    if (api_list_begin(call, &ctx, &limit, &cursor, p) != APP_OK ||
        allowance_batches_list(&ctx, http_query(call, "month"), cursor, limit, &array, &next, p) !=
            APP_OK) {
        return p->err;
    }
    return api_reply_page(call, APP_OK, &array, &next, p);
}

enum app_err allowance_batches_show(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, allowance_batch_get, p);
}

enum app_err allowance_batches_pay(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct db *db = NULL;
    json_t *obj = NULL;
    int version = 0;

    if (http_if_match_version(call, &version, p) != APP_OK || (db = api_db(p)) == NULL ||
        api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (allowance_batch_pay(&ctx, http_param(call, "id"), call->body, version, &obj, p) == APP_OK) {
        api_reply_saved(call, db, &idem, 200, obj, NULL, p);
    }

cleanup:
    db_rollback(db);
    json_decref(obj);
    return p->err;
}

enum app_err allowance_batches_return(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, allowance_batch_return_op, 200, p);
}

/* The finance export: the file, written in a transaction for its audit
 * event, which commits before the bytes are sent. */
static enum app_err reply_export(struct http_call *call, bool xlsx, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    struct textbuf b;
    char disposition[160], *bytes = NULL;
    size_t len = 0;

    textbuf_init(&b, 64 * 1024);
    if (db == NULL || (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (allowance_batch_export(&ctx, http_param(call, "id"), xlsx, &b, p) != APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    if ((bytes = textbuf_take(&b, &len)) == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    snprintf(disposition, sizeof(disposition), "attachment; filename=\"allowance-batch-%.8s.%s\"",
             http_param(call, "id"), xlsx ? "xlsx" : "csv");
    http_set_header(call, "Content-Disposition", disposition);
    http_set_header(call, "Cache-Control", "no-store");
    http_reply_text_take(call, 200,
                         xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                              : "text/csv; charset=utf-8",
                         bytes, len);

cleanup:
    db_rollback(db);
    textbuf_free(&b);
    return p->err;
}

enum app_err allowance_batches_csv(struct http_call *call, struct problem *p)
{
    return reply_export(call, false, p);
}

enum app_err allowance_batches_xlsx(struct http_call *call, struct problem *p)
{
    return reply_export(call, true, p);
}

enum app_err allowance_recoveries_create(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, allowance_recovery_create, 201, p);
}

enum app_err allowance_forecast_show(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    struct op_ctx ctx;
    json_t *obj = NULL;

    if (db == NULL) {
        return p->err;
    }
    /* a read in a transaction of its own, for its longer statement timeout */
    if ((p->err = db_begin(db)) != APP_OK) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (allowance_forecast_get(&ctx, http_query(call, "year"), &obj, p) == APP_OK) {
        api_reply_resource(call, 200, obj);
    }
    db_rollback(db);
    json_decref(obj);
    return p->err;
}
