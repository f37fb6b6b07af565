-- SPDX-License-Identifier: MIT
-- The representation of a nomination's on-site skill test (环翠 第十条（四）):
-- the current score (the latest revision) and every revision, newest first.
-- `version` counts the revisions (the ETag; 0 before the first score).

-- A score sheet's description (the bytes are read through the API only).
CREATE OR REPLACE FUNCTION api_skill_test_sheet(s skill_test_sheets) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', s.id,
        'nomination_id', s.nomination_id,
        'filename', s.filename,
        'media_type', s.media_type,
        'size_bytes', s.size_bytes,
        'sha256', s.sha256,
        'created_at', api_ts(s.created_at))
$$;

CREATE OR REPLACE FUNCTION api_skill_test_revision(s skill_tests) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'revision', s.revision,
        'score', s.score,
        'examiners', s.examiners,
        'tested_on', to_char(s.tested_on, 'YYYY-MM-DD'),
        'note', s.note,
        'reason', s.reason,
        'score_sheet', (SELECT api_skill_test_sheet(h) FROM skill_test_sheets h
                         WHERE h.id = s.score_sheet_id),
        'recorded_by', (SELECT u.username FROM users u WHERE u.id = s.recorded_by),
        'recorded_at', api_ts(s.recorded_at))
$$;

CREATE OR REPLACE FUNCTION api_skill_test(nomination uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'nomination_id', nomination,
        'current', (SELECT api_skill_test_revision(s) FROM skill_tests s
                     WHERE s.nomination_id = nomination ORDER BY s.revision DESC LIMIT 1),
        'history', coalesce((SELECT jsonb_agg(api_skill_test_revision(s) ORDER BY s.revision DESC)
                               FROM skill_tests s WHERE s.nomination_id = nomination),
                            '[]'::jsonb),
        'version', (SELECT count(*) FROM skill_tests s WHERE s.nomination_id = nomination))
$$;
