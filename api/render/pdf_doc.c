/* SPDX-License-Identifier: MIT */
/*
 * The page machinery (pdf_doc.h). Each document gets a fonts map and a
 * pango context of its own: pango's default map is per thread and lives
 * until the thread ends, and a shared one is not thread-safe, so a map a
 * call costs a little font matching but keeps the renderers safe on the
 * API's request threads and leaves nothing behind. Hinting is off: the
 * glyphs are placed as the font designs them, as print wants.
 */
#include "pdf_doc.h"

#include <cairo-pdf.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "pdf_docs.h"

#define FOOT_FROM_BOTTOM PDF_MM(12.0) /* the page number's baseline area */

static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;

/* Says once per process when a house font resolves to another family
 * (fonts-noto-cjk missing): the PDFs still render, in the fallback. It
 * also loads fontconfig's configuration before the first request needs it. */
static void fonts_check(void)
{
    static const char *const families[] = {PDF_FONT_SERIF, PDF_FONT_SANS};
    PangoFontMap *map = pango_cairo_font_map_new();
    PangoContext *ctx = pango_font_map_create_context(map);
    size_t i;

    for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
        PangoFontDescription *want = pango_font_description_from_string(families[i]);
        PangoFont *font = pango_context_load_font(ctx, want);
        PangoFontDescription *got = font != NULL ? pango_font_describe(font) : NULL;
        const char *family = got != NULL ? pango_font_description_get_family(got) : NULL;

        if (family == NULL || strcmp(family, families[i]) != 0) {
            log_warn("pdf: font \"%s\" not installed (fonts-noto-cjk); using \"%s\"", families[i],
                     family != NULL ? family : "none");
        }
        if (got != NULL) {
            pango_font_description_free(got);
        }
        if (font != NULL) {
            g_object_unref(font);
        }
        pango_font_description_free(want);
    }
    g_object_unref(ctx);
    g_object_unref(map);
}

/* cairo's output callback: the PDF's bytes into the textbuf. */
static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
    struct textbuf *out = closure;

    textbuf_append(out, (const char *)data, length);
    return out->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

int pdf_doc_open(
    struct pdf_doc *d, struct textbuf *out, double width, double height, const char *title)
{
    cairo_font_options_t *options;

    pthread_once(&fonts_once, fonts_check);
    *d = (struct pdf_doc){
        .width = width,
        .height = height,
        .left = PDF_MM(25.0),
        .right = width - PDF_MM(25.0),
        .top = PDF_MM(25.0),
        .bottom = height - PDF_MM(25.0),
        .page = 1,
        .out = out,
    };
    d->y = d->top;
    textbuf_init(out, 64 * 1024);
    d->surface = cairo_pdf_surface_create_for_stream(write_out, out, width, height);
    if (out->failed || cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(d->surface);
        textbuf_free(out);
        return -1;
    }
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "jiangxin");
    d->cr = cairo_create(d->surface);
    d->fonts = pango_cairo_font_map_new();
    d->pango = pango_font_map_create_context(d->fonts);
    pango_cairo_context_set_resolution(d->pango, 72.0); /* a point is a unit */
    options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(d->pango, options);
    cairo_font_options_destroy(options);
    pango_context_set_round_glyph_positions(d->pango, FALSE);
    pango_cairo_update_context(d->cr, d->pango);
    return 0;
}

/* "第 N 页 共 M 页", centred at the foot. */
static void draw_page_number(struct pdf_doc *d)
{
    static const struct pdf_font font = {PDF_FONT_SANS, 10.0, false};
    char text[64];
    PangoLayout *l;

    snprintf(text, sizeof(text), "第 %d 页 共 %d 页", d->page, d->pages);
    l = pdf_doc_layout(d, text, false, &font, d->width, PANGO_ALIGN_CENTER, 0.0);
    pdf_doc_draw(d, l, 0.0, d->height - FOOT_FROM_BOTTOM - pdf_layout_height(l));
    g_object_unref(l);
}

int pdf_doc_close(struct pdf_doc *d, bool ok)
{
    cairo_status_t status;

    if (ok && d->numbered && !d->measuring) {
        draw_page_number(d);
    }
    status = cairo_status(d->cr);
    cairo_destroy(d->cr);
    cairo_surface_finish(d->surface);
    if (status == CAIRO_STATUS_SUCCESS) {
        status = cairo_surface_status(d->surface);
    }
    cairo_surface_destroy(d->surface);
    g_object_unref(d->pango);
    g_object_unref(d->fonts);
    if (!ok || status != CAIRO_STATUS_SUCCESS || d->out->failed) {
        if (status != CAIRO_STATUS_SUCCESS) {
            log_error("pdf: cairo: %s", cairo_status_to_string(status));
        }
        textbuf_free(d->out);
        return -1;
    }
    return 0;
}

