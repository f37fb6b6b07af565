-- SPDX-License-Identifier: MIT
-- Public voting (db/migrations/0008): which nominations may go to the vote,
-- the checked public list, and the representations of a session, of what
-- is pushed to jiangxin-vote, of a tally and of the results. State is
-- computed as of a time the API passes in (its clock).

-- THE one place that decides which nominations of a round may go to the
-- public vote: the round's frozen shortlist (POST /v1/rounds/{id}/shortlist,
-- 岚山工匠 第五条（三） "确定20名提名人选"), less any nominee disqualified
-- since (state no longer `shortlisted`), in the list's order.
CREATE OR REPLACE FUNCTION vote_candidates(round uuid) RETURNS SETOF nominations
LANGUAGE sql STABLE AS $$
    SELECT n.* FROM shortlist_entries e JOIN nominations n ON n.id = e.nomination_id
     WHERE e.round_id = round AND n.state = 'shortlisted'
     ORDER BY e.position
$$;

-- The nominees the office named (a JSON array of ids, in its order) as the
-- public list, checked against vote_candidates: {"nominees": [...],
-- "unknown": [indexes into ids of those that are not candidates],
-- "candidates": how many candidates the round has}.
CREATE OR REPLACE FUNCTION vote_session_nominees(round uuid, ids jsonb) RETURNS jsonb
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

-- A nomination that is no longer a vote candidate (disqualified for fraud,
-- withdrawn) while its round's session lists it: the nominee is marked
-- `"withdrawn": true` in the session's list, and the session becomes
-- `pending` again so the push job (api/vote_push.c) carries the change to
-- jiangxin-vote, which then refuses new votes for it and keeps the earlier
-- ones. Nothing else of the session changes. Returns {"id", "before",
-- "after"} (the session representations, for the audit event), or NULL
-- when there was nothing to mark. `at` is the API's clock.
CREATE OR REPLACE FUNCTION vote_session_withdraw(nom uuid, at timestamptz) RETURNS jsonb
LANGUAGE sql VOLATILE AS $$
    WITH old AS (
        SELECT s.* FROM vote_sessions s JOIN nominations n ON n.round_id = s.round_id
         WHERE n.id = nom
           AND s.nominees @> jsonb_build_array(jsonb_build_object('id', nom::text))
           AND NOT s.nominees @> jsonb_build_array(
                   jsonb_build_object('id', nom::text, 'withdrawn', true))
           AND NOT EXISTS (SELECT 1 FROM vote_candidates(s.round_id) c WHERE c.id = nom)
           FOR UPDATE OF s
    ), upd AS (
        UPDATE vote_sessions v
           SET nominees = (SELECT jsonb_agg(CASE WHEN x.e ->> 'id' = nom::text
                                                 THEN x.e || '{"withdrawn": true}'::jsonb
                                                 ELSE x.e END ORDER BY x.ord)
                             FROM jsonb_array_elements(v.nominees) WITH ORDINALITY AS x(e, ord)),
               push_state = 'pending', pushed_at = NULL, push_error = NULL, next_push_at = at,
               version = v.version + 1, updated_at = now()
          FROM old WHERE v.id = old.id
        RETURNING v.*
    )
    SELECT jsonb_build_object('id', upd.id,
                              'before', api_vote_session(ROW(old.*)::vote_sessions, at),
                              'after', api_vote_session(ROW(upd.*)::vote_sessions, at))
      FROM upd JOIN old ON old.id = upd.id
$$;

-- A vote session's state as of `at` (the API's clock); the voting service
-- decides votes by its own clock.
CREATE OR REPLACE FUNCTION vote_session_state(s vote_sessions, at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN at < s.opens_at THEN 'scheduled'
                WHEN at < s.closes_at THEN 'open'
                ELSE 'closed' END
$$;

-- Whether the result agrees with the sealed log (db/migrations/0013): the
-- state, why, the API's own recount of the log (null before one), the last
-- final tally posted, how many finals were refused, and an admin's
-- resolution.
CREATE OR REPLACE FUNCTION api_vote_integrity(s vote_sessions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'state', s.integrity_state,
        'reason', s.integrity_reason,
        'checked_at', api_ts(s.integrity_checked_at),
        'log', CASE WHEN s.log_verified_sha256 IS NULL THEN 'null'::jsonb
                    ELSE jsonb_build_object('entries', s.log_verified_entries,
                                            'sha256', s.log_verified_sha256,
                                            'invalid_entries', s.log_invalid_entries,
                                            'counts', s.log_verified_counts) END,
        'last_final', s.last_final,
        'refused_finals', s.refused_finals,
        'resolved_by', s.integrity_resolved_by,
        'resolved_at', api_ts(s.integrity_resolved_at),
        'note', s.integrity_note)
$$;

CREATE OR REPLACE FUNCTION api_vote_session(s vote_sessions, at timestamptz) RETURNS jsonb
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
        'integrity', api_vote_integrity(s),
        'version', s.version,
        'created_at', api_ts(s.created_at),
        'updated_at', api_ts(s.updated_at))
$$;

-- The body of PUT /internal/v1/sessions/{id} on jiangxin-vote (vote.md §4):
-- the public fields only; the number is the list position there.
CREATE OR REPLACE FUNCTION api_vote_push(s vote_sessions) RETURNS jsonb
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
CREATE OR REPLACE FUNCTION api_vote_tally(s vote_sessions) RETURNS jsonb
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
-- share a rank and are listed by number), most votes first. A nominee
-- withdrawn during the vote keeps its votes and `withdrawn: true`, and is
-- ranked after every remaining nominee. `final` only when the frozen final
-- agrees with the sealed log (integrity `agreed`): a disputed or unverified
-- final is never shown as the result.
CREATE OR REPLACE FUNCTION api_vote_results(s vote_sessions, at timestamptz) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'session_id', s.id,
        'round_id', s.round_id,
        'title', s.title,
        'state', vote_session_state(s, at),
        'opens_at', api_ts(s.opens_at),
        'closes_at', api_ts(s.closes_at),
        'sequence', s.tally_sequence,
        'final', s.tally_final AND s.integrity_state = 'agreed',
        'integrity', s.integrity_state,
        'total_votes', coalesce(s.tally_total, 0),
        'log_entries', s.log_entries,
        'log_sha256', s.log_sha256,
        'as_of', api_ts(s.tally_as_of),
        'received_at', api_ts(s.tally_received_at),
        'nominees', coalesce((
            SELECT jsonb_agg(r.nominee || jsonb_build_object('votes', r.votes, 'rank', r.rank)
                             ORDER BY r.rank, (r.nominee ->> 'number')::int)
              FROM (SELECT e AS nominee, v.votes,
                           rank() OVER (ORDER BY coalesce((e ->> 'withdrawn')::boolean, false),
                                              v.votes DESC) AS rank
                      FROM jsonb_array_elements(s.nominees) e
                      CROSS JOIN LATERAL (SELECT coalesce((s.tally_counts ->> (e ->> 'id'))::bigint,
                                                          0) AS votes) v) r),
            '[]'::jsonb))
$$;
