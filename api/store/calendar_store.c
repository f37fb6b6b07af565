/* SPDX-License-Identifier: MIT */
/*
 * The working-day calendar tables. Arithmetic lives in api/model/workdays.c;
 * this file loads what it needs (known years, listed days in a range) and
 * writes days loaded from holiday-cn files or set by an admin.
 */
#include "calendar_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "db_internal.h"
#include "workdays.h"

/* A loaded year as GET /v1/calendar/years lists it. */
#define CALENDAR_YEAR_HEAD                                                                     \
    "jsonb_build_object('year', y.year, 'source', y.source, 'loaded_at', api_ts(y.loaded_at)," \
    " 'listed_days', (SELECT count(*) FROM calendar_days d"                                    \
    "                  WHERE d.day BETWEEN make_date(y.year, 1, 1)"                            \
    "                                  AND make_date(y.year, 12, 31)),"                        \
    " 'version', y.version)"

const struct db_statement calendar_store_statements[] = {
    {"calendar_store_year",
     "SELECT jsonb_build_object("
     "  'year', y.year, 'source', y.source, 'loaded_at', api_ts(y.loaded_at),"
     "  'version', y.version,"
     "  'workday_count', s.work, 'offday_count', s.total - s.work,"
     "  'days', coalesce((SELECT jsonb_agg(jsonb_build_object("
     "        'date', to_char(d.day, 'YYYY-MM-DD'), 'is_workday', d.is_workday,"
     "        'kind', CASE WHEN d.is_workday THEN 'adjusted_workday' ELSE 'holiday' END,"
     "        'name', d.name) ORDER BY d.day)"
     "      FROM calendar_days d"
     "     WHERE d.day BETWEEN make_date(y.year, 1, 1) AND make_date(y.year, 12, 31)),"
     "    '[]'::jsonb))::text"
     "  FROM calendar_years y,"
     "       LATERAL (SELECT count(*) AS total,"
     "                       count(*) FILTER (WHERE coalesce(d.is_workday,"
     "                                                       extract(isodow FROM g) < 6)) AS work"
     "                  FROM generate_series(make_date(y.year, 1, 1), make_date(y.year, 12, 31),"
     "                                       interval '1 day') g"
     "                  LEFT JOIN calendar_days d ON d.day = g::date) s"
     " WHERE y.year = $1::int"},
    {"calendar_store_years", "SELECT year FROM calendar_years ORDER BY year"},
    {"calendar_store_range", "SELECT to_char(day, 'YYYY-MM-DD'), is_workday FROM calendar_days"
                             " WHERE day > $1::date AND day <= $1::date + $2::int"},
    {"calendar_store_day",
     "SELECT api_calendar_day(d)::text FROM calendar_days d WHERE day = $1::date"},
    {"calendar_store_update_day",
     "UPDATE calendar_days SET is_workday = $3::boolean, name = $4, source = 'admin',"
     "       version = version + 1, updated_at = now()"
     " WHERE day = $1::date AND version = $2::int"
     " RETURNING api_calendar_day(calendar_days)::text"},
    {"calendar_store_insert_day", "INSERT INTO calendar_days (day, is_workday, name, source)"
                                  " SELECT $1::date, $3::boolean, $4, 'admin' WHERE $2::int = 0"
                                  " ON CONFLICT (day) DO NOTHING"
                                  " RETURNING api_calendar_day(calendar_days)::text"},
    {"calendar_store_upsert_year",
     "INSERT INTO calendar_years (year, source) VALUES ($1::int, $2)"
     " ON CONFLICT (year) DO UPDATE SET source = EXCLUDED.source, loaded_at = now(),"
     "     version = calendar_years.version + 1"},
    {"calendar_store_years_list",
     "SELECT coalesce(jsonb_agg(" CALENDAR_YEAR_HEAD " ORDER BY y.year), '[]'::jsonb)::text"
     "  FROM calendar_years y"},
    {"calendar_store_year_head",
     "SELECT " CALENDAR_YEAR_HEAD "::text FROM calendar_years y WHERE y.year = $1::int"},
    {"calendar_store_prune_year",
     "DELETE FROM calendar_days"
     " WHERE day BETWEEN make_date($1::int, 1, 1) AND make_date($1::int, 12, 31)"
     "   AND day <> ALL ($2::date[])"},
    {"calendar_store_upsert_day",
     "INSERT INTO calendar_days (day, is_workday, name, source)"
     " VALUES ($1::date, $2::boolean, $3, $4)"
     " ON CONFLICT (day) DO UPDATE SET is_workday = EXCLUDED.is_workday, name = EXCLUDED.name,"
     "     source = EXCLUDED.source, version = calendar_days.version + 1, updated_at = now()"
     " WHERE (calendar_days.is_workday, calendar_days.name)"
     "       IS DISTINCT FROM (EXCLUDED.is_workday, EXCLUDED.name)"},
    {NULL, NULL},
};

