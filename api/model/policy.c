/* SPDX-License-Identifier: MIT */
/*
 * Programme policy validation (the typed view is in policy_view.c). It runs in three
 * passes over one member table: unknown members first (their kind, 400,
 * must reach the problem before any 422), then each member on its own,
 * then the rules relating members, each only when its members passed.
 */
#include "policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "holder_rules.h"
#include "json_fields.h"
#include "workdays.h"

/* Indexes into policy_members[]; the cross rules name members by these. */
enum member_id {
    M_AUTHORITY,
    M_DOCUMENT_NO,
    M_IN_FORCE_FROM,
    M_IN_FORCE_TO,
    M_CYCLE_YEARS,
    M_AWARDS_PER_ROUND,
    M_AWARDS_CAP,
    M_VOTE_NOMINEES,
    M_VOTE_WEIGHT,
    M_UNIT_PUBLICITY_REQUIRED,
    M_UNIT_PUBLICITY_MIN_WORKDAYS,
    M_FINAL_NOTICE_WORKDAYS,
    M_NOTICE_COUNTS_PUBLICATION_DAY,
    M_NOTICE_BEFORE_DECISION,
    M_MIN_SKILL_LEVEL,
    M_FRONT_LINE_REQUIRED,
    M_ENTERPRISE_ONLY,
    M_HONOURS_CONSIDERED,
    M_AGE_MAX,
    M_AGE_MAX_KIND,
    M_AGE_PREFERRED_MAX,
    M_REPEAT_RULE,
    M_FRAUD_AT_INTAKE,
    M_SKILL_TEST,
    M_SKILL_TEST_WEIGHT,
    M_RUBRIC,
    M_REWARD,
    M_ALLOWANCE_MONTHLY_FEN,
    M_MANAGEMENT_PERIOD_MONTHS,
    M_ALLOWANCE_START,
    M_ASSESSMENT,
    M_ASSESSMENT_FAIL_LIMIT,
    M_RECHECK_MIN_APPRENTICES,
    M_RECHECK_APPRENTICE_MIN_LEVEL,
    M_SUSPENSION_REASONS,
    M_REVOCATION_REASONS,
    M_DEEDS_MIN_CHARS,
    M_DEEDS_MAX_CHARS,
    M_PUBLICITY_EVIDENCE_REQUIRED,
    M_REVIEW_EXPERTS,
    M_REVIEW_DISAGREEMENT_STDEV,
    M_SHORTLIST_SIZE,
    M_CERTIFICATE_PREFIX,
    M_REVOCATION_STEPS,
    M_ASSESSMENT_DEADLINE,
    M_RECHECK_DUE_MONTH,
    M_RECHECK_DECIDES_FROM_MONTH,
    M_ARTICLES,
    M__COUNT
};

/* clang-format off */
#define STR(n, lo, hi)  {n, POLICY_STRING, false, lo, hi, ENUMS_ROLES}
#define DATE(n)         {n, POLICY_DATE, false, 0, 0, ENUMS_ROLES}
#define INT(n, lo, hi)  {n, POLICY_INT, false, lo, hi, ENUMS_ROLES}
#define INTN(n, lo, hi) {n, POLICY_INT, true, lo, hi, ENUMS_ROLES}
#define BOOL(n)         {n, POLICY_BOOL, false, 0, 0, ENUMS_ROLES}
#define ENUM(n, s)      {n, POLICY_ENUM, false, 0, 0, s}
#define ENUMN(n, s)     {n, POLICY_ENUM, true, 0, 0, s}

