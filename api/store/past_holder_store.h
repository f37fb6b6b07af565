/* SPDX-License-Identifier: MIT */
/*
 * The store of past holders (db/migrations/0023): holders recognised
 * before this system, imported by the office, read by the repeat rules
 * (nomination_store_facts). Rows are only appended. JSON texts are
 * malloc'd; nothing here returns a PGresult or knows HTTP.
 */
#ifndef JIANGXIN_PAST_HOLDER_STORE_H
#define JIANGXIN_PAST_HOLDER_STORE_H

#include "db.h"

/*
 * Imports `rows_json` (a JSON array of checked, sealed rows: {i, name,
 * id_number_sealed (hex), id_number_hash, id_number_masked, year,
 * certificate_number, document_no, recognized_on}) into programme `code`
 * as `actor_id` at `at` (RFC 3339). *ret_json: {"imported", "unchanged",
 * "conflicts": [i, ...]} (past_holders_import of
 * db/functions/13_past_holders.sql); the caller rolls back on conflicts.
 */
enum app_err past_holder_store_import(struct db *db,
                                      const char *code,
                                      const char *rows_json,
                                      const char *actor_id,
                                      const char *at,
                                      char **ret_json);

/* One page of programme `code`'s past holders by certificate number
 * (the cursor: the last number of the page before). */
enum app_err past_holder_store_list(struct db *db,
                                    const char *code,
                                    const char *cursor,
                                    int limit,
                                    char **ret_array,
                                    char **ret_next);

#endif
