/* SPDX-License-Identifier: MIT */
/*
 * RFC 9457 problem details. A struct problem is filled by whichever module
 * finds the fault (model validation, store, op, handler) and rendered once,
 * by the dispatcher, with problem_to_json(). Titles are fixed per type;
 * `detail` and every `errors[].detail` are written in both languages where
 * the fault is found, and rendered in Chinese by default and in English for
 * `Accept-Language: en`. Every problem and every error item carries a
 * stable machine `code` for its cause (snake_case, documented in the
 * OpenAPI documents); a kind's own code stands in when a caller names none.
 * Nothing here ever carries personal data.
 */
#ifndef JIANGXIN_PROBLEM_H
#define JIANGXIN_PROBLEM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "app_err.h"

#define PROBLEM_TYPE_BASE   "urn:jiangxin:problem:"
#define PROBLEM_DETAIL_MAX  256
#define PROBLEM_POINTER_MAX 128
#define PROBLEM_ERRORS_MAX  16
#define PROBLEM_CODE_MAX    48

enum problem_lang {
    PROBLEM_LANG_ZH = 0,
    PROBLEM_LANG_EN,
};

struct problem_error {
    char pointer[PROBLEM_POINTER_MAX]; /* JSON Pointer into the request body, or "/" */
    char code[PROBLEM_CODE_MAX];
    char detail[2][PROBLEM_DETAIL_MAX]; /* [PROBLEM_LANG_ZH], [PROBLEM_LANG_EN] */
};

struct problem {
    enum app_err err;
    char code[PROBLEM_CODE_MAX];        /* "" = the kind's own code */
    char detail[2][PROBLEM_DETAIL_MAX]; /* [PROBLEM_LANG_ZH], [PROBLEM_LANG_EN] */
    size_t n_errors;
    size_t n_dropped; /* errors past PROBLEM_ERRORS_MAX */
    struct problem_error errors[PROBLEM_ERRORS_MAX];
    unsigned retry_after; /* seconds; > 0 adds Retry-After */
    char allow[96];       /* for 405: the Allow header value */
    json_t *extra;        /* optional extension members (owned; problem_clear frees) */
};

/* Pessimistic start for code outside the dispatcher: an internal error
 * until proven otherwise. Handlers get theirs from the dispatcher. */
#define PROBLEM_INIT            \
    {                           \
        .err = APP_ERR_INTERNAL \
    }

/*
 * Sets the kind, the cause's code (NULL: the kind's own) and the detail in
 * both languages: `zh` and `en` are printf formats that take the same
 * arguments (both are checked by the compiler). Either may be NULL for no
 * detail. Returns err, so a caller can `return problem_fail(...)`.
 */
enum app_err problem_fail(
    struct problem *p, enum app_err err, const char *code, const char *zh, const char *en, ...)
    __attribute__((format(printf, 4, 6), format(printf, 5, 6)));

/* problem_fail with the arguments as a va_list (for wrappers). */
enum app_err problem_vfail(struct problem *p,
                           enum app_err err,
                           const char *code,
                           const char *zh,
                           const char *en,
                           va_list ap) __attribute__((format(printf, 4, 0), format(printf, 5, 0)));

/*
 * Adds one errors[] item (pointer, code, detail in both languages) and sets
 * p->err to err when it is still APP_OK or APP_ERR_INTERNAL: the first kind
 * reported decides the status (callers check unknown members, 400, before
 * values, 422). The first item also becomes the problem's detail and code.
 * Items past PROBLEM_ERRORS_MAX are counted in p->n_dropped, not kept.
 * Returns p->err.
 */
enum app_err problem_field(struct problem *p,
                           enum app_err err,
                           const char *pointer,
                           const char *code,
                           const char *zh,
                           const char *en,
                           ...) __attribute__((format(printf, 5, 7), format(printf, 6, 7)));

/* Adds a copy of an item collected in another problem. Returns p->err. */
enum app_err problem_copy_error(struct problem *p, enum app_err err, const struct problem_error *e);

/* True when p already has an errors[] item at `pointer` (so value checks
 * that run after the shape check report each member once). */
bool problem_has_error(const struct problem *p, const char *pointer);

/* The kind alone, with its own code and no detail (a store's NOT_FOUND,
 * a lost connection's UNAVAILABLE). Returns err. */
enum app_err problem_kind(struct problem *p, enum app_err err);

/* The code a rendering shows: p->code, or the kind's own. */
const char *problem_code(const struct problem *p);
/* A kind's own code, e.g. "not_found". */
const char *problem_kind_code(enum app_err err);

/* Cuts an incomplete UTF-8 sequence off the end of s (after a byte-bounded
 * snprintf), so the text stays valid for JSON. */
void problem_utf8_trim(char *s);

/* Writes "/<prefix-less pointer>" for member `name` under `prefix`, escaping
 * per RFC 6901 (~ → ~0, / → ~1) and cutting on a character boundary. */
void problem_pointer(char *out, size_t len, const char *prefix, const char *name);

/* Releases p->extra and resets p to APP_OK with nothing set. NULL-safe. */
void problem_clear(struct problem *p);

/* Moves everything from src into dst (dst cleared first); src is left
 * cleared. For a caller that collects an inner problem. */
void problem_move(struct problem *dst, struct problem *src);

unsigned problem_status(enum app_err err);
/* Stable type URI, e.g. "urn:jiangxin:problem:not-found". */
const char *problem_type(enum app_err err);
/* The slug part of the type URI, e.g. "not-found". */
const char *problem_slug(enum app_err err);
const char *problem_title(enum app_err err, enum problem_lang lang);

/* Parses an Accept-Language header value: "en..." first → English, else Chinese. */
enum problem_lang problem_lang_from_header(const char *accept_language);

/* New reference: {type,title,status,code,detail?,instance?,request_id?,errors?}
 * plus the members of p->extra; details in `lang`. Returns NULL only when out of memory. */
json_t *problem_to_json(const struct problem *p,
                        enum problem_lang lang,
                        const char *instance,
                        const char *request_id);

#endif
