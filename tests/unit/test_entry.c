/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for api/model/entry.c: paper submissions entered by the
 * office (issue 12). Who names the unit of a create, and the role a move
 * is judged as: the office takes the unit's steps of its own entries on
 * behalf of the unit, never those of a nomination the unit entered.
 */
#include <string.h>

#include "entry.h"
#include "flow.h"
#include "test.h"

static void test_unit_check(void)
{
    static const struct {
        enum role role;
        bool has_unit;
        enum app_err want;
        const char *code;
    } rows[] = {
        {ROLE_OFFICE, true, APP_OK, NULL},
        {ROLE_OFFICE, false, APP_ERR_VALIDATION, "unit_id_required"},
        {ROLE_UNIT, false, APP_OK, NULL},
        {ROLE_UNIT, true, APP_ERR_VALIDATION, "unit_id_not_allowed"},
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct problem p = {0};

        CHECK_EQ_INT(entry_unit_check(rows[i].role, rows[i].has_unit, &p), rows[i].want);
        if (rows[i].code == NULL) {
            CHECK_EQ_INT(p.n_errors, 0);
            continue;
        }
        CHECK_EQ_INT(p.n_errors, 1);
        CHECK_EQ_STR(p.errors[0].pointer, "/unit_id");
        CHECK_EQ_STR(p.errors[0].code, rows[i].code);
    }
}

static void test_acting_role(void)
{
    static const struct {
        enum role actor;
        bool by_office;
        enum nomination_state from, to;
        enum app_err want;
        enum role as;
        bool on_behalf;
    } rows[] = {
        /* The office's own entry: the unit's steps, on behalf of the unit. */
        {ROLE_OFFICE, true, NOM_DRAFT, NOM_UNIT_PUBLICITY, APP_OK, ROLE_UNIT, true},
        {ROLE_OFFICE, true, NOM_UNIT_PUBLICITY, NOM_UNIT_APPROVED, APP_OK, ROLE_UNIT, true},
        {ROLE_OFFICE, true, NOM_UNIT_APPROVED, NOM_SUBMITTED, APP_OK, ROLE_UNIT, true},
        {ROLE_OFFICE, true, NOM_DRAFT, NOM_WITHDRAWN, APP_OK, ROLE_UNIT, true},
        /* … and its own steps as the office. */
        {ROLE_OFFICE, true, NOM_SUBMITTED, NOM_RETURNED, APP_OK, ROLE_OFFICE, false},
        /* The unit's own entry: its steps are the unit's only. */
        {ROLE_OFFICE, false, NOM_DRAFT, NOM_UNIT_PUBLICITY, APP_ERR_FORBIDDEN, ROLE_OFFICE, false},
        {ROLE_OFFICE, false, NOM_DRAFT, NOM_WITHDRAWN, APP_ERR_FORBIDDEN, ROLE_OFFICE, false},
        {ROLE_OFFICE, false, NOM_SUBMITTED, NOM_QUALIFIED, APP_OK, ROLE_OFFICE, false},
        /* A move the table lacks is left to nomination_guard_move. */
        {ROLE_OFFICE, false, NOM_DRAFT, NOM_QUALIFIED, APP_OK, ROLE_OFFICE, false},
        /* The unit acts as itself on either kind. */
        {ROLE_UNIT, true, NOM_DRAFT, NOM_UNIT_PUBLICITY, APP_OK, ROLE_UNIT, false},
        {ROLE_UNIT, false, NOM_SUBMITTED, NOM_QUALIFIED, APP_OK, ROLE_UNIT, false},
        /* Any other role stays itself (the route refuses it first). */
        {ROLE_LEADER, true, NOM_DRAFT, NOM_UNIT_PUBLICITY, APP_OK, ROLE_LEADER, false},
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct problem p = {0};
        enum role as = ROLE_NONE;
        bool on_behalf = true;

        CHECK_EQ_INT(entry_acting_role(rows[i].actor, rows[i].by_office, rows[i].from, rows[i].to,
                                       &as, &on_behalf, &p),
                     rows[i].want);
        if (rows[i].want != APP_OK) {
            CHECK_EQ_STR(p.code, "unit_entered_nomination");
            continue;
        }
        CHECKF(as == rows[i].as && on_behalf == rows[i].on_behalf, "row %zu: role %d, %d", i,
               (int)as, (int)on_behalf);
    }
}

static void test_may_write(void)
{
    struct problem p = {0};

    CHECK_EQ_INT(entry_may_write(ROLE_OFFICE, true, &p), APP_OK);
    CHECK_EQ_INT(entry_may_write(ROLE_UNIT, false, &p), APP_OK);
    CHECK_EQ_INT(entry_may_write(ROLE_UNIT, true, &p), APP_OK);
    CHECK_EQ_INT(entry_may_write(ROLE_OFFICE, false, &p), APP_ERR_FORBIDDEN);
    CHECK_EQ_STR(p.code, "unit_entered_nomination");
}

int main(void)
{
    static const struct test_case cases[] = {
        {"unit check", test_unit_check},
        {"acting role", test_acting_role},
        {"may write", test_may_write},
    };

    return test_run(cases, TEST_COUNT(cases));
}
