-- SPDX-License-Identifier: MIT
-- Core tables of jiangxin: programmes (policy as data), units, users and
-- their scopes, the working-day calendar, the hash-chained audit log and
-- idempotency keys. Applied by `jiangxin-api migrate` inside one
-- transaction; forward-only, never edited once landed.

CREATE TYPE user_role AS ENUM (
    'admin', 'office', 'unit', 'expert', 'leader', 'finance', 'auditor', 'service'
);

CREATE TYPE unit_kind AS ENUM (
    'enterprise', 'township', 'subdistrict', 'agency', 'institution', 'other'
);

-- A programme is one recognition scheme (岚山工匠, 环翠区首席技师). Its rules
-- live in `policy` (a JSON object validated by api/model/policy.c), so a
-- third district's rules are data, not code.
CREATE TABLE programmes (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9-]{2,47}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    name_en     text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
    policy      jsonb NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
    version     integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- 推荐单位. `code` is the 统一社会信用代码, checked by its GB 32100 check
-- character in api/model/unit_code.c before it gets here.
CREATE TABLE units (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code        text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind        unit_kind NOT NULL,
    version     integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Users sign in with a password (argon2id, libsodium's crypto_pwhash_str).
-- A unit user is scoped to exactly one unit; office users to programmes
-- (user_programmes). Deleting is soft so audit events keep their actor.
CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    username      text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
    password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    role          user_role NOT NULL,
    unit_id       uuid REFERENCES units (id),
    disabled      boolean NOT NULL DEFAULT false,
    deleted_at    timestamptz,
    version       integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_unit_scope CHECK ((role = 'unit') = (unit_id IS NOT NULL))
);

CREATE UNIQUE INDEX users_username_live ON users (username) WHERE deleted_at IS NULL;

CREATE TABLE user_programmes (
    user_id       uuid NOT NULL REFERENCES users (id),
    programme_id  uuid NOT NULL REFERENCES programmes (id),
    PRIMARY KEY (user_id, programme_id)
);

-- Working-day calendar. A year is known only when it is in calendar_years;
-- within a known year a listed day overrides the Monday–Friday rule
-- (State Council schedule, holiday-cn format). A date in an unknown year is
-- an error, never a guess.
CREATE TABLE calendar_years (
    year        integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 2999),
    source      text NOT NULL,
    loaded_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE calendar_days (
    day         date PRIMARY KEY,
    is_workday  boolean NOT NULL,
    name        text NOT NULL DEFAULT '',
    source      text NOT NULL,
    version     integer NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Audit log. Each row's hash is SHA-256 over the previous row's hash and this
-- row's content, computed by a trigger under an advisory lock so the chain
-- order (seq) is the commit order. UPDATE, DELETE and TRUNCATE are refused.
CREATE TABLE audit_events (
    seq          bigint PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor_id     uuid,
    actor        text NOT NULL,
    role         text NOT NULL,
    action       text NOT NULL,
    entity_type  text NOT NULL,
    entity_id    text NOT NULL,
    request_id   text NOT NULL DEFAULT '',
    before       jsonb,
    after        jsonb,
    prev_hash    bytea NOT NULL,
    hash         bytea NOT NULL
);

CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id, seq);

-- The canonical content a row's hash covers. jsonb's text form is
-- normalised, and timestamps are printed in UTC, so the digest does not
-- depend on session settings.
CREATE FUNCTION audit_event_digest(e audit_events) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256(
        e.prev_hash ||
        convert_to(concat_ws(E'\x1f',
            e.seq::text,
            to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            coalesce(e.actor_id::text, ''),
            e.actor, e.role, e.action, e.entity_type, e.entity_id, e.request_id,
            coalesce(e.before::text, 'null'),
            coalesce(e.after::text, 'null')), 'UTF8'))
$$;

CREATE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_seq  bigint;
    last_hash bytea;
BEGIN
    -- One writer at a time: the lock is held until commit, so the next
    -- writer sees this row as the head of the chain.
    PERFORM pg_advisory_xact_lock(7236011);
    SELECT seq, hash INTO last_seq, last_hash
      FROM audit_events ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.prev_hash := coalesce(last_hash, '\x'::bytea);
    NEW.at := clock_timestamp();
    NEW.hash := audit_event_digest(NEW);
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_chain();

CREATE FUNCTION audit_events_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_immutable();

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_immutable();

-- Idempotency-Key records: the first answer to a POST, replayed for the
-- same key and body, refused (422) for the same key and another body.
-- Scoped per caller; kept 24 hours (the sweep runs on every insert).
CREATE TABLE idempotency_keys (
    principal     text NOT NULL,
    key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    method        text NOT NULL,
    path          text NOT NULL,
    request_hash  bytea NOT NULL,
    status        integer NOT NULL,
    location      text NOT NULL DEFAULT '',
    body          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
