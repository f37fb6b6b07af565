-- SPDX-License-Identifier: MIT
-- Issue 15: the allowance ledger (db/migrations/0026). What a month's
-- facts are is read here; whether the month is payable, held or nothing is
-- decided once, in C (api/model/allowance_rules.c).

-- The facts of allowance month `m` (a first of a month) for every title
-- whose pinned policy pays a monthly allowance, whose management period
-- (management_period(), the one start rule) contains `m`, inside `scope`
-- (a JSON array of programme codes; NULL: all), and that has no accrual or
-- hold for `m` yet (so a rerun reads nothing): the policy version, the
-- period's first month, whether the title was revoked on or before the
-- month's first day, whether a suspension stopping the allowance covered
-- that day (第十六条（一）: effective on or before it, not lifted by it),
-- and the re-check's result (NULL while undecided or not filed).
CREATE OR REPLACE FUNCTION allowance_month_facts(m date, scope jsonb)
RETURNS TABLE (recognition_id uuid, policy_version_id uuid, period_start date,
               revoked boolean, suspended boolean, recheck text)
LANGUAGE sql STABLE AS $$
    SELECT r.id, v.id, mp.period_start,
           r.revoked_on IS NOT NULL AND r.revoked_on <= m,
           EXISTS (SELECT 1 FROM suspensions s
                    WHERE s.recognition_id = r.id AND s.effective_on <= m
                      AND (s.lifted_on IS NULL OR s.lifted_on > m)
                      AND 'allowance' = ANY (s.benefits_stopped)),
           (SELECT x.result FROM rechecks x WHERE x.recognition_id = r.id)
      FROM recognitions r
      JOIN rounds ro ON ro.id = r.round_id
      JOIN policy_versions v ON v.id = ro.policy_version_id
      JOIN programmes p ON p.id = r.programme_id
     CROSS JOIN LATERAL management_period(v.policy, r.recognized_on) mp
     WHERE v.policy ->> 'reward' = 'monthly_allowance'
       AND m BETWEEN mp.period_start AND mp.period_end
       AND (scope IS NULL OR scope ? p.code)
       AND NOT EXISTS (SELECT 1 FROM allowance_entries e
                        WHERE e.recognition_id = r.id AND e.month = m
                          AND e.kind IN ('accrual', 'hold'))
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
-- skipped by the unique key). The run row is written last, once (the
-- entries' reference to it is checked at commit). Returns the run.
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
        ON CONFLICT DO NOTHING
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
