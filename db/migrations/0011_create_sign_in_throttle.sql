-- SPDX-License-Identifier: MIT
-- Sign-in throttling per (username, client address) with a growing delay,
-- and a budget of failed sign-ins per client address. Replaces the
-- per-username lock of 0006, which let anyone lock any account (admin, the
-- voting service's account) from anywhere. The rules are in
-- api/handlers/auth.c and api/store/user_store.c; README "Sign-in throttling".
-- Neither table holds a username or an address: rows are keyed by a keyed
-- BLAKE2b (JIANGXIN_PII_KEY) of "address username" or of the address, so all
-- API instances sharing the database and the key count together.
DROP TABLE IF EXISTS login_failures;

-- Failures of one username from one address. After the free failures each
-- further one blocks the pair until blocked_until (1 s, then doubling, up to
-- JIANGXIN_SIGNIN_DELAY_MAX); a success deletes the row. A row expires 24 h
-- after blocked_until and is swept as new failures arrive.
CREATE TABLE sign_in_failures (
    key            text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{64}$'),
    failures       integer NOT NULL CHECK (failures > 0),
    blocked_until  timestamptz NOT NULL
);

CREATE INDEX sign_in_failures_blocked_until ON sign_in_failures (blocked_until);

-- Failures from one address as a leaky bucket: each failure adds 1, the
-- level drains at JIANGXIN_SIGNIN_ADDRESS_FAILURES per
-- JIANGXIN_SIGNIN_ADDRESS_WINDOW seconds; a full bucket refuses every
-- sign-in from the address, before any password hashing. A row is empty,
-- and swept, at the latest two windows after its last failure.
CREATE TABLE sign_in_address_failures (
    key         text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{64}$'),
    level       double precision NOT NULL CHECK (level >= 0),
    updated_at  timestamptz NOT NULL
);

CREATE INDEX sign_in_address_failures_updated_at ON sign_in_address_failures (updated_at);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_failures, sign_in_address_failures
            TO jiangxin_app;
    END IF;
END
$$;
