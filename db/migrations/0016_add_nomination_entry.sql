-- SPDX-License-Identifier: MIT
-- Issue 12, "Corrections to intake first: paper submissions": the office may
-- enter a nomination on a unit's behalf (a unit that handed in paper). The
-- nomination stays the unit's (unit_id) and the unit sees it; it records who
-- entered it:
--   * nominations.entered_by_office: true when an office user entered it for
--     the unit; the office then takes the unit's steps on it (publicity,
--     approval, submission, withdrawal), each recorded as on behalf of the
--     unit (api/model/entry.c);
--   * nominations.entered_by: the user who entered it (NULL for rows from
--     before this migration whose creator is unknown);
--   * nomination_transitions.on_behalf_of: the unit an office user acted
--     for, on a unit's step of an office-entered nomination.

ALTER TABLE nominations
    ADD COLUMN entered_by uuid REFERENCES users (id),
    ADD COLUMN entered_by_office boolean NOT NULL DEFAULT false;

-- Rows before this migration were all entered by their unit: the creator is
-- the actor of the first transition (into draft).
UPDATE nominations n
   SET entered_by = t.actor_id
  FROM nomination_transitions t
 WHERE t.nomination_id = n.id AND t.from_state IS NULL;

ALTER TABLE nomination_transitions ADD COLUMN on_behalf_of uuid REFERENCES units (id);
