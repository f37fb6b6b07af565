/* SPDX-License-Identifier: MIT */
/*
 * /docs without JavaScript or a CDN: the page is built once at start from
 * the embedded OpenAPI document — every operation with its summary,
 * description, parameters and responses — so it is always the contract the
 * binary serves. The full machine-readable spec stays at /openapi.json.
 */
#include "docs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static void put_escaped(FILE *f, const char *s)
{
    for (; s != NULL && *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static const char *str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static void render_operation(FILE *f, const char *path, const char *method, const json_t *op)
{
    const char *key;
    json_t *v;
    size_t i;

    fprintf(f, "<section class=op id=\"");
    put_escaped(f, str(op, "operationId"));
    fprintf(f, "\"><h3><span class=\"m %s\">%s</span> <code>", method, method);
    put_escaped(f, path);
    fputs("</code></h3><p><b>", f);
    put_escaped(f, str(op, "summary"));
    fputs("</b> <small>", f);
    put_escaped(f, str(op, "operationId"));
    fputs("</small></p><pre class=d>", f);
    put_escaped(f, str(op, "description"));
    fputs("</pre>", f);
    if (json_array_size(json_object_get(op, "parameters")) > 0) {
        fputs("<table><tr><th>parameter</th><th>in</th><th>description</th></tr>", f);
        json_array_foreach(json_object_get(op, "parameters"), i, v)
        {
            fputs("<tr><td><code>", f);
            put_escaped(f, str(v, "name") ? str(v, "name") : str(v, "$ref"));
            fputs("</code></td><td>", f);
            put_escaped(f, str(v, "in"));
            fputs("</td><td>", f);
            put_escaped(f, str(v, "description"));
            fputs("</td></tr>", f);
        }
        fputs("</table>", f);
    }
    fputs("<table><tr><th>status</th><th>meaning</th></tr>", f);
    json_object_foreach(json_object_get(op, "responses"), key, v)
    {
        fputs("<tr><td>", f);
        put_escaped(f, key);
        fputs("</td><td>", f);
        put_escaped(f, str(v, "description") ? str(v, "description") : str(v, "$ref"));
        fputs("</td></tr>", f);
    }
    fputs("</table></section>\n", f);
}

char *docs_render(const char *spec_json, size_t len)
{
    static const char *const methods[] = {"get", "post", "put", "patch", "delete"};
    json_t *spec = json_loadb(spec_json, len, 0, NULL);
    const json_t *info = json_object_get(spec, "info");
    char *html = NULL;
    size_t html_len = 0;
    const char *path;
    json_t *item;
    FILE *f;

    if (spec == NULL || (f = open_memstream(&html, &html_len)) == NULL) {
        json_decref(spec);
        return NULL;
    }
    fputs("<!doctype html><html lang=zh><head><meta charset=utf-8><title>", f);
    put_escaped(f, str(info, "title"));
    fputs("</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;"
          "padding:1rem}code,pre{font-family:ui-monospace,monospace}pre.d{white-space:pre-wrap;"
          "background:#f6f8fa;padding:.5rem}table{border-collapse:collapse;margin:.5rem 0}"
          "td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}.m{padding:0 .4rem;"
          "border-radius:3px;color:#fff;background:#555;text-transform:uppercase}.get{"
          "background:#2b7}.post{background:#27b}.put,.patch{background:#b72}.delete{"
          "background:#b33}section.op{border-top:1px solid #eee;margin-top:1rem}</style></head>"
          "<body><h1>",
          f);
    put_escaped(f, str(info, "title"));
    fprintf(f,
            " <small>%s</small></h1><p>Machine-readable: <a href=\"/openapi.json\">"
            "/openapi.json</a></p><pre class=d>",
            str(info, "version") ? str(info, "version") : "");
    put_escaped(f, str(info, "description"));
    fputs("</pre><h2>Operations</h2>\n", f);
    json_object_foreach(json_object_get(spec, "paths"), path, item)
    {
        for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
            const json_t *op = json_object_get(item, methods[m]);
            if (op != NULL) {
                render_operation(f, path, methods[m], op);
            }
        }
    }
    fputs("</body></html>\n", f);
    fclose(f);
    json_decref(spec);
    return html;
}
