/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/problem.c: the app_err → status/type/title table,
 * Accept-Language parsing, errors[] accumulation and RFC 9457 rendering.
 * Run under ASan: problem_clear must release the extension members.
 */
#include <string.h>

#include <jansson.h>

#include "problem.h"
#include "test.h"

struct kind_vector {
    enum app_err err;
    unsigned status;
    const char *slug;
};

/* The statuses follow app_err.h; the slugs are the public contract
 * (the openapi documents), so a rename must show up here. */
static const struct kind_vector kind_vectors[] = {
    {APP_ERR_MALFORMED, 400, "malformed-request"},
    {APP_ERR_UNKNOWN_FIELD, 400, "unknown-field"},
    {APP_ERR_BAD_PARAMETER, 400, "invalid-parameter"},
    {APP_ERR_UNAUTHORIZED, 401, "unauthorized"},
    {APP_ERR_FORBIDDEN, 403, "forbidden"},
    {APP_ERR_NOT_FOUND, 404, "not-found"},
    {APP_ERR_METHOD_NOT_ALLOWED, 405, "method-not-allowed"},
    {APP_ERR_CONFLICT, 409, "conflict"},
    {APP_ERR_NOT_OPEN, 409, "not-open"},
    {APP_ERR_PRECONDITION_FAILED, 412, "precondition-failed"},
    {APP_ERR_TOO_LARGE, 413, "payload-too-large"},
    {APP_ERR_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported-media-type"},
    {APP_ERR_VALIDATION, 422, "validation-failed"},
    {APP_ERR_IDEMPOTENCY_REUSED, 422, "idempotency-key-reused"},
    {APP_ERR_CALENDAR_MISSING, 422, "calendar-unavailable"},
    {APP_ERR_POLICY_EXPIRED, 409, "policy-expired"},
    {APP_ERR_PRECONDITION_REQUIRED, 428, "precondition-required"},
    {APP_ERR_RATE_LIMITED, 429, "rate-limited"},
    {APP_ERR_INTERNAL, 500, "internal-error"},
    {APP_ERR_UNAVAILABLE, 503, "service-unavailable"},
};

static bool is_ascii(const char *s)
{
    for (; *s != '\0'; s++) {
        if ((unsigned char)*s >= 0x80)
            return false;
    }
    return true;
}

static void test_table_covers_every_error(void)
{
    /* One row per enum value from APP_ERR_MALFORMED to APP_ERR_UNAVAILABLE. */
    CHECK_EQ_INT(TEST_COUNT(kind_vectors), APP_ERR_UNAVAILABLE - APP_ERR_MALFORMED + 1);
    CHECK_EQ_INT(APP_ERR_UNAVAILABLE + 1, APP_ERR__MAX);
    for (size_t i = 0; i < TEST_COUNT(kind_vectors); i++)
        CHECKF(kind_vectors[i].err == (enum app_err)(APP_ERR_MALFORMED + (int)i),
               "row %zu is out of enum order", i);
}

static void test_status_and_type(void)
{
    const size_t base_len = strlen(PROBLEM_TYPE_BASE);

    for (size_t i = 0; i < TEST_COUNT(kind_vectors); i++) {
        const struct kind_vector *v = &kind_vectors[i];
        const char *type = problem_type(v->err);
        const char *slug = problem_slug(v->err);

        CHECKF(problem_status(v->err) == v->status, "%s: status %u, want %u", v->slug,
               problem_status(v->err), v->status);
        CHECKF(type != NULL && strncmp(type, PROBLEM_TYPE_BASE, base_len) == 0,
               "%s: type \"%s\" lacks the base", v->slug, type ? type : "(null)");
        CHECKF(type != NULL && strlen(type) > base_len, "%s: empty slug", v->slug);
        CHECKF(slug != NULL && strcmp(slug, v->slug) == 0, "%s: slug \"%s\"", v->slug,
               slug ? slug : "(null)");
        /* The slug is the tail of the type, not a copy. */
        CHECKF(type != NULL && slug == type + base_len, "%s: slug is not the type's tail", v->slug);
    }
}

static void test_types_distinct(void)
{
    /* Several kinds share 400 or 422 on purpose; their types never collide. */
    for (size_t i = 0; i < TEST_COUNT(kind_vectors); i++) {
        for (size_t j = i + 1; j < TEST_COUNT(kind_vectors); j++) {
            CHECKF(strcmp(problem_type(kind_vectors[i].err), problem_type(kind_vectors[j].err)),
                   "%s and %s share a type", kind_vectors[i].slug, kind_vectors[j].slug);
            CHECKF(strcmp(problem_slug(kind_vectors[i].err), problem_slug(kind_vectors[j].err)),
                   "%s and %s share a slug", kind_vectors[i].slug, kind_vectors[j].slug);
        }
    }
}

static void test_titles(void)
{
    for (size_t i = 0; i < TEST_COUNT(kind_vectors); i++) {
        const struct kind_vector *v = &kind_vectors[i];
        const char *zh = problem_title(v->err, PROBLEM_LANG_ZH);
        const char *en = problem_title(v->err, PROBLEM_LANG_EN);

        CHECKF(zh != NULL && zh[0] != '\0', "%s: no zh title", v->slug);
        CHECKF(en != NULL && en[0] != '\0', "%s: no en title", v->slug);
        if (zh == NULL || en == NULL)
            continue;
        CHECKF(strcmp(zh, en) != 0, "%s: zh and en titles are the same", v->slug);
        CHECKF(is_ascii(en), "%s: en title \"%s\" is not ASCII", v->slug, en);
        CHECKF(!is_ascii(zh), "%s: zh title \"%s\" has no Chinese", v->slug, zh);
        /* Titles are fixed per type: the same pointer every time. */
        CHECKF(problem_title(v->err, PROBLEM_LANG_EN) == en, "%s: en title not fixed", v->slug);
    }
    /* Titles within one language are distinct too. */
    for (size_t i = 0; i < TEST_COUNT(kind_vectors); i++) {
        for (size_t j = i + 1; j < TEST_COUNT(kind_vectors); j++) {
            CHECKF(strcmp(problem_title(kind_vectors[i].err, PROBLEM_LANG_EN),
                          problem_title(kind_vectors[j].err, PROBLEM_LANG_EN)),
                   "%s and %s share an en title", kind_vectors[i].slug, kind_vectors[j].slug);
            CHECKF(strcmp(problem_title(kind_vectors[i].err, PROBLEM_LANG_ZH),
                          problem_title(kind_vectors[j].err, PROBLEM_LANG_ZH)),
                   "%s and %s share a zh title", kind_vectors[i].slug, kind_vectors[j].slug);
        }
    }
}

static void test_out_of_range_is_internal(void)
{
    static const int bad[] = {APP_ERR__MAX, APP_ERR__MAX + 7, -1};

    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        enum app_err e = (enum app_err)bad[i];

        CHECKF(problem_status(e) == 500, "%d: status %u", bad[i], problem_status(e));
        CHECKF(strcmp(problem_slug(e), "internal-error") == 0, "%d: slug %s", bad[i],
               problem_slug(e));
        CHECKF(strcmp(problem_title(e, PROBLEM_LANG_EN), "Internal server error") == 0,
               "%d: title %s", bad[i], problem_title(e, PROBLEM_LANG_EN));
    }
}

