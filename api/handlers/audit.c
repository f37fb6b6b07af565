/* SPDX-License-Identifier: MIT */
/*
 * /v1/audit: the hash-chained log, newest first, and a verification that
 * walks the whole chain and names the first broken link.
 */
#include <stdlib.h>

#include "handlers.h"
#include "store/audit_store.h"

enum app_err audit_list(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    char *array = NULL, *next = NULL;
    const char *cursor;
    int limit;

    if (db == NULL || http_list_params(call, &limit, &cursor, p) != APP_OK) {
        return p->err;
    }
    return api_reply_page(
        call,
        audit_store_list(db, http_query(call, "entity_type"), http_query(call, "entity_id"),
                         http_query(call, "action"), cursor, limit, &array, &next),
        &array, &next, p);
}

enum app_err audit_verify(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    char *text = NULL;
    json_t *obj = NULL;

    if (db == NULL || (p->err = audit_store_verify(db, &text)) != APP_OK ||
        (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    json_object_set_new(obj, "ok",
                        json_boolean(json_is_null(json_object_get(obj, "first_broken"))));
    http_reply_json(call, 200, obj);

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}
