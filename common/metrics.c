/* SPDX-License-Identifier: MIT */
/*
 * A small lock-protected registry. One mutex is enough: an observation is a
 * few additions, far below the cost of the request it measures.
 */
#include "metrics.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double bucket_bounds[METRICS_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

struct status_count {
    unsigned status;
    unsigned long long count;
};

struct metrics_slot {
    char *route;
    char *method;
    struct status_count statuses[METRICS_STATUS_SLOTS];
    unsigned long long buckets[METRICS_BUCKETS];
    unsigned long long count;
    double sum;
};

struct metrics {
    pthread_mutex_t lock;
    char *service;
    size_t n_slots;
    struct metrics_slot *slots;
};

struct metrics *metrics_new(const char *service,
                            const char *const *routes,
                            const char *const *methods,
                            size_t n_slots)
{
    struct metrics *m = calloc(1, sizeof(*m));

    if (m == NULL) {
        return NULL;
    }
    pthread_mutex_init(&m->lock, NULL);
    m->service = strdup(service);
    m->slots = calloc(n_slots, sizeof(*m->slots));
    m->n_slots = n_slots;
    if (m->service == NULL || m->slots == NULL) {
        metrics_free(m);
        return NULL;
    }
    for (size_t i = 0; i < n_slots; i++) {
        m->slots[i].route = strdup(routes[i]);
        m->slots[i].method = strdup(methods[i]);
        if (m->slots[i].route == NULL || m->slots[i].method == NULL) {
            metrics_free(m);
            return NULL;
        }
    }
    return m;
}

void metrics_free(struct metrics *m)
{
    if (m == NULL) {
        return;
    }
    for (size_t i = 0; m->slots != NULL && i < m->n_slots; i++) {
        free(m->slots[i].route);
        free(m->slots[i].method);
    }
    free(m->slots);
    free(m->service);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

void metrics_observe(struct metrics *m, size_t slot, unsigned status, double seconds)
{
    struct metrics_slot *s;

    if (m == NULL || slot >= m->n_slots) {
        return;
    }
    s = &m->slots[slot];
    pthread_mutex_lock(&m->lock);
    for (size_t i = 0; i < METRICS_STATUS_SLOTS; i++) {
        /* The last slot collects any status beyond the first 15 seen. */
        if (s->statuses[i].status == status || s->statuses[i].status == 0 ||
            i == METRICS_STATUS_SLOTS - 1) {
            s->statuses[i].status = s->statuses[i].status == 0 ? status : s->statuses[i].status;
            s->statuses[i].count++;
            break;
        }
    }
    for (size_t b = 0; b < METRICS_BUCKETS; b++) {
        if (seconds <= bucket_bounds[b]) {
            s->buckets[b]++;
        }
    }
    s->count++;
    s->sum += seconds;
    pthread_mutex_unlock(&m->lock);
}

struct buf {
    char *data;
    size_t len, cap;
    int failed;
};

static void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (b->failed) {
        return;
    }
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap + (size_t)n + 1) * 2;
        char *p = realloc(b->data, cap);
        if (p == NULL) {
            b->failed = 1;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
}

char *metrics_render(struct metrics *m)
{
    struct buf b = {.data = malloc(4096), .cap = 4096};

    if (b.data == NULL) {
        return NULL;
    }
    b.data[0] = '\0';
    pthread_mutex_lock(&m->lock);
    buf_printf(&b, "# HELP jiangxin_http_requests_total HTTP requests by route, method and "
                   "status.\n# TYPE jiangxin_http_requests_total counter\n");
    for (size_t i = 0; i < m->n_slots; i++) {
        const struct metrics_slot *s = &m->slots[i];
        for (size_t k = 0; k < METRICS_STATUS_SLOTS && s->statuses[k].status != 0; k++) {
            buf_printf(&b,
                       "jiangxin_http_requests_total{service=\"%s\",route=\"%s\",method=\"%s\","
                       "status=\"%u\"} %llu\n",
                       m->service, s->route, s->method, s->statuses[k].status,
                       s->statuses[k].count);
        }
    }
    buf_printf(&b, "# HELP jiangxin_http_request_duration_seconds Time from routing to the "
                   "response, by route and method.\n"
                   "# TYPE jiangxin_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < m->n_slots; i++) {
        const struct metrics_slot *s = &m->slots[i];
        const char *lbl = "jiangxin_http_request_duration_seconds";

        if (s->count == 0) {
            continue;
        }
        for (size_t k = 0; k < METRICS_BUCKETS; k++) {
            buf_printf(&b, "%s_bucket{service=\"%s\",route=\"%s\",method=\"%s\",le=\"%g\"} %llu\n",
                       lbl, m->service, s->route, s->method, bucket_bounds[k], s->buckets[k]);
        }
        buf_printf(&b, "%s_bucket{service=\"%s\",route=\"%s\",method=\"%s\",le=\"+Inf\"} %llu\n",
                   lbl, m->service, s->route, s->method, s->count);
        buf_printf(&b, "%s_sum{service=\"%s\",route=\"%s\",method=\"%s\"} %.6f\n", lbl, m->service,
                   s->route, s->method, s->sum);
        buf_printf(&b, "%s_count{service=\"%s\",route=\"%s\",method=\"%s\"} %llu\n", lbl,
                   m->service, s->route, s->method, s->count);
    }
    pthread_mutex_unlock(&m->lock);
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    return b.data;
}
