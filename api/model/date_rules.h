/* SPDX-License-Identifier: MIT */
/*
 * Dates a body reports of the past, without I/O: a meeting, an inspection,
 * an approval, a skill test each happened on a day that is not after
 * today. ops/decisions.c and model/skill_test.c word their own problems
 * around this; tests/unit/test_date_rules.c calls it.
 */
#ifndef JIANGXIN_DATE_RULES_H
#define JIANGXIN_DATE_RULES_H

#include <stdint.h>

/* What date_rules_past() found. */
enum date_past {
    DATE_PAST_OK,        /* a date, today or before */
    DATE_PAST_NOT_DATE,  /* not YYYY-MM-DD (or NULL): 422 not_date */
    DATE_PAST_IN_FUTURE, /* a date after today: 422 date_in_future */
};

/* `text` as a date (date_parse: exactly YYYY-MM-DD) not after `today`
 * (days since 1970-01-01). *ret_day is the day whenever `text` is a date
 * (in the future too), untouched otherwise. */
enum date_past date_rules_past(const char *text, int32_t today, int32_t *ret_day);

#endif
