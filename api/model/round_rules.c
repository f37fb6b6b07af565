/* SPDX-License-Identifier: MIT */
/*
 * The rules of a round (see round_rules.h): pure functions over dates, the
 * years of a programme's rounds, flow.c's table of round moves and a
 * working-day calendar. The texts of the body checks live here, next to
 * the rule each one explains.
 */
#include "round_rules.h"

#include <stdlib.h>
#include <string.h>

#include "flow.h"

/* ---- a new round ---- */

/* Parses one date member unless it was reported before; false when it
 * does not pass (then reported now, or before). */
static bool check_date(const char *text, const char *pointer, int32_t *ret, struct problem *p)
{
    if (problem_has_error(p, pointer)) {
        return false;
    }
    if (!date_parse(text, ret)) {
        problem_field(p, APP_ERR_VALIDATION, pointer, "not_date", "须为 YYYY-MM-DD 格式的有效日期",
                      "must be a date YYYY-MM-DD");
        return false;
    }
    return true;
}

enum app_err
round_check_draft(const struct round_draft *d, struct round_window *ret, struct problem *p)
{
    struct round_window w = {0};
    int y, m, dd;

    w.reference_date_ok = check_date(d->reference_date, "/reference_date", &w.reference_date, p);
    w.opens_ok = check_date(d->window_opens, "/window_opens", &w.opens, p);
    w.closes_ok = check_date(d->window_closes, "/window_closes", &w.closes, p);
    if (!problem_has_error(p, "/year")) {
        if (d->year < ROUND_YEAR_MIN || d->year > ROUND_YEAR_MAX) {
            problem_field(p, APP_ERR_VALIDATION, "/year", "out_of_range", "须在 %d 至 %d 之间",
                          "must be %d to %d", ROUND_YEAR_MIN, ROUND_YEAR_MAX);
        } else if (w.opens_ok && (date_split(w.opens, &y, &m, &dd), y != d->year)) {
            problem_field(p, APP_ERR_VALIDATION, "/year", "year_mismatch",
                          "须为申报开始日期（window_opens）所在的年份（%d）",
                          "must be the year window_opens falls in (%d)", y);
        } else {
            w.year_ok = true;
        }
    }
    if (w.opens_ok && w.closes_ok && w.closes < w.opens) {
        problem_field(p, APP_ERR_VALIDATION, "/window_closes", "closes_before_opens",
                      "不得早于申报开始日期（window_opens）", "must not be before window_opens");
        w.closes_ok = false;
    }
    *ret = w;
    return p->err;
}

enum round_pin round_pin_check(int32_t on_to, int32_t latest_to, int32_t today, int32_t closes)
{
    if (on_to == ROUND_NO_DAY) {
        return latest_to != ROUND_NO_DAY && latest_to < today ? ROUND_PIN_EXPIRED : ROUND_PIN_NONE;
    }
    if (today > on_to) {
        return ROUND_PIN_EXPIRED;
    }
    return closes != ROUND_NO_DAY && closes > on_to ? ROUND_PIN_PAST_END : ROUND_PIN_OK;
}

bool round_year_taken(const int *years, size_t n, int year)
{
    for (size_t i = 0; i < n; i++) {
        if (years[i] == year) {
            return true;
        }
    }
    return false;
}

int round_cycle_conflict(const int *years, size_t n, int year, int cycle)
{
    int best = 0;

    for (size_t i = 0; i < n; i++) {
        int dist = abs(years[i] - year);
        if (years[i] != year && dist < cycle && (best == 0 || dist < abs(best - year))) {
            best = years[i];
        }
    }
    return best;
}

enum app_err round_check_cycle(const int *years,
                               size_t n,
                               int year,
                               int cycle,
                               const char *article,
                               bool has_reason,
                               struct problem *p)
{
    int other = round_cycle_conflict(years, n, year, cycle);
    const char *sep = article != NULL ? ", " : "", *art = article != NULL ? article : "";

    if (other != 0 && !has_reason) {
        return problem_field(p, APP_ERR_VALIDATION, "/cycle_override_reason",
                             "cycle_reason_required",
                             "与 %d 年度批次间隔不足 %d 年（cycle_years%s%s），须说明理由",
                             "required: the %d round is less than %d years away (cycle_years%s%s)",
                             other, cycle, sep, art);
    }
    if (other == 0 && has_reason) {
        return problem_field(p, APP_ERR_VALIDATION, "/cycle_override_reason",
                             "cycle_reason_not_allowed", "%d 年内没有其他批次，不需要也不接受理由",
                             "not allowed: no other round is less than %d years away", cycle);
    }
    return p->err;
}

