/* SPDX-License-Identifier: MIT */
/*
 * The export's orchestration: the datasets streamed from the public
 * projections into <ds>.json and <ds>.csv, changes.ndjson merged against
 * the previous export, the signed manifest, and the atomic directory.
 *
 * The directory: DIR/.lock is flocked (one run at a time; the database's
 * advisory lock is the caller's), stale DIR/.tmp-* are removed, the run
 * writes DIR/.tmp-YYYY-MM-DD-<pid>/ (each file fsynced, manifest.json
 * last, then the directory), renames it to DIR/YYYY-MM-DD (a same-day
 * rerun swaps the two with RENAME_EXCHANGE and removes the old one) and
 * fsyncs DIR. On any failure the temporary directory is removed and an
 * existing export of the day stays as it was.
 *
 * The JSON file: "[", one row per line (keys in column order, numbers
 * raw, booleans, json/jsonb as they are, everything else a string), "]".
 * The CSV file: a UTF-8 BOM, the header, CRLF rows, cells through
 * csv_cell (numbers and booleans as they are). No timestamps: unchanged
 * data gives byte-identical files.
 */
#include "export.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_config.h"
#include "civil_time.h"
#include "csv.h"
#include "export_internal.h"
#include "store/export_store.h"
#include "textbuf.h"

static const struct dataset {
    const char *name;
    const char *stmt;
    char param; /* 'd': today, 't': now, 0: none */
} datasets[] = {
    {"programmes", "export_store_programmes", 0},
    {"rounds", "export_store_rounds", 'd'},
    {"nominees", "export_store_nominees", 't'},
    {"vote_results", "export_store_vote_results", 't'},
    {"decisions", "export_store_decisions", 'd'},
    {"notices", "export_store_notices", 'd'},
    {"recognitions", "export_store_recognitions", 0},
    {"allowance_summary", "export_store_allowance_summary", 0},
};
#define N_DATASETS (sizeof(datasets) / sizeof(datasets[0]))

struct job {
    const struct export_opts *o;
    struct export_result *r;
    int dirfd, tmpfd, lockfd;
    char tmp_name[64], tmp_path[4200];
    char today[11], now[RFC3339_TEXT_MAX];
    char base_path[4200]; /* "" for no base */
    json_t *base;         /* its manifest */
    json_t *files;
    struct export_writer changes;
};

/* The previous export's <ds>.json, read line by line and hashed. */
struct base_reader {
    FILE *f;
    char *line;
    size_t cap;
    char *key;       /* the current row's key (malloc'd), NULL at the end */
    const char *row; /* the current row's JSON (in line) */
    size_t row_len;
    crypto_hash_sha256_state sha;
    const char *want; /* its sha256 in the base manifest */
    char path[4300];
};

struct sink {
    struct job *job;
    const struct dataset *ds;
    struct export_writer json, csv;
    struct textbuf line;
    struct base_reader base;
    bool have_base;
    const char *key_col; /* the first column's name, copied */
    char key_name[64];
};

/* ---------------------------------------------------------------- removal */

/* Removes dir `name` in dirfd and the files in it (export dirs are flat). */
static void remove_tree(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            unlinkat(fd, e->d_name, 0);
        }
    }
    if (d != NULL) {
        closedir(d);
    } else if (fd >= 0) {
        close(fd);
    }
    unlinkat(dirfd, name, AT_REMOVEDIR);
}

static void remove_stale(int dirfd)
{
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* own offset */
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;
    char names[64][256];
    int n = 0;

    while (d != NULL && (e = readdir(d)) != NULL && n < 64) {
        if (strncmp(e->d_name, ".tmp-", 5) == 0) {
            snprintf(names[n++], sizeof(names[0]), "%s", e->d_name);
        }
    }
    if (d != NULL) {
        closedir(d);
    } else if (fd >= 0) {
        close(fd);
    }
    for (int i = 0; i < n; i++) {
        remove_tree(dirfd, names[i]);
    }
}

/* ------------------------------------------------------------------- base */

static bool is_date_name(const char *s)
{
    int32_t day;
    return strlen(s) == 10 && date_parse(s, &day);
}

