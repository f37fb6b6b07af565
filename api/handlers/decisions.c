/* SPDX-License-Identifier: MIT */
/*
 * The steps after the shortlist over HTTP (api/ops/decisions.c holds every
 * rule): the meeting pack, the decision or 审定, 考察, the final notice,
 * the approval, the recognition, and the public notice and certificate
 * reads. Here: Idempotency-Key, the transaction around a write, the reply.
 */
#include "ops/decisions.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "handlers.h"
#include "ops/documents.h"

enum app_err decision_packs_get(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, decision_pack_get, p);
}

enum app_err decisions_create(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, decision_create, 201, p);
}

enum app_err decisions_get(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, decisions_list, p);
}

enum app_err inspections_put(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, inspection_put, 200, p);
}

enum app_err notices_create(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, notice_publish, 201, p);
}

enum app_err notices_get(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, notice_get, p);
}

enum app_err notices_index(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    json_t *items = NULL;

    if (db == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (notices_list(&ctx, http_query(call, "programme"), &items, p) == APP_OK) {
        json_t *page = json_pack("{s:o}", "items", items);
        api_reply_resource(call, 200, page);
        json_decref(page);
    }
    return p->err;
}

enum app_err approvals_create(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, approval_create, 201, p);
}

enum app_err recognitions_create(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, recognitions_issue, 201, p);
}

enum app_err recognitions_get(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, recognitions_list, p);
}

enum app_err certificates_verify(struct http_call *call, struct problem *p)
{
    const struct api_config *cfg = ((const struct api_ctx *)call->app)->cfg;

    enum app_err err =
        api_reply_lookup(call, "certificates", cfg->certificate_limit, cfg->certificate_window,
                         "number", certificate_verify, NULL, p);

    /* The code in the address is the holder's to share: no shared cache
     * keeps the answer (ROUTE_CACHEABLE adds the tag). */
    if (call->status == 200) {
        http_set_header(call, "Cache-Control", "private, no-cache");
    }
    return err;
}

/* A PDF built by `render` (with `arg`) into a buffer, answered as
 * application/pdf. */
static enum app_err reply_pdf(struct http_call *call,
                              enum app_err (*render)(const struct op_ctx *,
                                                     const char *,
                                                     const char *,
                                                     struct textbuf *,
                                                     struct problem *),
                              const char *arg,
                              struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    struct textbuf b = {0};
    char *bytes;
    size_t len;

    if (db == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (render(&ctx, http_param(call, "id"), arg, &b, p) == APP_OK) {
        if ((bytes = textbuf_take(&b, &len)) == NULL) {
            return ops_internal(p);
        }
        http_reply_text_take(call, 200, "application/pdf", bytes, len);
    }
    textbuf_free(&b);
    return p->err;
}

enum app_err certificates_pdf(struct http_call *call, struct problem *p)
{
    const struct api_config *cfg = ((const struct api_ctx *)call->app)->cfg;
    char base[300];

    /* Without JIANGXIN_PUBLIC_URL: the address the service listens on. */
    if (cfg->public_url != NULL) {
        snprintf(base, sizeof(base), "%s", cfg->public_url);
        for (size_t n = strlen(base); n > 0 && base[n - 1] == '/'; n--) {
            base[n - 1] = '\0';
        }
    } else {
        snprintf(base, sizeof(base), "http://%s", cfg->listen);
    }
    return reply_pdf(call, certificate_pdf, base, p);
}

static enum app_err notice_pdf_of(const struct op_ctx *ctx,
                                  const char *id,
                                  const char *unused,
                                  struct textbuf *out,
                                  struct problem *p)
{
    (void)unused;
    return notice_pdf(ctx, id, out, p);
}

static enum app_err result_list_pdf_of(const struct op_ctx *ctx,
                                       const char *id,
                                       const char *unused,
                                       struct textbuf *out,
                                       struct problem *p)
{
    (void)unused;
    return result_list_pdf(ctx, id, out, p);
}

enum app_err notices_pdf(struct http_call *call, struct problem *p)
{
    return reply_pdf(call, notice_pdf_of, NULL, p);
}

enum app_err result_lists_pdf(struct http_call *call, struct problem *p)
{
    return reply_pdf(call, result_list_pdf_of, NULL, p);
}
