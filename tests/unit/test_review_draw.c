/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/review_draw.c: each kind of conflict of
 * interest, the PRNG's pinned output, a draw reproducible from its seed
 * (and independent of input order), never a conflicted or repeated
 * expert, balanced load, field preference, all-or-nothing when experts run
 * short, and the replacement for a recused expert.
 */
#include <stdio.h>
#include <string.h>

#include "review_draw.h"
#include "test.h"

#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static const char *const welding[] = {"welding"};
static const char *const turning[] = {"turning", "milling"};
static const char *const related_a[] = {HASH_A};
static const char *const related_a_upper[] = {
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};

static struct draw_expert expert(const char *id, const char *employer, const char *unit)
{
    struct draw_expert e = {0};

    snprintf(e.id, sizeof(e.id), "%s", id);
    snprintf(e.employer_code, sizeof(e.employer_code), "%s", employer);
    snprintf(e.unit_id, sizeof(e.unit_id), "%s", unit);
    return e;
}

static struct draw_nomination nomination(const char *id,
                                         const char *employer,
                                         const char *unit_id,
                                         const char *unit_code,
                                         const char *hash,
                                         const char *field)
{
    struct draw_nomination n = {0};

    snprintf(n.id, sizeof(n.id), "%s", id);
    snprintf(n.employer_code, sizeof(n.employer_code), "%s", employer);
    snprintf(n.unit_id, sizeof(n.unit_id), "%s", unit_id);
    snprintf(n.unit_code, sizeof(n.unit_code), "%s", unit_code);
    snprintf(n.candidate_hash, sizeof(n.candidate_hash), "%s", hash);
    snprintf(n.field, sizeof(n.field), "%s", field);
    return n;
}

static void test_conflicts(void)
{
    struct draw_nomination n =
        nomination("n1", "91370000EMPLOYER1", "unit-1", "91370000RECOMMEND", HASH_A, "welding");
    struct draw_expert free_e = expert("e0", "91370000OTHER0001", "unit-9");
    struct draw_expert same_employer = expert("e1", "91370000employer1", "");
    struct draw_expert same_unit = expert("e2", "", "unit-1");
    struct draw_expert unit_by_code = expert("e3", "91370000RECOMMEND", "");
    struct draw_expert related = expert("e4", "", "");
    struct draw_expert recused = expert("e5", "", "");
    static const char *const excluded[] = {"e5"};

    related.relations = related_a_upper;
    related.n_relations = 1;
    n.excluded = excluded;
    n.n_excluded = 1;
    CHECK_EQ_INT(draw_conflicts(&free_e, &n), 0);
    CHECK_EQ_INT(draw_conflicts(&same_employer, &n), DRAW_CONFLICT_EMPLOYER);
    CHECK_EQ_INT(draw_conflicts(&same_unit, &n), DRAW_CONFLICT_UNIT);
    CHECK_EQ_INT(draw_conflicts(&unit_by_code, &n), DRAW_CONFLICT_UNIT);
    CHECK_EQ_INT(draw_conflicts(&related, &n), DRAW_CONFLICT_RELATION);
    CHECK_EQ_INT(draw_conflicts(&recused, &n), DRAW_CONFLICT_RECUSED);
    /* a relation to someone else is no conflict */
    related.relations = (const char *const[]){HASH_B};
    CHECK_EQ_INT(draw_conflicts(&related, &n), 0);
    /* several at once */
    same_employer.unit_id[0] = 'u';
    snprintf(same_employer.unit_id, sizeof(same_employer.unit_id), "unit-1");
    same_employer.relations = related_a;
    same_employer.n_relations = 1;
    CHECK_EQ_INT(draw_conflicts(&same_employer, &n),
                 DRAW_CONFLICT_EMPLOYER | DRAW_CONFLICT_UNIT | DRAW_CONFLICT_RELATION);
    /* unknown (empty) codes match nothing, not even each other */
    {
        struct draw_nomination blank = nomination("n2", "", "", "", "", "");
        struct draw_expert e = expert("e6", "", "");

        CHECK_EQ_INT(draw_conflicts(&e, &blank), 0);
    }
}

static void test_fields(void)
{
    struct draw_nomination n = nomination("n1", "", "", "", HASH_A, "milling");
    struct draw_expert e = expert("e1", "", "");

    CHECK(!draw_field_matches(&e, &n));
    e.fields = turning;
    e.n_fields = 2;
    CHECK(draw_field_matches(&e, &n));
    e.fields = welding;
    e.n_fields = 1;
    CHECK(!draw_field_matches(&e, &n));
    n.field[0] = '\0';
    CHECK(!draw_field_matches(&e, &n));
}

