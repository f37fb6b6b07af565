/* SPDX-License-Identifier: MIT */
/*
 * `export --deliver URL` (issue 16): the finished export POSTed as one
 * ustar archive (DATE/manifest.json first, then the manifest's files in its
 * order) with Content-Type: application/x-tar, Idempotency-Key: <the
 * manifest's SHA-256> and, when set, Authorization: Bearer <token>. The
 * archive is written to an unlinked temporary file (TMPDIR, else /tmp) and
 * streamed from there on every attempt, so memory does not grow with the
 * export.
 *
 * Attempts: a 2xx ends it; 408, 429, 5xx and transport errors are retried
 * after backoff_ms, doubling, at most backoff_cap_ms; any other answer
 * stops at once.
 */
#ifndef JIANGXIN_EXPORT_DELIVER_H
#define JIANGXIN_EXPORT_DELIVER_H

#include <stdbool.h>

#define EXPORT_DELIVER_ATTEMPTS       5
#define EXPORT_DELIVER_BACKOFF_MS     2000L
#define EXPORT_DELIVER_BACKOFF_CAP_MS 60000L

struct export_deliver_opts {
    const char *url;
    const char *token; /* NULL or "": no Authorization header */
    int attempts;      /* >= 1 */
    long backoff_ms;   /* the first wait */
    long backoff_cap_ms;
};

struct export_deliver_result {
    int attempts;     /* made */
    long status;      /* the last HTTP status, 0 for none */
    char error[1024]; /* "export: delivery: <why>" on failure */
};

/* Delivers the export in `dir` (DIR/YYYY-MM-DD; `date` is its name).
 * Progress goes to stderr, one line per failed attempt. True when an
 * attempt got a 2xx. */
bool export_deliver(const char *dir,
                    const char *date,
                    const char *manifest_sha256,
                    const struct export_deliver_opts *o,
                    struct export_deliver_result *r);

#endif
