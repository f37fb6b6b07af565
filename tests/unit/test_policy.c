/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/policy.c. The two seed policies are read from
 * db/migrations/0002_seed_programmes.sql itself (one source of truth) and
 * must validate; then each rule is broken on its own and must be reported
 * with the right pointer and kind. The repo root comes from argv[1], else
 * $TEST_DATA_DIR, else ".".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "holder_rules.h"
#include "policy.h"
#include "test.h"
#include "workdays.h"

#define SEED_SQL  "db/migrations/0002_seed_programmes.sql"
#define SEEDS_MAX 4
#define CODE_MAX  64

static const char *data_dir = ".";

struct seed {
    char code[CODE_MAX];
    json_t *policy;
};

static struct seed seeds[SEEDS_MAX];
static size_t n_seeds;
static bool seeds_ok; /* the file was read and parsed without a fault */

/* ---- Reading the seed migration ---- */

enum tok_kind { TOK_STR, TOK_NULL, TOK_WORD, TOK_PUNCT };

struct tok {
    enum tok_kind kind;
    char *text; /* TOK_STR: the unescaped literal; TOK_WORD: the word */
    char punct;
};

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long len;

    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)len + 1)) != NULL) {
        if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
            free(buf);
            buf = NULL;
        } else {
            buf[len] = '\0';
        }
    }
    fclose(f);
    return buf;
}

/*
 * Just enough SQL: `--` comments, '…' literals with '' for a quote, words
 * and single punctuation characters. Returns the number of tokens, or -1.
 */
static long tokenize(const char *s, struct tok *toks, size_t cap)
{
    size_t n = 0;

    while (*s != '\0') {
        struct tok t = {0};

        if (isspace((unsigned char)*s)) {
            s++;
            continue;
        }
        if (s[0] == '-' && s[1] == '-') {
            s += strcspn(s, "\n");
            continue;
        }
        if (n == cap) {
            return -1;
        }
        if (*s == '\'') {
            size_t len = 0;
            char *out = malloc(strlen(s) + 1);

            if (out == NULL) {
                return -1;
            }
            for (s++;; s++) {
                if (*s == '\0') {
                    free(out);
                    return -1;
                }
                if (*s == '\'' && s[1] == '\'') {
                    out[len++] = *s++;
                } else if (*s == '\'') {
                    s++;
                    break;
                } else {
                    out[len++] = *s;
                }
            }
            out[len] = '\0';
            t.kind = TOK_STR;
            t.text = out;
        } else if (isalnum((unsigned char)*s) || *s == '_') {
            size_t len = 0;

            while (isalnum((unsigned char)s[len]) || s[len] == '_') {
                len++;
            }
            t.kind = TOK_WORD;
            t.text = strndup(s, len);
            if (t.text == NULL) {
                return -1;
            }
            if (strcasecmp(t.text, "NULL") == 0) {
                t.kind = TOK_NULL;
            }
            s += len;
        } else {
            t.kind = TOK_PUNCT;
            t.punct = *s++;
        }
        toks[n++] = t;
    }
    return (long)n;
}

static bool is_punct(const struct tok *t, char c)
{
    return t->kind == TOK_PUNCT && t->punct == c;
}

/* ('member', 'json', 'article' | NULL) at toks[i]? */
static bool is_row(const struct tok *t, long i, long n)
{
    return i + 6 < n && is_punct(&t[i], '(') && t[i + 1].kind == TOK_STR &&
           is_punct(&t[i + 2], ',') && t[i + 3].kind == TOK_STR && is_punct(&t[i + 4], ',') &&
           (t[i + 5].kind == TOK_STR || t[i + 5].kind == TOK_NULL) && is_punct(&t[i + 6], ')');
}

/* Ends the current seed the way the SQL does: `articles` is the aggregate
 * of the non-NULL third column, and SQL NULL when there is none. */
static bool seed_finish(struct seed *s, json_t *articles)
{
    json_t *v = json_object_size(articles) > 0 ? json_incref(articles) : json_null();

    return s != NULL && json_object_set_new(s->policy, "articles", v) == 0;
}

static bool rows_to_seeds(const struct tok *t, long n)
{
    struct seed *cur = NULL;
    json_t *articles = NULL;
    bool ok = true;

    for (long i = 0; i < n && ok; i++) {
        if (t[i].kind == TOK_WORD && strcasecmp(t[i].text, "SELECT") == 0 && i + 1 < n &&
            t[i + 1].kind == TOK_STR) {
            if (cur != NULL) {
                ok = seed_finish(cur, articles);
            }
            json_decref(articles);
            articles = json_object();
            if (n_seeds == SEEDS_MAX || articles == NULL) {
                ok = false;
                break;
            }
            cur = &seeds[n_seeds++];
            snprintf(cur->code, sizeof(cur->code), "%s", t[i + 1].text);
            cur->policy = json_object();
            ok = cur->policy != NULL;
        } else if (is_row(t, i, n)) {
            json_error_t jerr;
            json_t *v = json_loads(t[i + 3].text, JSON_DECODE_ANY, &jerr);
            const char *member = t[i + 1].text;

            if (cur == NULL || v == NULL || json_object_get(cur->policy, member) != NULL) {
                fprintf(stderr, "# bad row for %s: %s\n", member, v ? "repeated" : jerr.text);
                json_decref(v);
                ok = false;
                break;
            }
            ok = json_object_set_new(cur->policy, member, v) == 0 &&
                 (t[i + 5].kind == TOK_NULL ||
                  json_object_set_new(articles, member, json_string(t[i + 5].text)) == 0);
            i += 6;
        }
    }
    if (ok && cur != NULL) {
        ok = seed_finish(cur, articles);
    }
    json_decref(articles);
    return ok;
}

