/* SPDX-License-Identifier: MIT */
/*
 * Prometheus metrics for HTTP traffic: a request counter and a latency
 * histogram, both by route, method and status. Slots are fixed at
 * start (one per route-table row plus one for unmatched requests), so label
 * cardinality is bounded and no personal data can reach a label.
 */
#ifndef JIANGXIN_METRICS_H
#define JIANGXIN_METRICS_H

#include <stddef.h>

#define METRICS_STATUS_SLOTS 16
#define METRICS_BUCKETS      12

struct metrics;

/* `labels[i]` is "route\x1fmethod" for slot i (copied). NULL when out of memory. */
struct metrics *metrics_new(const char *service,
                            const char *const *routes,
                            const char *const *methods,
                            size_t n_slots);
void metrics_free(struct metrics *m);
void metrics_observe(struct metrics *m, size_t slot, unsigned status, double seconds);
/* Prometheus text format 0.0.4; malloc'd, NULL when out of memory. */
char *metrics_render(struct metrics *m);

#endif
