-- SPDX-License-Identifier: MIT
-- Time as an input (SPEC §11): policy versions, rounds pinned to one, and
-- representations that take "now" from the service's clock as a parameter.
--
-- A programme's policy becomes a list of versions: one per founding
-- document (or amendment), each with its rules (the policy object of
-- api/model/policy.h, which carries document_no, authority and the period
-- in force), who created it and when. The version in force on a day is
-- the highest-numbered one whose period contains it, so a newer document
-- that repeals an older one early simply overlaps it. A round pins the
-- version in force on the day its application window opens, and every rule
-- of that round reads that version, whatever is added later. A version
-- that a round uses never changes again (the trigger below); versions are
-- never deleted. History (the repeat and re-apply rules, the cycle) is per
-- programme, so it spans every version.

CREATE TABLE policy_versions (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    programme_id    uuid NOT NULL REFERENCES programmes (id),
    number          integer NOT NULL CHECK (number BETWEEN 1 AND 1000),
    policy          jsonb NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
    -- Copies of policy members the queries select by; CHECKs keep them equal.
    in_force_from   date NOT NULL,
    in_force_to     date NOT NULL,
    created_by      text NOT NULL CHECK (length(created_by) BETWEEN 1 AND 64),
    version         integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (programme_id, number),
    UNIQUE (programme_id, id),
    CONSTRAINT policy_versions_period CHECK (in_force_to >= in_force_from),
    CONSTRAINT policy_versions_from CHECK (
        to_char(in_force_from, 'YYYY-MM-DD') = policy ->> 'in_force_from'),
    CONSTRAINT policy_versions_to CHECK (
        to_char(in_force_to, 'YYYY-MM-DD') = policy ->> 'in_force_to')
);

-- Every existing programme's policy becomes its version 1.
INSERT INTO policy_versions (programme_id, number, policy, in_force_from, in_force_to, created_by)
SELECT p.id, 1, p.policy, (p.policy ->> 'in_force_from')::date,
       (p.policy ->> 'in_force_to')::date, 'migration'
  FROM programmes p;

-- Each round pins a version of its own programme.
ALTER TABLE rounds ADD COLUMN policy_version_id uuid;
UPDATE rounds r SET policy_version_id = v.id
  FROM policy_versions v WHERE v.programme_id = r.programme_id AND v.number = 1;
ALTER TABLE rounds ALTER COLUMN policy_version_id SET NOT NULL;
ALTER TABLE rounds ADD CONSTRAINT rounds_policy_version
    FOREIGN KEY (programme_id, policy_version_id) REFERENCES policy_versions (programme_id, id);
CREATE INDEX rounds_policy_version ON rounds (policy_version_id);

-- The rules live in policy_versions only from now on.
ALTER TABLE programmes DROP COLUMN policy;

-- A version in use is immutable: SQLSTATE JX409 maps to 409 in api/store/db.c.
CREATE FUNCTION policy_versions_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'policy versions are never deleted' USING ERRCODE = 'JX409';
    END IF;
    IF (NEW.policy, NEW.programme_id, NEW.number) IS DISTINCT FROM
       (OLD.policy, OLD.programme_id, OLD.number)
       AND EXISTS (SELECT 1 FROM rounds r WHERE r.policy_version_id = OLD.id) THEN
        RAISE EXCEPTION 'policy version % is used by a round and cannot change', OLD.number
            USING ERRCODE = 'JX409';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER policy_versions_guard BEFORE UPDATE OR DELETE ON policy_versions
    FOR EACH ROW EXECUTE FUNCTION policy_versions_guard();

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        REVOKE DELETE, TRUNCATE ON policy_versions FROM jiangxin_app;
    END IF;
END
$$;

-- A calendar year's ETag (PUT /v1/calendar/years/{year} replaces a year).
ALTER TABLE calendar_years ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version > 0);

-- ---- Rules that read the date, with the date as a parameter ----

-- The version of `programme` in force on `day`: the highest-numbered one
-- whose period contains it (none: no row).
CREATE FUNCTION policy_version_on(programme uuid, day date) RETURNS SETOF policy_versions
LANGUAGE sql STABLE AS $$
    SELECT v.* FROM policy_versions v
     WHERE v.programme_id = programme AND day BETWEEN v.in_force_from AND v.in_force_to
     ORDER BY v.number DESC LIMIT 1
$$;

-- The version a programme shows on `today`: the one in force, else the
-- highest-numbered one (expired or not yet in force).
CREATE FUNCTION policy_version_shown(programme uuid, today date) RETURNS SETOF policy_versions
LANGUAGE sql STABLE AS $$
    SELECT v.* FROM policy_versions v
     WHERE v.programme_id = programme
     ORDER BY (today BETWEEN v.in_force_from AND v.in_force_to) DESC, v.number DESC LIMIT 1
$$;

-- ---- Representations (see 0004) ----

