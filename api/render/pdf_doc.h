/* SPDX-License-Identifier: MIT */
/*
 * The page machinery under the three documents (internal to api/render):
 * a cairo PDF surface writing into a textbuf, a pango context of its own,
 * text laid out in the house fonts, and a flow that runs paragraphs down
 * the text area onto new pages, numbered "第 N 页 共 M 页". A flowing
 * document is laid out twice: once measuring (nothing drawn) to count
 * the pages, once drawing.
 */
#ifndef JX_PDF_DOC_H
#define JX_PDF_DOC_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>

#include "textbuf.h"

#define PDF_MM(mm)      ((mm)*72.0 / 25.4) /* millimetres in points, cairo's PDF unit */
#define PDF_A4_SHORT    PDF_MM(210.0)
#define PDF_A4_LONG     PDF_MM(297.0)
#define PDF_LINE_HEIGHT 1.45 /* Noto CJK's natural line (ascent + descent), in ems */

/* A font of the house: family (PDF_FONT_SERIF, PDF_FONT_SANS), size in points. */
struct pdf_font {
    const char *family;
    double size;
    bool bold;
};

struct pdf_doc {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoFontMap *fonts;
    PangoContext *pango;
    double width, height; /* the page */
    double left, right;   /* the text area's x range */
    double top, bottom;   /* and its y range */
    double y;             /* the flow's cursor */
    int page;             /* 1-based */
    int pages;            /* the measured count; 0 while measuring */
    bool measuring;       /* lay out only: draw nothing, show no page */
    bool numbered;        /* a page number at each page's foot */
    struct textbuf *out;
};

/* A page of width × height points, the PDF's title and creator "jiangxin"
 * set; the text area is the page less the margins. -1 when cairo fails
 * (the doc is then closed and out freed). */
int pdf_doc_open(
    struct pdf_doc *d, struct textbuf *out, double width, double height, const char *title);

/* Ends the last page and the document: 0 with the PDF in out, or -1 (out
 * freed) when `ok` is false or cairo or the buffer failed. */
int pdf_doc_close(struct pdf_doc *d, bool ok);

/* Starts the drawing pass after the measuring one: the page count is kept,
 * the cursor back at the top of page 1. */
void pdf_doc_rewind(struct pdf_doc *d);

/* `text` (Pango markup when `markup`) laid out `width` points wide, wrapped
 * at words or, within long words (URLs), characters, first line indented by
 * `indent` points. The caller unrefs it. */
PangoLayout *pdf_doc_layout(struct pdf_doc *d,
                            const char *text,
                            bool markup,
                            const struct pdf_font *font,
                            double width,
                            PangoAlignment align,
                            double indent);
/* Its height in points. */
double pdf_layout_height(PangoLayout *l);
/* Draws it with its top-left at (x, y); nothing while measuring. */
void pdf_doc_draw(struct pdf_doc *d, PangoLayout *l, double x, double y);

/* The flow: a new page when fewer than `h` points are left (and the page
 * is not empty). */
void pdf_flow_need(struct pdf_doc *d, double h);
/* Runs the layout line by line down from the cursor at x, onto new pages
 * as they fill; the cursor ends under its last line. */
void pdf_flow_layout(struct pdf_doc *d, PangoLayout *l, double x);
/* pdf_doc_layout across the text area, then pdf_flow_layout. */
void pdf_flow_text(struct pdf_doc *d,
                   const char *text,
                   bool markup,
                   const struct pdf_font *font,
                   PangoAlignment align,
                   double indent);
/* Ends the page (its number, when numbered) and starts the next. */
void pdf_flow_break(struct pdf_doc *d);
/* The signature block: issuer and (Chinese) date right-aligned, two
 * characters in from the right edge, kept together on one page. */
void pdf_flow_signature(struct pdf_doc *d, const char *issuer, const char *date);

/* A flowing document: `flow` lays it out from the top of page 1 (and is
 * called twice, measuring, then drawing). Portrait A4, numbered pages.
 * Returns as pdf_doc_close. */
int pdf_doc_render_flow(struct textbuf *out,
                        const char *title,
                        void (*flow)(struct pdf_doc *d, const void *arg),
                        const void *arg);

#endif
