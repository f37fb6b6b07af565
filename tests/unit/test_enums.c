/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/enums.c: every value round-trips, values are
 * unique snake_case, skill levels are ordered, the role, unit-kind, phase,
 * state, skill-level and evidence-kind lists equal the SQL enum types as
 * every migration in db/migrations leaves them (CREATE TYPE, then any later
 * ALTER TYPE), and enums_to_json() has the documented shape. The repo root
 * comes from argv[1], else $TEST_DATA_DIR, else ".".
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enums.h"
#include "test.h"

#define MIGRATIONS     "db/migrations"
#define MIGRATIONS_MAX 512
#define SQL_VALUES     32

static const char *data_dir = ".";

static bool is_snake(const char *s)
{
    if (s == NULL || s[0] < 'a' || s[0] > 'z') {
        return false;
    }
    for (size_t i = 1; s[i] != '\0'; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return true;
}

static void test_round_trip(void)
{
    for (int s = 0; s < ENUMS__COUNT; s++) {
        enum enums_set set = (enum enums_set)s;
        int first = enums_first(set), last = first + enums_count(set) - 1;

        CHECKF(enums_set_name(set) != NULL, "set %d has no name", s);
        CHECKF(enums_count(set) > 0, "set %d is empty", s);
        for (int i = first; i <= last; i++) {
            const char *v = enums_value(set, i);

            CHECKF(is_snake(v), "%s[%d]: \"%s\"", enums_set_name(set), i, v ? v : "(null)");
            CHECKF(enums_from_value(set, v) == i, "%s[%d] does not round-trip", enums_set_name(set),
                   i);
            CHECKF(enums_label(set, i) != NULL && enums_label(set, i)[0] != '\0', "%s[%d] label",
                   enums_set_name(set), i);
            CHECKF(enums_label_en(set, i) != NULL && enums_label_en(set, i)[0] != '\0',
                   "%s[%d] label_en", enums_set_name(set), i);
        }
        CHECK(enums_value(set, first - 1) == NULL);
        CHECK(enums_value(set, last + 1) == NULL);
        CHECK(enums_label(set, last + 1) == NULL);
        CHECK(enums_label_en(set, first - 1) == NULL);
    }
}

static void test_unknown_values(void)
{
    CHECK_EQ_INT(enums_from_value(ENUMS_ROLES, "Admin"), -1);
    CHECK_EQ_INT(enums_from_value(ENUMS_ROLES, ""), -1);
    CHECK_EQ_INT(enums_from_value(ENUMS_ROLES, NULL), -1);
    CHECK_EQ_INT(enums_from_value(ENUMS_ROLES, "admin "), -1);
    CHECK_EQ_INT(enums_from_value(ENUMS__COUNT, "admin"), -1);
    CHECK_EQ_INT(enums_from_value((enum enums_set) - 1, "admin"), -1);
    CHECK(enums_set_name(ENUMS__COUNT) == NULL);
    CHECK_EQ_INT(enums_count(ENUMS__COUNT), 0);
    CHECK(enums_value(ENUMS__COUNT, 0) == NULL);
}

static void test_skill_levels(void)
{
    static const char *const expect[][2] = {
        {"apprentice", "学徒工"},
        {"junior_worker", "初级工（五级）"},
        {"intermediate_worker", "中级工（四级）"},
        {"senior_worker", "高级工（三级）"},
        {"technician", "技师（二级）"},
        {"senior_technician", "高级技师（一级）"},
        {"principal_technician", "特级技师"},
        {"chief_technician", "首席技师"},
    };

    CHECK_EQ_INT(enums_count(ENUMS_SKILL_LEVELS), SKILL__COUNT);
    CHECK_EQ_INT(TEST_COUNT(expect), SKILL__COUNT);
    for (int i = 0; i < SKILL__COUNT; i++) {
        CHECK_EQ_STR(skill_level_value((enum skill_level)i), expect[i][0]);
        CHECK_EQ_STR(enums_label(ENUMS_SKILL_LEVELS, i), expect[i][1]);
        CHECK_EQ_INT(skill_level_from_value(expect[i][0]), i);
    }
    /* Ordered lowest to highest, so "技师 or above" is a comparison. */
    CHECK(SKILL_APPRENTICE < SKILL_JUNIOR_WORKER);
    CHECK(SKILL_SENIOR_WORKER < SKILL_TECHNICIAN);
    CHECK(SKILL_SENIOR_TECHNICIAN < SKILL_PRINCIPAL_TECHNICIAN);
    CHECK_EQ_INT(SKILL_CHIEF_TECHNICIAN, 7);
    CHECK_EQ_INT(skill_level_from_value("master"), -1);
}

static void test_roles(void)
{
    /* Role values are auth.h's enum role; ROLE_NONE (anonymous) is not a role one holds. */
    CHECK_EQ_INT(enums_first(ENUMS_ROLES), ROLE_ADMIN);
    CHECK_EQ_INT(enums_count(ENUMS_ROLES), ROLE_VOTER - ROLE_ADMIN);
    CHECK(enums_value(ENUMS_ROLES, ROLE_VOTER) == NULL);
    CHECK_EQ_INT(enums_from_value(ENUMS_ROLES, "voter"), -1);
    CHECK_EQ_STR(enums_value(ENUMS_ROLES, ROLE_ADMIN), "admin");
    CHECK_EQ_STR(enums_value(ENUMS_ROLES, ROLE_SERVICE), "service");
    CHECK(enums_value(ENUMS_ROLES, ROLE_NONE) == NULL);
    CHECK_EQ_INT(enums_from_value(ENUMS_ROLES, "leader"), ROLE_LEADER);
    CHECK_EQ_INT(enums_from_value(ENUMS_ROLES, "none"), -1);
    CHECK_EQ_STR(enums_label(ENUMS_ROLES, ROLE_UNIT), "推荐单位");
    CHECK_EQ_STR(enums_label(ENUMS_ROLES, ROLE_OFFICE), "项目办公室");
    CHECK_EQ_STR(enums_label_en(ENUMS_ROLES, ROLE_EXPERT), "Review expert");
    CHECK_EQ_STR(enums_label(ENUMS_UNIT_KINDS, UNIT_KIND_SUBDISTRICT), "街道");
    CHECK(enums_unit_kind_valid("institution"));
    CHECK(!enums_unit_kind_valid("company"));
    CHECK(!enums_unit_kind_valid(NULL));
    CHECK_EQ_INT(enums_from_value(ENUMS_REVOCATION_REASONS, "consecutive_failed_assessments"),
                 REVOCATION_CONSECUTIVE_FAILED_ASSESSMENTS);
    CHECK_EQ_INT(enums_from_value(ENUMS_SUSPENSION_REASONS, "moved_out_of_district"),
                 SUSPENSION_MOVED_OUT_OF_DISTRICT);
}

/* Past blanks and the keyword kw (case as written in the migrations), or NULL. */
static const char *keyword(const char *p, const char *kw)
{
    p += strspn(p, " \t\r\n");
    return strncmp(p, kw, strlen(kw)) == 0 ? p + strlen(kw) : NULL;
}

/* A quoted value after blanks into out; past its closing quote, or NULL. */
static const char *quoted(const char *p, char out[32])
{
    const char *q;

    p = p != NULL ? keyword(p, "'") : NULL;
    if (p == NULL || (q = strchr(p, '\'')) == NULL || q - p >= 32) {
        return NULL;
    }
    snprintf(out, 32, "%.*s", (int)(q - p), p);
    return q + 1;
}

static int value_index(char values[][32], size_t n, const char *v)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(values[i], v) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* One `ALTER TYPE <name>` clause at p (ADD VALUE [IF NOT EXISTS] 'v'
 * [BEFORE|AFTER 'w'], RENAME VALUE 'a' TO 'b') applied to values. */
static size_t sql_enum_alter(const char *p, char values[][32], size_t n, size_t cap)
{
    char v[32], w[32];
    const char *q;
    int at;

    if ((q = keyword(p, "RENAME VALUE")) != NULL) {
        if ((q = quoted(q, v)) != NULL && (q = keyword(q, "TO")) != NULL && quoted(q, w) &&
            (at = value_index(values, n, v)) >= 0) {
            snprintf(values[at], 32, "%s", w);
        }
        return n;
    }
    if ((q = keyword(p, "ADD VALUE")) == NULL) {
        return n;
    }
    if (keyword(q, "IF NOT EXISTS") != NULL) {
        q = keyword(q, "IF NOT EXISTS");
    }
    if ((q = quoted(q, v)) == NULL || value_index(values, n, v) >= 0 || n == cap) {
        return n;
    }
    at = (int)n;
    if (keyword(q, "BEFORE") != NULL && quoted(keyword(q, "BEFORE"), w) != NULL) {
        at = value_index(values, n, w);
    } else if (keyword(q, "AFTER") != NULL && quoted(keyword(q, "AFTER"), w) != NULL) {
        at = value_index(values, n, w);
        at = at < 0 ? -1 : at + 1;
    }
    if (at < 0) {
        return n;
    }
    memmove(values[at + 1], values[at], (n - (size_t)at) * sizeof(values[0]));
    snprintf(values[at], 32, "%s", v);
    return n + 1;
}

/* The values of enum type `name` as sql leaves them, in order: those of
 * `CREATE TYPE <name> AS ENUM (...)`, then each later `ALTER TYPE <name>`. */
static size_t sql_enum(const char *sql, const char *name, char values[][32], size_t cap)
{
    char head[128], alter[128];
    const char *p, *end;
    size_t n = 0;

    snprintf(head, sizeof(head), "CREATE TYPE %s AS ENUM (", name);
    p = sql != NULL ? strstr(sql, head) : NULL;
    if (p == NULL) {
        return 0;
    }
    p += strlen(head);
    end = strchr(p, ')');
    while (end != NULL && n < cap && (p = strchr(p, '\'')) != NULL && p < end) {
        const char *q = strchr(p + 1, '\'');

        if (q == NULL || q - p - 1 >= 32) {
            break;
        }
        snprintf(values[n++], 32, "%.*s", (int)(q - p - 1), p + 1);
        p = q + 1;
    }
    snprintf(alter, sizeof(alter), "ALTER TYPE %s ", name);
    for (p = end; p != NULL && (p = strstr(p, alter)) != NULL; p += strlen(alter)) {
        n = sql_enum_alter(p + strlen(alter), values, n, cap);
    }
    return n;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long len;

    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)len + 1)) != NULL) {
        if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
            free(buf);
            buf = NULL;
        } else {
            buf[len] = '\0';
        }
    }
    fclose(f);
    return buf;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every NNNN_*.sql of db/migrations, in order, as one text (NULL: unreadable). */
