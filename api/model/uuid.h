/* SPDX-License-Identifier: MIT */
/*
 * The shape of an id: a UUID in its 8-4-4-4-12 hex text form. Pure, for
 * the model's rules; handlers/common.c's api_is_uuid checks the same shape
 * (and should call this one).
 */
#ifndef JIANGXIN_UUID_H
#define JIANGXIN_UUID_H

#include <stdbool.h>

#define UUID_TEXT_LEN 36

/* True for 8-4-4-4-12 hex digits (either case); false for NULL. */
bool uuid_valid(const char *s);

#endif
