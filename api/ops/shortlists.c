/* SPDX-License-Identifier: MIT */
/*
 * The shortlist's freeze (ops/shortlists.h). The automatic list is the
 * ranking's first N entries that are complete and pass every gate; the
 * ranking's order puts those first, so without overrides the top N are the
 * list. Any entry at a position where the automatic list has another one
 * (a different order, a lower-ranked nomination, a gate failure or an
 * incomplete one) needs a reason in `reasons`.
 */
#include "shortlists.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil_time.h"
#include "enums.h"
#include "flow.h"
#include "ranking.h"
#include "scope.h"
#include "store/round_store.h"
#include "uuid.h"

#define REASON_MAX 500
#define SIZE_MAX_N 1000 /* shortlists.size, migration 0020 */

static const char *const BODY_MEMBERS[] = {"size", "order", "reasons"};

/* Index of nomination `id` in the ranking, or -1. */
static long find(const struct ranking *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->rank[i].nomination_id, id) == 0) {
            return (long)i;
        }
    }
    return -1;
}

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char)*s & 0xc0) != 0x80;
    }
    return n;
}

/* The body's shape: unknown members (400) first, then size's type. */
static enum app_err check_shape(const json_t *body, int *ret_size, struct problem *p)
{
    const char *key;
    json_t *v;
    const json_t *size;

    *ret_size = -1;
    if (!json_is_object(body)) {
        return problem_field(p, APP_ERR_VALIDATION, "", "not_an_object", "请求体须为 JSON 对象",
                             "the body must be a JSON object");
    }
    json_object_foreach((json_t *)body, key, v)
    {
        bool known = false;
        for (size_t i = 0; i < sizeof(BODY_MEMBERS) / sizeof(BODY_MEMBERS[0]); i++) {
            known = known || strcmp(key, BODY_MEMBERS[i]) == 0;
        }
        if (!known) {
            char ptr[256];
            problem_pointer(ptr, sizeof(ptr), "", key);
            problem_field(p, APP_ERR_UNKNOWN_FIELD, ptr, "unknown_field", "未知字段 %s",
                          "unknown member %s", key);
        }
    }
    if (p->err != APP_OK) {
        return p->err;
    }
    size = json_object_get(body, "size");
    if (size != NULL && !json_is_null(size)) {
        if (!json_is_integer(size)) {
            return problem_field(p, APP_ERR_VALIDATION, "/size", "wrong_type", "size 须为整数",
                                 "size must be an integer");
        }
        if (json_integer_value(size) < 1 || json_integer_value(size) > SIZE_MAX_N) {
            return problem_field(p, APP_ERR_VALIDATION, "/size", "out_of_range",
                                 "size 须在 1 到 %d 之间", "size must be 1..%d", SIZE_MAX_N);
        }
        *ret_size = (int)json_integer_value(size);
    }
    return APP_OK;
}

/* The list: `order` as ranking indexes into *ret (n_ret of them), or the
 * automatic top `size`. Faults at /order/i. */
static enum app_err pick(const json_t *order,
                         const struct ranking *r,
                         int size,
                         long *ret,
                         size_t *n_ret,
                         struct problem *p)
{
    size_t i;
    json_t *v;

    *n_ret = 0;
    if (order == NULL || json_is_null(order)) {
        for (i = 0; i < r->n && *n_ret < (size_t)size; i++) {
            if (ranking_listable(&r->rank[i])) {
                ret[(*n_ret)++] = (long)i;
            }
        }
        return APP_OK;
    }
    if (!json_is_array(order)) {
        return problem_field(p, APP_ERR_VALIDATION, "/order", "wrong_type",
                             "order 须为推荐编号的数组",
                             "order must be an array of nomination ids");
    }
    if (json_array_size(order) == 0) {
        return problem_field(p, APP_ERR_VALIDATION, "/order", "required", "order 不能为空",
                             "order must not be empty");
    }
    if (json_array_size(order) > (size_t)size) {
        return problem_field(p, APP_ERR_VALIDATION, "/order", "too_many_shortlisted",
                             "入围名单最多 %d 人，order 有 %zu 人",
                             "the shortlist holds at most %d; order lists %zu", size,
                             json_array_size(order));
    }
    json_array_foreach(order, i, v)
    {
        char ptr[32];
        const char *id = json_string_value(v);
        long at;

        snprintf(ptr, sizeof(ptr), "/order/%zu", i);
        if (id == NULL || !uuid_valid(id)) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "not_uuid", "须为推荐编号（UUID）",
                          "must be a nomination id (UUID)");
            continue;
        }
        if ((at = find(r, id)) < 0) {
            problem_field(p, APP_ERR_VALIDATION, ptr, "not_in_ranking",
                          "推荐 %s 不在本轮次的评审排名中",
                          "nomination %s is not in this round's ranking", id);
            continue;
        }
        for (size_t j = 0; j < *n_ret; j++) {
            if (ret[j] == at) {
                problem_field(p, APP_ERR_VALIDATION, ptr, "duplicate",
                              "推荐 %s 已在 /order/%zu 列出",
                              "nomination %s is already at /order/%zu", id, j);
                at = -1;
                break;
            }
        }
        if (at >= 0) {
            ret[(*n_ret)++] = at;
        }
    }
    return p->err;
}

