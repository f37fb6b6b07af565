/* SPDX-License-Identifier: MIT */
/*
 * Vote sessions as JSON: the PUT body's checks, the normalised doc stored
 * in Redis, and the public session and tally views built from that doc.
 * Counts appear only when the view says they are visible.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_fields.h"
#include "vote_session.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* clang-format off */
static const struct json_field session_fields[] = {
    {"round_id",               JF_STRING, true,  1, 64},
    {"title",                  JF_STRING, true,  1, VOTE_SESSION_TITLE_MAX},
    {"opens_at",               JF_STRING, true,  1, 64},
    {"closes_at",              JF_STRING, true,  1, 64},
    {"nominees",               JF_ARRAY,  true,  1, VOTE_SESSION_NOMINEES_MAX},
    {"limits",                 JF_OBJECT, true,  0, 0},
    {"show_counts_while_open", JF_BOOL,   false, 0, 0},
};
static const struct json_field nominee_fields[] = {
    {"id",         JF_STRING,           true,  1, 64},
    {"name",       JF_STRING,           true,  1, VOTE_SESSION_NAME_MAX},
    {"unit_name",  JF_STRING,           true,  1, VOTE_SESSION_UNIT_MAX},
    {"occupation", JF_STRING,           true,  1, VOTE_SESSION_NAME_MAX},
    {"summary",    JF_STRING | JF_NULL, false, 0, VOTE_SESSION_SUMMARY_MAX},
};
static const struct json_field limit_fields[] = {
    {"votes_per_day",             JF_INT, true, 0, 0},
    {"votes_per_nominee_per_day", JF_INT, true, 0, 0},
    {"ip_rate_per_minute",        JF_INT, true, 0, 0},
    {"ip_burst",                  JF_INT, true, 0, 0},
};
static const long limit_max[] = {VOTE_LIMIT_DAY_MAX, VOTE_LIMIT_DAY_MAX, VOTE_LIMIT_RATE_MAX,
                                 VOTE_LIMIT_RATE_MAX};
/* clang-format on */

static void check_time(const json_t *body, const char *name, long long *out, struct problem *p)
{
    char ptr[PROBLEM_POINTER_MAX];

    snprintf(ptr, sizeof(ptr), "/%s", name);
    if (!rfc3339_parse(json_string_value(json_object_get(body, name)), out)) {
        problem_add_error(p, APP_ERR_VALIDATION, ptr,
                          "must be an RFC 3339 date-time with an offset");
    } else if (*out < VOTE_TIME_MIN_MS || *out >= VOTE_TIME_MAX_MS) {
        problem_add_error(p, APP_ERR_VALIDATION, ptr, "must be within 2020 to 2099");
    }
}

static bool check_limits(const json_t *limits, struct vote_session_input *in, struct problem *p)
{
    long *out[] = {&in->votes_per_day, &in->votes_per_nominee_per_day, &in->ip_rate_per_minute,
                   &in->ip_burst};
    bool ok = true;

    if (!json_fields_check(limits, limit_fields, N_OF(limit_fields), "/limits", p)) {
        return false;
    }
    for (size_t i = 0; i < N_OF(limit_fields); i++) {
        json_int_t v = json_integer_value(json_object_get(limits, limit_fields[i].name));
        if (v < 1 || v > limit_max[i]) {
            char ptr[PROBLEM_POINTER_MAX];
            snprintf(ptr, sizeof(ptr), "/limits/%s", limit_fields[i].name);
            problem_add_error(p, APP_ERR_VALIDATION, ptr, "must be from 1 to %ld", limit_max[i]);
            ok = false;
        }
        *out[i] = (long)v;
    }
    return ok;
}

