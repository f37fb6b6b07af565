/* SPDX-License-Identifier: MIT */
/*
 * The voting service's surface. Only the operational endpoints exist yet;
 * sessions and votes arrive with the voting issue.
 */
#include "app.h"

/* clang-format off */
const struct route vote_routes[] = {
    ROUTE("GET", "/healthz",      system_healthz, 0, 0),
    ROUTE("GET", "/readyz",       system_readyz,  0, 0),
    ROUTE("GET", "/metrics",      system_metrics, 0, 0),
    ROUTE("GET", "/openapi.json", system_openapi, 0, 0),
};
/* clang-format on */

const size_t vote_routes_count = sizeof(vote_routes) / sizeof(vote_routes[0]);
