/* SPDX-License-Identifier: MIT */
/*
 * A payment batch as CSV and XLSX (allowance_sheet.h). Both share one
 * column list and one totals row: 合计 in the first cell, the number of
 * lines in the 姓名 column ("3人"), the sum in the amount column, the rest
 * blank. Amounts are integer fen; the CSV prints them without floating
 * point, the XLSX stores yuan as a number cell.
 */
#include "allowance_sheet.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "csv.h"
#include "log.h"

#define SHEET_NAME "发放明细"
#define YUAN_LEN   32 /* "-92233720368547758.08" and the NUL fit */

enum col {
    COL_SEQ,
    COL_CERTIFICATE,
    COL_NAME,
    COL_PROGRAMME,
    COL_MONTH,
    COL_AMOUNT,
    COL_METHOD,
    COL_BANK,
    COL_ACCOUNT,
    COL_EMPLOYER,
    COL_EMPLOYER_CODE,
    N_COLS
};

/* Titles, and XLSX widths in characters (a Chinese character is about 2). */
static const struct {
    const char *title;
    double width;
} columns[N_COLS] = {
    [COL_SEQ] = {"序号", 6},
    [COL_CERTIFICATE] = {"证书编号", 18},
    [COL_NAME] = {"姓名", 10},
    [COL_PROGRAMME] = {"项目", 24},
    [COL_MONTH] = {"月份", 9},
    [COL_AMOUNT] = {"金额（元）", 12},
    [COL_METHOD] = {"收款方式", 10},
    [COL_BANK] = {"开户银行", 22},
    [COL_ACCOUNT] = {"账号", 24},
    [COL_EMPLOYER] = {"代发单位", 30},
    [COL_EMPLOYER_CODE] = {"统一社会信用代码", 22},
};

/* 收款方式. A method the ledger does not know is shown as it is (still a
 * cell escaped like any other), so a bad row is visible, not hidden. */
static const char *method_label(const char *method)
{
    if (method != NULL && strcmp(method, "bank") == 0) {
        return "个人账户";
    }
    if (method != NULL && strcmp(method, "employer") == 0) {
        return "单位代发";
    }
    return method;
}

/* The text cells of one line; the 序号 and amount cells are the caller's. */
static void line_cells(const struct allowance_sheet_line *l, const char *cells[N_COLS])
{
    cells[COL_SEQ] = NULL;
    cells[COL_CERTIFICATE] = l->certificate_number;
    cells[COL_NAME] = l->holder_name;
    cells[COL_PROGRAMME] = l->programme;
    cells[COL_MONTH] = l->month;
    cells[COL_AMOUNT] = NULL;
    cells[COL_METHOD] = method_label(l->method);
    cells[COL_BANK] = l->bank_name;
    cells[COL_ACCOUNT] = l->account;
    cells[COL_EMPLOYER] = l->employer_name;
    cells[COL_EMPLOYER_CODE] = l->employer_code;
}

/* The sum in fen; false if it overflows (amounts that large are not real,
 * but the sum must not be undefined behaviour). */
static bool sheet_total(const struct allowance_sheet *s, long long *ret_fen)
{
    long long sum = 0;

    for (size_t i = 0; i < s->n; i++) {
        if (__builtin_add_overflow(sum, s->lines[i].amount_fen, &sum)) {
            log_warn("allowance_sheet: the batch's sum overflows");
            return false;
        }
    }
    *ret_fen = sum;
    return true;
}

/* Fen as yuan with two decimals, in integers: 1 → "0.01", -5 → "-0.05".
 * The magnitude is taken unsigned so LLONG_MIN works too. */
static void yuan(char buf[YUAN_LEN], long long fen)
{
    unsigned long long u = fen < 0 ? 0ULL - (unsigned long long)fen : (unsigned long long)fen;

    snprintf(buf, YUAN_LEN, "%s%llu.%02llu", fen < 0 ? "-" : "", u / 100, u % 100);
}

