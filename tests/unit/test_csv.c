/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/csv.c: RFC 4180 quoting (comma, quote, CR, LF)
 * and the formula guard (a leading = + - @ tab or CR becomes text), as
 * the allowance sheet and the nightly export write their cells.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "test.h"

static void test_cells(void)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"plain", "plain"},
        {"", ""},
        {"张三", "张三"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"cr\rlf", "\"cr\rlf\""},
        {"=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""},
        {"+1", "'+1"},
        {"-x", "'-x"},
        {"@x", "'@x"},
        {"\tx", "'\tx"},
        {"a,\"b\"\nc", "\"a,\"\"b\"\"\nc\""},
        {"x=1", "x=1"},
    };

    for (size_t i = 0; i < TEST_COUNT(cases); i++) {
        struct textbuf b;
        char *got;

        textbuf_init(&b, 4);
        csv_cell(&b, cases[i].in);
        got = textbuf_take(&b, NULL);
        CHECKF(got != NULL && strcmp(got, cases[i].want) == 0, "cell %zu: [%s] want [%s]", i,
               got ? got : "(null)", cases[i].want);
        free(got);
    }
}

static void test_null(void)
{
    struct textbuf b;
    size_t len = 99;
    char *got;

    textbuf_init(&b, 4);
    csv_cell(&b, NULL);
    got = textbuf_take(&b, &len);
    CHECK(got != NULL && len == 0);
    free(got);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"quoting and formula guard", test_cells},
        {"NULL is an empty cell", test_null},
    };

    return test_run(cases, TEST_COUNT(cases));
}
