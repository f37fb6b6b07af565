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
#include "store/stores.h"
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
                problem_copy_error(p, APP_ERR_UNKNOWN_FIELD, &one.errors[k]);
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
enum app_err calendar_years_put(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    struct holiday_cn_day *days = NULL;
    char *before = NULL, *after = NULL, *head = NULL, source[256], id[16];
    json_t *cur = NULL, *obj = NULL;
    const char *given = json_string_value(json_object_get(call->body, "source"));
    size_t n = 0;
    long year;
    int version = 0;
    bool if_match = http_header(call, "If-Match") != NULL;

    if (!api_parse_long(http_param(call, "year"), CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX, &year)) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "year must be an integer from %d to %d",
                    CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX);
        goto cleanup;
    }
    if ((days = calloc(HOLIDAY_CN_DAYS_MAX, sizeof(*days))) == NULL) {
        goto cleanup;
    }
    if (!check_year(call->body, (int)year, days, &n, p) ||
        (if_match && http_if_match_version(call, &version, p) != APP_OK) ||
        (db = api_db(p)) == NULL || (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    p->err = calendar_store_year_head(db, (int)year, &head);
    if (p->err == APP_OK && ((p->err = calendar_store_year(db, (int)year, &before)) != APP_OK ||
                             (cur = api_parse(head, p)) == NULL)) {
        goto cleanup;
    }
    if (p->err != APP_OK && p->err != APP_ERR_NOT_FOUND) {
        goto cleanup;
    }
    int current = cur != NULL ? (int)json_integer_value(json_object_get(cur, "version")) : 0;
    if (cur != NULL && !if_match) {
        problem_set(p, APP_ERR_PRECONDITION_REQUIRED,
                    "%ld is loaded already: send If-Match: \"%d\" to replace it", year, current);
        goto cleanup;
    }
    if (version != current) {
        problem_set(p, APP_ERR_PRECONDITION_FAILED,
                    "the year changed (ETag \"%d\"); GET /v1/calendar/years again", current);
        goto cleanup;
    }
    snprintf(source, sizeof(source), "%s%s",
             given ? "" : "api:", given ? given : call->who.username);
    snprintf(id, sizeof(id), "%ld", year);
    p->err = calendar_store_prune_year(db, (int)year, days, n);
    for (size_t i = 0; p->err == APP_OK && i < n; i++) {
        p->err =
            calendar_store_upsert_day(db, days[i].day, days[i].is_workday, days[i].name, source);
    }
    if (p->err != APP_OK ||
        (p->err = calendar_store_upsert_year(db, (int)year, source)) != APP_OK ||
        (p->err = calendar_store_year(db, (int)year, &after)) != APP_OK ||
        (p->err = api_audit(call, db, cur ? "calendar.year_replace" : "calendar.year_load",
                            "calendar_year", id, before, after)) != APP_OK ||
        (obj = api_parse(after, p)) == NULL || (p->err = db_commit(db)) != APP_OK) {
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
    json_decref(cur);
    json_decref(obj);
    free(days);
    free(before);
    free(after);
    free(head);
    return p->err;
}