const struct policy_member policy_members[] = {
    [M_AUTHORITY]                     = STR("authority", 1, 200),
    [M_DOCUMENT_NO]                   = STR("document_no", 1, 100),
    [M_IN_FORCE_FROM]                 = DATE("in_force_from"),
    [M_IN_FORCE_TO]                   = DATE("in_force_to"),
    [M_CYCLE_YEARS]                   = INT("cycle_years", 1, 10),
    [M_AWARDS_PER_ROUND]              = INT("awards_per_round", 1, 1000),
    [M_AWARDS_CAP]                    = ENUM("awards_cap", ENUMS_AWARDS_CAPS),
    [M_VOTE_NOMINEES]                 = INTN("vote_nominees", 1, 1000),
    [M_VOTE_WEIGHT]                   = INTN("vote_weight", 0, 100),
    [M_UNIT_PUBLICITY_REQUIRED]       = BOOL("unit_publicity_required"),
    [M_UNIT_PUBLICITY_MIN_WORKDAYS]   = INTN("unit_publicity_min_workdays", 1, 60),
    [M_FINAL_NOTICE_WORKDAYS]         = INT("final_notice_workdays", 1, 60),
    [M_NOTICE_COUNTS_PUBLICATION_DAY] = BOOL("notice_counts_publication_day"),
    [M_NOTICE_BEFORE_DECISION]        = BOOL("notice_before_decision"),
    [M_MIN_SKILL_LEVEL]               = ENUMN("min_skill_level", ENUMS_SKILL_LEVELS),
    [M_FRONT_LINE_REQUIRED]           = BOOL("front_line_required"),
    [M_ENTERPRISE_ONLY]               = BOOL("enterprise_only"),
    [M_HONOURS_CONSIDERED]            = BOOL("honours_considered"),
    [M_AGE_MAX]                       = INTN("age_max", 16, 80),
    [M_AGE_MAX_KIND]                  = ENUMN("age_max_kind", ENUMS_AGE_LIMIT_KINDS),
    [M_AGE_PREFERRED_MAX]             = INTN("age_preferred_max", 16, 80),
    [M_REPEAT_RULE]                   = ENUM("repeat_rule", ENUMS_REPEAT_RULES),
    [M_FRAUD_AT_INTAKE]               = ENUM("fraud_at_intake", ENUMS_FRAUD_RULES),
    [M_SKILL_TEST]                    = BOOL("skill_test"),
    [M_SKILL_TEST_WEIGHT]             = INTN("skill_test_weight", 0, 100),
    [M_RUBRIC]                        = {"rubric", POLICY_RUBRIC, false, 1, POLICY_RUBRIC_MAX,
                                         ENUMS_ROLES},
    [M_REWARD]                        = ENUM("reward", ENUMS_REWARD_KINDS),
    [M_ALLOWANCE_MONTHLY_FEN]         = INTN("allowance_monthly_fen", 1, 100000000),
    [M_MANAGEMENT_PERIOD_MONTHS]      = INTN("management_period_months", 1, 120),
    [M_ALLOWANCE_START]               = ENUMN("allowance_start", ENUMS_ALLOWANCE_STARTS),
    [M_ASSESSMENT]                    = ENUM("assessment", ENUMS_ASSESSMENT_KINDS),
    [M_ASSESSMENT_FAIL_LIMIT]         = INTN("assessment_fail_limit", 1, 10),
    [M_RECHECK_MIN_APPRENTICES]       = INTN("recheck_min_apprentices", 0, 100),
    [M_RECHECK_APPRENTICE_MIN_LEVEL]  = ENUMN("recheck_apprentice_min_level",
                                              ENUMS_SKILL_LEVELS),
    [M_SUSPENSION_REASONS]            = {"suspension_reasons", POLICY_CODES, false, 0,
                                         POLICY_REASONS_MAX, ENUMS_ROLES},
    [M_REVOCATION_REASONS]            = {"revocation_reasons", POLICY_CODES, false, 1,
                                         POLICY_REASONS_MAX, ENUMS_ROLES},
    [M_DEEDS_MIN_CHARS]               = INTN("deeds_min_chars", 0, 100000),
    [M_DEEDS_MAX_CHARS]               = INTN("deeds_max_chars", 1, 100000),
    [M_PUBLICITY_EVIDENCE_REQUIRED]   = {"publicity_evidence_required", POLICY_BOOL, false, 0, 0,
                                         ENUMS_ROLES, true},
    [M_REVIEW_EXPERTS]                = {"review_experts", POLICY_INT, false, 1,
                                         POLICY_REVIEW_EXPERTS_MAX, ENUMS_ROLES, true},
    [M_REVIEW_DISAGREEMENT_STDEV]     = {"review_disagreement_stdev", POLICY_INT, false, 1, 50,
                                         ENUMS_ROLES, true},
    [M_SHORTLIST_SIZE]                = {"shortlist_size", POLICY_INT, true, 1, 1000,
                                         ENUMS_ROLES, true},
    [M_CERTIFICATE_PREFIX]            = {"certificate_prefix", POLICY_STRING, false, 1,
                                         POLICY_CERTIFICATE_PREFIX_MAX, ENUMS_ROLES, true},
    [M_REVOCATION_STEPS]              = {"revocation_steps", POLICY_CODES, false, 1,
                                         REVOCATION_STEPS_MAX, ENUMS_ROLES, true},
    [M_ASSESSMENT_DEADLINE]           = {"assessment_deadline", POLICY_STRING, false, 5, 5,
                                         ENUMS_ROLES, true},
    [M_RECHECK_DUE_MONTH]             = {"recheck_due_month", POLICY_INT, false, 1, 120,
                                         ENUMS_ROLES, true},
    [M_RECHECK_DECIDES_FROM_MONTH]    = {"recheck_decides_from_month", POLICY_INT, false, 1,
                                         120, ENUMS_ROLES, true},
    [M_ARTICLES]                      = {"articles", POLICY_ARTICLES, false, 1, 100, ENUMS_ROLES},
};
/* clang-format on */

const size_t policy_members_count = sizeof(policy_members) / sizeof(policy_members[0]);

_Static_assert(sizeof(policy_members) / sizeof(policy_members[0]) == M__COUNT, "member table");

/* The causes of a fault; the table names each with its machine code. */
enum fault {
    F_NONE = 0,
    F_UNKNOWN_FIELD,
    F_REQUIRED,
    F_WRONG_TYPE,
    F_TOO_SHORT,
    F_TOO_LONG,
    F_TOO_FEW_ITEMS,
    F_TOO_MANY_ITEMS,
    F_OUT_OF_RANGE,
    F_NOT_AN_OBJECT,
    F_NOT_DATE,
    F_UNKNOWN_VALUE,
    F_NOT_SNAKE_CASE,
    F_DUPLICATE_ITEM,
    F_DUPLICATE_CRITERION,
    F_GATE_WEIGHT,
    F_WEIGHTS_SUM,
    F_MUST_BE_NULL,
    F_MUST_NOT_BE_NULL,
    F_ENDS_BEFORE_START,
    F_FEWER_NOMINEES_THAN_AWARDS,
    F_PREFERRED_AGE_ABOVE_MAX,
    F_NEEDS_MANAGEMENT_PERIOD,
    F_DEEDS_MAX_BELOW_MIN,
    F_GATE_MAX_SCORE,
    F_FEWER_SHORTLISTED_THAN_AWARDS,
    F_NOT_CERTIFICATE_PREFIX,
    F_REVOCATION_STEPS,
    F_NOT_MONTH_DAY,
};

