/* SPDX-License-Identifier: MIT */
/*
 * The printable documents (ops/documents.h): each reads the JSON form the
 * API serves, in scope, and hands its fields to api/render/pdf_docs.c.
 */
#include "documents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil_time.h"
#include "enums.h"
#include "log.h"
#include "nominations.h"
#include "render/pdf_docs.h"
#include "scope.h"
#include "store/decision_store.h"
#include "uuid.h"

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s != NULL ? s : "";
}

static enum app_err rendered(int rc, struct problem *p)
{
    if (rc != 0) {
        log_error("pdf: rendering failed");
        return ops_internal(p);
    }
    return APP_OK;
}

/* The round of `id` in the actor's scope, with its policy's JSON (owned). */
static enum app_err round_policy(const struct op_ctx *ctx,
                                 const char *round_id,
                                 struct programme_policy *pol,
                                 struct round_ref *round,
                                 struct problem *p)
{
    if (ops_round_scope(ctx, round_id, false, round, p) != APP_OK ||
        nomination_load_policy(ctx->db, round, pol, p) != APP_OK) {
        return p->err;
    }
    return APP_OK;
}

enum app_err certificate_pdf(const struct op_ctx *ctx,
                             const char *id,
                             const char *public_url,
                             struct textbuf *out,
                             struct problem *p)
{
    struct programme_policy pol = {0};
    struct round_ref round;
    char *text = NULL, url[512];
    json_t *rec = NULL;
    enum app_err err;

