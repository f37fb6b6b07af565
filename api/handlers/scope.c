/* SPDX-License-Identifier: MIT */
/*
 * Who may see which round and which nomination, decided here once for
 * every handler that takes a round or nomination id. The role check by
 * route is in common/http.c; this is the scope check by data:
 *   - an office user sees the rounds of the programmes in their scope;
 *   - a unit user sees every round (to nominate in it) but only its own
 *     unit's nominations;
 *   - admins and auditors see all (read-only by their routes).
 * Anything out of scope answers 404 exactly like an unknown id, so an
 * answer never tells a unit that another unit's nomination exists.
 */
#include <string.h>

#include "handlers.h"
#include "store/stores.h"

enum app_err api_round_scope(struct http_call *call,
                             struct db *db,
                             const char *id,
                             bool for_update,
                             struct round_ref *ret,
                             struct problem *p)
{
    if (api_path_uuid(id, p) != APP_OK) {
        return p->err;
    }
    enum app_err err =
        scope_store_round(db, id, for_update ? SCOPE_LOCK_UPDATE : SCOPE_NO_LOCK, ret);
    if (err == APP_OK && call->who.role == ROLE_OFFICE &&
        !auth_has_programme(&call->who, ret->programme)) {
        err = APP_ERR_NOT_FOUND;
    }
    if (err == APP_ERR_NOT_FOUND) {
        problem_fail(p, err, "not_found", "评选轮次 %s 不存在", "no round %s", id);
    } else if (err != APP_OK) {
        ops_store_problem(err, p);
    }
    return err;
}

enum app_err api_nomination_scope(struct http_call *call,
                                  struct db *db,
                                  const char *id,
                                  bool for_update,
                                  struct nomination_ref *ret,
                                  struct round_ref *ret_round,
                                  struct problem *p)
{
    if (api_path_uuid(id, p) != APP_OK) {
        return p->err;
    }
    enum app_err err = scope_store_nomination(db, id, for_update, ret);
    if (err == APP_OK && call->who.role == ROLE_UNIT && strcmp(call->who.unit_id, ret->unit_id)) {
        err = APP_ERR_NOT_FOUND;
    }
    if (err == APP_OK) {
        /* A nomination that changes holds its round's phase still (FOR SHARE),
         * so a round cannot leave a phase while a move that needs it commits. */
        err = scope_store_round(db, ret->round_id, for_update ? SCOPE_LOCK_SHARE : SCOPE_NO_LOCK,
                                ret_round);
    }
    if (err == APP_OK && call->who.role == ROLE_OFFICE &&
        !auth_has_programme(&call->who, ret_round->programme)) {
        err = APP_ERR_NOT_FOUND;
    }
    if (err == APP_ERR_NOT_FOUND) {
        problem_fail(p, err, "not_found", "推荐 %s 不存在", "no nomination %s", id);
    } else if (err != APP_OK) {
        ops_store_problem(err, p);
    }
    return err;
}
