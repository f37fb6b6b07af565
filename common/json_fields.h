/* SPDX-License-Identifier: MIT */
/*
 * Declarative checks of a JSON request object: which members exist, their
 * JSON types, whether they are required, string lengths in code points.
 * Unknown members are reported first (400 unknown-field), then wrong types
 * and missing members (422 validation-failed), each with a JSON Pointer and
 * a code: unknown_field, required, wrong_type, too_short/too_long (string
 * code points), too_few_items/too_many_items (array elements), and
 * not_an_object when the value checked is not an object at all.
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
    size_t min_len; /* strings: code points; arrays: elements (when max_len > 0) */
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

/* Number of Unicode code points in a valid UTF-8 string. */
size_t json_utf8_length(const char *s);

#endif