static const struct {
    const char *code;
} faults[] = {
    [F_NONE] = {.code = NULL},
    [F_UNKNOWN_FIELD] = {.code = "unknown_field"},
    [F_REQUIRED] = {.code = "required"},
    [F_WRONG_TYPE] = {.code = "wrong_type"},
    [F_TOO_SHORT] = {.code = "too_short"},
    [F_TOO_LONG] = {.code = "too_long"},
    [F_TOO_FEW_ITEMS] = {.code = "too_few_items"},
    [F_TOO_MANY_ITEMS] = {.code = "too_many_items"},
    [F_OUT_OF_RANGE] = {.code = "out_of_range"},
    [F_NOT_AN_OBJECT] = {.code = "not_an_object"},
    [F_NOT_DATE] = {.code = "not_date"},
    [F_UNKNOWN_VALUE] = {.code = "unknown_value"},
    [F_NOT_SNAKE_CASE] = {.code = "not_snake_case"},
    [F_DUPLICATE_ITEM] = {.code = "duplicate_item"},
    [F_DUPLICATE_CRITERION] = {.code = "duplicate_criterion"},
    [F_GATE_WEIGHT] = {.code = "gate_weight"},
    [F_WEIGHTS_SUM] = {.code = "weights_sum"},
    [F_MUST_BE_NULL] = {.code = "must_be_null"},
    [F_MUST_NOT_BE_NULL] = {.code = "must_not_be_null"},
    [F_ENDS_BEFORE_START] = {.code = "ends_before_start"},
    [F_FEWER_NOMINEES_THAN_AWARDS] = {.code = "fewer_nominees_than_awards"},
    [F_PREFERRED_AGE_ABOVE_MAX] = {.code = "preferred_age_above_max"},
    [F_NEEDS_MANAGEMENT_PERIOD] = {.code = "needs_management_period"},
    [F_DEEDS_MAX_BELOW_MIN] = {.code = "deeds_max_below_min"},
    [F_GATE_MAX_SCORE] = {.code = "gate_max_score"},
    [F_FEWER_SHORTLISTED_THAN_AWARDS] = {.code = "fewer_shortlisted_than_awards"},
    [F_NOT_CERTIFICATE_PREFIX] = {.code = "not_certificate_prefix"},
    [F_REVOCATION_STEPS] = {.code = "not_revocation_step"},
    [F_NOT_MONTH_DAY] = {.code = "not_month_day"},
};

/* One validation run: the problem, plus each member's value and verdict. */
struct check {
    struct problem *p;
    const char *prefix;          /* pointer of the policy object in the body */
    const json_t *val[M__COUNT]; /* borrowed; NULL when missing */
    bool ok[M__COUNT];           /* present and valid on its own */
    bool failed;
};

const struct policy_member *policy_member_find(const char *name)
{
    for (size_t i = 0; i < policy_members_count; i++) {
        if (strcmp(policy_members[i].name, name) == 0) {
            return &policy_members[i];
        }
    }
    return NULL;
}

/* Appends "/" and `token` escaped per RFC 6901 (~ → ~0, / → ~1); truncates. */
static void pointer_push(char *buf, size_t cap, const char *token)
{
    size_t n = strlen(buf);

    if (n + 1 < cap) {
        buf[n++] = '/';
    }
    for (const char *s = token; *s != '\0' && n + 2 < cap; s++) {
        if (*s == '~' || *s == '/') {
            buf[n++] = '~';
            buf[n++] = *s == '~' ? '0' : '1';
        } else {
            buf[n++] = *s;
        }
    }
    buf[n] = '\0';
}

/* Appends `tail` to the text in buf (cap bytes), cutting if need be. */
static void append(char *buf, size_t cap, const char *tail)
{
    size_t n = strlen(buf);

    snprintf(buf + n, cap - n, "%s", tail);
}

/* Reports one fault at /policy/<a>/<b>/<d>, each token escaped; NULL tokens
 * end the pointer. `zh` and `en` take the same arguments; `or_null` adds
 * "or null" in each language (a nullable member's type fault). */
__attribute__((format(printf, 6, 0), format(printf, 7, 0))) static void
report_at(struct check *c,
          enum app_err err,
          const char *const tokens[3],
          bool or_null,
          enum fault fault,
          const char *zh,
          const char *en,
          va_list ap)
{
    char ptr[PROBLEM_POINTER_MAX];
    char msg_zh[PROBLEM_DETAIL_MAX], msg_en[PROBLEM_DETAIL_MAX];
    va_list again;

    snprintf(ptr, sizeof(ptr), "%s", c->prefix);
    for (size_t i = 0; i < 3 && tokens[i] != NULL; i++) {
        pointer_push(ptr, sizeof(ptr), tokens[i]);
    }
    va_copy(again, ap);
    vsnprintf(msg_zh, sizeof(msg_zh), zh, ap);
    vsnprintf(msg_en, sizeof(msg_en), en, again);
    va_end(again);
    if (or_null) {
        append(msg_zh, sizeof(msg_zh), "，或为 null");
        append(msg_en, sizeof(msg_en), " or null");
    }
    /* Both formats take both texts; each prints its own (%.0s prints nothing). */
    problem_field(c->p, err, ptr, faults[fault].code, "%s%.0s", "%.0s%s", msg_zh, msg_en);
    c->failed = true;
}