/* A CSV row. 序号 and the amount are written by this file (a number,
 * 合计 or a title) and go out as they are: a negative amount is a number,
 * not a formula, and keeps its minus sign. */
static void csv_row(struct textbuf *out, const char *const cells[N_COLS])
{
    for (int c = 0; c < N_COLS; c++) {
        if (c > 0) {
            textbuf_puts(out, ",");
        }
        if (c == COL_SEQ || c == COL_AMOUNT) {
            textbuf_puts(out, cells[c] != NULL ? cells[c] : "");
        } else {
            csv_cell(out, cells[c]);
        }
    }
    textbuf_puts(out, "\r\n");
}

bool allowance_sheet_csv(const struct allowance_sheet *s, struct textbuf *out)
{
    const char *cells[N_COLS] = {NULL};
    char seq[24], amount[YUAN_LEN], count[32];
    long long total;

    if (s == NULL || out == NULL || out->failed || (s->n > 0 && s->lines == NULL) ||
        !sheet_total(s, &total)) {
        return false;
    }
    textbuf_puts(out, "\xEF\xBB\xBF");
    for (int c = 0; c < N_COLS; c++) {
        cells[c] = columns[c].title;
    }
    csv_row(out, cells);
    for (size_t i = 0; i < s->n && !out->failed; i++) {
        line_cells(&s->lines[i], cells);
        snprintf(seq, sizeof(seq), "%zu", i + 1);
        yuan(amount, s->lines[i].amount_fen);
        cells[COL_SEQ] = seq;
        cells[COL_AMOUNT] = amount;
        csv_row(out, cells);
    }
    memset(cells, 0, sizeof(cells));
    snprintf(count, sizeof(count), "%zu人", s->n);
    yuan(amount, total);
    cells[COL_SEQ] = "合计";
    cells[COL_NAME] = count;
    cells[COL_AMOUNT] = amount;
    csv_row(out, cells);
    return !out->failed;
}

/* A string cell; NULL and "" stay blank. The first error sticks. */
static void
put_text(lxw_worksheet *ws, lxw_row_t row, int col, const char *s, lxw_format *f, lxw_error *err)
{
    if (*err == LXW_NO_ERROR && s != NULL && s[0] != '\0') {
        *err = worksheet_write_string(ws, row, (lxw_col_t)col, s, f);
    }
}

static void
put_number(lxw_worksheet *ws, lxw_row_t row, int col, double v, lxw_format *f, lxw_error *err)
{
    if (*err == LXW_NO_ERROR) {
        *err = worksheet_write_number(ws, row, (lxw_col_t)col, v, f);
    }
}

/* The sheet, row by row and left to right as constant-memory mode wants.
 * Every text cell is a string, never a formula: no injection to escape, and
 * account numbers and codes keep their digits. */
static lxw_error xlsx_fill(lxw_workbook *wb, const struct allowance_sheet *s, long long total)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, SHEET_NAME);
    lxw_format *bold = workbook_add_format(wb), *money = workbook_add_format(wb),
               *bold_money = workbook_add_format(wb);
    const char *cells[N_COLS];
    char seq[24], count[32];
    lxw_error err = LXW_NO_ERROR;
    lxw_row_t row = 0;

    if (ws == NULL || bold == NULL || money == NULL || bold_money == NULL) {
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    }
    format_set_bold(bold);
    format_set_num_format(money, "0.00");
    format_set_bold(bold_money);
    format_set_num_format(bold_money, "0.00");
    for (int c = 0; c < N_COLS && err == LXW_NO_ERROR; c++) {
        err = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, columns[c].width, NULL);
    }
    worksheet_freeze_panes(ws, 1, 0); /* the header stays in view */
    for (int c = 0; c < N_COLS; c++) {
        put_text(ws, row, c, columns[c].title, bold, &err);
    }
    for (size_t i = 0; i < s->n && err == LXW_NO_ERROR; i++) {
        row++;
        line_cells(&s->lines[i], cells);
        snprintf(seq, sizeof(seq), "%zu", i + 1);
        cells[COL_SEQ] = seq;
        for (int c = 0; c < N_COLS; c++) {
            if (c == COL_AMOUNT) {
                put_number(ws, row, c, (double)s->lines[i].amount_fen / 100.0, money, &err);
            } else {
                put_text(ws, row, c, cells[c], NULL, &err);
            }
        }
    }
    row++;
    snprintf(count, sizeof(count), "%zu人", s->n);
    put_text(ws, row, COL_SEQ, "合计", bold, &err);
    put_text(ws, row, COL_NAME, count, bold, &err);
    put_number(ws, row, COL_AMOUNT, (double)total / 100.0, bold_money, &err);
    return err;
}

