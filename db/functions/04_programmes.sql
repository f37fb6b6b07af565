-- SPDX-License-Identifier: MIT
-- Programmes and their policy versions (db/migrations/0009): the guard that
-- keeps a version a round uses unchanged, which version is in force or
-- shown on a day (the day is a parameter: rules take "now" from the
-- service's clock), and the representations.

-- A version in use is immutable: SQLSTATE JX409 maps to 409 in api/store/db.c.
CREATE OR REPLACE FUNCTION policy_versions_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'policy versions are never deleted' USING ERRCODE = 'JX409';
    END IF;
    IF (NEW.policy, NEW.programme_id, NEW.number) IS DISTINCT FROM
       (OLD.policy, OLD.programme_id, OLD.number)
       AND EXISTS (SELECT 1 FROM rounds r WHERE r.policy_version_id = OLD.id) THEN
        RAISE EXCEPTION 'policy version % is used by a round and cannot change', OLD.number
            USING ERRCODE = 'JX409';
    END IF;
    RETURN NEW;
END
$$;

-- The version of `programme` in force on `day`: the highest-numbered one
-- whose period contains it (none: no row).
CREATE OR REPLACE FUNCTION policy_version_on(programme uuid, day date) RETURNS SETOF policy_versions
LANGUAGE sql STABLE AS $$
    SELECT v.* FROM policy_versions v
     WHERE v.programme_id = programme AND day BETWEEN v.in_force_from AND v.in_force_to
     ORDER BY v.number DESC LIMIT 1
$$;

-- The version a programme shows on `today`: the one in force, else the
-- highest-numbered one (expired or not yet in force).
CREATE OR REPLACE FUNCTION policy_version_shown(programme uuid, today date) RETURNS SETOF policy_versions
LANGUAGE sql STABLE AS $$
    SELECT v.* FROM policy_versions v
     WHERE v.programme_id = programme
     ORDER BY (today BETWEEN v.in_force_from AND v.in_force_to) DESC, v.number DESC LIMIT 1
$$;

-- A version's status and days left on `today` (days_left: calendar days
-- after today it stays in force; 0 on its last day; null unless in force).
CREATE OR REPLACE FUNCTION api_policy_version_head(v policy_versions, today date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'number', v.number,
        'document_no', v.policy ->> 'document_no',
        'authority', v.policy ->> 'authority',
        'in_force_from', to_char(v.in_force_from, 'YYYY-MM-DD'),
        'in_force_to', to_char(v.in_force_to, 'YYYY-MM-DD'),
        'status', CASE WHEN today < v.in_force_from THEN 'not_yet_in_force'
                       WHEN today > v.in_force_to THEN 'expired'
                       ELSE 'in_force' END,
        'days_left', CASE WHEN today BETWEEN v.in_force_from AND v.in_force_to
                          THEN v.in_force_to - today END)
$$;

CREATE OR REPLACE FUNCTION api_policy_version(v policy_versions, today date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT api_policy_version_head(v, today) || jsonb_build_object(
        'programme', (SELECT p.code FROM programmes p WHERE p.id = v.programme_id),
        'rounds', (SELECT count(*) FROM rounds r WHERE r.policy_version_id = v.id),
        'policy', v.policy,
        'created_by', v.created_by,
        'version', v.version,
        'created_at', api_ts(v.created_at),
        'updated_at', api_ts(v.updated_at))
$$;

-- `policy` is the rules of the version shown on `today` (see
-- policy_version_shown), `policy_version` its head, `policy_versions` how
-- many the programme has.
CREATE OR REPLACE FUNCTION api_programme(p programmes, today date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'code', p.code,
        'name', p.name,
        'name_en', p.name_en,
        'policy', v.policy,
        'policy_version', api_policy_version_head(v, today),
        'policy_versions', (SELECT count(*) FROM policy_versions c WHERE c.programme_id = p.id),
        'version', p.version,
        'created_at', api_ts(p.created_at),
        'updated_at', api_ts(p.updated_at))
      FROM policy_version_shown(p.id, today) v
$$;