/* A fault at /policy/<a>[/<b>]; `b` may be NULL. */
__attribute__((format(printf, 6, 8), format(printf, 7, 8))) static void report(struct check *c,
                                                                               enum app_err err,
                                                                               const char *a,
                                                                               const char *b,
                                                                               enum fault fault,
                                                                               const char *zh,
                                                                               const char *en,
                                                                               ...)
{
    const char *const tokens[3] = {a, b, NULL};
    va_list ap;

    va_start(ap, en);
    report_at(c, err, tokens, false, fault, zh, en, ap);
    va_end(ap);
}

/* A type fault of member m, "or null" added when m is nullable. */
__attribute__((format(printf, 4, 6), format(printf, 5, 6))) static void
report_type(struct check *c,
            const struct policy_member *m,
            enum fault fault,
            const char *zh,
            const char *en,
            ...)
{
    const char *const tokens[3] = {m->name, NULL, NULL};
    va_list ap;

    va_start(ap, en);
    report_at(c, APP_ERR_VALIDATION, tokens, m->nullable, fault, zh, en, ap);
    va_end(ap);
}

/* A fault at /policy/rubric/<idx>/<member>. */
__attribute__((format(printf, 6, 8), format(printf, 7, 8))) static void
report_criterion(struct check *c,
                 enum app_err err,
                 const char *idx,
                 const char *member,
                 enum fault fault,
                 const char *zh,
                 const char *en,
                 ...)
{
    const char *const tokens[3] = {"rubric", idx, member};
    va_list ap;

    va_start(ap, en);
    report_at(c, err, tokens, false, fault, zh, en, ap);
    va_end(ap);
}

/* jansson guarantees valid UTF-8, so counting non-continuation bytes counts code points. */
static size_t code_points(const json_t *s)
{
    const char *p = json_string_value(s);
    size_t len = json_string_length(s), n = 0;

    for (size_t i = 0; i < len; i++) {
        n += ((unsigned char)p[i] & 0xC0) != 0x80;
    }
    return n;
}

static bool is_code(const json_t *v)
{
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);

    if (s == NULL || len == 0 || len > POLICY_CODE_MAX || s[0] < 'a' || s[0] > 'z') {
        return false;
    }
    for (size_t i = 1; i < len; i++) {
        char ch = s[i];

        if (ch == '_') {
            if (s[i - 1] == '_' || i == len - 1) {
                return false;
            }
        } else if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))) {
            return false;
        }
    }
    return true;
}

/* The code of a string's fault against lo..hi code points, NULL when none. */
static enum fault string_fault(const json_t *v, long long lo, long long hi)
{
    long long n;

    if (!json_is_string(v)) {
        return F_WRONG_TYPE;
    }
    n = (long long)code_points(v);
    return n < lo ? F_TOO_SHORT : n > hi ? F_TOO_LONG : F_NONE;
}

/* The code of an integer's fault against lo..hi, NULL when none. */
static enum fault int_fault(const json_t *v, long long lo, long long hi)
{
    if (!json_is_integer(v)) {
        return F_WRONG_TYPE;
    }
    return json_integer_value(v) < lo || json_integer_value(v) > hi ? F_OUT_OF_RANGE : F_NONE;
}

/* The code of an array's fault against lo..hi elements, NULL when none. */
static enum fault array_fault(const json_t *v, long long lo, long long hi)
{
    long long n = (long long)json_array_size(v);

    if (!json_is_array(v)) {
        return F_WRONG_TYPE;
    }
    return n < lo ? F_TOO_FEW_ITEMS : n > hi ? F_TOO_MANY_ITEMS : F_NONE;
}

/* "a, b, c" for a message. */
static void enum_values(enum enums_set set, char *buf, size_t cap)
{
    size_t n = 0;

    buf[0] = '\0';
    for (int i = 0; i < enums_count(set) && n < cap; i++) {
        int w = snprintf(buf + n, cap - n, "%s%s", i > 0 ? ", " : "",
                         enums_value(set, enums_first(set) + i));

        if (w < 0) {
            break;
        }
        n += (size_t)w;
    }
}

/* Pass 1: members that are not in the table, at every closed level. */
static void check_unknown(struct check *c, const json_t *policy)
{
    const char *key;
    const json_t *v;
    const json_t *rubric = json_object_get(policy, "rubric");
    const json_t *articles = json_object_get(policy, "articles");
    size_t i;

    json_object_foreach((json_t *)policy, key, v)
    {
        if (policy_member_find(key) == NULL) {
            report(c, APP_ERR_UNKNOWN_FIELD, key, NULL, F_UNKNOWN_FIELD, "未知字段",
                   "unknown member");
        }
    }
    json_array_foreach(rubric, i, v)
    {
        const json_t *x;
        char idx[24];

        snprintf(idx, sizeof(idx), "%zu", i);
        json_object_foreach((json_t *)v, key, x)
        {
            if (strcmp(key, "criterion") != 0 && strcmp(key, "label") != 0 &&
                strcmp(key, "label_en") != 0 && strcmp(key, "weight") != 0 &&
                strcmp(key, "gate") != 0 && strcmp(key, "max_score") != 0) {
                report_criterion(c, APP_ERR_UNKNOWN_FIELD, idx, key, F_UNKNOWN_FIELD, "未知字段",
                                 "unknown member");
            }
        }
    }
    json_object_foreach((json_t *)articles, key, v)
    {
        if (policy_member_find(key) == NULL || strcmp(key, "articles") == 0) {
            report(c, APP_ERR_UNKNOWN_FIELD, "articles", key, F_UNKNOWN_FIELD, "不是政策字段",
                   "not a policy member");
        }
    }
}

