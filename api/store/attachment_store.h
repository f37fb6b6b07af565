/* SPDX-License-Identifier: MIT */
/*
 * The store of evidence files: what ops and handlers call. JSON-returning functions
 * give the representation (an api_* function of db/functions) as malloc'd
 * text; NOT_FOUND when there is no such row; lists return a JSON array
 * text and the next cursor. Nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_ATTACHMENT_STORE_H
#define JIANGXIN_ATTACHMENT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

/* attachments */
#define ATTACHMENT_FILENAME_MAX 200 /* code points (the column's CHECK) */
struct attachment_new {
    const char *nomination_id;
    const char *kind; /* evidence_kind value */
    const char *filename;
    const char *media_type;
    size_t size;                 /* plain bytes */
    const char *sha256;          /* hex, of the plain bytes */
    const unsigned char *sealed; /* crypto_seal output, size + 40 bytes */
    size_t sealed_len;
    const char *uploaded_by; /* user id */
};
struct attachment_content {
    char media_type[32];
    char filename[ATTACHMENT_FILENAME_MAX * 4 + 1];
    char sha256[65];
    size_t size;
    unsigned char *sealed; /* malloc'd; attachment_content_clear frees */
    size_t sealed_len;
};
enum app_err attachment_store_count(struct db *db, const char *nomination_id, long *ret_count);
/* The nomination's files of one evidence_kind value. */
enum app_err attachment_store_count_kind(struct db *db,
                                         const char *nomination_id,
                                         const char *kind,
                                         long *ret_count);
enum app_err
attachment_store_insert(struct db *db, const struct attachment_new *a, char **ret_json);
/* Oldest first. */
enum app_err attachment_store_list(struct db *db,
                                   const char *nomination_id,
                                   const char *cursor,
                                   int limit,
                                   char **ret_array,
                                   char **ret_next);
/* NOT_FOUND unless the file belongs to that nomination. */
enum app_err attachment_store_content(struct db *db,
                                      const char *nomination_id,
                                      const char *id,
                                      struct attachment_content *ret);
/* The same for any statement that selects (media_type, filename, sha256,
 * size_bytes, content_sealed) of file `id` of `nomination_id`: the skill
 * test's score sheets are kept in their own table (skill_test_store.c). */
enum app_err attachment_store_content_by(struct db *db,
                                         const char *statement,
                                         const char *nomination_id,
                                         const char *id,
                                         struct attachment_content *ret);
void attachment_content_clear(struct attachment_content *c);
/* *ret_json: the representation of the deleted file. */
enum app_err
attachment_store_delete(struct db *db, const char *nomination_id, const char *id, char **ret_json);

#endif
