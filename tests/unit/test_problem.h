/* SPDX-License-Identifier: MIT */
/* For unit tests of rules that report into a struct problem (common/problem.h). */
#ifndef JIANGXIN_TEST_PROBLEM_H
#define JIANGXIN_TEST_PROBLEM_H

#include <stdio.h>
#include <string.h>

#include "problem.h"

/* "pointer:code" of p's errors, space-separated (a static buffer). */
static inline const char *test_faults(const struct problem *p)
{
    static char out[2048];

    out[0] = '\0';
    for (size_t i = 0; i < p->n_errors; i++) {
        size_t used = strlen(out);
        snprintf(out + used, sizeof(out) - used, "%s%s:%s", i ? " " : "", p->errors[i].pointer,
                 p->errors[i].code);
    }
    return out;
}

#endif
