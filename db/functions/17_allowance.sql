-- SPDX-License-Identifier: MIT
-- Issue 15: the allowance ledger (db/migrations/0026). What a month's
-- facts are is read here; whether the month is payable, held or nothing is
-- decided once, in C (api/model/allowance_rules.c).

-- The triggers of db/migrations/0026: the ledger's entries, runs and batch
-- lines are append-only (also for the service's own role).
CREATE OR REPLACE FUNCTION allowance_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- The facts of allowance month `m` (a first of a month) for every title
-- whose pinned policy pays a monthly allowance, whose management period
-- (management_periods(), the one start rule) contains `m`, inside `scope`
-- (a JSON array of programme codes; NULL: all), and that has no accrual or
-- hold for `m` yet (so a rerun reads nothing): the policy version, the
-- period's first month, the effective date and reason of the revocation
-- that revoked the title (NULL when none: whether it stops `m` is decided
-- in C, allowance_rules_revoked, from the effective date and not from the
-- day the revocation was approved), whether a suspension stopping the
-- allowance covered the month's first day (第十六条（一）: effective on or
-- before it, not lifted by it), and the re-check's result (NULL while
-- undecided or not filed). The columns changed once (a revocation's date
-- and reason instead of a flag), hence the DROP.
-- The monthly run reads 100,000 titles here (tests/bench/allowance.sh), so
-- the per-title work is kept to expressions and hash lookups:
-- * management_periods() is inlined (a set-returning SQL function);
-- * each policy is read once, in `versions`: a policy is stored compressed,
--   and every use of the column would decompress it again, once per title;
--   `|| '{}'` hands on the value decompressed (the same policy) and
--   MATERIALIZED keeps that copy;
-- * the titles with no accrual or hold for `m` are found first, on their
--   own (OFFSET 0 keeps the planner from merging them into the joins
--   below), against the month's entries hashed once: merged, the planner
--   cannot tell how many titles the period test keeps, guesses a few, and
--   probes the ledger's index once per title instead (the no-op rerun of a
--   month of 100,000 titles: 0.5 s against 0.2 s).
DROP FUNCTION IF EXISTS allowance_forecast_facts(date, date, jsonb);
DROP FUNCTION IF EXISTS allowance_month_facts(date, jsonb);
CREATE OR REPLACE FUNCTION allowance_month_facts(m date, scope jsonb)
RETURNS TABLE (recognition_id uuid, policy_version_id uuid, period_start date,
               revoked_effective date, revoked_reason text, suspended boolean, recheck text)
LANGUAGE sql STABLE AS $$
    WITH versions AS MATERIALIZED (
        SELECT v.id, v.policy || '{}'::jsonb AS policy
          FROM policy_versions v
         WHERE v.policy ->> 'reward' = 'monthly_allowance')
    SELECT r.id, v.id, mp.period_start, rc.effective_on, rc.reason,
           EXISTS (SELECT 1 FROM suspensions s
                    WHERE s.recognition_id = r.id AND s.effective_on <= m
                      AND (s.lifted_on IS NULL OR s.lifted_on > m)
                      AND 'allowance' = ANY (s.benefits_stopped)),
           (SELECT x.result FROM rechecks x WHERE x.recognition_id = r.id)
      FROM (SELECT t.id, t.round_id, t.programme_id, t.recognized_on
              FROM recognitions t
             WHERE NOT EXISTS (SELECT 1 FROM allowance_entries e
                                WHERE e.recognition_id = t.id AND e.month = m
                                  AND e.kind IN ('accrual', 'hold'))
            OFFSET 0) r
      JOIN rounds ro ON ro.id = r.round_id
      JOIN versions v ON v.id = ro.policy_version_id
      JOIN programmes p ON p.id = r.programme_id
     CROSS JOIN LATERAL management_periods(v.policy, r.recognized_on) mp
      LEFT JOIN revocation_cases rc ON rc.recognition_id = r.id AND rc.state = 'revoked'
     WHERE m BETWEEN mp.period_start AND mp.period_end
       AND (scope IS NULL OR scope ? p.code)
$$;

