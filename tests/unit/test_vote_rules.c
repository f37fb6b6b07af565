/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/vote_rules.c (and the id shape of uuid.c): the
 * body of a new vote session with every fault at once, the round and policy
 * guards, tally bodies and counts, the state from the window and who sees
 * the results when. "now" is an input, so each case names its own.
 */
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "uuid.h"
#include "vote_rules.h"

#define NOW    1798767000000LL /* 2027-01-01T09:30:00+08:00 */
#define ID_A   "2f1c7e0a-6b0e-4e6b-9d43-2c1a8f6f4b11"
#define ID_B   "7d3f0c52-0a8e-4c1f-8a0b-3f9d2b6e1c44"
#define MINUTE 60000LL

/* "pointer:code,..." of the problem's items, in order. */
static const char *items(const struct problem *p)
{
    static char out[1024];
    size_t o = 0;

    out[0] = '\0';
    for (size_t i = 0; i < p->n_errors && o < sizeof(out); i++) {
        o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s:%s", i ? "," : "",
                              p->errors[i].pointer, p->errors[i].code);
    }
    return out;
}

static void at(long long ms, char out[RFC3339_TEXT_MAX])
{
    rfc3339_format(ms, false, out);
}

/* A valid body: opens in 10 minutes, closes a week later, two nominees. */
static json_t *good_body(void)
{
    char o[RFC3339_TEXT_MAX], c[RFC3339_TEXT_MAX];

    at(NOW + 10 * MINUTE, o);
    at(NOW + 10 * MINUTE + 7 * DAY_MS, c);
    return json_pack("{s:s, s:s, s:[s, s]}", "opens_at", o, "closes_at", c, "nominee_ids", ID_A,
                     ID_B);
}

static void test_uuid_shape(void)
{
    CHECK(uuid_valid(ID_A));
    /* One spelling per id: upper case is refused (PostgreSQL would read it
     * as the same id, while ids are compared as text). */
    CHECK(!uuid_valid("2F1C7E0A-6B0E-4E6B-9D43-2C1A8F6F4B11"));
    CHECK(!uuid_valid("2f1c7e0a-6b0e-4e6b-9d43-2c1a8f6f4B11"));
    CHECK(!uuid_valid(NULL));
    CHECK(!uuid_valid(""));
    CHECK(!uuid_valid("not-a-uuid"));
    CHECK(!uuid_valid("2f1c7e0a-6b0e-4e6b-9d43-2c1a8f6f4b1"));
    CHECK(!uuid_valid("2f1c7e0a-6b0e-4e6b-9d43-2c1a8f6f4b111"));
    CHECK(!uuid_valid("2f1c7e0a06b0e-4e6b-9d43-2c1a8f6f4b11"));
    CHECK(!uuid_valid("2f1c7e0a-6b0e-4e6b-9d43-2c1a8f6f4b1g"));
}

static void test_session_body_defaults(void)
{
    struct problem p = {0};
    struct vote_session_draft d;
    json_t *b = good_body();

    CHECK_EQ_INT(vote_rules_session_body(b, NOW, &d, &p), APP_OK);
    CHECK_EQ_INT(p.n_errors, 0);
    CHECK(d.title == NULL && !d.show_counts);
    CHECK_EQ_INT(json_array_size(d.nominee_ids), 2);
    CHECK_EQ_INT(d.closes_ms - d.opens_ms, 7 * DAY_MS);
    CHECK_EQ_INT(d.limits[VOTE_LIMIT_PER_DAY], 2);
    CHECK_EQ_INT(d.limits[VOTE_LIMIT_PER_NOMINEE_DAY], VOTE_DEFAULT_PER_NOMINEE_DAY);
    CHECK_EQ_INT(d.limits[VOTE_LIMIT_IP_RATE], VOTE_DEFAULT_IP_RATE);
    CHECK_EQ_INT(d.limits[VOTE_LIMIT_IP_BURST], VOTE_DEFAULT_IP_BURST);
    json_t *l = vote_rules_limits_json(d.limits);
    CHECK_EQ_INT(json_integer_value(json_object_get(l, "votes_per_day")), 2);
    CHECK_EQ_INT(json_integer_value(json_object_get(l, "ip_burst")), 30);
    CHECK_EQ_STR(vote_limit_name(VOTE_LIMIT_IP_RATE), "ip_rate_per_minute");
    json_decref(l);
    json_decref(b);

    /* votes_per_day defaults to the nominees, at most VOTE_LIMIT_DAY_MAX. */
    b = good_body();
    json_t *ids = json_object_get(b, "nominee_ids");
    json_array_clear(ids);
    for (int i = 0; i < 150; i++) {
        char id[40];
        snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012d", i);
        json_array_append_new(ids, json_string(id));
    }
    CHECK_EQ_INT(vote_rules_session_body(b, NOW, &d, &p), APP_OK);
    CHECK_EQ_INT(d.limits[VOTE_LIMIT_PER_DAY], VOTE_LIMIT_DAY_MAX);
    json_decref(b);
}