struct lang_vector {
    const char *header;
    enum problem_lang want;
};

/* Rule: after leading spaces, the first listed tag decides; it is English when
 * it is "en" (any case) followed by end, '-', ',', ';' or ' '. q is ignored. */
static const struct lang_vector lang_vectors[] = {
    {"en", PROBLEM_LANG_EN},
    {"EN", PROBLEM_LANG_EN},
    {"En-gb", PROBLEM_LANG_EN},
    {"en-US,zh;q=0.5", PROBLEM_LANG_EN},
    {"en;q=0.1, zh-CN", PROBLEM_LANG_EN}, /* q-values are not weighed */
    {"en,zh", PROBLEM_LANG_EN},
    {"en ", PROBLEM_LANG_EN},
    {"   en-US", PROBLEM_LANG_EN},
    {"zh-CN", PROBLEM_LANG_ZH},
    {"zh-CN,en;q=0.9", PROBLEM_LANG_ZH},
    {"zh", PROBLEM_LANG_ZH},
    {"english?", PROBLEM_LANG_ZH},
    {"eng", PROBLEM_LANG_ZH},
    {"en_US", PROBLEM_LANG_ZH},
    {"e", PROBLEM_LANG_ZH},
    {"*", PROBLEM_LANG_ZH},
    {"fr-FR,en;q=0.8", PROBLEM_LANG_ZH},
    {"", PROBLEM_LANG_ZH},
    {"   ", PROBLEM_LANG_ZH},
    {NULL, PROBLEM_LANG_ZH},
};

