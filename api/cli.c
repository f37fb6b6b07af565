/* SPDX-License-Identifier: MIT */
/*
 * The operator's subcommands: migrate, user add, calendar load, status,
 * allowance run and export.
 * They use the same stores, operations and audit log as the HTTP handlers;
 * their audit actor is "cli" with role "admin" (whoever can run the binary
 * with the database URL is an administrator).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "app.h"
#include "clock.h"
#include "crypto.h"
#include "export/deliver.h"
#include "export/export.h"
#include "log.h"
#include "ops/allowance.h"
#include "ops/ops.h"
#include "ops/system_status.h"
#include "store/calendar_store.h"
#include "store/export_store.h"
#include "store/migrate.h"
#include "store/policy_version_store.h"
#include "store/user_store.h"
#include "workdays.h"

int cli_migrate(const struct api_config *cfg)
{
    int applied = 0;

    return migrate_run(cfg->database_url, cfg->migrations_dir, stdout, &applied) == APP_OK ? 0 : 1;
}

/* The CLI's audit events: actor "cli" in the admin role, through the one
 * audit writer (ops_audit). */
static enum app_err
cli_audit(struct db *db, const char *action, const char *type, const char *id, const char *after)
{
    struct principal who;
    struct op_ctx ctx;

    ops_ctx_job(&ctx, db, &who, "cli", ROLE_ADMIN);
    return ops_audit(&ctx, action, type, id, NULL, after);
}

