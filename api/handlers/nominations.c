/* SPDX-License-Identifier: MIT */
/*
 * /v1/rounds/{id}/nominations and /v1/nominations/{id}: HTTP ↔ the
 * nomination operations (api/ops/nominations.c), which hold every rule.
 * Here: the body's shape, If-Match and Idempotency-Key, the transaction
 * around the op, and the reply. Personal data leave only through an
 * office user's audited ?reveal=id_number,phone, answered no-store.
 */
#include "ops/nominations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "handlers.h"
#include "json_fields.h"
#include "ops/scope.h"
#include "store/nomination_store.h"
#include "store/scope_store.h"
#include "vote_push.h"

static const struct json_field transition_fields[] = {
    {"to", JF_STRING, true, 1, 32},
    {"note", JF_STRING, false, 1, 2000},
    {"publicity_start", JF_STRING, false, 1, 10},
    {"publicity_workdays", JF_INT, false, 1, POLICY_WORKDAYS_MAX},
    {"overrides", JF_ARRAY, false, 0, 20},
};

/* Commits the op's transaction and replies with the nomination. */
static enum app_err
reply_committed(struct http_call *call, struct db *db, unsigned status, json_t *obj)
{
    enum app_err err = db_commit(db);

    if (err != APP_OK) {
        return err;
    }
    api_reply_resource(call, status, obj);
    return APP_OK;
}

enum app_err nominations_create(struct http_call *call, struct problem *p)
{
    struct idem_state idem;
    struct op_ctx ctx;
    struct db *db = NULL;
    json_t *obj = NULL;
    char location[96];

    if ((db = api_db(p)) == NULL || api_idem_begin(call, db, &idem, p) != APP_OK || idem.replayed ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (nomination_create(&ctx, http_param(call, "id"), call->body, &obj, p) != APP_OK) {
        goto cleanup;
    }
    snprintf(location, sizeof(location), "/v1/nominations/%s",
             json_string_value(json_object_get(obj, "id")));
    api_reply_created(call, db, &idem, obj, location, p);

cleanup:
    json_decref(obj);
    return p->err;
}

/* The list's query parameters into a store filter. */
static enum app_err
list_filter(struct http_call *call, struct nomination_filter *f, struct problem *p)
{
    static const char *const sorts[NOMINATION_SORT__COUNT] = {
        [NOMINATION_SORT_CREATED] = "created_at",
        [NOMINATION_SORT_CREATED_DESC] = "-created_at",
        [NOMINATION_SORT_NAME] = "name",
        [NOMINATION_SORT_NAME_DESC] = "-name",
    };
    const char *sort = http_query(call, "sort");

    f->state = http_query(call, "state");
    f->skill_level = http_query(call, "skill_level");
    f->unit_id = http_query(call, "unit_id");
    f->q = http_query(call, "q");
    if (f->state != NULL && enums_from_value(ENUMS_NOMINATION_STATES, f->state) < 0) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "unknown_value", "state：推荐状态未定义",
                            "state: unknown nomination state");
    }
    if (f->skill_level != NULL && skill_level_from_value(f->skill_level) < 0) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "unknown_value",
                            "skill_level：技能等级未定义", "skill_level: unknown skill level");
    }
    if (f->unit_id != NULL && !api_is_uuid(f->unit_id)) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "not_uuid", "unit_id 须为 UUID",
                            "unit_id must be a UUID");
    }
    if (f->q != NULL && (f->q[0] == '\0' || json_utf8_length(f->q) > 50)) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "too_long", "q 须为 1 至 50 个字符",
                            "q must be 1 to 50 characters");
    }
    f->sort = NOMINATION_SORT__COUNT;
    for (int i = 0; i < NOMINATION_SORT__COUNT; i++) {
        if (sort == NULL || strcmp(sort, sorts[i]) == 0) {
            f->sort = (enum nomination_sort)i;
            break;
        }
    }
    if (f->sort == NOMINATION_SORT__COUNT) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "unknown_value",
                            "sort 须为 created_at、-created_at、name 或 -name",
                            "sort must be created_at, -created_at, name or -name");
    }
    return APP_OK;
}

enum app_err nominations_list(struct http_call *call, struct problem *p)
{
    struct round_ref round;
    struct op_ctx ctx;
    struct db *db = api_db(p);
    struct nomination_filter f = {0};
    const char *cursor;
    char *array = NULL, *next = NULL;
    int limit;

    if (db == NULL || http_list_params(call, &limit, &cursor, p) != APP_OK ||
        list_filter(call, &f, p) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (ops_round_scope(&ctx, http_param(call, "id"), false, &round, p) != APP_OK) {
        goto cleanup;
    }
    f.round_id = round.id;
    if (call->who.role == ROLE_UNIT) {
        /* Another unit's id filters to nothing, exactly like a unit with no nominations. */
        if (f.unit_id != NULL && strcasecmp(f.unit_id, call->who.unit_id) != 0) {
            http_reply_list_text(call, "[]", NULL);
            goto cleanup;
        }
        f.unit_id = call->who.unit_id;
    }
    return api_reply_page(call, nomination_store_list(db, &f, cursor, limit, &array, &next), &array,
                          &next, p);

cleanup:
    return p->err;
}

/* Parses ?reveal=id_number,phone. */
static enum app_err reveal_param(const char *v, bool *id, bool *phone, struct problem *p)
{
    char buf[64];