/* Every entry departing from the automatic list has a reason of 1..500
 * characters; a reason names a listed nomination. Faults at /reasons/<id>
 * or /order/i. */
static enum app_err check_reasons(const json_t *reasons,
                                  const struct ranking *r,
                                  const long *list,
                                  size_t n,
                                  const long *autolist,
                                  size_t n_auto,
                                  struct problem *p)
{
    const char *key;
    json_t *v;

    if (reasons != NULL && !json_is_null(reasons) && !json_is_object(reasons)) {
        return problem_field(p, APP_ERR_VALIDATION, "/reasons", "wrong_type",
                             "reasons 须为对象（推荐编号 → 理由）",
                             "reasons must be an object (nomination id -> reason)");
    }
    if (json_is_object(reasons)) {
        json_object_foreach((json_t *)reasons, key, v)
        {
            char ptr[256];
            long at = find(r, key);
            bool listed = false;

            problem_pointer(ptr, sizeof(ptr), "/reasons", key);
            for (size_t i = 0; at >= 0 && i < n; i++) {
                listed = listed || list[i] == at;
            }
            if (!listed) {
                problem_field(p, APP_ERR_VALIDATION, ptr, "not_in_order",
                              "推荐 %s 不在入围名单中，不需要理由",
                              "nomination %s is not on the list; no reason applies", key);
            } else if (!json_is_string(v) || utf8_len(json_string_value(v)) == 0 ||
                       utf8_len(json_string_value(v)) > REASON_MAX) {
                problem_field(p, APP_ERR_VALIDATION, ptr, "out_of_range",
                              "理由须为 1–%d 个字符的字符串",
                              "a reason is a string of 1..%d characters", REASON_MAX);
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        const char *id = r->rank[list[i]].nomination_id;
        if ((i >= n_auto || autolist[i] != list[i]) &&
            !json_is_string(json_object_get(reasons, id))) {
            char ptr[32];
            snprintf(ptr, sizeof(ptr), "/order/%zu", i);
            problem_field(p, APP_ERR_VALIDATION, ptr, "override_reason_required",
                          "第 %zu 位的推荐 %s 偏离排名（排名第 %d%s），须在 reasons 中说明理由",
                          "position %zu (nomination %s) departs from the ranking (rank %d%s): "
                          "give a reason in reasons",
                          i + 1, id, r->rank[list[i]].rank,
                          ranking_listable(&r->rank[list[i]]) ? "" : ", gate failed or incomplete");
        }
    }
    return p->err;
}

enum app_err shortlist_freeze(const struct op_ctx *ctx,
                              const char *round_id,
                              const json_t *body,
                              json_t **ret,
                              struct problem *p)
{
    struct round_ref round;
    struct programme_policy pol = {0};
    struct ranking r = {0};
    long *list = NULL, *autolist = NULL;
    size_t n_list = 0, n_auto = 0;
    int office_n = -1, size = 0;
    json_t *ids = NULL;
    struct textbuf snapshot = {0};
    char *snap_text = NULL, *ids_text = NULL, *after = NULL, *round_after = NULL;
    char now[RFC3339_TEXT_MAX];
    enum app_err err;

    *ret = NULL;
    if (ops_round_scope(ctx, round_id, true, &round, p) != APP_OK ||
        check_shape(body, &office_n, p) != APP_OK ||
        nomination_load_policy(ctx->db, &round, &pol, p) != APP_OK ||
        review_shortlist_size(&pol.p, office_n, "/size", &size, p) != APP_OK) {
        goto cleanup;
    }
    err = ranking_store_shortlist(ctx->db, round.id, &after);
    if (err == APP_OK) {
        problem_fail(p, APP_ERR_CONFLICT, "shortlist_exists",
                     "本轮次的入围名单已确定，不能再次确定",
                     "this round's shortlist is already frozen");
        goto cleanup;
    }
    if (err != APP_ERR_NOT_FOUND) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if (round.phase != PHASE_REVIEW) {
        problem_fail(p, APP_ERR_CONFLICT, "round_not_in_review",
                     "轮次处于“%s”阶段，须在“专家评审”阶段确定入围名单",
                     "the round is in phase %s; the shortlist is frozen in phase review",
                     enums_label(ENUMS_ROUND_PHASES, (int)round.phase));
        goto cleanup;
    }
    if (ranking_build(ctx, &round, &pol.p, &r, p) != APP_OK) {
        goto cleanup;
    }
    if (r.n == 0) {
        problem_fail(p, APP_ERR_CONFLICT, "nothing_to_shortlist", "本轮次没有评审中的推荐",
                     "no nomination of this round is in review");
        goto cleanup;
    }
    list = calloc(r.n + 1, sizeof(*list));
    autolist = calloc(r.n + 1, sizeof(*autolist));
    if (list == NULL || autolist == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    pick(NULL, &r, size, autolist, &n_auto, p);
    if (pick(json_object_get(body, "order"), &r, size, list, &n_list, p) != APP_OK ||
        check_reasons(json_object_get(body, "reasons"), &r, list, n_list, autolist, n_auto, p) !=
            APP_OK) {
        goto cleanup;
    }
    if (n_list == 0) {
        problem_fail(
            p, APP_ERR_CONFLICT, "nothing_to_shortlist",
            "没有可自动入围的推荐（全部未完成评审或未通过品格审查）；请用 order 列出并说明理由",
            "no nomination can be listed automatically (none complete with every gate "
            "passed); list them in order with reasons");
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    textbuf_init(&snapshot, RANKING_TEXT_BYTES(r.n));
    ranking_entries_text(&snapshot, &r);
    if ((snap_text = textbuf_take(&snapshot, NULL)) == NULL || (ids = json_array()) == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    free(after);
    after = NULL;
    if ((err = ranking_store_freeze(ctx->db, round.id, size, snap_text,
                                    ctx->actor->id[0] ? ctx->actor->id : NULL, now)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    for (size_t i = 0; i < n_list; i++) {
        const char *id = r.rank[list[i]].nomination_id;
        if ((err = ranking_store_entry(
                 ctx->db, round.id, size, (int)i + 1, id, r.rank[list[i]].rank,
                 json_string_value(json_object_get(json_object_get(body, "reasons"), id)))) !=
            APP_OK) {
            ops_store_problem(err, p);
            goto cleanup;
        }
        json_array_append_new(ids, json_string(id));
    }
    /* The moves in_review → shortlisted / not_shortlisted (model/flow.c). */
    if ((ids_text = json_dumps(ids, JSON_COMPACT)) == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    if ((err = ranking_store_move_nominations(ctx->db, round.id, ids_text, ctx->actor, now)) !=
        APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    /* The freeze closes the review, which seals the reviews (model/flow.c):
     * with a public vote the round goes to voting, where the vote session
     * opens on this list (岚山); without one to deciding (环翠). */
    enum round_phase next = pol.p.vote_nominees >= 0 ? PHASE_VOTING : PHASE_DECIDING;
    if ((flow_round_move(PHASE_REVIEW, next)->guards & GUARD_SHORTLIST_FREEZE) &&
        (err = round_store_set_phase(ctx->db, round.id, round.version,
                                     enums_value(ENUMS_ROUND_PHASES, (int)next), &round_after)) !=
            APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((err = ranking_store_shortlist(ctx->db, round.id, &after)) != APP_OK ||
        (err = ops_audit(ctx, "shortlist.freeze", "shortlist", round.id, NULL, after)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    *ret = ops_json(after, p);

cleanup:
    json_decref(pol.json);
    json_decref(ids);
    ranking_free(&r);
    free(list);
    free(autolist);
    free(snap_text);
    free(ids_text);
    free(after);
    free(round_after);
    return p->err;
}

enum app_err
shortlist_get(const struct op_ctx *ctx, const char *round_id, json_t **ret, struct problem *p)
{
    struct round_ref round;
    char *text = NULL;
    enum app_err err;

    if (ops_round_scope(ctx, round_id, false, &round, p) != APP_OK) {
        return p->err;
    }
    err = ranking_store_shortlist(ctx->db, round.id, &text);
    if (err == APP_ERR_NOT_FOUND) {
        return problem_fail(p, err, "shortlist_not_frozen", "本轮次的入围名单尚未确定",
                            "this round's shortlist is not frozen yet");
    }
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret = ops_json(text, p);
    free(text);
    return p->err;
}
