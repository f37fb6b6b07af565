/* SPDX-License-Identifier: MIT */
/*
 * System status (see system_status.h): the loaded calendar years and every
 * policy version from the stores, today from the clock, the warnings from
 * api/model/status.c.
 */
#include "system_status.h"

#include <stdio.h>
#include <stdlib.h>

#include "civil_time.h"
#include "clock.h"
#include "log.h"
#include "ops.h"
#include "status.h"
#include "store/calendar_store.h"
#include "store/policy_version_store.h"

/* [year, ...] from the calendar_store_years_list objects. */
static json_t *year_numbers(const json_t *list)
{
    json_t *out = json_array();
    size_t i;
    json_t *v;

    json_array_foreach(list, i, v)
    {
        json_array_append_new(out, json_copy(json_object_get(v, "year")));
    }
    return out;
}

enum app_err system_status_build(struct db *db, json_t **ret)
{
    char *years_text = NULL, *versions_text = NULL, now[RFC3339_TEXT_MAX], day[11];
    json_t *years_list = NULL, *years = NULL, *versions = NULL, *warnings = NULL;
    enum app_err err;
    int32_t today = clock_today();

    if ((err = calendar_store_years_list(db, &years_text)) != APP_OK ||
        (err = policy_version_store_all(db, &versions_text)) != APP_OK) {
        goto cleanup;
    }
    err = APP_ERR_INTERNAL;
    if ((years_list = ops_json(years_text, NULL)) == NULL ||
        (versions = ops_json(versions_text, NULL)) == NULL ||
        (years = year_numbers(years_list)) == NULL) {
        goto cleanup;
    }
    rfc3339_format(clock_now_ms(), false, now);
    if ((warnings = status_warnings(today, years, versions, clock_is_test() ? now : NULL)) ==
        NULL) {
        goto cleanup;
    }
    int32_t end = status_calendar_end(today, years);
    date_format(end, day);
    json_t *calendar = json_pack("{s:O, s:o}", "years", years, "last_day",
                                 end >= 0 ? json_string(day) : json_null());
    date_format(today, day);
    *ret = json_pack("{s:s, s:s, s:b, s:b, s:o, s:O, s:O}", "today", day, "now", now, "test_clock",
                     clock_is_test(), "ok", json_array_size(warnings) == 0, "calendar", calendar,
                     "policy_versions", versions, "warnings", warnings);
    err = *ret != NULL ? APP_OK : APP_ERR_INTERNAL;

cleanup:
    json_decref(years_list);
    json_decref(years);
    json_decref(versions);
    json_decref(warnings);
    free(years_text);
    free(versions_text);
    return err;
}

/* Unix seconds at 24:00 Asia/Shanghai of a YYYY-MM-DD day; false if not a date. */
static bool day_end_s(const char *text, long long *ret)
{
    int32_t day;

    if (!date_parse(text, &day)) {
        return false;
    }
    *ret = date_start_ms(day + 1) / 1000;
    return true;
}

char *system_status_metrics(const json_t *status)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    long long s;
    size_t i;
    json_t *v;

    if (f == NULL) {
        return NULL;
    }
    fputs("# HELP jiangxin_calendar_last_day_timestamp_seconds When the working-day calendar "
          "data runs out (24:00 of its last day; 0: today's year is missing).\n"
          "# TYPE jiangxin_calendar_last_day_timestamp_seconds gauge\n",
          f);
    const char *last =
        json_string_value(json_object_get(json_object_get(status, "calendar"), "last_day"));
    fprintf(f, "jiangxin_calendar_last_day_timestamp_seconds %lld\n",
            day_end_s(last, &s) ? s : 0LL);
    fputs("# HELP jiangxin_policy_version_in_force_to_timestamp_seconds When a policy version "
          "stops being in force (24:00 of its last day).\n"
          "# TYPE jiangxin_policy_version_in_force_to_timestamp_seconds gauge\n",
          f);
    json_array_foreach(json_object_get(status, "policy_versions"), i, v)
    {
        if (day_end_s(json_string_value(json_object_get(v, "in_force_to")), &s)) {
            fprintf(f,
                    "jiangxin_policy_version_in_force_to_timestamp_seconds{programme=\"%s\","
                    "number=\"%lld\"} %lld\n",
                    json_string_value(json_object_get(v, "programme")),
                    (long long)json_integer_value(json_object_get(v, "number")), s);
        }
    }
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    return out;
}
