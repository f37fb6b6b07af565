-- SPDX-License-Identifier: MIT
-- The shared helper and the representations of users and units. A
-- representation is the JSON a resource is returned as, defined once next
-- to the schema: the API returns these objects as they are, and audit
-- events store them as `before`/`after`, so what an auditor sees is what a
-- client saw. Timestamps are RFC 3339 in Asia/Shanghai (+08:00, no DST).
--
-- Every file in db/functions holds the current definition of its
-- functions and views as CREATE OR REPLACE; `jiangxin-api migrate`
-- re-applies a file when it changes (see api/store/migrate.h). Files run in
-- name order, so a file may use only what it or an earlier file defines.

-- STABLE, not IMMUTABLE: to_char is only STABLE, and declared for what it
-- is the planner inlines it, so a timestamp costs no function call.
CREATE OR REPLACE FUNCTION api_ts(t timestamptz) RETURNS text
LANGUAGE sql STABLE STRICT AS $$
    SELECT to_char(t AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')
$$;

CREATE OR REPLACE FUNCTION api_user(u users) RETURNS jsonb
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

CREATE OR REPLACE FUNCTION api_unit(u units) RETURNS jsonb
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
