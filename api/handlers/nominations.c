/* SPDX-License-Identifier: MIT */
/*
 * Nominations (推荐/申报): a unit puts a candidate forward in a round, runs
 * its unit publicity, approves and submits; the office reviews the
 * qualification. 岚山 第四条, 第五条（一）（二）; 环翠 第六条, 第七条, 第十条
 * （一）–（三）.
 *
 * Personal data: the ID number and phone are sealed (secretbox under
 * JIANGXIN_PII_KEY) before they reach the store, with a keyed hash of the
 * ID number for "one per round" and "recognised before"; responses carry
 * only the masked forms. An office user may ask for the full values with
 * ?reveal=id_number,phone, which is audited and answered no-store.
 *
 * This file creates, lists, reads and edits nominations; moving them
 * between states and the eligibility checklist are in nomination_moves.c.
 */
#include "nominations.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "app.h"
#include "clock.h"
#include "crypto.h"
#include "eligibility.h"
#include "flow.h"
#include "handlers.h"
#include "idcard.h"
#include "json_fields.h"
#include "log.h"
#include "mask.h"
#include "policy.h"
#include "store/stores.h"
#include "workdays.h"

#define ARRAY_MAX       50 /* honours, patents, competitions */
#define APPRENTICES_MAX 100
#define DEEDS_HARD_MAX  100000 /* code points, whatever the policy says */
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
    {                                                                                           \
        "deeds", JF_STRING, false, 0, 0                                                         \
    }

static const struct json_field create_fields[] = {CANDIDATE_FIELDS(true)};
static const struct json_field patch_fields[] = {CANDIDATE_FIELDS(false)};
#define N_FIELDS (sizeof(create_fields) / sizeof(create_fields[0]))

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

static const struct element_shape shapes[] = {
    {"honours", honour_fields, 3, "level", ENUMS_HONOUR_LEVELS},
    {"patents", patent_fields, 4, "kind", ENUMS_PATENT_KINDS},
    {"competitions", competition_fields, 4, "level", ENUMS_HONOUR_LEVELS},
    {"apprentices", apprentice_fields, 3, "skill_level", ENUMS_SKILL_LEVELS},
};

/* ---- the programme's policy ---- */

enum app_err nomination_load_policy(struct db *db,
                                    const struct round_ref *round,
                                    struct programme_policy *ret,
                                    struct problem *p)
{
    char *text = NULL;

    ret->json = NULL;
    if ((p->err = policy_version_store_of_round(db, round->id, &text)) != APP_OK) {
        problem_set(p, p->err == APP_ERR_NOT_FOUND ? APP_ERR_INTERNAL : p->err, NULL);
        return p->err;
    }
    ret->json = api_parse(text, p);
    free(text);
    if (ret->json == NULL) {
        return p->err;
    }
    if (policy_from_json(ret->json, &ret->p) != APP_OK) {
        log_error("round %s: its policy version does not validate", round->id);
        problem_set(p, APP_ERR_INTERNAL, NULL);
        return p->err;
    }
    p->err = APP_OK;
    return APP_OK;
}

bool nomination_window_open(const struct round_ref *round, struct problem *p)
{
    int32_t today = clock_today();
    char a[11], b[11];

    if (today >= round->window_opens && today <= round->window_closes) {
        return true;
    }
    date_format(round->window_opens, a);
    date_format(round->window_closes, b);
    problem_set(p, APP_ERR_CONFLICT, "the application window is %s to %s", a, b);
    p->extra = json_pack("{s:s, s:s}", "window_opens", a, "window_closes", b);
    return false;
}

/* ---- validation of a candidate body into the prepared store values ---- */

