-- SPDX-License-Identifier: MIT
-- After the shortlist: the decision, 考察, the final notice, 审定, the
-- approval and the recognition (db/migrations/0021, issue 13). Which step
-- may come next is api/model/decision_rules.c's; these write what a step
-- records, in the caller's transaction, and render it.

-- A hard cap (岚山 第二条) holds whatever code writes: entry positions run
-- 1..n, so a position above awards_per_round is one too many.
CREATE OR REPLACE FUNCTION decision_entries_cap() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    pol jsonb;
BEGIN
    SELECT v.policy INTO pol
      FROM decisions d JOIN rounds r ON r.id = d.round_id
      JOIN policy_versions v ON v.id = r.policy_version_id
     WHERE d.id = NEW.decision_id;
    IF pol ->> 'awards_cap' = 'hard' AND NEW.position > (pol ->> 'awards_per_round')::int THEN
        RAISE EXCEPTION 'a decision selects at most % (hard cap)', pol ->> 'awards_per_round'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'decision_entries_cap';
    END IF;
    RETURN NEW;
END
$$;

-- Moves nominations `ids` of round `round` from `from_state` to `to_state`,
-- recording each transition as the actor's. Returns how many moved.
CREATE OR REPLACE FUNCTION nominations_move(round uuid, ids uuid[], from_state nomination_state,
                                            to_state nomination_state, actor_id uuid,
                                            actor text, actor_role user_role, note text,
                                            at timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    moved integer;
BEGIN
    WITH m AS (
        UPDATE nominations n SET state = to_state, version = n.version + 1, updated_at = at
         WHERE n.round_id = round AND n.id = ANY (ids) AND n.state = from_state
        RETURNING n.id)
    INSERT INTO nomination_transitions (nomination_id, from_state, to_state, actor_id, actor,
                                        role, note, at)
    SELECT m.id, from_state, to_state, actor_id, actor, actor_role, note, at FROM m;
    GET DIAGNOSTICS moved = ROW_COUNT;
    RETURN moved;
END
$$;

-- What the round has done of its steps (api/model/decision_rules.h,
-- struct step_facts).
CREATE OR REPLACE FUNCTION round_step_facts(round uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'programme_name', (SELECT p.name FROM rounds r JOIN programmes p ON p.id = r.programme_id
                            WHERE r.id = round),
        'decided', EXISTS (SELECT 1 FROM decisions d WHERE d.round_id = round
                                                       AND d.step = 'decision'),
        -- 考察 is complete when some candidate was inspected and no
        -- candidate still on the shortlist lacks findings.
        'inspections', (SELECT count(*) FROM inspections i WHERE i.round_id = round),
        'uninspected', (SELECT count(*) FROM nominations n
                         WHERE n.round_id = round AND n.state = 'shortlisted'
                           AND NOT EXISTS (SELECT 1 FROM inspections i
                                            WHERE i.nomination_id = n.id)),
        'published', EXISTS (SELECT 1 FROM notices t WHERE t.round_id = round),
        'notice_ends_on', (SELECT t.ends_on FROM notices t WHERE t.round_id = round),
        'open_objections', (SELECT count(*) FROM objections o JOIN notices t ON t.id = o.notice_id
                             WHERE t.round_id = round
                               AND o.state IN ('received', 'investigating')),
        'ratified', EXISTS (SELECT 1 FROM decisions d WHERE d.round_id = round
                                                        AND d.step = 'ratification'),
        'approved', EXISTS (SELECT 1 FROM round_approvals a WHERE a.round_id = round),
        'recognized', EXISTS (SELECT 1 FROM recognitions r WHERE r.round_id = round))
$$;

-- The public vote's result for one nomination of the round: votes, share
-- of all votes (percent, 4 places) and rank; null without a closed vote.
CREATE OR REPLACE FUNCTION decision_vote_of(round uuid, nom uuid, at timestamptz) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT (SELECT jsonb_build_object(
                'votes', (e ->> 'votes')::bigint,
                'share', CASE WHEN (res ->> 'total_votes')::bigint > 0
                              THEN round((e ->> 'votes')::numeric * 100
                                         / (res ->> 'total_votes')::numeric, 4)
                              ELSE 0 END,
                'rank', (e ->> 'rank')::int,
                'final', (res ->> 'final')::boolean)
              FROM jsonb_array_elements(res -> 'nominees') e
             WHERE e ->> 'id' = nom::text)
      FROM (SELECT api_vote_results(s, at) AS res FROM vote_sessions s
             WHERE s.round_id = round AND at >= s.closes_at) v
$$;

CREATE OR REPLACE FUNCTION api_decision(d decisions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', d.id,
        'round_id', d.round_id,
        'step', d.step,
        'meeting_date', d.meeting_date,
        'meeting_reference', d.meeting_reference,
        'members_present', d.members_present,
        'reason', d.reason,
        'decided_by', (SELECT u.username FROM users u WHERE u.id = d.decided_by),
        'decided_at', api_ts(d.decided_at),
        'selections', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                       'position', e.position, 'nomination_id', e.nomination_id,
                       'name', n.name, 'state', n.state,
                       'vote', CASE WHEN e.votes IS NULL THEN NULL
                                    ELSE jsonb_build_object('votes', e.votes,
                                                            'share', e.vote_share,
                                                            'rank', e.vote_rank) END)
                   ORDER BY e.position)
              FROM decision_entries e JOIN nominations n ON n.id = e.nomination_id
             WHERE e.decision_id = d.id), '[]'::jsonb))
