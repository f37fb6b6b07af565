/* SPDX-License-Identifier: MIT */
/*
 * The review draw and assignments (ops/review_assignments.h).
 *
 * The facts come from one store read (review_draw_inputs of
 * db/functions/09_review.sql) as JSON, are copied into the plain structs
 * of api/model/review_draw.h, and the model decides; its rules are not
 * repeated here. The seed is a 64-bit number shown and stored as decimal
 * text: the same seed over the same pool and nominations gives the same
 * pairs (a dry run with the seed of a real draw repeats it). A candidate's
 * 职业（工种） longer than the model's field holds matches no expert's field
 * (no preference) rather than a truncated one.
 *
 * A recusal after the expert has reviewed is allowed: the assignment
 * ends, its reviews stay (append-only) but no longer count, since the
 * ranking uses the reviews of active assignments only.
 */
#include "review_assignments.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "enums.h"
#include "flow.h"
#include "json_fields.h"
#include "log.h"
#include "policy.h"
#include "review_draw.h"
#include "rounds.h"
#include "scope.h"
#include "store/review_assignment_store.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct json_field draw_fields[] = {
    {"seed", JF_STRING, false, 1, 20},
    {"dry_run", JF_BOOL, false, 0, 0},
};

static const struct json_field end_fields[] = {
    {"reason", JF_STRING, true, 1, REVIEW_END_REASON_MAX},
};

/* A decimal 0..2^64-1 without sign or space. */
static bool parse_seed(const char *s, uint64_t *ret)
{
    char *end = NULL;
    unsigned long long v;

    if (s == NULL || *s == '\0' || strlen(s) > 20 || strspn(s, "0123456789") != strlen(s)) {
        return false;
    }
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0') {
        return false;
    }
    *ret = (uint64_t)v;
    return true;
}

static uint64_t random_seed(void)
{
    uint64_t s;

    randombytes_buf(&s, sizeof(s));
    return s;
}

enum app_err review_draw_body_check(const json_t *body, struct problem *p)
{
    const json_t *seed;
    uint64_t v;

    if (!json_fields_check(body, draw_fields, N_OF(draw_fields), "", p)) {
        return p->err;
    }
    seed = json_object_get(body, "seed");
    if (seed != NULL && !parse_seed(json_string_value(seed), &v)) {
        return problem_field(p, APP_ERR_VALIDATION, "/seed", "bad_seed",
                             "种子须为 0 至 18446744073709551615 的十进制整数",
                             "the seed is a decimal integer 0 to 18446744073709551615");
    }
    return APP_OK;
}

/* ---- the model's inputs ---- */

struct inputs {
    json_t *doc;
    struct draw_expert *pool;
    const char **pool_names;
    size_t n_pool;
    struct draw_nomination *noms;
    const char **nom_names;
    size_t n_noms;
    const char ***ptrs; /* the pointer arrays, to free */
    size_t n_ptrs;
    int k;
};

static void inputs_free(struct inputs *in)
{
    for (size_t i = 0; i < in->n_ptrs; i++) {
        free((void *)in->ptrs[i]);
    }
    free(in->ptrs);
    free(in->pool);
    free(in->pool_names);
    free(in->noms);
    free(in->nom_names);
    json_decref(in->doc);
    memset(in, 0, sizeof(*in));
}

static void copy_text(char *dst, size_t cap, const json_t *v)
{
    const char *s = json_string_value(v);

    dst[0] = '\0';
    if (s != NULL && strlen(s) < cap) {
        memcpy(dst, s, strlen(s) + 1);
    }
}

