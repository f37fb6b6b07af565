/* SPDX-License-Identifier: MIT */
/*
 * Rounds (批次): one cycle of a programme. An office user of the programme
 * opens a round under the policy version in force on the day its window
 * opens (the round pins it: every later rule reads that version), never
 * under a version that has expired by today, inside that version's period,
 * at most one per year and — unless a reason is recorded — no sooner than
 * the policy's cycle after another round of the programme under any
 * version, and moves it through its phases (api/model/flow.c). The
 * representation adds the caller's nomination counts and the working-day
 * figures a unit plans its publicity by.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "flow.h"
#include "handlers.h"
#include "json_fields.h"
#include "log.h"
#include "nominations.h"
#include "policy.h"
#include "store/stores.h"
#include "workdays.h"

/* Unit publicity length when the policy does not fix one (岚山 第五条（一）). */
#define ROUND_PUBLICITY_DEFAULT_WORKDAYS 3
/* Calendar days searched back from window_closes for the publicity: more
 * than any 60 working days (POLICY unit_publicity_min_workdays <= 60) span. */
#define ROUND_LOOKBACK_DAYS 400

static const struct json_field create_fields[] = {
    {"year", JF_INT, true, 0, 0},
    {"reference_date", JF_STRING, true, 0, 0},
    {"window_opens", JF_STRING, true, 0, 0},
    {"window_closes", JF_STRING, true, 0, 0},
    {"cycle_override_reason", JF_STRING, false, 1, 500},
};

static const struct json_field transition_fields[] = {
    {"to", JF_STRING, true, 1, 32},
};

/* ---- rules ---- */

/* Checks the year and dates of a new round against each other; every
 * fault is reported at once. The window's dates go to ret_days[1..2]. */
static bool check_window(const json_t *b, int32_t ret_days[3], struct problem *p)
{
    static const char *const names[] = {"reference_date", "window_opens", "window_closes"};
    static const char *const pointers[] = {"/reference_date", "/window_opens", "/window_closes"};
    bool ok[3], good = true;
    json_int_t year = json_integer_value(json_object_get(b, "year"));
    int y, m, dd;

    for (int i = 0; i < 3; i++) {
        ok[i] = date_parse(json_string_value(json_object_get(b, names[i])), &ret_days[i]);
        if (!ok[i]) {
            problem_add_error(p, APP_ERR_VALIDATION, pointers[i], "must be a date YYYY-MM-DD");
            good = false;
        }
    }
    if (year < 2000 || year > 2999) {
        problem_add_error(p, APP_ERR_VALIDATION, "/year", "must be 2000 to 2999");
        good = false;
    } else if (ok[1] && (date_split(ret_days[1], &y, &m, &dd), y != year)) {
        problem_add_error(p, APP_ERR_VALIDATION, "/year",
                          "must be the year window_opens falls in (%d)", y);
        good = false;
    }
    if (ok[1] && ok[2] && ret_days[2] < ret_days[1]) {
        problem_add_error(p, APP_ERR_VALIDATION, "/window_closes",
                          "must not be before window_opens");
        good = false;
    }
    return good;
}

/* 409 policy-expired: no new round opens under `v` (a version head with
 * its policy), which ended on its in_force_to; the problem names the
 * document, the date and the article, and says what an admin does. */
static void refuse_expired(const char *code, const json_t *v, struct problem *p)
{
    const char *doc = json_string_value(json_object_get(v, "document_no"));
    const char *to = json_string_value(json_object_get(v, "in_force_to"));
    const char *art = json_string_value(
        json_object_get(json_object_get(json_object_get(v, "policy"), "articles"), "in_force_to"));

    problem_set(p, APP_ERR_POLICY_EXPIRED,
                "programme %s's policy %s expired on %s (%s); no new round opens under it. An "
                "admin adds the successor document as a new policy version (POST "
                "/v1/programmes/%s/policy-versions)",
                code, doc ? doc : "?", to ? to : "?", art ? art : "in_force_to", code);
    p->extra = json_pack("{s:s?, s:s?, s:s?, s:o}", "document_no", doc, "in_force_to", to,
                         "article", art, "policy_version", json_copy(json_object_get(v, "number")));
}

/*
 * The version a new round of `code` pins (SPEC §11): the one in force on
 * the day its window opens, which must not have expired by today (the
 * clock's), and whose period must hold the whole window. Fills ret_id and
 * *ret_policy (a new reference) or answers 409 policy-expired / 422.
 */
