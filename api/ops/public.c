/* SPDX-License-Identifier: MIT */
/*
 * The public read API: the clock's today and now handed to the public
 * projections, the register's filters checked. Nothing here chooses a
 * field: db/functions/18_public.sql does, once.
 */
#include "public.h"

#include <stdlib.h>
#include <string.h>

#include "civil_time.h"
#include "store/public_store.h"

enum app_err public_programmes(const struct op_ctx *ctx, char **ret_json, struct problem *p)
{
    char today[11];
    enum app_err err;

    date_format(ctx->today, today);
    if ((err = public_store_programmes(ctx->db, today, ret_json)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    return APP_OK;
}

enum app_err public_round(const struct op_ctx *ctx,
                          const char *id,
                          enum public_round_view view,
                          char **ret_json,
                          struct problem *p)
{
    static enum app_err (*const reads[])(struct db *, const char *, const char *, const char *,
                                         char **) = {
        [PUBLIC_ROUND] = public_store_round,
        [PUBLIC_ROUND_NOMINEES] = public_store_nominees,
        [PUBLIC_ROUND_RESULTS] = public_store_results,
    };
    char today[11], at[RFC3339_TEXT_MAX];
    enum app_err err;

    date_format(ctx->today, today);
    rfc3339_format(ctx->now_ms, true, at);
    err = reads[view](ctx->db, id, today, at, ret_json);
    if (err == APP_ERR_NOT_FOUND) {
        return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "未找到该评选批次或尚未公开",
                            "no such round, or not public yet");
    }
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

static bool one_of(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s, set[i]) == 0) {
            return true;
        }
    }
    return false;
}

enum app_err public_register_page(const struct op_ctx *ctx,
                                  const struct public_register_query *q,
                                  const char *cursor,
                                  int limit,
                                  char **ret_array,
                                  char **ret_next,
                                  struct problem *p)
{
    static const char *const STATUSES[] = {"active", "suspended", "revoked"};
    const char *y = q->year;
    enum app_err err;

    *ret_array = *ret_next = NULL;
    if (y != NULL &&
        (strlen(y) != 4 || strspn(y, "0123456789") != 4 || atoi(y) < 2000 || atoi(y) > 2099)) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "not_year", "year 须为 2000 至 2099 的年份",
                            "year must be a year from 2000 to 2099");
    }
    if (q->status != NULL && !one_of(q->status, STATUSES, 3)) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "unknown_value",
                            "status 须为 active、suspended 或 revoked",
                            "status must be active, suspended or revoked");
    }
    const struct public_recognition_filter f = {q->programme, q->year, q->status};

    if ((err = public_store_recognitions(ctx->db, &f, cursor, limit, ret_array, ret_next)) !=
        APP_OK) {
        return ops_store_problem(err, p);
    }
    return APP_OK;
}
