-- SPDX-License-Identifier: MIT
-- The integrity of a vote's result (issue 11, "a forged final tally"): a
-- final tally is frozen only when it agrees with the session's sealed log
-- as the API itself recounts it from jiangxin-vote's published log. These
-- columns keep that recount, the state of the agreement, the last final
-- that was posted (accepted, refused or waiting for the log) and an
-- admin's resolution. api/ops/vote_sessions.c decides; SPEC §5 states the
-- rules.
--
-- integrity_state: `pending` (no verified final yet), `agreed` (the frozen
-- final is the log's), `disputed` (a final disagreed with the log, or the
-- stored final no longer does). Public results show `final: true` only
-- when `agreed`. Finals frozen before this migration start `pending`: an
-- admin re-verifies them (POST /v1/vote-sessions/{id}/verification).
--
-- tally_epoch: when the session was recorded, on the API's service clock;
-- the sequence bound counts from it.

ALTER TABLE vote_sessions
    ADD COLUMN tally_epoch          timestamptz,
    ADD COLUMN integrity_state      text NOT NULL DEFAULT 'pending'
                                        CHECK (integrity_state IN ('pending', 'agreed', 'disputed')),
    ADD COLUMN integrity_reason     text CHECK (length(integrity_reason) BETWEEN 1 AND 64),
    ADD COLUMN integrity_checked_at timestamptz,
    ADD COLUMN log_verified_entries bigint CHECK (log_verified_entries >= 0),
    ADD COLUMN log_verified_sha256  text CHECK (log_verified_sha256 ~ '^[0-9a-f]{64}$'),
    ADD COLUMN log_verified_counts  jsonb CHECK (jsonb_typeof(log_verified_counts) = 'object'),
    ADD COLUMN log_invalid_entries  bigint CHECK (log_invalid_entries >= 0),
    ADD COLUMN last_final           jsonb CHECK (jsonb_typeof(last_final) = 'object'),
    ADD COLUMN refused_finals       integer NOT NULL DEFAULT 0 CHECK (refused_finals >= 0),
    ADD COLUMN integrity_resolved_by uuid REFERENCES users (id),
    ADD COLUMN integrity_resolved_at timestamptz,
    ADD COLUMN integrity_note       text CHECK (length(integrity_note) BETWEEN 1 AND 500),
    ADD CONSTRAINT vote_sessions_log_verified CHECK (
        (log_verified_sha256 IS NULL) = (log_verified_entries IS NULL) AND
        (log_verified_sha256 IS NULL) = (log_verified_counts IS NULL) AND
        (log_verified_sha256 IS NULL) = (log_invalid_entries IS NULL));

UPDATE vote_sessions SET tally_epoch = created_at;
-- No default: the API sets it from its service clock on insert.
ALTER TABLE vote_sessions ALTER COLUMN tally_epoch SET NOT NULL;
