-- SPDX-License-Identifier: MIT
-- The expert review and the shortlist (db/migrations/0020, issue 12).

-- Reviews are written in phase `review` by an active assignment only; once
-- the phase closes nothing can add to them (sealed). The trigger is created
-- by migration 0020; this keeps its function current.
CREATE OR REPLACE FUNCTION reviews_sealed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM review_assignments a JOIN rounds r ON r.id = a.round_id
                    WHERE a.id = NEW.assignment_id AND a.state = 'active'
                      AND r.phase = 'review') THEN
        RAISE EXCEPTION 'reviews are sealed: the assignment is not active or the round is not in review'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'reviews_sealed';
    END IF;
    RETURN NEW;
END
$$;

-- ---------------------------------------------------------------------
-- The review draw and assignments (POST /v1/rounds/{id}/review-assignments,
-- recusal and removal; api/ops/review_assignments.c). The draw itself is
-- api/model/review_draw.c; these only read its inputs and show its rows.

-- A draw as the API shows it: the seed as decimal text, so the same seed
-- reproduces it (a dry run with it gives the same pairs).
CREATE OR REPLACE FUNCTION api_review_draw(d review_draws) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', d.id,
        'round_id', d.round_id,
        'seed', d.seed,
        'kind', d.kind,
        'experts_per_nomination', d.experts_per_nomination,
        'drawn_by', d.drawn_by,
        'drawn_at', api_ts(d.drawn_at))
$$;

-- An assignment for the office and leaders: the nomination and the expert
-- by id and name, and how it ended.
CREATE OR REPLACE FUNCTION api_review_assignment(a review_assignments) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', a.id,
        'round_id', a.round_id,
        'nomination_id', a.nomination_id,
        'nomination_name', (SELECT n.name FROM nominations n WHERE n.id = a.nomination_id),
        'expert_id', a.expert_id,
        'expert_name', (SELECT e.name FROM expert_profiles e WHERE e.user_id = a.expert_id),
        'draw_id', a.draw_id,
        'state', a.state,
        'field_match', a.field_match,
        'replaces', a.replaces,
        'ended_reason', a.ended_reason,
        'ended_at', api_ts(a.ended_at),
        'created_at', api_ts(a.created_at))
$$;

-- An expert's own assignment: the nomination's public fields only, never
-- anything about the other experts on it.
CREATE OR REPLACE FUNCTION api_my_assignment(a review_assignments) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', a.id,
        'round_id', a.round_id,
        'round_code', r.code,
        'state', a.state,
        'created_at', api_ts(a.created_at),
        'nomination', jsonb_build_object(
            'id', n.id,
            'name', n.name,
            'unit_name', u.name,
            'occupation', n.occupation))
      FROM nominations n JOIN units u ON u.id = n.unit_id JOIN rounds r ON r.id = a.round_id
     WHERE n.id = a.nomination_id
$$;

-- What the draw needs, as one JSON object:
--   policy       the round's pinned policy (review_experts is read in C);
--   pool         expert_pool() of the round's programme, with each expert's
--                name and load (active assignments in this round);
--   nominations  the round's `qualified` nominations (nomination NULL) or
--                just that one, with the conflict facts, the experts who
--                recused or were removed (excluded) and the active ones
--                (current), in id order.
CREATE OR REPLACE FUNCTION review_draw_inputs(round uuid, nomination uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'policy', (SELECT v.policy FROM rounds r JOIN policy_versions v ON v.id = r.policy_version_id
                    WHERE r.id = round),
        'pool', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'id', p.expert_id,
                    'name', (SELECT e.name FROM expert_profiles e WHERE e.user_id = p.expert_id),
                    'fields', to_jsonb(p.fields),
                    'employer_code', coalesce(p.employer_code, ''),
                    'unit_id', coalesce(p.employer_unit_id::text, ''),
                    'relations', to_jsonb(p.relation_hashes),
                    'load', (SELECT count(*) FROM review_assignments a
                              WHERE a.round_id = round AND a.expert_id = p.expert_id
                                AND a.state = 'active')) ORDER BY p.expert_id)
                  FROM rounds r, expert_pool(r.programme_id) p WHERE r.id = round), '[]'::jsonb),
        'nominations', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'id', n.id,
                    'name', n.name,
                    'employer_code', coalesce(n.employer_code, ''),
                    'unit_id', n.unit_id,
                    'unit_code', u.code,
                    'hash', n.id_number_hash,
                    'field', coalesce(n.occupation, ''),
                    'excluded', coalesce((SELECT jsonb_agg(a.expert_id ORDER BY a.expert_id)
                                            FROM review_assignments a
                                           WHERE a.nomination_id = n.id AND a.state <> 'active'),
                                         '[]'::jsonb),
                    'current', coalesce((SELECT jsonb_agg(a.expert_id ORDER BY a.expert_id)
                                           FROM review_assignments a
                                          WHERE a.nomination_id = n.id AND a.state = 'active'),
                                        '[]'::jsonb)) ORDER BY n.id)
                  FROM nominations n JOIN units u ON u.id = n.unit_id
                 WHERE n.round_id = round
                   AND (CASE WHEN nomination IS NULL THEN n.state = 'qualified'
                             ELSE n.id = nomination END)), '[]'::jsonb))
$$;

-- ---- s12-scoring: the expert's workspace (dossier) and the reviews ----

-- One revision of a review: the scores as the expert sent them (checked
-- against the pinned rubric), the total in points (two decimals), the
-- gate verdict and when it was made (the service clock).
CREATE OR REPLACE FUNCTION api_review(r reviews) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'revision', r.revision,
        'scores', r.scores,
        'total', round(r.total / 100.0, 2),
        'gate_pass', r.gate_pass,
        'comment', r.comment,
        'reviewed_at', api_ts(r.reviewed_at))
