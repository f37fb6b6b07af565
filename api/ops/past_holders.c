/* SPDX-License-Identifier: MIT */
/*
 * Past holders: the import checks the whole file before anything is
 * written (model/past_holder.c), then seals each ID number exactly as a
 * nomination's (ops_id_number_hash, ops_put_sealed, mask_id_number), so
 * the repeat rules match a past holder and a candidate by the same keyed
 * hash. The audit event carries masked ID numbers only.
 */
#include "past_holders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "civil_time.h"
#include "idcard.h"
#include "log.h"
#include "mask.h"
#include "past_holder.h"
#include "scope.h"
#include "store/past_holder_store.h"
#include "store/programme_store.h"

static enum app_err
find_programme(const struct op_ctx *ctx, const char *code, bool lock, struct problem *p)
{
    char *text = NULL;
    enum app_err err = APP_ERR_NOT_FOUND;

    if (ops_programme_in_scope(ctx->actor, code)) {
        err = programme_store_get(ctx->db, code, lock, &text);
    }
    free(text);
    if (err == APP_ERR_NOT_FOUND) {
        return problem_fail(p, err, "not_found", "项目 %s 不存在", "no programme %s", code);
    }
    return err != APP_OK ? ops_store_problem(err, p) : APP_OK;
}

/* The store row of checked row i: the plain members, the ID number
 * normalised, hashed, masked and sealed; *audit gets its masked twin. */
static json_t *store_row(const struct op_ctx *ctx, const json_t *row, size_t i, json_t *audit)
{
    static const char *const copied[] = {"name", "year", "certificate_number", "document_no",
                                         "recognized_on"};
    char hash[65], masked[IDCARD_LEN + 1];
    struct idcard card;
    json_t *out = json_object(), *seen = json_object(), *v;
    bool ok =
        out != NULL && seen != NULL &&
        idcard_parse(json_string_value(json_object_get(row, "id_number")), &card) == IDCARD_OK;

    for (size_t k = 0; ok && k < sizeof(copied) / sizeof(copied[0]); k++) {
        if ((v = json_object_get(row, copied[k])) != NULL && !json_is_null(v)) {
            ok =
                json_object_set(out, copied[k], v) == 0 && json_object_set(seen, copied[k], v) == 0;
        }
    }
    if (ok) {
        ops_id_number_hash(ctx, card.number, hash);
        ok = mask_id_number(card.number, masked, sizeof(masked)) &&
             json_object_set_new(out, "i", json_integer((json_int_t)i)) == 0 &&
             json_object_set_new(out, "id_number_hash", json_string(hash)) == 0 &&
             json_object_set_new(out, "id_number_masked", json_string(masked)) == 0 &&
             json_object_set_new(seen, "id_number_masked", json_string(masked)) == 0 &&
             ops_put_sealed(out, "id_number_sealed", ctx->pii_key, card.number) &&
             json_array_append(audit, seen) == 0;
    }
    sodium_memzero(&card, sizeof(card));
    json_decref(seen);
    if (!ok) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* Each conflicting row as a 422 item at its certificate number. */
static enum app_err conflicts(const json_t *found, const json_t *lines, struct problem *p)
{
    char prefix[PROBLEM_POINTER_MAX], ptr[PROBLEM_POINTER_MAX];
    size_t k;
    const json_t *i;

    json_array_foreach(found, k, i)
    {
        past_holder_pointer(lines, (size_t)json_integer_value(i), prefix, sizeof(prefix));
        problem_pointer(ptr, sizeof(ptr), prefix, "certificate_number");
        problem_field(p, APP_ERR_VALIDATION, ptr, "certificate_number_taken",
                      "本项目已有此证书编号的往届获评者，且信息不同",
                      "the programme holds this certificate number with other facts");
    }
    return p->err;
}

static enum app_err write_rows(const struct op_ctx *ctx,
                               const char *code,
                               const char *rows_text,
                               const json_t *lines,
                               json_t **ret_counts,
                               struct problem *p)
{
    char now[RFC3339_TEXT_MAX], *text = NULL;
    enum app_err err;

    rfc3339_format(ctx->now_ms, true, now);
    err = past_holder_store_import(ctx->db, code, rows_text,
                                   ctx->actor->id[0] ? ctx->actor->id : NULL, now, &text);
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    *ret_counts = ops_json(text, p);
    free(text);
    if (*ret_counts == NULL) {
        return p->err;
    }
    if (json_array_size(json_object_get(*ret_counts, "conflicts")) > 0) {
        return conflicts(json_object_get(*ret_counts, "conflicts"), lines, p);
    }
    return APP_OK;
}

enum app_err past_holders_import(const struct op_ctx *ctx,
                                 const char *code,
                                 const json_t *rows,
                                 const json_t *lines,
                                 json_t **ret,
                                 struct problem *p)
{
    json_t *store = json_array(), *audit = json_array(), *counts = NULL, *row, *after = NULL;
    char *rows_text = NULL, *after_text = NULL;
    const json_t *el;
    size_t i;

    if (store == NULL || audit == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    /* The row lock queues two imports into one programme. */
    if (find_programme(ctx, code, true, p) != APP_OK ||
        !past_holder_check(rows, lines, ctx->today, p)) {
        goto cleanup;
    }
    json_array_foreach(rows, i, el)
    {
        if ((row = store_row(ctx, el, i, audit)) == NULL ||
            json_array_append_new(store, row) != 0) {
            ops_internal(p);
            goto cleanup;
        }
    }
    if ((rows_text = json_dumps(store, JSON_COMPACT)) == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    if (write_rows(ctx, code, rows_text, lines, &counts, p) != APP_OK) {
        goto cleanup;
    }
    after = json_pack("{s:s, s:I, s:O, s:O, s:O}", "programme", code, "received",
                      (json_int_t)json_array_size(rows), "imported",
                      json_object_get(counts, "imported"), "unchanged",
                      json_object_get(counts, "unchanged"), "holders", audit);
    if (after == NULL || (after_text = json_dumps(after, JSON_COMPACT)) == NULL) {
        ops_internal(p);
        goto cleanup;
    }
    enum app_err err = ops_audit(ctx, "past_holders.import", "programme", code, NULL, after_text);
    if (err != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    json_object_del(after, "holders");
    *ret = after;
    after = NULL;
    p->err = APP_OK;

cleanup:
    if (rows_text != NULL) {
        sodium_memzero(rows_text, strlen(rows_text));
    }
    free(rows_text);
    free(after_text);
    json_decref(after);
    json_decref(counts);
    json_decref(audit);
    json_decref(store);
    return p->err;
}

enum app_err past_holders_page(const struct op_ctx *ctx,
                               const char *code,
                               const char *cursor,
                               int limit,
                               char **ret_array,
                               char **ret_next,
                               struct problem *p)
{
    enum app_err err;

    if (find_programme(ctx, code, false, p) != APP_OK) {
        return p->err;
    }
    if ((err = past_holder_store_list(ctx->db, code, cursor, limit, ret_array, ret_next)) !=
        APP_OK) {
        return ops_store_problem(err, p);
    }
    return APP_OK;
}