-- The facts of title `rid` in each month from `from_month` to `to_month`
-- (firsts) that has no accrual or hold for it yet: allowance_month_facts()
-- for the one title (inlined, so the title's filter reaches the tables).
CREATE OR REPLACE FUNCTION allowance_title_facts(rid uuid, from_month date, to_month date)
RETURNS TABLE (recognition_id uuid, policy_version_id uuid, period_start date,
               revoked_effective date, revoked_reason text, suspended boolean, recheck text,
               month date)
LANGUAGE sql STABLE AS $$
    SELECT f.*, g.m::date
      FROM generate_series(from_month, to_month, interval '1 month') g (m)
     CROSS JOIN LATERAL allowance_month_facts(g.m::date, NULL) f
     WHERE f.recognition_id = rid
$$;

-- Records entries of title `rid` decided outside a monthly run (parallel
-- arrays: month, kind, amount), with reason code `why`; an entry already
-- there is skipped by the unique key. Returns how many were added.
CREATE OR REPLACE FUNCTION allowance_title_record(
    rid uuid, months date[], kinds text[], amounts bigint[], why text, who uuid, who_name text,
    who_role user_role, ts timestamptz) RETURNS integer
LANGUAGE sql AS $$
    WITH added AS (
        INSERT INTO allowance_entries (recognition_id, month, kind, amount_fen, reason,
                                       actor_id, actor, actor_role, at)
        SELECT rid, t.m, t.kind, t.amount, why, who, who_name, who_role, ts
          FROM unnest(months, kinds, amounts) AS t (m, kind, amount)
         ORDER BY t.m
        ON CONFLICT DO NOTHING
        RETURNING 1)
    SELECT count(*)::int FROM added
$$;

CREATE OR REPLACE FUNCTION api_allowance_entry(e allowance_entries) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', e.id,
        'seq', e.seq,
        'recognition_id', e.recognition_id,
        'month', to_char(e.month, 'YYYY-MM'),
        'kind', e.kind,
        'amount_fen', e.amount_fen,
        'corrects', e.corrects,
        'reason', e.reason,
        'run_id', e.run_id,
        'batch_id', e.batch_id,
        'actor', e.actor,
        'at', api_ts(e.at))
$$;

CREATE OR REPLACE FUNCTION api_allowance_run(x allowance_runs) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', x.id,
        'seq', x.seq,
        'month', to_char(x.month, 'YYYY-MM'),
        'programmes', to_jsonb(x.programmes),
        'accruals', x.accruals,
        'holds', x.holds,
        'accrued_fen', x.accrued_fen,
        'held_fen', x.held_fen,
        'source', x.source,
        'run_by', x.run_by_name,
        'at', api_ts(x.at))
$$;

-- Records a run of month `m`: the entries the C rule decided (parallel
-- arrays: recognition, kind, amount), then the run with the totals of what
-- was really added (an entry a concurrent or earlier run already wrote is
-- skipped by the unique key, allowance_entries_once, the one arbiter: the
-- other unique keys, id and seq, are generated). The entries are written in
-- the order of their titles, so the once index and the titles' primary key
-- are walked in order rather than at random (100,000 of them in a district's
-- month). The run row is written last, once (the entries' reference to it
-- is checked at commit). Returns the run.
CREATE OR REPLACE FUNCTION allowance_run_record(
    m date, scope jsonb, ids uuid[], kinds text[], amounts bigint[], src text,
    who uuid, who_name text, who_role user_role, ts timestamptz) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    run allowance_runs;
BEGIN
    run.id := gen_random_uuid();
    WITH added AS (
        INSERT INTO allowance_entries (recognition_id, month, kind, amount_fen, reason, run_id,
                                       actor_id, actor, actor_role, at)
        SELECT t.id, m, t.kind, t.amount, 'monthly_run', run.id, who, who_name, who_role, ts
          FROM unnest(ids, kinds, amounts) AS t (id, kind, amount)
         ORDER BY t.id
        ON CONFLICT (recognition_id, month, kind)
           WHERE kind IN ('accrual', 'hold', 'release', 'cancellation', 'reversal') DO NOTHING
        RETURNING kind, amount_fen)
    SELECT count(*) FILTER (WHERE kind = 'accrual'), count(*) FILTER (WHERE kind = 'hold'),
           coalesce(sum(amount_fen) FILTER (WHERE kind = 'accrual'), 0),
           coalesce(sum(amount_fen) FILTER (WHERE kind = 'hold'), 0)
      INTO run.accruals, run.holds, run.accrued_fen, run.held_fen
      FROM added;
    INSERT INTO allowance_runs (id, month, programmes, accruals, holds, accrued_fen, held_fen,
                                source, run_by, run_by_name, run_role, at)
    VALUES (run.id, m, CASE WHEN scope IS NULL THEN NULL
                            ELSE ARRAY(SELECT jsonb_array_elements_text(scope)) END,
            run.accruals, run.holds, run.accrued_fen, run.held_fen, src, who, who_name,
            who_role, ts)
    RETURNING * INTO run;
    RETURN api_allowance_run(run);
