/* SPDX-License-Identifier: MIT */
/*
 * The rules of a round (批次), without I/O: the checks of a new round's
 * year and dates, which policy version it may pin (SPEC §11), the cycle
 * rule, the guards of its phase moves, its application window, and the
 * working-day figures a unit plans its publicity by. ops/rounds.c loads
 * and writes around them; tests/unit/test_round_rules.c calls them.
 */
#ifndef JIANGXIN_ROUND_RULES_H
#define JIANGXIN_ROUND_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "auth.h"
#include "enums.h"
#include "policy.h"
#include "problem.h"
#include "workdays.h"

#define ROUND_YEAR_MIN 2000
#define ROUND_YEAR_MAX 2999
/* Unit publicity length when the policy does not fix one (岚山 第五条（一）). */
#define ROUND_PUBLICITY_DEFAULT_WORKDAYS 3
/* Calendar days searched back from window_closes for the publicity: more
 * than any 60 working days (policy.c: unit_publicity_min_workdays <= 60) span. */
#define ROUND_LOOKBACK_DAYS 400
/* "No such day" for round_pin_check (day numbers may be negative). */
#define ROUND_NO_DAY INT32_MIN

/* ---- a new round ---- */

/* A new round's body as parsed: a string member that is missing or not a
 * string is NULL, a missing or non-integer year anything. */
struct round_draft {
    int year;
    const char *reference_date;
    const char *window_opens;
    const char *window_closes;
};

/* Its dates; each *_ok says the member passed every check. */
struct round_window {
    int32_t reference_date, opens, closes;
    bool year_ok, reference_date_ok, opens_ok, closes_ok;
};

/*
 * Checks the year and the dates of a new round against each other: dates
 * YYYY-MM-DD, year ROUND_YEAR_MIN..MAX and the year window_opens falls in,
 * window_closes not before window_opens. Every fault is one errors[] item
 * (422) in p; a member p already has an item for (json_fields_check's
 * findings) is not checked again. Returns p->err.
 */
enum app_err
round_check_draft(const struct round_draft *d, struct round_window *ret, struct problem *p);

/* Which policy version a new round may pin (SPEC §11). */
enum round_pin {
    ROUND_PIN_OK,       /* the version in force on window_opens */
    ROUND_PIN_NONE,     /* none in force that day: 422 on /window_opens */
    ROUND_PIN_EXPIRED,  /* that version (or, with none, the latest) ended before today: 409 */
    ROUND_PIN_PAST_END, /* window_closes after that version's end: 422 on /window_closes */
};

/*
 * The verdict for a new round: `on_to` is the last day in force of the
 * version in force on window_opens (ROUND_NO_DAY when there is none),
 * `latest_to` that of the programme's latest version (ROUND_NO_DAY when
 * unknown), `closes` the window's last day (ROUND_NO_DAY when it did not
 * pass its own checks).
 * No round opens under a version that has expired by today, even for a
 * window that opened while it was in force; a window in a gap or after the
 * latest version's end (while that one is still in force) has no version.
 */
enum round_pin round_pin_check(int32_t on_to, int32_t latest_to, int32_t today, int32_t closes);

/* Whether years[0..n-1] (a programme's rounds) has `year`: one round a year. */
bool round_year_taken(const int *years, size_t n, int year);

/* The year of the round nearest to `year` (itself excluded) that is fewer
 * than `cycle` years away, or 0 when there is none; of two as near, the
 * earlier. */
int round_cycle_conflict(const int *years, size_t n, int year, int cycle);

/*
 * The cycle rule (policy cycle_years, `article` its article or NULL): a
 * round fewer than `cycle` years from another needs a recorded reason, and
 * a reason is refused when no round is that near. A fault is one errors[]
 * item on /cycle_override_reason (422) in p. Returns p->err.
 */
enum app_err round_check_cycle(const int *years,
                               size_t n,
                               int year,
                               int cycle,
                               const char *article,
                               bool has_reason,
                               struct problem *p);

/* ---- phases ---- */

enum round_verdict {
    ROUND_MOVE_OK,
    ROUND_MOVE_NOT_ALLOWED, /* not in flow.c's table, or not for this role */
    ROUND_MOVE_OPEN,        /* GUARD_NONE_OPEN and nominations still wait for an answer */
    ROUND_MOVE_BAD_GUARD,   /* the table names a guard this module does not know */
};

/* Whether a move from `from` by `role` needs the count of nominations the
 * office still has to answer (round_open_count). */
bool round_needs_open_count(enum round_phase from, enum role role);

/* The verdict on moving from `from` to `to` by `role`; `open` is read only
 * when the move has GUARD_NONE_OPEN. */
enum round_verdict
round_move_check(enum round_phase from, enum round_phase to, enum role role, long open);

/* The phases `role` may move a round in `from` to now, in table order,
 * into out[0..max-1]; returns how many. */
size_t
round_targets(enum round_phase from, enum role role, long open, enum round_phase *out, size_t max);

/* Nominations the office still has to answer before review, from a counts
 * object {"<state>": n, ...}: submitted ones, and returned ones (their unit
 * may resubmit until review starts). */
long round_open_count(const json_t *counts);

/* ---- dates ---- */

/* The application window rule: whether `day` lies in opens..closes. */
bool round_window_holds(int32_t opens, int32_t closes, int32_t day);

/* The unit publicity length a round plans by: the policy's, or the default. */
int round_publicity_workdays(const struct policy *pol);

struct round_figures {
    int window_workdays; /* both ends counted; -1 when unknown */
    int publicity_workdays;
    bool has_latest_start;
    int32_t latest_publicity_start;
    int calendar_missing_year; /* 0 when none is missing */
};

/* The first day round_figures() reads; it reads the calendar from there
 * to `closes`. */
int32_t round_figures_first_day(int32_t opens, int32_t closes);

/*
 * Working days in the window and the last day a unit may publish an
 * n-working-day publicity that ends by window_closes: the count starts on
 * the next working day (民法典 Art. 201, as workdays_after()), so it is the
 * day before the n-th last working day on or before window_closes. A year
 * without calendar data leaves the figure it is needed for unknown and
 * names the year.
 */
void round_figures(
    const struct calendar *cal, int32_t opens, int32_t closes, int n, struct round_figures *ret);

/* {"window_workdays", "publicity_workdays", "latest_publicity_start",
 * "calendar_missing_year"} (unknowns null); a new reference, NULL when out
 * of memory. */
json_t *round_figures_to_json(const struct round_figures *f);

#endif