/* The strings of JSON array `a` as a pointer array owned by `in`. */
static bool strings_of(struct inputs *in, const json_t *a, const char *const **ret, size_t *n)
{
    size_t i, len = json_array_size(a);
    const char **v = calloc(len + 1, sizeof(*v));
    const char ***grown = realloc(in->ptrs, (in->n_ptrs + 1) * sizeof(*grown));
    const json_t *el;

    if (v == NULL || grown == NULL) {
        free(v);
        if (grown != NULL) {
            in->ptrs = grown;
        }
        return false;
    }
    in->ptrs = grown;
    in->ptrs[in->n_ptrs++] = v;
    json_array_foreach(a, i, el)
    {
        v[i] = json_string_value(el) != NULL ? json_string_value(el) : "";
    }
    *ret = v;
    *n = len;
    return true;
}

static enum app_err inputs_load(const struct op_ctx *ctx,
                                const char *round_id,
                                const char *nomination_id,
                                struct inputs *in,
                                struct problem *p)
{
    char *text = NULL;
    struct policy pol;
    const json_t *pool, *noms, *el;
    size_t i;
    enum app_err err;

    memset(in, 0, sizeof(*in));
    err = review_assignment_store_inputs(ctx->db, round_id, nomination_id, &text);
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    in->doc = ops_json(text, p);
    free(text);
    if (in->doc == NULL) {
        return p->err;
    }
    if (policy_from_json(json_object_get(in->doc, "policy"), &pol) != APP_OK) {
        log_error("review draw: round %s has a policy that does not validate", round_id);
        return ops_internal(p);
    }
    in->k = pol.review_experts;
    pool = json_object_get(in->doc, "pool");
    noms = json_object_get(in->doc, "nominations");
    in->n_pool = json_array_size(pool);
    in->n_noms = json_array_size(noms);
    in->pool = calloc(in->n_pool + 1, sizeof(*in->pool));
    in->pool_names = calloc(in->n_pool + 1, sizeof(*in->pool_names));
    in->noms = calloc(in->n_noms + 1, sizeof(*in->noms));
    in->nom_names = calloc(in->n_noms + 1, sizeof(*in->nom_names));
    if (in->pool == NULL || in->pool_names == NULL || in->noms == NULL || in->nom_names == NULL) {
        return ops_internal(p);
    }
    json_array_foreach(pool, i, el)
    {
        struct draw_expert *e = &in->pool[i];

        copy_text(e->id, sizeof(e->id), json_object_get(el, "id"));
        copy_text(e->employer_code, sizeof(e->employer_code), json_object_get(el, "employer_code"));
        copy_text(e->unit_id, sizeof(e->unit_id), json_object_get(el, "unit_id"));
        e->load = (int)json_integer_value(json_object_get(el, "load"));
        in->pool_names[i] = json_string_value(json_object_get(el, "name"));
        if (!strings_of(in, json_object_get(el, "fields"), &e->fields, &e->n_fields) ||
            !strings_of(in, json_object_get(el, "relations"), &e->relations, &e->n_relations)) {
            return ops_internal(p);
        }
    }
    json_array_foreach(noms, i, el)
    {
        struct draw_nomination *n = &in->noms[i];

        copy_text(n->id, sizeof(n->id), json_object_get(el, "id"));
        copy_text(n->employer_code, sizeof(n->employer_code), json_object_get(el, "employer_code"));
        copy_text(n->unit_id, sizeof(n->unit_id), json_object_get(el, "unit_id"));
        copy_text(n->unit_code, sizeof(n->unit_code), json_object_get(el, "unit_code"));
        copy_text(n->candidate_hash, sizeof(n->candidate_hash), json_object_get(el, "hash"));
        copy_text(n->field, sizeof(n->field), json_object_get(el, "field"));
        in->nom_names[i] = json_string_value(json_object_get(el, "name"));
        if (!strings_of(in, json_object_get(el, "excluded"), &n->excluded, &n->n_excluded)) {
            return ops_internal(p);
        }
    }
    return APP_OK;
}