/* One change to the good body (a JSON object merged in) and its items. */
static const struct {
    const char *change;
    const char *items; /* "" = valid */
} window_cases[] = {
    {"{\"opens_at\": \"2027-01-01T09:29:30+08:00\"}", ""}, /* 30 s ago: within a minute */
    {"{\"opens_at\": \"2027-01-01T09:28:00+08:00\"}", "/opens_at:opens_in_past"},
    {"{\"opens_at\": \"2027-01-01 09:40:00\"}", "/opens_at:not_date_time"},
    {"{\"opens_at\": \"2027-02-30T09:40:00+08:00\"}", "/opens_at:not_date_time"},
    {"{\"opens_at\": \"2028-01-10T09:00:00+08:00\", \"closes_at\": \"2028-01-11T09:00:00+08:00\"}",
     "/opens_at:opens_too_far_ahead"},
    {"{\"closes_at\": \"2027-01-01T09:40:00+08:00\"}", "/closes_at:closes_before_opens"},
    {"{\"closes_at\": \"2027-03-03T09:40:00+08:00\"}", "/closes_at:vote_too_long"},
    {"{\"closes_at\": \"2027-03-02T09:40:00+08:00\"}", ""}, /* exactly 60 days */
    {"{\"closes_at\": \"2027-01-08T01:40:00Z\"}", ""},
    {"{\"opens_at\": \"\"}", "/opens_at:"},
    {"{\"opens_at\": 5}", "/opens_at:"},
    {"{\"nominee_ids\": []}", "/nominee_ids:"},
    {"{\"nominee_ids\": [\"" ID_A "\", \"not-a-uuid\", 7]}",
     "/nominee_ids/1:not_uuid,/nominee_ids/2:not_uuid"},
    {"{\"nominee_ids\": [\"" ID_A "\", \"" ID_B "\", \"2F1C7E0A-6B0E-4E6B-9D43-2C1A8F6F4B11\"]}",
     "/nominee_ids/2:not_uuid"}, /* one spelling per id */
    {"{\"limits\": {\"votes_per_day\": 0}}", "/limits/votes_per_day:out_of_range"},
    {"{\"limits\": {\"votes_per_nominee_per_day\": 101}}",
     "/limits/votes_per_nominee_per_day:out_of_range"},
    {"{\"limits\": {\"ip_burst\": 100001, \"ip_rate_per_minute\": 100000}}",
     "/limits/ip_burst:out_of_range"},
    {"{\"limits\": {\"ip_rate_per_minute\": \"60\"}}", "/limits/ip_rate_per_minute:"},
    {"{\"limits\": 3}", "/limits:"},
    {"{\"title\": \"\"}", "/title:"},
    {"{\"title\": \"岚山工匠网络投票\", \"show_counts_while_open\": true}", ""},
};

/* Compares "pointer:code,..." lists; an expected code left empty stands
 * for any (the member checks of json_fields.c name their own). */
static bool items_match(const char *got, const char *want)
{
    if (*want == '\0') {
        return *got == '\0';
    }
    for (;;) {
        size_t g_len = strcspn(got, ","), w_len = strcspn(want, ",");
        size_t w_ptr = strcspn(want, ":");

        if (w_ptr > w_len || g_len < w_ptr + 1 || strncmp(got, want, w_ptr + 1) != 0) {
            return false;
        }
        if (w_len > w_ptr + 1 && (g_len != w_len || strncmp(got, want, w_len) != 0)) {
            return false;
        }
        got += g_len;
        want += w_len;
        if (*got == '\0' || *want == '\0') {
            return *got == *want;
        }
        got++;
        want++;
    }
}

