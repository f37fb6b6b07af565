/* SPDX-License-Identifier: MIT */
/*
 * The session list's pure parts (vote_list.h). The cursor carries the
 * mode so that a cursor of one filter cannot page another; its time is
 * bounded like a session's so that a forged one cannot reach past the
 * index.
 */
#include "vote_list.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

bool vote_list_mode_of(const char *state, char *ret_mode)
{
    static const struct {
        const char *name;
        char mode;
    } modes[] = {{"open", 'o'}, {"scheduled", 's'}, {"closed", 'c'}};

    if (state == NULL) {
        *ret_mode = 'a';
        return true;
    }
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        if (strcmp(state, modes[i].name) == 0) {
            *ret_mode = modes[i].mode;
            return true;
        }
    }
    return false;
}

bool vote_list_limit_parse(const char *limit, int max, int *ret_limit)
{
    long n;
    char *end;

    if (limit == NULL) {
        *ret_limit = VOTE_LIST_LIMIT_DEF;
        return true;
    }
    errno = 0;
    n = strtol(limit, &end, 10);
    if (!isdigit((unsigned char)limit[0]) || errno != 0 || *end != '\0' || n < 1 || n > max) {
        return false;
    }
    *ret_limit = (int)n;
    return true;
}

void vote_list_cursor_format(char mode,
                             long long closes_ms,
                             const char *id,
                             char out[VOTE_LIST_KEY_MAX])
{
    int n = snprintf(out, VOTE_LIST_KEY_MAX, "%c.%lld.%s", mode, closes_ms, id);

    if (n < 0 || n >= VOTE_LIST_KEY_MAX) {
        out[0] = '\0';
    }
}

bool vote_list_cursor_parse(const char *text,
                            char mode,
                            long long *ret_closes_ms,
                            char ret_id[VOTE_LIST_ID_MAX])
{
    char raw[VOTE_LIST_KEY_MAX], *end;
    size_t len = 0;
    long long ms;

    if (text == NULL || text[0] == '\0' || strlen(text) > 2 * (VOTE_LIST_KEY_MAX - 1) ||
        sodium_hex2bin((unsigned char *)raw, VOTE_LIST_KEY_MAX - 1, text, strlen(text), NULL, &len,
                       NULL) != 0) {
        return false;
    }
    raw[len] = '\0';
    if (len < 4 || memchr(raw, '\0', len) != NULL || raw[0] != mode || raw[1] != '.' ||
        !isdigit((unsigned char)raw[2])) {
        return false;
    }
    ms = strtoll(raw + 2, &end, 10);
    if (*end != '.' || ms < VOTE_TIME_MIN_MS || ms > VOTE_TIME_MAX_MS ||
        !vote_uuid_valid(end + 1) || strlen(end + 1) >= VOTE_LIST_ID_MAX) {
        return false;
    }
    *ret_closes_ms = ms;
    strcpy(ret_id, end + 1);
    return true;
}

json_t *vote_list_item_json(const char *id,
                            const char *round_id,
                            const char *title,
                            enum vote_state state,
                            long long opens_ms,
                            long long closes_ms)
{
    char opens[RFC3339_TEXT_MAX], closes[RFC3339_TEXT_MAX];

    rfc3339_format(opens_ms, opens_ms % 1000 != 0, opens);
    rfc3339_format(closes_ms, closes_ms % 1000 != 0, closes);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "round_id", round_id, "title",
                     title, "state", vote_state_name(state), "opens_at", opens, "closes_at",
                     closes);
}
