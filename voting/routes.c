/* SPDX-License-Identifier: MIT */
/*
 * The voting service's route table, built from routes.def (one row per
 * route). The role names used there are defined here.
 */
#include "app.h"

#define PUBLIC  0u
#define SERVICE ROLE_BIT(ROLE_SERVICE)
#define VOTER   ROLE_BIT(ROLE_VOTER)

const struct route vote_routes[] = {
#pragma push_macro("ROUTE")
#undef ROUTE
#define ROUTE(method, path, handler, roles, flags) {method, path, handler, #handler, roles, flags},
#include "routes.def"
#pragma pop_macro("ROUTE")
};

const size_t vote_routes_count = sizeof(vote_routes) / sizeof(vote_routes[0]);