static int newest_first(const void *a, const void *b)
{
    return strcmp((const char *)b, (const char *)a);
}

/* The latest DIR/YYYY-MM-DD whose manifest verifies (sizes and signature;
 * the data file's hash is checked while it is merged). */
static void find_base(struct job *j, const struct export_key *key)
{
    int fd = openat(j->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* own offset */
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;
    char(*names)[11] = NULL;
    size_t n = 0, cap = 0;

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (!is_date_name(e->d_name)) {
            continue;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            void *p = realloc(names, cap * sizeof(*names));
            if (p == NULL) {
                break;
            }
            names = p;
        }
        snprintf(names[n++], 11, "%s", e->d_name);
    }
    if (d != NULL) {
        closedir(d);
    } else if (fd >= 0) {
        close(fd);
    }
    if (n > 0) {
        qsort(names, n, sizeof(*names), newest_first);
    }
    for (size_t i = 0; i < n && j->base == NULL; i++) {
        char path[4200];
        snprintf(path, sizeof(path), "%s/%s", j->o->out, names[i]);
        if (export_check_dir(path, key, false, NULL)) {
            char mpath[4300];
            snprintf(mpath, sizeof(mpath), "%s/manifest.json", path);
            j->base = json_load_file(mpath, 0, NULL);
            if (j->base != NULL) {
                snprintf(j->base_path, sizeof(j->base_path), "%s", path);
                snprintf(j->r->previous, sizeof(j->r->previous), "%s", names[i]);
            }
        }
    }
    free(names);
}

/* The key of a base row as the exporter writes it — {"<key column>":"<key>",
 * the key column first, a string without escapes — copied (malloc'd)
 * without parsing the row; NULL for any other shape (the caller parses it).
 * Such a JSON string's value is its bytes as they are. */
static char *fast_key(const struct sink *s, const char *line, size_t len)
{
    size_t name_len = strlen(s->key_name);
    const char *p = line, *end = line + len, *q;

    if (len < name_len + 6 || memcmp(p, "{\"", 2) != 0 ||
        memcmp(p + 2, s->key_name, name_len) != 0 || memcmp(p + 2 + name_len, "\":\"", 3) != 0) {
        return NULL;
    }
    p += name_len + 5;
    q = memchr(p, '"', (size_t)(end - p));
    if (q == NULL || memchr(p, '\\', (size_t)(q - p)) != NULL || q + 1 >= end ||
        (q[1] != ',' && q[1] != '}')) {
        return NULL;
    }
    return strndup(p, (size_t)(q - p));
}

/* The next row of the base (key NULL at its end). */
static bool base_next(struct sink *s)
{
    struct base_reader *b = &s->base;
    ssize_t n;

    free(b->key);
    b->key = NULL;
    while ((n = getline(&b->line, &b->cap, b->f)) > 0) {
        crypto_hash_sha256_update(&b->sha, (unsigned char *)b->line, (size_t)n);
        size_t len = (size_t)n;
        if (b->line[len - 1] == '\n') {
            len--;
        }
        if (len > 0 && b->line[len - 1] == ',') {
            len--;
        }
        if (len == 0 || b->line[0] != '{') {
            continue; /* the brackets */
        }
        b->key = fast_key(s, b->line, len);
        if (b->key == NULL) {
            json_t *row = json_loadb(b->line, len, 0, NULL);
            const char *key = json_string_value(json_object_get(row, s->key_name));
            b->key = strdup(key != NULL ? key : "");
            json_decref(row);
        }
        b->row = b->line;
        b->row_len = len;
        return b->key != NULL || export_fail(s->job->r->error, "out of memory", b->path, ENOMEM);
    }
    if (ferror(b->f)) {
        return export_fail(s->job->r->error, "cannot read the previous export", b->path, errno);
    }
    /* The end: the bytes read must be the ones the base manifest signed. */
    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256_final(&b->sha, digest);
    sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
    if (b->want == NULL || strcmp(hex, b->want) != 0) {
        if (s->job->r->error[0] == '\0') {
            snprintf(s->job->r->error, sizeof(s->job->r->error),
                     "export: previous export is corrupt; rerun with --full: %s", b->path);
        }
        return false;
    }
    return true;
}

