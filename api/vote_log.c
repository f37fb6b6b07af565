/* SPDX-License-Identifier: MIT */
/*
 * vote_log_recount: one GET of the published log, the SHA-256 of its bytes
 * (what `sha256sum` prints, as the log's X-Log-Sha256 promises) and a
 * count per nominee id from each NDJSON line. A line that is not an object
 * naming a nominee of the session is counted as invalid; the verdict on it
 * is the model's (vote_rules_final_vs_log).
 */
#include "vote_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http_client.h"
#include "log.h"
#include "vote_push.h"

static enum app_err unavailable(struct problem *p, const char *id, long status)
{
    return problem_fail(p, APP_ERR_UNAVAILABLE, "vote_log_unavailable",
                        "暂时无法从投票服务取得网络投票 %s 封存的投票记录（HTTP %ld）",
                        "the sealed log of vote session %s cannot be had from the voting "
                        "service now (HTTP %ld)",
                        id, status);
}

/* Counts one line into counts; false when it names no known nominee. */
static bool count_line(json_t *counts, const char *line, size_t len)
{
    json_t *obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
    json_t *n = json_object_get(obj, "nominee_id");
    json_t *c = json_is_string(n) ? json_object_get(counts, json_string_value(n)) : NULL;
    bool ok = c != NULL && json_integer_set(c, json_integer_value(c) + 1) == 0;

    json_decref(obj);
    return ok;
}

enum app_err vote_log_recount(const char *id,
                              const json_t *nominee_ids,
                              struct vote_log_recount *ret,
                              struct problem *p)
{
    struct http_client_raw raw = {0};
    char *token = NULL, *url = vote_service_url("/v1/sessions/", id), *path = NULL;
    unsigned char h[crypto_hash_sha256_BYTES];
    json_t *counts = json_object(), *v;
    size_t i;
    enum app_err err;

    memset(ret, 0, sizeof(*ret));
    if (url == NULL) {
        unavailable(p, id, 0L);
        goto cleanup;
    }
    json_array_foreach(nominee_ids, i, v)
    {
        if (counts == NULL || json_object_set_new(counts, json_string_value(v), json_integer(0))) {
            problem_kind(p, APP_ERR_INTERNAL);
            goto cleanup;
        }
    }
    size_t len = strlen(url) + sizeof("/log");
    if ((path = malloc(len)) == NULL || vote_service_token(&token) != APP_OK) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    snprintf(path, len, "%s/log", url);
    err = http_client_get_raw(path, token, VOTE_LOG_FETCH_TIMEOUT_S, VOTE_LOG_FETCH_MAX, &raw);
    if (err != APP_OK || raw.status != 200) {
        log_warn("vote log %s: not available (HTTP %ld)", id, raw.status);
        unavailable(p, id, raw.status);
        goto cleanup;
    }
    crypto_hash_sha256(h, (const unsigned char *)raw.body, raw.len);
    sodium_bin2hex(ret->sha256, sizeof(ret->sha256), h, sizeof(h));
    for (size_t at = 0; at < raw.len;) {
        const char *nl = memchr(raw.body + at, '\n', raw.len - at);
        size_t end = nl != NULL ? (size_t)(nl - raw.body) : raw.len;

        ret->c.entries++;
        if (!count_line(counts, raw.body + at, end - at)) {
            ret->c.invalid++;
        }
        at = end + 1;
    }
    if ((ret->counts_text = json_dumps(counts, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    ret->c.sha256 = ret->sha256;
    ret->c.counts_json = ret->counts_text;

cleanup:
    http_client_raw_clear(&raw);
    json_decref(counts);
    free(token);
    free(url);
    free(path);
    return p->err;
}

void vote_log_recount_clear(struct vote_log_recount *r)
{
    if (r != NULL) {
        free(r->counts_text);
        r->counts_text = NULL;
    }
}