static char *read_migrations(void)
{
    char dir[1024], path[2048], *names[MIGRATIONS_MAX];
    char *all = NULL;
    size_t n = 0, len = 0;
    struct dirent *e;
    bool ok = true;
    DIR *d;

    snprintf(dir, sizeof(dir), "%s/%s", data_dir, MIGRATIONS);
    if ((d = opendir(dir)) == NULL) {
        return NULL;
    }
    while ((e = readdir(d)) != NULL && n < MIGRATIONS_MAX) {
        size_t nl = strlen(e->d_name);

        if (nl > 9 && strspn(e->d_name, "0123456789") == 4 && e->d_name[4] == '_' &&
            strcmp(e->d_name + nl - 4, ".sql") == 0 && (names[n] = strdup(e->d_name)) != NULL) {
            n++;
        }
    }
    closedir(d);
    qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        char *sql, *grown;

        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        sql = ok ? read_file(path) : NULL;
        grown = sql != NULL ? realloc(all, len + strlen(sql) + 2) : NULL;
        if (grown == NULL) {
            ok = false;
        } else {
            all = grown;
            snprintf(all + len, strlen(sql) + 2, "%s\n", sql);
            len += strlen(sql) + 1;
        }
        free(sql);
        free(names[i]);
    }
    if (!ok || all == NULL) {
        free(all);
        return NULL;
    }
    return all;
}

