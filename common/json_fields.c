/* SPDX-License-Identifier: MIT */
/*
 * The member-table checker behind every request body. jansson has already
 * rejected invalid UTF-8, duplicate keys and NUL characters when parsing.
 */
#include "json_fields.h"

#include <limits.h>
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

bool json_int_range(const json_t *v, json_int_t lo, json_int_t hi, json_int_t *ret)
{
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        return false;
    }
    *ret = json_integer_value(v);
    return true;
}

bool json_int_value(const json_t *v, int lo, int hi, int *ret)
{
    json_int_t n;

    if (!json_int_range(v, lo, hi, &n)) {
        return false;
    }
    *ret = (int)n; /* lo..hi: within int */
    return true;
}

int json_int_or(const json_t *obj, const char *name, int lo, int hi, int dflt)
{
    int n;

    return json_int_value(json_object_get(obj, name), lo, hi, &n) ? n : dflt;
}

/* What a member must be, in each language. */
static void type_names(unsigned types, const char **ret_zh, const char **ret_en)
{
    static const struct {
        unsigned types;
        const char *zh, *en;
    } names[] = {
        {JF_STRING | JF_NULL, "字符串或 null", "a string or null"},
        {JF_INT | JF_NULL, "整数或 null", "an integer or null"},
        {JF_STRING, "字符串", "a string"},
        {JF_INT, "整数", "an integer"},
        {JF_BOOL, "布尔值（true 或 false）", "a boolean"},
        {JF_ARRAY, "数组", "an array"},
        {JF_OBJECT, "对象", "an object"},
    };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (types == names[i].types || (types & ~JF_NULL) == names[i].types) {
            *ret_zh = names[i].zh;
            *ret_en = names[i].en;
            return;
        }
    }
    *ret_zh = "其他类型";
    *ret_en = "of another type";
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

/* One member's value against its row: type, then length or element count.
 * Each call names its code literally, so tools/problem_codes.py finds it. */
static void
check_value(const json_t *v, const struct json_field *f, const char *ptr, struct problem *p)
{
    size_t n = json_is_string(v)  ? json_utf8_length(json_string_value(v))
               : json_is_array(v) ? json_array_size(v)
                                  : 0;
    bool bounded = f->max_len > 0 && (json_is_string(v) || json_is_array(v));
    json_int_t lo = f->max_len > 0 ? (json_int_t)f->min_len : INT_MIN;
    json_int_t hi = f->max_len > 0 ? (json_int_t)f->max_len : INT_MAX, n_int;
    const char *zh, *en;

    if (!type_ok(v, f->types)) {
        type_names(f->types, &zh, &en);
        /* Both formats take both names; each prints its own (%.0s prints nothing). */
        problem_field(p, APP_ERR_VALIDATION, ptr, "wrong_type", "应为%s%.0s", "must be %.0s%s", zh,
                      en);
    } else if (json_is_integer(v) && !json_int_range(v, lo, hi, &n_int)) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "out_of_range", "须为 %lld 至 %lld 之间的整数",
                      "must be an integer from %lld to %lld", (long long)lo, (long long)hi);
    } else if (!bounded || (n >= f->min_len && n <= f->max_len)) {
        return;
    } else if (json_is_string(v) && n < f->min_len) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "too_short", "长度应为 %zu 至 %zu 个字符",
                      "must be %zu to %zu characters", f->min_len, f->max_len);
    } else if (json_is_string(v)) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "too_long", "长度应为 %zu 至 %zu 个字符",
                      "must be %zu to %zu characters", f->min_len, f->max_len);
    } else if (n < f->min_len) {
        problem_field(p, APP_ERR_VALIDATION, ptr, "too_few_items", "应有 %zu 至 %zu 项",
                      "must have %zu to %zu elements", f->min_len, f->max_len);
    } else {
        problem_field(p, APP_ERR_VALIDATION, ptr, "too_many_items", "应有 %zu 至 %zu 项",
                      "must have %zu to %zu elements", f->min_len, f->max_len);
    }
}

bool json_fields_unknown(const json_t *obj,
                         const struct json_field *fields,
                         size_t n,
                         const char *prefix,
                         struct problem *reterr)
{
    bool unknown = false;
    const char *key;
    json_t *value;

    json_object_foreach((json_t *)obj, key, value)
    {
        if (find(fields, n, key) == NULL) {
            char ptr[PROBLEM_POINTER_MAX];
            problem_pointer(ptr, sizeof(ptr), prefix, key); /* client text: escaped, capped */
            problem_field(reterr, APP_ERR_UNKNOWN_FIELD, ptr, "unknown_field", "未知字段",
                          "unknown member");
            unknown = true;
        }
    }
    if (unknown) {
        reterr->err = APP_ERR_UNKNOWN_FIELD;
    }
    return !unknown;
}

bool json_fields_check(const json_t *obj,
                       const struct json_field *fields,
                       size_t n,
                       const char *prefix,
                       struct problem *reterr)
{
    size_t before = reterr->n_errors + reterr->n_dropped;

    if (!json_is_object(obj)) {
        problem_field(reterr, APP_ERR_VALIDATION, prefix, "not_an_object", "应为对象",
                      "must be an object");
        return false;
    }
    if (!json_fields_unknown(obj, fields, n, prefix, reterr)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const struct json_field *f = &fields[i];
        const json_t *v = json_object_get(obj, f->name);
        char ptr[PROBLEM_POINTER_MAX];

        problem_pointer(ptr, sizeof(ptr), prefix, f->name);
        if (v != NULL) {
            check_value(v, f, ptr, reterr);
        } else if (f->required) {
            problem_field(reterr, APP_ERR_VALIDATION, ptr, "required", "为必填项", "is required");
        }
    }
    return reterr->n_errors + reterr->n_dropped == before;
}
