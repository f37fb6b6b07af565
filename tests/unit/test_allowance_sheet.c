/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/render/allowance_sheet.c with synthetic data (invented
 * names): the CSV byte for byte — BOM, header, a bank and an employer line,
 * amounts from fen, the totals row, formula injection and RFC 4180 quoting,
 * NULL fields — and the XLSX: a zip, 2,000 lines, many threads at once, and
 * no file left in the tmpdir, also when the tmpdir does not exist.
 */
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allowance_sheet.h"
#include "log.h"
#include "test.h"

#define BOM "\xEF\xBB\xBF"
#define HEADER \
    "序号,证书编号,姓名,项目,月份,金额（元）,收款方式,开户银行,账号,代发单位,统一社会信用代码\r\n"
#define N_BIG 2000

static char tmpdir[64]; /* made by main(), empty again after every test */

static const struct allowance_sheet_line bank_line = {
    .certificate_number = "LSGJ-2027-001",
    .holder_name = "张三丰",
    .programme = "岚山工匠",
    .month = "2027-04",
    .amount_fen = 50000,
    .method = "bank",
    .bank_name = "示例银行日照岚山支行",
    .account = "6222020000000000001",
};

static const struct allowance_sheet_line employer_line = {
    .certificate_number = "LSGJ-2027-002",
    .holder_name = "王明远",
    .programme = "岚山工匠",
    .month = "2027-04",
    .amount_fen = 123456,
    .method = "employer",
    .employer_name = "日照示例精密机械有限公司",
    .employer_code = "91371100MA3C000001",
};

#define BANK_ROW                                                                                       \
    "LSGJ-2027-001,张三丰,岚山工匠,2027-04,500.00,个人账户,示例银行日照岚山支行," \
    "6222020000000000001"                                                                              \
    ",,"
#define EMPLOYER_ROW                                                                                            \
    "LSGJ-2027-002,王明远,岚山工匠,2027-04,1234.56,单位代发,,,日照示例精密机械有限公司," \
    "91371100MA3C000001"

/* The sheet's CSV as a string (malloc'd), or NULL when rendering failed. */
static char *csv(const struct allowance_sheet_line *lines, size_t n)
{
    struct allowance_sheet s = {.batch_id = "b-1", .month = "2027-04", .state = "open"};
    struct textbuf b;

    s.lines = lines;
    s.n = n;
    textbuf_init(&b, 64);
    if (!allowance_sheet_csv(&s, &b)) {
        textbuf_free(&b);
        return NULL;
    }
    return textbuf_take(&b, NULL);
}

static void test_csv_empty(void)
{
    char *got = csv(NULL, 0);

    CHECK_EQ_STR(got, BOM HEADER "合计,,0人,,,0.00,,,,,\r\n");
    free(got);
}

static void test_csv_lines_and_totals(void)
{
    const struct allowance_sheet_line lines[] = {bank_line, employer_line, bank_line};
    char *got = csv(lines, 3);

    CHECK_EQ_STR(got, BOM HEADER "1," BANK_ROW "\r\n"
                                 "2," EMPLOYER_ROW "\r\n"
                                 "3," BANK_ROW "\r\n"
                                 "合计,,3人,,,2234.56,,,,,\r\n");
    free(got);
}

static void test_csv_amounts(void)
{
    static const struct {
        long long fen;
        const char *yuan;
    } cases[] = {
        {50000, "500.00"},
        {1, "0.01"},
        {123456, "1234.56"},
        {0, "0.00"},
        {100, "1.00"},
        {10, "0.10"},
        {-5, "-0.05"},
        {-12345, "-123.45"},
        {LLONG_MAX, "92233720368547758.07"},
        {LLONG_MIN, "-92233720368547758.08"},
    };

    for (size_t i = 0; i < TEST_COUNT(cases); i++) {
        struct allowance_sheet_line l = {.amount_fen = cases[i].fen};
        char want[256];
        char *got = csv(&l, 1);

        /* Amount cells are plain numbers: a minus sign gets no apostrophe. */
        snprintf(want, sizeof(want), BOM HEADER "1,,,,,%s,,,,,\r\n合计,,1人,,,%s,,,,,\r\n",
                 cases[i].yuan, cases[i].yuan);
        CHECKF(got != NULL && strcmp(got, want) == 0, "%lld fen: got %s", cases[i].fen,
               got != NULL ? got : "(null)");
        free(got);
    }
}

/* A sum past LLONG_MAX is refused, not undefined behaviour. */
static void test_sum_overflow(void)
{
    const struct allowance_sheet_line l = {.amount_fen = LLONG_MAX};
    const struct allowance_sheet_line lines[] = {l, l};
    struct allowance_sheet s = {.lines = lines, .n = 2};
    struct textbuf b;

    CHECK(csv(lines, 2) == NULL);
    textbuf_init(&b, 64);
    CHECK(!allowance_sheet_xlsx(&s, tmpdir, &b));
    CHECK_EQ_INT(b.len, 0);
    textbuf_free(&b);
}

