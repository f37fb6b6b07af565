/* SPDX-License-Identifier: MIT */
/*
 * The steps after the shortlist in the database (db/migrations/0021,
 * db/functions/11_decisions.sql): what a round has done of them, and each
 * step's write and read. Every answer is JSON text (malloc'd); nothing
 * here decides which step may come (api/model/decision_rules.c does) or
 * knows HTTP. `who` is the actor; `at` an RFC 3339 instant of the clock.
 */
#ifndef JIANGXIN_DECISION_STORE_H
#define JIANGXIN_DECISION_STORE_H

#include "auth.h"
#include "db.h"

/* round_step_facts(round): {decided, candidates, uninspected, published,
 * notice_ends_on, open_objections, ratified, approved, recognized}. */
enum app_err decision_store_facts(struct db *db, const char *round_id, char **ret);

/* The round's nominations in `state` with public fields: [{id, name, ...}]. */
enum app_err
decision_store_in_state(struct db *db, const char *round_id, const char *state, char **ret);

/* The meeting pack's per-candidate rows, the round's shortlist in order:
 * [{nomination (summary), position, rank, override_reason, eligibility,
 *   skill_test, vote, inspection}] as of `at`. */
enum app_err decision_store_pack(struct db *db, const char *round_id, const char *at, char **ret);

struct decision_write {
    const char *round_id, *step; /* "decision" | "ratification" */
    const char *meeting_date, *meeting_reference;
    const char *members_json; /* JSON array of names */
    const char *reason;       /* NULL: none */
    const char *ids_json;     /* JSON array of nomination ids, in order */
};

/* decision_record(): the decision and its entries, the moves; the decision. */
enum app_err decision_store_record(struct db *db,
                                   const struct decision_write *w,
                                   const struct principal *who,
                                   const char *at,
                                   char **ret);

/* The round's decision of `step`; APP_ERR_NOT_FOUND without one. */
enum app_err decision_store_get(struct db *db, const char *round_id, const char *step, char **ret);

/* A new revision of nomination `nom`'s 考察 findings; the inspection. */
enum app_err decision_store_inspect(struct db *db,
                                    const char *round_id,
                                    const char *nom,
                                    bool passed,
                                    const char *findings,
                                    const char *inspected_on,
                                    const struct principal *who,
                                    const char *at,
                                    char **ret);

/* The latest findings of `nom`; APP_ERR_NOT_FOUND without any. */
enum app_err decision_store_inspection(struct db *db, const char *nom, char **ret);

struct notice_write {
    const char *round_id;
    const char *ids_json;   /* the listed nominations, in order */
    const char *from_state; /* "selected" | "shortlisted" */
    const char *title, *body, *contact, *issuer;
    const char *published_on, *ends_on; /* YYYY-MM-DD */
    int workdays;
};

/* notice_publish(): the notice, the moves, the round to phase notice. */
enum app_err decision_store_publish(struct db *db,
                                    const struct notice_write *w,
                                    const struct principal *who,
                                    const char *at,
                                    char **ret);

/* A notice as the public reads it on `today` (YYYY-MM-DD); NOT_FOUND. */
enum app_err decision_store_notice(struct db *db, const char *id, const char *today, char **ret);
/* The round's notice; NOT_FOUND without one. */
enum app_err
decision_store_round_notice(struct db *db, const char *round_id, const char *today, char **ret);
/* Every notice, newest first, optionally of one programme (code or NULL). */
enum app_err
decision_store_notices(struct db *db, const char *programme, const char *today, char **ret);

/* The district government's approval of the round. */
enum app_err decision_store_approve(struct db *db,
                                    const char *round_id,
                                    const char *document_no,
                                    const char *approved_on,
                                    const struct principal *who,
                                    const char *at,
                                    char **ret);
enum app_err decision_store_approval(struct db *db, const char *round_id, char **ret);

/* recognition_candidates(): the ids to recognise, a JSON array. */
enum app_err decision_store_candidates(struct db *db, const char *round_id, char **ret);

/* Takes n numbers of the sequence of certificate `prefix` for `year`; the
 * first. The sequence row stays locked until the transaction ends. */
enum app_err
decision_store_take_seq(struct db *db, const char *prefix, int year, int n, long long *ret_first);

struct recognition_write {
    const char *round_id;
    const char *ids_json;     /* the candidates, in order */
    const char *numbers_json; /* their certificate numbers */
    long long first_seq;
    int year;
    const char *title, *recognized_on;
};

/* recognitions_issue(): the recognitions (a JSON array). */
enum app_err decision_store_issue(struct db *db,
                                  const struct recognition_write *w,
                                  const struct principal *who,
                                  const char *at,
                                  char **ret);

/* The round's recognitions, by certificate sequence. */
enum app_err decision_store_recognitions(struct db *db, const char *round_id, char **ret);

/* A recognition by id (office view); NOT_FOUND. */
enum app_err decision_store_recognition(struct db *db, const char *id, char **ret);

/* The public certificate for `number` when `code` is its verification
 * code; NOT_FOUND alike for an unknown number and a wrong code. */
enum app_err
decision_store_certificate(struct db *db, const char *number, const char *code, char **ret);

#endif
