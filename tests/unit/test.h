/* SPDX-License-Identifier: MIT */
/*
 * A tiny header-only TAP (Test Anything Protocol) runner for the unit
 * tests. Each test is a void function; CHECK* macros record a failure with
 * file:line and let the test go on. test_run() prints `1..N`, one `ok` or
 * `not ok` line per test and the failures as `#` diagnostics after it.
 */
#ifndef JIANGXIN_TEST_H
#define JIANGXIN_TEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define TEST_DIAG_MAX 16 /* diagnostics kept per test; more are counted */
#define TEST_DIAG_LEN 320

struct test_case {
    const char *name;
    void (*fn)(void);
};

/* Failures of the test that is running; reset by test_run() before each. */
static struct {
    size_t n_failed;
    char diag[TEST_DIAG_MAX][TEST_DIAG_LEN];
} test_state;

#if defined(__GNUC__)
#define TEST_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TEST_PRINTF(f, a)
#endif

/* Records one failure; diagnostics are printed after the `not ok` line. */
TEST_PRINTF(3, 4) static void test_fail(const char *file, int line, const char *fmt, ...)
{
    size_t k = test_state.n_failed++;
    int used;
    va_list ap;

    if (k >= TEST_DIAG_MAX)
        return;
    used = snprintf(test_state.diag[k], TEST_DIAG_LEN, "%s:%d: ", file, line);
    if (used < 0 || used >= TEST_DIAG_LEN)
        return;
    va_start(ap, fmt);
    vsnprintf(test_state.diag[k] + used, TEST_DIAG_LEN - (size_t)used, fmt, ap);
    va_end(ap);
}

#define CHECK(cond)                                                   \
    do {                                                              \
        if (!(cond))                                                  \
            test_fail(__FILE__, __LINE__, "CHECK(%s) failed", #cond); \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                  \
    do {                                                                                    \
        long long test_a_ = (long long)(a), test_b_ = (long long)(b);                       \
        if (test_a_ != test_b_)                                                             \
            test_fail(__FILE__, __LINE__, "%s == %s failed: %lld != %lld", #a, #b, test_a_, \
                      test_b_);                                                             \
    } while (0)

/* CHECK with a printf-style message, for table rows: CHECKF(ok, "row %zu", i). */
#define CHECKF(cond, ...)                               \
    do {                                                \
        if (!(cond))                                    \
            test_fail(__FILE__, __LINE__, __VA_ARGS__); \
    } while (0)

/* NULL equals only NULL. */
#define CHECK_EQ_STR(a, b)                                                                      \
    do {                                                                                        \
        const char *test_a_ = (a), *test_b_ = (b);                                              \
        if (test_a_ == NULL || test_b_ == NULL ? test_a_ != test_b_ : strcmp(test_a_, test_b_)) \
            test_fail(__FILE__, __LINE__, "%s == %s failed: \"%s\" != \"%s\"", #a, #b,          \
                      test_a_ ? test_a_ : "(null)", test_b_ ? test_b_ : "(null)");              \
    } while (0)

/* Runs every case in order; returns 0 when all passed, 1 otherwise. */
static int test_run(const struct test_case *cases, size_t n)
{
    size_t i, k, n_failed_tests = 0;

    printf("1..%zu\n", n);
    for (i = 0; i < n; i++) {
        test_state.n_failed = 0;
        cases[i].fn();
        printf("%s %zu - %s\n", test_state.n_failed ? "not ok" : "ok", i + 1, cases[i].name);
        for (k = 0; k < test_state.n_failed && k < TEST_DIAG_MAX; k++)
            printf("# %s\n", test_state.diag[k]);
        if (test_state.n_failed > TEST_DIAG_MAX)
            printf("# ... and %zu more failures\n", test_state.n_failed - TEST_DIAG_MAX);
        if (test_state.n_failed)
            n_failed_tests++;
        fflush(stdout);
    }
    if (n_failed_tests)
        printf("# %zu of %zu tests failed\n", n_failed_tests, n);
    return n_failed_tests ? 1 : 0;
}

#define TEST_COUNT(cases) (sizeof(cases) / sizeof((cases)[0]))

#endif