static void seeds_load(void)
{
    char path[1024];
    char *sql;
    struct tok *toks;
    long n;

    snprintf(path, sizeof(path), "%s/%s", data_dir, SEED_SQL);
    sql = read_file(path);
    if (sql == NULL) {
        fprintf(stderr, "# cannot read %s\n", path);
        return;
    }
    toks = calloc(strlen(sql) + 1, sizeof(*toks));
    n = toks != NULL ? tokenize(sql, toks, strlen(sql) + 1) : -1;
    seeds_ok = n > 0 && rows_to_seeds(toks, n);
    for (long i = 0; toks != NULL && i < (n > 0 ? n : 0); i++) {
        free(toks[i].text);
    }
    free(toks);
    free(sql);
}

static const json_t *seed_policy(const char *code)
{
    for (size_t i = 0; i < n_seeds; i++) {
        if (strcmp(seeds[i].code, code) == 0) {
            return seeds[i].policy;
        }
    }
    return NULL;
}

#define LANSHAN "lanshan-craftsman"
#define HUANCUI "huancui-chief-technician"

/* ---- Helpers ---- */

/* A copy of a seed policy with `member` set to `json` (NULL: removed). */
static json_t *mutated(const char *code, const char *member, const char *json)
{
    const json_t *base = seed_policy(code);
    json_t *p = base != NULL ? json_deep_copy(base) : NULL;

    if (p == NULL) {
        return NULL;
    }
    if (json == NULL) {
        json_object_del(p, member);
    } else if (json_object_set_new(p, member, json_loads(json, JSON_DECODE_ANY, NULL)) != 0) {
        json_decref(p);
        return NULL;
    }
    return p;
}

static bool has_pointer(const struct problem *p, const char *pointer)
{
    for (size_t i = 0; i < p->n_errors; i++) {
        if (strcmp(p->errors[i].pointer, pointer) == 0) {
            return true;
        }
    }
    return false;
}

/* ---- Tests ---- */

static void test_seed_file_parses(void)
{
    CHECK(seeds_ok);
    CHECK_EQ_INT(n_seeds, 2);
    CHECK(seed_policy(LANSHAN) != NULL);
    CHECK(seed_policy(HUANCUI) != NULL);
}

static void test_seed_policies_validate(void)
{
    for (size_t i = 0; i < n_seeds; i++) {
        struct problem p = PROBLEM_INIT;

        CHECKF(policy_validate(seeds[i].policy, &p), "%s: %s", seeds[i].code,
               p.detail[PROBLEM_LANG_EN]);
        CHECK_EQ_INT(p.n_errors, 0);
        CHECK_EQ_INT(p.err, APP_ERR_INTERNAL); /* untouched */
        /* Every member present but the nine optional ones (0014, 0017, 0021,
         * 0022 add some to the stored versions), nothing else: the object is closed. */
        CHECK_EQ_INT(json_object_size(seeds[i].policy), policy_members_count - 9);
        problem_clear(&p);
    }
}

/* Every value the seeds use has a label for the front ends. */
static void test_seed_codes_have_labels(void)
{
    for (size_t i = 0; i < n_seeds; i++) {
        const json_t *pol = seeds[i].policy, *v;
        size_t k;

        json_array_foreach(json_object_get(pol, "revocation_reasons"), k, v)
        {
            CHECKF(enums_from_value(ENUMS_REVOCATION_REASONS, json_string_value(v)) >= 0, "%s: %s",
                   seeds[i].code, json_string_value(v));
        }
        json_array_foreach(json_object_get(pol, "suspension_reasons"), k, v)
        {
            CHECKF(enums_from_value(ENUMS_SUSPENSION_REASONS, json_string_value(v)) >= 0, "%s: %s",
                   seeds[i].code, json_string_value(v));
        }
    }
}

static void test_seed_articles(void)
{
    for (size_t i = 0; i < n_seeds; i++) {
        const json_t *articles = json_object_get(seeds[i].policy, "articles");
        const char *key;
        const json_t *v;

        CHECK(json_object_size(articles) >= 10);
        json_object_foreach((json_t *)articles, key, v)
        {
            CHECKF(strncmp(json_string_value(v), "第", strlen("第")) == 0, "%s: %s", key,
                   json_string_value(v));
        }
    }
    CHECK_EQ_STR(json_string_value(json_object_get(
                     json_object_get(seed_policy(LANSHAN), "articles"), "awards_per_round")),
                 "第二条");
    CHECK_EQ_STR(json_string_value(json_object_get(
                     json_object_get(seed_policy(HUANCUI), "articles"), "in_force_to")),
                 "第十八条");
}

