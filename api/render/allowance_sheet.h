/* SPDX-License-Identifier: MIT */
/*
 * A payment batch of the allowance ledger (issue 15) as the finance office
 * opens it: CSV (UTF-8 with BOM, for Excel and WPS) and XLSX (libxlsxwriter).
 * Pure rendering, no database: api/ops/allowance.c fills the sheet.
 */
#ifndef JIANGXIN_ALLOWANCE_SHEET_H
#define JIANGXIN_ALLOWANCE_SHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "textbuf.h"

/* One line: a title's month to pay and where to pay it. */
struct allowance_sheet_line {
    const char *certificate_number, *holder_name, *programme;
    const char *month; /* YYYY-MM */
    long long amount_fen;
    const char *method; /* "bank" (to the person's account) or "employer" (through the unit) */
    const char *bank_name, *account;           /* bank: the bank and the full account number */
    const char *employer_name, *employer_code; /* employer: its name and 统一社会信用代码 */
};

struct allowance_sheet {
    const char *batch_id, *month, *state; /* state: "open" or "paid" */
    const char *paid_reference;           /* NULL unless paid */
    const struct allowance_sheet_line *lines;
    size_t n;
};

/* The CSV: a BOM, CRLF line ends, a header row in Chinese, one row per line
 * and a totals row; amounts in yuan with two decimals. Every cell that a
 * spreadsheet would read as a formula (starting with =, +, -, @, a tab or
 * a carriage return) is prefixed with an apostrophe; cells are quoted per
 * RFC 4180 where needed. False when out of memory. */
bool allowance_sheet_csv(const struct allowance_sheet *s, struct textbuf *out);

/* The XLSX: one sheet with the same header, rows and totals row; amounts as
 * number cells in yuan (format 0.00), every other cell a string (never a
 * formula). Written through a temporary file in `tmpdir` (libxlsxwriter's
 * constant-memory mode, so 100,000 lines stay small), read into `out` and
 * removed. False on any failure (nothing left behind). */
bool allowance_sheet_xlsx(const struct allowance_sheet *s, const char *tmpdir, struct textbuf *out);

#endif
