/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/textbuf.c: JSON strings and integers written into
 * the buffer read byte for byte as json_dumps() writes them (the ranking's
 * reply was a jansson tree before and must not change), growth past the
 * first capacity, and NULL from a spent buffer.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "test.h"
#include "textbuf.h"

static const char *const strings[] = {
    "",
    "plain",
    "基准候选人1060",
    "say \"hi\"",
    "back\\slash",
    "a/b",
    "tab\there\nnew\rline\bback\fform",
    "\x01\x02\x1f\x7f",
    "理由：名次在后，但 \"专家一致\"\n第二行",
    "\xe2\x80\xa8 U+2028 and \xf0\x9f\x98\x80",
};

static void test_json_string(void)
{
    for (size_t i = 0; i < TEST_COUNT(strings); i++) {
        json_t *s = json_string(strings[i]);
        char *want = json_dumps(s, JSON_ENCODE_ANY | JSON_COMPACT | JSON_PRESERVE_ORDER);
        struct textbuf b;
        char *got;

        textbuf_init(&b, 4);
        textbuf_json_string(&b, strings[i]);
        got = textbuf_take(&b, NULL);
        CHECKF(want != NULL && got != NULL && strcmp(got, want) == 0, "string %zu: %s vs %s", i,
               got ? got : "(null)", want ? want : "(null)");
        free(got);
        free(want);
        json_decref(s);
    }
}

static void test_json_null_and_int(void)
{
    static const long long ints[] = {0, 7, -1, 2000, INT_MAX, LLONG_MIN, LLONG_MAX};
    struct textbuf b;
    size_t len = 0;
    char *got;

    for (size_t i = 0; i < TEST_COUNT(ints); i++) {
        json_t *n = json_integer(ints[i]);
        char *want = json_dumps(n, JSON_ENCODE_ANY);

        textbuf_init(&b, 1);
        textbuf_json_int(&b, ints[i]);
        got = textbuf_take(&b, NULL);
        CHECK(got != NULL && want != NULL);
        if (got != NULL && want != NULL) {
            CHECK_EQ_STR(got, want);
        }
        free(got);
        free(want);
        json_decref(n);
    }
    textbuf_init(&b, 1);
    textbuf_json_string(&b, NULL);
    got = textbuf_take(&b, &len);
    CHECK(got != NULL && len == 4);
    if (got != NULL) {
        CHECK_EQ_STR(got, "null");
    }
    free(got);
}

/* Appends far past the first capacity keep every byte and the length. */
static void test_growth(void)
{
    struct textbuf b;
    size_t len = 0;
    char *got;

    textbuf_init(&b, 2);
    for (int i = 0; i < 1000; i++) {
        textbuf_printf(&b, "%04d,", i);
        textbuf_puts(&b, "x");
    }
    got = textbuf_take(&b, &len);
    CHECK(got != NULL);
    CHECK_EQ_INT((long long)len, 6000);
    if (got != NULL) {
        CHECK(strlen(got) == len);
        CHECK(strncmp(got, "0000,x0001,x", 12) == 0);
        CHECK(strcmp(got + len - 6, "0999,x") == 0);
    }
    free(got);
}

/* A spent buffer takes no more text and answers NULL. */
static void test_spent(void)
{
    struct textbuf b;
    char *first;

    textbuf_init(&b, 8);
    textbuf_puts(&b, "once");
    first = textbuf_take(&b, NULL);
    CHECK(first != NULL);
    textbuf_puts(&b, "again");
    CHECK(textbuf_take(&b, NULL) == NULL);
    textbuf_free(&b);
    free(first);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"JSON strings as json_dumps", test_json_string},
        {"JSON null and integers", test_json_null_and_int},
        {"growth", test_growth},
        {"spent buffer", test_spent},
    };

    return test_run(cases, TEST_COUNT(cases));
}