/* Checks the nominees and builds their public list (number = position). */
static json_t *check_nominees(const json_t *list, struct vote_session_input *in, struct problem *p)
{
    json_t *out = json_array();
    bool ok = out != NULL;
    size_t i;
    json_t *n;

    json_array_foreach(list, i, n)
    {
        char prefix[32], ptr[PROBLEM_POINTER_MAX];
        snprintf(prefix, sizeof(prefix), "/nominees/%zu", i);
        if (!json_is_object(n)) {
            problem_add_error(p, APP_ERR_VALIDATION, prefix, "must be an object");
            ok = false;
            continue;
        }
        if (!json_fields_check(n, nominee_fields, N_OF(nominee_fields), prefix, p)) {
            ok = false;
            continue;
        }
        const char *id = json_string_value(json_object_get(n, "id"));
        snprintf(ptr, sizeof(ptr), "%s/id", prefix);
        if (!vote_uuid_valid(id)) {
            problem_add_error(p, APP_ERR_VALIDATION, ptr, "must be a lowercase UUID");
            ok = false;
            continue;
        }
        for (size_t j = 0; j < in->n_nominees; j++) {
            if (strcmp(in->nominee_ids[j], id) == 0) {
                problem_add_error(p, APP_ERR_VALIDATION, ptr, "appears twice");
                ok = false;
            }
        }
        in->nominee_ids[in->n_nominees++] = id;
        const json_t *summary = json_object_get(n, "summary");
        json_t *pub =
            json_pack("{s:s, s:I, s:O, s:O, s:O}", "id", id, "number", (json_int_t)(i + 1), "name",
                      json_object_get(n, "name"), "unit_name", json_object_get(n, "unit_name"),
                      "occupation", json_object_get(n, "occupation"));
        if (pub != NULL && json_is_string(summary)) {
            json_object_set(pub, "summary", (json_t *)summary);
        }
        if (pub == NULL || json_array_append_new(out, pub) != 0) {
            ok = false;
        }
    }
    if (!ok) {
        json_decref(out);
        return NULL;
    }
    return out;
}

bool vote_session_parse(const json_t *body,
                        const char *session_id,
                        struct vote_session_input *ret,
                        struct problem *reterr)
{
    struct vote_session_input in = {0};
    json_t *nominees = NULL, *doc = NULL;
    char opens[RFC3339_TEXT_MAX];
    bool ok = false;

