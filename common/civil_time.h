/* SPDX-License-Identifier: MIT */
/*
 * Civil time for both services, written once: calendar dates as day
 * numbers, RFC 3339 instants, ISO 8601 durations, and Asia/Shanghai (UTC+8
 * all year, no DST since 1991), the zone every business date is in. Pure:
 * no clock, no I/O (the clock is clock.h).
 */
#ifndef JIANGXIN_CIVIL_TIME_H
#define JIANGXIN_CIVIL_TIME_H

#include <stdbool.h>
#include <stdint.h>

#define DATE_YEAR_MIN      1800 /* date_parse() bounds */
#define DATE_YEAR_MAX      2999
#define SHANGHAI_OFFSET_MS (8LL * 3600 * 1000)
#define DAY_MS             86400000LL
#define RFC3339_TEXT_MAX   40 /* "2026-11-21T09:30:00.123+08:00" and a NUL, with room */

/* ---- Dates: int32_t day numbers, days since 1970-01-01 (proleptic Gregorian) ---- */

bool date_is_leap(int y);
/* Days in month m (1-12) of year y. */
int date_days_in_month(int y, int m);

/*
 * Parses exactly `YYYY-MM-DD` (10 characters, a real date, year
 * DATE_YEAR_MIN..DATE_YEAR_MAX). Returns false and leaves *ret alone
 * otherwise, including for NULL.
 */
bool date_parse(const char *s, int32_t *ret);

/* Writes `day` as `YYYY-MM-DD` and a NUL (years 0..9999). */
void date_format(int32_t day, char out[11]);

/* Year, month (1-12) and day of month of `day`; no pointer may be NULL. */
void date_split(int32_t day, int *y, int *m, int *d);

/* Day number of y-m-d; the caller passes a real date. */
int32_t date_make(int y, int m, int d);

/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int date_weekday(int32_t day);

/* `day` plus `months` calendar months; a day past the target month's end
 * becomes its last day (01-31 + 1 month = 02-28 or 02-29). */
int32_t date_add_months(int32_t day, int months);

/* The Asia/Shanghai date of a Unix instant in milliseconds. */
int32_t date_of_ms(long long ms);

/* The instant 00:00 Asia/Shanghai of `day` begins, in Unix milliseconds. */
long long date_start_ms(int32_t day);

/* ---- RFC 3339 instants, Unix milliseconds ---- */

/*
 * Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)` (a `t` or `z` in lower
 * case too; fraction digits beyond milliseconds are dropped). False for
 * anything else, including NULL; *ret_ms is then untouched.
 */
bool rfc3339_parse(const char *text, long long *ret_ms);

/* Asia/Shanghai: "2026-11-21T09:30:00+08:00", or with ".123" when millis. */
void rfc3339_format(long long ms, bool millis, char out[RFC3339_TEXT_MAX]);

/* ---- ISO 8601 durations ---- */

struct duration {
    int months;       /* from Y (12 each) and M before T */
    long long millis; /* from W, D, and H, M, S after T (a day is 24 h) */
};

/*
 * Parses `[-]PnYnMnWnDTnHnMn[.f]S` (each part optional, at least one, T only
 * before a time part, the fraction only on seconds, up to milliseconds).
 * A leading `-` negates every part. Bounded to ±100 years (months) and
 * ±36500 days (millis). False for anything else, *ret untouched.
 */
bool duration_parse(const char *text, struct duration *ret);

/* `ms` moved by `d`: the months on the Asia/Shanghai calendar first (the
 * wall-clock time kept, the day clamped to the month's end), then the
 * fixed part. */
long long duration_apply(long long ms, const struct duration *d);

#endif
