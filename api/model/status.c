/* SPDX-License-Identifier: MIT */
/*
 * Status warnings (see status.h). Each warning is built by one function
 * from plain figures, with its Chinese and English message side by side.
 */
#include "status.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "civil_time.h"
#include "json_fields.h"

static bool year_loaded(const json_t *years, int year)
{
    size_t i;
    json_t *v;

    json_array_foreach(years, i, v)
    {
        if (json_integer_value(v) == year) {
            return true;
        }
    }
    return false;
}

int32_t status_calendar_end(int32_t today, const json_t *years)
{
    int y, m, d;

    date_split(today, &y, &m, &d);
    if (!year_loaded(years, y)) {
        return -1;
    }
    while (year_loaded(years, y + 1)) {
        y++;
    }
    return date_make(y, 12, 31);
}

/* Appends {code, severity, message, message_en} plus `extra`'s members
 * (taken); false when out of memory. */
static bool add(json_t *out,
                const char *code,
                const char *severity,
                const char *zh,
                const char *en,
                json_t *extra)
{
    json_t *w = json_pack("{s:s, s:s, s:s, s:s}", "code", code, "severity", severity, "message", zh,
                          "message_en", en);
    bool ok = w != NULL && extra != NULL && json_object_update(w, extra) == 0 &&
              json_array_append(out, w) == 0;

    json_decref(w);
    json_decref(extra);
    return ok;
}

static bool calendar_warning(json_t *out, int32_t today, const json_t *years)
{
    char zh[256], en[256], last[11];
    int y, m, d;
    int32_t end = status_calendar_end(today, years);

    if (end < 0) {
        date_split(today, &y, &m, &d);
        snprintf(zh, sizeof(zh),
                 "缺少 %d 年工作日历数据：涉及工作日的期限无法计算，请加载国务院节假日安排", y);
        snprintf(en, sizeof(en),
                 "No working-day calendar for %d: working-day periods cannot be counted; load "
                 "the State Council schedule",
                 y);
        return add(out, "calendar_missing", "critical", zh, en, json_pack("{s:i}", "year", y));
    }
    if (end - today > STATUS_CALENDAR_DAYS) {
        return true;
    }
    date_format(end, last);
    date_split(end, &y, &m, &d);
    snprintf(zh, sizeof(zh), "工作日历数据截至 %s（还剩 %d 天），请加载 %d 年国务院节假日安排",
             last, (int)(end - today), y + 1);
    snprintf(en, sizeof(en),
             "The working-day calendar ends on %s (%d days left); load the State Council "
             "schedule for %d",
             last, (int)(end - today), y + 1);
    return add(out, "calendar_ending", "warning", zh, en,
               json_pack("{s:s, s:i, s:i}", "last_day", last, "days_left", (int)(end - today),
                         "year", y + 1));
}

struct version {
    const char *programme, *document_no, *article;
    int number;
    int32_t from, to;
};

static bool version_of(const json_t *v, struct version *ret)
{
    ret->programme = json_string_value(json_object_get(v, "programme"));
    ret->document_no = json_string_value(json_object_get(v, "document_no"));
    ret->article = json_string_value(json_object_get(v, "article"));
    ret->number = json_int_or(v, "number", 0, INT_MAX, 0);
    return ret->programme != NULL &&
           date_parse(json_string_value(json_object_get(v, "in_force_from")), &ret->from) &&
           date_parse(json_string_value(json_object_get(v, "in_force_to")), &ret->to);
}

/* What one programme's versions say on `today`. */
struct programme_view {
    struct version in_force; /* number 0: none */
    struct version latest;   /* the latest-ending version */
    bool upcoming;           /* some version starts after today */
    bool next_day_covered;   /* some version is in force the day after in_force ends */
};

static void view_programme(const json_t *versions,
                           const char *programme,
                           int32_t today,
                           struct programme_view *pv)
{
    struct version v;
    size_t i;
    json_t *item;

    memset(pv, 0, sizeof(*pv));
    json_array_foreach(versions, i, item)
    {
        if (!version_of(item, &v) || strcmp(v.programme, programme) != 0) {
            continue;
        }
        if (today >= v.from && today <= v.to && v.number > pv->in_force.number) {
            pv->in_force = v;
        }
        if (pv->latest.number == 0 || v.to > pv->latest.to) {
            pv->latest = v;
        }
        pv->upcoming |= v.from > today;
    }
    json_array_foreach(versions, i, item)
    {
        if (pv->in_force.number > 0 && version_of(item, &v) &&
            strcmp(v.programme, programme) == 0 && v.from <= pv->in_force.to + 1 &&
            v.to >= pv->in_force.to + 1) {
            pv->next_day_covered = true;
        }
    }
}

