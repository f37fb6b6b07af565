/* SPDX-License-Identifier: MIT */
/*
 * The public vote of a round (岚山工匠 第五条（三）（四）): the office opens
 * one vote session per round in phase `review`, naming exactly
 * min(vote_nominees, qualified nominations) nominees from vote_candidates();
 * it is recorded, then pushed to jiangxin-vote (api/vote_push.c). The
 * voting service posts tallies back here; the highest sequence is kept and
 * a final tally freezes the session. Results are in vote_results.c.
 */
#include "vote_sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil_time.h"
#include "clock.h"
#include "enums.h"
#include "handlers.h"
#include "json_fields.h"
#include "log.h"
#include "nominations.h"
#include "policy.h"
#include "store/stores.h"
#include "vote_push.h"
#include "workdays.h"

/* Defaults for limits the office leaves out (documented in 0008 and the contract). */
#define VOTE_DEFAULT_PER_NOMINEE_DAY 1
#define VOTE_DEFAULT_IP_RATE         60
#define VOTE_DEFAULT_IP_BURST        30
#define VOTE_PER_DAY_MAX             100
/* The window: opens at most this far in the past or ahead, lasts at most this long. */
#define VOTE_OPENS_PAST_MS  60000LL
#define VOTE_OPENS_AHEAD_MS (366LL * DAY_MS)
#define VOTE_LENGTH_MAX_MS  (60LL * DAY_MS)

static const struct json_field create_fields[] = {
    {"title", JF_STRING, false, 1, 200},   {"opens_at", JF_STRING, true, 1, 64},
    {"closes_at", JF_STRING, true, 1, 64}, {"nominee_ids", JF_ARRAY, true, 1, VOTE_NOMINEES_MAX},
    {"limits", JF_OBJECT, false, 0, 0},    {"show_counts_while_open", JF_BOOL, false, 0, 0},
};

static const struct {
    const char *name;
    long max;
} limit_bounds[] = {
    {"votes_per_day", VOTE_PER_DAY_MAX},
    {"votes_per_nominee_per_day", 100},
    {"ip_rate_per_minute", 100000},
    {"ip_burst", 100000},
};
#define N_LIMITS (sizeof(limit_bounds) / sizeof(limit_bounds[0]))

/* ---- rules ---- */

/* Checks the window against now (ms, the clock); every fault is reported at once. */
static bool check_window(const json_t *b, long long now, struct problem *p)
{
    long long opens = 0, closes = 0;
    bool ok_o = rfc3339_parse(json_string_value(json_object_get(b, "opens_at")), &opens);
    bool ok_c = rfc3339_parse(json_string_value(json_object_get(b, "closes_at")), &closes);

    if (!ok_o) {
        problem_add_error(p, APP_ERR_VALIDATION, "/opens_at", "must be an RFC 3339 date-time");
    } else if (opens < now - VOTE_OPENS_PAST_MS) {
        problem_add_error(p, APP_ERR_VALIDATION, "/opens_at", "must not be in the past");
    } else if (opens > now + VOTE_OPENS_AHEAD_MS) {
        problem_add_error(p, APP_ERR_VALIDATION, "/opens_at", "must be within a year from now");
    }
    if (!ok_c) {
        problem_add_error(p, APP_ERR_VALIDATION, "/closes_at", "must be an RFC 3339 date-time");
    } else if (ok_o && closes <= opens) {
        problem_add_error(p, APP_ERR_VALIDATION, "/closes_at", "must be after opens_at");
    } else if (ok_o && closes - opens > VOTE_LENGTH_MAX_MS) {
        problem_add_error(p, APP_ERR_VALIDATION, "/closes_at", "the vote may last at most 60 days");
    }
    return ok_o && ok_c && p->n_errors == 0;
}

/* UUIDs, no repeats. */
static bool check_ids(const json_t *ids, struct problem *p)
{
    size_t i;
    json_t *v;

    json_array_foreach(ids, i, v)
    {
        if (!api_is_uuid(json_string_value(v))) {
            char ptr[32];
            snprintf(ptr, sizeof(ptr), "/nominee_ids/%zu", i);
            problem_add_error(p, APP_ERR_VALIDATION, ptr, "must be a nomination id (UUID)");
        }
    }
    if (p->n_errors == 0 && !api_distinct_strings(ids)) {
        problem_add_error(p, APP_ERR_VALIDATION, "/nominee_ids", "must not repeat an id");
    }
    return p->n_errors == 0;
}

