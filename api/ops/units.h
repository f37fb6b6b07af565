/* SPDX-License-Identifier: MIT */
/*
 * Recommending units (推荐单位): the checks of a unit's fields, and adding
 * or changing a unit with its audit event. No HTTP here; the caller holds
 * the transaction open and commits.
 */
#ifndef JIANGXIN_OPS_UNITS_H
#define JIANGXIN_OPS_UNITS_H

#include "ops.h"

/* A unit's fields as given; NULL = not given (kept by an update). */
struct unit_input {
    const char *code; /* 统一社会信用代码, upper case */
    const char *name;
    const char *kind; /* unit_kind value */
};

/* Checks every given value (the code's GB 32100 shape and check
 * character, the kind) and adds one errors[] item per fault to p, leaving
 * out members p already names. Returns p->err. No I/O. */
enum app_err unit_input_check(const struct unit_input *in, struct problem *p);

/* The code's GB 32100 faults (length, character, check character, lower
 * case) as an errors[] item at `pointer`: a unit's /code, a nomination's
 * /employer/code. Nothing when the code is sound. */
void unit_code_problem(const char *code, const char *pointer, struct problem *p);

/* unknown_unit_kind at `pointer` unless `kind` is a unit_kinds value. */
void unit_kind_problem(const char *kind, const char *pointer, struct problem *p);

/* Adds a unit (all three fields, checked) and audits it; *ret_json is its
 * representation (malloc'd). 409 duplicate_unit_code when the code exists. */
enum app_err unit_create(const struct op_ctx *ctx,
                         const struct unit_input *in,
                         char **ret_json,
                         struct problem *p);

/* Changes the given fields of unit `id` (checked) if its version is still
 * `version` (412 stale_etag otherwise) and audits it. */
enum app_err unit_update(const struct op_ctx *ctx,
                         const char *id,
                         int version,
                         const struct unit_input *in,
                         char **ret_json,
                         struct problem *p);

#endif
