-- SPDX-License-Identifier: MIT
-- Runtime privileges. Migrations run as the database owner; the services
-- connect as a member of the group role `jiangxin_app`, which may read and
-- write the tables but only append to the audit log, and — not being the
-- owner — can neither alter the schema nor disable the audit triggers.
-- A single-role deployment (no `jiangxin_app`) gets a notice and no grants.
-- Tables added by later migrations are covered by the default privileges;
-- a migration that adds another append-only table revokes its UPDATE and
-- DELETE explicitly, as below.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        GRANT USAGE ON SCHEMA public TO jiangxin_app;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO jiangxin_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM jiangxin_app;
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM jiangxin_app;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO jiangxin_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO jiangxin_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            GRANT USAGE, SELECT ON SEQUENCES TO jiangxin_app;
    ELSE
        RAISE NOTICE 'no role jiangxin_app: runtime privileges not granted';
    END IF;
END
$$;
