/* SPDX-License-Identifier: MIT */
/*
 * nominations. Writes take the prepared values as one JSON object (the
 * handler has validated them and sealed the personal data), so a PATCH is
 * one statement: a member present sets its column (JSON null clears it),
 * a member absent keeps it. Sealed bytes travel as hex.
 *
 * Lists are keyset pages in one of four orders; the cursor is the sort key
 * and the id (36 characters, always last), so it survives any name.
 */
#include "nomination_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil_time.h"
#include "db_internal.h"

/* The columns a write may set, from the prepared object d. */
#define SET(col, expr) " " col " = CASE WHEN d ? '" col "' THEN " expr " ELSE n." col " END,"

#define LIST_SQL(key, col, cmp, cursor, order)                                       \
    "SELECT api_nomination_list_item(n, u.name), " key                               \
    "  FROM nominations n JOIN units u ON u.id = n.unit_id"                          \
    " WHERE n.round_id = $1::uuid"                                                   \
    "   AND ($2::uuid IS NULL OR n.unit_id = $2::uuid)"                              \
    "   AND ($3::nomination_state IS NULL OR n.state = $3::nomination_state)"        \
    "   AND ($4::skill_level IS NULL OR n.skill_level = $4::skill_level)"            \
    "   AND ($5::text IS NULL OR strpos(n.name, $5) > 0)"                            \
    "   AND ($6::text IS NULL OR " col " " cmp " (" cursor ", right($6, 36)::uuid))" \
    " ORDER BY " order " LIMIT $7::int"

/* The creation-order key is the epoch in microseconds (exact both ways). */
#define KEY_CREATED "(extract(epoch FROM n.created_at) * 1000000)::bigint::text || n.id"
#define CUR_CREATED \
    "('epoch'::timestamptz + left($6, length($6) - 36)::bigint * interval '1 microsecond')"
#define KEY_NAME "n.name || n.id"
#define CUR_NAME "left($6, length($6) - 36)"

