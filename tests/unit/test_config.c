/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/config.c. The loader reads through a getter over a
 * small static table of NAME=value pairs, never the real environment.
 */
#include <stddef.h>
#include <string.h>

#include "config.h"
#include "test.h"

struct cfg {
    const char *name;
    const char *secret;
    long workers;
    const char *listen;
    unsigned char key[CONFIG_KEY_BYTES];
    const char *redis_url;
};

/* clang-format off */
static const struct config_var vars[] = {
    {"JX_NAME",      CONFIG_STRING, false, "jiangxin",       1,  32,
     offsetof(struct cfg, name), "service name", NULL},
    {"JX_SECRET",    CONFIG_SECRET, true,  NULL,             32, 256,
     offsetof(struct cfg, secret), "signing secret", NULL},
    {"JX_WORKERS",   CONFIG_INT,    false, "4",              1,  64,
     offsetof(struct cfg, workers), "worker threads", NULL},
    {"JX_LISTEN",    CONFIG_LISTEN, false, "127.0.0.1:8080", 0,  0,
     offsetof(struct cfg, listen), "listen address", NULL},
    {"JX_KEY",       CONFIG_KEY,    true,  NULL,             0,  0,
     offsetof(struct cfg, key), "field encryption key", NULL},
    {"JX_REDIS_URL", CONFIG_URL,    true,  NULL,             0,  0,
     offsetof(struct cfg, redis_url), "Redis URL", "redis:// rediss://"},
};
/* clang-format on */

#define GOOD_SECRET "0123456789abcdef0123456789abcdef" /* 32 characters */
#define GOOD_KEY    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1F"

struct env {
    const char *name;
    const char *value;
};

/* Getter over a NULL-terminated struct env array. */
static const char *get_from(const char *name, void *ctx)
{
    for (const struct env *e = ctx; e->name != NULL; e++) {
        if (strcmp(e->name, name) == 0)
            return e->value;
    }
    return NULL;
}

static int load(const struct env *env, struct cfg *c, char *errbuf, size_t errlen)
{
    memset(c, 0, sizeof(*c));
    return config_load_from(vars, TEST_COUNT(vars), c, get_from, (void *)env, errbuf, errlen);
}

/* errbuf on one line, for a TAP diagnostic ('\n' shown as " | "); at most
 * TEST_DIAG_LEN bytes survive anyway. Not reentrant. */
static const char *one_line(const char *errbuf)
{
    static char out[TEST_DIAG_LEN];
    size_t o = 0;

    for (; *errbuf != '\0' && o + 4 < sizeof(out); errbuf++) {
        if (*errbuf == '\n') {
            memcpy(out + o, " | ", 3);
            o += 3;
        } else {
            out[o++] = *errbuf;
        }
    }
    out[o] = '\0';
    return out;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++)
        n += *s == '\n';
    return n;
}

/* True when errbuf has a line starting with "NAME: ". */
static bool has_line_for(const char *errbuf, const char *name)
{
    size_t n = strlen(name);
    const char *line = errbuf;

    while (*line != '\0') {
        if (strncmp(line, name, n) == 0 && line[n] == ':' && line[n + 1] == ' ')
            return true;
        line = strchr(line, '\n');
        if (line == NULL)
            break;
        line++;
    }
    return false;
}

static void test_all_good(void)
{
    const struct env env[] = {
        {"JX_NAME", "jx-api"},       {"JX_SECRET", GOOD_SECRET},
        {"JX_WORKERS", "64"},        {"JX_LISTEN", "0.0.0.0:9000"},
        {"JX_KEY", GOOD_KEY},        {"JX_REDIS_URL", "rediss://cache:6380/0"},
        {"JX_UNRELATED", "ignored"}, {NULL, NULL},
    };
    struct cfg c;
    char errbuf[512];

    CHECK_EQ_INT(load(env, &c, errbuf, sizeof(errbuf)), 0);
    CHECK_EQ_STR(errbuf, "");
    CHECK_EQ_STR(c.name, "jx-api");
    CHECK_EQ_STR(c.secret, GOOD_SECRET);
    CHECK_EQ_INT(c.workers, 64);
    CHECK_EQ_STR(c.listen, "0.0.0.0:9000");
    for (int i = 0; i < 31; i++)
        CHECKF(c.key[i] == i, "key[%d] = %u", i, c.key[i]);
    CHECK_EQ_INT(c.key[31], 0x1F); /* upper-case hex accepted */
    CHECK_EQ_STR(c.redis_url, "rediss://cache:6380/0");
}

