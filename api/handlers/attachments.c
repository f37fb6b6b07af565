/* SPDX-License-Identifier: MIT */
/*
 * /v1/nominations/{id}/attachments: evidence files (证明材料). A unit
 * uploads the raw bytes of a PDF, JPEG or PNG while its nomination is
 * editable; what a file is comes from its leading bytes, never its name.
 * The bytes are sealed at rest under the PII key (scanned certificates
 * show ID numbers); the SHA-256 of the plain bytes is kept for checking.
 */
#include "ops/attachments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "app.h"
#include "crypto.h"
#include "enums.h"
#include "handlers.h"
#include "store/attachment_store.h"
#include "store/scope_store.h"

/* The accepted types and how their files begin. */
static const struct {
    const char *media_type;
    const char *magic;
    size_t len;
} media_types[] = {
    {"application/pdf", "%PDF-", 5},
    {"image/jpeg", "\xFF\xD8\xFF", 3},
    {"image/png", "\x89PNG\r\n\x1A\n", 8},
};

#define N_MEDIA_TYPES (sizeof(media_types) / sizeof(media_types[0]))

/* The media type the bytes begin with, or NULL. */
static const char *sniff(const char *bytes, size_t len)
{
    for (size_t i = 0; i < N_MEDIA_TYPES; i++) {
        if (len >= media_types[i].len &&
            memcmp(bytes, media_types[i].magic, media_types[i].len) == 0) {
            return media_types[i].media_type;
        }
    }
    return NULL;
}

/* The declared Content-Type when it is one we take (parameters ignored). */
static const char *declared_type(const char *ctype)
{
    for (size_t i = 0; ctype != NULL && i < N_MEDIA_TYPES; i++) {
        size_t n = strlen(media_types[i].media_type);
        if (strncasecmp(ctype, media_types[i].media_type, n) == 0 &&
            (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ')) {
            return media_types[i].media_type;
        }
    }
    return NULL;
}

/* Decodes one UTF-8 sequence at s (strict: no overlongs, surrogates or
 * values past U+10FFFF); returns its length, 0 when invalid. */
static size_t utf8_next(const unsigned char *s, unsigned long *ret_cp)
{
    static const unsigned long min[] = {0, 0, 0x80, 0x800, 0x10000};
    size_t n = s[0] < 0x80             ? 1
               : (s[0] & 0xE0) == 0xC0 ? 2
               : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4
                                       : 0;
    unsigned long cp = n == 1 ? s[0] : n == 2 ? s[0] & 0x1Fu : n == 3 ? s[0] & 0x0Fu : s[0] & 0x07u;

    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (n == 0 || cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    *ret_cp = cp;
    return n;
}

/* A name to show and to save under: 1..ATTACHMENT_FILENAME_MAX code points
 * of valid UTF-8, no path separator, no control character (C0, DEL, C1)
 * and no bidirectional override that could disguise its extension. */
static enum app_err filename_ok(const char *name, struct problem *p)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t count = 0;
    unsigned long cp = 0;

    if (name == NULL || name[0] == '\0') {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "filename_required", "缺少文件名 filename",
                            "filename is required");
    }
    while (*s != '\0') {
        size_t n = utf8_next(s, &cp);
        if (n == 0) {
            return problem_fail(p, APP_ERR_BAD_PARAMETER, "filename_not_utf8",
                                "文件名须为有效的 UTF-8 文本", "filename is not valid UTF-8");
        }
        if (cp == '/' || cp == '\\' || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
            (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            return problem_fail(p, APP_ERR_BAD_PARAMETER, "filename_character",
                                "文件名不得包含路径分隔符或控制字符",
                                "filename may not contain path separators or control characters");
        }
        s += n;
        count++;
    }
    if (count > ATTACHMENT_FILENAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        return problem_fail(
            p, APP_ERR_BAD_PARAMETER, "filename_length", "文件名须为 1 至 %d 个字符的文件名称",
            "filename must be a file name of 1 to %d characters", ATTACHMENT_FILENAME_MAX);
    }
    return APP_OK;
}

/* Checks the query (with the evidence kind when `kind`) and the bytes of
 * an upload; fills the media type. */
static enum app_err
upload_ok(struct http_call *call, bool kind, const char **ret_media_type, struct problem *p)
{
    const char *declared = declared_type(http_header(call, "Content-Type"));
    const char *actual;

    if (strstr(http_raw_query(call), "%00") != NULL) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "query_nul", "查询参数不得包含 NUL 字符",
                            "the query may not contain NUL characters");
    }
    if (kind && enums_from_value(ENUMS_EVIDENCE_KINDS, http_query(call, "kind")) < 0) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "unknown_evidence_kind",
                            "kind 须为 application_form、skill_certificate、honour、patent、"
                            "competition 或 other 之一",
                            "kind must be one of application_form, skill_certificate, honour, "
                            "patent, competition, other");
    }
    if (filename_ok(http_query(call, "filename"), p) != APP_OK) {
        return p->err;
    }
    if (call->body_len == 0) {
        return problem_fail(p, APP_ERR_MALFORMED, "empty_body", "请求体为空，请发送文件内容",
                            "the body is empty; send the file's bytes");
    }
    actual = sniff(call->body_text, call->body_len);
    if (declared == NULL || actual == NULL) {
        return problem_fail(p, APP_ERR_UNSUPPORTED_MEDIA_TYPE, "unsupported_file_type",
                            "请上传 PDF、JPEG 或 PNG 文件，并注明相应的 Content-Type",
                            "send a PDF, JPEG or PNG file with its Content-Type");
    }
    if (strcmp(declared, actual) != 0) {
        return problem_fail(p, APP_ERR_UNSUPPORTED_MEDIA_TYPE, "media_type_mismatch",
                            "Content-Type 声明为 %s，但文件内容为 %s",
                            "Content-Type says %s but the bytes are %s", declared, actual);
    }
    *ret_media_type = actual;
    return APP_OK;
}

