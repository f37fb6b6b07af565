/* SPDX-License-Identifier: MIT */
/*
 * Vote session operations (see vote_sessions.h). The nominees come from
 * SQL vote_candidates() only (vote_session_store_nominees); the rules are
 * api/model/vote_rules.c's; the results' state is decided here from the
 * window and the context's clock, so the access rule and the `state` shown
 * are the same one.
 */
#include "vote_sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "nominations.h" /* nomination_load_policy: the round's pinned policy version */
#include "store/scope_store.h"
#include "store/vote_session_store.h"

/* The round's policy version must hold a public vote: its vote_nominees and
 * the article that sets it. */
static enum app_err round_vote(const struct op_ctx *ctx,
                               const struct round_ref *round,
                               int *ret_n,
                               char article[64],
                               struct problem *p)
{
    struct programme_policy pol = {0};

    if (nomination_load_policy(ctx->db, round, &pol, p) == APP_OK &&
        vote_rules_policy(pol.p.vote_nominees, round->programme, p) == APP_OK) {
        const char *art = json_string_value(
            json_object_get(json_object_get(pol.json, "articles"), "vote_nominees"));
        snprintf(article, 64, "%s", art != NULL ? art : "vote_nominees");
        *ret_n = pol.p.vote_nominees;
    }
    json_decref(pol.json);
    return p->err;
}

/* The public nominee list (JSON text, malloc'd) for the named ids. */
static char *nominees_for(const struct op_ctx *ctx,
                          const struct round_ref *round,
                          const json_t *ids,
                          int vote_nominees,
                          const char *article,
                          struct problem *p)
{
    char *ids_text = json_dumps(ids, JSON_COMPACT), *text = NULL, *out = NULL;
    json_t *res = NULL;
    enum app_err err;

