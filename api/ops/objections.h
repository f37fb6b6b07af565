/* SPDX-License-Identifier: MIT */
/*
 * Objections (异议) to a round's final public notice (公示; 岚山 第五条（六）
 * "接受全区职工群众的监督", 环翠 第十条（五）): anyone files one against an
 * entry of the notice until 24:00 (Asia/Shanghai) of its last day; the
 * objector follows it with the tracking number and the secret code of the
 * reply, no account; the office investigates and decides, and an upheld
 * objection takes the candidate off the list (objection_upheld). The text
 * and the contact are never public. No HTTP here; rate limits are
 * ops/public_limit.h's, taken by the handler before these run.
 */
#ifndef JIANGXIN_OPS_OBJECTIONS_H
#define JIANGXIN_OPS_OBJECTIONS_H

#include <jansson.h>

#include "ops.h"

#define OBJECTION_TEXT_MIN     10   /* code points */
#define OBJECTION_TEXT_MAX     2000 /* code points (objections.body) */
#define OBJECTION_CONTACT_MAX  100  /* code points */
#define OBJECTION_FINDINGS_MAX 2000 /* code points (objections.findings) */
#define OBJECTION_CODE_LEN     10   /* the secret code: 10 of 32 letters, 50 bits */

/* POST /v1/notices/{id}/objections: body {entry, text, contact?}, in the
 * caller's open transaction. 404 not_found (unknown notice), 400/422 bad
 * body or entry (no_such_entry), 409 not-open notice_ended (after the last
 * day by the service clock, or the round concluded), 409 entry_withdrawn
 * (the entry's candidate has left the list). Seals and masks the contact,
 * stores a keyed hash of the code, appends objection.create (ids and
 * state only). *ret: {tracking_number, code, state, received_at}; the code
 * is in no other answer, ever. */
enum app_err objection_create(const struct op_ctx *ctx,
                              const char *notice_id,
                              const json_t *body,
                              json_t **ret,
                              struct problem *p);

/* GET /v1/objections/{tracking_number}?code=: the public status form,
 * or 404 not_found with one body for an unknown number, a malformed one
 * and a wrong code alike (the hash compared in constant time); 400
 * code_required when no code is given at all (code NULL). */
enum app_err objection_status(const struct op_ctx *ctx,
                              const char *tracking_number,
                              const char *code,
                              json_t **ret,
                              struct problem *p);

/* GET /v1/notices/{id}/objections: {notice_id, items} with the text and
 * the masked contact, for the office and leaders of the notice's
 * programme (404 outside it, as an unknown notice). */
enum app_err
objection_list(const struct op_ctx *ctx, const char *notice_id, json_t **ret, struct problem *p);

/* POST /v1/objections/{id}/transitions: body {to, findings?}, in the
 * caller's open transaction; if_match the caller's If-Match version, or
 * -1. received → investigating; received | investigating → upheld |
 * dismissed, with findings (1..2000). Upheld moves the nomination
 * final_notice → objection_upheld with the findings as its note. 409
 * objection_move_not_allowed, round_concluded (read-only) or
 * round_not_in_notice; 412 stale_etag. Appends objection.transition. */
enum app_err objection_transition(const struct op_ctx *ctx,
                                  const char *id,
                                  int if_match,
                                  const json_t *body,
                                  json_t **ret,
                                  struct problem *p);

#endif