-- A version's status and days left on `today` (days_left: calendar days
-- after today it stays in force; 0 on its last day; null unless in force).
CREATE FUNCTION api_policy_version_head(v policy_versions, today date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'number', v.number,
        'document_no', v.policy ->> 'document_no',
        'authority', v.policy ->> 'authority',
        'in_force_from', to_char(v.in_force_from, 'YYYY-MM-DD'),
        'in_force_to', to_char(v.in_force_to, 'YYYY-MM-DD'),
        'status', CASE WHEN today < v.in_force_from THEN 'not_yet_in_force'
                       WHEN today > v.in_force_to THEN 'expired'
                       ELSE 'in_force' END,
        'days_left', CASE WHEN today BETWEEN v.in_force_from AND v.in_force_to
                          THEN v.in_force_to - today END)
$$;

CREATE FUNCTION api_policy_version(v policy_versions, today date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT api_policy_version_head(v, today) || jsonb_build_object(
        'programme', (SELECT p.code FROM programmes p WHERE p.id = v.programme_id),
        'rounds', (SELECT count(*) FROM rounds r WHERE r.policy_version_id = v.id),
        'policy', v.policy,
        'created_by', v.created_by,
        'version', v.version,
        'created_at', api_ts(v.created_at),
        'updated_at', api_ts(v.updated_at))
$$;

DROP FUNCTION api_programme(programmes);

-- `policy` is the rules of the version shown on `today` (see
-- policy_version_shown), `policy_version` its head, `policy_versions` how
-- many the programme has.
CREATE FUNCTION api_programme(p programmes, today date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'code', p.code,
        'name', p.name,
        'name_en', p.name_en,
        'policy', v.policy,
        'policy_version', api_policy_version_head(v, today),
        'policy_versions', (SELECT count(*) FROM policy_versions c WHERE c.programme_id = p.id),
        'version', p.version,
        'created_at', api_ts(p.created_at),
        'updated_at', api_ts(p.updated_at))
      FROM policy_version_shown(p.id, today) v
$$;

-- The round names the version it pinned.
CREATE OR REPLACE FUNCTION api_round(r rounds) RETURNS jsonb
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
        'policy_version', (SELECT jsonb_build_object(
                                      'number', v.number,
                                      'document_no', v.policy ->> 'document_no',
                                      'in_force_to', to_char(v.in_force_to, 'YYYY-MM-DD'))
                             FROM policy_versions v WHERE v.id = r.policy_version_id),
        'version', r.version,
        'created_at', api_ts(r.created_at),
        'updated_at', api_ts(r.updated_at))
$$;

-- A vote session's state as of `at` (the API's clock); the voting service
-- decides votes by its own clock.
DROP FUNCTION api_vote_results(vote_sessions);
DROP FUNCTION api_vote_session(vote_sessions);
DROP FUNCTION vote_session_state(vote_sessions);

CREATE FUNCTION vote_session_state(s vote_sessions, at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN at < s.opens_at THEN 'scheduled'
                WHEN at < s.closes_at THEN 'open'
                ELSE 'closed' END
$$;

CREATE FUNCTION api_vote_session(s vote_sessions, at timestamptz) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', s.id,
        'round_id', s.round_id,
        'title', s.title,
        'state', vote_session_state(s, at),
        'opens_at', api_ts(s.opens_at),
        'closes_at', api_ts(s.closes_at),
        'limits', s.limits,
        'show_counts_while_open', s.show_counts_while_open,
        'nominees', s.nominees,
        'push_state', s.push_state,
        'push_attempts', s.push_attempts,
        'pushed_at', api_ts(s.pushed_at),
        'push_error', s.push_error,
        'tally_sequence', s.tally_sequence,
        'tally_final', s.tally_final,
        'tally_as_of', api_ts(s.tally_as_of),
        'version', s.version,
        'created_at', api_ts(s.created_at),
        'updated_at', api_ts(s.updated_at))
$$;

CREATE FUNCTION api_vote_results(s vote_sessions, at timestamptz) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'session_id', s.id,
        'round_id', s.round_id,
        'title', s.title,
        'state', vote_session_state(s, at),
        'opens_at', api_ts(s.opens_at),
        'closes_at', api_ts(s.closes_at),
        'sequence', s.tally_sequence,
        'final', s.tally_final,
        'total_votes', coalesce(s.tally_total, 0),
        'log_entries', s.log_entries,
        'log_sha256', s.log_sha256,
        'as_of', api_ts(s.tally_as_of),
        'received_at', api_ts(s.tally_received_at),
        'nominees', coalesce((
            SELECT jsonb_agg(r.nominee || jsonb_build_object('votes', r.votes, 'rank', r.rank)
                             ORDER BY r.rank, (r.nominee ->> 'number')::int)
              FROM (SELECT e AS nominee, v.votes,
                           rank() OVER (ORDER BY v.votes DESC) AS rank
                      FROM jsonb_array_elements(s.nominees) e
                      CROSS JOIN LATERAL (SELECT coalesce((s.tally_counts ->> (e ->> 'id'))::bigint,
                                                          0) AS votes) v) r),
            '[]'::jsonb))
$$;