    if (ids_text == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    if ((err = vote_session_store_nominees(ctx->db, round->id, ids_text, &text)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((res = ops_json(text, p)) == NULL ||
        vote_rules_nominees(json_object_get(res, "unknown"), json_array_size(ids),
                            (long)json_integer_value(json_object_get(res, "candidates")),
                            vote_nominees, article, p) != APP_OK) {
        goto cleanup;
    }
    if ((out = json_dumps(json_object_get(res, "nominees"), JSON_COMPACT)) == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
    }

cleanup:
    json_decref(res);
    free(ids_text);
    free(text);
    return out;
}

static enum app_err exists(const struct round_ref *round, struct problem *p)
{
    return problem_fail(p, APP_ERR_CONFLICT, "vote_session_exists", "轮次 %s 已开启网络投票",
                        "round %s has a vote session already", round->id);
}

enum app_err vote_session_create(const struct op_ctx *ctx,
                                 const struct round_ref *round,
                                 const struct vote_session_draft *in,
                                 json_t **ret_session,
                                 struct problem *p)
{
    char *nominees = NULL, *limits = NULL, *text = NULL, article[64];
    json_t *limits_obj = NULL, *obj = NULL;
    int vote_nominees = 0;
    enum app_err err;

    if (round_vote(ctx, round, &vote_nominees, article, p) != APP_OK ||
        vote_rules_phase(round->phase, p) != APP_OK) {
        goto cleanup;
    }
    err = vote_session_store_by_round(ctx->db, round->id, &text);
    if (err == APP_OK) {
        exists(round, p);
        goto cleanup;
    }
    if (err != APP_ERR_NOT_FOUND) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((nominees = nominees_for(ctx, round, in->nominee_ids, vote_nominees, article, p)) == NULL) {
        goto cleanup;
    }
    if ((limits_obj = vote_rules_limits_json(in->limits)) == NULL ||
        (limits = json_dumps(limits_obj, JSON_COMPACT)) == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    struct vote_session_new s = {
        .round_id = round->id,
        .title = in->title,
        .opens_at = in->opens_at,
        .closes_at = in->closes_at,
        .limits_json = limits,
        .show_counts = in->show_counts,
        .nominees_json = nominees,
        .created_by = ctx->actor->id,
    };
    free(text);
    text = NULL;
    if ((err = vote_session_store_insert(ctx->db, &s, &text)) == APP_ERR_CONFLICT) {
        exists(round, p); /* another transaction's session, committed first */
        goto cleanup;
    }
    if (err != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    const char *sid;
    if ((obj = ops_json(text, p)) == NULL ||
        (sid = json_string_value(json_object_get(obj, "id"))) == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    if ((err = ops_audit(ctx, "vote_session.create", "vote_session", sid, NULL, text)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    *ret_session = obj;
    obj = NULL;

cleanup:
    json_decref(limits_obj);
    json_decref(obj);
    free(nominees);
    free(limits);
    free(text);
    return p->err;
}

/* A store's one-row answer as a new reference; NOT_FOUND → 404 with the
 * caller's text. */
static enum app_err loaded(enum app_err err, const char *text, json_t **ret, struct problem *p)
{
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    return (*ret = ops_json(text, p)) != NULL ? APP_OK : p->err;
}

enum app_err
vote_session_load(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p)
{
    char *text = NULL;
    enum app_err err = vote_session_store_get(ctx->db, id, &text);

    if (err == APP_ERR_NOT_FOUND) {
        problem_fail(p, err, "not_found", "网络投票 %s 不存在", "no vote session %s", id);
    } else {
        loaded(err, text, ret, p);
    }
    free(text);
    return p->err;
}

static enum app_err no_session(const struct round_ref *round, struct problem *p)
{
    return problem_fail(p, APP_ERR_NOT_FOUND, "no_vote_session", "轮次 %s 尚未开启网络投票",
                        "round %s has no vote session", round->id);
}

enum app_err vote_session_of_round(const struct op_ctx *ctx,
                                   const struct round_ref *round,
                                   json_t **ret,
                                   struct problem *p)
{
    char *text = NULL;
    enum app_err err = vote_session_store_by_round(ctx->db, round->id, &text);

    if (err == APP_ERR_NOT_FOUND) {
        no_session(round, p);
    } else {
        loaded(err, text, ret, p);
    }
    free(text);
    return p->err;
}

/* Stores the tally when it is newer; *ret_after the new tally, or NULL
 * when nothing changed. */
static enum app_err apply_tally(const struct op_ctx *ctx,
                                const char *id,
                                const struct vote_tally_post *t,
                                const json_t *before,
                                char **ret_after,
                                struct problem *p)
{
    char *counts = json_dumps(t->counts, JSON_COMPACT | JSON_SORT_KEYS);
    char *before_text = json_dumps(before, JSON_COMPACT);
    struct vote_tally row = {
        .sequence = t->sequence,
        .counts_json = counts,
        .total = t->total,
        .final = t->final,
        .log_entries = t->log_entries,
        .log_sha256 = t->log_sha256,
        .as_of = t->as_of,
    };
    enum app_err err = APP_ERR_INTERNAL;

    if (counts == NULL || before_text == NULL) {
        problem_kind(p, err);
        goto cleanup;
    }
    /* NOT_FOUND: final already, or this sequence is not newer. */
    err = vote_session_store_tally_apply(ctx->db, id, &row, ret_after);
    if (err == APP_OK) {
        err = ops_audit(ctx, "vote_session.tally", "vote_session", id, before_text, *ret_after);
    } else if (err == APP_ERR_NOT_FOUND) {
        *ret_after = NULL;
        err = APP_OK;
    }
    if (err != APP_OK) {
        ops_store_problem(err, p);
    }

cleanup:
    free(counts);
    free(before_text);
    return err;
}

/* The session a tally or a verification is about (the row locked until
 * commit when in a transaction); 404 not_found. */
static enum app_err
target_of(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p)
{
    char *text = NULL;
    enum app_err err = vote_session_store_tally_target(ctx->db, id, &text);

    if (err == APP_ERR_NOT_FOUND) {
        problem_fail(p, err, "not_found", "网络投票 %s 不存在", "no vote session %s", id);
    } else {
        loaded(err, text, ret, p);
    }
    free(text);
    return p->err;
}

/* The target's closes_at and sequence epoch. */
static enum app_err target_times(const json_t *target, long long *closes, long long *epoch)
{
    if (!rfc3339_parse(json_string_value(json_object_get(target, "closes_at")), closes) ||
        !rfc3339_parse(json_string_value(json_object_get(target, "epoch")), epoch)) {
        log_error("vote tally: the store returned a session without times");
        return APP_ERR_INTERNAL;
    }
    return APP_OK;
}

/* The checks of a tally that need its session, in this order: counts
 * (422), the close and the sequence (409). */
static enum app_err check_against(const struct op_ctx *ctx,
                                  const json_t *target,
                                  const struct vote_tally_post *t,
                                  struct problem *p)
{
    long long closes, epoch;

    if (target_times(target, &closes, &epoch) != APP_OK) {
        return problem_kind(p, APP_ERR_INTERNAL);
    }
    if (vote_rules_tally_counts(t->counts, json_object_get(target, "nominee_ids"), t->total, p) !=
        APP_OK) {
        return p->err;
    }
    return vote_rules_tally_timing(t, ctx->now_ms, closes, epoch, p);
}

enum app_err vote_session_log_target(const struct op_ctx *ctx,
                                     const char *id,
                                     const struct vote_tally_post *t,
                                     json_t **ret_nominee_ids,
                                     bool *ret_needs_log,
                                     struct problem *p)
{
    json_t *target = NULL;
    long long closes, epoch;

    *ret_needs_log = false;
    if (target_of(ctx, id, &target, p) != APP_OK) {
        goto cleanup;
    }
    if (t != NULL) {
        if (check_against(ctx, target, t, p) != APP_OK) {
            goto cleanup;
        }
        *ret_needs_log =
            t->final && !json_is_true(json_object_get(json_object_get(target, "tally"), "final")) &&
            !json_is_object(json_object_get(json_object_get(target, "integrity"), "log"));
    } else if (target_times(target, &closes, &epoch) != APP_OK) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    } else if (ctx->now_ms < closes) {
        problem_fail(p, APP_ERR_CONFLICT, "vote_not_closed",
                     "网络投票 %s 尚未结束，投票记录尚未封存",
                     "vote session %s has not closed; its log is not sealed yet", id);
        goto cleanup;
    } else {
        *ret_needs_log = true;
    }
    *ret_nominee_ids = json_incref(json_object_get(target, "nominee_ids"));

cleanup:
    json_decref(target);
    return p->err;
}

/* The final as posted, kept as the session's last final. */
static char *posted_text(const struct vote_tally_post *t)
{
    json_t *o =
        json_pack("{s:I, s:O, s:I, s:I, s:s?, s:s}", "sequence", (json_int_t)t->sequence, "counts",
                  t->counts, "total", (json_int_t)t->total, "log_entries",
                  (json_int_t)t->log_entries, "log_sha256", t->log_sha256, "as_of", t->as_of);
    char *text = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

    json_decref(o);
    return text;
}

/* The final compared with a recount of the log (an integrity's `log`). */
static const char *
final_vs(const json_t *counts, long long entries, const char *sha256, const json_t *log)
{
    return vote_rules_final_vs_log(counts, entries, sha256, json_object_get(log, "counts"),
                                   json_integer_value(json_object_get(log, "entries")),
                                   json_integer_value(json_object_get(log, "invalid_entries")),
                                   json_string_value(json_object_get(log, "sha256")));
}

/* Stores a fresh recount; *ret the integrity after it. */
static enum app_err store_recount(const struct op_ctx *ctx,
                                  const char *id,
                                  const struct vote_log_count *log,
                                  json_t **ret,
                                  struct problem *p)
{
    char *text = NULL;
    enum app_err err = vote_session_store_log_verified(ctx->db, id, log, &text);

    loaded(err, text, ret, p);
    free(text);
    return p->err;
}

static json_t *ack(bool applied, const char *id, const json_t *tally)
{
    return json_pack("{s:b, s:s, s:O, s:O}", "applied", applied, "session_id", id, "sequence",
                     json_object_get(tally, "sequence"), "final", json_object_get(tally, "final"));
}

/* A final for a session not final yet, inside the transaction: frozen when
 * it agrees with the recount of the log; otherwise kept for the admin and
 * committed, then 409 (disagrees) or 503 (no recount). */
static enum app_err post_final(const struct op_ctx *ctx,
                               const char *id,
                               const struct vote_tally_post *t,
                               const json_t *target,
                               const struct vote_log_count *fetched,
                               json_t **ret_ack,
                               struct problem *p)
{
    char *posted = posted_text(t), *before = NULL, *after = NULL;
    char *counts = json_dumps(t->counts, JSON_COMPACT | JSON_SORT_KEYS);
    json_t *integrity = json_incref(json_object_get(target, "integrity")), *stored = NULL;
    const char *reason = NULL;
    enum app_err err;

    if (posted == NULL || counts == NULL ||
        (before = json_dumps(json_object_get(target, "tally"), JSON_COMPACT)) == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    if (!json_is_object(json_object_get(integrity, "log")) && fetched != NULL) {
        json_decref(integrity);
        integrity = NULL;
        if (store_recount(ctx, id, fetched, &integrity, p) != APP_OK) {
            goto cleanup;
        }
    }
    const json_t *log = json_object_get(integrity, "log");
    if (json_is_object(log) &&
        (reason = final_vs(t->counts, t->log_entries, t->log_sha256, log)) == NULL) {
        struct vote_tally row = {.sequence = t->sequence,
                                 .counts_json = counts,
                                 .total = t->total,
                                 .final = true,
                                 .log_entries = t->log_entries,
                                 .log_sha256 = t->log_sha256,
                                 .as_of = t->as_of};
        err = vote_session_store_tally_freeze(ctx->db, id, &row, posted, &after);
        if (err == APP_OK) {
            err = ops_audit(ctx, "vote_session.tally", "vote_session", id, before, after);
        }
        if (err == APP_OK) {
            err = db_commit(ctx->db);
        }
        if (err != APP_OK) {
            ops_store_problem(err, p);
        } else if ((stored = ops_json(after, p)) != NULL &&
                   (*ret_ack = ack(true, id, stored)) == NULL) {
            problem_kind(p, APP_ERR_INTERNAL);
        }
        goto cleanup;
    }
    /* Not frozen: kept (and audited) before the refusal is answered. */
    err = vote_session_store_final_not_frozen(ctx->db, id, posted, reason, &after);
    if (err == APP_OK) {
        err = ops_audit(
            ctx, reason != NULL ? "vote_session.final_refused" : "vote_session.final_unverified",
            "vote_session", id, posted, after);
    }
    if (err == APP_OK) {
        err = db_commit(ctx->db);
    }
    if (err != APP_OK) {
        ops_store_problem(err, p);
    } else if (reason != NULL) {
        log_warn("vote tally %s: a final tally disagrees with the sealed log (%s)", id, reason);
        vote_rules_log_mismatch(reason, p);
    } else {
        problem_fail(p, APP_ERR_UNAVAILABLE, "vote_log_unavailable",
                     "暂时无法取得网络投票 %s 封存的投票记录，最终计票结果待核对后采用",
                     "the sealed log of vote session %s cannot be had now; the final tally "
                     "waits for it",
                     id);
    }

cleanup:
    json_decref(integrity);
    json_decref(stored);
    free(posted);
    free(counts);
    free(before);
    free(after);
    return p->err;
}

enum app_err vote_session_post_tally(const struct op_ctx *ctx,
                                     const char *id,
                                     const struct vote_tally_post *t,
                                     const struct vote_log_count *fetched,
                                     json_t **ret_ack,
                                     struct problem *p)
{
    char *after = NULL;
    json_t *target = NULL, *stored = NULL;
    enum app_err err = db_begin(ctx->db);

    if (err != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (target_of(ctx, id, &target, p) != APP_OK || check_against(ctx, target, t, p) != APP_OK) {
        goto cleanup;
    }
    const json_t *now = json_object_get(target, "tally");
    if (t->final && !json_is_true(json_object_get(now, "final"))) {
        post_final(ctx, id, t, target, fetched, ret_ack, p);
        goto cleanup;
    }
    if (apply_tally(ctx, id, t, now, &after, p) != APP_OK) {
        goto cleanup;
    }
    if (after != NULL && (stored = ops_json(after, p)) == NULL) {
        goto cleanup;
    }
    if ((err = db_commit(ctx->db)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((*ret_ack = ack(after != NULL, id, stored != NULL ? stored : now)) == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
    }

cleanup:
    json_decref(target);
    json_decref(stored);
    free(after);
    return p->err;
}

/* The stored final, or else the last one posted, against the recount:
 * the new state and reason; a matching last final is frozen. */
static enum app_err judge(const struct op_ctx *ctx,
                          const char *id,
                          const json_t *target,
                          const json_t *log,
                          struct problem *p)
{
    const json_t *tally = json_object_get(target, "tally");
    const json_t *last = json_object_get(json_object_get(target, "integrity"), "last_final");
    const char *state = "pending", *reason = NULL;
    char *after = NULL, *counts = NULL, *posted = NULL;
    enum app_err err = APP_OK;

    if (json_is_true(json_object_get(tally, "final"))) {
        reason = final_vs(json_object_get(tally, "counts"),
                          json_integer_value(json_object_get(tally, "log_entries")),
                          json_string_value(json_object_get(tally, "log_sha256")), log);
        state = reason == NULL ? "agreed" : "disputed";
    } else if (json_is_object(last)) {
        reason = final_vs(json_object_get(last, "counts"),
                          json_integer_value(json_object_get(last, "log_entries")),
                          json_string_value(json_object_get(last, "log_sha256")), log);
        state = reason == NULL ? "agreed" : "disputed";
        if (reason == NULL) {
            struct vote_tally row = {
                .sequence = json_integer_value(json_object_get(last, "sequence")),
                .counts_json = counts =
                    json_dumps(json_object_get(last, "counts"), JSON_COMPACT | JSON_SORT_KEYS),
                .total = json_integer_value(json_object_get(last, "total")),
                .final = true,
                .log_entries = json_integer_value(json_object_get(last, "log_entries")),
                .log_sha256 = json_string_value(json_object_get(last, "log_sha256")),
                .as_of = json_string_value(json_object_get(last, "as_of"))};
            posted = json_dumps(last, JSON_COMPACT | JSON_SORT_KEYS);
            err = counts == NULL || posted == NULL
                      ? APP_ERR_INTERNAL
                      : vote_session_store_tally_freeze(ctx->db, id, &row, posted, &after);
            if (err == APP_OK) {
                char *before = json_dumps(tally, JSON_COMPACT);
                err = ops_audit(ctx, "vote_session.tally", "vote_session", id, before, after);
                free(before);
            }
        }
    }
    free(after);
    after = NULL;
    if (err == APP_OK && reason != NULL) {
        log_warn("vote integrity %s: the final disagrees with the sealed log (%s)", id, reason);
    }
    if (err == APP_OK) {
        err = vote_session_store_integrity_set(ctx->db, id, state, reason, &after);
    }
    free(after);
    free(counts);
    free(posted);
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

enum app_err vote_session_verify(const struct op_ctx *ctx,
                                 const char *id,
                                 const struct vote_log_count *log,
                                 json_t **ret_session,
                                 struct problem *p)
{
    json_t *target = NULL, *integrity = NULL;
    char *before = NULL, *after = NULL;
    enum app_err err = db_begin(ctx->db);

    if (err != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (target_of(ctx, id, &target, p) != APP_OK ||
        (before = json_dumps(json_object_get(target, "integrity"), JSON_COMPACT)) == NULL ||
        store_recount(ctx, id, log, &integrity, p) != APP_OK ||
        judge(ctx, id, target, json_object_get(integrity, "log"), p) != APP_OK ||
        vote_session_load(ctx, id, ret_session, p) != APP_OK) {
        if (before == NULL && p->err == APP_OK) {
            problem_kind(p, APP_ERR_INTERNAL);
        }
        goto cleanup;
    }
    if ((after = json_dumps(json_object_get(*ret_session, "integrity"), JSON_COMPACT)) == NULL) {
        err = APP_ERR_INTERNAL;
    } else {
        err = ops_audit(ctx, "vote_session.verify", "vote_session", id, before, after);
    }
    if (err == APP_OK) {
        err = db_commit(ctx->db);
    }
    if (err != APP_OK) {
        json_decref(*ret_session);
        *ret_session = NULL;
        ops_store_problem(err, p);
    }

cleanup:
    json_decref(target);
    json_decref(integrity);
    free(before);
    free(after);
    return p->err;
}

enum app_err vote_session_resolve(const struct op_ctx *ctx,
                                  const char *id,
                                  const char *note,
                                  json_t **ret_session,
                                  struct problem *p)
{
    json_t *target = NULL;
    char *before = NULL, *after = NULL;
    enum app_err err = db_begin(ctx->db);

    if (err != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (target_of(ctx, id, &target, p) != APP_OK) {
        goto cleanup;
    }
    const json_t *integrity = json_object_get(target, "integrity");
    if (!json_is_object(json_object_get(integrity, "log"))) {
        problem_fail(p, APP_ERR_CONFLICT, "log_not_verified",
                     "网络投票 %s 的投票记录尚未核对，请先核对（verification）",
                     "the log of vote session %s has not been verified; verify it first", id);
        goto cleanup;
    }
    if (strcmp(json_string_value(json_object_get(integrity, "state")), "agreed") == 0) {
        problem_fail(p, APP_ERR_CONFLICT, "integrity_agreed",
                     "网络投票 %s 的最终结果与投票记录一致，无需裁定",
                     "the final result of vote session %s agrees with its log; nothing to resolve",
                     id);
        goto cleanup;
    }
    if ((before = json_dumps(json_object_get(target, "tally"), JSON_COMPACT)) == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    err = vote_session_store_resolve(ctx->db, id, ctx->actor->id, note, &after);
    if (err == APP_OK) {
        err = ops_audit(ctx, "vote_session.resolve", "vote_session", id, before, after);
    }
    if (err != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (vote_session_load(ctx, id, ret_session, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = db_commit(ctx->db)) != APP_OK) {
        json_decref(*ret_session);
        *ret_session = NULL;
        ops_store_problem(err, p);
    }

cleanup:
    json_decref(target);
    free(before);
    free(after);
    return p->err;
}

/* The results' state by the context's clock, from their window. */
static enum app_err
results_state(const struct op_ctx *ctx, const json_t *res, enum vote_window_state *ret)
{
    long long opens, closes;

    if (!rfc3339_parse(json_string_value(json_object_get(res, "opens_at")), &opens) ||
        !rfc3339_parse(json_string_value(json_object_get(res, "closes_at")), &closes)) {
        log_error("vote results: the store returned a window without times");
        return APP_ERR_INTERNAL;
    }
    *ret = vote_rules_state(ctx->now_ms, opens, closes);
    return APP_OK;
}

enum app_err vote_session_results(const struct op_ctx *ctx,
                                  const struct round_ref *round,
                                  json_t **ret,
                                  struct problem *p)
{
    char *text = NULL;
    json_t *res = NULL;
    enum vote_window_state state = VOTE_WINDOW_CLOSED;
    enum app_err err = vote_session_store_results(ctx->db, round->id, &text);

    if (err == APP_ERR_NOT_FOUND) {
        no_session(round, p);
        goto cleanup;
    }
    if (loaded(err, text, &res, p) != APP_OK) {
        goto cleanup;
    }
    if (results_state(ctx, res, &state) != APP_OK ||
        json_object_set_new(res, "state", json_string(vote_rules_state_name(state))) != 0) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    if (vote_rules_results_access(state, ctx->actor->role, p) == APP_OK) {
        *ret = res;
        res = NULL;
    }

cleanup:
    json_decref(res);
    free(text);
    return p->err;
}

enum app_err vote_session_record_push(const struct op_ctx *ctx,
                                      const char *id,
                                      const char *body,
                                      const char *error,
                                      struct problem *p)
{
    char *row = NULL;
    enum app_err err = db_begin(ctx->db);

    if (err == APP_OK) {
        err = vote_session_store_push_result(ctx->db, id, body, error, &row);
    }
    if (err == APP_OK && error == NULL) {
        err = ops_audit(ctx, "vote_session.push", "vote_session", id, NULL, row);
    }
    if (err == APP_OK) {
        err = db_commit(ctx->db);
    }
    db_rollback(ctx->db);
    free(row);
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

enum app_err vote_session_withdraw_nominee(const struct op_ctx *ctx,
                                           const char *nomination_id,
                                           char ret_session_id[VOTE_SESSION_ID_MAX],
                                           struct problem *p)
{
    char *text = NULL, *before = NULL, *after = NULL;
    json_t *res = NULL;
    const char *sid;
    enum app_err err = vote_session_store_withdraw(ctx->db, nomination_id, &text);

    if (err == APP_ERR_NOT_FOUND) {
        return APP_OK; /* not on a ballot, or marked already */
    }
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if ((res = ops_json(text, p)) == NULL) {
        goto cleanup;
    }
    sid = json_string_value(json_object_get(res, "id"));
    before = json_dumps(json_object_get(res, "before"), JSON_COMPACT);
    after = json_dumps(json_object_get(res, "after"), JSON_COMPACT);
    if (sid == NULL || strlen(sid) >= VOTE_SESSION_ID_MAX || before == NULL || after == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    if ((err = ops_audit(ctx, "vote_session.withdraw_nominee", "vote_session", sid, before,
                         after)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (ret_session_id != NULL) {
        snprintf(ret_session_id, VOTE_SESSION_ID_MAX, "%s", sid);
    }

cleanup:
    json_decref(res);
    free(text);
    free(before);
    free(after);
    return p->err;
}
