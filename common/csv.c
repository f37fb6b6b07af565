/* SPDX-License-Identifier: MIT */
#include "csv.h"

#include <stdbool.h>
#include <string.h>

void csv_cell(struct textbuf *out, const char *s)
{
    bool quote;
    const char *p, *q;

    if (s == NULL) {
        return;
    }
    quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote) {
        textbuf_puts(out, "\"");
    }
    if (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL) {
        textbuf_puts(out, "'");
    }
    for (p = s; (q = strchr(p, '"')) != NULL; p = q + 1) {
        textbuf_append(out, p, (size_t)(q - p) + 1);
        textbuf_puts(out, "\"");
    }
    textbuf_puts(out, p);
    if (quote) {
        textbuf_puts(out, "\"");
    }
}