/* clang-format off */
const struct db_statement nomination_store_statements[] = {
    {"nomination_store_get", "SELECT api_nomination(n)::text FROM nominations n WHERE id = $1::uuid"},
    {"nomination_store_insert",
     "INSERT INTO nominations (round_id, unit_id, channel, name, id_number_sealed, id_number_hash,"
     "  id_number_masked, gender, birth_date, age, phone_sealed, phone_masked, occupation,"
     "  skill_level, skill_certificate_no, front_line, post, innovation_studio_lead, honours,"
     "  patents, competitions, apprentices, deeds, created_on, employer_name, employer_code,"
     "  employer_kind, competition_result, entered_by, entered_by_office)"
     " SELECT $1::uuid, $2::uuid, coalesce(d->>'channel', 'unit'), d->>'name',"
     "  decode(d->>'id_number_sealed', 'hex'), d->>'id_number_hash', d->>'id_number_masked',"
     "  d->>'gender', (d->>'birth_date')::date, (d->>'age')::int,"
     "  decode(d->>'phone_sealed', 'hex'), d->>'phone_masked', d->>'occupation',"
     "  (d->>'skill_level')::skill_level, d->>'skill_certificate_no', (d->>'front_line')::boolean,"
     "  d->>'post', coalesce((d->>'innovation_studio_lead')::boolean, false),"
     "  coalesce(d->'honours', '[]'), coalesce(d->'patents', '[]'),"
     "  coalesce(d->'competitions', '[]'), coalesce(d->'apprentices', '[]'),"
     "  coalesce(d->>'deeds', ''), $4::date, d->'employer'->>'name', d->'employer'->>'code',"
     "  (d->'employer'->>'kind')::unit_kind, nullif(d->'competition_result', 'null'),"
     "  $5::uuid, $6::boolean"
     "  FROM (SELECT $3::jsonb AS d) s"
     " RETURNING id::text"},
    {"nomination_store_update",
     "UPDATE nominations n SET"
     SET("channel", "d->>'channel'")
     SET("name", "d->>'name'")
     SET("id_number_sealed", "decode(d->>'id_number_sealed', 'hex')")
     SET("id_number_hash", "d->>'id_number_hash'")
     SET("id_number_masked", "d->>'id_number_masked'")
     SET("gender", "d->>'gender'")
     SET("birth_date", "(d->>'birth_date')::date")
     SET("age", "(d->>'age')::int")
     SET("phone_sealed", "decode(d->>'phone_sealed', 'hex')")
     SET("phone_masked", "d->>'phone_masked'")
     SET("occupation", "d->>'occupation'")
     SET("skill_level", "(d->>'skill_level')::skill_level")
     SET("skill_certificate_no", "d->>'skill_certificate_no'")
     SET("front_line", "(d->>'front_line')::boolean")
     SET("post", "d->>'post'")
     SET("innovation_studio_lead", "(d->>'innovation_studio_lead')::boolean")
     SET("honours", "d->'honours'")
     SET("patents", "d->'patents'")
     SET("competitions", "d->'competitions'")
     SET("apprentices", "d->'apprentices'")
     SET("deeds", "d->>'deeds'")
     /* The employer is one member: an object sets the three, null clears them. */
     " employer_name = CASE WHEN d ? 'employer' THEN d->'employer'->>'name' ELSE n.employer_name END,"
     " employer_code = CASE WHEN d ? 'employer' THEN d->'employer'->>'code' ELSE n.employer_code END,"
     " employer_kind = CASE WHEN d ? 'employer' THEN (d->'employer'->>'kind')::unit_kind"
     "   ELSE n.employer_kind END,"
     SET("competition_result", "nullif(d->'competition_result', 'null')")
     SET("publicity_start", "(d->>'publicity_start')::date")
     SET("publicity_workdays", "(d->>'publicity_workdays')::int")
     SET("publicity_end", "(d->>'publicity_end')::date")
     SET("eligibility", "d->'eligibility'")
     SET("overrides", "d->'overrides'")
     SET("return_comment", "d->>'return_comment'")
     SET("decision_reason", "d->>'decision_reason'")
     " state = coalesce((d->>'state')::nomination_state, n.state),"
     " submitted_at = CASE WHEN d ? 'submitted' THEN $4::timestamptz ELSE n.submitted_at END,"
     " decided_at = CASE WHEN d ? 'decided' THEN $4::timestamptz ELSE n.decided_at END,"
     " version = n.version + 1, updated_at = now()"
     " FROM (SELECT $3::jsonb AS d) s"
     " WHERE n.id = $1::uuid AND n.version = $2::int"
     " RETURNING n.id::text"},
    {"nomination_store_add_transition",
     "INSERT INTO nomination_transitions (nomination_id, from_state, to_state, actor_id, actor,"
     "  role, note, at, on_behalf_of)"
     " VALUES ($1::uuid, $2::nomination_state, $3::nomination_state, $4::uuid, $5,"
     "  $6::user_role, $7, $8::timestamptz, $9::uuid)"},
    {"nomination_store_sealed",
     "SELECT encode(id_number_sealed, 'hex'), encode(phone_sealed, 'hex')"
     "  FROM nominations WHERE id = $1::uuid"},
    /* The facts of eligibility_run(); $2: today. The person's earlier titles
     * in the programme are its recognitions (any status, round and policy
     * version) and its imported past holdings (0023); a title is held until
     * the latest end of their management periods: recognition_period() of
     * a recognition, management_period() under the programme's current
     * policy of a past holding with its date (db/functions/13_holders.sql,
     * the one place the period rule lives). */
    {"nomination_store_facts",
     "SELECT to_char(n.birth_date, 'YYYY-MM-DD'), n.skill_level::text, n.front_line::text,"
     "  u.kind::text, length(n.deeds),"
     "  (SELECT count(*) FROM jsonb_array_elements(n.honours || n.competitions) e"
     "    WHERE e->>'level' IN ('national', 'provincial', 'municipal', 'district')),"
     /* Evidence of the candidate: the unit publicity's evidence is not. */
     "  (SELECT count(*) FROM attachments a WHERE a.nomination_id = n.id"
     "      AND a.kind <> 'unit_publicity'),"
     "  (SELECT count(*) FROM recognitions g"
     "    WHERE g.id_number_hash = n.id_number_hash AND g.programme_id = r.programme_id"
     "      AND g.nomination_id <> n.id)"
     "  + (SELECT count(*) FROM past_holders h"
     "    WHERE h.id_number_hash = n.id_number_hash AND h.programme_id = r.programme_id),"
     "  (SELECT to_char(max(e), 'YYYY-MM-DD') FROM ("
     "     SELECT (recognition_period(g)).period_end AS e FROM recognitions g"
     "      WHERE g.id_number_hash = n.id_number_hash AND g.programme_id = r.programme_id"
     "        AND g.nomination_id <> n.id"
     "     UNION ALL"
     "     SELECT m.period_end FROM past_holders h,"
     "            policy_version_shown(h.programme_id, $2::date) v,"
     "            management_period(v.policy, h.recognized_on) m"
     "      WHERE h.id_number_hash = n.id_number_hash AND h.programme_id = r.programme_id"
     "        AND h.recognized_on IS NOT NULL) ends),"
     "  (SELECT count(*) FROM nominations o WHERE o.round_id = n.round_id"
     "      AND o.id_number_hash = n.id_number_hash AND o.id <> n.id AND o.state <> 'withdrawn'),"
     "  n.publicity_start IS NOT NULL, coalesce(n.publicity_workdays, -1),"
     "  n.channel, n.employer_kind::text, n.employer_name,"
     "  n.competition_result->>'name', n.competition_result->>'level',"
     "  n.competition_result->>'rank', n.competition_result->>'year'"
     "  FROM nominations n JOIN units u ON u.id = n.unit_id JOIN rounds r ON r.id = n.round_id"
     " WHERE n.id = $1::uuid"},
    {"nomination_store_list_created",
     LIST_SQL(KEY_CREATED, "(n.created_at, n.id)", ">", CUR_CREATED, "n.created_at, n.id")},
    {"nomination_store_list_created_desc",
     LIST_SQL(KEY_CREATED, "(n.created_at, n.id)", "<", CUR_CREATED,
              "n.created_at DESC, n.id DESC")},
    {"nomination_store_list_name",
     LIST_SQL(KEY_NAME, "(n.name, n.id)", ">", CUR_NAME, "n.name, n.id")},
    {"nomination_store_list_name_desc",
     LIST_SQL(KEY_NAME, "(n.name, n.id)", "<", CUR_NAME, "n.name DESC, n.id DESC")},
    {NULL, NULL},
};
/* clang-format on */