/* ---- phases ---- */

bool round_needs_open_count(enum round_phase from, enum role role)
{
    for (size_t i = 0; i < flow_round_moves_count; i++) {
        const struct round_move *m = &flow_round_moves[i];
        if (m->from == from && (m->roles & ROLE_BIT(role)) && (m->guards & GUARD_NONE_OPEN)) {
            return true;
        }
    }
    return false;
}

enum round_verdict
round_move_check(enum round_phase from, enum round_phase to, enum role role, long open)
{
    const struct round_move *m = flow_round_move(from, to);

    if (m == NULL || !(m->roles & ROLE_BIT(role))) {
        return ROUND_MOVE_NOT_ALLOWED;
    }
    if (m->guards & ~GUARD_NONE_OPEN) {
        return ROUND_MOVE_BAD_GUARD;
    }
    return (m->guards & GUARD_NONE_OPEN) && open > 0 ? ROUND_MOVE_OPEN : ROUND_MOVE_OK;
}

size_t
round_targets(enum round_phase from, enum role role, long open, enum round_phase *out, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < flow_round_moves_count && n < max; i++) {
        const struct round_move *m = &flow_round_moves[i];
        if (m->from == from && round_move_check(from, m->to, role, open) == ROUND_MOVE_OK) {
            out[n++] = m->to;
        }
    }
    return n;
}

long round_open_count(const json_t *counts)
{
    long n = 0;

    for (int s = 0; s < NOM__COUNT; s++) {
        if (flow_nomination_open((enum nomination_state)s)) {
            n += (long)json_integer_value(
                json_object_get(counts, enums_value(ENUMS_NOMINATION_STATES, s)));
        }
    }
    return n;
}

/* ---- dates ---- */

bool round_window_holds(int32_t opens, int32_t closes, int32_t day)
{
    return day >= opens && day <= closes;
}

int round_publicity_workdays(const struct policy *pol)
{
    return pol->unit_publicity_min_workdays > 0 ? pol->unit_publicity_min_workdays
                                                : ROUND_PUBLICITY_DEFAULT_WORKDAYS;
}

int32_t round_figures_first_day(int32_t opens, int32_t closes)
{
    int32_t lo = closes - ROUND_LOOKBACK_DAYS;

    return opens < lo ? opens : lo;
}

void round_figures(
    const struct calendar *cal, int32_t opens, int32_t closes, int n, struct round_figures *ret)
{
    int missing = 0, y, m, d, workdays = 0, found = 0;
    int32_t latest = 0, lo = round_figures_first_day(opens, closes);
    bool work, has_latest = false;

    for (int32_t day = opens; day <= closes; day++) {
        if (calendar_is_workday(cal, day, &work) != APP_OK) {
            date_split(day, &missing, &m, &d);
            workdays = -1;
            break;
        }
        workdays += work;
    }
    for (int32_t day = closes; day >= lo && !has_latest; day--) {
        if (calendar_is_workday(cal, day, &work) != APP_OK) {
            date_split(day, &y, &m, &d);
            missing = missing ? missing : y;
            break;
        }
        if (work && ++found == n) {
            latest = day - 1;
            has_latest = true;
        }
    }
    *ret = (struct round_figures){
        .window_workdays = workdays,
        .publicity_workdays = n,
        .has_latest_start = has_latest,
        .latest_publicity_start = latest,
        .calendar_missing_year = missing,
    };
}

json_t *round_figures_to_json(const struct round_figures *f)
{
    char text[11];

    date_format(f->latest_publicity_start, text);
    return json_pack("{s:o, s:i, s:o, s:o}", "window_workdays",
                     f->window_workdays >= 0 ? json_integer(f->window_workdays) : json_null(),
                     "publicity_workdays", f->publicity_workdays, "latest_publicity_start",
                     f->has_latest_start ? json_string(text) : json_null(), "calendar_missing_year",
                     f->calendar_missing_year ? json_integer(f->calendar_missing_year)
                                              : json_null());
}
