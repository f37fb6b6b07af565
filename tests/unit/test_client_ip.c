/* SPDX-License-Identifier: MIT */
/* common/client_ip: JIANGXIN_TRUSTED_PROXIES parsing and the
 * X-Forwarded-For walk, table-driven. */
#include <string.h>

#include "client_ip.h"
#include "test.h"

static void test_parse(void)
{
    static const char *const good[] = {
        "", " ", "127.0.0.1", "10.0.0.0/8, 192.168.1.1", "::1,fd00::/8", "0.0.0.0/0", ",,1.2.3.4,",
    };
    static const char *const bad[] = {
        "localhost", "10.0.0.0/33", "::/129",          "1.2.3.4/",
        "1.2.3.4/x", "1.2.3",       "1.2.3.4 5.6.7.8", "10.0.0.0/-1",
    };
    struct client_ip_trust t;
    char err[128];

    for (size_t i = 0; i < TEST_COUNT(good); i++) {
        CHECKF(client_ip_parse_trusted(good[i], &t, err, sizeof(err)), "\"%s\": %s", good[i], err);
    }
    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        CHECKF(!client_ip_parse_trusted(bad[i], &t, err, sizeof(err)), "\"%s\" accepted", bad[i]);
    }
    CHECK(client_ip_parse_trusted(NULL, &t, err, sizeof(err)) && t.n == 0);
    CHECK(client_ip_parse_trusted(" 10.1.0.0/16 ,::1 ", &t, err, sizeof(err)) && t.n == 2);
    CHECK(client_ip_is_trusted(&t, "10.1.255.3"));
    CHECK(!client_ip_is_trusted(&t, "10.2.0.1"));
    CHECK(client_ip_is_trusted(&t, "::1"));
    CHECK(!client_ip_is_trusted(&t, "::2"));
    CHECK(!client_ip_is_trusted(&t, "garbage"));
    CHECK(client_ip_parse_trusted("192.168.1.128/25", &t, err, sizeof(err)));
    CHECK(client_ip_is_trusted(&t, "192.168.1.200"));
    CHECK(!client_ip_is_trusted(&t, "192.168.1.127"));
}

struct resolve_case {
    const char *trusted;
    const char *peer;
    const char *xff;
    const char *want;
};

static const struct resolve_case resolve_cases[] = {
    /* no trusted proxies: the peer, whatever the header says */
    {"", "203.0.113.5", "198.51.100.1", "203.0.113.5"},
    {"", "203.0.113.5", NULL, "203.0.113.5"},
    /* an untrusted peer's header is ignored */
    {"127.0.0.1", "203.0.113.5", "198.51.100.1", "203.0.113.5"},
    /* trusted peer: the right-most address that is not a proxy */
    {"127.0.0.1", "127.0.0.1", "198.51.100.1", "198.51.100.1"},
    {"127.0.0.1", "127.0.0.1", "1.1.1.1, 198.51.100.1", "198.51.100.1"},
    {"127.0.0.1, 10.0.0.0/8", "127.0.0.1", "1.1.1.1, 198.51.100.1, 10.2.3.4", "198.51.100.1"},
    {"127.0.0.1", "127.0.0.1", "198.51.100.1,127.0.0.1", "198.51.100.1"},
    /* every hop trusted: the left-most */
    {"127.0.0.1, 10.0.0.0/8", "127.0.0.1", "10.0.0.1, 10.0.0.2", "10.0.0.1"},
    /* trusted peer without a header: the peer */
    {"127.0.0.1", "127.0.0.1", NULL, "127.0.0.1"},
    {"127.0.0.1", "127.0.0.1", "", "127.0.0.1"},
    /* garbage stops the walk at the last trusted hop */
    {"127.0.0.1", "127.0.0.1", "unknown", "127.0.0.1"},
    {"127.0.0.1, 10.0.0.0/8", "127.0.0.1", "1.1.1.1, junk, 10.0.0.9", "10.0.0.9"},
    {"127.0.0.1", "127.0.0.1", "1.1.1.1, ,", "127.0.0.1"},
    /* IPv6 clients, canonical text */
    {"127.0.0.1", "127.0.0.1", "2001:DB8::0:1", "2001:db8::1"},
    {"127.0.0.1", "127.0.0.1", " 198.51.100.7 ", "198.51.100.7"},
};

static void test_resolve(void)
{
    for (size_t i = 0; i < TEST_COUNT(resolve_cases); i++) {
        const struct resolve_case *c = &resolve_cases[i];
        struct client_ip_trust t;
        char err[128], got[CLIENT_IP_TEXT_MAX] = "";

        CHECK(client_ip_parse_trusted(c->trusted, &t, err, sizeof(err)));
        CHECKF(client_ip_resolve(&t, c->peer, c->xff, got) && strcmp(got, c->want) == 0,
               "case %zu: got \"%s\", want \"%s\"", i, got, c->want);
    }
    struct client_ip_trust none = {0};
    char got[CLIENT_IP_TEXT_MAX];
    CHECK(!client_ip_resolve(&none, "not-an-address", NULL, got));
    CHECK(!client_ip_resolve(&none, NULL, NULL, got));
}

int main(void)
{
    static const struct test_case cases[] = {
        {"trusted proxy list", test_parse},
        {"client address from X-Forwarded-For", test_resolve},
    };

    return test_run(cases, TEST_COUNT(cases));
}
