/* SPDX-License-Identifier: MIT */
/*
 * What a handler must know about a round or a nomination before it lets
 * the caller near it: its programme (office scope), its unit (unit scope),
 * its phase and state. One row each, no representation.
 */
#include "scope_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "enums.h"
#include "workdays.h"

const struct db_statement scope_store_statements[] = {
    {"scope_store_round",
     "SELECT r.id, p.code, r.phase::text, to_char(r.reference_date, 'YYYY-MM-DD'),"
     "       to_char(r.window_opens, 'YYYY-MM-DD'), to_char(r.window_closes, 'YYYY-MM-DD'),"
     "       r.version, r.year"
     "  FROM rounds r JOIN programmes p ON p.id = r.programme_id WHERE r.id = $1::uuid"},
    {"scope_store_round_for_update",
     "SELECT r.id, p.code, r.phase::text, to_char(r.reference_date, 'YYYY-MM-DD'),"
     "       to_char(r.window_opens, 'YYYY-MM-DD'), to_char(r.window_closes, 'YYYY-MM-DD'),"
     "       r.version, r.year"
     "  FROM rounds r JOIN programmes p ON p.id = r.programme_id WHERE r.id = $1::uuid"
     "   FOR UPDATE OF r"},
    {"scope_store_round_for_share",
     "SELECT r.id, p.code, r.phase::text, to_char(r.reference_date, 'YYYY-MM-DD'),"
     "       to_char(r.window_opens, 'YYYY-MM-DD'), to_char(r.window_closes, 'YYYY-MM-DD'),"
     "       r.version, r.year"
     "  FROM rounds r JOIN programmes p ON p.id = r.programme_id WHERE r.id = $1::uuid"
     "   FOR SHARE OF r"},
    {"scope_store_nomination", "SELECT n.id, n.round_id, n.unit_id, n.state::text, n.version,"
                               "       to_char(n.created_on, 'YYYY-MM-DD'), n.entered_by_office"
                               "  FROM nominations n WHERE n.id = $1::uuid"},
    {"scope_store_nomination_for_update",
     "SELECT n.id, n.round_id, n.unit_id, n.state::text, n.version,"
     "       to_char(n.created_on, 'YYYY-MM-DD'), n.entered_by_office"
     "  FROM nominations n WHERE n.id = $1::uuid FOR UPDATE"},
    {NULL, NULL},
};

enum app_err
scope_store_round(struct db *db, const char *id, enum scope_lock lock, struct round_ref *ret)
{
    static const char *const stmt[] = {
        [SCOPE_NO_LOCK] = "scope_store_round",
        [SCOPE_LOCK_SHARE] = "scope_store_round_for_share",
        [SCOPE_LOCK_UPDATE] = "scope_store_round_for_update",
    };
    const char *params[] = {id};
    PGresult *res = NULL;
    char date[11];
    enum app_err err = db_row(db, stmt[lock], 1, params, &res);

    if (err != APP_OK) {
        return err;
    }
    memset(ret, 0, sizeof(*ret));
    db_copy_col(res, 0, ret->id, sizeof(ret->id));
    db_copy_col(res, 1, ret->programme, sizeof(ret->programme));
    ret->phase = (enum round_phase)enums_from_value(ENUMS_ROUND_PHASES, PQgetvalue(res, 0, 2));
    db_copy_col(res, 3, date, sizeof(date));
    date_parse(date, &ret->reference_date);
    db_copy_col(res, 4, date, sizeof(date));
    date_parse(date, &ret->window_opens);
    db_copy_col(res, 5, date, sizeof(date));
    date_parse(date, &ret->window_closes);
    ret->version = atoi(PQgetvalue(res, 0, 6));
    ret->year = atoi(PQgetvalue(res, 0, 7));
    PQclear(res);
    return APP_OK;
}

enum app_err
scope_store_nomination(struct db *db, const char *id, bool for_update, struct nomination_ref *ret)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    enum app_err err =
        db_row(db, for_update ? "scope_store_nomination_for_update" : "scope_store_nomination", 1,
               params, &res);

    if (err != APP_OK) {
        return err;
    }
    memset(ret, 0, sizeof(*ret));
    db_copy_col(res, 0, ret->id, sizeof(ret->id));
    db_copy_col(res, 1, ret->round_id, sizeof(ret->round_id));
    db_copy_col(res, 2, ret->unit_id, sizeof(ret->unit_id));
    ret->state =
        (enum nomination_state)enums_from_value(ENUMS_NOMINATION_STATES, PQgetvalue(res, 0, 3));
    ret->version = atoi(PQgetvalue(res, 0, 4));
    if (!date_parse(PQgetvalue(res, 0, 5), &ret->created_on)) {
        ret->created_on = 0;
    }
    ret->entered_by_office = strcmp(PQgetvalue(res, 0, 6), "t") == 0;
    PQclear(res);
    return APP_OK;
}