static bool check_codes(struct check *c, const struct policy_member *m, const json_t *v)
{
    enum fault fault = array_fault(v, m->min, m->max);
    bool ok = true;
    size_t i, j, n = json_array_size(v);

    if (fault != F_NONE) {
        report(c, APP_ERR_VALIDATION, m->name, NULL, fault,
               "应为由 %lld 至 %lld 个 snake_case 代码组成的数组",
               "must be an array of %lld to %lld snake_case codes", m->min, m->max);
        return false;
    }
    for (i = 0; i < n; i++) {
        const json_t *x = json_array_get(v, i);
        char idx[24];

        snprintf(idx, sizeof(idx), "%zu", i);
        if (!is_code(x)) {
            report(c, APP_ERR_VALIDATION, m->name, idx, F_NOT_SNAKE_CASE, "应为 snake_case 代码",
                   "must be a snake_case code");
            ok = false;
            continue;
        }
        for (j = 0; j < i; j++) {
            if (json_equal(x, json_array_get(v, j))) {
                report(c, APP_ERR_VALIDATION, m->name, idx, F_DUPLICATE_ITEM, "与第 %zu 项重复",
                       "repeats item %zu", j);
                ok = false;
                break;
            }
        }
    }
    return ok;
}

/* One criterion; its unknown members were reported in pass 1. */
static bool
check_criterion(struct check *c, const json_t *x, const char *idx, int *ret_weight, bool *ret_gate)
{
    const json_t *weight = json_object_get(x, "weight");
    const json_t *gate = json_object_get(x, "gate");
    const json_t *max_score = json_object_get(x, "max_score");
    enum fault fault;
    bool ok = true;

    if (!json_is_object(x)) {
        report(c, APP_ERR_VALIDATION, "rubric", idx, F_NOT_AN_OBJECT, "应为对象",
               "must be an object");
        return false;
    }
    if (!is_code(json_object_get(x, "criterion"))) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "criterion", F_NOT_SNAKE_CASE,
                         "应为 snake_case 代码", "must be a snake_case code");
        ok = false;
    }
    if ((fault = string_fault(json_object_get(x, "label"), 1, 50)) != F_NONE) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "label", fault, "应为 1 至 50 个字符的字符串",
                         "must be a string of 1 to 50 characters");
        ok = false;
    }
    if ((fault = string_fault(json_object_get(x, "label_en"), 1, 100)) != F_NONE) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "label_en", fault,
                         "应为 1 至 100 个字符的字符串", "must be a string of 1 to 100 characters");
        ok = false;
    }
    if (!json_is_boolean(gate)) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "gate", F_WRONG_TYPE, "应为 true 或 false",
                         "must be true or false");
        ok = false;
    }
    if ((fault = int_fault(weight, 0, 100)) != F_NONE) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "weight", fault, "应为 0 至 100 的整数",
                         "must be an integer from 0 to 100");
        ok = false;
    }
    /* Optional: the top of a scored criterion's range (scores run 0..max_score). */
    if (max_score != NULL && (fault = int_fault(max_score, 1, POLICY_MAX_SCORE_MAX)) != F_NONE) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "max_score", fault, "应为 1 至 %d 的整数",
                         "must be an integer from 1 to %d", POLICY_MAX_SCORE_MAX);
        ok = false;
    }
    /* A gate is pass/fail: giving it a weight would let it buy points. */
    if (ok && json_is_true(gate) != (json_integer_value(weight) == 0)) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "weight", F_GATE_WEIGHT,
                         "门槛项的权重应为 0，计分项的权重应为 1 至 100",
                         "must be 0 for a gate and 1 to 100 for a scored criterion");
        ok = false;
    }
    /* ... and has no score range either: it is answered true or false. */
    if (ok && json_is_true(gate) && max_score != NULL) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "max_score", F_GATE_MAX_SCORE,
                         "门槛项只判定通过与否，不应设置 max_score",
                         "must be absent for a gate (a gate is pass/fail)");
        ok = false;
    }
    if (ok) {
        json_int_value(weight, 0, 100, ret_weight);
        *ret_gate = json_is_true(gate);
    }
    return ok;
}

static bool check_rubric(struct check *c, const struct policy_member *m, const json_t *v)
{
    enum fault fault = array_fault(v, m->min, m->max);
    bool ok = true;
    int sum = 0, scored = 0;
    size_t i, j, n = json_array_size(v);

    if (fault != F_NONE) {
        report(c, APP_ERR_VALIDATION, m->name, NULL, fault,
               "应为由 %lld 至 %lld 项评分标准组成的数组",
               "must be an array of %lld to %lld criteria", m->min, m->max);
        return false;
    }
    for (i = 0; i < n; i++) {
        const json_t *x = json_array_get(v, i);
        char idx[24];
        int weight = 0;
        bool gate = false;

        snprintf(idx, sizeof(idx), "%zu", i);
        if (!check_criterion(c, x, idx, &weight, &gate)) {
            ok = false;
            continue;
        }
        sum += weight;
        scored += !gate;
        for (j = 0; j < i; j++) {
            if (json_equal(json_object_get(x, "criterion"),
                           json_object_get(json_array_get(v, j), "criterion"))) {
                report(c, APP_ERR_VALIDATION, m->name, idx, F_DUPLICATE_CRITERION,
                       "与第 %zu 项的评分标准重复", "repeats the criterion of item %zu", j);
                ok = false;
                break;
            }
        }
    }
    if (ok && (scored == 0 || sum != 100)) {
        report(c, APP_ERR_VALIDATION, m->name, NULL, F_WEIGHTS_SUM,
               "计分项的权重之和应为 100（现为 %d）",
               "the weights of the scored criteria must sum to 100 (they sum to %d)", sum);
        ok = false;
    }
    return ok;
}

