/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/unit_code.c (GB 32100-2015). Vectors: the
 * standard's worked example and its `...Y4Z` counter-example, one each
 * from python-stdnum and a CSDN article, and synthetic codes.
 */
#include <string.h>

#include "test.h"
#include "unit_code.h"

struct validate_vector {
    const char *in;
    enum unit_code_status want;
    const char *normalized; /* when want == UNIT_CODE_OK */
};

static const struct validate_vector validate_vectors[] = {
    {"91350100M000100Y43", UNIT_CODE_OK, "91350100M000100Y43"}, /* GB 32100 example */
    {"91110000600037341L", UNIT_CODE_OK, "91110000600037341L"}, /* python-stdnum */
    {"11320000MB151840XJ", UNIT_CODE_OK, "11320000MB151840XJ"}, /* CSDN */
    {"91110108MA00000070", UNIT_CODE_OK, "91110108MA00000070"}, /* synthetic */
    {"12110101MB0000000C", UNIT_CODE_OK, "12110101MB0000000C"},
    {"51110101MJ000000XK", UNIT_CODE_OK, "51110101MJ000000XK"},
    /* Lower case is accepted and normalised. */
    {"91350100m000100y43", UNIT_CODE_OK, "91350100M000100Y43"},
    {"11320000mb151840xj", UNIT_CODE_OK, "11320000MB151840XJ"},
    /* The standard's invalid example: Z is not in the alphabet at all. */
    {"91350100M000100Y4Z", UNIT_CODE_BAD_CHAR, NULL},
    /* Wrong check characters from the alphabet. */
    {"91350100M000100Y44", UNIT_CODE_BAD_CHECK, NULL},
    {"91110000600037341K", UNIT_CODE_BAD_CHECK, NULL},
    {"91110108MA00000071", UNIT_CODE_BAD_CHECK, NULL},
    {"91350100M000100Y34", UNIT_CODE_BAD_CHECK, NULL}, /* transposed */
    /* Forbidden letters I O Z S V, anywhere. */
    {"91350100I000100Y43", UNIT_CODE_BAD_CHAR, NULL},
    {"91350100O000100Y43", UNIT_CODE_BAD_CHAR, NULL},
    {"91350100Z000100Y43", UNIT_CODE_BAD_CHAR, NULL},
    {"91350100S000100Y43", UNIT_CODE_BAD_CHAR, NULL},
    {"91350100V000100Y43", UNIT_CODE_BAD_CHAR, NULL},
    {"91350100M000100Y4i", UNIT_CODE_BAD_CHAR, NULL},
    {"91350100M000100Y4o", UNIT_CODE_BAD_CHAR, NULL},
    /* Other bad characters. */
    {"9135010 M000100Y43", UNIT_CODE_BAD_CHAR, NULL},
    {"91350100-000100Y43", UNIT_CODE_BAD_CHAR, NULL},
    /* Bad lengths. */
    {"", UNIT_CODE_BAD_LENGTH, NULL},
    {"91350100M000100Y4", UNIT_CODE_BAD_LENGTH, NULL},
    {"91350100M000100Y433", UNIT_CODE_BAD_LENGTH, NULL},
    {" 91350100M000100Y43", UNIT_CODE_BAD_LENGTH, NULL},
    {"M000100Y4", UNIT_CODE_BAD_LENGTH, NULL}, /* a bare GB 11714 organisation code */
};

static void test_validate_vectors(void)
{
    size_t i;

    for (i = 0; i < TEST_COUNT(validate_vectors); i++) {
        const struct validate_vector *v = &validate_vectors[i];
        char norm[UNIT_CODE_LEN + 1] = "";
        enum unit_code_status got = unit_code_validate(v->in, norm);

        CHECKF(got == v->want, "\"%s\": got %s, want %s", v->in, unit_code_status_text(got),
               unit_code_status_text(v->want));
        if (got == UNIT_CODE_OK && v->want == UNIT_CODE_OK)
            CHECK_EQ_STR(norm, v->normalized);
    }
}

static void test_validate_null(void)
{
    char norm[UNIT_CODE_LEN + 1];

    CHECK_EQ_INT(unit_code_validate(NULL, norm), UNIT_CODE_BAD_LENGTH);
}

/* ret_normalized is written only on success. */
static void test_failure_leaves_ret(void)
{
    char norm[UNIT_CODE_LEN + 1] = "untouched";

    CHECK_EQ_INT(unit_code_validate("91350100M000100Y44", norm), UNIT_CODE_BAD_CHECK);
    CHECK_EQ_STR(norm, "untouched");
    CHECK_EQ_INT(unit_code_validate("91350100M000100Y4Z", norm), UNIT_CODE_BAD_CHAR);
    CHECK_EQ_STR(norm, "untouched");
}

static void test_check_char(void)
{
    CHECK_EQ_INT(unit_code_check_char("91350100M000100Y4"), '3');
    CHECK_EQ_INT(unit_code_check_char("91110000600037341"), 'L');
    CHECK_EQ_INT(unit_code_check_char("11320000MB151840X"), 'J');
    CHECK_EQ_INT(unit_code_check_char("11320000mb151840x"), 'J');
    CHECK_EQ_INT(unit_code_check_char("91110108MA0000007"), '0'); /* sum % 31 == 0: 31 maps to 0 */
    CHECK_EQ_INT(unit_code_check_char("91350100I000100Y4"), '\0');
    CHECK_EQ_INT(unit_code_check_char("9135"), '\0');
    CHECK_EQ_INT(unit_code_check_char(NULL), '\0');
}

/* Exactly one of the 31 symbols completes a valid code. */
static void test_one_check_char_fits(void)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    char code[UNIT_CODE_LEN + 1] = "12110101MB0000000?";
    char norm[UNIT_CODE_LEN + 1];
    int n_ok = 0;
    size_t i;

    for (i = 0; alphabet[i] != '\0'; i++) {
        code[17] = alphabet[i];
        if (unit_code_validate(code, norm) == UNIT_CODE_OK)
            n_ok++;
    }
    CHECK_EQ_INT(n_ok, 1);
}

static void test_status_text(void)
{
    CHECK_EQ_STR(unit_code_status_text(UNIT_CODE_OK), "ok");
    CHECK(strcmp(unit_code_status_text(UNIT_CODE_BAD_LENGTH),
                 unit_code_status_text(UNIT_CODE_BAD_CHAR)) != 0);
    CHECK(strcmp(unit_code_status_text(UNIT_CODE_BAD_CHAR),
                 unit_code_status_text(UNIT_CODE_BAD_CHECK)) != 0);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"validate vectors", test_validate_vectors},
        {"validate NULL", test_validate_null},
        {"failure leaves ret untouched", test_failure_leaves_ret},
        {"check character", test_check_char},
        {"exactly one check character fits", test_one_check_char_fits},
        {"status text", test_status_text},
    };

    return test_run(cases, TEST_COUNT(cases));
}
