/* SPDX-License-Identifier: MIT */
/*
 * The export's delivery: a ustar archive built in an unlinked temporary
 * file, POSTed with libcurl (read straight from the file) with retries.
 *
 * The archive: one 512-byte ustar header per member (mode 0644, uid/gid 0,
 * mtime 0, so the same export gives the same bytes), the data padded to
 * 512, and two zero blocks at the end. Members are DATE/manifest.json and
 * then DATE/<name> for each file the manifest lists, in its order.
 */
#include "deliver.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "export_internal.h"

#define TAR_BLOCK 512

__attribute__((format(printf, 2, 3))) static bool
fail(struct export_deliver_result *r, const char *fmt, ...)
{
    char what[900];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (r->error[0] == '\0') {
        snprintf(r->error, sizeof(r->error), "export: delivery: %s", what);
    }
    return false;
}

/* ------------------------------------------------------------------ ustar */

static void octal(char *field, size_t width, unsigned long long v)
{
    /* width - 1 digits, then NUL. */
    snprintf(field, width, "%0*llo", (int)(width - 1), v);
}

static bool tar_header(FILE *out, const char *name, unsigned long long size)
{
    unsigned char h[TAR_BLOCK];
    unsigned sum = 0;

    if (strlen(name) >= 100 || size > 077777777777ULL) {
        return false;
    }
    memset(h, 0, sizeof(h));
    memcpy(h, name, strlen(name));    /* name[100] */
    octal((char *)h + 100, 8, 0644);  /* mode */
    octal((char *)h + 108, 8, 0);     /* uid */
    octal((char *)h + 116, 8, 0);     /* gid */
    octal((char *)h + 124, 12, size); /* size */
    octal((char *)h + 136, 12, 0);    /* mtime */
    memset(h + 148, ' ', 8);          /* chksum, as spaces while summing */
    h[156] = '0';                     /* typeflag: a regular file */
    memcpy(h + 257, "ustar", 6);      /* magic, NUL-terminated */
    memcpy(h + 263, "00", 2);         /* version */
    for (size_t i = 0; i < sizeof(h); i++) {
        sum += h[i];
    }
    snprintf((char *)h + 148, 8, "%06o", sum); /* six digits, NUL, then the space */
    h[155] = ' ';
    return fwrite(h, 1, sizeof(h), out) == sizeof(h);
}

static bool tar_member(FILE *out,
                       const char *dir,
                       const char *date,
                       const char *name,
                       unsigned char *buf,
                       struct export_deliver_result *r)
{
    char path[4400], member[128];
    struct stat st;
    unsigned long long left;
    int fd;
    bool ok = true;

    if (strchr(name, '/') != NULL || name[0] == '.' || name[0] == '\0') {
        return fail(r, "the manifest names a file it may not: %s", name);
    }
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    snprintf(member, sizeof(member), "%s/%s", date, name);
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
        }
        return fail(r, "cannot read %s: %s", path, strerror(e));
    }
    left = (unsigned long long)st.st_size;
    if (!tar_header(out, member, left)) {
        close(fd);
        return fail(r, "cannot write the archive (%s): %s", member, strerror(errno));
    }
    while (ok && left > 0) {
        ssize_t n = read(fd, buf, left < EXPORT_BUF ? (size_t)left : EXPORT_BUF);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            ok = fail(r, "cannot read %s: %s", path, n < 0 ? strerror(errno) : "file shrank");
        } else if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
            ok = fail(r, "cannot write the archive (%s): %s", member, strerror(errno));
        } else {
            left -= (unsigned long long)n;
        }
    }
    close(fd);
    size_t pad = (size_t)((TAR_BLOCK - st.st_size % TAR_BLOCK) % TAR_BLOCK);
    if (ok && pad > 0) {
        memset(buf, 0, pad);
        if (fwrite(buf, 1, pad, out) != pad) {
            ok = fail(r, "cannot write the archive (%s): %s", member, strerror(errno));
        }
    }
    return ok;
}

