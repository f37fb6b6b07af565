/* SPDX-License-Identifier: MIT */
/*
 * Past holders: reading the CSV and checking the rows (past_holder.h).
 * A file is judged whole: every fault of every row is collected before
 * anything is written, so an office fixes its spreadsheet once.
 */
#include "past_holder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil_time.h"
#include "idcard.h"
#include "json_fields.h"

#define N_OF(a)     (sizeof(a) / sizeof((a)[0]))
#define CSV_COLUMNS 6
#define CSV_FIELD   512 /* bytes of one field: far above every limit */

static const struct json_field row_fields[] = {
    {"name", JF_STRING, true, 1, PAST_HOLDER_NAME_MAX},
    {"id_number", JF_STRING, true, 1, 32},
    {"year", JF_INT, true, PAST_HOLDER_YEAR_MIN, 9999},
    {"certificate_number", JF_STRING, true, 1, PAST_HOLDER_CERT_MAX},
    {"document_no", JF_STRING, true, 1, PAST_HOLDER_DOC_MAX},
    {"recognized_on", JF_STRING | JF_NULL, false, 0, 0},
};

void past_holder_pointer(const json_t *lines, size_t i, char *out, size_t len)
{
    if (lines != NULL) {
        snprintf(out, len, "/lines/%lld", (long long)json_integer_value(json_array_get(lines, i)));
    } else {
        snprintf(out, len, "/holders/%zu", i);
    }
}

/* ---- CSV ---- */

/* Splits one line (without its end) into at most CSV_COLUMNS fields;
 * returns the number of fields, or -1 for an unclosed quote, or -2 for a
 * field too long. More than CSV_COLUMNS fields count on, unstored. */
static int split_line(const char *s, size_t n, char fields[CSV_COLUMNS][CSV_FIELD])
{
    size_t i = 0, k = 0;
    int count = 0;
    bool quoted = false, started = false;
    char *out = fields[0];

    for (;;) {
        if (i == n || (!quoted && s[i] == ',')) {
            if (quoted) {
                return -1;
            }
            if (count < CSV_COLUMNS) {
                out[k] = '\0';
            }
            count++;
            if (i == n) {
                return count;
            }
            i++;
            k = 0;
            started = false;
            out = count < CSV_COLUMNS ? fields[count] : NULL;
            continue;
        }
        char c = s[i++];
        if (c == '"' && !started && k == 0 && !quoted) {
            quoted = true;
            started = true;
            continue;
        }
        if (c == '"' && quoted) {
            if (i < n && s[i] == '"') {
                i++;
            } else {
                quoted = false;
                continue;
            }
        }
        started = true;
        if (out != NULL) {
            if (k + 1 >= CSV_FIELD) {
                return -2;
            }
            out[k++] = c;
        }
    }
}

static int column_of(const char *name)
{
    for (size_t c = 0; c < N_OF(row_fields); c++) {
        if (strcmp(row_fields[c].name, name) == 0) {
            return (int)c;
        }
    }
    return -1;
}

/* The header: which member each column is; false (faults in p) when a
 * column is unknown or twice, or a required one is missing. */
static bool
read_header(char fields[CSV_COLUMNS][CSV_FIELD], int n, int map[CSV_COLUMNS], struct problem *p)
{
    bool seen[N_OF(row_fields)] = {false}, ok = true;

    if (n < 0 || n > CSV_COLUMNS) {
        problem_field(p, APP_ERR_VALIDATION, "/lines/1", "csv_header",
                      "首行应为列名：name,id_number,year,certificate_number,document_no"
                      "[,recognized_on]",
                      "the first line names the columns: name,id_number,year,"
                      "certificate_number,document_no[,recognized_on]");
        return false;
    }
    for (int c = 0; c < n; c++) {
        int m = column_of(fields[c]);
        if (m < 0 || seen[m]) {
            problem_field(p, APP_ERR_VALIDATION, "/lines/1", "csv_header",
                          "第 1 行第 %d 列的列名未知或重复",
                          "column %d of line 1 is unknown or twice", c + 1);
            ok = false;
            continue;
        }
        seen[m] = true;
        map[c] = m;
    }
    for (size_t m = 0; ok && m < N_OF(row_fields); m++) {
        if (row_fields[m].required && !seen[m]) {
            problem_field(p, APP_ERR_VALIDATION, "/lines/1", "csv_header", "首行缺少列 %s",
                          "the first line lacks column %s", row_fields[m].name);
            ok = false;
        }
    }
    return ok;
}

