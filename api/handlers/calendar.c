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

static bool parse_int(const char *s, long lo, long hi, long *ret)
{
    char *end;
    long v;

    if (s == NULL || *s == '\0') {
        return false;
    }
    v = strtol(s, &end, 10);
    if (*end != '\0' || v < lo || v > hi) {
        return false;
    }
    *ret = v;
    return true;
}

void calendar_get_year(struct http_call *call)
{
    struct problem prob = PROBLEM_INIT;
    struct db *db = NULL;
    char *text = NULL;
    json_t *obj = NULL;
    long year;

    if (!parse_int(http_param(call, "year"), CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX, &year)) {
        problem_set(&prob, APP_ERR_BAD_PARAMETER, "year must be an integer from %d to %d",
                    CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX);
        goto cleanup;
    }
    if ((db = api_db(&prob)) == NULL) {
        goto cleanup;
    }
    prob.err = calendar_store_year(db, (int)year, &text);
    if (prob.err == APP_ERR_NOT_FOUND) {
        problem_set(&prob, APP_ERR_NOT_FOUND, "no calendar data for %ld", year);
    }
    if (prob.err != APP_OK || (obj = api_parse(text, &prob)) == NULL) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    if (prob.err != APP_OK) {
        http_reply_problem(call, &prob);
    }
    json_decref(obj);
    free(text);
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

void calendar_workdays(struct http_call *call)
{
    struct problem prob = PROBLEM_INIT;
    struct calendar cal;
    struct db *db = NULL;
    int32_t from, days[WORKDAYS_MAX];
    json_t *body = NULL;
    long n;
    int missing = 0;

    calendar_init(&cal);
    if (!date_parse(http_query(call, "from") ? http_query(call, "from") : "", &from)) {
        problem_set(&prob, APP_ERR_BAD_PARAMETER, "from must be a date YYYY-MM-DD");
        goto cleanup;
    }
    if (!parse_int(http_query(call, "days"), 1, WORKDAYS_MAX, &n)) {
        problem_set(&prob, APP_ERR_BAD_PARAMETER, "days must be an integer from 1 to %d",
                    WORKDAYS_MAX);
        goto cleanup;
    }
    if ((db = api_db(&prob)) == NULL ||
        (prob.err = calendar_store_load(db, from, CALENDAR_SPAN((int)n), &cal)) != APP_OK) {
        goto cleanup;
    }
    prob.err = workdays_after(&cal, from, (int)n, days, &missing);
    if (prob.err == APP_ERR_CALENDAR_MISSING) {
        api_calendar_missing(&prob, missing);
        goto cleanup;
    }
    if (prob.err != APP_OK || (body = workdays_json(from, (int)n, days)) == NULL) {
        problem_set(&prob, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    http_reply_json(call, 200, body);

cleanup:
    if (prob.err != APP_OK) {
        http_reply_problem(call, &prob);
    }
    problem_clear(&prob);
    calendar_clear(&cal);
    json_decref(body);
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

void calendar_get_day(struct http_call *call)
{
    struct problem prob = PROBLEM_INIT;
    struct db *db = NULL;
    json_t *obj = NULL;
    int32_t day;

    if (!date_parse(http_param(call, "date"), &day)) {
        problem_set(&prob, APP_ERR_BAD_PARAMETER, "date must be YYYY-MM-DD");
        goto cleanup;
    }
    if ((db = api_db(&prob)) == NULL || (prob.err = day_json(db, day, &obj, &prob)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    if (prob.err != APP_OK) {
        http_reply_problem(call, &prob);
    }
    problem_clear(&prob);
    json_decref(obj);
}

void calendar_put_day(struct http_call *call)
{
    struct problem prob = PROBLEM_INIT;
    struct db *db = NULL;
    json_t *cur = NULL, *obj = NULL;
    char *before = NULL, *after = NULL, date[11];
    int32_t day;
    int version;

    if (!date_parse(http_param(call, "date"), &day)) {
        problem_set(&prob, APP_ERR_BAD_PARAMETER, "date must be YYYY-MM-DD");
        goto cleanup;
    }
    if (!json_fields_check(call->body, put_fields, 2, "", &prob) ||
        http_if_match_version(call, &version, &prob) != APP_OK || (db = api_db(&prob)) == NULL ||
        (prob.err = db_begin(db)) != APP_OK || (prob.err = day_json(db, day, &cur, &prob)) ||
        api_check_version(cur, version, &prob) != APP_OK) {
        goto cleanup;
    }
    const char *name = json_string_value(json_object_get(call->body, "name"));
    date_format(day, date);
    before = json_dumps(cur, JSON_COMPACT);
    prob.err = calendar_store_put_day(db, day, version,
                                      json_is_true(json_object_get(call->body, "is_workday")),
                                      name ? name : "", &after);
    if (prob.err == APP_ERR_NOT_FOUND) {
        problem_set(&prob, APP_ERR_PRECONDITION_FAILED, "the day changed; GET it again");
    }
    if (prob.err != APP_OK ||
        (prob.err = api_audit(call, db, "calendar.day_update", "calendar_day", date,
                              json_is_true(json_object_get(cur, "listed")) ? before : NULL,
                              after)) != APP_OK ||
        (obj = api_parse(after, &prob)) == NULL || (prob.err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    if (prob.err != APP_OK) {
        http_reply_problem(call, &prob);
    }
    problem_clear(&prob);
    json_decref(cur);
    json_decref(obj);
    free(before);
    free(after);
}

/* ---- whole years (holiday-cn JSON) ---- */

void calendar_years_list(struct http_call *call)
{
    struct problem prob = PROBLEM_INIT;
    struct db *db = api_db(&prob);
    char *text = NULL;
    json_t *items = NULL;

    if (db == NULL || (prob.err = calendar_store_years_list(db, &text)) != APP_OK ||
        (items = api_parse(text, &prob)) == NULL) {
        goto cleanup;
    }
    http_reply_list(call, items, NULL);

cleanup:
    if (prob.err != APP_OK) {
        http_reply_problem(call, &prob);
    }
    json_decref(items);
    free(text);
}

static const struct json_field year_fields[] = {
    {"$schema", JF_STRING, false, 1, 500}, {"$id", JF_STRING, false, 1, 500},
    {"year", JF_INT, true, 0, 0},          {"papers", JF_ARRAY, false, 0, 50},
    {"days", JF_ARRAY, true, 0, 0},        {"source", JF_STRING, false, 1, 200},
};

static const struct json_field day_fields[] = {
    {"name", JF_STRING, true, 1, 20}, /* 3 bytes each: fits HOLIDAY_CN_NAME_MAX */
    {"date", JF_STRING, true, 10, 10},
    {"isOffDay", JF_BOOL, true, 0, 0},
};

/* Pass 1: the body's and every entry's members, unknown ones first (400,
 * nothing else reported with them), then their types. */
static bool check_year_members(const json_t *b, struct problem *p)
{
    const json_t *days = json_object_get(b, "days"), *papers = json_object_get(b, "papers");
    size_t i;
    json_t *v;
    char ptr[48];

    if (!json_fields_check(b, year_fields, sizeof(year_fields) / sizeof(year_fields[0]), "", p)) {
        return false;
    }
    json_array_foreach(days, i, v)
    {
        struct problem one = PROBLEM_INIT;
        snprintf(ptr, sizeof(ptr), "/days/%zu", i);
        if (json_is_object(v) && !json_fields_check(v, day_fields, 3, ptr, &one) &&
            one.err == APP_ERR_UNKNOWN_FIELD) {
            for (size_t k = 0; k < one.n_errors; k++) {
                problem_add_error(p, APP_ERR_UNKNOWN_FIELD, one.errors[k].pointer, "%s",
                                  one.errors[k].detail);
            }
        }
        problem_clear(&one);
    }
    if (p->n_errors > 0) {
        p->err = APP_ERR_UNKNOWN_FIELD;
        return false;
    }
    p->err = APP_OK;
    json_array_foreach(papers, i, v)
    {
        if (!json_is_string(v)) {
            snprintf(ptr, sizeof(ptr), "/papers/%zu", i);
            problem_add_error(p, APP_ERR_VALIDATION, ptr, "must be a string (a notice's URL)");
        }
    }
    return p->n_errors == 0;
}

/*
 * A whole year in the holiday-cn format, checked entry by entry: every
 * date lies in `year`, no date appears twice, every entry has a name. The
 * listed days go to ret_days (HOLIDAY_CN_DAYS_MAX of them at most); every
 * fault is reported at once, with a pointer.
 */
static bool check_year(
    const json_t *b, int year, struct holiday_cn_day *ret_days, size_t *ret_n, struct problem *p)
{
    const json_t *days = json_object_get(b, "days");
    size_t i, n = 0;
    json_t *d;
    char ptr[48];

    if (!check_year_members(b, p)) {
        return false;
    }
    if (json_integer_value(json_object_get(b, "year")) != year) {
        problem_add_error(p, APP_ERR_VALIDATION, "/year", "must be %d, the year in the path", year);
    }
    if (json_array_size(days) == 0 || json_array_size(days) > HOLIDAY_CN_DAYS_MAX) {
        problem_add_error(p, APP_ERR_VALIDATION, "/days",
                          "must list 1 to %d days (an empty list is upstream's placeholder for "
                          "a year not yet published)",
                          HOLIDAY_CN_DAYS_MAX);
        return false;
    }
    json_array_foreach(days, i, d)
    {
        int32_t day;
        int y, m, dd;
        snprintf(ptr, sizeof(ptr), "/days/%zu", i);
        if (!json_is_object(d)) {
            problem_add_error(p, APP_ERR_VALIDATION, ptr, "must be an object");
            continue;
        }
        if (!json_fields_check(d, day_fields, 3, ptr, p)) {
            continue;
        }
        snprintf(ptr, sizeof(ptr), "/days/%zu/date", i);
        if (!date_parse(json_string_value(json_object_get(d, "date")), &day)) {
            problem_add_error(p, APP_ERR_VALIDATION, ptr, "must be a date YYYY-MM-DD");
            continue;
        }
        date_split(day, &y, &m, &dd);
        if (y != year) {
            problem_add_error(p, APP_ERR_VALIDATION, ptr,
                              "is not in %d: list it in the %d schedule", year, y);
            continue;
        }
        bool twice = false;
        for (size_t k = 0; k < n && !twice; k++) {
            twice = ret_days[k].day == day;
        }
        if (twice) {
            problem_add_error(p, APP_ERR_VALIDATION, ptr, "is listed twice");
            continue;
        }
        ret_days[n].day = day;
        ret_days[n].is_workday = !json_is_true(json_object_get(d, "isOffDay"));
        snprintf(ret_days[n].name, sizeof(ret_days[n].name), "%s",
                 json_string_value(json_object_get(d, "name")));
        n++;
    }
    *ret_n = n;
    return p->n_errors == 0 && p->err == APP_OK;
}

/*
 * PUT /v1/calendar/years/{year}: replaces the year's listed days in one
 * transaction (201 when the year is new, 200 when it replaced one). Days
 * listed before and now keep their row (its version moves on only when
 * it changed), so a day's ETag never repeats; days no longer listed go. A
 * year that is loaded needs If-Match with its version (GET
 * /v1/calendar/years); a new one takes none, or "0".
 */
void calendar_years_put(struct http_call *call)
{
    struct problem prob = PROBLEM_INIT;
    struct db *db = NULL;
    struct holiday_cn_day *days = NULL;
    char *before = NULL, *after = NULL, *head = NULL, source[256], id[16];
    json_t *cur = NULL, *obj = NULL;
    const char *given = json_string_value(json_object_get(call->body, "source"));
    size_t n = 0;
    long year;
    int version = 0;
    bool if_match = http_header(call, "If-Match") != NULL;

    if (!parse_int(http_param(call, "year"), CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX, &year)) {
        problem_set(&prob, APP_ERR_BAD_PARAMETER, "year must be an integer from %d to %d",
                    CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX);
        goto cleanup;
    }
    if ((days = calloc(HOLIDAY_CN_DAYS_MAX, sizeof(*days))) == NULL) {
        goto cleanup;
    }
    if (!check_year(call->body, (int)year, days, &n, &prob) ||
        (if_match && http_if_match_version(call, &version, &prob) != APP_OK) ||
        (db = api_db(&prob)) == NULL || (prob.err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    prob.err = calendar_store_year_head(db, (int)year, &head);
    if (prob.err == APP_OK && ((prob.err = calendar_store_year(db, (int)year, &before)) != APP_OK ||
                               (cur = api_parse(head, &prob)) == NULL)) {
        goto cleanup;
    }
    if (prob.err != APP_OK && prob.err != APP_ERR_NOT_FOUND) {
        goto cleanup;
    }
    int current = cur != NULL ? (int)json_integer_value(json_object_get(cur, "version")) : 0;
    if (cur != NULL && !if_match) {
        problem_set(&prob, APP_ERR_PRECONDITION_REQUIRED,
                    "%ld is loaded already: send If-Match: \"%d\" to replace it", year, current);
        goto cleanup;
    }
    if (version != current) {
        problem_set(&prob, APP_ERR_PRECONDITION_FAILED,
                    "the year changed (ETag \"%d\"); GET /v1/calendar/years again", current);
        goto cleanup;
    }
    snprintf(source, sizeof(source), "%s%s",
             given ? "" : "api:", given ? given : call->who.username);
    snprintf(id, sizeof(id), "%ld", year);
    prob.err = calendar_store_prune_year(db, (int)year, days, n);
    for (size_t i = 0; prob.err == APP_OK && i < n; i++) {
        prob.err =
            calendar_store_upsert_day(db, days[i].day, days[i].is_workday, days[i].name, source);
    }
    if (prob.err != APP_OK ||
        (prob.err = calendar_store_upsert_year(db, (int)year, source)) != APP_OK ||
        (prob.err = calendar_store_year(db, (int)year, &after)) != APP_OK ||
        (prob.err = api_audit(call, db, cur ? "calendar.year_replace" : "calendar.year_load",
                              "calendar_year", id, before, after)) != APP_OK ||
        (obj = api_parse(after, &prob)) == NULL || (prob.err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    if (cur == NULL) {
        char location[48];
        snprintf(location, sizeof(location), "/v1/calendar/%ld", year);
        http_set_header(call, "Location", location);
    }
    api_reply_resource(call, cur != NULL ? 200 : 201, obj);

cleanup:
    db_rollback(db);
    if (prob.err != APP_OK) {
        http_reply_problem(call, &prob);
    }
    problem_clear(&prob);
    json_decref(cur);
    json_decref(obj);
    free(days);
    free(before);
    free(after);
    free(head);
}
