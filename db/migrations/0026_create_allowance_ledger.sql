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
-- month clawed back), payment (a batch paid the accrual or release it
-- names), return (the bank returned that payment: the month is
-- outstanding again), recovery (a clawback received). A monthly
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


-- Where a title's allowance is paid (finance, office; audited): to the
-- person's bank account (the number sealed under JIANGXIN_PII_KEY like an
-- ID number, shown masked) or through the employer (统一社会信用代码).
CREATE TABLE allowance_payees (
    recognition_id   uuid PRIMARY KEY REFERENCES recognitions (id),
    method           text NOT NULL CHECK (method IN ('bank', 'employer')),
    bank_name        text CHECK (length(bank_name) BETWEEN 1 AND 100),
    account_sealed   bytea,
    account_masked   text,
    employer_name    text CHECK (length(employer_name) BETWEEN 1 AND 200),
    employer_code    text CHECK (employer_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    version          integer NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_by       uuid REFERENCES users (id),
    updated_by_name  text NOT NULL,
    updated_at       timestamptz NOT NULL,
    CONSTRAINT allowance_payees_method CHECK (
        (method = 'bank') = (bank_name IS NOT NULL AND account_sealed IS NOT NULL
                             AND account_masked IS NOT NULL) AND
        (method = 'employer') = (employer_name IS NOT NULL AND employer_code IS NOT NULL))
);

-- A payment batch (finance): the payable entries of a month, each line with
-- the payee as it stood when the batch was made. Open until finance marks
-- it paid with the bank's reference (then its payment entries are written).
CREATE TABLE allowance_batches (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    month            date NOT NULL CHECK (extract(day FROM month) = 1),
    programmes       text[],
    state            text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'paid')),
    lines            integer NOT NULL CHECK (lines > 0),
    total_fen        bigint NOT NULL CHECK (total_fen > 0),
    created_by       uuid REFERENCES users (id),
    created_by_name  text NOT NULL,
    created_at       timestamptz NOT NULL,
    paid_reference   text CHECK (length(paid_reference) BETWEEN 1 AND 100),
    paid_on          date,
    paid_by_name     text,
    paid_at          timestamptz,
    version          integer NOT NULL DEFAULT 1 CHECK (version > 0),
    CONSTRAINT allowance_batches_paid CHECK (
        (state = 'paid') = (paid_reference IS NOT NULL AND paid_on IS NOT NULL
                            AND paid_at IS NOT NULL))
);

CREATE TABLE allowance_entries (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    recognition_id  uuid NOT NULL REFERENCES recognitions (id),
    month           date NOT NULL CHECK (extract(day FROM month) = 1),
    kind            text NOT NULL CHECK (kind IN ('accrual', 'hold', 'release', 'cancellation',
                                                  'reversal', 'payment', 'return', 'recovery')),
    amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
    corrects        uuid REFERENCES allowance_entries (id),
    reason          text NOT NULL CHECK (reason ~ '^[a-z][a-z0-9_]{0,47}$'),
    run_id          uuid REFERENCES allowance_runs (id) DEFERRABLE INITIALLY DEFERRED,
    batch_id        uuid REFERENCES allowance_batches (id),
    actor_id        uuid REFERENCES users (id),
    actor           text NOT NULL,
    actor_role      user_role,
    at              timestamptz NOT NULL,
    CONSTRAINT allowance_entries_corrects CHECK (
        (kind IN ('accrual', 'hold')) = (corrects IS NULL)),
    CONSTRAINT allowance_entries_batch CHECK ((kind IN ('payment', 'return')) = (batch_id IS NOT NULL))
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

CREATE TABLE allowance_batch_lines (
    batch_id            uuid NOT NULL REFERENCES allowance_batches (id)
                            DEFERRABLE INITIALLY DEFERRED,
    entry_id            uuid NOT NULL REFERENCES allowance_entries (id),
    recognition_id      uuid NOT NULL REFERENCES recognitions (id),
    month               date NOT NULL,
    amount_fen          bigint NOT NULL CHECK (amount_fen > 0),
    method              text NOT NULL CHECK (method IN ('bank', 'employer')),
    bank_name           text,
    account_sealed      bytea,
    account_masked      text,
    employer_name       text,
    employer_code       text,
    PRIMARY KEY (batch_id, entry_id)
);

CREATE INDEX allowance_batch_lines_entry ON allowance_batch_lines (entry_id);
CREATE INDEX allowance_entries_batch ON allowance_entries (batch_id) WHERE batch_id IS NOT NULL;

CREATE TRIGGER allowance_batch_lines_no_update BEFORE UPDATE OR DELETE ON allowance_batch_lines
    FOR EACH ROW EXECUTE FUNCTION allowance_immutable();

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jiangxin_app') THEN
        REVOKE DELETE, TRUNCATE ON allowance_payees, allowance_batches FROM jiangxin_app;
    END IF;
END
$$;