/* One value as a row member: year as an integer when it is 1–4 digits,
 * an empty recognized_on left out, text that is not UTF-8 refused. */
static bool
put_value(json_t *row, const char *member, const char *v, const char *ptr, struct problem *p)
{
    size_t n = strlen(v);
    json_t *s;

    if (strcmp(member, "recognized_on") == 0 && n == 0) {
        return true;
    }
    if (strcmp(member, "year") == 0 && n >= 1 && n <= 4 && strspn(v, "0123456789") == n) {
        return json_object_set_new(row, member, json_integer(atoi(v))) == 0;
    }
    if ((s = json_stringn(v, n)) == NULL) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "not_utf8", "不是 UTF-8 文本", "not UTF-8 text");
        return true;
    }
    return json_object_set_new(row, member, s) == 0;
}

static bool read_row(char fields[CSV_COLUMNS][CSV_FIELD],
                     int n,
                     const int map[CSV_COLUMNS],
                     int n_columns,
                     long line,
                     json_t *rows,
                     json_t *lines,
                     struct problem *p)
{
    char ptr[PROBLEM_POINTER_MAX];
    json_t *row;

    snprintf(ptr, sizeof(ptr), "/lines/%ld", line);
    if (n == -1 || n == -2 || n != n_columns) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "csv_line",
                      "第 %ld 行应有 %d 个字段（引号须在本行闭合）",
                      "line %ld must have %d fields (quotes closed on the line)", line, n_columns);
        return true;
    }
    if ((row = json_object()) == NULL || json_array_append_new(rows, row) != 0 ||
        json_array_append_new(lines, json_integer(line)) != 0) {
        return false;
    }
    for (int c = 0; c < n; c++) {
        char member_ptr[PROBLEM_POINTER_MAX];
        problem_pointer(member_ptr, sizeof(member_ptr), ptr, row_fields[map[c]].name);
        if (!put_value(row, row_fields[map[c]].name, fields[c], member_ptr, p)) {
            return false;
        }
    }
    return true;
}

bool past_holder_csv_read(
    const char *text, size_t len, json_t **ret_rows, json_t **ret_lines, struct problem *p)
{
    char fields[CSV_COLUMNS][CSV_FIELD];
    int map[CSV_COLUMNS] = {0}, n_columns = -1;
    json_t *rows = json_array(), *lines = json_array();
    size_t at = 0, before = p->n_errors + p->n_dropped;
    long line = 0;
    bool ok = rows != NULL && lines != NULL;

    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        at = 3;
    }
    while (ok && at < len) {
        const char *s = text + at, *end = memchr(s, '\n', len - at);
        size_t n = end != NULL ? (size_t)(end - s) : len - at;
        at += n + (end != NULL);
        line++;
        if (n > 0 && s[n - 1] == '\r') {
            n--;
        }
        if (n == 0 || memchr(s, '\0', n) != NULL) {
            if (n != 0) {
                problem_field(p, APP_ERR_VALIDATION, "/", "not_utf8", "文件含有 NUL 字节",
                              "the file holds a NUL byte");
                break;
            }
            continue;
        }
        int k = split_line(s, n, fields);
        if (n_columns < 0) {
            n_columns = k;
            if (line != 1 || !read_header(fields, k, map, p)) {
                if (line != 1) {
                    problem_field(p, APP_ERR_VALIDATION, "/lines/1", "csv_header", "首行应为列名",
                                  "the first line names the columns");
                }
                break;
            }
            continue;
        }
        if (json_array_size(rows) >= PAST_HOLDER_ROWS_MAX) {
            problem_field(p, APP_ERR_VALIDATION, "/", "too_many_items", "一次最多导入 %d 人",
                          "at most %d holders at a time", PAST_HOLDER_ROWS_MAX);
            break;
        }
        ok = read_row(fields, k, map, n_columns, line, rows, lines, p);
    }
    if (ok && n_columns < 0) {
        problem_field(p, APP_ERR_VALIDATION, "/", "empty_file", "文件为空，首行应为列名",
                      "the file is empty; the first line names the columns");
    }
    if (!ok) {
        problem_kind(p, APP_ERR_INTERNAL);
    }
    if (!ok || p->n_errors + p->n_dropped > before) {
        json_decref(rows);
        json_decref(lines);
        return false;
    }
    *ret_rows = rows;
    *ret_lines = lines;
    return true;
}

