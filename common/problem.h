/* SPDX-License-Identifier: MIT */
/*
 * RFC 9457 problem details. A struct problem is filled by whichever module
 * finds the fault (model validation, store, handler) and rendered once by
 * problem_to_json(). Titles are fixed per type, Chinese by default and
 * English for `Accept-Language: en`; `detail` and `errors[]` describe this
 * occurrence and never carry personal data.
 */
#ifndef JIANGXIN_PROBLEM_H
#define JIANGXIN_PROBLEM_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "app_err.h"

#define PROBLEM_TYPE_BASE   "urn:jiangxin:problem:"
#define PROBLEM_DETAIL_MAX  256
#define PROBLEM_POINTER_MAX 128
#define PROBLEM_ERRORS_MAX  8

enum problem_lang {
    PROBLEM_LANG_ZH = 0,
    PROBLEM_LANG_EN,
};

struct problem_error {
    char pointer[PROBLEM_POINTER_MAX]; /* JSON Pointer into the request body, or "/" */
    char detail[PROBLEM_DETAIL_MAX];
};

struct problem {
    enum app_err err;
    char detail[PROBLEM_DETAIL_MAX];
    size_t n_errors;
    struct problem_error errors[PROBLEM_ERRORS_MAX];
    unsigned retry_after; /* seconds; > 0 adds Retry-After */
    char allow[96];       /* for 405: the Allow header value */
    json_t *extra;        /* optional extension members (owned; problem_clear frees) */
};

/* Pessimistic start for handlers: an internal error until proven otherwise. */
#define PROBLEM_INIT            \
    {                           \
        .err = APP_ERR_INTERNAL \
    }

/* Sets the error kind and a printf-style detail (may be NULL for none). */
void problem_set(struct problem *p, enum app_err err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds one errors[] entry; also sets p->err when it is APP_OK or APP_ERR_INTERNAL.
 * Entries past PROBLEM_ERRORS_MAX are dropped (the first ones are the useful ones). */
void problem_add_error(struct problem *p,
                       enum app_err err,
                       const char *pointer,
                       const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));

/* Cuts an incomplete UTF-8 sequence off the end of s (after a byte-bounded
 * snprintf), so the text stays valid for JSON. */
void problem_utf8_trim(char *s);

/* Writes "/<prefix-less pointer>" for member `name` under `prefix`, escaping
 * per RFC 6901 (~ → ~0, / → ~1) and cutting on a character boundary. */
void problem_pointer(char *out, size_t len, const char *prefix, const char *name);

/* Releases p->extra. NULL-safe. */
void problem_clear(struct problem *p);

unsigned problem_status(enum app_err err);
/* Stable type URI, e.g. "urn:jiangxin:problem:not-found". */
const char *problem_type(enum app_err err);
/* The slug part of the type URI, e.g. "not-found". */
const char *problem_slug(enum app_err err);
const char *problem_title(enum app_err err, enum problem_lang lang);

/* Parses an Accept-Language header value: "en..." first → English, else Chinese. */
enum problem_lang problem_lang_from_header(const char *accept_language);

/* New reference: {type,title,status,detail?,instance?,request_id?,errors?} plus
 * the members of p->extra. Returns NULL only when out of memory. */
json_t *problem_to_json(const struct problem *p,
                        enum problem_lang lang,
                        const char *instance,
                        const char *request_id);

#endif
