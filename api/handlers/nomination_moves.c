/* SPDX-License-Identifier: MIT */
/*
 * Moving a nomination (POST /v1/nominations/{id}/transitions) and its
 * eligibility checklist (GET /v1/nominations/{id}/eligibility). The moves
 * themselves are the table in api/model/flow.c; this file checks each
 * move's guards and writes the new state, the history row and the audit
 * event in one transaction. 岚山 第五条（一）（二）; 环翠 第十条（二）（三）.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "eligibility.h"
#include "flow.h"
#include "handlers.h"
#include "json_fields.h"
#include "nominations.h"
#include "store/stores.h"
#include "workdays.h"

static const struct json_field transition_fields[] = {
    {"to", JF_STRING, true, 1, 32},
    {"note", JF_STRING, false, 1, 2000},
    {"publicity_start", JF_STRING, false, 1, 10},
    {"publicity_workdays", JF_INT, false, 0, 0},
    {"overrides", JF_ARRAY, false, 0, 20},
};

/* ---- eligibility ---- */

/* Gathers the facts and runs the checklist. *ret is a new reference. */
static enum app_err run_checks(struct db *db,
                               const struct nomination_ref *nom,
                               const struct round_ref *round,
                               const struct programme_policy *pol,
                               json_t **ret,
                               struct problem *p)
{
    struct nomination_facts f;
    struct eligibility_input in = {0};

    if ((p->err = nomination_store_facts(db, nom->id, pol->p.management_period_months, &f)) !=
        APP_OK) {
        problem_set(p, p->err, NULL);
        return p->err;
    }
    in.policy = &pol->p;
    in.articles = json_object_get(pol->json, "articles");
    in.reference_date = round->reference_date;
    date_parse(f.birth_date, &in.birth_date);
    in.skill_level = f.skill_level[0] ? skill_level_from_value(f.skill_level) : -1;
    in.front_line = f.front_line;
    in.unit_kind = (enum unit_kind)enums_from_value(ENUMS_UNIT_KINDS, f.unit_kind);
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
        problem_set(p, APP_ERR_INTERNAL, NULL);
        return p->err;
    }
    p->err = APP_OK;
    return APP_OK;
}

enum app_err nominations_eligibility(struct http_call *call, struct problem *p)
{
    struct nomination_ref nom;
    struct round_ref round;
    struct programme_policy pol = {0};
    struct db *db = api_db(p);
    json_t *checklist = NULL;

    if (db == NULL ||
        api_nomination_scope(call, db, http_param(call, "id"), false, &nom, &round, p) != APP_OK ||
        nomination_load_policy(db, &round, &pol, p) != APP_OK ||
        run_checks(db, &nom, &round, &pol, &checklist, p) != APP_OK) {
        goto cleanup;
    }
    http_reply_json(call, 200, checklist);

cleanup:
    json_decref(checklist);
    json_decref(pol.json);
    return p->err;
}

/* ---- POST /v1/nominations/{id}/transitions ---- */

/* GUARD_COMPLETE: what the office needs, with pointers into the nomination. */
static bool complete(const json_t *cur, const struct policy *pol, struct problem *p)
{
    static const char *const needed[] = {"phone", "occupation", "skill_level", "front_line",
                                         "post"};
    bool ok = true;

    for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
        if (json_is_null(json_object_get(cur, needed[i]))) {
            char ptr[32];
            snprintf(ptr, sizeof(ptr), "/%s", needed[i]);
            problem_add_error(p, APP_ERR_VALIDATION, ptr, "is required before submission");
            ok = false;
        }
    }
    json_int_t chars = json_integer_value(json_object_get(cur, "deeds_chars"));
    if (pol->deeds_min_chars > 0 && chars < pol->deeds_min_chars) {
        problem_add_error(p, APP_ERR_VALIDATION, "/deeds",
                          "is %lld characters; at least %d are required before submission",
                          (long long)chars, pol->deeds_min_chars);
        ok = false;
    }
    if (!ok) {
        problem_set(p, APP_ERR_VALIDATION, "the nomination is incomplete");
    }
    return ok;
}

/* Records the office's overrides with who gave them and when. */
static json_t *stamp_overrides(const json_t *overrides, const struct principal *who)
{
    json_t *out = json_array();
    size_t i;
    const json_t *o;
    char today[11];

    date_format(clock_today(), today);
    json_array_foreach(overrides, i, o)
    {
        json_array_append_new(
            out, json_pack("{s:O, s:O, s:s, s:s}", "check", json_object_get(o, "check"), "reason",
                           json_object_get(o, "reason"), "by", who->username, "on", today));
    }
    return out;
}

