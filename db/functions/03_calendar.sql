-- SPDX-License-Identifier: MIT
-- The working-day calendar's representation of a listed day.

CREATE OR REPLACE FUNCTION api_calendar_day(d calendar_days) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'date', to_char(d.day, 'YYYY-MM-DD'),
        'is_workday', d.is_workday,
        'listed', true,
        'name', d.name,
        'source', d.source,
        'version', d.version)
$$;