/* A drawn pair as the API shows it before it is written (a dry run). */
static json_t *pair_json(const struct inputs *in, size_t nom, size_t expert, const char *replaces)
{
    return json_pack("{s:s, s:s?, s:s, s:s?, s:b, s:s?}", "nomination_id", in->noms[nom].id,
                     "nomination_name", in->nom_names[nom], "expert_id", in->pool[expert].id,
                     "expert_name", in->pool_names[expert], "field_match",
                     draw_field_matches(&in->pool[expert], &in->noms[nom]), "replaces", replaces);
}

static enum app_err
refuse_shortage(const struct inputs *in, const struct draw_shortage *s, size_t n, struct problem *p)
{
    json_t *list = json_array();

    for (size_t i = 0; i < n; i++) {
        json_array_append_new(list, json_pack("{s:s, s:s?, s:I, s:i}", "nomination_id",
                                              in->noms[s[i].nomination].id, "nomination_name",
                                              in->nom_names[s[i].nomination], "available",
                                              (json_int_t)s[i].available, "required", in->k));
    }
    problem_fail(p, APP_ERR_CONFLICT, "not_enough_experts",
                 "%zu 份推荐没有足够的无利益冲突专家（每份需 %d 名），未作任何抽取",
                 "%zu nomination(s) lack conflict-free experts (%d each are needed); nothing was "
                 "drawn",
                 n, in->k);
    p->extra = json_pack("{s:o}", "shortages", list);
    return p->err;
}

static enum app_err refuse_phase(const struct round_ref *r, bool drawing, struct problem *p)
{
    const char *phase = enums_value(ENUMS_ROUND_PHASES, (int)r->phase);

    if (drawing) {
        problem_fail(p, APP_ERR_CONFLICT, "round_not_drawable",
                     "批次处于“%s”阶段，只有资格审查或评审阶段的批次可以抽取评审专家",
                     "the round is in phase %s; experts are drawn in phase qualification or review",
                     phase);
    } else {
        problem_fail(p, APP_ERR_CONFLICT, "round_not_in_review", "批次处于“%s”阶段，不在评审阶段",
                     "the round is in phase %s, not in review", phase);
    }
    p->extra = json_pack("{s:s}", "current_phase", phase);
    return p->err;
}

/* Writes a real draw: the round into review, the rows, the nominations'
 * moves and the audit event. */
static enum app_err write_panel(const struct op_ctx *ctx,
                                const struct round_ref *r,
                                const struct inputs *in,
                                const char *seed,
                                const size_t *assign,
                                json_t **ret_draw,
                                struct problem *p)
{
    json_t *pairs = json_array(), *ids = json_array(), *moved = NULL;
    char *pairs_text = NULL, *ids_text = NULL, *draw_text = NULL, *after = NULL;
    enum app_err err = APP_OK;

    const struct nomination_move *move = flow_nomination_move(NOM_QUALIFIED, NOM_IN_REVIEW);