static void test_defaults(void)
{
    /* Only the required variables; an empty value counts as unset. */
    const struct env env[] = {
        {"JX_SECRET", GOOD_SECRET}, {"JX_KEY", GOOD_KEY}, {"JX_REDIS_URL", "redis://127.0.0.1"},
        {"JX_WORKERS", ""},         {NULL, NULL},
    };
    struct cfg c;
    char errbuf[512];

    CHECK_EQ_INT(load(env, &c, errbuf, sizeof(errbuf)), 0);
    CHECK_EQ_STR(errbuf, "");
    CHECK_EQ_STR(c.name, "jiangxin");
    CHECK_EQ_INT(c.workers, 4);
    CHECK_EQ_STR(c.listen, "127.0.0.1:8080");
}

static void test_optional_without_default(void)
{
    static const struct config_var opt[] = {
        {"JX_OPT", CONFIG_STRING, false, NULL, 0, 0, offsetof(struct cfg, name), "optional", NULL},
    };
    const struct env env[] = {{NULL, NULL}};
    struct cfg c = {.name = "untouched"};
    char errbuf[64];

    CHECK_EQ_INT(config_load_from(opt, 1, &c, get_from, (void *)env, errbuf, sizeof(errbuf)), 0);
    CHECK_EQ_STR(errbuf, "");
    CHECK_EQ_STR(c.name, "untouched");
}

static void test_required_missing(void)
{
    const struct env env[] = {{"JX_SECRET", ""}, {NULL, NULL}};
    struct cfg c;
    char errbuf[512];

    CHECK_EQ_INT(load(env, &c, errbuf, sizeof(errbuf)), 3);
    CHECK_EQ_INT(count_lines(errbuf), 3);
    CHECK(has_line_for(errbuf, "JX_SECRET"));
    CHECK(has_line_for(errbuf, "JX_KEY"));
    CHECK(has_line_for(errbuf, "JX_REDIS_URL"));
    CHECK(!has_line_for(errbuf, "JX_NAME"));
    /* The help text tells the operator what the variable is for. */
    CHECK(strstr(errbuf, "JX_KEY: required (field encryption key)\n") != NULL);
    /* Defaults still apply to the others. */
    CHECK_EQ_INT(c.workers, 4);
}

static void test_every_error_at_once(void)
{
    const struct env env[] = {
        {"JX_NAME", "a-name-that-is-far-too-long-for-the-limit"},
        {"JX_SECRET", "short"},
        {"JX_WORKERS", "0"},
        {"JX_LISTEN", "127.0.0.1"},
        {"JX_KEY", "abcd"},
        {"JX_REDIS_URL", "http://cache"},
        {NULL, NULL},
    };
    struct cfg c;
    char errbuf[1024];

    CHECK_EQ_INT(load(env, &c, errbuf, sizeof(errbuf)), 6);
    CHECK_EQ_INT(count_lines(errbuf), 6);
    for (size_t i = 0; i < TEST_COUNT(vars); i++)
        CHECKF(has_line_for(errbuf, vars[i].name), "no line for %s in: %s", vars[i].name,
               one_line(errbuf));
    /* Lines come in table order. */
    CHECK(strncmp(errbuf, "JX_NAME: ", 9) == 0);
    CHECK(strstr(errbuf, "JX_NAME") < strstr(errbuf, "JX_REDIS_URL"));
}

struct value_vector {
    const char *var;
    const char *value;
    bool ok;
};

