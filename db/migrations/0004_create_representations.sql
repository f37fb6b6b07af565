-- SPDX-License-Identifier: MIT
-- The JSON representation of each resource, defined once next to the
-- schema. The API returns these objects as they are, and audit events store
-- them as `before`/`after`, so what an auditor sees is what a client saw.
-- Timestamps are RFC 3339 in Asia/Shanghai (+08:00, no DST).

CREATE FUNCTION api_ts(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT to_char(t AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')
$$;

CREATE FUNCTION api_user(u users) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', u.id,
        'username', u.username,
        'role', u.role,
        'programmes', coalesce((SELECT jsonb_agg(p.code ORDER BY p.code)
                                  FROM user_programmes up
                                  JOIN programmes p ON p.id = up.programme_id
                                 WHERE up.user_id = u.id), '[]'::jsonb),
        'unit_id', u.unit_id,
        'disabled', u.disabled,
        'version', u.version,
        'created_at', api_ts(u.created_at),
        'updated_at', api_ts(u.updated_at))
$$;

CREATE FUNCTION api_unit(u units) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', u.id,
        'code', u.code,
        'name', u.name,
        'kind', u.kind,
        'version', u.version,
        'created_at', api_ts(u.created_at),
        'updated_at', api_ts(u.updated_at))
$$;

CREATE FUNCTION api_programme(p programmes) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'code', p.code,
        'name', p.name,
        'name_en', p.name_en,
        'policy', p.policy,
        'version', p.version,
        'created_at', api_ts(p.created_at),
        'updated_at', api_ts(p.updated_at))
$$;

CREATE FUNCTION api_calendar_day(d calendar_days) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'date', to_char(d.day, 'YYYY-MM-DD'),
        'is_workday', d.is_workday,
        'listed', true,
        'name', d.name,
        'source', d.source,
        'version', d.version)
$$;

CREATE FUNCTION api_audit_event(e audit_events) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'seq', e.seq,
        'at', api_ts(e.at),
        'actor_id', e.actor_id,
        'actor', e.actor,
        'role', e.role,
        'action', e.action,
        'entity_type', e.entity_type,
        'entity_id', e.entity_id,
        'request_id', e.request_id,
        'before', e.before,
        'after', e.after,
        'hash', encode(e.hash, 'hex'),
        'prev_hash', encode(e.prev_hash, 'hex'))
$$;