    if (!uuid_valid(id)) {
        return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "未找到", "not found");
    }
    if ((err = decision_store_recognition(ctx->db, id, &text)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    if ((rec = ops_json(text, p)) == NULL ||
        round_policy(ctx, str(rec, "round_id"), &pol, &round, p) != APP_OK) {
        goto cleanup;
    }
    snprintf(url, sizeof(url), "%s/v1/certificates/%s?code=%s", public_url,
             str(rec, "certificate_number"), str(rec, "verification_code"));
    const struct pdf_certificate c = {
        .title = str(rec, "title"),
        .holder_name = str(rec, "holder_name"),
        .employer = str(rec, "employer"),
        .occupation = str(rec, "occupation"),
        .number = str(rec, "certificate_number"),
        .issued_on = str(rec, "recognized_on"),
        .issuer = str(pol.json, "authority"),
        .verify_url = url,
        .verify_code = str(rec, "verification_code"),
    };
    rendered(pdf_certificate_render(&c, out), p);

cleanup:
    json_decref(pol.json);
    json_decref(rec);
    free(text);
    return p->err;
}

/* "2027年3月2日" */
static void plain_date(const char *iso, char out[32])
{
    int32_t day;
    int y, m, d;

    out[0] = '\0';
    if (date_parse(iso, &day)) {
        date_split(day, &y, &m, &d);
        snprintf(out, 32, "%d年%d月%d日", y, m, d);
    }
}

enum app_err
notice_pdf(const struct op_ctx *ctx, const char *id, struct textbuf *out, struct problem *p)
{
    char today[11], from[32], to[32], period[160], *text = NULL;
    json_t *n = NULL, *e;
    struct pdf_notice_entry *entries = NULL;
    size_t i;
    enum app_err err;

    if (!uuid_valid(id)) {
        return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "未找到", "not found");
    }
    date_format(ctx->today, today);
    if ((err = decision_store_notice(ctx->db, id, today, &text)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    if ((n = ops_json(text, p)) == NULL) {
        goto cleanup;
    }
    if (strcmp(str(n, "kind"), "final") != 0) {
        /* A revocation notice is read on the web (GET /v1/notices/{id}); its
         * printed form is the government's own document. */
        problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "撤销认定公告没有 PDF 文本",
                     "a revocation notice has no PDF form");
        goto cleanup;
    }
    entries = calloc(json_array_size(json_object_get(n, "entries")) + 1, sizeof(*entries));
    if (entries == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    json_array_foreach(json_object_get(n, "entries"), i, e)
    {
        entries[i] = (struct pdf_notice_entry){str(e, "name"), str(e, "employer"),
                                               str(e, "occupation"), str(e, "deeds_summary")};
    }
    plain_date(str(n, "published_on"), from);
    plain_date(str(n, "ends_on"), to);
    snprintf(period, sizeof(period), "%s至%s（%lld个工作日）", from, to,
             (long long)json_integer_value(json_object_get(n, "workdays")));
    const struct pdf_notice doc = {
        .title = str(n, "title"),
        .intro = str(n, "body"),
        .entries = entries,
        .n_entries = i,
        .period = period,
        .contact = str(n, "contact"),
        .issuer = str(n, "issuer"),
        .published_on = str(n, "published_on"),
    };
    rendered(pdf_notice_render(&doc, out), p);

cleanup:
    free(entries);
    json_decref(n);
    free(text);
    return p->err;
}

/* The outcome a result list prints for a nomination's state. */
static const char *outcome_of(const char *state)
{
    static const struct {
        const char *state, *label;
    } labels[] = {
        {"recognized", "认定"},     {"objection_upheld", "异议成立，取消"},
        {"not_selected", "未入选"}, {"disqualified", "取消资格"},
        {"final_notice", "公示中"}, {"selected", "拟命名"},
        {"shortlisted", "入围"},
    };

    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        if (strcmp(labels[i].state, state) == 0) {
            return labels[i].label;
        }
    }
    return state;
}

enum app_err result_list_pdf(const struct op_ctx *ctx,
                             const char *round_id,
                             struct textbuf *out,
                             struct problem *p)
{
    struct programme_policy pol = {0};
    struct round_ref round;
    char now[RFC3339_TEXT_MAX], today[11], title[256], *text = NULL, *facts = NULL;
    char(*shares)[16] = NULL;
    json_t *pack = NULL, *f = NULL, *c;
    struct pdf_result_entry *entries = NULL;
    size_t i;
    enum app_err err;

    if (round_policy(ctx, round_id, &pol, &round, p) != APP_OK) {
        goto cleanup;
    }
    if (round.phase != PHASE_CONCLUDED) {
        problem_fail(p, APP_ERR_CONFLICT, "round_not_concluded",
                     "轮次尚未结束（认定发证后才有结果名单）",
                     "the round has not concluded (the result list follows the recognition)");
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    if ((err = decision_store_pack(ctx->db, round.id, now, &text)) != APP_OK ||
        (err = decision_store_facts(ctx->db, round.id, &facts)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((pack = ops_json(text, p)) == NULL || (f = ops_json(facts, p)) == NULL) {
        goto cleanup;
    }
    entries = calloc(json_array_size(pack) + 1, sizeof(*entries));
    shares = calloc(json_array_size(pack) + 1, sizeof(*shares));
    if (entries == NULL || shares == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    json_array_foreach(pack, i, c)
    {
        const json_t *nom = json_object_get(c, "nomination"), *vote = json_object_get(c, "vote");
        const json_t *review = json_object_get(c, "review");
        const char *score = json_string_value(json_object_get(review, "combined"));

        if (score == NULL) {
            score = json_string_value(json_object_get(review, "trimmed_mean"));
        }
        if (json_is_object(vote)) {
            snprintf(shares[i], sizeof(shares[i]), "%.2f%%",
                     json_number_value(json_object_get(vote, "share")));
        }
        entries[i] = (struct pdf_result_entry){
            .rank = (int)json_integer_value(json_object_get(c, "position")),
            .name = str(nom, "name"),
            .employer = str(nom, "unit_name"),
            .occupation = str(nom, "occupation"),
            .score = score,
            .vote_share = json_is_object(vote) ? shares[i] : NULL,
            .outcome = outcome_of(str(nom, "state")),
        };
    }
    snprintf(title, sizeof(title), "%d年度“%s”评选结果名单", round.year, str(f, "programme_name"));
    date_format(ctx->today, today);
    const struct pdf_result_list doc = {
        .title = title,
        .subtitle = "按入围名单顺序；评审得分为去掉最高分和最低分后的平均分（或综合得分）",
        .entries = entries,
        .n_entries = i,
        .issuer = str(pol.json, "authority"),
        .published_on = today,
    };
    rendered(pdf_result_list_render(&doc, out), p);

cleanup:
    free(entries);
    free(shares);
    json_decref(pack);
    json_decref(f);
    json_decref(pol.json);
    free(text);
    free(facts);
    return p->err;
}
