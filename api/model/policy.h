/* SPDX-License-Identifier: MIT */
/*
 * A programme's policy: the rules of its founding document (认定/选拔管理办法)
 * as one closed JSON object, stored in programmes.policy and editable by
 * admins. policy_validate() is the only gate into storage and reports every
 * fault at once; policy_from_json() gives C callers a typed view.
 */
#ifndef JIANGXIN_POLICY_H
#define JIANGXIN_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app_err.h"
#include "enums.h"
#include "problem.h"

/*
 * The members. Every member is required (a nullable one as JSON null),
 * except an optional one (marked "optional", absent = its stated default),
 * and no other member is allowed. "int a..b" is a JSON integer (1.0 is refused),
 * string lengths count Unicode code points, dates are `YYYY-MM-DD`. "iff"
 * rules and comparisons are reported on the member in the first column.
 *
 *   member                        type                       rule
 *   authority                     string 1..200              issuing body
 *   document_no                   string 1..100              文号
 *   in_force_from                 date
 *   in_force_to                   date                       >= in_force_from
 *   cycle_years                   int 1..10                  a round every N years
 *   awards_per_round              int 1..1000
 *   awards_cap                    "hard" | "soft"            soft: a target, warn above
 *   vote_nominees                 int 1..1000 or null        null: no public vote;
 *                                                            >= awards_per_round
 *   vote_weight                   int 0..100 or null         % of the ranking score from
 *                                                            the vote, 0 = advisory;
 *                                                            null iff vote_nominees null
 *   unit_publicity_required       bool                       单位公示 before submission
 *   unit_publicity_min_workdays   int 1..60 or null          null: not fixed; non-null
 *                                                            only if publicity required
 *   final_notice_workdays         int 1..60                  结果公示 length
 *   notice_counts_publication_day bool                       false: count from the next
 *                                                            working day (民法典 Art. 201)
 *   notice_before_decision        bool                       true: final notice, then the
 *                                                            leadership decision; false:
 *                                                            decision, then notice
 *   min_skill_level               skill level or null        null: no level required
 *   front_line_required           bool
 *   enterprise_only               bool                       nominee works in an enterprise
 *   honours_considered            bool                       honours/awards are evidence
 *   age_max                       int 16..80 or null         age at the round's ref. date
 *   age_max_kind                  "soft" | "hard" or null    null iff age_max null
 *   age_preferred_max             int 16..80 or null         <= age_max
 *   repeat_rule                   "once" |                   after_management_period needs
 *                                 "after_management_period"  management_period_months
 *   fraud_at_intake               "cancel_recognition" |
 *                                 "disqualify_round"
 *   skill_test                    bool                       on-site skill test
 *   skill_test_weight             int 0..100 or null         % of the combined score from
 *                                                            the test; null iff !skill_test
 *   rubric                        array 1..12 of criterion   see below
 *   reward                        "one_time" |
 *                                 "monthly_allowance"
 *   allowance_monthly_fen         int 1..100000000 or null   the allowance trio: each is
 *   management_period_months      int 1..120 or null         non-null iff reward is
 *   allowance_start               "month_after_recognition"  monthly_allowance
 *                                 or null
 *   assessment                    "annual" | "year2_recheck"
 *   assessment_fail_limit         int 1..10 or null          consecutive failed assessments
 *                                                            that flag revocation; null
 *                                                            unless assessment is annual
 *   recheck_min_apprentices       int 0..100 or null         apprentices a year reaching
 *                                                            the level below; null unless
 *                                                            assessment is year2_recheck
 *   recheck_apprentice_min_level  skill level or null        null iff recheck_min_app. null
 *   suspension_reasons            array 0..20 of code        distinct
 *   revocation_reasons            array 1..20 of code        distinct
 *   deeds_min_chars               int 0..100000 or null      null: no lower bound
 *   deeds_max_chars               int 1..100000 or null      null: no upper bound; >= min
 *   publicity_evidence_required   bool, optional (false)     the unit's publicity (公示)
 *                                                            needs an evidence file of
 *                                                            kind unit_publicity before
 *                                                            unit_approved
 *   review_experts                int 1..50, optional (5)    experts drawn per nomination
 *   review_disagreement_stdev     int 1..50, optional (15)   flag a nomination whose review
 *                                                            totals' standard deviation
 *                                                            (points of 100) exceeds it;
 *                                                            totals in 0..100 spread 50
 *                                                            at most
 *   shortlist_size                int 1..1000 or null,       null: vote_nominees sizes the
 *                                 optional (null)            shortlist, or without a vote
 *                                                            the office sets it when it
 *                                                            freezes the list; non-null
 *                                                            only if vote_nominees is
 *                                                            null; >= awards_per_round
 *   certificate_prefix            string 1..16, optional     a certificate number's
 *                                 ("JX")                     letters (LSGJ-2027-001):
 *                                                            A–Z and 0–9, a letter first
 *   recheck_due_month             int 1..120, optional (12)  the month of the management
 *                                                            period in which a year-2
 *                                                            re-check falls due
 *   recheck_decides_from_month    int 1..120, optional (13)  the first month of the period
 *                                                            whose allowance the re-check
 *                                                            decides, to the period's end
 *   revocation_steps              array 1..5 of step,        the approval steps of a
 *                                 optional ("verification",  revocation case, in order
 *                                 "decision")                (holder_rules.h); distinct,
 *                                                            the last not the office's
 *                                                            verification or preliminary
 *                                                            finding
 *   assessment_deadline           "MM-DD", optional          the day of the year after
 *                                 ("03-31")                  an annual assessment's year
 *                                                            by which its result is due
 *                                                            (岚山 第十一条 fixes none)
 *   articles                      object                     member name -> citation
 *
 * "skill level" is a value of enum skill_level (enums.h); "code" is a
 * snake_case string matching ^[a-z][a-z0-9]*(_[a-z0-9]+)*$, at most 48 bytes.
 *
 * A rubric criterion is a closed object {criterion: code, label: string
 * 1..50, label_en: string 1..100, weight: int 0..100, gate: bool,
 * max_score: int 1..1000, optional}. A gate (e.g. 品格) is pass/fail with
 * weight 0 and no max_score; the scored criteria have weight 1..100 and
 * their weights sum to 100, and an expert scores each from 0 to its
 * max_score (absent: 100). Criterion codes are distinct.
 *
 * `articles` maps a member name (not "articles" itself) to the article that
 * sets it, e.g. "cycle_years": "第二条"; values are strings of 1..100 code
 * points. Members the document does not fix have no entry.
 */