static void test_session_body_cases(void)
{
    for (size_t i = 0; i < TEST_COUNT(window_cases); i++) {
        struct problem p = {0};
        struct vote_session_draft d;
        json_t *b = good_body(), *change = json_loads(window_cases[i].change, 0, NULL);

        CHECKF(change != NULL, "case %zu: bad JSON", i);
        json_object_update(b, change);
        enum app_err err = vote_rules_session_body(b, NOW, &d, &p);
        bool valid = window_cases[i].items[0] == '\0';
        CHECKF(err == (valid ? APP_OK : APP_ERR_VALIDATION), "case %zu (%s): err %d", i,
               window_cases[i].change, (int)err);
        CHECKF(items_match(items(&p), window_cases[i].items), "case %zu (%s): got %s", i,
               window_cases[i].change, items(&p));
        problem_clear(&p);
        json_decref(change);
        json_decref(b);
    }
}

static void test_session_body_every_fault_at_once(void)
{
    struct problem p = {0};
    struct vote_session_draft d;
    json_t *b = json_pack("{s:s, s:s, s:s, s:[s, s], s:{s:i, s:i}}", "title", "", "opens_at",
                          "2026-12-01T09:00:00+08:00", "closes_at", "tomorrow", "nominee_ids", ID_A,
                          "x", "limits", "votes_per_day", 0, "ip_burst", 100001);

    CHECK_EQ_INT(vote_rules_session_body(b, NOW, &d, &p), APP_ERR_VALIDATION);
    CHECKF(items_match(items(&p), "/title:,/opens_at:opens_in_past,/closes_at:not_date_time,"
                                  "/nominee_ids/1:not_uuid,/limits/votes_per_day:out_of_range,"
                                  "/limits/ip_burst:out_of_range"),
           "got %s", items(&p));
    problem_clear(&p);

    /* Unknown members, at the top or in limits, come alone (400). */
    json_object_set_new(json_object_get(b, "limits"), "votes_per_week", json_integer(3));
    CHECK_EQ_INT(vote_rules_session_body(b, NOW, &d, &p), APP_ERR_UNKNOWN_FIELD);
    CHECKF(items_match(items(&p), "/limits/votes_per_week:"), "got %s", items(&p));
    problem_clear(&p);
    json_object_set_new(b, "extra", json_integer(1));
    CHECK_EQ_INT(vote_rules_session_body(b, NOW, &d, &p), APP_ERR_UNKNOWN_FIELD);
    CHECKF(items_match(items(&p), "/extra:,/limits/votes_per_week:"), "got %s", items(&p));
    problem_clear(&p);
    json_decref(b);
}

static void test_round_guards(void)
{
    struct problem p = {0};

    CHECK_EQ_INT(vote_rules_policy(20, "lanshan-craftsman", &p), APP_OK);
    CHECK_EQ_INT(vote_rules_policy(0, "x", &p), APP_OK);
    CHECK_EQ_INT(vote_rules_policy(-1, "huancui-chief-technician", &p), APP_ERR_CONFLICT);
    CHECK_EQ_STR(p.code, "no_public_vote");
    CHECK(strstr(p.detail[PROBLEM_LANG_EN], "huancui-chief-technician holds no public vote"));
    CHECK(strstr(p.detail[PROBLEM_LANG_ZH], "不设网络投票"));
    problem_clear(&p);

    CHECK_EQ_INT(vote_rules_phase(PHASE_VOTING, &p), APP_OK);
    CHECK_EQ_INT(vote_rules_phase(PHASE_REVIEW, &p), APP_ERR_CONFLICT);
    problem_clear(&p);
    CHECK_EQ_INT(vote_rules_phase(PHASE_QUALIFICATION, &p), APP_ERR_CONFLICT);
    CHECK_EQ_STR(p.code, "shortlist_not_frozen");
    CHECK_EQ_STR(p.detail[PROBLEM_LANG_EN], "the round is in phase qualification; a vote session "
                                            "opens only on a frozen shortlist (phase voting)");
    CHECK(strstr(p.detail[PROBLEM_LANG_ZH], "“资格审查”阶段") != NULL);
    CHECK(strstr(p.detail[PROBLEM_LANG_ZH], "qualification") == NULL);
    CHECK_EQ_STR(json_string_value(json_object_get(p.extra, "current_phase")), "qualification");
    problem_clear(&p);
}

