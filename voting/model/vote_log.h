/* SPDX-License-Identifier: MIT */
/*
 * The published vote log: one canonical NDJSON line per accepted vote, in
 * the order Redis stored them. Its SHA-256 is what `sha256sum` prints for
 * the downloaded file; the poster, the log endpoint and `jiangxin-vote
 * verify-log` all produce or read the same bytes through this module. Pure:
 * no I/O beyond the FILE it is handed.
 */
#ifndef JIANGXIN_VOTE_LOG_H
#define JIANGXIN_VOTE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define VOTE_LOG_LINE_MAX     256
#define VOTE_LOG_NOMINEES_MAX 256
#define VOTE_LOG_ID_MAX       64

/* Formats `{"at":"…+08:00","nominee_id":"…","receipt_hash":"…"}\n` for the
 * stream entry `stream_id` ("<ms>-<seq>"). Returns the length written (the
 * line ends in '\n'; buf is NUL-terminated), or 0 when an argument is
 * malformed or buf is too small. */
size_t vote_log_line(
    char *buf, size_t len, const char *stream_id, const char *nominee_id, const char *receipt_hash);

/* Renders `ms` since the epoch as RFC 3339 in Asia/Shanghai with
 * milliseconds ("2026-11-21T09:30:00.123+08:00", VOTE_LOG_TIME_LEN chars).
 * Returns false when ms is out of range (before 1970, after 9999) or buf
 * is too small. */
#define VOTE_LOG_TIME_LEN 29
bool vote_log_time(char *buf, size_t len, long long ms);

struct vote_log_count {
    char nominee_id[VOTE_LOG_ID_MAX];
    long votes;
};

struct vote_log_check {
    long entries;
    char sha256[65]; /* hex of the whole input */
    size_t n_nominees;
    struct vote_log_count counts[VOTE_LOG_NOMINEES_MAX];
    long bad_line; /* first bad line (1-based), 0 when every line is good */
    char reason[128];
};

/* Reads a whole log: checks each line is canonical (re-formatting it gives
 * the same bytes), times never decrease, receipt hashes are unique; counts
 * per nominee; hashes every byte. True when every line is good. */
bool vote_log_check_stream(FILE *in, struct vote_log_check *ret);

#endif
