-- SPDX-License-Identifier: MIT
-- The hash-chained audit log (tables and triggers: db/migrations/0001):
-- the digest each row's hash is, the trigger functions that chain rows and
-- refuse UPDATE, DELETE and TRUNCATE, and the representation of an event.

-- The canonical content a row's hash covers. jsonb's text form is
-- normalised, and timestamps are printed in UTC, so the digest does not
-- depend on session settings.
CREATE OR REPLACE FUNCTION audit_event_digest(e audit_events) RETURNS bytea
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

CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger
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

CREATE OR REPLACE FUNCTION audit_events_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE OR REPLACE FUNCTION api_audit_event(e audit_events) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'seq', e.seq,
        'at', api_ts(e.at),
        'actor_id', e.actor_id,
        'actor', e.actor,
        'role', e.role,
        'action', e.action,
        'entity_type', e.entity_type,
        'entity_id', e.entity_id,
        'request_id', e.request_id,
        'before', e.before,
        'after', e.after,
        'hash', encode(e.hash, 'hex'),
        'prev_hash', encode(e.prev_hash, 'hex'))
$$;