static void test_seed_values_lanshan(void)
{
    struct policy v = {0};

    if (policy_from_json(seed_policy(LANSHAN), &v) != APP_OK) {
        CHECK(!"policy_from_json failed");
        return;
    }
    CHECK_EQ_INT(v.in_force_from, date_make(2022, 3, 25));
    CHECK_EQ_INT(v.in_force_to, date_make(2027, 3, 25));
    CHECK_EQ_INT(v.cycle_years, 2);
    CHECK_EQ_INT(v.awards_per_round, 10);
    CHECK(v.awards_cap_hard);
    CHECK_EQ_INT(v.vote_nominees, 20);
    CHECK_EQ_INT(v.vote_weight, 0);
    CHECK(v.unit_publicity_required);
    CHECK_EQ_INT(v.unit_publicity_min_workdays, 3);
    CHECK_EQ_INT(v.final_notice_workdays, 5);
    CHECK(!v.notice_counts_publication_day);
    CHECK(!v.notice_before_decision);
    CHECK_EQ_INT(v.min_skill_level, -1);
    CHECK(v.front_line_required);
    CHECK(!v.enterprise_only);
    CHECK_EQ_INT(v.age_max, -1);
    CHECK_EQ_INT(v.age_preferred_max, -1);
    CHECK(v.repeat_once);
    CHECK(!v.fraud_disqualifies_round);
    CHECK(!v.skill_test);
    CHECK_EQ_INT(v.skill_test_weight, -1);
    CHECK_EQ_INT(v.n_rubric, 5);
    CHECK_EQ_STR(v.rubric[0].criterion, "character");
    CHECK(v.rubric[0].gate);
    CHECK(!v.monthly_allowance);
    CHECK_EQ_INT(v.allowance_monthly_fen, 0);
    CHECK_EQ_INT(v.management_period_months, 0);
    CHECK(!v.year2_recheck);
    CHECK_EQ_INT(v.assessment_fail_limit, 2);
    CHECK_EQ_INT(v.recheck_min_apprentices, -1);
    CHECK_EQ_INT(v.deeds_min_chars, -1);
    CHECK_EQ_INT(v.deeds_max_chars, -1);
}

static void test_seed_values_huancui(void)
{
    struct policy v = {0};

    if (policy_from_json(seed_policy(HUANCUI), &v) != APP_OK) {
        CHECK(!"policy_from_json failed");
        return;
    }
    CHECK_EQ_INT(v.in_force_from, date_make(2022, 12, 1));
    CHECK_EQ_INT(v.in_force_to, date_make(2027, 11, 30));
    CHECK_EQ_INT(v.awards_per_round, 5);
    CHECK(!v.awards_cap_hard);
    CHECK_EQ_INT(v.vote_nominees, -1);
    CHECK_EQ_INT(v.vote_weight, -1);
    CHECK_EQ_INT(v.unit_publicity_min_workdays, -1);
    CHECK(v.notice_before_decision);
    CHECK_EQ_INT(v.min_skill_level, SKILL_TECHNICIAN);
    CHECK(v.enterprise_only);
    CHECK_EQ_INT(v.age_max, 55);
    CHECK(!v.age_max_hard);
    CHECK_EQ_INT(v.age_preferred_max, 45);
    CHECK(!v.repeat_once);
    CHECK(v.fraud_disqualifies_round);
    CHECK(v.skill_test);
    CHECK_EQ_INT(v.skill_test_weight, 50);
    CHECK_EQ_INT(v.n_rubric, 4);
    CHECK(v.monthly_allowance);
    CHECK_EQ_INT(v.allowance_monthly_fen, 50000);
    CHECK_EQ_INT(v.management_period_months, 24);
    CHECK(v.year2_recheck);
    CHECK_EQ_INT(v.assessment_fail_limit, -1);
    CHECK_EQ_INT(v.recheck_min_apprentices, 2);
    CHECK_EQ_INT(v.recheck_apprentice_min_level, SKILL_SENIOR_WORKER);
    CHECK_EQ_INT(v.deeds_min_chars, 500);
    CHECK_EQ_INT(v.deeds_max_chars, 1500);
}

#define V APP_ERR_VALIDATION
#define U APP_ERR_UNKNOWN_FIELD

