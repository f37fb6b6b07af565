/* SPDX-License-Identifier: MIT */
/*
 * Declarative checks of a JSON request object: which members exist, their
 * JSON types, whether they are required, string lengths in code points.
 * Unknown members are reported first (400 unknown-field), then wrong types
 * and missing members (422 validation-failed), each with a JSON Pointer and
 * a code: unknown_field, required, wrong_type, too_short/too_long (string
 * code points), too_few_items/too_many_items (array elements), out_of_range
 * (integers), and not_an_object when the value checked is not an object at
 * all. Integers are range-checked here, before anyone narrows them; the
 * json_int_* readers below are the only way to narrow one.
 */
#ifndef JIANGXIN_JSON_FIELDS_H
#define JIANGXIN_JSON_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "problem.h"

/* Allowed JSON types, as a mask. */
#define JF_STRING (1u << 0)
#define JF_INT    (1u << 1)
#define JF_BOOL   (1u << 2)
#define JF_ARRAY  (1u << 3)
#define JF_OBJECT (1u << 4)
#define JF_NULL   (1u << 5)

struct json_field {
    const char *name;
    unsigned types;
    bool required;
    /* When max_len > 0: strings, min_len..max_len code points; arrays,
     * elements; integers, the value's range (min_len..max_len). An integer
     * row with max_len 0 accepts the range of int, so its value always
     * survives narrowing to int. */
    size_t min_len;
    size_t max_len;
};

/* True when obj passes; otherwise false with every finding in reterr (all
 * of them at once: every unknown member, or else every bad member).
 * `prefix` is prepended to pointers ("" for the body root). */
bool json_fields_check(const json_t *obj,
                       const struct json_field *fields,
                       size_t n,
                       const char *prefix,
                       struct problem *reterr);

/* Only the first step of json_fields_check: every member of obj that the
 * table does not name, as APP_ERR_UNKNOWN_FIELD. For a caller with nested
 * objects, which reports the unknown members at every level (400) before
 * any value (422). True when there are none. */
bool json_fields_unknown(const json_t *obj,
                         const struct json_field *fields,
                         size_t n,
                         const char *prefix,
                         struct problem *reterr);

/* The one way to read a JSON integer into a narrower type: true with the
 * value in *ret when v is an integer within lo..hi; false (and *ret left
 * alone) for anything else, so a value past the range never wraps into
 * it (4294967299 does not become 3). */
bool json_int_range(const json_t *v, json_int_t lo, json_int_t hi, json_int_t *ret);
/* The same into an int; lo..hi lie within int. */
bool json_int_value(const json_t *v, int lo, int hi, int *ret);
/* The member's value when it is an integer within lo..hi, else dflt (for
 * readers of stored, already validated JSON). */
int json_int_or(const json_t *obj, const char *name, int lo, int hi, int dflt);

/* Number of Unicode code points in a valid UTF-8 string. */
size_t json_utf8_length(const char *s);

#endif
