/* SPDX-License-Identifier: MIT */
/*
 * The canonical vote-log line and its checker. Times are rendered from the
 * stream id's milliseconds with civil-date arithmetic (no time zone
 * database: Asia/Shanghai is UTC+8 without DST), so the bytes never depend
 * on the host. The checker parses a line, formats it again and compares the
 * bytes: whatever is not exactly what we would have written is refused.
 */
#include "vote_log.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "vote_session.h"

/* 9999-12-31T23:59:59.999+08:00: four-digit years only. */
#define VOTE_LOG_MS_MAX 253402271999999LL
#define UUID_LEN        36
#define HASH_HEX_LEN    64
#define READ_CHUNK      8192

static const char LINE_HEAD[] = "{\"at\":\"";
static const char LINE_NOMINEE[] = "\",\"nominee_id\":\"";
static const char LINE_RECEIPT[] = "\",\"receipt_hash\":\"";
static const char LINE_TAIL[] = "\"}\n";

static bool is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool hash_ok(const char *s)
{
    size_t i;

    for (i = 0; i < HASH_HEX_LEN; i++) {
        if (!is_lower_hex(s[i])) {
            return false;
        }
    }
    return s[HASH_HEX_LEN] == '\0';
}

/* "<ms>-<seq>", both decimal without sign; the milliseconds in range. */
static bool stream_ms(const char *id, long long *ret_ms)
{
    long long ms;

    if (strnlen(id, 42) > 41 || !vote_stream_id_ms(id, &ms) || ms > VOTE_LOG_MS_MAX) {
        return false;
    }
    *ret_ms = ms;
    return true;
}

bool vote_log_time(char *buf, size_t len, long long ms)
{
    char at[RFC3339_TEXT_MAX];

    if (buf == NULL || ms < 0 || ms > VOTE_LOG_MS_MAX) {
        return false;
    }
    rfc3339_format(ms, true, at);
    if (strlen(at) != VOTE_LOG_TIME_LEN || len <= VOTE_LOG_TIME_LEN) {
        return false;
    }
    memcpy(buf, at, VOTE_LOG_TIME_LEN + 1);
    return true;
}

size_t vote_log_line(
    char *buf, size_t len, const char *stream_id, const char *nominee_id, const char *receipt_hash)
{
    char at[VOTE_LOG_TIME_LEN + 1];
    long long ms;
    int n;

    if (buf == NULL || stream_id == NULL || nominee_id == NULL || receipt_hash == NULL ||
        !stream_ms(stream_id, &ms) || !vote_uuid_valid(nominee_id) || !hash_ok(receipt_hash) ||
        !vote_log_time(at, sizeof(at), ms)) {
        return 0;
    }
    n = snprintf(buf, len, "%s%s%s%s%s%s%s", LINE_HEAD, at, LINE_NOMINEE, nominee_id, LINE_RECEIPT,
                 receipt_hash, LINE_TAIL);
    if (n < 0 || (size_t)n >= len) {
        return 0;
    }
    return (size_t)n;
}

/* Milliseconds since the epoch of the `at` that starts at `at` (not
 * NUL-terminated in the line); the re-format catches every oddity the
 * parser lets through. */
static bool at_ms(const char *at, long long *ret_ms)
{
    char text[VOTE_LOG_TIME_LEN + 1];

    memcpy(text, at, VOTE_LOG_TIME_LEN);
    text[VOTE_LOG_TIME_LEN] = '\0';
    return rfc3339_parse(text, ret_ms) && *ret_ms >= 0 && *ret_ms <= VOTE_LOG_MS_MAX;
}

/* ---- receipt-hash set: open addressing over 32-byte digests, keyed
 * SipHash so a crafted file cannot force collisions ---- */
struct hash_set {
    unsigned char (*slots)[32];
    unsigned char *used;
    size_t cap, n;
    unsigned char key[crypto_shorthash_KEYBYTES];
};

static size_t set_index(const struct hash_set *s, const unsigned char *h)
{
    unsigned char out[crypto_shorthash_BYTES];
    uint64_t v;

    crypto_shorthash(out, h, 32, s->key);
    memcpy(&v, out, sizeof(v));
    return (size_t)(v & (s->cap - 1));
}

static bool set_grow(struct hash_set *s)
{
    struct hash_set bigger = *s;
    size_t i;

    bigger.cap = s->cap == 0 ? 1024 : s->cap * 2;
    bigger.n = 0;
    bigger.slots = malloc(bigger.cap * 32);
    bigger.used = calloc(bigger.cap, 1);
    if (bigger.slots == NULL || bigger.used == NULL) {
        free(bigger.slots);
        free(bigger.used);
        return false;
    }
    for (i = 0; i < s->cap; i++) {
        if (s->used[i]) {
            size_t k = set_index(&bigger, s->slots[i]);
            while (bigger.used[k]) {
                k = (k + 1) & (bigger.cap - 1);
            }
            memcpy(bigger.slots[k], s->slots[i], 32);
            bigger.used[k] = 1;
            bigger.n++;
        }
    }
    free(s->slots);
    free(s->used);
    *s = bigger;
    return true;
}