/* Each value goes into every text field of a line (the method too: an
 * unknown one is shown as it is) and must come out as `cell` in each. */
static void test_csv_injection_and_quoting(void)
{
    static const struct {
        const char *in, *cell;
    } cases[] = {
        {"=SUM(A1)", "'=SUM(A1)"},
        {"+1", "'+1"},
        {"-1", "'-1"},
        {"@x", "'@x"},
        {"\tx", "'\tx"},
        {"\rx", "\"'\rx\""},
        {"张三,丰", "\"张三,丰\""},
        {"张\"三\"丰", "\"张\"\"三\"\"丰\""},
        {"\"", "\"\"\"\""},
        {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
        {"a\nb", "\"a\nb\""},
        {"a\r\nb", "\"a\r\nb\""},
        {"x=1+2", "x=1+2"},
        {" =1", " =1"},
        {"", ""},
    };

    for (size_t i = 0; i < TEST_COUNT(cases); i++) {
        const char *v = cases[i].in, *c = cases[i].cell;
        const struct allowance_sheet_line l = {
            .certificate_number = v,
            .holder_name = v,
            .programme = v,
            .month = v,
            .amount_fen = 1,
            .method = v,
            .bank_name = v,
            .account = v,
            .employer_name = v,
            .employer_code = v,
        };
        char want[1024];
        char *got = csv(&l, 1);

        snprintf(want, sizeof(want),
                 BOM HEADER "1,%s,%s,%s,%s,0.01,%s,%s,%s,%s,%s\r\n合计,,1人,,,0.01,,,,,\r\n", c, c,
                 c, c, c, c, c, c, c);
        CHECKF(got != NULL && strcmp(got, want) == 0, "case %zu: got %s", i,
               got != NULL ? got : "(null)");
        free(got);
    }
}

static void test_csv_null_fields(void)
{
    const struct allowance_sheet_line l = {.amount_fen = 2000};
    char *got = csv(&l, 1);

    CHECK_EQ_STR(got, BOM HEADER "1,,,,,20.00,,,,,\r\n合计,,1人,,,20.00,,,,,\r\n");
    free(got);
}

/* Entries in dir other than . and .., or -1 when it cannot be read. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (d == NULL) {
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    closedir(d);
    return n;
}

static struct allowance_sheet_line big_lines[N_BIG];
static char big_names[N_BIG][32];
static char big_accounts[N_BIG][32];

static const struct allowance_sheet big = {
    .batch_id = "b-2",
    .month = "2027-05",
    .state = "paid",
    .paid_reference = "PAY-0001",
    .lines = big_lines,
    .n = N_BIG,
};

/* 2,000 invented lines, every other one paid through the employer, with a
 * few cells that would be formulas in a CSV. */
static void make_big(void)
{
    static const char *const surnames[] = {"张", "王", "李", "赵", "陈", "刘", "杨", "黄"};
    static const char *const given[] = {"三丰", "明远", "晓东", "建国", "海燕",
                                        "志强", "丽华", "文博", "春生", "秋实"};

    for (size_t i = 0; i < N_BIG; i++) {
        snprintf(big_names[i], sizeof(big_names[i]), "%s%s", surnames[i % 8], given[i % 10]);
        snprintf(big_accounts[i], sizeof(big_accounts[i]), "62220200%011zu", i);
        big_lines[i] = i % 2 ? employer_line : bank_line;
        big_lines[i].holder_name = i % 97 == 0 ? "=1+1" : big_names[i];
        big_lines[i].account = i % 2 ? NULL : big_accounts[i];
        big_lines[i].amount_fen = 50000 + (long long)i;
    }
}

static bool is_zip(const struct textbuf *b)
{
    return b->len > 4 && memcmp(b->data, "PK\x03\x04", 4) == 0;
}

/* Zip entry names are stored uncompressed. */
static bool has_entry(const struct textbuf *b, const char *name)
{
    return memmem(b->data, b->len, name, strlen(name)) != NULL;
}

static void test_xlsx_small(void)
{
    const struct allowance_sheet_line lines[] = {bank_line, employer_line};
    const struct allowance_sheet s = {.lines = lines, .n = 2};
    struct textbuf b;

    textbuf_init(&b, 64);
    CHECK(allowance_sheet_xlsx(&s, tmpdir, &b));
    CHECK(is_zip(&b));
    CHECK(has_entry(&b, "xl/worksheets/sheet1.xml"));
    CHECK(has_entry(&b, "xl/workbook.xml"));
    CHECK_EQ_INT(count_entries(tmpdir), 0);
    textbuf_free(&b);
}

static void test_xlsx_empty(void)
{
    const struct allowance_sheet s = {.lines = NULL, .n = 0};
    struct textbuf b;

    textbuf_init(&b, 64);
    CHECK(allowance_sheet_xlsx(&s, tmpdir, &b));
    CHECK(is_zip(&b));
    CHECK_EQ_INT(count_entries(tmpdir), 0);
    textbuf_free(&b);
}

static void test_xlsx_big(void)
{
    struct textbuf b;
    const char *out = getenv("JX_SHEET_OUT"); /* keep it to open by hand */

    textbuf_init(&b, 64);
    CHECK(allowance_sheet_xlsx(&big, tmpdir, &b));
    CHECK(is_zip(&b));
    CHECK(b.len > 20000);
    CHECK_EQ_INT(count_entries(tmpdir), 0);
    if (out != NULL && out[0] != '\0') {
        FILE *f = fopen(out, "wb");

        CHECKF(f != NULL, "cannot write %s", out);
        if (f != NULL) {
            CHECK(fwrite(b.data, 1, b.len, f) == b.len);
            CHECK(fclose(f) == 0);
        }
    }
    textbuf_free(&b);
}

/* Appends: what was in the buffer stays in front. */
static void test_xlsx_appends(void)
{
    const struct allowance_sheet s = {.lines = &bank_line, .n = 1};
    struct textbuf b;

    textbuf_init(&b, 64);
    textbuf_puts(&b, "head");
    CHECK(allowance_sheet_xlsx(&s, tmpdir, &b));
    CHECK(b.len > 8 && memcmp(b.data, "headPK", 6) == 0);
    textbuf_free(&b);
}

static void test_xlsx_missing_tmpdir(void)
{
    const struct allowance_sheet s = {.lines = &bank_line, .n = 1};
    char missing[128];
    struct textbuf b;

    snprintf(missing, sizeof(missing), "%s/missing", tmpdir);
    textbuf_init(&b, 64);
    textbuf_puts(&b, "head");
    CHECK(!allowance_sheet_xlsx(&s, missing, &b));
    CHECK_EQ_STR(b.data, "head");
    CHECK_EQ_INT(b.len, 4);
    CHECK_EQ_INT(count_entries(tmpdir), 0);
    textbuf_free(&b);
}

#define N_THREADS 4

static void *render_all(void *arg)
{
    int *failures = arg;
    struct textbuf b;

    for (int k = 0; k < 3; k++) {
        textbuf_init(&b, 64);
        *failures += !allowance_sheet_xlsx(&big, tmpdir, &b) || !is_zip(&b);
        textbuf_free(&b);
        textbuf_init(&b, 64);
        *failures += !allowance_sheet_csv(&big, &b) || memcmp(b.data, BOM HEADER, 3) != 0;
        textbuf_free(&b);
    }
    return NULL;
}

/* The API renders on many request threads at once, into one tmpdir. */
static void test_threads(void)
{
    pthread_t threads[N_THREADS];
    int failures[N_THREADS] = {0};

    for (int i = 0; i < N_THREADS; i++) {
        CHECK(pthread_create(&threads[i], NULL, render_all, &failures[i]) == 0);
    }
    for (int i = 0; i < N_THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK_EQ_INT(failures[i], 0);
    }
    CHECK_EQ_INT(count_entries(tmpdir), 0);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"CSV: BOM, header and totals of an empty batch", test_csv_empty},
        {"CSV: a bank and an employer line, and the totals", test_csv_lines_and_totals},
        {"CSV: amounts in yuan from fen", test_csv_amounts},
        {"CSV and XLSX: a sum that overflows is refused", test_sum_overflow},
        {"CSV: formula injection and RFC 4180 quoting", test_csv_injection_and_quoting},
        {"CSV: NULL fields are empty", test_csv_null_fields},
        {"XLSX: a zip, nothing left in the tmpdir", test_xlsx_small},
        {"XLSX: an empty batch", test_xlsx_empty},
        {"XLSX: 2,000 lines", test_xlsx_big},
        {"XLSX: appends to the buffer", test_xlsx_appends},
        {"XLSX: a tmpdir that does not exist", test_xlsx_missing_tmpdir},
        {"many threads at once", test_threads},
    };
    const char *base = getenv("TMPDIR");
    int rc;

    snprintf(tmpdir, sizeof(tmpdir), "%s/jx-sheet-test-XXXXXX",
             base != NULL && base[0] != '\0' && strlen(base) < 32 ? base : "/tmp");
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    make_big();
    /* The refusals are logged to stdout, which is the TAP stream: mute. */
    log_init("test_allowance_sheet", (enum log_level)(LOG_ERROR + 1));
    rc = test_run(cases, TEST_COUNT(cases));
    if (rmdir(tmpdir) != 0) {
        perror("rmdir of the test's tmpdir (not empty?)");
        rc = 1;
    }
    return rc;
}
