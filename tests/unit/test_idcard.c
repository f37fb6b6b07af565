/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/idcard.c (GB 11643-1999). Vectors are the
 * standard's two Annex examples and synthetic numbers born in 1900 (see
 * shared research, ecosystem facts §2.1); no real person's number.
 */
#include <string.h>

#include "idcard.h"
#include "test.h"

struct parse_vector {
    const char *in;
    enum idcard_status want;
    const char *number; /* normalised, when want == IDCARD_OK */
    int y, m, d;
    bool is_male;
};

static const struct parse_vector parse_vectors[] = {
    /* GB 11643-1999 Annex example (born 1880). The Annex's other example has a
     * plausible birth year, so the repository uses a synthetic one instead. */
    {"440524188001010014", IDCARD_OK, "440524188001010014", 1880, 1, 1, true},
    /* Synthetic, born 1900-12-31, female, check character X. */
    {"11010519001231000X", IDCARD_OK, "11010519001231000X", 1900, 12, 31, false},
    /* Synthetic, born 1900-01-01. */
    {"110101190001010014", IDCARD_OK, "110101190001010014", 1900, 1, 1, true},
    {"110101190001010022", IDCARD_OK, "110101190001010022", 1900, 1, 1, false},
    {"11010119000101009X", IDCARD_OK, "11010119000101009X", 1900, 1, 1, true},
    {"11010119000101009x", IDCARD_OK, "11010119000101009X", 1900, 1, 1, true},
    {"110101190012310012", IDCARD_OK, "110101190012310012", 1900, 12, 31, true},
    /* Wrong check character. */
    {"110101190001010015", IDCARD_BAD_CHECK, NULL, 0, 0, 0, false},
    {"110101190001010010", IDCARD_BAD_CHECK, NULL, 0, 0, 0, false},
    {"11010519001231000x", IDCARD_OK, "11010519001231000X", 1900, 12, 31, false},
    {"110105190012310000", IDCARD_BAD_CHECK, NULL, 0, 0, 0, false},
    /* Impossible dates: checked before the check character. */
    {"110101190002300014", IDCARD_BAD_DATE, NULL, 0, 0, 0, false}, /* 1900-02-30 */
    {"110101190002290014", IDCARD_BAD_DATE, NULL, 0, 0, 0, false}, /* 1900 is not leap */
    {"110101190013010014", IDCARD_BAD_DATE, NULL, 0, 0, 0, false}, /* month 13 */
    {"110101190000010014", IDCARD_BAD_DATE, NULL, 0, 0, 0, false}, /* month 0 */
    {"110101190001000014", IDCARD_BAD_DATE, NULL, 0, 0, 0, false}, /* day 0 */
    {"110101190004310014", IDCARD_BAD_DATE, NULL, 0, 0, 0, false}, /* 30-day month */
    {"110101179912310014", IDCARD_BAD_DATE, NULL, 0, 0, 0, false}, /* before 1800 */
    /* Bad lengths. */
    {"", IDCARD_BAD_LENGTH, NULL, 0, 0, 0, false},
    {"11010119000101001", IDCARD_BAD_LENGTH, NULL, 0, 0, 0, false},
    {"1101011900010100140", IDCARD_BAD_LENGTH, NULL, 0, 0, 0, false},
    {"110101000101001", IDCARD_BAD_LENGTH, NULL, 0, 0, 0, false}, /* legacy 15-digit form */
    {"110101190001010014 ", IDCARD_BAD_LENGTH, NULL, 0, 0, 0, false},
    /* Bad characters. */
    {"11010119000101001A", IDCARD_BAD_CHAR, NULL, 0, 0, 0, false},
    {"1101011900010100X4", IDCARD_BAD_CHAR, NULL, 0, 0, 0, false},
    {" 10101190001010014", IDCARD_BAD_CHAR, NULL, 0, 0, 0, false},
    {"110101-90001010014", IDCARD_BAD_CHAR, NULL, 0, 0, 0, false},
    {"x10101190001010014", IDCARD_BAD_CHAR, NULL, 0, 0, 0, false},
    {"11010519491231002Y", IDCARD_BAD_CHAR, NULL, 0, 0, 0, false},
};

