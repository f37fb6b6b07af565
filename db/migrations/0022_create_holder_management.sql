-- SPDX-License-Identifier: MIT
-- Issue 14: a title after it is issued (holder management). 岚山工匠 第十一条,
-- 第十二条; 环翠区首席技师 第十六条（一）, 第十七条.
--
-- Each table keeps one kind of event on a title, with who and when; the
-- holder's file (业绩考评档案, 岚山 第十一条) is read from them together
-- (recognition_timeline, db/functions/13_holders.sql). Nothing here is
-- deleted; a suspension is lifted and a case closed by filling its columns.
--
-- The policy member revocation_steps (optional; absent = verification,
-- decision): the approval steps of a revocation case, in order
-- (api/model/holder_rules.h). 岚山 第十二条 "经核实后，按程序取消": the office
-- verifies, the leadership group decides. 环翠 第十七条 "报区首席技师选拔管理
-- 办公室初步认定，由区委人才工作领导小组审定后，经区政府批准": the office's
-- preliminary finding, the group's 审定, the government's approval. On the
-- versions no round has pinned (a pinned version never changes, 0009).
UPDATE policy_versions v
   SET policy = v.policy
                || jsonb_build_object('revocation_steps',
                       CASE p.code WHEN 'lanshan-craftsman'
                            THEN '["verification", "decision"]'::jsonb
                            ELSE '["preliminary_finding", "ratification", "approval"]'::jsonb END)
                || jsonb_build_object('articles', v.policy -> 'articles'
                       || jsonb_build_object('revocation_steps',
                              CASE p.code WHEN 'lanshan-craftsman' THEN '第十二条'
                                   ELSE '第十七条' END)),
       version = v.version + 1, updated_at = now()
  FROM programmes p
 WHERE p.id = v.programme_id
   AND p.code IN ('lanshan-craftsman', 'huancui-chief-technician')
   AND NOT v.policy ? 'revocation_steps'
   AND NOT EXISTS (SELECT 1 FROM rounds r WHERE r.policy_version_id = v.id);

-- 环翠 第十六条（一）: the holder left the skilled post or the district; the
-- title stays, the benefits named in benefits_stopped stop from
-- effective_on. Lifting it is a new recorded decision with its reason. At
-- most one open suspension per title.
CREATE TABLE suspensions (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    recognition_id    uuid NOT NULL REFERENCES recognitions (id),
    reason            text NOT NULL CHECK (reason ~ '^[a-z][a-z0-9_]{0,47}$'),
    effective_on      date NOT NULL,
    note              text NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
    benefits_stopped  text[] NOT NULL CHECK (cardinality(benefits_stopped) >= 1 AND
                          benefits_stopped <@ ARRAY['allowance', 'employer_benefits']),
    recorded_by       uuid REFERENCES users (id),
    recorded_at       timestamptz NOT NULL,
    lifted_on         date,
    lift_reason       text CHECK (length(lift_reason) BETWEEN 1 AND 2000),
    lifted_by         uuid REFERENCES users (id),
    lifted_at         timestamptz,
    CONSTRAINT suspensions_lifted CHECK (
        (lifted_on IS NULL) = (lift_reason IS NULL) AND
        (lifted_on IS NULL) = (lifted_at IS NULL)),
    CONSTRAINT suspensions_lift_after CHECK (lifted_on >= effective_on)
);

CREATE UNIQUE INDEX suspensions_open ON suspensions (recognition_id) WHERE lifted_on IS NULL;

-- A revocation case (岚山 第十二条, 环翠 第十七条): a reason of the pinned
-- policy's revocation_reasons, the facts, a finding where the reason names
-- no verifiable event (fraud, other), the effective date, and the steps of
-- the policy's revocation_steps copied at opening. `state` open until the
-- last step approves (revoked) or any step rejects (rejected). At most one
-- open case per title.
CREATE TABLE revocation_cases (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    recognition_id  uuid NOT NULL REFERENCES recognitions (id),
    reason          text NOT NULL CHECK (reason ~ '^[a-z][a-z0-9_]{0,47}$'),
    facts           text NOT NULL CHECK (length(facts) BETWEEN 1 AND 4000),
    finding         text CHECK (length(finding) BETWEEN 1 AND 4000),
    evidence        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(evidence) = 'array'),
    effective_on    date NOT NULL,
    steps           text[] NOT NULL CHECK (cardinality(steps) BETWEEN 1 AND 5),
    state           text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'revoked', 'rejected')),
    opened_by       uuid REFERENCES users (id),
    opened_by_name  text NOT NULL,
    opened_at       timestamptz NOT NULL,
    closed_at       timestamptz,
    version         integer NOT NULL DEFAULT 1 CHECK (version > 0),
    CONSTRAINT revocation_cases_closed CHECK ((state = 'open') = (closed_at IS NULL))
);

CREATE UNIQUE INDEX revocation_cases_open ON revocation_cases (recognition_id)
    WHERE state = 'open';

-- Each approval step as recorded: approved or rejected, by whom, with the
-- meeting (the group's steps) or the government's document (approval).
CREATE TABLE revocation_case_steps (
    case_id            uuid NOT NULL REFERENCES revocation_cases (id),
    position           integer NOT NULL CHECK (position BETWEEN 1 AND 5),
    step               text NOT NULL CHECK (step IN ('verification', 'decision',
                           'preliminary_finding', 'ratification', 'approval')),
    outcome            text NOT NULL CHECK (outcome IN ('approved', 'rejected')),
    note               text NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
    decided_on         date NOT NULL,
    meeting_reference  text CHECK (length(meeting_reference) BETWEEN 1 AND 100),
    document_no        text CHECK (length(document_no) BETWEEN 1 AND 100),
    recorded_by        uuid REFERENCES users (id),
    recorded_by_name   text NOT NULL,
    role               user_role NOT NULL,
    recorded_at        timestamptz NOT NULL,
    PRIMARY KEY (case_id, position)
);

-- The public notice of a revocation (取消认定公告): what the public reads of
-- the holder (name, employer, occupation, certificate number), the reason's
-- label and article, and the dates. Listed with the final notices.
CREATE TABLE revocation_notices (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    case_id         uuid NOT NULL UNIQUE REFERENCES revocation_cases (id),
    recognition_id  uuid NOT NULL REFERENCES recognitions (id),
    programme_id    uuid NOT NULL REFERENCES programmes (id),
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body            text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    issuer          text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 200),
    published_on    date NOT NULL,
    published_by    uuid REFERENCES users (id),
    published_at    timestamptz NOT NULL
);

-- Notes in the holder's file (业绩考评档案), with references to evidence.
CREATE TABLE holder_notes (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    recognition_id  uuid NOT NULL REFERENCES recognitions (id),
    text            text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    evidence        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(evidence) = 'array'),
    recorded_by     uuid REFERENCES users (id),
    recorded_by_name text NOT NULL,
    role            user_role NOT NULL,
    recorded_at     timestamptz NOT NULL
);

CREATE INDEX suspensions_recognition ON suspensions (recognition_id);
CREATE INDEX revocation_cases_recognition ON revocation_cases (recognition_id);
CREATE INDEX holder_notes_recognition ON holder_notes (recognition_id);

ALTER TABLE recognitions ADD COLUMN revoked_on date;
ALTER TABLE recognitions ADD CONSTRAINT recognitions_revoked
    CHECK ((status = 'revoked') = (revoked_on IS NOT NULL));

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON revocation_case_steps, revocation_notices,
            holder_notes FROM jiangxin_app;
        REVOKE DELETE, TRUNCATE ON suspensions, revocation_cases FROM jiangxin_app;
    END IF;
END
$$;
