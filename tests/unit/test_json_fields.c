/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/json_fields.c: unknown members first (400), then
 * types, required members and lengths (422), each with a JSON Pointer, a
 * code and a detail in both languages.
 */
#include <string.h>

#include <jansson.h>

#include "json_fields.h"
#include "problem.h"
#include "test.h"

/* clang-format off */
static const struct json_field fields[] = {
    {"name",   JF_STRING,           true,  1, 3},  /* code points */
    {"age",    JF_INT,              true,  0, 0},
    {"note",   JF_STRING | JF_NULL, false, 0, 10},
    {"tags",   JF_ARRAY,            false, 1, 2},  /* elements */
    {"active", JF_BOOL,             false, 0, 0},
    {"policy", JF_OBJECT,           false, 0, 0},
    {"count",  JF_INT | JF_NULL,    false, 0, 0},
    {"free",   JF_STRING,           false, 0, 0},  /* no length bound */
};
/* clang-format on */

#define MAX_PTRS 4

struct body_vector {
    const char *json;
    const char *prefix;
    bool ok;
    enum app_err err; /* when !ok */
    const char *pointers[MAX_PTRS];
};

static const struct body_vector body_vectors[] = {
    /* Good bodies. */
    {"{\"name\":\"abc\",\"age\":3}", "", true, APP_OK, {NULL}},
    {"{\"name\":\"a\",\"age\":-7,\"note\":\"0123456789\",\"tags\":[1,\"x\"],\"active\":false,"
     "\"policy\":{\"anything\":1},\"count\":0,\"free\":\"\"}",
     "",
     true,
     APP_OK,
     {NULL}},
    /* Nullable members accept null. */
    {"{\"name\":\"abc\",\"age\":3,\"note\":null,\"count\":null}", "", true, APP_OK, {NULL}},
    /* Code points, not bytes: 3 Chinese characters are 9 bytes. */
    {"{\"name\":\"张三丰\",\"age\":1}", "", true, APP_OK, {NULL}},
    {"{\"name\":\"张三丰王\",\"age\":1}", "", false, APP_ERR_VALIDATION, {"/name"}},
    {"{\"name\":\"😀😀😀\",\"age\":1}", "", true, APP_OK, {NULL}},
    {"{\"name\":\"😀😀😀😀\",\"age\":1}", "", false, APP_ERR_VALIDATION, {"/name"}},
    {"{\"name\":\"\",\"age\":1}", "", false, APP_ERR_VALIDATION, {"/name"}},
    {"{\"name\":\"abcd\",\"age\":1}", "", false, APP_ERR_VALIDATION, {"/name"}},
    {"{\"name\":\"a\",\"age\":1,\"note\":\"一二三四五六七八九十\"}", "", true, APP_OK, {NULL}},
    {"{\"name\":\"a\",\"age\":1,\"note\":\"一二三四五六七八九十一\"}",
     "",
     false,
     APP_ERR_VALIDATION,
     {"/note"}},
    /* Array element counts: 1..2. */
    {"{\"name\":\"a\",\"age\":1,\"tags\":[]}", "", false, APP_ERR_VALIDATION, {"/tags"}},
    {"{\"name\":\"a\",\"age\":1,\"tags\":[\"x\",\"y\",\"z\"]}",
     "",
     false,
     APP_ERR_VALIDATION,
     {"/tags"}},
    /* Reals are never integers. */
    {"{\"name\":\"a\",\"age\":3.0}", "", false, APP_ERR_VALIDATION, {"/age"}},
    {"{\"name\":\"a\",\"age\":1e2}", "", false, APP_ERR_VALIDATION, {"/age"}},
    {"{\"name\":\"a\",\"age\":1,\"count\":1.5}", "", false, APP_ERR_VALIDATION, {"/count"}},
    /* Wrong types. */
    {"{\"name\":5,\"age\":1}", "", false, APP_ERR_VALIDATION, {"/name"}},
    {"{\"name\":null,\"age\":1}", "", false, APP_ERR_VALIDATION, {"/name"}},
    {"{\"name\":\"a\",\"age\":\"1\"}", "", false, APP_ERR_VALIDATION, {"/age"}},
    {"{\"name\":\"a\",\"age\":true}", "", false, APP_ERR_VALIDATION, {"/age"}},
    {"{\"name\":\"a\",\"age\":null}", "", false, APP_ERR_VALIDATION, {"/age"}},
    {"{\"name\":\"a\",\"age\":1,\"tags\":\"x\"}", "", false, APP_ERR_VALIDATION, {"/tags"}},
    {"{\"name\":\"a\",\"age\":1,\"active\":1}", "", false, APP_ERR_VALIDATION, {"/active"}},
    {"{\"name\":\"a\",\"age\":1,\"policy\":[]}", "", false, APP_ERR_VALIDATION, {"/policy"}},
    {"{\"name\":\"a\",\"age\":1,\"count\":\"2\"}", "", false, APP_ERR_VALIDATION, {"/count"}},
    {"{\"name\":[\"a\"],\"age\":{},\"note\":7,\"active\":\"yes\"}",
     "",
     false,
     APP_ERR_VALIDATION,
     {"/name", "/age", "/note", "/active"}},
    /* Missing required members; optional ones may be absent. */
    {"{}", "", false, APP_ERR_VALIDATION, {"/name", "/age"}},
    {"{\"age\":1}", "", false, APP_ERR_VALIDATION, {"/name"}},
    /* Unknown members: reported alone, even next to wrong types or missing ones. */
    {"{\"name\":\"a\",\"age\":1,\"bogus\":1}", "", false, APP_ERR_UNKNOWN_FIELD, {"/bogus"}},
    {"{\"name\":5,\"bogus\":1,\"age\":\"x\",\"Name\":2}",
     "",
     false,
     APP_ERR_UNKNOWN_FIELD,
     {"/bogus", "/Name"}},
    {"{\"x\":null}", "", false, APP_ERR_UNKNOWN_FIELD, {"/x"}},
    /* A prefix is prepended to every pointer. */
    {"{\"name\":\"a\",\"age\":1,\"x\":1}", "/policy", false, APP_ERR_UNKNOWN_FIELD, {"/policy/x"}},
    {"{\"age\":\"1\"}", "/policy", false, APP_ERR_VALIDATION, {"/policy/name", "/policy/age"}},
    {"{\"name\":\"a\",\"age\":1}", "/items/3", true, APP_OK, {NULL}},
};

