/* SPDX-License-Identifier: MIT */
/*
 * The public notice (公示, pdf_docs.h) in the usual form of a government
 * notice: the title centred, the introduction, the proposed people as a
 * numbered list each with their deeds, the notice period and where to
 * object, then the issuer and the date right-aligned. Body paragraphs open
 * with a two-character indent.
 */
#include "pdf_doc.h"
#include "pdf_docs.h"

struct notice_job {
    const struct pdf_notice *n;
    char date[PDF_CHINESE_DATE_MAX];
};

static const struct pdf_font title_font = {PDF_FONT_SERIF, 20.0, true};
static const struct pdf_font body_font = {PDF_FONT_SERIF, 14.0, false};
static const struct pdf_font deeds_font = {PDF_FONT_SERIF, 13.0, false};

static void notice_entry(struct pdf_doc *d, size_t i, const struct pdf_notice_entry *e)
{
    char *text = g_markup_printf_escaped("<b>%zu. %s</b>（%s，%s）", i + 1, e->name, e->employer,
                                         e->occupation);
    PangoLayout *l = pdf_doc_layout(d, text, true, &body_font, d->right - d->left, PANGO_ALIGN_LEFT,
                                    2 * body_font.size);

    g_free(text);
    /* the heading stays with its first line of deeds */
    pdf_flow_need(d, pdf_layout_height(l) + PDF_LINE_HEIGHT * deeds_font.size);
    pdf_flow_layout(d, l, d->left);
    g_object_unref(l);
    if (e->deeds_summary != NULL && e->deeds_summary[0] != '\0') {
        text = g_markup_printf_escaped("主要事迹：%s", e->deeds_summary);
        pdf_flow_text(d, text, true, &deeds_font, PANGO_ALIGN_LEFT, 2 * deeds_font.size);
        g_free(text);
    }
    d->y += PDF_MM(2.0);
}

static void notice_flow(struct pdf_doc *d, const void *arg)
{
    const struct notice_job *job = arg;
    const struct pdf_notice *n = job->n;
    char *text;
    size_t i;

    pdf_flow_text(d, n->title, false, &title_font, PANGO_ALIGN_CENTER, 0.0);
    d->y += PDF_MM(8.0);
    pdf_flow_text(d, n->intro, false, &body_font, PANGO_ALIGN_LEFT, 2 * body_font.size);
    d->y += PDF_MM(3.0);
    for (i = 0; i < n->n_entries; i++) {
        notice_entry(d, i, &n->entries[i]);
    }
    d->y += PDF_MM(2.0);
    /* Objections come online (anonymous allowed, a contact optional) or in
     * writing; the notice says both. */
    text = g_markup_printf_escaped("公示时间：%s。公示期间，任何单位和个人对公示人选如有异议，"
                                   "可通过网上或书面形式反映，并提供必要的事实依据。",
                                   n->period);
    pdf_flow_text(d, text, true, &body_font, PANGO_ALIGN_LEFT, 2 * body_font.size);
    g_free(text);
    text = g_markup_printf_escaped("联系方式：%s", n->contact);
    pdf_flow_text(d, text, true, &body_font, PANGO_ALIGN_LEFT, 2 * body_font.size);
    g_free(text);
    pdf_flow_signature(d, n->issuer, job->date);
}

int pdf_notice_render(const struct pdf_notice *n, struct textbuf *out)
{
    struct notice_job job = {.n = n};
    size_t i;

    *out = (struct textbuf){.failed = true};
    if (n->title == NULL || n->intro == NULL || n->period == NULL || n->contact == NULL ||
        n->issuer == NULL || !pdf_chinese_date(n->published_on, job.date) ||
        n->n_entries > PDF_ENTRIES_MAX || (n->n_entries > 0 && n->entries == NULL)) {
        return -1;
    }
    for (i = 0; i < n->n_entries; i++) {
        const struct pdf_notice_entry *e = &n->entries[i];

        if (e->name == NULL || e->employer == NULL || e->occupation == NULL) {
            return -1;
        }
    }
    return pdf_doc_render_flow(out, n->title, notice_flow, &job);
}
