/* SPDX-License-Identifier: MIT */
/*
 * The ranking's inputs and the frozen shortlist (ranking_store.h).
 */
#include "ranking_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

const struct db_statement ranking_store_statements[] = {
    /* The one statement of the ranking (tests/bench/ranking.sh runs it too). */
    {"ranking_store_inputs",
     "SELECT r_nomination_id::text, r_name, r_state::text, r_submitted_us, r_totals::text,"
     "       r_gates::text, r_skill, r_position, r_override_reason"
     "  FROM ranking_inputs($1::uuid)"},
    {"ranking_store_shortlist",
     "SELECT json_build_object('round_id', s.round_id, 'size', s.size,"
     "  'frozen_at', api_ts(s.frozen_at),"
     "  'frozen_by', (SELECT u.username FROM users u WHERE u.id = s.frozen_by),"
     "  'entries', coalesce((SELECT json_agg(json_build_object('position', e.position,"
     "      'nomination_id', e.nomination_id, 'name', n.name, 'rank', e.rank,"
     "      'override_reason', e.override_reason) ORDER BY e.position)"
     "    FROM shortlist_entries e JOIN nominations n ON n.id = e.nomination_id"
     "   WHERE e.round_id = s.round_id), '[]'::json))::text"
     "  FROM shortlists s WHERE s.round_id = $1::uuid"},
    {"ranking_store_freeze",
     "INSERT INTO shortlists (round_id, size, ranking, frozen_by, frozen_at)"
     " VALUES ($1::uuid, $2::int, $3::jsonb, $4::uuid, $5::timestamptz)"},
    {"ranking_store_entry",
     "INSERT INTO shortlist_entries (round_id, size, position, nomination_id, rank,"
     "                               override_reason)"
     " VALUES ($1::uuid, $2::int, $3::int, $4::uuid, $5::int, $6)"},
    {"ranking_store_move_nominations",
     "WITH moved AS ("
     "  UPDATE nominations n SET"
     "    state = CASE WHEN n.id::text IN (SELECT jsonb_array_elements_text($2::jsonb))"
     "                 THEN 'shortlisted' ELSE 'not_shortlisted' END::nomination_state,"
     "    version = n.version + 1, updated_at = $6::timestamptz"
     "   WHERE n.round_id = $1::uuid AND n.state = 'in_review'"
     "  RETURNING n.id, n.state)"
     " INSERT INTO nomination_transitions (nomination_id, from_state, to_state, actor_id, actor,"
     "                                     role, at)"
     " SELECT m.id, 'in_review', m.state, $3::uuid, $4, $5::user_role, $6::timestamptz"
     "   FROM moved m"},
    {NULL, NULL},
};

/* "{1,2,3}" → ints; "{t,f}" → bools; n entries expected. */
static void parse_ints(const char *s, struct review_result *out, size_t n)
{
    char *end;
    for (size_t i = 0; i < n && *s; i++) {
        s++; /* '{' or ',' */
        out[i].total = (int)strtol(s, &end, 10);
        s = end;
    }
}

static void parse_bools(const char *s, struct review_result *out, size_t n)
{
    size_t i = 0;
    for (; *s && i < n; s++) {
        if (*s == 't' || *s == 'f') {
            out[i++].gate_pass = *s == 't';
        }
    }
}

static size_t count_items(const char *s)
{
    size_t n = 0;
    if (strcmp(s, "{}") == 0) {
        return 0;
    }
    for (n = 1; *s; s++) {
        n += *s == ',';
    }
    return n;
}

void ranking_inputs_free(struct ranking_input *in, size_t n)
{
    if (in == NULL) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        free(in[i].name);
        free(in[i].reviews);
        free(in[i].override_reason);
    }
    free(in);
}

