/* SPDX-License-Identifier: MIT */
/*
 * Configuration from environment variables only, through one table per
 * service (name, type, default, bounds, target field). config_load reports
 * every bad variable at once; afterwards the config is read-only.
 */
#ifndef JIANGXIN_CONFIG_H
#define JIANGXIN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_KEY_BYTES 32

enum config_type {
    CONFIG_STRING, /* const char *; min/max bound the length when max > 0 */
    CONFIG_SECRET, /* like STRING, but its value is never printed */
    CONFIG_INT,    /* long, within [min, max] */
    CONFIG_LISTEN, /* const char * "host:port" (IPv4 host, port 1..65535) */
    CONFIG_KEY,    /* unsigned char[CONFIG_KEY_BYTES] from 64 hex characters */
    CONFIG_URL,    /* const char *; must start with one of the schemes in `def_scheme` */
};

struct config_var {
    const char *name;
    enum config_type type;
    bool required;
    const char *def; /* default text (NULL: none) */
    long min;
    long max;
    size_t offset; /* offsetof(target struct, field) */
    const char *help;
    const char *schemes; /* CONFIG_URL: space-separated accepted prefixes */
};

typedef const char *config_get_fn(const char *name, void *ctx);

/* Loads every variable into `target`. Returns the number of problems; each is
 * one line "NAME: reason" appended to errbuf (truncated if needed). Values of
 * CONFIG_SECRET and CONFIG_KEY variables never appear in errbuf. */
int config_load_from(const struct config_var *vars,
                     size_t n,
                     void *target,
                     config_get_fn *get,
                     void *ctx,
                     char *errbuf,
                     size_t errlen);

/* config_load_from with getenv. */
int config_load(const struct config_var *vars, size_t n, void *target, char *errbuf, size_t errlen);

/* Splits "host:port"; false when malformed. host gets at most hostlen-1 chars. */
bool config_split_listen(const char *listen, char *host, size_t hostlen, unsigned *port);

#endif
