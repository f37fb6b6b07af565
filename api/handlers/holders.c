/* SPDX-License-Identifier: MIT */
/*
 * /v1/recognitions…, /v1/suspensions…, /v1/revocation-cases…: HTTP ↔ the
 * holder operations (api/ops/holders.c), which hold every rule. Here: the
 * query's filters, the page, the transaction and the reply.
 */
#include "ops/holders.h"

#include "app.h"
#include "handlers.h"

enum app_err recognitions_index(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    char *array = NULL, *next = NULL;
    const char *cursor;
    int limit;
    const struct holder_query q = {
        .programme = http_query(call, "programme"),
        .status = http_query(call, "status"),
        .round_id = http_query(call, "round_id"),
        .unit_id = http_query(call, "unit_id"),
    };

    if (api_list_begin(call, &ctx, &limit, &cursor, p) != APP_OK) {
        return p->err;
    }
    if (holder_list(&ctx, &q, cursor, limit, &array, &next, p) != APP_OK) {
        return p->err;
    }
    return api_reply_page(call, APP_OK, &array, &next, p);
}

enum app_err recognitions_show(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, holder_get, p);
}

enum app_err recognition_notes_create(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, holder_note_add, 201, p);
}

enum app_err suspensions_create(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, suspension_create, 201, p);
}

enum app_err suspensions_lift(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, suspension_lift_op, 200, p);
}

enum app_err revocation_cases_create(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, revocation_case_open, 201, p);
}

enum app_err revocation_cases_show(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, revocation_case_get, p);
}

enum app_err revocation_cases_index(struct http_call *call, struct problem *p)
{
    struct db *db = api_db(p);
    struct op_ctx ctx;
    json_t *obj = NULL;

    if (db == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (revocation_case_list(&ctx, http_query(call, "state"), http_query(call, "programme"), &obj,
                             p) == APP_OK) {
        api_reply_resource(call, 200, obj);
    }
    json_decref(obj);
    return p->err;
}

enum app_err revocation_steps_create(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, revocation_step_add, 200, p);
}

enum app_err assessments_create(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, assessment_submit, 201, p);
}

enum app_err assessments_review(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, assessment_review, 200, p);
}

enum app_err assessments_index(struct http_call *call, struct problem *p)
{
    const char *year_text = http_query(call, "year");
    struct db *db = NULL;
    struct op_ctx ctx;
    json_t *obj = NULL;
    long year = 0;

    if (year_text == NULL || !api_parse_long(year_text, 2000, 9999, &year)) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "year_required",
                            "须在查询参数 year 中给出年度（2000–9999）",
                            "give the year (2000-9999) in the query parameter year");
    }
    if ((db = api_db(p)) == NULL) {
        return p->err;
    }
    api_op_ctx(call, db, &ctx);
    if (assessment_list(&ctx, (int)year, http_query(call, "programme"), &obj, p) == APP_OK) {
        api_reply_resource(call, 200, obj);
    }
    json_decref(obj);
    return p->err;
}

enum app_err rechecks_show(struct http_call *call, struct problem *p)
{
    return api_reply_read(call, recheck_get, p);
}

enum app_err rechecks_create(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, recheck_file, 201, p);
}

enum app_err rechecks_decide(struct http_call *call, struct problem *p)
{
    return api_reply_write(call, recheck_decide, 200, p);
}
