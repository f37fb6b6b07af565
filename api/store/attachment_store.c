/* SPDX-License-Identifier: MIT */
/*
 * Evidence files (证明材料) of a nomination. The content arrives sealed
 * (the handler holds the key) and travels as a binary bytea parameter and
 * result, never as text. Every statement names the nomination as well as
 * the file, so an id from another nomination finds nothing.
 */
#include "attachment_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

/* The keyset cursor: created_at as text (exact to the microsecond) and id. */
#define ATTACHMENT_CURSOR "a.created_at::text || '|' || a.id::text"

const struct db_statement attachment_store_statements[] = {
    {"attachment_store_count", "SELECT count(*) FROM attachments WHERE nomination_id = $1::uuid"},
    {"attachment_store_count_kind",
     "SELECT count(*) FROM attachments WHERE nomination_id = $1::uuid AND kind::text = $2"},
    {"attachment_store_insert",
     "INSERT INTO attachments (nomination_id, kind, filename, media_type, size_bytes, sha256,"
     "                         content_sealed, uploaded_by)"
     " VALUES ($1::uuid, $2::evidence_kind, $3, $4, $5::int, $6, $7::bytea, $8::uuid)"
     " RETURNING api_attachment(attachments)::text"},
    {"attachment_store_list",
     "SELECT api_attachment(a)::text, " ATTACHMENT_CURSOR " FROM attachments a"
     " WHERE a.nomination_id = $1::uuid"
     "   AND ($2::text IS NULL OR (a.created_at, a.id) >"
     "        (split_part($2, '|', 1)::timestamptz, split_part($2, '|', 2)::uuid))"
     " ORDER BY a.created_at, a.id LIMIT $3::int"},
    /* Binary results: text columns come as their bytes, bytea as is. */
    {"attachment_store_content",
     "SELECT a.media_type, a.filename, a.sha256, a.size_bytes::text, a.content_sealed"
     "  FROM attachments a WHERE a.id = $1::uuid AND a.nomination_id = $2::uuid"},
    {"attachment_store_delete",
     "DELETE FROM attachments WHERE id = $1::uuid AND nomination_id = $2::uuid"
     " RETURNING api_attachment(attachments)::text"},
    {NULL, NULL},
};

enum app_err attachment_store_count(struct db *db, const char *nomination_id, long *ret_count)
{
    const char *params[] = {nomination_id};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "attachment_store_count", 1, params, PGRES_TUPLES_OK, &res);

    if (err != APP_OK) {
        return err;
    }
    *ret_count = strtol(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return APP_OK;
}

enum app_err attachment_store_count_kind(struct db *db,
                                         const char *nomination_id,
                                         const char *kind,
                                         long *ret_count)
{
    const char *params[] = {nomination_id, kind};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "attachment_store_count_kind", 2, params, PGRES_TUPLES_OK, &res);

    if (err != APP_OK) {
        return err;
    }
    *ret_count = strtol(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return APP_OK;
}

enum app_err attachment_store_insert(struct db *db, const struct attachment_new *a, char **ret_json)
{
    char size[24];
    const char *params[] = {a->nomination_id,        a->kind,       a->filename,
                            a->media_type,           size,          a->sha256,
                            (const char *)a->sealed, a->uploaded_by};
    int lengths[8] = {0};
    int formats[8] = {0};
    struct db_binary bin = {.lengths = lengths, .formats = formats, .result_format = 0};
    PGresult *res = NULL;
    enum app_err err;

    if (a->sealed_len > (size_t)0x7fffffff) {
        return APP_ERR_TOO_LARGE;
    }
    snprintf(size, sizeof(size), "%zu", a->size);
    lengths[6] = (int)a->sealed_len;
    formats[6] = 1;
    err = db_exec_binary(db, "attachment_store_insert", 8, params, &bin, PGRES_TUPLES_OK, &res);
    if (err != APP_OK) {
        return err;
    }
    char *json = db_strdup(res, 0, 0);
    PQclear(res);
    if (json == NULL) {
        return APP_ERR_INTERNAL;
    }
    *ret_json = json;
    return APP_OK;
}

enum app_err attachment_store_list(struct db *db,
                                   const char *nomination_id,
                                   const char *cursor,
                                   int limit,
                                   char **ret_array,
                                   char **ret_next)
{
    char lim[16];
    const char *params[] = {nomination_id, cursor, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, "attachment_store_list", 3, params, limit, ret_array, ret_next);
}

void attachment_content_clear(struct attachment_content *c)
{
    if (c == NULL) {
        return;
    }
    free(c->sealed);
    memset(c, 0, sizeof(*c));
}

enum app_err attachment_store_content(struct db *db,
                                      const char *nomination_id,
                                      const char *id,
                                      struct attachment_content *ret)
{
    return attachment_store_content_by(db, "attachment_store_content", nomination_id, id, ret);
}

enum app_err attachment_store_content_by(struct db *db,
                                         const char *statement,
                                         const char *nomination_id,
                                         const char *id,
                                         struct attachment_content *ret)
{
    const char *params[] = {id, nomination_id};
    struct db_binary bin = {.result_format = 1};
    PGresult *res = NULL;
    enum app_err err = db_exec_binary(db, statement, 2, params, &bin, PGRES_TUPLES_OK, &res);
    struct attachment_content c = {0};

    if (err != APP_OK) {
        return err;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        return APP_ERR_NOT_FOUND;
    }
    /* Text in binary format is the bytes without a terminator; libpq adds one. */
    snprintf(c.media_type, sizeof(c.media_type), "%s", PQgetvalue(res, 0, 0));
    snprintf(c.filename, sizeof(c.filename), "%s", PQgetvalue(res, 0, 1));
    snprintf(c.sha256, sizeof(c.sha256), "%s", PQgetvalue(res, 0, 2));
    c.size = (size_t)strtoull(PQgetvalue(res, 0, 3), NULL, 10);
    c.sealed_len = (size_t)PQgetlength(res, 0, 4);
    c.sealed = malloc(c.sealed_len > 0 ? c.sealed_len : 1);
    if (c.sealed == NULL) {
        PQclear(res);
        return APP_ERR_INTERNAL;
    }
    memcpy(c.sealed, PQgetvalue(res, 0, 4), c.sealed_len);
    PQclear(res);
    *ret = c;
    return APP_OK;
}

enum app_err
attachment_store_delete(struct db *db, const char *nomination_id, const char *id, char **ret_json)
{
    const char *params[] = {id, nomination_id};

    return db_json_one(db, "attachment_store_delete", 2, params, ret_json);
}
