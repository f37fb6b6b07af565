/* SPDX-License-Identifier: MIT */
/*
 * The calendar's writes. A year without data stays an error, never a
 * guess (README: the yearly calendar); a day's ETag never repeats, since a
 * day listed before and now keeps its row and version.
 */
#include "calendar.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "civil_time.h"
#include "json_fields.h"
#include "ops.h"
#include "store/calendar_store.h"

enum app_err calendar_missing(struct problem *p, int year)
{
    problem_fail(p, APP_ERR_CALENDAR_MISSING, "calendar_unavailable",
                 "尚无 %d 年工作日历数据；请管理员通过 PUT /v1/calendar/years/%d（holiday-cn "
                 "JSON）或 jiangxin-api calendar load 载入国务院办公厅节假日安排",
                 "no working-day calendar for %d yet; an admin loads the State Council schedule "
                 "with PUT /v1/calendar/years/%d (holiday-cn JSON) or jiangxin-api calendar load",
                 year, year);
    json_decref(p->extra);
    p->extra = json_pack("{s:i}", "missing_year", year);
    return p->err;
}

enum app_err calendar_day_json(struct db *db, int32_t day, json_t **ret, struct problem *p)
{
    struct calendar cal;
    char *text = NULL;
    char d[11];
    bool work = false;
    enum app_err err = calendar_store_day(db, day, &text);

    if (err == APP_OK) {
        *ret = ops_json(text, p);
        free(text);
        return *ret ? APP_OK : p->err;
    }
    if (err != APP_ERR_NOT_FOUND) {
        return ops_store_problem(err, p);
    }
    calendar_init(&cal);
    err = calendar_store_load(db, day - 1, 1, &cal);
    if (err == APP_OK) {
        err = calendar_is_workday(&cal, day, &work);
    }
    calendar_clear(&cal);
    if (err == APP_ERR_CALENDAR_MISSING) {
        int y, m, dd;
        date_split(day, &y, &m, &dd);
        return calendar_missing(p, y);
    }
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    date_format(day, d);
    *ret = json_pack("{s:s, s:b, s:b, s:s, s:s, s:i}", "date", d, "is_workday", work, "listed",
                     false, "name", "", "source", "weekday_rule", "version", 0);
    return *ret ? APP_OK : problem_kind(p, APP_ERR_INTERNAL);
}

enum app_err calendar_day_put(const struct op_ctx *ctx,
                              int32_t day,
                              int version,
                              bool is_workday,
                              const char *name,
                              char **ret_json,
                              struct problem *p)
{
    json_t *cur = NULL;
    char *before = NULL, *after = NULL, date[11];
    enum app_err err;

    if (calendar_day_json(ctx->db, day, &cur, p) != APP_OK ||
        ops_check_version(cur, version, p) != APP_OK) {
        goto cleanup;
    }
    date_format(day, date);
    before = json_dumps(cur, JSON_COMPACT);
    err = calendar_store_put_day(ctx->db, day, version, is_workday, name ? name : "", &after);
    if (err == APP_ERR_NOT_FOUND) {
        problem_fail(p, APP_ERR_PRECONDITION_FAILED, "stale_etag", "该日已被修改，请重新获取",
                     "the day changed; GET it again");
        goto cleanup;
    }
    if (err != APP_OK ||
        (err = ops_audit(ctx, "calendar.day_update", "calendar_day", date,
                         json_is_true(json_object_get(cur, "listed")) ? before : NULL, after)) !=
            APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    *ret_json = after;
    after = NULL;

cleanup:
    json_decref(cur);
    free(before);
    free(after);
    return p->err;
}

/* The year's head (version) and representation when it is loaded:
 * *ret_cur stays NULL for a new year. */
static enum app_err
load_year(struct db *db, int year, json_t **ret_cur, char **ret_before, struct problem *p)
{
    char *head = NULL;
    enum app_err err = calendar_store_year_head(db, year, &head);

    if (err == APP_OK && (err = calendar_store_year(db, year, ret_before)) == APP_OK) {
        *ret_cur = ops_json(head, p);
        err = *ret_cur != NULL ? APP_OK : p->err;
    }
    free(head);
    if (err == APP_ERR_NOT_FOUND) {
        return APP_OK;
    }
    if (err != APP_OK && p->err == APP_OK) {
        ops_store_problem(err, p);
    }
    return p->err;
}

/* 428 when a loaded year comes without If-Match, 412 when it changed. */
static enum app_err
check_year_version(const struct calendar_year_input *in, const json_t *cur, struct problem *p)
{
    int current = cur != NULL ? json_int_or(cur, "version", 0, INT_MAX, 0) : 0;

    if (cur != NULL && !in->if_match) {
        return problem_fail(p, APP_ERR_PRECONDITION_REQUIRED, "year_loaded",
                            "%d 年的日历已载入：替换时请发送 If-Match: \"%d\"",
                            "%d is loaded already: send If-Match: \"%d\" to replace it", in->year,
                            current);
    }
    if (in->version != current) {
        return problem_fail(p, APP_ERR_PRECONDITION_FAILED, "stale_etag",
                            "该年日历已被修改（当前 ETag 为 \"%d\"），请重新获取 "
                            "GET /v1/calendar/years",
                            "the year changed (ETag \"%d\"); GET /v1/calendar/years again",
                            current);
    }
    return APP_OK;
}

enum app_err calendar_year_put(const struct op_ctx *ctx,
                               const struct calendar_year_input *in,
                               char **ret_json,
                               bool *ret_created,
                               struct problem *p)
{
    char *before = NULL, *after = NULL, source[256], id[16];
    json_t *cur = NULL;
    enum app_err err;

    if (load_year(ctx->db, in->year, &cur, &before, p) != APP_OK ||
        check_year_version(in, cur, p) != APP_OK) {
        goto cleanup;
    }
    snprintf(source, sizeof(source), "%s%s",
             in->source ? "" : "api:", in->source ? in->source : ctx->actor->username);
    snprintf(id, sizeof(id), "%d", in->year);
    err = calendar_store_prune_year(ctx->db, in->year, in->days, in->n);
    for (size_t i = 0; err == APP_OK && i < in->n; i++) {
        err = calendar_store_upsert_day(ctx->db, in->days[i].day, in->days[i].is_workday,
                                        in->days[i].name, source);
    }
    if (err != APP_OK || (err = calendar_store_upsert_year(ctx->db, in->year, source)) != APP_OK ||
        (err = calendar_store_year(ctx->db, in->year, &after)) != APP_OK ||
        (err = ops_audit(ctx, cur ? "calendar.year_replace" : "calendar.year_load", "calendar_year",
                         id, before, after)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    *ret_created = cur == NULL;
    *ret_json = after;
    after = NULL;

cleanup:
    json_decref(cur);
    free(before);
    free(after);
    return p->err;
}

enum app_err
calendar_workdays_end(struct db *db, int32_t from, int n, int32_t *ret_end, struct problem *p)
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
        return calendar_missing(p, missing);
    }
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret_end = days[n - 1];
    return APP_OK;
}