static bool check_elements(const json_t *body, struct problem *p)
{
    bool ok = true;

    for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
        const json_t *arr = json_object_get(body, shapes[s].array);
        size_t i;
        const json_t *el;

        json_array_foreach(arr, i, el)
        {
            char prefix[PROBLEM_POINTER_MAX], ptr[PROBLEM_POINTER_MAX];
            snprintf(prefix, sizeof(prefix), "/%s/%zu", shapes[s].array, i);
            if (!json_is_object(el)) {
                problem_add_error(p, APP_ERR_VALIDATION, prefix, "must be an object");
                ok = false;
                continue;
            }
            if (!json_fields_check(el, shapes[s].fields, shapes[s].n, prefix, p)) {
                ok = false;
                continue;
            }
            const char *v = json_string_value(json_object_get(el, shapes[s].enum_member));
            if (enums_from_value(shapes[s].enum_set, v) < 0) {
                snprintf(ptr, sizeof(ptr), "%s/%s", prefix, shapes[s].enum_member);
                problem_add_error(p, APP_ERR_VALIDATION, ptr,
                                  "unknown value (see GET /v1/enums %s)",
                                  enums_set_name(shapes[s].enum_set));
                ok = false;
            }
            json_int_t year = json_integer_value(json_object_get(el, "year"));
            if (year < YEAR_MIN || year > YEAR_MAX) {
                snprintf(ptr, sizeof(ptr), "%s/year", prefix);
                problem_add_error(p, APP_ERR_VALIDATION, ptr, "must be %d to %d", YEAR_MIN,
                                  YEAR_MAX);
                ok = false;
            }
        }
    }
    return ok;
}

/* Seals `plain` under the PII key into out[key] as hex. */
static bool put_sealed(json_t *out, const char *key, const struct api_ctx *ctx, const char *plain)
{
    unsigned char *sealed = NULL;
    size_t len = 0;
    char *hex;
    bool ok = false;

    if (crypto_seal(ctx->cfg->pii_key, plain, strlen(plain), &sealed, &len) != APP_OK) {
        return false;
    }
    hex = malloc(2 * len + 1);
    if (hex != NULL) {
        sodium_bin2hex(hex, 2 * len + 1, sealed, len);
        ok = json_object_set_new(out, key, json_string(hex)) == 0;
    }
    sodium_memzero(hex, hex != NULL ? 2 * len : 0);
    free(hex);
    free(sealed);
    return ok;
}

/*
 * Checks the candidate members of `body` (shape already checked) and
 * writes the store values into `out`: plain members copied, the ID number
 * and phone sealed, hashed and masked, gender, birth date and age derived.
 * reference_date: the round's, for the age.
 */
static bool prepare_candidate(const struct http_call *call,
                              const json_t *body,
                              const struct policy *pol,
                              int32_t reference_date,
                              json_t *out,
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
    };
    const struct api_ctx *ctx = call->app;
    const char *id = json_string_value(json_object_get(body, "id_number"));
    const json_t *phone = json_object_get(body, "phone");
    const char *s;
    bool ok = check_elements(body, p);

    if ((s = json_string_value(json_object_get(body, "channel"))) != NULL &&
        enums_from_value(ENUMS_NOMINATION_CHANNELS, s) < 0) {
        problem_add_error(p, APP_ERR_VALIDATION, "/channel", "must be unit or competition");
        ok = false;
    }
    if ((s = json_string_value(json_object_get(body, "skill_level"))) != NULL &&
        skill_level_from_value(s) < 0) {
        problem_add_error(p, APP_ERR_VALIDATION, "/skill_level",
                          "unknown skill level (see GET /v1/enums skill_levels)");
        ok = false;
    }
    if ((s = json_string_value(json_object_get(body, "deeds"))) != NULL) {
        size_t chars = json_utf8_length(s);
        size_t max = pol->deeds_max_chars >= 0 ? (size_t)pol->deeds_max_chars : DEEDS_HARD_MAX;
        if (chars > max) {
            problem_add_error(p, APP_ERR_VALIDATION, "/deeds",
                              "is %zu characters; this programme allows at most %zu", chars, max);
            ok = false;
        }
    }
    if (json_is_string(phone) && !phone_is_valid(json_string_value(phone))) {
        problem_add_error(p, APP_ERR_VALIDATION, "/phone",
                          "must be a mainland mobile number of 11 digits (1[3-9]…)");
        ok = false;
    }
    struct idcard card;
    if (id != NULL) {
        enum idcard_status st = idcard_parse(id, &card);
        if (st != IDCARD_OK) {
            problem_add_error(p, APP_ERR_VALIDATION, "/id_number",
                              "not a valid 公民身份号码 (GB 11643): %s", idcard_status_text(st));
            ok = false;
        } else if (date_make(card.birth_year, card.birth_month, card.birth_day) > clock_today()) {
            problem_add_error(p, APP_ERR_VALIDATION, "/id_number",
                              "the birth date in the number is in the future");
            ok = false;
        }
    }
    if (!ok) {
        return false;
    }
    for (size_t i = 0; i < sizeof(copied) / sizeof(copied[0]); i++) {
        json_t *v = json_object_get(body, copied[i]);
        if (v != NULL) {
            json_object_set(out, copied[i], v);
        }
    }
    if (id != NULL) {
        char hash[CRYPTO_KEYED_HEX], masked[IDCARD_LEN + 1], date[11];
        int y, m, d;
        crypto_keyed_hash(ctx->cfg->pii_key, "id_number", card.number, hash);
        mask_id_number(card.number, masked, sizeof(masked));
        date_format(date_make(card.birth_year, card.birth_month, card.birth_day), date);
        date_split(reference_date, &y, &m, &d);
        int age = idcard_age_at(&card, y, m, d);
        json_object_set_new(out, "id_number_hash", json_string(hash));
        json_object_set_new(out, "id_number_masked", json_string(masked));
        json_object_set_new(out, "gender", json_string(card.is_male ? "male" : "female"));
        json_object_set_new(out, "birth_date", json_string(date));
        json_object_set_new(out, "age", json_integer(age < 0 ? 0 : age));
        if (!put_sealed(out, "id_number_sealed", ctx, card.number)) {
            problem_set(p, APP_ERR_INTERNAL, NULL);
            sodium_memzero(&card, sizeof(card));
            return false;
        }
        sodium_memzero(&card, sizeof(card));
    }
    if (json_is_null(phone)) {
        json_object_set_new(out, "phone_sealed", json_null());
        json_object_set_new(out, "phone_masked", json_null());
    } else if (json_is_string(phone)) {
        char masked[16];
        mask_phone(json_string_value(phone), masked, sizeof(masked));
        json_object_set_new(out, "phone_masked", json_string(masked));
        if (!put_sealed(out, "phone_sealed", ctx, json_string_value(phone))) {
            problem_set(p, APP_ERR_INTERNAL, NULL);
            return false;
        }
    }
    return true;
}

