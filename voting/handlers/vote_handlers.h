/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the voting service's resource handlers
 * (sessions.c, session_list.c, votes.c, log.c).
 */
#ifndef JIANGXIN_VOTE_HANDLERS_H
#define JIANGXIN_VOTE_HANDLERS_H

#include "app.h"

/* The :id path parameter when it is a session id (a lowercase UUID); else
 * NULL with a 404 problem (or 400 invalid-parameter when `strict`). */
const char *vote_session_param(struct http_call *call, bool strict, struct problem *reterr);

/* A store error into the problem: 404, 503 with Retry-After: 1, or 500. */
void vote_store_problem(enum app_err err, struct problem *reterr);

#endif