    if (!json_fields_check(body, session_fields, N_OF(session_fields), "", reterr)) {
        return false;
    }
    in.round_id = json_string_value(json_object_get(body, "round_id"));
    if (!vote_uuid_valid(in.round_id)) {
        problem_add_error(reterr, APP_ERR_VALIDATION, "/round_id", "must be a lowercase UUID");
    }
    check_time(body, "opens_at", &in.opens_ms, reterr);
    check_time(body, "closes_at", &in.closes_ms, reterr);
    if (reterr->n_errors == 0 && in.closes_ms <= in.opens_ms) {
        problem_add_error(reterr, APP_ERR_VALIDATION, "/closes_at", "must be after opens_at");
    }
    in.show_counts = json_is_true(json_object_get(body, "show_counts_while_open"));
    check_limits(json_object_get(body, "limits"), &in, reterr);
    nominees = check_nominees(json_object_get(body, "nominees"), &in, reterr);
    if (nominees == NULL || reterr->n_errors > 0) {
        if (reterr->err == APP_OK || reterr->err == APP_ERR_INTERNAL) {
            reterr->err = APP_ERR_VALIDATION;
        }
        goto cleanup;
    }
    rfc3339_format(in.opens_ms, in.opens_ms % 1000 != 0, opens);
    doc = json_pack("{s:s, s:s, s:O, s:s, s:{s:i, s:i, s:i, s:i}, s:b, s:O}", "id", session_id,
                    "round_id", in.round_id, "title", json_object_get(body, "title"), "opens_at",
                    opens, "limits", "votes_per_day", (int)in.votes_per_day,
                    "votes_per_nominee_per_day", (int)in.votes_per_nominee_per_day,
                    "ip_rate_per_minute", (int)in.ip_rate_per_minute, "ip_burst", (int)in.ip_burst,
                    "show_counts_while_open", in.show_counts, "nominees", nominees);
    in.doc = doc != NULL ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (in.doc == NULL) {
        problem_set(reterr, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    *ret = in;
    ok = true;

cleanup:
    json_decref(nominees);
    json_decref(doc);
    return ok;
}

void vote_session_input_clear(struct vote_session_input *in)
{
    if (in != NULL) {
        free(in->doc);
        in->doc = NULL;
    }
}

static long count_of(const struct vote_view *v, const char *id)
{
    for (size_t i = 0; i < v->n_counts; i++) {
        if (strcmp(v->count_ids[i], id) == 0) {
            return v->count_votes[i];
        }
    }
    return 0;
}

static int add_log(json_t *out, const struct vote_view *v)
{
    if (v->log_entries < 0 || v->log_sha256 == NULL) {
        return 0;
    }
    return json_object_set_new(
        out, "log",
        json_pack("{s:I, s:s}", "entries", (json_int_t)v->log_entries, "sha256", v->log_sha256));
}

json_t *vote_session_public(const char *doc_text, const struct vote_view *v)
{
    json_t *doc = json_loads(doc_text, 0, NULL);
    json_t *out = NULL, *nominees, *n;
    char closes[RFC3339_TEXT_MAX];
    size_t i;
    int rc = 0;

    if (doc == NULL) {
        return NULL;
    }
    rfc3339_format(v->closes_ms, v->closes_ms % 1000 != 0, closes);
    out = json_pack("{s:O, s:O, s:O, s:s, s:O, s:s, s:O, s:O, s:O}", "id",
                    json_object_get(doc, "id"), "round_id", json_object_get(doc, "round_id"),
                    "title", json_object_get(doc, "title"), "state", vote_state_name(v->state),
                    "opens_at", json_object_get(doc, "opens_at"), "closes_at", closes, "limits",
                    json_object_get(doc, "limits"), "show_counts_while_open",
                    json_object_get(doc, "show_counts_while_open"), "nominees",
                    json_object_get(doc, "nominees"));
    json_decref(doc);
    if (out == NULL) {
        return NULL;
    }
    nominees = json_object_get(out, "nominees");
    json_array_foreach(nominees, i, n)
    {
        if (v->show_counts) {
            const char *id = json_string_value(json_object_get(n, "id"));
            rc |= json_object_set_new(n, "votes", json_integer(count_of(v, id != NULL ? id : "")));
        }
    }
    if (v->show_counts) {
        rc |= json_object_set_new(out, "total_votes", json_integer(v->total));
    }
    rc |= add_log(out, v);
    if (rc != 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}

json_t *vote_session_tally(const char *doc_text, const struct vote_view *v)
{
    json_t *doc = json_loads(doc_text, 0, NULL);
    json_t *counts = json_array(), *out = NULL, *n;
    char as_of[RFC3339_TEXT_MAX];
    size_t i;
    int rc = doc != NULL && counts != NULL ? 0 : -1;

    json_array_foreach(rc == 0 ? json_object_get(doc, "nominees") : NULL, i, n)
    {
        const char *id = json_string_value(json_object_get(n, "id"));
        rc |=
            json_array_append_new(counts, json_pack("{s:s?, s:O, s:I}", "nominee_id", id, "number",
                                                    json_object_get(n, "number"), "votes",
                                                    (json_int_t)count_of(v, id != NULL ? id : "")));
    }
    rfc3339_format(v->now_ms, true, as_of);
    if (rc == 0) {
        out = json_pack("{s:O, s:s, s:O, s:I, s:s}", "session_id", json_object_get(doc, "id"),
                        "state", vote_state_name(v->state), "counts", counts, "total_votes",
                        (json_int_t)v->total, "as_of", as_of);
    }
    if (out != NULL && add_log(out, v) != 0) {
        json_decref(out);
        out = NULL;
    }
    json_decref(counts);
    json_decref(doc);
    return out;
}
