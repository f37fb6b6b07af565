-- SPDX-License-Identifier: MIT
-- Issue 12, the expert review and the shortlist: 岚山工匠 第五条（三）
-- "抽调业务骨干和部分专家组成评审组，对候选人进行综合评审，确定20名提名人选";
-- 环翠区首席技师 第十条（四） "对人选进行综合评审，并组织进行现场技能考查".
--
-- The rules live in C (api/model/review_draw.c: conflicts and the seeded
-- draw; api/model/review_rules.c: a review's total, the aggregates, the
-- combined score and the rank order). These tables keep what was decided
-- so that it can be reproduced and audited:
--   * review_draws: each draw with its seed, so the same seed over the same
--     pool and nominations reproduces it;
--   * review_assignments: who reviews which nomination; a recusal or a
--     removal ends an assignment with its reason and a replacement is a new
--     assignment pointing at the one it replaces;
--   * reviews: append-only revisions of an expert's scores; the current
--     review of an assignment is its highest revision. Written only while
--     the round is in phase `review` and the assignment is active: after
--     the phase closes the reviews are sealed (trigger below);
--   * shortlists / shortlist_entries: the frozen top N of the ranking. The
--     cap is declarative: an entry's position is 1..size of its shortlist
--     (a composite foreign key brings the size along) and unique per round,
--     so no round can hold more than `size` entries, whatever code writes.

CREATE TABLE review_draws (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    round_id                uuid NOT NULL REFERENCES rounds (id),
    -- the 64-bit seed as decimal text (0 .. 2^64-1), as the API shows it
    seed                    text NOT NULL CHECK (seed ~ '^[0-9]{1,20}$'),
    kind                    text NOT NULL CHECK (kind IN ('panel', 'replacement')),
    experts_per_nomination  integer NOT NULL CHECK (experts_per_nomination BETWEEN 1 AND 50),
    drawn_by                uuid REFERENCES users (id),
    -- the service clock (the test clock in test stacks)
    drawn_at                timestamptz NOT NULL
);

CREATE INDEX review_draws_round ON review_draws (round_id);

CREATE TABLE review_assignments (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    round_id       uuid NOT NULL REFERENCES rounds (id),
    nomination_id  uuid NOT NULL REFERENCES nominations (id),
    expert_id      uuid NOT NULL REFERENCES expert_profiles (user_id),
    draw_id        uuid NOT NULL REFERENCES review_draws (id),
    field_match    boolean NOT NULL,
    state          text NOT NULL DEFAULT 'active'
                       CHECK (state IN ('active', 'recused', 'removed')),
    replaces       uuid REFERENCES review_assignments (id),
    ended_reason   text CHECK (length(ended_reason) BETWEEN 1 AND 500),
    ended_by       uuid REFERENCES users (id),
    ended_at       timestamptz,
    created_at     timestamptz NOT NULL,
    -- an expert is drawn for a nomination at most once, ever: one who
    -- recused or was removed is never drawn for it again
    CONSTRAINT review_assignments_once UNIQUE (nomination_id, expert_id),
    CONSTRAINT review_assignments_ended CHECK (
        (state = 'active') = (ended_at IS NULL) AND
        (state = 'active') = (ended_reason IS NULL))
);

CREATE INDEX review_assignments_round ON review_assignments (round_id, state);
CREATE INDEX review_assignments_expert ON review_assignments (expert_id, state);

CREATE TABLE reviews (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    assignment_id  uuid NOT NULL REFERENCES review_assignments (id),
    revision       integer NOT NULL CHECK (revision > 0),
    -- criterion code → a score (scored criteria) or true/false (gates),
    -- as checked against the round's pinned rubric (review_scores_parse)
    scores         jsonb NOT NULL CHECK (jsonb_typeof(scores) = 'object'),
    -- the weighted total in hundredths of a point (review_total)
    total          integer NOT NULL CHECK (total BETWEEN 0 AND 10000),
    gate_pass      boolean NOT NULL,
    comment        text CHECK (length(comment) BETWEEN 1 AND 2000),
    -- the service clock's time of this revision
    reviewed_at    timestamptz NOT NULL,
    UNIQUE (assignment_id, revision)
);

-- Reviews are written in phase `review` by an active assignment only;
-- once the phase closes nothing can add to them (sealed). db/functions/09_review.sql
-- keeps the function current.
CREATE FUNCTION reviews_sealed() RETURNS trigger
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

CREATE TRIGGER reviews_sealed BEFORE INSERT ON reviews
    FOR EACH ROW EXECUTE FUNCTION reviews_sealed();

CREATE TABLE shortlists (
    round_id    uuid PRIMARY KEY REFERENCES rounds (id),
    size        integer NOT NULL CHECK (size BETWEEN 1 AND 1000),
    -- the ranking as it stood when the office froze the list
    ranking     jsonb NOT NULL CHECK (jsonb_typeof(ranking) = 'array'),
    frozen_by   uuid REFERENCES users (id),
    frozen_at   timestamptz NOT NULL,
    UNIQUE (round_id, size)
);

CREATE TABLE shortlist_entries (
    round_id         uuid NOT NULL,
    size             integer NOT NULL,
    position         integer NOT NULL CHECK (position BETWEEN 1 AND size),
    nomination_id    uuid NOT NULL UNIQUE REFERENCES nominations (id),
    -- the nomination's place in the computed ranking
    rank             integer NOT NULL CHECK (rank > 0),
    -- a place that departs from the ranking (a different order, a lower
    -- ranked nomination in, a gate failure in) says why
    override_reason  text CHECK (length(override_reason) BETWEEN 1 AND 500),
    PRIMARY KEY (round_id, position),
    FOREIGN KEY (round_id, size) REFERENCES shortlists (round_id, size)
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON reviews, review_draws, shortlists, shortlist_entries
            FROM jiangxin_app;
    END IF;
END
$$;
