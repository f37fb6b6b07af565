/* SPDX-License-Identifier: MIT */
/*
 * http_client_send over ulfius_send_http_request. ulfius copies the
 * request and response into its own structures; both are cleaned here, and
 * the body is parsed only when the answer says it is JSON.
 */
#include "http_client.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <ulfius.h>

#include "log.h"

static bool is_json(const char *content_type)
{
    return content_type != NULL && (strncmp(content_type, "application/json", 16) == 0 ||
                                    strncmp(content_type, "application/problem+json", 24) == 0);
}

enum app_err http_client_send(const char *method,
                              const char *url,
                              const char *token,
                              const json_t *body,
                              const char *extra_header,
                              const char *extra_value,
                              struct http_client_reply *ret)
{
    struct _u_request req;
    struct _u_response res;
    enum app_err err = APP_ERR_UNAVAILABLE;
    char *authz = NULL;

    ret->status = 0;
    ret->body = NULL;
    if (ulfius_init_request(&req) != U_OK) {
        return APP_ERR_INTERNAL;
    }
    if (ulfius_init_response(&res) != U_OK) {
        ulfius_clean_request(&req);
        return APP_ERR_INTERNAL;
    }
    if (ulfius_set_request_properties(&req, U_OPT_HTTP_VERB, method, U_OPT_HTTP_URL, url,
                                      U_OPT_TIMEOUT, (unsigned long)HTTP_CLIENT_TIMEOUT_S,
                                      U_OPT_HEADER_PARAMETER, "Accept", "application/json",
                                      U_OPT_NONE) != U_OK) {
        err = APP_ERR_INTERNAL;
        goto cleanup;
    }
    if (token != NULL) {
        authz = msprintf("Bearer %s", token);
        if (authz == NULL || u_map_put(req.map_header, "Authorization", authz) != U_OK) {
            err = APP_ERR_INTERNAL;
            goto cleanup;
        }
    }
    if (extra_header != NULL && extra_value != NULL &&
        u_map_put(req.map_header, extra_header, extra_value) != U_OK) {
        err = APP_ERR_INTERNAL;
        goto cleanup;
    }
    if (body != NULL && ulfius_set_json_body_request(&req, (json_t *)body) != U_OK) {
        err = APP_ERR_INTERNAL;
        goto cleanup;
    }
    if (ulfius_send_http_request(&req, &res) != U_OK || res.status <= 0) {
        log_warn("http client: no answer from %s %s", method, url);
        goto cleanup;
    }
    ret->status = res.status;
    if (res.binary_body_length > 0 && is_json(u_map_get_case(res.map_header, "Content-Type"))) {
        ret->body = json_loadb(res.binary_body, res.binary_body_length, 0, NULL);
    }
    err = APP_OK;
cleanup:
    o_free(authz);
    ulfius_clean_request(&req);
    ulfius_clean_response(&res);
    return err;
}

enum app_err http_client_get_raw(
    const char *url, const char *token, long timeout_s, size_t max, struct http_client_raw *ret)
{
    struct _u_request req;
    struct _u_response res;
    enum app_err err = APP_ERR_UNAVAILABLE;
    char *authz = NULL;

    memset(ret, 0, sizeof(*ret));
    if (ulfius_init_request(&req) != U_OK) {
        return APP_ERR_INTERNAL;
    }
    if (ulfius_init_response(&res) != U_OK) {
        ulfius_clean_request(&req);
        return APP_ERR_INTERNAL;
    }
    if (ulfius_set_request_properties(&req, U_OPT_HTTP_VERB, "GET", U_OPT_HTTP_URL, url,
                                      U_OPT_TIMEOUT, (unsigned long)timeout_s,
                                      U_OPT_NONE) != U_OK) {
        err = APP_ERR_INTERNAL;
        goto cleanup;
    }
    if (token != NULL) {
        authz = msprintf("Bearer %s", token);
        if (authz == NULL || u_map_put(req.map_header, "Authorization", authz) != U_OK) {
            err = APP_ERR_INTERNAL;
            goto cleanup;
        }
    }
    if (ulfius_send_http_request(&req, &res) != U_OK || res.status <= 0) {
        log_warn("http client: no answer from GET %s", url);
        goto cleanup;
    }
    ret->status = res.status;
    if (res.binary_body_length > max) {
        err = APP_ERR_TOO_LARGE;
        goto cleanup;
    }
    ret->body = malloc(res.binary_body_length + 1);
    if (ret->body == NULL) {
        err = APP_ERR_INTERNAL;
        goto cleanup;
    }
    if (res.binary_body_length > 0) {
        memcpy(ret->body, res.binary_body, res.binary_body_length);
    }
    ret->body[res.binary_body_length] = '\0';
    ret->len = res.binary_body_length;
    err = APP_OK;
cleanup:
    o_free(authz);
    ulfius_clean_request(&req);
    ulfius_clean_response(&res);
    return err;
}

void http_client_raw_clear(struct http_client_raw *raw)
{
    if (raw != NULL) {
        free(raw->body);
        raw->body = NULL;
        raw->len = 0;
    }
}

enum app_err http_client_global_init(void)
{
    if (ulfius_global_init() != U_OK) {
        log_error("cannot initialise the HTTP client (libcurl)");
        return APP_ERR_INTERNAL;
    }
    return APP_OK;
}

void http_client_global_close(void)
{
    ulfius_global_close();
}

void http_client_reply_clear(struct http_client_reply *reply)
{
    if (reply != NULL) {
        json_decref(reply->body);
        reply->body = NULL;
    }
}
