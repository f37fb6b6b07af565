-- SPDX-License-Identifier: MIT
-- Issue 15: the monthly allowance ledger (津贴台账, SPEC §4; 环翠区首席技师
-- 第四条 "管理期内每人每月享受区政府津贴500元", 第十二条, 第十六条（一）,
-- 第十七条). Money is integer fen. An entry is never changed or deleted
-- (a trigger refuses it, for the service's own role too): a correction is a
-- new entry that names the entry it corrects (`corrects`) with a reason
-- code. `month` is the first day of the allowance month.
--
-- Kinds: accrual (a payable month), hold (a month the year-2 re-check
-- decides, still undecided), release (a hold paid after the re-check
-- passed), cancellation (a hold cancelled after it failed), reversal (a
-- month clawed back), payment, recovery (a clawback received). A monthly
-- run adds accruals and holds; a (recognition, month, kind) has at most
-- one entry of the kinds the runs and events write, which makes every run
-- idempotent, also after a crash.
CREATE TABLE allowance_runs (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    month         date NOT NULL CHECK (extract(day FROM month) = 1),
    programmes    text[],  -- the runner's scope; NULL: every programme
    accruals      integer NOT NULL CHECK (accruals >= 0),
    holds         integer NOT NULL CHECK (holds >= 0),
    accrued_fen   bigint NOT NULL CHECK (accrued_fen >= 0),
    held_fen      bigint NOT NULL CHECK (held_fen >= 0),
    source        text NOT NULL CHECK (source IN ('api', 'cli')),
    run_by        uuid REFERENCES users (id),
    run_by_name   text NOT NULL,
    run_role      user_role,
    at            timestamptz NOT NULL
);


CREATE TABLE allowance_entries (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    recognition_id  uuid NOT NULL REFERENCES recognitions (id),
    month           date NOT NULL CHECK (extract(day FROM month) = 1),
    kind            text NOT NULL CHECK (kind IN ('accrual', 'hold', 'release', 'cancellation',
                                                  'reversal', 'payment', 'recovery')),
    amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
    corrects        uuid REFERENCES allowance_entries (id),
    reason          text NOT NULL CHECK (reason ~ '^[a-z][a-z0-9_]{0,47}$'),
    run_id          uuid REFERENCES allowance_runs (id) DEFERRABLE INITIALLY DEFERRED,
    actor_id        uuid REFERENCES users (id),
    actor           text NOT NULL,
    actor_role      user_role,
    at              timestamptz NOT NULL,
    CONSTRAINT allowance_entries_corrects CHECK (
        (kind IN ('release', 'cancellation', 'reversal', 'recovery')) = (corrects IS NOT NULL))
);

CREATE UNIQUE INDEX allowance_entries_once ON allowance_entries (recognition_id, month, kind)
    WHERE kind IN ('accrual', 'hold', 'release', 'cancellation', 'reversal');
CREATE INDEX allowance_entries_month ON allowance_entries (month, kind);
CREATE INDEX allowance_entries_corrects ON allowance_entries (corrects);

CREATE FUNCTION allowance_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER allowance_entries_no_update BEFORE UPDATE OR DELETE ON allowance_entries
    FOR EACH ROW EXECUTE FUNCTION allowance_immutable();
CREATE TRIGGER allowance_entries_no_truncate BEFORE TRUNCATE ON allowance_entries
    FOR EACH STATEMENT EXECUTE FUNCTION allowance_immutable();
CREATE TRIGGER allowance_runs_no_update BEFORE UPDATE OR DELETE ON allowance_runs
    FOR EACH ROW EXECUTE FUNCTION allowance_immutable();
CREATE TRIGGER allowance_runs_no_truncate BEFORE TRUNCATE ON allowance_runs
    FOR EACH STATEMENT EXECUTE FUNCTION allowance_immutable();
