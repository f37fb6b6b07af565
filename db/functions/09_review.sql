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