static bool check_articles(struct check *c, const struct policy_member *m, const json_t *v)
{
    const char *key;
    const json_t *x;
    bool ok = true;

    if (!json_is_object(v)) {
        report(c, APP_ERR_VALIDATION, m->name, NULL, F_WRONG_TYPE, "应为对象", "must be an object");
        return false;
    }
    json_object_foreach((json_t *)v, key, x)
    {
        enum fault fault = string_fault(x, m->min, m->max);

        if (fault != F_NONE) {
            report(c, APP_ERR_VALIDATION, m->name, key, fault, "应为 %lld 至 %lld 个字符的字符串",
                   "must be a string of %lld to %lld characters", m->min, m->max);
            ok = false;
        }
    }
    return ok;
}

/* Pass 2 for one member: its own type and bounds, nothing relating it to others. */
static bool check_member(struct check *c, const struct policy_member *m, const json_t *v)
{
    enum fault fault;
    char values[160];

    if (v == NULL && m->optional) {
        return true;
    }
    if (v == NULL) {
        report(c, APP_ERR_VALIDATION, m->name, NULL, F_REQUIRED, "为必填项", "required");
        return false;
    }
    if (m->nullable && json_is_null(v)) {
        return true;
    }
    switch (m->type) {
    case POLICY_STRING:
        if ((fault = string_fault(v, m->min, m->max)) == F_NONE) {
            return true;
        }
        report_type(c, m, fault, "应为 %lld 至 %lld 个字符的字符串",
                    "must be a string of %lld to %lld characters", m->min, m->max);
        return false;
    case POLICY_DATE: {
        int32_t day;

        if (json_is_string(v) && date_parse(json_string_value(v), &day)) {
            return true;
        }
        report_type(c, m, json_is_string(v) ? F_NOT_DATE : F_WRONG_TYPE,
                    "应为 YYYY-MM-DD 格式的日期", "must be a date YYYY-MM-DD");
        return false;
    }
    case POLICY_INT:
        if ((fault = int_fault(v, m->min, m->max)) == F_NONE) {
            return true;
        }
        report_type(c, m, fault, "应为 %lld 至 %lld 的整数", "must be an integer from %lld to %lld",
                    m->min, m->max);
        return false;
    case POLICY_BOOL:
        if (json_is_boolean(v)) {
            return true;
        }
        report(c, APP_ERR_VALIDATION, m->name, NULL, F_WRONG_TYPE, "应为 true 或 false",
               "must be true or false");
        return false;
    case POLICY_ENUM:
        if (enums_from_value(m->set, json_string_value(v)) >= 0) {
            return true;
        }
        enum_values(m->set, values, sizeof(values));
        report_type(c, m, json_is_string(v) ? F_UNKNOWN_VALUE : F_WRONG_TYPE, "应为以下之一：%s",
                    "must be one of: %s", values);
        return false;
    case POLICY_CODES:
        return check_codes(c, m, v);
    case POLICY_RUBRIC:
        return check_rubric(c, m, v);
    case POLICY_ARTICLES:
        return check_articles(c, m, v);
    }
    return false;
}

/* Helpers for pass 3; callers test c->ok[] first. */
static bool is_null(const struct check *c, enum member_id id)
{
    return json_is_null(c->val[id]);
}

static long long int_of(const struct check *c, enum member_id id)
{
    return json_integer_value(c->val[id]);
}

static bool is_value(const struct check *c, enum member_id id, const char *value)
{
    const char *s = json_string_value(c->val[id]);

    return s != NULL && strcmp(s, value) == 0;
}

static bool both_ok(const struct check *c, enum member_id a, enum member_id b)
{
    return c->ok[a] && c->ok[b];
}

/* Reports on `id` when "id is null" differs from `want_null`; `zh_rule`
 * states the rule in Chinese, `en_why` ends the English sentence. */
static void null_iff(
    struct check *c, enum member_id id, bool want_null, const char *zh_rule, const char *en_why)
{
    const char *name = policy_members[id].name;

    if (is_null(c, id) == want_null) {
        return;
    }
    /* Both formats take both texts; each prints its own (%.0s prints nothing). */
    if (want_null) {
        report(c, APP_ERR_VALIDATION, name, NULL, F_MUST_BE_NULL, "应为 null（%s）%.0s",
               "must be null %.0s%s", zh_rule, en_why);
    } else {
        report(c, APP_ERR_VALIDATION, name, NULL, F_MUST_NOT_BE_NULL, "不应为 null（%s）%.0s",
               "must not be null %.0s%s", zh_rule, en_why);
    }
}

static void check_dates(struct check *c)
{
    int32_t from, to;

    if (both_ok(c, M_IN_FORCE_FROM, M_IN_FORCE_TO) &&
        date_parse(json_string_value(c->val[M_IN_FORCE_FROM]), &from) &&
        date_parse(json_string_value(c->val[M_IN_FORCE_TO]), &to) && to < from) {
        report(c, APP_ERR_VALIDATION, "in_force_to", NULL, F_ENDS_BEFORE_START,
               "不得早于 in_force_from", "must not be before in_force_from");
    }
}

