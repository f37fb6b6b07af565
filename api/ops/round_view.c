/* SPDX-License-Identifier: MIT */
/*
 * A round's full representation (see rounds.h): the row with the actor's
 * nomination counts, the working-day figures of model/round_rules.c on
 * the calendar the stores hold, and the phases the actor may move it to
 * now. Read by GET and returned by every write.
 */
#include <stdlib.h>

#include "log.h"
#include "nominations.h" /* nomination_load_policy */
#include "ops/rounds.h"
#include "store/calendar_store.h"
#include "store/round_store.h"
#include "store/scope_store.h"

enum app_err
round_open_nominations(const struct op_ctx *ctx, const char *id, long *ret, struct problem *p)
{
    char *text = NULL;
    json_t *counts = NULL;
    enum app_err err = round_store_counts(ctx->db, id, NULL, &text);

    if (err != APP_OK) {
        ops_store_problem(err, p);
    } else if ((counts = ops_json(text, p)) != NULL) {
        *ret = round_open_count(counts);
    }
    json_decref(counts);
    free(text);
    return p->err;
}

static enum app_err
round_dates(const struct op_ctx *ctx, const struct round_ref *r, json_t **ret, struct problem *p)
{
    struct calendar cal;
    struct programme_policy pol = {0};
    struct round_figures f;
    int32_t lo = round_figures_first_day(r->window_opens, r->window_closes);
    enum app_err err;

    calendar_init(&cal);
    if (nomination_load_policy(ctx->db, r, &pol, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = calendar_store_load(ctx->db, lo - 1, r->window_closes - lo + 1, &cal)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    round_figures(&cal, r->window_opens, r->window_closes, round_publicity_workdays(&pol.p), &f);
    if ((*ret = round_figures_to_json(&f)) == NULL) {
        ops_internal(p);
    }

cleanup:
    calendar_clear(&cal);
    json_decref(pol.json);
    return p->err;
}

/* The phases the actor may move the round to now (guards checked). */
static enum app_err round_targets_json(const struct op_ctx *ctx,
                                       const struct round_ref *r,
                                       json_t **ret,
                                       struct problem *p)
{
    enum round_phase to[PHASE__COUNT];
    enum role role = ctx->actor->role;
    long open = 0;
    json_t *list;

    if (round_needs_open_count(r->phase, role) &&
        round_open_nominations(ctx, r->id, &open, p) != APP_OK) {
        return p->err;
    }
    size_t n = round_targets(r->phase, role, open, to, PHASE__COUNT);
    if ((list = json_array()) == NULL) {
        return ops_internal(p);
    }
    for (size_t i = 0; i < n; i++) {
        if (json_array_append_new(list, json_string(enums_value(ENUMS_ROUND_PHASES, (int)to[i])))) {
            json_decref(list);
            return ops_internal(p);
        }
    }
    *ret = list;
    return p->err;
}

enum app_err round_view(
    const struct op_ctx *ctx, const char *id, const char *row, json_t **ret, struct problem *p)
{
    const struct principal *who = ctx->actor;
    struct round_ref ref;
    char *counts_text = NULL;
    json_t *obj = NULL, *counts = NULL, *dates = NULL, *targets = NULL;
    enum app_err err;

    if ((err = scope_store_round(ctx->db, id, SCOPE_NO_LOCK, &ref)) != APP_OK ||
        (err = round_store_counts(ctx->db, id, who->role == ROLE_UNIT ? who->unit_id : NULL,
                                  &counts_text)) != APP_OK) {
        ops_store_problem(err, p);
    } else if ((obj = ops_json(row, p)) != NULL && (counts = ops_json(counts_text, p)) != NULL &&
               round_dates(ctx, &ref, &dates, p) == APP_OK &&
               round_targets_json(ctx, &ref, &targets, p) == APP_OK) {
        /* Each set_new takes its value, also when it fails. */
        int rc = json_object_set_new(obj, "counts", counts);
        rc |= json_object_set_new(obj, "dates", dates);
        rc |= json_object_set_new(obj, "allowed_transitions", targets);
        counts = dates = targets = NULL;
        if (rc != 0) {
            ops_internal(p);
        }
    }
    if (p->err == APP_OK) {
        *ret = obj;
        obj = NULL;
    }
    json_decref(obj);
    json_decref(counts);
    json_decref(dates);
    json_decref(targets);
    free(counts_text);
    return p->err;
}

enum app_err
round_get(const struct op_ctx *ctx, const struct round_ref *r, json_t **ret, struct problem *p)
{
    char *text = NULL;
    enum app_err err = round_store_get(ctx->db, r->id, &text);

    if (err != APP_OK) {
        ops_store_problem(err, p);
    } else {
        round_view(ctx, r->id, text, ret, p);
    }
    free(text);
    return p->err;
}
