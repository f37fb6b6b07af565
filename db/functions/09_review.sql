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