enum app_err
ranking_store_inputs(struct db *db, const char *round_id, struct ranking_input **ret, size_t *ret_n)
{
    const char *params[] = {round_id};
    PGresult *res = NULL;
    struct ranking_input *in;
    size_t n;
    enum app_err err = db_exec(db, "ranking_store_inputs", 1, params, PGRES_TUPLES_OK, &res);

    if (err != APP_OK) {
        return err;
    }
    n = (size_t)PQntuples(res);
    if ((in = calloc(n > 0 ? n : 1, sizeof(*in))) == NULL) {
        PQclear(res);
        return APP_ERR_INTERNAL;
    }
    for (size_t i = 0; i < n; i++) {
        int row = (int)i;
        struct ranking_input *e = &in[i];
        const char *totals = PQgetvalue(res, row, 4);

        snprintf(e->nomination_id, sizeof(e->nomination_id), "%s", PQgetvalue(res, row, 0));
        e->name = strdup(PQgetvalue(res, row, 1));
        snprintf(e->state, sizeof(e->state), "%s", PQgetvalue(res, row, 2));
        e->submitted_us = strtoll(PQgetvalue(res, row, 3), NULL, 10);
        e->n_reviews = count_items(totals);
        e->reviews = calloc(e->n_reviews > 0 ? e->n_reviews : 1, sizeof(*e->reviews));
        e->skill = PQgetisnull(res, row, 6) ? -1 : (int)strtol(PQgetvalue(res, row, 6), NULL, 10);
        e->position =
            PQgetisnull(res, row, 7) ? -1 : (int)strtol(PQgetvalue(res, row, 7), NULL, 10);
        e->override_reason = PQgetisnull(res, row, 8) ? NULL : strdup(PQgetvalue(res, row, 8));
        if (e->name == NULL || e->reviews == NULL ||
            (!PQgetisnull(res, row, 8) && e->override_reason == NULL)) {
            PQclear(res);
            ranking_inputs_free(in, n);
            return APP_ERR_INTERNAL;
        }
        parse_ints(totals, e->reviews, e->n_reviews);
        parse_bools(PQgetvalue(res, row, 5), e->reviews, e->n_reviews);
    }
    PQclear(res);
    *ret = in;
    *ret_n = n;
    return APP_OK;
}

enum app_err ranking_store_shortlist(struct db *db, const char *round_id, char **ret_json)
{
    const char *params[] = {round_id};

    return db_json_one(db, "ranking_store_shortlist", 1, params, ret_json);
}

static enum app_err command(struct db *db, const char *name, int n, const char *const *params)
{
    PGresult *res = NULL;
    enum app_err err = db_exec(db, name, n, params, PGRES_COMMAND_OK, &res);

    PQclear(res);
    return err;
}

enum app_err ranking_store_freeze(struct db *db,
                                  const char *round_id,
                                  int size,
                                  const char *ranking_json,
                                  const char *frozen_by,
                                  const char *frozen_at)
{
    char s[16];
    const char *params[] = {round_id, s, ranking_json, frozen_by, frozen_at};

    snprintf(s, sizeof(s), "%d", size);
    return command(db, "ranking_store_freeze", 5, params);
}

enum app_err ranking_store_entry(struct db *db,
                                 const char *round_id,
                                 int size,
                                 int position,
                                 const char *nomination_id,
                                 int rank,
                                 const char *override_reason)
{
    char s[16], pos[16], r[16];
    const char *params[] = {round_id, s, pos, nomination_id, r, override_reason};

    snprintf(s, sizeof(s), "%d", size);
    snprintf(pos, sizeof(pos), "%d", position);
    snprintf(r, sizeof(r), "%d", rank);
    return command(db, "ranking_store_entry", 6, params);
}

enum app_err ranking_store_move_nominations(struct db *db,
                                            const char *round_id,
                                            const char *ids_json,
                                            const struct principal *who,
                                            const char *at)
{
    const char *params[] = {round_id, ids_json, DB_ACTOR(who), at};

    return command(db, "ranking_store_move_nominations", 6, params);
}