static void test_nominees(void)
{
    struct problem p = {0};
    json_t *none = json_array(), *two = json_pack("[i, i]", 0, 2);

    CHECK_EQ_INT(vote_rules_nominees_needed(4, 3), 3);
    CHECK_EQ_INT(vote_rules_nominees_needed(2, 3), 2);
    CHECK_EQ_INT(vote_rules_nominees_needed(0, 3), 0);
    CHECK_EQ_INT(vote_rules_nominees(none, 3, 4, 3, "第五条（三）", &p), APP_OK);
    CHECK_EQ_INT(vote_rules_nominees(none, 2, 2, 3, "第五条（三）", &p), APP_OK);
    CHECK_EQ_INT(vote_rules_nominees(none, 4, 4, 3, "第五条（三）", &p), APP_ERR_VALIDATION);
    CHECK_EQ_STR(items(&p), "/nominee_ids:wrong_nominee_count");
    CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_EN], "exactly 3 nominees") != NULL);
    CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_ZH], "第五条（三）") != NULL);
    problem_clear(&p);
    CHECK_EQ_INT(vote_rules_nominees(two, 3, 4, 3, "a", &p), APP_ERR_VALIDATION);
    CHECK_EQ_STR(items(&p), "/nominee_ids/0:not_vote_candidate,/nominee_ids/2:not_vote_candidate");
    problem_clear(&p);
    json_decref(none);
    json_decref(two);
}

static json_t *tally(const char *extra)
{
    json_t *b = json_pack("{s:i, s:{s:i, s:i}, s:i, s:b, s:i, s:n, s:s}", "sequence", 7, "counts",
                          ID_A, 2, ID_B, 3, "total", 5, "final", 0, "log_entries", 5, "log_sha256",
                          "as_of", "2027-01-01T09:30:00+08:00");
    json_t *change = json_loads(extra, 0, NULL);

    json_object_update(b, change);
    json_decref(change);
    return b;
}

static const struct {
    const char *change;
    const char *items;
} tally_cases[] = {
    {"{}", ""},
    {"{\"log_entries\": null}", ""},
    {"{\"final\": true, \"log_sha256\": \"" ID_A ID_A "\"}", "/log_sha256:not_sha256"},
    {"{\"final\": true, \"log_sha256\": "
     "\"abababababababababababababababababababababababababababababababab\"}",
     ""},
    {"{\"final\": true}", "/log_sha256:required_when_final"},
    {"{\"final\": true, \"log_entries\": null, \"log_sha256\": "
     "\"abababababababababababababababababababababababababababababababab\"}",
     "/log_entries:required_when_final"},
    {"{\"sequence\": 0}", "/sequence:out_of_range"},
    {"{\"total\": -1, \"log_entries\": -1}", "/total:out_of_range,/log_entries:out_of_range"},
    {"{\"log_entries\": 4}", "/log_entries:log_entries_mismatch"},
    {"{\"as_of\": \"yesterday\"}", "/as_of:not_date_time"},
    {"{\"as_of\": \"2019-12-31T23:59:59+08:00\"}", "/as_of:not_date_time"},
    {"{\"as_of\": \"2100-01-01T00:00:00+08:00\"}", "/as_of:not_date_time"},
    {"{\"sequence\": \"7\", \"as_of\": \"x\", \"log_sha256\": \"ABC\"}",
     "/sequence:,/log_sha256:not_sha256,/as_of:not_date_time"},
};

static void test_tally_body(void)
{
    for (size_t i = 0; i < TEST_COUNT(tally_cases); i++) {
        struct problem p = {0};
        struct vote_tally_post t;
        json_t *b = tally(tally_cases[i].change);
        enum app_err err = vote_rules_tally_body(b, &t, &p);
        bool valid = tally_cases[i].items[0] == '\0';

        CHECKF(err == (valid ? APP_OK : APP_ERR_VALIDATION), "case %zu (%s): err %d", i,
               tally_cases[i].change, (int)err);
        CHECKF(items_match(items(&p), tally_cases[i].items), "case %zu (%s): got %s", i,
               tally_cases[i].change, items(&p));
        if (valid) {
            CHECK_EQ_INT(t.sequence, 7);
            CHECK(json_object_size(t.counts) == 2);
        }
        problem_clear(&p);
        json_decref(b);
    }
    struct problem p = {0};
    struct vote_tally_post t;
    json_t *b = tally("{\"surprise\": 1, \"sequence\": 0}");
    CHECK_EQ_INT(vote_rules_tally_body(b, &t, &p), APP_ERR_UNKNOWN_FIELD);
    CHECKF(items_match(items(&p), "/surprise:"), "got %s", items(&p));
    problem_clear(&p);
    json_decref(b);
}