#define POLICY_POINTER     "/policy" /* prefix of every reported pointer */
#define POLICY_RUBRIC_MAX  12
#define POLICY_REASONS_MAX 20
#define POLICY_CODE_MAX    48 /* bytes of a snake_case code */
/* The longest notice or publicity a policy may set, in working days
 * (also the database CHECK on a nomination's publicity_workdays). */
#define POLICY_WORKDAYS_MAX 60
/* Review members: the panel size's bound and defaults, a criterion's top score. */
#define POLICY_REVIEW_EXPERTS_MAX         50
#define POLICY_REVIEW_EXPERTS_DEFAULT     5
#define POLICY_DISAGREEMENT_DEFAULT       15
#define POLICY_CERTIFICATE_PREFIX_MAX     16
#define POLICY_CERTIFICATE_PREFIX_DEFAULT "JX"
#define POLICY_REVOCATION_STEPS_MAX       5 /* REVOCATION_STEPS_MAX of holder_rules.h */
#define POLICY_MAX_SCORE_MAX              1000
#define POLICY_MAX_SCORE_DEFAULT          100

enum policy_type {
    POLICY_STRING = 0, /* min..max code points */
    POLICY_DATE,       /* YYYY-MM-DD */
    POLICY_INT,        /* min..max */
    POLICY_BOOL,
    POLICY_ENUM,     /* a value of `set` */
    POLICY_CODES,    /* array of min..max distinct snake_case codes */
    POLICY_RUBRIC,   /* array of min..max criteria */
    POLICY_ARTICLES, /* object: member name -> citation */
};

struct policy_member {
    const char *name;
    enum policy_type type;
    bool nullable;
    long long min, max; /* bounds per type, as in the comments above */
    enum enums_set set; /* POLICY_ENUM only */
    bool optional;      /* may be absent (added after the first documents were stored) */
};

