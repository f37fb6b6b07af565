/* SPDX-License-Identifier: MIT */
/*
 * The unified social credit code (统一社会信用代码, GB 32100-2015) that
 * identifies a 推荐单位: 18 symbols from a 31-symbol alphabet (no I, O, Z,
 * S or V), the last one a check character over the first 17.
 */
#ifndef JIANGXIN_UNIT_CODE_H
#define JIANGXIN_UNIT_CODE_H

#define UNIT_CODE_LEN 18

enum unit_code_status {
    UNIT_CODE_OK = 0,
    UNIT_CODE_BAD_LENGTH, /* not exactly 18 characters (or NULL) */
    UNIT_CODE_BAD_CHAR,   /* a character outside 0-9 A-H J-N P Q R T U W X Y (either case) */
    UNIT_CODE_BAD_CHECK,  /* position 18 does not match */
};

/*
 * Validates `in`, case-insensitively. On UNIT_CODE_OK writes the upper-case
 * code (NUL-terminated) to ret_normalized; otherwise it is untouched. Only
 * the position-18 check is applied, not GB 11714's inner check on positions
 * 9-17. Some genuinely issued codes are reported to fail even position 18,
 * so callers need a manual override path for them.
 */
enum unit_code_status unit_code_validate(const char *in, char ret_normalized[UNIT_CODE_LEN + 1]);

/*
 * The check character for the first 17 characters of `first17` (either
 * case), or '\0' when one of them is not in the alphabet.
 */
char unit_code_check_char(const char *first17);

/* A short English description of `status`. */
const char *unit_code_status_text(enum unit_code_status status);

#endif