char *nomination_dump(const json_t *obj)
{
    return json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

/* The store values of the request's candidate members as JSON text
 * (malloc'd; free with free_values), or NULL with the problem in p. */
static char *candidate_values(const struct http_call *call,
                              const struct policy *pol,
                              int32_t reference_date,
                              struct problem *p)
{
    json_t *values = json_object();
    char *text = NULL;

    if (values == NULL) {
        problem_set(p, APP_ERR_INTERNAL, NULL);
    } else if (prepare_candidate(call, call->body, pol, reference_date, values, p) &&
               (text = nomination_dump(values)) == NULL) {
        problem_set(p, APP_ERR_INTERNAL, NULL);
    }
    json_decref(values);
    return text;
}

/* Frees candidate_values() text, wiping the sealed values first. */
static void free_values(char *text)
{
    if (text != NULL) {
        sodium_memzero(text, strlen(text));
    }
    free(text);
}

enum app_err nomination_load_full(
    struct db *db, const char *id, char **ret_text, json_t **ret_obj, struct problem *p)
{
    if ((p->err = nomination_store_get(db, id, ret_text)) != APP_OK) {
        problem_set(p, p->err, NULL);
        return p->err;
    }
    if (ret_obj != NULL && (*ret_obj = api_parse(*ret_text, p)) == NULL) {
        return p->err;
    }
    p->err = APP_OK;
    return APP_OK;
}

void nomination_conflict(struct problem *p, enum nomination_state state, const char *fmt, ...)
{
    char detail[PROBLEM_DETAIL_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    problem_utf8_trim(detail);
    problem_set(p, APP_ERR_CONFLICT, "%s", detail);
    json_decref(p->extra);
    p->extra = json_pack("{s:s}", "current_state", enums_value(ENUMS_NOMINATION_STATES, state));
}

bool nomination_editable_now(enum nomination_state state, enum round_phase phase)
{
    unsigned phases = state == NOM_RETURNED ? FLOW_CORRECTION_PHASES : FLOW_INTAKE_PHASES;

    return flow_nomination_editable(state) && (phases & PHASE_BIT(phase));
}

/* ---- POST /v1/rounds/{id}/nominations ---- */

enum app_err nominations_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct round_ref round;
    struct programme_policy pol = {0};
    struct db *db = NULL;
    json_t *obj = NULL;
    char *values_text = NULL, *new_id = NULL, *text = NULL, location[96];

    if (!json_fields_check(call->body, create_fields, N_FIELDS, "", p) ||
        (db = api_db(p)) == NULL ||
        api_round_scope(call, db, http_param(call, "id"), false, &round, p) != APP_OK ||
        api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        nomination_load_policy(db, &round, &pol, p) != APP_OK) {
        goto cleanup;
    }
    if (round.phase != PHASE_ACCEPTING) {
        problem_set(p, APP_ERR_CONFLICT,
                    "the round is in phase %s; nominations are taken in accepting",
                    enums_value(ENUMS_ROUND_PHASES, round.phase));
        goto cleanup;
    }
    if (!nomination_window_open(&round, p)) {
        goto cleanup;
    }
    p->err = APP_OK;
    if ((values_text = candidate_values(call, &pol.p, round.reference_date, p)) == NULL) {
        goto cleanup;
    }
    if ((p->err = db_begin(db)) != APP_OK ||
        (p->err = nomination_store_insert(db, round.id, call->who.unit_id, values_text, &new_id)) !=
            APP_OK ||
        (p->err = nomination_store_add_transition(db, new_id, NULL, "draft", &call->who, NULL)) !=
            APP_OK ||
        nomination_load_full(db, new_id, &text, &obj, p) != APP_OK) {
        if (p->err == APP_ERR_CONFLICT) {
            /* Names no unit: the other nomination may be another unit's. */
            problem_set(p, APP_ERR_CONFLICT, "this person already has a nomination in this round");
        }
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/nominations/%s", new_id);
    if ((p->err = api_audit(call, db, "nomination.create", "nomination", new_id, NULL, text)) !=
            APP_OK ||
        (p->err = api_idem_save(call, db, &idem, 201, obj, location)) != APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    http_set_header(call, "Location", location);
    api_reply_resource(call, 201, obj);

cleanup:
    db_rollback(db);
    free_values(values_text);
    json_decref(obj);
    json_decref(pol.json);
    free(new_id);
    free(text);
    return p->err;
}

/* ---- GET /v1/rounds/{id}/nominations ---- */

enum app_err nominations_list(struct http_call *call, struct problem *p)
{
    static const char *const sorts[NOMINATION_SORT__COUNT] = {
        [NOMINATION_SORT_CREATED] = "created_at",
        [NOMINATION_SORT_CREATED_DESC] = "-created_at",
        [NOMINATION_SORT_NAME] = "name",
        [NOMINATION_SORT_NAME_DESC] = "-name",
    };
    struct round_ref round;
    struct db *db = api_db(p);
    struct nomination_filter f = {0};
    const char *cursor, *sort = http_query(call, "sort");
    char *array = NULL, *next = NULL;
    int limit;

    if (db == NULL || http_list_params(call, &limit, &cursor, p) != APP_OK) {
        goto cleanup;
    }
    f.state = http_query(call, "state");
    f.skill_level = http_query(call, "skill_level");
    f.unit_id = http_query(call, "unit_id");
    f.q = http_query(call, "q");
    if (f.state != NULL && enums_from_value(ENUMS_NOMINATION_STATES, f.state) < 0) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "state: unknown nomination state");
        goto cleanup;
    }
    if (f.skill_level != NULL && skill_level_from_value(f.skill_level) < 0) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "skill_level: unknown skill level");
        goto cleanup;
    }
    if (f.unit_id != NULL && !api_is_uuid(f.unit_id)) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "unit_id must be a UUID");
        goto cleanup;
    }
    if (f.q != NULL && (f.q[0] == '\0' || json_utf8_length(f.q) > 50)) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "q must be 1 to 50 characters");
        goto cleanup;
    }
    f.sort = NOMINATION_SORT__COUNT;
    for (int i = 0; i < NOMINATION_SORT__COUNT; i++) {
        if (sort == NULL || strcmp(sort, sorts[i]) == 0) {
            f.sort = (enum nomination_sort)i;
            break;
        }
    }
    if (f.sort == NOMINATION_SORT__COUNT) {
        problem_set(p, APP_ERR_BAD_PARAMETER,
                    "sort must be created_at, -created_at, name or -name");
        goto cleanup;
    }
    if (api_round_scope(call, db, http_param(call, "id"), false, &round, p) != APP_OK) {
        goto cleanup;
    }
    f.round_id = round.id;
    if (call->who.role == ROLE_UNIT) {
        /* Another unit's id filters to nothing, exactly like a unit with no nominations. */
        if (f.unit_id != NULL && strcasecmp(f.unit_id, call->who.unit_id) != 0) {
            http_reply_list_text(call, "[]", NULL);
            p->err = APP_OK;
            goto cleanup;
        }
        f.unit_id = call->who.unit_id;
    }
    if ((p->err = nomination_store_list(db, &f, cursor, limit, &array, &next)) != APP_OK) {
        problem_set(p, p->err, NULL);
        goto cleanup;
    }
    http_reply_list_text(call, array, next);

