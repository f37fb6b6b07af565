/* SPDX-License-Identifier: MIT */
/*
 * /v1/calendar: the State Council schedule per year, the N working days
 * after a date (民法典 Art. 201: the day of publication never counts; the
 * period ends at 24:00 of the Nth working day, Asia/Shanghai), and admin
 * corrections of single days. A year without data is an error, not a guess.
 */
#include "ops/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "json_fields.h"
#include "store/calendar_store.h"
#include "workdays.h"

/* Working days per calendar day are at most 5/7, and a holiday block adds at
 * most ~10 days: 2n + 30 calendar days always hold n working days. */
#define CALENDAR_SPAN(n) (2 * (n) + 30)

static const struct json_field put_fields[] = {
    {"is_workday", JF_BOOL, true, 0, 0},
    {"name", JF_STRING, false, 0, 60},
};

enum app_err calendar_get_year(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    char *text = NULL;
    json_t *obj = NULL;
    long year;

    if (!api_parse_long(http_param(call, "year"), CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX, &year)) {
        problem_fail(p, APP_ERR_BAD_PARAMETER, "year_out_of_range", "年份须为 %d 至 %d 的整数",
                     "year must be an integer from %d to %d", CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX);
        goto cleanup;
    }
    if ((db = api_db(p)) == NULL) {
        goto cleanup;
    }
    p->err = calendar_store_year(db, (int)year, &text);
    if (p->err == APP_ERR_NOT_FOUND) {
        problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "尚无 %ld 年的日历数据",
                     "no calendar data for %ld", year);
    }
    if (p->err != APP_OK || (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}

static json_t *workdays_json(int32_t from, int n, const int32_t *days)
{
    char f[11], first[11], last[11], ends[32], d[11];
    json_t *list = json_array();

    if (list == NULL) {
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        date_format(days[i], d);
        json_array_append_new(list, json_string(d));
    }
    date_format(from, f);
    date_format(days[0], first);
    date_format(days[n - 1], last);
    date_format(days[n - 1] + 1, d);
    snprintf(ends, sizeof(ends), "%sT00:00:00+08:00", d);
    return json_pack("{s:s, s:i, s:s, s:s, s:s, s:o}", "from", f, "days", n, "start_date", first,
                     "end_date", last, "ends_at", ends, "workdays", list);
}

enum app_err calendar_workdays(struct http_call *call, struct problem *p)
{
    struct calendar cal;
    struct db *db = NULL;
    int32_t from, days[WORKDAYS_MAX];
    json_t *body = NULL;
    long n;
    int missing = 0;

    calendar_init(&cal);
    if (!date_parse(http_query(call, "from") ? http_query(call, "from") : "", &from)) {
        problem_fail(p, APP_ERR_BAD_PARAMETER, "not_date", "from 须为 YYYY-MM-DD 格式的日期",
                     "from must be a date YYYY-MM-DD");
        goto cleanup;
    }
    if (!api_parse_long(http_query(call, "days"), 1, WORKDAYS_MAX, &n)) {
        problem_fail(p, APP_ERR_BAD_PARAMETER, "workdays_out_of_range", "days 须为 1 至 %d 的整数",
                     "days must be an integer from 1 to %d", WORKDAYS_MAX);
        goto cleanup;
    }
    if ((db = api_db(p)) == NULL) {
        goto cleanup;
    }
    if ((p->err = calendar_store_load(db, from, CALENDAR_SPAN((int)n), &cal)) != APP_OK) {
        ops_store_problem(p->err, p);
        goto cleanup;
    }
    p->err = workdays_after(&cal, from, (int)n, days, &missing);
    if (p->err == APP_ERR_CALENDAR_MISSING) {
        calendar_missing(p, missing);
        goto cleanup;
    }
    if (p->err != APP_OK || (body = workdays_json(from, (int)n, days)) == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    http_reply_json(call, 200, body);

cleanup:
    calendar_clear(&cal);
    json_decref(body);
    return p->err;
}

enum app_err calendar_get_day(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    json_t *obj = NULL;
    int32_t day;

    if (!date_parse(http_param(call, "date"), &day)) {
        problem_fail(p, APP_ERR_BAD_PARAMETER, "not_date", "date 须为 YYYY-MM-DD 格式的日期",
                     "date must be YYYY-MM-DD");
        goto cleanup;
    }
    if ((db = api_db(p)) == NULL || calendar_day_json(db, day, &obj, p) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    json_decref(obj);
    return p->err;
}

enum app_err calendar_put_day(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = NULL;
    const json_t *b = call->body;
    json_t *obj = NULL;
    char *after = NULL;
    int32_t day;
    int version;

    if (!date_parse(http_param(call, "date"), &day)) {
        problem_fail(p, APP_ERR_BAD_PARAMETER, "not_date", "date 须为 YYYY-MM-DD 格式的日期",
                     "date must be YYYY-MM-DD");
        goto cleanup;
    }
    if (!json_fields_check(b, put_fields, 2, "", p) ||
        http_if_match_version(call, &version, p) != APP_OK || (db = api_db(p)) == NULL ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (calendar_day_put(&ctx, day, version, json_is_true(json_object_get(b, "is_workday")),
                         json_string_value(json_object_get(b, "name")), &after, p) != APP_OK ||
        (obj = api_parse(after, p)) == NULL || (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(after);
    return p->err;
}