END
$$;

-- A year-2 re-check of title `rid` decided `result`: each of its holds not
-- yet settled is released (passed) or cancelled (failed) by an entry that
-- names it (第十二条 "第二年复核认定为环翠区首席技师的，每月仍享受区政府津贴").
-- Returns how many holds were settled.
CREATE OR REPLACE FUNCTION allowance_settle_holds(
    rid uuid, settle_kind text, why text, who uuid, who_name text, who_role user_role,
    ts timestamptz) RETURNS integer
LANGUAGE sql AS $$
    WITH added AS (
        INSERT INTO allowance_entries (recognition_id, month, kind, amount_fen, corrects, reason,
                                       actor_id, actor, actor_role, at)
        SELECT h.recognition_id, h.month, settle_kind, h.amount_fen, h.id, why, who, who_name,
               who_role, ts
          FROM allowance_entries h
         WHERE h.recognition_id = rid AND h.kind = 'hold'
           AND NOT EXISTS (SELECT 1 FROM allowance_entries s WHERE s.corrects = h.id)
         ORDER BY h.month
        ON CONFLICT DO NOTHING
        RETURNING 1)
    SELECT count(*)::int FROM added
$$;

-- Benefits of title `rid` stopped from allowance month `from_month` (a
-- suspension or revocation, possibly effective in the past; the first
-- month is decided in C, allowance_rules_stop_from): each accrual or
-- release of a month from there not yet reversed gets a `reversal` naming
-- it (a clawback receivable where the month was paid), and each hold not
-- yet settled a `cancellation`, all with reason code `why`. Written in the
-- event's transaction. Returns {reversed, cancelled, reversed_fen}.
CREATE OR REPLACE FUNCTION allowance_stop(
    rid uuid, from_month date, why text, who uuid, who_name text, who_role user_role,
    ts timestamptz) RETURNS jsonb
LANGUAGE sql AS $$
    WITH reversed AS (
        INSERT INTO allowance_entries (recognition_id, month, kind, amount_fen, corrects, reason,
                                       actor_id, actor, actor_role, at)
        SELECT e.recognition_id, e.month, 'reversal', e.amount_fen, e.id, why, who, who_name,
               who_role, ts
          FROM allowance_entries e
         WHERE e.recognition_id = rid AND e.kind IN ('accrual', 'release')
           AND e.month >= from_month
           AND NOT EXISTS (SELECT 1 FROM allowance_entries x
                            WHERE x.corrects = e.id AND x.kind = 'reversal')
         ORDER BY e.month
        ON CONFLICT DO NOTHING
        RETURNING amount_fen),
    cancelled AS (
        INSERT INTO allowance_entries (recognition_id, month, kind, amount_fen, corrects, reason,
                                       actor_id, actor, actor_role, at)
        SELECT h.recognition_id, h.month, 'cancellation', h.amount_fen, h.id, why, who, who_name,
               who_role, ts
          FROM allowance_entries h
         WHERE h.recognition_id = rid AND h.kind = 'hold' AND h.month >= from_month
           AND NOT EXISTS (SELECT 1 FROM allowance_entries s WHERE s.corrects = h.id)
         ORDER BY h.month
        ON CONFLICT DO NOTHING
        RETURNING 1)
    SELECT jsonb_build_object('reversed', (SELECT count(*) FROM reversed),
                              'cancelled', (SELECT count(*) FROM cancelled),
                              'reversed_fen', (SELECT coalesce(sum(amount_fen), 0) FROM reversed))
$$;

-- What an entry does to a title's figures, in fen (the one table of signs):
-- earned (accrual, release; less reversal), held (hold; less release and
-- cancellation), paid (payment; less return and recovery). What is due is earned less
-- paid: positive, outstanding; negative, a clawback receivable.
CREATE OR REPLACE FUNCTION allowance_effect(kind text, amount bigint,
                                            OUT earned bigint, OUT held bigint, OUT paid bigint)
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE kind WHEN 'accrual' THEN amount WHEN 'release' THEN amount
                     WHEN 'reversal' THEN -amount ELSE 0 END,
           CASE kind WHEN 'hold' THEN amount WHEN 'release' THEN -amount
                     WHEN 'cancellation' THEN -amount ELSE 0 END,
           CASE kind WHEN 'payment' THEN amount WHEN 'return' THEN -amount
                     WHEN 'recovery' THEN -amount ELSE 0 END