/* The shortlist (the review's outcome) has one size, set in one place: the
 * vote's nominees when there is a public vote (the vote is on the shortlist),
 * else shortlist_size, else the office's choice when it freezes the list
 * (review_rules.h, review_shortlist_size). Either way it holds at least the
 * round's awards. An absent shortlist_size is null. */
static void check_shortlist(struct check *c)
{
    const json_t *v = c->val[M_SHORTLIST_SIZE];

    if (!c->ok[M_SHORTLIST_SIZE] || v == NULL || json_is_null(v)) {
        return;
    }
    if (c->ok[M_VOTE_NOMINEES] && !is_null(c, M_VOTE_NOMINEES)) {
        report(c, APP_ERR_VALIDATION, "shortlist_size", NULL, F_MUST_BE_NULL,
               "有网络投票时应为 null（提名人选人数由 vote_nominees 确定）",
               "must be null when vote_nominees is set (it sizes the shortlist)");
    } else if (c->ok[M_AWARDS_PER_ROUND] && json_integer_value(v) < int_of(c, M_AWARDS_PER_ROUND)) {
        report(c, APP_ERR_VALIDATION, "shortlist_size", NULL, F_FEWER_SHORTLISTED_THAN_AWARDS,
               "不得少于 awards_per_round", "must not be less than awards_per_round");
    }
}

/* A certificate number starts with the prefix (decision_rules.h,
 * certificate_number_format): capital letters and digits, a letter first. */
static void check_certificate_prefix(struct check *c)
{
    const char *s = json_string_value(c->val[M_CERTIFICATE_PREFIX]);
    bool ok = s != NULL && *s >= 'A' && *s <= 'Z';

    if (!c->ok[M_CERTIFICATE_PREFIX] || s == NULL) {
        return;
    }
    for (const char *q = s; ok && *q; q++) {
        ok = (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9');
    }
    if (!ok) {
        report(c, APP_ERR_VALIDATION, "certificate_prefix", NULL, F_NOT_CERTIFICATE_PREFIX,
               "应由大写字母和数字组成，以字母开头（如 LSGJ）",
               "must be capital letters and digits, a letter first (e.g. LSGJ)");
    }
}

/* Each revocation step is one holder_rules.h knows; the list ends with a
 * step of the leadership group or the government, never the office's own
 * verification (第十二条 "按程序取消", 第十七条 审定 and 批准). */
static void check_revocation_steps(struct check *c)
{
    const json_t *v = c->val[M_REVOCATION_STEPS];
    size_t n = json_array_size(v);
    int last = -1;

    if (!c->ok[M_REVOCATION_STEPS] || v == NULL) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char idx[24];
        last = enums_from_value(ENUMS_REVOCATION_STEPS, json_string_value(json_array_get(v, i)));
        snprintf(idx, sizeof(idx), "%zu", i);
        if (last < 0) {
            report(c, APP_ERR_VALIDATION, "revocation_steps", idx, F_REVOCATION_STEPS,
                   "应为 verification、decision、preliminary_finding、ratification 或 approval",
                   "must be verification, decision, preliminary_finding, ratification or "
                   "approval");
            return;
        }
    }
    if (last == RSTEP_VERIFICATION || last == RSTEP_PRELIMINARY) {
        report(c, APP_ERR_VALIDATION, "revocation_steps", NULL, F_REVOCATION_STEPS,
               "最后一步须为领导小组或区政府的决定（decision、ratification 或 approval）",
               "the last step must be the leadership group's or the government's "
               "(decision, ratification or approval)");
    }
}

/* The assessment deadline is a day of the year, MM-DD, that every year has
 * (not 02-29). */
static void check_assessment_deadline(struct check *c)
{
    const char *s = json_string_value(c->val[M_ASSESSMENT_DEADLINE]);
    int month, day;

    if (!c->ok[M_ASSESSMENT_DEADLINE] || s == NULL) {
        return;
    }
    if (!policy_month_day(s, &month, &day)) {
        report(c, APP_ERR_VALIDATION, "assessment_deadline", NULL, F_NOT_MONTH_DAY,
               "应为每年都有的月日 MM-DD（如 03-31，不可为 02-29）",
               "must be a day every year has, MM-DD (e.g. 03-31; not 02-29)");
    }
}