/* The member table, in the order above; policy_members_count entries. */
extern const struct policy_member policy_members[];
extern const size_t policy_members_count;

/* The member named `name`, or NULL. */
const struct policy_member *policy_member_find(const char *name);

/*
 * Checks `policy` against the table and the cross-member rules. Returns
 * true when it is valid (and leaves *reterr alone); otherwise adds one
 * errors[] entry per fault to *reterr (up to PROBLEM_ERRORS_MAX) with a
 * pointer "/policy/<member>..." and returns false. Unknown members (also
 * inside rubric criteria, and `articles` keys that name no member) are
 * reported first, as APP_ERR_UNKNOWN_FIELD, so the problem is a 400; every
 * other fault is APP_ERR_VALIDATION. A cross rule is checked only when the
 * members it relates are each valid, and is reported on the member named
 * first in the table's rule column.
 */
bool policy_validate(const json_t *policy, struct problem *reterr);

/* The same with the pointers under `prefix` instead of "/policy": "" when the
 * policy is the whole request body (PUT /v1/programmes/{code}/policy). */
bool policy_validate_at(const json_t *policy, const char *prefix, struct problem *reterr);

struct policy_criterion {
    char criterion[POLICY_CODE_MAX + 1];
    int weight; /* 0 for a gate */
    bool gate;
    int max_score; /* scores run 0..max_score; 0 for a gate */
};

/* The typed view. -1 stands for JSON null where the comment says so. */
struct policy {
    int32_t in_force_from, in_force_to; /* days since 1970-01-01 (workdays.h) */
    int cycle_years;
    int awards_per_round;
    bool awards_cap_hard;
    int vote_nominees; /* -1: no public vote */
    int vote_weight;   /* -1: no public vote; 0: advisory */
    bool unit_publicity_required;
    int unit_publicity_min_workdays; /* -1: not fixed */
    int final_notice_workdays;
    bool notice_counts_publication_day;
    bool notice_before_decision;
    int min_skill_level; /* enum skill_level, -1: none */
    bool front_line_required;
    bool enterprise_only;
    bool honours_considered;
    int age_max;                   /* -1: none */
    bool age_max_hard;             /* false when age_max is -1 */
    int age_preferred_max;         /* -1: none */
    bool repeat_once;              /* false: after the management period */
    bool fraud_disqualifies_round; /* false: cancels recognition */
    bool skill_test;
    int skill_test_weight; /* -1 when !skill_test */
    size_t n_rubric;
    struct policy_criterion rubric[POLICY_RUBRIC_MAX];
    bool monthly_allowance;           /* false: one-time reward */
    long long allowance_monthly_fen;  /* 0 unless monthly_allowance */
    int management_period_months;     /* 0 unless monthly_allowance */
    bool year2_recheck;               /* false: annual assessment */
    int assessment_fail_limit;        /* -1: none */
    int recheck_min_apprentices;      /* -1: none */
    int recheck_apprentice_min_level; /* enum skill_level, -1: none */
    int deeds_min_chars;              /* -1: no bound */
    int deeds_max_chars;              /* -1: no bound */
    bool publicity_evidence_required; /* false when absent */
    int review_experts;               /* POLICY_REVIEW_EXPERTS_DEFAULT when absent */
    int review_disagreement_stdev;    /* points; POLICY_DISAGREEMENT_DEFAULT when absent */
    int shortlist_size;               /* -1: null or absent */
    char certificate_prefix[POLICY_CERTIFICATE_PREFIX_MAX + 1]; /* "JX" when absent */
    int recheck_due_month;                                      /* 12 when absent */
    int recheck_decides_from_month;                             /* 13 when absent */
    size_t n_revocation_steps;                                  /* 2 when absent */
    int revocation_steps[POLICY_REVOCATION_STEPS_MAX];          /* enum revocation_step */
};

/*
 * Fills *ret from `policy` after policy_validate(). APP_ERR_VALIDATION
 * (and *ret untouched) when the policy is not valid; reasons, labels and
 * articles stay in the JSON for whoever needs them.
 */
enum app_err policy_from_json(const json_t *policy, struct policy *ret);

/* "MM-DD" of a day every year has (not 02-29): true with month and day. */
bool policy_month_day(const char *s, int *ret_month, int *ret_day);

#endif
