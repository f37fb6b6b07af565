/* SPDX-License-Identifier: MIT */
/*
 * The objections' store (objections and notices of db/migrations/0021;
 * representations in db/functions/12_objections.sql). JSON-returning
 * functions give malloc'd text; NOT_FOUND when there is no such row.
 * Nothing here decides what may happen (api/ops/objections.c does) or
 * knows HTTP.
 */
#ifndef JIANGXIN_OBJECTION_STORE_H
#define JIANGXIN_OBJECTION_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "enums.h"

#define OBJECTION_TRACKING_LEN 16 /* YY-2027-XXXXXXXX */

/* A notice and, when asked for one, an entry of it (number 1..n). */
struct notice_ref {
    char id[40];
    char round_id[40];
    int32_t ends_on; /* the last day of the notice (days since 1970-01-01) */
    int entries;     /* how many entries it lists */
    bool has_entry;  /* the entry asked for exists */
    char nomination_id[40];
    enum nomination_state state; /* the entry's nomination's, now */
};
/* Notice `id` and its entry `entry` (0: none asked). */
enum app_err
objection_store_notice(struct db *db, const char *id, int entry, struct notice_ref *ret);

/* What an objection is received with. contact_sealed_hex and
 * contact_masked are both NULL or both set. */
struct objection_new {
    const char *notice_id;
    const char *nomination_id;
    const char *tracking_number;
    const char *code_hash; /* 64 hex digits */
    const char *text;
    const char *contact_sealed_hex;
    const char *contact_masked;
    const char *received_at; /* RFC 3339, the service clock */
};
/* Inserts it. APP_ERR_CONFLICT when the tracking number is taken (nothing
 * written: draw another); else its id, received_at as the API renders it
 * (RFC3339_TEXT_MAX) and its audit form (malloc'd). */
enum app_err objection_store_insert(struct db *db,
                                    const struct objection_new *o,
                                    char ret_id[40],
                                    char *ret_received_at,
                                    char **ret_audit);

/* The code hash and the public status form of the objection with this
 * tracking number. */
enum app_err objection_store_status(struct db *db,
                                    const char *tracking_number,
                                    char ret_code_hash[65],
                                    char **ret_json);

/* {notice_id, items: [office form…]} in the order received. */
enum app_err objection_store_list(struct db *db, const char *notice_id, char **ret_json);

/* The round of objection `id`'s notice (no lock). */
enum app_err objection_store_round_of(struct db *db, const char *id, char ret_round_id[40]);

/* Objection `id` locked for the caller's transaction. */
struct objection_row {
    char id[40];
    char nomination_id[40];
    char state[16];
    int version;
    enum nomination_state nomination_state;
    char *json;  /* office form, malloc'd */
    char *audit; /* audit form, malloc'd */
};
enum app_err objection_store_lock(struct db *db, const char *id, struct objection_row *ret);
void objection_row_free(struct objection_row *o);

/* Moves it to `state` (findings and decided_at NULL for investigating),
 * if still at `version`: APP_ERR_CONFLICT when it moved meanwhile. The
 * office form and the audit form after, malloc'd. */
enum app_err objection_store_decide(struct db *db,
                                    const char *id,
                                    int version,
                                    const char *state,
                                    const char *findings,
                                    const char *decided_by,
                                    const char *decided_at,
                                    char **ret_json,
                                    char **ret_audit);

/* The upheld objection's nomination leaves the list: final_notice →
 * objection_upheld, recorded as `who`'s with `note`
 * (nominations_move of db/functions/11_decisions.sql). *ret_moved: 0 or 1. */
enum app_err objection_store_withdraw(struct db *db,
                                      const char *round_id,
                                      const char *nomination_id,
                                      const struct principal *who,
                                      const char *note,
                                      const char *at,
                                      int *ret_moved);

#endif
