/* SPDX-License-Identifier: MIT */
/*
 * The holders' store (recognitions after issue; db/migrations/0022,
 * representations and one-transaction steps in db/functions/13_holders.sql).
 * JSON-returning functions give malloc'd text; NOT_FOUND when there is no
 * such row. Nothing here decides what may happen (api/ops/holders.c does).
 */
#ifndef JIANGXIN_HOLDER_STORE_H
#define JIANGXIN_HOLDER_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"

/* A title as the rules need it. */
struct holder_ref {
    char id[40];
    char round_id[40];
    char unit_id[40];
    char programme[AUTH_CODE_MAX];
    char status[16];        /* active | suspended | revoked */
    int32_t recognized_on;  /* days since 1970-01-01 */
    char suspension_id[40]; /* the open suspension, "" for none */
    char case_id[40];       /* the open revocation case, "" for none */
    char holder_name[152];  /* 50 code points */
    char certificate_number[48];
    char title[304];    /* 100 code points of up to 3 bytes */
    char employer[604]; /* 200 code points */
};
/* Recognition `id`, locked FOR UPDATE when `lock` (a write waits for it). */
enum app_err holder_store_ref(struct db *db, const char *id, bool lock, struct holder_ref *ret);

/* The holder record with its timeline. */
enum app_err holder_store_get(struct db *db, const char *id, char **ret);

/* Filters of the list; NULL members are not applied. `programmes`: a JSON
 * array text of the codes the actor may read (NULL: all). */
struct holder_filter {
    const char *programme, *status, *round_id, *unit_id, *programmes;
};
/* One page in certificate number order after `cursor` (a certificate number). */
enum app_err holder_store_list(struct db *db,
                               const struct holder_filter *f,
                               const char *cursor,
                               int limit,
                               char **ret_array,
                               char **ret_next);

/* A note in the holder's file; evidence a JSON array text. */
enum app_err holder_store_note(struct db *db,
                               const char *recognition_id,
                               const char *text,
                               const char *evidence_json,
                               const struct principal *who,
                               const char *at,
                               char **ret);

/* Records a suspension; benefits a JSON array text of codes. */
struct suspension_write {
    const char *recognition_id, *reason, *effective_on, *note, *benefits_json;
};
enum app_err holder_store_suspend(struct db *db,
                                  const struct suspension_write *w,
                                  const struct principal *who,
                                  const char *at,
                                  char **ret);

/* Suspension `id`, locked: its title and dates. */
struct suspension_ref {
    char id[40];
    char recognition_id[40];
    int32_t effective_on;
    bool lifted;
};
enum app_err holder_store_suspension(struct db *db, const char *id, struct suspension_ref *ret);
enum app_err holder_store_lift(struct db *db,
                               const char *id,
                               const char *lifted_on,
                               const char *reason,
                               const struct principal *who,
                               const char *at,
                               char **ret);

/* Opens a revocation case; steps and evidence JSON array texts. */
struct case_write {
    const char *recognition_id, *reason, *facts, *finding, *evidence_json, *effective_on,
        *steps_json;
};
enum app_err holder_store_case_open(struct db *db,
                                    const struct case_write *w,
                                    const struct principal *who,
                                    const char *at,
                                    char **ret);

/* Case `id`, locked FOR UPDATE when `lock`: its title, state, steps (a
 * JSON array text, malloc'd) and how many are recorded. */
struct case_ref {
    char id[40];
    char recognition_id[40];
    char state[16];
    char reason[64];
    char effective_on[11];
    char *steps_json;
    int done;
    int version;
};
enum app_err holder_store_case(struct db *db, const char *id, bool lock, struct case_ref *ret);
void case_ref_free(struct case_ref *c);
enum app_err holder_store_case_get(struct db *db, const char *id, char **ret);
/* Cases, newest first: state and programme filters, the actor's programmes. */
enum app_err holder_store_cases(
    struct db *db, const char *state, const char *programme, const char *programmes, char **ret);

/* Records a step (revocation_step_record); `last` approves the case. */
struct step_write {
    const char *case_id, *step, *outcome, *note, *decided_on, *meeting_reference, *document_no;
    int position;
    bool last;
    const char *notice_title, *notice_body, *notice_issuer;
};
enum app_err holder_store_step(struct db *db,
                               const struct step_write *w,
                               const struct principal *who,
                               const char *at,
                               char **ret);

#endif