static void test_lang_from_header(void)
{
    for (size_t i = 0; i < TEST_COUNT(lang_vectors); i++) {
        const struct lang_vector *v = &lang_vectors[i];
        enum problem_lang got = problem_lang_from_header(v->header);

        CHECKF(got == v->want, "\"%s\": got %s", v->header ? v->header : "(null)",
               got == PROBLEM_LANG_EN ? "en" : "zh");
    }
}

static void test_to_json_full(void)
{
    struct problem p = PROBLEM_INIT;
    json_t *body, *errors, *e;

    problem_field(&p, APP_ERR_VALIDATION, "/name", NULL, "must be %d to %d characters",
                  "must be %d to %d characters", 1, 20);
    problem_field(&p, APP_ERR_VALIDATION, "/items/0/amount", NULL, "must be an integer",
                  "must be an integer");
    body = problem_to_json(&p, PROBLEM_LANG_EN, "/api/v1/programmes", "req-42");
    CHECK(body != NULL);
    if (body == NULL)
        return;
    CHECK_EQ_STR(json_string_value(json_object_get(body, "type")),
                 "urn:jiangxin:problem:validation-failed");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "title")), "Validation failed");
    CHECK(json_is_integer(json_object_get(body, "status")));
    CHECK_EQ_INT(json_integer_value(json_object_get(body, "status")), 422);
    /* detail defaults to the first error. */
    CHECK_EQ_STR(json_string_value(json_object_get(body, "detail")),
                 "/name: must be 1 to 20 characters");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "instance")), "/api/v1/programmes");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "request_id")), "req-42");
    errors = json_object_get(body, "errors");
    CHECK(json_is_array(errors));
    CHECK_EQ_INT(json_array_size(errors), 2);
    e = json_array_get(errors, 0);
    CHECK_EQ_STR(json_string_value(json_object_get(e, "pointer")), "/name");
    CHECK_EQ_STR(json_string_value(json_object_get(e, "detail")), "must be 1 to 20 characters");
    /* An item without a code of its own gets its kind's. */
    CHECK_EQ_STR(json_string_value(json_object_get(e, "code")), "validation_failed");
    CHECK_EQ_INT(json_object_size(e), 3);
    e = json_array_get(errors, 1);
    CHECK_EQ_STR(json_string_value(json_object_get(e, "pointer")), "/items/0/amount");
    CHECK_EQ_STR(json_string_value(json_object_get(e, "detail")), "must be an integer");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "code")), "validation_failed");
    CHECK_EQ_INT(json_object_size(body), 8);
    json_decref(body);
    problem_clear(&p);
}

/* Details in the asked language, codes for the cause, the first item's
 * code and detail as the problem's own. */
