/* SPDX-License-Identifier: MIT */
/*
 * Who may see which round and which nomination, decided here once for
 * every operation that takes a round or nomination id (the role check by
 * route is in common/http.c; this is the scope check by data):
 *   - an office user sees the rounds of the programmes in their scope;
 *   - a unit user sees every round (to nominate in it) but only its own
 *     unit's nominations;
 *   - a leader reads the rounds of the programmes in their scope, and all
 *     programmes when given none (read-only by their routes);
 *   - admins and auditors see all (read-only by their routes).
 * Anything out of scope answers 404 exactly like an unknown id, so an
 * answer never tells a unit that another unit's nomination exists.
 */
#ifndef JIANGXIN_OPS_SCOPE_H
#define JIANGXIN_OPS_SCOPE_H

#include <stdbool.h>

#include "ops.h"
#include "store/scope_store.h"

/* Checks the id (400 not_uuid), loads the row (optionally locked, inside
 * the caller's transaction) and answers 404 when it does not exist or is
 * outside the actor's scope. */
enum app_err ops_round_scope(const struct op_ctx *ctx,
                             const char *id,
                             bool for_update,
                             struct round_ref *ret,
                             struct problem *p);
/* The same for a nomination; also fills its round (FOR SHARE when
 * for_update: a round cannot leave a phase while a move that needs it
 * commits). */
enum app_err ops_nomination_scope(const struct op_ctx *ctx,
                                  const char *id,
                                  bool for_update,
                                  struct nomination_ref *ret,
                                  struct round_ref *ret_round,
                                  struct problem *p);

/* Whether programme `code` is in the actor's scope: an office user's
 * programmes; a leader's programmes, or all when given none; all for
 * every other role (their routes and unit scope limit them). */
bool ops_programme_in_scope(const struct principal *who, const char *code);

/* Whether the actor's reads are limited to its own programmes (the rule
 * of ops_programme_in_scope): an office user always, a leader when given
 * any; no other role. */
bool ops_programme_scoped(const struct principal *who);

/* The programmes that limit what the actor sees and changes (the rule of
 * ops_programme_scoped): for an office user or a scoped leader its
 * programme codes as a JSON array text (malloc'd), for any other actor
 * NULL (no limit by programme). What the stores take as a scope list. */
enum app_err ops_scope_codes(const struct op_ctx *ctx, char **ret_codes, struct problem *p);

/* A canonical (lower-case) UUID path id, else 400 not_uuid. */
enum app_err ops_check_uuid(const char *id, struct problem *p);

#endif