    *id = *phone = false;
    if (v == NULL) {
        return APP_OK;
    }
    snprintf(buf, sizeof(buf), "%s", v);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok != NULL;
         tok = strtok_r(NULL, ",", &save)) {
        bool is_id = strcmp(tok, "id_number") == 0 || strcmp(tok, "id") == 0;
        *id = *id || is_id;
        *phone = *phone || strcmp(tok, "phone") == 0;
        if (!is_id && strcmp(tok, "phone") != 0) {
            *id = *phone = false;
            break;
        }
    }
    if (!*id && !*phone) {
        return problem_fail(p, APP_ERR_BAD_PARAMETER, "reveal_unknown",
                            "reveal 只能列出 id_number 和/或 phone",
                            "reveal must list id_number and/or phone");
    }
    return APP_OK;
}

enum app_err nominations_get(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    const char *reveal = http_query(call, "reveal");
    json_t *obj = NULL;
    bool id, phone;

    if (db == NULL || reveal_param(reveal, &id, &phone, p) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (reveal == NULL) {
        struct nomination_ref nom;
        struct round_ref round;
        char *text = NULL;
        if (ops_nomination_scope(&ctx, http_param(call, "id"), false, &nom, &round, p) == APP_OK &&
            nomination_load_full(db, nom.id, &text, &obj, p) == APP_OK) {
            api_reply_resource(call, 200, obj);
        }
        free(text);
        goto cleanup;
    }
    /* A reveal is audited: the read and its audit event commit together. */
    if ((p->err = db_begin(db)) == APP_OK &&
        nomination_reveal(&ctx, http_param(call, "id"), id, phone, &obj, p) == APP_OK) {
        http_set_header(call, "Cache-Control", "no-store");
        p->err = reply_committed(call, db, 200, obj);
    }

cleanup:
    if (obj != NULL) {
        json_object_clear(obj); /* drops revealed strings before the memory is reused */
    }
    json_decref(obj);
    return p->err;
}

enum app_err nominations_update(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = NULL;
    json_t *obj = NULL;
    int version;

    if (http_if_match_version(call, &version, p) != APP_OK || (db = api_db(p)) == NULL ||
        (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (nomination_update(&ctx, http_param(call, "id"), version, call->body, &obj, p) == APP_OK) {
        p->err = reply_committed(call, db, 200, obj);
    }

cleanup:
    json_decref(obj);
    return p->err;
}

enum app_err nominations_eligibility(struct http_call *call, struct problem *p)
{
    struct op_ctx ctx;
    struct db *db = api_db(p);
    json_t *checklist = NULL;

    if (db != NULL) {
        api_op_ctx(call, db, &ctx);
        if (nomination_checklist(&ctx, http_param(call, "id"), &checklist, p) == APP_OK) {
            http_reply_json(call, 200, checklist);
        }
    }
    json_decref(checklist);
    return p->err;
}

enum app_err nominations_transition(struct http_call *call, struct problem *p)
{
    const json_t *b = call->body;
    const json_t *wd = json_object_get(b, "publicity_workdays");
    struct nomination_move_input in = {
        .id = http_param(call, "id"),
        .to = json_string_value(json_object_get(b, "to")),
        .if_match = -1,
        .note = json_string_value(json_object_get(b, "note")),
        .publicity_start = json_string_value(json_object_get(b, "publicity_start")),
        .publicity_workdays = json_int_or(b, "publicity_workdays", 1, POLICY_WORKDAYS_MAX, -1),
        .overrides = json_object_get(b, "overrides"),
        .sent = {json_object_get(b, "publicity_start") != NULL, wd != NULL,
                 json_object_get(b, "overrides") != NULL, json_object_get(b, "note") != NULL},
    };
    struct op_ctx ctx;
    struct db *db = NULL;
    json_t *obj = NULL;
    char vote_session[VOTE_SESSION_ID_MAX] = "";

    if (!json_fields_check(b, transition_fields, 5, "", p) ||
        (http_header(call, "If-Match") != NULL &&
         http_if_match_version(call, &in.if_match, p) != APP_OK) ||
        (db = api_db(p)) == NULL || (p->err = db_begin(db)) != APP_OK) {
        goto cleanup;
    }
    api_op_ctx(call, db, &ctx);
    if (nomination_move(&ctx, &in, &obj, vote_session, p) == APP_OK &&
        (p->err = reply_committed(call, db, 200, obj)) == APP_OK && vote_session[0] != '\0') {
        /* Committed: the ballot's change goes to jiangxin-vote now; the
         * push job retries it until the voting service has it. */
        vote_push_now(db, vote_session);
    }

cleanup:
    json_decref(obj);
    return p->err;
}
