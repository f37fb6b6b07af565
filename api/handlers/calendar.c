/* SPDX-License-Identifier: MIT */
/*
 * /v1/calendar: the State Council schedule per year, the N working days
 * after a date (民法典 Art. 201: the day of publication never counts; the
 * period ends at 24:00 of the Nth working day, Asia/Shanghai), and admin
 * corrections of single days. A year without data is an error, not a guess.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "json_fields.h"
#include "store/stores.h"
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
        problem_set(p, APP_ERR_BAD_PARAMETER, "year must be an integer from %d to %d",
                    CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX);
        goto cleanup;
    }
    if ((db = api_db(p)) == NULL) {
        goto cleanup;
    }
    p->err = calendar_store_year(db, (int)year, &text);
    if (p->err == APP_ERR_NOT_FOUND) {
        problem_set(p, APP_ERR_NOT_FOUND, "no calendar data for %ld", year);
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
        problem_set(p, APP_ERR_BAD_PARAMETER, "from must be a date YYYY-MM-DD");
        goto cleanup;
    }
    if (!api_parse_long(http_query(call, "days"), 1, WORKDAYS_MAX, &n)) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "days must be an integer from 1 to %d", WORKDAYS_MAX);
        goto cleanup;
    }
    if ((db = api_db(p)) == NULL ||
        (p->err = calendar_store_load(db, from, CALENDAR_SPAN((int)n), &cal)) != APP_OK) {
        goto cleanup;
    }
    p->err = workdays_after(&cal, from, (int)n, days, &missing);
    if (p->err == APP_ERR_CALENDAR_MISSING) {
        api_calendar_missing(p, missing);
        goto cleanup;
    }
    if (p->err != APP_OK || (body = workdays_json(from, (int)n, days)) == NULL) {
        problem_set(p, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    http_reply_json(call, 200, body);

cleanup:
    calendar_clear(&cal);
    json_decref(body);
    return p->err;
}

/* The day's representation: its row when listed, else the weekday rule
 * (version 0, the ETag a first PUT must send). */
static enum app_err day_json(struct db *db, int32_t day, json_t **ret, struct problem *p)
{
    struct calendar cal;
    char *text = NULL;
    char d[11];
    bool work = false;
    enum app_err err = calendar_store_day(db, day, &text);

    if (err == APP_OK) {
        *ret = api_parse(text, p);
        free(text);
        return *ret ? APP_OK : p->err;
    }
    if (err != APP_ERR_NOT_FOUND) {
        problem_set(p, err, NULL);
        return err;
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
        return api_calendar_missing(p, y);
    }
    if (err != APP_OK) {
        problem_set(p, err, NULL);
        return err;
    }
    date_format(day, d);
    *ret = json_pack("{s:s, s:b, s:b, s:s, s:s, s:i}", "date", d, "is_workday", work, "listed",
                     false, "name", "", "source", "weekday_rule", "version", 0);
    return *ret ? APP_OK : APP_ERR_INTERNAL;
}

enum app_err calendar_get_day(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    json_t *obj = NULL;
    int32_t day;

    if (!date_parse(http_param(call, "date"), &day)) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "date must be YYYY-MM-DD");
        goto cleanup;
    }
    if ((db = api_db(p)) == NULL || (p->err = day_json(db, day, &obj, p)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    json_decref(obj);
    return p->err;
}

enum app_err calendar_put_day(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    json_t *cur = NULL, *obj = NULL;
    char *before = NULL, *after = NULL, date[11];
    int32_t day;
    int version;

    if (!date_parse(http_param(call, "date"), &day)) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "date must be YYYY-MM-DD");
        goto cleanup;
    }
    if (!json_fields_check(call->body, put_fields, 2, "", p) ||
        http_if_match_version(call, &version, p) != APP_OK || (db = api_db(p)) == NULL ||
        (p->err = db_begin(db)) != APP_OK || (p->err = day_json(db, day, &cur, p)) ||
        api_check_version(cur, version, p) != APP_OK) {
        goto cleanup;
    }
    const char *name = json_string_value(json_object_get(call->body, "name"));
    date_format(day, date);
    before = json_dumps(cur, JSON_COMPACT);
    p->err = calendar_store_put_day(db, day, version,
                                    json_is_true(json_object_get(call->body, "is_workday")),
                                    name ? name : "", &after);
    if (p->err == APP_ERR_NOT_FOUND) {
        problem_set(p, APP_ERR_PRECONDITION_FAILED, "the day changed; GET it again");
    }
    if (p->err != APP_OK ||
        (p->err = api_audit(call, db, "calendar.day_update", "calendar_day", date,
                            json_is_true(json_object_get(cur, "listed")) ? before : NULL, after)) !=
            APP_OK ||
        (obj = api_parse(after, p)) == NULL || (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    json_decref(cur);
    json_decref(obj);
    free(before);
    free(after);
    return p->err;
}
