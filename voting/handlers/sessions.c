/* SPDX-License-Identifier: MIT */
/*
 * Vote sessions over HTTP: the API pushes one with PUT (service token);
 * anyone reads it and, when counts are visible, its tally. The rules for
 * changing an opened session live in the store's setup script; the public
 * shapes in model/vote_session.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "model/vote_session.h"
#include "store/vote_store.h"
#include "vote_handlers.h"

const char *vote_session_param(struct http_call *call, bool strict, struct problem *reterr)
{
    const char *id = http_param(call, "id");

    if (vote_uuid_valid(id)) {
        return id;
    }
    if (strict) {
        problem_fail(reterr, APP_ERR_BAD_PARAMETER, "not_uuid", "投票场次 ID 应为小写 UUID",
                     "the session id must be a lowercase UUID");
    } else {
        problem_fail(reterr, APP_ERR_NOT_FOUND, "no_such_session", "投票场次不存在",
                     "no such vote session");
    }
    return NULL;
}

void vote_store_problem(enum app_err err, struct problem *reterr)
{
    if (err == APP_ERR_NOT_FOUND) {
        problem_fail(reterr, err, "no_such_session", "投票场次不存在", "no such vote session");
    } else if (err == APP_ERR_UNAVAILABLE) {
        problem_fail(reterr, err, "database_unavailable", "投票数据库暂无响应，请稍后重试",
                     "Redis does not answer");
        reterr->retry_after = 1;
    } else {
        problem_kind(reterr, APP_ERR_INTERNAL);
    }
}

/* The parts of a vote_view that come from the store's info. */
static void view_of(const struct vote_info *in, struct vote_view *v, const char **ids, long *votes)
{
    for (size_t i = 0; i < in->n_counts; i++) {
        ids[i] = in->counts[i].nominee_id;
        votes[i] = in->counts[i].votes;
    }
    *v = (struct vote_view){
        .now_ms = in->now_ms,
        .closes_ms = in->closes_ms,
        .state = vote_session_state(in->now_ms, in->opens_ms, in->closes_ms, in->sealed),
        .count_ids = ids,
        .count_votes = votes,
        .n_counts = in->n_counts,
        .total = in->total,
        .log_entries = in->log_entries,
        .log_sha256 = in->log_sha256,
        .withdrawn = in->withdrawn,
    };
    v->show_counts =
        v->state == VOTE_STATE_CLOSED || (v->state == VOTE_STATE_OPEN && in->show_counts);
}

/* Reads the session and replies with its public view (or its tally). */
static void reply_session(struct http_call *call, const char *id, unsigned status, bool tally)
{
    struct problem prob = PROBLEM_INIT;
    struct vote_info in = {0};
    struct vote_view v;
    const char *ids[VOTE_NOMINEES_MAX];
    long votes[VOTE_NOMINEES_MAX];
    json_t *body = NULL;
    enum app_err err = vote_store_info(id, clock_offset_ms(), &in);

    if (err != APP_OK) {
        vote_store_problem(err, &prob);
        goto cleanup;
    }
    view_of(&in, &v, ids, votes);
    if (tally && !v.show_counts) {
        problem_fail(&prob, APP_ERR_FORBIDDEN, "counts_hidden", "投票结束前不公布票数",
                     "the counts are hidden until the vote closes");
        goto cleanup;
    }
    body = tally ? vote_session_tally(in.doc, &v) : vote_session_public(in.doc, &v);
    if (body == NULL) {
        goto cleanup;
    }
    http_reply_json(call, status, body);

cleanup:
    if (call->status == 0) {
        http_reply_problem(call, &prob);
    }
    json_decref(body);
    vote_info_clear(&in);
    problem_clear(&prob);
}

static const unsigned setup_status[] = {
    [VOTE_SETUP_CREATED] = 201,      [VOTE_SETUP_REPLACED] = 200, [VOTE_SETUP_UNCHANGED] = 200,
    [VOTE_SETUP_CLOSED_EARLY] = 200, [VOTE_SETUP_LOCKED] = 409,   [VOTE_SETUP_WITHDRAWN] = 200,
};

enum app_err session_put(struct http_call *call, struct problem *p)
{
    struct vote_session_input in = {0};
    enum vote_setup_result result;
    enum app_err err;
    char location[80];
    const char *id = vote_session_param(call, true, p);

    if (id == NULL || !vote_session_parse(call->body, id, &in, p)) {
        goto cleanup;
    }
    struct vote_setup s = {.round_id = in.round_id,
                           .opens_ms = in.opens_ms,
                           .closes_ms = in.closes_ms,
                           .max_day = in.votes_per_day,
                           .max_nominee_day = in.votes_per_nominee_per_day,
                           .ip_t_ms = 60000.0 / (double)in.ip_rate_per_minute,
                           .ip_burst = in.ip_burst,
                           .show_counts = in.show_counts,
                           .doc = in.doc,
                           .withdrawn = in.withdrawn,
                           .n_nominees = in.n_nominees,
                           .nominee_ids = in.nominee_ids};
    err = vote_store_setup(id, &s, clock_offset_ms(), &result);
    if (err != APP_OK) {
        vote_store_problem(err, p);
        goto cleanup;
    }
    if (result == VOTE_SETUP_LOCKED) {
        problem_fail(p, APP_ERR_CONFLICT, "session_locked",
                     "投票已开始，只能将 closes_at 提前且不得早于当前时间，或增加退出的候选人",
                     "the session has opened: the only changes allowed are an earlier closes_at "
                     "that is not in the past and more withdrawn nominees");
        goto cleanup;
    }
    if (result == VOTE_SETUP_CREATED) {
        snprintf(location, sizeof(location), "/v1/sessions/%s", id);
        http_set_header(call, "Location", location);
    }
    reply_session(call, id, setup_status[result], false);

cleanup:
    vote_session_input_clear(&in);
    return p->err;
}

enum app_err session_get(struct http_call *call, struct problem *p)
{
    const char *id = vote_session_param(call, false, p);

    if (id == NULL) {
        http_reply_problem(call, p);
    } else {
        reply_session(call, id, 200, false);
    }
    return p->err;
}

enum app_err session_tally(struct http_call *call, struct problem *p)
{
    const char *id = vote_session_param(call, false, p);

    if (id == NULL) {
        http_reply_problem(call, p);
    } else {
        reply_session(call, id, 200, true);
    }
    return p->err;
}