static void test_bilingual_and_codes(void)
{
    struct problem p = {0};
    json_t *zh, *en;

    CHECK_EQ_INT(problem_fail(&p, APP_ERR_CONFLICT, "duplicate_person", "该人员已被推荐（%d 次）",
                              "this person is already nominated (%d times)", 2),
                 APP_ERR_CONFLICT);
    zh = problem_to_json(&p, PROBLEM_LANG_ZH, NULL, NULL);
    en = problem_to_json(&p, PROBLEM_LANG_EN, NULL, NULL);
    CHECK_EQ_STR(json_string_value(json_object_get(zh, "detail")), "该人员已被推荐（2 次）");
    CHECK_EQ_STR(json_string_value(json_object_get(en, "detail")),
                 "this person is already nominated (2 times)");
    CHECK_EQ_STR(json_string_value(json_object_get(zh, "code")), "duplicate_person");
    CHECK_EQ_STR(json_string_value(json_object_get(en, "code")), "duplicate_person");
    json_decref(zh);
    json_decref(en);

    problem_clear(&p);
    CHECK_EQ_INT(p.err, APP_OK);
    problem_field(&p, APP_ERR_VALIDATION, "/id_number", "id_number_check_character",
                  "校验码应为 %c", "the check character should be %c", 'X');
    problem_field(&p, APP_ERR_VALIDATION, "/phone", "phone_format", "不是有效的手机号码",
                  "not a mobile number");
    CHECK_EQ_INT(p.n_errors, 2);
    CHECK_EQ_STR(problem_code(&p), "id_number_check_character");
    CHECK_EQ_STR(p.detail[PROBLEM_LANG_ZH], "/id_number: 校验码应为 X");
    CHECK_EQ_STR(p.detail[PROBLEM_LANG_EN], "/id_number: the check character should be X");
    en = problem_to_json(&p, PROBLEM_LANG_EN, NULL, NULL);
    CHECK_EQ_STR(json_string_value(
                     json_object_get(json_array_get(json_object_get(en, "errors"), 1), "code")),
                 "phone_format");
    CHECK_EQ_STR(json_string_value(
                     json_object_get(json_array_get(json_object_get(en, "errors"), 1), "detail")),
                 "not a mobile number");
    json_decref(en);

    /* The kind alone: its own code, no detail. */
    problem_kind(&p, APP_ERR_NOT_FOUND);
    CHECK_EQ_STR(problem_code(&p), "not_found");
    CHECK_EQ_STR(p.detail[PROBLEM_LANG_ZH], "");
    problem_clear(&p);
}

static void test_to_json_minimal(void)
{
    struct problem p = {0};
    json_t *body;

    problem_fail(&p, APP_ERR_NOT_FOUND, NULL, NULL, NULL);
    CHECK_EQ_STR(p.detail[PROBLEM_LANG_EN], "");
    body = problem_to_json(&p, PROBLEM_LANG_ZH, "", NULL);
    CHECK(body != NULL);
    if (body == NULL)
        return;
    CHECK_EQ_STR(json_string_value(json_object_get(body, "type")),
                 "urn:jiangxin:problem:not-found");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "title")), "资源不存在");
    CHECK_EQ_INT(json_integer_value(json_object_get(body, "status")), 404);
    /* Empty detail, empty instance, NULL request id and no errors are left out. */
    CHECK(json_object_get(body, "detail") == NULL);
    CHECK(json_object_get(body, "instance") == NULL);
    CHECK(json_object_get(body, "request_id") == NULL);
    CHECK(json_object_get(body, "errors") == NULL);
    CHECK_EQ_STR(json_string_value(json_object_get(body, "code")), "not_found");
    CHECK_EQ_INT(json_object_size(body), 4);
    json_decref(body);
}