enum app_err nomination_store_get(struct db *db, const char *id, char **ret_json)
{
    const char *params[] = {id};

    return db_json_one(db, "nomination_store_get", 1, params, ret_json);
}

enum app_err nomination_store_insert(struct db *db,
                                     const char *round_id,
                                     const char *unit_id,
                                     const char *values_json,
                                     int32_t created_on,
                                     const struct nomination_entry *entry,
                                     char **ret_id)
{
    char day[11];
    const char *params[] = {round_id, unit_id,        values_json,
                            day,      entry->user_id, entry->by_office ? "true" : "false"};
    PGresult *res = NULL;
    enum app_err err;

    date_format(created_on, day);
    err = db_exec(db, "nomination_store_insert", 6, params, PGRES_TUPLES_OK, &res);

    if (err == APP_OK) {
        *ret_id = db_strdup(res, 0, 0);
        err = *ret_id != NULL ? APP_OK : APP_ERR_INTERNAL;
    }
    PQclear(res);
    return err;
}

enum app_err
nomination_store_update(struct db *db, const char *id, int version, const char *values_json)
{
    char ver[16], now[RFC3339_TEXT_MAX];
    const char *params[] = {id, ver, values_json, now};
    PGresult *res = NULL;
    enum app_err err;

    snprintf(ver, sizeof(ver), "%d", version);
    db_clock_now(now);
    err = db_exec(db, "nomination_store_update", 4, params, PGRES_TUPLES_OK, &res);
    if (err == APP_OK && PQntuples(res) == 0) {
        err = APP_ERR_PRECONDITION_FAILED; /* the version moved under us */
    }
    PQclear(res);
    return err;
}

enum app_err nomination_store_add_transition(struct db *db,
                                             const char *id,
                                             const char *from_state,
                                             const char *to_state,
                                             const struct principal *who,
                                             const char *note,
                                             const char *on_behalf_of)
{
    char now[RFC3339_TEXT_MAX];
    const char *params[] = {id, from_state, to_state, DB_ACTOR(who), note, now, on_behalf_of};
    PGresult *res = NULL;
    enum app_err err;

    db_clock_now(now);
    err = db_exec(db, "nomination_store_add_transition", 9, params, PGRES_COMMAND_OK, &res);

    PQclear(res);
    return err;
}

