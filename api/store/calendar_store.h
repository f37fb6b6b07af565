/* SPDX-License-Identifier: MIT */
/*
 * The store of the working-day calendar: what ops and handlers call. JSON-returning functions
 * give the representation (an api_* function of db/functions) as malloc'd
 * text; NOT_FOUND when there is no such row; lists return a JSON array
 * text and the next cursor. Nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_CALENDAR_STORE_H
#define JIANGXIN_CALENDAR_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

struct calendar;

/* calendar */
enum app_err calendar_store_year(struct db *db, int year, char **ret_json);
/* Loads the known years and the listed days in (from, from + span] into cal. */
enum app_err calendar_store_load(struct db *db, int32_t from, int span_days, struct calendar *cal);
enum app_err calendar_store_day(struct db *db, int32_t day, char **ret_json);
enum app_err calendar_store_put_day(
    struct db *db, int32_t day, int version, bool is_workday, const char *name, char **ret_json);
/* Marks `year` loaded from `source` (version + 1 when it was loaded before). */
enum app_err calendar_store_upsert_year(struct db *db, int year, const char *source);
enum app_err calendar_store_upsert_day(
    struct db *db, int32_t day, bool is_workday, const char *name, const char *source);
/* Every loaded year: a JSON array of {"year", "source", "loaded_at",
 * "listed_days", "version"}, ascending. */
enum app_err calendar_store_years_list(struct db *db, char **ret_array);
/* One loaded year's entry of that list; NOT_FOUND when it is not loaded. */
enum app_err calendar_store_year_head(struct db *db, int year, char **ret_json);
/* Deletes the listed days of `year` that are not among keep[0..n-1]
 * (inside the caller's transaction; upsert the kept ones after). */
struct holiday_cn_day;
enum app_err
calendar_store_prune_year(struct db *db, int year, const struct holiday_cn_day *keep, size_t n);

#endif