static void check_same_as_sql(const char *sql, const char *type, enum enums_set set)
{
    char values[SQL_VALUES][32];
    size_t n = sql_enum(sql, type, values, SQL_VALUES);

    CHECKF((int)n == enums_count(set), "%s: %zu values in SQL, %d in C", type, n, enums_count(set));
    for (size_t i = 0; i < n; i++) {
        const char *v = enums_value(set, enums_first(set) + (int)i);

        CHECKF(v != NULL && strcmp(values[i], v) == 0, "%s[%zu]: SQL \"%s\"", type, i, values[i]);
    }
}

/* A later ALTER TYPE is not missed. */
static void test_sql_enum_alter(void)
{
    static const char sql[] = "CREATE TYPE t AS ENUM ('a', 'c');\n"
                              "CREATE TYPE t_other AS ENUM ('x');\n"
                              "ALTER TYPE t ADD VALUE 'b' BEFORE 'c';\n"
                              "ALTER TYPE t_other ADD VALUE 'y';\n"
                              "ALTER TYPE t ADD VALUE 'd';\n"
                              "ALTER TYPE t ADD VALUE IF NOT EXISTS 'a';\n"
                              "ALTER TYPE t ADD VALUE IF NOT EXISTS 'z' AFTER 'a';\n"
                              "ALTER TYPE t RENAME VALUE 'd' TO 'e';\n";
    static const char *const expect[] = {"a", "z", "b", "c", "e"};
    char values[SQL_VALUES][32];
    size_t n = sql_enum(sql, "t", values, SQL_VALUES);

    CHECK_EQ_INT((int)n, TEST_COUNT(expect));
    for (size_t i = 0; i < n && i < TEST_COUNT(expect); i++) {
        CHECK_EQ_STR(values[i], expect[i]);
    }
    CHECK_EQ_INT((int)sql_enum(sql, "t_other", values, SQL_VALUES), 2);
    CHECK_EQ_INT((int)sql_enum(sql, "t_missing", values, SQL_VALUES), 0);
}

