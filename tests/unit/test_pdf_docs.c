/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/render (issue 13): Chinese dates, and the three PDFs
 * rendered from synthetic data (invented names) — each a PDF, of the pages
 * expected, refused on bad input, and alike from many threads at once.
 * With JX_PDF_OUT set the PDFs are also written there, for
 * tests/unit/test_pdf_tools.sh to read with poppler and zbar.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_docs.h"
#include "test.h"

#define N_ENTRIES 40 /* runs the notice and the result list onto several pages */

static const char *const surnames[] = {"张", "王", "李", "赵", "陈", "刘", "杨", "黄"};
static const char *const given[] = {"三丰", "明远", "晓东", "建国", "海燕",
                                    "志强", "丽华", "文博", "春生", "秋实"};

static char names[N_ENTRIES][32];
static char scores[N_ENTRIES][16];
static char shares[N_ENTRIES][16];
static struct pdf_notice_entry notice_entries[N_ENTRIES];
static struct pdf_result_entry result_entries[N_ENTRIES];

static const struct pdf_certificate certificate = {
    .title = "岚山工匠",
    .holder_name = "张三丰",
    .employer = "日照示例精密机械有限公司",
    .occupation = "数控车工",
    .number = "LSGJ-2027-001",
    .issued_on = "2027-03-15",
    .issuer = "中共岚山区委人才工作领导小组",
    .verify_url = "https://jiangxin.example.cn/v/LSGJ-2027-001?code=7KQ4M2XD",
    .verify_code = "7KQ4M2XD",
};

static struct pdf_notice notice = {
    .title = "关于2027年度“岚山工匠”拟认定人选的公示",
    .intro = "根据《岚山工匠评选管理办法》，经单位推荐、资格审查、专家评审和领导小组研究，"
             "确定以下同志为2027年度“岚山工匠”拟认定人选，现予以公示。",
    .entries = notice_entries,
    .n_entries = N_ENTRIES,
    .period = "2027年3月2日至2027年3月8日（5个工作日）",
    .contact = "区委人才工作领导小组办公室，电话 0633-0000000，地址：示例路1号",
    .issuer = "中共岚山区委人才工作领导小组",
    .published_on = "2027-03-01",
};

static struct pdf_result_list results = {
    .title = "2027年度“岚山工匠”评选结果",
    .subtitle = "（按综合得分排序）",
    .entries = result_entries,
    .n_entries = N_ENTRIES,
    .issuer = "中共岚山区委人才工作领导小组",
    .published_on = "2027-03-20",
};

/* 40 invented people: 张三丰, 王明远, … 黄秋实 (every pair of the two
 * lists once), the deeds long enough to wrap. */
static void make_entries(void)
{
    for (size_t i = 0; i < N_ENTRIES; i++) {
        snprintf(names[i], sizeof(names[i]), "%s%s", surnames[i % 8], given[i % 10]);
        snprintf(scores[i], sizeof(scores[i]), "%.2f", 95.0 - (double)i * 0.75);
        snprintf(shares[i], sizeof(shares[i]), "%.2f%%", 10.0 - (double)i * 0.2);
        notice_entries[i] = (struct pdf_notice_entry){
            .name = names[i],
            .employer = i % 3 ? "日照示例精密机械有限公司" : "岚山示例港务集团装卸作业部",
            .occupation = i % 2 ? "数控车工" : "焊工",
            .deeds_summary = "扎根生产一线二十年，主持完成关键工艺改进多项，带徒三十余人，"
                             "获省级技能大赛一等奖，所在班组连续三年安全生产无事故。",
        };
        result_entries[i] = (struct pdf_result_entry){
            .rank = (int)i + 1,
            .name = names[i],
            .employer = notice_entries[i].employer,
            .occupation = notice_entries[i].occupation,
            .score = scores[i],
            .vote_share = i == 7 ? NULL : shares[i],
            .outcome = i < 10 ? "认定" : "未入选",
        };
    }
}

/* Page objects in the PDF ("/Type /Page", not "/Type /Pages"): cairo
 * writes its object dictionaries uncompressed. */
static int count_pages(const struct textbuf *b)
{
    static const char key[] = "/Type /Page";
    int n = 0;

    for (const char *p = b->data;
         (p = memmem(p, b->len - (size_t)(p - b->data), key, sizeof(key) - 1)) != NULL;
         p += sizeof(key) - 1) {
        n += p[sizeof(key) - 1] != 's';
    }
    return n;
}

/* Writes the PDF to $JX_PDF_OUT/name when that is set. */
static void keep(const char *name, const struct textbuf *b)
{
    const char *dir = getenv("JX_PDF_OUT");
    char path[4096];
    FILE *f;

    if (dir == NULL || dir[0] == '\0') {
        return;
    }
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    CHECKF(f != NULL, "cannot write %s", path);
    if (f != NULL) {
        CHECK(fwrite(b->data, 1, b->len, f) == b->len);
        CHECK(fclose(f) == 0);
    }
}

static bool is_pdf(const struct textbuf *b)
{
    return b->data != NULL && b->len > 1000 && memcmp(b->data, "%PDF-", 5) == 0;
}

static void test_chinese_date(void)
{
    static const struct {
        const char *iso, *want;
    } rows[] = {
        {"2027-03-15", "二〇二七年三月十五日"},
        {"2000-01-01", "二〇〇〇年一月一日"},
        {"2027-10-10", "二〇二七年十月十日"},
        {"2027-11-20", "二〇二七年十一月二十日"},
        {"2027-12-31", "二〇二七年十二月三十一日"},
        {"2028-02-29", "二〇二八年二月二十九日"},
        {"1999-09-09", "一九九九年九月九日"},
        {"2027-02-29", NULL},
        {"2027-13-01", NULL},
        {"2027-04-31", NULL},
        {"2027-3-15", NULL},
        {"2027-03-15T00:00", NULL},
        {"二〇二七年", NULL},
        {"", NULL},
        {NULL, NULL},
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char out[PDF_CHINESE_DATE_MAX];
        bool ok = pdf_chinese_date(rows[i].iso, out);

        CHECKF(ok == (rows[i].want != NULL), "row %zu", i);
        CHECK_EQ_STR(out, rows[i].want != NULL ? rows[i].want : "");
    }
}

