/* SPDX-License-Identifier: MIT */
/*
 * 环翠区首席技师 year-2 re-check (复核认定), pure: the checklist of 第八条
 * （一）–（五） from the re-check application (第十一条（一）–（三）), the
 * result it suggests, and when the re-check falls due. No I/O: the ops
 * layer reads the application and the title's pinned policy.
 */
#ifndef JX_RECHECK_RULES_H
#define JX_RECHECK_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"

#define RECHECK_APPRENTICES_MAX 100
#define RECHECK_YEARS_MAX       10

/* An apprentice's certificate (第十一条（三）): level (enum skill_level) and
 * the day it was gained (days since 1970-01-01). */
struct recheck_apprentice {
    int level;
    int32_t certified_on;
};

/* What the unit's application states, and the management period. */
struct recheck_input {
    bool front_line; /* （一）仍在一线岗位从事技能工作 */
    bool no_accident; /* （二）没有发生与本人有直接关系的生产安全、技术责任事故 */
    bool no_violation; /* （三）无违法违纪行为 */
    bool keeps_lead;   /* （四）保持技能领先地位，发挥首席技师作用 */
    const struct recheck_apprentice *apprentices;
    size_t n_apprentices;
    int32_t period_start; /* the management period's first day */
    int32_t as_of;        /* the years begun by this day count: the due month's end */
};

enum recheck_item {
    RECHECK_FRONT_LINE = 0,
    RECHECK_NO_ACCIDENT,
    RECHECK_NO_VIOLATION,
    RECHECK_KEEPS_LEAD,
    RECHECK_APPRENTICES,
    RECHECK__COUNT
};

struct recheck_checklist {
    bool passed[RECHECK__COUNT];
    /* （五） per year of the period begun by as_of: certified apprentices. */
    size_t n_years;
    int certified[RECHECK_YEARS_MAX];
    bool suggest_pass; /* every item passed */
};

/* The item's code ("front_line", ...) and article ("第八条（一）"). */
const char *recheck_item_code(enum recheck_item item);
const char *recheck_item_article(enum recheck_item item);

/*
 * 第八条（五） "每年所带徒弟至少有2人取得高级工以上职业技能等级证书": for each
 * year of the management period that has begun by `as_of` (year k runs
 * from period_start + 12(k-1) months for 12 months), the apprentices
 * certified in it at policy->recheck_apprentice_min_level or above; the
 * item passes when every such year has recheck_min_apprentices or more.
 * The other items are the application's statements.
 */
void recheck_rules_checklist(const struct policy *policy,
                             const struct recheck_input *in,
                             struct recheck_checklist *ret);

/* The first day of the month the re-check falls due: month `due_month`
 * (1-based) of the period that starts on `period_start` (a first of a
 * month), and the last day of that month. */
int32_t recheck_rules_due_from(int32_t period_start, int due_month);
int32_t recheck_rules_due_until(int32_t period_start, int due_month);

/*
 * Where a title's re-check stands on `today`: its decision `result`
 * ("passed" or "failed") once decided; else "revoked" when the title was
 * revoked (no re-check is owed, none can be filed); else "overdue" after
 * `due_until` (the months it decides are held, never paid or cancelled
 * silently, SPEC §4), "due" from `due_from`, "not_due" before.
 */
const char *recheck_rules_status(
    const char *result, bool revoked, int32_t today, int32_t due_from, int32_t due_until);

#endif