$$;

-- Per title within `scope`: earned, held, paid, outstanding and receivable,
-- and the same as the API's JSON (`item`).
CREATE OR REPLACE FUNCTION allowance_balances(scope jsonb)
RETURNS TABLE (recognition_id uuid, certificate_number text, held bigint, paid bigint,
               outstanding bigint, receivable bigint, item jsonb)
LANGUAGE sql STABLE AS $$
    SELECT r.id, r.certificate_number, t.held, t.paid, greatest(t.earned - t.paid, 0),
           greatest(t.paid - t.earned, 0),
           jsonb_build_object(
               'recognition_id', r.id, 'certificate_number', r.certificate_number,
               'holder_name', r.holder_name, 'programme', p.code, 'status', r.status,
               'earned_fen', t.earned, 'held_fen', t.held, 'paid_fen', t.paid,
               'outstanding_fen', greatest(t.earned - t.paid, 0),
               'receivable_fen', greatest(t.paid - t.earned, 0))
      FROM (SELECT e.recognition_id, sum(f.earned)::bigint AS earned,
                   sum(f.held)::bigint AS held, sum(f.paid)::bigint AS paid
              FROM allowance_entries e, allowance_effect(e.kind, e.amount_fen) f
             GROUP BY e.recognition_id) t
      JOIN recognitions r ON r.id = t.recognition_id
      JOIN programmes p ON p.id = r.programme_id
     WHERE scope IS NULL OR scope ? p.code
$$;

-- Title `rid`'s statement: its entries in ledger order, each with what it
-- does to the figures and the running balance due (earned less paid) and
-- held after it, like a bank statement. NULL when the title is unknown or
-- outside `scope`.
CREATE OR REPLACE FUNCTION allowance_statement(rid uuid, scope jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    WITH lines AS (
        SELECT e, f.earned, f.held, f.paid,
               sum(f.earned - f.paid) OVER w AS due, sum(f.held) OVER w AS held_after
          FROM allowance_entries e, allowance_effect(e.kind, e.amount_fen) f
         WHERE e.recognition_id = rid
        WINDOW w AS (ORDER BY e.seq))
    SELECT jsonb_build_object(
        'recognition_id', r.id, 'certificate_number', r.certificate_number,
        'holder_name', r.holder_name,
        'lines', coalesce((SELECT jsonb_agg(api_allowance_entry(l.e) || jsonb_build_object(
                               'earned_fen', l.earned, 'held_fen', l.held, 'paid_fen', l.paid,
                               'balance_fen', l.due, 'held_balance_fen', l.held_after)
                           ORDER BY (l.e).seq) FROM lines l), '[]'),
        'totals', (SELECT jsonb_build_object(
                       'earned_fen', coalesce(sum(l.earned), 0),
                       'held_fen', coalesce(sum(l.held), 0),
                       'paid_fen', coalesce(sum(l.paid), 0),
                       'outstanding_fen', greatest(coalesce(sum(l.earned - l.paid), 0), 0),
                       'receivable_fen', greatest(coalesce(sum(l.paid - l.earned), 0), 0))
                     FROM lines l))
      FROM recognitions r JOIN programmes p ON p.id = r.programme_id
     WHERE r.id = rid AND (scope IS NULL OR scope ? p.code)
$$;

-- Totals per programme and month from `from_month` to `to_month` (firsts
-- of months), within `scope`: what each kind of entry added, and the net
-- figures.
CREATE OR REPLACE FUNCTION allowance_summary(from_month date, to_month date, scope jsonb)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('from', to_char(from_month, 'YYYY-MM'),
                              'to', to_char(to_month, 'YYYY-MM'),
                              'items', coalesce(jsonb_agg(x ORDER BY x ->> 'month',
                                                          x ->> 'programme'), '[]'))
      FROM (SELECT jsonb_build_object(
                   'programme', p.code, 'month', to_char(e.month, 'YYYY-MM'),
                   'holders', count(DISTINCT e.recognition_id),
                   'accrued_fen', coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'accrual'), 0),
                   'held_fen', coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'hold'), 0),
                   'released_fen', coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'release'), 0),
                   'cancelled_fen',
                       coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'cancellation'), 0),
                   'reversed_fen', coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'reversal'), 0),
                   'paid_fen', coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'payment'), 0),
                   'recovered_fen',
                       coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'recovery'), 0),
                   'returned_fen', coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'return'), 0),
                   'earned_fen', sum(f.earned), 'net_held_fen', sum(f.held)) AS x
              FROM allowance_entries e
              JOIN recognitions r ON r.id = e.recognition_id
              JOIN programmes p ON p.id = r.programme_id,
                   allowance_effect(e.kind, e.amount_fen) f
             WHERE e.month BETWEEN from_month AND to_month
               AND (scope IS NULL OR scope ? p.code)
             GROUP BY p.code, e.month) s