cleanup:
    free(array);
    free(next);
    return p->err;
}

/* ---- GET /v1/nominations/{id} ---- */

/* Parses ?reveal=id_number,phone. */
static bool reveal_param(const char *v, bool *id, bool *phone, struct problem *p)
{
    *id = *phone = false;
    if (v == NULL) {
        return true;
    }
    char buf[64];
    snprintf(buf, sizeof(buf), "%s", v);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok != NULL;
         tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "id_number") == 0 || strcmp(tok, "id") == 0) {
            *id = true;
        } else if (strcmp(tok, "phone") == 0) {
            *phone = true;
        } else {
            problem_set(p, APP_ERR_BAD_PARAMETER, "reveal must list id_number and/or phone");
            return false;
        }
    }
    if (!*id && !*phone) {
        problem_set(p, APP_ERR_BAD_PARAMETER, "reveal must list id_number and/or phone");
        return false;
    }
    return true;
}

/* Opens a sealed hex value into obj[key]. */
static enum app_err
reveal_into(json_t *obj, const char *key, const struct api_ctx *ctx, const char *hex)
{
    size_t hex_len = strlen(hex), len = 0;
    unsigned char *bin = malloc(hex_len / 2 + 1);
    char *plain = NULL;
    enum app_err err = APP_ERR_INTERNAL;

    if (bin != NULL && sodium_hex2bin(bin, hex_len / 2 + 1, hex, hex_len, NULL, &len, NULL) == 0 &&
        crypto_open(ctx->cfg->pii_key, bin, len, &plain) == APP_OK) {
        json_object_set_new(obj, key, json_string(plain));
        sodium_memzero(plain, strlen(plain));
        err = APP_OK;
    }
    free(plain);
    free(bin);
    return err;
}

