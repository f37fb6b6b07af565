-- SPDX-License-Identifier: MIT
-- A per-user token version: every staff token carries the version of its
-- user at sign-in (claim "tv"), and api_authenticate accepts a token only
-- while the user's row still has that version. A new password, a disable,
-- a role, unit or programme scope change and a delete bump it, so tokens
-- issued before stay dead (even after a re-enable).
ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0
    CHECK (token_version >= 0);