/* splitmix64's published first outputs from state 0. */
static void test_prng(void)
{
    uint64_t s = 0;
    int counts[3] = {0, 0, 0};

    CHECK(draw_prng_next(&s) == 0xE220A8397B1DCDAFULL);
    CHECK(draw_prng_next(&s) == 0x6E789E6AA1B965F4ULL);
    CHECK(draw_prng_next(&s) == 0x06C45D188009454FULL);
    s = 42;
    for (int i = 0; i < 3000; i++) {
        uint64_t r = draw_prng_below(&s, 3);

        CHECK(r < 3);
        counts[r < 3 ? r : 0]++;
    }
    for (int i = 0; i < 3; i++) {
        CHECKF(counts[i] > 850 && counts[i] < 1150, "bucket %d: %d", i, counts[i]);
    }
    s = 7;
    CHECK_EQ_INT(draw_prng_below(&s, 1), 0);
}

#define POOL 12
#define NOMS 20
#define K    5

static struct draw_expert pool[POOL];
static struct draw_nomination noms[NOMS];

/* Twelve experts (e00..e11) at employers C0..C3, units u0..u2; twenty
 * nominations at employers C0..C4 and units u0..u3, some with relations. */
static void world(void)
{
    char id[16], code[16], unit[16];

    for (int i = 0; i < POOL; i++) {
        snprintf(id, sizeof(id), "e%02d", i);
        snprintf(code, sizeof(code), "C%d", i % 4);
        snprintf(unit, sizeof(unit), "u%d", i % 3);
        pool[i] = expert(id, code, unit);
    }
    pool[5].relations = related_a;
    pool[5].n_relations = 1;
    for (int m = 0; m < NOMS; m++) {
        snprintf(id, sizeof(id), "n%02d", m);
        snprintf(code, sizeof(code), "C%d", m % 5);
        snprintf(unit, sizeof(unit), "u%d", m % 4);
        noms[m] = nomination(id, code, unit, "", m % 3 == 0 ? HASH_A : HASH_B, "");
    }
}

static enum draw_status draw(uint64_t seed, size_t *assign, int *loads)
{
    struct draw_shortage short_list[NOMS];
    size_t n_short = 0;

    return draw_panels(pool, POOL, noms, NOMS, K, seed, assign, loads, short_list, &n_short);
}

static void test_reproducible(void)
{
    size_t a[NOMS * K], b[NOMS * K];
    int differs = 0;

    world();
    CHECK_EQ_INT(draw(0x1234, a, NULL), DRAW_OK);
    CHECK_EQ_INT(draw(0x1234, b, NULL), DRAW_OK);
    CHECK(memcmp(a, b, sizeof(a)) == 0);
    /* other seeds: different draws (all eight equal to the first would be
     * a broken PRNG, not chance) */
    for (uint64_t seed = 1; seed <= 8; seed++) {
        CHECK_EQ_INT(draw(seed, b, NULL), DRAW_OK);
        differs += memcmp(a, b, sizeof(a)) != 0;
    }
    CHECKF(differs >= 7, "only %d of 8 seeds drew differently", differs);
}

/* The input arrays' order does not matter: ids decide. */
static void test_order_independent(void)
{
    size_t a[NOMS * K], b[NOMS * K];
    struct draw_expert rev_pool[POOL];
    struct draw_nomination rev_noms[NOMS];
    struct draw_shortage short_list[NOMS];
    size_t n_short;

    world();
    CHECK_EQ_INT(draw(99, a, NULL), DRAW_OK);
    for (int i = 0; i < POOL; i++) {
        rev_pool[i] = pool[POOL - 1 - i];
    }
    for (int m = 0; m < NOMS; m++) {
        rev_noms[m] = noms[NOMS - 1 - m];
    }
    CHECK_EQ_INT(draw_panels(rev_pool, POOL, rev_noms, NOMS, K, 99, b, NULL, short_list, &n_short),
                 DRAW_OK);
    for (int m = 0; m < NOMS; m++) {
        for (int j = 0; j < K; j++) {
            const char *x = pool[a[m * K + j]].id;
            const char *y = rev_pool[b[(NOMS - 1 - m) * K + j]].id;

            CHECKF(strcmp(x, y) == 0, "n%02d seat %d: %s vs %s", m, j, x, y);
        }
    }
}