static void test_parse_vectors(void)
{
    size_t i;

    for (i = 0; i < TEST_COUNT(parse_vectors); i++) {
        const struct parse_vector *v = &parse_vectors[i];
        struct idcard c;
        enum idcard_status got;

        memset(&c, 0, sizeof(c));
        got = idcard_parse(v->in, &c);
        CHECKF(got == v->want, "\"%s\": got %s, want %s", v->in, idcard_status_text(got),
               idcard_status_text(v->want));
        if (got != IDCARD_OK || v->want != IDCARD_OK)
            continue;
        CHECK_EQ_STR(c.number, v->number);
        CHECKF(c.birth_year == v->y && c.birth_month == v->m && c.birth_day == v->d,
               "\"%s\": birth %d-%d-%d", v->in, c.birth_year, c.birth_month, c.birth_day);
        CHECKF(c.is_male == v->is_male, "\"%s\": is_male %d", v->in, c.is_male);
    }
}

static void test_parse_null(void)
{
    struct idcard c;

    CHECK_EQ_INT(idcard_parse(NULL, &c), IDCARD_BAD_LENGTH);
}

/* ret is written only on success. */
static void test_parse_failure_leaves_ret(void)
{
    struct idcard c, before;

    memset(&c, 0xa5, sizeof(c));
    before = c;
    CHECK_EQ_INT(idcard_parse("110101190001010015", &c), IDCARD_BAD_CHECK);
    CHECK(memcmp(&c, &before, sizeof(c)) == 0);
    CHECK_EQ_INT(idcard_parse("110101190002300014", &c), IDCARD_BAD_DATE);
    CHECK(memcmp(&c, &before, sizeof(c)) == 0);
}

static void test_check_char(void)
{
    CHECK_EQ_INT(idcard_check_char("11010519491231002"), 'X');
    CHECK_EQ_INT(idcard_check_char("44052418800101001"), '4');
    CHECK_EQ_INT(idcard_check_char("11010119000101001"), '4');
    CHECK_EQ_INT(idcard_check_char("11010119000101002"), '2');
    CHECK_EQ_INT(idcard_check_char("11010119000101009"), 'X');
    /* Only the first 17 characters count. */
    CHECK_EQ_INT(idcard_check_char("110101190001010014"), '4');
    CHECK_EQ_INT(idcard_check_char("1101011900010100A"), '\0');
    CHECK_EQ_INT(idcard_check_char("1101011900"), '\0');
    CHECK_EQ_INT(idcard_check_char(""), '\0');
    CHECK_EQ_INT(idcard_check_char(NULL), '\0');
}

/* Exactly one of the 11 check characters makes a number valid. */
static void test_one_check_char_fits(void)
{
    static const char candidates[] = "0123456789X";
    char number[19] = "11010119000101001?";
    struct idcard c;
    int n_ok = 0;
    size_t i;

    for (i = 0; candidates[i] != '\0'; i++) {
        number[17] = candidates[i];
        if (idcard_parse(number, &c) == IDCARD_OK)
            n_ok++;
    }
    CHECK_EQ_INT(n_ok, 1);
}

static void test_status_text(void)
{
    CHECK_EQ_STR(idcard_status_text(IDCARD_OK), "ok");
    CHECK(strlen(idcard_status_text(IDCARD_BAD_LENGTH)) > 0);
    CHECK(strcmp(idcard_status_text(IDCARD_BAD_CHAR), idcard_status_text(IDCARD_BAD_DATE)) != 0);
    CHECK(strcmp(idcard_status_text(IDCARD_BAD_DATE), idcard_status_text(IDCARD_BAD_CHECK)) != 0);
}

