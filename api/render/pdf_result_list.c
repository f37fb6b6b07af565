/* SPDX-License-Identifier: MIT */
/*
 * The published result list (pdf_docs.h): the title and subtitle centred,
 * then a ruled table — 名次, 姓名, 工作单位, 职业（工种）, 得分, 得票率,
 * 结果 — whose header row repeats on every page, then the issuer and the
 * date. The score and vote-share columns are left out when no entry has
 * one (a programme without a vote); a missing value in a kept column
 * prints as "—". The work unit's column takes the width the others leave.
 */
#include <stdio.h>

#include "pdf_doc.h"
#include "pdf_docs.h"

enum column { COL_RANK, COL_NAME, COL_EMPLOYER, COL_OCCUPATION, COL_SCORE, COL_VOTE, COL_OUTCOME };
#define N_COLUMNS (COL_OUTCOME + 1)
#define CELL_PAD  4.0

static const struct {
    const char *head;
    double width; /* points; 0 for the one that takes the rest */
    PangoAlignment align;
} columns[N_COLUMNS] = {
    [COL_RANK] = {"名次", 32.0, PANGO_ALIGN_CENTER},
    [COL_NAME] = {"姓名", 52.0, PANGO_ALIGN_CENTER},
    [COL_EMPLOYER] = {"工作单位", 0.0, PANGO_ALIGN_LEFT},
    [COL_OCCUPATION] = {"职业（工种）", 74.0, PANGO_ALIGN_LEFT},
    [COL_SCORE] = {"得分", 40.0, PANGO_ALIGN_CENTER},
    [COL_VOTE] = {"得票率", 48.0, PANGO_ALIGN_CENTER},
    [COL_OUTCOME] = {"结果", 44.0, PANGO_ALIGN_CENTER},
};

struct result_job {
    const struct pdf_result_list *r;
    char date[PDF_CHINESE_DATE_MAX];
    bool shown[N_COLUMNS];
    double fixed; /* the width of the columns shown but the work unit's */
};

static const struct pdf_font title_font = {PDF_FONT_SERIF, 20.0, true};
static const struct pdf_font subtitle_font = {PDF_FONT_SERIF, 14.0, false};
static const struct pdf_font cell_font = {PDF_FONT_SANS, 10.5, false};
static const struct pdf_font head_font = {PDF_FONT_SANS, 10.5, true};

/* One table row at the cursor (onto a new page, under a repeated header,
 * when it does not fit): `cells` is the text of each column. */
static void table_row(struct pdf_doc *d,
                      const struct result_job *job,
                      const char *const cells[N_COLUMNS],
                      bool header);

/* Column k's width in points, 0 when it is left out. */
static double column_width(const struct pdf_doc *d, const struct result_job *job, int k)
{
    if (!job->shown[k]) {
        return 0.0;
    }
    return k == COL_EMPLOYER ? d->right - d->left - job->fixed : columns[k].width;
}

static void table_header(struct pdf_doc *d, const struct result_job *job)
{
    const char *cells[N_COLUMNS];
    int k;

    for (k = 0; k < N_COLUMNS; k++) {
        cells[k] = columns[k].head;
    }
    table_row(d, job, cells, true);
}

static void table_row(struct pdf_doc *d,
                      const struct result_job *job,
                      const char *const cells[N_COLUMNS],
                      bool header)
{
    PangoLayout *layouts[N_COLUMNS] = {NULL};
    double width[N_COLUMNS], h = 0.0, x = d->left;
    int k, page = d->page;

    for (k = 0; k < N_COLUMNS; k++) {
        width[k] = column_width(d, job, k);
        if (width[k] > 0.0) {
            layouts[k] = pdf_doc_layout(d, cells[k], false, header ? &head_font : &cell_font,
                                        width[k] - 2 * CELL_PAD, columns[k].align, 0.0);
            if (pdf_layout_height(layouts[k]) > h) {
                h = pdf_layout_height(layouts[k]);
            }
        }
    }
    h += 2 * CELL_PAD;
    pdf_flow_need(d, h);
    if (d->page != page && !header) {
        table_header(d, job);
    }
    if (!d->measuring && header) {
        cairo_set_source_rgb(d->cr, 0.9, 0.9, 0.9);
        cairo_rectangle(d->cr, d->left, d->y, d->right - d->left, h);
        cairo_fill(d->cr);
        cairo_set_source_rgb(d->cr, 0.0, 0.0, 0.0);
    }
    cairo_set_line_width(d->cr, 0.6);
    for (k = 0; k < N_COLUMNS; k++) {
        if (layouts[k] == NULL) {
            continue;
        }
        if (!d->measuring) {
            cairo_rectangle(d->cr, x, d->y, width[k], h);
            cairo_stroke(d->cr);
        }
        pdf_doc_draw(d, layouts[k], x + CELL_PAD, d->y + CELL_PAD);
        x += width[k];
        g_object_unref(layouts[k]);
    }
    d->y += h;
}

static void result_flow(struct pdf_doc *d, const void *arg)
{
    const struct result_job *job = arg;
    const struct pdf_result_list *r = job->r;
    size_t i;

    pdf_flow_text(d, r->title, false, &title_font, PANGO_ALIGN_CENTER, 0.0);
    if (r->subtitle != NULL && r->subtitle[0] != '\0') {
        d->y += PDF_MM(2.0);
        pdf_flow_text(d, r->subtitle, false, &subtitle_font, PANGO_ALIGN_CENTER, 0.0);
    }
    d->y += PDF_MM(6.0);
    table_header(d, job);
    for (i = 0; i < r->n_entries; i++) {
        const struct pdf_result_entry *e = &r->entries[i];
        char rank[16];
        const char *cells[N_COLUMNS];

        snprintf(rank, sizeof(rank), "%d", e->rank);
        cells[COL_RANK] = rank;
        cells[COL_NAME] = e->name;
        cells[COL_EMPLOYER] = e->employer;
        cells[COL_OCCUPATION] = e->occupation;
        cells[COL_SCORE] = e->score != NULL ? e->score : "—";
        cells[COL_VOTE] = e->vote_share != NULL ? e->vote_share : "—";
        cells[COL_OUTCOME] = e->outcome;
        table_row(d, job, cells, false);
    }
    pdf_flow_signature(d, r->issuer, job->date);
}

int pdf_result_list_render(const struct pdf_result_list *r, struct textbuf *out)
{
    struct result_job job = {.r = r};
    size_t i;
    int k;

    *out = (struct textbuf){.failed = true};
    if (r->title == NULL || r->issuer == NULL || !pdf_chinese_date(r->published_on, job.date) ||
        r->n_entries > PDF_ENTRIES_MAX || (r->n_entries > 0 && r->entries == NULL)) {
        return -1;
    }
    for (k = 0; k < N_COLUMNS; k++) {
        job.shown[k] = k != COL_SCORE && k != COL_VOTE;
    }
    for (i = 0; i < r->n_entries; i++) {
        const struct pdf_result_entry *e = &r->entries[i];

        if (e->name == NULL || e->employer == NULL || e->occupation == NULL || e->outcome == NULL) {
            return -1;
        }
        job.shown[COL_SCORE] |= e->score != NULL;
        job.shown[COL_VOTE] |= e->vote_share != NULL;
    }
    for (k = 0; k < N_COLUMNS; k++) {
        job.fixed += job.shown[k] ? columns[k].width : 0.0;
    }
    return pdf_doc_render_flow(out, r->title, result_flow, &job);
}
