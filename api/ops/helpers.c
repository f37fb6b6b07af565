/* SPDX-License-Identifier: MIT */
/*
 * The shared helpers of ops/helpers.h. The stale-ETag refusal is written
 * here once; handlers/common.c's api_check_version calls it.
 */
#include "helpers.h"

#include <string.h>

#include "log.h"

json_t *ops_parse(const char *text, struct problem *p)
{
    json_error_t jerr;
    json_t *obj = json_loads(text, 0, &jerr);

    if (obj == NULL) {
        log_error("store returned invalid JSON: %s", jerr.text);
        problem_kind(p, APP_ERR_INTERNAL);
    }
    return obj;
}

enum app_err ops_check_version(const json_t *obj, int version, struct problem *p)
{
    json_int_t cur = json_integer_value(json_object_get(obj, "version"));

    if (cur != version) {
        return problem_fail(p, APP_ERR_PRECONDITION_FAILED, "stale_etag",
                            "资源已被修改（当前 ETag 为 \"%lld\"），请重新获取后再提交",
                            "the resource changed (ETag \"%lld\"); GET it again", (long long)cur);
    }
    return APP_OK;
}

bool ops_has_error(const struct problem *p, const char *pointer)
{
    for (size_t i = 0; i < p->n_errors; i++) {
        if (strcmp(p->errors[i].pointer, pointer) == 0) {
            return true;
        }
    }
    return false;
}