static void test_set_detail(void)
{
    struct problem p = PROBLEM_INIT;
    char long_detail[2 * PROBLEM_DETAIL_MAX];

    CHECK_EQ_INT(p.err, APP_ERR_INTERNAL);
    problem_fail(&p, APP_ERR_CONFLICT, NULL, "programme %s is %s", "programme %s is %s", "P-01",
                 "closed");
    CHECK_EQ_INT(p.err, APP_ERR_CONFLICT);
    CHECK_EQ_STR(p.detail[PROBLEM_LANG_EN], "programme P-01 is closed");
    /* A second set replaces both kind and detail. */
    problem_fail(&p, APP_ERR_NOT_FOUND, NULL, NULL, NULL);
    CHECK_EQ_INT(p.err, APP_ERR_NOT_FOUND);
    CHECK_EQ_STR(p.detail[PROBLEM_LANG_EN], "");
    /* Long details are truncated, NUL-terminated. */
    memset(long_detail, 'a', sizeof(long_detail) - 1);
    long_detail[sizeof(long_detail) - 1] = '\0';
    problem_fail(&p, APP_ERR_VALIDATION, NULL, "%s", "%s", long_detail);
    CHECK_EQ_INT(strlen(p.detail[PROBLEM_LANG_EN]), PROBLEM_DETAIL_MAX - 1);
}

static void test_add_error_keeps_first_kind(void)
{
    struct problem p = PROBLEM_INIT;
    struct problem q = {0}; /* APP_OK start */

    /* INTERNAL (the pessimistic start) is replaced by the first kind... */
    problem_field(&p, APP_ERR_UNKNOWN_FIELD, "/x", NULL, "unknown member", "unknown member");
    CHECK_EQ_INT(p.err, APP_ERR_UNKNOWN_FIELD);
    /* ...and later kinds do not change it. */
    problem_field(&p, APP_ERR_VALIDATION, "/y", NULL, "must be a string", "must be a string");
    CHECK_EQ_INT(p.err, APP_ERR_UNKNOWN_FIELD);
    CHECK_EQ_INT(p.n_errors, 2);
    CHECK_EQ_STR(p.detail[PROBLEM_LANG_EN], "/x: unknown member");

    problem_field(&q, APP_ERR_VALIDATION, "/a", NULL, "is required", "is required");
    CHECK_EQ_INT(q.err, APP_ERR_VALIDATION);
    problem_field(&q, APP_ERR_UNKNOWN_FIELD, "/b", NULL, "unknown member", "unknown member");
    CHECK_EQ_INT(q.err, APP_ERR_VALIDATION);

    /* An explicit detail set before is kept. */
    {
        struct problem r = PROBLEM_INIT;

        problem_fail(&r, APP_ERR_INTERNAL, NULL, "overall", "overall");
        problem_field(&r, APP_ERR_VALIDATION, "/z", NULL, "bad", "bad");
        CHECK_EQ_INT(r.err, APP_ERR_VALIDATION);
        CHECK_EQ_STR(r.detail[PROBLEM_LANG_EN], "overall");
    }
    /* A NULL pointer is stored as "". */
    {
        struct problem r = PROBLEM_INIT;

        problem_field(&r, APP_ERR_BAD_PARAMETER, NULL, NULL, "bad", "bad");
        CHECK_EQ_STR(r.errors[0].pointer, "");
    }
}

static void test_add_error_caps(void)
{
    struct problem p = PROBLEM_INIT;
    json_t *body;

    for (int i = 0; i < PROBLEM_ERRORS_MAX + 5; i++)
        problem_field(&p, APP_ERR_VALIDATION, "/items/0", NULL, "error %d", "error %d", i);
    CHECK_EQ_INT(p.n_errors, PROBLEM_ERRORS_MAX);
    /* The first ones are kept. */
    CHECK_EQ_STR(p.errors[0].detail[PROBLEM_LANG_EN], "error 0");
    {
        char want[32];

        snprintf(want, sizeof(want), "error %d", PROBLEM_ERRORS_MAX - 1);
        CHECK_EQ_STR(p.errors[PROBLEM_ERRORS_MAX - 1].detail[PROBLEM_LANG_EN], want);
    }
    body = problem_to_json(&p, PROBLEM_LANG_ZH, NULL, NULL);
    CHECK(body != NULL);
    CHECK_EQ_INT(json_array_size(json_object_get(body, "errors")), PROBLEM_ERRORS_MAX);
    json_decref(body);
}

