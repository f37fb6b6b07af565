-- SPDX-License-Identifier: MIT
-- The representation of a round.

-- The round names the version it pinned.
CREATE OR REPLACE FUNCTION api_round(r rounds) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', r.id,
        'code', r.code,
        'programme', (SELECT p.code FROM programmes p WHERE p.id = r.programme_id),
        'year', r.year,
        'reference_date', to_char(r.reference_date, 'YYYY-MM-DD'),
        'window_opens', to_char(r.window_opens, 'YYYY-MM-DD'),
        'window_closes', to_char(r.window_closes, 'YYYY-MM-DD'),
        'phase', r.phase,
        'cycle_override_reason', r.cycle_override_reason,
        'policy_version', (SELECT jsonb_build_object(
                                      'number', v.number,
                                      'document_no', v.policy ->> 'document_no',
                                      'in_force_to', to_char(v.in_force_to, 'YYYY-MM-DD'))
                             FROM policy_versions v WHERE v.id = r.policy_version_id),
        'version', r.version,
        'created_at', api_ts(r.created_at),
        'updated_at', api_ts(r.updated_at))
$$;