static json_t *version_figures(const struct version *v)
{
    char to[11];

    date_format(v->to, to);
    return json_pack("{s:s, s:i, s:s?, s:s, s:s?}", "programme", v->programme, "number", v->number,
                     "document_no", v->document_no, "in_force_to", to, "article", v->article);
}

static bool policy_warning(json_t *out, int32_t today, const json_t *versions, const char *code)
{
    struct programme_view pv;
    char zh[512], en[512], to[11];

    view_programme(versions, code, today, &pv);
    if (pv.in_force.number == 0) {
        if (pv.upcoming || pv.latest.number == 0 || pv.latest.to >= today) {
            return true;
        }
        const struct version *v = &pv.latest;
        date_format(v->to, to);
        snprintf(zh, sizeof(zh),
                 "项目 %s 的政策文件 %s 已于 %s 到期（%s），且没有后续版本：不能再开启新的批次",
                 code, v->document_no ? v->document_no : "?", to, v->article ? v->article : "");
        snprintf(en, sizeof(en),
                 "Programme %s: policy %s expired on %s (%s) and has no successor: no new round "
                 "can open",
                 code, v->document_no ? v->document_no : "?", to, v->article ? v->article : "");
        return add(out, "policy_expired", "critical", zh, en, version_figures(v));
    }
    const struct version *v = &pv.in_force;
    int left = (int)(v->to - today);
    if (left > STATUS_POLICY_DAYS || pv.next_day_covered) {
        return true;
    }
    date_format(v->to, to);
    snprintf(zh, sizeof(zh), "项目 %s 的政策文件 %s 将于 %s 到期（%s，还剩 %d 天），尚无后续版本",
             code, v->document_no ? v->document_no : "?", to, v->article ? v->article : "", left);
    snprintf(en, sizeof(en),
             "Programme %s: policy %s expires on %s (%s, %d days left) and has no successor yet",
             code, v->document_no ? v->document_no : "?", to, v->article ? v->article : "", left);
    json_t *fig = version_figures(v);
    json_object_set_new(fig, "days_left", json_integer(left));
    return add(out, "policy_expiring", "warning", zh, en, fig);
}

static bool seen(const json_t *versions, size_t upto, const char *programme)
{
    for (size_t j = 0; j < upto; j++) {
        const char *p =
            json_string_value(json_object_get(json_array_get(versions, j), "programme"));
        if (p != NULL && strcmp(p, programme) == 0) {
            return true;
        }
    }
    return false;
}

/* Critical first, keeping the order they were found in otherwise. */
static json_t *by_severity(json_t *all)
{
    json_t *out = json_array();
    size_t i;
    json_t *w;

    for (int pass = 0; out != NULL && pass < 2; pass++) {
        json_array_foreach(all, i, w)
        {
            bool critical =
                strcmp(json_string_value(json_object_get(w, "severity")), "critical") == 0;
            if (critical == (pass == 0)) {
                json_array_append(out, w);
            }
        }
    }
    json_decref(all);
    return out;
}

json_t *
status_warnings(int32_t today, const json_t *years, const json_t *versions, const char *clock_now)
{
    json_t *out = json_array();
    bool ok = out != NULL && calendar_warning(out, today, years);
    size_t i;
    json_t *v;

    json_array_foreach(versions, i, v)
    {
        const char *code = json_string_value(json_object_get(v, "programme"));
        if (ok && code != NULL && !seen(versions, i, code)) {
            ok = policy_warning(out, today, versions, code);
        }
    }
    if (ok && clock_now != NULL) {
        char zh[160], en[160];
        snprintf(zh, sizeof(zh), "测试时钟已开启，当前时间为 %s：只用于测试和演示环境", clock_now);
        snprintf(en, sizeof(en), "The test clock is on, now %s: for test and demo stacks only",
                 clock_now);
        ok = add(out, "test_clock_on", "warning", zh, en, json_pack("{s:s}", "now", clock_now));
    }
    if (!ok) {
        json_decref(out);
        return NULL;
    }
    return by_severity(out);
}
