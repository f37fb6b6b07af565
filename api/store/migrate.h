/* SPDX-License-Identifier: MIT */
/*
 * Schema migrations and SQL functions. db/migrations/NNNN_<verb>_<object>.sql
 * hold tables, types and constraints: applied once each, in order, recorded
 * with a SHA-256 checksum in schema_migrations; an applied file whose
 * content changed is refused (migrations are never edited once landed).
 * db/functions/NN_<domain>.sql hold the current definition of every SQL
 * function and view (CREATE OR REPLACE): after the migrations, a file is
 * applied again when its checksum differs from the one recorded in
 * schema_functions, and every file is when a migration was applied in the
 * same run (it may have dropped what a file defines). Everything happens in
 * one transaction under an advisory lock: a file that fails rolls the whole
 * run back. Running it twice changes nothing.
 */
#ifndef JIANGXIN_MIGRATE_H
#define JIANGXIN_MIGRATE_H

#include <stdio.h>

#include "app_err.h"

/* Applies what is missing or changed from `dir` (the migrations) and from
 * the directory `functions` beside it; reports each step on `out`.
 * *ret_applied counts the files applied now, of both kinds. */
enum app_err migrate_run(const char *conninfo, const char *dir, FILE *out, int *ret_applied);

#endif
