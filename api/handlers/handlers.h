/* SPDX-License-Identifier: MIT */
/*
 * Every API handler (named <resource>_<action>, equal to its openapi
 * operationId) and the helpers they share: database access with 503,
 * parsing store JSON, audit events, ETags, Idempotency-Key handling.
 */
#ifndef JIANGXIN_API_HANDLERS_H
#define JIANGXIN_API_HANDLERS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "http.h"
#include "ops/ops.h"
#include "store/db.h"

struct round_ref;
struct nomination_ref;

/* Every handler of api/routes.def. */
#pragma push_macro("ROUTE")
#undef ROUTE
#define ROUTE(method, path, handler, roles, flags) route_handler_fn handler;
#include "routes.def"
#include "store/scope_store.h"
#pragma pop_macro("ROUTE")

/* The calling thread's database, or NULL with a 503 problem in p. */
struct db *api_db(struct problem *p);

/* Parses JSON text from a store into a new object; NULL (500) on failure. */
json_t *api_parse(const char *text, struct problem *p);

/* Replies with a resource object, its ETag taken from its "version". */
void api_reply_resource(struct http_call *call, unsigned status, const json_t *obj);

/* The op context of this request: the caller, now from the clock, the
 * request id (ops/ops.h). */
void api_op_ctx(const struct http_call *call, struct db *db, struct op_ctx *ret);

/* Appends an audit event for the caller inside the open transaction
 * (ops_audit with the request's context). before/after are representation
 * JSON texts (or NULL). */
enum app_err api_audit(struct http_call *call,
                       struct db *db,
                       const char *action,
                       const char *entity_type,
                       const char *entity_id,
                       const char *before,
                       const char *after);

/* The shape of a programme code (as the CHECK in 0001_create_core.sql). */
bool api_programme_code_valid(const char *code);

/* APP_OK for a valid programme code path parameter; otherwise a 400
 * (bad_programme_code) in p. */
enum app_err api_programme_code_ok(const char *code, struct problem *p);

/* A decimal integer parameter lo..hi (no sign games, no trailing text). */
bool api_parse_long(const char *s, long lo, long hi, long *ret);

/* True for a canonical (lower-case) 8-4-4-4-12 UUID text (model/uuid.h). */
bool api_is_uuid(const char *s);

/* APP_OK for a UUID path parameter; otherwise a 400 (not_uuid) in p. */
enum app_err api_path_uuid(const char *id, struct problem *p);

/* True when every element of the array is a string and no two are equal. */
bool api_distinct_strings(const json_t *array);

/* APP_ERR_PRECONDITION_FAILED (in p) unless obj's "version" equals version. */
enum app_err api_check_version(const json_t *obj, int version, struct problem *p);

/*
 * Scope checks (handlers/scope.c). Each validates the path id (400), loads
 * the row (optionally FOR UPDATE, inside the caller's transaction) and
 * answers NOT_FOUND (in p) when it does not exist or is outside the
 * caller's scope: an office user's programmes, a unit user's own unit.
 * api_nomination_scope also fills the nomination's round.
 */
enum app_err api_round_scope(struct http_call *call,
                             struct db *db,
                             const char *id,
                             bool for_update,
                             struct round_ref *ret,
                             struct problem *p);
enum app_err api_nomination_scope(struct http_call *call,
                                  struct db *db,
                                  const char *id,
                                  bool for_update,
                                  struct nomination_ref *ret,
                                  struct round_ref *ret_round,
                                  struct problem *p);

/* Streams evidence file `id` of a nomination whose scope the caller
 * checked (handlers/attachments.c): 400 not_uuid, 404 not_found. */
enum app_err api_attachment_send(struct http_call *call,
                                 struct db *db,
                                 const char *nomination_id,
                                 const char *id,
                                 struct problem *p);

/* One request of the client's address (the peer, or X-Forwarded-For from
 * a trusted proxy) from the public rate limit's bucket of `scope`
 * (ops/public_limit.h): before the request's transaction; 429 when full. */
enum app_err api_public_limit(struct http_call *call,
                              const struct op_ctx *ctx,
                              const char *scope,
                              long capacity,
                              long window_seconds,
                              struct problem *p);

/* An op that looks up a public record by its number and secret code. */
typedef enum app_err api_lookup_fn(const struct op_ctx *ctx,
                                   const char *number,
                                   const char *code,
                                   json_t **ret,
                                   struct problem *p);

/* A public lookup (a certificate, an objection) by the path's `param` and
 * the query's `code`: one request from the rate limit of `scope`
 * (api_public_limit) before anything is looked up, so a wrong guess costs
 * as much as a right one; then `op`, and 200 with its object (with
 * `cache_control` unless NULL). Returns p->err. */