enum app_err nominations_transition(struct http_call *call, struct problem *p)
{
    struct nomination_ref nom;
    struct round_ref round;
    struct programme_policy pol = {0};
    struct db *db = NULL;
    const json_t *b = call->body;
    json_t *values = NULL, *cur = NULL, *obj = NULL, *checklist = NULL;
    char *before = NULL, *after = NULL, *values_text = NULL;
    const char *note = json_string_value(json_object_get(b, "note"));
    char targets[160];
    int version = -1, to;

    if (!json_fields_check(b, transition_fields, 5, "", p)) {
        goto cleanup;
    }
    to = enums_from_value(ENUMS_NOMINATION_STATES, json_string_value(json_object_get(b, "to")));
    if (to < 0) {
        problem_add_error(p, APP_ERR_VALIDATION, "/to",
                          "unknown state (see GET /v1/enums nomination_states)");
        goto cleanup;
    }
    if (http_header(call, "If-Match") != NULL &&
        http_if_match_version(call, &version, p) != APP_OK) {
        goto cleanup;
    }
    if ((db = api_db(p)) == NULL || (p->err = db_begin(db)) != APP_OK ||
        api_nomination_scope(call, db, http_param(call, "id"), true, &nom, &round, p) != APP_OK ||
        nomination_load_policy(db, &round, &pol, p) != APP_OK) {
        goto cleanup;
    }
    if (version >= 0 && nom.version != version) {
        problem_set(p, APP_ERR_PRECONDITION_FAILED,
                    "the nomination changed (ETag \"%d\"); GET it again", nom.version);
        goto cleanup;
    }
    const struct nomination_move *move = flow_nomination_move(nom.state, (enum nomination_state)to);
    const char *from_name = enums_value(ENUMS_NOMINATION_STATES, nom.state);
    const char *to_name = enums_value(ENUMS_NOMINATION_STATES, to);
    flow_nomination_targets(nom.state, call->who.role, targets, sizeof(targets));
    if (move == NULL) {
        nomination_conflict(p, nom.state,
                            "a nomination in state %s cannot move to %s (allowed: %s)", from_name,
                            to_name, targets);
        goto cleanup;
    }
    if (!(move->roles & ROLE_BIT(call->who.role))) {
        problem_set(p, APP_ERR_FORBIDDEN, "role %s may not move a nomination from %s to %s",
                    auth_role_name(call->who.role), from_name, to_name);
        goto cleanup;
    }
    if (!(move->phases & PHASE_BIT(round.phase))) {
        nomination_conflict(p, nom.state, "%s → %s is not possible while the round is in phase %s",
                            from_name, to_name, enums_value(ENUMS_ROUND_PHASES, round.phase));
        goto cleanup;
    }
    /* Members this move does not use are refused, not ignored. */
    p->err = APP_OK;
    if (json_object_get(b, "publicity_start") && !(move->guards & GUARD_PUBLICITY_START)) {
        problem_add_error(p, APP_ERR_VALIDATION, "/publicity_start", "not used by this move");
    }
    if (json_object_get(b, "publicity_workdays") && !(move->guards & GUARD_PUBLICITY_START)) {
        problem_add_error(p, APP_ERR_VALIDATION, "/publicity_workdays", "not used by this move");
    }
    if (json_object_get(b, "overrides") && !(move->guards & GUARD_CHECKS_CLEAR)) {
        problem_add_error(p, APP_ERR_VALIDATION, "/overrides", "not used by this move");
    }
    if (note != NULL && !(move->guards & (GUARD_NOTE_REQUIRED | GUARD_NOTE_ALLOWED))) {
        problem_add_error(p, APP_ERR_VALIDATION, "/note", "not used by this move");
    }
    if (note == NULL && (move->guards & GUARD_NOTE_REQUIRED)) {
        problem_add_error(p, APP_ERR_VALIDATION, "/note",
                          "is required: the reason (or the comments for the unit)");
    }
    if (p->n_errors > 0) {
        goto cleanup;
    }
    p->err = APP_ERR_INTERNAL;
    if (nomination_load_full(db, nom.id, &before, &cur, p) != APP_OK ||
        (values = json_object()) == NULL) {
        goto cleanup;
    }
    json_object_set_new(values, "state", json_string(to_name));
    char date[11];