/* Reads the password from stdin (one line, newline stripped). */
static bool read_password(char *buf, size_t len)
{
    if (fgets(buf, (int)len, stdin) == NULL) {
        return false;
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    return true;
}

/* The --programme values (each one code or a comma-separated list) as a
 * JSON array text of distinct codes, all of which exist; NULL (and a
 * message) otherwise. malloc'd. */
static char *programme_codes(struct db *db, char *const *given, size_t n)
{
    json_t *arr = json_array();
    char *codes = NULL, buf[512];
    long found = 0;
    bool ok = arr != NULL;

    for (size_t i = 0; ok && i < n; i++) {
        snprintf(buf, sizeof(buf), "%s", given[i]);
        for (char *save = NULL, *c = strtok_r(buf, ",", &save); ok && c != NULL;
             c = strtok_r(NULL, ",", &save)) {
            bool dup = false;
            size_t k;
            json_t *v;
            json_array_foreach(arr, k, v)
            {
                dup = dup || strcmp(json_string_value(v), c) == 0;
            }
            ok = dup || json_array_append_new(arr, json_string(c)) == 0;
        }
    }
    ok = ok && json_array_size(arr) > 0 && json_array_size(arr) <= AUTH_PROGRAMMES_MAX &&
         (codes = json_dumps(arr, JSON_COMPACT)) != NULL &&
         programme_store_count_codes(db, codes, &found) == APP_OK &&
         found == (long)json_array_size(arr);
    if (!ok) {
        fprintf(stderr, "user add: unknown programme in --programme (1 to %d known codes)\n",
                AUTH_PROGRAMMES_MAX);
        free(codes);
        codes = NULL;
    }
    json_decref(arr);
    return codes;
}

static int user_add(struct db *db,
                    const char *username,
                    const char *role,
                    char *const *programmes,
                    size_t n_programmes,
                    const char *unit,
                    const char *password)
{
    char hash[CRYPTO_HASH_STR_BYTES];
    char *id = NULL, *after = NULL, *codes = NULL;
    enum app_err err;

    if (auth_role_from_name(role) == ROLE_NONE) {
        fprintf(stderr, "user add: unknown role %s\n", role);
        return 2;
    }
    if (n_programmes > 0 && (codes = programme_codes(db, programmes, n_programmes)) == NULL) {
        return 2;
    }
    if (crypto_password_hash(password, hash) != APP_OK || db_begin(db) != APP_OK) {
        free(codes);
        return 1;
    }
    err = user_store_insert(db, username, hash, role, unit, &id);
    if (err == APP_OK && codes != NULL) {
        err = user_store_set_programmes(db, id, codes);
    }
    if (err == APP_OK) {
        err = user_store_get(db, id, false, &after);
    }
    if (err == APP_OK) {
        err = cli_audit(db, "user.create", "user", id, after);
    }
    if (err == APP_OK) {
        err = db_commit(db);
    }
    db_rollback(db);
    sodium_memzero(hash, sizeof(hash));
    if (err == APP_OK) {
        printf("%s\n", after);
    } else {
        fprintf(stderr, "user add: %s\n",
                err == APP_ERR_CONFLICT     ? "the username is taken"
                : err == APP_ERR_VALIDATION ? "invalid username, role or unit scope"
                                            : "database error");
    }
    free(id);
    free(after);
    free(codes);
    return err == APP_OK ? 0 : 1;
}

int cli_user_add(const struct api_config *cfg, int argc, char **argv)
{
    static const struct option opts[] = {
        {"username", required_argument, NULL, 'u'},  {"role", required_argument, NULL, 'r'},
        {"programme", required_argument, NULL, 'p'}, {"unit", required_argument, NULL, 'n'},
        {"password-stdin", no_argument, NULL, 's'},  {NULL, 0, NULL, 0},
    };
    const char *username = NULL, *role = NULL, *unit = NULL;
    char *programmes[AUTH_PROGRAMMES_MAX];
    size_t n_programmes = 0;
    bool from_stdin = false;
    char password[CRYPTO_PASSWORD_MAX + 2];
    struct db *db;
    int c, rc;

    (void)cfg;
    optind = 0; /* argv[0] is the first option: getopt must not skip it */
    while ((c = getopt_long(argc + 1, argv - 1, "", opts, NULL)) != -1) {
        switch (c) {
        case 'u':
            username = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 'p': /* repeatable; each a code or a comma-separated list */
            if (n_programmes == AUTH_PROGRAMMES_MAX) {
                fprintf(stderr, "user add: at most %d --programme options\n", AUTH_PROGRAMMES_MAX);
                return 2;
            }
            programmes[n_programmes++] = optarg;
            break;
        case 'n':
            unit = optarg;
            break;
        case 's':
            from_stdin = true;
            break;
        default:
            return 2;
        }
    }
    if (username == NULL || role == NULL || !from_stdin) {
        fprintf(stderr, "user add: --username, --role and --password-stdin are required\n");
        return 2;
    }
    if (!read_password(password, sizeof(password)) || strlen(password) < CRYPTO_PASSWORD_MIN ||
        strlen(password) > CRYPTO_PASSWORD_MAX) {
        fprintf(stderr, "user add: the password on stdin must be %d to %d characters\n",
                CRYPTO_PASSWORD_MIN, CRYPTO_PASSWORD_MAX);
        return 2;
    }
    if ((db = db_thread()) == NULL) {
        fprintf(stderr, "user add: database unreachable\n");
        return 1;
    }
    rc = user_add(db, username, role, programmes, n_programmes, unit, password);
    sodium_memzero(password, sizeof(password));
    return rc;
}

static char *slurp(const char *path, size_t *ret_len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0;

    if (f != NULL) {
        FILE *m = open_memstream(&buf, &len);
        char chunk[4096];
        size_t n;
        while (m != NULL && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
            fwrite(chunk, 1, n, m);
        }
        if (m != NULL) {
            fclose(m);
        }
        fclose(f);
    }
    *ret_len = len;
    return buf;
}

/* Loads one holiday-cn file in one transaction with one audit event. */
static int load_one(struct db *db, const char *path)
{
    struct holiday_cn_day *days = NULL;
    size_t n = 0, len = 0;
    char err_text[256] = "", source[32], year_text[16];
    int year = 0;
    char *json = slurp(path, &len);
    enum app_err err =
        json ? holiday_cn_parse(json, len, &year, &days, &n, err_text, sizeof(err_text))
             : APP_ERR_NOT_FOUND;

    if (err != APP_OK) {
        fprintf(stderr, "calendar load: %s: %s\n", path, json ? err_text : "cannot read");
        free(json);
        return 1;
    }
    snprintf(source, sizeof(source), "holiday-cn:%d", year);
    snprintf(year_text, sizeof(year_text), "%d", year);
    err = db_begin(db);
    for (size_t i = 0; err == APP_OK && i < n; i++) {
        err = calendar_store_upsert_day(db, days[i].day, days[i].is_workday, days[i].name, source);
    }
    if (err == APP_OK) {
        err = calendar_store_upsert_year(db, year, source);
    }
    if (err == APP_OK) {
        char after[96];
        snprintf(after, sizeof(after), "{\"year\": %d, \"listed_days\": %zu}", year, n);
        err = cli_audit(db, "calendar.load", "calendar_year", year_text, after);
    }
    if (err == APP_OK) {
        err = db_commit(db);
    }
    db_rollback(db);
    printf("calendar load: %s: %s (%d, %zu listed days)\n", path,
           err == APP_OK ? "loaded" : "FAILED", year, n);
    free(days);
    free(json);
    return err == APP_OK ? 0 : 1;
}

int cli_calendar_load(const struct api_config *cfg, int argc, char **argv)
{
    struct db *db;
    int rc = 0;

    (void)cfg;
    if (argc < 1) {
        fprintf(stderr, "calendar load: name at least one holiday-cn JSON file\n");
        return 2;
    }
    if ((db = db_thread()) == NULL) {
        fprintf(stderr, "calendar load: database unreachable\n");
        return 1;
    }
    for (int i = 0; i < argc; i++) {
        rc |= load_one(db, argv[i]);
    }
    return rc;
}

/* The warnings of GET /v1/system/status, one line each (or the whole
 * document with --json). Exit 0 when there are none, 1 when there are
 * (for cron and monitoring), 2 on bad usage or an unreachable database. */
int cli_status(const struct api_config *cfg, int argc, char **argv)
{
    bool as_json = argc == 1 && strcmp(argv[0], "--json") == 0;
    struct db *db;
    json_t *status = NULL;
    size_t i;
    json_t *w;

    (void)cfg;
    if (argc > 1 || (argc == 1 && !as_json)) {
        fprintf(stderr, "status: the only option is --json\n");
        return 2;
    }
    if ((db = db_thread()) == NULL || system_status_build(db, &status) != APP_OK) {
        fprintf(stderr, "status: database unreachable\n");
        return 2;
    }
    if (as_json) {
        json_dumpf(status, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
    } else {
        const char *last =
            json_string_value(json_object_get(json_object_get(status, "calendar"), "last_day"));
        printf("today %s; calendar data until %s\n",
               json_string_value(json_object_get(status, "today")), last ? last : "(none)");
        json_array_foreach(json_object_get(status, "warnings"), i, w)
        {
            printf("%s %s: %s\n", json_string_value(json_object_get(w, "severity")),
                   json_string_value(json_object_get(w, "code")),
                   json_string_value(json_object_get(w, "message_en")));
        }
        if (json_array_size(json_object_get(status, "warnings")) == 0) {
            puts("no warnings");
        }
    }
    int rc = json_array_size(json_object_get(status, "warnings")) > 0 ? 1 : 0;
    json_decref(status);
    return rc;
}

/* allowance run --month YYYY-MM: the monthly run (ops/allowance.c) for the
 * whole district as actor "cli" in the finance role, in one transaction.
 * Prints the run (its totals) as JSON; exit 0, 1 when refused or failed
 * (the problem on stderr), 2 on bad usage. Safe to repeat: a second run of
 * a month adds nothing. */
int cli_allowance_run(const struct api_config *cfg, int argc, char **argv)
{
    static const struct option opts[] = {
        {"month", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0},
    };
    const char *month = NULL;
    struct principal who;
    struct op_ctx ctx;
    struct problem p = {0};
    struct db *db;
    json_t *run = NULL;
    int c, rc = 1;

    (void)cfg;
    optind = 0;
    while ((c = getopt_long(argc + 1, argv - 1, "", opts, NULL)) != -1) {
        if (c != 'm') {
            fprintf(stderr, "usage: jiangxin-api allowance run --month YYYY-MM\n");
            return 2;
        }
        month = optarg;
    }
    if (month == NULL || optind != argc + 1) {
        fprintf(stderr, "usage: jiangxin-api allowance run --month YYYY-MM\n");
        return 2;
    }
    if ((db = db_thread()) == NULL || db_begin(db) != APP_OK) {
        fprintf(stderr, "allowance run: database unreachable\n");
        return 1;
    }
    ops_ctx_job(&ctx, db, &who, "cli", ROLE_FINANCE);
    if (allowance_run_month(&ctx, month, "--month", "cli", &run, &p) == APP_OK &&
        db_commit(db) == APP_OK) {
        char *text = json_dumps(run, JSON_COMPACT);
        if (text != NULL) {
            puts(text);
            rc = 0;
        }
        free(text);
    } else {
        const char *detail =
            p.n_errors > 0 ? p.errors[0].detail[PROBLEM_LANG_EN] : p.detail[PROBLEM_LANG_EN];
        fprintf(stderr, "allowance run: %s%s%s\n", p.code[0] ? p.code : "failed",
                detail[0] ? ": " : "", detail);
    }
    db_rollback(db);
    json_decref(run);
    problem_clear(&p);
    return rc;
}

/* Records the run's result with an audit event "export.run" in one
 * transaction. */
static void export_record(struct db *db, const char *id, bool ok, const struct export_result *r)
{
    char now[RFC3339_TEXT_MAX], seq[24], *after = NULL;
    enum app_err err;

    rfc3339_format(clock_now_ms(), true, now);
    snprintf(seq, sizeof(seq), "%lld", r->audit_seq);
    err = db_begin(db);
    if (err == APP_OK) {
        err = export_store_run_finish(db, id, ok ? "succeeded" : "failed", now, ok ? seq : NULL,
                                      ok && r->audit_head[0] ? r->audit_head : NULL,
                                      ok ? r->manifest_sha256 : NULL, ok ? r->files : NULL,
                                      ok ? NULL : r->error, &after);
    }
    if (err == APP_OK) {
        err = cli_audit(db, "export.run", "export_run", id, after);
    }
    if (err == APP_OK) {
        err = db_commit(db);
    }
    db_rollback(db);
    if (err != APP_OK) {
        fprintf(stderr, "export: the run could not be recorded in export_runs\n");
    }
    free(after);
}

/* A whole number in [min, max]. */
static bool deliver_number(const char *s, long min, long max, long *ret)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
        return false;
    }
    *ret = v;
    return true;
}

