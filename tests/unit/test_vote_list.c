/* SPDX-License-Identifier: MIT */
/* voting/model: vote_list, the pure parts of GET /v1/sessions (the `state`
 * and `limit` parameters, the opaque cursor, an item's JSON). */
#include <string.h>

#include <sodium.h>

#include "model/vote_list.h"
#include "test.h"

#define SID "0b5c2f3e-6a57-4d7e-9a51-2f9f3d1c8e42"
#define RID "11111111-1111-4111-8111-111111111111"

static void test_state_param(void)
{
    static const struct {
        const char *state;
        char mode;
    } good[] = {{NULL, 'a'}, {"open", 'o'}, {"scheduled", 's'}, {"closed", 'c'}};
    static const char *const bad[] = {"",    "Open",   "OPEN", "open ", " open",
                                      "all", "sealed", "a",    "o",     "closed,open"};
    char mode;

    for (size_t i = 0; i < TEST_COUNT(good); i++) {
        mode = '?';
        CHECKF(vote_list_mode_of(good[i].state, &mode) && mode == good[i].mode, "state %s",
               good[i].state != NULL ? good[i].state : "(none)");
    }
    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        mode = '?';
        CHECKF(!vote_list_mode_of(bad[i], &mode) && mode == '?', "\"%s\" accepted", bad[i]);
    }
}

static void test_limit(void)
{
    static const struct {
        const char *text;
        int limit;
    } good[] = {{NULL, VOTE_LIST_LIMIT_DEF}, {"1", 1}, {"20", 20}, {"100", 100}, {"007", 7}};
    static const char *const bad[] = {"",   "0",  "101",  "-1",  "+5",  " 5",
                                      "5 ", "2x", "0x10", "1e2", "5.0", "99999999999999999999"};
    int limit;

    for (size_t i = 0; i < TEST_COUNT(good); i++) {
        limit = -1;
        CHECKF(vote_list_limit_parse(good[i].text, 100, &limit) && limit == good[i].limit,
               "limit %s", good[i].text != NULL ? good[i].text : "(none)");
    }
    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        limit = -1;
        CHECKF(!vote_list_limit_parse(bad[i], 100, &limit) && limit == -1, "\"%s\" accepted",
               bad[i]);
    }
}

/* The cursor a client gets: http_reply_list() hex-encodes the key. */
static void cursor_of(char mode, long long ms, const char *id, char out[2 * VOTE_LIST_KEY_MAX])
{
    char key[VOTE_LIST_KEY_MAX];

    vote_list_cursor_format(mode, ms, id, key);
    sodium_bin2hex(out, 2 * VOTE_LIST_KEY_MAX, (const unsigned char *)key, strlen(key));
}

static void test_cursor_round_trip(void)
{
    static const char modes[] = {'a', 'o', 's', 'c'};
    static const long long times[] = {VOTE_TIME_MIN_MS, 1795224600123LL, VOTE_TIME_MAX_MS};
    char key[VOTE_LIST_KEY_MAX], cursor[2 * VOTE_LIST_KEY_MAX], id[VOTE_LIST_ID_MAX];
    long long ms;

    vote_list_cursor_format('o', 1795224600123LL, SID, key);
    CHECK_EQ_STR(key, "o.1795224600123." SID);
    for (size_t m = 0; m < TEST_COUNT(modes); m++) {
        for (size_t t = 0; t < TEST_COUNT(times); t++) {
            cursor_of(modes[m], times[t], SID, cursor);
            ms = 0;
            id[0] = '\0';
            CHECKF(vote_list_cursor_parse(cursor, modes[m], &ms, id), "mode %c", modes[m]);
            CHECK(ms == times[t]);
            CHECK_EQ_STR(id, SID);
            /* A cursor pages only the list it came from. */
            for (size_t o = 0; o < TEST_COUNT(modes); o++) {
                if (o != m) {
                    CHECK(!vote_list_cursor_parse(cursor, modes[o], &ms, id));
                }
            }
        }
    }
}

static void test_cursor_rejects(void)
{
    static const char *const forged[] = {
        "o.1795224600123." SID "x",                             /* id too long */
        "o.1795224600123.0B5C2F3E-6A57-4D7E-9A51-2F9F3D1C8E42", /* not lowercase */
        "o.1795224600123." RID "-",
        "o.1795224600123",
        "o.1795224600123.",
        "o..1795224600123." SID,
        "o.-1795224600123." SID,
        "o.+1795224600123." SID,
        "o. 1795224600123." SID,
        "o.1577807999999." SID, /* before VOTE_TIME_MIN_MS */
        "o.4102416000001." SID, /* after VOTE_TIME_MAX_MS */
        "o.99999999999999999999999." SID,
        "o:1795224600123." SID,
        "x.1795224600123." SID,
        ".1795224600123." SID,
        "a.1.x",
        "o",
        "",
    };
    static const char *const raw[] = {
        "", "zz", "abc", "00", "6f2e31", "6f 2e31", "0x6f2e31",
    };
    char hex[4 * VOTE_LIST_KEY_MAX + 1], id[VOTE_LIST_ID_MAX];
    char with_nul[] = "o.1795224600123.\0" SID;
    long long ms;

    for (size_t i = 0; i < TEST_COUNT(forged); i++) {
        sodium_bin2hex(hex, sizeof(hex), (const unsigned char *)forged[i], strlen(forged[i]));
        CHECKF(!vote_list_cursor_parse(hex, 'o', &ms, id), "forged \"%s\" accepted", forged[i]);
    }
    for (size_t i = 0; i < TEST_COUNT(raw); i++) {
        CHECKF(!vote_list_cursor_parse(raw[i], 'o', &ms, id), "\"%s\" accepted", raw[i]);
    }
    CHECK(!vote_list_cursor_parse(NULL, 'o', &ms, id));
    /* An embedded NUL byte. */
    sodium_bin2hex(hex, sizeof(hex), (const unsigned char *)with_nul, sizeof(with_nul) - 1);
    CHECK(!vote_list_cursor_parse(hex, 'o', &ms, id));
    /* Longer than any key issued. */
    memset(hex, 'a', sizeof(hex) - 1);
    hex[sizeof(hex) - 1] = '\0';
    CHECK(!vote_list_cursor_parse(hex, 'o', &ms, id));
}

static void test_item_json(void)
{
    json_t *item =
        vote_list_item_json(SID, RID, "评选", VOTE_STATE_OPEN, 1795224600000LL, 1795829400500LL);
    char *text = item != NULL ? json_dumps(item, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

    CHECK(text != NULL);
    if (text != NULL) {
        CHECK_EQ_STR(text, "{\"id\":\"" SID "\",\"round_id\":\"" RID "\",\"title\":\"评选\","
                           "\"state\":\"open\",\"opens_at\":\"2026-11-21T09:30:00+08:00\","
                           "\"closes_at\":\"2026-11-28T09:30:00.500+08:00\"}");
    }
    free(text);
    json_decref(item);
    /* A title that is not UTF-8 cannot be rendered. */
    CHECK(vote_list_item_json(SID, RID, "\xff", VOTE_STATE_OPEN, 1795224600000LL,
                              1795829400000LL) == NULL);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"state", test_state_param},
        {"limit", test_limit},
        {"cursor round trip, one list each", test_cursor_round_trip},
        {"foreign and malformed cursors", test_cursor_rejects},
        {"item JSON", test_item_json},
    };

    if (sodium_init() < 0)
        return 1;
    return test_run(cases, TEST_COUNT(cases));
}
