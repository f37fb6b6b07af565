/* SPDX-License-Identifier: MIT */
/*
 * The environment-table loader. Each service declares a static table of
 * struct config_var; this file parses, bounds-checks and collects every error
 * so an operator sees all of them at start-up, not one per restart.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

static void add_error(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_error(char *errbuf, size_t errlen, const char *fmt, ...)
{
    size_t used = strnlen(errbuf, errlen);
    va_list ap;

    if (used + 1 >= errlen) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(errbuf + used, errlen - used, fmt, ap);
    va_end(ap);
    used = strnlen(errbuf, errlen);
    if (used + 1 < errlen) {
        errbuf[used] = '\n';
        errbuf[used + 1] = '\0';
    }
}

bool config_split_listen(const char *listen, char *host, size_t hostlen, unsigned *port)
{
    const char *colon = strrchr(listen, ':');
    struct in_addr addr;
    char *end;
    long p;
    size_t hl;

    if (colon == NULL) {
        return false;
    }
    hl = (size_t)(colon - listen);
    if (hl >= hostlen) {
        return false;
    }
    memcpy(host, listen, hl);
    host[hl] = '\0';
    if (hl == 0) {
        snprintf(host, hostlen, "0.0.0.0");
    }
    if (inet_pton(AF_INET, host, &addr) != 1) {
        return false;
    }
    errno = 0;
    p = strtol(colon + 1, &end, 10);
    if (errno != 0 || *end != '\0' || end == colon + 1 || p < 1 || p > 65535) {
        return false;
    }
    *port = (unsigned)p;
    return true;
}

static bool has_scheme(const char *value, const char *schemes)
{
    const char *s = schemes;

    while (s != NULL && *s != '\0') {
        size_t n = strcspn(s, " ");
        if (n > 0 && strncmp(value, s, n) == 0 && value[n] != '\0') {
            return true;
        }
        s += n;
        s += strspn(s, " ");
    }
    return false;
}

/* Checks one present value; returns false with the reason in errbuf. */
static bool
load_one(const struct config_var *v, const char *value, void *target, char *errbuf, size_t errlen)
{
    char *field = (char *)target + v->offset;
    size_t len = strlen(value);
    char host[64];
    unsigned port;

    switch (v->type) {
    case CONFIG_STRING:
    case CONFIG_SECRET:
        if (v->max > 0 && (len < (size_t)v->min || len > (size_t)v->max)) {
            add_error(errbuf, errlen, "%s: must be %ld to %ld characters long (is %zu)", v->name,
                      v->min, v->max, len);
            return false;
        }
        *(const char **)field = value;
        return true;
    case CONFIG_INT: {
        char *end;
        long n;

        errno = 0;
        n = strtol(value, &end, 10);
        if (errno != 0 || end == value || *end != '\0' || n < v->min || n > v->max) {
            add_error(errbuf, errlen, "%s: must be an integer from %ld to %ld", v->name, v->min,
                      v->max);
            return false;
        }
        *(long *)field = n;
        return true;
    }
    case CONFIG_LISTEN:
        if (!config_split_listen(value, host, sizeof(host), &port)) {
            add_error(errbuf, errlen, "%s: must be IPV4:PORT, e.g. 127.0.0.1:8080", v->name);
            return false;
        }
        *(const char **)field = value;
        return true;
    case CONFIG_KEY:
        if (len != 2 * CONFIG_KEY_BYTES || sodium_hex2bin((unsigned char *)field, CONFIG_KEY_BYTES,
                                                          value, len, NULL, NULL, NULL) != 0) {
            add_error(errbuf, errlen, "%s: must be %d hexadecimal characters (%d random bytes)",
                      v->name, 2 * CONFIG_KEY_BYTES, CONFIG_KEY_BYTES);
            return false;
        }
        return true;
    case CONFIG_URL:
        if (!has_scheme(value, v->schemes)) {
            add_error(errbuf, errlen, "%s: must start with one of: %s", v->name, v->schemes);
            return false;
        }
        *(const char **)field = value;
        return true;
    }
    return false;
}

int config_load_from(const struct config_var *vars,
                     size_t n,
                     void *target,
                     config_get_fn *get,
                     void *ctx,
                     char *errbuf,
                     size_t errlen)
{
    int problems = 0;

    if (errlen > 0) {
        errbuf[0] = '\0';
    }
    for (size_t i = 0; i < n; i++) {
        const struct config_var *v = &vars[i];
        const char *value = get(v->name, ctx);

        if (value == NULL || value[0] == '\0') {
            value = v->def;
        }
        if (value == NULL) {
            if (v->required) {
                add_error(errbuf, errlen, "%s: required (%s)", v->name, v->help);
                problems++;
            }
            continue;
        }
        if (!load_one(v, value, target, errbuf, errlen)) {
            problems++;
        }
    }
    return problems;
}

static const char *get_env(const char *name, void *ctx)
{
    (void)ctx;
    return getenv(name);
}

int config_load(const struct config_var *vars, size_t n, void *target, char *errbuf, size_t errlen)
{
    return config_load_from(vars, n, target, get_env, NULL, errbuf, errlen);
}