/* idcard_check: one 422 item whose code names the fault; never the number. */
static void test_check_codes(void)
{
    static const struct {
        const char *in;
        const char *code; /* NULL: accepted */
    } vectors[] = {
        {"11010519001231000X", NULL},
        {"11010519001231000", "id_number_length"},
        {"11010519001231000A", "id_number_characters"},
        {"110101190002300014", "id_number_birth_date"},
        {"110101190001010015", "id_number_check_character"},
        {"110101202601020019", "id_number_birth_date"}, /* born after "today" */
    };

    for (size_t i = 0; i < TEST_COUNT(vectors); i++) {
        struct problem p = PROBLEM_INIT;
        struct idcard c;
        bool ok = idcard_check(vectors[i].in, 2026, 1, 1, "/id_number", &c, &p);

        CHECKF(ok == (vectors[i].code == NULL), "%s: %s", vectors[i].in, ok ? "ok" : "refused");
        if (ok) {
            CHECK_EQ_INT(p.n_errors, 0);
            continue;
        }
        CHECK_EQ_INT(p.err, APP_ERR_VALIDATION);
        CHECK_EQ_INT(p.n_errors, 1);
        CHECK_EQ_STR(p.errors[0].pointer, "/id_number");
        CHECKF(strcmp(p.errors[0].code, vectors[i].code) == 0, "%s: code %s", vectors[i].in,
               p.errors[0].code);
        CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_ZH], vectors[i].in) == NULL);
        CHECK(strstr(p.errors[0].detail[PROBLEM_LANG_EN], vectors[i].in) == NULL);
        problem_clear(&p);
    }
    {
        struct problem p = PROBLEM_INIT;
        struct idcard c;

        CHECK(!idcard_check("110101190001010015", 2026, 1, 1, "/id_number", &c, &p));
        CHECK_EQ_STR(p.errors[0].detail[PROBLEM_LANG_ZH], "不是有效的公民身份号码：校验码不符");
        CHECK_EQ_STR(p.errors[0].detail[PROBLEM_LANG_EN],
                     "not a valid 公民身份号码 (GB 11643): check character does not match");
        problem_clear(&p);
    }
}

struct age_vector {
    int by, bm, bd; /* birth */
    int y, m, d;    /* asked at */
    int want;
};

static const struct age_vector age_vectors[] = {
    {1900, 1, 1, 1900, 1, 1, 0},
    {1900, 1, 1, 1900, 12, 31, 0},
    {1900, 1, 1, 1901, 1, 1, 1},
    {1900, 1, 1, 1999, 12, 31, 99},
    {1900, 1, 1, 2000, 1, 1, 100},
    {1900, 6, 15, 1960, 6, 14, 59},
    {1900, 6, 15, 1960, 6, 15, 60},
    {1900, 1, 1, 1899, 12, 31, -1}, /* before birth */
    /* Born on 29 February: older on 1 March in a common year. */
    {1904, 2, 29, 1905, 2, 28, 0},
    {1904, 2, 29, 1905, 3, 1, 1},
    {1904, 2, 29, 1908, 2, 28, 3},
    {1904, 2, 29, 1908, 2, 29, 4},
};

static void test_age_at(void)
{
    size_t i;

    for (i = 0; i < TEST_COUNT(age_vectors); i++) {
        const struct age_vector *v = &age_vectors[i];
        struct idcard c = {"", v->by, v->bm, v->bd, true};
        int got = idcard_age_at(&c, v->y, v->m, v->d);

        CHECKF(got == v->want, "born %d-%02d-%02d, at %d-%02d-%02d: got %d, want %d", v->by, v->bm,
               v->bd, v->y, v->m, v->d, got, v->want);
    }
}

static void test_age_from_parsed(void)
{
    struct idcard c;

    CHECK_EQ_INT(idcard_parse("11010519001231000X", &c), IDCARD_OK);
    CHECK_EQ_INT(idcard_age_at(&c, 2026, 12, 30), 125);
    CHECK_EQ_INT(idcard_age_at(&c, 2026, 12, 31), 126);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"parse vectors", test_parse_vectors},
        {"parse NULL", test_parse_null},
        {"failure leaves ret untouched", test_parse_failure_leaves_ret},
        {"check character", test_check_char},
        {"exactly one check character fits", test_one_check_char_fits},
        {"status text", test_status_text},
        {"idcard_check: codes per fault", test_check_codes},
        {"age at a date", test_age_at},
        {"age from a parsed number", test_age_from_parsed},
    };

    return test_run(cases, TEST_COUNT(cases));
}
