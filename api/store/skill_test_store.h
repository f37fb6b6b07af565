/* SPDX-License-Identifier: MIT */
/*
 * The store of on-site skill-test scores (db/migrations/0019): what ops
 * call. JSON-returning functions give the representation (api_skill_test
 * of db/functions/08_skill_tests.sql) as malloc'd text. Rows are only
 * appended. Nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_SKILL_TEST_STORE_H
#define JIANGXIN_SKILL_TEST_STORE_H

#include "attachment_store.h" /* struct attachment_new, attachment_content */
#include "db.h"

/* A new revision; the strings are already checked. */
struct skill_test_row {
    const char *nomination_id;
    int revision;               /* the next one: 1 for the first score */
    int score;                  /* hundredths */
    const char *examiners;      /* JSON array text */
    const char *tested_on;      /* YYYY-MM-DD */
    const char *note;           /* NULL: none */
    const char *reason;         /* NULL: none */
    const char *score_sheet_id; /* NULL: none; a sheet of the same nomination */
    const char *recorded_by;    /* user id, or NULL */
    const char *recorded_at;    /* RFC 3339, the service clock */
};

/* {nomination_id, current, history, version} of the nomination. */
enum app_err skill_test_store_get(struct db *db, const char *nomination_id, char **ret_json);
/* Appends the revision; *ret_json: the revision's representation.
 * APP_ERR_CONFLICT when that revision number is taken (a concurrent write). */
enum app_err
skill_test_store_insert(struct db *db, const struct skill_test_row *r, char **ret_json);

/* Score sheets (the files): a->kind is not used. *ret_json: the sheet's
 * description; created_at from the service clock. */
enum app_err
skill_test_store_sheet_insert(struct db *db, const struct attachment_new *a, char **ret_json);
/* NOT_FOUND unless sheet `id` belongs to that nomination. */
enum app_err skill_test_store_sheet_content(struct db *db,
                                            const char *nomination_id,
                                            const char *id,
                                            struct attachment_content *ret);
/* True in *ret when sheet `id` belongs to that nomination. */
enum app_err
skill_test_store_sheet_exists(struct db *db, const char *nomination_id, const char *id, bool *ret);

#endif
