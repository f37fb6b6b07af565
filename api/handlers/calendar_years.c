/* SPDX-License-Identifier: MIT */
/*
 * /v1/calendar/years: the loaded calendar years, and an admin's whole year
 * in the holiday-cn format (the State Council schedule each autumn),
 * validated entry by entry and loaded in one audited transaction. A year
 * without data stays an error, never a guess (README: the yearly
 * calendar).
 */
#include <stdio.h>
#include <stdlib.h>

#include "handlers.h"
#include "json_fields.h"
#include "ops/calendar.h"
#include "store/calendar_store.h"
#include "workdays.h"

enum app_err calendar_years_list(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    char *text = NULL;
    json_t *items = NULL;

    if (db == NULL || (p->err = calendar_store_years_list(db, &text)) != APP_OK ||
        (items = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    http_reply_list(call, items, NULL);

cleanup:
    json_decref(items);
    free(text);
    return p->err;
}

static const struct json_field year_fields[] = {
    {"$schema", JF_STRING, false, 1, 500},
    {"$id", JF_STRING, false, 1, 500},
    {"year", JF_INT, true, CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX},
    {"papers", JF_ARRAY, false, 0, 50},
    {"days", JF_ARRAY, true, 0, 0},
    {"source", JF_STRING, false, 1, 200},
};

static const struct json_field day_fields[] = {
    {"name", JF_STRING, true, 1, 20}, /* 3 bytes each: fits HOLIDAY_CN_NAME_MAX */
    {"date", JF_STRING, true, 10, 10},
    {"isOffDay", JF_BOOL, true, 0, 0},
};

/* Pass 1: the body's and every entry's members, unknown ones first (400,
 * nothing else reported with them), then their types. */
static enum app_err check_year_members(const json_t *b, struct problem *p)
{
    const json_t *days = json_object_get(b, "days"), *papers = json_object_get(b, "papers");
    size_t i;
    json_t *v;
    char ptr[48];

    if (!json_fields_check(b, year_fields, sizeof(year_fields) / sizeof(year_fields[0]), "", p)) {
        return p->err;
    }
    json_array_foreach(days, i, v)
    {
        struct problem one = PROBLEM_INIT;
        snprintf(ptr, sizeof(ptr), "/days/%zu", i);
        if (json_is_object(v) && !json_fields_check(v, day_fields, 3, ptr, &one) &&
            one.err == APP_ERR_UNKNOWN_FIELD) {
            for (size_t k = 0; k < one.n_errors; k++) {
                problem_copy_error(p, APP_ERR_UNKNOWN_FIELD, &one.errors[k]);
            }
        }
        problem_clear(&one);
    }
    if (p->n_errors > 0) {
        p->err = APP_ERR_UNKNOWN_FIELD;
        return p->err;
    }
    json_array_foreach(papers, i, v)
    {
        if (!json_is_string(v)) {
            snprintf(ptr, sizeof(ptr), "/papers/%zu", i);
            problem_field(p, APP_ERR_VALIDATION, ptr, "wrong_type", "须为字符串（通知的网址）",
                          "must be a string (a notice's URL)");
        }
    }
    return p->err;
}

/* One entry of `days` (index i): its members, a date in `year` that the
 * n entries before did not list. Adds it to days[n] and returns true, or
 * reports its fault. */
static bool check_day(
    const json_t *d, size_t i, int year, struct holiday_cn_day *days, size_t n, struct problem *p)
{
    int32_t day;
    int y, m, dd;
    char ptr[48];

    snprintf(ptr, sizeof(ptr), "/days/%zu", i);
    if (!json_is_object(d)) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "wrong_type", "须为对象", "must be an object");
        return false;
    }
    if (!json_fields_check(d, day_fields, 3, ptr, p)) {
        return false;
    }
    snprintf(ptr, sizeof(ptr), "/days/%zu/date", i);
    if (!date_parse(json_string_value(json_object_get(d, "date")), &day)) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "not_date", "须为 YYYY-MM-DD 格式的日期",
                      "must be a date YYYY-MM-DD");
        return false;
    }
    date_split(day, &y, &m, &dd);
    if (y != year) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "date_outside_year",
                      "不在 %d 年内：请列入 %d 年的安排",
                      "is not in %d: list it in the %d schedule", year, y);
        return false;
    }
    for (size_t k = 0; k < n; k++) {
        if (days[k].day == day) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "duplicate_date", "日期重复列出",
                          "is listed twice");
            return false;
        }
    }
    days[n].day = day;
    days[n].is_workday = !json_is_true(json_object_get(d, "isOffDay"));
    snprintf(days[n].name, sizeof(days[n].name), "%s",
             json_string_value(json_object_get(d, "name")));
    return true;
}

