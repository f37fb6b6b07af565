/* SPDX-License-Identifier: MIT */
/*
 * The public reads: nothing here selects from a table, only from the
 * public_* projections (db/functions/18_public.sql), so what may leave is
 * decided in one place. Instants go out through api_ts, as everywhere.
 */
#include "public_store.h"

#include <stdio.h>

#include "db_internal.h"

/* clang-format off */
const struct db_statement public_store_statements[] = {
    {"public_store_programmes",
     "SELECT jsonb_build_object('items', coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.code), "
     "  '[]'::jsonb))::text FROM public_programmes($1::date) x"},
    {"public_store_round",
     "SELECT ((to_jsonb(r) - 'vote_opens_at' - 'vote_closes_at') || jsonb_build_object("
     "         'vote_opens_at', api_ts(r.vote_opens_at),"
     "         'vote_closes_at', api_ts(r.vote_closes_at),"
     "         'vote_state', CASE WHEN r.vote_session_id IS NULL THEN NULL"
     "                            WHEN $3::timestamptz < r.vote_opens_at THEN 'scheduled'"
     "                            WHEN $3::timestamptz < r.vote_closes_at THEN 'open'"
     "                            ELSE 'closed' END))::text"
     "  FROM public_rounds($2::date) r WHERE r.id = $1::uuid"},
    {"public_store_nominees",
     "SELECT jsonb_build_object('round_id', r.id, 'items', coalesce("
     "         (SELECT jsonb_agg(to_jsonb(n) - 'round_id' ORDER BY n.number NULLS LAST, n.name,"
     "                           n.id)"
     "            FROM public_nominees($3::timestamptz) n WHERE n.round_id = r.id),"
     "         '[]'::jsonb))::text"
     "  FROM public_rounds($2::date) r WHERE r.id = $1::uuid"},
    {"public_store_results",
     "SELECT jsonb_build_object('round_id', r.id,"
     "  'vote', (SELECT jsonb_build_object('session_id', min(v.session_id::text),"
     "                   'final', bool_and(v.final), 'total_votes', max(v.total_votes),"
     "                   'log_entries', max(v.log_entries), 'log_sha256', min(v.log_sha256),"
     "                   'as_of', api_ts(max(v.as_of)),"
     "                   'nominees', jsonb_agg(jsonb_build_object('nominee_id', v.nominee_id,"
     "                       'number', v.number, 'name', v.name, 'votes', v.votes,"
     "                       'rank', v.rank, 'withdrawn', v.withdrawn)"
     "                     ORDER BY v.rank NULLS LAST, v.number))"
     "              FROM public_vote_results($3::timestamptz) v WHERE v.round_id = r.id"
     "            HAVING count(*) > 0),"
     "  'decisions', coalesce((SELECT jsonb_agg(to_jsonb(d) - 'round_id'"
     "                                          ORDER BY d.meeting_date, d.step, d.id)"
     "                           FROM public_decisions($2::date) d WHERE d.round_id = r.id),"
     "                        '[]'::jsonb))::text"
     "  FROM public_rounds($2::date) r WHERE r.id = $1::uuid"},
    {"public_store_recognitions",
     "SELECT to_jsonb(x)::text, x.certificate_number FROM public_recognitions() x"
     " WHERE ($1::text IS NULL OR x.programme = $1)"
     "   AND ($2::int IS NULL OR x.certificate_year = $2::int)"
     "   AND ($3::text IS NULL OR x.status = $3)"
     "   AND ($4::text IS NULL OR x.certificate_number COLLATE \"C\" > $4)"
     " ORDER BY x.certificate_number COLLATE \"C\" LIMIT $5::int"},
    {NULL, NULL},
};
/* clang-format on */

enum app_err public_store_programmes(struct db *db, const char *today, char **ret_json)
{
    const char *params[] = {today};

    return db_json_one(db, "public_store_programmes", 1, params, ret_json);
}

enum app_err public_store_round(
    struct db *db, const char *id, const char *today, const char *at, char **ret_json)
{
    const char *params[] = {id, today, at};

    return db_json_one(db, "public_store_round", 3, params, ret_json);
}

enum app_err public_store_nominees(
    struct db *db, const char *id, const char *today, const char *at, char **ret_json)
{
    const char *params[] = {id, today, at};

    return db_json_one(db, "public_store_nominees", 3, params, ret_json);
}

enum app_err public_store_results(
    struct db *db, const char *id, const char *today, const char *at, char **ret_json)
{
    const char *params[] = {id, today, at};

    return db_json_one(db, "public_store_results", 3, params, ret_json);
}

enum app_err public_store_recognitions(struct db *db,
                                       const struct public_recognition_filter *f,
                                       const char *cursor,
                                       int limit,
                                       char **ret_array,
                                       char **ret_next)
{
    char lim[16];
    const char *params[] = {f->programme, f->year, f->status, cursor, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, "public_store_recognitions", 5, params, limit, ret_array, ret_next);
}
