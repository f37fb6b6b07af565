-- SPDX-License-Identifier: MIT
-- Issue 14: 环翠区首席技师 year-2 re-check (复核认定). 第十一条: the unit
-- files the re-check application (复核申请表) with the achievements and
-- awards of the management period and the apprenticeship agreements and
-- each apprentice's certificate; the API computes the checklist of 第八条
-- （一）–（五） (api/model/recheck_rules.h) and the result it suggests; the
-- office decides, with a reason where it departs from the suggestion.
-- 第十二条 "第二年复核认定为环翠区首席技师的，每月仍享受区政府津贴": when the
-- re-check falls due (recheck_due_month, default 12) and from which month
-- of the period it decides the allowance (recheck_decides_from_month,
-- default 13) are optional policy members; SPEC §11's reading. One
-- re-check per title.
CREATE TABLE rechecks (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    recognition_id   uuid NOT NULL UNIQUE REFERENCES recognitions (id),
    achievements     text NOT NULL CHECK (length(achievements) BETWEEN 1 AND 4000),
    awards           jsonb NOT NULL CHECK (jsonb_typeof(awards) = 'array'),
    agreements       jsonb NOT NULL CHECK (jsonb_typeof(agreements) = 'array'),
    apprentices      jsonb NOT NULL CHECK (jsonb_typeof(apprentices) = 'array'),
    statements       jsonb NOT NULL CHECK (jsonb_typeof(statements) = 'object'),
    checklist        jsonb NOT NULL CHECK (jsonb_typeof(checklist) = 'array'),
    suggested        text NOT NULL CHECK (suggested IN ('passed', 'failed')),
    filed_by         uuid REFERENCES users (id),
    filed_by_name    text NOT NULL,
    filed_role       user_role NOT NULL,
    filed_at         timestamptz NOT NULL,
    result           text CHECK (result IN ('passed', 'failed')),
    reason           text CHECK (length(reason) BETWEEN 1 AND 2000),
    decided_on       date,
    decided_by       uuid REFERENCES users (id),
    decided_by_name  text,
    decided_at       timestamptz,
    version          integer NOT NULL DEFAULT 1 CHECK (version > 0),
    CONSTRAINT rechecks_decided CHECK (
        (result IS NULL) = (decided_at IS NULL) AND (result IS NULL) = (decided_on IS NULL))
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        REVOKE DELETE, TRUNCATE ON rechecks FROM jiangxin_app;
    END IF;
END
$$;
