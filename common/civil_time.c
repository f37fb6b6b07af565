/* SPDX-License-Identifier: MIT */
/*
 * Civil time (see civil_time.h). Day numbers follow Howard Hinnant's
 * days_from_civil / civil_from_days; instants are Unix milliseconds and are
 * always rendered in Asia/Shanghai. Parsers are strict on purpose:
 * `2026-1-05` or a missing offset is refused, not repaired.
 */
#include "civil_time.h"

#include <stdio.h>
#include <string.h>

#define DURATION_MONTHS_MAX (100 * 12)
#define DURATION_MS_MAX     (36500LL * DAY_MS)

/* ---- Dates ---- */

bool date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return m == 2 && date_is_leap(y) ? 29 : dim[m - 1];
}

/*
 * days_from_civil: count from 0000-03-01 in 400-year eras (146097 days),
 * so the leap day is the last day of its "year" and needs no special case;
 * 719468 shifts the epoch to 1970-01-01.
 */
int32_t date_make(int y, int m, int d)
{
    long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

/* The inverse, civil_from_days, from the same paper. */
void date_split(int32_t day, int *y, int *m, int *d)
{
    long z = (long)day + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long month = mp < 10 ? mp + 3 : mp - 9;

    *y = (int)(yoe + era * 400 + (month <= 2));
    *m = (int)month;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
}

/* 1970-01-01 was a Thursday (4). */
int date_weekday(int32_t day)
{
    int r = (int)(day % 7);

    if (r < 0) {
        r += 7;
    }
    return (r + 3) % 7 + 1;
}

static bool digits(const char *s, int n, int *ret)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *ret = v;
    return true;
}

bool date_parse(const char *s, int32_t *ret)
{
    int y, m, d;

    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
        !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d)) {
        return false;
    }
    if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || m < 1 || m > 12 || d < 1 ||
        d > date_days_in_month(y, m)) {
        return false;
    }
    *ret = date_make(y, m, d);
    return true;
}

