/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for voting/model/vote_log.c: the canonical line (times in
 * Asia/Shanghai across midnight, month, year and leap day; milliseconds;
 * malformed arguments refused) and the checker behind `verify-log` (a good
 * log recounts and hashes like sha256sum; every kind of tampering is found
 * on the right line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "model/vote_log.h"
#include "test.h"

#define N1 "0b6f8c1e-2d3a-4c5b-9e8f-7a6b5c4d3e2f"
#define N2 "1c7a9d2f-3e4b-4d6c-8f9a-8b7c6d5e4f30"
#define H1 "a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778"
#define H2 "b3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778"
#define H3 "c3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778"
#define H4 "d3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778"

struct line_vector {
    const char *stream_id;
    const char *at; /* expected `at`, NULL when the call must fail */
};

static const struct line_vector line_vectors[] = {
    {"1795224600123-0", "2026-11-21T09:30:00.123+08:00"},
    {"1795276799999-0", "2026-11-21T23:59:59.999+08:00"}, /* last ms of the Shanghai day */
    {"1795276800000-7", "2026-11-22T00:00:00.000+08:00"}, /* 16:00 UTC is midnight here */
    {"1835366400007-0", "2028-02-29T00:00:00.007+08:00"}, /* leap day */
    {"1798732800000-0", "2027-01-01T00:00:00.000+08:00"}, /* new year */
    {"0-0", "1970-01-01T08:00:00.000+08:00"},
    {"1795224600123-18446744073709551615", "2026-11-21T09:30:00.123+08:00"},
    {"1795224600123", NULL},   /* no sequence */
    {"1795224600123-", NULL},  /* empty sequence */
    {"-1795224600-0", NULL},   /* sign */
    {"17952246x0123-0", NULL}, /* not digits */
    {"1795224600123-0 ", NULL},
    {"", NULL},
    {"253402272000000-0", NULL}, /* past year 9999 */
    {"99999999999999999999999-0", NULL},
};

static void test_line_times(void)
{
    for (size_t i = 0; i < TEST_COUNT(line_vectors); i++) {
        const struct line_vector *v = &line_vectors[i];
        char buf[VOTE_LOG_LINE_MAX], want[VOTE_LOG_LINE_MAX];
        size_t n = vote_log_line(buf, sizeof(buf), v->stream_id, N1, H1);

        if (v->at == NULL) {
            CHECKF(n == 0, "row %zu (%s) accepted", i, v->stream_id);
            continue;
        }
        snprintf(want, sizeof(want),
                 "{\"at\":\"%s\",\"nominee_id\":\"" N1 "\",\"receipt_hash\":\"" H1 "\"}\n", v->at);
        CHECKF(n == strlen(want), "row %zu: length %zu", i, n);
        CHECK_EQ_STR(buf, want);
    }
}

/* vote_log_time is the same rendering without the line around it. */
static void test_time(void)
{
    char buf[VOTE_LOG_TIME_LEN + 1];

    CHECK(vote_log_time(buf, sizeof(buf), 1795276800000LL));
    CHECK_EQ_STR(buf, "2026-11-22T00:00:00.000+08:00");
    CHECK(vote_log_time(buf, sizeof(buf), 253402271999999LL));
    CHECK_EQ_STR(buf, "9999-12-31T23:59:59.999+08:00");
    CHECK(!vote_log_time(buf, sizeof(buf), -1));
    CHECK(!vote_log_time(buf, sizeof(buf), 253402272000000LL));
    CHECK(!vote_log_time(buf, sizeof(buf) - 1, 0)); /* no room for the NUL */
}

struct arg_vector {
    const char *nominee_id;
    const char *receipt_hash;
};

static const struct arg_vector bad_args[] = {
    {"0B6F8C1E-2D3A-4C5B-9E8F-7A6B5C4D3E2F", H1},  /* upper case */
    {"0b6f8c1e2d3a4c5b9e8f7a6b5c4d3e2f", H1},      /* no dashes */
    {"0b6f8c1e-2d3a-4c5b-9e8f-7a6b5c4d3e2", H1},   /* short */
    {"0b6f8c1e-2d3a-4c5b-9e8f-7a6b5c4d3e2ff", H1}, /* long */
    {"0b6f8c1e-2d3a-4c5b-9e8f-7a6b5c4d3e2\"", H1}, /* a quote */
    {N1, "A3F1C2D4E5B6A7980112233445566778899AABBCCDDEEFF00112233445566778"},
    {N1, "a3f1c2d4e5b6a7980112233445566778899aabbccddeeff0011223344556677"},
    {N1, "a3f1c2d4e5b6a7980112233445566778899aabbccddeeff001122334455667788"},
    {N1, "g3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778"},
    {N1, ""},
};

static void test_line_bad_args(void)
{
    char buf[VOTE_LOG_LINE_MAX];

    for (size_t i = 0; i < TEST_COUNT(bad_args); i++) {
        CHECKF(vote_log_line(buf, sizeof(buf), "1795224600123-0", bad_args[i].nominee_id,
                             bad_args[i].receipt_hash) == 0,
               "row %zu accepted", i);
    }
    CHECK(vote_log_line(buf, sizeof(buf), NULL, N1, H1) == 0);
    CHECK(vote_log_line(buf, sizeof(buf), "1-0", NULL, H1) == 0);
    CHECK(vote_log_line(buf, sizeof(buf), "1-0", N1, NULL) == 0);
    /* The exact size fits; one byte less does not. */
    size_t n = vote_log_line(buf, sizeof(buf), "1795224600123-0", N1, H1);
    CHECK(n > 0);
    CHECK(vote_log_line(buf, n + 1, "1795224600123-0", N1, H1) == n);
    CHECK(vote_log_line(buf, n, "1795224600123-0", N1, H1) == 0);
}

/* A four-vote log: N1 three times, N2 once, times not decreasing. */
static size_t good_log(char *buf, size_t len)
{
    static const char *const rows[][3] = {
        {"1795276799999-0", N1, H1},
        {"1795276800000-0", N2, H2},
        {"1795276800000-1", N1, H3},
        {"1795276800001-0", N1, H4},
    };
    size_t used = 0;

    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        used += vote_log_line(buf + used, len - used, rows[i][0], rows[i][1], rows[i][2]);
    }
    return used;
}

