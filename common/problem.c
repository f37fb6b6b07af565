/* SPDX-License-Identifier: MIT */
/*
 * RFC 9457 rendering: one table maps each enum app_err to its HTTP status,
 * stable type slug and fixed titles. A new error kind is one enum value, one
 * row here and one entry in the openapi specs.
 */
#include "problem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define T(slug) PROBLEM_TYPE_BASE slug

/* clang-format off */
static const struct problem_kind {
    unsigned status;
    const char *type; /* PROBLEM_TYPE_BASE + slug */
    const char *code; /* the kind's own machine code */
    const char *title_zh;
    const char *title_en;
} problem_kinds[APP_ERR__MAX] = {
    [APP_OK]                         = {200, T("ok"),                     "ok",                     "成功",                 "OK"},
    [APP_ERR_MALFORMED]              = {400, T("malformed-request"),      "malformed_request",      "请求格式错误",         "Malformed request"},
    [APP_ERR_UNKNOWN_FIELD]          = {400, T("unknown-field"),          "unknown_field",          "请求包含未知字段",     "Unknown field"},
    [APP_ERR_BAD_PARAMETER]          = {400, T("invalid-parameter"),      "invalid_parameter",      "参数无效",             "Invalid parameter"},
    [APP_ERR_UNAUTHORIZED]           = {401, T("unauthorized"),           "unauthorized",           "未认证或令牌无效",     "Authentication required"},
    [APP_ERR_FORBIDDEN]              = {403, T("forbidden"),              "forbidden",              "无权执行此操作",       "Forbidden"},
    [APP_ERR_NOT_FOUND]              = {404, T("not-found"),              "not_found",              "资源不存在",           "Resource not found"},
    [APP_ERR_METHOD_NOT_ALLOWED]     = {405, T("method-not-allowed"),     "method_not_allowed",     "不支持的请求方法",     "Method not allowed"},
    [APP_ERR_CONFLICT]               = {409, T("conflict"),               "conflict",               "与当前状态冲突",       "Conflict with current state"},
    [APP_ERR_NOT_OPEN]               = {409, T("not-open"),               "not_open",               "不在开放时间内",       "Not open at this time"},
    [APP_ERR_PRECONDITION_FAILED]    = {412, T("precondition-failed"),    "precondition_failed",    "资源已被修改",         "Precondition failed"},
    [APP_ERR_TOO_LARGE]              = {413, T("payload-too-large"),      "payload_too_large",      "请求体过大",           "Payload too large"},
    [APP_ERR_UNSUPPORTED_MEDIA_TYPE] = {415, T("unsupported-media-type"), "unsupported_media_type", "不支持的媒体类型",     "Unsupported media type"},
    [APP_ERR_VALIDATION]             = {422, T("validation-failed"),      "validation_failed",      "数据校验未通过",       "Validation failed"},
    [APP_ERR_IDEMPOTENCY_REUSED]     = {422, T("idempotency-key-reused"), "idempotency_key_reused", "幂等键已用于其他请求", "Idempotency key reused"},
    [APP_ERR_CALENDAR_MISSING]       = {422, T("calendar-unavailable"),   "calendar_unavailable",   "缺少工作日历数据",     "Calendar data unavailable"},
    [APP_ERR_POLICY_EXPIRED]         = {409, T("policy-expired"),         "policy_expired",         "政策文件已过有效期",   "Policy expired"},
    [APP_ERR_PRECONDITION_REQUIRED]  = {428, T("precondition-required"),  "precondition_required",  "缺少 If-Match 条件",   "Precondition required"},
    [APP_ERR_RATE_LIMITED]           = {429, T("rate-limited"),           "rate_limited",           "请求过于频繁",         "Too many requests"},
    [APP_ERR_INTERNAL]               = {500, T("internal-error"),         "internal_error",         "服务器内部错误",       "Internal server error"},
    [APP_ERR_UNAVAILABLE]            = {503, T("service-unavailable"),    "service_unavailable",    "服务暂不可用",         "Service unavailable"},
};
/* clang-format on */

static const struct problem_kind *kind_of(enum app_err err)
{
    if ((unsigned)err >= APP_ERR__MAX || problem_kinds[err].type == NULL) {
        err = APP_ERR_INTERNAL;
    }
    return &problem_kinds[err];
}