static void test_body_vectors(void)
{
    for (size_t i = 0; i < TEST_COUNT(body_vectors); i++) {
        const struct body_vector *v = &body_vectors[i];
        struct problem p = PROBLEM_INIT;
        json_error_t jerr;
        json_t *obj = json_loads(v->json, 0, &jerr);
        size_t n_ptrs = 0;
        bool ok;

        CHECKF(obj != NULL, "row %zu: bad JSON: %s", i, jerr.text);
        if (obj == NULL)
            continue;
        while (n_ptrs < MAX_PTRS && v->pointers[n_ptrs] != NULL)
            n_ptrs++;
        ok = json_fields_check(obj, fields, TEST_COUNT(fields), v->prefix, &p);
        CHECKF(ok == v->ok, "row %zu %s: got %s", i, v->json, ok ? "ok" : "refused");
        if (v->ok) {
            /* Success leaves the problem as it was. */
            CHECKF(p.n_errors == 0 && p.err == APP_ERR_INTERNAL, "row %zu: problem touched", i);
        } else {
            CHECKF(p.err == v->err, "row %zu %s: err %s, want %s", i, v->json, problem_slug(p.err),
                   problem_slug(v->err));
            CHECKF(p.n_errors == n_ptrs, "row %zu %s: %zu errors, want %zu", i, v->json, p.n_errors,
                   n_ptrs);
            for (size_t k = 0; k < n_ptrs && k < p.n_errors; k++)
                CHECKF(strcmp(p.errors[k].pointer, v->pointers[k]) == 0,
                       "row %zu %s: pointer %zu is \"%s\", want \"%s\"", i, v->json, k,
                       p.errors[k].pointer, v->pointers[k]);
            for (size_t k = 0; k < p.n_errors; k++)
                CHECKF(p.errors[k].detail[PROBLEM_LANG_EN][0] != '\0',
                       "row %zu: error %zu has no detail", i, k);
        }
        json_decref(obj);
        problem_clear(&p);
    }
}

