/* SPDX-License-Identifier: MIT */
/*
 * The nomination operations (ops/nominations.h).
 *
 * Personal data: the ID number and phone are sealed (secretbox under
 * JIANGXIN_PII_KEY) before they reach the store, with a keyed hash of the
 * ID number for "one per round" and "recognised before"; representations
 * carry only the masked forms. An office user may ask for the full values,
 * which is audited (nomination_reveal).
 */
#include "nominations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "calendar.h"
#include "civil_time.h"
#include "crypto.h"
#include "eligibility.h"
#include "entry.h"
#include "idcard.h"
#include "json_fields.h"
#include "log.h"
#include "mask.h"
#include "scope.h"
#include "store/attachment_store.h"
#include "store/nomination_store.h"
#include "store/policy_version_store.h"
#include "store/scope_store.h"
#include "store/unit_store.h"
#include "store/vote_session_store.h"
#include "units.h"
#include "uuid.h"
#include "workdays.h"

#define ARRAY_MAX       50 /* honours, patents, competitions */
#define APPRENTICES_MAX 100
#define YEAR_MIN        1949
#define YEAR_MAX        2100

/* ---- request shapes ---- */

#define CANDIDATE_FIELDS(req)                                                                   \
    {"name", JF_STRING, req, 1, 50}, {"id_number", JF_STRING, req, 1, 32},                      \
        {"phone", JF_STRING | JF_NULL, false, 1, 20}, {"channel", JF_STRING, false, 1, 32},     \
        {"occupation", JF_STRING | JF_NULL, false, 1, 100},                                     \
        {"skill_level", JF_STRING | JF_NULL, false, 1, 32},                                     \
        {"skill_certificate_no", JF_STRING | JF_NULL, false, 1, 64},                            \
        {"front_line", JF_BOOL | JF_NULL, false, 0, 0},                                         \
        {"post", JF_STRING | JF_NULL, false, 1, 100},                                           \
        {"innovation_studio_lead", JF_BOOL, false, 0, 0},                                       \
        {"honours", JF_ARRAY, false, 0, ARRAY_MAX}, {"patents", JF_ARRAY, false, 0, ARRAY_MAX}, \
        {"competitions", JF_ARRAY, false, 0, ARRAY_MAX},                                        \
        {"apprentices", JF_ARRAY, false, 0, APPRENTICES_MAX},                                   \
        {"employer", JF_OBJECT | JF_NULL, false, 0, 0},                                         \
        {"competition_result", JF_OBJECT | JF_NULL, false, 0, 0},                               \
    {                                                                                           \
        "deeds", JF_STRING, false, 0, 0                                                         \
    }

/* The office names the unit it enters a paper submission for (model/entry.h). */
static const struct json_field create_fields[] = {CANDIDATE_FIELDS(true),
                                                  {"unit_id", JF_STRING, false, 1, 64}};
static const struct json_field patch_fields[] = {CANDIDATE_FIELDS(false)};
#define N_CREATE_FIELDS (sizeof(create_fields) / sizeof(create_fields[0]))
#define N_FIELDS        (sizeof(patch_fields) / sizeof(patch_fields[0]))

/* The closed objects inside the arrays, with their enum-valued members. */
struct element_shape {
    const char *array;
    const struct json_field *fields;
    size_t n;
    const char *enum_member;
    enum enums_set enum_set;
};

static const struct json_field honour_fields[] = {
    {"title", JF_STRING, true, 1, 200},
    {"level", JF_STRING, true, 1, 32},
    {"year", JF_INT, true, 0, 0},
};
static const struct json_field patent_fields[] = {
    {"title", JF_STRING, true, 1, 200},
    {"number", JF_STRING, true, 1, 50},
    {"kind", JF_STRING, true, 1, 32},
    {"year", JF_INT, true, 0, 0},
};
static const struct json_field competition_fields[] = {
    {"name", JF_STRING, true, 1, 200},
    {"level", JF_STRING, true, 1, 32},
    {"rank", JF_STRING, true, 1, 50},
    {"year", JF_INT, true, 0, 0},
};
static const struct json_field apprentice_fields[] = {
    {"name", JF_STRING, true, 1, 50},
    {"skill_level", JF_STRING, true, 1, 32},
    {"year", JF_INT, true, 0, 0},
};

/* 用人单位: the candidate's employer, apart from the recommending unit. */
static const struct json_field employer_fields[] = {
    {"name", JF_STRING, true, 1, 200},
    {"code", JF_STRING, true, 1, 32}, /* 统一社会信用代码, checked as a unit's */
    {"kind", JF_STRING, true, 1, 32}, /* unit_kinds */
};

/* Channel `competition` (环翠 第十条（二） "从各类职业技能竞赛成绩优异者中推荐"): the
 * result the nomination rests on, shaped as a `competitions` element. */
