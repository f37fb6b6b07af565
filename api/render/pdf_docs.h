/* SPDX-License-Identifier: MIT */
/*
 * Printable A4 PDFs (issue 13): the certificate a recognised worker is
 * given, the public notice (公示) of the proposed list and the published
 * result list. Pure rendering: plain structs in, PDF bytes out; no
 * database, no HTTP. Chinese text is set in Noto Serif/Sans CJK SC
 * (fonts-noto-cjk), found by name through fontconfig and embedded.
 */
#ifndef JX_PDF_DOCS_H
#define JX_PDF_DOCS_H

#include <stdbool.h>
#include <stddef.h>

#include "textbuf.h"

/* Every string is UTF-8, NUL-terminated; dates are ISO "YYYY-MM-DD" and are
 * rendered in Chinese form (二〇二七年三月十五日) by the module. */
struct pdf_certificate {
    const char *title;       /* the title conferred: "岚山工匠" / "环翠区首席技师" */
    const char *holder_name; /* 张三 */
    const char *employer;    /* the work unit */
    const char *occupation;  /* 职业（工种） */
    const char *number;      /* certificate number LSGJ-2027-001 */
    const char *issued_on;   /* ISO date */
    const char *issuer; /* "中共岚山区委人才工作领导小组" or similar, from the caller */
    const char *verify_url;  /* full URL, encoded in the QR code and printed below it */
    const char *verify_code; /* printed beside the number (the code a verifier types) */
};

struct pdf_notice_entry {
    const char *name, *employer, *occupation,
        *deeds_summary; /* deeds_summary may be long: wrap it */
};

struct pdf_notice {
    const char *title; /* "关于2027年度“岚山工匠”拟认定人选的公示" */
    const char *intro; /* one paragraph */
    const struct pdf_notice_entry *entries;
    size_t n_entries;
    const char *period; /* "2027年3月2日至2027年3月8日（5个工作日）" – caller's text */
    const char *contact;      /* objection contact: phone/address text */
    const char *issuer;       /* signature block, right-aligned */
    const char *published_on; /* ISO date, under the issuer */
};

struct pdf_result_entry {
    int rank;
    const char *name, *employer, *occupation;
    const char *score;      /* "87.25" or NULL */
    const char *vote_share; /* "12.50%" or NULL (a programme without a vote) */
    const char *outcome;    /* "认定" / "未入选" … caller's text */
};

struct pdf_result_list {
    const char *title;
    const char *subtitle; /* may be NULL */
    const struct pdf_result_entry *entries;
    size_t n_entries;
    const char *issuer;
    const char *published_on;
};

/* The font families, looked up through fontconfig. Without them installed
 * rendering still works on a fallback font (logged once as a warning). */
#define PDF_FONT_SERIF "Noto Serif CJK SC"
#define PDF_FONT_SANS  "Noto Sans CJK SC"

/* The most entries a notice or result list takes (a page holds ~20). */
#define PDF_ENTRIES_MAX 2000

/*
 * Each renders an A4 PDF into *out (textbuf_init'ed by the callee; bytes,
 * not text — use len). Returns 0, or -1 on a failure (out freed), never
 * aborting the process (short of GLib's own abort on out-of-memory). A
 * failure is a missing required string (every one but subtitle,
 * deeds_summary, score and vote_share), a date that is not a real ISO date, more than
 * PDF_ENTRIES_MAX entries, a URL too long for a QR code, or cairo's error.
 * Thread-safe: each call has its own fonts map and surface.
 * The notice and the result list run onto as many pages as they need,
 * each numbered "第 1 页 共 3 页" at the bottom.
 */
int pdf_certificate_render(const struct pdf_certificate *c, struct textbuf *out);
int pdf_notice_render(const struct pdf_notice *n, struct textbuf *out);
int pdf_result_list_render(const struct pdf_result_list *r, struct textbuf *out);

/* "二〇二七年三月十五日": the longest is 12 code points of 3 bytes and a NUL. */
#define PDF_CHINESE_DATE_MAX 40

/*
 * An ISO date (exactly YYYY-MM-DD, a real date, years 1800..2999) in the
 * Chinese written form: the year digit by digit with 〇 for zero, month and
 * day as numbers (十, 十一, 二十, 三十一). False (out empty) otherwise.
 */
bool pdf_chinese_date(const char *iso, char out[PDF_CHINESE_DATE_MAX]);

#endif
