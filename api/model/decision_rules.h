/* SPDX-License-Identifier: MIT */
/*
 * The decision's pure rules (issue 13; 岚山工匠 第二条, 第五条（五）（六）;
 * 环翠区首席技师 第四条, 第十条（五）（六）): how many the leadership group
 * may select, the order of the steps after the shortlist, and the form of
 * a certificate number. No I/O: the ops layer loads the round's pinned
 * policy version and calls these.
 */
#ifndef JX_DECISION_RULES_H
#define JX_DECISION_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"
#include "problem.h"

/* A reason for selecting above a soft target: code points. */
#define DECISION_REASON_MAX 500

/*
 * The selection's size against the policy's awards (岚山 第二条 "每次不超过
 * 10名": awards_cap hard; 环翠 第四条 "每2年选拔一次，每次选拔5人左右":
 * soft, a target). At least one nomination is selected (422 at `pointer`,
 * too_few_items). Above a hard cap → 422 over_award_cap at `pointer`,
 * citing `article` (e.g. "第二条"); above a soft target, a reason of
 * 1..DECISION_REASON_MAX code points is needed at `reason_pointer`
 * (422 over_award_target_reason_required). A reason at or below the
 * target is allowed and kept.
 */
enum app_err decision_rules_selection(const struct policy *policy,
                                      size_t n_selected,
                                      const char *reason,
                                      const char *article,
                                      const char *pointer,
                                      const char *reason_pointer,
                                      struct problem *p);

/* The steps after the shortlist, in the round's order. */
enum decision_step {
    STEP_DECISION = 0, /* the leadership group selects (岚山 第五条（五）) */
    STEP_INSPECTION,   /* 考察 of the proposed candidates (环翠 第十条（五）) */
    STEP_NOTICE,       /* the public notice (公示) with objections */
    STEP_RATIFICATION, /* the group's 审定 of the noticed list (环翠 第十条（六）) */
    STEP_APPROVAL,     /* the district government's approval (报区政府同意) */
    STEP_RECOGNITION,  /* titles and certificates issued */
    STEP__COUNT
};

#define DECISION_STEPS_MAX STEP__COUNT

/*
 * Our reading of `notice_before_decision` (policy.h): false — decide, give
 * notice of the decided list, recognise (岚山 第五条（五）–（七））; true —
 * 考察, give notice of the proposed list, the group's 审定, the district
 * government's approval, recognise (环翠 第十条（五）（六）: "公示无异议的，
 * 提交区委人才工作领导小组研究审定后，报区政府同意并发文公布、颁发证书").
 * Fills steps[] (DECISION_STEPS_MAX) and returns how many.
 */
size_t decision_rules_steps(const struct policy *policy, enum decision_step steps[]);

/* The step's value ("decision", "inspection", ...), for the API. */
const char *decision_step_value(enum decision_step step);

/* The step after `done` in the round's order, or STEP__COUNT after the last
 * one (or for a step the order does not hold). */
enum decision_step decision_rules_next(const struct policy *policy, enum decision_step done);

/*
 * What a round has done of its steps, as the store reads it.
 * `inspected`: every candidate has 考察 findings (and there is one);
 * a notice is `published`; it ends at 24:00 of `notice_ends_on` and may
 * still hold `open_objections` (received or investigating).
 */
struct step_facts {
    bool decided;   /* the group's decision (岚山) */
    bool inspected; /* 考察 complete (环翠) */
    bool published; /* the final notice */
    int32_t notice_ends_on;
    long open_objections;
    bool ratified;   /* the group's 审定 (环翠) */
    bool approved;   /* the district government's approval (环翠) */
    bool recognized; /* titles issued */
};

/*
 * May the round take step `want` now (`today`, days since 1970)? Every
 * step before it in the round's order must be complete, and no step from
 * it on may be done yet — except 考察, whose findings may be revised until
 * the notice is published. A notice is complete once it has ended with no
 * objection open. 409 with a stable code otherwise:
 *   step_out_of_order  an earlier step is not done (names it);
 *   notice_not_ended   the notice runs until 24:00 of its last day;
 *   objections_open    an objection is received or under investigation;
 *   step_done          this step, or a later one, is done already.
 * Sets *ret_missing to the step the round needs first (STEP__COUNT if none).
 */
enum app_err decision_rules_gate(const struct policy *policy,
                                 const struct step_facts *f,
                                 int32_t today,
                                 enum decision_step want,
                                 enum decision_step *ret_missing,
                                 struct problem *p);

/* The step's Chinese name (决定, 考察, 公示, 审定, 区政府批复, 认定发证). */
const char *decision_step_label(enum decision_step step);

/* The longest certificate number: prefix (16) '-' year (4) '-' sequence
 * (up to 10 digits) and NUL. */
#define CERTIFICATE_NUMBER_MAX 40

/*
 * A certificate number, `<prefix>-<year>-<seq>` with the sequence at least
 * three digits wide (LSGJ-2027-001, HCSX-2027-012, LSGJ-2027-1000).
 * Numbers are gapless per programme and year: the store hands out seq.
 * The prefix is 1..16 of A–Z and 0–9, the year 1900..9999, seq 1 and up;
 * false (out empty) otherwise.
 */
bool certificate_number_format(const char *prefix,
                               int year,
                               long long seq,
                               char out[CERTIFICATE_NUMBER_MAX]);

#endif