/* --deliver: posts the export and records the outcome on the run. 0 when
 * delivered, 3 when not (the export stays; stderr says why). */
static int export_deliver_run(struct db *db,
                              const char *id,
                              const struct export_result *r,
                              struct export_deliver_opts *d)
{
    struct export_deliver_result dr;
    char now[RFC3339_TEXT_MAX], *after = NULL;
    enum app_err err;
    bool delivered;

    d->token = getenv("JIANGXIN_EXPORT_DELIVER_TOKEN");
    delivered = export_deliver(r->path, r->date, r->manifest_sha256, d, &dr);
    rfc3339_format(clock_now_ms(), true, now);
    err = db_begin(db);
    if (err == APP_OK) {
        err = export_store_run_delivery(db, id, delivered, dr.attempts, now,
                                        delivered ? NULL : dr.error, &after);
    }
    if (err == APP_OK) {
        err = cli_audit(db, "export.deliver", "export_run", id, after);
    }
    if (err == APP_OK) {
        err = db_commit(db);
    }
    db_rollback(db);
    free(after);
    if (err != APP_OK) {
        fprintf(stderr, "export: the delivery could not be recorded in export_runs\n");
    }
    if (!delivered) {
        fprintf(stderr, "%s\nexport: the export stays in %s (export_runs: delivery_failed)\n",
                dr.error, r->path);
        return 3;
    }
    printf("export: delivered in %d attempt%s (HTTP %ld)\n", dr.attempts,
           dr.attempts == 1 ? "" : "s", dr.status);
    return 0;
}

