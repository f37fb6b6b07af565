/* SPDX-License-Identifier: MIT */
/*
 * The system's time-bound data and its warnings, loaded and judged once for
 * GET /v1/system/status, `jiangxin-api status` and the /metrics gauges.
 * No HTTP here.
 */
#ifndef JIANGXIN_SYSTEM_STATUS_H
#define JIANGXIN_SYSTEM_STATUS_H

#include <jansson.h>

#include "app_err.h"
#include "store/db.h"

/*
 * *ret (a new reference): {"today", "now", "test_clock", "ok",
 * "calendar": {"years": [int...], "last_day": "YYYY-MM-DD" | null},
 * "policy_versions": [{programme, number, document_no, in_force_from,
 * in_force_to, article}...], "warnings": [...]} with the warnings of
 * api/model/status.h; "ok" is true when there are none.
 */
enum app_err system_status_build(struct db *db, json_t **ret);

/* The Prometheus gauges of a status document (a new malloc'd text):
 * jiangxin_calendar_last_day_timestamp_seconds and
 * jiangxin_policy_version_in_force_to_timestamp_seconds{programme,number},
 * each the instant the day ends (24:00 Asia/Shanghai). NULL when out of
 * memory. */
char *system_status_metrics(const json_t *status);

#endif
