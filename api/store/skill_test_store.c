/* SPDX-License-Identifier: MIT */
/*
 * skill_tests (现场技能考查, 环翠 第十条（四）): one row per revision of a
 * nomination's score, appended, never changed.
 */
#include "skill_test_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

const struct db_statement skill_test_store_statements[] = {
    {"skill_test_store_get", "SELECT api_skill_test($1::uuid)::text"},
    {"skill_test_store_insert",
     "INSERT INTO skill_tests (nomination_id, revision, score, examiners, tested_on, note, reason,"
     "                         recorded_by, recorded_at, score_sheet_id)"
     " VALUES ($1::uuid, $2::int, $3::int / 100.0, $4::jsonb, $5::date, $6, $7, $8::uuid,"
     "         $9::timestamptz, $10::uuid)"
     " RETURNING api_skill_test_revision(skill_tests)::text"},
    {"skill_test_store_sheet_insert",
     "INSERT INTO skill_test_sheets (nomination_id, filename, media_type, size_bytes, sha256,"
     "                               content_sealed, uploaded_by, created_at)"
     " VALUES ($1::uuid, $2, $3, $4::int, $5, $6::bytea, $7::uuid, $8::timestamptz)"
     " RETURNING api_skill_test_sheet(skill_test_sheets)::text"},
    /* Binary results: text columns come as their bytes, bytea as is. */
    {"skill_test_store_sheet_content",
     "SELECT s.media_type, s.filename, s.sha256, s.size_bytes::text, s.content_sealed"
     "  FROM skill_test_sheets s WHERE s.id = $1::uuid AND s.nomination_id = $2::uuid"},
    {"skill_test_store_sheet_exists",
     "SELECT count(*) FROM skill_test_sheets WHERE id = $1::uuid AND nomination_id = $2::uuid"},
    {NULL, NULL},
};

enum app_err skill_test_store_get(struct db *db, const char *nomination_id, char **ret_json)
{
    const char *params[] = {nomination_id};

    return db_json_one(db, "skill_test_store_get", 1, params, ret_json);
}

enum app_err skill_test_store_insert(struct db *db, const struct skill_test_row *r, char **ret_json)
{
    char rev[16], score[16];
    const char *params[] = {
        r->nomination_id, rev,       score,          r->examiners,   r->tested_on,
        r->note,          r->reason, r->recorded_by, r->recorded_at, r->score_sheet_id};

    snprintf(rev, sizeof(rev), "%d", r->revision);
    snprintf(score, sizeof(score), "%d", r->score);
    return db_json_one(db, "skill_test_store_insert", 10, params, ret_json);
}

enum app_err
skill_test_store_sheet_insert(struct db *db, const struct attachment_new *a, char **ret_json)
{
    char size[24], now[RFC3339_TEXT_MAX];
    const char *params[] = {
        a->nomination_id, a->filename, a->media_type, size, a->sha256, (const char *)a->sealed,
        a->uploaded_by,   now};
    int lengths[8] = {0};
    int formats[8] = {0};
    struct db_binary bin = {.lengths = lengths, .formats = formats, .result_format = 0};
    PGresult *res = NULL;
    enum app_err err;
    char *json;

    if (a->sealed_len > (size_t)0x7fffffff) {
        return APP_ERR_TOO_LARGE;
    }
    snprintf(size, sizeof(size), "%zu", a->size);
    db_clock_now(now);
    lengths[5] = (int)a->sealed_len;
    formats[5] = 1;
    err =
        db_exec_binary(db, "skill_test_store_sheet_insert", 8, params, &bin, PGRES_TUPLES_OK, &res);
    if (err != APP_OK) {
        return err;
    }
    json = db_strdup(res, 0, 0);
    PQclear(res);
    if (json == NULL) {
        return APP_ERR_INTERNAL;
    }
    *ret_json = json;
    return APP_OK;
}

enum app_err skill_test_store_sheet_content(struct db *db,
                                            const char *nomination_id,
                                            const char *id,
                                            struct attachment_content *ret)
{
    return attachment_store_content_by(db, "skill_test_store_sheet_content", nomination_id, id,
                                       ret);
}

enum app_err
skill_test_store_sheet_exists(struct db *db, const char *nomination_id, const char *id, bool *ret)
{
    const char *params[] = {id, nomination_id};
    PGresult *res = NULL;
    enum app_err err =
        db_exec(db, "skill_test_store_sheet_exists", 2, params, PGRES_TUPLES_OK, &res);

    if (err != APP_OK) {
        return err;
    }
    *ret = strtol(PQgetvalue(res, 0, 0), NULL, 10) > 0;
    PQclear(res);
    return APP_OK;
}
