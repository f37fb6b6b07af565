/* SPDX-License-Identifier: MIT */
/*
 * The operational handlers both services share: liveness and Prometheus
 * metrics. Readiness and the OpenAPI document are per service.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"

void system_healthz(struct http_call *call)
{
    json_t *body = json_pack("{s:s}", "status", "ok");

    http_reply_json(call, 200, body);
    json_decref(body);
}

void system_metrics(struct http_call *call)
{
    char *text = http_metrics_text(http_call_server(call));

    if (text == NULL) {
        struct problem prob = PROBLEM_INIT;
        http_reply_problem(call, &prob);
        return;
    }
    http_reply_text(call, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
    free(text);
}