/* Written by hand rather than with snprintf so the width is provably 10. */
void date_format(int32_t day, char out[11])
{
    int y, m, d;

    date_split(day, &y, &m, &d);
    if (y < 0 || y > 9999) {
        memcpy(out, "\?\?\?\?-\?\?-\?\?", 11); /* escaped: not trigraphs */
        return;
    }
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

int32_t date_add_months(int32_t day, int months)
{
    int y, m, d;

    date_split(day, &y, &m, &d);
    long idx = (long)y * 12 + (m - 1) + months;
    long ny = idx >= 0 ? idx / 12 : (idx - 11) / 12;
    int nm = (int)(idx - ny * 12) + 1;
    int dim = date_days_in_month((int)ny, nm);
    return date_make((int)ny, nm, d > dim ? dim : d);
}

static long long floor_div(long long a, long long b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

int32_t date_of_ms(long long ms)
{
    return (int32_t)floor_div(ms + SHANGHAI_OFFSET_MS, DAY_MS);
}

long long date_start_ms(int32_t day)
{
    return (long long)day * DAY_MS - SHANGHAI_OFFSET_MS;
}

/* ---- RFC 3339 ---- */

bool rfc3339_parse(const char *t, long long *ret_ms)
{
    int y, mo, d, h, mi, s, oh = 0, om = 0, ms = 0;
    const char *p;

    if (t == NULL || strlen(t) < 20 || !digits(t, 4, &y) || t[4] != '-' || !digits(t + 5, 2, &mo) ||
        t[7] != '-' || !digits(t + 8, 2, &d) || (t[10] != 'T' && t[10] != 't') ||
        !digits(t + 11, 2, &h) || t[13] != ':' || !digits(t + 14, 2, &mi) || t[16] != ':' ||
        !digits(t + 17, 2, &s)) {
        return false;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > date_days_in_month(y, mo) || h > 23 || mi > 59 ||
        s > 59) {
        return false;
    }
    p = t + 19;
    if (*p == '.') {
        int n = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, n++) {
            if (n < 3) {
                ms = ms * 10 + (*p - '0');
            }
        }
        if (n == 0) {
            return false;
        }
        for (; n < 3; n++) {
            ms *= 10;
        }
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh) && p[3] == ':' &&
               digits(p + 4, 2, &om) && oh <= 23 && om <= 59) {
        int sign = *p == '+' ? 1 : -1;
        oh *= sign;
        om *= sign;
        p += 6;
    } else {
        return false;
    }
    if (*p != '\0') {
        return false;
    }
    long long secs = (long long)date_make(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + s -
                     (oh * 3600LL + om * 60LL);
    *ret_ms = secs * 1000 + ms;
    return true;
}

void rfc3339_format(long long ms, bool millis, char out[RFC3339_TEXT_MAX])
{
    int32_t day = date_of_ms(ms);
    long long rem = ms + SHANGHAI_OFFSET_MS - (long long)day * DAY_MS;
    int y, m, d;

    date_split(day, &y, &m, &d);
    int hh = (int)(rem / 3600000), mm = (int)(rem / 60000 % 60), ss = (int)(rem / 1000 % 60);
    if (millis) {
        snprintf(out, RFC3339_TEXT_MAX, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+08:00", y, m, d, hh, mm,
                 ss, (int)(rem % 1000));
    } else {
        snprintf(out, RFC3339_TEXT_MAX, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, m, d, hh, mm, ss);
    }
}

/* ---- ISO 8601 durations ---- */

/* One `<digits>[.<digits>]<unit>` part; the fraction (in thousandths) only
 * where allowed. False on a malformed part or a number over 10^9. */
static bool
duration_part(const char **pp, bool fraction_ok, long long *ret_n, int *ret_milli, char *ret_unit)
{
    const char *p = *pp;
    long long n = 0;
    int milli = 0, k = 0;

    if (*p < '0' || *p > '9') {
        return false;
    }
    for (; *p >= '0' && *p <= '9'; p++) {
        n = n * 10 + (*p - '0');
        if (n > 1000000000LL) {
            return false;
        }
    }
    if (*p == '.' || *p == ',') {
        if (!fraction_ok || p[1] < '0' || p[1] > '9') {
            return false;
        }
        for (p++; *p >= '0' && *p <= '9'; p++, k++) {
            if (k < 3) {
                milli = milli * 10 + (*p - '0');
            }
        }
        for (; k < 3; k++) {
            milli *= 10;
        }
    }
    if (*p == '\0') {
        return false;
    }
    *ret_unit = *p;
    *pp = p + 1;
    *ret_n = n;
    *ret_milli = milli;
    return true;
}

bool duration_parse(const char *text, struct duration *ret)
{
    static const char date_units[] = "YMWD";
    static const char time_units[] = "HMS";
    const char *p = text;
    long long months = 0, millis = 0, n;
    int sign = 1, milli, last = -1, parts = 0;
    bool in_time = false;
    char unit;

    if (p == NULL) {
        return false;
    }
    if (*p == '-') {
        sign = -1;
        p++;
    }
    if (*p++ != 'P') {
        return false;
    }
    while (*p != '\0') {
        if (*p == 'T') {
            if (in_time || p[1] == '\0') {
                return false;
            }
            in_time = true;
            last = -1;
            p++;
            continue;
        }
        const char *units = in_time ? time_units : date_units;
        if (!duration_part(&p, in_time, &n, &milli, &unit) || strchr(units, unit) == NULL) {
            return false;
        }
        int pos = (int)(strchr(units, unit) - units);
        if (pos <= last || (milli != 0 && unit != 'S')) {
            return false; /* out of order, repeated, or a fraction not on seconds */
        }
        last = pos;
        parts++;
        switch (in_time ? unit + 256 : unit) {
        case 'Y':
            months += n * 12;
            break;
        case 'M':
            months += n;
            break;
        case 'W':
            millis += n * 7 * DAY_MS;
            break;
        case 'D':
            millis += n * DAY_MS;
            break;
        case 'H' + 256:
            millis += n * 3600000LL;
            break;
        case 'M' + 256:
            millis += n * 60000LL;
            break;
        default: /* 'S' + 256 */
            millis += n * 1000LL + milli;
            break;
        }
        if (months > DURATION_MONTHS_MAX || millis > DURATION_MS_MAX) {
            return false;
        }
    }
    if (parts == 0) {
        return false;
    }
    ret->months = (int)(sign * months);
    ret->millis = sign * millis;
    return true;
}

long long duration_apply(long long ms, const struct duration *d)
{
    if (d->months != 0) {
        int32_t day = date_of_ms(ms);
        long long into_day = ms - date_start_ms(day);
        ms = date_start_ms(date_add_months(day, d->months)) + into_day;
    }
    return ms + d->millis;
}
