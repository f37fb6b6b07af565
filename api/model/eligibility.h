/* SPDX-License-Identifier: MIT */
/*
 * The eligibility checklist (资格条件) run when a unit submits a nomination
 * and shown to the office: each check names the policy member and the
 * article it comes from. Pure: the caller gathers the facts (from the
 * nomination, its unit, the person's other nominations by keyed ID hash)
 * and this module judges them against the programme's policy.
 *
 * Results: "pass"; "info" (shown, never blocks: e.g. 45 or under is
 * preferred, 环翠 第七条（五）); "warning" (a soft rule: the office may
 * qualify only after overriding it with a recorded reason); "fail" (a hard
 * rule: the office cannot qualify the nomination).
 */
#ifndef JIANGXIN_ELIGIBILITY_H
#define JIANGXIN_ELIGIBILITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "enums.h"
#include "policy.h"
#include "problem.h"

#define ELIGIBILITY_NO_DATE INT32_MIN

enum check_result {
    CHECK_PASS = 0,
    CHECK_INFO,
    CHECK_WARNING,
    CHECK_FAIL,
};

/* The facts about one nomination. */
struct eligibility_input {
    const struct policy *policy;
    const json_t *articles;    /* the policy's "articles" object (citations); may be NULL */
    int32_t reference_date;    /* the round's reference date for age (days, workdays.h) */
    int32_t birth_date;        /* from the ID number */
    int skill_level;           /* enum skill_level, -1 when not given */
    int front_line;            /* 1 yes, 0 no, -1 not given */
    int employer_kind;         /* enum unit_kind of the 用人单位, -1 when none is recorded */
    const char *employer_name; /* NULL when none is recorded */
    int channel;               /* enum nomination_channel */
    /* Channel competition: the result it rests on (present false: none). */
    struct {
        bool present;
        const char *name, *rank;
        int level; /* enum honour_level, -1 unknown */
        int year;
    } competition;
    size_t deeds_chars;        /* Unicode code points */
    int honours_district_plus; /* honours and competition results at district level or above */
    int attachments;           /* evidence files */
    int earlier_recognitions;  /* titles of this person in the programme (keyed ID hash):
                                  recognitions in any round under any policy version, and
                                  imported past holdings */
    int32_t held_until;        /* the latest end of a management period of those titles, or
                                  ELIGIBILITY_NO_DATE */
    int same_round_others;     /* other live nominations of this person in this round */
    bool publicity_done;       /* the unit publicity ran its course (or none is required) */
    int publicity_workdays;    /* its length in working days, -1 when there was none */
};

/*
 * The checklist as a new JSON object:
 *   {"outcome": "pass"|"warning"|"fail",   -- the worst result; info counts as pass
 *    "age": <int> | null,                   -- full years at the reference date
 *                                              (idcard_age_at's rule); null when
 *                                              id_number fails
 *    "checks": [{"check": code, "result": "pass"|"info"|"warning"|"fail",
 *                "member": policy member or null, "article": citation or null,
 *                "label": 中文, "label_en": English, "detail": 中文 finding}, ...]}
 * "member" is the policy member the rule comes from and "article" is
 * articles[member] when the policy cites one (id_number, one_per_round and
 * evidence come from no member: both null). "detail" is a short Chinese
 * finding that never contains the name, ID number or phone.
 * Checks appear in a fixed order and only when the policy has the rule
 * (the two age checks also only when id_number passes):
 *   id_number       valid GB 11643 number, born before the reference date
 *   age_max         age <= age_max (soft: warning above; hard: fail above)
 *   age_preferred   info: within / above age_preferred_max
 *   skill_level     level >= min_skill_level (fail when lower or not given)
 *   front_line      front_line_required: on a front-line post
 *   employer        info: the 用人单位 and its kind (fail when none is recorded)
 *   enterprise      enterprise_only: the employer (用人单位) is an enterprise,
 *                   whoever recommends (环翠 第六条; a competition winner's
 *                   recommender need not be one, 第十条（二）)
 *   competition     channel competition only: the competition result the
 *                   nomination rests on (环翠 第十条（二） "从各类职业技能竞赛成绩
 *                   优异者中推荐"); fail when none is recorded
 *   repeat          repeat_rule once: no earlier recognition (岚山 第六条);
 *                   after_management_period: no title still in its period
 *                   at the reference date (环翠 第十六条（二）)
 *   one_per_round   no other live nomination of the person in the round
 *   unit_publicity  unit_publicity_required: done, and >= the policy minimum
 *   deeds_length    deeds_min_chars <= chars <= deeds_max_chars, soft: a
 *                   warning outside (环翠 第十条（二） "1000字左右";
 *                   nomination_deeds_check is the rule)
 *   honours         honours_considered: info with the count (岚山 第四条（五）)
 *   evidence        warning when no evidence file is attached (环翠 第十条（二）3)
 * NULL only when out of memory.
 */
json_t *eligibility_run(const struct eligibility_input *in);

/*
 * Whether the office may qualify a nomination with this checklist and
 * these overrides ([{"check": code, "reason": string 1..500}, ...], may be
 * NULL, JSON null or empty): no "fail", and every "warning" has an override.
 * An override of a check that is not a warning is refused too, and so is a
 * second override of the same check. On false, p gets an entry per fault:
 * first the shape of the overrides ("/overrides", "/overrides/<i>",
 * "/overrides/<i>/check" or "/reason"; an unknown member in an override is
 * APP_ERR_UNKNOWN_FIELD, 400, as in every request body), and only when
 * that is sound, the checklist faults as APP_ERR_VALIDATION (422): an
 * override that is not a warning's at "/overrides/<i>/check", a failed
 * check or a warning without an override at "/overrides". Codes besides
 * json_fields.h's: duplicate_override, override_not_warning, check_failed,
 * override_required.
 */
bool eligibility_clear(const json_t *checklist, const json_t *overrides, struct problem *p);

#endif
