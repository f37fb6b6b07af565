/* SPDX-License-Identifier: MIT */
/*
 * The review panel's draw (review_draw.h): conflicts, a seeded draw and a
 * replacement, with integers only so a seed reproduces a draw anywhere.
 */
#include "review_draw.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool same(const char *a, const char *b)
{
    return a[0] != '\0' && b[0] != '\0' && strcasecmp(a, b) == 0;
}

static bool listed(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i] != NULL && same(list[i], s)) {
            return true;
        }
    }
    return false;
}

unsigned draw_conflicts(const struct draw_expert *e, const struct draw_nomination *n)
{
    unsigned c = 0;

    if (same(e->employer_code, n->employer_code)) {
        c |= DRAW_CONFLICT_EMPLOYER;
    }
    if (same(e->unit_id, n->unit_id) || same(e->employer_code, n->unit_code)) {
        c |= DRAW_CONFLICT_UNIT;
    }
    if (listed(e->relations, e->n_relations, n->candidate_hash)) {
        c |= DRAW_CONFLICT_RELATION;
    }
    if (listed(n->excluded, n->n_excluded, e->id)) {
        c |= DRAW_CONFLICT_RECUSED;
    }
    return c;
}

bool draw_field_matches(const struct draw_expert *e, const struct draw_nomination *n)
{
    for (size_t i = 0; i < e->n_fields; i++) {
        if (e->fields[i] != NULL && n->field[0] != '\0' && strcmp(e->fields[i], n->field) == 0) {
            return true;
        }
    }
    return false;
}

uint64_t draw_prng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint64_t draw_prng_below(uint64_t *state, uint64_t bound)
{
    /* Values below 2^64 mod bound would make the low residues likelier. */
    uint64_t threshold = (0 - bound) % bound;

    for (;;) {
        uint64_t r = draw_prng_next(state);

        if (r >= threshold) {
            return r % bound;
        }
    }
}

/* Sorting pool or nomination indexes by id. */
struct by_id {
    const char *id;
    size_t idx;
};