/* The four limits, the office's or the defaults; NULL with 400/422 in p. */
static json_t *limits_json(const json_t *given, size_t n_nominees, struct problem *p)
{
    struct json_field fields[N_LIMITS];
    long defaults[N_LIMITS] = {
        (long)(n_nominees < VOTE_PER_DAY_MAX ? n_nominees : VOTE_PER_DAY_MAX),
        VOTE_DEFAULT_PER_NOMINEE_DAY, VOTE_DEFAULT_IP_RATE, VOTE_DEFAULT_IP_BURST};
    json_t *out = json_object();
    bool failed = false;

    for (size_t i = 0; i < N_LIMITS; i++) {
        fields[i] = (struct json_field){limit_bounds[i].name, JF_INT, false, 0, 0};
    }
    if (out == NULL ||
        (given != NULL && !json_fields_check(given, fields, N_LIMITS, "/limits", p))) {
        json_decref(out);
        return NULL;
    }
    for (size_t i = 0; i < N_LIMITS; i++) {
        const json_t *v = json_object_get(given, limit_bounds[i].name);
        json_int_t n = v != NULL ? json_integer_value(v) : defaults[i];
        if (n < 1 || n > limit_bounds[i].max) {
            char ptr[64];
            snprintf(ptr, sizeof(ptr), "/limits/%s", limit_bounds[i].name);
            problem_add_error(p, APP_ERR_VALIDATION, ptr, "must be 1 to %ld", limit_bounds[i].max);
        } else if (json_object_set_new(out, limit_bounds[i].name, json_integer(n)) != 0) {
            failed = true;
        }
    }
    if (p->n_errors > 0 || failed) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* The round's policy version must hold a public vote: its vote_nominees
 * (and the article that sets it). */
static enum app_err round_vote(
    struct db *db, const struct round_ref *round, int *ret_n, char *article, struct problem *p)
{
    struct programme_policy pol = {0};

    if (nomination_load_policy(db, round, &pol, p) == APP_OK) {
        const char *art = json_string_value(
            json_object_get(json_object_get(pol.json, "articles"), "vote_nominees"));
        snprintf(article, 64, "%s", art != NULL ? art : "vote_nominees");
        if (pol.p.vote_nominees < 0) {
            problem_set(p, APP_ERR_CONFLICT,
                        "programme %s holds no public vote (the policy version of this round "
                        "has vote_nominees null)",
                        round->programme);
        } else {
            *ret_n = pol.p.vote_nominees;
        }
    }
    json_decref(pol.json);
    return p->err;
}

/* The public nominee list for the ids: every id a candidate, and exactly
 * min(vote_nominees, candidates) of them. */
static char *nominees_for(struct db *db,
                          const char *round_id,
                          const json_t *ids,
                          int vote_nominees,
                          const char *article,
                          struct problem *p)
{
    char *ids_text = json_dumps(ids, JSON_COMPACT), *text = NULL, *out = NULL;
    json_t *res = NULL, *v;
    size_t i;

    if (ids_text == NULL) {
        problem_set(p, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    if ((p->err = vote_session_store_nominees(db, round_id, ids_text, &text)) != APP_OK ||
        (res = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    p->err = APP_ERR_INTERNAL;
    json_array_foreach(json_object_get(res, "unknown"), i, v)
    {
        char ptr[32];
        snprintf(ptr, sizeof(ptr), "/nominee_ids/%lld", (long long)json_integer_value(v));
        problem_add_error(p, APP_ERR_VALIDATION, ptr, "not a qualified nomination of this round");
    }
    if (p->n_errors > 0) {
        goto cleanup;
    }
    long candidates = (long)json_integer_value(json_object_get(res, "candidates"));
    long need = candidates < vote_nominees ? candidates : vote_nominees;
    if ((long)json_array_size(ids) != need) {
        problem_add_error(p, APP_ERR_VALIDATION, "/nominee_ids",
                          "must name exactly %ld nominees: the lesser of vote_nominees (%d, %s) "
                          "and the round's %ld qualified nominations",
                          need, vote_nominees, article, candidates);
        goto cleanup;
    }
    if ((out = json_dumps(json_object_get(res, "nominees"), JSON_COMPACT)) != NULL) {
        p->err = APP_OK;
    }

cleanup:
    json_decref(res);
    free(ids_text);
    free(text);
    return out;
}

/* 409 for a round outside `review`, with its phase as current_phase. */
static bool phase_ok(const struct round_ref *r, struct problem *p)
{
    if (r->phase == PHASE_REVIEW) {
        return true;
    }
    problem_set(p, APP_ERR_CONFLICT, "the round is in phase %s; a vote session needs phase review",
                enums_value(ENUMS_ROUND_PHASES, (int)r->phase));
    p->extra = json_pack("{s:s}", "current_phase", enums_value(ENUMS_ROUND_PHASES, (int)r->phase));
    return false;
}

/* ---- handlers ---- */

enum app_err vote_sessions_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct db *db = NULL;
    struct round_ref ref;
    const json_t *b = call->body, *ids = json_object_get(b, "nominee_ids");
    const char *id = http_param(call, "id");
    char *nominees = NULL, *limits_text = NULL, *text = NULL, *existing = NULL, *pushed = NULL;
    char location[96], article[64];
    json_t *limits = NULL, *obj = NULL, *final = NULL;
    int vote_nominees = 0;

    if (api_path_uuid(id, p) != APP_OK || !json_fields_check(b, create_fields, 6, "", p)) {
        goto cleanup;
    }
    /* Unknown limits first (400), then every bad value at once (422). */
    if ((limits = limits_json(json_object_get(b, "limits"), json_array_size(ids), p)) == NULL ||
        (limits_text = json_dumps(limits, JSON_COMPACT)) == NULL) {
        goto cleanup;
    }
    check_window(b, clock_now_ms(), p);
    check_ids(ids, p);
    if (p->n_errors > 0) {
        goto cleanup;
    }
    if ((db = api_db(p)) == NULL || api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    /* The round's row lock serialises session creation for it and holds its phase. */
    if (api_round_scope(call, db, id, true, &ref, p) != APP_OK ||
        round_vote(db, &ref, &vote_nominees, article, p) != APP_OK || !phase_ok(&ref, p)) {
        goto cleanup;
    }
    p->err = vote_session_store_by_round(db, ref.id, &existing);
    if (p->err == APP_OK) {
        problem_set(p, APP_ERR_CONFLICT, "round %s has a vote session already", ref.id);
        goto cleanup;
    }
    if (p->err != APP_ERR_NOT_FOUND ||
        (nominees = nominees_for(db, ref.id, ids, vote_nominees, article, p)) == NULL) {
        goto cleanup;
    }
    struct vote_session_new s = {
        .round_id = ref.id,
        .title = json_string_value(json_object_get(b, "title")),
        .opens_at = json_string_value(json_object_get(b, "opens_at")),
        .closes_at = json_string_value(json_object_get(b, "closes_at")),
        .limits_json = limits_text,
        .show_counts = json_is_true(json_object_get(b, "show_counts_while_open")),
        .nominees_json = nominees,
        .created_by = call->who.id,
    };
    p->err = vote_session_store_insert(db, &s, &text);
    if (p->err == APP_ERR_CONFLICT) {
        problem_set(p, APP_ERR_CONFLICT, "round %s has a vote session already", ref.id);
    }
    if (p->err != APP_OK || (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    const char *sid = json_string_value(json_object_get(obj, "id"));
    if (sid == NULL || !api_is_uuid(sid)) {
        problem_set(p, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/rounds/%s/vote-session", ref.id);
    if ((p->err = api_audit(call, db, "vote_session.create", "vote_session", sid, NULL, text)) !=
            APP_OK ||
        (p->err = api_idem_save(call, db, &idem, 201, obj, location)) != APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    /* Committed: push once now, outside the transaction, and answer with
     * the row as the push left it (pending when it failed). */
    vote_push_now(db, sid);
    if (vote_session_store_get(db, sid, &pushed) == APP_OK) {
        final = json_loads(pushed, 0, NULL);
    }
    http_set_header(call, "Location", location);
    api_reply_resource(call, 201, final != NULL ? final : obj);

cleanup:
    db_rollback(db);
    json_decref(limits);
    json_decref(obj);
    json_decref(final);
    free(nominees);
    free(limits_text);
    free(text);
    free(existing);
    free(pushed);
    return p->err;
}

enum app_err vote_sessions_get(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    struct round_ref ref;
    char *text = NULL;
    json_t *obj = NULL;

    if (db == NULL || api_round_scope(call, db, http_param(call, "id"), false, &ref, p) != APP_OK) {
        goto cleanup;
    }
    p->err = vote_session_store_by_round(db, ref.id, &text);
    if (p->err == APP_ERR_NOT_FOUND) {
        problem_set(p, APP_ERR_NOT_FOUND, "round %s has no vote session", ref.id);
    }
    if (p->err != APP_OK || (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}
