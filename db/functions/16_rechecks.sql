-- SPDX-License-Identifier: MIT
-- Issue 14: 环翠 year-2 re-check (db/migrations/0025).

CREATE OR REPLACE FUNCTION api_recheck(x rechecks) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', x.id,
        'recognition_id', x.recognition_id,
        'achievements', x.achievements,
        'awards', x.awards,
        'agreements', x.agreements,
        'apprentices', x.apprentices,
        'statements', x.statements,
        'checklist', x.checklist,
        'suggested', x.suggested,
        'filed_by', x.filed_by_name,
        'filed_at', api_ts(x.filed_at),
        'result', x.result,
        'reason', x.reason,
        'decided_on', x.decided_on,
        'decided_by', x.decided_by_name,
        'decided_at', api_ts(x.decided_at),
        'version', x.version)
$$;
