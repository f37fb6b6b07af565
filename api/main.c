/* SPDX-License-Identifier: MIT */
/*
 * jiangxin-api: wiring only. Reads the configuration table, then runs a
 * subcommand: serve (default), migrate, user add, calendar load, status,
 * allowance run, export (verify and public-key need no database).
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "build_config.h"
#include "cli.h"
#include "clock.h"
#include "crypto.h"
#include "export/export.h"
#include "hash_pool.h"
#include "log.h"
#include "openapi_docs.h"
#include "openapi_spec.h"
#include "public_cache.h"
#include "store/db.h"
#include "vote_push.h"

/* Needed by every subcommand. */
static const struct config_var db_vars[] = {
    {"JIANGXIN_DATABASE_URL", CONFIG_STRING, true, NULL, 1, 4096,
     offsetof(struct api_config, database_url), "libpq connection string or postgresql:// URL",
     NULL},
    {"JIANGXIN_MIGRATIONS_DIR", CONFIG_STRING, false, JIANGXIN_DEFAULT_DB_DIR "/migrations", 1,
     4096, offsetof(struct api_config, migrations_dir),
     "directory of NNNN_*.sql files; functions/ beside it holds NN_*.sql", NULL},
    {"JIANGXIN_LOG_LEVEL", CONFIG_STRING, false, "info", 4, 5,
     offsetof(struct api_config, log_level), "debug, info, warn or error", NULL},
    {"JIANGXIN_TEST_CLOCK", CONFIG_STRING, false, NULL, 0, 64,
     offsetof(struct api_config, test_clock), CLOCK_SETTING_HELP, NULL},
};

