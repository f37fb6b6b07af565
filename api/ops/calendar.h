/* SPDX-License-Identifier: MIT */
/*
 * The working-day calendar's writes: an admin's correction of one day and
 * a whole year in the holiday-cn format, each audited; the one refusal for
 * a date in a year without data; a day's representation. No HTTP here;
 * the caller holds the transaction open and commits.
 */
#ifndef JIANGXIN_OPS_CALENDAR_H
#define JIANGXIN_OPS_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ops.h"
#include "workdays.h"

/* 422 calendar_unavailable naming the year and how an admin loads it,
 * with `missing_year` as an extension member. Returns p->err. */
enum app_err calendar_missing(struct problem *p, int year);

/* The Nth working day strictly after `from` (a notice of n working days
 * published on `from` ends at 24:00 of that day). 422 calendar-unavailable
 * (naming the year) when the calendar has no data for a year it needs. */
enum app_err
calendar_workdays_end(struct db *db, int32_t from, int n, int32_t *ret_end, struct problem *p);

/* The day's representation (a new reference): its row when listed, else
 * the weekday rule (version 0, the ETag a first PUT must send). */
enum app_err calendar_day_json(struct db *db, int32_t day, json_t **ret, struct problem *p);

/* Lists `day` (a working day or not, named) if its version is still
 * `version` (412 stale_etag otherwise). Audited. */
enum app_err calendar_day_put(const struct op_ctx *ctx,
                              int32_t day,
                              int version,
                              bool is_workday,
                              const char *name,
                              char **ret_json,
                              struct problem *p);

struct calendar_year_input {
    int year;
    const struct holiday_cn_day *days; /* checked: all in `year`, no date twice */
    size_t n;
    const char *source; /* NULL: "api:" and the actor's username */
    bool if_match;      /* the caller sent If-Match */
    int version;        /* its version (0 without) */
};

/* Replaces the year's listed days: days listed before and now keep their
 * row, days no longer listed go. A loaded year needs If-Match (428
 * year_loaded) with its version (412 stale_etag). *ret_created is true
 * when the year was new. Audited. */
enum app_err calendar_year_put(const struct op_ctx *ctx,
                               const struct calendar_year_input *in,
                               char **ret_json,
                               bool *ret_created,
                               struct problem *p);

#endif