static int by_id_cmp(const void *a, const void *b)
{
    const struct by_id *x = a, *y = b;
    int c = strcmp(x->id, y->id);

    return c != 0 ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static struct by_id *pool_order(const struct draw_expert *pool, size_t n_pool)
{
    struct by_id *o = calloc(n_pool > 0 ? n_pool : 1, sizeof(*o));

    if (o == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < n_pool; i++) {
        o[i] = (struct by_id){.id = pool[i].id, .idx = i};
    }
    qsort(o, n_pool, sizeof(*o), by_id_cmp);
    return o;
}

/*
 * One seat of `n`: the best eligible expert not in taken[] (pool-indexed
 * flags), by field match then load, ties by the PRNG in id order.
 * `ties` has room for n_pool entries. Returns false when none is left.
 */
static bool pick(const struct draw_expert *pool,
                 const struct by_id *order,
                 size_t n_pool,
                 const struct draw_nomination *n,
                 const bool *eligible,
                 const bool *taken,
                 const int *loads,
                 uint64_t *state,
                 size_t *ties,
                 size_t *ret)
{
    size_t n_ties = 0;
    bool best_match = false;
    int best_load = 0;

    for (size_t o = 0; o < n_pool; o++) {
        size_t i = order[o].idx;
        bool match;

        if (!eligible[i] || taken[i]) {
            continue;
        }
        match = draw_field_matches(&pool[i], n);
        if (n_ties == 0 || match > best_match || (match == best_match && loads[i] < best_load)) {
            n_ties = 0;
            best_match = match;
            best_load = loads[i];
        } else if (match != best_match || loads[i] != best_load) {
            continue;
        }
        ties[n_ties++] = i;
    }
    if (n_ties == 0) {
        return false;
    }
    *ret = ties[draw_prng_below(state, n_ties)];
    return true;
}

enum draw_status draw_panels(const struct draw_expert *pool,
                             size_t n_pool,
                             const struct draw_nomination *noms,
                             size_t n_noms,
                             int k,
                             uint64_t seed,
                             size_t *assign,
                             int *loads,
                             struct draw_shortage *short_list,
                             size_t *n_short)
{
    struct by_id *order = NULL, *nom_order = NULL;
    bool *eligible = NULL, *taken = NULL;
    int *load = NULL;
    size_t *ties = NULL, *out = NULL;
    size_t cap = n_pool > 0 ? n_pool : 1;
    enum draw_status st = DRAW_INVALID;
    uint64_t state = seed;

    *n_short = 0;
    if (k < 1 || k > DRAW_K_MAX) {
        return DRAW_INVALID;
    }
    order = pool_order(pool, n_pool);
    nom_order = calloc(n_noms > 0 ? n_noms : 1, sizeof(*nom_order));
    eligible = calloc(cap, sizeof(*eligible));
    taken = calloc(cap, sizeof(*taken));
    load = calloc(cap, sizeof(*load));
    ties = calloc(cap, sizeof(*ties));
    out = calloc(n_noms * (size_t)k + 1, sizeof(*out));
    if (order == NULL || nom_order == NULL || eligible == NULL || taken == NULL || load == NULL ||
        ties == NULL || out == NULL) {
        goto done;
    }
    /* First the whole check: a draw is all or nothing. */
    for (size_t m = 0; m < n_noms; m++) {
        size_t available = 0;

        for (size_t i = 0; i < n_pool; i++) {
            available += draw_conflicts(&pool[i], &noms[m]) == 0;
        }
        if (available < (size_t)k) {
            short_list[(*n_short)++] =
                (struct draw_shortage){.nomination = m, .available = available};
        }
    }
    if (*n_short > 0) {
        st = DRAW_NOT_ENOUGH;
        goto done;
    }
    for (size_t i = 0; i < n_pool; i++) {
        load[i] = pool[i].load;
    }
    for (size_t m = 0; m < n_noms; m++) {
        nom_order[m] = (struct by_id){.id = noms[m].id, .idx = m};
    }
    qsort(nom_order, n_noms, sizeof(*nom_order), by_id_cmp);
    for (size_t o = 0; o < n_noms; o++) {
        size_t m = nom_order[o].idx;

        for (size_t i = 0; i < n_pool; i++) {
            eligible[i] = draw_conflicts(&pool[i], &noms[m]) == 0;
            taken[i] = false;
        }
        for (int j = 0; j < k; j++) {
            size_t i;

            if (!pick(pool, order, n_pool, &noms[m], eligible, taken, load, &state, ties, &i)) {
                goto done; /* cannot happen after the check above */
            }
            taken[i] = true;
            load[i]++;
            out[m * (size_t)k + (size_t)j] = i;
        }
    }
    memcpy(assign, out, n_noms * (size_t)k * sizeof(*out));
    if (loads != NULL) {
        memcpy(loads, load, n_pool * sizeof(*load));
    }
    st = DRAW_OK;
done:
    free(order);
    free(nom_order);
    free(eligible);
    free(taken);
    free(load);
    free(ties);
    free(out);
    return st;
}

enum draw_status draw_replacement(const struct draw_expert *pool,
                                  size_t n_pool,
                                  const struct draw_nomination *n,
                                  const size_t *current,
                                  size_t n_current,
                                  uint64_t seed,
                                  size_t *ret)
{
    size_t cap = n_pool > 0 ? n_pool : 1;
    struct by_id *order = pool_order(pool, n_pool);
    bool *eligible = calloc(cap, sizeof(*eligible));
    bool *taken = calloc(cap, sizeof(*taken));
    int *load = calloc(cap, sizeof(*load));
    size_t *ties = calloc(cap, sizeof(*ties));
    enum draw_status st = DRAW_INVALID;
    uint64_t state = seed;

    if (order != NULL && eligible != NULL && taken != NULL && load != NULL && ties != NULL) {
        for (size_t i = 0; i < n_pool; i++) {
            eligible[i] = draw_conflicts(&pool[i], n) == 0;
            load[i] = pool[i].load;
        }
        for (size_t c = 0; c < n_current; c++) {
            if (current[c] < n_pool) {
                taken[current[c]] = true;
            }
        }
        st = pick(pool, order, n_pool, n, eligible, taken, load, &state, ties, ret)
                 ? DRAW_OK
                 : DRAW_NOT_ENOUGH;
    }
    free(order);
    free(eligible);
    free(taken);
    free(load);
    free(ties);
    return st;
}
