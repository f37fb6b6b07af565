-- SPDX-License-Identifier: MIT
-- schema_functions, which `jiangxin-api migrate` creates next to
-- schema_migrations, records the db/functions files applied and their
-- checksums. Like schema_migrations (0005), the runtime role may read it
-- but not write it: only the owner's migrate decides what is applied.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_functions FROM jiangxin_app;
    END IF;
END
$$;
