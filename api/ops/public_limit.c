/* SPDX-License-Identifier: MIT */
/*
 * The public routes' rate limits (ops/public_limit.h). An address holds no
 * blank, so "scope address" names one bucket unambiguously; the keyed
 * hash keeps the address out of the database and apart per deployment.
 */
#include "public_limit.h"

#include <stdio.h>
#include <string.h>

#include "client_ip.h"
#include "crypto.h"
#include "store/public_limit_store.h"

enum app_err public_limit_take(const struct op_ctx *ctx,
                               const char *scope,
                               const char *address,
                               int capacity,
                               int window_seconds,
                               struct problem *p)
{
    char value[PUBLIC_LIMIT_SCOPE_MAX + 1 + CLIENT_IP_TEXT_MAX + 1];
    char key[CRYPTO_KEYED_HEX];
    bool taken = false;
    int wait = 0;
    enum app_err err;

    if (scope == NULL || address == NULL || strlen(scope) > PUBLIC_LIMIT_SCOPE_MAX ||
        strchr(address, ' ') != NULL || capacity < 1 || window_seconds < 1 ||
        window_seconds > 86400 || ctx->pii_key == NULL) {
        return ops_internal(p);
    }
    snprintf(value, sizeof(value), "%s %s", scope, address);
    crypto_keyed_hash(ctx->pii_key, "jiangxin public limit", value, key);
    err = public_limit_store_take(ctx->db, key, capacity, window_seconds, &taken, &wait);
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (taken) {
        return APP_OK;
    }
    problem_fail(p, APP_ERR_RATE_LIMITED, "rate_limited",
                 "来自此网络地址的请求过于频繁，请 %d 秒后再试",
                 "too many requests from this network address; try again in %d s", wait);
    p->retry_after = (unsigned)wait;
    return p->err;
}