static bool base_open(struct sink *s)
{
    struct job *j = s->job;
    struct base_reader *b = &s->base;
    char name[64];
    json_t *f;
    size_t i;

    memset(b, 0, sizeof(*b));
    if (j->base == NULL || j->o->full) {
        return true;
    }
    snprintf(name, sizeof(name), "%s.json", s->ds->name);
    json_array_foreach(json_object_get(j->base, "files"), i, f)
    {
        const char *n = json_string_value(json_object_get(f, "name"));
        if (n != NULL && strcmp(n, name) == 0) {
            b->want = json_string_value(json_object_get(f, "sha256"));
        }
    }
    if (b->want == NULL) {
        return true; /* a dataset the base did not have: every row is new */
    }
    snprintf(b->path, sizeof(b->path), "%s/%s", j->base_path, name);
    b->f = fopen(b->path, "re");
    if (b->f == NULL) {
        return export_fail(j->r->error, "cannot read the previous export", b->path, errno);
    }
    crypto_hash_sha256_init(&b->sha);
    s->have_base = true;
    return base_next(s);
}

static void base_close(struct sink *s)
{
    if (s->base.f != NULL) {
        fclose(s->base.f);
    }
    free(s->base.line);
    free(s->base.key);
    memset(&s->base, 0, sizeof(s->base));
}

/* ---------------------------------------------------------------- changes */

static bool change(struct sink *s, const char *op, const char *key, const char *row, size_t len)
{
    struct job *j = s->job;
    struct textbuf t;
    char *text;
    size_t n;
    bool ok;

    textbuf_init(&t, 256 + len);
    textbuf_puts(&t, "{\"dataset\":");
    textbuf_json_string(&t, s->ds->name);
    textbuf_puts(&t, ",\"op\":");
    textbuf_json_string(&t, op);
    textbuf_puts(&t, ",\"key\":");
    textbuf_json_string(&t, key);
    if (row != NULL) {
        textbuf_puts(&t, ",\"row\":");
        textbuf_append(&t, row, len);
    }
    textbuf_puts(&t, "}\n");
    text = textbuf_take(&t, &n);
    ok = text != NULL && export_writer_put(&j->changes, text, n);
    free(text);
    if (ok) {
        j->changes.rows++;
        if (row != NULL) {
            j->r->upserts++;
        } else {
            j->r->deletes++;
        }
    }
    return ok || export_fail(j->r->error, "cannot write", j->changes.path, ENOMEM);
}

/* Base rows with keys before `key` (all of them for NULL) are gone. */
static bool deletes_before(struct sink *s, const char *key)
{
    while (s->base.key != NULL && (key == NULL || strcmp(s->base.key, key) < 0)) {
        if (!change(s, "delete", s->base.key, NULL, 0) || !base_next(s)) {
            return false;
        }
    }
    return true;
}

/* ------------------------------------------------------------------- rows */

static bool on_columns(void *ctx, const struct export_cols *cols)
{
    struct sink *s = ctx;
    struct textbuf t;
    char *text;
    size_t n;
    bool ok;

    if (cols->n < 1) {
        return false;
    }
    snprintf(s->key_name, sizeof(s->key_name), "%s", cols->names[0]);
    textbuf_init(&t, 512);
    textbuf_puts(&t, "\xEF\xBB\xBF");
    for (int c = 0; c < cols->n; c++) {
        if (c > 0) {
            textbuf_puts(&t, ",");
        }
        csv_cell(&t, cols->names[c]);
    }
    textbuf_puts(&t, "\r\n");
    text = textbuf_take(&t, &n);
    ok = text != NULL && export_writer_put(&s->csv, text, n) &&
         export_writer_put(&s->json, "[\n", 2) && base_open(s);
    free(text);
    return ok;
}