/* One fault each: seed, member, new value (NULL: removed), first pointer, kind, count. */
static const struct fault_case {
    const char *seed, *member, *json, *pointer;
    enum app_err kind;
    size_t n;
} fault_cases[] = {
    {LANSHAN, "bogus", "1", "/policy/bogus", U, 1},
    {LANSHAN, "a/b~c", "1", "/policy/a~1b~0c", U, 1},
    {LANSHAN, "skill_test", NULL, "/policy/skill_test", V, 1},
    {LANSHAN, "authority", "\"\"", "/policy/authority", V, 1},
    {LANSHAN, "authority", "null", "/policy/authority", V, 1},
    {LANSHAN, "in_force_from", "\"2022-02-30\"", "/policy/in_force_from", V, 1},
    {LANSHAN, "in_force_from", "\"2022-3-25\"", "/policy/in_force_from", V, 1},
    {LANSHAN, "in_force_to", "\"2021-12-31\"", "/policy/in_force_to", V, 1},
    {LANSHAN, "cycle_years", "0", "/policy/cycle_years", V, 1},
    {LANSHAN, "cycle_years", "11", "/policy/cycle_years", V, 1},
    {LANSHAN, "cycle_years", "2.0", "/policy/cycle_years", V, 1},
    {LANSHAN, "cycle_years", "\"2\"", "/policy/cycle_years", V, 1},
    {LANSHAN, "awards_per_round", "0", "/policy/awards_per_round", V, 1},
    {LANSHAN, "awards_cap", "\"Hard\"", "/policy/awards_cap", V, 1},
    {LANSHAN, "vote_nominees", "9", "/policy/vote_nominees", V, 1},
    {LANSHAN, "vote_nominees", "null", "/policy/vote_weight", V, 1},
    {HUANCUI, "vote_weight", "0", "/policy/vote_weight", V, 1},
    {LANSHAN, "vote_weight", "101", "/policy/vote_weight", V, 1},
    {LANSHAN, "unit_publicity_required", "false", "/policy/unit_publicity_min_workdays", V, 1},
    {LANSHAN, "unit_publicity_min_workdays", "61", "/policy/unit_publicity_min_workdays", V, 1},
    {LANSHAN, "final_notice_workdays", "null", "/policy/final_notice_workdays", V, 1},
    {LANSHAN, "notice_counts_publication_day", "0", "/policy/notice_counts_publication_day", V, 1},
    {LANSHAN, "min_skill_level", "\"master\"", "/policy/min_skill_level", V, 1},
    {LANSHAN, "front_line_required", "null", "/policy/front_line_required", V, 1},
    {HUANCUI, "age_max", "null", "/policy/age_max_kind", V, 1},
    {HUANCUI, "age_max", "15", "/policy/age_max", V, 1},
    {LANSHAN, "age_max_kind", "\"soft\"", "/policy/age_max_kind", V, 1},
    {HUANCUI, "age_preferred_max", "56", "/policy/age_preferred_max", V, 1},
    {LANSHAN, "repeat_rule", "\"after_management_period\"", "/policy/repeat_rule", V, 1},
    {LANSHAN, "fraud_at_intake", "\"ban\"", "/policy/fraud_at_intake", V, 1},
    {LANSHAN, "skill_test", "true", "/policy/skill_test_weight", V, 1},
    {HUANCUI, "skill_test_weight", "null", "/policy/skill_test_weight", V, 1},
    {HUANCUI, "allowance_monthly_fen", "null", "/policy/allowance_monthly_fen", V, 1},
    {HUANCUI, "allowance_monthly_fen", "0", "/policy/allowance_monthly_fen", V, 1},
    {HUANCUI, "management_period_months", "null", "/policy/management_period_months", V, 2},
    {HUANCUI, "allowance_start", "\"month_of_recognition\"", "/policy/allowance_start", V, 1},
    {LANSHAN, "allowance_start", "\"month_after_recognition\"", "/policy/allowance_start", V, 1},
    {LANSHAN, "assessment", "\"biennial\"", "/policy/assessment", V, 1},
    {HUANCUI, "assessment_fail_limit", "2", "/policy/assessment_fail_limit", V, 1},
    {LANSHAN, "assessment_fail_limit", "0", "/policy/assessment_fail_limit", V, 1},
    {LANSHAN, "recheck_min_apprentices", "2", "/policy/recheck_min_apprentices", V, 2},
    {HUANCUI, "recheck_apprentice_min_level", "null", "/policy/recheck_apprentice_min_level", V, 1},
    {LANSHAN, "suspension_reasons", "\"fraud\"", "/policy/suspension_reasons", V, 1},
    {LANSHAN, "suspension_reasons", "[\"a\", \"a\"]", "/policy/suspension_reasons/1", V, 1},
    {LANSHAN, "suspension_reasons", "[\"Left\"]", "/policy/suspension_reasons/0", V, 1},
    {LANSHAN, "revocation_reasons", "[]", "/policy/revocation_reasons", V, 1},
    {LANSHAN, "revocation_reasons", "[\"a__b\", \"ok\", 3]", "/policy/revocation_reasons/0", V, 2},
    {HUANCUI, "deeds_max_chars", "499", "/policy/deeds_max_chars", V, 1},
    {LANSHAN, "deeds_min_chars", "-1", "/policy/deeds_min_chars", V, 1},
    {LANSHAN, "deeds_max_chars", "0", "/policy/deeds_max_chars", V, 1},
    {LANSHAN, "articles", "[]", "/policy/articles", V, 1},
    {LANSHAN, "articles", "{\"cycle_years\": \"\"}", "/policy/articles/cycle_years", V, 1},
    {LANSHAN, "articles", "{\"bogus\": \"第一条\"}", "/policy/articles/bogus", U, 1},
    {LANSHAN, "articles", "{\"articles\": \"第一条\"}", "/policy/articles/articles", U, 1},
    {LANSHAN, "rubric", "[]", "/policy/rubric", V, 1},
    {LANSHAN, "rubric",
     "[{\"criterion\": \"a\", \"label\": \"甲\", \"label_en\": \"A\", \"weight\": 10, "
     "\"gate\": true}, {\"criterion\": \"b\", \"label\": \"乙\", \"label_en\": \"B\", "
     "\"weight\": 100, \"gate\": false}]",
     "/policy/rubric/0/weight", V, 1},
    {LANSHAN, "rubric",
     "[{\"criterion\": \"a\", \"label\": \"甲\", \"label_en\": \"A\", \"weight\": 60, "
     "\"gate\": false}, {\"criterion\": \"b\", \"label\": \"乙\", \"label_en\": \"B\", "
     "\"weight\": 30, \"gate\": false}]",
     "/policy/rubric", V, 1},
    {LANSHAN, "rubric",
     "[{\"criterion\": \"a\", \"label\": \"甲\", \"label_en\": \"A\", \"weight\": 50, "
     "\"gate\": false}, {\"criterion\": \"a\", \"label\": \"乙\", \"label_en\": \"B\", "
     "\"weight\": 50, \"gate\": false}]",
     "/policy/rubric/1", V, 1},
    {LANSHAN, "rubric",
     "[{\"criterion\": \"a\", \"label\": \"甲\", \"label_en\": \"A\", \"weight\": 100, "
     "\"gate\": false, \"note\": 1}]",
     "/policy/rubric/0/note", U, 1},
    {LANSHAN, "rubric",
     "[{\"criterion\": \"a\", \"label_en\": \"A\", \"weight\": 100, \"gate\": false}]",
     "/policy/rubric/0/label", V, 1},
    {LANSHAN, "rubric", "[7]", "/policy/rubric/0", V, 1},
    {LANSHAN, "review_experts", "0", "/policy/review_experts", V, 1},
    {LANSHAN, "review_experts", "51", "/policy/review_experts", V, 1},
    {LANSHAN, "review_experts", "null", "/policy/review_experts", V, 1},
    {LANSHAN, "review_experts", "5.0", "/policy/review_experts", V, 1},
    {LANSHAN, "review_disagreement_stdev", "0", "/policy/review_disagreement_stdev", V, 1},
    {LANSHAN, "review_disagreement_stdev", "51", "/policy/review_disagreement_stdev", V, 1},
    {LANSHAN, "shortlist_size", "0", "/policy/shortlist_size", V, 1},
    {LANSHAN, "shortlist_size", "20", "/policy/shortlist_size", V, 1},
    {HUANCUI, "shortlist_size", "4", "/policy/shortlist_size", V, 1},
    {HUANCUI, "shortlist_size", "1001", "/policy/shortlist_size", V, 1},
    {LANSHAN, "certificate_prefix", "\"\"", "/policy/certificate_prefix", V, 1},
    {LANSHAN, "certificate_prefix", "\"ABCDEFGHIJKLMNOPQ\"", "/policy/certificate_prefix", V, 1},
    {LANSHAN, "certificate_prefix", "\"lsgj\"", "/policy/certificate_prefix", V, 1},
    {LANSHAN, "certificate_prefix", "\"1LS\"", "/policy/certificate_prefix", V, 1},
    {LANSHAN, "certificate_prefix", "null", "/policy/certificate_prefix", V, 1},
    {LANSHAN, "revocation_steps", "[]", "/policy/revocation_steps", V, 1},
    {LANSHAN, "assessment_deadline", "\"3-31\"", "/policy/assessment_deadline", V, 1},
    {HUANCUI, "recheck_due_month", "0", "/policy/recheck_due_month", V, 1},
    {HUANCUI, "recheck_decides_from_month", "121", "/policy/recheck_decides_from_month", V, 1},
    {LANSHAN, "assessment_deadline", "\"02-29\"", "/policy/assessment_deadline", V, 1},
    {LANSHAN, "assessment_deadline", "\"13-01\"", "/policy/assessment_deadline", V, 1},
    {LANSHAN, "assessment_deadline", "\"04-31\"", "/policy/assessment_deadline", V, 1},
    {LANSHAN, "assessment_deadline", "\"0a-01\"", "/policy/assessment_deadline", V, 1},
    {LANSHAN, "revocation_steps", "null", "/policy/revocation_steps", V, 1},
    {LANSHAN, "revocation_steps", "[\"verification\", \"verification\", \"decision\"]",
     "/policy/revocation_steps/1", V, 1},
    {LANSHAN, "revocation_steps", "[\"verification\", \"vote\"]", "/policy/revocation_steps/1", V,
     1},
    {LANSHAN, "revocation_steps", "[\"decision\", \"verification\"]", "/policy/revocation_steps", V,
     1},
    {LANSHAN, "rubric",
     "[{\"criterion\": \"a\", \"label\": \"甲\", \"label_en\": \"A\", \"weight\": 100, "
     "\"gate\": false, \"max_score\": 0}]",
     "/policy/rubric/0/max_score", V, 1},
    {LANSHAN, "rubric",
     "[{\"criterion\": \"a\", \"label\": \"甲\", \"label_en\": \"A\", \"weight\": 100, "
     "\"gate\": false, \"max_score\": 1001}]",
     "/policy/rubric/0/max_score", V, 1},
    {LANSHAN, "rubric",
     "[{\"criterion\": \"a\", \"label\": \"甲\", \"label_en\": \"A\", \"weight\": 0, "
     "\"gate\": true, \"max_score\": 10}, {\"criterion\": \"b\", \"label\": \"乙\", "
     "\"label_en\": \"B\", \"weight\": 100, \"gate\": false}]",
     "/policy/rubric/0/max_score", V, 1},
};

