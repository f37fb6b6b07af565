-- SPDX-License-Identifier: MIT
-- Sign-in throttling: failed password checks per username within a
-- window. After AUTH_LOGIN_MAX_FAILURES (api/handlers/auth.c) failures the
-- username is refused with 429 until the window ends; a success clears it.
-- Counted per username, not per IP address: carrier and office NAT make IPs
-- shared, and no address needs storing. Unknown usernames count the same as
-- known ones, so the answers do not reveal which accounts exist. Rows of
-- expired windows are deleted as new failures arrive.
CREATE TABLE login_failures (
    username      text PRIMARY KEY CHECK (length(username) BETWEEN 1 AND 64),
    failures      integer NOT NULL CHECK (failures > 0),
    window_start  timestamptz NOT NULL
);

CREATE INDEX login_failures_window ON login_failures (window_start);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON login_failures TO jiangxin_app;
    END IF;
END
$$;
