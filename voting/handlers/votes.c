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

/* What each refusal of the vote script becomes. A vote outside its window
 * is not-open (409), not forbidden: the voter may vote, just not now. */
static const struct {
    enum vote_cast_status status;
    enum vote_outcome outcome;
    enum app_err err;
    const char *code;
    const char *zh;
    const char *en;
} refusals[] = {
    {.status = VOTE_CAST_NO_SESSION,
     .outcome = VOTE_NO_SESSION,
     .err = APP_ERR_NOT_FOUND,
     .code = "no_such_session",
     .zh = "投票场次不存在",
     .en = "no such vote session"},
    {.status = VOTE_CAST_NOT_OPEN,
     .outcome = VOTE_NOT_OPEN,
     .err = APP_ERR_NOT_OPEN,
     .code = "vote_not_open",
     .zh = "投票尚未开始",
     .en = "voting has not opened yet"},
    {.status = VOTE_CAST_CLOSED,
     .outcome = VOTE_CLOSED,
     .err = APP_ERR_NOT_OPEN,
     .code = "vote_closed",
     .zh = "投票已结束",
     .en = "voting has closed"},
    {.status = VOTE_CAST_RATE_LIMITED,
     .outcome = VOTE_RATE_LIMITED,
     .err = APP_ERR_RATE_LIMITED,
     .code = "ip_rate_limited",
     .zh = "该网络地址投票过于频繁，请稍后再试",
     .en = "too many votes from this network address; try again later"},
    {.status = VOTE_CAST_BAD_NOMINEE,
     .outcome = VOTE_BAD_NOMINEE,
     .err = APP_ERR_NOT_FOUND,
     .code = "no_such_nominee",
     .zh = "本场投票中没有该候选人",
     .en = "no such nominee in this session"},
    {.status = VOTE_CAST_NOMINEE_LIMIT,
     .outcome = VOTE_DUPLICATE,
     .err = APP_ERR_CONFLICT,
     .code = "already_voted_today",
     .zh = "您今天已为该候选人投过票",
     .en = "you have already voted for this nominee today"},
    {.status = VOTE_CAST_WITHDRAWN,
     .outcome = VOTE_WITHDRAWN,
     .err = APP_ERR_CONFLICT,
     .code = "nominee_withdrawn",
     .zh = "该候选人已退出本场投票（被取消资格或撤回推荐），不再接受投票；此前的投票仍保留在记录中",
     .en = "this nominee has been withdrawn from the vote (disqualified or withdrawn); no new "
           "votes are taken, earlier votes stay in the log"},
    {.status = VOTE_CAST_DAILY_LIMIT,
     .outcome = VOTE_DAILY_LIMIT,
     .err = APP_ERR_RATE_LIMITED,
     .code = "daily_limit_reached",
     .zh = "今日票数已用完，北京时间 00:00 起恢复",
     .en = "no votes left today; they renew at 00:00 Asia/Shanghai"},
};

static void refusal_problem(const struct vote_cast_result *res, struct problem *reterr)
{
    for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
        if (refusals[i].status == res->status) {
            vote_metrics_count(refusals[i].outcome);
            /* Both formats take both texts; each prints its own. */
            problem_fail(reterr, refusals[i].err, refusals[i].code, "%s%.0s", "%.0s%s",
                         refusals[i].zh, refusals[i].en);
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
        problem_field(p, APP_ERR_VALIDATION, "/nominee_id", "not_uuid", "应为小写 UUID",
                      "must be a lowercase UUID");
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
        problem_fail(p, APP_ERR_BAD_PARAMETER, "invalid_receipt",
                     "回执格式应为 <流水号>.<32 位十六进制字符>",
                     "a receipt looks like <stream id>.<32 hex>");
        goto cleanup;
    }
    err = vote_store_log_entry(id, stream_id, &e);
    vote_receipt_hash(token, hash);
    if (err == APP_ERR_NOT_FOUND || (err == APP_OK && !vote_hash_equal(hash, e.receipt_hash))) {
        problem_fail(p, APP_ERR_NOT_FOUND, "no_such_receipt", "本场投票中没有与该回执对应的投票",
                     "no vote with this receipt in this session");
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