$$;

-- The reconciliation within `scope`: Σ entries (accruals and holds less
-- cancellations and reversals) = Σ paid + outstanding − receivable + held,
-- to the fen, and every correction consistent with what it corrects (a
-- release or cancellation names a hold, a reversal an accrual or release,
-- a recovery a reversal, with the same title, month and amount; a hold
-- settled at most once). Each broken rule is a line of `errors`.
CREATE OR REPLACE FUNCTION allowance_reconciliation(scope jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    WITH mine AS (
        SELECT e.* FROM allowance_entries e
          JOIN recognitions r ON r.id = e.recognition_id
          JOIN programmes p ON p.id = r.programme_id
         WHERE scope IS NULL OR scope ? p.code),
    totals AS (
        SELECT coalesce(sum(amount_fen) FILTER (WHERE kind IN ('accrual', 'hold')), 0)
             - coalesce(sum(amount_fen) FILTER (WHERE kind IN ('cancellation', 'reversal')), 0)
               AS entries
          FROM mine),
    sides AS (
        SELECT coalesce(sum(paid), 0) AS paid, coalesce(sum(outstanding), 0) AS outstanding,
               coalesce(sum(receivable), 0) AS receivable, coalesce(sum(held), 0) AS held
          FROM allowance_balances(scope)),
    errors AS (
        SELECT jsonb_build_object('entry_id', c.id, 'seq', c.seq, 'rule', 'correction_target',
                                  'detail', c.kind || ' corrects ' || coalesce(t.kind, 'nothing'))
               AS line
          FROM mine c LEFT JOIN allowance_entries t ON t.id = c.corrects
         WHERE c.corrects IS NOT NULL AND NOT (
               (c.kind IN ('release', 'cancellation') AND t.kind = 'hold') OR
               (c.kind = 'reversal' AND t.kind IN ('accrual', 'release')) OR
               (c.kind = 'recovery' AND t.kind = 'reversal') OR
               (c.kind = 'payment' AND t.kind IN ('accrual', 'release')) OR
               (c.kind = 'return' AND t.kind = 'payment'))
        UNION ALL
        SELECT jsonb_build_object('entry_id', c.id, 'seq', c.seq, 'rule', 'correction_match',
                                  'detail', 'title, month or amount differs from entry ' || t.id)
          FROM mine c JOIN allowance_entries t ON t.id = c.corrects
         WHERE (c.recognition_id, c.month, c.amount_fen) <> (t.recognition_id, t.month, t.amount_fen)
        UNION ALL
        SELECT jsonb_build_object('entry_id', h.id, 'seq', h.seq, 'rule', 'hold_settled_twice',
                                  'detail', count(*) || ' settlements')
          FROM mine h JOIN allowance_entries s ON s.corrects = h.id
         WHERE h.kind = 'hold' AND s.kind IN ('release', 'cancellation')
         GROUP BY h.id, h.seq HAVING count(*) > 1)
    SELECT jsonb_build_object(
        'entries_fen', t.entries, 'paid_fen', s.paid, 'outstanding_fen', s.outstanding,
        'receivable_fen', s.receivable, 'held_fen', s.held,
        'difference_fen', t.entries - (s.paid + s.outstanding - s.receivable + s.held),
        'errors', coalesce((SELECT jsonb_agg(line ORDER BY (line ->> 'seq')::bigint)
                              FROM errors), '[]'))
      FROM totals t, sides s
$$;

-- ---- payees and payment batches ----

CREATE OR REPLACE FUNCTION api_allowance_payee(x allowance_payees) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'recognition_id', x.recognition_id, 'method', x.method, 'bank_name', x.bank_name,
        'account', x.account_masked, 'employer_name', x.employer_name,
        'employer_code', x.employer_code, 'version', x.version,
        'updated_by', x.updated_by_name, 'updated_at', api_ts(x.updated_at))
