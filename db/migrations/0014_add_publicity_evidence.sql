-- SPDX-License-Identifier: MIT
-- Security issue 11, "backdated unit publicity": a unit could create a
-- nomination today, date its publicity (公示) to the first day of the
-- application window and approve it at once, so the publicity the seeds ask
-- for (岚山 第五条（一）: 不少于3个工作日; 环翠 第十条（二）: 经公示后上报) never
-- took place. From now on:
--   * nominations.created_on records the day a nomination was created on
--     the service clock (Asia/Shanghai; the test clock in test stacks), and a
--     publicity may not start before it (api/model/nomination_guards.c);
--   * evidence files have a kind for the publicity's evidence, a photo or
--     document of the posted notice (`unit_publicity`);
--   * a policy may require that evidence before unit_approved
--     (publicity_evidence_required, optional member, absent = false).

ALTER TYPE evidence_kind ADD VALUE 'unit_publicity' BEFORE 'other';

-- Rows before this migration: their creation day by database time, the best
-- there is (the service clock was not recorded).
ALTER TABLE nominations ADD COLUMN created_on date;
UPDATE nominations SET created_on = (created_at AT TIME ZONE 'Asia/Shanghai')::date;
ALTER TABLE nominations ALTER COLUMN created_on SET NOT NULL;

-- The API always writes the service clock's date; a row written by other
-- means (an import, a test) takes the date of its row timestamp
-- (db/functions/06_nominations.sql keeps the function current).
CREATE FUNCTION nominations_created_on() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.created_on := coalesce(NEW.created_on,
                               (NEW.created_at AT TIME ZONE 'Asia/Shanghai')::date);
    RETURN NEW;
END
$$;

CREATE TRIGGER nominations_created_on BEFORE INSERT ON nominations
    FOR EACH ROW EXECUTE FUNCTION nominations_created_on();

-- The two seeded programmes require the evidence wherever they require the
-- unit publicity, citing the article that requires the publicity: the
-- office can only check a publicity it can see. Versions a round has
-- pinned keep their rules (the member is absent there, which means false).
UPDATE policy_versions v
   SET policy = v.policy
                || jsonb_build_object('publicity_evidence_required',
                                      (v.policy ->> 'unit_publicity_required')::boolean)
                || jsonb_build_object('articles', (v.policy -> 'articles')
                   || CASE WHEN (v.policy ->> 'unit_publicity_required')::boolean
                                AND v.policy #>> '{articles,unit_publicity_required}' IS NOT NULL
                           THEN jsonb_build_object('publicity_evidence_required',
                                    v.policy #>> '{articles,unit_publicity_required}')
                           ELSE '{}'::jsonb END),
       version = v.version + 1, updated_at = now()
  FROM programmes p
 WHERE p.id = v.programme_id
   AND p.code IN ('lanshan-craftsman', 'huancui-chief-technician')
   AND NOT v.policy ? 'publicity_evidence_required'
   AND NOT EXISTS (SELECT 1 FROM rounds r WHERE r.policy_version_id = v.id);
