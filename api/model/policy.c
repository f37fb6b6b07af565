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
    [M_ARTICLES]                      = {"articles", POLICY_ARTICLES, false, 1, 100, ENUMS_ROLES},
};
/* clang-format on */

const size_t policy_members_count = sizeof(policy_members) / sizeof(policy_members[0]);

_Static_assert(sizeof(policy_members) / sizeof(policy_members[0]) == M__COUNT, "member table");

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

/* Reports one fault at /policy/<a>/<b>/<d>, each token escaped; NULL tokens end the pointer. */
static void report_at(struct check *c,
                      enum app_err err,
                      const char *a,
                      const char *b,
                      const char *d,
                      const char *fmt,
                      va_list ap) __attribute__((format(printf, 6, 0)));

static void report_at(struct check *c,
                      enum app_err err,
                      const char *a,
                      const char *b,
                      const char *d,
                      const char *fmt,
                      va_list ap)
{
    char ptr[PROBLEM_POINTER_MAX];
    char msg[PROBLEM_DETAIL_MAX];
    const char *tokens[] = {a, b, d};

    snprintf(ptr, sizeof(ptr), "%s", c->prefix);

    for (size_t i = 0; i < 3 && tokens[i] != NULL; i++) {
        pointer_push(ptr, sizeof(ptr), tokens[i]);
    }
    vsnprintf(msg, sizeof(msg), fmt, ap);
    problem_add_error(c->p, err, ptr, "%s", msg);
    c->failed = true;
}

/* A fault at /policy/<a>[/<b>]; `b` may be NULL. */
static void
report(struct check *c, enum app_err err, const char *a, const char *b, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
report(struct check *c, enum app_err err, const char *a, const char *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report_at(c, err, a, b, NULL, fmt, ap);
    va_end(ap);
}

/* A fault at /policy/rubric/<idx>/<member>. */
static void report_criterion(
    struct check *c, enum app_err err, const char *idx, const char *member, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void report_criterion(
    struct check *c, enum app_err err, const char *idx, const char *member, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report_at(c, err, "rubric", idx, member, fmt, ap);
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

static bool string_in(const json_t *v, long long lo, long long hi)
{
    long long n;

    if (!json_is_string(v)) {
        return false;
    }
    n = (long long)code_points(v);
    return n >= lo && n <= hi;
}

static bool int_in(const json_t *v, long long lo, long long hi)
{
    return json_is_integer(v) && json_integer_value(v) >= lo && json_integer_value(v) <= hi;
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
            report(c, APP_ERR_UNKNOWN_FIELD, key, NULL, "unknown member");
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
                strcmp(key, "gate") != 0) {
                report_criterion(c, APP_ERR_UNKNOWN_FIELD, idx, key, "unknown member");
            }
        }
    }
    json_object_foreach((json_t *)articles, key, v)
    {
        if (policy_member_find(key) == NULL || strcmp(key, "articles") == 0) {
            report(c, APP_ERR_UNKNOWN_FIELD, "articles", key, "not a policy member");
        }
    }
}

static bool check_codes(struct check *c, const struct policy_member *m, const json_t *v)
{
    bool ok = true;
    size_t i, j, n = json_array_size(v);

    if (!json_is_array(v) || (long long)n < m->min || (long long)n > m->max) {
        report(c, APP_ERR_VALIDATION, m->name, NULL,
               "must be an array of %lld to %lld snake_case codes", m->min, m->max);
        return false;
    }
    for (i = 0; i < n; i++) {
        const json_t *x = json_array_get(v, i);
        char idx[24];

        snprintf(idx, sizeof(idx), "%zu", i);
        if (!is_code(x)) {
            report(c, APP_ERR_VALIDATION, m->name, idx, "must be a snake_case code");
            ok = false;
            continue;
        }
        for (j = 0; j < i; j++) {
            if (json_equal(x, json_array_get(v, j))) {
                report(c, APP_ERR_VALIDATION, m->name, idx, "repeats item %zu", j);
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
    bool ok = true;

    if (!json_is_object(x)) {
        report(c, APP_ERR_VALIDATION, "rubric", idx, "must be an object");
        return false;
    }
    if (!is_code(json_object_get(x, "criterion"))) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "criterion", "must be a snake_case code");
        ok = false;
    }
    if (!string_in(json_object_get(x, "label"), 1, 50)) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "label",
                         "must be a string of 1 to 50 characters");
        ok = false;
    }
    if (!string_in(json_object_get(x, "label_en"), 1, 100)) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "label_en",
                         "must be a string of 1 to 100 characters");
        ok = false;
    }
    if (!json_is_boolean(gate)) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "gate", "must be true or false");
        ok = false;
    }
    if (!int_in(weight, 0, 100)) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "weight", "must be an integer from 0 to 100");
        ok = false;
    }
    /* A gate is pass/fail: giving it a weight would let it buy points. */
    if (ok && json_is_true(gate) != (json_integer_value(weight) == 0)) {
        report_criterion(c, APP_ERR_VALIDATION, idx, "weight",
                         "must be 0 for a gate and 1 to 100 for a scored criterion");
        ok = false;
    }
    if (ok) {
        *ret_weight = (int)json_integer_value(weight);
        *ret_gate = json_is_true(gate);
    }
    return ok;
}