static void test_no_conflict_no_repeat(void)
{
    size_t a[NOMS * K];
    int loads[POOL];
    int total = 0;

    world();
    CHECK_EQ_INT(draw(7, a, loads), DRAW_OK);
    for (int m = 0; m < NOMS; m++) {
        for (int j = 0; j < K; j++) {
            size_t e = a[m * K + j];

            CHECK(e < POOL);
            CHECKF(draw_conflicts(&pool[e], &noms[m]) == 0, "n%02d got conflicted %s", m,
                   pool[e].id);
            for (int i = 0; i < j; i++) {
                CHECKF(a[m * K + i] != e, "n%02d got %s twice", m, pool[e].id);
            }
        }
    }
    for (int i = 0; i < POOL; i++) {
        total += loads[i];
    }
    CHECK_EQ_INT(total, NOMS * K);
}

/* Ten interchangeable experts, twenty nominations of five: ten each. */
static void test_load_balance(void)
{
    struct draw_expert p[10];
    struct draw_nomination n[20];
    size_t a[20 * 5];
    int loads[10];
    struct draw_shortage s[20];
    size_t n_short;
    char id[16];

    for (int i = 0; i < 10; i++) {
        snprintf(id, sizeof(id), "x%d", i);
        p[i] = expert(id, "", "");
    }
    for (int m = 0; m < 20; m++) {
        snprintf(id, sizeof(id), "m%02d", m);
        n[m] = nomination(id, "", "", "", HASH_B, "");
    }
    CHECK_EQ_INT(draw_panels(p, 10, n, 20, 5, 3, a, loads, s, &n_short), DRAW_OK);
    for (int i = 0; i < 10; i++) {
        CHECKF(loads[i] == 10, "x%d: %d", i, loads[i]);
    }
    /* an expert who already holds 10 (from before) gets none until the others catch up */
    p[0].load = 10;
    CHECK_EQ_INT(draw_panels(p, 10, n, 10, 5, 3, a, loads, s, &n_short), DRAW_OK);
    CHECK_EQ_INT(loads[0], 10);
    for (int i = 1; i < 10; i++) {
        CHECKF(loads[i] >= 5 && loads[i] <= 6, "x%d: %d", i, loads[i]);
    }
}

/* Experts of the candidate's field come first, whatever their load. */
static void test_field_preference(void)
{
    struct draw_expert p[8];
    struct draw_nomination n[4];
    size_t a[4 * 3];
    int loads[8];
    struct draw_shortage s[4];
    size_t n_short;
    char id[16];

    for (int i = 0; i < 8; i++) {
        snprintf(id, sizeof(id), "x%d", i);
        p[i] = expert(id, "", "");
    }
    p[6].fields = welding;
    p[6].n_fields = 1;
    p[6].load = 3;
    p[7].fields = turning;
    p[7].n_fields = 2;
    for (int m = 0; m < 4; m++) {
        snprintf(id, sizeof(id), "m%d", m);
        n[m] = nomination(id, "", "", "", HASH_B, m < 2 ? "welding" : "milling");
    }
    CHECK_EQ_INT(draw_panels(p, 8, n, 4, 3, 11, a, loads, s, &n_short), DRAW_OK);
    for (int m = 0; m < 4; m++) {
        size_t want = m < 2 ? 6 : 7;

        CHECKF(a[m * 3] == want, "m%d: first seat %s", m, p[a[m * 3]].id);
        for (int j = 1; j < 3; j++) {
            CHECK(a[m * 3 + j] != 6 && a[m * 3 + j] != 7); /* no other field's expert */
        }
    }
    /* the rest of the seats went to the least loaded */
    for (int i = 0; i < 6; i++) {
        CHECKF(loads[i] >= 1 && loads[i] <= 2, "x%d: %d", i, loads[i]);
    }
    /* a conflicted expert of the field is still never drawn */
    snprintf(p[6].employer_code, sizeof(p[6].employer_code), "C9");
    snprintf(n[0].employer_code, sizeof(n[0].employer_code), "C9");
    CHECK_EQ_INT(draw_panels(p, 8, n, 4, 3, 11, a, loads, s, &n_short), DRAW_OK);
    for (int j = 0; j < 3; j++) {
        CHECK(a[j] != 6);
    }
}