static void test_tally_counts(void)
{
    json_t *ids = json_pack("[s, s]", ID_A, ID_B);
    const struct {
        const char *counts;
        long long total;
        const char *items;
    } cases[] = {
        {"{\"" ID_A "\": 2, \"" ID_B "\": 3}", 5, ""},
        {"{\"" ID_A "\": 2, \"" ID_B "\": 3}", 6, "/total:total_mismatch"},
        {"{\"" ID_A "\": 2}", 2, "/counts:nominees_mismatch"},
        {"{\"" ID_A "\": 2, \"" ID_B "\": 3, \"x\": 0}", 5, "/counts:nominees_mismatch"},
        {"{\"" ID_A "\": -1, \"" ID_B "\": 3}", 2, "/counts/" ID_A ":not_vote_count"},
        {"{\"" ID_A "\": \"2\", \"" ID_B "\": 1000000000001}", 0,
         "/counts/" ID_A ":not_vote_count,/counts/" ID_B ":not_vote_count"},
        {"{\"a/b\": -1}", 0, "/counts/a~1b:not_vote_count,/counts:nominees_mismatch"},
    };

    for (size_t i = 0; i < TEST_COUNT(cases); i++) {
        struct problem p = {0};
        json_t *counts = json_loads(cases[i].counts, 0, NULL);
        enum app_err err = vote_rules_tally_counts(counts, ids, cases[i].total, &p);

        CHECKF(err == (cases[i].items[0] ? APP_ERR_VALIDATION : APP_OK), "case %zu: err %d", i,
               (int)err);
        CHECKF(strcmp(items(&p), cases[i].items) == 0, "case %zu: got %s", i, items(&p));
        problem_clear(&p);
        json_decref(counts);
    }
    json_decref(ids);
}

static void test_state_and_results_access(void)
{
    const long long opens = NOW, closes = NOW + DAY_MS;
    const struct {
        long long now;
        enum vote_window_state state;
    } states[] = {
        {opens - 1, VOTE_WINDOW_SCHEDULED},
        {opens, VOTE_WINDOW_OPEN},
        {closes - 1, VOTE_WINDOW_OPEN},
        {closes, VOTE_WINDOW_CLOSED},
    };

    for (size_t i = 0; i < TEST_COUNT(states); i++) {
        CHECKF(vote_rules_state(states[i].now, opens, closes) == states[i].state, "state %zu", i);
    }
    CHECK_EQ_STR(vote_rules_state_name(VOTE_WINDOW_SCHEDULED), "scheduled");
    CHECK_EQ_STR(vote_rules_state_name(VOTE_WINDOW_OPEN), "open");
    CHECK_EQ_STR(vote_rules_state_name(VOTE_WINDOW_CLOSED), "closed");

    /* role → before close (scheduled and open alike); after close everyone. */
    const struct {
        enum role role;
        enum app_err before;
    } roles[] = {
        {ROLE_NONE, APP_ERR_UNAUTHORIZED},
        {ROLE_ADMIN, APP_OK},
        {ROLE_OFFICE, APP_OK},
        {ROLE_LEADER, APP_OK},
        {ROLE_UNIT, APP_ERR_FORBIDDEN},
        {ROLE_EXPERT, APP_ERR_FORBIDDEN},
        {ROLE_FINANCE, APP_ERR_FORBIDDEN},
        {ROLE_AUDITOR, APP_ERR_FORBIDDEN},
        {ROLE_SERVICE, APP_ERR_FORBIDDEN},
    };
    for (size_t i = 0; i < TEST_COUNT(roles); i++) {
        for (int s = VOTE_WINDOW_SCHEDULED; s <= VOTE_WINDOW_CLOSED; s++) {
            struct problem p = {0};
            enum app_err want = s == VOTE_WINDOW_CLOSED ? APP_OK : roles[i].before;
            enum app_err err =
                vote_rules_results_access((enum vote_window_state)s, roles[i].role, &p);
            CHECKF(err == want, "role %s state %d: %d", auth_role_name(roles[i].role), s, (int)err);
            if (err != APP_OK) {
                CHECK_EQ_STR(p.code, "results_not_public");
            }
            problem_clear(&p);
        }
    }
}

