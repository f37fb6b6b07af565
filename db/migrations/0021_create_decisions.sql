-- SPDX-License-Identifier: MIT
-- Issue 13: after the shortlist, the leadership group's decision, 考察, the
-- final public notice (公示) with its objections (异议), the group's 审定,
-- the district government's approval, and the recognition (认定) with its
-- certificates. 岚山工匠 第二条, 第五条（五）–（七）; 环翠区首席技师 第四条,
-- 第十条（五）（六）.
--
-- The order of the steps is the round's pinned policy's
-- (notice_before_decision; api/model/decision_rules.h); which step may come
-- next is decided there, once. The tables below keep what each step
-- recorded; none of them is ever updated except the objection's state and
-- the notice's conclusion.
--
-- The policy member certificate_prefix (optional, absent = "JX"): the
-- letters before a certificate number. The seeds fix none; choice: the
-- initials of the title in pinyin, 岚山工匠 LSGJ and 环翠区首席技师 HCSX, on
-- the versions no round has pinned (a pinned version never changes, 0009).
UPDATE policy_versions v
   SET policy = v.policy || jsonb_build_object(
                    'certificate_prefix',
                    CASE p.code WHEN 'lanshan-craftsman' THEN 'LSGJ' ELSE 'HCSX' END),
       version = v.version + 1, updated_at = now()
  FROM programmes p
 WHERE p.id = v.programme_id
   AND p.code IN ('lanshan-craftsman', 'huancui-chief-technician')
   AND NOT v.policy ? 'certificate_prefix'
   AND NOT EXISTS (SELECT 1 FROM rounds r WHERE r.policy_version_id = v.id);

-- The leadership group's record: the decision (岚山 第五条（五）, step
-- `decision`) or the 审定 of the noticed list (环翠 第十条（六）, step
-- `ratification`). One of each per round.
CREATE TABLE decisions (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    round_id           uuid NOT NULL REFERENCES rounds (id),
    step               text NOT NULL CHECK (step IN ('decision', 'ratification')),
    meeting_date       date NOT NULL,
    meeting_reference  text NOT NULL CHECK (length(meeting_reference) BETWEEN 1 AND 100),
    members_present    jsonb NOT NULL CHECK (jsonb_typeof(members_present) = 'array' AND
                                             jsonb_array_length(members_present) BETWEEN 1 AND 50),
    -- selecting above a soft target (环翠 第四条 "5人左右") says why
    reason             text CHECK (length(reason) BETWEEN 1 AND 500),
    decided_by         uuid REFERENCES users (id),
    decided_at         timestamptz NOT NULL,
    UNIQUE (round_id, step)
);

-- The selected nominations in the group's order, each with the public vote
-- as it stood (advisory: 岚山 vote_weight 0), null without a vote.
CREATE TABLE decision_entries (
    decision_id    uuid NOT NULL REFERENCES decisions (id),
    position       integer NOT NULL CHECK (position >= 1),
    nomination_id  uuid NOT NULL REFERENCES nominations (id),
    votes          bigint CHECK (votes >= 0),
    vote_share     numeric(7, 4) CHECK (vote_share BETWEEN 0 AND 100),
    vote_rank      integer CHECK (vote_rank >= 1),
    PRIMARY KEY (decision_id, position),
    UNIQUE (decision_id, nomination_id)
);

-- A hard cap (岚山 第二条 "每次评选不超过10名") holds whatever code writes:
-- positions run 1..n, so a position above awards_per_round is one too many.
-- db/functions/11_decisions.sql keeps the function current.
CREATE FUNCTION decision_entries_cap() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END
$$;

CREATE TRIGGER decision_entries_cap BEFORE INSERT ON decision_entries
    FOR EACH ROW EXECUTE FUNCTION decision_entries_cap();

-- 考察 (环翠 第十条（五）): the office's findings on each shortlisted
-- candidate before the notice of the proposed list. Revisions append.
CREATE TABLE inspections (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    round_id       uuid NOT NULL REFERENCES rounds (id),
    nomination_id  uuid NOT NULL REFERENCES nominations (id),
    revision       integer NOT NULL CHECK (revision >= 1),
    passed         boolean NOT NULL,
    findings       text NOT NULL CHECK (length(findings) BETWEEN 1 AND 2000),
    inspected_on   date NOT NULL,
    recorded_by    uuid REFERENCES users (id),
    recorded_at    timestamptz NOT NULL,
    UNIQUE (nomination_id, revision)
);

-- The final public notice (公示) of a round: the list as published, a
-- snapshot of public fields only (name, employer, occupation, a deeds
-- summary). Its last day is the Nth working day of the calendar
-- (final_notice_workdays); objections are taken until 24:00 of it.
CREATE TABLE notices (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    round_id      uuid NOT NULL UNIQUE REFERENCES rounds (id),
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body          text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    contact       text NOT NULL CHECK (length(contact) BETWEEN 1 AND 200),
    issuer        text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 200),
    published_on  date NOT NULL,
    ends_on       date NOT NULL CHECK (ends_on >= published_on),
    workdays      integer NOT NULL CHECK (workdays BETWEEN 1 AND 60),
    entries       jsonb NOT NULL CHECK (jsonb_typeof(entries) = 'array' AND
                                        jsonb_array_length(entries) >= 1),
    published_by  uuid REFERENCES users (id),
    published_at  timestamptz NOT NULL
);