static void json_value(struct textbuf *t, enum export_kind kind, const char *v)
{
    if (v == NULL) {
        textbuf_puts(t, "null");
    } else if (kind == EXPORT_NUMBER) {
        textbuf_puts(t, v);
    } else if (kind == EXPORT_BOOL) {
        textbuf_puts(t, v[0] == 't' ? "true" : "false");
    } else if (kind == EXPORT_JSON) {
        if (strpbrk(v, "\r\n") != NULL) { /* json (not jsonb) keeps its layout: one line */
            json_t *parsed = json_loads(v, JSON_DECODE_ANY, NULL);
            char *flat = parsed ? json_dumps(parsed, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
            textbuf_puts(t, flat != NULL ? flat : "null");
            free(flat);
            json_decref(parsed);
        } else {
            textbuf_puts(t, v);
        }
    } else {
        textbuf_json_string(t, v);
    }
}

static bool on_row(void *ctx, const struct export_cols *cols, const char *const *values)
{
    struct sink *s = ctx;
    struct textbuf *t = &s->line;
    char *json_text = NULL, *csv_text = NULL;
    size_t json_len = 0, csv_len = 0;
    const char *key = values[0] != NULL ? values[0] : "";
    bool ok;

    /* The JSON line. */
    textbuf_init(t, 1024);
    textbuf_puts(t, "{");
    for (int c = 0; c < cols->n; c++) {
        if (c > 0) {
            textbuf_puts(t, ",");
        }
        textbuf_json_string(t, cols->names[c]);
        textbuf_puts(t, ":");
        json_value(t, cols->kinds[c], values[c]);
    }
    textbuf_puts(t, "}");
    json_text = textbuf_take(t, &json_len);
    /* The CSV record. */
    textbuf_init(t, 1024);
    for (int c = 0; c < cols->n; c++) {
        if (c > 0) {
            textbuf_puts(t, ",");
        }
        if (values[c] == NULL) {
            continue;
        }
        if (cols->kinds[c] == EXPORT_NUMBER) {
            textbuf_puts(t, values[c]);
        } else if (cols->kinds[c] == EXPORT_BOOL) {
            textbuf_puts(t, values[c][0] == 't' ? "true" : "false");
        } else {
            csv_cell(t, values[c]);
        }
    }
    textbuf_puts(t, "\r\n");
    csv_text = textbuf_take(t, &csv_len);
    ok = json_text != NULL && csv_text != NULL;
    if (!ok) {
        export_fail(s->job->r->error, "out of memory", s->json.path, ENOMEM);
    }
    ok = ok && (s->json.rows == 0 || export_writer_put(&s->json, ",\n", 2)) &&
         export_writer_put(&s->json, json_text, json_len) &&
         export_writer_put(&s->csv, csv_text, csv_len);
    if (ok) {
        s->json.rows++;
        s->csv.rows++;
    }
    /* The merge against the base, in key order. */
    if (ok && s->have_base) {
        ok = deletes_before(s, key);
        if (ok && s->base.key != NULL && strcmp(s->base.key, key) == 0) {
            bool same =
                s->base.row_len == json_len && memcmp(s->base.row, json_text, json_len) == 0;
            ok = (same || change(s, "upsert", key, json_text, json_len)) && base_next(s);
        } else if (ok) {
            ok = change(s, "upsert", key, json_text, json_len);
        }
    } else if (ok) {
        ok = change(s, "upsert", key, json_text, json_len);
    }
    free(json_text);
    free(csv_text);
    return ok;
}

static bool add_file(struct job *j,
                     const char *name,
                     const char *dataset,
                     const char *format,
                     const struct export_writer *w,
                     const char *hex)
{
    return json_array_append_new(j->files, json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}", "name", name,
                                                     "dataset", dataset, "format", format, "rows",
                                                     (json_int_t)w->rows, "bytes",
                                                     (json_int_t)w->bytes, "sha256", hex)) == 0;
}

