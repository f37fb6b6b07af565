/* SPDX-License-Identifier: MIT */
/*
 * The ranking's and the shortlist's store (db/migrations/0020,
 * ranking_inputs() of db/functions/09_review.sql): the inputs of the
 * ranking in one statement, and the frozen shortlist's writes. Nothing here
 * aggregates (api/model/review_rules.c does) or knows HTTP.
 */
#ifndef JIANGXIN_RANKING_STORE_H
#define JIANGXIN_RANKING_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "review_rules.h"

/* One nomination in review with its current reviews. */
struct ranking_input {
    char nomination_id[REVIEW_ID_MAX + 1];
    char *name; /* malloc'd */
    char state[24];
    int64_t submitted_us;
    struct review_result *reviews; /* malloc'd, n_reviews of them */
    size_t n_reviews;
    int skill;             /* hundredths; -1: no skill test */
    int position;          /* shortlist position; -1: none */
    char *override_reason; /* malloc'd; NULL: none */
};

/* The inputs of round `round_id` (SELECT … FROM ranking_inputs($1)). */
enum app_err ranking_store_inputs(struct db *db,
                                  const char *round_id,
                                  struct ranking_input **ret,
                                  size_t *ret_n);
void ranking_inputs_free(struct ranking_input *in, size_t n);

/* The round's shortlist as JSON text, NOT_FOUND before the freeze. */
enum app_err ranking_store_shortlist(struct db *db, const char *round_id, char **ret_json);

/* Writes the shortlist row (ranking_json: the snapshot array). CONFLICT
 * when the round has one already. */
enum app_err ranking_store_freeze(struct db *db,
                                  const char *round_id,
                                  int size,
                                  const char *ranking_json,
                                  const char *frozen_by,
                                  const char *frozen_at);
/* One entry; the database holds the cap (position 1..size). */
enum app_err ranking_store_entry(struct db *db,
                                 const char *round_id,
                                 int size,
                                 int position,
                                 const char *nomination_id,
                                 int rank,
                                 const char *override_reason);
/* Moves the round's in_review nominations: the listed ones (a JSON array
 * of ids) to shortlisted, the others to not_shortlisted, with their
 * transitions recorded for `who`. */
enum app_err ranking_store_move_nominations(struct db *db,
                                            const char *round_id,
                                            const char *ids_json,
                                            const struct principal *who,
                                            const char *at);

#endif
