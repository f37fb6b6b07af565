-- SPDX-License-Identifier: MIT
-- Intake: rounds (one cycle of a programme), nominations (推荐/申报) with
-- their transitions, and evidence files (证明材料). 岚山工匠 第四条, 第五条（一）
-- （二）; 环翠区首席技师 第六条, 第七条, 第九条, 第十条（一）–（三）.
--
-- The workflow itself (which state may follow which, for whom, in which
-- round phase) is one table in api/model/flow.c. The CHECK constraints
-- below tie each state to the columns it needs, so a row can never claim
-- a state its data does not support, whatever code wrote it.

CREATE TYPE round_phase AS ENUM (
    'preparing', 'accepting', 'qualification', 'review', 'voting', 'deciding', 'notice',
    'concluded'
);

-- The full lifecycle of SPEC §3, in order; `returned` (退回补正) is the
-- office sending a submitted nomination back to its unit with comments.
-- Unit publicity comes before submission to the office: 岚山 第五条（一）
-- "公示…不少于3个工作日" then 报送; 环翠 第十条（二） "经公示后上报".
CREATE TYPE nomination_state AS ENUM (
    'draft', 'unit_publicity', 'unit_approved', 'submitted', 'returned',
    'qualified', 'rejected', 'disqualified', 'withdrawn',
    'in_review', 'shortlisted', 'not_shortlisted', 'selected', 'not_selected',
    'final_notice', 'recognized', 'objection_upheld'
);

-- The same values as enum skill_level in api/model/enums.h, lowest first,
-- so `>=` compares levels.
CREATE TYPE skill_level AS ENUM (
    'apprentice', 'junior_worker', 'intermediate_worker', 'senior_worker', 'technician',
    'senior_technician', 'principal_technician', 'chief_technician'
);

CREATE TYPE evidence_kind AS ENUM (
    'application_form', 'skill_certificate', 'honour', 'patent', 'competition', 'other'
);

-- A round. Its code is the human number (`lanshan-craftsman-2026`); one
-- round per programme and year. A round sooner than the policy's cycle
-- after another carries the reason the office gave for it.
CREATE TABLE rounds (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    programme_id           uuid NOT NULL REFERENCES programmes (id),
    code                   text NOT NULL UNIQUE,
    year                   integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    reference_date         date NOT NULL,
    window_opens           date NOT NULL,
    window_closes          date NOT NULL,
    phase                  round_phase NOT NULL DEFAULT 'preparing',
    cycle_override_reason  text CHECK (length(cycle_override_reason) BETWEEN 1 AND 500),
    version                integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (programme_id, year),
    CONSTRAINT rounds_window CHECK (window_closes >= window_opens),
    CONSTRAINT rounds_window_year CHECK (extract(year FROM window_opens) = year)
);

