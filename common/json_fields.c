/* SPDX-License-Identifier: MIT */
/*
 * The member-table checker behind every request body. jansson has already
 * rejected invalid UTF-8, duplicate keys and NUL characters when parsing.
 */
#include "json_fields.h"

#include <stdio.h>
#include <string.h>

size_t json_utf8_length(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80; /* count lead bytes only */
    }
    return n;
}

static const char *type_names(unsigned types)
{
    if (types == (JF_STRING | JF_NULL)) {
        return "a string or null";
    }
    if (types == (JF_INT | JF_NULL)) {
        return "an integer or null";
    }
    switch (types & ~JF_NULL) {
    case JF_STRING:
        return "a string";
    case JF_INT:
        return "an integer";
    case JF_BOOL:
        return "a boolean";
    case JF_ARRAY:
        return "an array";
    case JF_OBJECT:
        return "an object";
    default:
        return "of another type";
    }
}

static bool type_ok(const json_t *v, unsigned types)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return types & JF_STRING;
    case JSON_INTEGER:
        return types & JF_INT;
    case JSON_TRUE:
    case JSON_FALSE:
        return types & JF_BOOL;
    case JSON_ARRAY:
        return types & JF_ARRAY;
    case JSON_OBJECT:
        return types & JF_OBJECT;
    case JSON_NULL:
        return types & JF_NULL;
    default:
        return false; /* reals are never accepted */
    }
}

static const struct json_field *find(const struct json_field *fields, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(fields[i].name, name) == 0) {
            return &fields[i];
        }
    }
    return NULL;
}

bool json_fields_check(const json_t *obj,
                       const struct json_field *fields,
                       size_t n,
                       const char *prefix,
                       struct problem *reterr)
{
    bool ok = true;
    bool unknown = false;
    const char *key;
    json_t *value;

    json_object_foreach((json_t *)obj, key, value)
    {
        if (find(fields, n, key) == NULL) {
            char ptr[PROBLEM_POINTER_MAX];
            problem_pointer(ptr, sizeof(ptr), prefix, key); /* client text: escaped, capped */
            problem_add_error(reterr, APP_ERR_UNKNOWN_FIELD, ptr, "unknown member");
            unknown = true;
        }
    }
    if (unknown) {
        reterr->err = APP_ERR_UNKNOWN_FIELD;
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const struct json_field *f = &fields[i];
        const json_t *v = json_object_get(obj, f->name);
        char ptr[PROBLEM_POINTER_MAX];

        problem_pointer(ptr, sizeof(ptr), prefix, f->name);
        if (v == NULL) {
            if (f->required) {
                ok = false;
                problem_add_error(reterr, APP_ERR_VALIDATION, ptr, "is required");
            }
            continue;
        }
        if (!type_ok(v, f->types)) {
            ok = false;
            problem_add_error(reterr, APP_ERR_VALIDATION, ptr, "must be %s", type_names(f->types));
        } else if (json_is_string(v) && f->max_len > 0 &&
                   (json_utf8_length(json_string_value(v)) < f->min_len ||
                    json_utf8_length(json_string_value(v)) > f->max_len)) {
            ok = false;
            problem_add_error(reterr, APP_ERR_VALIDATION, ptr, "must be %zu to %zu characters",
                              f->min_len, f->max_len);
        } else if (json_is_array(v) && f->max_len > 0 &&
                   (json_array_size(v) < f->min_len || json_array_size(v) > f->max_len)) {
            ok = false;
            problem_add_error(reterr, APP_ERR_VALIDATION, ptr, "must have %zu to %zu elements",
                              f->min_len, f->max_len);
        }
    }
    return ok;
}