static const struct element_shape competition_result_shape = {
    "competition_result", competition_fields, 4, "level", ENUMS_HONOUR_LEVELS};

static const struct element_shape shapes[] = {
    {"honours", honour_fields, 3, "level", ENUMS_HONOUR_LEVELS},
    {"patents", patent_fields, 4, "kind", ENUMS_PATENT_KINDS},
    {"competitions", competition_fields, 4, "level", ENUMS_HONOUR_LEVELS},
    {"apprentices", apprentice_fields, 3, "skill_level", ENUMS_SKILL_LEVELS},
};

/* Members a PATCH cannot clear. */
static const char *const not_null[] = {"name", "id_number", "channel", "deeds",
                                       "innovation_studio_lead"};

/* The body's shape: unknown members (400) alone and at once; shape faults
 * (422) are left in p for the value checks to add to. */
static enum app_err body_shape(const json_t *body, bool create, struct problem *p)
{
    char ptr[PROBLEM_POINTER_MAX];

    if (!json_fields_check(body, create ? create_fields : patch_fields,
                           create ? N_CREATE_FIELDS : N_FIELDS, "", p) &&
        p->err == APP_ERR_UNKNOWN_FIELD) {
        return p->err;
    }
    for (size_t i = 0; !create && i < sizeof(not_null) / sizeof(not_null[0]); i++) {
        if (json_is_null(json_object_get(body, not_null[i]))) {
            snprintf(ptr, sizeof(ptr), "/%s", not_null[i]);
            problem_field(p, APP_ERR_VALIDATION, ptr, "not_nullable", "不能为 null",
                          "cannot be null");
        }
    }
    return APP_OK;
}

/* ---- the programme's policy, the window, the representation ---- */

enum app_err nomination_load_policy(struct db *db,
                                    const struct round_ref *round,
                                    struct programme_policy *ret,
                                    struct problem *p)
{
    char *text = NULL;
    enum app_err err = policy_version_store_of_round(db, round->id, &text);

    ret->json = NULL;
    if (err != APP_OK) {
        return ops_store_problem(err == APP_ERR_NOT_FOUND ? APP_ERR_INTERNAL : err, p);
    }
    ret->json = ops_json(text, p);
    free(text);
    if (ret->json == NULL) {
        return p->err;
    }
    if (policy_from_json(ret->json, &ret->p) != APP_OK) {
        log_error("round %s: its policy version does not validate", round->id);
        return problem_kind(p, APP_ERR_INTERNAL);
    }
    return APP_OK;
}

enum app_err
nomination_window_open(const struct op_ctx *ctx, const struct round_ref *round, struct problem *p)
{
    return nomination_guard_window(round->window_opens, round->window_closes, ctx->today, p);
}

enum app_err nomination_load_full(
    struct db *db, const char *id, char **ret_text, json_t **ret_obj, struct problem *p)
{
    enum app_err err = nomination_store_get(db, id, ret_text);

    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (ret_obj != NULL && (*ret_obj = ops_json(*ret_text, p)) == NULL) {
        return p->err;
    }
    return APP_OK;
}

