/* SPDX-License-Identifier: MIT */
/*
 * The operation context and the audit log's one writer. Jobs act under a
 * name of their own (the vote push job as the API's issuer), requests as
 * the authenticated caller.
 */
#include "ops.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "store/stores.h"
#include "workdays.h"

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

enum app_err ops_calendar_missing(struct problem *p, int year)
{
    problem_fail(p, APP_ERR_CALENDAR_MISSING, "calendar_year_missing",
                 "尚无 %d 年的工作日历；请管理员用 PUT /v1/calendar/years/%d（holiday-cn JSON）"
                 "或 jiangxin-api calendar load 导入国务院放假安排",
                 "no working-day calendar for %d yet; an admin loads the State Council schedule "
                 "with PUT /v1/calendar/years/%d (holiday-cn JSON) or jiangxin-api calendar load",
                 year, year);
    json_decref(p->extra);
    p->extra = json_pack("{s:i}", "missing_year", year);
    return p->err;
}

enum app_err
ops_workdays_end(struct db *db, int32_t from, int n, int32_t *ret_end, struct problem *p)
{
    struct calendar cal;
    int32_t days[WORKDAYS_MAX];
    int missing = 0;
    enum app_err err;

    if (n < 1 || n > WORKDAYS_MAX) {
        return problem_fail(p, APP_ERR_VALIDATION, "workdays_range", "工作日数须为 1 至 %d",
                            "a count of 1 to %d working days", WORKDAYS_MAX);
    }
    calendar_init(&cal);
    err = calendar_store_load(db, from, 2 * n + 30, &cal);
    if (err == APP_OK) {
        err = workdays_after(&cal, from, n, days, &missing);
    }
    calendar_clear(&cal);
    if (err == APP_ERR_CALENDAR_MISSING) {
        return ops_calendar_missing(p, missing);
    }
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret_end = days[n - 1];
    return APP_OK;
}
