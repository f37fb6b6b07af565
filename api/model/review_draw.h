/* SPDX-License-Identifier: MIT */
/*
 * The review panel's draw, pure (岚山 第五条（三） "抽调业务骨干和部分专家组成
 * 评审组"; 环翠 第十条（四） "组织有关专家成立…评审委员会"): who may review whom
 * (conflicts of interest are computed, never merely declared), and a
 * seeded, reproducible draw of k experts per nomination from a pool, plus
 * one replacement for a recused or removed expert. The op fills the plain
 * structs below from the database and records the seed; the same inputs and
 * seed give the same assignment on any machine (own PRNG, integer only).
 *
 * The rules (README, "Review and ranking rules"):
 *   - never a conflicted expert (draw_conflicts() != 0);
 *   - the whole draw or nothing: when any nomination has fewer than k
 *     conflict-free experts, nothing is assigned and every such nomination
 *     is listed with how many it has;
 *   - nominations are drawn in ascending id order; for each of its k seats
 *     the candidates are the conflict-free experts not yet on it, and the
 *     seat goes to the best by (matching field first, then fewest
 *     assignments so far), ties broken by the PRNG among the tied experts
 *     taken in ascending id order. The order of the input arrays does not
 *     matter.
 */
#ifndef JIANGXIN_REVIEW_DRAW_H
#define JIANGXIN_REVIEW_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DRAW_ID_MAX   36 /* a UUID's text */
#define DRAW_CODE_MAX 32 /* an employer's 统一社会信用代码 (18) and room */
#define DRAW_HASH_HEX 64 /* keyed BLAKE2b of an ID number, lowercase hex */
#define DRAW_K_MAX    50 /* POLICY_REVIEW_EXPERTS_MAX */

/* An expert in the pool. Empty strings are unknown and match nothing. */
struct draw_expert {
    char id[DRAW_ID_MAX + 1];
    char employer_code[DRAW_CODE_MAX + 1]; /* the employer's 统一社会信用代码 */
    char unit_id[DRAW_ID_MAX + 1];         /* the expert's unit among the recommending units */
    const char *const *fields;             /* 职业/工种 categories the expert covers */
    size_t n_fields;
    const char *const *relations; /* keyed hashes of declared relations' ID numbers */
    size_t n_relations;
    int load; /* assignments the expert holds already (in this round) */
};

/* A nomination to review. */
struct draw_nomination {
    char id[DRAW_ID_MAX + 1];
    char employer_code[DRAW_CODE_MAX + 1]; /* the candidate's employer (用人单位) */
    char unit_id[DRAW_ID_MAX + 1];         /* the recommending unit */
    char unit_code[DRAW_CODE_MAX + 1];     /* the recommending unit's 统一社会信用代码 */
    char candidate_hash[DRAW_HASH_HEX + 1];
    char field[DRAW_CODE_MAX + 1]; /* the candidate's 职业/工种 category */
    const char *const *excluded;   /* ids of experts who recused or were removed */
    size_t n_excluded;
};

/* Why an expert may not review a nomination; a bit set. */
enum draw_conflict {
    DRAW_CONFLICT_EMPLOYER = 1u << 0, /* same employer code as the candidate */
    DRAW_CONFLICT_UNIT = 1u << 1,     /* the expert belongs to the recommending unit */
    DRAW_CONFLICT_RELATION = 1u << 2, /* a declared relation is the candidate (ID hash) */
    DRAW_CONFLICT_RECUSED = 1u << 3,  /* recused from or removed from this nomination */
};

/*
 * The conflicts between `e` and `n`, 0 when none. The unit conflict holds
 * when the expert's unit is the recommending unit, or the expert's employer
 * code is the recommending unit's code. Codes and hashes compare without
 * regard to ASCII case.
 */
unsigned draw_conflicts(const struct draw_expert *e, const struct draw_nomination *n);

/* True when the expert covers the nomination's field. */
bool draw_field_matches(const struct draw_expert *e, const struct draw_nomination *n);

/* The PRNG: splitmix64 (Steele, Lea, Flood 2014) on a 64-bit state. */
uint64_t draw_prng_next(uint64_t *state);
/* Uniform in 0..bound-1 (bound > 0), without modulo bias (rejection). */
uint64_t draw_prng_below(uint64_t *state, uint64_t bound);

enum draw_status {
    DRAW_OK = 0,
    DRAW_NOT_ENOUGH, /* see the shortages; nothing was assigned */
    DRAW_INVALID,    /* k outside 1..DRAW_K_MAX, or no memory */
};

/* A nomination that lacks conflict-free experts. */
struct draw_shortage {
    size_t nomination; /* index into the nominations array */
    size_t available;  /* conflict-free experts it has (< k) */
};

/*
 * Draws k experts for each of the n_noms nominations. On DRAW_OK,
 * assign[i * k + j] (caller-allocated, n_noms * k entries) is the pool
 * index of nomination i's j-th expert in draw order, and loads[] (n_pool
 * entries, may be NULL) the experts' loads after the draw. On
 * DRAW_NOT_ENOUGH, short_list (caller-allocated, n_noms entries) holds
 * *n_short shortages in nomination order, and assign and loads are
 * untouched.
 */
enum draw_status draw_panels(const struct draw_expert *pool,
                             size_t n_pool,
                             const struct draw_nomination *noms,
                             size_t n_noms,
                             int k,
                             uint64_t seed,
                             size_t *assign,
                             int *loads,
                             struct draw_shortage *short_list,
                             size_t *n_short);

/*
 * One replacement for nomination `n`, whose remaining experts are the pool
 * indexes current[0..n_current) (the recused or removed one is in
 * n->excluded): the best conflict-free expert not on it, by the same rules
 * and the experts' loads as given. DRAW_OK with *ret its pool index, or
 * DRAW_NOT_ENOUGH when there is none.
 */
enum draw_status draw_replacement(const struct draw_expert *pool,
                                  size_t n_pool,
                                  const struct draw_nomination *n,
                                  const size_t *current,
                                  size_t n_current,
                                  uint64_t seed,
                                  size_t *ret);

#endif
