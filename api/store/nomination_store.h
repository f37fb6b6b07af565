/* SPDX-License-Identifier: MIT */
/*
 * The store of nominations: what ops and handlers call. JSON-returning functions
 * give the representation (an api_* function of db/functions) as malloc'd
 * text; NOT_FOUND when there is no such row; lists return a JSON array
 * text and the next cursor. Nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_NOMINATION_STORE_H
#define JIANGXIN_NOMINATION_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

/* nominations */
enum nomination_sort {
    NOMINATION_SORT_CREATED = 0, /* created_at (the default) */
    NOMINATION_SORT_CREATED_DESC,
    NOMINATION_SORT_NAME,
    NOMINATION_SORT_NAME_DESC,
    NOMINATION_SORT__COUNT
};
struct nomination_filter {
    const char *round_id;
    const char *unit_id; /* NULL: every unit (a unit user always has its own here) */
    const char *state, *skill_level, *q;
    enum nomination_sort sort;
};
/* The facts eligibility_run() needs, as the database knows them. */
struct nomination_facts {
    char birth_date[11];
    char skill_level[32]; /* "" when not given */
    int front_line;       /* 1, 0, -1 not given */
    char unit_kind[16];
    long deeds_chars;
    int honours_district_plus;
    int attachments;
    int earlier_recognitions; /* recognitions and imported past holdings in the programme */
    char held_until[11];      /* "" when none */
    int same_round_others;
    bool publicity_done;
    int publicity_workdays; /* -1 when none */
    char channel[16];
    char employer_kind[16];  /* "" when no employer is recorded */
    char employer_name[808]; /* 200 code points of UTF-8 */
    bool competition;        /* a competition result is recorded */
    char competition_name[808], competition_level[32], competition_rank[208];
    int competition_year;
};
enum app_err nomination_store_get(struct db *db, const char *id, char **ret_json);
/* Who entered a nomination: the user, and whether an office user entered
 * it on the unit's behalf (a paper submission, migration 0016). */
struct nomination_entry {
    const char *user_id; /* NULL: unknown */
    bool by_office;
};
/* values_json: the prepared columns (see nomination_store.c); created_on:
 * today on the service clock (days since 1970). *ret_id is malloc'd. */
enum app_err nomination_store_insert(struct db *db,
                                     const char *round_id,
                                     const char *unit_id,
                                     const char *values_json,
                                     int32_t created_on,
                                     const struct nomination_entry *entry,
                                     char **ret_id);
/* PRECONDITION_FAILED when the row's version is no longer `version`. */
enum app_err
nomination_store_update(struct db *db, const char *id, int version, const char *values_json);
enum app_err nomination_store_add_transition(struct db *db,
                                             const char *id,
                                             const char *from_state,
                                             const char *to_state,
                                             const struct principal *who,
                                             const char *note,
                                             const char *on_behalf_of);
/* The sealed ID number and phone as hex (*ret_phone_hex NULL when none). */
enum app_err
nomination_store_sealed(struct db *db, const char *id, char **ret_id_hex, char **ret_phone_hex);
/* The facts of the checklist; `today` (YYYY-MM-DD) picks the programme's
 * current policy for a past holder's management period. */
enum app_err nomination_store_facts(struct db *db,
                                    const char *id,
                                    const char *today,
                                    struct nomination_facts *ret);
enum app_err nomination_store_list(struct db *db,
                                   const struct nomination_filter *f,
                                   const char *cursor,
                                   int limit,
                                   char **ret_array,
                                   char **ret_next);

#endif
