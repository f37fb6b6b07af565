/* SPDX-License-Identifier: MIT */
/*
 * The working-day calendar and the holiday-cn file parser (see
 * workdays.h). The calendar is a year bitmap plus a sorted array of the
 * days a State Council schedule lists (about 35 a year), searched by
 * bisection; every other day follows the Monday-Friday rule.
 */
#include "workdays.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* ---- Calendar ---- */

void calendar_init(struct calendar *cal)
{
    memset(cal, 0, sizeof(*cal));
}

void calendar_clear(struct calendar *cal)
{
    if (cal == NULL)
        return;
    free(cal->days);
    calendar_init(cal);
}

enum app_err calendar_add_year(struct calendar *cal, int year)
{
    int bit;

    if (year < CALENDAR_YEAR_MIN || year > CALENDAR_YEAR_MAX)
        return APP_ERR_VALIDATION;
    bit = year - CALENDAR_YEAR_MIN;
    cal->years[bit / 8] |= (unsigned char)(1u << (bit % 8));
    return APP_OK;
}

bool calendar_has_year(const struct calendar *cal, int year)
{
    int bit;

    if (year < CALENDAR_YEAR_MIN || year > CALENDAR_YEAR_MAX)
        return false;
    bit = year - CALENDAR_YEAR_MIN;
    return (cal->years[bit / 8] >> (bit % 8)) & 1u;
}