enum app_err api_upload_ok(struct http_call *call, const char **ret_media_type, struct problem *p)
{
    return upload_ok(call, false, ret_media_type, p);
}

/* The upload as a new attachment row: SHA-256 of the plain bytes, the
 * bytes sealed under the PII key into *ret_sealed (the caller frees). */
enum app_err api_upload_seal(const struct http_call *call,
                             const char *media_type,
                             char sha256[65],
                             unsigned char **ret_sealed,
                             struct attachment_new *ret,
                             struct problem *p)
{
    const struct api_config *cfg = ((struct api_ctx *)call->app)->cfg;
    unsigned char digest[crypto_hash_sha256_BYTES];
    size_t sealed_len = 0;

    crypto_hash_sha256(digest, (const unsigned char *)call->body_text, call->body_len);
    sodium_bin2hex(sha256, 65, digest, sizeof(digest));
    if (crypto_seal(cfg->pii_key, call->body_text, call->body_len, ret_sealed, &sealed_len) !=
        APP_OK) {
        return problem_kind(p, APP_ERR_INTERNAL);
    }
    *ret = (struct attachment_new){
        .kind = http_query(call, "kind"),
        .filename = http_query(call, "filename"),
        .media_type = media_type,
        .size = call->body_len,
        .sha256 = sha256,
        .sealed = *ret_sealed,
        .sealed_len = sealed_len,
        .uploaded_by = call->who.id,
    };
    return APP_OK;
}

enum app_err attachments_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct nomination_ref nom;
    struct round_ref round;
    struct attachment_new a;
    struct db *db = NULL;
    unsigned char *sealed = NULL;
    char sha256[65], location[160];
    char *text = NULL;
    const char *media_type = NULL;
    json_t *obj = NULL;

    if (upload_ok(call, true, &media_type, p) != APP_OK || (db = api_db(p)) == NULL ||
        api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        api_upload_seal(call, media_type, sha256, &sealed, &a, p) != APP_OK ||
        (p->err = db_begin(db)) != APP_OK ||
        api_nomination_scope(call, db, http_param(call, "id"), true, &nom, &round, p) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    a.nomination_id = nom.id;
    if (attachment_add(&ctx, &nom, &round, &a, &text, p) != APP_OK ||
        (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/nominations/%s/attachments/%s", nom.id,
             json_string_value(json_object_get(obj, "id")));
    api_reply_created(call, db, &idem, obj, location, p);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(text);
    free(sealed);
    return p->err;
}

enum app_err attachments_list(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    struct nomination_ref nom;
    struct round_ref round;
    char *array = NULL, *next = NULL;
    const char *cursor;
    int limit;

    if (db == NULL || http_list_params(call, &limit, &cursor, p) != APP_OK ||
        api_nomination_scope(call, db, http_param(call, "id"), false, &nom, &round, p) != APP_OK) {
        return p->err;
    }
    return api_reply_page(call, attachment_store_list(db, nom.id, cursor, limit, &array, &next),
                          &array, &next, p);
}

/* Appends s to out as an RFC 8187 value (attr-char kept, the rest %XX). */
static void ext_value(char *out, size_t len, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = strlen(out);

    for (const unsigned char *c = (const unsigned char *)s; *c != '\0' && o + 4 < len; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            strchr("!#$&+-.^_`|~", *c) != NULL) {
            out[o++] = (char)*c;
        } else {
            out[o++] = '%';
            out[o++] = hex[*c >> 4];
            out[o++] = hex[*c & 15];
        }
    }
    out[o] = '\0';
}