    if (move->guards & GUARD_PUBLICITY_START) {
        int32_t start, end;
        const json_t *wd = json_object_get(b, "publicity_workdays");
        int min = pol.p.unit_publicity_min_workdays;
        int n = wd != NULL ? (int)json_integer_value(wd) : min;
        if (!date_parse(json_string_value(json_object_get(b, "publicity_start")), &start)) {
            problem_add_error(p, APP_ERR_VALIDATION, "/publicity_start",
                              "is required: the date the unit published it, YYYY-MM-DD");
            goto cleanup;
        }
        if (n < 0) {
            problem_add_error(p, APP_ERR_VALIDATION, "/publicity_workdays",
                              "is required: this programme's policy sets no length");
            goto cleanup;
        }
        if (n < (min > 0 ? min : 1) || n > 60) {
            problem_add_error(p, APP_ERR_VALIDATION, "/publicity_workdays",
                              "must be %d to 60 working days", min > 0 ? min : 1);
            goto cleanup;
        }
        if (start < round.window_opens || start > round.window_closes) {
            problem_add_error(p, APP_ERR_VALIDATION, "/publicity_start",
                              "must lie in the round's application window");
            goto cleanup;
        }
        if (api_workdays_end(db, start, n, &end, p) != APP_OK) {
            goto cleanup;
        }
        date_format(start, date);
        json_object_set_new(values, "publicity_start", json_string(date));
        date_format(end, date);
        json_object_set_new(values, "publicity_end", json_string(date));
        json_object_set_new(values, "publicity_workdays", json_integer(n));
    }
    if (move->guards & GUARD_PUBLICITY_PASSED) {
        int32_t end = -1;
        date_parse(json_string_value(json_object_get(cur, "publicity_end")), &end);
        if (clock_today() <= end) {
            date_format(end, date);
            nomination_conflict(p, nom.state, "the unit publicity runs until 24:00 on %s", date);
            goto cleanup;
        }
    }
    if ((move->guards & GUARD_NO_PUBLICITY) && pol.p.unit_publicity_required) {
        const char *art = json_string_value(
            json_object_get(json_object_get(pol.json, "articles"), "unit_publicity_required"));
        nomination_conflict(p, nom.state, "this programme requires unit publicity first (%s)",
                            art != NULL ? art : "policy");
        goto cleanup;
    }
    if (move->guards & GUARD_COMPLETE) {
        if (nom.state != NOM_RETURNED && !nomination_window_open(&round, p)) {
            goto cleanup;
        }
        if (!complete(cur, &pol.p, p)) {
            goto cleanup;
        }
    }
    if (move->guards & GUARD_RUN_CHECKS) {
        if (run_checks(db, &nom, &round, &pol, &checklist, p) != APP_OK) {
            goto cleanup;
        }
        json_object_set(values, "eligibility", checklist);
        json_object_set_new(values, "submitted", json_true());
    }
    if (move->guards & GUARD_CHECKS_CLEAR) {
        const json_t *overrides = json_object_get(b, "overrides");
        if (!eligibility_clear(json_object_get(cur, "eligibility"), overrides, p)) {
            goto cleanup;
        }
        json_object_set_new(values, "overrides", stamp_overrides(overrides, &call->who));
    }
    switch ((enum nomination_state)to) {
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
    if ((values_text = nomination_dump(values)) == NULL) {
        problem_set(p, APP_ERR_INTERNAL, NULL);
        goto cleanup;
    }
    if ((p->err = nomination_store_update(db, nom.id, nom.version, values_text)) != APP_OK ||
        (p->err = nomination_store_add_transition(db, nom.id, from_name, to_name, &call->who,
                                                  note)) != APP_OK ||
        nomination_load_full(db, nom.id, &after, &obj, p) != APP_OK ||
        (p->err = api_audit(call, db, "nomination.transition", "nomination", nom.id, before,
                            after)) != APP_OK ||
        (p->err = db_commit(db)) != APP_OK) {
        goto cleanup;
    }
    api_reply_resource(call, 200, obj);

cleanup:
    db_rollback(db);
    free(values_text);
    json_decref(values);
    json_decref(checklist);
    json_decref(cur);
    json_decref(obj);
    json_decref(pol.json);
    free(before);
    free(after);
    return p->err;
}
