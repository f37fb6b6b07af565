/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/mask.c: the one 3 + 4 mask for ID numbers and
 * phones, its edge cases (short input, small buffers), and the mobile
 * number shape check. All numbers are synthetic.
 */
#include <string.h>

#include "mask.h"
#include "test.h"

struct mask_vector {
    const char *in;
    const char *want;
};

static const struct mask_vector id_vectors[] = {
    {"370102190001011234", "370***********1234"},
    {"11010119000101009X", "110***********009X"},
    {"110101000101001", "110********1001"}, /* legacy 15-digit form */
    {"12345678", "123*5678"},               /* MASK_MIN_LEN: one character hidden */
    {"1234567", "*******"},                 /* shorter: all hidden */
    {"123", "***"},
    {"", ""},
};

static const struct mask_vector phone_vectors[] = {
    {"13812345678", "138****5678"},
    {"19900001111", "199****1111"},
    {"12345", "*****"},
    {"", ""},
};

static void test_mask_id_number(void)
{
    size_t i;

    for (i = 0; i < TEST_COUNT(id_vectors); i++) {
        char out[32];

        CHECKF(mask_id_number(id_vectors[i].in, out, sizeof(out)), "\"%s\"", id_vectors[i].in);
        CHECK_EQ_STR(out, id_vectors[i].want);
    }
}

static void test_mask_phone(void)
{
    size_t i;

    for (i = 0; i < TEST_COUNT(phone_vectors); i++) {
        char out[32];

        CHECKF(mask_phone(phone_vectors[i].in, out, sizeof(out)), "\"%s\"", phone_vectors[i].in);
        CHECK_EQ_STR(out, phone_vectors[i].want);
    }
}

/* A buffer one byte short fails and is left alone; an exact one works. */
static void test_buffer_size(void)
{
    char out[19];

    memset(out, 'Q', sizeof(out));
    CHECK(!mask_id_number("370102190001011234", out, 18));
    CHECK(out[0] == 'Q' && out[17] == 'Q' && out[18] == 'Q');
    CHECK(mask_id_number("370102190001011234", out, 19));
    CHECK_EQ_STR(out, "370***********1234");

    memset(out, 'Q', sizeof(out));
    CHECK(!mask_phone("13812345678", out, 11));
    CHECK(out[0] == 'Q');
    CHECK(mask_phone("13812345678", out, 12));
    CHECK_EQ_STR(out, "138****5678");
    CHECK(!mask_phone("", out, 0));
}

static void test_null(void)
{
    char out[8];

    CHECK(!mask_id_number(NULL, out, sizeof(out)));
    CHECK(!mask_phone(NULL, out, sizeof(out)));
    CHECK(!mask_id_number("12345678", NULL, 9));
    CHECK(!mask_phone("1234", NULL, 5));
}

struct phone_vector {
    const char *in;
    bool want;
};

static const struct phone_vector phone_valid_vectors[] = {
    {"13812345678", true},
    {"13000000000", true},
    {"19999999999", true},
    {"15012345678", true},
    {"12812345678", false},    /* second digit 2 */
    {"10812345678", false},    /* second digit 0 */
    {"23812345678", false},    /* not a leading 1 */
    {"1381234567", false},     /* 10 digits */
    {"138123456789", false},   /* 12 digits */
    {"+8613812345678", false}, /* prefix: callers strip it */
    {"008613812345678", false},
    {"8613812345678", false},
    {"138 1234 5678", false},
    {"138-1234-5678", false},
    {"1381234567a", false},
    {"1381234567 ", false},
    {" 13812345678", false},
    {"", false},
    {"1", false},
};

static void test_phone_is_valid(void)
{
    size_t i;

    for (i = 0; i < TEST_COUNT(phone_valid_vectors); i++) {
        CHECKF(phone_is_valid(phone_valid_vectors[i].in) == phone_valid_vectors[i].want,
               "\"%s\": want %s", phone_valid_vectors[i].in,
               phone_valid_vectors[i].want ? "valid" : "invalid");
    }
    CHECK(!phone_is_valid(NULL));
}

static void test_mask_account(void)
{
    char out[40];

    CHECK(mask_account("6222021234567891234", out, sizeof(out)));
    CHECK_EQ_STR(out, "622************1234");
    CHECK(mask_account("12345678", out, sizeof(out)));
    CHECK_EQ_STR(out, "123*5678");
    CHECK(!mask_account("6222021234567891234", out, 19));
    CHECK(account_is_valid("12345678"));
    CHECK(account_is_valid("62220212345678912345678901234567"));
    CHECK(!account_is_valid("1234567"));
    CHECK(!account_is_valid("622202123456789123456789012345678"));
    CHECK(!account_is_valid("6222 0212 3456"));
    CHECK(!account_is_valid("6222-02123456"));
    CHECK(!account_is_valid(""));
    CHECK(!account_is_valid(NULL));
}

int main(void)
{
    static const struct test_case cases[] = {
        {"mask ID numbers", test_mask_id_number},
        {"mask phones", test_mask_phone},
        {"mask bank accounts", test_mask_account},
        {"buffer size", test_buffer_size},
        {"NULL arguments", test_null},
        {"phone_is_valid", test_phone_is_valid},
    };

    return test_run(cases, TEST_COUNT(cases));
}
