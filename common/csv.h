/* SPDX-License-Identifier: MIT */
/*
 * CSV cells for spreadsheets (the allowance sheet, the nightly export):
 * RFC 4180 quoting and the formula-injection guard, written once.
 */
#ifndef JIANGXIN_CSV_H
#define JIANGXIN_CSV_H

#include "textbuf.h"

/* One CSV cell. Excel and WPS run a cell starting with = + - @ (and, after
 * their own trimming, a tab or CR) as a formula; the apostrophe makes it
 * text (OWASP's CSV injection advice). Then RFC 4180: a cell with , " CR
 * or LF is quoted, its quotes doubled. NULL is an empty cell. Numbers the
 * caller wrote itself go out as they are, not through here. */
void csv_cell(struct textbuf *out, const char *s);

#endif
