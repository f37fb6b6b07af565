/* SPDX-License-Identifier: MIT */
/*
 * JSON-lines logging to stdout: one object per line with ts, level, service
 * and msg plus any fields given. Callers never pass personal data, tokens or
 * secrets; the access log line is built by common/http.c.
 */
#ifndef JIANGXIN_LOG_H
#define JIANGXIN_LOG_H

#include <jansson.h>

enum log_level {
    LOG_DEBUG = 0,
    LOG_INFO,
    LOG_WARN,
    LOG_ERROR,
};

/* Sets the service name and minimum level. Call once before threads start. */
void log_init(const char *service, enum log_level min_level);
/* "debug"|"info"|"warn"|"error" → level; -1 when unknown. */
int log_level_from_name(const char *name);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Logs msg with the members of `fields` (borrowed; may be NULL). */
void log_fields(enum log_level level, const char *msg, const json_t *fields);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)

#endif
