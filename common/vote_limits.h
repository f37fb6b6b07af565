/* SPDX-License-Identifier: MIT */
/*
 * The bounds of a vote session, written once for both services: the API
 * checks what the office sends against them (api/model/vote_rules.c) and
 * jiangxin-vote checks the session the API pushes against the same ones
 * (voting/model/vote_session_json.c), so a session one accepts the other
 * accepts too.
 */
#ifndef JIANGXIN_VOTE_LIMITS_H
#define JIANGXIN_VOTE_LIMITS_H

#define VOTE_SESSION_NOMINEES_MAX 200    /* nominees per session */
#define VOTE_SESSION_TITLE_MAX    200    /* characters */
#define VOTE_LIMIT_DAY_MAX        100    /* votes_per_day, votes_per_nominee_per_day: 1..this */
#define VOTE_LIMIT_RATE_MAX       100000 /* ip_rate_per_minute, ip_burst: 1..this */

#endif
