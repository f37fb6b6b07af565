/* SPDX-License-Identifier: MIT */
/*
 * The allowance ledger's pure rules (issue 15, SPEC §4), without I/O:
 * what a monthly run writes for one title and month, and how a decided
 * re-check settles the months it held. The facts come from SQL
 * (db/functions/17_allowance.sql: allowance_month_facts, which reads the
 * period from management_period(), the one start rule); the run
 * (api/ops/allowance.c) writes what this decides. tests/unit/
 * test_allowance_rules.c drives it table by table.
 */
#ifndef JIANGXIN_ALLOWANCE_RULES_H
#define JIANGXIN_ALLOWANCE_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "policy.h"

/* Where a title's year-2 re-check stands for the ledger. */
enum allowance_recheck {
    ALLOWANCE_RECHECK_UNDECIDED, /* not filed, or filed and not decided */
    ALLOWANCE_RECHECK_PASSED,
    ALLOWANCE_RECHECK_FAILED,
};

/* Where re-check result `result` ("passed", "failed", or NULL while
 * undecided or not filed) leaves the ledger for a title; `title_revoked`:
 * the title has been revoked (at any date). A revoked title's re-check can
 * never be decided (409 title_revoked), so its undecided months are
 * cancelled like a failed one's rather than held for ever. */
enum allowance_recheck allowance_rules_recheck(const char *result, bool title_revoked);

/* One title in one allowance month (days since 1970-01-01). */
struct allowance_month_facts {
    int32_t month;        /* the first day of the allowance month */
    int32_t period_start; /* the first day of the management period's month 1 */
    bool revoked;         /* a revocation stops the month (allowance_rules_revoked) */
    bool suspended;       /* a suspension stopping the allowance covered that day */
    enum allowance_recheck recheck;
};

/* What the month is for the title. */
enum allowance_month {
    ALLOWANCE_OUTSIDE,   /* not a month of the management period: nothing */
    ALLOWANCE_STOPPED,   /* revoked or suspended on its first day: nothing */
    ALLOWANCE_CANCELLED, /* a month the re-check decides, and it failed: nothing */
    ALLOWANCE_HELD,      /* a month the re-check decides, still undecided: a hold */
    ALLOWANCE_PAYABLE,   /* an accrual of the policy's monthly amount */
};

/* An allowance month as the API and CLI name it, "YYYY-MM" (2000-01 to
 * 2099-12): true with its first day in *ret_day. */
bool allowance_month_parse(const char *text, int32_t *ret_day);

/* Whether month `month` (a first) may be run on `today`: not after the
 * clock's current month (a month is accrued from its first day on). */
bool allowance_month_runnable(int32_t month, int32_t today);

/* The 1-based index of `month` (a first of a month) in the period that
 * starts on `period_start` (month 1), whatever its length: 0 or negative
 * before it. */
int allowance_month_index(int32_t period_start, int32_t month);

/*
 * The payable-month rule (环翠区首席技师 第四条, 第十二条, 第十六条（一）,
 * 第十七条; SPEC §4). A month is payable when it lies in the management
 * period (policy->management_period_months from its start), the title was
 * neither revoked nor suspended on its first day, and, for the months a
 * year-2 re-check decides (policy->recheck_decides_from_month to the end,
 * where policy->year2_recheck), the re-check passed; undecided, the month
 * is held, failed, cancelled. A policy without a monthly allowance has no
 * payable month.
 */
enum allowance_month allowance_rules_month(const struct policy *policy,
                                           const struct allowance_month_facts *f);

/*
 * The first allowance month (its first day) that a stop effective on
 * `effective_on` takes back: the month whose first day is the date itself
 * or the first after it, as the payable-month rule reads "on its first
 * day" (a suspension from the 10th keeps that month, stops the next). A
 * revocation for fraud (`every_month`) takes back every month from the
 * first: 环翠 第十七条（三） "弄虚作假、谎报成果骗取资格" — what was obtained by
 * fraud was never owed (SPEC §11). Months accrued from there are reversed
 * (a clawback receivable where paid); months held are cancelled.
 */
int32_t allowance_rules_stop_from(int32_t effective_on, bool every_month);

/* Whether revocation reason `reason` (a policy's revocation_reasons code)
 * takes back every month: "fraud". */
bool allowance_rules_claws_back_all(const char *reason);

/* Whether a revocation effective on `effective_on` for `reason` stops
 * allowance month `month` (a first): from the first month it takes back
 * (allowance_rules_stop_from; every month for fraud), whenever the
 * revocation was approved — a month run after the approval gets what the
 * approval's own reversals would have taken back. */
bool allowance_rules_revoked(int32_t month, int32_t effective_on, const char *reason);

/* The entry kind a monthly run writes for `m` ("accrual", "hold"), or NULL
 * for none. */
const char *allowance_month_entry_kind(enum allowance_month m);

/* The kind of the entry that settles a hold once the re-check decided
 * `passed`: "release" when it passed, "cancellation" when it failed. */
const char *allowance_hold_settlement(bool passed);

#endif