/* Needed to serve. */
static const struct config_var serve_vars[] = {
    {"JIANGXIN_JWT_SECRET", CONFIG_SECRET, true, NULL, 32, 1024,
     offsetof(struct api_config, jwt_secret), "HS256 secret, at least 32 bytes", NULL},
    {"JIANGXIN_JWT_SECRET_PREVIOUS", CONFIG_SECRET, false, NULL, 32, 1024,
     offsetof(struct api_config, jwt_secret_previous),
     "the secret before a rotation: verifies staff tokens only, never signs", NULL},
    {"JIANGXIN_VOTE_PUSH_KEY", CONFIG_STRING, false, NULL, 1, 4096,
     offsetof(struct api_config, vote_push_key),
     "path of the PEM EC P-256 private key the session pushes are signed with (ES256)", NULL},
    {"JIANGXIN_POSTER_PUBLIC_KEY", CONFIG_STRING, false, NULL, 1, 4096,
     offsetof(struct api_config, poster_public_key),
     "paths (comma-separated) of the tally poster's PEM public keys; unset: no poster", NULL},
    {"JIANGXIN_PII_KEY", CONFIG_KEY, true, NULL, 0, 0, offsetof(struct api_config, pii_key),
     "64 hex characters: key for personal data at rest", NULL},
    {"JIANGXIN_LISTEN", CONFIG_LISTEN, false, "127.0.0.1:8080", 0, 0,
     offsetof(struct api_config, listen), "IPv4:port to listen on", NULL},
    {"JIANGXIN_THREADS", CONFIG_INT, false, "8", 1, 64, offsetof(struct api_config, threads),
     "HTTP worker threads (epoll pool); above JIANGXIN_HASH_CONCURRENCY", NULL},
    {"JIANGXIN_MAX_CONNECTIONS", CONFIG_INT, false, "4096", 16, 100000,
     offsetof(struct api_config, max_connections), "concurrent connections", NULL},
    {"JIANGXIN_MAX_CONNECTIONS_PER_IP", CONFIG_INT, false, "256", 0, 100000,
     offsetof(struct api_config, max_connections_per_ip),
     "concurrent connections per client address (0 = no limit; behind a proxy, its address)", NULL},
    {"JIANGXIN_IDLE_TIMEOUT", CONFIG_INT, false, "15", 1, 3600,
     offsetof(struct api_config, idle_timeout), "seconds a silent connection stays open", NULL},
    {"JIANGXIN_MAX_BODY", CONFIG_INT, false, "1048576", 1024, 67108864,
     offsetof(struct api_config, max_body), "request body limit in bytes", NULL},
    {"JIANGXIN_MAX_UPLOAD", CONFIG_INT, false, "10485760", 1024, 67108864,
     offsetof(struct api_config, max_upload), "evidence file (upload) limit in bytes", NULL},
    {"JIANGXIN_TOKEN_TTL", CONFIG_INT, false, "900", 60, 86400,
     offsetof(struct api_config, token_ttl), "access token lifetime in seconds", NULL},
    {"JIANGXIN_CORS_ORIGIN", CONFIG_STRING, false, "*", 1, 512,
     offsetof(struct api_config, cors_origin), "Access-Control-Allow-Origin value", NULL},
    {"JIANGXIN_VOTE_URL", CONFIG_URL, false, NULL, 0, 0, offsetof(struct api_config, vote_url),
     "jiangxin-vote base URL for session pushes; unset: sessions stay pending", "http:// https://"},
    {"JIANGXIN_PUBLIC_URL", CONFIG_URL, false, NULL, 0, 0, offsetof(struct api_config, public_url),
     "the API's public base URL, printed in certificates' QR codes; unset: http://<listen>",
     "http:// https://"},
    {"JIANGXIN_TRUSTED_PROXIES", CONFIG_STRING, false, NULL, 0, 4096,
     offsetof(struct api_config, trusted_proxies),
     "addresses or CIDRs whose X-Forwarded-For is believed (sign-in throttling)", NULL},
    {"JIANGXIN_HASH_CONCURRENCY", CONFIG_INT, false, "1", 1, 64,
     offsetof(struct api_config, hash_concurrency),
     "password hashes at once; more sign-ins get 503 at once", NULL},
    {"JIANGXIN_SIGNIN_FREE_FAILURES", CONFIG_INT, false, "5", 1, 100,
     offsetof(struct api_config, signin_free_failures),
     "failed sign-ins of a username from one address before delays start", NULL},
    {"JIANGXIN_SIGNIN_DELAY_MAX", CONFIG_INT, false, "900", 1, 86400,
     offsetof(struct api_config, signin_delay_max),
     "seconds: cap of the delay that doubles with each further failure", NULL},
    {"JIANGXIN_SIGNIN_ADDRESS_FAILURES", CONFIG_INT, false, "30", 1, 100000,
     offsetof(struct api_config, signin_address_failures),
     "failed sign-ins one address may make per JIANGXIN_SIGNIN_ADDRESS_WINDOW", NULL},
    {"JIANGXIN_SIGNIN_ADDRESS_WINDOW", CONFIG_INT, false, "600", 1, 86400,
     offsetof(struct api_config, signin_address_window),
     "seconds in which an address's failure budget is regained", NULL},
    {"JIANGXIN_CERTIFICATE_LIMIT", CONFIG_INT, false, "60", 1, 100000,
     offsetof(struct api_config, certificate_limit),
     "certificate checks one client address may make per JIANGXIN_CERTIFICATE_WINDOW", NULL},
    {"JIANGXIN_CERTIFICATE_WINDOW", CONFIG_INT, false, "3600", 1, 86400,
     offsetof(struct api_config, certificate_window),
     "seconds over which the certificate checks' budget is regained", NULL},
    {"JIANGXIN_PUBLIC_CACHE_MB", CONFIG_INT, false, "32", 0, 4096,
     offsetof(struct api_config, public_cache_mb),
     "MiB of public answers kept in memory (api/public_cache.h); 0 turns the cache off", NULL},
    {"JIANGXIN_PUBLIC_CACHE_TTL_MS", CONFIG_INT, false, "1000", 1, 3600000,
     offsetof(struct api_config, public_cache_ttl_ms),
     "milliseconds a kept public answer may be served: what changes with time alone (a vote "
     "closing) shows within it",
     NULL},
    {"JIANGXIN_EXPORT_PUBLIC_KEY", CONFIG_KEY, false, NULL, 0, 0,
     offsetof(struct api_config, export_public_key),
     "the nightly export's Ed25519 public key (64 hex), served at GET /v1/public/export-key", NULL},
    {"JIANGXIN_EXPORT_KEY", CONFIG_KEY, false, NULL, 0, 0, offsetof(struct api_config, export_seed),
     "the export's Ed25519 seed: the API only derives the public key from it, when "
     "JIANGXIN_EXPORT_PUBLIC_KEY is not set (one host for both)",
     NULL},
    {"JIANGXIN_OBJECTION_LIMIT", CONFIG_INT, false, "5", 1, 10000,
     offsetof(struct api_config, objection_limit),
     "objections one client address may file per JIANGXIN_OBJECTION_WINDOW", NULL},
    {"JIANGXIN_OBJECTION_STATUS_LIMIT", CONFIG_INT, false, "30", 1, 100000,
     offsetof(struct api_config, objection_status_limit),
     "objection status checks one client address may make per JIANGXIN_OBJECTION_WINDOW", NULL},
    {"JIANGXIN_OBJECTION_WINDOW", CONFIG_INT, false, "3600", 1, 86400,
     offsetof(struct api_config, objection_window),
     "seconds in which an address's objection budgets are regained", NULL},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static bool load_config(struct api_config *cfg, bool serving)
{
    char errors[4096];
    int problems = config_load(db_vars, N(db_vars), cfg, errors, sizeof(errors));

    if (serving) {
        char more[4096];
        problems += config_load(serve_vars, N(serve_vars), cfg, more, sizeof(more));
        strncat(errors, more, sizeof(errors) - strlen(errors) - 1);
    }
    if (problems == 0 && !clock_configure(cfg->test_clock)) {
        snprintf(errors, sizeof(errors), CLOCK_SETTING_ERROR);
        problems = 1;
    }
    struct client_ip_trust trusted;
    char why[160];
    if (problems == 0 && serving &&
        !client_ip_parse_trusted(cfg->trusted_proxies, &trusted, why, sizeof(why))) {
        snprintf(errors, sizeof(errors), "JIANGXIN_TRUSTED_PROXIES: %s\n", why);
        problems = 1;
    }
    if (problems == 0 && log_level_from_name(cfg->log_level) < 0) {
        snprintf(errors, sizeof(errors),
                 "JIANGXIN_LOG_LEVEL: must be debug, info, warn or error\n");
        problems = 1;
    }
    if (problems == 0 && serving && cfg->vote_url != NULL && cfg->vote_push_key == NULL) {
        snprintf(errors, sizeof(errors),
                 "JIANGXIN_VOTE_PUSH_KEY: required with JIANGXIN_VOTE_URL\n");
        problems = 1;
    }
    if (problems > 0) {
        fprintf(stderr, "jiangxin-api: %d configuration problem%s:\n%s", problems,
                problems == 1 ? "" : "s", errors);
        return false;
    }
    return true;
}

/* The export key as GET /v1/public/export-key shows it ("" when unset):
 * JIANGXIN_EXPORT_PUBLIC_KEY, else the public half of JIANGXIN_EXPORT_KEY. */
static void export_key_json(const struct api_config *cfg, char *out, size_t len)
{
    static const unsigned char zero[CONFIG_KEY_BYTES];
    unsigned char pk[CRYPTO_SIGN_PK_BYTES], sk[CRYPTO_SIGN_SK_BYTES];
    char hex[2 * CRYPTO_SIGN_PK_BYTES + 1], id[CRYPTO_KEY_ID_HEX];

    _Static_assert(CRYPTO_SIGN_PK_BYTES == CONFIG_KEY_BYTES, "a key setting holds a public key");
    out[0] = '\0';
    if (memcmp(cfg->export_public_key, zero, sizeof(zero)) != 0) {
        memcpy(pk, cfg->export_public_key, sizeof(pk));
    } else if (memcmp(cfg->export_seed, zero, sizeof(zero)) != 0) {
        crypto_sign_keypair_seed(cfg->export_seed, pk, sk);
        sodium_memzero(sk, sizeof(sk));
    } else {
        return;
    }
    sodium_bin2hex(hex, sizeof(hex), pk, sizeof(pk));
    crypto_key_id(pk, id);
    snprintf(out, len, "{\"alg\":\"Ed25519\",\"key_id\":\"%s\",\"public_key\":\"%s\"}", id, hex);
}

static int serve(const struct api_config *cfg)
{
    struct api_ctx ctx = {.cfg = cfg,
                          .openapi_json = openapi_api_json,
                          .openapi_len = openapi_api_json_len,
                          .docs_html = openapi_api_docs_html,
                          .docs_len = openapi_api_docs_html_len};
    struct http_server *server = NULL;
    sigset_t set;
    int sig = 0;
    char why[512];

    if (!client_ip_parse_trusted(cfg->trusted_proxies, &ctx.trusted, why, sizeof(why))) {
        return 2; /* load_config checked it */
    }
    if (!api_auth_configure(&ctx, why, sizeof(why))) {
        fprintf(stderr, "jiangxin-api: configuration problem:\n%s", why);
        return 2;
    }
    export_key_json(cfg, ctx.export_key_json, sizeof(ctx.export_key_json));
    /* Block the stop signals before any thread starts, then wait for one. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct http_server_conf conf = {
        .service = "api",
        .listen = cfg->listen,
        .threads = (unsigned)cfg->threads,
        .max_connections = (unsigned)cfg->max_connections,
        .max_connections_per_ip = (unsigned)cfg->max_connections_per_ip,
        .idle_timeout = (unsigned)cfg->idle_timeout,
        .max_body = (size_t)cfg->max_body,
        .max_upload = (size_t)cfg->max_upload,
        .cors_origin = cfg->cors_origin,
        .routes = api_routes,
        .n_routes = api_routes_count,
        .app = &ctx,
        .authenticate = api_authenticate,
        .after_handler = db_thread_finish,
    };
    if (cfg->hash_concurrency >= cfg->threads) {
        log_warn("JIANGXIN_HASH_CONCURRENCY (%ld) is not below JIANGXIN_THREADS (%ld): sign-ins"
                 " can hold every request thread",
                 cfg->hash_concurrency, cfg->threads);
    }
    if (hash_pool_start((unsigned)cfg->hash_concurrency) != APP_OK) {
        api_auth_release(&ctx);
        return 1;
    }
    const struct public_cache_conf cache = {
        .conninfo = cfg->database_url,
        .max_bytes = (size_t)cfg->public_cache_mb << 20,
        .ttl_ms = cfg->public_cache_ttl_ms,
    };
    if (vote_push_start(cfg) != APP_OK) {
        hash_pool_stop();
        api_auth_release(&ctx);
        return 1;
    }
    if (public_cache_start(&cache) != APP_OK) {
        vote_push_stop();
        hash_pool_stop();
        api_auth_release(&ctx);
        return 1;
    }
    db_on_commit(public_cache_bump);
    if (http_server_start(&conf, &server) != APP_OK) {
        public_cache_stop();
        vote_push_stop();
        hash_pool_stop();
        api_auth_release(&ctx);
        return 1;
    }
    sigwait(&set, &sig);
    log_info("stopping on signal %d", sig);
    http_server_stop(server);
    public_cache_stop();
    vote_push_stop();
    hash_pool_stop();
    api_auth_release(&ctx);
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: jiangxin-api [serve]\n"
            "       jiangxin-api migrate\n"
            "       jiangxin-api user add --username U --role R [--programme CODE[,CODE]]..."
            " [--unit ID] --password-stdin\n"
            "       jiangxin-api calendar load FILE...\n"
            "       jiangxin-api status [--json]\n"
            "       jiangxin-api allowance run --month YYYY-MM\n"
            "       jiangxin-api export --out DIR [--full]\n"
            "       jiangxin-api export verify DIR/YYYY-MM-DD [--public-key HEX]\n"
            "       jiangxin-api export public-key\n"
            "       jiangxin-api statement [NAME]\n"
            "       jiangxin-api version\n");
}

int main(int argc, char **argv)
{
    struct api_config cfg = {0};
    const char *cmd = argc > 1 ? argv[1] : "serve";
    bool serving = strcmp(cmd, "serve") == 0;

    if (strcmp(cmd, "version") == 0) {
        printf("jiangxin-api %s\n", JIANGXIN_VERSION);
        return 0;
    }
    if (strcmp(cmd, "statement") == 0) {
        /* The SQL the service prepares: no configuration, no connection. */
        const char *sql = db_statement_sql(argc > 2 ? argv[2] : NULL);
        if (sql != NULL) {
            puts(sql);
        }
        return sql != NULL || argc <= 2 ? 0 : 1;
    }
    if (strcmp(cmd, "export") == 0 && argc > 2 &&
        (strcmp(argv[2], "verify") == 0 || strcmp(argv[2], "public-key") == 0)) {
        /* No database and no service configuration: only the export key. */
        if (!crypto_init()) {
            fprintf(stderr, "jiangxin-api: libsodium failed to initialise\n");
            return 1;
        }
        return strcmp(argv[2], "verify") == 0 ? export_cli_verify(argc - 3, argv + 3)
                                              : export_cli_public_key(argc - 3, argv + 3);
    }
    if (!serving && strcmp(cmd, "migrate") != 0 && strcmp(cmd, "user") != 0 &&
        strcmp(cmd, "calendar") != 0 && strcmp(cmd, "status") != 0 &&
        strcmp(cmd, "allowance") != 0 && strcmp(cmd, "export") != 0) {
        usage();
        return 2;
    }
    if (!crypto_init()) {
        fprintf(stderr, "jiangxin-api: libsodium failed to initialise\n");
        return 1;
    }
    if (!load_config(&cfg, serving)) {
        return 2;
    }
    log_init("api", (enum log_level)log_level_from_name(cfg.log_level));
    if (serving) {
        clock_log_start();
    }
    db_configure(cfg.database_url);
    int rc;
    if (serving) {
        rc = serve(&cfg);
    } else if (strcmp(cmd, "migrate") == 0) {
        rc = cli_migrate(&cfg);
    } else if (strcmp(cmd, "user") == 0 && argc > 2 && strcmp(argv[2], "add") == 0) {
        rc = cli_user_add(&cfg, argc - 3, argv + 3);
    } else if (strcmp(cmd, "calendar") == 0 && argc > 2 && strcmp(argv[2], "load") == 0) {
        rc = cli_calendar_load(&cfg, argc - 3, argv + 3);
    } else if (strcmp(cmd, "status") == 0) {
        rc = cli_status(&cfg, argc - 2, argv + 2);
    } else if (strcmp(cmd, "allowance") == 0 && argc > 2 && strcmp(argv[2], "run") == 0) {
        rc = cli_allowance_run(&cfg, argc - 3, argv + 3);
    } else if (strcmp(cmd, "export") == 0) {
        rc = cli_export(&cfg, argc - 2, argv + 2);
    } else {
        usage();
        rc = 2;
    }
    db_thread_close();
    return rc;
}
