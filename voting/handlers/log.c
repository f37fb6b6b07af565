/* SPDX-License-Identifier: MIT */
/*
 * The published vote log, after the vote closes: NDJSON streamed from
 * Redis in batches (never held whole), with its entry count and SHA-256 in
 * the headers. The digest is computed once, by a first pass over the log,
 * and stored with the session; the first writer wins, so the API's copy
 * (posted by the poster) and this one can only agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "clock.h"
#include "model/vote_log.h"
#include "store/vote_store.h"
#include "vote_handlers.h"

/* Walks the log up to a fixed last id, one canonical line at a time. */
struct log_cursor {
    char session_id[VOTE_ID_MAX];
    char until[VOTE_STREAM_ID_MAX];
    char after[VOTE_STREAM_ID_MAX];
    struct vote_log_entry *batch; /* VOTE_LOG_BATCH entries */
    size_t n, pos;
    bool exhausted;
    char line[VOTE_LOG_LINE_MAX];
    size_t line_len, line_off;
};

static struct log_cursor *cursor_new(const char *session_id, const char *until)
{
    struct log_cursor *c = calloc(1, sizeof(*c));

    if (c == NULL || (c->batch = calloc(VOTE_LOG_BATCH, sizeof(*c->batch))) == NULL) {
        free(c);
        return NULL;
    }
    snprintf(c->session_id, sizeof(c->session_id), "%s", session_id);
    snprintf(c->until, sizeof(c->until), "%s", until);
    snprintf(c->after, sizeof(c->after), "0-0");
    c->exhausted = strcmp(until, "0-0") == 0;
    return c;
}

static void cursor_free(void *p)
{
    struct log_cursor *c = p;

    if (c != NULL) {
        free(c->batch);
        free(c);
    }
}

/* Formats the next line into c->line: 1, 0 at the end, -1 on a failure. */
static int cursor_next(struct log_cursor *c)
{
    if (c->pos == c->n) {
        if (c->exhausted) {
            return 0;
        }
        if (vote_store_log_range(c->session_id, c->after, c->until, c->batch, VOTE_LOG_BATCH,
                                 &c->n) != APP_OK) {
            return -1;
        }
        c->pos = 0;
        c->exhausted = c->n < VOTE_LOG_BATCH;
        if (c->n == 0) {
            return 0;
        }
        snprintf(c->after, sizeof(c->after), "%s", c->batch[c->n - 1].id);
    }
    const struct vote_log_entry *e = &c->batch[c->pos++];
    c->line_len = vote_log_line(c->line, sizeof(c->line), e->id, e->nominee_id, e->receipt_hash);
    c->line_off = 0;
    return c->line_len > 0 ? 1 : -1;
}

static long cursor_read(void *ctx, char *buf, size_t max)
{
    struct log_cursor *c = ctx;
    size_t used = 0;

    while (used < max) {
        if (c->line_off == c->line_len) {
            int rc = cursor_next(c);
            if (rc <= 0) {
                return rc < 0 && used == 0 ? -1 : (long)used;
            }
        }
        size_t k = c->line_len - c->line_off;
        k = k < max - used ? k : max - used;
        memcpy(buf + used, c->line + c->line_off, k);
        c->line_off += k;
        used += k;
    }
    return (long)used;
}

/* The first pass: entries and SHA-256 of the lines up to `until`. */
static enum app_err
log_digest(const char *session_id, const char *until, long *ret_n, char ret_hex[VOTE_HEX_MAX])
{
    struct log_cursor *c = cursor_new(session_id, until);
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    long n = 0;
    int rc;

    if (c == NULL) {
        return APP_ERR_INTERNAL;
    }
    crypto_hash_sha256_init(&st);
    while ((rc = cursor_next(c)) == 1) {
        crypto_hash_sha256_update(&st, (const unsigned char *)c->line, c->line_len);
        n++;
    }
    cursor_free(c);
    if (rc < 0) {
        return APP_ERR_UNAVAILABLE;
    }
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(ret_hex, VOTE_HEX_MAX, h, sizeof(h));
    *ret_n = n;
    return APP_OK;
}

/* X-Log-Entries, X-Log-Sha256 and Repr-Digest (RFC 9530). */
static void set_digest_headers(struct http_call *call, long entries, const char *hex)
{
    unsigned char raw[crypto_hash_sha256_BYTES];
    char num[24], b64[64], repr[80];

    snprintf(num, sizeof(num), "%ld", entries);
    http_set_header(call, "X-Log-Entries", num);
    http_set_header(call, "X-Log-Sha256", hex);
    if (sodium_hex2bin(raw, sizeof(raw), hex, 64, NULL, NULL, NULL) == 0) {
        sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw), sodium_base64_VARIANT_ORIGINAL);
        snprintf(repr, sizeof(repr), "sha-256=:%s:", b64);
        http_set_header(call, "Repr-Digest", repr);
    }
}

enum app_err log_get(struct http_call *call, struct problem *p)
{
    struct vote_seal s;
    struct log_cursor *c = NULL;
    char hex[VOTE_HEX_MAX];
    long n = 0;
    const char *id = vote_session_param(call, false, p);
    enum app_err err = id != NULL ? vote_store_seal(id, clock_offset_ms(), &s) : APP_ERR_NOT_FOUND;

    if (err != APP_OK) {
        vote_store_problem(err, p);
        goto cleanup;
    }
    if (!s.sealed) {
        problem_fail(p, APP_ERR_FORBIDDEN, "log_not_published", "投票结束后才公布投票记录",
                     "the log is published once the vote has closed");
        goto cleanup;
    }
    if (s.log_entries < 0) {
        err = log_digest(id, s.last_id, &n, hex);
        if (err == APP_OK) {
            err = vote_store_set_digest(id, n, hex, &s.log_entries, s.log_sha256);
        }
        if (err != APP_OK) {
            vote_store_problem(err, p);
            goto cleanup;
        }
    }
    c = cursor_new(id, s.last_id);
    if (c == NULL) {
        goto cleanup;
    }
    set_digest_headers(call, s.log_entries, s.log_sha256);
    http_reply_stream(call, 200, "application/x-ndjson", cursor_read, cursor_free, c);

cleanup:
    return p->err;
}
