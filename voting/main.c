/* SPDX-License-Identifier: MIT */
/*
 * jiangxin-vote: wiring only. Reads the configuration table, configures
 * Redis, serves until SIGINT or SIGTERM.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "build_config.h"
#include "config.h"
#include "crypto.h"
#include "log.h"
#include "openapi_voting.h"
#include "store/redis_store.h"

static const struct config_var vote_vars[] = {
    {"JIANGXIN_REDIS_URL", CONFIG_URL, true, NULL, 0, 0, offsetof(struct vote_config, redis_url),
     "redis://host:port[/db]", "redis://"},
    {"JIANGXIN_JWT_SECRET", CONFIG_SECRET, true, NULL, 32, 1024,
     offsetof(struct vote_config, jwt_secret), "HS256 secret shared with the API, >= 32 bytes",
     NULL},
    {"JIANGXIN_LISTEN", CONFIG_LISTEN, false, "127.0.0.1:8081", 0, 0,
     offsetof(struct vote_config, listen), "IPv4:port to listen on", NULL},
    {"JIANGXIN_LOG_LEVEL", CONFIG_STRING, false, "info", 4, 5,
     offsetof(struct vote_config, log_level), "debug, info, warn or error", NULL},
    {"JIANGXIN_THREADS", CONFIG_INT, false, "2", 1, 64, offsetof(struct vote_config, threads),
     "HTTP worker threads (epoll pool)", NULL},
    {"JIANGXIN_MAX_CONNECTIONS", CONFIG_INT, false, "4096", 16, 100000,
     offsetof(struct vote_config, max_connections), "concurrent connections", NULL},
    {"JIANGXIN_MAX_BODY", CONFIG_INT, false, "4096", 256, 1048576,
     offsetof(struct vote_config, max_body), "request body limit in bytes", NULL},
    {"JIANGXIN_CORS_ORIGIN", CONFIG_STRING, false, "*", 1, 512,
     offsetof(struct vote_config, cors_origin), "Access-Control-Allow-Origin value", NULL},
};

int main(int argc, char **argv)
{
    struct vote_config cfg = {0};
    struct vote_ctx ctx = {
        .cfg = &cfg, .openapi_json = openapi_voting_json, .openapi_len = openapi_voting_json_len};
    struct http_server *server = NULL;
    char errors[4096];
    sigset_t set;
    int problems, sig = 0;

    if (argc > 1 && strcmp(argv[1], "version") == 0) {
        printf("jiangxin-vote %s\n", JIANGXIN_VERSION);
        return 0;
    }
    problems = config_load(vote_vars, sizeof(vote_vars) / sizeof(vote_vars[0]), &cfg, errors,
                           sizeof(errors));
    if (problems == 0 && !redis_store_configure(cfg.redis_url)) {
        snprintf(errors, sizeof(errors), "JIANGXIN_REDIS_URL: must be redis://host:port[/db]\n");
        problems = 1;
    }
    if (problems == 0 && log_level_from_name(cfg.log_level) < 0) {
        snprintf(errors, sizeof(errors),
                 "JIANGXIN_LOG_LEVEL: must be debug, info, warn or error\n");
        problems = 1;
    }
    if (problems > 0) {
        fprintf(stderr, "jiangxin-vote: %d configuration problem%s:\n%s", problems,
                problems == 1 ? "" : "s", errors);
        return 2;
    }
    if (!crypto_init()) {
        return 1;
    }
    log_init("vote", (enum log_level)log_level_from_name(cfg.log_level));
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct http_server_conf conf = {
        .service = "vote",
        .listen = cfg.listen,
        .threads = (unsigned)cfg.threads,
        .max_connections = (unsigned)cfg.max_connections,
        .max_body = (size_t)cfg.max_body,
        .cors_origin = cfg.cors_origin,
        .routes = vote_routes,
        .n_routes = vote_routes_count,
        .app = &ctx,
    };
    if (http_server_start(&conf, &server) != APP_OK) {
        return 1;
    }
    sigwait(&set, &sig);
    log_info("stopping on signal %d", sig);
    http_server_stop(server);
    redis_store_thread_close();
    return 0;
}