static void test_error_details(void)
{
    struct problem p = PROBLEM_INIT;
    json_t *obj =
        json_pack("{s:i, s:[i,i,i], s:s}", "name", 1, "tags", 1, 2, 3, "note", "0123456789x");

    CHECK(obj != NULL);
    CHECK(!json_fields_check(obj, fields, TEST_COUNT(fields), "", &p));
    CHECK_EQ_INT(p.n_errors, 4);
    CHECK_EQ_STR(p.errors[0].pointer, "/name");
    CHECK_EQ_STR(p.errors[0].detail[PROBLEM_LANG_EN], "must be a string");
    CHECK_EQ_STR(p.errors[1].pointer, "/age");
    CHECK_EQ_STR(p.errors[1].detail[PROBLEM_LANG_EN], "is required");
    CHECK_EQ_STR(p.errors[2].pointer, "/note");
    CHECK_EQ_STR(p.errors[2].detail[PROBLEM_LANG_EN], "must be 0 to 10 characters");
    CHECK_EQ_STR(p.errors[3].pointer, "/tags");
    CHECK_EQ_STR(p.errors[3].detail[PROBLEM_LANG_EN], "must have 1 to 2 elements");
    CHECK_EQ_STR(p.detail[PROBLEM_LANG_EN], "/name: must be a string");
    json_decref(obj);

    /* Nullable types name null; booleans, objects and integers name theirs. */
    {
        struct problem q = PROBLEM_INIT, r = PROBLEM_INIT;

        obj = json_pack("{s:s, s:i, s:i, s:i, s:i, s:s}", "name", "a", "age", 1, "note", 1, "count",
                        1, "active", 1, "policy", "x");
        CHECK(!json_fields_check(obj, fields, TEST_COUNT(fields), "", &q));
        CHECK_EQ_INT(q.n_errors, 3);
        CHECK_EQ_STR(q.errors[0].detail[PROBLEM_LANG_EN], "must be a string or null");
        CHECK_EQ_STR(q.errors[1].detail[PROBLEM_LANG_EN], "must be a boolean");
        CHECK_EQ_STR(q.errors[2].detail[PROBLEM_LANG_EN], "must be an object");
        json_decref(obj);

        obj = json_pack("{s:s, s:s, s:s}", "name", "a", "age", "1", "count", "1");
        CHECK(!json_fields_check(obj, fields, TEST_COUNT(fields), "", &r));
        CHECK_EQ_INT(r.n_errors, 2);
        CHECK_EQ_STR(r.errors[0].detail[PROBLEM_LANG_EN], "must be an integer");
        CHECK_EQ_STR(r.errors[1].detail[PROBLEM_LANG_EN], "must be an integer or null");
        json_decref(obj);
    }
}

static void test_unbounded_string(void)
{
    struct problem p = PROBLEM_INIT;
    char text[1001];
    json_t *obj;

    memset(text, 'z', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    obj = json_pack("{s:s, s:i, s:s}", "name", "a", "age", 1, "free", text);
    CHECK(json_fields_check(obj, fields, TEST_COUNT(fields), "", &p));
    json_decref(obj);
}

static void test_many_unknown_members(void)
{
    struct problem p = PROBLEM_INIT;
    json_t *obj = json_object();
    json_t *body;

    for (int i = 0; i < PROBLEM_ERRORS_MAX + 4; i++) {
        char name[16];

        snprintf(name, sizeof(name), "u%d", i);
        json_object_set_new(obj, name, json_integer(i));
    }
    CHECK(!json_fields_check(obj, fields, TEST_COUNT(fields), "", &p));
    CHECK_EQ_INT(p.err, APP_ERR_UNKNOWN_FIELD);
    CHECK_EQ_INT(p.n_errors, PROBLEM_ERRORS_MAX);
    body = problem_to_json(&p, PROBLEM_LANG_EN, NULL, NULL);
    CHECK(body != NULL);
    CHECK_EQ_INT(json_integer_value(json_object_get(body, "status")), 400);
    CHECK_EQ_STR(json_string_value(json_object_get(body, "type")),
                 "urn:jiangxin:problem:unknown-field");
    json_decref(body);
    json_decref(obj);
}

static void test_nested_then_rendered(void)
{
    /* A caller checks the root, then a nested object with a prefix, into the
     * same problem; the first kind found decides the status. */
    static const struct json_field root[] = {
        {"policy", JF_OBJECT, true, 0, 0},
    };
    static const struct json_field policy[] = {
        {"x", JF_INT, true, 0, 0},
    };
    struct problem p = PROBLEM_INIT;
    json_t *obj = json_loads("{\"policy\":{\"x\":\"1\"}}", 0, NULL);
    json_t *body, *e;

    CHECK(obj != NULL);
    CHECK(json_fields_check(obj, root, TEST_COUNT(root), "", &p));
    CHECK(!json_fields_check(json_object_get(obj, "policy"), policy, TEST_COUNT(policy), "/policy",
                             &p));
    body = problem_to_json(&p, PROBLEM_LANG_ZH, "/v1/rounds", "rid");
    CHECK(body != NULL);
    CHECK_EQ_INT(json_integer_value(json_object_get(body, "status")), 422);
    e = json_array_get(json_object_get(body, "errors"), 0);
    CHECK_EQ_STR(json_string_value(json_object_get(e, "pointer")), "/policy/x");
    CHECK_EQ_STR(json_string_value(json_object_get(e, "code")), "wrong_type");
    CHECK_EQ_STR(json_string_value(json_object_get(e, "detail")), "应为整数");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "detail")), "/policy/x: 应为整数");
    json_decref(body);
    body = problem_to_json(&p, PROBLEM_LANG_EN, "/v1/rounds", "rid");
    e = json_array_get(json_object_get(body, "errors"), 0);
    CHECK_EQ_STR(json_string_value(json_object_get(e, "detail")), "must be an integer");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "code")), "wrong_type");
    json_decref(body);
    json_decref(obj);
    problem_clear(&p);
}