/* The file's bytes appended to out. */
static bool read_back(const char *path, struct textbuf *out)
{
    char buf[16 * 1024];
    ssize_t got;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        log_error("allowance_sheet: reading the xlsx back: %s", strerror(errno));
        return false;
    }
    while ((got = read(fd, buf, sizeof(buf))) != 0) {
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            log_error("allowance_sheet: reading the xlsx back: %s", strerror(errno));
            break;
        }
        textbuf_append(out, buf, (size_t)got);
    }
    close(fd);
    return got == 0 && !out->failed;
}

/* libxlsxwriter 1.1.4 writes only to a named file, so: a mkstemp name in
 * tmpdir (closed; workbook_close reopens it), constant-memory mode with its
 * own scratch files in tmpdir too (it unlinks them as it opens them), read
 * back, and the file unlinked on every path once it exists. No static state
 * here. libxlsxwriter 1.1.4 itself is not strictly reentrant: tmpfileplus
 * seeds rand() from a static counter and core.c formats the creation time
 * with gmtime(). Concurrent calls cost at worst a retried scratch name
 * (O_EXCL) or a creation time off in docProps/core.xml, never a cell. */
bool allowance_sheet_xlsx(const struct allowance_sheet *s, const char *tmpdir, struct textbuf *out)
{
    char path[PATH_MAX];
    lxw_workbook *wb;
    lxw_error err, closed;
    size_t start;
    long long total;
    bool ok = false;
    int fd, n;

    if (s == NULL || tmpdir == NULL || out == NULL || out->failed ||
        (s->n > 0 && s->lines == NULL) || !sheet_total(s, &total)) {
        return false;
    }
    if (s->n > LXW_ROW_MAX - 2) {
        log_warn("allowance_sheet: %zu lines do not fit one sheet", s->n);
        return false;
    }
    n = snprintf(path, sizeof(path), "%s/jx-sheet-XXXXXX", tmpdir);
    if (n < 0 || (size_t)n >= sizeof(path)) {
        return false;
    }
    start = out->len;
    if ((fd = mkstemp(path)) < 0) {
        log_error("allowance_sheet: no temporary file in the tmpdir: %s", strerror(errno));
        return false;
    }
    close(fd);
    /* libxlsxwriter copies tmpdir; its field is just not const. */
    wb = workbook_new_opt(
        path, &(lxw_workbook_options){.constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir});
    if (wb == NULL) {
        log_error("allowance_sheet: workbook_new_opt failed");
        goto cleanup;
    }
    err = xlsx_fill(wb, s, total);
    closed = workbook_close(wb); /* frees wb whatever it returns */
    if (err != LXW_NO_ERROR || closed != LXW_NO_ERROR) {
        log_error("allowance_sheet: xlsx: %s", lxw_strerror(err != LXW_NO_ERROR ? err : closed));
        goto cleanup;
    }
    ok = read_back(path, out);
cleanup:
    if (unlink(path) != 0) {
        log_error("allowance_sheet: unlink of the xlsx failed: %s", strerror(errno));
        ok = false;
    }
    if (!ok && !out->failed) {
        out->len = start; /* no half file in the reply */
        out->data[start] = '\0';
    }
    return ok;
}