/* Each row replaces one variable of an otherwise good environment. */
static const struct value_vector value_vectors[] = {
    /* CONFIG_STRING: 1..32 characters. */
    {"JX_NAME", "x", true},
    {"JX_NAME", "12345678901234567890123456789012", true},
    {"JX_NAME", "123456789012345678901234567890123", false},
    /* CONFIG_SECRET: 32..256 characters. */
    {"JX_SECRET", "0123456789abcdef0123456789abcde", false},
    /* CONFIG_INT: 1..64. */
    {"JX_WORKERS", "1", true},
    {"JX_WORKERS", "64", true},
    {"JX_WORKERS", "0", false},
    {"JX_WORKERS", "65", false},
    {"JX_WORKERS", "-1", false},
    {"JX_WORKERS", "four", false},
    {"JX_WORKERS", "8x", false},
    {"JX_WORKERS", "8 ", false},
    {"JX_WORKERS", "8.0", false},
    {"JX_WORKERS", "99999999999999999999999", false},
    {"JX_WORKERS", "-", false},
    /* CONFIG_LISTEN: IPv4:1..65535. */
    {"JX_LISTEN", "127.0.0.1:1", true},
    {"JX_LISTEN", "0.0.0.0:65535", true},
    {"JX_LISTEN", ":8080", true},
    {"JX_LISTEN", "127.0.0.1", false},
    {"JX_LISTEN", "8080", false},
    {"JX_LISTEN", "127.0.0.1:", false},
    {"JX_LISTEN", "localhost:8080", false},
    {"JX_LISTEN", "256.0.0.1:8080", false},
    {"JX_LISTEN", "127.0.0:8080", false},
    {"JX_LISTEN", "[::1]:8080", false},
    {"JX_LISTEN", "::1:8080", false},
    {"JX_LISTEN", "127.0.0.1:0", false},
    {"JX_LISTEN", "127.0.0.1:65536", false},
    {"JX_LISTEN", "127.0.0.1:-80", false},
    {"JX_LISTEN", "127.0.0.1:80x", false},
    {"JX_LISTEN", "127.0.0.1:http", false},
    /* CONFIG_KEY: exactly 64 hex characters. */
    {"JX_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e", false},
    {"JX_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0", false},
    {"JX_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00", false},
    {"JX_KEY", "g00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", false},
    {"JX_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g", false},
    {"JX_KEY", "00 102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", false},
    /* CONFIG_URL: "redis://" or "rediss://" and something after it. */
    {"JX_REDIS_URL", "redis://localhost:6379", true},
    {"JX_REDIS_URL", "rediss://h", true},
    {"JX_REDIS_URL", "redis://", false},
    {"JX_REDIS_URL", "http://localhost:6379", false},
    {"JX_REDIS_URL", "REDIS://localhost", false},
    {"JX_REDIS_URL", "redis:/localhost", false},
    {"JX_REDIS_URL", "localhost:6379", false},
    {"JX_REDIS_URL", " redis://localhost", false},
};

static void test_values(void)
{
    for (size_t i = 0; i < TEST_COUNT(value_vectors); i++) {
        const struct value_vector *v = &value_vectors[i];
        struct env env[] = {
            {"JX_NAME", "jx"},    {"JX_SECRET", GOOD_SECRET},
            {"JX_WORKERS", "8"},  {"JX_LISTEN", "127.0.0.1:8080"},
            {"JX_KEY", GOOD_KEY}, {"JX_REDIS_URL", "redis://localhost"},
            {NULL, NULL},
        };
        struct cfg c;
        char errbuf[512];
        int n;

        for (struct env *e = env; e->name != NULL; e++) {
            if (strcmp(e->name, v->var) == 0)
                e->value = v->value;
        }
        n = load(env, &c, errbuf, sizeof(errbuf));
        CHECKF(n == (v->ok ? 0 : 1), "%s=\"%s\": %d problems, want %d (%s)", v->var, v->value, n,
               v->ok ? 0 : 1, one_line(errbuf));
        if (!v->ok) {
            CHECKF(has_line_for(errbuf, v->var) && count_lines(errbuf) == 1,
                   "%s=\"%s\": errbuf \"%s\"", v->var, v->value, one_line(errbuf));
        }
    }
}

static void test_int_value_stored(void)
{
    const struct env env[] = {
        {"JX_SECRET", GOOD_SECRET}, {"JX_KEY", GOOD_KEY}, {"JX_REDIS_URL", "redis://h"},
        {"JX_WORKERS", "17"},       {NULL, NULL},
    };
    struct cfg c;
    char errbuf[256];

    CHECK_EQ_INT(load(env, &c, errbuf, sizeof(errbuf)), 0);
    CHECK_EQ_INT(c.workers, 17);
}