/* Each fault's code (and Chinese text) names its cause. */
struct code_vector {
    const char *json;
    const char *pointer;
    const char *code;
    const char *zh;
};

static const struct code_vector code_vectors[] = {
    {"{\"name\":\"a\",\"age\":1,\"bogus\":1}", "/bogus", "unknown_field", "未知字段"},
    {"{\"age\":1}", "/name", "required", "为必填项"},
    {"{\"name\":5,\"age\":1}", "/name", "wrong_type", "应为字符串"},
    {"{\"name\":\"a\",\"age\":1,\"note\":1}", "/note", "wrong_type", "应为字符串或 null"},
    {"{\"name\":\"a\",\"age\":1,\"active\":1}", "/active", "wrong_type",
     "应为布尔值（true 或 false）"},
    {"{\"name\":\"\",\"age\":1}", "/name", "too_short", "长度应为 1 至 3 个字符"},
    {"{\"name\":\"abcd\",\"age\":1}", "/name", "too_long", "长度应为 1 至 3 个字符"},
    {"{\"name\":\"a\",\"age\":1,\"tags\":[]}", "/tags", "too_few_items", "应有 1 至 2 项"},
    {"{\"name\":\"a\",\"age\":1,\"tags\":[1,2,3]}", "/tags", "too_many_items", "应有 1 至 2 项"},
    {"[1]", "", "not_an_object", "应为对象"},
};

static void test_codes(void)
{
    for (size_t i = 0; i < TEST_COUNT(code_vectors); i++) {
        const struct code_vector *v = &code_vectors[i];
        struct problem p = PROBLEM_INIT;
        json_t *obj = json_loads(v->json, 0, NULL);

        CHECKF(obj != NULL && !json_fields_check(obj, fields, TEST_COUNT(fields), "", &p),
               "row %zu: accepted", i);
        CHECKF(p.n_errors == 1, "row %zu: %zu errors", i, p.n_errors);
        CHECKF(strcmp(p.errors[0].pointer, v->pointer) == 0, "row %zu: pointer %s", i,
               p.errors[0].pointer);
        CHECKF(strcmp(p.errors[0].code, v->code) == 0, "row %zu: code %s, want %s", i,
               p.errors[0].code, v->code);
        CHECKF(strcmp(p.errors[0].detail[PROBLEM_LANG_ZH], v->zh) == 0, "row %zu: \"%s\"", i,
               p.errors[0].detail[PROBLEM_LANG_ZH]);
        CHECKF(strcmp(problem_code(&p), v->code) == 0, "row %zu: problem code %s", i,
               problem_code(&p));
        json_decref(obj);
        problem_clear(&p);
    }
}