    if (move == NULL || !(move->guards & GUARD_BY_DRAW) ||
        !(move->roles & ROLE_BIT(ctx->actor->role))) {
        log_error("review draw: flow.c has no qualified -> in_review move for the draw");
        ops_internal(p);
        goto done;
    }
    if (r->phase == PHASE_QUALIFICATION &&
        round_transition(ctx, r, PHASE_REVIEW, &moved, p) != APP_OK) {
        goto done;
    }
    for (size_t i = 0; i < in->n_noms; i++) {
        json_array_append_new(ids, json_string(in->noms[i].id));
        for (int j = 0; j < in->k; j++) {
            json_array_append_new(pairs,
                                  pair_json(in, i, assign[i * (size_t)in->k + (size_t)j], NULL));
        }
    }
    pairs_text = json_dumps(pairs, JSON_COMPACT);
    ids_text = json_dumps(ids, JSON_COMPACT);
    if (pairs_text == NULL || ids_text == NULL) {
        ops_internal(p);
        goto done;
    }
    if ((err = review_assignment_store_record(ctx->db, r->id, "panel", seed, in->k, ctx->actor->id,
                                              pairs_text, &draw_text)) != APP_OK ||
        (err = review_assignment_store_start_review(ctx->db, ids_text, ctx->actor->id,
                                                    ctx->actor->username,
                                                    auth_role_name(ctx->actor->role))) != APP_OK) {
        ops_store_problem(err, p);
        goto done;
    }
    if ((*ret_draw = ops_json(draw_text, p)) == NULL) {
        goto done;
    }
    json_t *event = json_pack("{s:O, s:I, s:O}", "draw", *ret_draw, "assignments",
                              (json_int_t)json_array_size(pairs), "nominations", ids);
    after = json_dumps(event, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(event);
    if (after == NULL) {
        ops_internal(p);
    } else if ((err = ops_audit(ctx, "review.draw", "round", r->id, NULL, after)) != APP_OK) {
        ops_store_problem(err, p);
    }

done:
    json_decref(pairs);
    json_decref(ids);
    json_decref(moved);
    free(pairs_text);
    free(ids_text);
    free(draw_text);
    free(after);
    return p->err;
}

enum app_err review_draw_panel(const struct op_ctx *ctx,
                               const struct round_ref *r,
                               const json_t *body,
                               json_t **ret,
                               struct problem *p)
{
    struct inputs in;
    const char *seed_text = json_string_value(json_object_get(body, "seed"));
    bool dry_run = json_is_true(json_object_get(body, "dry_run")), drawn = false;
    uint64_t seed = 0;
    char seed_dec[24];
    size_t *assign = NULL, n_short = 0;
    struct draw_shortage *shortages = NULL;
    json_t *draw = NULL, *items = NULL;
    enum app_err err;

