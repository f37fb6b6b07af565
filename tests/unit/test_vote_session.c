/* SPDX-License-Identifier: MIT */
/* voting/model: vote_session (times, state, PUT body checks, public views)
 * and vote_receipt (hashes, receipts). */
#include <string.h>

#include <sodium.h>

#include "model/vote_receipt.h"
#include "model/vote_session.h"
#include "test.h"

static void test_stream_ids(void)
{
    long long ms;

    CHECK(vote_stream_id_ms("1795224600123-7", &ms) && ms == 1795224600123LL);
    CHECK(!vote_stream_id_ms("1795224600123", &ms));
    CHECK(!vote_stream_id_ms("x-1", &ms));
    CHECK(!vote_stream_id_ms("1-", &ms));
}

static void test_state_and_uuid(void)
{
    CHECK_EQ_INT(vote_session_state(99, 100, 200, false), VOTE_STATE_SCHEDULED);
    CHECK_EQ_INT(vote_session_state(100, 100, 200, false), VOTE_STATE_OPEN);
    CHECK_EQ_INT(vote_session_state(199, 100, 200, false), VOTE_STATE_OPEN);
    CHECK_EQ_INT(vote_session_state(200, 100, 200, false), VOTE_STATE_CLOSED);
    CHECK_EQ_INT(vote_session_state(150, 100, 200, true), VOTE_STATE_CLOSED);
    CHECK_EQ_STR(vote_state_name(VOTE_STATE_OPEN), "open");
    CHECK(vote_uuid_valid("0b5c2f3e-6a57-4d7e-9a51-2f9f3d1c8e42"));
    CHECK(!vote_uuid_valid("0B5C2F3E-6A57-4D7E-9A51-2F9F3D1C8E42"));
    CHECK(!vote_uuid_valid("0b5c2f3e6a574d7e9a512f9f3d1c8e42"));
    CHECK(!vote_uuid_valid("0b5c2f3e-6a57-4d7e-9a51-2f9f3d1c8e4"));
    CHECK(!vote_uuid_valid("0b5c2f3e-6a57-4d7e-9a51-2f9f3d1c8e4g"));
    CHECK(!vote_uuid_valid(NULL));
}

#define SID "0b5c2f3e-6a57-4d7e-9a51-2f9f3d1c8e42"
#define BODY(extra)                                                                              \
    "{\"round_id\":\"11111111-1111-4111-8111-111111111111\",\"title\":\"t\","                    \
    "\"opens_at\":\"2026-11-21T09:00:00+08:00\",\"closes_at\":\"2026-11-28T09:00:00.5+08:00\","  \
    "\"limits\":{\"votes_per_day\":3,\"votes_per_nominee_per_day\":1,\"ip_rate_per_minute\":7,"  \
    "\"ip_burst\":5},\"nominees\":[{\"id\":\"22222222-2222-4222-8222-222222222222\",\"name\":"   \
    "\"a\",\"unit_name\":\"u\",\"occupation\":\"o\",\"summary\":\"s\"},{\"id\":"                 \
    "\"33333333-3333-4333-8333-333333333333\",\"name\":\"b\",\"unit_name\":\"u\",\"occupation\"" \
    ":\"o\"}]" extra "}"

static bool parse(const char *text, struct vote_session_input *in, struct problem *p)
{
    json_t *body = json_loads(text, 0, NULL);
    bool ok;

    memset(p, 0, sizeof(*p));
    p->err = APP_ERR_INTERNAL;
    ok = body != NULL && vote_session_parse(body, SID, in, p);
    json_decref(body);
    return ok;
}

