/* SPDX-License-Identifier: MIT */
/*
 * GB 32100-2015 unified social credit codes (see unit_code.h). The check
 * character is C18 = 31 - (sum of C_i * W_i mod 31), with 31 mapped to 0
 * and W_i = 3^(i-1) mod 31, following the standard's worked example.
 */
#include "unit_code.h"

#include <stddef.h>

/* Value of a symbol is its index here. I O Z S V are left out to avoid misreading. */
static const char unit_code_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static const int unit_code_weights[UNIT_CODE_LEN - 1] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                         29, 25, 13, 8,  24, 10, 30, 28};

static char to_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Value 0-30 of `c` (either case), or -1 when it is not in the alphabet. */
static int symbol_value(char c)
{
    int i;

    c = to_upper(c);
    for (i = 0; unit_code_alphabet[i] != '\0'; i++) {
        if (unit_code_alphabet[i] == c)
            return i;
    }
    return -1;
}

char unit_code_check_char(const char *first17)
{
    int sum = 0, v;
    size_t i;

    if (first17 == NULL)
        return '\0';
    for (i = 0; i < UNIT_CODE_LEN - 1; i++) {
        v = symbol_value(first17[i]);
        if (v < 0) /* also catches a NUL in a short string */
            return '\0';
        sum += v * unit_code_weights[i];
    }
    return unit_code_alphabet[(31 - sum % 31) % 31];
}

enum unit_code_status unit_code_validate(const char *in, char ret_normalized[UNIT_CODE_LEN + 1])
{
    char code[UNIT_CODE_LEN + 1];
    size_t i;

    if (in == NULL)
        return UNIT_CODE_BAD_LENGTH;
    for (i = 0; i <= UNIT_CODE_LEN && in[i] != '\0'; i++)
        ;
    if (i != UNIT_CODE_LEN)
        return UNIT_CODE_BAD_LENGTH;

    for (i = 0; i < UNIT_CODE_LEN; i++) {
        if (symbol_value(in[i]) < 0)
            return UNIT_CODE_BAD_CHAR;
        code[i] = to_upper(in[i]);
    }
    code[UNIT_CODE_LEN] = '\0';
    if (unit_code_check_char(code) != code[UNIT_CODE_LEN - 1])
        return UNIT_CODE_BAD_CHECK;

    for (i = 0; i <= UNIT_CODE_LEN; i++)
        ret_normalized[i] = code[i];
    return UNIT_CODE_OK;
}

const char *unit_code_status_text(enum unit_code_status status)
{
    switch (status) {
    case UNIT_CODE_OK:
        return "ok";
    case UNIT_CODE_BAD_LENGTH:
        return "must be 18 characters";
    case UNIT_CODE_BAD_CHAR:
        return "must use 0-9 and A-Z without I, O, Z, S, V";
    case UNIT_CODE_BAD_CHECK:
        return "check character does not match";
    }
    return "unknown status";
}