-- An objection (异议) from the public. Its text and contact are never
-- public: the contact is sealed like a phone number and shown masked to
-- the office; the objector follows it with the tracking number and a
-- secret code, of which only a keyed hash is kept.
CREATE TABLE objections (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    notice_id        uuid NOT NULL REFERENCES notices (id),
    nomination_id    uuid NOT NULL REFERENCES nominations (id),
    tracking_number  text NOT NULL UNIQUE CHECK (tracking_number ~ '^YY-[0-9]{4}-[0-9A-Z]{8}$'),
    code_hash        text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
    body             text NOT NULL CHECK (length(body) BETWEEN 10 AND 2000),
    contact_sealed   bytea,
    contact_masked   text CHECK (length(contact_masked) BETWEEN 1 AND 200),
    state            text NOT NULL DEFAULT 'received'
                         CHECK (state IN ('received', 'investigating', 'upheld', 'dismissed')),
    findings         text CHECK (length(findings) BETWEEN 1 AND 2000),
    received_at      timestamptz NOT NULL,
    decided_by       uuid REFERENCES users (id),
    decided_at       timestamptz,
    version          integer NOT NULL DEFAULT 1 CHECK (version > 0),
    CONSTRAINT objections_contact CHECK ((contact_sealed IS NULL) = (contact_masked IS NULL)),
    CONSTRAINT objections_decided CHECK (
        (state IN ('upheld', 'dismissed')) = (findings IS NOT NULL AND decided_at IS NOT NULL))
);

CREATE INDEX objections_notice ON objections (notice_id);

-- Requests from one client address against a public route that writes or
-- guesses (objections, certificate checks), as a leaky bucket like the
-- sign-in one (0011): keyed hashes of "route address", never an address.
CREATE TABLE public_rate_buckets (
    key         text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{64}$'),
    level       double precision NOT NULL CHECK (level >= 0),
    updated_at  timestamptz NOT NULL
);

-- The district government's approval (环翠 第十条（六） "报区政府同意并发文
-- 公布"): its document number and date, recorded by the office.
CREATE TABLE round_approvals (
    round_id     uuid PRIMARY KEY REFERENCES rounds (id),
    document_no  text NOT NULL CHECK (length(document_no) BETWEEN 1 AND 100),
    approved_on  date NOT NULL,
    recorded_by  uuid REFERENCES users (id),
    recorded_at  timestamptz NOT NULL
);

-- Certificate numbers are gapless per prefix and year (a programme's
-- policy names its prefix: LSGJ, HCSX): the row is locked by the issuing
-- transaction, so a rolled-back issue gives its numbers back and two
-- rounds issuing at once queue. Keyed by the prefix, not the programme,
-- so two programmes given the same prefix share one sequence and a
-- number is never issued twice.
CREATE TABLE certificate_sequences (
    prefix    text NOT NULL CHECK (prefix ~ '^[A-Z][A-Z0-9]{0,15}$'),
    year      integer NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    last_seq  integer NOT NULL CHECK (last_seq >= 0),
    PRIMARY KEY (prefix, year)
);

-- A recognition: the title a person holds (认定), with its certificate.
-- The public fields are copied from the nomination as recognised. The
-- verification code is printed on the certificate (and in its QR code):
-- it is what a verifier types, not a secret of the holder, so it is kept.
CREATE TABLE recognitions (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    nomination_id       uuid NOT NULL UNIQUE REFERENCES nominations (id),
    round_id            uuid NOT NULL REFERENCES rounds (id),
    programme_id        uuid NOT NULL REFERENCES programmes (id),
    id_number_hash      text NOT NULL CHECK (id_number_hash ~ '^[0-9a-f]{64}$'),
    title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    holder_name         text NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 50),
    employer            text NOT NULL CHECK (length(employer) BETWEEN 1 AND 200),
    occupation          text NOT NULL CHECK (length(occupation) BETWEEN 1 AND 100),
    certificate_number  text NOT NULL UNIQUE CHECK (length(certificate_number) BETWEEN 5 AND 40),
    certificate_year    integer NOT NULL,
    certificate_seq     integer NOT NULL CHECK (certificate_seq >= 1),
    verification_code   text NOT NULL CHECK (verification_code ~ '^[0-9A-HJ-NP-Z]{8}$'),
    recognized_on       date NOT NULL,
    status              text NOT NULL DEFAULT 'active'
                            CHECK (status IN ('active', 'suspended', 'revoked')),
    issued_by           uuid REFERENCES users (id),
    issued_at           timestamptz NOT NULL,
    version             integer NOT NULL DEFAULT 1 CHECK (version > 0)
);

CREATE INDEX recognitions_round ON recognitions (round_id);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON decisions, decision_entries, inspections,
            round_approvals FROM jiangxin_app;
        REVOKE DELETE, TRUNCATE ON notices, objections, recognitions FROM jiangxin_app;
    END IF;
END
$$;