static void test_unknown_only(void)
{
    /* json_fields_unknown reports the unknown members and nothing else. */
    struct problem p = PROBLEM_INIT;
    json_t *obj = json_loads("{\"name\":5,\"x\":1}", 0, NULL);

    CHECK(obj != NULL);
    CHECK(!json_fields_unknown(obj, fields, TEST_COUNT(fields), "/a", &p));
    CHECK_EQ_INT(p.err, APP_ERR_UNKNOWN_FIELD);
    CHECK_EQ_INT(p.n_errors, 1);
    CHECK_EQ_STR(p.errors[0].pointer, "/a/x");
    problem_clear(&p);
    json_decref(obj);
    obj = json_loads("{\"name\":5}", 0, NULL);
    p = (struct problem)PROBLEM_INIT;
    CHECK(json_fields_unknown(obj, fields, TEST_COUNT(fields), "", &p));
    CHECK_EQ_INT(p.n_errors, 0);
    json_decref(obj);
}

static void test_pointer_escaping(void)
{
    /* RFC 6901: '~' is written "~0" and '/' is written "~1" in a pointer
     * token, or "/a/b" would point at member "b" of member "a". */
    struct problem p = PROBLEM_INIT;
    json_t *obj = json_loads("{\"name\":\"a\",\"age\":1,\"a/b\":1,\"~c\":2}", 0, NULL);

    CHECK(obj != NULL);
    CHECK(!json_fields_check(obj, fields, TEST_COUNT(fields), "", &p));
    CHECK_EQ_INT(p.n_errors, 2);
    CHECK_EQ_STR(p.errors[0].pointer, "/a~1b");
    CHECK_EQ_STR(p.errors[1].pointer, "/~0c");
    json_decref(obj);
}

static void test_long_unknown_member_renders(void)
{
    /* An unknown member name is client text and is cut for the pointer; the
     * cut must not split a UTF-8 character, or problem_to_json cannot render
     * the 400 and returns NULL. 63 ASCII letters then "中" puts byte 64 inside
     * the character. */
    struct problem p = PROBLEM_INIT;
    char name[64 + 3 + 1];
    json_t *obj = json_object();
    json_t *body;

    memset(name, 'a', 63);
    strcpy(name + 63, "中");
    json_object_set_new(obj, name, json_true());
    CHECK(!json_fields_check(obj, fields, TEST_COUNT(fields), "", &p));
    CHECK_EQ_INT(p.err, APP_ERR_UNKNOWN_FIELD);
    body = problem_to_json(&p, PROBLEM_LANG_ZH, NULL, NULL);
    /* The pointer itself is not printed: it is the invalid UTF-8. */
    CHECKF(body != NULL, "a %zu-byte pointer made problem_to_json return NULL",
           strlen(p.errors[0].pointer));
    json_decref(body);
    json_decref(obj);
}

/* Integers: a row's range (max_len > 0), else the range of int; never a
 * value that would wrap when narrowed (issue 11: 4294967299 read as 3). */
static void test_integer_ranges(void)
{
    static const struct json_field rows[] = {
        {"days", JF_INT, false, 1, 60},
        {"any", JF_INT | JF_NULL, false, 0, 0},
        {"big", JF_INT, false, 1, 9007199254740991ULL},
    };
    static const struct {
        const char *json;
        const char *pointer; /* NULL: accepted */
        const char *code;
    } vectors[] = {
        {"{\"days\":1,\"any\":-2147483648,\"big\":9007199254740991}", NULL, NULL},
        {"{\"days\":60,\"any\":2147483647}", NULL, NULL},
        {"{\"any\":null}", NULL, NULL},
        {"{\"days\":0}", "/days", "out_of_range"},
        {"{\"days\":61}", "/days", "out_of_range"},
        {"{\"days\":4294967299}", "/days", "out_of_range"},
        {"{\"days\":-4294967293}", "/days", "out_of_range"},
        {"{\"days\":3.5}", "/days", "wrong_type"},
        {"{\"days\":1e300}", "/days", "wrong_type"},
        {"{\"any\":4294967299}", "/any", "out_of_range"},
        {"{\"any\":-2147483649}", "/any", "out_of_range"},
        {"{\"big\":9007199254740992}", "/big", "out_of_range"},
        {"{\"big\":0}", "/big", "out_of_range"},
    };

    for (size_t i = 0; i < TEST_COUNT(vectors); i++) {
        struct problem p = PROBLEM_INIT;
        json_t *obj = json_loads(vectors[i].json, JSON_DECODE_ANY, NULL);
        bool ok = obj != NULL && json_fields_check(obj, rows, TEST_COUNT(rows), "", &p);

        if (vectors[i].pointer == NULL) {
            CHECKF(ok, "row %zu %s: refused", i, vectors[i].json);
        } else {
            CHECKF(!ok && p.n_errors == 1, "row %zu %s: accepted", i, vectors[i].json);
            CHECKF(p.n_errors == 0 || strcmp(p.errors[0].pointer, vectors[i].pointer) == 0,
                   "row %zu: pointer %s", i, p.errors[0].pointer);
            CHECKF(p.n_errors == 0 || strcmp(p.errors[0].code, vectors[i].code) == 0,
                   "row %zu: code %s, want %s", i, p.errors[0].code, vectors[i].code);
        }
        json_decref(obj);
        problem_clear(&p);
    }
    {
        struct problem p = PROBLEM_INIT;
        json_t *obj = json_loads("{\"days\":0}", 0, NULL);

        CHECK(!json_fields_check(obj, rows, TEST_COUNT(rows), "", &p));
        CHECK_EQ_STR(p.errors[0].detail[PROBLEM_LANG_EN], "must be an integer from 1 to 60");
        CHECK_EQ_STR(p.errors[0].detail[PROBLEM_LANG_ZH], "须为 1 至 60 之间的整数");
        json_decref(obj);
        problem_clear(&p);
    }
}

