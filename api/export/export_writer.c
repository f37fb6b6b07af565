/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export_internal.h"

bool export_fail(char *err, const char *what, const char *path, int errnum)
{
    if (err[0] == '\0') {
        snprintf(err, 1024, "export: %s: %s: %s", what, path, strerror(errnum));
    }
    return false;
}

bool export_writer_open(
    struct export_writer *w, int dirfd, const char *dir, const char *name, char *error)
{
    memset(w, 0, sizeof(*w));
    w->fd = -1;
    w->error = error;
    snprintf(w->path, sizeof(w->path), "%s/%s", dir, name);
    crypto_hash_sha256_init(&w->sha);
    w->buf = malloc(EXPORT_BUF);
    if (w->buf == NULL) {
        return export_fail(error, "out of memory", w->path, ENOMEM);
    }
    w->fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        return export_fail(error, "cannot create", w->path, errno);
    }
    return true;
}

static bool flush(struct export_writer *w)
{
    size_t off = 0;

    while (off < w->n) {
        ssize_t k = write(w->fd, w->buf + off, w->n - off);
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k <= 0) {
            return export_fail(w->error, "cannot write", w->path, k < 0 ? errno : ENOSPC);
        }
        off += (size_t)k;
    }
    w->n = 0;
    return true;
}

bool export_writer_put(struct export_writer *w, const void *p, size_t n)
{
    const unsigned char *s = p;

    if (w->fd < 0) {
        return false;
    }
    crypto_hash_sha256_update(&w->sha, s, n);
    w->bytes += n;
    while (n > 0) {
        size_t room = EXPORT_BUF - w->n, k = n < room ? n : room;
        memcpy(w->buf + w->n, s, k);
        w->n += k;
        s += k;
        n -= k;
        if (w->n == EXPORT_BUF && !flush(w)) {
            return false;
        }
    }
    return true;
}

bool export_writer_close(struct export_writer *w, char hex[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    bool ok = w->fd >= 0 && flush(w);

    /* ENOSPC may surface only now (delayed allocation), at fsync or close. */
    if (ok && fsync(w->fd) != 0) {
        ok = export_fail(w->error, "cannot fsync", w->path, errno);
    }
    if (w->fd >= 0 && close(w->fd) != 0 && ok) {
        ok = export_fail(w->error, "cannot close", w->path, errno);
    }
    w->fd = -1;
    free(w->buf);
    w->buf = NULL;
    crypto_hash_sha256_final(&w->sha, digest);
    sodium_bin2hex(hex, 65, digest, sizeof(digest));
    return ok;
}

void export_writer_abort(struct export_writer *w)
{
    if (w->fd >= 0) {
        close(w->fd);
    }
    w->fd = -1;
    free(w->buf);
    w->buf = NULL;
}