static void test_each_fault(void)
{
    for (size_t i = 0; i < TEST_COUNT(fault_cases); i++) {
        const struct fault_case *f = &fault_cases[i];
        json_t *pol = mutated(f->seed, f->member, f->json);
        struct problem p = PROBLEM_INIT;

        CHECKF(pol != NULL, "case %zu: cannot build", i);
        if (pol == NULL) {
            continue;
        }
        CHECKF(!policy_validate(pol, &p), "case %zu (%s): accepted", i, f->member);
        CHECKF(p.err == f->kind, "case %zu (%s): kind %d, want %d", i, f->member, (int)p.err,
               (int)f->kind);
        CHECKF(p.n_errors == f->n, "case %zu (%s): %zu errors, want %zu (first: %s %s)", i,
               f->member, p.n_errors, f->n, p.errors[0].pointer,
               p.errors[0].detail[PROBLEM_LANG_EN]);
        CHECKF(p.n_errors > 0 && strcmp(p.errors[0].pointer, f->pointer) == 0,
               "case %zu (%s): pointer %s, want %s", i, f->member,
               p.n_errors > 0 ? p.errors[0].pointer : "(none)", f->pointer);
        problem_clear(&p);
        json_decref(pol);
    }
}

/* Each fault's code names its cause; the details come in both languages. */
static const struct code_case {
    const char *seed, *member, *json, *code, *zh, *en;
} code_cases[] = {
    {LANSHAN, "bogus", "1", "unknown_field", "未知字段", "unknown member"},
    {LANSHAN, "skill_test", NULL, "required", "为必填项", "required"},
    {LANSHAN, "cycle_years", "11", "out_of_range", "应为 1 至 10 的整数",
     "must be an integer from 1 to 10"},
    {LANSHAN, "cycle_years", "\"2\"", "wrong_type", "应为 1 至 10 的整数",
     "must be an integer from 1 to 10"},
    {LANSHAN, "vote_weight", "101", "out_of_range", "应为 0 至 100 的整数，或为 null",
     "must be an integer from 0 to 100 or null"},
    {LANSHAN, "authority", "\"\"", "too_short", "应为 1 至 200 个字符的字符串",
     "must be a string of 1 to 200 characters"},
    {LANSHAN, "in_force_from", "\"2022-02-30\"", "not_date", "应为 YYYY-MM-DD 格式的日期",
     "must be a date YYYY-MM-DD"},
    {LANSHAN, "awards_cap", "\"Hard\"", "unknown_value", NULL, NULL},
    {LANSHAN, "in_force_to", "\"2021-12-31\"", "ends_before_start", "不得早于 in_force_from",
     "must not be before in_force_from"},
    {HUANCUI, "skill_test_weight", "null", "must_not_be_null",
     "不应为 null（skill_test 为 false 时须为 null，为 true 时须填写）",
     "must not be null exactly when skill_test is false"},
    {LANSHAN, "unit_publicity_required", "false", "must_be_null", NULL, NULL},
    {HUANCUI, "age_preferred_max", "56", "preferred_age_above_max", NULL, NULL},
    {LANSHAN, "suspension_reasons", "[\"a\", \"a\"]", "duplicate_item", "与第 0 项重复",
     "repeats item 0"},
    {LANSHAN, "revocation_reasons", "[]", "too_few_items", NULL, NULL},
    {LANSHAN, "rubric", "[7]", "not_an_object", "应为对象", "must be an object"},
    {LANSHAN, "shortlist_size", "20", "must_be_null",
     "有网络投票时应为 null（提名人选人数由 vote_nominees 确定）",
     "must be null when vote_nominees is set (it sizes the shortlist)"},
    {HUANCUI, "shortlist_size", "4", "fewer_shortlisted_than_awards", "不得少于 awards_per_round",
     "must not be less than awards_per_round"},
    {HUANCUI, "revocation_steps", "[\"approval\", \"preliminary_finding\"]", "not_revocation_step",
     NULL,
     "the last step must be the leadership group's or the government's (decision, "
     "ratification or approval)"},
    {HUANCUI, "certificate_prefix", "\"HC-SX\"", "not_certificate_prefix",
     "应由大写字母和数字组成，以字母开头（如 LSGJ）",
     "must be capital letters and digits, a letter first (e.g. LSGJ)"},
    {LANSHAN, "rubric",
     "[{\"criterion\": \"a\", \"label\": \"甲\", \"label_en\": \"A\", \"weight\": 0, "
     "\"gate\": true, \"max_score\": 10}, {\"criterion\": \"b\", \"label\": \"乙\", "
     "\"label_en\": \"B\", \"weight\": 100, \"gate\": false}]",
     "gate_max_score", NULL, "must be absent for a gate (a gate is pass/fail)"},
};

