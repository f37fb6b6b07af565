/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/worker.c: the step runs again every interval, a
 * wake runs it early, a stop ends a long pause at once and lets a step in
 * flight finish, thread_end runs once on the worker thread, and bad
 * configurations are refused. Run under ASan, the build also checks leaks.
 */
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "log.h"
#include "test.h"
#include "worker.h"

#define LONG_INTERVAL_MS 60000 /* longer than any test: only a wake or stop ends it */
#define WAIT_LIMIT_MS    5000  /* how long a test waits for the worker before failing */

/* What the worker thread did, shared with the test thread. */
struct probe {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int steps;
    int ends;
    bool end_on_worker_thread;
    pthread_t step_thread;
    char name[WORKER_NAME_MAX];
    bool hold;            /* the step waits while set */
    bool step_until_stop; /* the step spins until worker_stopping */
    bool saw_stopping;    /* it did see worker_stopping */
};

static long long mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static void probe_init(struct probe *pr)
{
    memset(pr, 0, sizeof(*pr));
    pthread_mutex_init(&pr->lock, NULL);
    pthread_cond_init(&pr->changed, NULL);
}

static void probe_destroy(struct probe *pr)
{
    pthread_cond_destroy(&pr->changed);
    pthread_mutex_destroy(&pr->lock);
}

static int probe_steps(struct probe *pr)
{
    pthread_mutex_lock(&pr->lock);
    int n = pr->steps;
    pthread_mutex_unlock(&pr->lock);
    return n;
}

/* Waits until at least n steps have run; false after WAIT_LIMIT_MS. */
static bool probe_wait_steps(struct probe *pr, int n)
{
    long long until = mono_ms() + WAIT_LIMIT_MS;

    while (probe_steps(pr) < n) {
        if (mono_ms() > until) {
            return false;
        }
        sleep_ms(1);
    }
    return true;
}

static void step(struct worker *w, void *arg)
{
    struct probe *pr = arg;

    pthread_mutex_lock(&pr->lock);
    pr->steps++;
    pr->step_thread = pthread_self();
    pthread_getname_np(pthread_self(), pr->name, sizeof(pr->name));
    while (pr->hold) {
        pthread_cond_wait(&pr->changed, &pr->lock);
    }
    pthread_mutex_unlock(&pr->lock);
    while (pr->step_until_stop && !worker_stopping(w)) {
        sleep_ms(1);
    }
    if (worker_stopping(w)) {
        pthread_mutex_lock(&pr->lock);
        pr->saw_stopping = true;
        pthread_mutex_unlock(&pr->lock);
    }
}

static void thread_end(void *arg)
{
    struct probe *pr = arg;

    pthread_mutex_lock(&pr->lock);
    pr->ends++;
    pr->end_on_worker_thread = pthread_equal(pthread_self(), pr->step_thread) != 0;
    pthread_mutex_unlock(&pr->lock);
}

static struct worker *start(struct probe *pr, const char *name, long interval_ms)
{
    struct worker_conf conf = {.name = name,
                               .interval_ms = interval_ms,
                               .step = step,
                               .thread_end = thread_end,
                               .arg = pr};
    struct worker *w = NULL;

    CHECK_EQ_INT(worker_start(&conf, &w), APP_OK);
    CHECK(w != NULL);
    return w;
}

static void test_steps_repeat(void)
{
    struct probe pr;
    probe_init(&pr);
    long long t0 = mono_ms();
    struct worker *w = start(&pr, "test-repeat", 20);

    CHECK(probe_wait_steps(&pr, 5));
    /* Four pauses of 20 ms lie between the first step and the fifth. */
    CHECK(mono_ms() - t0 >= 4 * 20);
    worker_stop(w);
    CHECK_EQ_INT(pr.ends, 1);
    CHECK(pr.end_on_worker_thread);
    CHECK(!pthread_equal(pr.step_thread, pthread_self()));
    CHECK_EQ_STR(pr.name, "test-repeat");
    probe_destroy(&pr);
}

static void test_wake_runs_early(void)
{
    struct probe pr;
    probe_init(&pr);
    struct worker *w = start(&pr, "test-wake", LONG_INTERVAL_MS);

    CHECK(probe_wait_steps(&pr, 1)); /* the first step runs at once */
    sleep_ms(20);
    CHECK_EQ_INT(probe_steps(&pr), 1);
    for (int i = 2; i <= 4; i++) {
        worker_wake(w);
        CHECKF(probe_wait_steps(&pr, i), "wake %d", i - 1);
    }
    sleep_ms(20);
    CHECK_EQ_INT(probe_steps(&pr), 4); /* and no more without a wake */
    worker_stop(w);
    probe_destroy(&pr);
}

