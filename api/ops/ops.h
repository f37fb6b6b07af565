/* SPDX-License-Identifier: MIT */
/*
 * What every domain operation (ops/<domain>.c) is given: the database, the
 * actor, "now" from the service's one clock and the request id. Handlers,
 * CLI subcommands and background jobs build one and call the same ops; an
 * op loads what it needs, applies the guards of model/, writes, appends the
 * audit event (ops_audit is the only writer of the audit log) and returns
 * an enum app_err with the problem filled. No HTTP here.
 */
#ifndef JIANGXIN_OPS_H
#define JIANGXIN_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app_err.h"
#include "auth.h"
#include "problem.h"
#include "store/db.h"

struct op_ctx {
    struct db *db;
    const struct principal *actor; /* role ROLE_NONE for anonymous callers */
    const char *actor_name;        /* the audit log's actor when actor has no username (jobs) */
    long long now_ms;              /* clock_now_ms() when the request began */
    int32_t today;                 /* its Asia/Shanghai civil date (days since 1970-01-01) */
    const char *request_id;        /* "" for jobs and the CLI */
    const unsigned char *pii_key;  /* CONFIG_KEY_BYTES: seals personal data; NULL if unused */
};

/* A context for a job or CLI command acting as `name` in `role`: now from
 * the clock, no request id. `who` is filled and must outlive the context. */
void ops_ctx_job(
    struct op_ctx *ret, struct db *db, struct principal *who, const char *name, enum role role);

/* Appends the audit event for the context's actor inside the open
 * transaction. before/after are representation JSON texts (or NULL). */
enum app_err ops_audit(const struct op_ctx *ctx,
                       const char *action,
                       const char *entity_type,
                       const char *entity_id,
                       const char *before,
                       const char *after);

/* A store's error as a problem: the kind alone, or 503 with Retry-After
 * when the database went away. What p held before (findings collected so
 * far) is dropped. Returns err. */
enum app_err ops_store_problem(enum app_err err, struct problem *p);

/* 500, dropping what p held. Returns APP_ERR_INTERNAL. */
enum app_err ops_internal(struct problem *p);

/* APP_OK when obj's "version" equals version; otherwise 412 stale_etag
 * naming the current ETag. The one stale-ETag refusal. */
enum app_err ops_check_version(const json_t *obj, int version, struct problem *p);

/* The keyed hash of a (checked) ID number under the PII key, as 64 hex
 * digits: the one hash of a person's ID number, for "one per round",
 * "recognised before" and experts' declared relations alike. */
void ops_id_number_hash(const struct op_ctx *ctx, const char *number, char ret[65]);

/* Seals `plain` under the PII key into out[key] as hex (the store
 * decodes it into bytea): the one sealing of personal data a store keeps,
 * for nominations' ID numbers and phones and past holders' ID numbers
 * alike. False when out of memory or the key is missing. */
bool ops_put_sealed(json_t *out, const char *key, const unsigned char *pii_key, const char *plain);

/* A store's JSON text as a new reference; NULL (logged) with 500 in p
 * when it does not parse. p may be NULL. */
json_t *ops_json(const char *text, struct problem *p);

#endif
