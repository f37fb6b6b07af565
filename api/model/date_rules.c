/* SPDX-License-Identifier: MIT */
/*
 * Dates of the past (model/date_rules.h): one rule for every body's
 * "happened on" date, so a meeting and a skill test agree on what today
 * allows.
 */
#include "date_rules.h"

#include "civil_time.h"

enum date_past date_rules_past(const char *text, int32_t today, int32_t *ret_day)
{
    if (!date_parse(text, ret_day)) {
        return DATE_PAST_NOT_DATE;
    }
    return *ret_day > today ? DATE_PAST_IN_FUTURE : DATE_PAST_OK;
}