enum app_err calendar_store_year(struct db *db, int year, char **ret_json)
{
    char y[16];
    const char *params[] = {y};

    snprintf(y, sizeof(y), "%d", year);
    return db_json_one(db, "calendar_store_year", 1, params, ret_json);
}

enum app_err calendar_store_load(struct db *db, int32_t from, int span_days, struct calendar *cal)
{
    char day[11], span[16];
    const char *params[] = {day, span};
    PGresult *res = NULL;
    enum app_err err = db_exec(db, "calendar_store_years", 0, NULL, PGRES_TUPLES_OK, &res);

    for (int i = 0; err == APP_OK && i < PQntuples(res); i++) {
        err = calendar_add_year(cal, atoi(PQgetvalue(res, i, 0)));
    }
    PQclear(res);
    res = NULL;
    if (err != APP_OK) {
        return err;
    }
    date_format(from, day);
    snprintf(span, sizeof(span), "%d", span_days);
    err = db_exec(db, "calendar_store_range", 2, params, PGRES_TUPLES_OK, &res);
    for (int i = 0; err == APP_OK && i < PQntuples(res); i++) {
        int32_t d;
        if (!date_parse(PQgetvalue(res, i, 0), &d)) {
            err = APP_ERR_INTERNAL;
            break;
        }
        err = calendar_set_day(cal, d, PQgetvalue(res, i, 1)[0] == 't');
    }
    PQclear(res);
    return err;
}

enum app_err calendar_store_day(struct db *db, int32_t day, char **ret_json)
{
    char d[11];
    const char *params[] = {d};

    date_format(day, d);
    return db_json_one(db, "calendar_store_day", 1, params, ret_json);
}

enum app_err calendar_store_put_day(
    struct db *db, int32_t day, int version, bool is_workday, const char *name, char **ret_json)
{
    char d[11], ver[16];
    const char *params[] = {d, ver, is_workday ? "true" : "false", name};

    date_format(day, d);
    snprintf(ver, sizeof(ver), "%d", version);
    /* Version 0 is the ETag of a day that is not listed yet. */
    return db_json_one(db, version == 0 ? "calendar_store_insert_day" : "calendar_store_update_day",
                       4, params, ret_json);
}

enum app_err calendar_store_upsert_year(struct db *db, int year, const char *source)
{
    char y[16];
    const char *params[] = {y, source};
    PGresult *res = NULL;
    enum app_err err;

    snprintf(y, sizeof(y), "%d", year);
    err = db_exec(db, "calendar_store_upsert_year", 2, params, PGRES_COMMAND_OK, &res);
    PQclear(res);
    return err;
}

enum app_err calendar_store_upsert_day(
    struct db *db, int32_t day, bool is_workday, const char *name, const char *source)
{
    char d[11];
    const char *params[] = {d, is_workday ? "true" : "false", name, source};
    PGresult *res = NULL;
    enum app_err err;

    date_format(day, d);
    err = db_exec(db, "calendar_store_upsert_day", 4, params, PGRES_COMMAND_OK, &res);
    PQclear(res);
    return err;
}

enum app_err calendar_store_years_list(struct db *db, char **ret_array)
{
    return db_json_one(db, "calendar_store_years_list", 0, NULL, ret_array);
}

enum app_err calendar_store_year_head(struct db *db, int year, char **ret_json)
{
    char y[16];
    const char *params[] = {y};

    snprintf(y, sizeof(y), "%d", year);
    return db_json_one(db, "calendar_store_year_head", 1, params, ret_json);
}

enum app_err
calendar_store_prune_year(struct db *db, int year, const struct holiday_cn_day *keep, size_t n)
{
    char y[16];
    char *list = malloc(n * 11 + 3), *o = list;
    const char *params[] = {y, list};
    PGresult *res = NULL;
    enum app_err err;

    if (list == NULL) {
        return APP_ERR_INTERNAL;
    }
    *o++ = '{';
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            *o++ = ',';
        }
        date_format(keep[i].day, o);
        o += 10;
    }
    *o++ = '}';
    *o = '\0';
    snprintf(y, sizeof(y), "%d", year);
    err = db_exec(db, "calendar_store_prune_year", 2, params, PGRES_COMMAND_OK, &res);
    PQclear(res);
    free(list);
    return err;
}
