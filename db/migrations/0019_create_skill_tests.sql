-- SPDX-License-Identifier: MIT
-- The on-site skill test (现场技能考查): 环翠区首席技师 第十条（四） "对人选进行
-- 综合评审，并组织进行现场技能考查". The office records each qualified candidate's
-- score with the examiner panel and the date of the test; only programmes whose
-- policy has `skill_test: true` have one (岚山工匠 第五条 has none:
-- api/model/skill_test.c). Revisions append: a correction is a new row with its
-- reason, the current score is the latest revision, nothing is overwritten or
-- removed (the runtime role may only insert and read).
--
-- The score sheet (评分表) is a file uploaded by the office, kept like an
-- evidence file (sealed at rest under the PII key, its SHA-256 recorded) but
-- in a table of its own: a unit reads its nomination's evidence files, and
-- never a skill-test score or sheet. A revision may reference one sheet of
-- the same nomination.

CREATE TABLE skill_test_sheets (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    nomination_id  uuid NOT NULL REFERENCES nominations (id),
    filename       text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    media_type     text NOT NULL
                       CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes     integer NOT NULL CHECK (size_bytes > 0),
    sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_sealed bytea NOT NULL,
    uploaded_by    uuid REFERENCES users (id),
    created_at     timestamptz NOT NULL,
    UNIQUE (id, nomination_id),
    CONSTRAINT skill_test_sheets_sealed_size CHECK (octet_length(content_sealed) = size_bytes + 40)
);

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
    score_sheet_id uuid,
    recorded_by    uuid REFERENCES users (id),
    -- the service clock's time of the revision (the test clock in test stacks)
    recorded_at    timestamptz NOT NULL,
    UNIQUE (nomination_id, revision),
    -- the sheet is one of the same nomination's
    FOREIGN KEY (score_sheet_id, nomination_id) REFERENCES skill_test_sheets (id, nomination_id),
    -- a correction says why
    CONSTRAINT skill_tests_correction_reason CHECK (revision = 1 OR reason IS NOT NULL)
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON skill_tests, skill_test_sheets FROM jiangxin_app;
    END IF;
END
$$;