-- A nomination: one candidate put forward by one unit in one round. The
-- candidate's details are kept as submitted (a snapshot, not a shared
-- person record), so what the office reviewed is what stays on file.
--
-- Personal data (SPEC §3): the ID number and phone are sealed with
-- libsodium secretbox under JIANGXIN_PII_KEY (nonce || mac || cipher);
-- id_number_hash is a keyed BLAKE2b hash under the same key, so uniqueness
-- and "recognised before" are checked without the plain number; the masked
-- forms are what every response shows. Gender and birth date are derived
-- from the ID number and stored with it.
CREATE TABLE nominations (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    round_id                uuid NOT NULL REFERENCES rounds (id),
    unit_id                 uuid NOT NULL REFERENCES units (id),
    state                   nomination_state NOT NULL DEFAULT 'draft',
    channel                 text NOT NULL DEFAULT 'unit'
                                CHECK (channel IN ('unit', 'competition')),
    name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    id_number_sealed        bytea NOT NULL CHECK (octet_length(id_number_sealed) > 40),
    id_number_hash          text NOT NULL CHECK (id_number_hash ~ '^[0-9a-f]{64}$'),
    id_number_masked        text NOT NULL CHECK (id_number_masked ~ '^[0-9]{3}[*]{11}[0-9]{3}[0-9X]$'),
    gender                  text NOT NULL CHECK (gender IN ('male', 'female')),
    birth_date              date NOT NULL,
    age                     integer NOT NULL CHECK (age >= 0),
    phone_sealed            bytea CHECK (octet_length(phone_sealed) > 40),
    phone_masked            text CHECK (phone_masked ~ '^1[0-9]{2}[*]{4}[0-9]{4}$'),
    occupation              text CHECK (length(occupation) BETWEEN 1 AND 100),
    skill_level             skill_level,
    skill_certificate_no    text CHECK (length(skill_certificate_no) BETWEEN 1 AND 64),
    front_line              boolean,
    post                    text CHECK (length(post) BETWEEN 1 AND 100),
    innovation_studio_lead  boolean NOT NULL DEFAULT false,
    honours                 jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(honours) = 'array'),
    patents                 jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(patents) = 'array'),
    competitions            jsonb NOT NULL DEFAULT '[]'
                                CHECK (jsonb_typeof(competitions) = 'array'),
    apprentices             jsonb NOT NULL DEFAULT '[]'
                                CHECK (jsonb_typeof(apprentices) = 'array'),
    deeds                   text NOT NULL DEFAULT '',
    publicity_start         date,
    publicity_workdays      integer CHECK (publicity_workdays BETWEEN 1 AND 60),
    publicity_end           date,
    submitted_at            timestamptz,
    eligibility             jsonb CHECK (jsonb_typeof(eligibility) = 'object'),
    overrides               jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(overrides) = 'array'),
    return_comment          text CHECK (length(return_comment) BETWEEN 1 AND 2000),
    decision_reason         text CHECK (length(decision_reason) BETWEEN 1 AND 2000),
    decided_at              timestamptz,
    version                 integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT nominations_phone_pair CHECK ((phone_sealed IS NULL) = (phone_masked IS NULL)),
    -- A publicity is a start, a length and the end computed from them.
    CONSTRAINT nominations_publicity_triple CHECK (
        (publicity_start IS NULL) = (publicity_end IS NULL) AND
        (publicity_start IS NULL) = (publicity_workdays IS NULL) AND
        (publicity_end IS NULL OR publicity_end > publicity_start)),
    CONSTRAINT nominations_publicity_state CHECK (
        state NOT IN ('unit_publicity', 'unit_approved') OR publicity_start IS NOT NULL),
    -- Anything the office has seen was submitted, with its checklist.
    CONSTRAINT nominations_submitted_state CHECK (
        state IN ('draft', 'unit_publicity', 'unit_approved', 'withdrawn') OR
        (submitted_at IS NOT NULL AND eligibility IS NOT NULL)),
    CONSTRAINT nominations_returned_state CHECK (
        state <> 'returned' OR return_comment IS NOT NULL),
    CONSTRAINT nominations_decision_state CHECK (
        state NOT IN ('rejected', 'disqualified') OR decision_reason IS NOT NULL),
    CONSTRAINT nominations_decided_state CHECK (
        state IN ('draft', 'unit_publicity', 'unit_approved', 'submitted', 'returned',
                  'withdrawn') OR decided_at IS NOT NULL),
    -- What the office needs to judge, present from submission on.
    CONSTRAINT nominations_complete_state CHECK (
        state IN ('draft', 'unit_publicity', 'unit_approved', 'withdrawn', 'returned') OR
        (phone_sealed IS NOT NULL AND occupation IS NOT NULL AND skill_level IS NOT NULL AND
         front_line IS NOT NULL AND post IS NOT NULL))
);

-- One nomination per person per round (a withdrawn one frees the place;
-- a disqualified one does not: 环翠 第十条（三） bars the person for the round).
CREATE UNIQUE INDEX nominations_person_round ON nominations (round_id, id_number_hash)
    WHERE state <> 'withdrawn';
CREATE INDEX nominations_person ON nominations (id_number_hash);
-- Keyset pages: by round, optionally by unit, in creation order.
CREATE INDEX nominations_round_page ON nominations (round_id, created_at, id);
CREATE INDEX nominations_round_unit_page ON nominations (round_id, unit_id, created_at, id);

-- Every state change, with who made it and the note it carried (a
-- reason, a return comment). The audit log has the full before/after;
-- this is the nomination's own history as units and offices read it.
CREATE TABLE nomination_transitions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id  uuid NOT NULL REFERENCES nominations (id),
    from_state     nomination_state,
    to_state       nomination_state NOT NULL,
    actor_id       uuid REFERENCES users (id),
    actor          text NOT NULL,
    role           user_role NOT NULL,
    note           text CHECK (length(note) BETWEEN 1 AND 2000),
    at             timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX nomination_transitions_nomination ON nomination_transitions (nomination_id, id);

-- Evidence files. The bytes are sealed like the ID number (scanned
-- certificates show it); sha256 is over the plain bytes, as uploaded, and
-- media_type is what the leading bytes say, not the file name.
CREATE TABLE attachments (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    nomination_id  uuid NOT NULL REFERENCES nominations (id),
    kind           evidence_kind NOT NULL,
    filename       text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    media_type     text NOT NULL
                       CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes     integer NOT NULL CHECK (size_bytes > 0),
    sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_sealed bytea NOT NULL,
    uploaded_by    uuid REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT attachments_sealed_size CHECK (octet_length(content_sealed) = size_bytes + 40)
);

