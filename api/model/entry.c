/* SPDX-License-Identifier: MIT */
/*
 * Paper submissions entered by the office (model/entry.h).
 */
#include "entry.h"

#include "flow.h"

enum app_err entry_unit_check(enum role actor, bool has_unit_id, struct problem *p)
{
    if (actor == ROLE_OFFICE && !has_unit_id) {
        return problem_field(p, APP_ERR_VALIDATION, "/unit_id", "unit_id_required",
                             "评选办代为录入推荐时须指定推荐单位（unit_id）",
                             "an office user entering a nomination names its unit (unit_id)");
    }
    if (actor != ROLE_OFFICE && has_unit_id) {
        return problem_field(p, APP_ERR_VALIDATION, "/unit_id", "unit_id_not_allowed",
                             "推荐单位只能为本单位推荐，不能指定 unit_id",
                             "a unit nominates for itself: unit_id is not allowed");
    }
    return p->err;
}

static enum app_err unit_entered(struct problem *p)
{
    return problem_fail(p, APP_ERR_FORBIDDEN, "unit_entered_nomination",
                        "此推荐由推荐单位自行录入，只有该单位可以修改它或办理单位的步骤",
                        "the unit entered this nomination itself: only the unit changes it or "
                        "takes the unit's steps");
}

enum app_err entry_may_write(enum role actor, bool entered_by_office, struct problem *p)
{
    return actor == ROLE_OFFICE && !entered_by_office ? unit_entered(p) : APP_OK;
}

enum app_err entry_acting_role(enum role actor,
                               bool entered_by_office,
                               enum nomination_state from,
                               enum nomination_state to,
                               enum role *ret_role,
                               bool *ret_on_behalf,
                               struct problem *p)
{
    const struct nomination_move *move = flow_nomination_move(from, to);
    const unsigned unit = ROLE_BIT(ROLE_UNIT), office = ROLE_BIT(ROLE_OFFICE);

    *ret_role = actor;
    *ret_on_behalf = false;
    if (actor != ROLE_OFFICE || move == NULL || (move->roles & office) || !(move->roles & unit)) {
        return APP_OK;
    }
    if (!entered_by_office) {
        return unit_entered(p);
    }
    *ret_role = ROLE_UNIT;
    *ret_on_behalf = true;
    return APP_OK;
}