static void test_secrets_never_printed(void)
{
    /* Distinctive invalid values: too short, too long, wrong length, non-hex. */
    static const struct {
        const char *secret;
        const char *key;
    } rows[] = {
        {"SeCrEt-too-short", "K3YK3YK3Y"},
        {"SeCrEt-too-long-"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
         "K3YK3YK3Yz0102030405060708090a0b0c0d0e0f101112131415161718191a1b"},
        {"SeCrEt", "0001020304050607K3YK3YK3Y0e0f101112131415161718191a1b1c1d1e1f0001"},
    };

    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        const struct env env[] = {
            {"JX_SECRET", rows[i].secret},
            {"JX_KEY", rows[i].key},
            {"JX_REDIS_URL", "redis://h"},
            {NULL, NULL},
        };
        struct cfg c;
        char errbuf[1024];

        CHECKF(load(env, &c, errbuf, sizeof(errbuf)) == 2, "row %zu: %s", i, one_line(errbuf));
        CHECKF(has_line_for(errbuf, "JX_SECRET") && has_line_for(errbuf, "JX_KEY"), "row %zu: %s",
               i, one_line(errbuf));
        CHECKF(strstr(errbuf, "SeCrEt") == NULL, "row %zu: secret value in errbuf", i);
        CHECKF(strstr(errbuf, "K3Y") == NULL, "row %zu: key value in errbuf", i);
        CHECKF(strstr(errbuf, rows[i].secret) == NULL, "row %zu: secret leaked", i);
    }
}

static void test_errbuf_truncation(void)
{
    const struct env env[] = {{NULL, NULL}};
    struct cfg c;
    char errbuf[24];

    /* Three problems do not fit: still counted, errbuf stays terminated (ASan
     * reports any write past it). */
    CHECK_EQ_INT(load(env, &c, errbuf, sizeof(errbuf)), 3);
    CHECK(strlen(errbuf) < sizeof(errbuf));
    CHECK(strncmp(errbuf, "JX_SECRET: required", 19) == 0);
    /* errlen 1: only the terminator. */
    CHECK_EQ_INT(load(env, &c, errbuf, 1), 3);
    CHECK_EQ_STR(errbuf, "");
}

struct split_vector {
    const char *in;
    bool ok;
    const char *host;
    unsigned port;
};

static const struct split_vector split_vectors[] = {
    {":8080", true, "0.0.0.0", 8080},
    {"127.0.0.1:80", true, "127.0.0.1", 80},
    {"10.1.2.3:65535", true, "10.1.2.3", 65535},
    {"0.0.0.0:1", true, "0.0.0.0", 1},
    {"", false, NULL, 0},
    {":", false, NULL, 0},
    {"127.0.0.1", false, NULL, 0},
    {"127.0.0.1:0", false, NULL, 0},
    {"127.0.0.1:65536", false, NULL, 0},
    {"127.0.0.1:4294967376", false, NULL, 0}, /* 2^32 + 80 */
    {"host:80", false, NULL, 0},
    {"1.2.3.4.5:80", false, NULL, 0},
    {"1.2.3.4:8:80", false, NULL, 0},
};

static void test_split_listen(void)
{
    for (size_t i = 0; i < TEST_COUNT(split_vectors); i++) {
        const struct split_vector *v = &split_vectors[i];
        char host[64] = "";
        unsigned port = 0;
        bool ok = config_split_listen(v->in, host, sizeof(host), &port);

        CHECKF(ok == v->ok, "\"%s\": got %s", v->in, ok ? "ok" : "refused");
        if (ok && v->ok) {
            CHECKF(strcmp(host, v->host) == 0, "\"%s\": host \"%s\"", v->in, host);
            CHECKF(port == v->port, "\"%s\": port %u", v->in, port);
        }
    }
}

static void test_split_listen_small_host(void)
{
    char host[8];
    unsigned port = 0;

    /* "0.0.0.0" needs 8 bytes; a longer host does not fit. */
    CHECK(config_split_listen(":80", host, sizeof(host), &port));
    CHECK_EQ_STR(host, "0.0.0.0");
    CHECK(!config_split_listen("127.0.0.1:80", host, sizeof(host), &port));
}

int main(void)
{
    static const struct test_case cases[] = {
        {"all good", test_all_good},
        {"defaults applied", test_defaults},
        {"optional without default", test_optional_without_default},
        {"required missing", test_required_missing},
        {"every error reported at once", test_every_error_at_once},
        {"value checks per type", test_values},
        {"integer stored", test_int_value_stored},
        {"secret and key values never printed", test_secrets_never_printed},
        {"errbuf truncation", test_errbuf_truncation},
        {"config_split_listen", test_split_listen},
        {"config_split_listen small host buffer", test_split_listen_small_host},
    };

    return test_run(cases, TEST_COUNT(cases));
}
