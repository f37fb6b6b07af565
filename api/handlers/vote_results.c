/* SPDX-License-Identifier: MIT */
/*
 * What comes back from the vote: tallies posted by jiangxin-vote (role
 * service) and the results as the API shows them. A tally is absolute, so
 * the highest sequence wins and an older or repeated one changes nothing;
 * `final` (sent once the vote closed and its log is digested) freezes it.
 * The results are for the office and the leadership group while the vote
 * runs (岚山工匠 第五条（五）: it informs 领导小组) and public once it closed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil_time.h"
#include "clock.h"
#include "handlers.h"
#include "json_fields.h"
#include "store/stores.h"
#include "vote_sessions.h"

#define VOTE_COUNT_MAX 1000000000000LL /* per nominee; far above any real vote */

static const struct json_field tally_fields[] = {
    {"sequence", JF_INT, true, 0, 0},
    {"counts", JF_OBJECT, true, 0, 0},
    {"total", JF_INT, true, 0, 0},
    {"final", JF_BOOL, true, 0, 0},
    {"log_entries", JF_INT | JF_NULL, false, 0, 0},
    {"log_sha256", JF_STRING | JF_NULL, false, 0, 0},
    {"as_of", JF_STRING, true, 1, 64},
};

static bool is_hex64(const char *s)
{
    if (s == NULL || strlen(s) != 64) {
        return false;
    }
    return strspn(s, "0123456789abcdef") == 64;
}

/* The body on its own: numbers in range, log members when final, log
 * entries equal to the total (one log line per counted vote). */
static bool check_tally(const json_t *b, struct vote_tally *t, struct problem *p)
{
    const json_t *entries = json_object_get(b, "log_entries");
    long long as_of;

    t->sequence = json_integer_value(json_object_get(b, "sequence"));
    t->total = json_integer_value(json_object_get(b, "total"));
    t->final = json_is_true(json_object_get(b, "final"));
    t->log_entries = json_is_integer(entries) ? json_integer_value(entries) : -1;
    t->log_sha256 = json_string_value(json_object_get(b, "log_sha256"));
    t->as_of = json_string_value(json_object_get(b, "as_of"));
    if (t->sequence < 1) {
        problem_add_error(p, APP_ERR_VALIDATION, "/sequence", "must be at least 1");
    }
    if (t->total < 0) {
        problem_add_error(p, APP_ERR_VALIDATION, "/total", "must not be negative");
    }
    if (json_is_integer(entries) && json_integer_value(entries) < 0) {
        problem_add_error(p, APP_ERR_VALIDATION, "/log_entries", "must not be negative");
    } else if (json_is_integer(entries) && t->log_entries != t->total) {
        problem_add_error(p, APP_ERR_VALIDATION, "/log_entries",
                          "must equal total (one log entry per counted vote)");
    }
    if (t->log_sha256 != NULL && !is_hex64(t->log_sha256)) {
        problem_add_error(p, APP_ERR_VALIDATION, "/log_sha256", "must be 64 lowercase hex digits");
    }
    if (t->final && (t->log_entries < 0 || t->log_sha256 == NULL)) {
        problem_add_error(p, APP_ERR_VALIDATION,
                          t->log_sha256 == NULL ? "/log_sha256" : "/log_entries",
                          "required when final is true");
    }
    if (!rfc3339_parse(t->as_of, &as_of) || as_of < CLOCK_MIN_MS || as_of >= CLOCK_MAX_MS) {
        problem_add_error(p, APP_ERR_VALIDATION, "/as_of",
                          "must be an RFC 3339 date-time from 2020 to 2099");
    }
    return p->n_errors == 0;
}

/* counts' keys are exactly the session's nominees, each a count, summing to total. */
static bool
check_counts(const json_t *counts, const json_t *nominee_ids, long long total, struct problem *p)
{
    const char *key;
    json_t *v;
    long long sum = 0;
    size_t i;

    json_object_foreach((json_t *)counts, key, v)
    {
        char ptr[128];
        problem_pointer(ptr, sizeof(ptr), "/counts", key);
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > VOTE_COUNT_MAX) {
            problem_add_error(p, APP_ERR_VALIDATION, ptr, "must be a count of votes");
        } else {
            sum += json_integer_value(v);
        }
    }
    bool same = json_object_size(counts) == json_array_size(nominee_ids);
    json_array_foreach(nominee_ids, i, v)
    {
        same = same && json_object_get(counts, json_string_value(v)) != NULL;
    }
    if (!same) {
        problem_add_error(p, APP_ERR_VALIDATION, "/counts",
                          "must have exactly the session's %zu nominee ids as keys",
                          json_array_size(nominee_ids));
    }
    if (p->n_errors == 0 && sum != total) {
        problem_add_error(p, APP_ERR_VALIDATION, "/total", "must be the sum of counts (%lld)", sum);
    }
    return p->n_errors == 0;
}

