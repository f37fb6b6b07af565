-- SPDX-License-Identifier: MIT
-- Public voting (网络投票), the API's side: one vote session per round,
-- recorded here and pushed to jiangxin-vote, and the tallies the voting
-- service posts back. 岚山工匠 第五条（三）初步评审 → （四）网络投票 →
-- （五）领导小组研究确定: the vote belongs to a round in phase `review` and
-- informs the leadership group (vote_weight 0).
--
-- Defaults when the office leaves a limit out (api/handlers/vote_sessions.c
-- applies them, so the stored row always has all four):
--   votes_per_nominee_per_day 1, votes_per_day = the number of nominees
--   (capped at 100), ip_rate_per_minute 60, ip_burst 30.
-- The window: closes_at after opens_at, opens_at not more than a minute in
-- the past nor more than a year ahead, at most 60 days long.
--
-- `nominees` is the public list exactly as pushed: nomination id, number
-- (the position in the office's list), name, unit name, occupation and
-- summary = the first 200 characters of the deeds (omitted when there are
-- none). Never the ID number, phone, birth date or gender.
--
-- push_state: `pending` until the voting service has answered a push with
-- 2xx, then `pushed`. next_push_at spaces the retries out per session.
-- The tally_* columns hold the highest-sequence tally posted back; once
-- tally_final is true they never change again.

CREATE TABLE vote_sessions (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    round_id                uuid NOT NULL UNIQUE REFERENCES rounds (id),
    title                   text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    opens_at                timestamptz NOT NULL,
    closes_at               timestamptz NOT NULL,
    limits                  jsonb NOT NULL CHECK (jsonb_typeof(limits) = 'object'),
    show_counts_while_open  boolean NOT NULL DEFAULT false,
    nominees                jsonb NOT NULL CHECK (jsonb_typeof(nominees) = 'array'),
    push_state              text NOT NULL DEFAULT 'pending'
                                CHECK (push_state IN ('pending', 'pushed')),
    push_attempts           integer NOT NULL DEFAULT 0 CHECK (push_attempts >= 0),
    pushed_at               timestamptz,
    push_error              text CHECK (length(push_error) BETWEEN 1 AND 300),
    next_push_at            timestamptz NOT NULL DEFAULT now(),
    tally_sequence          bigint NOT NULL DEFAULT 0 CHECK (tally_sequence >= 0),
    tally_counts            jsonb CHECK (jsonb_typeof(tally_counts) = 'object'),
    tally_total             bigint CHECK (tally_total >= 0),
    tally_final             boolean NOT NULL DEFAULT false,
    log_entries             bigint CHECK (log_entries >= 0),
    log_sha256              text CHECK (log_sha256 ~ '^[0-9a-f]{64}$'),
    tally_as_of             timestamptz,
    tally_received_at       timestamptz,
    version                 integer NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    created_by              uuid REFERENCES users (id),
    CONSTRAINT vote_sessions_window CHECK (closes_at > opens_at),
    CONSTRAINT vote_sessions_pushed CHECK ((push_state = 'pushed') = (pushed_at IS NOT NULL)),
    CONSTRAINT vote_sessions_tally CHECK (
        (tally_sequence = 0) = (tally_counts IS NULL) AND
        (tally_counts IS NULL) = (tally_total IS NULL) AND
        (tally_counts IS NULL) = (tally_as_of IS NULL)),
    CONSTRAINT vote_sessions_final CHECK (
        NOT tally_final OR (log_entries IS NOT NULL AND log_sha256 IS NOT NULL))
);

-- What the push-retry thread scans.
CREATE INDEX vote_sessions_pending ON vote_sessions (next_push_at) WHERE push_state = 'pending';

-- THE one place that decides which nominations of a round may go to the
-- public vote. Until shortlisting exists: the round's qualified ones. The
-- shortlist issue replaces this body only.
CREATE FUNCTION vote_candidates(round uuid) RETURNS SETOF nominations
LANGUAGE sql STABLE AS $$
    SELECT n.* FROM nominations n WHERE n.round_id = round AND n.state = 'qualified'
$$;

-- The nominees the office named (a JSON array of ids, in its order) as the
-- public list, checked against vote_candidates: {"nominees": [...],
-- "unknown": [indexes into ids of those that are not candidates],
-- "candidates": how many candidates the round has}.
CREATE FUNCTION vote_session_nominees(round uuid, ids jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    WITH wanted AS (
        SELECT x.id, x.ord::int AS ord
          FROM jsonb_array_elements_text(ids) WITH ORDINALITY AS x(id, ord)
    ), found AS (
        SELECT w.ord, jsonb_strip_nulls(jsonb_build_object(
                   'id', n.id,
                   'number', w.ord,
                   'name', n.name,
                   'unit_name', u.name,
                   'occupation', n.occupation,
                   'summary', nullif(left(btrim(n.deeds), 200), ''))) AS nominee
          FROM wanted w
          JOIN vote_candidates(round) n ON n.id::text = lower(w.id)
          JOIN units u ON u.id = n.unit_id
    )
    SELECT jsonb_build_object(
        'nominees', coalesce((SELECT jsonb_agg(f.nominee ORDER BY f.ord) FROM found f),
                             '[]'::jsonb),
        'unknown', coalesce((SELECT jsonb_agg(w.ord - 1 ORDER BY w.ord) FROM wanted w
                              WHERE w.ord NOT IN (SELECT f.ord FROM found f)), '[]'::jsonb),
        'candidates', (SELECT count(*) FROM vote_candidates(round)))
$$;

-- ---- Representations (see 0004) ----

-- open/closed as of now; the voting service decides votes by its own clock.
CREATE FUNCTION vote_session_state(s vote_sessions) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN now() < s.opens_at THEN 'scheduled'
                WHEN now() < s.closes_at THEN 'open'
                ELSE 'closed' END
$$;

CREATE FUNCTION api_vote_session(s vote_sessions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', s.id,
        'round_id', s.round_id,
        'title', s.title,
        'state', vote_session_state(s),
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

-- The body of PUT /internal/v1/sessions/{id} on jiangxin-vote (vote.md §4):
-- the public fields only; the number is the list position there.
CREATE FUNCTION api_vote_push(s vote_sessions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'round_id', s.round_id,
        'title', s.title,
        'opens_at', api_ts(s.opens_at),
        'closes_at', api_ts(s.closes_at),
        'nominees', (SELECT jsonb_agg(e - 'number' ORDER BY (e ->> 'number')::int)
                       FROM jsonb_array_elements(s.nominees) e),
        'limits', s.limits,
        'show_counts_while_open', s.show_counts_while_open)
$$;

-- The tally as stored (what an audit event of a tally post records).
CREATE FUNCTION api_vote_tally(s vote_sessions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'session_id', s.id,
        'sequence', s.tally_sequence,
        'counts', coalesce(s.tally_counts, '{}'::jsonb),
        'total', coalesce(s.tally_total, 0),
        'final', s.tally_final,
        'log_entries', s.log_entries,
        'log_sha256', s.log_sha256,
        'as_of', api_ts(s.tally_as_of))
$$;

-- The results: every nominee with its votes and rank (1, 2, 2, 4 …; ties
-- share a rank and are listed by number), most votes first.
CREATE FUNCTION api_vote_results(s vote_sessions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'session_id', s.id,
        'round_id', s.round_id,
        'title', s.title,
        'state', vote_session_state(s),
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
