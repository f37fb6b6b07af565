-- SPDX-License-Identifier: MIT
-- Issue 16: each run of `jiangxin-api export` (the signed nightly export):
-- a `running` row committed before the snapshot is taken, its result
-- (succeeded or failed, with the watermark, the manifest's hash and the
-- files) written after. A run killed midway stays `running` until the next
-- run marks it failed. Times are the service clock's.
CREATE TABLE export_runs (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    state           text NOT NULL DEFAULT 'running'
                    CHECK (state IN ('running', 'succeeded', 'failed')),
    "full"          boolean NOT NULL,
    date            date NOT NULL,
    audit_seq       bigint,
    audit_head      text,
    manifest_sha256 text,
    files           jsonb,
    error           text,
    CONSTRAINT export_runs_finished CHECK ((state = 'running') = (finished_at IS NULL))
);
CREATE INDEX export_runs_started ON export_runs (started_at DESC);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        REVOKE DELETE, TRUNCATE ON export_runs FROM jiangxin_app;
    END IF;
END
$$;