static bool check_text(const char *text, size_t len, struct vote_log_check *out)
{
    FILE *f = len > 0 ? fmemopen((void *)text, len, "r") : fopen("/dev/null", "r");
    bool ok;

    if (f == NULL) {
        return false;
    }
    ok = vote_log_check_stream(f, out);
    fclose(f);
    return ok;
}

static long count_of(const struct vote_log_check *c, const char *nominee)
{
    for (size_t i = 0; i < c->n_nominees; i++) {
        if (strcmp(c->counts[i].nominee_id, nominee) == 0) {
            return c->counts[i].votes;
        }
    }
    return 0;
}

static void test_check_good(void)
{
    static struct vote_log_check c;
    char log[1024], hex[65];
    unsigned char digest[32];
    size_t len = good_log(log, sizeof(log));

    CHECK(check_text(log, len, &c));
    CHECK_EQ_INT(c.entries, 4);
    CHECK_EQ_INT(c.bad_line, 0);
    CHECK_EQ_INT(c.n_nominees, 2);
    CHECK_EQ_INT(count_of(&c, N1), 3);
    CHECK_EQ_INT(count_of(&c, N2), 1);
    crypto_hash_sha256(digest, (const unsigned char *)log, len);
    sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
    CHECK_EQ_STR(c.sha256, hex);

    /* The empty log is well-formed: no entries, the digest of nothing. */
    CHECK(check_text("", 0, &c));
    CHECK_EQ_INT(c.entries, 0);
    CHECK_EQ_STR(c.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* Each edit is applied to the good log at the first occurrence of `from`. */
struct tamper_vector {
    const char *name;
    const char *from;
    const char *to;
    long bad_line;
};

static const struct tamper_vector tampers[] = {
    {"nominee changed to a bad id", N2, "1c7a9d2f-3e4b-4d6c-8f9a-8b7c6d5e4f3Z", 2},
    {"one byte of a time", "00:00:00.000", "00:00:00.0x0", 2},
    {"space after a colon", "\"nominee_id\":\"", "\"nominee_id\": \"", 1},
    {"space before the newline", "\"}\n", "\"} \n", 1},
    {"CRLF", "\"}\n", "\"}\r\n", 1},
    {"other offset", "+08:00", "+00:00", 1},
    {"impossible time 24:00", "23:59:59.999", "24:00:00.000", 1},
    {"upper-case hash", H2, "B3F1C2D4E5B6A7980112233445566778899AABBCCDDEEFF00112233445566778", 2},
    {"duplicated receipt hash", H3, H1, 3},
    {"time going back", "2026-11-22T00:00:00.001", "2026-11-21T00:00:00.001", 4},
    {"keys in another order", "{\"at\"", "{\"At\"", 1},
};

static void apply(char *dst, size_t cap, const char *src, const char *from, const char *to)
{
    const char *at = strstr(src, from);

    if (at == NULL) {
        snprintf(dst, cap, "%s", src);
        return;
    }
    snprintf(dst, cap, "%.*s%s%s", (int)(at - src), src, to, at + strlen(from));
}

static void test_check_tampered(void)
{
    static struct vote_log_check c;
    char log[1024], bad[1200];

    good_log(log, sizeof(log));
    for (size_t i = 0; i < TEST_COUNT(tampers); i++) {
        const struct tamper_vector *t = &tampers[i];

        apply(bad, sizeof(bad), log, t->from, t->to);
        CHECKF(strcmp(bad, log) != 0, "%s: edit not applied", t->name);
        CHECKF(!check_text(bad, strlen(bad), &c), "%s: accepted", t->name);
        CHECKF(c.bad_line == t->bad_line, "%s: bad line %ld, want %ld", t->name, c.bad_line,
               t->bad_line);
        CHECKF(c.reason[0] != '\0', "%s: no reason", t->name);
    }
}

/* Edits that keep every line canonical: the checker accepts them, but the
 * recount and the digest change, which verify-log compares. */
static void test_check_changes_counts_or_digest(void)
{
    static struct vote_log_check good, c;
    char log[1024], bad[1200];
    size_t len = good_log(log, sizeof(log));

    CHECK(check_text(log, len, &good));
    /* Another valid nominee on line 2. */
    apply(bad, sizeof(bad), log, N2, N1);
    CHECK(check_text(bad, strlen(bad), &c));
    CHECK_EQ_INT(count_of(&c, N1), 4);
    CHECK(strcmp(c.sha256, good.sha256) != 0);
    /* Lines 2 and 3 (same millisecond) swapped. */
    const char *l2 = strchr(log, '\n') + 1, *l3 = strchr(l2, '\n') + 1, *l4 = strchr(l3, '\n') + 1;
    snprintf(bad, sizeof(bad), "%.*s%.*s%.*s%s", (int)(l2 - log), log, (int)(l4 - l3), l3,
             (int)(l3 - l2), l2, l4);
    CHECK(check_text(bad, strlen(bad), &c));
    CHECK_EQ_INT(c.entries, 4);
    CHECK(strcmp(c.sha256, good.sha256) != 0);
    /* Lines 1 and 2 swapped: time goes back on line 2. */
    snprintf(bad, sizeof(bad), "%.*s%.*s%s", (int)(l3 - l2), l2, (int)(l2 - log), log, l3);
    CHECK(!check_text(bad, strlen(bad), &c));
    CHECK_EQ_INT(c.bad_line, 2);
    /* A line dropped. */
    snprintf(bad, sizeof(bad), "%.*s%s", (int)(l2 - log), log, l3);
    CHECK(check_text(bad, strlen(bad), &c));
    CHECK_EQ_INT(c.entries, 3);
    CHECK_EQ_INT(count_of(&c, N2), 0);
}

static void test_check_truncated(void)
{
    static struct vote_log_check c;
    char log[1024];
    size_t len = good_log(log, sizeof(log));

    CHECK(!check_text(log, len - 1, &c)); /* the last newline missing */
    CHECK_EQ_INT(c.bad_line, 4);
    CHECK(!check_text(log, len - 20, &c)); /* cut in the middle of a hash */
    CHECK_EQ_INT(c.bad_line, 4);
    CHECK_EQ_INT(c.entries, 4);
    /* A very long line is refused on its own line and reading goes on. */
    char *big = malloc(len + 1000);
    if (big == NULL) {
        CHECK(big != NULL);
        return;
    }
    memset(big, 'x', 999);
    big[999] = '\n';
    memcpy(big + 1000, log, len);
    CHECK(!check_text(big, len + 1000, &c));
    CHECK_EQ_INT(c.bad_line, 1);
    CHECK_EQ_INT(c.entries, 5);
    free(big);
    /* Blank lines are not log lines. */
    CHECK(!check_text("\n", 1, &c));
    CHECK_EQ_INT(c.bad_line, 1);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"line: times in Asia/Shanghai", test_line_times},
        {"line: malformed arguments", test_line_bad_args},
        {"time: rendering and range", test_time},
        {"check: good log", test_check_good},
        {"check: tampered lines", test_check_tampered},
        {"check: canonical edits change counts or digest", test_check_changes_counts_or_digest},
        {"check: truncated and overlong", test_check_truncated},
    };

    if (sodium_init() < 0) {
        return 1;
    }
    return test_run(cases, TEST_COUNT(cases));
}
