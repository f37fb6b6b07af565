/* SPDX-License-Identifier: MIT */
/*
 * The API surface in one table: method, path, handler (== openapi
 * operationId), the roles allowed, and flags. Authorization by role is
 * decided here and enforced once, in common/http.c; scope rules (a unit
 * user's own unit) are applied in the handlers and their queries.
 */
#include "app.h"
#include "handlers/handlers.h"

#define ADMIN   ROLE_BIT(ROLE_ADMIN)
#define OFFICE  ROLE_BIT(ROLE_OFFICE)
#define UNIT    ROLE_BIT(ROLE_UNIT)
#define AUDITOR ROLE_BIT(ROLE_AUDITOR)
#define LEADER  ROLE_BIT(ROLE_LEADER)
#define SERVICE ROLE_BIT(ROLE_SERVICE)
#define PUBLIC  0u
/* Who may read rounds and nominations (each within their scope). */
#define READERS (ADMIN | OFFICE | UNIT | AUDITOR)

/* clang-format off */
const struct route api_routes[] = {
    ROUTE("GET",    "/healthz",                      system_healthz,           PUBLIC, 0),
    ROUTE("GET",    "/readyz",                       system_readyz,            PUBLIC, 0),
    ROUTE("GET",    "/metrics",                      system_api_metrics,       PUBLIC, 0),
    ROUTE("GET",    "/openapi.json",                 system_openapi,           PUBLIC, 0),
    ROUTE("GET",    "/docs",                         system_docs,              PUBLIC, 0),
    ROUTE("GET",    "/v1/enums",                     enums_list,               PUBLIC, 0),
    ROUTE("GET",    "/v1/system/status",             system_status,            ADMIN | OFFICE, 0),
    /* Only with JIANGXIN_TEST_CLOCK (test and demo stacks); 404 otherwise. */
    ROUTE("GET",    "/v1/system/clock",              system_clock_get,         ADMIN, ROUTE_TEST_CLOCK),
    ROUTE("PUT",    "/v1/system/clock",              system_clock_put,         ADMIN,
          ROUTE_BODY | ROUTE_TEST_CLOCK),
    ROUTE("POST",   "/v1/auth/token",                auth_token,               PUBLIC, ROUTE_BODY),
    ROUTE("GET",    "/v1/me",                        me_get,                   ROLES_ANY_USER, 0),
    ROUTE("GET",    "/v1/users",                     users_list,               ADMIN, 0),
    ROUTE("POST",   "/v1/users",                     users_create,             ADMIN, ROUTE_BODY),
    ROUTE("GET",    "/v1/users/:id",                 users_get,                ADMIN, 0),
    ROUTE("PATCH",  "/v1/users/:id",                 users_update,             ADMIN, ROUTE_BODY),
    ROUTE("DELETE", "/v1/users/:id",                 users_delete,             ADMIN, 0),
    ROUTE("GET",    "/v1/units",                     units_list,               ADMIN | OFFICE | UNIT, 0),
    ROUTE("POST",   "/v1/units",                     units_create,             ADMIN | OFFICE, ROUTE_BODY),
    ROUTE("GET",    "/v1/units/:id",                 units_get,                ADMIN | OFFICE | UNIT, 0),
    ROUTE("PATCH",  "/v1/units/:id",                 units_update,             ADMIN | OFFICE, ROUTE_BODY),
    ROUTE("GET",    "/v1/programmes",                programmes_list,          PUBLIC, 0),
    ROUTE("POST",   "/v1/programmes",                programmes_create,        ADMIN, ROUTE_BODY),
    ROUTE("GET",    "/v1/programmes/:code",          programmes_get,           PUBLIC, 0),
    ROUTE("PUT",    "/v1/programmes/:code/policy",   programmes_update_policy, ADMIN, ROUTE_BODY),
    ROUTE("GET",    "/v1/programmes/:code/policy-versions", policy_versions_list, PUBLIC, 0),
    ROUTE("POST",   "/v1/programmes/:code/policy-versions", policy_versions_create, ADMIN, ROUTE_BODY),
    ROUTE("GET",    "/v1/programmes/:code/policy-versions/:number", policy_versions_get, PUBLIC, 0),
    ROUTE("PUT",    "/v1/programmes/:code/policy-versions/:number", policy_versions_update, ADMIN,
          ROUTE_BODY),
    ROUTE("GET",    "/v1/calendar/workdays",         calendar_workdays,        PUBLIC, 0),
    ROUTE("GET",    "/v1/calendar/days/:date",       calendar_get_day,         PUBLIC, 0),
    ROUTE("PUT",    "/v1/calendar/days/:date",       calendar_put_day,         ADMIN, ROUTE_BODY),
    ROUTE("GET",    "/v1/calendar/:year",            calendar_get_year,        PUBLIC, 0),
    ROUTE("GET",    "/v1/calendar/years",            calendar_years_list,      PUBLIC, 0),
    ROUTE("PUT",    "/v1/calendar/years/:year",      calendar_years_put,       ADMIN, ROUTE_BODY),
    ROUTE("GET",    "/v1/programmes/:code/rounds",   rounds_list,              READERS, 0),
    ROUTE("POST",   "/v1/programmes/:code/rounds",   rounds_create,            OFFICE, ROUTE_BODY),
    ROUTE("GET",    "/v1/rounds/:id",                rounds_get,               READERS, 0),
    ROUTE("POST",   "/v1/rounds/:id/transitions",    rounds_transition,        OFFICE, ROUTE_BODY),
    ROUTE("GET",    "/v1/rounds/:id/nominations",    nominations_list,         READERS, 0),
    ROUTE("POST",   "/v1/rounds/:id/nominations",    nominations_create,       UNIT, ROUTE_BODY),
    ROUTE("GET",    "/v1/nominations/:id",           nominations_get,          READERS, 0),
    ROUTE("PATCH",  "/v1/nominations/:id",           nominations_update,       UNIT, ROUTE_BODY),
    ROUTE("POST",   "/v1/nominations/:id/transitions", nominations_transition, OFFICE | UNIT, ROUTE_BODY),
    ROUTE("GET",    "/v1/nominations/:id/eligibility", nominations_eligibility, READERS, 0),
    ROUTE("GET",    "/v1/nominations/:id/attachments", attachments_list,       READERS, 0),
    ROUTE("POST",   "/v1/nominations/:id/attachments", attachments_create,     UNIT, ROUTE_UPLOAD),
    ROUTE("GET",    "/v1/nominations/:id/attachments/:attachment_id", attachments_get, READERS, 0),
    ROUTE("DELETE", "/v1/nominations/:id/attachments/:attachment_id", attachments_delete, UNIT, 0),
    ROUTE("POST",   "/v1/rounds/:id/vote-session",   vote_sessions_create,     ADMIN | OFFICE, ROUTE_BODY),
    ROUTE("GET",    "/v1/rounds/:id/vote-session",   vote_sessions_get,        ADMIN | OFFICE | LEADER, 0),
    /* Anyone once the vote has closed; before, the handler admits admin, office and leader. */
    ROUTE("GET",    "/v1/rounds/:id/vote-results",   vote_results_get,         ROLES_ANY_USER, ROUTE_AUTH_OPTIONAL),
    ROUTE("PUT",    "/v1/vote-sessions/:id/tally",   vote_sessions_put_tally,  SERVICE, ROUTE_BODY),
    ROUTE("GET",    "/v1/audit",                     audit_list,               ADMIN | AUDITOR, 0),
    ROUTE("GET",    "/v1/audit/verify",              audit_verify,             ADMIN | AUDITOR, 0),
};
/* clang-format on */

const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);