$$;

-- Sets title `rid`'s payee (a new row or version + 1). The account comes
-- sealed (hex) and masked from the caller.
CREATE OR REPLACE FUNCTION allowance_payee_set(
    rid uuid, how text, bank text, sealed_hex text, masked text, employer text, code text,
    who uuid, who_name text, ts timestamptz) RETURNS jsonb
LANGUAGE sql AS $$
    INSERT INTO allowance_payees AS x (recognition_id, method, bank_name, account_sealed,
                                       account_masked, employer_name, employer_code,
                                       updated_by, updated_by_name, updated_at)
    VALUES (rid, how, bank, decode(sealed_hex, 'hex'), masked, employer, code, who, who_name, ts)
    ON CONFLICT (recognition_id) DO UPDATE
       SET method = EXCLUDED.method, bank_name = EXCLUDED.bank_name,
           account_sealed = EXCLUDED.account_sealed, account_masked = EXCLUDED.account_masked,
           employer_name = EXCLUDED.employer_name, employer_code = EXCLUDED.employer_code,
           updated_by = EXCLUDED.updated_by, updated_by_name = EXCLUDED.updated_by_name,
           updated_at = EXCLUDED.updated_at, version = x.version + 1
    RETURNING api_allowance_payee(x)
$$;

-- A batch without its lines.
CREATE OR REPLACE FUNCTION api_allowance_batch_head(b allowance_batches) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', b.id, 'seq', b.seq, 'month', to_char(b.month, 'YYYY-MM'),
        'programmes', to_jsonb(b.programmes), 'state', b.state, 'lines', b.lines,
        'total_fen', b.total_fen, 'created_by', b.created_by_name,
        'created_at', api_ts(b.created_at), 'paid_reference', b.paid_reference,
        'paid_on', b.paid_on, 'paid_by', b.paid_by_name, 'paid_at', api_ts(b.paid_at),
        'version', b.version)
$$;

-- A batch as the API shows it: its lines with masked accounts, each saying
-- whether the bank returned its payment.
CREATE OR REPLACE FUNCTION api_allowance_batch(b allowance_batches) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT api_allowance_batch_head(b) || jsonb_build_object(
        'items', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                       'entry_id', l.entry_id, 'recognition_id', l.recognition_id,
                       'certificate_number', r.certificate_number, 'holder_name', r.holder_name,
                       'month', to_char(l.month, 'YYYY-MM'), 'amount_fen', l.amount_fen,
                       'method', l.method, 'bank_name', l.bank_name, 'account', l.account_masked,
                       'employer_name', l.employer_name, 'employer_code', l.employer_code,
                       'returned', ret.id IS NOT NULL)
                   ORDER BY r.certificate_number, l.month)
              FROM allowance_batch_lines l JOIN recognitions r ON r.id = l.recognition_id
              LEFT JOIN allowance_entries pay
                     ON pay.batch_id = b.id AND pay.corrects = l.entry_id AND pay.kind = 'payment'
              LEFT JOIN allowance_entries ret ON ret.corrects = pay.id AND ret.kind = 'return'
             WHERE l.batch_id = b.id), '[]'))
$$;

-- The entries of month `m` within `scope` that a batch pays: accruals and
-- releases not reversed, not paid (or paid and returned), in no open batch.
CREATE OR REPLACE FUNCTION allowance_payable_entries(m date, scope jsonb)
RETURNS SETOF allowance_entries
LANGUAGE sql STABLE AS $$
    SELECT e.* FROM allowance_entries e
      JOIN recognitions r ON r.id = e.recognition_id
      JOIN programmes p ON p.id = r.programme_id
     WHERE e.month = m AND e.kind IN ('accrual', 'release')
       AND (scope IS NULL OR scope ? p.code)
       AND NOT EXISTS (SELECT 1 FROM allowance_entries x
                        WHERE x.corrects = e.id AND x.kind = 'reversal')
       AND NOT EXISTS (SELECT 1 FROM allowance_entries pay
                        WHERE pay.corrects = e.id AND pay.kind = 'payment'
                          AND NOT EXISTS (SELECT 1 FROM allowance_entries ret
                                           WHERE ret.corrects = pay.id AND ret.kind = 'return'))
       AND NOT EXISTS (SELECT 1 FROM allowance_batch_lines l
                         JOIN allowance_batches b ON b.id = l.batch_id
                        WHERE l.entry_id = e.id AND b.state = 'open')
