/* SPDX-License-Identifier: MIT */
/*
 * The shape of an id: a UUID in its canonical text form, 8-4-4-4-12
 * lower-case hex digits, the form PostgreSQL prints. Every id that comes
 * in (path, query, body) is checked here, so every id inside the service
 * has one spelling and plain strcmp compares ids (the self-lockout guard,
 * a unit's own unit).
 */
#ifndef JIANGXIN_UUID_H
#define JIANGXIN_UUID_H

#include <stdbool.h>

#define UUID_TEXT_LEN 36

/* True for 8-4-4-4-12 lower-case hex digits; false for upper case (which
 * PostgreSQL would read as the same id), other shapes and NULL. */
bool uuid_valid(const char *s);

#endif
