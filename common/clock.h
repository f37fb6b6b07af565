/* SPDX-License-Identifier: MIT */
/*
 * The service's one clock. Every business rule takes "now" and "today"
 * (Asia/Shanghai) from here, and SQL and Lua receive it as a parameter.
 * Production reads the system clock. A test or demo stack may turn on the
 * test clock (JIANGXIN_TEST_CLOCK): it is the system clock plus an offset
 * that an administrator sets or advances over HTTP, so time keeps running
 * from wherever it was put. Without it nothing can move the clock.
 *
 * Security timers (token lifetimes, sign-in throttling, Idempotency-Key
 * retention, connection timeouts) keep real time on purpose: moving a test
 * clock by two years must not expire every session.
 */
#ifndef JIANGXIN_CLOCK_H
#define JIANGXIN_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app_err.h"

/* The range the test clock may be set to. */
#define CLOCK_MIN_MS 1577808000000LL /* 2020-01-01T00:00:00+08:00 */
#define CLOCK_MAX_MS 4102416000000LL /* 2100-01-01T00:00:00+08:00 */

/* What both services say of JIANGXIN_TEST_CLOCK: its help text and the
 * message for a value clock_configure() refuses. */
#define CLOCK_SETTING_HELP \
    "test and demo stacks only: 1, or the RFC 3339 instant the test clock starts at"
#define CLOCK_SETTING_ERROR \
    "JIANGXIN_TEST_CLOCK: must be 1 or an RFC 3339 date-time from 2020 to 2099\n"

/*
 * Reads the JIANGXIN_TEST_CLOCK setting: NULL, "" or "0" is off; "1" turns
 * the test clock on at the real time; an RFC 3339 instant turns it on
 * there. False for any other value (the caller reports it). Call once,
 * before any thread starts.
 */
bool clock_configure(const char *setting);

/* Logs a warning when the test clock is on (call once logging is set up). */
void clock_log_start(void);

/* Whether the test clock is on. */
bool clock_is_test(void);

/* Now, in Unix milliseconds / seconds. */
long long clock_now_ms(void);
long long clock_now_s(void);

/* Today's date in Asia/Shanghai (a day number, civil_time.h). */
int32_t clock_today(void);

/* The test clock's offset from the system clock (0 when it is off). */
long long clock_offset_ms(void);

/* Sets the test clock to `ms` (time runs on from there).
 * APP_ERR_NOT_FOUND when the test clock is off; APP_ERR_VALIDATION when
 * `ms` lies outside CLOCK_MIN_MS..CLOCK_MAX_MS (nothing changes). */
enum app_err clock_set_ms(long long ms);

/* How many times the clock has been set (clock_set_ms): what was decided
 * at an earlier count may no longer hold for "now" (a cache keyed on time). */
uint64_t clock_epoch(void);

/* {"now", "today", "test_clock", "offset_seconds"}: the clock's state as
 * GET /v1/system/clock and /readyz show it (a new reference). */
json_t *clock_to_json(void);

#endif