void problem_utf8_trim(char *s)
{
    size_t n = strlen(s), start = n;
    size_t need;
    unsigned char lead;

    /* Find the last lead byte and check its sequence is complete. */
    while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80) {
        start--;
    }
    if (start == 0) {
        if (n > 0 && ((unsigned char)s[0] & 0xC0) == 0x80) {
            s[0] = '\0';
        }
        return;
    }
    lead = (unsigned char)s[start - 1];
    need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    if (need == 0 || n - (start - 1) < need) {
        s[start - 1] = '\0';
    }
}

void problem_pointer(char *out, size_t len, const char *prefix, const char *name)
{
    size_t o = (size_t)snprintf(out, len, "%s/", prefix);

    for (const char *c = name; o < len && *c != '\0'; c++) {
        const char *esc = *c == '~' ? "~0" : *c == '/' ? "~1" : NULL;
        if (esc != NULL) {
            if (o + 2 >= len) {
                break;
            }
            out[o++] = esc[0];
            out[o++] = esc[1];
        } else if (o + 1 < len) {
            out[o++] = *c;
        } else {
            break;
        }
    }
    out[o < len ? o : len - 1] = '\0';
    problem_utf8_trim(out);
}

static void set_code(char out[PROBLEM_CODE_MAX], const char *code)
{
    snprintf(out, PROBLEM_CODE_MAX, "%s", code != NULL ? code : "");
}

/* Formats one language's detail; fmt NULL leaves it empty. */
static void put_detail(char *out, const char *fmt, va_list ap)
{
    out[0] = '\0';
    if (fmt != NULL) {
        vsnprintf(out, PROBLEM_DETAIL_MAX, fmt, ap);
        problem_utf8_trim(out);
    }
}

static void put_details(char out[2][PROBLEM_DETAIL_MAX], const char *zh, const char *en, va_list ap)
{
    va_list again;

    va_copy(again, ap);
    put_detail(out[PROBLEM_LANG_ZH], zh, ap);
    put_detail(out[PROBLEM_LANG_EN], en, again);
    va_end(again);
}

enum app_err problem_fail(
    struct problem *p, enum app_err err, const char *code, const char *zh, const char *en, ...)
{
    va_list ap;

    p->err = err;
    set_code(p->code, code);
    va_start(ap, en);
    put_details(p->detail, zh, en, ap);
    va_end(ap);
    return err;
}

enum app_err problem_vfail(struct problem *p,
                           enum app_err err,
                           const char *code,
                           const char *zh,
                           const char *en,
                           va_list ap)
{
    p->err = err;
    set_code(p->code, code);
    put_details(p->detail, zh, en, ap);
    return err;
}

enum app_err problem_kind(struct problem *p, enum app_err err)
{
    p->err = err;
    p->code[0] = '\0';
    p->detail[PROBLEM_LANG_ZH][0] = p->detail[PROBLEM_LANG_EN][0] = '\0';
    return err;
}

/* The first item reported also becomes the problem's code and detail. */
static struct problem_error *add_item(struct problem *p, enum app_err err, const char *pointer)
{
    struct problem_error *e;

    if (p->err == APP_OK || p->err == APP_ERR_INTERNAL) {
        p->err = err;
    }
    if (p->n_errors >= PROBLEM_ERRORS_MAX) {
        p->n_dropped++;
        return NULL;
    }
    e = &p->errors[p->n_errors++];
    snprintf(e->pointer, sizeof(e->pointer), "%s", pointer != NULL ? pointer : "");
    problem_utf8_trim(e->pointer);
    return e;
}

static void item_to_problem(struct problem *p, const struct problem_error *e)
{
    if (p->detail[PROBLEM_LANG_ZH][0] != '\0' || p->detail[PROBLEM_LANG_EN][0] != '\0') {
        return; /* a detail set before is kept */
    }
    set_code(p->code, e->code[0] != '\0' ? e->code : NULL);
    for (int l = PROBLEM_LANG_ZH; l <= PROBLEM_LANG_EN; l++) {
        snprintf(p->detail[l], PROBLEM_DETAIL_MAX, "%s: %s", e->pointer, e->detail[l]);
        problem_utf8_trim(p->detail[l]);
    }
}