enum app_err vote_sessions_put_tally(struct http_call *call, struct problem *p)
{
    struct db *db = NULL;
    struct vote_tally t = {0};
    const char *id = http_param(call, "id");
    const json_t *counts = json_object_get(call->body, "counts");
    char *target_text = NULL, *counts_text = NULL, *before = NULL, *after = NULL;
    json_t *target = NULL, *reply = NULL;
    bool applied = false;

    if (api_path_uuid(id, p) != APP_OK || !json_fields_check(call->body, tally_fields, 7, "", p) ||
        !check_tally(call->body, &t, p) || (db = api_db(p)) == NULL ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    p->err = vote_session_store_tally_target(db, id, &target_text);
    if (p->err == APP_ERR_NOT_FOUND) {
        problem_set(p, APP_ERR_NOT_FOUND, "no vote session %s", id);
    }
    if (p->err != APP_OK || (target = api_parse(target_text, p)) == NULL) {
        goto cleanup;
    }
    if (!check_counts(counts, json_object_get(target, "nominee_ids"), t.total, p)) {
        goto cleanup;
    }
    if ((counts_text = json_dumps(counts, JSON_COMPACT | JSON_SORT_KEYS)) == NULL ||
        (before = json_dumps(json_object_get(target, "tally"), JSON_COMPACT)) == NULL) {
        problem_set(p, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    t.counts_json = counts_text;
    /* NOT_FOUND: final already, or this sequence is not newer. */
    p->err = vote_session_store_tally_apply(db, id, &t, &after);
    applied = p->err == APP_OK;
    if (p->err != APP_OK && p->err != APP_ERR_NOT_FOUND) {
        goto cleanup;
    }
    if (applied && (p->err = api_audit(call, db, "vote_session.tally", "vote_session", id, before,
                                       after)) != APP_OK) {
        goto cleanup;
    }
    if ((p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    const json_t *now = json_object_get(target, "tally");
    json_t *stored = applied ? json_loads(after, 0, NULL) : NULL;
    if (stored != NULL) {
        now = stored;
    }
    reply = json_pack("{s:b, s:s, s:O, s:O}", "applied", applied, "session_id", id, "sequence",
                      json_object_get(now, "sequence"), "final", json_object_get(now, "final"));
    json_decref(stored);
    if (reply == NULL) {
        problem_set(p, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    http_reply_json(call, 200, reply);

cleanup:
    db_rollback(db);
    json_decref(target);
    json_decref(reply);
    free(target_text);
    free(counts_text);
    free(before);
    free(after);
    return p->err;
}

/* While the vote has not closed: admin, the programme's office, leaders. */
static bool sees_open_results(enum role role)
{
    return role == ROLE_ADMIN || role == ROLE_OFFICE || role == ROLE_LEADER;
}

enum app_err vote_results_get(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    struct round_ref ref;
    const char *id = http_param(call, "id");
    char *text = NULL;
    json_t *obj = NULL;

    if (db == NULL) {
        goto cleanup;
    }
    /* Anonymous callers see no more than an unscoped role would. */
    if (call->who.role == ROLE_NONE) {
        if (api_path_uuid(id, p) != APP_OK) {
            goto cleanup;
        }
        p->err = scope_store_round(db, id, SCOPE_NO_LOCK, &ref);
        if (p->err == APP_ERR_NOT_FOUND) {
            problem_set(p, APP_ERR_NOT_FOUND, "no round %s", id);
        }
        if (p->err != APP_OK) {
            goto cleanup;
        }
    } else if (api_round_scope(call, db, id, false, &ref, p) != APP_OK) {
        goto cleanup;
    }
    p->err = vote_session_store_results(db, ref.id, &text);
    if (p->err == APP_ERR_NOT_FOUND) {
        problem_set(p, APP_ERR_NOT_FOUND, "round %s has no vote session", ref.id);
    }
    if (p->err != APP_OK || (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    const char *state = json_string_value(json_object_get(obj, "state"));
    if (state == NULL || strcmp(state, "closed") != 0) {
        if (call->who.role == ROLE_NONE) {
            problem_set(p, APP_ERR_UNAUTHORIZED,
                        "the results are public once the vote has closed; sign in to see them "
                        "before");
            goto cleanup;
        }
        if (!sees_open_results(call->who.role)) {
            problem_set(p, APP_ERR_FORBIDDEN,
                        "role %s may see the results once the vote has closed",
                        auth_role_name(call->who.role));
            goto cleanup;
        }
    }
    http_reply_json(call, 200, obj);

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}
