/* SPDX-License-Identifier: MIT */
/*
 * skill_tests (现场技能考查, 环翠 第十条（四）): one row per revision of a
 * nomination's score, appended, never changed.
 */
#include "skill_test_store.h"

#include <stdio.h>

#include "db_internal.h"

const struct db_statement skill_test_store_statements[] = {
    {"skill_test_store_get", "SELECT api_skill_test($1::uuid)::text"},
    {"skill_test_store_insert",
     "INSERT INTO skill_tests (nomination_id, revision, score, examiners, tested_on, note, reason,"
     "                         recorded_by, recorded_at)"
     " VALUES ($1::uuid, $2::int, $3::int / 100.0, $4::jsonb, $5::date, $6, $7, $8::uuid,"
     "         $9::timestamptz)"
     " RETURNING api_skill_test_revision(skill_tests)::text"},
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
    const char *params[] = {r->nomination_id, rev,     score,     r->examiners,
                            r->tested_on,     r->note, r->reason, r->recorded_by,
                            r->recorded_at};

    snprintf(rev, sizeof(rev), "%d", r->revision);
    snprintf(score, sizeof(score), "%d", r->score);
    return db_json_one(db, "skill_test_store_insert", 9, params, ret_json);
}
