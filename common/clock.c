/* SPDX-License-Identifier: MIT */
/*
 * The clock (see clock.h): CLOCK_REALTIME plus an atomic offset that only
 * the test clock may change. Reading it costs one clock_gettime and one
 * relaxed load, so every request may ask.
 */
#include "clock.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "civil_time.h"
#include "log.h"

static bool test_clock;
static _Atomic long long offset_ms;
static atomic_uint_fast64_t epoch;

static long long real_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool clock_configure(const char *setting)
{
    long long start;

    test_clock = false;
    atomic_store(&offset_ms, 0);
    if (setting == NULL || setting[0] == '\0' || strcmp(setting, "0") == 0) {
        return true;
    }
    if (strcmp(setting, "1") == 0) {
        test_clock = true;
        return true;
    }
    if (!rfc3339_parse(setting, &start) || start < CLOCK_MIN_MS || start >= CLOCK_MAX_MS) {
        return false;
    }
    test_clock = true;
    atomic_store(&offset_ms, start - real_ms());
    return true;
}

void clock_log_start(void)
{
    char now[RFC3339_TEXT_MAX];

    if (test_clock) {
        rfc3339_format(clock_now_ms(), false, now);
        log_warn("TEST CLOCK ON (JIANGXIN_TEST_CLOCK): now is %s, %lld s from the system clock; "
                 "an admin may move it over HTTP. Never use it in production.",
                 now, clock_offset_ms() / 1000);
    }
}

bool clock_is_test(void)
{
    return test_clock;
}

long long clock_now_ms(void)
{
    return real_ms() + atomic_load_explicit(&offset_ms, memory_order_relaxed);
}

long long clock_now_s(void)
{
    long long ms = clock_now_ms();

    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

int32_t clock_today(void)
{
    return date_of_ms(clock_now_ms());
}

long long clock_offset_ms(void)
{
    return atomic_load_explicit(&offset_ms, memory_order_relaxed);
}

enum app_err clock_set_ms(long long ms)
{
    if (!test_clock) {
        return APP_ERR_NOT_FOUND;
    }
    if (ms < CLOCK_MIN_MS || ms >= CLOCK_MAX_MS) {
        return APP_ERR_VALIDATION;
    }
    atomic_store(&offset_ms, ms - real_ms());
    atomic_fetch_add(&epoch, 1);
    return APP_OK;
}

uint64_t clock_epoch(void)
{
    return atomic_load(&epoch);
}

json_t *clock_to_json(void)
{
    long long now = clock_now_ms();
    char text[RFC3339_TEXT_MAX], today[11];

    rfc3339_format(now, true, text);
    date_format(date_of_ms(now), today);
    return json_pack("{s:s, s:s, s:b, s:I}", "now", text, "today", today, "test_clock", test_clock,
                     "offset_seconds", (json_int_t)(clock_offset_ms() / 1000));
}
