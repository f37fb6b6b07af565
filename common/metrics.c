/* SPDX-License-Identifier: MIT */
/*
 * A small lock-protected registry. One mutex is enough: an observation is a
 * few additions, far below the cost of the request it measures.
 */
#include "metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textbuf.h"

static const double bucket_bounds[METRICS_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

/* One (route, method, status) series: its counter is the histogram count. */
struct status_series {
    unsigned status;
    unsigned long long buckets[METRICS_BUCKETS];
    unsigned long long count;
    double sum;
};

struct metrics_slot {
    char *route;
    char *method;
    struct status_series statuses[METRICS_STATUS_SLOTS];
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
    struct status_series *st = NULL;

    if (m == NULL || slot >= m->n_slots) {
        return;
    }
    pthread_mutex_lock(&m->lock);
    for (size_t i = 0; i < METRICS_STATUS_SLOTS; i++) {
        st = &m->slots[slot].statuses[i];
        /* The last series collects any status beyond the first 15 seen. */
        if (st->status == status || st->status == 0 || i == METRICS_STATUS_SLOTS - 1) {
            break;
        }
    }
    if (st->status == 0) {
        st->status = status;
    }
    for (size_t b = 0; b < METRICS_BUCKETS; b++) {
        if (seconds <= bucket_bounds[b]) {
            st->buckets[b]++;
        }
    }
    st->count++;
    st->sum += seconds;
    pthread_mutex_unlock(&m->lock);
}

/* Labels of one series: service, route, method, status. */
#define SERIES_FMT  "service=\"%s\",route=\"%s\",method=\"%s\",status=\"%u\""
#define SERIES_ARGS m->service, sl->route, sl->method, st->status

char *metrics_render(struct metrics *m)
{
    static const char hist[] = "jiangxin_http_request_duration_seconds";
    struct textbuf b;

    textbuf_init(&b, 4096);
    pthread_mutex_lock(&m->lock);
    textbuf_printf(&b, "# HELP jiangxin_http_requests_total HTTP requests by route, method and "
                       "status.\n# TYPE jiangxin_http_requests_total counter\n");
    for (size_t i = 0; i < m->n_slots; i++) {
        const struct metrics_slot *sl = &m->slots[i];
        for (size_t k = 0; k < METRICS_STATUS_SLOTS && sl->statuses[k].status != 0; k++) {
            const struct status_series *st = &sl->statuses[k];
            textbuf_printf(&b, "jiangxin_http_requests_total{" SERIES_FMT "} %llu\n", SERIES_ARGS,
                           st->count);
        }
    }
    textbuf_printf(&b,
                   "# HELP %s Time from routing to the response, by route, method and status.\n"
                   "# TYPE %s histogram\n",
                   hist, hist);
    for (size_t i = 0; i < m->n_slots; i++) {
        const struct metrics_slot *sl = &m->slots[i];
        for (size_t k = 0; k < METRICS_STATUS_SLOTS && sl->statuses[k].status != 0; k++) {
            const struct status_series *st = &sl->statuses[k];
            for (size_t j = 0; j < METRICS_BUCKETS; j++) {
                textbuf_printf(&b, "%s_bucket{" SERIES_FMT ",le=\"%g\"} %llu\n", hist, SERIES_ARGS,
                               bucket_bounds[j], st->buckets[j]);
            }
            textbuf_printf(&b, "%s_bucket{" SERIES_FMT ",le=\"+Inf\"} %llu\n", hist, SERIES_ARGS,
                           st->count);
            textbuf_printf(&b, "%s_sum{" SERIES_FMT "} %.6f\n", hist, SERIES_ARGS, st->sum);
            textbuf_printf(&b, "%s_count{" SERIES_FMT "} %llu\n", hist, SERIES_ARGS, st->count);
        }
    }
    pthread_mutex_unlock(&m->lock);
    return textbuf_take(&b, NULL);
}
