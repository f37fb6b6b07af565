/* SPDX-License-Identifier: MIT */
/*
 * A growing text buffer for replies too large to build as a jansson tree
 * (the ranking's 2,000 entries) and for text formats (the metrics page).
 * Appends never fail loudly: the first failed allocation marks the buffer
 * failed, later appends do nothing, and textbuf_take() then answers NULL.
 */
#ifndef JIANGXIN_TEXTBUF_H
#define JIANGXIN_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>

struct textbuf {
    char *data; /* NUL-terminated while not failed */
    size_t len;
    size_t cap;
    bool failed;
};

/* An empty buffer with room for `hint` bytes (failed when even that fails). */
void textbuf_init(struct textbuf *b, size_t hint);
void textbuf_append(struct textbuf *b, const char *s, size_t n);
void textbuf_puts(struct textbuf *b, const char *s);
void textbuf_printf(struct textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as a JSON string, escaped exactly as json_dumps() escapes it without
 * flags (", \, control characters; UTF-8 as it is), or null when s is NULL. */
void textbuf_json_string(struct textbuf *b, const char *s);
/* An integer as JSON. */
void textbuf_json_int(struct textbuf *b, long long v);
/* The text (malloc'd, NUL-terminated, the caller's) and its length, or
 * NULL when anything failed; either way the buffer is spent (appends to it
 * do nothing until textbuf_init). */
char *textbuf_take(struct textbuf *b, size_t *ret_len);
void textbuf_free(struct textbuf *b);

#endif