$$;

-- Makes the batch of month `m` within `scope` from its payable entries
-- whose title has a payee (the lines first, then the batch with their
-- count and total: the lines' reference to it is checked at commit). With
-- none: the newest open batch of the month and scope (a repeated request),
-- or NULL. Returns {batch (without lines), created, without_payee:
-- [certificate numbers]}.
CREATE OR REPLACE FUNCTION allowance_batch_create(
    m date, scope jsonb, who uuid, who_name text, ts timestamptz) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    b allowance_batches;
    codes text[] := CASE WHEN scope IS NULL THEN NULL
                         ELSE ARRAY(SELECT jsonb_array_elements_text(scope) ORDER BY 1) END;
    missing jsonb;
BEGIN
    b.id := gen_random_uuid();
    CREATE TEMP TABLE IF NOT EXISTS allowance_payable (LIKE allowance_entries) ON COMMIT DROP;
    TRUNCATE allowance_payable;
    INSERT INTO allowance_payable SELECT * FROM allowance_payable_entries(m, scope);
    SELECT coalesce(jsonb_agg(DISTINCT r.certificate_number), '[]') INTO missing
      FROM allowance_payable e JOIN recognitions r ON r.id = e.recognition_id
     WHERE NOT EXISTS (SELECT 1 FROM allowance_payees y WHERE y.recognition_id = e.recognition_id);
    WITH added AS (
        INSERT INTO allowance_batch_lines (batch_id, entry_id, recognition_id, month, amount_fen,
                                           method, bank_name, account_sealed, account_masked,
                                           employer_name, employer_code)
        SELECT b.id, e.id, e.recognition_id, e.month, e.amount_fen, y.method, y.bank_name,
               y.account_sealed, y.account_masked, y.employer_name, y.employer_code
          FROM allowance_payable e JOIN allowance_payees y ON y.recognition_id = e.recognition_id
        RETURNING amount_fen)
    SELECT count(*), sum(amount_fen) INTO b.lines, b.total_fen FROM added;
    IF b.lines = 0 THEN
        SELECT * INTO b FROM allowance_batches x
         WHERE x.month = m AND x.state = 'open' AND x.programmes IS NOT DISTINCT FROM codes
         ORDER BY x.seq DESC LIMIT 1;
        RETURN jsonb_build_object('batch', CASE WHEN FOUND THEN api_allowance_batch_head(b) END,
                                  'created', false, 'without_payee', missing);
    END IF;
    INSERT INTO allowance_batches (id, month, programmes, lines, total_fen, created_by,
                                   created_by_name, created_at)
    VALUES (b.id, m, codes, b.lines, b.total_fen, who, who_name, ts)
    RETURNING * INTO b;
    RETURN jsonb_build_object('batch', api_allowance_batch_head(b), 'created', true,
                              'without_payee', missing);
END
$$;

-- Marks open batch `bid` paid (the bank's reference and date): a payment
-- entry per line, naming the entry it pays. NULL when the batch is not open.
CREATE OR REPLACE FUNCTION allowance_batch_paid(
    bid uuid, reference text, paid date, who uuid, who_name text, who_role user_role,
    ts timestamptz) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    b allowance_batches;
BEGIN
    UPDATE allowance_batches x
       SET state = 'paid', paid_reference = reference, paid_on = paid, paid_by_name = who_name,
           paid_at = ts, version = x.version + 1
     WHERE x.id = bid AND x.state = 'open'
    RETURNING * INTO b;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    INSERT INTO allowance_entries (recognition_id, month, kind, amount_fen, corrects, reason,
                                   batch_id, actor_id, actor, actor_role, at)
    SELECT l.recognition_id, l.month, 'payment', l.amount_fen, l.entry_id, 'batch_paid', b.id,
           who, who_name, who_role, ts
      FROM allowance_batch_lines l WHERE l.batch_id = b.id
     ORDER BY l.recognition_id, l.month;
    RETURN api_allowance_batch_head(b);
END
$$;

-- The bank returned the payments of title `rid` in paid batch `bid`: a
-- `return` entry names each (the months are outstanding again, for a later
-- batch). Returns how many were returned (0: none left to return).
CREATE OR REPLACE FUNCTION allowance_batch_return(
    bid uuid, rid uuid, why text, who uuid, who_name text, who_role user_role,
    ts timestamptz) RETURNS integer
LANGUAGE sql AS $$
    WITH added AS (
        INSERT INTO allowance_entries (recognition_id, month, kind, amount_fen, corrects, reason,
                                       batch_id, actor_id, actor, actor_role, at)
        SELECT pay.recognition_id, pay.month, 'return', pay.amount_fen, pay.id, why, bid, who,
               who_name, who_role, ts
          FROM allowance_entries pay
         WHERE pay.batch_id = bid AND pay.recognition_id = rid AND pay.kind = 'payment'
           AND NOT EXISTS (SELECT 1 FROM allowance_entries ret
                            WHERE ret.corrects = pay.id AND ret.kind = 'return')
        RETURNING 1)
    SELECT count(*)::int FROM added
$$;

-- ---- recoveries of clawbacks ----

-- The clawbacks receivable of title `rid`, month by month: each reversal
-- of a month whose payment stands (paid, not returned by the bank) and
-- that no recovery has settled yet.
CREATE OR REPLACE FUNCTION allowance_receivable(rid uuid) RETURNS SETOF allowance_entries
LANGUAGE sql STABLE AS $$
    SELECT rv.* FROM allowance_entries rv
     WHERE rv.recognition_id = rid AND rv.kind = 'reversal'
       AND EXISTS (SELECT 1 FROM allowance_entries pay
                    WHERE pay.corrects = rv.corrects AND pay.kind = 'payment'
                      AND NOT EXISTS (SELECT 1 FROM allowance_entries ret
                                       WHERE ret.corrects = pay.id AND ret.kind = 'return'))
       AND NOT EXISTS (SELECT 1 FROM allowance_entries x
                        WHERE x.corrects = rv.id AND x.kind = 'recovery')
     ORDER BY rv.month
$$;

-- Title `rid` paid back the clawbacks of `months` (firsts of months; NULL:
-- every month receivable): a `recovery` entry names each reversal settled
-- (reason code `why`). Returns {recovered, recovered_fen, months}.
CREATE OR REPLACE FUNCTION allowance_recover(
    rid uuid, months date[], why text, who uuid, who_name text, who_role user_role,
    ts timestamptz) RETURNS jsonb
LANGUAGE sql AS $$
    WITH added AS (
        INSERT INTO allowance_entries (recognition_id, month, kind, amount_fen, corrects, reason,
                                       actor_id, actor, actor_role, at)
        SELECT rv.recognition_id, rv.month, 'recovery', rv.amount_fen, rv.id, why, who, who_name,
               who_role, ts
          FROM allowance_receivable(rid) rv
         WHERE months IS NULL OR rv.month = ANY (months)
        ON CONFLICT DO NOTHING
        RETURNING month, amount_fen)
    SELECT jsonb_build_object('recovered', count(*),
                              'recovered_fen', coalesce(sum(amount_fen), 0),
                              'months', coalesce(jsonb_agg(to_char(month, 'YYYY-MM')
                                                           ORDER BY month), '[]'))
      FROM added
$$;

-- ---- the forecast ----

-- What the payable-month rule needs to project months `from_month` to
-- `to_month` (firsts) for the titles within `scope` that have no accrual
-- or hold for them yet, as the facts stand today (allowance_month_facts:
-- a suspension not lifted stops every month from its first; a decided
-- re-check decides the months it governs), counted by identical facts, with
-- the programme.
CREATE OR REPLACE FUNCTION allowance_forecast_facts(from_month date, to_month date, scope jsonb)
RETURNS TABLE (month date, programme text, policy_version_id uuid, period_start date,
               revoked_effective date, revoked_reason text, suspended boolean, recheck text,
               titles bigint)
LANGUAGE sql STABLE AS $$
    SELECT g.m::date, p.code, f.policy_version_id, f.period_start, f.revoked_effective,
           f.revoked_reason, f.suspended, f.recheck, count(*)
      FROM generate_series(from_month, to_month, interval '1 month') g (m)
     CROSS JOIN LATERAL allowance_month_facts(g.m::date, scope) f
      JOIN recognitions r ON r.id = f.recognition_id
      JOIN programmes p ON p.id = r.programme_id
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
$$;
