/* SPDX-License-Identifier: MIT */
/*
 * /v1/nominations/{id}/attachments: evidence files (证明材料). A unit
 * uploads the raw bytes of a PDF, JPEG or PNG while its nomination is
 * editable; what a file is comes from its leading bytes, never its name.
 * The bytes are sealed at rest under the PII key (scanned certificates
 * show ID numbers); the SHA-256 of the plain bytes is kept for checking.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "app.h"
#include "crypto.h"
#include "enums.h"
#include "flow.h"
#include "handlers.h"
#include "store/stores.h"

/* Files per nomination: an application form and a handful of certificates,
 * honours, patents and competition results fit well within it. */
#define ATTACHMENTS_MAX 20

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
static bool filename_ok(const char *name, struct problem *p)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t count = 0;
    unsigned long cp = 0;

    if (name == NULL || name[0] == '\0') {
        problem_set(p, APP_ERR_BAD_PARAMETER, "filename is required");
        return false;
    }
    while (*s != '\0') {
        size_t n = utf8_next(s, &cp);
        if (n == 0) {
            problem_set(p, APP_ERR_BAD_PARAMETER, "filename is not valid UTF-8");
            return false;
        }
        if (cp == '/' || cp == '\\' || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
            (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            problem_set(p, APP_ERR_BAD_PARAMETER,
                        "filename may not contain path separators or control characters");
            return false;
        }
        s += n;
        count++;
    }
    if (count > ATTACHMENT_FILENAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "filename must be a file name of 1 to %d characters",
                    ATTACHMENT_FILENAME_MAX);
        return false;
    }
    return true;
}

/* Checks the query and the bytes of an upload; fills the media type. */
static bool upload_ok(struct http_call *call, const char **ret_media_type, struct problem *p)
{
    const char *kind = http_query(call, "kind");
    const char *declared = declared_type(http_header(call, "Content-Type"));
    const char *actual;

    if (strstr(http_raw_query(call), "%00") != NULL) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "the query may not contain NUL characters");
        return false;
    }
    if (enums_from_value(ENUMS_EVIDENCE_KINDS, kind) < 0) {
        problem_set(p, APP_ERR_BAD_PARAMETER,
                    "kind must be one of application_form, skill_certificate, honour, patent,"
                    " competition, other");
        return false;
    }
    if (!filename_ok(http_query(call, "filename"), p)) {
        return false;
    }
    if (call->body_len == 0) {
        problem_set(p, APP_ERR_MALFORMED, "the body is empty; send the file's bytes");
        return false;
    }
    actual = sniff(call->body_text, call->body_len);
    if (declared == NULL || actual == NULL) {
        problem_set(p, APP_ERR_UNSUPPORTED_MEDIA_TYPE,
                    "send a PDF, JPEG or PNG file with its Content-Type");
        return false;
    }
    if (strcmp(declared, actual) != 0) {
        problem_set(p, APP_ERR_UNSUPPORTED_MEDIA_TYPE, "Content-Type says %s but the bytes are %s",
                    declared, actual);
        return false;
    }
    *ret_media_type = actual;
    return true;
}

/* 409 unless the unit may still change the nomination's files: the same
 * rule as for editing it (draft in intake, returned in correction). */
static bool
editable(const struct nomination_ref *nom, const struct round_ref *round, struct problem *p)
{
    const char *state = enums_value(ENUMS_NOMINATION_STATES, (int)nom->state);
    unsigned phases = nom->state == NOM_DRAFT ? FLOW_INTAKE_PHASES : FLOW_CORRECTION_PHASES;

    if (!flow_nomination_editable(nom->state)) {
        problem_set(p, APP_ERR_CONFLICT,
                    "the nomination is %s; evidence files change only while it is draft or"
                    " returned",
                    state);
        return false;
    }
    if (!(phases & PHASE_BIT(round->phase))) {
        problem_set(p, APP_ERR_CONFLICT,
                    "the nomination is %s and its round is in phase %s, which allows no changes",
                    state, enums_value(ENUMS_ROUND_PHASES, (int)round->phase));
        return false;
    }
    return true;
}

enum app_err attachments_create(struct http_call *call, struct problem *p)
{
    const struct api_config *cfg = ((struct api_ctx *)call->app)->cfg;
    struct idem_state idem;
    struct nomination_ref nom;
    struct round_ref round;
    struct db *db = NULL;
    unsigned char digest[crypto_hash_sha256_BYTES], *sealed = NULL;
    char sha256[65], location[160];
    char *text = NULL;
    const char *media_type = NULL;
    size_t sealed_len = 0;
    long count = 0;
    json_t *obj = NULL;

