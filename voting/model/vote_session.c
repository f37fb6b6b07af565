/* SPDX-License-Identifier: MIT */
/*
 * Vote sessions (see vote_session.h). The stored doc leaves out closes_at,
 * so that "identical except an earlier closes_at" — the one change allowed
 * once a session has opened — is a plain comparison of two strings in the
 * setup script. Times are kept as Unix milliseconds and always rendered in
 * Asia/Shanghai (UTC+8, no DST).
 */
#include "vote_session.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_fields.h"

bool vote_uuid_valid(const char *s)
{
    if (s == NULL || strlen(s) != 36) {
        return false;
    }
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !(isdigit((unsigned char)s[i]) || (s[i] >= 'a' && s[i] <= 'f'))) {
            return false;
        }
    }
    return true;
}

bool vote_stream_id_ms(const char *id, long long *ret_ms)
{
    char *end;
    long long ms;

    if (id == NULL || !isdigit((unsigned char)id[0])) {
        return false;
    }
    ms = strtoll(id, &end, 10);
    if (*end != '-' || !isdigit((unsigned char)end[1])) {
        return false;
    }
    for (const char *p = end + 1; *p; p++) {
        if (!isdigit((unsigned char)*p)) {
            return false;
        }
    }
    *ret_ms = ms;
    return true;
}

enum vote_state
vote_session_state(long long now_ms, long long opens_ms, long long closes_ms, bool sealed)
{
    if (sealed || now_ms >= closes_ms) {
        return VOTE_STATE_CLOSED;
    }
    return now_ms < opens_ms ? VOTE_STATE_SCHEDULED : VOTE_STATE_OPEN;
}

const char *vote_state_name(enum vote_state s)
{
    static const char *const names[] = {"scheduled", "open", "closed"};

    return (unsigned)s < 3 ? names[s] : "closed";
}
