/* SPDX-License-Identifier: MIT */
/*
 * The working-day calendar. A date is an int32_t day number (days since
 * 1970-01-01, common/civil_time.h). A calendar knows which
 * years have State Council data and which days those schedules list; a
 * date in a year without data is an error, never a guess.
 */
#ifndef JIANGXIN_WORKDAYS_H
#define JIANGXIN_WORKDAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app_err.h"
#include "civil_time.h" /* dates: date_parse, date_format, ... */

#define CALENDAR_YEAR_MIN   1900 /* calendar_add_year() bounds, as calendar_years in SQL */
#define CALENDAR_YEAR_MAX   2999
#define WORKDAYS_MAX        250 /* workdays_after() limit on n */
#define HOLIDAY_CN_DAYS_MAX 400 /* entries accepted from one holiday-cn file */
#define HOLIDAY_CN_NAME_MAX 64  /* bytes of a holiday name, NUL included */

/* ---- Calendar ---- */

struct calendar_day {
    int32_t day;
    bool is_workday;
};

struct calendar {
    unsigned char years[(CALENDAR_YEAR_MAX - CALENDAR_YEAR_MIN + 8) / 8]; /* bitmap */
    struct calendar_day *days; /* sorted by day, no duplicates; owned */
    size_t n_days;
    size_t cap_days;
};

/* An empty calendar: no years known, no days listed. */
void calendar_init(struct calendar *cal);

/* Frees the listed days and leaves an empty calendar. NULL-safe. */
void calendar_clear(struct calendar *cal);

/* Marks `year` as having data. APP_ERR_VALIDATION outside CALENDAR_YEAR_MIN..MAX. */
enum app_err calendar_add_year(struct calendar *cal, int year);

/*
 * Lists `day` as a working day or a day off, replacing an earlier entry.
 * Does not mark the day's year as known. APP_ERR_INTERNAL when out of memory.
 */
enum app_err calendar_set_day(struct calendar *cal, int32_t day, bool is_workday);

/* Whether `year` has data (false outside CALENDAR_YEAR_MIN..MAX). */
bool calendar_has_year(const struct calendar *cal, int year);

/*
 * Whether `day` is a working day: a listed day has its flag, any other
 * Monday-Friday is a working day and Saturday-Sunday is not.
 * APP_ERR_CALENDAR_MISSING when the day's year has no data.
 */
enum app_err calendar_is_workday(const struct calendar *cal, int32_t day, bool *ret);

/*
 * The first `n` (1..WORKDAYS_MAX) working days strictly after `from`, into
 * ret_days[0..n-1]: the publication day never counts (民法典 Art. 201).
 * APP_ERR_VALIDATION for n out of range. APP_ERR_CALENDAR_MISSING when the
 * count reaches a year without data; that year goes to *ret_missing_year
 * (if not NULL) and ret_days is untouched.
 */
enum app_err workdays_after(
    const struct calendar *cal, int32_t from, int n, int32_t *ret_days, int *ret_missing_year);

/* ---- holiday-cn files (github.com/NateScarlet/holiday-cn) ---- */

struct holiday_cn_day {
    int32_t day;
    bool is_workday; /* !isOffDay: true for an adjusted workday (调休上班) */
    char name[HOLIDAY_CN_NAME_MAX];
};

/*
 * Parses one holiday-cn file: {"year": Y, "days": [{"name", "date",
 * "isOffDay"}, ...]}; other members are ignored. Entries stay in file
 * order and may lie outside Y (2023.json lists 2022-12-31). Refused with
 * APP_ERR_VALIDATION and a message in errbuf (if not NULL): invalid JSON,
 * year outside CALENDAR_YEAR_MIN..MAX, an empty `days` (upstream's
 * placeholder for a year not yet published), more than HOLIDAY_CN_DAYS_MAX
 * entries, a bad member, a name of HOLIDAY_CN_NAME_MAX bytes or more, or a
 * date listed twice. APP_ERR_INTERNAL when out of memory. On success the
 * caller frees *ret_days with free(); on failure the outputs are untouched.
 */
enum app_err holiday_cn_parse(const char *json,
                              size_t len,
                              int *ret_year,
                              struct holiday_cn_day **ret_days,
                              size_t *ret_n,
                              char *errbuf,
                              size_t errlen);

/*
 * Parses a holiday-cn file with holiday_cn_parse(), lists all its days and
 * marks its `year` (only that year) as known. All or nothing: on failure
 * the calendar is unchanged. *ret_year (if not NULL) gets the file's year.
 */
enum app_err calendar_load_holiday_cn(
    struct calendar *cal, const char *json, size_t len, int *ret_year, char *errbuf, size_t errlen);

#endif
