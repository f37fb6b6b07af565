/* SPDX-License-Identifier: MIT */
/* The allowance ledger's pure rules (allowance_rules.h). */
#include "allowance_rules.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "civil_time.h"

bool allowance_month_parse(const char *text, int32_t *ret_day)
{
    int y, m;

    if (text == NULL || strlen(text) != 7 || text[4] != '-' || strspn(text, "0123456789") != 4 ||
        strspn(text + 5, "0123456789") != 2) {
        return false;
    }
    y = atoi(text);
    m = atoi(text + 5);
    if (y < 2000 || y > 2099 || m < 1 || m > 12) {
        return false;
    }
    *ret_day = date_make(y, m, 1);
    return true;
}

bool allowance_month_runnable(int32_t month, int32_t today)
{
    int y, m, d;

    date_split(today, &y, &m, &d);
    return month <= date_make(y, m, 1);
}

int allowance_month_index(int32_t period_start, int32_t month)
{
    int y0, m0, d0, y, m, d;

    date_split(period_start, &y0, &m0, &d0);
    date_split(month, &y, &m, &d);
    return (y - y0) * 12 + (m - m0) + 1;
}

enum allowance_month allowance_rules_month(const struct policy *policy,
                                           const struct allowance_month_facts *f)
{
    int k = allowance_month_index(f->period_start, f->month);

    if (!policy->monthly_allowance || k < 1 || k > policy->management_period_months) {
        return ALLOWANCE_OUTSIDE;
    }
    if (f->revoked || f->suspended) {
        return ALLOWANCE_STOPPED;
    }
    if (policy->year2_recheck && k >= policy->recheck_decides_from_month) {
        switch (f->recheck) {
        case ALLOWANCE_RECHECK_UNDECIDED:
            return ALLOWANCE_HELD;
        case ALLOWANCE_RECHECK_FAILED:
            return ALLOWANCE_CANCELLED;
        case ALLOWANCE_RECHECK_PASSED:
            break;
        }
    }
    return ALLOWANCE_PAYABLE;
}

const char *allowance_month_entry_kind(enum allowance_month m)
{
    return m == ALLOWANCE_PAYABLE ? "accrual" : m == ALLOWANCE_HELD ? "hold" : NULL;
}

const char *allowance_hold_settlement(bool passed)
{
    return passed ? "release" : "cancellation";
}

int32_t allowance_rules_stop_from(int32_t effective_on, bool every_month)
{
    int y, m, d;

    if (every_month) {
        return date_make(1970, 1, 1);
    }
    date_split(effective_on, &y, &m, &d);
    return d == 1 ? effective_on : date_add_months(date_make(y, m, 1), 1);
}

bool allowance_rules_claws_back_all(const char *reason)
{
    return reason != NULL && strcmp(reason, "fraud") == 0;
}

bool allowance_rules_revoked(int32_t month, int32_t effective_on, const char *reason)
{
    return month >= allowance_rules_stop_from(effective_on, allowance_rules_claws_back_all(reason));
}

enum allowance_recheck allowance_rules_recheck(const char *result, bool title_revoked)
{
    if (result != NULL && strcmp(result, "passed") == 0) {
        return ALLOWANCE_RECHECK_PASSED;
    }
    if (result != NULL || title_revoked) {
        return ALLOWANCE_RECHECK_FAILED;
    }
    return ALLOWANCE_RECHECK_UNDECIDED;
}
