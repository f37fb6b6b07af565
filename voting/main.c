/* SPDX-License-Identifier: MIT */
/*
 * jiangxin-vote: wiring only. Reads the configuration table, configures
 * Redis, serves until SIGINT or SIGTERM.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "build_config.h"
#include "cli.h"
#include "clock.h"
#include "config.h"
#include "crypto.h"
#include "http_client.h"
#include "log.h"
#include "openapi_voting.h"
#include "openapi_voting_docs.h"
#include "poster.h"
#include "store/redis_store.h"
#include "store/vote_store.h"

static const struct config_var vote_vars[] = {
    {"JIANGXIN_REDIS_URL", CONFIG_URL, true, NULL, 0, 0, offsetof(struct vote_config, redis_url),
     "redis://host:port[/db]", "redis://"},
    {"JIANGXIN_API_PUBLIC_KEY", CONFIG_STRING, true, NULL, 1, 4096,
     offsetof(struct vote_config, api_public_key),
     "paths (comma-separated) of the API's PEM EC P-256 public keys: verify its pushes", NULL},
    {"JIANGXIN_LISTEN", CONFIG_LISTEN, false, "127.0.0.1:8081", 0, 0,
     offsetof(struct vote_config, listen), "IPv4:port to listen on", NULL},
    {"JIANGXIN_LOG_LEVEL", CONFIG_STRING, false, "info", 4, 5,
     offsetof(struct vote_config, log_level), "debug, info, warn or error", NULL},
    /* Each vote waits for one Redis round trip on its pool thread, so more
     * threads than cores keep Redis fed (tests/bench/vote.sh: 2 → 8
     * threads, +50 % votes/s on 2 cores). */
    {"JIANGXIN_THREADS", CONFIG_INT, false, "4", 1, 64, offsetof(struct vote_config, threads),
     "HTTP worker threads (epoll pool)", NULL},
    {"JIANGXIN_MAX_CONNECTIONS", CONFIG_INT, false, "4096", 16, 100000,
     offsetof(struct vote_config, max_connections), "concurrent connections", NULL},
    {"JIANGXIN_MAX_CONNECTIONS_PER_IP", CONFIG_INT, false, "256", 0, 100000,
     offsetof(struct vote_config, max_connections_per_ip),
     "concurrent connections per client address (0 = no limit; behind a proxy, its address)", NULL},
    {"JIANGXIN_IDLE_TIMEOUT", CONFIG_INT, false, "15", 1, 3600,
     offsetof(struct vote_config, idle_timeout), "seconds a silent connection stays open", NULL},
    {"JIANGXIN_MAX_BODY", CONFIG_INT, false, "4096", 256, 1048576,
     offsetof(struct vote_config, max_body), "request body limit in bytes", NULL},
    {"JIANGXIN_CONNECTION_MEMORY", CONFIG_INT, false, "8192", 4096, 1048576,
     offsetof(struct vote_config, conn_memory),
     "per-connection header buffer in bytes (the memory of 2,000 idle voters)", NULL},
    {"JIANGXIN_CORS_ORIGIN", CONFIG_STRING, false, "*", 1, 512,
     offsetof(struct vote_config, cors_origin), "Access-Control-Allow-Origin value", NULL},
    {"JIANGXIN_API_URL", CONFIG_URL, false, NULL, 0, 0, offsetof(struct vote_config, api_url),
     "jiangxin-api base URL for tally posting; unset: no posting", "http:// https://"},
    {"JIANGXIN_POSTER_KEY", CONFIG_STRING, false, NULL, 1, 4096,
     offsetof(struct vote_config, poster_key),
     "path of the tally poster's PEM EC P-256 private key (ES256)", NULL},
    {"JIANGXIN_TALLY_INTERVAL_MS", CONFIG_INT, false, "2000", 100, 60000,
     offsetof(struct vote_config, tally_interval_ms), "tally posting interval", NULL},
    {"JIANGXIN_MAX_SESSION_BODY", CONFIG_INT, false, "1048576", 4096, 16777216,
     offsetof(struct vote_config, max_session_body),
     "body limit of PUT /internal/v1/sessions/{id} in bytes", NULL},
    {"JIANGXIN_VOTE_HASH_KEY", CONFIG_KEY, true, NULL, 0, 0,
     offsetof(struct vote_config, vote_hash_key),
     "64 hex characters: key of the voter and IP hashes", NULL},
    {"JIANGXIN_VOTER_JWT_SECRET", CONFIG_SECRET, false, NULL, 32, 1024,
     offsetof(struct vote_config, voter_jwt_secret),
     "HS256 secret of voter tokens, >= 32 bytes (or JIANGXIN_VOTER_JWT_PUBLIC_KEY)", NULL},
    {"JIANGXIN_VOTER_JWT_PUBLIC_KEY", CONFIG_STRING, false, NULL, 1, 4096,
     offsetof(struct vote_config, voter_jwt_public_key),
     "path of the PEM EC P-256 public key of voter tokens (ES256)", NULL},
    {"JIANGXIN_VOTER_JWT_ISSUER", CONFIG_STRING, false, "jiangxin-identity", 1, 256,
     offsetof(struct vote_config, voter_jwt_issuer), "iss of voter tokens", NULL},
    {"JIANGXIN_VOTER_TOKEN_MAX_TTL", CONFIG_INT, false, "86400", 60, 2592000,
     offsetof(struct vote_config, voter_token_max_ttl),
     "longest voter token lifetime in seconds (exp - iat, or exp - now without iat)", NULL},
    {"JIANGXIN_TRUSTED_PROXIES", CONFIG_STRING, false, NULL, 0, 4096,
     offsetof(struct vote_config, trusted_proxies),
     "comma-separated addresses or CIDRs whose X-Forwarded-For is believed", NULL},
    {"JIANGXIN_TEST_CLOCK", CONFIG_STRING, false, NULL, 0, 64,
     offsetof(struct vote_config, test_clock), CLOCK_SETTING_HELP, NULL},
};

