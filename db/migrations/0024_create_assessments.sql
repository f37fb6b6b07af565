-- SPDX-License-Identifier: MIT
-- Issue 14: 岚山工匠 第十一条 annual assessment ("所在单位负责日常管理和年度考核
-- 考评，每年的考评结果报送区工匠管理领导小组办公室。区工匠管理领导小组办公室组织
-- 有关人员进行复核"): the holder's unit submits a year's result (合格 pass /
-- 不合格 fail) with notes and evidence; the office re-checks it and confirms
-- it or returns it with a reason, and the unit submits again (a new
-- revision). Two consecutive confirmed failures open a revocation case
-- (第十二条（四）; api/model/holder_rules.h). The notes are never public.
--
-- The policy member assessment_deadline (optional, "MM-DD", absent =
-- "03-31"): the day of the following year by which a year's result is
-- due; after it, a year without a result is overdue. The seeds fix none.
CREATE TABLE assessments (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    recognition_id     uuid NOT NULL REFERENCES recognitions (id),
    year               integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    revision           integer NOT NULL CHECK (revision >= 1),
    result             text NOT NULL CHECK (result IN ('pass', 'fail')),
    notes              text NOT NULL CHECK (length(notes) BETWEEN 1 AND 2000),
    evidence           jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(evidence) = 'array'),
    state              text NOT NULL DEFAULT 'submitted'
                           CHECK (state IN ('submitted', 'returned', 'confirmed')),
    submitted_by       uuid REFERENCES users (id),
    submitted_by_name  text NOT NULL,
    submitted_role     user_role NOT NULL,
    submitted_at       timestamptz NOT NULL,
    reviewed_by        uuid REFERENCES users (id),
    reviewed_by_name   text,
    reviewed_at        timestamptz,
    review_reason      text CHECK (length(review_reason) BETWEEN 1 AND 2000),
    version            integer NOT NULL DEFAULT 1 CHECK (version > 0),
    UNIQUE (recognition_id, year, revision),
    CONSTRAINT assessments_reviewed CHECK ((state = 'submitted') = (reviewed_at IS NULL)),
    CONSTRAINT assessments_returned CHECK (state <> 'returned' OR review_reason IS NOT NULL)
);

CREATE INDEX assessments_year ON assessments (year, recognition_id);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        REVOKE DELETE, TRUNCATE ON assessments FROM jiangxin_app;
    END IF;
END
$$;
