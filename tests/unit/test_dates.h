/* SPDX-License-Identifier: MIT */
/* For unit tests that write their dates as text (common/civil_time.h). */
#ifndef JIANGXIN_TEST_DATES_H
#define JIANGXIN_TEST_DATES_H

#include <stdint.h>

#include "civil_time.h"
#include "test.h"

/* "YYYY-MM-DD" as a day number (days since 1970-01-01); a bad test date fails. */
static inline int32_t day(const char *text)
{
    int32_t d = 0;

    CHECKF(date_parse(text, &d), "bad test date %s", text);
    return d;
}

#endif
