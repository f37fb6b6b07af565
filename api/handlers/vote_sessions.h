/* SPDX-License-Identifier: MIT */
/*
 * Shared by vote_sessions.c and vote_results.c: the limits of a session
 * and the one parser of the RFC 3339 times the vote endpoints take.
 */
#ifndef JIANGXIN_API_VOTE_SESSIONS_H
#define JIANGXIN_API_VOTE_SESSIONS_H

#include <stdbool.h>

#define VOTE_NOMINEES_MAX 200 /* nominees per session (jiangxin-vote's bound) */

/* "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)" → Unix seconds (the fraction
 * dropped). False for anything else, NULL included. */
bool vote_parse_time(const char *s, long long *ret);

#endif