$$;

-- An assignment's review: the current (highest) revision and every
-- revision, oldest first. `current` is null before the first one.
CREATE OR REPLACE FUNCTION api_assignment_review(a review_assignments) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'assignment_id', a.id,
        'nomination_id', a.nomination_id,
        'assignment_state', a.state,
        'current', (SELECT api_review(r) FROM reviews r WHERE r.assignment_id = a.id
                     ORDER BY r.revision DESC LIMIT 1),
        'revisions', coalesce((SELECT jsonb_agg(api_review(r) ORDER BY r.revision)
                                 FROM reviews r WHERE r.assignment_id = a.id), '[]'::jsonb))
$$;

-- The dossier an assigned expert reviews: the candidate's public fields
-- (the ID number masked, never the phone), the employer, the record
-- (deeds, honours, patents, competitions, apprentices), the evidence
-- files (metadata only) and the rubric the round's policy version pinned.
-- Nothing about the other experts of the nomination nor their reviews.
CREATE OR REPLACE FUNCTION api_review_dossier(a review_assignments) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'assignment', jsonb_build_object(
            'id', a.id, 'round_id', a.round_id, 'nomination_id', a.nomination_id,
            'state', a.state, 'field_match', a.field_match,
            'created_at', api_ts(a.created_at)),
        'round', jsonb_build_object(
            'id', r.id, 'programme', p.code, 'phase', r.phase,
            'policy_version', v.number),
        'candidate', jsonb_build_object(
            'name', n.name,
            'id_number', n.id_number_masked,
            'gender', n.gender,
            'birth_month', to_char(n.birth_date, 'YYYY-MM'),
            'age', n.age,
            'channel', n.channel,
            'unit_name', (SELECT u.name FROM units u WHERE u.id = n.unit_id),
            'occupation', n.occupation,
            'skill_level', n.skill_level,
            'skill_certificate_no', n.skill_certificate_no,
            'front_line', n.front_line,
            'post', n.post,
            'innovation_studio_lead', n.innovation_studio_lead,
            'employer', CASE WHEN n.employer_name IS NOT NULL THEN jsonb_build_object(
                            'name', n.employer_name, 'code', n.employer_code,
                            'kind', n.employer_kind) END,
            'deeds', n.deeds,
            'honours', n.honours,
            'patents', n.patents,
            'competitions', n.competitions,
            'competition_result', n.competition_result,
            'apprentices', n.apprentices),
        'attachments', coalesce((SELECT jsonb_agg(api_attachment(f) - 'nomination_id'
                                                  ORDER BY f.created_at, f.id)
                                   FROM attachments f WHERE f.nomination_id = n.id), '[]'::jsonb),
        'rubric', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                'criterion', c ->> 'criterion',
                                'label', c -> 'label',
                                'label_en', c -> 'label_en',
                                'weight', (c ->> 'weight')::int,
                                'gate', coalesce((c ->> 'gate')::boolean, false),
                                'max_score', CASE WHEN coalesce((c ->> 'gate')::boolean, false)
                                                  THEN NULL
                                                  ELSE coalesce((c ->> 'max_score')::int, 100) END)
                                ORDER BY i)
                              FROM jsonb_array_elements(v.policy -> 'rubric')
                                   WITH ORDINALITY AS k (c, i)), '[]'::jsonb))
      FROM nominations n, rounds r, programmes p, policy_versions v
     WHERE n.id = a.nomination_id AND r.id = a.round_id AND p.id = r.programme_id
       AND v.id = r.policy_version_id
$$;

-- ---------------------------------------------------------------- s12-ranking
-- The ranking's inputs (README "Review and ranking rules"): one row per
-- nomination in review (in_review; after the freeze shortlisted and
-- not_shortlisted) with the totals and gate verdicts of the latest revision
-- of each ACTIVE assignment's review, the latest skill-test revision in
-- hundredths, and its shortlist entry if any. The C model
-- (api/model/review_rules.c) aggregates and ranks. This is the one
-- statement GET /v1/rounds/{id}/ranking runs (api/store/ranking_store.c);
-- tests/bench/ranking.sh runs the same statement in pgbench.
CREATE OR REPLACE FUNCTION ranking_inputs(p_round uuid)
RETURNS TABLE (r_nomination_id uuid, r_name text, r_state nomination_state,
               r_submitted_us bigint, r_totals integer[], r_gates boolean[],
               r_skill integer, r_position integer, r_override_reason text)
LANGUAGE sql STABLE AS $$
SELECT n.id, n.name, n.state,
       coalesce((extract(epoch FROM n.submitted_at) * 1000000)::bigint, 0),
       coalesce(rv.totals, '{}'), coalesce(rv.gates, '{}'),
       st.skill, se.position, se.override_reason
  FROM nominations n
  LEFT JOIN LATERAL (
        SELECT array_agg(c.total ORDER BY c.assignment_id) AS totals,
               array_agg(c.gate_pass ORDER BY c.assignment_id) AS gates
          FROM (SELECT DISTINCT ON (v.assignment_id) v.assignment_id, v.total, v.gate_pass
                  FROM review_assignments a JOIN reviews v ON v.assignment_id = a.id
                 WHERE a.nomination_id = n.id AND a.state = 'active'
                 ORDER BY v.assignment_id, v.revision DESC) c) rv ON true
  LEFT JOIN LATERAL (
        SELECT round(s.score * 100)::integer AS skill FROM skill_tests s
         WHERE s.nomination_id = n.id ORDER BY s.revision DESC LIMIT 1) st ON true
  LEFT JOIN shortlist_entries se ON se.nomination_id = n.id
 WHERE n.round_id = p_round
   AND n.state IN ('in_review', 'shortlisted', 'not_shortlisted')
$$;
