/* SPDX-License-Identifier: MIT */
/*
 * The growing text buffer (textbuf.h). The capacity doubles, so a reply of
 * n bytes costs O(n) copies; the JSON string escaping follows jansson's
 * dump.c so a body written here reads byte for byte like json_dumps'.
 */
#include "textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void textbuf_init(struct textbuf *b, size_t hint)
{
    *b = (struct textbuf){.cap = hint > 0 ? hint : 64};
    b->data = malloc(b->cap);
    if (b->data == NULL) {
        b->failed = true;
        return;
    }
    b->data[0] = '\0';
}

/* Room for `more` bytes and the NUL after them. */
static bool reserve(struct textbuf *b, size_t more)
{
    size_t cap = b->cap;
    char *p;

    if (b->failed) {
        return false;
    }
    if (b->len + more < cap) {
        return true;
    }
    while (b->len + more >= cap) {
        cap *= 2;
    }
    if ((p = realloc(b->data, cap)) == NULL) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void textbuf_append(struct textbuf *b, const char *s, size_t n)
{
    if (reserve(b, n)) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
    }
}

void textbuf_puts(struct textbuf *b, const char *s)
{
    textbuf_append(b, s, strlen(s));
}

void textbuf_printf(struct textbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (b->failed) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        if (!reserve(b, (size_t)n)) {
            return;
        }
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

void textbuf_json_string(struct textbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    static const char from[] = "\"\\\b\f\n\r\t", to[] = "\"\\bfnrt";
    const char *run = s;

    if (s == NULL) {
        textbuf_append(b, "null", 4);
        return;
    }
    textbuf_append(b, "\"", 1);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        const char *k;

        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        textbuf_append(b, run, (size_t)(s - run));
        run = s + 1;
        if ((k = strchr(from, c)) != NULL) {
            char esc[2] = {'\\', to[k - from]};
            textbuf_append(b, esc, 2);
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            textbuf_append(b, esc, 6);
        }
    }
    textbuf_append(b, run, (size_t)(s - run));
    textbuf_append(b, "\"", 1);
}

void textbuf_json_int(struct textbuf *b, long long v)
{
    char num[24];
    char *s = num + sizeof(num);
    unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;

    do {
        *--s = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0) {
        *--s = '-';
    }
    textbuf_append(b, s, (size_t)(num + sizeof(num) - s));
}

char *textbuf_take(struct textbuf *b, size_t *ret_len)
{
    char *text = b->failed ? NULL : b->data;

    if (text != NULL && ret_len != NULL) {
        *ret_len = b->len;
    }
    if (text == NULL) {
        free(b->data);
    }
    *b = (struct textbuf){.failed = true};
    return text;
}

void textbuf_free(struct textbuf *b)
{
    free(b->data);
    *b = (struct textbuf){.failed = true};
}