static bool one_dataset(struct db *db, struct job *j, const struct dataset *ds)
{
    struct sink s = {.job = j, .ds = ds};
    struct export_sink sink = {on_columns, on_row, &s};
    char json_name[64], csv_name[64], json_hex[65], csv_hex[65];
    const char *param = ds->param == 'd' ? j->today : ds->param == 't' ? j->now : NULL;
    bool ok;

    snprintf(json_name, sizeof(json_name), "%s.json", ds->name);
    snprintf(csv_name, sizeof(csv_name), "%s.csv", ds->name);
    ok = export_writer_open(&s.json, j->tmpfd, j->tmp_path, json_name, j->r->error) &&
         export_writer_open(&s.csv, j->tmpfd, j->tmp_path, csv_name, j->r->error);
    if (ok && export_store_stream(db, ds->stmt, param, &sink) != APP_OK) {
        ok = false;
        if (j->r->error[0] == '\0') {
            snprintf(j->r->error, sizeof(j->r->error),
                     "export: cannot read dataset %s from the database (see the log above)",
                     ds->name);
        }
    }
    ok = ok &&
         export_writer_put(&s.json, s.json.rows > 0 ? "\n]\n" : "]\n", s.json.rows > 0 ? 3 : 2);
    ok = ok && (!s.have_base || deletes_before(&s, NULL));
    if (ok) {
        ok = export_writer_close(&s.json, json_hex);
        ok = export_writer_close(&s.csv, csv_hex) && ok;
        ok = ok && add_file(j, json_name, ds->name, "json", &s.json, json_hex) &&
             add_file(j, csv_name, ds->name, "csv", &s.csv, csv_hex);
    } else {
        export_writer_abort(&s.json);
        export_writer_abort(&s.csv);
    }
    base_close(&s);
    return ok;
}

/* --------------------------------------------------------------- manifest */

static bool write_manifest(struct job *j, const struct export_key *key)
{
    struct export_writer w;
    char hex[65], *text = NULL;
    json_t *m = json_pack(
        "{s:i, s:s, s:s, s:s, s:b, s:{s:I, s:o, s:o}, s:O, s:{s:I, s:I}}", "schema_version", 1,
        "generator", "jiangxin-api " JIANGXIN_VERSION, "date", j->today, "generated_at", j->now,
        "full", j->o->full || j->base == NULL, "source", "audit_seq", (json_int_t)j->r->audit_seq,
        "audit_head_sha256", j->r->audit_head[0] ? json_string(j->r->audit_head) : json_null(),
        "previous", j->base != NULL && !j->o->full ? json_string(j->r->previous) : json_null(),
        "files", j->files, "changes", "upserts", (json_int_t)j->r->upserts, "deletes",
        (json_int_t)j->r->deletes);
    bool ok = m != NULL && export_sign(m, key->sk, key->id) &&
              (text = json_dumps(m, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENSURE_ASCII)) != NULL;

    if (!ok) {
        json_decref(m);
        return export_fail(j->r->error, "cannot build the manifest", j->tmp_path, ENOMEM);
    }
    ok = export_writer_open(&w, j->tmpfd, j->tmp_path, "manifest.json", j->r->error) &&
         export_writer_put(&w, text, strlen(text)) && export_writer_put(&w, "\n", 1);
    if (ok) {
        ok = export_writer_close(&w, hex);
    } else {
        export_writer_abort(&w);
    }
    if (ok) {
        snprintf(j->r->manifest_sha256, sizeof(j->r->manifest_sha256), "%s", hex);
    }
    free(text);
    json_decref(m);
    return ok;
}

/* ------------------------------------------------------------ the run */

