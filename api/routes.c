/* SPDX-License-Identifier: MIT */
/*
 * The API's route table, built from routes.def (one row per route). The
 * role names used there are defined here.
 */
#include "app.h"
#include "handlers/handlers.h"

#define ADMIN   ROLE_BIT(ROLE_ADMIN)
#define OFFICE  ROLE_BIT(ROLE_OFFICE)
#define UNIT    ROLE_BIT(ROLE_UNIT)
#define AUDITOR ROLE_BIT(ROLE_AUDITOR)
#define LEADER  ROLE_BIT(ROLE_LEADER)
#define EXPERT  ROLE_BIT(ROLE_EXPERT)
#define SERVICE ROLE_BIT(ROLE_SERVICE)
#define FINANCE ROLE_BIT(ROLE_FINANCE)
#define PUBLIC  0u
/* Who may read rounds and nominations (each within their scope; ops/scope.c). */
#define READERS (ADMIN | OFFICE | UNIT | AUDITOR | LEADER)
/* Who may download an evidence file: the readers but the leader, who
 * reads the files' metadata only (a file may show a whole ID number). */
#define FILE_READERS (ADMIN | OFFICE | UNIT | AUDITOR)

const struct route api_routes[] = {
#pragma push_macro("ROUTE")
#undef ROUTE
#define ROUTE(method, path, handler, roles, flags) {method, path, handler, #handler, roles, flags},
#include "routes.def"
#pragma pop_macro("ROUTE")
};

const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);
