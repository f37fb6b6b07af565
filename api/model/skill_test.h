/* SPDX-License-Identifier: MIT */
/*
 * The on-site skill test (现场技能考查, 环翠 第十条（四） "组织进行现场技能考查")
 * without I/O: the checks of a recorded score (the body, every fault at
 * once), which programmes have a test at all (the policy's `skill_test`;
 * 岚山 第五条 has none) and which nominations may carry a score. The
 * office records it; ops/skill_tests.c loads and writes around these
 * rules; tests/unit/test_skill_test.c calls them.
 */
#ifndef JIANGXIN_SKILL_TEST_H
#define JIANGXIN_SKILL_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "enums.h"
#include "policy.h"
#include "problem.h"

#define SKILL_TEST_SCORE_MAX     10000 /* hundredths: 100.00 */
#define SKILL_TEST_EXAMINERS_MAX 20
#define SKILL_TEST_EXAMINER_MAX  50 /* code points per name */
#define SKILL_TEST_NOTE_MAX      2000
#define SKILL_TEST_REASON_MAX    500

/* A recorded score as checked: the strings point into the body. */
struct skill_test_input {
    int score;                  /* hundredths, 0..SKILL_TEST_SCORE_MAX */
    const json_t *examiners;    /* array of 1..20 distinct names */
    int32_t tested_on;          /* days since 1970-01-01 */
    const char *note;           /* NULL: none */
    const char *reason;         /* NULL: none (required for a correction) */
    const char *score_sheet_id; /* NULL: none; a score sheet's id (a UUID) */
};

/* A JSON number 0..100 with at most two decimal places, as hundredths.
 * False for anything else (ret untouched). */
bool skill_test_score_value(const json_t *v, int *ret_hundredths);

/* The body of PUT …/skill-test: {score, examiners, tested_on, note?,
 * reason?, score_sheet_id?}. Unknown members alone (400); otherwise every fault at once
 * (422, each with its pointer): the score's type, range and decimals, the
 * panel's size and names (duplicates too), the test date (a date, not
 * after `today`, not before `round_opens`), and the reason, which a
 * correction (`correction`: a score is already on file) must give; a
 * score sheet's id is a UUID (whose sheet it is, the caller checks). */
enum app_err skill_test_check_body(const json_t *body,
                                   bool correction,
                                   int32_t today,
                                   int32_t round_opens,
                                   struct skill_test_input *ret,
                                   struct problem *p);

/* 409 skill_test_not_in_policy unless the policy has an on-site skill
 * test; `article` (may be NULL) is the policy's article for the member. */
enum app_err
skill_test_guard_policy(const struct policy *pol, const char *article, struct problem *p);

/* True for the states a score may be recorded in: qualified (资格审查通过)
 * and in review (评审中). */
bool skill_test_state_allows(enum nomination_state state);

/* 409 skill_test_wrong_state unless skill_test_state_allows(state). */
enum app_err skill_test_guard_state(enum nomination_state state, struct problem *p);

#endif
