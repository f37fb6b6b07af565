/* SPDX-License-Identifier: MIT */
/*
 * review_draws and review_assignments (migration 0020). A draw's
 * assignments come in as one JSON array and are written by one statement
 * together with the draw row.
 */
#include "review_assignment_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

const struct db_statement review_assignment_store_statements[] = {
    {"review_assignment_store_inputs", "SELECT review_draw_inputs($1::uuid, $2::uuid)::text"},
    {"review_assignment_store_has_panel",
     "SELECT count(*)::text FROM review_draws WHERE round_id = $1::uuid AND kind = 'panel'"},
    {"review_assignment_store_record",
     "WITH d AS (INSERT INTO review_draws (round_id, seed, kind, experts_per_nomination,"
     "           drawn_by, drawn_at)"
     "           VALUES ($1::uuid, $3, $2, $4::int, $5::uuid, $7::timestamptz) RETURNING *),"
     " a AS (INSERT INTO review_assignments (round_id, nomination_id, expert_id, draw_id,"
     "           field_match, replaces, created_at)"
     "       SELECT $1::uuid, p.nomination_id, p.expert_id, d.id, p.field_match, p.replaces,"
     "              $7::timestamptz"
     "         FROM d, jsonb_to_recordset($6::jsonb)"
     "              AS p(nomination_id uuid, expert_id uuid, field_match boolean, replaces uuid)"
     "       RETURNING 1)"
     " SELECT api_review_draw(d)::text FROM d WHERE (SELECT count(*) FROM a) >= 0"},
    {"review_assignment_store_start_review",
     "WITH moved AS (UPDATE nominations n SET state = 'in_review', version = n.version + 1,"
     "                      updated_at = $4::timestamptz"
     "                WHERE n.id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)"
     "                  AND n.state = 'qualified' RETURNING n.id)"
     " INSERT INTO nomination_transitions (nomination_id, from_state, to_state, actor_id, actor,"
     "   role, at)"
     " SELECT id, 'qualified', 'in_review', $2::uuid, $3, $5::user_role, $4::timestamptz"
     "   FROM moved"},
    {"review_assignment_store_get",
     "SELECT api_review_assignment(a)::text FROM review_assignments a WHERE a.id = $1::uuid"},
    {"review_assignment_store_get_for_update",
     "SELECT api_review_assignment(a)::text FROM review_assignments a WHERE a.id = $1::uuid"
     " FOR UPDATE"},
    {"review_assignment_store_end",
     "UPDATE review_assignments a SET state = $2, ended_reason = $3, ended_by = $4::uuid,"
     "       ended_at = $5::timestamptz"
     " WHERE a.id = $1::uuid AND a.state = 'active'"
     " RETURNING api_review_assignment(a)::text"},
    {"review_assignment_store_list",
     "SELECT jsonb_build_object('round_id', $1::uuid,"
     "  'draws', coalesce((SELECT jsonb_agg(api_review_draw(d) ORDER BY d.drawn_at, d.id)"
     "                       FROM review_draws d WHERE d.round_id = $1::uuid), '[]'::jsonb),"
     "  'items', coalesce((SELECT jsonb_agg(api_review_assignment(a)"
     "                              ORDER BY a.nomination_id, a.created_at, a.expert_id)"
     "                       FROM review_assignments a WHERE a.round_id = $1::uuid),"
     "                    '[]'::jsonb))::text"},
    {"review_assignment_store_mine",
     "SELECT jsonb_build_object('items', coalesce((SELECT jsonb_agg(api_my_assignment(a)"
     "                              ORDER BY a.created_at, a.id)"
     "   FROM review_assignments a WHERE a.expert_id = $1::uuid AND a.state = 'active'),"
     "   '[]'::jsonb))::text"},
    {NULL, NULL},
};

enum app_err review_assignment_store_inputs(struct db *db,
                                            const char *round_id,
                                            const char *nomination_id,
                                            char **ret_json)
{
    const char *params[] = {round_id, nomination_id};

    return db_json_one(db, "review_assignment_store_inputs", 2, params, ret_json);
}

enum app_err review_assignment_store_has_panel(struct db *db, const char *round_id, bool *ret)
{
    const char *params[] = {round_id};
    char *text = NULL;
    enum app_err err = db_json_one(db, "review_assignment_store_has_panel", 1, params, &text);

    if (err == APP_OK) {
        *ret = strcmp(text, "0") != 0;
    }
    free(text);
    return err;
}

enum app_err review_assignment_store_record(struct db *db,
                                            const char *round_id,
                                            const char *kind,
                                            const char *seed,
                                            int k,
                                            const char *actor_id,
                                            const char *pairs,
                                            char **ret_draw)
{
    char kt[16], now[RFC3339_TEXT_MAX];
    const char *params[] = {round_id, kind, seed, kt, actor_id, pairs, now};

    snprintf(kt, sizeof(kt), "%d", k);
    db_clock_now(now);
    return db_json_one(db, "review_assignment_store_record", 7, params, ret_draw);
}

enum app_err review_assignment_store_start_review(
    struct db *db, const char *ids, const char *actor_id, const char *actor, const char *role)
{
    char now[RFC3339_TEXT_MAX];
    const char *params[] = {ids, actor_id, actor, now, role};
    PGresult *res = NULL;
    enum app_err err;

    db_clock_now(now);
    err = db_exec(db, "review_assignment_store_start_review", 5, params, PGRES_COMMAND_OK, &res);
    PQclear(res);
    return err;
}

enum app_err
review_assignment_store_get(struct db *db, const char *id, bool for_update, char **ret_json)
{
    const char *params[] = {id};

    return db_json_one(
        db, for_update ? "review_assignment_store_get_for_update" : "review_assignment_store_get",
        1, params, ret_json);
}

enum app_err review_assignment_store_end(struct db *db,
                                         const char *id,
                                         const char *state,
                                         const char *reason,
                                         const char *actor_id,
                                         char **ret_json)
{
    char now[RFC3339_TEXT_MAX];
    const char *params[] = {id, state, reason, actor_id, now};

    db_clock_now(now);
    return db_json_one(db, "review_assignment_store_end", 5, params, ret_json);
}

enum app_err review_assignment_store_list(struct db *db, const char *round_id, char **ret_json)
{
    const char *params[] = {round_id};

    return db_json_one(db, "review_assignment_store_list", 1, params, ret_json);
}

enum app_err review_assignment_store_mine(struct db *db, const char *expert_id, char **ret_json)
{
    const char *params[] = {expert_id};

    return db_json_one(db, "review_assignment_store_mine", 1, params, ret_json);
}
