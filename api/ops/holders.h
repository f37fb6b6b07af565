/* SPDX-License-Identifier: MIT */
/*
 * Holder management (issue 14): a title after it is issued. The holder's
 * record and file (业绩考评档案, 岚山 第十一条), suspension (环翠 第十六条（一）:
 * title kept, benefits stopped), and revocation cases through the approval
 * steps of the title's pinned policy (岚山 第十二条, 环翠 第十七条), whose
 * last approval revokes the title, recalls the certificate and publishes
 * a revocation notice in one transaction. No HTTP here. Every write runs in
 * the caller's open transaction and appends its audit event.
 *
 * Scope: a title exists for the actor when its programme is in the
 * actor's scope (ops/scope.h) and, for a unit user, when the unit
 * nominated its holder; otherwise 404 like an unknown id.
 */
#ifndef JIANGXIN_OPS_HOLDERS_H
#define JIANGXIN_OPS_HOLDERS_H

#include <jansson.h>

#include "ops.h"

#define HOLDER_TEXT_MAX     2000 /* notes, reasons, step notes: code points */
#define HOLDER_FACTS_MAX    4000 /* a case's facts and finding */
#define HOLDER_EVIDENCE_MAX 20   /* references per note or case */

/* GET /v1/recognitions: query filters (NULL: not applied), a page. */
struct holder_query {
    const char *programme, *status, *round_id, *unit_id;
};
enum app_err holder_list(const struct op_ctx *ctx,
                         const struct holder_query *q,
                         const char *cursor,
                         int limit,
                         char **ret_array,
                         char **ret_next,
                         struct problem *p);

/* GET /v1/recognitions/{id}: the record with its timeline. */
enum app_err holder_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p);

/* POST /v1/recognitions/{id}/notes {text, evidence?}: a note in the file. */
enum app_err holder_note_add(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p);

/* POST /v1/recognitions/{id}/suspensions {reason, effective_on, note,
 * benefits_stopped?}: the reason one of the pinned policy's
 * suspension_reasons (409 suspension_not_in_policy when it lists none,
 * 422 unknown_value otherwise), the date not after today nor before the
 * recognition; 409 title_revoked, already_suspended. benefits_stopped
 * defaults to every benefit the programme gives: the allowance where the
 * policy pays one, and the employer's benefits of 环翠 第十三条. */
enum app_err suspension_create(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p);

/* POST /v1/suspensions/{id}/lifting {lifted_on, reason}: 409
 * suspension_lifted, title_revoked; the date from the suspension's
 * effective date to today. The title is active again. */
enum app_err suspension_lift_op(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p);

/* POST /v1/recognitions/{id}/revocation-cases {reason, facts, finding?,
 * evidence?, effective_on}: the reason one of the pinned policy's
 * revocation_reasons; a finding for fraud and other; 409 title_revoked,
 * revocation_case_open. The case copies the policy's revocation_steps. */
enum app_err revocation_case_open(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p);

enum app_err
revocation_case_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p);
enum app_err revocation_case_list(const struct op_ctx *ctx,
                                  const char *state,
                                  const char *programme,
                                  json_t **ret,
                                  struct problem *p);

/* POST /v1/revocation-cases/{id}/steps {step, outcome, note, decided_on,
 * meeting_reference?, document_no?}: the next step of the case, by its
 * role (holder_rules.h); the group's steps need the meeting's reference,
 * the government's approval its document number. A rejection closes the
 * case and changes nothing else; the last approval revokes the title. */
enum app_err revocation_step_add(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p);

/* POST /v1/recognitions/{id}/assessments {year, result, notes, evidence?}
 * (岚山 第十一条; the holder's unit, or the office): a year the title owes
 * (assessment_due: the policy assesses yearly, the year is after the
 * recognition's and the title was not revoked before it; else 409
 * assessment_not_due), not after this year (422 year_in_future); a result
 * submitted or confirmed already → 409 assessment_exists; after a return,
 * a new revision. */
enum app_err assessment_submit(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p);

/* POST /v1/assessments/{id}/review {action: confirm | return, reason}
 * (office): a submitted result only (409 assessment_reviewed); a return
 * needs its reason. A confirmation that completes assessment_fail_limit
 * consecutive failed years opens a revocation case (第十二条（四）), whose
 * id the answer carries in revocation_case_id. */
enum app_err assessment_review(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p);

/* GET /v1/assessments?year=: {year, items} with each title owing the year
 * and where it stands (due, submitted, returned, confirmed, overdue). */
enum app_err assessment_list(
    const struct op_ctx *ctx, int year, const char *programme, json_t **ret, struct problem *p);

/* GET /v1/recognitions/{id}/recheck: 环翠's year-2 re-check of the title
 * (409 recheck_not_in_policy elsewhere): {status, due_from, due_until,
 * decides_from, recheck}. status: not_due, due (from the first day of
 * the policy's recheck_due_month of the period to its last), overdue
 * (after it, undecided: the months from decides_from are held, never paid
 * or cancelled silently), passed, failed. */
enum app_err recheck_get(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p);

/* POST /v1/recognitions/{id}/recheck: the unit's (or office's) application
 * (第十一条（一）–（三）) from the due month on (409 recheck_not_due), once
 * (409 recheck_filed); the checklist of 第八条（一）–（五） and its suggestion
 * computed and kept with it. */
enum app_err recheck_file(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p);

/* POST /v1/recognitions/{id}/recheck/decision {result, reason?}: the
 * office's decision (passed | failed), with a reason where it departs from
 * the suggestion (422 reason_required); 409 recheck_not_filed,
 * recheck_decided. */
enum app_err recheck_decide(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p);

#endif
