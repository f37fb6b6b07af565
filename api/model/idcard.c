/* SPDX-License-Identifier: MIT */
/*
 * GB 11643-1999 resident identity numbers (see idcard.h). The check
 * character follows ISO 7064:1983 MOD 11-2 as printed in the standard;
 * its Annex examples are the unit test's first vectors.
 */
#include "idcard.h"

#include <stddef.h>
#include <string.h>

/* W_i = 2^(17 - i) mod 11 for i = 1..17. */
static const int idcard_weights[IDCARD_LEN - 1] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
/* Check character for S mod 11 = 0..10; `X` stands for 10. */
static const char idcard_check_chars[] = "10X98765432";

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int digits_value(const char *s, size_t n)
{
    int v = 0;

    while (n-- > 0)
        v = v * 10 + (*s++ - '0');
    return v;
}

/*
 * Kept local rather than borrowed from workdays.c: this module has no
 * upper year bound and should not depend on the calendar code.
 */
static bool date_is_real(int y, int m, int d)
{
    static const int days_in_month[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int dim;

    if (m < 1 || m > 12 || d < 1)
        return false;
    dim = days_in_month[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        dim = 29;
    return d <= dim;
}

char idcard_check_char(const char *first17)
{
    int sum = 0;
    size_t i;

    if (first17 == NULL)
        return '\0';
    for (i = 0; i < IDCARD_LEN - 1; i++) {
        if (!is_digit(first17[i]))
            return '\0';
        sum += (first17[i] - '0') * idcard_weights[i];
    }
    return idcard_check_chars[sum % 11];
}

enum idcard_status idcard_parse(const char *in, struct idcard *ret)
{
    struct idcard c;
    size_t i;
    char check;

    /* Counts at most 19 characters, so a long input is not scanned to its end. */
    if (in == NULL)
        return IDCARD_BAD_LENGTH;
    for (i = 0; i <= IDCARD_LEN && in[i] != '\0'; i++)
        ;
    if (i != IDCARD_LEN)
        return IDCARD_BAD_LENGTH;

    for (i = 0; i < IDCARD_LEN - 1; i++) {
        if (!is_digit(in[i]))
            return IDCARD_BAD_CHAR;
    }
    check = in[IDCARD_LEN - 1];
    if (check == 'x')
        check = 'X';
    if (!is_digit(check) && check != 'X')
        return IDCARD_BAD_CHAR;

    c.birth_year = digits_value(in + 6, 4);
    c.birth_month = digits_value(in + 10, 2);
    c.birth_day = digits_value(in + 12, 2);
    if (c.birth_year < IDCARD_YEAR_MIN || !date_is_real(c.birth_year, c.birth_month, c.birth_day))
        return IDCARD_BAD_DATE;

    if (idcard_check_char(in) != check)
        return IDCARD_BAD_CHECK;

    memcpy(c.number, in, IDCARD_LEN - 1);
    c.number[IDCARD_LEN - 1] = check;
    c.number[IDCARD_LEN] = '\0';
    c.is_male = (in[16] - '0') % 2 == 1;
    *ret = c;
    return IDCARD_OK;
}

/* Each fault's machine code and texts, indexed by enum idcard_status. */
static const struct {
    const char *code, *zh, *en;
} idcard_faults[] = {
    [IDCARD_OK] = {.code = NULL, .zh = "有效", .en = "ok"},
    [IDCARD_BAD_LENGTH] = {.code = "id_number_length",
                           .zh = "应为 18 位",
                           .en = "must be 18 characters"},
    [IDCARD_BAD_CHAR] = {.code = "id_number_characters",
                         .zh = "应为 17 位数字加 1 位数字或 X",
                         .en = "must be 17 digits and a digit or X"},
    [IDCARD_BAD_DATE] = {.code = "id_number_birth_date",
                         .zh = "出生日期不是有效日期",
                         .en = "birth date is not a real date"},
    [IDCARD_BAD_CHECK] = {.code = "id_number_check_character",
                          .zh = "校验码不符",
                          .en = "check character does not match"},
};

const char *idcard_status_text(enum idcard_status status)
{
    if ((unsigned)status >= sizeof(idcard_faults) / sizeof(idcard_faults[0])) {
        return "unknown status";
    }
    return idcard_faults[status].en;
}

bool idcard_check(const char *in,
                  int ty,
                  int tm,
                  int td,
                  const char *pointer,
                  struct idcard *ret,
                  struct problem *p)
{
    struct idcard c;
    enum idcard_status st = idcard_parse(in, &c);

    if (st != IDCARD_OK) {
        /* Both formats take both texts; each prints its own (%.0s prints nothing). */
        problem_field(p, APP_ERR_VALIDATION, pointer, idcard_faults[st].code,
                      "不是有效的公民身份号码：%s%.0s",
                      "not a valid 公民身份号码 (GB 11643): %.0s%s", idcard_faults[st].zh,
                      idcard_faults[st].en);
        return false;
    }
    if (idcard_age_at(&c, ty, tm, td) < 0) {
        problem_field(p, APP_ERR_VALIDATION, pointer, "id_number_birth_date",
                      "号码中的出生日期晚于今天", "the birth date in the number is in the future");
        return false;
    }
    *ret = c;
    return true;
}

/*
 * Comparing (month, day) pairs handles 29 February without a special
 * case: in a common year 28 Feb is still before (2, 29) and 1 Mar after.
 */
int idcard_age_at(const struct idcard *c, int y, int m, int d)
{
    int age = y - c->birth_year;

    if (m < c->birth_month || (m == c->birth_month && d < c->birth_day))
        age--;
    return age < 0 ? -1 : age;
}