/* The review members: absent means their defaults; valid values are read. */
static void test_review_members(void)
{
    struct policy v = {0};
    json_t *pol;

    CHECK_EQ_INT(policy_from_json(seed_policy(LANSHAN), &v), APP_OK);
    CHECK_EQ_INT(v.review_experts, 5);
    CHECK_EQ_INT(v.review_disagreement_stdev, 15);
    CHECK_EQ_INT(v.shortlist_size, -1);
    CHECK(strcmp(v.certificate_prefix, "JX") == 0); /* absent */
    CHECK_EQ_INT(v.rubric[0].max_score, 0);         /* the gate */
    CHECK_EQ_INT(v.rubric[1].max_score, 100);       /* absent: 100 */

    pol = mutated(HUANCUI, "shortlist_size", "5");
    json_object_set_new(pol, "review_experts", json_integer(7));
    json_object_set_new(pol, "review_disagreement_stdev", json_integer(10));
    json_object_set_new(json_array_get(json_object_get(pol, "rubric"), 1), "max_score",
                        json_integer(34));
    CHECK_EQ_INT(policy_from_json(pol, &v), APP_OK);
    CHECK_EQ_INT(v.review_experts, 7);
    CHECK_EQ_INT(v.review_disagreement_stdev, 10);
    CHECK_EQ_INT(v.shortlist_size, 5);
    CHECK_EQ_INT(v.rubric[1].max_score, 34);
    CHECK_EQ_INT(v.rubric[2].max_score, 100);
    json_decref(pol);

    /* null is "not set" for shortlist_size, with or without a vote */
    pol = mutated(LANSHAN, "shortlist_size", "null");
    CHECK_EQ_INT(policy_from_json(pol, &v), APP_OK);
    CHECK_EQ_INT(v.shortlist_size, -1);
    json_decref(pol);

    /* a certificate prefix of 16 */
    pol = mutated(HUANCUI, "certificate_prefix", "\"HCSX2027ABCDEFGH\"");
    CHECK_EQ_INT(policy_from_json(pol, &v), APP_OK);
    CHECK(strcmp(v.certificate_prefix, "HCSX2027ABCDEFGH") == 0);
    json_decref(pol);

    /* revocation steps: absent, the office verifies and the group decides */
    pol = mutated(LANSHAN, "shortlist_size", "null");
    json_object_del(pol, "revocation_steps");
    CHECK_EQ_INT(policy_from_json(pol, &v), APP_OK);
    CHECK_EQ_INT((int)v.n_revocation_steps, 2);
    CHECK_EQ_INT(v.revocation_steps[0], RSTEP_VERIFICATION);
    CHECK_EQ_INT(v.revocation_steps[1], RSTEP_DECISION);
    json_decref(pol);
    pol = mutated(HUANCUI, "revocation_steps",
                  "[\"preliminary_finding\", \"ratification\", \"approval\"]");
    CHECK_EQ_INT(policy_from_json(pol, &v), APP_OK);
    CHECK_EQ_INT((int)v.n_revocation_steps, 3);
    CHECK_EQ_INT(v.revocation_steps[2], RSTEP_APPROVAL);
    CHECK_EQ_INT(v.recheck_due_month, 12); /* absent */
    CHECK_EQ_INT(v.recheck_decides_from_month, 13);
    json_decref(pol);
    /* a deadline every year has (its default, 03-31, is the SQL's:
     * db/functions/15_assessments.sql assessment_deadline) */
    pol = mutated(LANSHAN, "assessment_deadline", "\"01-15\"");
    CHECK_EQ_INT(policy_from_json(pol, &v), APP_OK);
    json_decref(pol);
}