void pdf_doc_rewind(struct pdf_doc *d)
{
    d->pages = d->page;
    d->page = 1;
    d->y = d->top;
    d->measuring = false;
}

PangoLayout *pdf_doc_layout(struct pdf_doc *d,
                            const char *text,
                            bool markup,
                            const struct pdf_font *font,
                            double width,
                            PangoAlignment align,
                            double indent)
{
    PangoLayout *l = pango_layout_new(d->pango);
    PangoFontDescription *desc = pango_font_description_new();

    pango_font_description_set_family(desc, font->family);
    pango_font_description_set_weight(desc, font->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(desc, font->size * PANGO_SCALE);
    pango_layout_set_font_description(l, desc);
    pango_font_description_free(desc);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align);
    pango_layout_set_indent(l, (int)(indent * PANGO_SCALE));
    if (markup) {
        pango_layout_set_markup(l, text, -1);
    } else {
        pango_layout_set_text(l, text, -1);
    }
    return l;
}

double pdf_layout_height(PangoLayout *l)
{
    int w, h;

    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

void pdf_doc_draw(struct pdf_doc *d, PangoLayout *l, double x, double y)
{
    if (d->measuring) {
        return;
    }
    cairo_move_to(d->cr, x, y);
    pango_cairo_show_layout(d->cr, l);
}

void pdf_flow_break(struct pdf_doc *d)
{
    if (!d->measuring) {
        if (d->numbered) {
            draw_page_number(d);
        }
        cairo_show_page(d->cr);
    }
    d->page++;
    d->y = d->top;
}

void pdf_flow_need(struct pdf_doc *d, double h)
{
    if (d->y + h > d->bottom && d->y > d->top) {
        pdf_flow_break(d);
    }
}

void pdf_flow_layout(struct pdf_doc *d, PangoLayout *l, double x)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double shift = d->y; /* page y of the layout's y = 0 */

    do {
        PangoRectangle r;
        double top, bottom;

        pango_layout_iter_get_line_extents(it, NULL, &r);
        top = (double)r.y / PANGO_SCALE;
        bottom = (double)(r.y + r.height) / PANGO_SCALE;
        if (bottom + shift > d->bottom && top + shift > d->top) {
            pdf_flow_break(d);
            shift = d->top - top;
        }
        if (!d->measuring) {
            cairo_move_to(d->cr, x + (double)r.x / PANGO_SCALE,
                          (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE + shift);
            pango_cairo_show_layout_line(d->cr, pango_layout_iter_get_line_readonly(it));
        }
        d->y = bottom + shift;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

void pdf_flow_text(struct pdf_doc *d,
                   const char *text,
                   bool markup,
                   const struct pdf_font *font,
                   PangoAlignment align,
                   double indent)
{
    PangoLayout *l = pdf_doc_layout(d, text, markup, font, d->right - d->left, align, indent);

    pdf_flow_layout(d, l, d->left);
    g_object_unref(l);
}

void pdf_flow_signature(struct pdf_doc *d, const char *issuer, const char *date)
{
    static const struct pdf_font font = {PDF_FONT_SERIF, 14.0, false};
    char *text = g_markup_printf_escaped("%s\n%s", issuer, date);
    PangoLayout *l = pdf_doc_layout(d, text, true, &font, d->right - d->left - 2 * font.size,
                                    PANGO_ALIGN_RIGHT, 0.0);

    g_free(text);
    d->y += 2 * font.size;
    pdf_flow_need(d, pdf_layout_height(l));
    pdf_flow_layout(d, l, d->left);
    g_object_unref(l);
}

int pdf_doc_render_flow(struct textbuf *out,
                        const char *title,
                        void (*flow)(struct pdf_doc *d, const void *arg),
                        const void *arg)
{
    struct pdf_doc d;

    if (pdf_doc_open(&d, out, PDF_A4_SHORT, PDF_A4_LONG, title) != 0) {
        return -1;
    }
    d.numbered = true;
    d.top = PDF_MM(30.0);
    d.bottom = d.height - PDF_MM(25.0);
    d.y = d.top;
    d.measuring = true;
    flow(&d, arg);
    pdf_doc_rewind(&d);
    flow(&d, arg);
    return pdf_doc_close(&d, true);
}