/* The archive in an unlinked temporary file, positioned at its start. */
static FILE *
build_tar(const char *dir, const char *date, long long *ret_size, struct export_deliver_result *r)
{
    const char *tmpdir = getenv("TMPDIR");
    char tpl[4200], mpath[4400];
    unsigned char *buf = malloc(EXPORT_BUF);
    json_t *m = NULL, *f;
    FILE *out = NULL;
    size_t i;
    bool ok;
    int fd;

    if (buf == NULL) {
        fail(r, "out of memory");
        return NULL;
    }
    snprintf(tpl, sizeof(tpl), "%s/jiangxin-export-XXXXXX",
             tmpdir != NULL && tmpdir[0] != '\0' ? tmpdir : "/tmp");
    fd = mkostemp(tpl, O_CLOEXEC);
    if (fd < 0) {
        fail(r, "cannot create a temporary file in %s: %s", tpl, strerror(errno));
        free(buf);
        return NULL;
    }
    unlink(tpl);
    out = fdopen(fd, "w+b");
    if (out == NULL) {
        close(fd);
        fail(r, "cannot create a temporary file in %s: %s", tpl, strerror(errno));
        free(buf);
        return NULL;
    }
    snprintf(mpath, sizeof(mpath), "%s/manifest.json", dir);
    m = json_load_file(mpath, 0, NULL);
    ok = m != NULL || fail(r, "cannot read %s", mpath);
    ok = ok && tar_member(out, dir, date, "manifest.json", buf, r);
    json_array_foreach(json_object_get(m, "files"), i, f)
    {
        const char *name = json_string_value(json_object_get(f, "name"));
        ok = ok && (name != NULL || fail(r, "a file without a name in %s", mpath)) &&
             tar_member(out, dir, date, name, buf, r);
    }
    if (ok) {
        memset(buf, 0, 2 * TAR_BLOCK);
        ok = fwrite(buf, 1, 2 * TAR_BLOCK, out) == 2 * TAR_BLOCK && fflush(out) == 0;
        ok = ok || fail(r, "cannot write the archive: %s", strerror(errno));
    }
    if (ok) {
        long size = ftell(out);
        ok = size >= 0 && fseek(out, 0, SEEK_SET) == 0;
        *ret_size = size;
        ok = ok || fail(r, "cannot read the archive back: %s", strerror(errno));
    }
    json_decref(m);
    free(buf);
    if (!ok) {
        fclose(out);
        return NULL;
    }
    return out;
}

/* ------------------------------------------------------------------- HTTP */

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

static void wait_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static bool retryable(long status)
{
    return status == 0 || status == 408 || status == 429 || status >= 500;
}

bool export_deliver(const char *dir,
                    const char *date,
                    const char *manifest_sha256,
                    const struct export_deliver_opts *o,
                    struct export_deliver_result *r)
{
    char idem[128], authz[1100], curl_err[CURL_ERROR_SIZE];
    struct curl_slist *headers = NULL;
    long long size = 0;
    long wait = o->backoff_ms;
    bool ok = false;
    FILE *tar;
    CURL *curl;

    memset(r, 0, sizeof(*r));
    tar = build_tar(dir, date, &size, r);
    if (tar == NULL) {
        return false;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || (curl = curl_easy_init()) == NULL) {
        fclose(tar);
        return fail(r, "cannot initialise libcurl");
    }
    snprintf(idem, sizeof(idem), "Idempotency-Key: %s", manifest_sha256);
    headers = curl_slist_append(headers, "Content-Type: application/x-tar");
    headers = curl_slist_append(headers, idem);
    headers = curl_slist_append(headers, "Expect:"); /* no 100-continue round trip */
    if (o->token != NULL && o->token[0] != '\0') {
        snprintf(authz, sizeof(authz), "Authorization: Bearer %s", o->token);
        headers = curl_slist_append(headers, authz);
        sodium_memzero(authz, sizeof(authz));
    }
    curl_easy_setopt(curl, CURLOPT_URL, o->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_READDATA, tar); /* the default read function: fread */
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)size);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
    /* Give up on a stalled transfer: under 1 byte/s for 60 s. */
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
    for (int i = 1; i <= o->attempts && !ok; i++) {
        CURLcode rc;
        long status = 0;

        if (i > 1) {
            wait_ms(wait < o->backoff_cap_ms ? wait : o->backoff_cap_ms);
            wait = wait > o->backoff_cap_ms / 2 ? o->backoff_cap_ms : wait * 2;
        }
        r->attempts = i;
        curl_err[0] = '\0';
        if (fseek(tar, 0, SEEK_SET) != 0) {
            fail(r, "cannot read the archive back: %s", strerror(errno));
            break;
        }
        rc = curl_easy_perform(curl);
        if (rc == CURLE_OK) {
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        }
        r->status = status;
        if (rc == CURLE_OK && status >= 200 && status < 300) {
            ok = true;
            break;
        }
        if (rc != CURLE_OK) {
            fprintf(stderr, "export: delivery attempt %d of %d: %s\n", i, o->attempts,
                    curl_err[0] ? curl_err : curl_easy_strerror(rc));
        } else {
            fprintf(stderr, "export: delivery attempt %d of %d: HTTP %ld\n", i, o->attempts,
                    status);
        }
        if (rc == CURLE_OK && !retryable(status)) {
            fail(r, "the receiver answered HTTP %ld, which is not retried", status);
            break;
        }
        if (rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT) {
            fail(r, "the URL cannot be used (http or https only): %s", curl_easy_strerror(rc));
            break;
        }
        if (i == o->attempts) {
            char text[400];
            if (rc != CURLE_OK) {
                snprintf(text, sizeof(text), "%s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
            } else {
                snprintf(text, sizeof(text), "HTTP %ld", status);
            }
            fail(r, "gave up after %d attempts; the last: %s", i, text);
        }
    }
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    fclose(tar);
    return ok;
}