static void test_fault_codes(void)
{
    for (size_t i = 0; i < TEST_COUNT(code_cases); i++) {
        const struct code_case *f = &code_cases[i];
        json_t *pol = mutated(f->seed, f->member, f->json);
        struct problem p = PROBLEM_INIT;

        CHECKF(pol != NULL && !policy_validate(pol, &p), "case %zu (%s): accepted", i, f->member);
        CHECKF(p.n_errors > 0 && strcmp(p.errors[0].code, f->code) == 0,
               "case %zu (%s): code %s, want %s", i, f->member, p.errors[0].code, f->code);
        CHECKF(f->zh == NULL || strcmp(p.errors[0].detail[PROBLEM_LANG_ZH], f->zh) == 0,
               "case %zu (%s): \"%s\"", i, f->member, p.errors[0].detail[PROBLEM_LANG_ZH]);
        CHECKF(f->en == NULL || strcmp(p.errors[0].detail[PROBLEM_LANG_EN], f->en) == 0,
               "case %zu (%s): \"%s\"", i, f->member, p.errors[0].detail[PROBLEM_LANG_EN]);
        CHECKF(p.errors[0].detail[PROBLEM_LANG_ZH][0] != '\0', "case %zu: no Chinese", i);
        problem_clear(&p);
        json_decref(pol);
    }
}

/* A one-time programme cannot carry an allowance, and the reverse: the trio. */
static void test_allowance_trio(void)
{
    json_t *pol = mutated(LANSHAN, "reward", "\"monthly_allowance\"");
    struct problem p = PROBLEM_INIT;

    CHECK(!policy_validate(pol, &p));
    CHECK_EQ_INT(p.err, APP_ERR_VALIDATION);
    CHECK_EQ_INT(p.n_errors, 3);
    CHECK(has_pointer(&p, "/policy/allowance_monthly_fen"));
    CHECK(has_pointer(&p, "/policy/management_period_months"));
    CHECK(has_pointer(&p, "/policy/allowance_start"));
    json_decref(pol);
}

static void test_all_faults_at_once(void)
{
    json_t *pol = mutated(LANSHAN, "cycle_years", "0");
    struct problem p = PROBLEM_INIT;

    json_object_set_new(pol, "awards_cap", json_string("x"));
    json_object_set_new(pol, "in_force_to", json_string("2027-13-01"));
    json_object_set_new(pol, "deeds_min_chars", json_string("a"));
    json_object_set_new(pol, "vote_nominees", json_integer(5));
    json_object_set_new(pol, "honours_considered", json_null());
    json_object_del(pol, "document_no");
    CHECK(!policy_validate(pol, &p));
    CHECK_EQ_INT(p.err, APP_ERR_VALIDATION);
    CHECK_EQ_INT(p.n_errors, 7);
    CHECK(has_pointer(&p, "/policy/cycle_years"));
    CHECK(has_pointer(&p, "/policy/awards_cap"));
    CHECK(has_pointer(&p, "/policy/in_force_to"));
    CHECK(has_pointer(&p, "/policy/deeds_min_chars"));
    CHECK(has_pointer(&p, "/policy/vote_nominees"));
    CHECK(has_pointer(&p, "/policy/honours_considered"));
    CHECK(has_pointer(&p, "/policy/document_no"));
    json_decref(pol);
}