/*
 * A whole year in the holiday-cn format, checked entry by entry: every
 * date lies in `year`, no date appears twice, every entry has a name. The
 * listed days go to ret_days (HOLIDAY_CN_DAYS_MAX of them at most); every
 * fault is reported at once, with a pointer.
 */
static enum app_err check_year(
    const json_t *b, int year, struct holiday_cn_day *ret_days, size_t *ret_n, struct problem *p)
{
    const json_t *days = json_object_get(b, "days");
    size_t i, n = 0;
    json_t *d;

    if (check_year_members(b, p) != APP_OK) {
        return p->err;
    }
    if (json_integer_value(json_object_get(b, "year")) != year) {
        problem_field(p, APP_ERR_VALIDATION, "/year", "year_mismatch", "须为路径中的年份 %d",
                      "must be %d, the year in the path", year);
    }
    if (json_array_size(days) == 0 || json_array_size(days) > HOLIDAY_CN_DAYS_MAX) {
        return problem_field(p, APP_ERR_VALIDATION, "/days", "days_count",
                             "须列出 1 至 %d 天（空列表是上游对尚未公布年份的占位）",
                             "must list 1 to %d days (an empty list is upstream's placeholder "
                             "for a year not yet published)",
                             HOLIDAY_CN_DAYS_MAX);
    }
    json_array_foreach(days, i, d)
    {
        n += check_day(d, i, year, ret_days, n, p);
    }
    *ret_n = n;
    return p->n_errors > 0 && p->err == APP_OK ? APP_ERR_VALIDATION : p->err;
}

/*
 * PUT /v1/calendar/years/{year}: replaces the year's listed days in one
 * transaction (201 when the year is new, 200 when it replaced one). A
 * year that is loaded needs If-Match with its version (GET
 * /v1/calendar/years); a new one takes none, or "0" (ops/calendar.c).
 */
enum app_err calendar_years_put(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = NULL;
    struct holiday_cn_day *days = NULL;
    char *after = NULL;
    json_t *obj = NULL;
    long year;
    bool created = false;
    struct calendar_year_input in = {
        .source = json_string_value(json_object_get(call->body, "source")),
        .if_match = http_header(call, "If-Match") != NULL,
    };

    if (!api_parse_long(http_param(call, "year"), CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX, &year)) {
        problem_fail(p, APP_ERR_BAD_PARAMETER, "year_out_of_range", "年份须为 %d 至 %d 的整数",
                     "year must be an integer from %d to %d", CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX);
        goto cleanup;
    }
    if ((days = calloc(HOLIDAY_CN_DAYS_MAX, sizeof(*days))) == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    in.year = (int)year;
    in.days = days;
    if (check_year(call->body, in.year, days, &in.n, p) != APP_OK ||
        (in.if_match && http_if_match_version(call, &in.version, p) != APP_OK) ||
        (db = api_db(p)) == NULL || (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (calendar_year_put(&ctx, &in, &after, &created, p) != APP_OK ||
        (obj = api_parse(after, p)) == NULL || (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    if (created) {
        char location[48];
        snprintf(location, sizeof(location), "/v1/calendar/%ld", year);
        http_set_header(call, "Location", location);
    }
    api_reply_resource(call, created ? 201 : 200, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(days);
    free(after);
    return p->err;
}