static void test_parse_body(void)
{
    struct vote_session_input in = {0}, again = {0};
    struct problem p;

    CHECK(parse(BODY(""), &in, &p));
    CHECK(in.opens_ms == 1795222800000LL && in.closes_ms == 1795827600500LL);
    CHECK(in.votes_per_day == 3 && in.ip_rate_per_minute == 7 && in.ip_burst == 5);
    CHECK(!in.show_counts && in.n_nominees == 2);
    /* the doc: normalised, no closes_at, numbers by position */
    CHECK(in.doc != NULL && strstr(in.doc, "closes_at") == NULL);
    CHECK(strstr(in.doc, "\"opens_at\":\"2026-11-21T09:00:00+08:00\"") != NULL);
    CHECK(strstr(in.doc, "\"number\":2") != NULL);
    /* the same session written another way gives the same doc */
    CHECK(parse("{\"round_id\":\"11111111-1111-4111-8111-111111111111\",\"title\":\"t\","
                "\"opens_at\":\"2026-11-21T01:00:00Z\",\"closes_at\":\"2026-11-29T00:00:00Z\","
                "\"show_counts_while_open\":false,\"nominees\":[{\"occupation\":\"o\",\"id\":"
                "\"22222222-2222-4222-8222-222222222222\",\"name\":\"a\",\"unit_name\":\"u\","
                "\"summary\":\"s\"},{\"id\":\"33333333-3333-4333-8333-333333333333\",\"name\":"
                "\"b\",\"unit_name\":\"u\",\"occupation\":\"o\",\"summary\":null}],\"limits\":{"
                "\"ip_burst\":5,\"votes_per_day\":3,\"votes_per_nominee_per_day\":1,"
                "\"ip_rate_per_minute\":7}}",
                &again, &p));
    CHECK(again.doc != NULL && in.doc != NULL && strcmp(again.doc, in.doc) == 0);
    vote_session_input_clear(&in);
    vote_session_input_clear(&again);

    CHECK(!parse(BODY(",\"x\":1"), &in, &p) && p.err == APP_ERR_UNKNOWN_FIELD);
    CHECK(!parse(BODY(",\"show_counts_while_open\":1"), &in, &p) && p.err == APP_ERR_VALIDATION);
    CHECK(!parse("{\"round_id\":\"11111111-1111-4111-8111-111111111111\"}", &in, &p) &&
          p.err == APP_ERR_VALIDATION && p.n_errors == 5);
    CHECK(!parse("{\"round_id\":\"11111111-1111-4111-8111-111111111111\",\"title\":\"t\","
                 "\"opens_at\":\"2026-11-21T09:00:00+08:00\",\"closes_at\":"
                 "\"2026-11-21T09:00:00+08:00\",\"limits\":{\"votes_per_day\":0,"
                 "\"votes_per_nominee_per_day\":1,\"ip_rate_per_minute\":100001,\"ip_burst\":1},"
                 "\"nominees\":[{\"id\":\"22222222-2222-4222-8222-222222222222\",\"name\":\"a\","
                 "\"unit_name\":\"u\",\"occupation\":\"o\"},{\"id\":"
                 "\"22222222-2222-4222-8222-222222222222\",\"name\":\"a\",\"unit_name\":\"u\","
                 "\"occupation\":\"o\"}]}",
                 &in, &p));
    CHECK_EQ_INT(p.err, APP_ERR_VALIDATION);
    CHECK_EQ_INT((int)p.n_errors, 4);
    CHECK_EQ_STR(p.errors[0].pointer, "/closes_at");
    CHECK_EQ_STR(p.errors[1].pointer, "/limits/votes_per_day");
    CHECK_EQ_STR(p.errors[2].pointer, "/limits/ip_rate_per_minute");
    CHECK_EQ_STR(p.errors[3].pointer, "/nominees/1/id");
    CHECK_EQ_STR(p.errors[0].code, "closes_not_after_opens");
    CHECK_EQ_STR(p.errors[1].code, "out_of_range");
    CHECK_EQ_STR(p.errors[3].code, "duplicate_nominee");
    CHECK_EQ_STR(p.errors[3].detail[PROBLEM_LANG_EN], "appears twice");

    /* A member of the wrong type does not hide the faults of the others. */
    CHECK(!parse("{\"round_id\":\"R\",\"title\":7,\"opens_at\":\"soon\",\"closes_at\":"
                 "\"2026-11-21T09:00:00+08:00\",\"limits\":{\"votes_per_day\":0,"
                 "\"votes_per_nominee_per_day\":1,\"ip_rate_per_minute\":1,\"ip_burst\":1},"
                 "\"nominees\":[{\"id\":\"x\",\"name\":\"a\",\"unit_name\":\"u\","
                 "\"occupation\":\"o\"}, 5]}",
                 &in, &p));
    CHECK_EQ_INT(p.err, APP_ERR_VALIDATION);
    CHECK_EQ_INT((int)p.n_errors, 6);
    CHECK_EQ_STR(p.errors[0].pointer, "/title");
    CHECK_EQ_STR(p.errors[0].code, "wrong_type");
    CHECK_EQ_STR(p.errors[1].pointer, "/round_id");
    CHECK_EQ_STR(p.errors[1].code, "not_uuid");
    CHECK_EQ_STR(p.errors[2].pointer, "/opens_at");
    CHECK_EQ_STR(p.errors[2].code, "not_date_time");
    CHECK_EQ_STR(p.errors[3].pointer, "/limits/votes_per_day");
    CHECK_EQ_STR(p.errors[4].pointer, "/nominees/0/id");
    CHECK_EQ_STR(p.errors[5].pointer, "/nominees/1");
    CHECK_EQ_STR(p.errors[5].code, "not_an_object");

    /* Unknown members at any depth come alone, as a 400. */
    CHECK(!parse("{\"round_id\":\"R\",\"title\":7,\"limits\":{\"x\":1},\"nominees\":[{\"y\":1}]}",
                 &in, &p));
    CHECK_EQ_INT(p.err, APP_ERR_UNKNOWN_FIELD);
    CHECK_EQ_INT((int)p.n_errors, 2);
    CHECK_EQ_STR(p.errors[0].pointer, "/limits/x");
    CHECK_EQ_STR(p.errors[1].pointer, "/nominees/0/y");
}