$$;

-- Records the group's decision (step `decision`: shortlisted → selected,
-- the rest not_selected) or its 审定 (step `ratification`: the noticed
-- list stays; a nomination left out leaves final_notice for not_selected).
-- `ids` in the group's order; the vote beside each as it stood at `at`.
CREATE OR REPLACE FUNCTION decision_record(round uuid, step text, meeting_date date,
                                           meeting_reference text, members jsonb, reason text,
                                           ids uuid[], actor_id uuid, actor text,
                                           actor_role user_role, at timestamptz) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    d decisions;
    from_state nomination_state := CASE step WHEN 'decision' THEN 'shortlisted'
                                             ELSE 'final_notice' END;
BEGIN
    INSERT INTO decisions (round_id, step, meeting_date, meeting_reference, members_present,
                           reason, decided_by, decided_at)
    VALUES (round, step, meeting_date, meeting_reference, members, reason, actor_id, at)
    RETURNING * INTO d;
    INSERT INTO decision_entries (decision_id, position, nomination_id, votes, vote_share,
                                  vote_rank)
    SELECT d.id, x.pos, x.id, (v ->> 'votes')::bigint, (v ->> 'share')::numeric,
           (v ->> 'rank')::int
      FROM unnest(ids) WITH ORDINALITY AS x (id, pos)
      LEFT JOIN LATERAL (SELECT decision_vote_of(round, x.id, at) AS v) q ON true;
    IF step = 'decision' THEN
        PERFORM nominations_move(round, ids, 'shortlisted', 'selected', actor_id, actor,
                                 actor_role, NULL, at);
    END IF;
    PERFORM nominations_move(round,
                             ARRAY(SELECT n.id FROM nominations n
                                    WHERE n.round_id = round AND n.state = from_state
                                      AND n.id <> ALL (ids)),
                             from_state, 'not_selected', actor_id, actor, actor_role,
                             CASE step WHEN 'decision' THEN '领导小组研究决定未选定'
                                       ELSE '领导小组审定未通过' END, at);
    RETURN api_decision(d);
END
$$;

CREATE OR REPLACE FUNCTION api_inspection(i inspections) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'nomination_id', i.nomination_id,
        'revision', i.revision,
        'passed', i.passed,
        'findings', i.findings,
        'inspected_on', i.inspected_on,
        'recorded_by', (SELECT u.username FROM users u WHERE u.id = i.recorded_by),
        'recorded_at', api_ts(i.recorded_at))
$$;

-- The latest 考察 findings of a nomination, or null.
CREATE OR REPLACE FUNCTION inspection_of(nom uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT api_inspection(i) FROM inspections i
     WHERE i.nomination_id = nom ORDER BY i.revision DESC LIMIT 1
$$;

-- What the public sees of a nominee on a notice: name, employer,
-- occupation and the first 150 characters of the deeds (事迹摘要).
CREATE OR REPLACE FUNCTION notice_entry(n nominations) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'nomination_id', n.id,
        'name', n.name,
        'employer', coalesce(n.employer_name, (SELECT u.name FROM units u WHERE u.id = n.unit_id)),
        'occupation', n.occupation,
        'deeds_summary', CASE WHEN length(n.deeds) > 150 THEN left(n.deeds, 150) || '…'
                              ELSE n.deeds END)
$$;

-- The notice as the public reads it; `state` against `today`: `open`
-- through its last day, then `ended`. The list never carries the
-- nomination ids' private data, only the public fields.
CREATE OR REPLACE FUNCTION api_notice(t notices, today date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', t.id,
        'kind', 'final',
        'round_id', t.round_id,
        'programme', (SELECT p.code FROM rounds r JOIN programmes p ON p.id = r.programme_id
                       WHERE r.id = t.round_id),
        'title', t.title,
        'body', t.body,
        'contact', t.contact,
        'issuer', t.issuer,
        'published_on', t.published_on,
        'ends_on', t.ends_on,
        'workdays', t.workdays,
        'state', CASE WHEN today <= t.ends_on THEN 'open' ELSE 'ended' END,
        'entries', (SELECT jsonb_agg(e - 'nomination_id' || jsonb_build_object(
                                         'number', i::int,
                                         'withdrawn', n.state = 'objection_upheld')
                                     ORDER BY i)
                      FROM jsonb_array_elements(t.entries) WITH ORDINALITY AS x (e, i)
                      JOIN nominations n ON n.id = (e ->> 'nomination_id')::uuid),
        'published_at', api_ts(t.published_at))
$$;