/* The subcommands that need no configuration; false when argv names none. */
static bool offline_command(int argc, char **argv, int *ret_rc)
{
    if (argc > 1 && strcmp(argv[1], "version") == 0) {
        printf("jiangxin-vote %s\n", JIANGXIN_VERSION);
        *ret_rc = 0;
        return true;
    }
    if (argc > 1 && strcmp(argv[1], "script") == 0) {
        /* The Lua the store runs, e.g. for redis-benchmark. */
        const char *lua = vote_store_script_lua(argc > 2 ? argv[2] : NULL);
        if (lua != NULL) {
            fputs(lua, stdout);
        }
        *ret_rc = lua != NULL || argc <= 2 ? 0 : 1;
        return true;
    }
    if (argc > 1 && strcmp(argv[1], "verify-log") == 0) {
        /* Offline: no configuration, no Redis. */
        *ret_rc = cli_verify_log(argc - 1, argv + 1);
        return true;
    }
    return false;
}

/* Reads and checks every setting; the number of problems, described in
 * errors. */
static int configure(struct vote_config *cfg, struct vote_ctx *ctx, char *errors, size_t len)
{
    int problems =
        config_load(vote_vars, sizeof(vote_vars) / sizeof(vote_vars[0]), cfg, errors, len);
    static const char *const retired[] = {"JIANGXIN_JWT_SECRET", "JIANGXIN_API_USERNAME",
                                          "JIANGXIN_API_PASSWORD"};

    /* The staff-token secret must not live on the voting host: refuse to
     * start while it is still configured here. */
    for (size_t i = 0; i < sizeof(retired) / sizeof(retired[0]); i++) {
        if (getenv(retired[i]) != NULL) {
            size_t used = strlen(errors);
            snprintf(errors + used, len - used,
                     "%s: no longer read by jiangxin-vote; remove it from this host (the API's "
                     "pushes are verified with JIANGXIN_API_PUBLIC_KEY, the poster signs with "
                     "JIANGXIN_POSTER_KEY)\n",
                     retired[i]);
            problems++;
        }
    }
    if (problems == 0 && !redis_store_configure(cfg->redis_url)) {
        snprintf(errors, len, "JIANGXIN_REDIS_URL: must be redis://host:port[/db]\n");
        problems = 1;
    }
    if (problems == 0 && !clock_configure(cfg->test_clock)) {
        snprintf(errors, len, CLOCK_SETTING_ERROR);
        problems = 1;
    }
    if (problems == 0 && log_level_from_name(cfg->log_level) < 0) {
        snprintf(errors, len, "JIANGXIN_LOG_LEVEL: must be debug, info, warn or error\n");
        problems = 1;
    }
    if (problems == 0 && cfg->api_url != NULL && cfg->poster_key == NULL) {
        snprintf(errors, len, "JIANGXIN_POSTER_KEY: required with JIANGXIN_API_URL\n");
        problems = 1;
    }
    if (problems == 0 && !vote_auth_configure(ctx, errors, len)) {
        problems = 1;
    }
    return problems;
}

