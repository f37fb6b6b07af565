/* SPDX-License-Identifier: MIT */
/*
 * Small helpers the domain operations share: a store's JSON text as an
 * object, the optimistic-concurrency check on a row's "version", and
 * whether a problem already names a member (so value checks that run
 * after the body's shape check report each member once).
 */
#ifndef JIANGXIN_OPS_HELPERS_H
#define JIANGXIN_OPS_HELPERS_H

#include <stdbool.h>

#include <jansson.h>

#include "problem.h"

/* A store's JSON text as a new object; NULL with a 500 in p. */
json_t *ops_parse(const char *text, struct problem *p);

/* APP_OK when obj's "version" equals version; otherwise 412 stale_etag
 * naming the current ETag. */
enum app_err ops_check_version(const json_t *obj, int version, struct problem *p);

/* True when p already has an errors[] item for `pointer`. */
bool ops_has_error(const struct problem *p, const char *pointer);

#endif
