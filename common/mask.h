/* SPDX-License-Identifier: MIT */
/*
 * Masking of personal data for display and export, and the mobile number
 * check. One mask rule for every output (first 3 + last 4 kept), because
 * two different masks of the same number can be combined to rebuild it.
 * Pure functions: no allocation, no I/O.
 */
#ifndef JIANGXIN_MASK_H
#define JIANGXIN_MASK_H

#include <stdbool.h>
#include <stddef.h>

#define MASK_KEEP_HEAD 3 /* characters kept at the start */
#define MASK_KEEP_TAIL 4 /* characters kept at the end */
#define MASK_MIN_LEN   8 /* shorter input is masked entirely */

/*
 * Masks an ID number: `370***********1234` for 18 characters. Input of
 * MASK_MIN_LEN or more characters keeps MASK_KEEP_HEAD + MASK_KEEP_TAIL
 * and stars the rest; shorter input becomes all `*` of the same length.
 * Writes a NUL-terminated string of strlen(id) bytes to `ret` and returns
 * true; returns false (ret untouched) when id or ret is NULL or retlen is
 * smaller than strlen(id) + 1. The input is treated as bytes (IDs are ASCII).
 */
bool mask_id_number(const char *id, char *ret, size_t retlen);

/*
 * Masks a phone number with the same rule: `138****5678`. The number is not
 * validated first, so an invalid number is still masked and never echoed.
 * Same return contract as mask_id_number().
 */
bool mask_phone(const char *phone, char *ret, size_t retlen);

/*
 * Masks a bank account number with the same rule: `622***********1234`.
 * Same return contract as mask_id_number().
 */
bool mask_account(const char *account, char *ret, size_t retlen);

/*
 * True when `account` looks like a bank account or card number: 8 to 32
 * ASCII digits, nothing else (callers strip spaces first).
 */
bool account_is_valid(const char *account);

/*
 * True when `phone` is exactly a mainland mobile number, ^1[3-9][0-9]{9}$.
 * No prefix or separator handling: callers strip `+86`/`0086`, spaces and
 * dashes before asking. NULL is not valid.
 */
bool phone_is_valid(const char *phone);

#endif
