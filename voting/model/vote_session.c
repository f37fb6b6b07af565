/* SPDX-License-Identifier: MIT */
/*
 * Vote sessions (see vote_session.h). The stored doc leaves out closes_at,
 * so that "identical except an earlier closes_at" — the one change allowed
 * once a session has opened — is a plain comparison of two strings in the
 * setup script. Times are kept as Unix milliseconds and always rendered in
 * Asia/Shanghai (UTC+8, no DST).
 */
#include "vote_session.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_fields.h"

#define DAY_MS 86400000LL

bool vote_uuid_valid(const char *s)
{
    if (s == NULL || strlen(s) != 36) {
        return false;
    }
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !(isdigit((unsigned char)s[i]) || (s[i] >= 'a' && s[i] <= 'f'))) {
            return false;
        }
    }
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool digits(const char *s, int n, int *out)
{
    *out = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) {
            return false;
        }
        *out = *out * 10 + (s[i] - '0');
    }
    return true;
}

bool vote_time_parse(const char *t, long long *ret_ms)
{
    static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi, s, oh = 0, om = 0, ms = 0;
    const char *p;

    if (t == NULL || strlen(t) < 20 || !digits(t, 4, &y) || t[4] != '-' || !digits(t + 5, 2, &mo) ||
        t[7] != '-' || !digits(t + 8, 2, &d) || (t[10] != 'T' && t[10] != 't') ||
        !digits(t + 11, 2, &h) || t[13] != ':' || !digits(t + 14, 2, &mi) || t[16] != ':' ||
        !digits(t + 17, 2, &s)) {
        return false;
    }
    if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > mdays[mo - 1] || h > 23 || mi > 59 || s > 59) {
        return false;
    }
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) {
        return false;
    }
    p = t + 19;
    if (*p == '.') {
        int n = 0;
        for (p++; isdigit((unsigned char)*p); p++, n++) {
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
    long long secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400LL + h * 3600LL +
                     mi * 60LL + s - (oh * 3600LL + om * 60LL);
    *ret_ms = secs * 1000 + ms;
    return true;
}

void vote_time_format(long long ms, bool millis, char out[VOTE_TIME_TEXT_MAX])
{
    long long local = ms + VOTE_SHANGHAI_OFFSET_MS;
    long long days = local >= 0 ? local / DAY_MS : (local - DAY_MS + 1) / DAY_MS;
    long long rem = local - days * DAY_MS;
    int y;
    unsigned m, d;

    civil_from_days(days, &y, &m, &d);
    int hh = (int)(rem / 3600000), mm = (int)(rem / 60000 % 60), ss = (int)(rem / 1000 % 60);
    if (millis) {
        snprintf(out, VOTE_TIME_TEXT_MAX, "%04d-%02u-%02uT%02d:%02d:%02d.%03d+08:00", y, m, d, hh,
                 mm, ss, (int)(rem % 1000));
    } else {
        snprintf(out, VOTE_TIME_TEXT_MAX, "%04d-%02u-%02uT%02d:%02d:%02d+08:00", y, m, d, hh, mm,
                 ss);
    }
}

bool vote_stream_id_ms(const char *id, long long *ret_ms)
{
    char *end;
    long long ms;

    if (id == NULL || !isdigit((unsigned char)id[0])) {
        return false;
    }
    ms = strtoll(id, &end, 10);
    if (*end != '-' || !isdigit((unsigned char)end[1])) {
        return false;
    }
    for (const char *p = end + 1; *p; p++) {
        if (!isdigit((unsigned char)*p)) {
            return false;
        }
    }
    *ret_ms = ms;
    return true;
}

enum vote_state
vote_session_state(long long now_ms, long long opens_ms, long long closes_ms, bool sealed)
{
    if (sealed || now_ms >= closes_ms) {
        return VOTE_STATE_CLOSED;
    }
    return now_ms < opens_ms ? VOTE_STATE_SCHEDULED : VOTE_STATE_OPEN;
}

const char *vote_state_name(enum vote_state s)
{
    static const char *const names[] = {"scheduled", "open", "closed"};

    return (unsigned)s < 3 ? names[s] : "closed";
}
