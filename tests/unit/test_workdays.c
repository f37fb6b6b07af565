/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/workdays.c (dates are common/civil_time.c,
 * test_civil_time.c): the calendar, holiday-cn parsing, and working-day counting against the real
 * seed files (the five worked examples of the research notes, year boundaries, 调休 days). The repo
 * root comes from argv[1], else $TEST_DATA_DIR, else ".".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "workdays.h"

#define SEED_FIRST_YEAR 2020
#define SEED_LAST_YEAR  2026
#define SEED_N_DAYS     255 /* entries in 2020.json .. 2026.json, no date twice */

static const char *data_dir = ".";
static struct calendar seed; /* all seed files, loaded by main() */
static bool seed_loaded;

/* Reads a whole file into a new NUL-terminated buffer, or NULL. */
static char *read_file(const char *path, size_t *ret_len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, got;

    if (f == NULL)
        return NULL;
    do {
        if (cap - len < 4096) {
            char *grown = realloc(buf, cap + 65536);

            if (grown == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
            cap += 65536;
        }
        got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
    } while (got > 0);
    fclose(f);
    buf[len] = '\0';
    *ret_len = len;
    return buf;
}

static enum app_err load_seed_year(struct calendar *cal, int year, int *ret_year)
{
    char path[1024], err[256] = "";
    size_t len;
    char *json;
    enum app_err e;

    snprintf(path, sizeof(path), "%s/db/seed/holiday-cn/%d.json", data_dir, year);
    json = read_file(path, &len);
    if (json == NULL) {
        test_fail(__FILE__, __LINE__, "cannot read %s (set TEST_DATA_DIR to the repo root)", path);
        return APP_ERR_INTERNAL;
    }
    e = calendar_load_holiday_cn(cal, json, len, ret_year, err, sizeof(err));
    if (e != APP_OK)
        test_fail(__FILE__, __LINE__, "%s: %s", path, err);
    free(json);
    return e;
}

/* Cases that use `seed` stop at once, with one diagnostic, when it did not load. */
#define REQUIRE_SEED()                                              \
    do {                                                            \
        if (!seed_loaded) {                                         \
            test_fail(__FILE__, __LINE__, "seed files not loaded"); \
            return;                                                 \
        }                                                           \
    } while (0)

static int32_t day_of(const char *s)
{
    int32_t day = INT32_MIN;

    if (!date_parse(s, &day))
        test_fail(__FILE__, __LINE__, "bad date literal %s", s);
    return day;
}

/* ---- calendar ---- */

static void test_calendar_years(void)
{
    struct calendar cal;

    calendar_init(&cal);
    CHECK(!calendar_has_year(&cal, 2026));
    CHECK_EQ_INT(calendar_add_year(&cal, 2026), APP_OK);
    CHECK(calendar_has_year(&cal, 2026));
    CHECK(!calendar_has_year(&cal, 2025));
    CHECK(!calendar_has_year(&cal, 2027));
    CHECK_EQ_INT(calendar_add_year(&cal, CALENDAR_YEAR_MIN), APP_OK);
    CHECK_EQ_INT(calendar_add_year(&cal, CALENDAR_YEAR_MAX), APP_OK);
    CHECK(calendar_has_year(&cal, 1900) && calendar_has_year(&cal, 2999));
    CHECK_EQ_INT(calendar_add_year(&cal, 1899), APP_ERR_VALIDATION);
    CHECK_EQ_INT(calendar_add_year(&cal, 3000), APP_ERR_VALIDATION);
    CHECK(!calendar_has_year(&cal, 1899) && !calendar_has_year(&cal, 3000));
    calendar_clear(&cal);
    CHECK(!calendar_has_year(&cal, 2026));
    calendar_clear(NULL);
}

static void test_calendar_set_day(void)
{
    static const char *const order[] = {"2026-05-01", "2026-01-01", "2026-12-31",
                                        "2026-02-17", "2026-01-02", "2026-10-10"};
    struct calendar cal;
    size_t i;
    bool work = true;

    calendar_init(&cal);
    for (i = 0; i < TEST_COUNT(order); i++)
        CHECK_EQ_INT(calendar_set_day(&cal, day_of(order[i]), false), APP_OK);
    CHECK_EQ_INT(cal.n_days, TEST_COUNT(order));
    for (i = 1; i < cal.n_days; i++)
        CHECKF(cal.days[i - 1].day < cal.days[i].day, "not sorted at %zu", i);
    /* Replacing keeps one entry. */
    CHECK_EQ_INT(calendar_set_day(&cal, day_of("2026-10-10"), true), APP_OK);
    CHECK_EQ_INT(cal.n_days, TEST_COUNT(order));
    /* Listing a day does not make its year known. */
    CHECK_EQ_INT(calendar_is_workday(&cal, day_of("2026-10-10"), &work), APP_ERR_CALENDAR_MISSING);
    CHECK_EQ_INT(calendar_add_year(&cal, 2026), APP_OK);
    CHECK_EQ_INT(calendar_is_workday(&cal, day_of("2026-10-10"), &work), APP_OK);
    CHECK(work);
    CHECK_EQ_INT(calendar_is_workday(&cal, day_of("2026-05-01"), &work), APP_OK);
    CHECK(!work);
    /* Many inserts, descending: exercises growth and memmove. */
    for (i = 0; i < 1000; i++)
        CHECK_EQ_INT(calendar_set_day(&cal, day_of("2020-01-01") - (int32_t)i, true), APP_OK);
    CHECK_EQ_INT(cal.n_days, TEST_COUNT(order) + 1000);
    for (i = 1; i < cal.n_days; i++)
        CHECKF(cal.days[i - 1].day < cal.days[i].day, "not sorted at %zu", i);
    calendar_clear(&cal);
    CHECK(cal.days == NULL && cal.n_days == 0);
}

/* A year without data is an error, not a guess; with data, weekdays work. */
static void test_calendar_missing_year(void)
{
    struct calendar cal;
    bool work = true;

    calendar_init(&cal);
    CHECK_EQ_INT(calendar_is_workday(&cal, day_of("2026-11-23"), &work), APP_ERR_CALENDAR_MISSING);
    CHECK(work); /* untouched */
    CHECK_EQ_INT(calendar_add_year(&cal, 2026), APP_OK);
    CHECK_EQ_INT(calendar_is_workday(&cal, day_of("2026-11-23"), &work), APP_OK); /* Monday */
    CHECK(work);
    CHECK_EQ_INT(calendar_is_workday(&cal, day_of("2026-11-28"), &work), APP_OK); /* Saturday */
    CHECK(!work);
    CHECK_EQ_INT(calendar_is_workday(&cal, day_of("2027-01-04"), &work), APP_ERR_CALENDAR_MISSING);
    calendar_clear(&cal);
}

/* ---- the seed files ---- */

/* Runs before the cases that use `seed`; they check seed_loaded. */
static void test_seed_loads(void)
{
    int y, year;

    seed_loaded = true;
    for (y = SEED_FIRST_YEAR; y <= SEED_LAST_YEAR; y++) {
        year = 0;
        if (load_seed_year(&seed, y, &year) != APP_OK)
            seed_loaded = false;
        CHECK_EQ_INT(year, y);
    }
    for (y = SEED_FIRST_YEAR; y <= SEED_LAST_YEAR; y++)
        CHECKF(calendar_has_year(&seed, y), "year %d not known", y);
    CHECK(!calendar_has_year(&seed, SEED_FIRST_YEAR - 1));
    CHECK(!calendar_has_year(&seed, SEED_LAST_YEAR + 1));
    CHECK_EQ_INT(seed.n_days, SEED_N_DAYS);
}

struct workdays_vector {
    const char *published;
    const char *days[5];    /* the 5 working days after publication */
    const char *if_counted; /* the last day if the publication day counted */
};

/* ecosystem-facts §1, "Worked examples", plus two more computed from the files. */
static const struct workdays_vector workdays_vectors[] = {
    {"2026-09-29",
     {"2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12"},
     "2026-10-10"},
    {"2026-02-12",
     {"2026-02-13", "2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26"},
     "2026-02-25"},
    {"2025-12-31",
     {"2026-01-04", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"},
     "2026-01-07"},
    {"2024-09-27",
     {"2024-09-29", "2024-09-30", "2024-10-08", "2024-10-09", "2024-10-10"},
     "2024-10-09"},
    {"2026-11-20",
     {"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"},
     "2026-11-26"},
    /* 2022-12-31 comes from 2023.json; 2023-01-02 is 元旦 in lieu. */
    {"2022-12-30",
     {"2023-01-03", "2023-01-04", "2023-01-05", "2023-01-06", "2023-01-09"},
     "2023-01-06"},
    /* Spring Festival 2020, extended to 2020-02-02. */
    {"2020-01-21",
     {"2020-01-22", "2020-01-23", "2020-02-03", "2020-02-04", "2020-02-05"},
     "2020-02-04"},
};

static void test_worked_examples(void)
{
    size_t i, k;

    REQUIRE_SEED();
    for (i = 0; i < TEST_COUNT(workdays_vectors); i++) {
        const struct workdays_vector *v = &workdays_vectors[i];
        int32_t got[5], from = day_of(v->published);
        int missing = 0;
        char s[11];

        if (workdays_after(&seed, from, 5, got, &missing) != APP_OK) {
            test_fail(__FILE__, __LINE__, "%s: workdays_after failed", v->published);
            continue;
        }
        for (k = 0; k < 5; k++) {
            date_format(got[k], s);
            CHECKF(strcmp(s, v->days[k]) == 0, "%s: day %zu is %s, want %s", v->published, k + 1, s,
                   v->days[k]);
        }
        /* Counting the publication day = counting from the day before it. */
        if (workdays_after(&seed, from - 1, 5, got, &missing) != APP_OK) {
            test_fail(__FILE__, __LINE__, "%s counted: workdays_after failed", v->published);
            continue;
        }
        date_format(got[4], s);
        CHECKF(strcmp(s, v->if_counted) == 0, "%s counted: last day %s, want %s", v->published, s,
               v->if_counted);
    }
}

static void test_adjusted_days(void)
{
    bool work = false;

    REQUIRE_SEED();
    CHECK_EQ_INT(calendar_is_workday(&seed, day_of("2026-10-10"), &work), APP_OK); /* Sat 调休 */
    CHECK(work);
    CHECK_EQ_INT(calendar_is_workday(&seed, day_of("2026-10-17"), &work), APP_OK); /* plain Sat */
    CHECK(!work);
    CHECK_EQ_INT(calendar_is_workday(&seed, day_of("2026-01-04"), &work), APP_OK); /* Sun 调休 */
    CHECK(work);
    CHECK_EQ_INT(calendar_is_workday(&seed, day_of("2026-10-01"), &work), APP_OK); /* Thu 国庆 */
    CHECK(!work);
    CHECK_EQ_INT(calendar_is_workday(&seed, day_of("2026-10-13"), &work), APP_OK); /* plain Tue */
    CHECK(work);
    /* A weekend merely next to a holiday is not listed; the default rule applies. */
    CHECK_EQ_INT(calendar_is_workday(&seed, day_of("2026-10-11"), &work), APP_OK); /* Sun */
    CHECK(!work);
}

static void test_year_boundaries(void)
{
    int32_t got[WORKDAYS_MAX], keep[WORKDAYS_MAX];
    int missing = 0;
    char s[11];

    REQUIRE_SEED();
    memset(got, 0x5a, sizeof(got));
    memcpy(keep, got, sizeof(got));
    /* 12-29, 12-30, 12-31, then 2027, which has no data. */
    CHECK_EQ_INT(workdays_after(&seed, day_of("2026-12-28"), 5, got, &missing),
                 APP_ERR_CALENDAR_MISSING);
    CHECK_EQ_INT(missing, 2027);
    CHECK(memcmp(got, keep, sizeof(got)) == 0);
    /* Three days still fit in 2026. */
    CHECK_EQ_INT(workdays_after(&seed, day_of("2026-12-28"), 3, got, &missing), APP_OK);
    date_format(got[2], s);
    CHECK_EQ_STR(s, "2026-12-31");
    /* The publication day needs no data, the first counted day does. */
    CHECK_EQ_INT(workdays_after(&seed, day_of("2019-12-31"), 5, got, &missing), APP_OK);
    date_format(got[0], s);
    CHECK_EQ_STR(s, "2020-01-02");
    missing = 0;
    CHECK_EQ_INT(workdays_after(&seed, day_of("2019-12-30"), 5, got, &missing),
                 APP_ERR_CALENDAR_MISSING);
    CHECK_EQ_INT(missing, 2019);
    /* 2026 has fewer than 250 working days. */
    CHECK_EQ_INT(workdays_after(&seed, day_of("2026-01-01"), WORKDAYS_MAX, got, &missing),
                 APP_ERR_CALENDAR_MISSING);
    CHECK_EQ_INT(missing, 2027);
    CHECK_EQ_INT(workdays_after(&seed, day_of("2026-12-31"), 1, got, NULL),
                 APP_ERR_CALENDAR_MISSING);
}

static void test_workdays_range(void)
{
    int32_t got[WORKDAYS_MAX + 1] = {0};
    int missing = 0;
    char s[11];

    REQUIRE_SEED();
    CHECK_EQ_INT(workdays_after(&seed, day_of("2024-01-01"), 0, got, &missing), APP_ERR_VALIDATION);
    CHECK_EQ_INT(workdays_after(&seed, day_of("2024-01-01"), -1, got, &missing),
                 APP_ERR_VALIDATION);
    CHECK_EQ_INT(workdays_after(&seed, day_of("2024-01-01"), WORKDAYS_MAX + 1, got, &missing),
                 APP_ERR_VALIDATION);
    CHECK_EQ_INT(workdays_after(&seed, day_of("2020-01-01"), WORKDAYS_MAX, got, &missing), APP_OK);
    date_format(got[WORKDAYS_MAX - 1], s);
    CHECK_EQ_STR(s, "2021-01-04");
    CHECK_EQ_INT(workdays_after(&seed, day_of("2026-11-20"), 1, got, NULL), APP_OK);
    date_format(got[0], s);
    CHECK_EQ_STR(s, "2026-11-23");
}

/* 2023.json lists 2022-12-31: the day is set, the year 2022 is not made known. */
static void test_cross_year_entry(void)
{
    static const char json[] =
        "{\"year\": 2030, \"papers\": [], \"days\": ["
        "{\"name\": \"元旦\", \"date\": \"2029-12-31\", \"isOffDay\": true},"
        "{\"name\": \"元旦\", \"date\": \"2030-01-01\", \"isOffDay\": true},"
        "{\"name\": \"元旦\", \"date\": \"2030-01-05\", \"isOffDay\": false}]}";
    struct calendar cal;
    int year = 0;
    bool work = true;

    calendar_init(&cal);
    CHECK_EQ_INT(calendar_load_holiday_cn(&cal, json, strlen(json), &year, NULL, 0), APP_OK);
    CHECK_EQ_INT(year, 2030);
    CHECK(calendar_has_year(&cal, 2030));
    CHECK(!calendar_has_year(&cal, 2029));
    CHECK_EQ_INT(calendar_is_workday(&cal, day_of("2029-12-31"), &work), APP_ERR_CALENDAR_MISSING);
    CHECK_EQ_INT(calendar_add_year(&cal, 2029), APP_OK);
    CHECK_EQ_INT(calendar_is_workday(&cal, day_of("2029-12-31"), &work), APP_OK); /* a Monday */
    CHECK(!work);
    CHECK_EQ_INT(calendar_is_workday(&cal, day_of("2030-01-05"), &work), APP_OK); /* a Saturday */
    CHECK(work);
    calendar_clear(&cal);

    calendar_init(&cal);
    CHECK_EQ_INT(load_seed_year(&cal, 2023, &year), APP_OK);
    CHECK(calendar_has_year(&cal, 2023) && !calendar_has_year(&cal, 2022));
    CHECK_EQ_INT(calendar_is_workday(&cal, day_of("2022-12-31"), &work), APP_ERR_CALENDAR_MISSING);
    CHECK(cal.n_days > 0 && cal.days[0].day == day_of("2022-12-31") && !cal.days[0].is_workday);
    calendar_clear(&cal);
}

static void test_holiday_cn_parse(void)
{
    char path[1024], err[256];
    struct holiday_cn_day *days = NULL;
    size_t len, n = 0, i;
    int year = 0;
    char *json;

    snprintf(path, sizeof(path), "%s/db/seed/holiday-cn/2023.json", data_dir);
    json = read_file(path, &len);
    CHECKF(json != NULL, "cannot read %s", path);
    if (json == NULL)
        return;
    CHECK_EQ_INT(holiday_cn_parse(json, len, &year, &days, &n, err, sizeof(err)), APP_OK);
    free(json);
    CHECK_EQ_INT(year, 2023);
    CHECK_EQ_INT(n, 34);
    if (days == NULL || n == 0)
        return;
    CHECK_EQ_INT(days[0].day, day_of("2022-12-31"));
    CHECK(!days[0].is_workday);
    CHECK_EQ_STR(days[0].name, "元旦");
    for (i = 0; i < n; i++) {
        if (days[i].is_workday)
            break;
    }
    CHECKF(i < n, "no adjusted workday in 2023.json");
    if (i < n)
        CHECK(date_weekday(days[i].day) >= 6);
    free(days);
}

static const char *const bad_files[] = {
    "",
    "{",
    "[]",
    "{\"days\": [{\"name\": \"a\", \"date\": \"2026-01-01\", \"isOffDay\": true}]}",
    "{\"year\": \"2026\", \"days\": [{\"name\": \"a\", \"date\": \"2026-01-01\", \"isOffDay\": "
    "true}]}",
    "{\"year\": 1899, \"days\": [{\"name\": \"a\", \"date\": \"1899-01-01\", \"isOffDay\": true}]}",
    "{\"year\": 2026.0, \"days\": [{\"name\": \"a\", \"date\": \"2026-01-01\", \"isOffDay\": "
    "true}]}",
    "{\"year\": 2027, \"papers\": [], \"days\": []}", /* upstream placeholder */
    "{\"year\": 2026}",
    "{\"year\": 2026, \"days\": {}}",
    "{\"year\": 2026, \"days\": [1]}",
    "{\"year\": 2026, \"days\": [{\"name\": \"a\", \"date\": \"2026-02-29\", \"isOffDay\": true}]}",
    "{\"year\": 2026, \"days\": [{\"name\": \"a\", \"date\": \"2026-1-05\", \"isOffDay\": true}]}",
    "{\"year\": 2026, \"days\": [{\"name\": \"a\", \"date\": 20260101, \"isOffDay\": true}]}",
    "{\"year\": 2026, \"days\": [{\"name\": \"a\", \"date\": \"2026-01-01\", \"isOffDay\": 1}]}",
    "{\"year\": 2026, \"days\": [{\"name\": \"a\", \"date\": \"2026-01-01\"}]}",
    "{\"year\": 2026, \"days\": [{\"date\": \"2026-01-01\", \"isOffDay\": true}]}",
    "{\"year\": 2026, \"days\": [{\"name\": \"a\\u0000b\", \"date\": \"2026-01-01\", "
    "\"isOffDay\": true}]}",
    "{\"year\": 2026, \"days\": [{\"name\": "
    "\"0123456789012345678901234567890123456789012345678901234567890123\", "
    "\"date\": \"2026-01-01\", \"isOffDay\": true}]}",
    "{\"year\": 2026, \"days\": [{\"name\": \"a\", \"date\": \"2026-01-01\", \"isOffDay\": true},"
    "{\"name\": \"b\", \"date\": \"2026-01-01\", \"isOffDay\": false}]}",
    "{\"year\": 2026, \"year\": 2027, "
    "\"days\": [{\"name\": \"a\", \"date\": \"2026-01-01\", \"isOffDay\": true}]}",
};

static void test_holiday_cn_errors(void)
{
    size_t i;

    for (i = 0; i < TEST_COUNT(bad_files); i++) {
        static struct holiday_cn_day sentinel;
        struct holiday_cn_day *days = &sentinel;
        size_t n = 77;
        int year = 77;
        char err[256] = "";
        enum app_err got = holiday_cn_parse(bad_files[i], strlen(bad_files[i]), &year, &days, &n,
                                            err, sizeof(err));

        CHECKF(got == APP_ERR_VALIDATION, "bad file %zu: got %d", i, (int)got);
        CHECKF(err[0] != '\0', "bad file %zu: no message", i);
        CHECKF(year == 77 && n == 77 && days == &sentinel, "bad file %zu: outputs written", i);
    }
    /* errbuf is optional. */
    CHECK_EQ_INT(holiday_cn_parse("{", 1, NULL, NULL, NULL, NULL, 0), APP_ERR_VALIDATION);
}

/* A refused file leaves the calendar as it was. */
static void test_failed_load_is_atomic(void)
{
    static const char json[] = "{\"year\": 2030, \"days\": ["
                               "{\"name\": \"a\", \"date\": \"2030-01-01\", \"isOffDay\": true},"
                               "{\"name\": \"b\", \"date\": \"2030-02-30\", \"isOffDay\": true}]}";
    struct calendar cal;
    char err[256] = "";
    int year = 0;

    calendar_init(&cal);
    CHECK_EQ_INT(calendar_load_holiday_cn(&cal, json, strlen(json), &year, err, sizeof(err)),
                 APP_ERR_VALIDATION);
    CHECK_EQ_STR(err, "days[1].date: not a YYYY-MM-DD date");
    CHECK_EQ_INT(year, 0);
    CHECK_EQ_INT(cal.n_days, 0);
    CHECK(!calendar_has_year(&cal, 2030));
    calendar_clear(&cal);
}

int main(int argc, char **argv)
{
    static const struct test_case cases[] = {
        {"calendar years", test_calendar_years},
        {"calendar_set_day keeps order", test_calendar_set_day},
        {"a year without data is an error", test_calendar_missing_year},
        {"seed files load", test_seed_loads},
        {"worked examples", test_worked_examples},
        {"调休 days count, plain weekends do not", test_adjusted_days},
        {"year boundaries", test_year_boundaries},
        {"n range", test_workdays_range},
        {"cross-year entries", test_cross_year_entry},
        {"holiday_cn_parse", test_holiday_cn_parse},
        {"holiday_cn_parse refuses bad files", test_holiday_cn_errors},
        {"a failed load is all or nothing", test_failed_load_is_atomic},
    };
    const char *env = getenv("TEST_DATA_DIR");
    int rc;

    if (argc > 1)
        data_dir = argv[1];
    else if (env != NULL && env[0] != '\0')
        data_dir = env;

    calendar_init(&seed);
    rc = test_run(cases, TEST_COUNT(cases));
    calendar_clear(&seed);
    return rc;
}