-- Publishes the round's final notice: the listed nominations (`ids`, in
-- order) move to final_notice from `from_state` (selected after a
-- decision; shortlisted after 考察, whose failed candidates move to
-- not_selected), and the round to phase notice.
CREATE OR REPLACE FUNCTION notice_publish(round uuid, ids uuid[], from_state nomination_state,
                                          title text, body text, contact text, issuer text,
                                          published_on date, ends_on date, workdays integer,
                                          actor_id uuid, actor text, actor_role user_role,
                                          at timestamptz) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    t notices;
BEGIN
    INSERT INTO notices (round_id, title, body, contact, issuer, published_on, ends_on, workdays,
                         entries, published_by, published_at)
    VALUES (round, title, body, contact, issuer, published_on, ends_on, workdays,
            (SELECT jsonb_agg(notice_entry(n) ORDER BY x.pos)
               FROM unnest(ids) WITH ORDINALITY AS x (id, pos)
               JOIN nominations n ON n.id = x.id),
            actor_id, at)
    RETURNING * INTO t;
    PERFORM nominations_move(round, ids, from_state, 'final_notice', actor_id, actor, actor_role,
                             NULL, at);
    IF from_state = 'shortlisted' THEN
        PERFORM nominations_move(round,
                                 ARRAY(SELECT n.id FROM nominations n
                                        WHERE n.round_id = round AND n.state = 'shortlisted'),
                                 'shortlisted', 'not_selected', actor_id, actor, actor_role,
                                 '考察未通过', at);
    END IF;
    UPDATE rounds r SET phase = 'notice', version = r.version + 1, updated_at = at
     WHERE r.id = round;
    RETURN api_notice(t, published_on);
END
$$;

-- 8 characters of a 32-letter alphabet without 0, 1, I and O, from the
-- server's strong random source (gen_random_uuid: 122 random bits).
CREATE OR REPLACE FUNCTION certificate_code() RETURNS text
LANGUAGE sql VOLATILE AS $$
    SELECT string_agg(substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ',
                             get_byte(b, i) % 32 + 1, 1), '' ORDER BY i)
      FROM (SELECT uuid_send(gen_random_uuid()) AS b) u,
           unnest(ARRAY[0, 1, 2, 3, 4, 5, 10, 11]) AS i
$$;

-- The nominations the round will recognise: every final_notice one, in
-- the notice's order.
CREATE OR REPLACE FUNCTION recognition_candidates(round uuid) RETURNS uuid[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(n.id ORDER BY x.i), '{}')
      FROM notices t, jsonb_array_elements(t.entries) WITH ORDINALITY AS x (e, i)
      JOIN nominations n ON n.id = (x.e ->> 'nomination_id')::uuid
     WHERE t.round_id = round AND n.state = 'final_notice'
$$;

-- Takes `n` numbers of the sequence of `prefix` for `year` and returns
-- the first. The sequence row stays locked until the caller commits or
-- rolls back, so numbers are gapless and two issues queue.
CREATE OR REPLACE FUNCTION certificate_sequence_take(prefix text, year integer, n integer)
RETURNS integer
LANGUAGE sql VOLATILE AS $$
    INSERT INTO certificate_sequences AS s (prefix, year, last_seq)
    VALUES (prefix, year, n)
    ON CONFLICT (prefix, year) DO UPDATE SET last_seq = s.last_seq + n
    RETURNING s.last_seq - n + 1
$$;

-- Issues the titles: nominations `ids` become recognized, each with a
-- recognition under certificate numbers[i] (formatted by the caller,
-- api/model/decision_rules.c) and sequence first_seq + i; the round
-- concludes. Returns the recognitions.
CREATE OR REPLACE FUNCTION recognitions_issue(round uuid, ids uuid[], numbers text[],
                                              first_seq integer, year integer, title text,
                                              recognized_on date, actor_id uuid, actor text,
                                              actor_role user_role, at timestamptz) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO recognitions (nomination_id, round_id, programme_id, id_number_hash, title,
                              holder_name, employer, occupation, certificate_number,
                              certificate_year, certificate_seq, verification_code,
                              recognized_on, issued_by, issued_at)
    SELECT n.id, round, r.programme_id, n.id_number_hash, title, n.name,
           coalesce(n.employer_name, (SELECT u.name FROM units u WHERE u.id = n.unit_id)),
           n.occupation, numbers[x.pos::int], recognitions_issue.year,
           first_seq + x.pos::int - 1, certificate_code(),
           recognized_on, actor_id, at
      FROM unnest(ids) WITH ORDINALITY AS x (id, pos)
      JOIN nominations n ON n.id = x.id
      JOIN rounds r ON r.id = n.round_id;
    PERFORM nominations_move(round, ids, 'final_notice', 'recognized', actor_id, actor,
                             actor_role, NULL, at);
    UPDATE rounds r SET phase = 'concluded', version = r.version + 1, updated_at = at
     WHERE r.id = round;
    RETURN (SELECT jsonb_agg(api_recognition(r) ORDER BY r.certificate_seq)
              FROM recognitions r WHERE r.round_id = round);
END
$$;