/* Issue 11: no final before the close, the sequence bound, a final
 * against the recount of the sealed log. */
static void test_tally_timing_and_log(void)
{
    struct vote_tally_post t = {.sequence = 5, .final = true};
    struct problem p = {0};
    const char *sha = "abababababababababababababababababababababababababababababababab";
    json_t *log = json_pack("{s:i, s:i}", ID_A, 2, ID_B, 1);
    json_t *same = json_pack("{s:i, s:i}", ID_A, 2, ID_B, 1);
    json_t *moved = json_pack("{s:i, s:i}", ID_A, 1, ID_B, 2);

    CHECK_EQ_INT(vote_rules_tally_timing(&t, NOW, NOW + 1, NOW - MINUTE, &p), APP_ERR_CONFLICT);
    CHECK_EQ_STR(p.code, "tally_final_before_close");
    problem_clear(&p);
    CHECK_EQ_INT(vote_rules_tally_timing(&t, NOW, NOW, NOW - MINUTE, &p), APP_OK);
    CHECK(vote_rules_sequence_max(NOW, NOW - MINUTE) == VOTE_SEQ_SLACK + 1200);
    CHECK(vote_rules_sequence_max(NOW, NOW + MINUTE) == VOTE_SEQ_SLACK); /* clock moved back */
    t.final = false;
    t.sequence = 4611686018427387904LL; /* 2^62, the forged one */
    CHECK_EQ_INT(vote_rules_tally_timing(&t, NOW, NOW + 1, NOW - MINUTE, &p), APP_ERR_CONFLICT);
    CHECK_EQ_STR(p.code, "tally_sequence_implausible");
    problem_clear(&p);
    t.sequence = VOTE_SEQ_SLACK + 1200;
    CHECK_EQ_INT(vote_rules_tally_timing(&t, NOW, NOW + 1, NOW - MINUTE, &p), APP_OK);
    t.sequence++;
    CHECK_EQ_INT(vote_rules_tally_timing(&t, NOW, NOW + 1, NOW - MINUTE, &p), APP_ERR_CONFLICT);
    problem_clear(&p);

    CHECK(vote_rules_final_vs_log(same, 3, sha, log, 3, 0, sha) == NULL);
    CHECK_EQ_STR(vote_rules_final_vs_log(same, 3, sha, log, 4, 1, sha), "log_invalid_entries");
    CHECK_EQ_STR(vote_rules_final_vs_log(same, 2, sha, log, 3, 0, sha), "log_entries_mismatch");
    CHECK_EQ_STR(vote_rules_final_vs_log(same, 3, NULL, log, 3, 0, sha), "log_digest_mismatch");
    CHECK_EQ_STR(vote_rules_final_vs_log(moved, 3, sha, log, 3, 0, sha), "log_counts_mismatch");
    CHECK_EQ_INT(vote_rules_log_mismatch("log_counts_mismatch", &p), APP_ERR_CONFLICT);
    CHECK_EQ_STR(json_string_value(json_object_get(p.extra, "reason")), "log_counts_mismatch");
    problem_clear(&p);
    json_decref(log);
    json_decref(same);
    json_decref(moved);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"uuid_shape", test_uuid_shape},
        {"session_body_defaults", test_session_body_defaults},
        {"session_body_cases", test_session_body_cases},
        {"session_body_every_fault_at_once", test_session_body_every_fault_at_once},
        {"round_guards", test_round_guards},
        {"nominees", test_nominees},
        {"tally_body", test_tally_body},
        {"tally_counts", test_tally_counts},
        {"tally_timing_and_log", test_tally_timing_and_log},
        {"state_and_results_access", test_state_and_results_access},
    };

    return test_run(cases, TEST_COUNT(cases));
}
