/* SPDX-License-Identifier: MIT */
/*
 * The evidence files' writes. A unit changes a nomination's files under
 * the same rule as the nomination itself: draft in intake, returned in
 * correction; so does the office on a nomination it entered for the unit
 * (model/entry.h).
 */
#include "attachments.h"

#include <stdlib.h>
#include <string.h>

#include "entry.h"
#include "enums.h"
#include "flow.h"
#include "ops.h"
#include "store/attachment_store.h"
#include "store/scope_store.h"

/* 409 unless the unit may still change the nomination's files. The
 * details name states and phases by their Chinese labels or their values
 * (English): "%.0s" takes an argument and writes nothing. `publicity`: the
 * file is the unit publicity's evidence, which is also taken while the
 * publicity runs (it is made once the notice is posted). */
static enum app_err editable(const struct nomination_ref *nom,
                             const struct round_ref *round,
                             bool publicity,
                             struct problem *p)
{
    int state = (int)nom->state, phase = (int)round->phase;
    bool during_publicity = publicity && nom->state == NOM_UNIT_PUBLICITY;
    unsigned phases =
        nom->state == NOM_DRAFT || during_publicity ? FLOW_INTAKE_PHASES : FLOW_CORRECTION_PHASES;

    if (!flow_nomination_editable(nom->state) && !during_publicity) {
        return problem_fail(
            p, APP_ERR_CONFLICT, "nomination_not_editable",
            "该推荐当前为“%s”状态%.0s，证明材料仅在草稿或退回补正状态下可以修改",
            "%.0sthe nomination is %s; evidence files change only while it is draft or returned",
            enums_label(ENUMS_NOMINATION_STATES, state),
            enums_value(ENUMS_NOMINATION_STATES, state));
    }
    if (!(phases & PHASE_BIT(round->phase))) {
        return problem_fail(
            p, APP_ERR_CONFLICT, "round_phase_closed",
            "该推荐为“%s”状态，所在评选轮次处于“%s”阶段，不允许修改%.0s%.0s",
            "%.0s%.0sthe nomination is %s and its round is in phase %s, which allows no changes",
            enums_label(ENUMS_NOMINATION_STATES, state), enums_label(ENUMS_ROUND_PHASES, phase),
            enums_value(ENUMS_NOMINATION_STATES, state), enums_value(ENUMS_ROUND_PHASES, phase));
    }
    return APP_OK;
}

enum app_err attachment_add(const struct op_ctx *ctx,
                            const struct nomination_ref *nom,
                            const struct round_ref *round,
                            const struct attachment_new *a,
                            char **ret_json,
                            struct problem *p)
{
    char *text = NULL;
    json_t *obj = NULL;
    long count = 0;
    enum app_err err;

    bool publicity = a->kind != NULL && strcmp(a->kind, enums_value(ENUMS_EVIDENCE_KINDS,
                                                                    EVIDENCE_UNIT_PUBLICITY)) == 0;

    if (entry_may_write(ctx->actor->role, nom->entered_by_office, p) != APP_OK ||
        editable(nom, round, publicity, p) != APP_OK) {
        return p->err;
    }
    if ((err = attachment_store_count(ctx->db, nom->id, &count)) != APP_OK) {
        return ops_store_problem(err, p);
    }
    if (count >= ATTACHMENTS_MAX) {
        return problem_fail(p, APP_ERR_CONFLICT, "too_many_attachments",
                            "每份推荐最多上传 %d 个证明材料文件",
                            "a nomination holds at most %d evidence files", ATTACHMENTS_MAX);
    }
    if ((err = attachment_store_insert(ctx->db, a, &text)) != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    if ((obj = ops_json(text, p)) == NULL) {
        goto cleanup;
    }
    err = ops_audit(ctx, "attachment.create", "attachment",
                    json_string_value(json_object_get(obj, "id")), NULL, text);
    if (err != APP_OK) {
        ops_store_problem(err, p);
        goto cleanup;
    }
    *ret_json = text;
    text = NULL;

cleanup:
    json_decref(obj);
    free(text);
    return p->err;
}

enum app_err attachment_remove(const struct op_ctx *ctx,
                               const struct nomination_ref *nom,
                               const struct round_ref *round,
                               const char *id,
                               struct problem *p)
{
    char *before = NULL;
    json_t *obj = NULL;
    enum app_err err;

    if (entry_may_write(ctx->actor->role, nom->entered_by_office, p) != APP_OK ||
        editable(nom, round, false, p) != APP_OK) {
        return p->err;
    }
    err = attachment_store_delete(ctx->db, nom->id, id, &before);
    if (err == APP_ERR_NOT_FOUND) {
        problem_fail(p, err, "not_found", "该推荐没有编号为 %s 的证明材料",
                     "no attachment %s on this nomination", id);
    } else if (err != APP_OK) {
        ops_store_problem(err, p);
    } else if ((obj = ops_json(before, p)) != NULL &&
               (err = ops_audit(ctx, "attachment.delete", "attachment",
                                json_string_value(json_object_get(obj, "id")), before, NULL)) !=
                   APP_OK) {
        ops_store_problem(err, p);
    }
    json_decref(obj);
    free(before);
    return p->err;
}
