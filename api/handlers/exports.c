/* SPDX-License-Identifier: MIT */
/*
 * The nightly export over HTTP: its public key, so anyone can check a
 * published manifest's signature (`jiangxin-api export verify`), and the
 * record of its runs for admins and auditors.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handlers.h"
#include "store/export_store.h"

enum app_err public_export_key_get(struct http_call *call, struct problem *p)
{
    const char *key = ((const struct api_ctx *)call->app)->export_key_json;

    if (key[0] == '\0') {
        return problem_fail(p, APP_ERR_NOT_FOUND, "export_key_unset",
                            "未配置导出签名公钥（JIANGXIN_EXPORT_PUBLIC_KEY）",
                            "no export signing key is configured (JIANGXIN_EXPORT_PUBLIC_KEY)");
    }
    http_reply_text(call, 200, "application/json", key, strlen(key));
    return APP_OK;
}

enum app_err export_runs_list(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    char *array = NULL, *next = NULL;
    const char *cursor;
    int limit;

    if (http_list_params(call, &limit, &cursor, p) != APP_OK || (db = api_db(p)) == NULL) {
        return p->err;
    }
    return api_reply_page(call, export_store_runs(db, cursor, limit, &array, &next), &array, &next,
                          p);
}