/* 1 added, 0 already present, -1 out of memory. */
static int set_add(struct hash_set *s, const unsigned char *h)
{
    size_t k;

    if ((s->n + 1) * 2 > s->cap && !set_grow(s)) {
        return -1;
    }
    for (k = set_index(s, h); s->used[k]; k = (k + 1) & (s->cap - 1)) {
        if (memcmp(s->slots[k], h, 32) == 0) {
            return 0;
        }
    }
    memcpy(s->slots[k], h, 32);
    s->used[k] = 1;
    s->n++;
    return 1;
}

struct checker {
    struct vote_log_check *out;
    struct hash_set seen;
    long long last_ms;
    long line_no;
};

static void mark_bad(struct checker *c, const char *reason)
{
    if (c->out->bad_line == 0) {
        c->out->bad_line = c->line_no;
        snprintf(c->out->reason, sizeof(c->out->reason), "%s", reason);
    }
}

static bool count_vote(struct vote_log_check *out, const char *nominee_id)
{
    size_t i;

    for (i = 0; i < out->n_nominees; i++) {
        if (strcmp(out->counts[i].nominee_id, nominee_id) == 0) {
            out->counts[i].votes++;
            return true;
        }
    }
    if (out->n_nominees == VOTE_LOG_NOMINEES_MAX) {
        return false;
    }
    snprintf(out->counts[i].nominee_id, sizeof(out->counts[i].nominee_id), "%s", nominee_id);
    out->counts[i].votes = 1;
    out->n_nominees++;
    return true;
}

/* One complete line (with its '\n', len bytes). */
static void check_line(struct checker *c, const char *line, size_t len)
{
    const size_t nominee_at = sizeof(LINE_HEAD) - 1 + VOTE_LOG_TIME_LEN + sizeof(LINE_NOMINEE) - 1;
    const size_t receipt_at = nominee_at + UUID_LEN + sizeof(LINE_RECEIPT) - 1;
    char nominee[UUID_LEN + 1], receipt[HASH_HEX_LEN + 1], stream_id[48], again[VOTE_LOG_LINE_MAX];
    unsigned char digest[32];
    long long ms;
    size_t n;

    if (len != receipt_at + HASH_HEX_LEN + sizeof(LINE_TAIL) - 1 ||
        memcmp(line, LINE_HEAD, sizeof(LINE_HEAD) - 1) != 0 ||
        !at_ms(line + sizeof(LINE_HEAD) - 1, &ms)) {
        mark_bad(c, "not a canonical log line");
        return;
    }
    memcpy(nominee, line + nominee_at, UUID_LEN);
    nominee[UUID_LEN] = '\0';
    memcpy(receipt, line + receipt_at, HASH_HEX_LEN);
    receipt[HASH_HEX_LEN] = '\0';
    snprintf(stream_id, sizeof(stream_id), "%lld-0", ms);
    n = vote_log_line(again, sizeof(again), stream_id, nominee, receipt);
    if (n != len || memcmp(again, line, len) != 0) {
        mark_bad(c, "not a canonical log line");
        return;
    }
    if (ms < c->last_ms) {
        mark_bad(c, "time goes backwards");
        return;
    }
    c->last_ms = ms;
    sodium_hex2bin(digest, sizeof(digest), receipt, HASH_HEX_LEN, NULL, NULL, NULL);
    switch (set_add(&c->seen, digest)) {
    case 0:
        mark_bad(c, "receipt hash repeated");
        return;
    case -1:
        mark_bad(c, "out of memory");
        return;
    default:
        break;
    }
    if (!count_vote(c->out, nominee)) {
        mark_bad(c, "too many nominees");
    }
}

bool vote_log_check_stream(FILE *in, struct vote_log_check *ret)
{
    unsigned char chunk[READ_CHUNK];
    crypto_hash_sha256_state sha;
    unsigned char digest[crypto_hash_sha256_BYTES];
    struct checker c = {.out = ret, .last_ms = 0, .line_no = 0};
    char line[VOTE_LOG_LINE_MAX];
    size_t fill = 0, got, i;
    bool too_long = false;

    memset(ret, 0, sizeof(*ret));
    randombytes_buf(c.seen.key, sizeof(c.seen.key));
    crypto_hash_sha256_init(&sha);
    while ((got = fread(chunk, 1, sizeof(chunk), in)) > 0) {
        crypto_hash_sha256_update(&sha, chunk, got);
        for (i = 0; i < got; i++) {
            if (fill < sizeof(line)) {
                line[fill++] = (char)chunk[i];
            } else {
                too_long = true;
            }
            if (chunk[i] != '\n') {
                continue;
            }
            c.line_no++;
            if (too_long) {
                mark_bad(&c, "line too long");
            } else {
                check_line(&c, line, fill);
            }
            fill = 0;
            too_long = false;
        }
    }
    if (ferror(in)) {
        c.line_no++;
        mark_bad(&c, "read error");
    } else if (fill > 0 || too_long) {
        c.line_no++;
        mark_bad(&c, "last line has no newline");
    }
    crypto_hash_sha256_final(&sha, digest);
    sodium_bin2hex(ret->sha256, sizeof(ret->sha256), digest, sizeof(digest));
    ret->entries = c.line_no;
    free(c.seen.slots);
    free(c.seen.used);
    return ret->bad_line == 0;
}
