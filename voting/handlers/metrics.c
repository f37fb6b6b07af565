/* SPDX-License-Identifier: MIT */
/*
 * GET /metrics of jiangxin-vote: the HTTP metrics both services share,
 * followed by the voting service's own (votes by outcome, the vote
 * script's Redis round trip, tally posts and the posting lag).
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "vote_metrics.h"

enum app_err system_vote_metrics(struct http_call *call, struct problem *p)
{
    char *http_text = http_metrics_text(http_call_server(call));
    char *vote_text = vote_metrics_render();
    char *text = NULL;
    size_t http_len, vote_len;

    if (http_text == NULL || vote_text == NULL) {
        goto cleanup;
    }
    http_len = strlen(http_text);
    vote_len = strlen(vote_text);
    if ((text = malloc(http_len + vote_len + 1)) == NULL) {
        goto cleanup;
    }
    memcpy(text, http_text, http_len);
    memcpy(text + http_len, vote_text, vote_len + 1);
    http_reply_text(call, 200, "text/plain; version=0.0.4; charset=utf-8", text,
                    http_len + vote_len);

cleanup:
    free(text);
    free(vote_text);
    free(http_text);
    return call->status != 0 ? APP_OK : problem_kind(p, APP_ERR_INTERNAL);
}
