/* SPDX-License-Identifier: MIT */
/*
 * The voting service's surface: the API pushes sessions (service token),
 * voters vote (voter token), anyone reads sessions, tallies when visible,
 * receipts and, after the close, the log.
 */
#include "app.h"

/* clang-format off */
const struct route vote_routes[] = {
    ROUTE("GET", "/healthz",      system_healthz, 0, 0),
    ROUTE("GET", "/readyz",       system_readyz,  0, 0),
    ROUTE("GET", "/metrics",      system_vote_metrics, 0, 0),
    ROUTE("GET", "/openapi.json", system_openapi, 0, 0),
    ROUTE("GET", "/docs",         system_docs,    0, 0),
    /* Only with JIANGXIN_TEST_CLOCK (test and demo stacks); 404 otherwise. */
    ROUTE("GET", "/v1/system/clock", system_clock_get, ROLE_BIT(ROLE_SERVICE), ROUTE_TEST_CLOCK),
    ROUTE("PUT", "/v1/system/clock", system_clock_put, ROLE_BIT(ROLE_SERVICE),
          ROUTE_BODY | ROUTE_TEST_CLOCK),
    ROUTE("PUT",  "/internal/v1/sessions/:id",            session_put,   ROLE_BIT(ROLE_SERVICE),
          ROUTE_BODY | ROUTE_UPLOAD),
    ROUTE("GET",  "/v1/sessions/:id",                     session_get,   0, 0),
    ROUTE("GET",  "/v1/sessions/:id/tally",               session_tally, 0, 0),
    ROUTE("POST", "/v1/sessions/:id/votes",               vote_post,     ROLE_BIT(ROLE_VOTER),
          ROUTE_BODY),
    ROUTE("GET",  "/v1/sessions/:id/receipts/:receipt",   receipt_get,   0, 0),
    ROUTE("GET",  "/v1/sessions/:id/log",                 log_get,       0, 0),
};
/* clang-format on */

const size_t vote_routes_count = sizeof(vote_routes) / sizeof(vote_routes[0]);
