-- SPDX-License-Identifier: MIT
-- Issue 16: `jiangxin-api export --deliver URL` posts the finished export.
-- A run whose export succeeded but whose delivery gave up is
-- `delivery_failed` (the export stays on disk; error says why);
-- delivery_attempts counts the POSTs made (NULL: no delivery asked for),
-- delivered_at is when one was accepted (the service clock's time).
ALTER TABLE export_runs DROP CONSTRAINT export_runs_state_check;
ALTER TABLE export_runs ADD CONSTRAINT export_runs_state_check
    CHECK (state IN ('running', 'succeeded', 'failed', 'delivery_failed'));
ALTER TABLE export_runs
    ADD COLUMN delivery_attempts integer CHECK (delivery_attempts >= 0),
    ADD COLUMN delivered_at timestamptz,
    ADD CONSTRAINT export_runs_delivered CHECK (delivered_at IS NULL OR state = 'succeeded');