/* Pass 3: the rules between members (see the table in policy.h). */
static void check_cross(struct check *c)
{
    bool allowance = is_value(c, M_REWARD, "monthly_allowance");

    check_dates(c);
    check_certificate_prefix(c);
    check_revocation_steps(c);
    check_assessment_deadline(c);
    if (both_ok(c, M_VOTE_NOMINEES, M_AWARDS_PER_ROUND) && !is_null(c, M_VOTE_NOMINEES) &&
        int_of(c, M_VOTE_NOMINEES) < int_of(c, M_AWARDS_PER_ROUND)) {
        report(c, APP_ERR_VALIDATION, "vote_nominees", NULL, F_FEWER_NOMINEES_THAN_AWARDS,
               "不得少于 awards_per_round", "must not be less than awards_per_round");
    }
    check_shortlist(c);
    if (both_ok(c, M_VOTE_WEIGHT, M_VOTE_NOMINEES)) {
        null_iff(c, M_VOTE_WEIGHT, is_null(c, M_VOTE_NOMINEES),
                 "vote_weight 与 vote_nominees 须同为 null 或同不为 null",
                 "exactly when vote_nominees is");
    }
    if (both_ok(c, M_UNIT_PUBLICITY_MIN_WORKDAYS, M_UNIT_PUBLICITY_REQUIRED) &&
        !is_null(c, M_UNIT_PUBLICITY_MIN_WORKDAYS) &&
        !json_is_true(c->val[M_UNIT_PUBLICITY_REQUIRED])) {
        report(c, APP_ERR_VALIDATION, "unit_publicity_min_workdays", NULL, F_MUST_BE_NULL,
               "unit_publicity_required 为 false 时应为 null",
               "must be null when unit_publicity_required is false");
    }
    if (both_ok(c, M_AGE_MAX_KIND, M_AGE_MAX)) {
        null_iff(c, M_AGE_MAX_KIND, is_null(c, M_AGE_MAX),
                 "age_max_kind 与 age_max 须同为 null 或同不为 null", "exactly when age_max is");
    }
    if (both_ok(c, M_AGE_PREFERRED_MAX, M_AGE_MAX) && !is_null(c, M_AGE_PREFERRED_MAX) &&
        !is_null(c, M_AGE_MAX) && int_of(c, M_AGE_PREFERRED_MAX) > int_of(c, M_AGE_MAX)) {
        report(c, APP_ERR_VALIDATION, "age_preferred_max", NULL, F_PREFERRED_AGE_ABOVE_MAX,
               "不得超过 age_max", "must not exceed age_max");
    }
    if (both_ok(c, M_SKILL_TEST_WEIGHT, M_SKILL_TEST)) {
        null_iff(c, M_SKILL_TEST_WEIGHT, !json_is_true(c->val[M_SKILL_TEST]),
                 "skill_test 为 false 时须为 null，为 true 时须填写",
                 "exactly when skill_test is false");
    }
    /* The allowance trio follows `reward`, so a one-time programme cannot accrue months. */
    if (c->ok[M_REWARD]) {
        static const enum member_id trio[] = {M_ALLOWANCE_MONTHLY_FEN, M_MANAGEMENT_PERIOD_MONTHS,
                                              M_ALLOWANCE_START};

        for (size_t i = 0; i < sizeof(trio) / sizeof(trio[0]); i++) {
            if (c->ok[trio[i]]) {
                null_iff(c, trio[i], !allowance,
                         "reward 为 monthly_allowance 时须填写，否则须为 null",
                         "unless reward is monthly_allowance");
            }
        }
    }
    if (both_ok(c, M_REPEAT_RULE, M_MANAGEMENT_PERIOD_MONTHS) &&
        is_value(c, M_REPEAT_RULE, "after_management_period") &&
        is_null(c, M_MANAGEMENT_PERIOD_MONTHS)) {
        report(c, APP_ERR_VALIDATION, "repeat_rule", NULL, F_NEEDS_MANAGEMENT_PERIOD,
               "after_management_period 须同时填写 management_period_months",
               "after_management_period needs management_period_months");
    }
    if (both_ok(c, M_ASSESSMENT_FAIL_LIMIT, M_ASSESSMENT) && !is_null(c, M_ASSESSMENT_FAIL_LIMIT) &&
        !is_value(c, M_ASSESSMENT, "annual")) {
        report(c, APP_ERR_VALIDATION, "assessment_fail_limit", NULL, F_MUST_BE_NULL,
               "assessment 不为 annual 时应为 null", "must be null unless assessment is annual");
    }
    if (both_ok(c, M_RECHECK_MIN_APPRENTICES, M_ASSESSMENT) &&
        !is_null(c, M_RECHECK_MIN_APPRENTICES) && !is_value(c, M_ASSESSMENT, "year2_recheck")) {
        report(c, APP_ERR_VALIDATION, "recheck_min_apprentices", NULL, F_MUST_BE_NULL,
               "assessment 不为 year2_recheck 时应为 null",
               "must be null unless assessment is year2_recheck");
    }
    if (both_ok(c, M_RECHECK_APPRENTICE_MIN_LEVEL, M_RECHECK_MIN_APPRENTICES)) {
        null_iff(
            c, M_RECHECK_APPRENTICE_MIN_LEVEL, is_null(c, M_RECHECK_MIN_APPRENTICES),
            "recheck_apprentice_min_level 与 recheck_min_apprentices 须同为 null 或同不为 null",
            "exactly when recheck_min_apprentices is");
    }
    if (both_ok(c, M_DEEDS_MIN_CHARS, M_DEEDS_MAX_CHARS) && !is_null(c, M_DEEDS_MIN_CHARS) &&
        !is_null(c, M_DEEDS_MAX_CHARS) &&
        int_of(c, M_DEEDS_MAX_CHARS) < int_of(c, M_DEEDS_MIN_CHARS)) {
        report(c, APP_ERR_VALIDATION, "deeds_max_chars", NULL, F_DEEDS_MAX_BELOW_MIN,
               "不得少于 deeds_min_chars", "must not be less than deeds_min_chars");
    }
}

bool policy_validate_at(const json_t *policy, const char *prefix, struct problem *reterr)
{
    struct check c = {.p = reterr, .prefix = prefix != NULL ? prefix : ""};

    if (!json_is_object(policy)) {
        report(&c, APP_ERR_VALIDATION, NULL, NULL, F_NOT_AN_OBJECT, "应为对象",
               "must be an object");
        return false;
    }
    check_unknown(&c, policy);
    for (size_t i = 0; i < M__COUNT; i++) {
        c.val[i] = json_object_get(policy, policy_members[i].name);
        c.ok[i] = check_member(&c, &policy_members[i], c.val[i]);
    }
    check_cross(&c);
    return !c.failed;
}

bool policy_validate(const json_t *policy, struct problem *reterr)
{
    return policy_validate_at(policy, POLICY_POINTER, reterr);
}