/* Two nominations lack conflict-free experts: nothing is drawn, both are named. */
static void test_not_enough(void)
{
    size_t a[NOMS * K];
    int loads[POOL];
    struct draw_shortage s[NOMS];
    size_t n_short = 99;
    static const char *const everyone[] = {"e00", "e01", "e02", "e03", "e04", "e06", "e07", "e08"};

    world();
    /* n04 (employer C4, unit u0): the recusals leave e05, e09, e10, e11,
     * and e09 belongs to u0: three remain, fewer than five. */
    noms[4].excluded = everyone;
    noms[4].n_excluded = 8;
    /* n07 (employer C2, unit u3): of e05, e09, e10, e11, e10 works at C2 */
    noms[7].excluded = everyone;
    noms[7].n_excluded = 8;
    memset(a, 0xee, sizeof(a));
    memset(loads, 0x11, sizeof(loads));
    CHECK_EQ_INT(draw_panels(pool, POOL, noms, NOMS, K, 5, a, loads, s, &n_short), DRAW_NOT_ENOUGH);
    CHECK_EQ_INT(n_short, 2);
    CHECK_EQ_INT(s[0].nomination, 4);
    CHECK_EQ_INT(s[0].available, 3);
    CHECK_EQ_INT(s[1].nomination, 7);
    CHECK_EQ_INT(s[1].available, 3);
    /* nothing half-drawn */
    for (size_t i = 0; i < NOMS * K; i++) {
        CHECK(a[i] == (size_t)0xeeeeeeeeeeeeeeeeULL);
    }
    CHECK_EQ_INT(loads[0], 0x11111111);
    /* k outside 1..50 */
    CHECK_EQ_INT(draw_panels(pool, POOL, noms, NOMS, 0, 5, a, loads, s, &n_short), DRAW_INVALID);
    CHECK_EQ_INT(draw_panels(pool, POOL, noms, NOMS, 51, 5, a, loads, s, &n_short), DRAW_INVALID);
    /* an empty pool has no one for anyone */
    CHECK_EQ_INT(draw_panels(pool, 0, noms, 2, 1, 5, a, loads, s, &n_short), DRAW_NOT_ENOUGH);
    CHECK_EQ_INT(n_short, 2);
    /* no nominations: nothing to draw, fine */
    CHECK_EQ_INT(draw_panels(pool, POOL, noms, 0, K, 5, a, NULL, s, &n_short), DRAW_OK);
}

/* An expert recuses from n03 (eight conflict-free experts): one replacement,
 * by the same rules. */
static void test_replacement(void)
{
    size_t a[NOMS * K], current[K - 1], r = 999, r2 = 999;
    int loads[POOL];
    const char *excluded[1];
    struct draw_nomination n;
    size_t gone;

    world();
    CHECK_EQ_INT(draw(21, a, loads), DRAW_OK);
    gone = a[3 * K];
    excluded[0] = pool[gone].id;
    n = noms[3];
    n.excluded = excluded;
    n.n_excluded = 1;
    for (int j = 1; j < K; j++) {
        current[j - 1] = a[3 * K + j];
    }
    for (int i = 0; i < POOL; i++) {
        pool[i].load = loads[i];
    }
    CHECK_EQ_INT(draw_replacement(pool, POOL, &n, current, K - 1, 77, &r), DRAW_OK);
    if (r >= POOL) {
        return;
    }
    CHECK(r != gone);
    CHECK_EQ_INT(draw_conflicts(&pool[r], &n), 0);
    for (int j = 0; j < K - 1; j++) {
        CHECK(current[j] != r);
    }
    /* the least loaded of those eligible */
    for (size_t i = 0; i < POOL; i++) {
        bool on = i == gone;

        for (int j = 0; j < K - 1; j++) {
            on = on || current[j] == i;
        }
        if (!on && draw_conflicts(&pool[i], &n) == 0) {
            CHECKF(pool[i].load >= pool[r].load, "%s (%d) lighter than %s (%d)", pool[i].id,
                   pool[i].load, pool[r].id, pool[r].load);
        }
    }
    /* the same seed, the same replacement */
    CHECK_EQ_INT(draw_replacement(pool, POOL, &n, current, K - 1, 77, &r2), DRAW_OK);
    CHECK_EQ_INT(r2, r);
    /* nobody left: everyone else recused */
    {
        const char *all[POOL];

        for (int i = 0; i < POOL; i++) {
            all[i] = pool[i].id;
        }
        n.excluded = all;
        n.n_excluded = POOL;
        CHECK_EQ_INT(draw_replacement(pool, POOL, &n, current, K - 1, 77, &r2), DRAW_NOT_ENOUGH);
    }
}

static const struct test_case cases[] = {
    {"conflicts of each kind", test_conflicts},
    {"field match", test_fields},
    {"PRNG pinned and unbiased", test_prng},
    {"same seed, same draw; other seeds differ", test_reproducible},
    {"input order does not matter", test_order_independent},
    {"never conflicted, never twice", test_no_conflict_no_repeat},
    {"load balance", test_load_balance},
    {"field preference", test_field_preference},
    {"not enough experts: nothing drawn", test_not_enough},
    {"replacement", test_replacement},
};

int main(void)
{
    return test_run(cases, TEST_COUNT(cases));
}
