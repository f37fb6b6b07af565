/* SPDX-License-Identifier: MIT */
/*
 * The printable documents of issue 13 as operations without HTTP: a
 * certificate, a final notice and a round's result list as A4 PDFs
 * (api/render/pdf_docs.h lays them out). Each loads what it prints with
 * the same scope as its JSON form and answers the PDF's bytes in *out.
 */
#ifndef JIANGXIN_OPS_DOCUMENTS_H
#define JIANGXIN_OPS_DOCUMENTS_H

#include "ops.h"
#include "textbuf.h"

/* The certificate of recognition `id` (admin, office, leader within their
 * programmes). `public_url` is the service's public base URL: the QR code
 * holds <public_url>/v1/certificates/<number>?code=<code>. */
enum app_err certificate_pdf(const struct op_ctx *ctx,
                             const char *id,
                             const char *public_url,
                             struct textbuf *out,
                             struct problem *p);

/* The final notice `id` as published (public). */
enum app_err
notice_pdf(const struct op_ctx *ctx, const char *id, struct textbuf *out, struct problem *p);

/* The concluded round's result list: every shortlisted candidate in the
 * list's order with the review score, the vote share and the outcome
 * (admin, office, leader, auditor within their programmes). */
enum app_err result_list_pdf(const struct op_ctx *ctx,
                             const char *round_id,
                             struct textbuf *out,
                             struct problem *p);

#endif
