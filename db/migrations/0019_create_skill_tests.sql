-- SPDX-License-Identifier: MIT
-- The on-site skill test (现场技能考查): 环翠区首席技师 第十条（四） "对人选进行
-- 综合评审，并组织进行现场技能考查". The office records each qualified candidate's
-- score with the examiner panel and the date of the test; only programmes whose
-- policy has `skill_test: true` have one (岚山工匠 第五条 has none:
-- api/model/skill_test.c). Revisions append: a correction is a new row with its
-- reason, the current score is the latest revision, nothing is overwritten or
-- removed (the runtime role may only insert and read).

CREATE TABLE skill_tests (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    nomination_id  uuid NOT NULL REFERENCES nominations (id),
    revision       integer NOT NULL CHECK (revision > 0),
    -- 0.00 .. 100.00, at most two decimal places
    score          numeric(5, 2) NOT NULL CHECK (score BETWEEN 0 AND 100),
    examiners      jsonb NOT NULL CHECK (jsonb_typeof(examiners) = 'array' AND
                                         jsonb_array_length(examiners) BETWEEN 1 AND 20),
    tested_on      date NOT NULL,
    note           text CHECK (length(note) BETWEEN 1 AND 2000),
    reason         text CHECK (length(reason) BETWEEN 1 AND 500),
    recorded_by    uuid REFERENCES users (id),
    -- the service clock's time of the revision (the test clock in test stacks)
    recorded_at    timestamptz NOT NULL,
    UNIQUE (nomination_id, revision),
    -- a correction says why
    CONSTRAINT skill_tests_correction_reason CHECK (revision = 1 OR reason IS NOT NULL)
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON skill_tests FROM jiangxin_app;
    END IF;
END
$$;
