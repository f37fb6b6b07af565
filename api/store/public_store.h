/* SPDX-License-Identifier: MIT */
/*
 * The public reads (issue 16): JSON texts built from the public_*
 * projections of db/functions/18_public.sql, the one whitelist of what
 * leaves publicly. `today` is YYYY-MM-DD and `at` RFC 3339, both from the
 * service's clock. APP_ERR_NOT_FOUND when the round is unknown or not
 * public.
 */
#ifndef JIANGXIN_PUBLIC_STORE_H
#define JIANGXIN_PUBLIC_STORE_H

#include "app_err.h"

struct db;

/* {"items": [programme with the policy version it shows on `today`]} */
enum app_err public_store_programmes(struct db *db, const char *today, char **ret_json);

/* The round: phase, dates, its vote session's window and state at `at`,
 * its notice. */
enum app_err public_store_round(
    struct db *db, const char *id, const char *today, const char *at, char **ret_json);

/* {"round_id", "items": [nominee]}: those public at `at`. */
enum app_err public_store_nominees(
    struct db *db, const char *id, const char *today, const char *at, char **ret_json);

/* {"round_id", "vote": null | {…, "nominees": […]}, "decisions": […]}. */
enum app_err public_store_results(
    struct db *db, const char *id, const char *today, const char *at, char **ret_json);

/* A page of the register of titles in certificate-number order; each
 * filter may be NULL. */
struct public_recognition_filter {
    const char *programme;
    const char *year;
    const char *status;
};
enum app_err public_store_recognitions(struct db *db,
                                       const struct public_recognition_filter *f,
                                       const char *cursor,
                                       int limit,
                                       char **ret_array,
                                       char **ret_next);

#endif
