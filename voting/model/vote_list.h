/* SPDX-License-Identifier: MIT */
/*
 * The public session list (GET /v1/sessions) without I/O: the `state`
 * filter, the opaque cursor (the hex form of "<mode>.<closes_ms>.<id>", the
 * keyset position of the store's closes index), `limit` and an item's
 * JSON. The ETag and If-None-Match are the dispatcher's (ROUTE_CACHEABLE).
 */
#ifndef JIANGXIN_VOTE_LIST_H
#define JIANGXIN_VOTE_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "vote_session.h"

#define VOTE_LIST_LIMIT_DEF 20
#define VOTE_LIST_KEY_MAX   64 /* "<mode>.<ms>.<uuid>" + NUL, with room */
#define VOTE_LIST_ID_MAX    40

/* The list's mode letter for `state` ("scheduled", "open", "closed"; NULL,
 * the default: 'a', open and scheduled); false for anything else. */
bool vote_list_mode_of(const char *state, char *ret_mode);

/* The page size of `limit` (NULL: VOTE_LIST_LIMIT_DEF): decimal digits
 * only (no sign, blank or exponent), 1..max; false otherwise. */
bool vote_list_limit_parse(const char *limit, int max, int *ret_limit);

/* The keyset key of position (closes_ms, id) in a list of `mode`:
 * "<mode>.<closes_ms>.<id>". http_reply_list() sends it hex-encoded, the
 * list cursor of both services. */
void vote_list_cursor_format(char mode,
                             long long closes_ms,
                             const char *id,
                             char out[VOTE_LIST_KEY_MAX]);
/* Reads a cursor as the client sends it back (the hex form of a key
 * vote_list_cursor_format made) for the same mode; false for anything
 * else (another mode's, a time outside the sessions' bounds, an id that is
 * not a lowercase UUID, not hex). */
bool vote_list_cursor_parse(const char *text,
                            char mode,
                            long long *ret_closes_ms,
                            char ret_id[VOTE_LIST_ID_MAX]);

/* {id, round_id, title, state, opens_at, closes_at} (new reference; NULL
 * when out of memory or a string is not UTF-8). Times as the session
 * routes render them (Asia/Shanghai, ".mmm" only when needed). */
json_t *vote_list_item_json(const char *id,
                            const char *round_id,
                            const char *title,
                            enum vote_state state,
                            long long opens_ms,
                            long long closes_ms);

#endif
