/* SPDX-License-Identifier: MIT */
/* For api/export/ only: the buffered, hashing file writer and helpers. */
#ifndef JIANGXIN_EXPORT_INTERNAL_H
#define JIANGXIN_EXPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <sodium.h>

#define EXPORT_BUF (64 * 1024)

/* A file written with write(2) through a 64 KiB buffer, hashed (SHA-256)
 * and counted as it goes. The first error is kept in `error` as
 * "export: <what>: <path>: <strerror>". */
struct export_writer {
    int fd;
    char path[4096];
    unsigned char *buf;
    size_t n;
    crypto_hash_sha256_state sha;
    unsigned long long bytes;
    long long rows;
    char *error; /* the job's error buffer (1024 bytes) */
};

/* Sets err (1024 bytes) to "export: what: path: strerror(errnum)" unless
 * an error is already there. Returns false. */
bool export_fail(char *err, const char *what, const char *path, int errnum);

bool export_writer_open(
    struct export_writer *w, int dirfd, const char *dir, const char *name, char *error);
bool export_writer_put(struct export_writer *w, const void *p, size_t n);
/* Flushes, fsyncs and closes; hex gets the SHA-256 (65 bytes). */
bool export_writer_close(struct export_writer *w, char hex[65]);
/* Closes without caring (the file goes with the temporary directory). */
void export_writer_abort(struct export_writer *w);

/* The canonical bytes that are signed: JSON_COMPACT|JSON_SORT_KEYS|
 * JSON_ENSURE_ASCII, as Python's json.dumps(sort_keys=True,
 * separators=(",", ":")) writes them (ASCII, integers only). malloc'd. */
char *export_canonical(json_t *manifest_without_signature);

/* Adds key_id and signature {alg, key_id, value (hex)} to manifest. */
bool export_sign(json_t *manifest, const unsigned char sk[64], const char *key_id);

#endif
