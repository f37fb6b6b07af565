/* SPDX-License-Identifier: MIT */
/*
 * The audit log. Rows are chained and sealed by the trigger in 0001; this
 * file appends, lists (newest first, keyset on seq) and verifies the chain
 * in one query that reports the first broken link.
 */
#include "audit_store.h"

#include <stdio.h>

#include "db_internal.h"

const struct db_statement audit_store_statements[] = {
    {"audit_store_append",
     "INSERT INTO audit_events (actor_id, actor, role, action, entity_type, entity_id,"
     "                          request_id, before, after, prev_hash, hash)"
     " VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, '', '')"},
    {"audit_store_list", "SELECT api_audit_event(e)::text, e.seq::text FROM audit_events e"
                         " WHERE ($1::text IS NULL OR entity_type = $1)"
                         "   AND ($2::text IS NULL OR entity_id = $2)"
                         "   AND ($3::text IS NULL OR action = $3)"
                         "   AND ($4::bigint IS NULL OR seq < $4::bigint)"
                         " ORDER BY e.seq DESC LIMIT $5::int"},
    {"audit_store_verify",
     "WITH c AS ("
     "  SELECT seq, hash = audit_event_digest(e) AS hash_ok,"
     "         prev_hash = coalesce(lag(hash) OVER w, ''::bytea) AS prev_ok,"
     "         seq = row_number() OVER w AS seq_ok"
     "    FROM audit_events e WINDOW w AS (ORDER BY seq)),"
     " head AS (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1)"
     "SELECT jsonb_build_object("
     "  'checked', (SELECT count(*) FROM c),"
     "  'head_seq', coalesce((SELECT seq FROM head), 0),"
     "  'head_hash', coalesce((SELECT encode(hash, 'hex') FROM head), ''),"
     "  'first_broken', (SELECT jsonb_build_object('seq', seq, 'reason',"
     "        CASE WHEN NOT seq_ok THEN 'gap' WHEN NOT prev_ok THEN 'prev_hash_mismatch'"
     "             ELSE 'hash_mismatch' END)"
     "      FROM c WHERE NOT (hash_ok AND prev_ok AND seq_ok) ORDER BY seq LIMIT 1))::text"},
    {NULL, NULL},
};

enum app_err audit_store_append(struct db *db, const struct audit_entry *e)
{
    const char *params[] = {e->actor_id,  e->actor,      e->role,   e->action, e->entity_type,
                            e->entity_id, e->request_id, e->before, e->after};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "audit_store_append", 9, params, PGRES_COMMAND_OK, &res);

    PQclear(res);
    return err;
}

enum app_err audit_store_list(struct db *db,
                              const char *entity_type,
                              const char *entity_id,
                              const char *action,
                              const char *cursor,
                              int limit,
                              char **ret_array,
                              char **ret_next)
{
    char lim[16];
    const char *params[] = {entity_type, entity_id, action, cursor, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, "audit_store_list", 5, params, limit, ret_array, ret_next);
}

enum app_err audit_store_verify(struct db *db, char **ret_json)
{
    return db_json_one(db, "audit_store_verify", 0, NULL, ret_json);
}
