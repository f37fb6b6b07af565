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
    {"withdrawn",  JF_BOOL,             false, 0, 0},
};
static const struct json_field limit_fields[] = {
    {"votes_per_day",             JF_INT, true, 1, VOTE_LIMIT_DAY_MAX},
    {"votes_per_nominee_per_day", JF_INT, true, 1, VOTE_LIMIT_DAY_MAX},
    {"ip_rate_per_minute",        JF_INT, true, 1, VOTE_LIMIT_RATE_MAX},
    {"ip_burst",                  JF_INT, true, 1, VOTE_LIMIT_RATE_MAX},
};
/* clang-format on */

/* Pass 1: members no table names, at every level (400 before any 422). */
static bool no_unknown(const json_t *body, struct problem *p)
{
    const json_t *limits = json_object_get(body, "limits");
    bool ok = json_fields_unknown(body, session_fields, N_OF(session_fields), "", p);
    size_t i;
    json_t *n;

    if (json_is_object(limits)) {
        ok &= json_fields_unknown(limits, limit_fields, N_OF(limit_fields), "/limits", p);
    }
    json_array_foreach(json_object_get(body, "nominees"), i, n)
    {
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "/nominees/%zu", i);
        if (json_is_object(n)) {
            ok &= json_fields_unknown(n, nominee_fields, N_OF(nominee_fields), prefix, p);
        }
    }
    return ok;
}

/* Whether a fault at `pointer` is reported already (its type, say). */
static bool reported(const struct problem *p, const char *pointer)
{
    for (size_t i = 0; i < p->n_errors; i++) {
        if (strcmp(p->errors[i].pointer, pointer) == 0) {
            return true;
        }
    }
    return false;
}

/* A time member that passed its type check; false when it is not usable. */
static bool check_time(const json_t *body, const char *name, long long *out, struct problem *p)
{
    char ptr[PROBLEM_POINTER_MAX];

    snprintf(ptr, sizeof(ptr), "/%s", name);
    if (reported(p, ptr)) {
        return false;
    }
    if (!rfc3339_parse(json_string_value(json_object_get(body, name)), out)) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "not_date_time",
                      "应为带时区偏移的 RFC 3339 日期时间",
                      "must be an RFC 3339 date-time with an offset");
        return false;
    }
    if (*out < VOTE_TIME_MIN_MS || *out >= VOTE_TIME_MAX_MS) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "out_of_range", "应在 2020 至 2099 年之间",
                      "must be within 2020 to 2099");
        return false;
    }
    return true;
}

static void check_limits(const json_t *limits, struct vote_session_input *in, struct problem *p)
{
    long *out[] = {&in->votes_per_day, &in->votes_per_nominee_per_day, &in->ip_rate_per_minute,
                   &in->ip_burst};

    if (!json_is_object(limits) ||
        !json_fields_check(limits, limit_fields, N_OF(limit_fields), "/limits", p)) {
        return;
    }
    /* The table's ranges were checked above: each value fits. */
    for (size_t i = 0; i < N_OF(limit_fields); i++) {
        json_int_t v = 0;
        json_int_range(json_object_get(limits, limit_fields[i].name),
                       (json_int_t)limit_fields[i].min_len, (json_int_t)limit_fields[i].max_len,
                       &v);
        *out[i] = (long)v;
    }
}

/* One nominee's members past their types; false when it is refused. */
static bool
check_nominee(const json_t *n, const char *prefix, struct vote_session_input *in, struct problem *p)
{
    const char *id = json_string_value(json_object_get(n, "id"));
    char ptr[PROBLEM_POINTER_MAX];
    bool ok = true;

    if (!json_fields_check(n, nominee_fields, N_OF(nominee_fields), prefix, p)) {
        return false;
    }
    snprintf(ptr, sizeof(ptr), "%s/id", prefix);
    if (!vote_uuid_valid(id)) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "not_uuid", "应为小写 UUID",
                      "must be a lowercase UUID");
        return false;
    }
    for (size_t j = 0; j < in->n_nominees; j++) {
        if (strcmp(in->nominee_ids[j], id) == 0) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "duplicate_nominee", "候选人重复",
                          "appears twice");
            ok = false;
        }
    }
    in->nominee_ids[in->n_nominees++] = id;
    return ok;
}

/* Appends `id` to the space-separated list *w (malloc'd); false when out of memory. */
static bool add_withdrawn(char **w, const char *id)
{
    size_t old = *w != NULL ? strlen(*w) : 0;
    char *n = realloc(*w, old + strlen(id) + 2);

    if (n == NULL) {
        return false;
    }
    snprintf(n + old, strlen(id) + 2, "%s%s", old > 0 ? " " : "", id);
    *w = n;
    return true;
}

/* Checks the nominees and builds their public list (number = position);
 * the withdrawn ones go to in->withdrawn, not into the list. */
