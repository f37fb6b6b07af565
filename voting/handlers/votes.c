/* SPDX-License-Identifier: MIT */
/*
 * Casting a vote and checking a receipt. The vote itself is one store
 * call (one Lua script); this file turns its outcome into HTTP and
 * metrics. Only hashes of the voter, the client address and the receipt
 * token reach Redis, and none of them reach a log.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "json_fields.h"
#include "model/vote_receipt.h"
#include "model/vote_session.h"
#include "store/vote_store.h"
#include "vote_handlers.h"
#include "vote_metrics.h"

static const struct json_field vote_fields[] = {
    {"nominee_id", JF_STRING, true, 1, 64},
};

/* What each refusal of the vote script becomes. */
static const struct {
    enum vote_cast_status status;
    enum vote_outcome outcome;
    enum app_err err;
    const char *detail;
} refusals[] = {
    {VOTE_CAST_NO_SESSION, VOTE_NO_SESSION, APP_ERR_NOT_FOUND, "no such vote session"},
    {VOTE_CAST_NOT_OPEN, VOTE_NOT_OPEN, APP_ERR_FORBIDDEN, "voting has not opened yet"},
    {VOTE_CAST_CLOSED, VOTE_CLOSED, APP_ERR_FORBIDDEN, "voting has closed"},
    {VOTE_CAST_RATE_LIMITED, VOTE_RATE_LIMITED, APP_ERR_RATE_LIMITED,
     "too many votes from this network address; try again later"},
    {VOTE_CAST_BAD_NOMINEE, VOTE_BAD_NOMINEE, APP_ERR_NOT_FOUND, "no such nominee in this session"},
    {VOTE_CAST_NOMINEE_LIMIT, VOTE_DUPLICATE, APP_ERR_CONFLICT,
     "you have already voted for this nominee today"},
    {VOTE_CAST_DAILY_LIMIT, VOTE_DAILY_LIMIT, APP_ERR_RATE_LIMITED,
     "no votes left today; they renew at 00:00 Asia/Shanghai"},
};

static void refusal_problem(const struct vote_cast_result *res, struct problem *reterr)
{
    for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
        if (refusals[i].status == res->status) {
            vote_metrics_count(refusals[i].outcome);
            problem_set(reterr, refusals[i].err, "%s", refusals[i].detail);
            if (refusals[i].err == APP_ERR_RATE_LIMITED) {
                long long s = (res->retry_ms + 999) / 1000;
                reterr->retry_after = s < 1 ? 1 : s > 86400 ? 86400 : (unsigned)s;
            }
            return;
        }
    }
}

/* The client address: the peer, or X-Forwarded-For from a trusted proxy. */
static bool client_address(const struct http_call *call, char ret[CLIENT_IP_TEXT_MAX])
{
    const struct vote_ctx *ctx = call->app;
    char peer[CLIENT_IP_TEXT_MAX];

    return http_peer_address(call, peer, sizeof(peer)) &&
           client_ip_resolve(&ctx->trusted, peer, http_header(call, "X-Forwarded-For"), ret);
}

static void reply_vote(struct http_call *call,
                       const char *session_id,
                       const char *nominee_id,
                       const char *token,
                       const struct vote_cast_result *res)
{
    char receipt[VOTE_RECEIPT_MAX], at[RFC3339_TEXT_MAX], location[192];
    long long ms = 0;
    json_t *body;

    vote_metrics_count(res->status == VOTE_CAST_REPLAY ? VOTE_REPLAY : VOTE_ACCEPTED);
    vote_stream_id_ms(res->stream_id, &ms);
    rfc3339_format(ms, true, at);
    vote_receipt_format(res->stream_id, token, receipt);
    snprintf(location, sizeof(location), "/v1/sessions/%s/receipts/%s", session_id, receipt);
    body = json_pack("{s:s, s:s, s:s, s:s, s:i}", "receipt", receipt, "session_id", session_id,
                     "nominee_id", nominee_id, "at", at, "votes_left_today", (int)res->remaining);
    if (body == NULL) {
        struct problem p = PROBLEM_INIT;
        http_reply_problem(call, &p); /* the vote is stored: the receipt check still finds it */
        return;
    }
    http_set_header(call, "Location", location);
    http_reply_json(call, 201, body);
    json_decref(body);
}

enum app_err vote_post(struct http_call *call, struct problem *p)
{
    const struct vote_ctx *ctx = call->app;
    struct vote_cast_result res;
    char ip[CLIENT_IP_TEXT_MAX], ip_hash[VOTE_IP_HASH_HEX];
    char token[VOTE_TOKEN_HEX], receipt_hash[VOTE_RECEIPT_HASH_HEX];
    const char *id = vote_session_param(call, false, p), *nominee;
    enum app_err err;

    if (id == NULL || !json_fields_check(call->body, vote_fields, 1, "", p)) {
        goto cleanup;
    }
    nominee = json_string_value(json_object_get(call->body, "nominee_id"));
    if (!vote_uuid_valid(nominee)) {
        problem_add_error(p, APP_ERR_VALIDATION, "/nominee_id", "must be a lowercase UUID");
        goto cleanup;
    }
    if (!client_address(call, ip)) {
        goto cleanup;
    }
    vote_ip_hash(ctx->cfg->vote_hash_key, ip, ip_hash);
    vote_receipt_token(token, receipt_hash);
    struct vote_cast v = {nominee, call->who.id, ip_hash, receipt_hash};
    err = vote_store_cast(id, &v, clock_offset_ms(), &res);
    if (err != APP_OK) {
        vote_metrics_count(VOTE_UNAVAILABLE);
        vote_store_problem(err == APP_ERR_NOT_FOUND ? APP_ERR_INTERNAL : err, p);
        goto cleanup;
    }
    if (res.status == VOTE_CAST_ACCEPTED || res.status == VOTE_CAST_REPLAY) {
        reply_vote(call, id, nominee, token, &res);
    } else {
        refusal_problem(&res, p);
    }

cleanup:
    return p->err;
}

enum app_err receipt_get(struct http_call *call, struct problem *p)
{
    struct vote_log_entry e;
    char stream_id[VOTE_RECEIPT_MAX], token[VOTE_TOKEN_HEX], hash[VOTE_RECEIPT_HASH_HEX];
    char at[RFC3339_TEXT_MAX];
    long long ms = 0;
    const char *id = vote_session_param(call, false, p);
    const char *receipt = http_param(call, "receipt");
    json_t *body = NULL;
    enum app_err err;

    if (id == NULL) {
        goto cleanup;
    }
    if (!vote_receipt_parse(receipt, stream_id, token)) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "a receipt looks like <stream id>.<32 hex>");
        goto cleanup;
    }
    err = vote_store_log_entry(id, stream_id, &e);
    vote_receipt_hash(token, hash);
    if (err == APP_ERR_NOT_FOUND || (err == APP_OK && !vote_hash_equal(hash, e.receipt_hash))) {
        problem_set(p, APP_ERR_NOT_FOUND, "no vote with this receipt in this session");
        goto cleanup;
    }
    if (err != APP_OK) {
        vote_store_problem(err, p);
        goto cleanup;
    }
    vote_stream_id_ms(e.id, &ms);
    rfc3339_format(ms, true, at);
    body = json_pack("{s:s, s:s, s:b, s:s, s:s}", "receipt", receipt, "session_id", id, "counted",
                     1, "nominee_id", e.nominee_id, "at", at);
    if (body != NULL) {
        http_reply_json(call, 200, body);
    }

cleanup:
    json_decref(body);
    return p->err;
}