static bool check_rubric(struct check *c, const struct policy_member *m, const json_t *v)
{
    bool ok = true;
    int sum = 0, scored = 0;
    size_t i, j, n = json_array_size(v);

    if (!json_is_array(v) || (long long)n < m->min || (long long)n > m->max) {
        report(c, APP_ERR_VALIDATION, m->name, NULL, "must be an array of %lld to %lld criteria",
               m->min, m->max);
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
                report(c, APP_ERR_VALIDATION, m->name, idx, "repeats the criterion of item %zu", j);
                ok = false;
                break;
            }
        }
    }
    if (ok && (scored == 0 || sum != 100)) {
        report(c, APP_ERR_VALIDATION, m->name, NULL,
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
        report(c, APP_ERR_VALIDATION, m->name, NULL, "must be an object");
        return false;
    }
    json_object_foreach((json_t *)v, key, x)
    {
        if (!string_in(x, m->min, m->max)) {
            report(c, APP_ERR_VALIDATION, m->name, key,
                   "must be a string of %lld to %lld characters", m->min, m->max);
            ok = false;
        }
    }
    return ok;
}

/* Pass 2 for one member: its own type and bounds, nothing relating it to others. */
static bool check_member(struct check *c, const struct policy_member *m, const json_t *v)
{
    const char *orn = m->nullable ? " or null" : "";
    char values[160];

    if (v == NULL) {
        report(c, APP_ERR_VALIDATION, m->name, NULL, "required");
        return false;
    }
    if (m->nullable && json_is_null(v)) {
        return true;
    }
    switch (m->type) {
    case POLICY_STRING:
        if (string_in(v, m->min, m->max)) {
            return true;
        }
        report(c, APP_ERR_VALIDATION, m->name, NULL,
               "must be a string of %lld to %lld characters%s", m->min, m->max, orn);
        return false;
    case POLICY_DATE: {
        int32_t day;

        if (json_is_string(v) && date_parse(json_string_value(v), &day)) {
            return true;
        }
        report(c, APP_ERR_VALIDATION, m->name, NULL, "must be a date YYYY-MM-DD%s", orn);
        return false;
    }
    case POLICY_INT:
        if (int_in(v, m->min, m->max)) {
            return true;
        }
        report(c, APP_ERR_VALIDATION, m->name, NULL, "must be an integer from %lld to %lld%s",
               m->min, m->max, orn);
        return false;
    case POLICY_BOOL:
        if (json_is_boolean(v)) {
            return true;
        }
        report(c, APP_ERR_VALIDATION, m->name, NULL, "must be true or false");
        return false;
    case POLICY_ENUM:
        if (enums_from_value(m->set, json_string_value(v)) >= 0) {
            return true;
        }
        enum_values(m->set, values, sizeof(values));
        report(c, APP_ERR_VALIDATION, m->name, NULL, "must be one of: %s%s", values, orn);
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

/* Reports on `id` when "id is null" differs from `want_null`. */
static void null_iff(struct check *c, enum member_id id, bool want_null, const char *why)
{
    if (is_null(c, id) != want_null) {
        report(c, APP_ERR_VALIDATION, policy_members[id].name, NULL, "must %sbe null %s",
               want_null ? "" : "not ", why);
    }
}

static void check_dates(struct check *c)
{
    int32_t from, to;

    if (both_ok(c, M_IN_FORCE_FROM, M_IN_FORCE_TO) &&
        date_parse(json_string_value(c->val[M_IN_FORCE_FROM]), &from) &&
        date_parse(json_string_value(c->val[M_IN_FORCE_TO]), &to) && to < from) {
        report(c, APP_ERR_VALIDATION, "in_force_to", NULL, "must not be before in_force_from");
    }
}

/* Pass 3: the rules between members (see the table in policy.h). */
static void check_cross(struct check *c)
{
    bool allowance = is_value(c, M_REWARD, "monthly_allowance");

    check_dates(c);
    if (both_ok(c, M_VOTE_NOMINEES, M_AWARDS_PER_ROUND) && !is_null(c, M_VOTE_NOMINEES) &&
        int_of(c, M_VOTE_NOMINEES) < int_of(c, M_AWARDS_PER_ROUND)) {
        report(c, APP_ERR_VALIDATION, "vote_nominees", NULL,
               "must not be less than awards_per_round");
    }
    if (both_ok(c, M_VOTE_WEIGHT, M_VOTE_NOMINEES)) {
        null_iff(c, M_VOTE_WEIGHT, is_null(c, M_VOTE_NOMINEES), "exactly when vote_nominees is");
    }
    if (both_ok(c, M_UNIT_PUBLICITY_MIN_WORKDAYS, M_UNIT_PUBLICITY_REQUIRED) &&
        !is_null(c, M_UNIT_PUBLICITY_MIN_WORKDAYS) &&
        !json_is_true(c->val[M_UNIT_PUBLICITY_REQUIRED])) {
        report(c, APP_ERR_VALIDATION, "unit_publicity_min_workdays", NULL,
               "must be null when unit_publicity_required is false");
    }
    if (both_ok(c, M_AGE_MAX_KIND, M_AGE_MAX)) {
        null_iff(c, M_AGE_MAX_KIND, is_null(c, M_AGE_MAX), "exactly when age_max is");
    }
    if (both_ok(c, M_AGE_PREFERRED_MAX, M_AGE_MAX) && !is_null(c, M_AGE_PREFERRED_MAX) &&
        !is_null(c, M_AGE_MAX) && int_of(c, M_AGE_PREFERRED_MAX) > int_of(c, M_AGE_MAX)) {
        report(c, APP_ERR_VALIDATION, "age_preferred_max", NULL, "must not exceed age_max");
    }
    if (both_ok(c, M_SKILL_TEST_WEIGHT, M_SKILL_TEST)) {
        null_iff(c, M_SKILL_TEST_WEIGHT, !json_is_true(c->val[M_SKILL_TEST]),
                 "exactly when skill_test is false");
    }
    /* The allowance trio follows `reward`, so a one-time programme cannot accrue months. */
    if (c->ok[M_REWARD]) {
        static const enum member_id trio[] = {M_ALLOWANCE_MONTHLY_FEN, M_MANAGEMENT_PERIOD_MONTHS,
                                              M_ALLOWANCE_START};

        for (size_t i = 0; i < sizeof(trio) / sizeof(trio[0]); i++) {
            if (c->ok[trio[i]]) {
                null_iff(c, trio[i], !allowance, "unless reward is monthly_allowance");
            }
        }
    }
    if (both_ok(c, M_REPEAT_RULE, M_MANAGEMENT_PERIOD_MONTHS) &&
        is_value(c, M_REPEAT_RULE, "after_management_period") &&
        is_null(c, M_MANAGEMENT_PERIOD_MONTHS)) {
        report(c, APP_ERR_VALIDATION, "repeat_rule", NULL,
               "after_management_period needs management_period_months");
    }
    if (both_ok(c, M_ASSESSMENT_FAIL_LIMIT, M_ASSESSMENT) && !is_null(c, M_ASSESSMENT_FAIL_LIMIT) &&
        !is_value(c, M_ASSESSMENT, "annual")) {
        report(c, APP_ERR_VALIDATION, "assessment_fail_limit", NULL,
               "must be null unless assessment is annual");
    }
    if (both_ok(c, M_RECHECK_MIN_APPRENTICES, M_ASSESSMENT) &&
        !is_null(c, M_RECHECK_MIN_APPRENTICES) && !is_value(c, M_ASSESSMENT, "year2_recheck")) {
        report(c, APP_ERR_VALIDATION, "recheck_min_apprentices", NULL,
               "must be null unless assessment is year2_recheck");
    }
    if (both_ok(c, M_RECHECK_APPRENTICE_MIN_LEVEL, M_RECHECK_MIN_APPRENTICES)) {
        null_iff(c, M_RECHECK_APPRENTICE_MIN_LEVEL, is_null(c, M_RECHECK_MIN_APPRENTICES),
                 "exactly when recheck_min_apprentices is");
    }
    if (both_ok(c, M_DEEDS_MIN_CHARS, M_DEEDS_MAX_CHARS) && !is_null(c, M_DEEDS_MIN_CHARS) &&
        !is_null(c, M_DEEDS_MAX_CHARS) &&
        int_of(c, M_DEEDS_MAX_CHARS) < int_of(c, M_DEEDS_MIN_CHARS)) {
        report(c, APP_ERR_VALIDATION, "deeds_max_chars", NULL,
               "must not be less than deeds_min_chars");
    }
}

bool policy_validate_at(const json_t *policy, const char *prefix, struct problem *reterr)
{
    struct check c = {.p = reterr, .prefix = prefix != NULL ? prefix : ""};

    if (!json_is_object(policy)) {
        report(&c, APP_ERR_VALIDATION, NULL, NULL, "must be an object");
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