    memset(&in, 0, sizeof(in));
    if (review_draw_body_check(body, p) != APP_OK) {
        return p->err;
    }
    if (r->phase != PHASE_QUALIFICATION && r->phase != PHASE_REVIEW) {
        return refuse_phase(r, true, p);
    }
    if ((err = review_assignment_store_has_panel(ctx->db, r->id, &drawn)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (drawn) {
        return problem_fail(p, APP_ERR_CONFLICT, "panel_drawn",
                            "该批次已抽取评审专家；个别调整请用回避或撤换",
                            "the round's panel is drawn already; use a recusal or a removal");
    }
    if (seed_text == NULL) {
        seed = random_seed();
    } else {
        parse_seed(seed_text, &seed);
    }
    snprintf(seed_dec, sizeof(seed_dec), "%" PRIu64, seed);
    if (inputs_load(ctx, r->id, NULL, &in, p) != APP_OK) {
        goto done;
    }
    if (in.n_noms == 0) {
        problem_fail(p, APP_ERR_CONFLICT, "no_qualified_nominations",
                     "该批次没有资格审查合格的推荐，无从抽取",
                     "the round has no qualified nomination to draw for");
        goto done;
    }
    assign = calloc(in.n_noms * (size_t)in.k, sizeof(*assign));
    shortages = calloc(in.n_noms, sizeof(*shortages));
    if (assign == NULL || shortages == NULL) {
        ops_internal(p);
        goto done;
    }
    switch (draw_panels(in.pool, in.n_pool, in.noms, in.n_noms, in.k, seed, assign, NULL, shortages,
                        &n_short)) {
    case DRAW_OK:
        break;
    case DRAW_NOT_ENOUGH:
        refuse_shortage(&in, shortages, n_short, p);
        goto done;
    case DRAW_INVALID:
    default:
        ops_internal(p);
        goto done;
    }
    if (dry_run) {
        items = json_array();
        for (size_t i = 0; i < in.n_noms * (size_t)in.k; i++) {
            json_array_append_new(items, pair_json(&in, i / (size_t)in.k, assign[i], NULL));
        }
        draw = json_pack("{s:n, s:s, s:s, s:s, s:i}", "id", "round_id", r->id, "seed", seed_dec,
                         "kind", "panel", "experts_per_nomination", in.k);
        *ret = json_pack("{s:b, s:o, s:o}", "dry_run", 1, "draw", draw, "items", items);
        goto done;
    }
    if (write_panel(ctx, r, &in, seed_dec, assign, &draw, p) != APP_OK ||
        review_assignment_list(ctx, r->id, ret, p) != APP_OK) {
        json_decref(draw);
        goto done;
    }
    json_object_set_new(*ret, "dry_run", json_false());
    json_object_set_new(*ret, "draw", draw);

done:
    inputs_free(&in);
    free(assign);
    free(shortages);
    return p->err;
}

/* The assignment's round, for its scope: the expert its own, the office
 * its programmes; everyone else sees no such assignment. */
static enum app_err end_scope(
    const struct op_ctx *ctx, const json_t *a, bool recusal, struct round_ref *r, struct problem *p)
{
    const char *id = json_string_value(json_object_get(a, "id"));
    const char *round_id = json_string_value(json_object_get(a, "round_id"));
    const char *expert = json_string_value(json_object_get(a, "expert_id"));
    enum app_err err = scope_store_round(ctx->db, round_id, SCOPE_LOCK_UPDATE, r);
    bool mine = recusal ? ctx->actor->role == ROLE_EXPERT && strcmp(expert, ctx->actor->id) == 0
                        : ctx->actor->role == ROLE_OFFICE &&
                              ops_programme_in_scope(ctx->actor, r->programme);

    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (!mine) {
        return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "评审任务 %s 不存在",
                            "no review assignment %s", id);
    }
    return APP_OK;
}

enum app_err review_assignment_end(const struct op_ctx *ctx,
                                   const char *id,
                                   bool recusal,
                                   const json_t *body,
                                   json_t **ret,
                                   struct problem *p)
{
    struct inputs in;
    struct round_ref r;
    char *before = NULL, *after = NULL, *draw_text = NULL, *pairs_text = NULL;
    char *ended_text = NULL;
    char seed_dec[24];
    const char *nomination;
    json_t *a = NULL, *pairs = NULL, *ended = NULL, *draw = NULL, *repl = NULL, *list = NULL;
    size_t *current = NULL, n_current = 0, pick = 0;
    uint64_t seed = random_seed();
    enum app_err err;