static bool open_dir(struct job *j)
{
    const char *out = j->o->out;

    if (mkdir(out, 0755) != 0 && errno != EEXIST) {
        return export_fail(j->r->error, "cannot create the directory", out, errno);
    }
    j->dirfd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (j->dirfd < 0) {
        return export_fail(j->r->error, "cannot open the directory", out, errno);
    }
    char lock[4200];
    snprintf(lock, sizeof(lock), "%s/.lock", out);
    j->lockfd = openat(j->dirfd, ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (j->lockfd < 0) {
        return export_fail(j->r->error, "cannot create the lock", lock, errno);
    }
    if (flock(j->lockfd, LOCK_EX | LOCK_NB) != 0) {
        return export_fail(j->r->error, "another export is running (lock held)", lock, errno);
    }
    remove_stale(j->dirfd);
    snprintf(j->tmp_name, sizeof(j->tmp_name), ".tmp-%s-%ld", j->today, (long)getpid());
    snprintf(j->tmp_path, sizeof(j->tmp_path), "%s/%s", out, j->tmp_name);
    if (mkdirat(j->dirfd, j->tmp_name, 0755) != 0) {
        j->tmp_name[0] = '\0';
        return export_fail(j->r->error, "cannot create the directory", j->tmp_path, errno);
    }
    j->tmpfd = openat(j->dirfd, j->tmp_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (j->tmpfd < 0) {
        return export_fail(j->r->error, "cannot open the directory", j->tmp_path, errno);
    }
    return true;
}

static bool publish(struct job *j)
{
    if (fsync(j->tmpfd) != 0) {
        return export_fail(j->r->error, "cannot fsync", j->tmp_path, errno);
    }
    if (renameat(j->dirfd, j->tmp_name, j->dirfd, j->today) != 0) {
        if (errno != EEXIST && errno != ENOTEMPTY) {
            return export_fail(j->r->error, "cannot rename", j->tmp_path, errno);
        }
        /* A rerun of the day: swap, then remove the old tree (now at tmp). */
        if (renameat2(j->dirfd, j->tmp_name, j->dirfd, j->today, RENAME_EXCHANGE) != 0) {
            return export_fail(j->r->error, "cannot replace", j->r->path, errno);
        }
        remove_tree(j->dirfd, j->tmp_name);
    }
    j->tmp_name[0] = '\0';
    if (fsync(j->dirfd) != 0) {
        return export_fail(j->r->error, "cannot fsync", j->o->out, errno);
    }
    return true;
}

bool export_write(struct db *db,
                  const struct export_key *key,
                  const struct export_opts *o,
                  struct export_result *r)
{
    struct job j = {.o = o, .r = r, .dirfd = -1, .tmpfd = -1, .lockfd = -1};
    bool ok;

    memset(r, 0, sizeof(*r));
    date_format(date_of_ms(o->now_ms), j.today);
    rfc3339_format(o->now_ms, true, j.now);
    snprintf(r->date, sizeof(r->date), "%s", j.today);
    snprintf(r->path, sizeof(r->path), "%s/%s", o->out, j.today);
    j.files = json_array();
    j.changes.fd = -1;
    ok = j.files != NULL && open_dir(&j);
    if (ok && !o->full) {
        find_base(&j, key);
    }
    if (ok && export_store_snapshot(db, &r->audit_seq, r->audit_head) != APP_OK) {
        ok = false;
        snprintf(r->error, sizeof(r->error),
                 "export: cannot start the snapshot (see the log above)");
    }
    ok = ok && export_writer_open(&j.changes, j.tmpfd, j.tmp_path, "changes.ndjson", r->error);
    for (size_t i = 0; ok && i < N_DATASETS; i++) {
        ok = one_dataset(db, &j, &datasets[i]);
    }
    db_rollback(db); /* the read-only snapshot */
    if (ok) {
        char hex[65];
        ok = export_writer_close(&j.changes, hex) &&
             add_file(&j, "changes.ndjson", "changes", "ndjson", &j.changes, hex);
    } else {
        export_writer_abort(&j.changes);
    }
    ok = ok && write_manifest(&j, key) && publish(&j);
    if (ok) {
        r->files = json_dumps(j.files, JSON_COMPACT);
    }
    if (!ok && j.tmp_name[0] != '\0' && j.dirfd >= 0) {
        remove_tree(j.dirfd, j.tmp_name);
        fsync(j.dirfd);
    }
    if (!ok && r->error[0] == '\0') {
        snprintf(r->error, sizeof(r->error), "export: failed: %s", o->out);
    }
    if (j.tmpfd >= 0) {
        close(j.tmpfd);
    }
    if (j.lockfd >= 0) {
        close(j.lockfd); /* releases the flock */
    }
    if (j.dirfd >= 0) {
        close(j.dirfd);
    }
    json_decref(j.files);
    json_decref(j.base);
    return ok;
}