int cli_export(const struct api_config *cfg, int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"full", no_argument, NULL, 'f'},
        {"deliver", required_argument, NULL, 'd'},
        {"deliver-attempts", required_argument, NULL, 'a'},
        {"deliver-backoff-ms", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    struct export_deliver_opts d = {
        .attempts = EXPORT_DELIVER_ATTEMPTS,
        .backoff_ms = EXPORT_DELIVER_BACKOFF_MS,
        .backoff_cap_ms = EXPORT_DELIVER_BACKOFF_CAP_MS,
    };
    struct export_opts o = {0};
    struct export_result r;
    struct export_key key;
    char now[RFC3339_TEXT_MAX], today[11], *id = NULL;
    struct db *db;
    bool locked = false, ok;
    long n;
    int c, rc;

    (void)cfg;
    optind = 0;
    while ((c = getopt_long(argc + 1, argv - 1, "", opts, NULL)) != -1) {
        if (c == 'o') {
            o.out = optarg;
        } else if (c == 'f') {
            o.full = true;
        } else if (c == 'd' && optarg[0] != '\0') {
            d.url = optarg;
        } else if (c == 'a' && deliver_number(optarg, 1, 100, &n)) {
            d.attempts = (int)n;
        } else if (c == 'b' && deliver_number(optarg, 0, EXPORT_DELIVER_BACKOFF_CAP_MS, &n)) {
            d.backoff_ms = n;
        } else {
            o.out = NULL;
            break;
        }
    }
    if (o.out == NULL || o.out[0] == '\0' || optind != argc + 1) {
        fprintf(stderr, "usage: jiangxin-api export --out DIR [--full] [--deliver URL"
                        " [--deliver-attempts N] [--deliver-backoff-ms MS]]\n"
                        "       jiangxin-api export verify DIR/YYYY-MM-DD [--public-key HEX]\n"
                        "       jiangxin-api export public-key\n");
        return 2;
    }
    if (!export_key_for_signing(&key)) {
        return 2;
    }
    /* The service clock (a test stack passes its moved clock as
     * JIANGXIN_TEST_CLOCK): the date, the time-based visibility and
     * generated_at all come from this one instant. */
    o.now_ms = clock_now_ms();
    rfc3339_format(o.now_ms, true, now);
    date_format(date_of_ms(o.now_ms), today);
    if ((db = db_thread()) == NULL || export_store_try_lock(db, &locked) != APP_OK) {
        fprintf(stderr, "export: database unreachable\n");
        sodium_memzero(&key, sizeof(key));
        return 1;
    }
    if (!locked) {
        fprintf(stderr, "export: another export is running (database advisory lock held)\n");
        sodium_memzero(&key, sizeof(key));
        return 1;
    }
    if (export_store_run_start(db, now, o.full, today, &id) != APP_OK) {
        fprintf(stderr, "export: cannot record the run in export_runs\n");
        sodium_memzero(&key, sizeof(key));
        return 1;
    }
    ok = export_write(db, &key, &o, &r);
    sodium_memzero(&key, sizeof(key));
    export_record(db, id, ok, &r);
    if (ok) {
        printf("export: %s (manifest sha256 %s; previous %s; %lld upserts, %lld deletes)\n", r.path,
               r.manifest_sha256, r.previous[0] ? r.previous : "none", r.upserts, r.deletes);
        fflush(stdout);
    } else {
        fprintf(stderr, "%s\n", r.error);
    }
    rc = ok ? 0 : 1;
    if (ok && d.url != NULL) {
        rc = export_deliver_run(db, id, &r, &d);
    }
    free(r.files);
    free(id);
    return rc;
}