/* ---- Checks ---- */

static void check_values(const json_t *row, const char *prefix, int32_t today, struct problem *p)
{
    char ptr[PROBLEM_POINTER_MAX];
    struct idcard card;
    int ty, tm, td, year = 0;
    int32_t day;
    const char *s;

    date_split(today, &ty, &tm, &td);
    problem_pointer(ptr, sizeof(ptr), prefix, "id_number");
    if ((s = json_string_value(json_object_get(row, "id_number"))) != NULL &&
        !problem_has_error(p, ptr)) {
        idcard_check(s, ty, tm, td, ptr, &card, p);
        memset(&card, 0, sizeof(card));
    }
    problem_pointer(ptr, sizeof(ptr), prefix, "year");
    if (json_int_value(json_object_get(row, "year"), PAST_HOLDER_YEAR_MIN, 9999, &year) &&
        year > ty) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "year_in_future", "认定年份 %d 晚于今年",
                      "year %d is after this year", year);
    }
    problem_pointer(ptr, sizeof(ptr), prefix, "recognized_on");
    if ((s = json_string_value(json_object_get(row, "recognized_on"))) == NULL) {
        return;
    }
    if (!date_parse(s, &day)) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "not_date", "须为 YYYY-MM-DD 格式的日期",
                      "must be a date as YYYY-MM-DD");
        return;
    }
    int y, m, d;
    date_split(day, &y, &m, &d);
    if (year != 0 && y != year) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "recognized_on_year",
                      "认定日期不在认定年份 %d 内", "the date is not in year %d", year);
    } else if (day > today) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "date_in_future", "认定日期晚于今天",
                      "the date is after today");
    }
}

/* The first row before i with the same certificate number, or -1. */
static long same_certificate(const json_t *rows, size_t i)
{
    const char *c =
        json_string_value(json_object_get(json_array_get(rows, i), "certificate_number"));

    for (size_t k = 0; c != NULL && k < i; k++) {
        const char *o =
            json_string_value(json_object_get(json_array_get(rows, k), "certificate_number"));
        if (o != NULL && strcmp(o, c) == 0) {
            return (long)k;
        }
    }
    return -1;
}

bool past_holder_check(const json_t *rows, const json_t *lines, int32_t today, struct problem *p)
{
    char prefix[PROBLEM_POINTER_MAX], ptr[PROBLEM_POINTER_MAX];
    size_t i, before = p->n_errors + p->n_dropped;
    const json_t *row;
    bool unknown = false;

    json_array_foreach(rows, i, row)
    {
        past_holder_pointer(lines, i, prefix, sizeof(prefix));
        if (json_is_object(row) &&
            !json_fields_unknown(row, row_fields, N_OF(row_fields), prefix, p)) {
            unknown = true;
        }
    }
    if (unknown) {
        return false;
    }
    json_array_foreach(rows, i, row)
    {
        past_holder_pointer(lines, i, prefix, sizeof(prefix));
        if (!json_fields_check(row, row_fields, N_OF(row_fields), prefix, p) &&
            !json_is_object(row)) {
            continue;
        }
        check_values(row, prefix, today, p);
        long first = same_certificate(rows, i);
        problem_pointer(ptr, sizeof(ptr), prefix, "certificate_number");
        if (first >= 0 && !problem_has_error(p, ptr)) {
            char other[PROBLEM_POINTER_MAX];
            past_holder_pointer(lines, (size_t)first, other, sizeof(other));
            problem_field(p, APP_ERR_VALIDATION, ptr, "duplicate_certificate_number",
                          "证书编号与 %s 重复", "the certificate number repeats %s's", other);
        }
    }
    return p->n_errors + p->n_dropped == before;
}
