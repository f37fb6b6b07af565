/* SPDX-License-Identifier: MIT */
/*
 * Objections to a final notice (ops/objections.h). The notice's last day
 * and "now" are the service clock's (ctx->today), never the database's.
 * What leaves the database about an objection is chosen by the SQL forms
 * of db/functions/12_objections.sql: the office's (text, masked contact),
 * the objector's (state and dates) and the audit log's (ids and state).
 */
#include "objections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "civil_time.h"
#include "crypto.h"
#include "enums.h"
#include "json_fields.h"
#include "mask.h"
#include "scope.h"
#include "store/objection_store.h"
#include "store/scope_store.h"

/* Tracking numbers: YY-<year>-8 of 36 (0-9A-Z, the table's CHECK); about
 * 2.8e12 a year, drawn again on the rare collision. Codes: 10 of 32
 * letters without 0, 1, I and O, which are easy to misread. */
static const char TRACKING_ALPHABET[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const char CODE_ALPHABET[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
#define TRACKING_RANDOM 8
#define INSERT_TRIES    4
#define CODE_CONTEXT    "jiangxin objection code"
#define MASKED_MAX      1024 /* OBJECTION_CONTACT_MAX code points of up to 4 bytes, and stars */

static const struct json_field CREATE_FIELDS[] = {
    {"entry", JF_INT, true, 1, 1000},
    {"text", JF_STRING, true, OBJECTION_TEXT_MIN, OBJECTION_TEXT_MAX},
    {"contact", JF_STRING, false, 1, OBJECTION_CONTACT_MAX},
};

static const struct json_field MOVE_FIELDS[] = {
    {"to", JF_STRING, true, 1, 32},
    {"findings", JF_STRING, false, 1, OBJECTION_FINDINGS_MAX},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void random_text(const char *alphabet, size_t len, char *out)
{
    uint32_t n = (uint32_t)strlen(alphabet);

    for (size_t i = 0; i < len; i++) {
        out[i] = alphabet[randombytes_uniform(n)];
    }
    out[len] = '\0';
}

/* The byte after the first n code points of s (or its end). */
static const char *skip_code_points(const char *s, size_t n)
{
    for (; *s && n > 0; n--) {
        s++;
        while (((unsigned char)*s & 0xc0) == 0x80) {
            s++;
        }
    }
    return s;
}

/* The contact as the office reads it, by the one mask rule (common/mask.h):
 * a mobile number 138****5678; an e-mail address its first character,
 * "***" and the domain (z***@example.com); other text of MASK_MIN_LEN or
 * more code points its first 3 and last 4 with a star for each between
 * (a landline 063*****4567); shorter text all stars. */
static void mask_contact(const char *c, char *out, size_t len)
{
    size_t n = json_utf8_length(c);
    const char *at = strchr(c, '@');

    if (phone_is_valid(c)) {
        mask_phone(c, out, len);
    } else if (at != NULL && at != c && at[1] != '\0') {
        snprintf(out, len, "%.*s***%s", (int)(skip_code_points(c, 1) - c), c, at);
    } else if (n < MASK_MIN_LEN) {
        size_t i;
        for (i = 0; i < n && i + 1 < len; i++) {
            out[i] = '*';
        }
        out[i] = '\0';
    } else {
        const char *head = skip_code_points(c, MASK_KEEP_HEAD);
        const char *tail = skip_code_points(c, n - MASK_KEEP_TAIL);
        size_t stars = n - MASK_KEEP_HEAD - MASK_KEEP_TAIL;
        int w = snprintf(out, len, "%.*s", (int)(head - c), c);
        for (size_t i = 0; i < stars && (size_t)w + 1 < len; i++) {
            out[w++] = '*';
        }
        snprintf(out + w, len - (size_t)w, "%s", tail);
    }
}

/* crypto_seal of plain as hex (malloc'd), for decode($n, 'hex'). */
static enum app_err seal_hex(const struct op_ctx *ctx, const char *plain, char **ret)
{
    unsigned char *sealed = NULL;
    size_t len = 0;
    enum app_err err = crypto_seal(ctx->pii_key, plain, strlen(plain), &sealed, &len);

    *ret = NULL;
    if (err != APP_OK) {
        return err;
    }
    if ((*ret = malloc(2 * len + 1)) != NULL) {
        sodium_bin2hex(*ret, 2 * len + 1, sealed, len);
    }
    free(sealed);
    return *ret != NULL ? APP_OK : APP_ERR_INTERNAL;
}

static enum app_err notice_not_found(const char *id, struct problem *p)
{
    return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "公示 %s 不存在", "no notice %s", id);
}

static enum app_err objection_not_found(const char *id, struct problem *p)
{
    return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "异议 %s 不存在", "no objection %s", id);
}

/* Notice `id` (and its entry `entry`, 0 for none) with its round, locked
 * as `lock` asks. `scoped`: the actor's programmes decide whether the
 * notice exists for it (ops/scope.h); a public caller is not scoped. */
static enum app_err notice_load(const struct op_ctx *ctx,
                                const char *id,
                                int entry,
                                bool scoped,
                                enum scope_lock lock,
                                struct notice_ref *ret,
                                struct round_ref *ret_round,
                                struct problem *p)
{
    enum app_err err;

    if (ops_check_uuid(id, p) != APP_OK) {
        return p->err;
    }
    err = objection_store_notice(ctx->db, id, entry, ret);
    if (err == APP_OK) {
        err = scope_store_round(ctx->db, ret->round_id, lock, ret_round);
    }
    if (err == APP_OK && scoped && !ops_programme_in_scope(ctx->actor, ret_round->programme)) {
        err = APP_ERR_NOT_FOUND;
    }
    if (err == APP_ERR_NOT_FOUND) {
        return notice_not_found(id, p);
    }
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

/* 409 unless the notice still takes objections: until 24:00 of its last
 * day (ctx->today, Asia/Shanghai) and while its round has not concluded. */
static enum app_err notice_open(const struct op_ctx *ctx,
                                const struct notice_ref *notice,
                                const struct round_ref *round,
                                struct problem *p)
{
    char day[11];

    if (round->phase != PHASE_CONCLUDED && ctx->today <= notice->ends_on) {
        return APP_OK;
    }
    date_format(notice->ends_on, day);
    return problem_fail(p, APP_ERR_NOT_OPEN, "notice_ended", "公示已于 %s 24:00 结束，不再受理异议",
                        "the notice ended at 24:00 on %s; objections are no longer taken", day);
}

enum app_err objection_create(const struct op_ctx *ctx,
                              const char *notice_id,
                              const json_t *body,
                              json_t **ret,
                              struct problem *p)
{
    struct notice_ref notice;
    struct round_ref round;
    struct objection_new o = {0};
    const char *contact;
    char tracking[OBJECTION_TRACKING_LEN + 1], code[OBJECTION_CODE_LEN + 1];
    char hash[CRYPTO_KEYED_HEX], masked[MASKED_MAX];
    char now[RFC3339_TEXT_MAX], received[RFC3339_TEXT_MAX], id[40];
    char *sealed = NULL, *audit = NULL;
    int entry = 0, year, month, day;
    enum app_err err = APP_ERR_CONFLICT;

    *ret = NULL;
    if (ops_check_uuid(notice_id, p) != APP_OK ||
        !json_fields_check(body, CREATE_FIELDS, N(CREATE_FIELDS), "", p)) {
        return p->err;
    }
    json_int_value(json_object_get(body, "entry"), 1, 1000, &entry);
    contact = json_string_value(json_object_get(body, "contact"));
    if (notice_load(ctx, notice_id, entry, false, SCOPE_LOCK_SHARE, &notice, &round, p) != APP_OK ||
        notice_open(ctx, &notice, &round, p) != APP_OK) {
        return p->err;
    }
    if (!notice.has_entry) {
        return problem_field(
            p, APP_ERR_VALIDATION, "/entry", "no_such_entry", "公示共 %d 项，没有第 %d 项",
            "the notice lists %d entries; there is no entry %d", notice.entries, entry);
    }
    if (notice.state != NOM_FINAL_NOTICE) {
        return problem_fail(p, APP_ERR_CONFLICT, "entry_withdrawn",
                            "公示第 %d 项的候选人已不在名单中（%s），不再受理对其的异议",
                            "the candidate of entry %d has left the list (%s); no objection "
                            "to it is taken",
                            entry, enums_value(ENUMS_NOMINATION_STATES, (int)notice.state));
    }
    if (contact != NULL) {
        mask_contact(contact, masked, sizeof(masked));
        if (seal_hex(ctx, contact, &sealed) != APP_OK) {
            ops_internal(p);
            goto cleanup;
        }
    }
    random_text(CODE_ALPHABET, OBJECTION_CODE_LEN, code);
    crypto_keyed_hash(ctx->pii_key, CODE_CONTEXT, code, hash);
    date_split(ctx->today, &year, &month, &day);
    rfc3339_format(ctx->now_ms, true, now);
    o = (struct objection_new){
        .notice_id = notice.id,
        .nomination_id = notice.nomination_id,
        .tracking_number = tracking,
        .code_hash = hash,
        .text = json_string_value(json_object_get(body, "text")),
        .contact_sealed_hex = sealed,
        .contact_masked = contact != NULL ? masked : NULL,
        .received_at = now,
    };
    for (int i = 0; i < INSERT_TRIES && err == APP_ERR_CONFLICT; i++) {
        snprintf(tracking, sizeof(tracking), "YY-%04d-", year);
        random_text(TRACKING_ALPHABET, TRACKING_RANDOM, tracking + 8);
        err = objection_store_insert(ctx->db, &o, id, received, &audit);
    }
    if (err != APP_OK ||
        (err = ops_audit(ctx, "objection.create", "objection", id, NULL, audit)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    *ret = json_pack("{s:s, s:s, s:s, s:s}", "tracking_number", tracking, "code", code, "state",
                     "received", "received_at", received);
    if (*ret == NULL) {
        ops_internal(p);
    }

cleanup:
    sodium_memzero(code, sizeof(code));
    free(sealed);
    free(audit);
    return p->err;
}

/* The code as typed: 10 letters of CODE_ALPHABET, lower case allowed. */
static bool code_normalise(const char *code, char out[OBJECTION_CODE_LEN + 1])
{
    if (code == NULL || strlen(code) != OBJECTION_CODE_LEN) {
        return false;
    }
    for (size_t i = 0; i < OBJECTION_CODE_LEN; i++) {
        char c = code[i] >= 'a' && code[i] <= 'z' ? (char)(code[i] - 'a' + 'A') : code[i];
        if (c == '\0' || strchr(CODE_ALPHABET, c) == NULL) {
            return false;
        }
        out[i] = c;
    }
    out[OBJECTION_CODE_LEN] = '\0';
    return true;
}

static bool tracking_valid(const char *t)
{
    if (t == NULL || strlen(t) != OBJECTION_TRACKING_LEN || strncmp(t, "YY-", 3) != 0 ||
        t[7] != '-') {
        return false;
    }
    for (size_t i = 3; i < OBJECTION_TRACKING_LEN; i++) {
        bool digit = t[i] >= '0' && t[i] <= '9', upper = t[i] >= 'A' && t[i] <= 'Z';
        if (i != 7 && !(i < 7 ? digit : digit || upper)) {
            return false;
        }
    }
    return true;
}

enum app_err objection_status(const struct op_ctx *ctx,
                              const char *tracking_number,
                              const char *code,
                              json_t **ret,
                              struct problem *p)
{
    char given[OBJECTION_CODE_LEN + 1];
    char want[CRYPTO_KEYED_HEX];
    char have[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    char *json = NULL;
    bool well_formed;
    enum app_err err;

    *ret = NULL;
    if (code == NULL) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "code_required",
                            "须在查询参数 code 中给出查询码",
                            "give the objection's code in the query parameter code");
    }
    well_formed = tracking_valid(tracking_number) && code_normalise(code, given);
    err = well_formed ? objection_store_status(ctx->db, tracking_number, have, &json)
                      : APP_ERR_NOT_FOUND;
    if (err != APP_OK && err != APP_ERR_NOT_FOUND) {
        return ops_store_problem(err, p);
    }
    /* One answer for an unknown number and a wrong code, and about the
     * same work: the hash is computed and compared either way. */
    crypto_keyed_hash(ctx->pii_key, CODE_CONTEXT, well_formed ? given : "-", want);
    if (sodium_memcmp(want, have, 64) != 0 || err != APP_OK) {
        free(json);
        sodium_memzero(given, sizeof(given));
        return problem_fail(p, APP_ERR_NOT_FOUND, "not_found", "没有与该查询编号和查询码相符的异议",
                            "no objection matches this tracking number and code");
    }
    sodium_memzero(given, sizeof(given));
    *ret = ops_json(json, p);
    free(json);
    return *ret != NULL ? APP_OK : p->err;
}

enum app_err
objection_list(const struct op_ctx *ctx, const char *notice_id, json_t **ret, struct problem *p)
{
    struct notice_ref notice;
    struct round_ref round;
    char *text = NULL;
    enum app_err err;

    *ret = NULL;
    if (notice_load(ctx, notice_id, 0, true, SCOPE_NO_LOCK, &notice, &round, p) != APP_OK) {
        return p->err;
    }
    if ((err = objection_store_list(ctx->db, notice.id, &text)) != APP_OK) {
        return err == APP_ERR_NOT_FOUND ? notice_not_found(notice_id, p)
                                        : ops_store_problem(err, p);
    }
    *ret = ops_json(text, p);
    free(text);
    return *ret != NULL ? APP_OK : p->err;
}

/* The moves of an objection: received → investigating; received |
 * investigating → upheld | dismissed. Upheld and dismissed are final. */
static bool move_allowed(const char *from, const char *to)
{
    bool open = strcmp(from, "received") == 0 || strcmp(from, "investigating") == 0;

    if (strcmp(to, "investigating") == 0) {
        return strcmp(from, "received") == 0;
    }
    return open && (strcmp(to, "upheld") == 0 || strcmp(to, "dismissed") == 0);
}

/* The body: to one of the three states; findings with upheld and
 * dismissed (required), never with investigating. */
static enum app_err check_move_body(const json_t *body, bool *ret_final, struct problem *p)
{
    const char *to, *findings;

    if (!json_fields_check(body, MOVE_FIELDS, N(MOVE_FIELDS), "", p)) {
        return p->err;
    }
    to = json_string_value(json_object_get(body, "to"));
    findings = json_string_value(json_object_get(body, "findings"));
    *ret_final = strcmp(to, "upheld") == 0 || strcmp(to, "dismissed") == 0;
    if (!*ret_final && strcmp(to, "investigating") != 0) {
        return problem_field(p, APP_ERR_VALIDATION, "/to", "unknown_value",
                             "to 须为 investigating、upheld 或 dismissed",
                             "to must be investigating, upheld or dismissed");
    }
    if (*ret_final && findings == NULL) {
        return problem_field(p, APP_ERR_VALIDATION, "/findings", "required",
                             "认定异议成立或不成立须写明核查结论（findings）",
                             "upholding or dismissing an objection needs the findings");
    }
    if (!*ret_final && findings != NULL) {
        return problem_field(p, APP_ERR_VALIDATION, "/findings", "findings_not_allowed",
                             "核查结论在认定异议成立或不成立时填写",
                             "findings are given when the objection is upheld or dismissed");
    }
    return APP_OK;
}

/* Whether the round lets an objection move: only in phase notice; a
 * concluded round is read-only. */
static enum app_err round_takes_moves(const struct round_ref *round, struct problem *p)
{
    if (round->phase == PHASE_NOTICE) {
        return APP_OK;
    }
    if (round->phase == PHASE_CONCLUDED) {
        return problem_fail(p, APP_ERR_CONFLICT, "round_concluded", "评选轮次已结束，异议记录只读",
                            "the round has concluded; its objections are read-only");
    }
    return problem_fail(p, APP_ERR_CONFLICT, "round_not_in_notice",
                        "轮次处于“%s”阶段，异议在“社会公示”阶段办理",
                        "the round is in phase %s; objections are handled in phase notice",
                        enums_label(ENUMS_ROUND_PHASES, (int)round->phase));
}

/* An upheld objection takes its candidate off the list, once: a second
 * upheld objection against the same entry finds it gone already. */
static enum app_err withdraw_entry(const struct op_ctx *ctx,
                                   const struct round_ref *round,
                                   const struct objection_row *row,
                                   const char *findings,
                                   const char *now,
                                   struct problem *p)
{
    int moved = 0;
    enum app_err err;

    if (row->nomination_state == NOM_OBJECTION_UPHELD) {
        return APP_OK;
    }
    if (row->nomination_state != NOM_FINAL_NOTICE) {
        return problem_fail(p, APP_ERR_CONFLICT, "entry_not_on_notice",
                            "该候选人已不在公示中（%s），异议不能认定成立",
                            "the candidate is no longer on the notice (%s); the objection "
                            "cannot be upheld",
                            enums_value(ENUMS_NOMINATION_STATES, (int)row->nomination_state));
    }
    err = objection_store_withdraw(ctx->db, round->id, row->nomination_id, ctx->actor, findings,
                                   now, &moved);
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    return moved == 1 ? APP_OK : ops_internal(p);
}

enum app_err objection_transition(const struct op_ctx *ctx,
                                  const char *id,
                                  int if_match,
                                  const json_t *body,
                                  json_t **ret,
                                  struct problem *p)
{
    struct round_ref round;
    struct objection_row row = {0};
    char round_id[40], now[RFC3339_TEXT_MAX];
    const char *to, *findings;
    char *after = NULL, *audit = NULL;
    json_t *before = NULL;
    bool final = false;
    enum app_err err;

    *ret = NULL;
    if (ops_check_uuid(id, p) != APP_OK || check_move_body(body, &final, p) != APP_OK) {
        return p->err;
    }
    to = json_string_value(json_object_get(body, "to"));
    findings = json_string_value(json_object_get(body, "findings"));
    /* The round first (FOR UPDATE: its recognition waits for this move),
     * then the objection. */
    err = objection_store_round_of(ctx->db, id, round_id);
    if (err == APP_OK) {
        err = scope_store_round(ctx->db, round_id, SCOPE_LOCK_UPDATE, &round);
    }
    if (err == APP_OK && !ops_programme_in_scope(ctx->actor, round.programme)) {
        err = APP_ERR_NOT_FOUND;
    }
    if (err == APP_OK) {
        err = objection_store_lock(ctx->db, id, &row);
    }
    if (err != APP_OK) {
        return err == APP_ERR_NOT_FOUND ? objection_not_found(id, p) : ops_store_problem(err, p);
    }
    if ((before = ops_json(row.json, p)) == NULL ||
        (if_match >= 0 && ops_check_version(before, if_match, p) != APP_OK) ||
        round_takes_moves(&round, p) != APP_OK) {
        goto cleanup;
    }
    if (!move_allowed(row.state, to)) {
        problem_fail(p, APP_ERR_CONFLICT, "objection_move_not_allowed",
                     "异议处于 %s 状态，不能改为 %s", "the objection is %s; it cannot move to %s",
                     row.state, to);
        goto cleanup;
    }
    rfc3339_format(ctx->now_ms, true, now);
    if (strcmp(to, "upheld") == 0 &&
        withdraw_entry(ctx, &round, &row, findings, now, p) != APP_OK) {
        goto cleanup;
    }
    err = objection_store_decide(ctx->db, row.id, row.version, to, final ? findings : NULL,
                                 ctx->actor->id[0] ? ctx->actor->id : NULL, final ? now : NULL,
                                 &after, &audit);
    if (err != APP_OK || (err = ops_audit(ctx, "objection.transition", "objection", row.id,
                                          row.audit, audit)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    *ret = ops_json(after, p);

cleanup:
    json_decref(before);
    objection_row_free(&row);
    free(after);
    free(audit);
    return p->err;
}