static enum app_err pin_version(struct db *db,
                                const char *code,
                                const int32_t days[3],
                                char ret_id[40],
                                json_t **ret_policy,
                                struct problem *p)
{
    char *text = NULL, opens[11], closes[11];
    json_t *pick = NULL;
    int32_t to = 0;

    date_format(days[1], opens);
    if ((p->err = policy_version_store_pick(db, code, opens, &text)) != APP_OK ||
        (pick = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    const json_t *on = json_object_get(pick, "on"), *latest = json_object_get(pick, "latest");
    if (!json_is_object(on)) {
        const char *end = json_string_value(json_object_get(latest, "in_force_to"));
        if (date_parse(end, &to) && to < clock_today()) {
            refuse_expired(code, latest, p);
        } else {
            /* Not in force yet, in a gap, or after the latest version ends
             * (while it is still in force today: its successor comes first). */
            problem_add_error(
                p, APP_ERR_VALIDATION, "/window_opens",
                "no policy version of programme %s is in force on %s (the latest, %s, is in "
                "force from %s to %s)",
                code, opens, json_string_value(json_object_get(latest, "document_no")),
                json_string_value(json_object_get(latest, "in_force_from")), end ? end : "?");
        }
        goto cleanup;
    }
    const json_t *policy = json_object_get(on, "policy");
    date_parse(json_string_value(json_object_get(policy, "in_force_to")), &to);
    if (clock_today() > to) {
        json_t *head =
            json_pack("{s:O, s:O, s:O, s:O}", "number", json_object_get(on, "number"),
                      "document_no", json_object_get(policy, "document_no"), "in_force_to",
                      json_object_get(policy, "in_force_to"), "policy", policy);
        refuse_expired(code, head, p);
        json_decref(head);
        goto cleanup;
    }
    if (days[2] > to) {
        date_format(days[2], closes);
        problem_add_error(p, APP_ERR_VALIDATION, "/window_closes",
                          "after the end of the policy version in force on %s (%s, in force to "
                          "%s)",
                          opens, json_string_value(json_object_get(policy, "document_no")),
                          json_string_value(json_object_get(policy, "in_force_to")));
        goto cleanup;
    }
    snprintf(ret_id, 40, "%s", json_string_value(json_object_get(on, "id")));
    *ret_policy = json_incref((json_t *)policy);
    p->err = APP_OK;

cleanup:
    json_decref(pick);
    free(text);
    return p->err;
}

/* The year of the round nearest to `year` (itself excluded) that is fewer
 * than `cycle` years away, or 0 when there is none. */
static int cycle_conflict(const json_t *years, int year, int cycle)
{
    int best = 0;
    size_t i;
    json_t *v;

    json_array_foreach(years, i, v)
    {
        int other = (int)json_integer_value(v);
        int dist = abs(other - year);
        if (other != year && dist < cycle && (best == 0 || dist < abs(best - year))) {
            best = other;
        }
    }
    return best;
}

static bool has_year(const json_t *years, int year)
{
    size_t i;
    json_t *v;

    json_array_foreach(years, i, v)
    {
        if (json_integer_value(v) == year) {
            return true;
        }
    }
    return false;
}

/* Nominations the office still has to answer before review: submitted
 * ones, and returned ones (their unit may resubmit until review starts). */
static long open_count(const json_t *counts)
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

static enum app_err open_nominations(struct db *db, const char *id, long *ret, struct problem *p)
{
    char *text = NULL;
    json_t *counts = NULL;

    if ((p->err = round_store_counts(db, id, NULL, &text)) == APP_OK &&
        (counts = api_parse(text, p)) != NULL) {
        *ret = open_count(counts);
    }
    json_decref(counts);
    free(text);
    return p->err;
}

/*
 * Working days in the window (both ends counted) and the last day a unit
 * may publish an n-working-day publicity that ends by window_closes: the
 * count starts on the next working day (民法典 Art. 201, as
 * workdays_after()), so it is the day before the n-th last working day on
 * or before window_closes. A year without calendar data leaves the figure
 * it is needed for unknown and names the year.
 */
static json_t *dates_json(const struct calendar *cal, const struct round_ref *r, int n, int32_t lo)
{
    int missing = 0, y, m, d, workdays = 0, found = 0;
    int32_t latest = 0;
    bool work, has_latest = false;
    char text[11];

    for (int32_t day = r->window_opens; day <= r->window_closes; day++) {
        if (calendar_is_workday(cal, day, &work) != APP_OK) {
            date_split(day, &missing, &m, &d);
            workdays = -1;
            break;
        }
        workdays += work;
    }
    for (int32_t day = r->window_closes; day >= lo && !has_latest; day--) {
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
    date_format(latest, text);
    return json_pack("{s:o, s:i, s:o, s:o}", "window_workdays",
                     workdays >= 0 ? json_integer(workdays) : json_null(), "publicity_workdays", n,
                     "latest_publicity_start", has_latest ? json_string(text) : json_null(),
                     "calendar_missing_year", missing ? json_integer(missing) : json_null());
}

static enum app_err
round_dates(struct db *db, const struct round_ref *r, json_t **ret, struct problem *p)
{
    struct calendar cal;
    struct programme_policy pol = {0};
    int32_t lo = r->window_closes - ROUND_LOOKBACK_DAYS;

    lo = r->window_opens < lo ? r->window_opens : lo;
    calendar_init(&cal);
    if (nomination_load_policy(db, r, &pol, p) != APP_OK) {
        goto cleanup;
    }
    int n = pol.p.unit_publicity_min_workdays > 0 ? pol.p.unit_publicity_min_workdays
                                                  : ROUND_PUBLICITY_DEFAULT_WORKDAYS;
    if ((p->err = calendar_store_load(db, lo - 1, r->window_closes - lo + 1, &cal)) != APP_OK) {
        goto cleanup;
    }
    if ((*ret = dates_json(&cal, r, n, lo)) == NULL) {
        problem_set(p, APP_ERR_INTERNAL, NULL);
    }

cleanup:
    calendar_clear(&cal);
    json_decref(pol.json);
    return p->err;
}

/* The phases the caller may move the round to now (guards checked). */
static enum app_err round_targets(struct http_call *call,
                                  struct db *db,
                                  const struct round_ref *r,
                                  json_t **ret,
                                  struct problem *p)
{
    json_t *list = json_array();
    long open = -1;

    p->err = list != NULL ? APP_OK : APP_ERR_INTERNAL;
    for (size_t i = 0; p->err == APP_OK && i < flow_round_moves_count; i++) {
        const struct round_move *m = &flow_round_moves[i];
        if (m->from != r->phase || !(m->roles & ROLE_BIT(call->who.role))) {
            continue;
        }
        if ((m->guards & GUARD_NONE_OPEN) && open < 0 &&
            open_nominations(db, r->id, &open, p) != APP_OK) {
            break;
        }
        if (!(m->guards & GUARD_NONE_OPEN) || open == 0) {
            p->err = json_array_append_new(list,
                                           json_string(enums_value(ENUMS_ROUND_PHASES, (int)m->to)))
                         ? APP_ERR_INTERNAL
                         : APP_OK;
        }
    }
    if (p->err != APP_OK) {
        json_decref(list);
        return p->err;
    }
    *ret = list;
    return APP_OK;
}

/* The full representation: the row (api_round), the caller's nomination
 * counts (a unit user's own only), dates and allowed_transitions. */
static json_t *round_full(
    struct http_call *call, struct db *db, const char *id, const char *row, struct problem *p)
{
    struct round_ref ref;
    const char *only = call->who.role == ROLE_UNIT ? call->who.unit_id : NULL;
    char *counts_text = NULL;
    json_t *obj = NULL, *counts = NULL, *dates = NULL, *targets = NULL;

    if ((p->err = scope_store_round(db, id, SCOPE_NO_LOCK, &ref)) == APP_OK &&
        (obj = api_parse(row, p)) != NULL &&
        (p->err = round_store_counts(db, id, only, &counts_text)) == APP_OK &&
        (counts = api_parse(counts_text, p)) != NULL &&
        round_dates(db, &ref, &dates, p) == APP_OK &&
        round_targets(call, db, &ref, &targets, p) == APP_OK) {
        /* Each set_new takes its value, also when it fails. */
        int rc = json_object_set_new(obj, "counts", counts);
        rc |= json_object_set_new(obj, "dates", dates);
        rc |= json_object_set_new(obj, "allowed_transitions", targets);
        counts = dates = targets = NULL;
        p->err = rc == 0 ? APP_OK : APP_ERR_INTERNAL;
    }
    if (p->err != APP_OK) {
        json_decref(obj);
        obj = NULL;
    }
    json_decref(counts);
    json_decref(dates);
    json_decref(targets);
    free(counts_text);
    return obj;
}

/* ---- handlers ---- */

/* Office users act only on their programmes; others' look like unknown ones. */
static bool programme_visible(const struct http_call *call, const char *code, struct problem *p)
{
    if (call->who.role != ROLE_OFFICE || auth_has_programme(&call->who, code)) {
        return true;
    }
    problem_set(p, APP_ERR_NOT_FOUND, "no programme %s", code);
    return false;
}

enum app_err rounds_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct db *db = NULL;
    struct policy pol;
    const json_t *b = call->body;
    const char *code = http_param(call, "code");
    const char *reason = json_string_value(json_object_get(b, "cycle_override_reason"));
    char *prog_text = NULL, *years_text = NULL, *text = NULL, location[96], version_id[40];
    json_t *years = NULL, *row = NULL, *obj = NULL, *policy = NULL;
    int32_t days[3];

    if (!programme_visible(call, code, p) || !json_fields_check(b, create_fields, 5, "", p) ||
        (db = api_db(p)) == NULL || api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    /* The programme row lock serialises its round creations, so the cycle
     * rule below holds against concurrent requests too. */
    p->err = programme_store_get(db, code, true, &prog_text);
    if (p->err == APP_ERR_NOT_FOUND) {
        problem_set(p, APP_ERR_NOT_FOUND, "no programme %s", code);
    }
    if (p->err != APP_OK) {
        goto cleanup;
    }
    p->err = APP_OK;
    if (!check_window(b, days, p) ||
        pin_version(db, code, days, version_id, &policy, p) != APP_OK) {
        goto cleanup;
    }
    if (policy_from_json(policy, &pol) != APP_OK) {
        log_error("programme %s: a stored policy version does not validate", code);
        problem_set(p, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    int year = (int)json_integer_value(json_object_get(b, "year"));
    if ((p->err = round_store_years(db, code, &years_text)) != APP_OK ||
        (years = api_parse(years_text, p)) == NULL) {
        goto cleanup;
    }
    if (has_year(years, year)) {
        problem_set(p, APP_ERR_CONFLICT, "programme %s already has a round for %d", code, year);
        goto cleanup;
    }
    int other = cycle_conflict(years, year, pol.cycle_years);
    const char *article =
        json_string_value(json_object_get(json_object_get(policy, "articles"), "cycle_years"));
    if (other != 0 && reason == NULL) {
        problem_add_error(p, APP_ERR_VALIDATION, "/cycle_override_reason",
                          "required: the %d round is less than %d years away (cycle_years%s%s)",
                          other, pol.cycle_years, article ? ", " : "", article ? article : "");
        goto cleanup;
    }
    if (other == 0 && reason != NULL) {
        problem_add_error(p, APP_ERR_VALIDATION, "/cycle_override_reason",
                          "not allowed: no other round is less than %d years away",
                          pol.cycle_years);
        goto cleanup;
    }
    p->err = round_store_insert(
        db, code, year, json_string_value(json_object_get(b, "reference_date")),
        json_string_value(json_object_get(b, "window_opens")),
        json_string_value(json_object_get(b, "window_closes")), reason, version_id, &text);
    if (p->err == APP_ERR_CONFLICT) {
        problem_set(p, APP_ERR_CONFLICT, "programme %s already has a round for %d", code, year);
    }
    if (p->err != APP_OK || (row = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    const char *id = json_string_value(json_object_get(row, "id"));
    if (id == NULL || !api_is_uuid(id)) {
        problem_set(p, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/rounds/%s", id);
    if ((obj = round_full(call, db, id, text, p)) == NULL ||
        (p->err = api_audit(call, db, "round.create", "round", id, NULL, text)) != APP_OK ||
        (p->err = api_idem_save(call, db, &idem, 201, obj, location)) != APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    http_set_header(call, "Location", location);
    api_reply_resource(call, 201, obj);

cleanup:
    db_rollback(db);
    json_decref(policy);
    json_decref(years);
    json_decref(row);
    json_decref(obj);
    free(prog_text);
    free(years_text);
    free(text);
    return p->err;
}

enum app_err rounds_list(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    const char *code = http_param(call, "code");
    const char *cursor;
    char *array = NULL, *next = NULL, *prog = NULL;
    json_t *items = NULL;
    int limit;

    if (!programme_visible(call, code, p) || http_list_params(call, &limit, &cursor, p) != APP_OK) {
        goto cleanup;
    }
    /* Our cursors are a round's year. */
    if (cursor != NULL && (strlen(cursor) != 4 || strspn(cursor, "0123456789") != 4)) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "cursor is not one this server issued");
        goto cleanup;
    }
    if ((db = api_db(p)) == NULL) {
        goto cleanup;
    }
    p->err = programme_store_get(db, code, false, &prog);
    if (p->err == APP_ERR_NOT_FOUND) {
        problem_set(p, APP_ERR_NOT_FOUND, "no programme %s", code);
    }
    if (p->err != APP_OK ||
        (p->err = round_store_list(db, code, cursor, limit, &array, &next)) != APP_OK ||
        (items = api_parse(array, p)) == NULL) {
        goto cleanup;
    }
    http_reply_list(call, items, next);

cleanup:
    json_decref(items);
    free(array);
    free(next);
    free(prog);
    return p->err;
}

enum app_err rounds_get(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    struct round_ref ref;
    const char *id = http_param(call, "id");
    char *text = NULL;
    json_t *obj = NULL;

    if (db == NULL || api_round_scope(call, db, id, false, &ref, p) != APP_OK ||
        (p->err = round_store_get(db, ref.id, &text)) != APP_OK ||
        (obj = round_full(call, db, ref.id, text, p)) == NULL) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}

/* A refused move is a 409 carrying the round's phase as an extension
 * member, so a client can act on it without parsing the detail. */
static void refuse_move(const struct round_ref *r, struct problem *p)
{
    p->extra = json_pack("{s:s}", "current_phase", enums_value(ENUMS_ROUND_PHASES, (int)r->phase));
}

enum app_err rounds_transition(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    struct round_ref ref;
    const char *id = http_param(call, "id");
    const char *to_text = json_string_value(json_object_get(call->body, "to"));
    char *before = NULL, *after = NULL;
    json_t *obj = NULL;
    int version = 0, to;
    bool if_match = http_header(call, "If-Match") != NULL;
    long open = 0;

    if (!json_fields_check(call->body, transition_fields, 1, "", p)) {
        goto cleanup;
    }
    if ((to = enums_from_value(ENUMS_ROUND_PHASES, to_text)) < 0) {
        problem_add_error(p, APP_ERR_VALIDATION, "/to", "not a round phase");
        goto cleanup;
    }
    if ((if_match && http_if_match_version(call, &version, p) != APP_OK) ||
        (db = api_db(p)) == NULL || (p->err = db_begin(db)) != APP_OK ||
        api_round_scope(call, db, id, true, &ref, p) != APP_OK) {
        goto cleanup;
    }
    if (if_match && version != ref.version) {
        problem_set(p, APP_ERR_PRECONDITION_FAILED, "the round changed (ETag \"%d\"); GET it again",
                    ref.version);
        goto cleanup;
    }
    const struct round_move *move = flow_round_move(ref.phase, (enum round_phase)to);
    if (move == NULL || !(move->roles & ROLE_BIT(call->who.role))) {
        char targets[160];
        flow_round_targets(ref.phase, call->who.role, targets, sizeof(targets));
        problem_set(p, APP_ERR_CONFLICT, "the round is in phase %s; it can move to: %s",
                    enums_value(ENUMS_ROUND_PHASES, (int)ref.phase), targets);
        refuse_move(&ref, p);
        goto cleanup;
    }
    if (move->guards & ~GUARD_NONE_OPEN) {
        log_error("round move %s -> %s: unknown guard %#x",
                  enums_value(ENUMS_ROUND_PHASES, (int)ref.phase), to_text, move->guards);
        problem_set(p, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    if ((move->guards & GUARD_NONE_OPEN) && open_nominations(db, ref.id, &open, p) != APP_OK) {
        goto cleanup;
    }
    if (open > 0) {
        problem_set(p, APP_ERR_CONFLICT,
                    "%ld nomination(s) are submitted or returned and need the office's answer "
                    "before %s",
                    open, to_text);
        refuse_move(&ref, p);
        goto cleanup;
    }
    if ((p->err = round_store_get(db, ref.id, &before)) != APP_OK ||
        (p->err = round_store_set_phase(db, ref.id, ref.version, to_text, &after)) != APP_OK ||
        (p->err = api_audit(call, db, "round.transition", "round", ref.id, before, after)) !=
            APP_OK ||
        (obj = round_full(call, db, ref.id, after, p)) == NULL ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(before);
    free(after);
    return p->err;
}
