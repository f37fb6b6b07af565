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