static void test_views(void)
{
    struct vote_session_input in = {0};
    struct problem p;
    const char *ids[] = {"33333333-3333-4333-8333-333333333333"};
    long votes[] = {4};
    struct vote_view v = {.now_ms = 1795224600123LL,
                          .closes_ms = 1795827600500LL,
                          .state = VOTE_STATE_OPEN,
                          .count_ids = ids,
                          .count_votes = votes,
                          .n_counts = 1,
                          .total = 4,
                          .log_entries = -1};
    json_t *s, *t;

    CHECK(parse(BODY(""), &in, &p));
    s = vote_session_public(in.doc, &v);
    CHECK(s != NULL && json_object_get(s, "total_votes") == NULL);
    CHECK_EQ_STR(json_string_value(json_object_get(s, "closes_at")),
                 "2026-11-28T09:00:00.500+08:00");
    CHECK_EQ_STR(json_string_value(json_object_get(s, "state")), "open");
    json_decref(s);
    v.show_counts = true;
    v.state = VOTE_STATE_CLOSED;
    v.log_entries = 4;
    v.log_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    s = vote_session_public(in.doc, &v);
    CHECK(s != NULL && json_integer_value(json_object_get(s, "total_votes")) == 4);
    json_t *noms = json_object_get(s, "nominees");
    CHECK(json_integer_value(json_object_get(json_array_get(noms, 0), "votes")) == 0);
    CHECK(json_integer_value(json_object_get(json_array_get(noms, 1), "votes")) == 4);
    CHECK(json_integer_value(json_object_get(json_object_get(s, "log"), "entries")) == 4);
    t = vote_session_tally(in.doc, &v);
    CHECK(t != NULL && json_array_size(json_object_get(t, "counts")) == 2);
    CHECK_EQ_STR(json_string_value(json_object_get(t, "as_of")), "2026-11-21T09:30:00.123+08:00");
    CHECK_EQ_STR(json_string_value(json_object_get(t, "session_id")), SID);
    json_decref(s);
    json_decref(t);
    CHECK(vote_session_public("not json", &v) == NULL);
    vote_session_input_clear(&in);
}

static void test_receipts(void)
{
    unsigned char key[VOTE_HASH_KEY_BYTES] = {1}, other[VOTE_HASH_KEY_BYTES] = {2};
    char a[VOTE_VOTER_HASH_HEX], b[VOTE_VOTER_HASH_HEX], ip[VOTE_IP_HASH_HEX];
    char token[VOTE_TOKEN_HEX], hash[VOTE_RECEIPT_HASH_HEX], hash2[VOTE_RECEIPT_HASH_HEX];
    char receipt[VOTE_RECEIPT_MAX], id[VOTE_RECEIPT_MAX], tok[VOTE_TOKEN_HEX];

    vote_voter_hash(key, "iss", "13800000000", a);
    CHECK_EQ_INT((int)strlen(a), 32);
    vote_voter_hash(key, "iss", "13800000000", b);
    CHECK_EQ_STR(a, b);
    vote_voter_hash(other, "iss", "13800000000", b);
    CHECK(strcmp(a, b) != 0);
    vote_voter_hash(key,
                    "iss\x1f"
                    "1",
                    "3800000000", b);
    CHECK(strcmp(a, b) != 0);
    vote_ip_hash(key, "198.51.100.1", ip);
    CHECK_EQ_INT((int)strlen(ip), 16);

    vote_receipt_token(token, hash);
    CHECK_EQ_INT((int)strlen(token), 32);
    vote_receipt_hash(token, hash2);
    CHECK_EQ_STR(hash, hash2);
    vote_receipt_hash("abc", hash2);
    CHECK_EQ_STR(hash2, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(vote_hash_equal(hash, hash) && !vote_hash_equal(hash, hash2));
    CHECK(!vote_hash_equal("ab", "abc"));
    CHECK(vote_receipt_format("1795224600123-0", token, receipt));
    CHECK(vote_receipt_parse(receipt, id, tok));
    CHECK_EQ_STR(id, "1795224600123-0");
    CHECK_EQ_STR(tok, token);
    static const char *const bad[] = {
        "",
        "1-0",
        "1-0.",
        "1-0.0123456789abcdef0123456789abcde",
        "1-0.0123456789abcdef0123456789abcdef0",
        "1-0.0123456789ABCDEF0123456789abcdef",
        "-0.0123456789abcdef0123456789abcdef",
        "1-.0123456789abcdef0123456789abcdef",
        "a-0.0123456789abcdef0123456789abcdef",
        "1234567890123456-0.0123456789abcdef0123456789abcdef",
        "1-0-0.0123456789abcdef0123456789abcdef",
    };
    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        CHECKF(!vote_receipt_parse(bad[i], id, tok), "\"%s\" parsed", bad[i]);
    }
    CHECK(!vote_receipt_parse(NULL, id, tok));
}

int main(void)
{
    static const struct test_case cases[] = {
        {"stream ids", test_stream_ids},
        {"state and ids", test_state_and_uuid},
        {"PUT body checks and the normalised doc", test_parse_body},
        {"public session and tally", test_views},
        {"voter, IP and receipt hashes", test_receipts},
    };

    if (sodium_init() < 0)
        return 1;
    return test_run(cases, TEST_COUNT(cases));
}