enum app_err nominations_get(struct http_call *call, struct problem *p)
{
    struct nomination_ref nom;
    struct round_ref round;
    struct db *db = api_db(p);
    char *text = NULL, *id_hex = NULL, *phone_hex = NULL;
    json_t *obj = NULL;
    bool reveal_id, reveal_phone;

    if (db == NULL || !reveal_param(http_query(call, "reveal"), &reveal_id, &reveal_phone, p)) {
        goto cleanup;
    }
    if ((reveal_id || reveal_phone) && call->who.role != ROLE_OFFICE) {
        problem_set(p, APP_ERR_FORBIDDEN, "only an office user may reveal personal data");
        goto cleanup;
    }
    if (!reveal_id && !reveal_phone) {
        if (api_nomination_scope(call, db, http_param(call, "id"), false, &nom, &round, p) !=
                APP_OK ||
            nomination_load_full(db, nom.id, &text, &obj, p) != APP_OK) {
            goto cleanup;
        }
        api_reply_resource(call, 200, obj);
        goto cleanup;
    }
    /* A reveal is audited: the read and its audit event commit together. */
    if ((p->err = db_begin(db)) != APP_OK ||
        api_nomination_scope(call, db, http_param(call, "id"), false, &nom, &round, p) != APP_OK ||
        nomination_load_full(db, nom.id, &text, &obj, p) != APP_OK ||
        (p->err = nomination_store_sealed(db, nom.id, &id_hex, &phone_hex)) != APP_OK) {
        goto cleanup;
    }
    json_t *what = json_array();
    if (reveal_id) {
        json_array_append_new(what, json_string("id_number"));
    }
    if (reveal_phone) {
        json_array_append_new(what, json_string("phone"));
    }
    json_t *note = json_pack("{s:o}", "revealed", what);
    char *note_text = note != NULL ? nomination_dump(note) : NULL;
    json_decref(note);
    p->err = note_text != NULL
                 ? api_audit(call, db, "nomination.reveal", "nomination", nom.id, NULL, note_text)
                 : APP_ERR_INTERNAL;
    free(note_text);
    if (p->err != APP_OK || (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    if ((reveal_id && (p->err = reveal_into(obj, "id_number", call->app, id_hex)) != APP_OK) ||
        (reveal_phone && phone_hex != NULL &&
         (p->err = reveal_into(obj, "phone", call->app, phone_hex)) != APP_OK)) {
        log_error("a sealed value of nomination %s does not open under the PII key", nom.id);
        goto cleanup;
    }
    http_set_header(call, "Cache-Control", "no-store");
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    if (obj != NULL) {
        json_object_clear(obj); /* drops revealed strings before the memory is reused */
    }
    json_decref(obj);
    free(text);
    free(id_hex);
    free(phone_hex);
    return p->err;
}

/* ---- PATCH /v1/nominations/{id} ---- */

enum app_err nominations_update(struct http_call *call, struct problem *p)
{
    struct nomination_ref nom;
    struct round_ref round;
    struct programme_policy pol = {0};
    struct db *db = NULL;
    json_t *obj = NULL;
    char *before = NULL, *after = NULL, *values_text = NULL;
    int version;

    if (!json_fields_check(call->body, patch_fields, N_FIELDS, "", p) ||
        http_if_match_version(call, &version, p) != APP_OK || (db = api_db(p)) == NULL) {
        goto cleanup;
    }
    /* Members that cannot be cleared. */
    static const char *const not_null[] = {"name", "id_number", "channel", "deeds",
                                           "innovation_studio_lead"};
    for (size_t i = 0; i < sizeof(not_null) / sizeof(not_null[0]); i++) {
        if (json_is_null(json_object_get(call->body, not_null[i]))) {
            char ptr[64];
            snprintf(ptr, sizeof(ptr), "/%s", not_null[i]);
            problem_add_error(p, APP_ERR_VALIDATION, ptr, "cannot be null");
        }
    }
    if (p->n_errors > 0) {
        goto cleanup;
    }
    if ((p->err = db_begin(db)) != APP_OK ||
        api_nomination_scope(call, db, http_param(call, "id"), true, &nom, &round, p) != APP_OK ||
        nomination_load_policy(db, &round, &pol, p) != APP_OK) {
        goto cleanup;
    }
    if (nom.version != version) {
        problem_set(p, APP_ERR_PRECONDITION_FAILED,
                    "the nomination changed (ETag \"%d\"); GET it again", nom.version);
        goto cleanup;
    }
    if (!nomination_editable_now(nom.state, round.phase)) {
        nomination_conflict(p, nom.state,
                            "a nomination in state %s cannot be edited while the round is in %s",
                            enums_value(ENUMS_NOMINATION_STATES, nom.state),
                            enums_value(ENUMS_ROUND_PHASES, round.phase));
        goto cleanup;
    }
    p->err = APP_OK;
    if ((values_text = candidate_values(call, &pol.p, round.reference_date, p)) == NULL) {
        goto cleanup;
    }
    if (nomination_load_full(db, nom.id, &before, NULL, p) != APP_OK ||
        (p->err = nomination_store_update(db, nom.id, version, values_text)) != APP_OK ||
        nomination_load_full(db, nom.id, &after, &obj, p) != APP_OK ||
        (p->err = api_audit(call, db, "nomination.update", "nomination", nom.id, before, after)) !=
            APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        if (p->err == APP_ERR_CONFLICT) {
            problem_set(p, APP_ERR_CONFLICT, "this person already has a nomination in this round");
        }
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    free_values(values_text);
    json_decref(obj);
    json_decref(pol.json);
    free(before);
    free(after);
    return p->err;
}