static void test_extra_members(void)
{
    struct problem p = PROBLEM_INIT;
    json_t *body;

    problem_fail(&p, APP_ERR_RATE_LIMITED, NULL, "slow down", "slow down");
    p.extra = json_pack("{s:i, s:s, s:s, s:i, s:s}", "retry_after_s", 12, "window", "1m", "type",
                        "urn:evil", "status", 200, "title", "hijack");
    CHECK(p.extra != NULL);
    body = problem_to_json(&p, PROBLEM_LANG_EN, NULL, "r1");
    CHECK(body != NULL);
    if (body != NULL) {
        CHECK_EQ_INT(json_integer_value(json_object_get(body, "retry_after_s")), 12);
        CHECK_EQ_STR(json_string_value(json_object_get(body, "window")), "1m");
        /* Extension members never override the standard ones. */
        CHECK_EQ_STR(json_string_value(json_object_get(body, "type")),
                     "urn:jiangxin:problem:rate-limited");
        CHECK_EQ_INT(json_integer_value(json_object_get(body, "status")), 429);
        CHECK_EQ_STR(json_string_value(json_object_get(body, "title")), "Too many requests");
        CHECK_EQ_STR(json_string_value(json_object_get(body, "detail")), "slow down");
        CHECK_EQ_STR(json_string_value(json_object_get(body, "request_id")), "r1");
        json_decref(body);
    }
    /* problem_to_json does not consume extra; problem_clear releases it (ASan
     * reports a leak otherwise) and is idempotent and NULL-safe. */
    CHECK(p.extra != NULL && p.extra->refcount == 1);
    problem_clear(&p);
    CHECK(p.extra == NULL);
    problem_clear(&p);
    problem_clear(NULL);
}

static void test_to_json_with_utf8_detail(void)
{
    struct problem p = PROBLEM_INIT;
    json_t *body;

    problem_fail(&p, APP_ERR_CONFLICT, NULL, "项目 %s 已关闭", "项目 %s 已关闭", "P-01");
    body = problem_to_json(&p, PROBLEM_LANG_ZH, NULL, NULL);
    CHECK(body != NULL);
    CHECK_EQ_STR(json_string_value(json_object_get(body, "detail")), "项目 P-01 已关闭");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "title")), "与当前状态冲突");
    json_decref(body);
}

static void test_to_json_truncated_utf8_detail(void)
{
    /* A detail longer than PROBLEM_DETAIL_MAX bytes in Chinese (3 bytes per
     * character) is cut by vsnprintf; the response must still render, since
     * problem_to_json returns NULL "only when out of memory". */
    struct problem p = PROBLEM_INIT;
    char text[1 + 3 * 100 + 1] = "x"; /* the "x" puts the cut inside a character */
    json_t *body;

    for (int i = 0; i < 100; i++)
        strcat(text, "字");
    problem_fail(&p, APP_ERR_VALIDATION, NULL, "%s", "%s", text);
    body = problem_to_json(&p, PROBLEM_LANG_ZH, NULL, NULL);
    CHECKF(body != NULL, "a %zu-byte Chinese detail made problem_to_json return NULL",
           strlen(text));
    json_decref(body);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"table covers every error", test_table_covers_every_error},
        {"status and type per kind", test_status_and_type},
        {"types and slugs distinct", test_types_distinct},
        {"zh and en titles", test_titles},
        {"out-of-range kinds render as internal", test_out_of_range_is_internal},
        {"Accept-Language", test_lang_from_header},
        {"problem_to_json with every member", test_to_json_full},
        {"problem_to_json minimal", test_to_json_minimal},
        {"details in both languages, codes per cause", test_bilingual_and_codes},
        {"problem_fail detail", test_set_detail},
        {"problem_field keeps the first kind", test_add_error_keeps_first_kind},
        {"problem_field caps errors[]", test_add_error_caps},
        {"extra members merge, never override", test_extra_members},
        {"UTF-8 detail", test_to_json_with_utf8_detail},
        {"truncated UTF-8 detail still renders", test_to_json_truncated_utf8_detail},
    };

    return test_run(cases, TEST_COUNT(cases));
}