static char *dump(const json_t *obj)
{
    return json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

/* ---- a candidate body into the prepared store values ---- */

/* A closed object of shape s at `prefix`. */
static void
check_object(const struct element_shape *s, const json_t *el, const char *prefix, struct problem *p)
{
    char ptr[PROBLEM_POINTER_MAX];

    if (!json_is_object(el)) {
        problem_field(p, APP_ERR_VALIDATION, prefix, "not_an_object", "须为对象",
                      "must be an object");
        return;
    }
    if (!json_fields_check(el, s->fields, s->n, prefix, p)) {
        return;
    }
    if (enums_from_value(s->enum_set, json_string_value(json_object_get(el, s->enum_member))) < 0) {
        snprintf(ptr, sizeof(ptr), "%s/%s", prefix, s->enum_member);
        problem_field(p, APP_ERR_VALIDATION, ptr, "unknown_value",
                      "取值未定义（见 GET /v1/enums 的 %s）",
                      "unknown value (see GET /v1/enums %s)", enums_set_name(s->enum_set));
    }
    json_int_t year = json_integer_value(json_object_get(el, "year"));
    if (year < YEAR_MIN || year > YEAR_MAX) {
        snprintf(ptr, sizeof(ptr), "%s/year", prefix);
        problem_field(p, APP_ERR_VALIDATION, ptr, "year_range", "须在 %d 至 %d 之间",
                      "must be %d to %d", YEAR_MIN, YEAR_MAX);
    }
}

static void
check_element(const struct element_shape *s, const json_t *el, size_t i, struct problem *p)
{
    char prefix[PROBLEM_POINTER_MAX];

    snprintf(prefix, sizeof(prefix), "/%s/%zu", s->array, i);
    check_object(s, el, prefix, p);
}

/* The employer's shape, its code's GB 32100 check (as a unit's) and its
 * kind (a unit kind). */
static void check_employer(const json_t *employer, struct problem *p)
{
    if (!json_is_object(employer) ||
        !json_fields_check(employer, employer_fields, 3, "/employer", p)) {
        return;
    }
    unit_code_problem(json_string_value(json_object_get(employer, "code")), "/employer/code", p);
    unit_kind_problem(json_string_value(json_object_get(employer, "kind")), "/employer/kind", p);
}

static void check_id_number(const char *id, int32_t today, struct problem *p)
{
    struct idcard card;
    int y, m, d;

    date_split(today, &y, &m, &d);
    idcard_check(id, y, m, d, "/id_number", &card, p);
    sodium_memzero(&card, sizeof(card));
}

/* Every value check of the candidate members at once, after the shape's;
 * returns p->err when any member is wrong. */
static enum app_err
check_candidate(const json_t *body, const struct policy *pol, int32_t today, struct problem *p)
{
    const char *id = json_string_value(json_object_get(body, "id_number"));
    const json_t *phone = json_object_get(body, "phone");
    const char *s;
    size_t i;
    const json_t *el;

    for (size_t k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++) {
        json_array_foreach(json_object_get(body, shapes[k].array), i, el)
        {
            check_element(&shapes[k], el, i, p);
        }
    }
    if ((s = json_string_value(json_object_get(body, "channel"))) != NULL &&
        enums_from_value(ENUMS_NOMINATION_CHANNELS, s) < 0) {
        problem_field(p, APP_ERR_VALIDATION, "/channel", "unknown_value",
                      "须为 unit（单位推荐）或 competition（竞赛）", "must be unit or competition");
    }
    if ((s = json_string_value(json_object_get(body, "skill_level"))) != NULL &&
        skill_level_from_value(s) < 0) {
        problem_field(p, APP_ERR_VALIDATION, "/skill_level", "unknown_value",
                      "技能等级未定义（见 GET /v1/enums 的 skill_levels）",
                      "unknown skill level (see GET /v1/enums skill_levels)");
    }
    if ((s = json_string_value(json_object_get(body, "deeds"))) != NULL) {
        nomination_guard_deeds_storage(pol, json_utf8_length(s), p);
    }
    check_employer(json_object_get(body, "employer"), p);
    if (json_is_object(json_object_get(body, "competition_result"))) {
        check_object(&competition_result_shape, json_object_get(body, "competition_result"),
                     "/competition_result", p);
    }
    if (json_is_string(phone) && !phone_is_valid(json_string_value(phone))) {
        problem_field(p, APP_ERR_VALIDATION, "/phone", "phone_format",
                      "须为 11 位大陆手机号码（1[3-9]…）",
                      "must be a mainland mobile number of 11 digits (1[3-9]…)");
    }
    if (id != NULL) {
        check_id_number(id, today, p);
    }
    return p->n_errors > 0 ? p->err : APP_OK;
}

/* The ID number's derived members: hash, mask, gender, birth date, age
 * at the round's reference date, and the sealed number. */
static bool put_id_number(json_t *out,
                          const struct op_ctx *ctx,
                          const struct idcard *card,
                          int32_t reference_date)
{
    char hash[CRYPTO_KEYED_HEX], masked[IDCARD_LEN + 1], date[11];
    int y, m, d;

    ops_id_number_hash(ctx, card->number, hash);
    mask_id_number(card->number, masked, sizeof(masked));
    date_format(date_make(card->birth_year, card->birth_month, card->birth_day), date);
    date_split(reference_date, &y, &m, &d);
    int age = idcard_age_at(card, y, m, d);
    json_object_set_new(out, "id_number_hash", json_string(hash));
    json_object_set_new(out, "id_number_masked", json_string(masked));
    json_object_set_new(out, "gender", json_string(card->is_male ? "male" : "female"));
    json_object_set_new(out, "birth_date", json_string(date));
    json_object_set_new(out, "age", json_integer(age < 0 ? 0 : age));
    return ops_put_sealed(out, "id_number_sealed", ctx->pii_key, card->number);
}

static bool put_phone(json_t *out, const struct op_ctx *ctx, const json_t *phone)
{
    char masked[16];

    if (json_is_null(phone)) {
        json_object_set_new(out, "phone_sealed", json_null());
        json_object_set_new(out, "phone_masked", json_null());
        return true;
    }
    if (!json_is_string(phone)) {
        return true;
    }
    mask_phone(json_string_value(phone), masked, sizeof(masked));
    json_object_set_new(out, "phone_masked", json_string(masked));
    return ops_put_sealed(out, "phone_sealed", ctx->pii_key, json_string_value(phone));
}

/*
 * The store values of a checked candidate body as JSON text (malloc'd; free with free_values):
 * plain members copied, the ID number and phone sealed, hashed and masked,
 * gender, birth date and age derived.
 */
static enum app_err candidate_values(const struct op_ctx *ctx,
                                     const json_t *body,
                                     const struct programme_policy *pol,
                                     int32_t reference_date,
                                     char **ret,
                                     struct problem *p)
{
    static const char *const copied[] = {
        "name",
        "channel",
        "occupation",
        "skill_level",
        "skill_certificate_no",
        "post",
        "front_line",
        "innovation_studio_lead",
        "honours",
        "patents",
        "competitions",
        "apprentices",
        "deeds",
        "employer",
        "competition_result",
    };
    struct idcard card;
    json_t *out = NULL, *v;
    bool ok;

    const char *id = json_string_value(json_object_get(body, "id_number"));

    memset(&card, 0, sizeof(card));
    if (id != NULL && idcard_parse(id, &card) != IDCARD_OK) {
        return problem_kind(p, APP_ERR_INTERNAL); /* checked before */
    }
    ok = (out = json_object()) != NULL;
    for (size_t i = 0; ok && i < sizeof(copied) / sizeof(copied[0]); i++) {
        if ((v = json_object_get(body, copied[i])) != NULL) {
            ok = json_object_set(out, copied[i], v) == 0;
        }
    }
    ok = ok && (json_object_get(body, "id_number") == NULL ||
                put_id_number(out, ctx, &card, reference_date));
    ok = ok && put_phone(out, ctx, json_object_get(body, "phone"));
    sodium_memzero(&card, sizeof(card));
    *ret = ok ? dump(out) : NULL;
    json_decref(out);
    return *ret != NULL ? APP_OK : problem_kind(p, APP_ERR_INTERNAL);
}

/* Frees candidate_values() text, wiping the sealed values first. */
static void free_values(char *text)
{
    if (text != NULL) {
        sodium_memzero(text, strlen(text));
    }
    free(text);
}

static enum app_err duplicate_person(enum app_err err, struct problem *p)
{
    if (err != APP_ERR_CONFLICT) {
        return ops_store_problem(err, p);
    }
    /* Names no unit: the other nomination may be another unit's. */
    return problem_fail(p, APP_ERR_CONFLICT, "duplicate_person", "此人在本批次已有推荐",
                        "this person already has a nomination in this round");
}

/* ---- create, update ---- */

/* The unit a create is for: the unit user's own; the one an office user
 * names (unit_id, model/entry.h), which must exist. Field errors are
 * added to p for the other value checks to join. */
static enum app_err
entry_unit(const struct op_ctx *ctx, const json_t *body, const char **ret_unit, struct problem *p)
{
    const json_t *v = json_object_get(body, "unit_id");
    const char *id = json_string_value(v);
    char *unit = NULL;
    enum app_err err;

    *ret_unit = ctx->actor->unit_id;
    if (problem_has_error(p, "/unit_id")) {
        return APP_OK;
    }
    entry_unit_check(ctx->actor->role, v != NULL, p);
    if (problem_has_error(p, "/unit_id") || id == NULL) {
        return APP_OK;
    }
    if (!uuid_valid(id)) {
        problem_field(p, APP_ERR_VALIDATION, "/unit_id", "not_uuid",
                      "须为小写的 UUID（8-4-4-4-12 位十六进制数字）",
                      "must be a UUID in lower case (8-4-4-4-12 hex digits)");
        return APP_OK;
    }
    err = unit_store_get(ctx->db, id, false, &unit);
    free(unit);
    if (err == APP_ERR_NOT_FOUND) {
        problem_field(p, APP_ERR_VALIDATION, "/unit_id", "unknown_unit", "推荐单位不存在",
                      "no such unit");
        return APP_OK;
    }
    *ret_unit = id;
    return err == APP_OK ? APP_OK : ops_store_problem(err, p);
}

enum app_err nomination_create(const struct op_ctx *ctx,
                               const char *round_id,
                               const json_t *body,
                               json_t **ret_obj,
                               struct problem *p)
{
    struct round_ref round;
    struct programme_policy pol = {0};
    struct nomination_entry entry = {.user_id = ctx->actor->id[0] ? ctx->actor->id : NULL,
                                     .by_office = ctx->actor->role == ROLE_OFFICE};
    const char *unit_id = NULL;
    char *values = NULL, *id = NULL, *text = NULL;
    enum app_err err;

    if (body_shape(body, true, p) != APP_OK ||
        ops_round_scope(ctx, round_id, false, &round, p) != APP_OK ||
        entry_unit(ctx, body, &unit_id, p) != APP_OK ||
        nomination_load_policy(ctx->db, &round, &pol, p) != APP_OK ||
        check_candidate(body, &pol.p, ctx->today, p) != APP_OK) {
        goto cleanup;
    }
    if (round.phase != PHASE_ACCEPTING) {
        const char *ph = enums_value(ENUMS_ROUND_PHASES, round.phase);
        problem_fail(p, APP_ERR_CONFLICT, "round_not_accepting",
                     "评选批次处于 %s 阶段；推荐只在 accepting（申报）阶段受理",
                     "the round is in phase %s; nominations are taken in accepting", ph);
        goto cleanup;
    }
    if (nomination_window_open(ctx, &round, p) != APP_OK ||
        candidate_values(ctx, body, &pol, round.reference_date, &values, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = nomination_store_insert(ctx->db, round.id, unit_id, values, ctx->today, &entry,
                                       &id)) != APP_OK ||
        (err = nomination_store_add_transition(ctx->db, id, NULL, "draft", ctx->actor, NULL,
                                               entry.by_office ? unit_id : NULL)) != APP_OK) {
        duplicate_person(err, p);
        goto cleanup;
    }
    if (nomination_load_full(ctx->db, id, &text, ret_obj, p) == APP_OK &&
        (err = ops_audit(ctx, "nomination.create", "nomination", id, NULL, text)) != APP_OK) {
        ops_store_problem(err, p);
    }

cleanup:
    free_values(values);
    json_decref(pol.json);
    free(id);
    free(text);
    return p->err;
}

static enum app_err stale(int version, struct problem *p)
{
    return problem_fail(p, APP_ERR_PRECONDITION_FAILED, "stale_etag",
                        "推荐已被修改（ETag \"%d\"），请重新获取",
                        "the nomination changed (ETag \"%d\"); GET it again", version);
}

enum app_err nomination_update(const struct op_ctx *ctx,
                               const char *id,
                               int version,
                               const json_t *body,
                               json_t **ret_obj,
                               struct problem *p)
{
    struct nomination_ref nom;
    struct round_ref round;
    struct programme_policy pol = {0};
    char *before = NULL, *after = NULL, *values = NULL;
    enum app_err err;

    if (body_shape(body, false, p) != APP_OK ||
        ops_nomination_scope(ctx, id, true, &nom, &round, p) != APP_OK ||
        entry_may_write(ctx->actor->role, nom.entered_by_office, p) != APP_OK ||
        nomination_load_policy(ctx->db, &round, &pol, p) != APP_OK ||
        check_candidate(body, &pol.p, ctx->today, p) != APP_OK) {
        goto cleanup;
    }
    if (nom.version != version) {
        stale(nom.version, p);
        goto cleanup;
    }
    if (nomination_guard_editable(nom.state, round.phase, p) != APP_OK ||
        candidate_values(ctx, body, &pol, round.reference_date, &values, p) != APP_OK ||
        nomination_load_full(ctx->db, nom.id, &before, NULL, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = nomination_store_update(ctx->db, nom.id, version, values)) != APP_OK) {
        duplicate_person(err, p);
        goto cleanup;
    }
    if (nomination_load_full(ctx->db, nom.id, &after, ret_obj, p) == APP_OK &&
        (err = ops_audit(ctx, "nomination.update", "nomination", nom.id, before, after)) !=
            APP_OK) {
        ops_store_problem(err, p);
    }

cleanup:
    free_values(values);
    json_decref(pol.json);
    free(before);
    free(after);
    return p->err;
}

/* ---- eligibility ---- */

/* Gathers the facts and runs the checklist. *ret is a new reference. */
static enum app_err run_checks(const struct op_ctx *ctx,
                               const struct nomination_ref *nom,
                               const struct round_ref *round,
                               const struct programme_policy *pol,
                               json_t **ret,
                               struct problem *p)
{
    struct nomination_facts f;
    struct eligibility_input in = {0};
    char today[11];

    date_format(ctx->today, today);
    enum app_err err = nomination_store_facts(ctx->db, nom->id, today, &f);

    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    in.policy = &pol->p;
    in.articles = json_object_get(pol->json, "articles");
    in.reference_date = round->reference_date;
    date_parse(f.birth_date, &in.birth_date);
    in.skill_level = f.skill_level[0] ? skill_level_from_value(f.skill_level) : -1;
    in.front_line = f.front_line;
    in.employer_kind =
        f.employer_kind[0] ? enums_from_value(ENUMS_UNIT_KINDS, f.employer_kind) : -1;
    in.employer_name = f.employer_kind[0] ? f.employer_name : NULL;
    in.channel = enums_from_value(ENUMS_NOMINATION_CHANNELS, f.channel);
    in.competition.present = f.competition;
    in.competition.name = f.competition_name;
    in.competition.rank = f.competition_rank;
    in.competition.level = enums_from_value(ENUMS_HONOUR_LEVELS, f.competition_level);
    in.competition.year = f.competition_year;
    in.deeds_chars = (size_t)f.deeds_chars;
    in.honours_district_plus = f.honours_district_plus;
    in.attachments = f.attachments;
    in.earlier_recognitions = f.earlier_recognitions;
    in.held_until = ELIGIBILITY_NO_DATE;
    if (f.held_until[0] != '\0') {
        date_parse(f.held_until, &in.held_until);
    }
    in.same_round_others = f.same_round_others;
    in.publicity_done = !pol->p.unit_publicity_required || f.publicity_done;
    in.publicity_workdays = f.publicity_workdays;
    if ((*ret = eligibility_run(&in)) == NULL) {
        return problem_kind(p, APP_ERR_INTERNAL);
    }
    return APP_OK;
}

enum app_err
nomination_checklist(const struct op_ctx *ctx, const char *id, json_t **ret, struct problem *p)
{
    struct nomination_ref nom;
    struct round_ref round;
    struct programme_policy pol = {0};

    if (ops_nomination_scope(ctx, id, false, &nom, &round, p) == APP_OK &&
        nomination_load_policy(ctx->db, &round, &pol, p) == APP_OK) {
        run_checks(ctx, &nom, &round, &pol, ret, p);
    }
    json_decref(pol.json);
    return p->err;
}

/* ---- moves ---- */

/* Records the office's overrides with who gave them and when. */
static json_t *stamp_overrides(const struct op_ctx *ctx, const json_t *overrides)
{
    json_t *out = json_array();
    size_t i;
    const json_t *o;
    char today[11];

    date_format(ctx->today, today);
    json_array_foreach(overrides, i, o)
    {
        json_array_append_new(
            out, json_pack("{s:O, s:O, s:s, s:s}", "check", json_object_get(o, "check"), "reason",
                           json_object_get(o, "reason"), "by", ctx->actor->username, "on", today));
    }
    return out;
}

/* Everything one move loads and writes. */
struct move {
    const struct op_ctx *ctx;
    const struct nomination_move_input *in;
    const struct nomination_move *rule;
    struct nomination_ref nom;
    struct round_ref round;
    struct programme_policy pol;
    bool on_behalf; /* the office takes the unit's step (model/entry.h) */
    json_t *cur;    /* the nomination before */
    json_t *values; /* the store values to write */
};

static enum app_err guard_publicity(struct move *m, struct problem *p)
{
    const struct nomination_move_input *in = m->in;
    char date[11];
    int32_t start = 0, end;
    bool start_ok = in->publicity_start != NULL && date_parse(in->publicity_start, &start);
    int n;

    if (nomination_guard_publicity_start(start_ok, start, in->publicity_workdays, &m->pol.p,
                                         m->round.window_opens, m->round.window_closes,
                                         m->nom.created_on, &n, p) != APP_OK ||
        calendar_workdays_end(m->ctx->db, start, n, &end, p) != APP_OK) {
        return p->err;
    }
    date_format(start, date);
    json_object_set_new(m->values, "publicity_start", json_string(date));
    date_format(end, date);
    json_object_set_new(m->values, "publicity_end", json_string(date));
    json_object_set_new(m->values, "publicity_workdays", json_integer(n));
    return APP_OK;
}

/* The article of policy member `member`, or NULL. */
static const char *article_of(const struct move *m, const char *member)
{
    return json_string_value(json_object_get(json_object_get(m->pol.json, "articles"), member));
}

static enum app_err guard_publicity_evidence(struct move *m, struct problem *p)
{
    long files = 0;
    enum app_err err;

    if (!m->pol.p.publicity_evidence_required) {
        return APP_OK;
    }
    err = attachment_store_count_kind(
        m->ctx->db, m->nom.id, enums_value(ENUMS_EVIDENCE_KINDS, EVIDENCE_UNIT_PUBLICITY), &files);
    if (err != APP_OK) {
        return ops_store_problem(err, p);
    }
    return nomination_guard_publicity_evidence(
        m->nom.state, &m->pol.p, article_of(m, "publicity_evidence_required"), files, p);
}

#define MISSING_MAX 12

/* Appends the members of `required` that are null in the nomination. */
static void
find_missing(const json_t *cur, const char *const *required, const char **missing, size_t *n)
{
    for (const char *const *k = required; *k != NULL && *n < MISSING_MAX; k++) {
        if (json_is_null(json_object_get(cur, *k))) {
            missing[(*n)++] = *k;
        }
    }
}

static enum app_err guard_complete(struct move *m, struct problem *p)
{
    const char *missing[MISSING_MAX];
    size_t n = 0;

    if (m->nom.state != NOM_RETURNED && nomination_window_open(m->ctx, &m->round, p) != APP_OK) {
        return p->err;
    }
    find_missing(m->cur, nomination_required_for_submission, missing, &n);
    find_missing(
        m->cur,
        nomination_required_for_channel(json_string_value(json_object_get(m->cur, "channel"))),
        missing, &n);
    return nomination_guard_complete(missing, n, p);
}

/* Each guard of the move's row, in the table's order. */
static enum app_err run_guards(struct move *m, struct problem *p)
{
    unsigned g = m->rule->guards;
    json_t *checklist = NULL;
    int32_t end = -1;

    if ((g & GUARD_PUBLICITY_START) && guard_publicity(m, p) != APP_OK) {
        return p->err;
    }
    if (g & GUARD_PUBLICITY_PASSED) {
        date_parse(json_string_value(json_object_get(m->cur, "publicity_end")), &end);
        if (nomination_guard_publicity_passed(m->nom.state, end, m->ctx->today, p) != APP_OK) {
            return p->err;
        }
    }
    if ((g & GUARD_PUBLICITY_FILE) && guard_publicity_evidence(m, p) != APP_OK) {
        return p->err;
    }
    if ((g & GUARD_NO_PUBLICITY) &&
        nomination_guard_no_publicity(
            m->nom.state, &m->pol.p,
            json_string_value(json_object_get(json_object_get(m->pol.json, "articles"),
                                              "unit_publicity_required")),
            p) != APP_OK) {
        return p->err;
    }
    if ((g & GUARD_COMPLETE) && guard_complete(m, p) != APP_OK) {
        return p->err;
    }
    if (g & GUARD_RUN_CHECKS) {
        if (run_checks(m->ctx, &m->nom, &m->round, &m->pol, &checklist, p) != APP_OK) {
            return p->err;
        }
        json_object_set_new(m->values, "eligibility", checklist);
        json_object_set_new(m->values, "submitted", json_true());
    }
    if (g & GUARD_CHECKS_CLEAR) {
        if (!eligibility_clear(json_object_get(m->cur, "eligibility"), m->in->overrides, p)) {
            return p->err;
        }
        json_object_set_new(m->values, "overrides", stamp_overrides(m->ctx, m->in->overrides));
    }
    return APP_OK;
}

/* The decision members a target state records. */
static void put_outcome(json_t *values, enum nomination_state to, const char *note)
{
    switch (to) {
    case NOM_QUALIFIED:
    case NOM_REJECTED:
    case NOM_DISQUALIFIED:
        json_object_set_new(values, "decided", json_true());
        if (to != NOM_QUALIFIED) {
            json_object_set_new(values, "decision_reason", json_string(note));
        }
        break;
    case NOM_RETURNED:
        json_object_set_new(values, "return_comment", json_string(note));
        break;
    default:
        break;
    }
}

static enum app_err
write_move(struct move *m, const char *before, json_t **ret_obj, struct problem *p)
{
    const char *from = enums_value(ENUMS_NOMINATION_STATES, m->nom.state);
    char *text = dump(m->values), *after = NULL;
    enum app_err err = text == NULL ? APP_ERR_INTERNAL : APP_OK;

    if (err == APP_OK) {
        err = nomination_store_update(m->ctx->db, m->nom.id, m->nom.version, text);
    }
    if (err == APP_OK) {
        err = nomination_store_add_transition(m->ctx->db, m->nom.id, from, m->in->to, m->ctx->actor,
                                              m->in->note, m->on_behalf ? m->nom.unit_id : NULL);
    }
    if (err != APP_OK) {
        ops_store_problem(err, p);
    } else if (nomination_load_full(m->ctx->db, m->nom.id, &after, ret_obj, p) == APP_OK &&
               (err = ops_audit(m->ctx, "nomination.transition", "nomination", m->nom.id, before,
                                after)) != APP_OK) {
        ops_store_problem(err, p);
    }
    free(text);
    free(after);
    return p->err;
}

enum app_err nomination_move(const struct op_ctx *ctx,
                             const struct nomination_move_input *in,
                             json_t **ret_obj,
                             char ret_vote_session[VOTE_SESSION_ID_MAX],
                             struct problem *p)
{
    struct move m = {.ctx = ctx, .in = in};
    int to = enums_from_value(ENUMS_NOMINATION_STATES, in->to);
    enum role role;
    char *before = NULL;

    if (to < 0) {
        return problem_field(p, APP_ERR_VALIDATION, "/to", "unknown_state",
                             "状态未定义（见 GET /v1/enums 的 nomination_states）",
                             "unknown state (see GET /v1/enums nomination_states)");
    }
    if (ops_nomination_scope(ctx, in->id, true, &m.nom, &m.round, p) != APP_OK ||
        nomination_load_policy(ctx->db, &m.round, &m.pol, p) != APP_OK) {
        goto cleanup;
    }
    if (in->if_match >= 0 && m.nom.version != in->if_match) {
        stale(m.nom.version, p);
        goto cleanup;
    }
    if (entry_acting_role(ctx->actor->role, m.nom.entered_by_office, m.nom.state,
                          (enum nomination_state)to, &role, &m.on_behalf, p) != APP_OK ||
        nomination_guard_move(m.nom.state, (enum nomination_state)to, role, m.round.phase, &m.rule,
                              p) != APP_OK ||
        nomination_guard_members(m.rule, &in->sent, p) != APP_OK ||
        nomination_load_full(ctx->db, m.nom.id, &before, &m.cur, p) != APP_OK) {
        goto cleanup;
    }
    if ((m.values = json_pack("{s:s}", "state", in->to)) == NULL) {
        problem_kind(p, APP_ERR_INTERNAL);
        goto cleanup;
    }
    if (run_guards(&m, p) == APP_OK) {
        put_outcome(m.values, (enum nomination_state)to, in->note);
        /* A nominee on a ballot that is no longer a candidate leaves the
         * vote; the ballot is locked before the move is audited. */
        enum app_err err = vote_session_store_lock_ballot(ctx->db, m.nom.id);

        if (err != APP_OK) {
            ops_store_problem(err, p);
        } else if (write_move(&m, before, ret_obj, p) == APP_OK &&
                   vote_session_withdraw_nominee(ctx, m.nom.id, ret_vote_session, p) != APP_OK) {
            json_decref(*ret_obj);
            *ret_obj = NULL;
        }
    }

cleanup:
    json_decref(m.values);
    json_decref(m.cur);
    json_decref(m.pol.json);
    free(before);
    return p->err;
}

/* ---- the audited reveal ---- */

/* Opens a sealed hex value into obj[key]. */
static enum app_err
reveal_into(json_t *obj, const char *key, const unsigned char *pii_key, const char *hex)
{
    size_t hex_len = strlen(hex), len = 0;
    unsigned char *bin = malloc(hex_len / 2 + 1);
    char *plain = NULL;
    enum app_err err = APP_ERR_INTERNAL;

    if (bin != NULL && sodium_hex2bin(bin, hex_len / 2 + 1, hex, hex_len, NULL, &len, NULL) == 0 &&
        crypto_open(pii_key, bin, len, &plain) == APP_OK) {
        json_object_set_new(obj, key, json_string(plain));
        sodium_memzero(plain, strlen(plain));
        err = APP_OK;
    }
    free(plain);
    free(bin);
    return err;
}

static enum app_err
audit_reveal(const struct op_ctx *ctx, const char *id, bool id_number, bool phone)
{
    json_t *note = json_pack("{s:[]}", "revealed");
    json_t *what = json_object_get(note, "revealed");
    char *text;
    enum app_err err;

    if (id_number) {
        json_array_append_new(what, json_string("id_number"));
    }
    if (phone) {
        json_array_append_new(what, json_string("phone"));
    }
    text = note != NULL ? dump(note) : NULL;
    err = text != NULL ? ops_audit(ctx, "nomination.reveal", "nomination", id, NULL, text)
                       : APP_ERR_INTERNAL;
    json_decref(note);
    free(text);
    return err;
}

enum app_err nomination_reveal(const struct op_ctx *ctx,
                               const char *id,
                               bool id_number,
                               bool phone,
                               json_t **ret_obj,
                               struct problem *p)
{
    struct nomination_ref nom;
    struct round_ref round;
    char *text = NULL, *id_hex = NULL, *phone_hex = NULL;
    enum app_err err;

    if (ctx->actor->role != ROLE_OFFICE) {
        return problem_fail(p, APP_ERR_FORBIDDEN, "reveal_office_only",
                            "只有评选办用户可以查看完整的个人信息",
                            "only an office user may reveal personal data");
    }
    if (ops_nomination_scope(ctx, id, false, &nom, &round, p) != APP_OK ||
        nomination_load_full(ctx->db, nom.id, &text, ret_obj, p) != APP_OK) {
        goto cleanup;
    }
    if ((err = nomination_store_sealed(ctx->db, nom.id, &id_hex, &phone_hex)) != APP_OK ||
        (err = audit_reveal(ctx, nom.id, id_number, phone)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((id_number && reveal_into(*ret_obj, "id_number", ctx->pii_key, id_hex) != APP_OK) ||
        (phone && phone_hex != NULL &&
         reveal_into(*ret_obj, "phone", ctx->pii_key, phone_hex) != APP_OK)) {
        log_error("a sealed value of nomination %s does not open under the PII key", nom.id);
        problem_kind(p, APP_ERR_INTERNAL);
    }

cleanup:
    free(text);
    free(id_hex);
    free(phone_hex);
    return p->err;
}
