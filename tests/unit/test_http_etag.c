/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the conditional GET of common/http_io.c: the entity tag of
 * a body (a strong tag, equal for equal bytes, 32 hex digits) and the
 * If-None-Match comparison of RFC 9110 §13.1.2 — "*", lists, the weak
 * comparison that ignores W/, and malformed fields that match nothing.
 */
#include <string.h>

#include <sodium.h>

#include "http.h"
#include "test.h"

static void test_etag_of(void)
{
    char a[HTTP_ETAG_MAX], b[HTTP_ETAG_MAX], c[HTTP_ETAG_MAX];

    http_etag_of("{\"x\":1}", 7, a);
    http_etag_of("{\"x\":1}", 7, b);
    http_etag_of("{\"x\":2}", 7, c);
    CHECK(strlen(a) == 34 && a[0] == '"' && a[33] == '"');
    for (size_t i = 1; i < 33; i++) {
        CHECK((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f'));
    }
    CHECK(strcmp(a, b) == 0);
    CHECK(strcmp(a, c) != 0);
    http_etag_of("", 0, c);
    CHECK(strlen(c) == 34 && strcmp(a, c) != 0);
}

static const struct {
    const char *field;
    bool match;
} cases[] = {
    {"\"abc\"", true},
    {"W/\"abc\"", true},
    {"*", true},
    {"\"x\", \"abc\"", true},
    {"\"x\",\"abc\"", true},
    {"\"x\" ,\t W/\"abc\"", true},
    {"\"a,b\", \"abc\"", true},
    {"\"ab\"", false},
    {"\"abcd\"", false},
    {"\"ABC\"", false},
    {"abc", false},
    {"\"abc", false},
    {"", false},
    {"\"x\", junk, \"abc\"", false},
    {"\"x\", \"y\"", false},
};

static void test_if_none_match(void)
{
    for (size_t i = 0; i < TEST_COUNT(cases); i++) {
        if (http_if_none_match(cases[i].field, "\"abc\"") != cases[i].match) {
            test_fail(__FILE__, __LINE__, "If-None-Match: %s should %smatch \"abc\"",
                      cases[i].field, cases[i].match ? "" : "not ");
        }
    }
    /* The server's own tag written weak still compares by its opaque part. */
    CHECK(http_if_none_match("\"abc\"", "W/\"abc\""));
    CHECK(!http_if_none_match("\"abc\"", "abc"));
}

int main(void)
{
    static const struct test_case tests[] = {
        {"the tag of a body", test_etag_of},
        {"If-None-Match", test_if_none_match},
    };

    if (sodium_init() < 0) {
        return 1;
    }
    return test_run(tests, TEST_COUNT(tests));
}
