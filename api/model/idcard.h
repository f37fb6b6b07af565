/* SPDX-License-Identifier: MIT */
/*
 * The resident identity number (公民身份号码, GB 11643-1999): 6-digit
 * address code, 8-digit birth date, 3-digit sequence code and an ISO 7064
 * MOD 11-2 check character. Parsing only; the module never reads the
 * clock, so "born in the future" is the caller's check.
 */
#ifndef JIANGXIN_IDCARD_H
#define JIANGXIN_IDCARD_H

#include <stdbool.h>

#include "problem.h"

#define IDCARD_LEN      18
#define IDCARD_YEAR_MIN 1800

struct idcard {
    char number[IDCARD_LEN + 1]; /* normalised: check character `X` upper case */
    int birth_year, birth_month, birth_day;
    bool is_male; /* 17th character odd */
};

enum idcard_status {
    IDCARD_OK = 0,
    IDCARD_BAD_LENGTH, /* not exactly 18 characters (or NULL) */
    IDCARD_BAD_CHAR,   /* not 17 digits followed by a digit, `X` or `x` */
    IDCARD_BAD_DATE,   /* birth date is not a real date, or year < IDCARD_YEAR_MIN */
    IDCARD_BAD_CHECK,  /* check character does not match */
};

/*
 * Parses and validates `in`. The faults are tested in the order of the
 * enum, so the first one found is reported. Address codes are not checked
 * against a region list, because abolished codes stay valid on old cards.
 * On IDCARD_OK fills *ret; otherwise ret is untouched.
 */
enum idcard_status idcard_parse(const char *in, struct idcard *ret);

/*
 * The check character ('0'-'9' or 'X') for the first 17 characters of
 * `first17`, or '\0' when those are not 17 digits.
 */
char idcard_check_char(const char *first17);

/* A short English description of `status` ("ok", "bad length", ...). */
const char *idcard_status_text(enum idcard_status status);

/*
 * Parses `in` as idcard_parse does and also refuses a birth date after
 * today (ty-tm-td, the caller's clock). On a fault adds one 422 item at
 * `pointer` to p, whose code names the cause: id_number_length,
 * id_number_characters, id_number_birth_date (not a real date, or in the
 * future) or id_number_check_character. The detail never repeats the
 * number. On success fills *ret and returns true.
 */
bool idcard_check(const char *in,
                  int ty,
                  int tm,
                  int td,
                  const char *pointer,
                  struct idcard *ret,
                  struct problem *p);

/*
 * Full years of age on date y-m-d (a real date, not checked). Someone born
 * on 29 February turns a year older on 1 March in a common year. Returns
 * -1 when y-m-d is before the birth date.
 */
int idcard_age_at(const struct idcard *c, int y, int m, int d);

#endif