enum app_err problem_field(struct problem *p,
                           enum app_err err,
                           const char *pointer,
                           const char *code,
                           const char *zh,
                           const char *en,
                           ...)
{
    struct problem_error *e = add_item(p, err, pointer);
    va_list ap;

    if (e != NULL) {
        set_code(e->code, code);
        va_start(ap, en);
        put_details(e->detail, zh, en, ap);
        va_end(ap);
        item_to_problem(p, e);
    }
    return p->err;
}

bool problem_has_error(const struct problem *p, const char *pointer)
{
    for (size_t i = 0; i < p->n_errors; i++) {
        if (strcmp(p->errors[i].pointer, pointer) == 0) {
            return true;
        }
    }
    return false;
}

enum app_err problem_copy_error(struct problem *p, enum app_err err, const struct problem_error *e)
{
    struct problem_error *to = add_item(p, err, e->pointer);

    if (to != NULL) {
        memcpy(to, e, sizeof(*to));
        item_to_problem(p, to);
    }
    return p->err;
}

void problem_clear(struct problem *p)
{
    if (p == NULL) {
        return;
    }
    json_decref(p->extra);
    memset(p, 0, sizeof(*p));
}

void problem_move(struct problem *dst, struct problem *src)
{
    problem_clear(dst);
    memcpy(dst, src, sizeof(*dst));
    memset(src, 0, sizeof(*src));
}

const char *problem_kind_code(enum app_err err)
{
    return kind_of(err)->code;
}

const char *problem_code(const struct problem *p)
{
    return p->code[0] != '\0' ? p->code : problem_kind_code(p->err);
}

unsigned problem_status(enum app_err err)
{
    return kind_of(err)->status;
}

const char *problem_slug(enum app_err err)
{
    return kind_of(err)->type + sizeof(PROBLEM_TYPE_BASE) - 1;
}

const char *problem_type(enum app_err err)
{
    return kind_of(err)->type;
}

const char *problem_title(enum app_err err, enum problem_lang lang)
{
    const struct problem_kind *k = kind_of(err);

    return lang == PROBLEM_LANG_EN ? k->title_en : k->title_zh;
}

enum problem_lang problem_lang_from_header(const char *accept_language)
{
    const char *s = accept_language;

    if (s == NULL) {
        return PROBLEM_LANG_ZH;
    }
    while (*s == ' ') {
        s++;
    }
    /* The first listed language decides; q-values are not weighed. */
    if (strncasecmp(s, "en", 2) == 0 &&
        (s[2] == '\0' || s[2] == '-' || s[2] == ',' || s[2] == ';' || s[2] == ' ')) {
        return PROBLEM_LANG_EN;
    }
    return PROBLEM_LANG_ZH;
}

json_t *problem_to_json(const struct problem *p,
                        enum problem_lang lang,
                        const char *instance,
                        const char *request_id)
{
    json_t *body = json_object();
    json_t *errors = NULL;
    int rc = 0;

    if (body == NULL) {
        return NULL;
    }
    rc |= json_object_set_new(body, "type", json_string(problem_type(p->err)));
    rc |= json_object_set_new(body, "title", json_string(problem_title(p->err, lang)));
    rc |= json_object_set_new(body, "status", json_integer(problem_status(p->err)));
    rc |= json_object_set_new(body, "code", json_string(problem_code(p)));
    if (p->detail[lang][0] != '\0') {
        rc |= json_object_set_new(body, "detail", json_string(p->detail[lang]));
    }
    if (instance != NULL && instance[0] != '\0') {
        rc |= json_object_set_new(body, "instance", json_string(instance));
    }
    if (request_id != NULL && request_id[0] != '\0') {
        rc |= json_object_set_new(body, "request_id", json_string(request_id));
    }
    if (p->n_errors > 0) {
        errors = json_array();
        for (size_t i = 0; errors != NULL && i < p->n_errors; i++) {
            const struct problem_error *e = &p->errors[i];
            rc |= json_array_append_new(
                errors, json_pack("{s:s, s:s, s:s}", "pointer", e->pointer, "code",
                                  e->code[0] != '\0' ? e->code : problem_kind_code(p->err),
                                  "detail", e->detail[lang]));
        }
        rc |= json_object_set_new(body, "errors", errors);
    }
    if (p->extra != NULL) {
        rc |= json_object_update_missing(body, p->extra);
    }
    if (rc != 0) {
        json_decref(body);
        return NULL;
    }
    return body;
}
