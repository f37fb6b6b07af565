/* SPDX-License-Identifier: MIT */
/*
 * Schema migrations: db/migrations/NNNN_<verb>_<object>.sql, applied in
 * order, each in its own transaction, under an advisory lock, recorded with
 * a SHA-256 checksum in schema_migrations. Running it twice changes nothing;
 * an applied file whose content changed is refused (migrations are never
 * edited once landed).
 */
#ifndef JIANGXIN_MIGRATE_H
#define JIANGXIN_MIGRATE_H

#include <stdio.h>

#include "app_err.h"

/* Applies what is missing; reports each step on `out`. *ret_applied counts
 * the files applied now. */
enum app_err migrate_run(const char *conninfo, const char *dir, FILE *out, int *ret_applied);

#endif