enum app_err
nomination_store_sealed(struct db *db, const char *id, char **ret_id_hex, char **ret_phone_hex)
{
    const char *params[] = {id};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "nomination_store_sealed", 1, params, PGRES_TUPLES_OK, &res);

    if (err == APP_OK && PQntuples(res) == 0) {
        err = APP_ERR_NOT_FOUND;
    }
    if (err == APP_OK) {
        *ret_id_hex = db_strdup(res, 0, 0);
        *ret_phone_hex = PQgetisnull(res, 0, 1) ? NULL : db_strdup(res, 0, 1);
        err = *ret_id_hex != NULL ? APP_OK : APP_ERR_INTERNAL;
    }
    PQclear(res);
    return err;
}

enum app_err nomination_store_facts(struct db *db,
                                    const char *id,
                                    const char *today,
                                    struct nomination_facts *ret)
{
    const char *params[] = {id, today};
    PGresult *res = NULL;
    enum app_err err;

    err = db_exec(db, "nomination_store_facts", 2, params, PGRES_TUPLES_OK, &res);
    if (err == APP_OK && PQntuples(res) == 0) {
        err = APP_ERR_NOT_FOUND;
    }
    if (err == APP_OK) {
        memset(ret, 0, sizeof(*ret));
        snprintf(ret->birth_date, sizeof(ret->birth_date), "%s", PQgetvalue(res, 0, 0));
        snprintf(ret->skill_level, sizeof(ret->skill_level), "%s", PQgetvalue(res, 0, 1));
        ret->front_line = PQgetisnull(res, 0, 2) ? -1 : strcmp(PQgetvalue(res, 0, 2), "true") == 0;
        snprintf(ret->unit_kind, sizeof(ret->unit_kind), "%s", PQgetvalue(res, 0, 3));
        ret->deeds_chars = atol(PQgetvalue(res, 0, 4));
        ret->honours_district_plus = atoi(PQgetvalue(res, 0, 5));
        ret->attachments = atoi(PQgetvalue(res, 0, 6));
        ret->earlier_recognitions = atoi(PQgetvalue(res, 0, 7));
        snprintf(ret->held_until, sizeof(ret->held_until), "%s", PQgetvalue(res, 0, 8));
        ret->same_round_others = atoi(PQgetvalue(res, 0, 9));
        ret->publicity_done = strcmp(PQgetvalue(res, 0, 10), "t") == 0;
        ret->publicity_workdays = atoi(PQgetvalue(res, 0, 11));
        snprintf(ret->channel, sizeof(ret->channel), "%s", PQgetvalue(res, 0, 12));
        snprintf(ret->employer_kind, sizeof(ret->employer_kind), "%s", PQgetvalue(res, 0, 13));
        snprintf(ret->employer_name, sizeof(ret->employer_name), "%s", PQgetvalue(res, 0, 14));
        ret->competition = !PQgetisnull(res, 0, 15);
        snprintf(ret->competition_name, sizeof(ret->competition_name), "%s",
                 PQgetvalue(res, 0, 15));
        snprintf(ret->competition_level, sizeof(ret->competition_level), "%s",
                 PQgetvalue(res, 0, 16));
        snprintf(ret->competition_rank, sizeof(ret->competition_rank), "%s",
                 PQgetvalue(res, 0, 17));
        ret->competition_year = atoi(PQgetvalue(res, 0, 18));
    }
    PQclear(res);
    return err;
}

static const char *const list_statements[] = {
    [NOMINATION_SORT_CREATED] = "nomination_store_list_created",
    [NOMINATION_SORT_CREATED_DESC] = "nomination_store_list_created_desc",
    [NOMINATION_SORT_NAME] = "nomination_store_list_name",
    [NOMINATION_SORT_NAME_DESC] = "nomination_store_list_name_desc",
};

enum app_err nomination_store_list(struct db *db,
                                   const struct nomination_filter *f,
                                   const char *cursor,
                                   int limit,
                                   char **ret_array,
                                   char **ret_next)
{
    char lim[16];
    const char *params[] = {f->round_id, f->unit_id, f->state, f->skill_level, f->q, cursor, lim};

    snprintf(lim, sizeof(lim), "%d", limit + 1);
    return db_json_page(db, list_statements[f->sort], 7, params, limit, ret_array, ret_next);
}