static json_t *check_nominees(const json_t *list, struct vote_session_input *in, struct problem *p)
{
    json_t *out = json_array();
    bool ok = out != NULL;
    size_t i;
    json_t *n;

    /* The type and count were checked with the body; the ids fill a fixed array. */
    if (!json_is_array(list) || json_array_size(list) < 1 ||
        json_array_size(list) > VOTE_SESSION_NOMINEES_MAX) {
        json_decref(out);
        return NULL;
    }
    json_array_foreach(list, i, n)
    {
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "/nominees/%zu", i);
        if (!check_nominee(n, prefix, in, p)) {
            ok = false;
            continue;
        }
        const json_t *summary = json_object_get(n, "summary");
        json_t *pub = json_pack("{s:O, s:I, s:O, s:O, s:O}", "id", json_object_get(n, "id"),
                                "number", (json_int_t)(i + 1), "name", json_object_get(n, "name"),
                                "unit_name", json_object_get(n, "unit_name"), "occupation",
                                json_object_get(n, "occupation"));
        if (pub != NULL && json_is_string(summary)) {
            json_object_set(pub, "summary", (json_t *)summary);
        }
        if (pub == NULL || json_array_append_new(out, pub) != 0) {
            ok = false;
        }
        if (json_is_true(json_object_get(n, "withdrawn")) &&
            !add_withdrawn(&in->withdrawn, json_string_value(json_object_get(n, "id")))) {
            ok = false;
        }
    }
    if (!ok) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* Pass 2: every member's own faults and the rule between the two times,
 * all reported at once. Fills `in` as far as the values allow. */
static json_t *check_body(const json_t *body, struct vote_session_input *in, struct problem *p)
{
    bool opens_ok, closes_ok;

    json_fields_check(body, session_fields, N_OF(session_fields), "", p);
    in->round_id = json_string_value(json_object_get(body, "round_id"));
    if (in->round_id != NULL && !reported(p, "/round_id") && !vote_uuid_valid(in->round_id)) {
        problem_field(p, APP_ERR_VALIDATION, "/round_id", "not_uuid", "应为小写 UUID",
                      "must be a lowercase UUID");
    }
    opens_ok = json_is_string(json_object_get(body, "opens_at")) &&
               check_time(body, "opens_at", &in->opens_ms, p);
    closes_ok = json_is_string(json_object_get(body, "closes_at")) &&
                check_time(body, "closes_at", &in->closes_ms, p);
    if (opens_ok && closes_ok && in->closes_ms <= in->opens_ms) {
        problem_field(p, APP_ERR_VALIDATION, "/closes_at", "closes_not_after_opens",
                      "应晚于 opens_at", "must be after opens_at");
    }
    in->show_counts = json_is_true(json_object_get(body, "show_counts_while_open"));
    check_limits(json_object_get(body, "limits"), in, p);
    return check_nominees(json_object_get(body, "nominees"), in, p);
}

bool vote_session_parse(const json_t *body,
                        const char *session_id,
                        struct vote_session_input *ret,
                        struct problem *reterr)
{
    struct vote_session_input in = {0};
    json_t *nominees = NULL, *doc = NULL;
    char opens[RFC3339_TEXT_MAX];
    size_t before = reterr->n_errors + reterr->n_dropped;
    bool ok = false;

    if (!no_unknown(body, reterr)) {
        return false;
    }
    nominees = check_body(body, &in, reterr);
    if (reterr->n_errors + reterr->n_dropped > before) {
        goto cleanup;
    }
    if (nominees == NULL || (in.withdrawn == NULL && (in.withdrawn = strdup("")) == NULL)) {
        problem_kind(reterr, APP_ERR_INTERNAL); /* out of memory */
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
        problem_kind(reterr, APP_ERR_INTERNAL);
        goto cleanup;
    }
    *ret = in;
    in.withdrawn = NULL;
    ok = true;

cleanup:
    free(in.withdrawn);
    json_decref(nominees);
    json_decref(doc);
    return ok;
}

void vote_session_input_clear(struct vote_session_input *in)
{
    if (in != NULL) {
        free(in->doc);
        in->doc = NULL;
        free(in->withdrawn);
        in->withdrawn = NULL;
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

/* Whether nominee `id` is withdrawn in the view. */
static bool is_withdrawn(const struct vote_view *v, const char *id)
{
    size_t n = id != NULL ? strlen(id) : 0;

    for (const char *w = v->withdrawn; n > 0 && w != NULL && (w = strstr(w, id)) != NULL; w += n) {
        if ((w == v->withdrawn || w[-1] == ' ') && (w[n] == ' ' || w[n] == '\0')) {
            return true;
        }
    }
    return false;
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
        const char *id = json_string_value(json_object_get(n, "id"));
        if (is_withdrawn(v, id)) {
            rc |= json_object_set_new(n, "withdrawn", json_true());
        }
        if (v->show_counts) {
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
        json_t *row =
            json_pack("{s:s?, s:O, s:I}", "nominee_id", id, "number", json_object_get(n, "number"),
                      "votes", (json_int_t)count_of(v, id != NULL ? id : ""));
        if (row != NULL && is_withdrawn(v, id)) {
            rc |= json_object_set_new(row, "withdrawn", json_true());
        }
        rc |= json_array_append_new(counts, row);
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
