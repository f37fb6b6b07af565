/* SPDX-License-Identifier: MIT */
/*
 * PII masking and the mobile number check (see mask.h). Masking is done
 * server-side so a client never receives the full value (GB/T 35273,
 * "personal information display restriction").
 */
#include "mask.h"

#include <string.h>

/*
 * Both masks share one rule on purpose: a 3 + 4 mask also hides the whole
 * birth date (positions 7-14) of an 18-character ID number.
 */
static bool mask_keep_ends(const char *in, char *ret, size_t retlen)
{
    size_t len, i;
    bool keep;

    if (in == NULL || ret == NULL)
        return false;
    len = strlen(in);
    if (retlen < len + 1)
        return false;
    keep = len >= MASK_MIN_LEN;
    for (i = 0; i < len; i++) {
        if (keep && (i < MASK_KEEP_HEAD || i >= len - MASK_KEEP_TAIL))
            ret[i] = in[i];
        else
            ret[i] = '*';
    }
    ret[len] = '\0';
    return true;
}

bool mask_id_number(const char *id, char *ret, size_t retlen)
{
    return mask_keep_ends(id, ret, retlen);
}

bool mask_phone(const char *phone, char *ret, size_t retlen)
{
    return mask_keep_ends(phone, ret, retlen);
}

bool mask_account(const char *account, char *ret, size_t retlen)
{
    return mask_keep_ends(account, ret, retlen);
}

bool account_is_valid(const char *account)
{
    size_t n = account != NULL ? strspn(account, "0123456789") : 0;

    return n >= 8 && n <= 32 && account[n] == '\0';
}

/*
 * Operator prefixes (号段) change over time, so only the shape is checked:
 * 11 digits, a leading 1, second digit 3-9. This is validator.js's zh-CN
 * pattern without its 9[28] alternative, as the spec asks.
 */
bool phone_is_valid(const char *phone)
{
    size_t i;

    if (phone == NULL || phone[0] != '1' || phone[1] < '3' || phone[1] > '9')
        return false;
    for (i = 2; i < 11; i++) {
        if (phone[i] < '0' || phone[i] > '9')
            return false;
    }
    return phone[11] == '\0';
}
