/* SPDX-License-Identifier: MIT */
/* Renders the OpenAPI document as a self-contained HTML page for /docs. */
#ifndef JIANGXIN_DOCS_H
#define JIANGXIN_DOCS_H

#include <stddef.h>

/* New malloc'd HTML, or NULL when the spec does not parse. */
char *docs_render(const char *spec_json, size_t len);

#endif