static void test_wake_during_step(void)
{
    struct probe pr;
    probe_init(&pr);
    pr.hold = true;
    struct worker *w = start(&pr, "test-wake-step", LONG_INTERVAL_MS);

    CHECK(probe_wait_steps(&pr, 1));
    /* Both land while the first step is held: one more step, not two. */
    worker_wake(w);
    worker_wake(w);
    pthread_mutex_lock(&pr.lock);
    pr.hold = false;
    pthread_cond_broadcast(&pr.changed);
    pthread_mutex_unlock(&pr.lock);
    CHECK(probe_wait_steps(&pr, 2));
    sleep_ms(100);
    CHECK_EQ_INT(probe_steps(&pr), 2);
    worker_stop(w);
    probe_destroy(&pr);
}

static void test_stop_ends_long_pause(void)
{
    struct probe pr;
    probe_init(&pr);
    struct worker *w = start(&pr, "test-stop", LONG_INTERVAL_MS);

    CHECK(probe_wait_steps(&pr, 1));
    sleep_ms(20); /* well into the pause */
    long long t0 = mono_ms();
    worker_stop(w);
    CHECK(mono_ms() - t0 < 1000);
    CHECK_EQ_INT(pr.steps, 1);
    CHECK_EQ_INT(pr.ends, 1);
    probe_destroy(&pr);
}

static void test_stop_lets_step_finish(void)
{
    struct probe pr;
    probe_init(&pr);
    pr.step_until_stop = true;
    struct worker *w = start(&pr, "test-stop-step", 10);

    CHECK(probe_wait_steps(&pr, 1));
    long long t0 = mono_ms();
    worker_stop(w);
    CHECK(mono_ms() - t0 < 1000);
    CHECK(pr.saw_stopping);    /* the step learnt of the stop and cut short */
    CHECK_EQ_INT(pr.steps, 1); /* and no step started after it */
    CHECK_EQ_INT(pr.ends, 1);
    probe_destroy(&pr);
}

static void test_stop_at_once(void)
{
    /* Started and stopped at once, many times: never hangs, never leaks. */
    for (int i = 0; i < 50; i++) {
        struct probe pr;
        probe_init(&pr);
        struct worker *w = start(&pr, "test-churn", LONG_INTERVAL_MS);

        if (i % 2 == 1) {
            worker_wake(w);
        }
        worker_stop(w);
        CHECKF(pr.steps <= 2, "round %d: %d steps", i, pr.steps);
        CHECKF(pr.ends == 1, "round %d: thread_end ran %d times", i, pr.ends);
        probe_destroy(&pr);
    }
    worker_stop(NULL);
}

static void test_long_name_cut(void)
{
    struct probe pr;
    probe_init(&pr);
    struct worker *w = start(&pr, "a-name-longer-than-fifteen", LONG_INTERVAL_MS);

    CHECK(probe_wait_steps(&pr, 1));
    worker_stop(w);
    CHECK_EQ_STR(pr.name, "a-name-longer-t");
    probe_destroy(&pr);
}

static void test_no_thread_end(void)
{
    struct probe pr;
    probe_init(&pr);
    struct worker_conf conf = {.name = "test-no-end", .interval_ms = 5, .step = step, .arg = &pr};
    struct worker *w = NULL;

    CHECK_EQ_INT(worker_start(&conf, &w), APP_OK);
    CHECK(probe_wait_steps(&pr, 3));
    worker_stop(w);
    CHECK_EQ_INT(pr.ends, 0);
    probe_destroy(&pr);
}

static void test_bad_conf(void)
{
    static const struct {
        const char *name;
        long interval_ms;
        bool has_step;
    } rows[] = {
        {NULL, 1000, true},
        {"bad-interval", 0, true},
        {"bad-interval", -5, true},
        {"no-step", 1000, false},
    };
    struct worker *sentinel = (struct worker *)&rows; /* any non-NULL address */

    /* The refusals are logged to stdout, which is the TAP stream: mute. */
    log_init("test_worker", (enum log_level)(LOG_ERROR + 1));
    for (size_t i = 0; i < TEST_COUNT(rows); i++) {
        struct worker_conf conf = {.name = rows[i].name,
                                   .interval_ms = rows[i].interval_ms,
                                   .step = rows[i].has_step ? step : NULL};
        struct worker *w = sentinel;

        CHECKF(worker_start(&conf, &w) == APP_ERR_INTERNAL, "row %zu", i);
        CHECKF(w == sentinel, "row %zu: ret written on failure", i);
    }
    log_init("test_worker", LOG_INFO);
}

int main(void)
{
    static const struct test_case cases[] = {
        {"the step runs again every interval", test_steps_repeat},
        {"a wake runs the step early", test_wake_runs_early},
        {"wakes during a step run one more step", test_wake_during_step},
        {"a stop ends a long pause at once", test_stop_ends_long_pause},
        {"a stop lets the step in flight finish", test_stop_lets_step_finish},
        {"start then stop at once, repeatedly", test_stop_at_once},
        {"a long name is cut to 15 characters", test_long_name_cut},
        {"thread_end is optional", test_no_thread_end},
        {"bad configurations are refused", test_bad_conf},
    };

    return test_run(cases, TEST_COUNT(cases));
}