static void test_matches_sql_types(void)
{
    char *sql = read_migrations();

    CHECKF(sql != NULL, "cannot read %s/%s", data_dir, MIGRATIONS);
    check_same_as_sql(sql, "user_role", ENUMS_ROLES);
    check_same_as_sql(sql, "unit_kind", ENUMS_UNIT_KINDS);
    check_same_as_sql(sql, "round_phase", ENUMS_ROUND_PHASES);
    check_same_as_sql(sql, "nomination_state", ENUMS_NOMINATION_STATES);
    check_same_as_sql(sql, "skill_level", ENUMS_SKILL_LEVELS);
    check_same_as_sql(sql, "evidence_kind", ENUMS_EVIDENCE_KINDS);
    free(sql);
}

static void test_to_json(void)
{
    json_t *root = enums_to_json();

    CHECK(json_is_object(root));
    CHECK_EQ_INT(json_object_size(root), ENUMS__COUNT);
    for (int s = 0; s < ENUMS__COUNT; s++) {
        enum enums_set set = (enum enums_set)s;
        const json_t *arr = json_object_get(root, enums_set_name(set));
        const json_t *item;
        size_t i;

        CHECKF(json_array_size(arr) == (size_t)enums_count(set), "%s", enums_set_name(set));
        json_array_foreach(arr, i, item)
        {
            size_t want = set == ENUMS_SKILL_LEVELS ? 4 : 3;
            int v = enums_first(set) + (int)i;

            CHECK_EQ_INT(json_object_size(item), want);
            CHECK_EQ_STR(json_string_value(json_object_get(item, "value")), enums_value(set, v));
            CHECK_EQ_STR(json_string_value(json_object_get(item, "label")), enums_label(set, v));
            CHECK_EQ_STR(json_string_value(json_object_get(item, "label_en")),
                         enums_label_en(set, v));
            if (set == ENUMS_SKILL_LEVELS) {
                CHECK_EQ_INT(json_integer_value(json_object_get(item, "rank")), i);
            }
        }
    }
    CHECK_EQ_STR(json_string_value(json_object_get(
                     json_array_get(json_object_get(root, "skill_levels"), 4), "label")),
                 "技师（二级）");
    json_decref(root);
}

static const struct test_case cases[] = {
    {"every value round-trips", test_round_trip},
    {"unknown values and sets", test_unknown_values},
    {"skill levels are ordered", test_skill_levels},
    {"roles, unit kinds and reasons", test_roles},
    {"SQL enum values after ALTER TYPE", test_sql_enum_alter},
    {"enums equal the SQL types of the migrations", test_matches_sql_types},
    {"enums_to_json shape", test_to_json},
};

int main(int argc, char **argv)
{
    const char *env = getenv("TEST_DATA_DIR");

    if (argc > 1) {
        data_dir = argv[1];
    } else if (env != NULL && env[0] != '\0') {
        data_dir = env;
    }
    return test_run(cases, TEST_COUNT(cases));
}