    if (!upload_ok(call, &media_type, p) || (db = api_db(p)) == NULL ||
        api_idem_begin(call, db, &idem, p)) {
        goto cleanup;
    }
    crypto_hash_sha256(digest, (const unsigned char *)call->body_text, call->body_len);
    sodium_bin2hex(sha256, sizeof(sha256), digest, sizeof(digest));
    if ((p->err = crypto_seal(cfg->pii_key, call->body_text, call->body_len, &sealed,
                              &sealed_len)) != APP_OK ||
        (p->err = db_begin(db)) != APP_OK ||
        api_nomination_scope(call, db, http_param(call, "id"), true, &nom, &round, p) != APP_OK ||
        !editable(&nom, &round, p) ||
        (p->err = attachment_store_count(db, nom.id, &count)) != APP_OK) {
        goto cleanup;
    }
    if (count >= ATTACHMENTS_MAX) {
        problem_set(p, APP_ERR_CONFLICT, "a nomination holds at most %d evidence files",
                    ATTACHMENTS_MAX);
        goto cleanup;
    }
    struct attachment_new a = {
        .nomination_id = nom.id,
        .kind = http_query(call, "kind"),
        .filename = http_query(call, "filename"),
        .media_type = media_type,
        .size = call->body_len,
        .sha256 = sha256,
        .sealed = sealed,
        .sealed_len = sealed_len,
        .uploaded_by = call->who.id,
    };
    if ((p->err = attachment_store_insert(db, &a, &text)) != APP_OK ||
        (obj = api_parse(text, p)) == NULL) {
        goto cleanup;
    }
    const char *id = json_string_value(json_object_get(obj, "id"));
    snprintf(location, sizeof(location), "/v1/nominations/%s/attachments/%s", nom.id, id);
    if ((p->err = api_audit(call, db, "attachment.create", "attachment", id, NULL, text)) !=
            APP_OK ||
        (p->err = api_idem_save(call, db, &idem, 201, obj, location)) != APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    http_set_header(call, "Location", location);
    http_reply_json(call, 201, obj);

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
    json_t *items = NULL;
    const char *cursor;
    int limit;

    if (db == NULL || http_list_params(call, &limit, &cursor, p) != APP_OK ||
        api_nomination_scope(call, db, http_param(call, "id"), false, &nom, &round, p) != APP_OK ||
        (p->err = attachment_store_list(db, nom.id, cursor, limit, &array, &next)) != APP_OK ||
        (items = api_parse(array, p)) == NULL) {
        goto cleanup;
    }
    http_reply_list(call, items, next);

cleanup:
    json_decref(items);
    free(array);
    free(next);
    return p->err;
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

enum app_err attachments_get(struct http_call *call, struct problem *p)
{
    const struct api_config *cfg = ((struct api_ctx *)call->app)->cfg;
    struct db *db = api_db(p);
    struct nomination_ref nom;
    struct round_ref round;
    struct attachment_content c = {0};
    const char *id = http_param(call, "attachment_id");
    char *plain = NULL;
    char etag[68], disposition[ATTACHMENT_FILENAME_MAX * 4 * 4 + 64];

    if (db == NULL ||
        api_nomination_scope(call, db, http_param(call, "id"), false, &nom, &round, p) != APP_OK) {
        goto cleanup;
    }
    if (!api_is_uuid(id)) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "attachment_id must be a UUID");
        goto cleanup;
    }
    p->err = attachment_store_content(db, nom.id, id, &c);
    if (p->err == APP_ERR_NOT_FOUND) {
        problem_set(p, APP_ERR_NOT_FOUND, "no attachment %s on this nomination", id);
        goto cleanup;
    }
    if (p->err != APP_OK) {
        goto cleanup;
    }
    if (crypto_open(cfg->pii_key, c.sealed, c.sealed_len, &plain) != APP_OK ||
        c.sealed_len != c.size + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        problem_set(p, APP_ERR_INTERNAL, "attachment %s cannot be opened", id);
        goto cleanup;
    }
    snprintf(etag, sizeof(etag), "\"%s\"", c.sha256);
    content_disposition(disposition, sizeof(disposition), c.filename);
    http_set_header(call, "ETag", etag);
    http_set_header(call, "Content-Disposition", disposition);
    http_set_header(call, "X-Content-Type-Options", "nosniff");
    http_set_header(call, "Cache-Control", "private, no-store");
    http_reply_text(call, 200, c.media_type, plain, c.size);

cleanup:
    if (plain != NULL) {
        sodium_memzero(plain, c.size);
    }
    free(plain);
    attachment_content_clear(&c);
    return p->err;
}

enum app_err attachments_delete(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    struct nomination_ref nom;
    struct round_ref round;
    const char *id = http_param(call, "attachment_id");
    char *before = NULL;
    json_t *obj = NULL;

    if (db == NULL || (p->err = db_begin(db)) != APP_OK ||
        api_nomination_scope(call, db, http_param(call, "id"), true, &nom, &round, p) != APP_OK) {
        goto cleanup;
    }
    if (!api_is_uuid(id)) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "attachment_id must be a UUID");
        goto cleanup;
    }
    if (!editable(&nom, &round, p)) {
        goto cleanup;
    }
    p->err = attachment_store_delete(db, nom.id, id, &before);
    if (p->err == APP_ERR_NOT_FOUND) {
        problem_set(p, APP_ERR_NOT_FOUND, "no attachment %s on this nomination", id);
        goto cleanup;
    }
    if (p->err != APP_OK || (obj = api_parse(before, p)) == NULL ||
        (p->err = api_audit(call, db, "attachment.delete", "attachment",
                            json_string_value(json_object_get(obj, "id")), before, NULL)) !=
            APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    http_reply_empty(call, 204);

cleanup:
    db_rollback(db);
    json_decref(obj);
    free(before);
    return p->err;
}
