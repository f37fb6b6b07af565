-- SPDX-License-Identifier: MIT
-- Issue 16: the API keeps public representations in memory and drops them
-- when what they are built from changes. A change to a table the public
-- projections (db/functions/18_public.sql) read sends NOTIFY
-- jiangxin_public, which PostgreSQL delivers at commit (never for a
-- rollback) and once per transaction however many rows or statements
-- changed; the API listens (api/public_cache.c). Nominations notify only
-- when their state moves, so intake edits never do.
CREATE FUNCTION public_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('jiangxin_public', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['programmes', 'policy_versions', 'units', 'rounds', 'vote_sessions',
                             'decisions', 'decision_entries', 'notices', 'round_approvals',
                             'recognitions', 'suspensions', 'revocation_cases',
                             'revocation_notices', 'calendar_days', 'calendar_years']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION public_changed()',
                       t || '_public_changed', t);
    END LOOP;
END
$$;

CREATE TRIGGER nominations_public_changed AFTER UPDATE OF state ON nominations
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION public_changed();
CREATE TRIGGER nominations_public_deleted AFTER DELETE OR TRUNCATE ON nominations
    FOR EACH STATEMENT EXECUTE FUNCTION public_changed();
