/* SPDX-License-Identifier: MIT */
/*
 * The pure rules of a title after it is issued (issue 14; 岚山工匠 第十二条,
 * 环翠区首席技师 第十六条, 第十七条): the approval steps of a revocation case
 * and who takes each, the reasons that need a written finding, and the dates
 * a suspension or a case may carry. No I/O: the ops layer loads the
 * recognition's pinned policy version and calls these.
 */
#ifndef JX_HOLDER_RULES_H
#define JX_HOLDER_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "enums.h"
#include "problem.h"

/* The steps are enum revocation_step of enums.h (labels there). */
#define REVOCATION_STEPS_MAX RSTEP__COUNT

/* The one role that records the step (ROLE_OFFICE or ROLE_LEADER). */
enum role revocation_step_role(enum revocation_step s);
/* Whether recording the step needs a document number (the government's
 * approval) or a meeting reference (the leadership group's steps). */
bool revocation_step_needs_document(enum revocation_step s);
bool revocation_step_needs_meeting(enum revocation_step s);

/* Whether a revocation for `reason` needs a free-text finding besides the
 * facts: fraud at intake (岚山 第十二条（一）, 环翠 第十七条（三）) and "other"
 * (岚山 第十二条（五）, 环翠 第十七条（四）), which name no verifiable event. */
bool revocation_reason_needs_finding(const char *reason);

/*
 * A date `text` a body reports of the past (an apprentice's certificate,
 * an award, an agreement) against the service's `today` (days since
 * 1970-01-01). *ret_day is the day. 422 at `pointer`: not_date,
 * date_in_future.
 */
enum app_err holder_rules_past_date(
    const char *text, int32_t today, const char *pointer, int32_t *ret_day, struct problem *p);

/*
 * The date `text` of a holder event against the service's `today` and the
 * title's `recognized_on` (days since 1970-01-01): a date (date_rules.h),
 * which may lie in the past (第十六条（一）: the office often learns late) but
 * not in the future, nor before the title existed. *ret_day is the day.
 * 422 at `pointer`: not_date, date_in_future, before_recognition.
 */
enum app_err holder_rules_effective_date(const char *text,
                                         int32_t today,
                                         int32_t recognized_on,
                                         const char *pointer,
                                         int32_t *ret_day,
                                         struct problem *p);

/*
 * The next step of a case whose policy lists steps[0..n) and which has
 * recorded `done` of them: the step, or -1 when all are done. A caller
 * asking for `asked` gets 409 revocation_step_out_of_order (naming the next
 * step) unless it is the next one, and 403 revocation_step_role when
 * `role` is not the step's.
 */
enum app_err holder_rules_step_gate(const enum revocation_step steps[],
                                    size_t n,
                                    size_t done,
                                    enum revocation_step asked,
                                    enum role role,
                                    struct problem *p);

/* A year's confirmed annual assessment (岚山 第十一条). */
struct assessment_result {
    int year;
    bool failed; /* 不合格 */
};

/*
 * 岚山 第十二条（四） "连续两年考核不合格": whether the confirmed results
 * r[0..n) (one per year, any order) hold `limit` (assessment_fail_limit)
 * or more consecutive failed years with `year` among them — the question
 * to ask when `year` is confirmed, whichever order years are confirmed
 * in. A failure, a pass, then a failure is no run; a year without a
 * confirmed result breaks one. limit < 1: never.
 */
bool holder_rules_failed_run(const struct assessment_result r[], size_t n, int year, int limit);

#endif
