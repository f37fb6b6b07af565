/* SPDX-License-Identifier: MIT */
/*
 * The operator's warnings (GET /v1/system/status, `jiangxin-api status`):
 * time-bound data that runs out. Pure: the caller passes today, the loaded
 * calendar years and every policy version. Each warning has a stable code:
 *
 *   calendar_missing     critical  today's year has no calendar data
 *   calendar_ending      warning   the calendar ends within
 *                                  STATUS_CALENDAR_DAYS days
 *   policy_expired       critical  a programme's latest version has ended
 *                                  and no version is in force or upcoming
 *   policy_expiring      warning   the version in force ends within
 *                                  STATUS_POLICY_DAYS days and no version
 *                                  is in force on the day after
 *   test_clock_on        warning   JIANGXIN_TEST_CLOCK is set
 */
#ifndef JIANGXIN_STATUS_H
#define JIANGXIN_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "store/policy_version_store.h"

#define STATUS_CALENDAR_DAYS 60
#define STATUS_POLICY_DAYS   90

/*
 * The last day of the calendar data that today can count on: Dec 31 of the
 * last year in the unbroken run of loaded years that holds today's year.
 * -1 when today's year itself is not loaded. `years` is a JSON array of
 * integers in any order.
 */
int32_t status_calendar_end(int32_t today, const json_t *years);

/*
 * The warnings, most severe first, as a new JSON array of objects {code,
 * severity ("critical" | "warning"), message (zh), message_en, and the
 * figures: year, last_day, days_left, programme, number, document_no,
 * in_force_to, article, now as they apply}. `versions` is a JSON array of
 * {programme, number, document_no, in_force_from, in_force_to, article}
 * (policy_version_store_all); `clock_now` is the clock's RFC 3339 text, or
 * NULL when the test clock is off. NULL only when out of memory.
 */
json_t *
status_warnings(int32_t today, const json_t *years, const json_t *versions, const char *clock_now);

#endif
