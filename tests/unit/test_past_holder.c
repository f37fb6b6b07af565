/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/past_holder.c: the CSV of past holders (BOM,
 * header in any order, quoting, CRLF, blank lines, broken lines) and the
 * row checks, every fault reported at once at its line or index.
 */
#include <string.h>

#include "civil_time.h"
#include "idcard.h"
#include "past_holder.h"
#include "test.h"
#include "test_problem.h"

/* A valid number of someone born in 1900 (synthetic: no real person). */
static const char *id_number(const char *seq3)
{
    static char out[4][IDCARD_LEN + 1];
    static int k;
    char *s = out[k++ % 4];

    snprintf(s, IDCARD_LEN + 1, "37110219000101%s", seq3);
    s[17] = idcard_check_char(s);
    s[18] = '\0';
    return s;
}

static int32_t today(void)
{
    int32_t d = 0;

    date_parse("2026-06-15", &d);
    return d;
}

static void test_csv(void)
{
    struct problem p = {.err = APP_OK};
    json_t *rows = NULL, *lines = NULL;
    char text[1024];

    snprintf(text, sizeof(text),
             "\xEF\xBB\xBFyear,name,id_number,certificate_number,document_no,recognized_on\r\n"
             "2019,张三,%s,LS-2019-01,\"岚政办发〔2018〕29号\",2019-05-01\r\n"
             "\r\n"
             "2020,\"李, \"\"四\"\"\",%s,LS-2020-01,岚政办发〔2018〕29号,\n",
             id_number("011"), id_number("022"));
    CHECK(past_holder_csv_read(text, strlen(text), &rows, &lines, &p));
    CHECK_EQ_INT(json_array_size(rows), 2);
    CHECK_EQ_INT(json_integer_value(json_array_get(lines, 1)), 4);
    CHECK_EQ_INT(json_integer_value(json_object_get(json_array_get(rows, 0), "year")), 2019);
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(rows, 1), "name")), "李, \"四\"");
    CHECK(json_object_get(json_array_get(rows, 1), "recognized_on") == NULL);
    CHECK(past_holder_check(rows, lines, today(), &p));
    CHECK_EQ_STR(test_faults(&p), "");
    json_decref(rows);
    json_decref(lines);
}

static void test_csv_faults(void)
{
    static const struct {
        const char *text, *faults;
    } cases[] = {
        {"", "/:empty_file"},
        {"name,id_number\n", "/lines/1:csv_header"},
        {"name,id_number,year,certificate_number,document_no,extra\n", "/lines/1:csv_header"},
        {"name,id_number,year,certificate_number,document_no\na,b\n\"x,1,2,3,4\n",
         "/lines/2:csv_line /lines/3:csv_line"},
        {"name,id_number,year,certificate_number,document_no\n\xff,1,2019,c,d\n",
         "/lines/2/name:not_utf8"},
    };
    for (size_t i = 0; i < TEST_COUNT(cases); i++) {
        struct problem p = {.err = APP_OK};
        json_t *rows = NULL, *lines = NULL;
        CHECKF(!past_holder_csv_read(cases[i].text, strlen(cases[i].text), &rows, &lines, &p),
               "case %zu read", i);
        CHECKF(strcmp(test_faults(&p), cases[i].faults) == 0, "case %zu: %s", i, test_faults(&p));
        CHECKF(p.err == APP_ERR_VALIDATION, "case %zu kind", i);
        CHECK(rows == NULL && lines == NULL);
        problem_clear(&p);
    }
}

static void test_rows(void)
{
    struct problem p = {.err = APP_OK};
    char text[2048];
    json_t *rows;

    snprintf(text, sizeof(text),
             "[{\"name\": \"a\", \"id_number\": \"%s\", \"year\": 2019,"
             "  \"certificate_number\": \"C1\", \"document_no\": \"d\"},"
             " {\"name\": \"\", \"id_number\": \"371102190001010110\", \"year\": 2027,"
             "  \"certificate_number\": \"C1\", \"document_no\": \"d\","
             "  \"recognized_on\": \"2019-13-01\"},"
             " {\"name\": \"b\", \"id_number\": \"%s\", \"year\": 1948,"
             "  \"certificate_number\": \"C2\", \"document_no\": \"d\","
             "  \"recognized_on\": \"2018-01-01\"},"
             " {\"name\": \"c\", \"id_number\": \"%s\", \"year\": 2026,"
             "  \"certificate_number\": \"C3\", \"document_no\": \"d\","
             "  \"recognized_on\": \"2025-01-01\"}]",
             id_number("031"), id_number("042"), id_number("053"));
    rows = json_loads(text, 0, NULL);
    CHECK(rows != NULL);
    CHECK(!past_holder_check(rows, NULL, today(), &p));
    CHECK_EQ_STR(test_faults(&p),
                 "/holders/1/name:too_short /holders/1/id_number:id_number_check_character"
                 " /holders/1/year:year_in_future"
                 " /holders/1/recognized_on:not_date"
                 " /holders/1/certificate_number:duplicate_certificate_number"
                 " /holders/2/year:out_of_range"
                 " /holders/3/recognized_on:recognized_on_year");
    problem_clear(&p);
    json_decref(rows);

    rows = json_loads("[{\"name\": \"a\", \"extra\": 1}, 3]", 0, NULL);
    CHECK(!past_holder_check(rows, NULL, today(), &p));
    CHECK(p.err == APP_ERR_UNKNOWN_FIELD);
    CHECK_EQ_STR(test_faults(&p), "/holders/0/extra:unknown_field");
    problem_clear(&p);
    json_decref(rows);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"csv", test_csv},
        {"csv faults", test_csv_faults},
        {"rows", test_rows},
    };

    return test_run(cases, TEST_COUNT(cases));
}