/* RFC 6266: an ASCII fallback for old clients, then the exact name. */
static void content_disposition(char *out, size_t len, const char *filename)
{
    size_t o = (size_t)snprintf(out, len, "attachment; filename=\"");

    for (const unsigned char *c = (const unsigned char *)filename; *c != '\0' && o + 2 < len; c++) {
        if (*c >= 0x80) {
            while ((c[1] & 0xC0) == 0x80) { /* one '_' per character */
                c++;
            }
            out[o++] = '_';
        } else {
            out[o++] = *c == '"' || *c == '\\' ? '_' : (char)*c;
        }
    }
    snprintf(out + o, len - o, "\"; filename*=UTF-8''");
    ext_value(out, len, filename);
}

/* Streams file `id` of nomination `nomination_id` (the caller checked its
 * scope): opened from its seal, never cached. Shared with the expert's
 * evidence-file route (handlers/reviews.c). */
enum app_err api_attachment_send(struct http_call *call,
                                 struct db *db,
                                 const char *nomination_id,
                                 const char *id,
                                 struct problem *p)
{
    struct attachment_content c = {0};

    if (!api_is_uuid(id)) {
        problem_fail(p, APP_ERR_BAD_PARAMETER, "not_uuid", "attachment_id 须为 UUID",
                     "attachment_id must be a UUID");
        goto cleanup;
    }
    p->err = attachment_store_content(db, nomination_id, id, &c);
    if (p->err == APP_ERR_NOT_FOUND) {
        problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "该推荐没有编号为 %s 的证明材料",
                     "no attachment %s on this nomination", id);
        goto cleanup;
    }
    if (p->err != APP_OK) {
        ops_store_problem(p->err, p);
        goto cleanup;
    }
    api_reply_file(call, &c, id, p);

cleanup:
    attachment_content_clear(&c);
    return p->err;
}

enum app_err api_reply_file(struct http_call *call,
                            const struct attachment_content *c,
                            const char *id,
                            struct problem *p)
{
    const struct api_config *cfg = ((struct api_ctx *)call->app)->cfg;
    char *plain = NULL;
    char etag[68], disposition[ATTACHMENT_FILENAME_MAX * 4 * 4 + 64];

    if (crypto_open(cfg->pii_key, c->sealed, c->sealed_len, &plain) != APP_OK ||
        c->sealed_len != c->size + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        problem_fail(p, APP_ERR_INTERNAL, "attachment_unreadable", "证明材料 %s 无法解密读取",
                     "attachment %s cannot be opened", id);
        goto cleanup;
    }
    snprintf(etag, sizeof(etag), "\"%s\"", c->sha256);
    content_disposition(disposition, sizeof(disposition), c->filename);
    http_set_header(call, "ETag", etag);
    http_set_header(call, "Content-Disposition", disposition);
    http_set_header(call, "X-Content-Type-Options", "nosniff");
    http_set_header(call, "Cache-Control", "private, no-store");
    http_reply_text(call, 200, c->media_type, plain, c->size);

cleanup:
    if (plain != NULL) {
        sodium_memzero(plain, c->size);
    }
    free(plain);
    return p->err;
}

enum app_err attachments_get(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    struct nomination_ref nom;
    struct round_ref round;

    if (db == NULL ||
        api_nomination_scope(call, db, http_param(call, "id"), false, &nom, &round, p) != APP_OK) {
        return p->err;
    }
    return api_attachment_send(call, db, nom.id, http_param(call, "attachment_id"), p);
}

enum app_err attachments_delete(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    struct nomination_ref nom;
    struct round_ref round;
    const char *id = http_param(call, "attachment_id");

    if (db == NULL || (p->err = db_begin(db)) != APP_OK ||
        api_nomination_scope(call, db, http_param(call, "id"), true, &nom, &round, p) != APP_OK) {
        goto cleanup;
    }
    if (!api_is_uuid(id)) {
        problem_fail(p, APP_ERR_BAD_PARAMETER, "not_uuid", "attachment_id 须为 UUID",
                     "attachment_id must be a UUID");
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (attachment_remove(&ctx, &nom, &round, id, p) != APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    http_reply_empty(call, 204);

cleanup:
    db_rollback(db);
    return p->err;
}
