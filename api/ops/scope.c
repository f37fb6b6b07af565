/* SPDX-License-Identifier: MIT */
/*
 * The scope checks by data (ops/scope.h). The store loads the row; the
 * actor's role and programmes or unit decide whether it is theirs.
 */
#include "scope.h"

#include <string.h>

#include "store/scope_store.h"
#include "uuid.h"

enum app_err ops_check_uuid(const char *id, struct problem *p)
{
    if (uuid_valid(id)) {
        return APP_OK;
    }
    return problem_fail(p, APP_ERR_BAD_PARAMETER, "not_uuid",
                        "路径中的 id 须为小写的 UUID（8-4-4-4-12 位十六进制数字）",
                        "id must be a UUID in lower case (8-4-4-4-12 hex digits)");
}

bool ops_programme_in_scope(const struct principal *who, const char *code)
{
    switch (who->role) {
    case ROLE_OFFICE:
        return auth_has_programme(who, code);
    case ROLE_LEADER:
        /* A leader given no programme oversees all of them. */
        return who->n_programmes == 0 || auth_has_programme(who, code);
    default:
        return true;
    }
}

bool ops_programme_scoped(const struct principal *who)
{
    return who->role == ROLE_OFFICE || (who->role == ROLE_LEADER && who->n_programmes > 0);
}

static enum app_err not_found(
    enum app_err err, const char *what_zh, const char *what_en, const char *id, struct problem *p)
{
    if (err == APP_ERR_NOT_FOUND) {
        return problem_fail(p, err, "not_found", "%s%.0s %s 不存在", "no %.0s%s %s", what_zh,
                            what_en, id);
    }
    return ops_store_problem(err, p);
}

enum app_err ops_round_scope(const struct op_ctx *ctx,
                             const char *id,
                             bool for_update,
                             struct round_ref *ret,
                             struct problem *p)
{
    const struct principal *who = ctx->actor;
    enum app_err err;

    if (ops_check_uuid(id, p) != APP_OK) {
        return p->err;
    }
    err = scope_store_round(ctx->db, id, for_update ? SCOPE_LOCK_UPDATE : SCOPE_NO_LOCK, ret);
    if (err == APP_OK && !ops_programme_in_scope(who, ret->programme)) {
        err = APP_ERR_NOT_FOUND;
    }
    return err == APP_OK ? APP_OK : not_found(err, "评选轮次", "round", id, p);
}

enum app_err ops_nomination_scope(const struct op_ctx *ctx,
                                  const char *id,
                                  bool for_update,
                                  struct nomination_ref *ret,
                                  struct round_ref *ret_round,
                                  struct problem *p)
{
    const struct principal *who = ctx->actor;
    enum app_err err;

    if (ops_check_uuid(id, p) != APP_OK) {
        return p->err;
    }
    err = scope_store_nomination(ctx->db, id, for_update, ret);
    if (err == APP_OK && who->role == ROLE_UNIT && strcmp(who->unit_id, ret->unit_id) != 0) {
        err = APP_ERR_NOT_FOUND;
    }
    if (err == APP_OK) {
        err = scope_store_round(ctx->db, ret->round_id,
                                for_update ? SCOPE_LOCK_SHARE : SCOPE_NO_LOCK, ret_round);
    }
    if (err == APP_OK && !ops_programme_in_scope(who, ret_round->programme)) {
        err = APP_ERR_NOT_FOUND;
    }
    return err == APP_OK ? APP_OK : not_found(err, "推荐", "nomination", id, p);
}

enum app_err ops_scope_codes(const struct op_ctx *ctx, char **ret_codes, struct problem *p)
{
    json_t *a = NULL;
    char *text = NULL;

    if (!ops_programme_scoped(ctx->actor)) {
        *ret_codes = NULL;
        return APP_OK;
    }
    if ((a = json_array()) == NULL) {
        return ops_internal(p);
    }
    for (size_t i = 0; i < ctx->actor->n_programmes; i++) {
        if (json_array_append_new(a, json_string(ctx->actor->programmes[i])) != 0) {
            json_decref(a);
            return ops_internal(p);
        }
    }
    text = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    if (text == NULL) {
        return ops_internal(p);
    }
    *ret_codes = text;
    return APP_OK;
}
