/* SPDX-License-Identifier: MIT */
/*
 * The public vote of a round as operations without HTTP: open a session,
 * read it and its results, take a tally from jiangxin-vote, record a push
 * attempt. Each loads what it needs, applies api/model/vote_rules.h,
 * writes and appends its audit event; handlers (handlers/vote_*.c) and the
 * push job (vote_push.c) call them alike.
 */
#ifndef JIANGXIN_OPS_VOTE_SESSIONS_H
#define JIANGXIN_OPS_VOTE_SESSIONS_H

#include <jansson.h>

#include "ops.h"
#include "store/scope_store.h"
#include "vote_rules.h"

struct round_ref;
struct vote_log_count; /* store/vote_session_store.h */

/*
 * Opens `round`'s vote session from a checked draft: the round's policy
 * version must hold a public vote, the round must be in phase review and
 * have no session yet (409 each), the nominees must be candidates of the
 * round and exactly as many as the policy names (422). Runs inside the
 * caller's open transaction, the round row locked by the caller (it
 * serialises session creation and holds the phase); the audit event
 * vote_session.create is appended; the caller commits. *ret_session: the
 * representation (a new reference), before any push.
 */
enum app_err vote_session_create(const struct op_ctx *ctx,
                                 const struct round_ref *round,
                                 const struct vote_session_draft *in,
                                 json_t **ret_session,
                                 struct problem *p);

/* The representation of session `id` (a new reference); 404 not_found. */
enum app_err
vote_session_load(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p);

/* The representation of `round`'s session; 404 no_vote_session. */
enum app_err vote_session_of_round(const struct op_ctx *ctx,
                                   const struct round_ref *round,
                                   json_t **ret,
                                   struct problem *p);

/*
 * What a tally post (t) or a verification (t NULL) needs before any
 * transaction: 404 not_found; for a tally its counts (422), the close and
 * the sequence bound (409, vote_rules_tally_timing); for a verification a
 * closed vote (409 vote_not_closed). *ret_needs_log: the caller should
 * fetch and recount the sealed log first (a final for a session not final
 * yet and not recounted, or any verification). *ret_nominee_ids: the
 * session's nominee ids (a new reference).
 */
enum app_err vote_session_log_target(const struct op_ctx *ctx,
                                     const char *id,
                                     const struct vote_tally_post *t,
                                     json_t **ret_nominee_ids,
                                     bool *ret_needs_log,
                                     struct problem *p);

/*
 * Takes a checked tally for session `id` in a transaction of its own (the
 * row locked): the checks of vote_session_log_target again, then
 * - not final: a higher sequence than the stored one replaces the tally
 *   unless it is final already (audit event vote_session.tally), anything
 *   else changes nothing;
 * - final, the session not final yet: `fetched` (the caller's recount of
 *   the sealed log, or NULL) is stored unless one is; a final that agrees
 *   with the recount is frozen whatever the stored live sequence
 *   (vote_session.tally, integrity agreed); one that disagrees is kept as
 *   the last final, counted, disputes the result (vote_session.final_refused)
 *   and is answered 409 tally_log_mismatch; without a recount it is kept
 *   (vote_session.final_unverified) and answered 503 vote_log_unavailable.
 * *ret_ack: {applied, session_id, sequence, final} with the stored sequence
 * (a new reference).
 */
enum app_err vote_session_post_tally(const struct op_ctx *ctx,
                                     const char *id,
                                     const struct vote_tally_post *t,
                                     const struct vote_log_count *fetched,
                                     json_t **ret_ack,
                                     struct problem *p);

/*
 * An admin's re-verification with a fresh recount of the sealed log, in a
 * transaction of its own: stores the recount; a stored final that agrees
 * → integrity agreed, one that does not → disputed (with the reason); no
 * final yet: the last final posted is frozen when it agrees, else the
 * result is disputed; nothing posted: pending. Audit event
 * vote_session.verify. *ret_session: the session (with its integrity).
 */
enum app_err vote_session_verify(const struct op_ctx *ctx,
                                 const char *id,
                                 const struct vote_log_count *log,
                                 json_t **ret_session,
                                 struct problem *p);

/*
 * An admin's resolution: the stored recount of the log becomes the frozen
 * final (integrity agreed, reason resolved_from_log, the admin and `note`
 * kept; audit event vote_session.resolve). 409 log_not_verified without a
 * recount, 409 integrity_agreed when there is nothing to resolve.
 */
enum app_err vote_session_resolve(const struct op_ctx *ctx,
                                  const char *id,
                                  const char *note,
                                  json_t **ret_session,
                                  struct problem *p);

/* `round`'s results (a new reference) when the context's actor may see
 * them now (vote_rules_results_access); 404 no_vote_session. `state` is the
 * one the access was decided by. */
enum app_err vote_session_results(const struct op_ctx *ctx,
                                  const struct round_ref *round,
                                  json_t **ret,
                                  struct problem *p);

/*
 * Records one push attempt of session `id` in a transaction of its own:
 * `body` is the push body as sent; error NULL = jiangxin-vote took it
 * (state pushed unless the session changed since `body` was read; audit event
 * vote_session.push by the context's actor), else the reason (a status and
 * problem type, never personal data) and the next attempt after a backoff.
 * NOT_FOUND when the session is no longer pending (another attempt
 * recorded its success first). For the push job, with a context from
 * ops_ctx_job(…, API_ISSUER, ROLE_SERVICE).
 */
enum app_err vote_session_record_push(const struct op_ctx *ctx,
                                      const char *id,
                                      const char *body,
                                      const char *error,
                                      struct problem *p);

#define VOTE_SESSION_ID_MAX 40 /* a uuid + NUL, with room */

/*
 * A nomination left the vote candidates (disqualified, withdrawn) inside
 * the caller's open transaction: when its round's session lists it, the
 * nominee is marked withdrawn there and the session becomes pending for a
 * push (audit event vote_session.withdraw_nominee), and ret_session_id (may
 * be NULL) gets the session's id for the caller to push after commit;
 * otherwise nothing changes and ret_session_id is left alone. The voting
 * service then refuses new votes for the nominee and keeps the earlier ones.
 */
enum app_err vote_session_withdraw_nominee(const struct op_ctx *ctx,
                                           const char *nomination_id,
                                           char ret_session_id[VOTE_SESSION_ID_MAX],
                                           struct problem *p);

#endif
