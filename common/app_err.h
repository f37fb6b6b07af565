/* SPDX-License-Identifier: MIT */
/*
 * The one error currency between modules. Every function that can fail
 * returns an enum app_err; common/problem.c maps each value to an HTTP
 * status, a stable problem `type` URI and a fixed title (zh and en).
 * Zero is success, as in Redis's C_OK.
 */
#ifndef JIANGXIN_APP_ERR_H
#define JIANGXIN_APP_ERR_H

enum app_err {
    APP_OK = 0,
    APP_ERR_MALFORMED,              /* 400: body is not valid JSON / UTF-8 / an object */
    APP_ERR_UNKNOWN_FIELD,          /* 400: body has a member the schema does not know */
    APP_ERR_BAD_PARAMETER,          /* 400: bad path or query parameter */
    APP_ERR_UNAUTHORIZED,           /* 401: missing, bad or expired token */
    APP_ERR_FORBIDDEN,              /* 403: authenticated, role not allowed */
    APP_ERR_NOT_FOUND,              /* 404 */
    APP_ERR_METHOD_NOT_ALLOWED,     /* 405 */
    APP_ERR_CONFLICT,               /* 409: duplicate or state conflict */
    APP_ERR_NOT_OPEN,               /* 409: outside the period a thing is open (a vote, a window) */
    APP_ERR_PRECONDITION_FAILED,    /* 412: stale If-Match */
    APP_ERR_TOO_LARGE,              /* 413: body over the limit */
    APP_ERR_UNSUPPORTED_MEDIA_TYPE, /* 415: not application/json */
    APP_ERR_VALIDATION,             /* 422: wrong type or value */
    APP_ERR_IDEMPOTENCY_REUSED,     /* 422: Idempotency-Key reused with another body */
    APP_ERR_CALENDAR_MISSING,       /* 422: a date falls in a year with no calendar data */
    APP_ERR_POLICY_EXPIRED,         /* 409: the policy version has expired: no new round */
    APP_ERR_PRECONDITION_REQUIRED,  /* 428: If-Match missing */
    APP_ERR_RATE_LIMITED,           /* 429 */
    APP_ERR_INTERNAL,               /* 500 */
    APP_ERR_UNAVAILABLE,            /* 503: database or Redis unreachable */
    APP_ERR__MAX
};

#endif
