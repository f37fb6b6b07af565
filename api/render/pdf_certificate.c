/* SPDX-License-Identifier: MIT */
/*
 * The certificate (pdf_docs.h): landscape A4 in a double border, the title
 * conferred large, "兹认定 … 同志为“…”", the holder's unit and occupation,
 * the issuer and the date in Chinese, and at the foot the QR code of the
 * verification URL (ECC level M, four modules of quiet zone) with the URL,
 * the certificate number and the verification code beside it.
 */
#include <errno.h>
#include <qrencode.h>
#include <string.h>

#include "log.h"
#include "pdf_doc.h"
#include "pdf_docs.h"

/* The QR code's square with its quiet zone: big enough that a phone, or
 * zbarimg on a 150-dpi scan, reads a version-10 code. */
#define QR_SIZE  PDF_MM(40.0)
#define QR_QUIET 4   /* modules of white around the symbol (ISO/IEC 18004) */
#define QR_FOOT  0.1 /* about the quiet zone's share of QR_SIZE at the foot */

static const double title_red[3] = {0.62, 0.08, 0.08};

static void draw_border(cairo_t *cr, double width, double height)
{
    cairo_set_source_rgb(cr, title_red[0], title_red[1], title_red[2]);
    cairo_set_line_width(cr, 3.0);
    cairo_rectangle(cr, PDF_MM(10.0), PDF_MM(10.0), width - PDF_MM(20.0), height - PDF_MM(20.0));
    cairo_stroke(cr);
    cairo_set_line_width(cr, 0.8);
    cairo_rectangle(cr, PDF_MM(13.0), PDF_MM(13.0), width - PDF_MM(26.0), height - PDF_MM(26.0));
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
}

/* The symbol's dark modules as one path of horizontal runs, filled at once
 * so a rasteriser leaves no seams between neighbours. */
static void draw_qr(cairo_t *cr, const QRcode *qr, double x, double y)
{
    double module = QR_SIZE / (qr->width + 2 * QR_QUIET);
    int row, col;

    cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
    cairo_rectangle(cr, x, y, QR_SIZE, QR_SIZE);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
    x += QR_QUIET * module;
    y += QR_QUIET * module;
    for (row = 0; row < qr->width; row++) {
        const unsigned char *line = qr->data + (size_t)row * (size_t)qr->width;

        for (col = 0; col < qr->width;) {
            int start = col;

            while (col < qr->width && (line[col] & 1)) {
                col++;
            }
            if (col > start) {
                cairo_rectangle(cr, x + start * module, y + row * module, (col - start) * module,
                                module);
            } else {
                col++;
            }
        }
    }
    cairo_fill(cr);
}

/* Lays out `text` and draws it at (x, y); returns its height. */
static double put(struct pdf_doc *d,
                  const char *text,
                  bool markup,
                  const struct pdf_font *font,
                  double x,
                  double y,
                  double width,
                  PangoAlignment align)
{
    PangoLayout *l = pdf_doc_layout(d, text, markup, font, width, align, 0.0);
    double h = pdf_layout_height(l);

    pdf_doc_draw(d, l, x, y);
    g_object_unref(l);
    return h;
}

int pdf_certificate_render(const struct pdf_certificate *c, struct textbuf *out)
{
    static const struct pdf_font title_font = {PDF_FONT_SERIF, 44.0, true};
    static const struct pdf_font body_font = {PDF_FONT_SERIF, 20.0, false};
    static const struct pdf_font detail_font = {PDF_FONT_SERIF, 15.0, false};
    static const struct pdf_font sign_font = {PDF_FONT_SERIF, 16.0, false};
    static const struct pdf_font number_font = {PDF_FONT_SANS, 11.0, false};
    static const struct pdf_font url_font = {PDF_FONT_SANS, 7.5, false};
    char date[PDF_CHINESE_DATE_MAX];
    struct pdf_doc d;
    PangoLayout *l;
    QRcode *qr;
    char *text;
    double y, qr_x, qr_y, body_x, body_w;
    int ok;

    if (c->title == NULL || c->holder_name == NULL || c->employer == NULL ||
        c->occupation == NULL || c->number == NULL || c->issuer == NULL || c->verify_url == NULL ||
        c->verify_code == NULL || !pdf_chinese_date(c->issued_on, date)) {
        *out = (struct textbuf){.failed = true};
        return -1;
    }
    qr = QRcode_encodeString(c->verify_url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == NULL) {
        if (errno != ERANGE) { /* ERANGE: too long, the caller's to know */
            log_error("pdf: QR code of the verification URL: %s", strerror(errno));
        }
        *out = (struct textbuf){.failed = true};
        return -1;
    }
    if (pdf_doc_open(&d, out, PDF_A4_LONG, PDF_A4_SHORT, c->title) != 0) {
        QRcode_free(qr);
        return -1;
    }
    draw_border(d.cr, d.width, d.height);

    cairo_set_source_rgb(d.cr, title_red[0], title_red[1], title_red[2]);
    y = PDF_MM(30.0);
    y += put(&d, c->title, false, &title_font, 0.0, y, d.width, PANGO_ALIGN_CENTER);
    cairo_set_source_rgb(d.cr, 0.0, 0.0, 0.0);

    body_x = PDF_MM(45.0);
    body_w = d.width - 2 * body_x;
    y += PDF_MM(12.0);
    text = g_markup_printf_escaped("　　兹认定　<b>%s</b>　同志为“%s”。\n　　特发此证。",
                                   c->holder_name, c->title);
    y += put(&d, text, true, &body_font, body_x, y, body_w, PANGO_ALIGN_LEFT);
    g_free(text);
    y += PDF_MM(4.0);
    text = g_markup_printf_escaped("工作单位：%s\n职业（工种）：%s", c->employer, c->occupation);
    put(&d, text, true, &detail_font, body_x + 2 * body_font.size, y, body_w, PANGO_ALIGN_LEFT);
    g_free(text);

    /* the foot: QR code and URL on the left, issuer and date on the right */
    qr_x = PDF_MM(24.0);
    qr_y = d.height - PDF_MM(26.0) - QR_SIZE;
    draw_qr(d.cr, qr, qr_x, qr_y);
    put(&d, c->verify_url, false, &url_font, qr_x + PDF_MM(3.0), qr_y + QR_SIZE, PDF_MM(90.0),
        PANGO_ALIGN_LEFT);
    /* beside the symbol, level with its foot */
    text = g_markup_printf_escaped("证书编号：%s\n验证码：%s", c->number, c->verify_code);
    l = pdf_doc_layout(&d, text, true, &number_font, PDF_MM(80.0), PANGO_ALIGN_LEFT, 0.0);
    pdf_doc_draw(&d, l, qr_x + QR_SIZE + PDF_MM(2.0),
                 qr_y + QR_SIZE * (1.0 - QR_FOOT) - pdf_layout_height(l));
    g_object_unref(l);
    g_free(text);
    text = g_markup_printf_escaped("%s\n%s", c->issuer, date);
    put(&d, text, true, &sign_font, d.width - PDF_MM(150.0), qr_y + PDF_MM(8.0), PDF_MM(120.0),
        PANGO_ALIGN_RIGHT);
    g_free(text);

    ok = pdf_doc_close(&d, true);
    QRcode_free(qr);
    return ok;
}
