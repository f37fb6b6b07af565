/* SPDX-License-Identifier: MIT */
/* The year-2 re-check's pure rules (recheck_rules.h). */
#include "recheck_rules.h"

#include "civil_time.h"

static const struct {
    const char *code, *article;
} items[] = {
    [RECHECK_FRONT_LINE] = {"front_line", "第八条（一）"},
    [RECHECK_NO_ACCIDENT] = {"no_accident", "第八条（二）"},
    [RECHECK_NO_VIOLATION] = {"no_violation", "第八条（三）"},
    [RECHECK_KEEPS_LEAD] = {"keeps_lead", "第八条（四）"},
    [RECHECK_APPRENTICES] = {"apprentices", "第八条（五）"},
};

_Static_assert(sizeof(items) / sizeof(items[0]) == RECHECK__COUNT, "recheck items");

const char *recheck_item_code(enum recheck_item item)
{
    return items[item].code;
}

const char *recheck_item_article(enum recheck_item item)
{
    return items[item].article;
}

/* The first day of the month `months` after the month of `day`. */
static int32_t months_after(int32_t day, int months)
{
    int y, m, d;

    date_split(day, &y, &m, &d);
    m += months;
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    return date_make(y, m, 1);
}

void recheck_rules_checklist(const struct policy *policy,
                             const struct recheck_input *in,
                             struct recheck_checklist *ret)
{
    int level = policy->recheck_apprentice_min_level < 0 ? 0 : policy->recheck_apprentice_min_level;
    int need = policy->recheck_min_apprentices < 0 ? 0 : policy->recheck_min_apprentices;
    bool enough = true;

    *ret = (struct recheck_checklist){0};
    ret->passed[RECHECK_FRONT_LINE] = in->front_line;
    ret->passed[RECHECK_NO_ACCIDENT] = in->no_accident;
    ret->passed[RECHECK_NO_VIOLATION] = in->no_violation;
    ret->passed[RECHECK_KEEPS_LEAD] = in->keeps_lead;
    for (size_t k = 0; k < RECHECK_YEARS_MAX; k++) {
        int32_t from = months_after(in->period_start, 12 * (int)k);
        int32_t to = months_after(in->period_start, 12 * (int)(k + 1));
        if (from > in->as_of) {
            break;
        }
        ret->n_years = k + 1;
        for (size_t i = 0; i < in->n_apprentices; i++) {
            const struct recheck_apprentice *a = &in->apprentices[i];
            if (a->level >= level && a->certified_on >= from && a->certified_on < to) {
                ret->certified[k]++;
            }
        }
        enough = enough && ret->certified[k] >= need;
    }
    ret->passed[RECHECK_APPRENTICES] = ret->n_years > 0 && enough;
    ret->suggest_pass = true;
    for (int i = 0; i < RECHECK__COUNT; i++) {
        ret->suggest_pass = ret->suggest_pass && ret->passed[i];
    }
}

int32_t recheck_rules_due_from(int32_t period_start, int due_month)
{
    return months_after(period_start, due_month - 1);
}

int32_t recheck_rules_due_until(int32_t period_start, int due_month)
{
    return months_after(period_start, due_month) - 1;
}

const char *recheck_rules_status(
    const char *result, bool revoked, int32_t today, int32_t due_from, int32_t due_until)
{
    if (result != NULL) {
        return result;
    }
    if (revoked) {
        return "revoked";
    }
    return today > due_until ? "overdue" : today >= due_from ? "due" : "not_due";
}
