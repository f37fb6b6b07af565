/* SPDX-License-Identifier: MIT */
/*
 * Shared by vote_sessions.c and vote_results.c: the limits of a session.
 * RFC 3339 times are parsed by common/civil_time.h.
 */
#ifndef JIANGXIN_API_VOTE_SESSIONS_H
#define JIANGXIN_API_VOTE_SESSIONS_H

#include <stdbool.h>

#define VOTE_NOMINEES_MAX 200 /* nominees per session (jiangxin-vote's bound) */

#endif
