/* SPDX-License-Identifier: MIT */
/*
 * The operation context and the audit log's one writer. Jobs act under a
 * name of their own (the vote push job as the API's issuer), requests as
 * the authenticated caller.
 */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "clock.h"
#include "crypto.h"
#include "log.h"
#include "store/audit_store.h"

void ops_ctx_job(
    struct op_ctx *ret, struct db *db, struct principal *who, const char *name, enum role role)
{
    memset(who, 0, sizeof(*who));
    who->role = role;
    *ret = (struct op_ctx){
        .db = db,
        .actor = who,
        .actor_name = name,
        .now_ms = clock_now_ms(),
        .today = clock_today(),
        .request_id = "",
    };
}

enum app_err ops_audit(const struct op_ctx *ctx,
                       const char *action,
                       const char *entity_type,
                       const char *entity_id,
                       const char *before,
                       const char *after)
{
    const struct principal *who = ctx->actor;
    struct audit_entry e = {
        .actor_id = who->id[0] ? who->id : NULL,
        .actor = who->username[0]          ? who->username
                 : ctx->actor_name != NULL ? ctx->actor_name
                                           : "anonymous",
        .role = auth_role_name(who->role),
        .action = action,
        .entity_type = entity_type,
        .entity_id = entity_id,
        .request_id = ctx->request_id != NULL ? ctx->request_id : "",
        .before = before,
        .after = after,
    };

    return audit_store_append(ctx->db, &e);
}

enum app_err ops_check_version(const json_t *obj, int version, struct problem *p)
{
    json_int_t cur = json_integer_value(json_object_get(obj, "version"));

    if (cur != version) {
        return problem_fail(p, APP_ERR_PRECONDITION_FAILED, "stale_etag",
                            "资源已被修改（当前 ETag 为 \"%lld\"），请重新获取后再提交",
                            "the resource changed (ETag \"%lld\"); GET it again", (long long)cur);
    }
    return APP_OK;
}

enum app_err ops_internal(struct problem *p)
{
    problem_clear(p);
    return problem_kind(p, APP_ERR_INTERNAL);
}

json_t *ops_json(const char *text, struct problem *p)
{
    json_error_t jerr;
    json_t *v = json_loads(text != NULL ? text : "", 0, &jerr);

    if (v == NULL) {
        log_error("store returned invalid JSON: %s", jerr.text);
        if (p != NULL) {
            ops_internal(p);
        }
    }
    return v;
}

enum app_err ops_store_problem(enum app_err err, struct problem *p)
{
    problem_clear(p);
    problem_kind(p, err);
    if (err == APP_ERR_UNAVAILABLE) {
        problem_fail(p, err, "database_unavailable", "数据库暂不可用，请稍后重试",
                     "the database is unavailable; try again shortly");
        p->retry_after = 2;
    }
    return err;
}

void ops_id_number_hash(const struct op_ctx *ctx, const char *number, char ret[65])
{
    _Static_assert(CRYPTO_KEYED_HEX == 65, "the hash is 64 hex digits");
    crypto_keyed_hash(ctx->pii_key, "id_number", number, ret);
}

bool ops_put_sealed(json_t *out, const char *key, const unsigned char *pii_key, const char *plain)
{
    unsigned char *sealed = NULL;
    size_t len = 0;
    char *hex;
    bool ok = false;

    if (crypto_seal(pii_key, plain, strlen(plain), &sealed, &len) != APP_OK) {
        return false;
    }
    hex = malloc(2 * len + 1);
    if (hex != NULL) {
        sodium_bin2hex(hex, 2 * len + 1, sealed, len);
        ok = json_object_set_new(out, key, json_string(hex)) == 0;
    }
    sodium_memzero(hex, hex != NULL ? 2 * len : 0);
    free(hex);
    free(sealed);
    return ok;
}
