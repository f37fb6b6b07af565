/* SPDX-License-Identifier: MIT */
/*
 * rounds (批次): one cycle of a programme, one per programme and year. A
 * programme's rounds are listed newest year first, and the year is the
 * keyset cursor. Nomination counts per state are one query so a unit's
 * scope is part of it, never applied afterwards.
 */
#include "round_store.h"

#include <stdio.h>

#include "db_internal.h"

const struct db_statement round_store_statements[] = {
    {"round_store_insert",
     "INSERT INTO rounds (programme_id, code, year, reference_date, window_opens, window_closes,"
     "                    cycle_override_reason, policy_version_id)"
     " SELECT p.id, p.code || '-' || $2::int, $2::int, $3::date, $4::date, $5::date, $6,"
     "        $7::uuid"
     "   FROM programmes p WHERE p.code = $1"
     " RETURNING api_round(rounds)::text"},
    {"round_store_get", "SELECT api_round(r)::text FROM rounds r WHERE r.id = $1::uuid"},
    {"round_store_list", "SELECT api_round(r)::text, r.year::text"
                         "  FROM rounds r JOIN programmes p ON p.id = r.programme_id"
                         " WHERE p.code = $1 AND ($2::int IS NULL OR r.year < $2::int)"
                         " ORDER BY r.year DESC LIMIT $3::int"},
    {"round_store_years",
     "SELECT coalesce(jsonb_agg(r.year ORDER BY r.year), '[]'::jsonb)::text"
     "  FROM rounds r JOIN programmes p ON p.id = r.programme_id WHERE p.code = $1"},
    /* Every state, zeros included, so a missing key never means "unknown". */
    {"round_store_counts",
     "SELECT jsonb_object_agg(s.state::text, coalesce(c.n, 0))::text"
     "  FROM unnest(enum_range(NULL::nomination_state)) AS s(state)"
     "  LEFT JOIN (SELECT n.state, count(*) AS n FROM nominations n"
     "              WHERE n.round_id = $1::uuid AND ($2::uuid IS NULL OR n.unit_id = $2::uuid)"
     "              GROUP BY n.state) c ON c.state = s.state"},
    {"round_store_set_phase",
     "UPDATE rounds SET phase = $3::round_phase, version = version + 1, updated_at = now()"
     " WHERE id = $1::uuid AND version = $2::int RETURNING api_round(rounds)::text"},
    {NULL, NULL},
};

enum app_err round_store_insert(struct db *db,
                                const char *programme,
                                int year,
                                const char *reference_date,
                                const char *window_opens,
                                const char *window_closes,
                                const char *cycle_override_reason,
                                const char *policy_version_id,
                                char **ret_json)
{
    char y[16];
    const char *params[] = {
        programme,        y, reference_date, window_opens, window_closes, cycle_override_reason,
        policy_version_id};

    snprintf(y, sizeof(y), "%d", year);
    return db_json_one(db, "round_store_insert", 7, params, ret_json);
}

enum app_err round_store_get(struct db *db, const char *id, char **ret_json)
{
    const char *params[] = {id};

    return db_json_one(db, "round_store_get", 1, params, ret_json);
}

enum app_err round_store_list(struct db *db,
                              const char *programme,
                              const char *cursor,
                              int limit,
                              char **ret_array,
                              char **ret_next)
{
    char lim[16];
    const char *params[] = {programme, cursor, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, "round_store_list", 3, params, limit, ret_array, ret_next);
}

enum app_err round_store_years(struct db *db, const char *programme, char **ret_array)
{
    const char *params[] = {programme};

    return db_json_one(db, "round_store_years", 1, params, ret_array);
}

enum app_err round_store_counts(struct db *db, const char *id, const char *unit_id, char **ret_json)
{
    const char *params[] = {id, unit_id};

    return db_json_one(db, "round_store_counts", 2, params, ret_json);
}

enum app_err round_store_set_phase(
    struct db *db, const char *id, int version, const char *phase, char **ret_json)
{
    char ver[16];
    const char *params[] = {id, ver, phase};

    snprintf(ver, sizeof(ver), "%d", version);
    return db_json_one(db, "round_store_set_phase", 3, params, ret_json);
}