    memset(&in, 0, sizeof(in));
    if (!json_fields_check(body, end_fields, N_OF(end_fields), "", p) ||
        ops_check_uuid(id, p) != APP_OK) {
        return p->err;
    }
    err = review_assignment_store_get(ctx->db, id, true, &before);
    if (err == APP_ERR_NOT_FOUND) {
        return problem_fail(p, err, "not_found", "评审任务 %s 不存在", "no review assignment %s",
                            id);
    }
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if ((a = ops_json(before, p)) == NULL || end_scope(ctx, a, recusal, &r, p) != APP_OK) {
        goto done;
    }
    if (strcmp(json_string_value(json_object_get(a, "state")), "active") != 0) {
        problem_fail(p, APP_ERR_CONFLICT, "assignment_ended", "该评审任务已结束（%s）",
                     "the assignment has ended (%s)",
                     json_string_value(json_object_get(a, "state")));
        goto done;
    }
    if (r.phase != PHASE_REVIEW) {
        refuse_phase(&r, false, p);
        goto done;
    }
    if ((err = review_assignment_store_end(ctx->db, id, recusal ? "recused" : "removed",
                                           json_string_value(json_object_get(body, "reason")),
                                           ctx->actor->id, &after)) != APP_OK) {
        ops_store_problem(err, p);
        goto done;
    }
    nomination = json_string_value(json_object_get(a, "nomination_id"));
    if (inputs_load(ctx, r.id, nomination, &in, p) != APP_OK) {
        goto done;
    }
    if (in.n_noms != 1) {
        ops_internal(p);
        goto done;
    }
    /* the nomination's remaining experts as pool indexes */
    const json_t *cur =
        json_object_get(json_array_get(json_object_get(in.doc, "nominations"), 0), "current");
    current = calloc(json_array_size(cur) + 1, sizeof(*current));
    if (current == NULL) {
        ops_internal(p);
        goto done;
    }
    for (size_t i = 0; i < json_array_size(cur); i++) {
        const char *e = json_string_value(json_array_get(cur, i));
        for (size_t j = 0; j < in.n_pool; j++) {
            if (strcmp(in.pool[j].id, e) == 0) {
                current[n_current++] = j;
                break;
            }
        }
    }
    switch (draw_replacement(in.pool, in.n_pool, &in.noms[0], current, n_current, seed, &pick)) {
    case DRAW_OK:
        break;
    case DRAW_NOT_ENOUGH:
        problem_fail(p, APP_ERR_CONFLICT, "no_replacement",
                     "没有可替补的无利益冲突专家，评审任务未作变更",
                     "no conflict-free expert is left to replace this one; nothing changed");
        p->extra = json_pack("{s:s}", "nomination_id", nomination);
        goto done;
    default:
        ops_internal(p);
        goto done;
    }
    snprintf(seed_dec, sizeof(seed_dec), "%" PRIu64, seed);
    pairs = json_pack("[o]", pair_json(&in, 0, pick, id));
    if ((pairs_text = json_dumps(pairs, JSON_COMPACT)) == NULL) {
        ops_internal(p);
        goto done;
    }
    if ((err = review_assignment_store_record(ctx->db, r.id, "replacement", seed_dec, 1,
                                              ctx->actor->id, pairs_text, &draw_text)) != APP_OK) {
        ops_store_problem(err, p);
        goto done;
    }
    if ((ended = ops_json(after, p)) == NULL || (draw = ops_json(draw_text, p)) == NULL ||
        review_assignment_list(ctx, r.id, &list, p) != APP_OK) {
        goto done;
    }
    {
        size_t i;
        json_t *el;
        json_array_foreach(json_object_get(list, "items"), i, el)
        {
            const char *rp = json_string_value(json_object_get(el, "replaces"));
            if (rp != NULL && strcmp(rp, id) == 0) {
                repl = json_incref(el);
            }
        }
    }
    if (repl == NULL) {
        ops_internal(p);
        goto done;
    }
    *ret = json_pack("{s:O, s:O, s:O}", "ended", ended, "replacement", repl, "draw", draw);
    ended_text = json_dumps(*ret, JSON_COMPACT | JSON_SORT_KEYS);
    if (ended_text == NULL) {
        ops_internal(p);
    } else if ((err = ops_audit(ctx, recusal ? "review.recusal" : "review.removal",
                                "review_assignment", id, before, ended_text)) != APP_OK) {
        ops_store_problem(err, p);
    }
    if (p->err != APP_OK) {
        json_decref(*ret);
        *ret = NULL;
    }

done:
    inputs_free(&in);
    json_decref(a);
    json_decref(pairs);
    json_decref(ended);
    json_decref(draw);
    json_decref(repl);
    json_decref(list);
    free(current);
    free(before);
    free(after);
    free(draw_text);
    free(pairs_text);
    free(ended_text);
    return p->err;
}

enum app_err review_assignment_list(const struct op_ctx *ctx,
                                    const char *round_id,
                                    json_t **ret,
                                    struct problem *p)
{
    char *text = NULL;
    enum app_err err = review_assignment_store_list(ctx->db, round_id, &text);

    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret = ops_json(text, p);
    free(text);
    return p->err;
}

enum app_err review_assignment_mine(const struct op_ctx *ctx, json_t **ret, struct problem *p)
{
    char *text = NULL;
    enum app_err err = review_assignment_store_mine(ctx->db, ctx->actor->id, &text);

    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret = ops_json(text, p);
    free(text);
    return p->err;
}