CREATE INDEX attachments_nomination ON attachments (nomination_id, created_at, id);

-- ---- Representations (see 0004) ----

CREATE FUNCTION api_round(r rounds) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', r.id,
        'code', r.code,
        'programme', (SELECT p.code FROM programmes p WHERE p.id = r.programme_id),
        'year', r.year,
        'reference_date', to_char(r.reference_date, 'YYYY-MM-DD'),
        'window_opens', to_char(r.window_opens, 'YYYY-MM-DD'),
        'window_closes', to_char(r.window_closes, 'YYYY-MM-DD'),
        'phase', r.phase,
        'cycle_override_reason', r.cycle_override_reason,
        'version', r.version,
        'created_at', api_ts(r.created_at),
        'updated_at', api_ts(r.updated_at))
$$;

-- api_ts (0004) was declared IMMUTABLE, but to_char is only STABLE, so
-- the planner would not inline it: every timestamp of every row paid for a
-- function call. Declared for what it is, it inlines.
ALTER FUNCTION api_ts(timestamptz) STABLE;

-- The list form: what a table row in a front end shows. No deeds, no
-- nested lists, no personal data beyond the masked forms. Written as JSON
-- text by concatenation because lists render thousands of these: it costs
-- about a tenth of json(b)_build_object, which looks up every argument's
-- type on every row. Only free text goes through to_json (escaping); the
-- other values are UUIDs, enum values, digits, masks and dates, which need
-- none. Every response is checked against the contract in the tests.
CREATE FUNCTION api_nomination_list_item(n nominations, unit_name text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT '{"id":"' || n.id
        || '","round_id":"' || n.round_id
        || '","unit_id":"' || n.unit_id
        || '","unit_name":' || to_json(unit_name)
        || ',"state":"' || n.state
        || '","channel":"' || n.channel
        || '","name":' || to_json(n.name)
        || ',"id_number":"' || n.id_number_masked
        || '","gender":"' || n.gender
        || '","birth_month":"' || to_char(n.birth_date, 'YYYY-MM')
        || '","age":' || n.age
        || ',"phone":' || coalesce('"' || n.phone_masked || '"', 'null')
        || ',"occupation":' || coalesce(to_json(n.occupation)::text, 'null')
        || ',"skill_level":' || coalesce('"' || n.skill_level || '"', 'null')
        || ',"eligibility_outcome":' || coalesce('"' || (n.eligibility ->> 'outcome') || '"', 'null')
        || ',"publicity_start":' || coalesce('"' || n.publicity_start || '"', 'null')
        || ',"publicity_end":' || coalesce('"' || n.publicity_end || '"', 'null')
        || ',"submitted_at":' || coalesce('"' || api_ts(n.submitted_at) || '"', 'null')
        || ',"version":' || n.version
        || ',"created_at":"' || api_ts(n.created_at)
        || '","updated_at":"' || api_ts(n.updated_at) || '"}'
$$;

CREATE FUNCTION api_nomination_summary(n nominations) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT api_nomination_list_item(n, (SELECT u.name FROM units u WHERE u.id = n.unit_id))::jsonb
$$;

-- The full form: the summary plus everything the unit entered, the
-- checklist, the office's notes and the history.
CREATE FUNCTION api_nomination(n nominations) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT api_nomination_summary(n) || jsonb_build_object(
        'skill_certificate_no', n.skill_certificate_no,
        'front_line', n.front_line,
        'post', n.post,
        'innovation_studio_lead', n.innovation_studio_lead,
        'honours', n.honours,
        'patents', n.patents,
        'competitions', n.competitions,
        'apprentices', n.apprentices,
        'deeds', n.deeds,
        'deeds_chars', length(n.deeds),
        'publicity_workdays', n.publicity_workdays,
        'eligibility', n.eligibility,
        'overrides', n.overrides,
        'return_comment', n.return_comment,
        'decision_reason', n.decision_reason,
        'decided_at', api_ts(n.decided_at),
        'attachments', (SELECT count(*) FROM attachments a WHERE a.nomination_id = n.id),
        'history', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                 'from', t.from_state, 'to', t.to_state, 'actor', t.actor,
                                 'role', t.role, 'note', t.note, 'at', api_ts(t.at))
                                 ORDER BY t.id)
                               FROM nomination_transitions t
                              WHERE t.nomination_id = n.id), '[]'::jsonb))
$$;

CREATE FUNCTION api_attachment(a attachments) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', a.id,
        'nomination_id', a.nomination_id,
        'kind', a.kind,
        'filename', a.filename,
        'media_type', a.media_type,
        'size_bytes', a.size_bytes,
        'sha256', a.sha256,
        'created_at', api_ts(a.created_at))
$$;