/* The narrowing readers: a value outside the range is never read. */
static void test_integer_readers(void)
{
    json_t *obj = json_loads("{\"a\":4294967299,\"b\":7,\"c\":-1,\"d\":2.0,\"e\":\"7\"}", 0, NULL);
    json_int_t big = -5;
    int n = -5;

    CHECK(obj != NULL);
    CHECK(!json_int_value(json_object_get(obj, "a"), 1, 60, &n));
    CHECK_EQ_INT(n, -5); /* untouched: no 3 */
    CHECK(!json_int_value(json_object_get(obj, "a"), -2147483647 - 1, 2147483647, &n));
    CHECK(json_int_range(json_object_get(obj, "a"), 0, 4294967299LL, &big));
    CHECK(big == 4294967299LL);
    CHECK(json_int_value(json_object_get(obj, "b"), 1, 60, &n));
    CHECK_EQ_INT(n, 7);
    CHECK(!json_int_value(json_object_get(obj, "c"), 0, 60, &n));
    CHECK(!json_int_value(json_object_get(obj, "d"), 0, 60, &n));
    CHECK(!json_int_value(json_object_get(obj, "e"), 0, 60, &n));
    CHECK(!json_int_value(NULL, 0, 60, &n));
    CHECK_EQ_INT(json_int_or(obj, "a", 1, 60, -1), -1);
    CHECK_EQ_INT(json_int_or(obj, "b", 1, 60, -1), 7);
    CHECK_EQ_INT(json_int_or(obj, "missing", 1, 60, -1), -1);
    json_decref(obj);
}

struct utf8_vector {
    const char *s;
    size_t want;
};

static const struct utf8_vector utf8_vectors[] = {
    {"", 0},
    {"a", 1},
    {"hello", 5},
    {"张", 1},
    {"张三丰", 3},
    {"😀", 1},
    {"a😀b中", 4},
    {"é", 1},             /* U+00E9, 2 bytes */
    {"e\xcc\x81", 2},     /* e + combining acute: two code points */
    {"\xef\xbb\xbfx", 2}, /* BOM counts */
    {"𠀀𠀁", 2},          /* CJK Extension B, 4 bytes each */
};

static void test_utf8_length(void)
{
    for (size_t i = 0; i < TEST_COUNT(utf8_vectors); i++) {
        size_t got = json_utf8_length(utf8_vectors[i].s);

        CHECKF(got == utf8_vectors[i].want, "\"%s\" (%zu bytes): %zu, want %zu", utf8_vectors[i].s,
               strlen(utf8_vectors[i].s), got, utf8_vectors[i].want);
    }
}

int main(void)
{
    static const struct test_case cases[] = {
        {"body vectors", test_body_vectors},
        {"integer ranges", test_integer_ranges},
        {"integer readers", test_integer_readers},
        {"error details", test_error_details},
        {"unbounded string", test_unbounded_string},
        {"many unknown members", test_many_unknown_members},
        {"nested object with a prefix, rendered", test_nested_then_rendered},
        {"codes and Chinese details", test_codes},
        {"unknown members only", test_unknown_only},
        {"pointer escaping (RFC 6901)", test_pointer_escaping},
        {"long unknown member name still renders", test_long_unknown_member_renders},
        {"json_utf8_length", test_utf8_length},
    };

    return test_run(cases, TEST_COUNT(cases));
}
