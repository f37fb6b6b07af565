/* SPDX-License-Identifier: MIT */
/*
 * The public routes' leaky buckets (public_limit_store.h). The take is one
 * INSERT … ON CONFLICT DO UPDATE … WHERE: the row lock makes concurrent
 * takes of one bucket queue, so a burst cannot overfill it.
 */
#include "public_limit_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "db_internal.h"

const struct db_statement public_limit_store_statements[] = {
    /* $1 the key, $2 the capacity, $3 the window (s): the level drains $2
     * per $3 seconds. A row comes back only when the take fitted. */
    {"public_limit_store_take",
     "WITH sweep AS (DELETE FROM public_rate_buckets"
     "                WHERE key IN (SELECT key FROM public_rate_buckets"
     "                               WHERE updated_at < now() - interval '1 day' AND key <> $1"
     "                               LIMIT 16))"
     "INSERT INTO public_rate_buckets AS b (key, level, updated_at) VALUES ($1, 1, now())"
     " ON CONFLICT (key) DO UPDATE SET"
     "   level = greatest(0, b.level - extract(epoch FROM now() - b.updated_at)"
     "                                 * $2::int::float8 / $3::int::float8) + 1,"
     "   updated_at = now()"
     " WHERE greatest(0, b.level - extract(epoch FROM now() - b.updated_at)"
     "                         * $2::int::float8 / $3::int::float8) + 1 <= $2::int::float8"
     " RETURNING b.level"},
    /* Seconds until the full bucket `$1` has room for one more. */
    {"public_limit_store_wait",
     "SELECT greatest(1, ceil((greatest(0, level - extract(epoch FROM now() - updated_at)"
     "                                          * $2::int::float8 / $3::int::float8)"
     "                         + 1 - $2::int::float8) * $3::int::float8 / $2::int::float8))::int"
     "  FROM public_rate_buckets WHERE key = $1"},
    {NULL, NULL},
};

enum app_err public_limit_store_take(
    struct db *db, const char *key, int capacity, int window_s, bool *ret_taken, int *ret_wait_s)
{
    char cap[16], win[16];
    const char *params[] = {key, cap, win};
    PGresult *res = NULL;
    enum app_err err;

    snprintf(cap, sizeof(cap), "%d", capacity);
    snprintf(win, sizeof(win), "%d", window_s);
    err = db_exec(db, "public_limit_store_take", 3, params, PGRES_TUPLES_OK, &res);
    if (err != APP_OK) {
        return err;
    }
    *ret_taken = PQntuples(res) == 1;
    *ret_wait_s = 0;
    PQclear(res);
    if (*ret_taken) {
        return APP_OK;
    }
    err = db_row(db, "public_limit_store_wait", 3, params, &res);
    if (err == APP_ERR_NOT_FOUND) {
        *ret_wait_s = 1; /* swept in between: try again at once */
        return APP_OK;
    }
    if (err == APP_OK) {
        *ret_wait_s = atoi(PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    return err;
}