enum app_err api_reply_lookup(struct http_call *call,
                              const char *scope,
                              long capacity,
                              long window_seconds,
                              const char *param,
                              api_lookup_fn *op,
                              const char *cache_control,
                              struct problem *p);

/* Idempotency-Key handling for creating POSTs. */
struct idem_state {
    bool active;
    bool replayed; /* the stored answer was sent: the handler stops */
    char key[256];
    char hash[65];
};

/* Call before the change. APP_OK to go on, or APP_OK with st->replayed
 * when the stored answer was sent here (the handler stops, returning
 * APP_OK); otherwise a refusal in p (a bad or reused key, a store error).
 * Callers: `api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed`. */
enum app_err
api_idem_begin(struct http_call *call, struct db *db, struct idem_state *st, struct problem *p);
/* The end of every list: err is the store's answer for one page, *array
 * (a JSON array text) and *next (the next cursor or NULL) what it wrote;
 * both are freed here. Replies the page with its Link, or the store's
 * problem. Pointers, so that a call may pass the store call itself as err:
 * the texts are read after it returned. Returns p->err. */
enum app_err api_reply_page(
    struct http_call *call, enum app_err err, char **array, char **next, struct problem *p);

/* The start of a list read: the database, the page parameters (limit,
 * cursor) and the op context. Returns p->err (APP_OK to go on). */
enum app_err api_list_begin(
    struct http_call *call, struct op_ctx *ctx, int *limit, const char **cursor, struct problem *p);

/* The end of every read of one resource: err is the store's answer, *text
 * its representation (freed here). Replies 200 with the ETag from its
 * "version", or the store's problem. Returns p->err. */
enum app_err
api_reply_stored(struct http_call *call, enum app_err err, char **text, struct problem *p);

/* A read of one resource through an op that takes the path's {id}: the op
 * answers an object (api_reply_read) or JSON text (api_reply_read_text);
 * replies 200 with its ETag, or the op's problem. Returns p->err. */
enum app_err
api_reply_read(struct http_call *call,
               enum app_err (*op)(const struct op_ctx *, const char *, json_t **, struct problem *),
               struct problem *p);
enum app_err api_reply_read_text(
    struct http_call *call,
    enum app_err (*op)(const struct op_ctx *, const char *, char **, struct problem *),
    struct problem *p);

/* The end of every write with an Idempotency-Key: records the answer for
 * the key in the open transaction, commits, and replies `status` with the
 * resource (its ETag from "version") and, unless `location` is NULL, its
 * Location. A failure is in p (a lost database 503). Returns p->err. */
enum app_err api_reply_saved(struct http_call *call,
                             struct db *db,
                             const struct idem_state *idem,
                             unsigned status,
                             const json_t *obj,
                             const char *location,
                             struct problem *p);

/* The end of every creating POST: api_reply_saved with 201. */
enum app_err api_reply_created(struct http_call *call,
                               struct db *db,
                               const struct idem_state *idem,
                               const json_t *obj,
                               const char *location,
                               struct problem *p);

/* An op that writes the resource `id` (the path's {id}) from `body` in
 * the caller's open transaction; *ret the resource to answer with. */
typedef enum app_err api_write_fn(
    const struct op_ctx *ctx, const char *id, const json_t *body, json_t **ret, struct problem *p);

/* A write through `op` on the path's {id} with the request's body: the
 * Idempotency-Key (a replay is answered there), one transaction around
 * the op, then api_reply_saved with `status` and no Location. Returns
 * p->err. */
enum app_err
api_reply_write(struct http_call *call, api_write_fn *op, unsigned status, struct problem *p);

/* Records the answer in the open transaction (no-op when no key was sent). */
enum app_err api_idem_save(struct http_call *call,
                           struct db *db,
                           const struct idem_state *st,
                           unsigned status,
                           const json_t *body,
                           const char *location);

/*
 * Uploaded files (handlers/attachments.c), shared by the evidence files and
 * the skill test's score sheets: the checks of the query's filename and the
 * bytes (PDF, JPEG or PNG by their leading bytes, agreeing with
 * Content-Type), the bytes sealed under the PII key with their SHA-256
 * (*ret_sealed to free; ret->kind is the query's `kind`), and the reply of
 * a stored file (opened, with its ETag and Content-Disposition).
 */
struct attachment_new;
struct attachment_content;
enum app_err api_upload_ok(struct http_call *call, const char **ret_media_type, struct problem *p);
enum app_err api_upload_seal(const struct http_call *call,
                             const char *media_type,
                             char sha256[65],
                             unsigned char **ret_sealed,
                             struct attachment_new *ret,
                             struct problem *p);
enum app_err api_reply_file(struct http_call *call,
                            const struct attachment_content *c,
                            const char *id,
                            struct problem *p);

#endif