static void test_certificate(void)
{
    struct textbuf b;

    CHECK_EQ_INT(pdf_certificate_render(&certificate, &b), 0);
    CHECK(is_pdf(&b));
    CHECK_EQ_INT(count_pages(&b), 1);
    keep("certificate.pdf", &b);
    textbuf_free(&b);
}

static void test_notice(void)
{
    struct pdf_notice one = notice;
    struct textbuf b;

    CHECK_EQ_INT(pdf_notice_render(&notice, &b), 0);
    CHECK(is_pdf(&b));
    CHECKF(count_pages(&b) > 2, "40 entries on %d pages", count_pages(&b));
    keep("notice.pdf", &b);
    textbuf_free(&b);

    one.n_entries = 1;
    CHECK_EQ_INT(pdf_notice_render(&one, &b), 0);
    CHECK_EQ_INT(count_pages(&b), 1);
    textbuf_free(&b);
}

static void test_result_list(void)
{
    struct pdf_result_entry novote[3];
    struct pdf_result_list r = results;
    struct textbuf b;

    CHECK_EQ_INT(pdf_result_list_render(&results, &b), 0);
    CHECK(is_pdf(&b));
    CHECKF(count_pages(&b) > 1, "40 rows on %d pages", count_pages(&b));
    keep("result_list.pdf", &b);
    textbuf_free(&b);

    /* a programme without a vote and without scores: two columns fewer */
    for (size_t i = 0; i < 3; i++) {
        novote[i] = result_entries[i];
        novote[i].score = novote[i].vote_share = NULL;
    }
    r.entries = novote;
    r.n_entries = 3;
    r.subtitle = NULL;
    CHECK_EQ_INT(pdf_result_list_render(&r, &b), 0);
    CHECK(is_pdf(&b));
    CHECK_EQ_INT(count_pages(&b), 1);
    keep("result_list_novote.pdf", &b);
    textbuf_free(&b);
}

/* Bad input answers -1 with the buffer freed (data NULL). */
static void test_refusals(void)
{
    static char long_url[4000];
    struct pdf_certificate c = certificate;
    struct pdf_notice n = notice;
    struct pdf_result_list r = results;
    struct pdf_notice_entry nameless = notice_entries[0];
    struct textbuf b;

    c.holder_name = NULL;
    CHECK_EQ_INT(pdf_certificate_render(&c, &b), -1);
    CHECK(b.data == NULL);
    c = certificate;
    c.issued_on = "2027-02-30";
    CHECK_EQ_INT(pdf_certificate_render(&c, &b), -1);
    CHECK(b.data == NULL);
    memset(long_url, 'a', sizeof(long_url) - 1);
    c = certificate;
    c.verify_url = long_url; /* more than a version-40 code holds */
    CHECK_EQ_INT(pdf_certificate_render(&c, &b), -1);
    CHECK(b.data == NULL);

    n.published_on = "2027-03";
    CHECK_EQ_INT(pdf_notice_render(&n, &b), -1);
    CHECK(b.data == NULL);
    n = notice;
    nameless.name = NULL;
    n.entries = &nameless;
    n.n_entries = 1;
    CHECK_EQ_INT(pdf_notice_render(&n, &b), -1);
    CHECK(b.data == NULL);
    n.n_entries = PDF_ENTRIES_MAX + 1;
    CHECK_EQ_INT(pdf_notice_render(&n, &b), -1);

    r.issuer = NULL;
    CHECK_EQ_INT(pdf_result_list_render(&r, &b), -1);
    CHECK(b.data == NULL);
}

/* Markup characters in the caller's text are text, not markup. */
static void test_markup_is_escaped(void)
{
    struct pdf_certificate c = certificate;
    struct pdf_notice_entry e = notice_entries[0];
    struct pdf_notice n = notice;
    struct textbuf b;

    c.holder_name = "<b>A & B</b>";
    CHECK_EQ_INT(pdf_certificate_render(&c, &b), 0);
    CHECK(is_pdf(&b));
    textbuf_free(&b);
    e.deeds_summary = "<i>&amp; 未闭合 <b";
    n.entries = &e;
    n.n_entries = 1;
    CHECK_EQ_INT(pdf_notice_render(&n, &b), 0);
    CHECK(is_pdf(&b));
    textbuf_free(&b);
}

#define N_THREADS 4

static void *render_all(void *arg)
{
    int *failures = arg;
    struct textbuf b;

    *failures += pdf_certificate_render(&certificate, &b) != 0 || !is_pdf(&b);
    textbuf_free(&b);
    *failures += pdf_result_list_render(&results, &b) != 0 || !is_pdf(&b);
    textbuf_free(&b);
    return NULL;
}

/* The API renders on many request threads at once. */
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
}

int main(void)
{
    static const struct test_case cases[] = {
        {"Chinese dates", test_chinese_date},
        {"certificate", test_certificate},
        {"notice of 40 entries, and of one", test_notice},
        {"result list, with and without votes", test_result_list},
        {"bad input refused", test_refusals},
        {"markup characters are text", test_markup_is_escaped},
        {"many threads at once", test_threads},
    };

    make_entries();
    return test_run(cases, TEST_COUNT(cases));
}