/* Index of the first listed day >= `day` (n_days when there is none). */
static size_t calendar_lower_bound(const struct calendar *cal, int32_t day)
{
    size_t lo = 0, hi = cal->n_days, mid;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (cal->days[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * Makes room for `extra` more days up front, so that a whole file can be
 * loaded after one allocation and a load is all or nothing.
 */
static enum app_err calendar_reserve(struct calendar *cal, size_t extra)
{
    size_t cap = cal->cap_days;
    struct calendar_day *days;

    if (extra > SIZE_MAX / sizeof(*days) - cal->n_days)
        return APP_ERR_INTERNAL;
    if (cal->n_days + extra <= cap)
        return APP_OK;
    if (cap < 64)
        cap = 64;
    while (cap < cal->n_days + extra)
        cap = cap > SIZE_MAX / sizeof(*days) / 2 ? cal->n_days + extra : cap * 2;
    days = realloc(cal->days, cap * sizeof(*days));
    if (days == NULL)
        return APP_ERR_INTERNAL;
    cal->days = days;
    cal->cap_days = cap;
    return APP_OK;
}

enum app_err calendar_set_day(struct calendar *cal, int32_t day, bool is_workday)
{
    size_t i = calendar_lower_bound(cal, day);
    enum app_err err;

    if (i < cal->n_days && cal->days[i].day == day) {
        cal->days[i].is_workday = is_workday;
        return APP_OK;
    }
    err = calendar_reserve(cal, 1);
    if (err != APP_OK)
        return err;
    memmove(&cal->days[i + 1], &cal->days[i], (cal->n_days - i) * sizeof(*cal->days));
    cal->days[i].day = day;
    cal->days[i].is_workday = is_workday;
    cal->n_days++;
    return APP_OK;
}

enum app_err calendar_is_workday(const struct calendar *cal, int32_t day, bool *ret)
{
    int y, m, d;
    size_t i;

    date_split(day, &y, &m, &d);
    if (!calendar_has_year(cal, y))
        return APP_ERR_CALENDAR_MISSING;
    i = calendar_lower_bound(cal, day);
    if (i < cal->n_days && cal->days[i].day == day)
        *ret = cal->days[i].is_workday;
    else
        *ret = date_weekday(day) <= 5;
    return APP_OK;
}

/*
 * Terminates: years past CALENDAR_YEAR_MAX are never known, so a calendar
 * whose known years had no working days at all would still stop there.
 * Art. 203 (a period ending on a holiday moves to the next working day)
 * needs no code, because the last day counted is always a working day.
 */
enum app_err workdays_after(
    const struct calendar *cal, int32_t from, int n, int32_t *ret_days, int *ret_missing_year)
{
    int32_t found[WORKDAYS_MAX];
    int32_t day = from;
    int k = 0, y, m, d;
    bool work;

    if (n < 1 || n > WORKDAYS_MAX)
        return APP_ERR_VALIDATION;
    while (k < n) {
        if (day == INT32_MAX)
            return APP_ERR_VALIDATION;
        day++;
        if (calendar_is_workday(cal, day, &work) != APP_OK) {
            date_split(day, &y, &m, &d);
            if (ret_missing_year != NULL)
                *ret_missing_year = y;
            return APP_ERR_CALENDAR_MISSING;
        }
        if (work)
            found[k++] = day;
    }
    memcpy(ret_days, found, (size_t)n * sizeof(*found));
    return APP_OK;
}

/* ---- holiday-cn files ---- */

static void set_err(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *errbuf, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (errbuf == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(errbuf, errlen, fmt, ap);
    va_end(ap);
}

/* One `days[]` entry; `i` only names it in the message. */
static bool holiday_cn_parse_day(
    json_t *entry, size_t i, struct holiday_cn_day *ret, char *errbuf, size_t errlen)
{
    json_t *date = json_object_get(entry, "date");
    json_t *off = json_object_get(entry, "isOffDay");
    json_t *name = json_object_get(entry, "name");
    size_t name_len;

    if (!json_is_object(entry)) {
        set_err(errbuf, errlen, "days[%zu]: not an object", i);
        return false;
    }
    if (!json_is_string(date) || json_string_length(date) != 10 ||
        !date_parse(json_string_value(date), &ret->day)) {
        set_err(errbuf, errlen, "days[%zu].date: not a YYYY-MM-DD date", i);
        return false;
    }
    if (!json_is_boolean(off)) {
        set_err(errbuf, errlen, "days[%zu].isOffDay: not a boolean", i);
        return false;
    }
    ret->is_workday = !json_is_true(off);
    /* jansson strings may hold U+0000; a name with one would be cut short. */
    name_len = json_string_length(name);
    if (!json_is_string(name) || strlen(json_string_value(name)) != name_len) {
        set_err(errbuf, errlen, "days[%zu].name: not a string", i);
        return false;
    }
    if (name_len >= sizeof(ret->name)) {
        set_err(errbuf, errlen, "days[%zu].name: longer than %d bytes", i, HOLIDAY_CN_NAME_MAX - 1);
        return false;
    }
    memcpy(ret->name, json_string_value(name), name_len + 1);
    return true;
}

/*
 * An empty `days` is refused: upstream publishes an empty placeholder for
 * the coming year before the State Council notice, and loading it would
 * make that year look known with no holidays. A date listed twice is
 * refused so a store can insert the listing without conflicts.
 */
enum app_err holiday_cn_parse(const char *json,
                              size_t len,
                              int *ret_year,
                              struct holiday_cn_day **ret_days,
                              size_t *ret_n,
                              char *errbuf,
                              size_t errlen)
{
    enum app_err err = APP_ERR_VALIDATION;
    struct holiday_cn_day *days = NULL;
    json_error_t jerr;
    json_t *root, *year, *list;
    size_t n = 0, i, j;

    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        set_err(errbuf, errlen, "invalid JSON at line %d column %d: %s", jerr.line, jerr.column,
                jerr.text);
        return APP_ERR_VALIDATION;
    }
    year = json_object_get(root, "year");
    list = json_object_get(root, "days");
    if (!json_is_integer(year) || json_integer_value(year) < CALENDAR_YEAR_MIN ||
        json_integer_value(year) > CALENDAR_YEAR_MAX) {
        set_err(errbuf, errlen, "year: not an integer in %d..%d", CALENDAR_YEAR_MIN,
                CALENDAR_YEAR_MAX);
        goto cleanup;
    }
    if (!json_is_array(list) || json_array_size(list) == 0) {
        set_err(errbuf, errlen, "days: not a non-empty array (placeholder file?)");
        goto cleanup;
    }
    n = json_array_size(list);
    if (n > HOLIDAY_CN_DAYS_MAX) {
        set_err(errbuf, errlen, "days: more than %d entries", HOLIDAY_CN_DAYS_MAX);
        goto cleanup;
    }
    days = malloc(n * sizeof(*days));
    if (days == NULL) {
        set_err(errbuf, errlen, "out of memory");
        err = APP_ERR_INTERNAL;
        goto cleanup;
    }
    for (i = 0; i < n; i++) {
        if (!holiday_cn_parse_day(json_array_get(list, i), i, &days[i], errbuf, errlen))
            goto cleanup;
        for (j = 0; j < i; j++) {
            if (days[j].day == days[i].day) {
                set_err(errbuf, errlen, "days[%zu].date: also listed at days[%zu]", i, j);
                goto cleanup;
            }
        }
    }
    *ret_year = (int)json_integer_value(year);
    *ret_days = days;
    *ret_n = n;
    days = NULL;
    err = APP_OK;
cleanup:
    free(days);
    json_decref(root);
    return err;
}

enum app_err calendar_load_holiday_cn(
    struct calendar *cal, const char *json, size_t len, int *ret_year, char *errbuf, size_t errlen)
{
    struct holiday_cn_day *days = NULL;
    size_t n = 0, i;
    int year;
    enum app_err err;

    err = holiday_cn_parse(json, len, &year, &days, &n, errbuf, errlen);
    if (err != APP_OK)
        return err;
    /* After this reservation calendar_set_day() cannot fail. */
    err = calendar_reserve(cal, n);
    if (err != APP_OK) {
        set_err(errbuf, errlen, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < n; i++)
        calendar_set_day(cal, days[i].day, days[i].is_workday);
    calendar_add_year(cal, year); /* in range: holiday_cn_parse() checked it */
    if (ret_year != NULL)
        *ret_year = year;
cleanup:
    free(days);
    return err;
}