/* The unknown member makes the problem a 400 even when it is not the first member. */
static void test_unknown_first(void)
{
    json_t *pol = mutated(HUANCUI, "age_max", "200");
    struct problem p = PROBLEM_INIT;

    json_object_set_new(pol, "zzz_extra", json_true());
    CHECK(!policy_validate(pol, &p));
    CHECK_EQ_INT(p.err, APP_ERR_UNKNOWN_FIELD);
    CHECK_EQ_INT(p.n_errors, 2);
    CHECK_EQ_STR(p.errors[0].pointer, "/policy/zzz_extra");
    CHECK_EQ_STR(p.errors[1].pointer, "/policy/age_max");
    CHECK_EQ_INT(problem_status(p.err), 400);
    json_decref(pol);
}

/* PUT /v1/programmes/{code}/policy: the policy is the body, so pointers start at its root. */
static void test_prefix(void)
{
    json_t *pol = mutated(HUANCUI, "cycle_years", "0");
    struct problem p = PROBLEM_INIT;

    json_object_set_new(pol, "x", json_null());
    CHECK(!policy_validate_at(pol, "", &p));
    CHECK_EQ_INT(p.n_errors, 2);
    CHECK_EQ_STR(p.errors[0].pointer, "/x");
    CHECK_EQ_STR(p.errors[1].pointer, "/cycle_years");
    json_decref(pol);
}

static void test_not_an_object(void)
{
    json_t *arr = json_array();
    struct problem p = PROBLEM_INIT;
    struct policy v;

    CHECK(!policy_validate(arr, &p));
    CHECK_EQ_INT(p.err, APP_ERR_VALIDATION);
    CHECK_EQ_INT(p.n_errors, 1);
    CHECK_EQ_STR(p.errors[0].pointer, "/policy");
    CHECK(!policy_validate(NULL, &p));
    memset(&v, 0x5a, sizeof(v));
    CHECK_EQ_INT(policy_from_json(arr, &v), APP_ERR_VALIDATION);
    CHECK_EQ_INT(v.cycle_years, 0x5a5a5a5a); /* untouched */
    json_decref(arr);
}

static void test_from_json_refuses_invalid(void)
{
    json_t *pol = mutated(HUANCUI, "cycle_years", "0");
    struct policy v;

    memset(&v, 0, sizeof(v));
    CHECK_EQ_INT(policy_from_json(pol, &v), APP_ERR_VALIDATION);
    CHECK_EQ_INT(v.awards_per_round, 0);
    json_decref(pol);
}

/* Deeds bounds count code points, not bytes: 字 is 3 bytes of UTF-8. */
static void test_strings_count_code_points(void)
{
    char name[201 * 3 + 1] = "";
    json_t *pol;
    struct problem p = PROBLEM_INIT;

    for (int i = 0; i < 200; i++) {
        strcat(name, "字");
    }
    pol = mutated(LANSHAN, "authority", "\"x\"");
    json_object_set_new(pol, "authority", json_string(name));
    CHECK(policy_validate(pol, &p));
    strcat(name, "字");
    json_object_set_new(pol, "authority", json_string(name));
    CHECK(!policy_validate(pol, &p));
    CHECK_EQ_STR(p.errors[0].pointer, "/policy/authority");
    json_decref(pol);
}

static void test_member_table(void)
{
    CHECK_EQ_INT(policy_members_count, 48);
    for (size_t i = 0; i < policy_members_count; i++) {
        CHECK(policy_member_find(policy_members[i].name) == &policy_members[i]);
        CHECK(policy_members[i].min <= policy_members[i].max ||
              policy_members[i].type == POLICY_BOOL || policy_members[i].type == POLICY_DATE ||
              policy_members[i].type == POLICY_ENUM);
    }
    CHECK(policy_member_find("bogus") == NULL);
    CHECK(policy_member_find("") == NULL);
}

static const struct test_case cases[] = {
    {"seed file parses", test_seed_file_parses},
    {"seed policies validate and are closed", test_seed_policies_validate},
    {"seed reason codes have labels", test_seed_codes_have_labels},
    {"seed articles cite articles", test_seed_articles},
    {"lanshan values", test_seed_values_lanshan},
    {"huancui values", test_seed_values_huancui},
    {"each fault: pointer, kind, count", test_each_fault},
    {"each fault: code and both languages", test_fault_codes},
    {"allowance trio follows reward", test_allowance_trio},
    {"all faults reported at once", test_all_faults_at_once},
    {"unknown members are reported first", test_unknown_first},
    {"pointers under another prefix", test_prefix},
    {"not an object", test_not_an_object},
    {"policy_from_json refuses invalid", test_from_json_refuses_invalid},
    {"string lengths count code points", test_strings_count_code_points},
    {"member table", test_member_table},
    {"review members and their defaults", test_review_members},
};

int main(int argc, char **argv)
{
    const char *env = getenv("TEST_DATA_DIR");
    int rc;

    if (argc > 1) {
        data_dir = argv[1];
    } else if (env != NULL && env[0] != '\0') {
        data_dir = env;
    }
    seeds_load();
    rc = test_run(cases, TEST_COUNT(cases));
    for (size_t i = 0; i < n_seeds; i++) {
        json_decref(seeds[i].policy);
    }
    return rc;
}