/* The tally poster, when JIANGXIN_API_URL is set (*ret stays NULL otherwise). */
static enum app_err
start_poster(const struct vote_config *cfg, const struct vote_ctx *ctx, struct poster **ret)
{
    struct poster_conf pc = {
        .api_url = cfg->api_url, .key = &ctx->poster_key, .interval_ms = cfg->tally_interval_ms};

    *ret = NULL;
    if (cfg->api_url == NULL) {
        log_info("JIANGXIN_API_URL is not set: tallies are not posted to the API");
        return APP_OK;
    }
    return poster_start(&pc, ret);
}

/* The closes index of the session list, backfilled from every session
 * (idempotent). Redis being down is no reason not to start: the first
 * list request then runs it (vote_store_list). */
static void index_sessions(void)
{
    long long n = 0;

    if (vote_store_index(&n) == APP_OK) {
        log_info("session list index: %lld sessions", n);
    } else {
        log_warn("session list index: not built now; the first list request builds it");
    }
}

/* Serves until SIGINT or SIGTERM; the exit status. */
static int serve(const struct vote_config *cfg, struct vote_ctx *ctx)
{
    struct http_server_conf conf = {
        .service = "vote",
        .listen = cfg->listen,
        .threads = (unsigned)cfg->threads,
        .max_connections = (unsigned)cfg->max_connections,
        .max_connections_per_ip = (unsigned)cfg->max_connections_per_ip,
        .idle_timeout = (unsigned)cfg->idle_timeout,
        .max_body = (size_t)cfg->max_body,
        .conn_memory = (size_t)cfg->conn_memory,
        .max_upload = (size_t)cfg->max_session_body,
        .authenticate = vote_authenticate,
        .cors_origin = cfg->cors_origin,
        .routes = vote_routes,
        .n_routes = vote_routes_count,
        .app = ctx,
    };
    struct http_server *server = NULL;
    struct poster *poster = NULL;
    sigset_t set;
    int sig = 0;

    /* Block the stop signals before any thread starts, then wait for one. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    index_sessions();
    if (http_server_start(&conf, &server) != APP_OK) {
        return 1;
    }
    if (start_poster(cfg, ctx, &poster) != APP_OK) {
        http_server_stop(server);
        return 1;
    }
    sigwait(&set, &sig);
    log_info("stopping on signal %d", sig);
    poster_stop(poster);
    http_server_stop(server);
    redis_store_thread_close();
    return 0;
}

int main(int argc, char **argv)
{
    struct vote_config cfg = {0};
    struct vote_ctx ctx = {.cfg = &cfg,
                           .openapi_json = openapi_voting_json,
                           .openapi_len = openapi_voting_json_len,
                           .docs_html = openapi_voting_docs_html,
                           .docs_len = openapi_voting_docs_html_len};
    char errors[4096];
    int problems, rc = 0;

    if (offline_command(argc, argv, &rc)) {
        return rc;
    }
    /* libsodium first: loading the poster's key signs a probe token. */
    if (!crypto_init()) {
        return 1;
    }
    if ((problems = configure(&cfg, &ctx, errors, sizeof(errors))) > 0) {
        fprintf(stderr, "jiangxin-vote: %d configuration problem%s:\n%s", problems,
                problems == 1 ? "" : "s", errors);
        return 2;
    }
    log_init("vote", (enum log_level)log_level_from_name(cfg.log_level));
    clock_log_start();
    /* The poster's HTTP client: libcurl's set-up before any thread starts. */
    if (cfg.api_url != NULL && http_client_global_init() != APP_OK) {
        vote_auth_release(&ctx);
        return 1;
    }
    rc = serve(&cfg, &ctx);
    vote_auth_release(&ctx);
    if (cfg.api_url != NULL) {
        http_client_global_close();
    }
    return rc;
}
