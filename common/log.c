/* SPDX-License-Identifier: MIT */
/*
 * JSON-lines logger. Each line is written with one fwrite on a line-buffered
 * stdout, so lines from pool threads never interleave (stdio locks per call).
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static const char *log_service = "jiangxin";
static enum log_level log_min = LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_init(const char *service, enum log_level min_level)
{
    log_service = service;
    log_min = min_level;
    setvbuf(stdout, NULL, _IOLBF, 0);
}

int log_level_from_name(const char *name)
{
    for (int i = 0; name != NULL && i <= LOG_ERROR; i++) {
        if (strcmp(name, level_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

static void timestamp(char *out, size_t len)
{
    struct timeval tv;
    struct tm tm;

    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)(tv.tv_usec / 1000));
}

void log_fields(enum log_level level, const char *msg, const json_t *fields)
{
    char ts[64];
    json_t *line;
    char *text;

    if (level < log_min) {
        return;
    }
    timestamp(ts, sizeof(ts));
    line = json_pack("{s:s, s:s, s:s, s:s}", "ts", ts, "level", level_names[level], "service",
                     log_service, "msg", msg);
    if (line == NULL) {
        return;
    }
    if (fields != NULL) {
        json_object_update_missing(line, (json_t *)fields);
    }
    text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text != NULL) {
        size_t n = strlen(text);
        text[n] = '\n'; /* replaces the NUL: written with its length below */
        fwrite(text, 1, n + 1, stdout);
        free(text);
    }
    json_decref(line);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    if (level < log_min) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* json_pack refuses invalid UTF-8; keep the line rather than lose it. */
    json_t *probe = json_string(msg);
    if (probe == NULL) {
        snprintf(msg, sizeof(msg), "(unprintable message)");
    }
    json_decref(probe);
    log_fields(level, msg, NULL);
}
