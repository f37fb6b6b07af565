/* SPDX-License-Identifier: MIT */
/*
 * Past holders (往届获评者) imported by the office, as CSV or JSON: the
 * shape of a row, the CSV reading and every row's checks. Pure: the op
 * seals and hashes the ID numbers and writes (ops/past_holders.c).
 *
 * CSV: UTF-8, an optional BOM, a header row naming the columns
 * name,id_number,year,certificate_number,document_no[,recognized_on] in any
 * order, one holder per line; RFC 4180 quoting ("a,b", "" for a quote)
 * within a line. Faults are reported at "/lines/<n>[/<column>]" (n: the
 * line in the file, the header being line 1); JSON faults at
 * "/holders/<i>[/<member>]".
 */
#ifndef JIANGXIN_PAST_HOLDER_H
#define JIANGXIN_PAST_HOLDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "problem.h"

#define PAST_HOLDER_ROWS_MAX 1000
#define PAST_HOLDER_YEAR_MIN 1949 /* 年份: no title of these programmes is older */
#define PAST_HOLDER_NAME_MAX 50
#define PAST_HOLDER_CERT_MAX 40
#define PAST_HOLDER_DOC_MAX  100

/*
 * Reads CSV text (len bytes) into *ret_rows, a new array of row objects
 * (string members; year as an integer when it is digits; an empty
 * recognized_on left out), and *ret_lines, a new array of each row's line
 * number. Blank lines are skipped. On a fault of the file itself (not
 * UTF-8, no or a wrong header, a line with another number of fields, an
 * unclosed quote) every such fault goes to p (422) and false is returned
 * with nothing in the outputs.
 */
bool past_holder_csv_read(
    const char *text, size_t len, json_t **ret_rows, json_t **ret_lines, struct problem *p);

/*
 * Checks every row at once against `today` (days since 1970-01-01): the
 * members (unknown members 400 first, then types, lengths and ranges 422),
 * the ID number's GB 11643 check (idcard_check), the year (1949..this year),
 * recognized_on (a date in that year, not after today) and no certificate
 * number twice in the file. `lines` (from past_holder_csv_read) makes the
 * pointers "/lines/<n>"; NULL makes them "/holders/<i>". Codes besides
 * json_fields.h's and idcard_check's: year_in_future, not_date,
 * recognized_on_year, date_in_future, duplicate_certificate_number.
 * Returns true when every row is sound.
 */
bool past_holder_check(const json_t *rows, const json_t *lines, int32_t today, struct problem *p);

/* The pointer prefix of row i ("/holders/3" or "/lines/5") into out. */
void past_holder_pointer(const json_t *lines, size_t i, char *out, size_t len);

#endif
