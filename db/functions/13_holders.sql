-- SPDX-License-Identifier: MIT
-- Issue 14: what happens to a title after it is issued (holder management).

-- The management period of a title recognised on `recognized_on` under the
-- pinned `policy` (环翠区首席技师 第四条 "管理期为2年"), as [start, end]: the
-- policy's start rule (`allowance_start`; the only one, and the default of
-- SPEC §4: the first day of the month after recognition) and
-- `management_period_months` months from it. No row for a programme with no
-- management period (岚山工匠 holds its title for good). The one place the
-- rule is written: the record, the repeat rule and the allowance read it.
-- A set-returning SQL function, so PostgreSQL inlines it into a query that
-- joins it per title (allowance_month_facts()) instead of calling it once
-- per row; the dates are truncated as timestamps (no time zone), so the
-- body is as IMMUTABLE as it is declared.
CREATE OR REPLACE FUNCTION management_periods(policy jsonb, recognized_on date)
RETURNS TABLE (period_start date, period_end date)
LANGUAGE sql IMMUTABLE AS $$
    SELECT s, (s + make_interval(months => (policy ->> 'management_period_months')::int)
                 - interval '1 day')::date
      FROM (SELECT (date_trunc('month', recognized_on::timestamp) + interval '1 month')::date
                   AS s) x
     WHERE jsonb_typeof(policy -> 'management_period_months') = 'number'
$$;

-- The same period as one record (NULL, NULL for a programme with no
-- management period), for callers that want a value rather than a set.
CREATE OR REPLACE FUNCTION management_period(policy jsonb, recognized_on date,
                                             OUT period_start date, OUT period_end date)
LANGUAGE sql IMMUTABLE AS $$
    SELECT m.period_start, m.period_end FROM management_periods(policy, recognized_on) m
$$;

-- The period of recognition `r`, from its round's pinned policy version.
CREATE OR REPLACE FUNCTION recognition_period(r recognitions,
                                              OUT period_start date, OUT period_end date)
LANGUAGE sql STABLE AS $$
    SELECT m.period_start, m.period_end
      FROM rounds ro JOIN policy_versions v ON v.id = ro.policy_version_id,
           management_period(v.policy, r.recognized_on) m
     WHERE ro.id = r.round_id
$$;

-- A recognition as the office reads it (with the verification code).
CREATE OR REPLACE FUNCTION api_recognition(r recognitions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', r.id,
        'nomination_id', r.nomination_id,
        'round_id', r.round_id,
        'programme', (SELECT p.code FROM programmes p WHERE p.id = r.programme_id),
        'title', r.title,
        'holder_name', r.holder_name,
        'employer', r.employer,
        'occupation', r.occupation,
        'certificate_number', r.certificate_number,
        'verification_code', r.verification_code,
        'recognized_on', r.recognized_on,
        'period_start', (recognition_period(r)).period_start,
        'period_end', (recognition_period(r)).period_end,
        'status', r.status,
        'issued_by', (SELECT u.username FROM users u WHERE u.id = r.issued_by),
        'issued_at', api_ts(r.issued_at),
        'version', r.version)
$$;

-- What anyone holding the number and the code may read: public fields.
CREATE OR REPLACE FUNCTION api_certificate(r recognitions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'certificate_number', r.certificate_number,
        'title', r.title,
        'programme', (SELECT p.code FROM programmes p WHERE p.id = r.programme_id),
        'holder_name', r.holder_name,
        'employer', r.employer,
        'occupation', r.occupation,
        'recognized_on', r.recognized_on,
        'status', r.status)
$$;

CREATE OR REPLACE FUNCTION api_suspension(s suspensions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', s.id,
        'recognition_id', s.recognition_id,
        'reason', s.reason,
        'effective_on', s.effective_on,
        'note', s.note,
        'benefits_stopped', to_jsonb(s.benefits_stopped),
        'recorded_by', (SELECT u.username FROM users u WHERE u.id = s.recorded_by),
        'recorded_at', api_ts(s.recorded_at),
        'lifted_on', s.lifted_on,
        'lift_reason', s.lift_reason,
        'lifted_by', (SELECT u.username FROM users u WHERE u.id = s.lifted_by),
        'lifted_at', api_ts(s.lifted_at))
$$;

CREATE OR REPLACE FUNCTION api_revocation_case(c revocation_cases) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', c.id,
        'recognition_id', c.recognition_id,
        'programme', (SELECT p.code FROM recognitions r JOIN programmes p ON p.id = r.programme_id
                       WHERE r.id = c.recognition_id),
        'holder_name', (SELECT r.holder_name FROM recognitions r WHERE r.id = c.recognition_id),
        'certificate_number', (SELECT r.certificate_number FROM recognitions r
                                WHERE r.id = c.recognition_id),
        'reason', c.reason,
        'facts', c.facts,
        'finding', c.finding,
        'evidence', c.evidence,
        'effective_on', c.effective_on,
        'state', c.state,
        'steps', (SELECT jsonb_agg(jsonb_build_object(
                             'position', x.i,
                             'step', x.step,
                             'outcome', s.outcome,
                             'note', s.note,
                             'decided_on', s.decided_on,
                             'meeting_reference', s.meeting_reference,
                             'document_no', s.document_no,
                             'recorded_by', s.recorded_by_name,
                             'recorded_at', api_ts(s.recorded_at)) ORDER BY x.i)
                    FROM unnest(c.steps) WITH ORDINALITY AS x (step, i)
                    LEFT JOIN revocation_case_steps s
                           ON s.case_id = c.id AND s.position = x.i),
        'next_step', CASE WHEN c.state = 'open' THEN
                         c.steps[(SELECT count(*) FROM revocation_case_steps s
                                   WHERE s.case_id = c.id) + 1] END,
        'notice_id', (SELECT t.id FROM revocation_notices t WHERE t.case_id = c.id),
        'opened_by', c.opened_by_name,
        'opened_at', api_ts(c.opened_at),
        'closed_at', api_ts(c.closed_at),
        'version', c.version)
$$;

-- The holder record: the recognition, the recommending unit, and what is
-- open on it (a suspension, a revocation case).
CREATE OR REPLACE FUNCTION api_holder(r recognitions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT api_recognition(r) || jsonb_build_object(
        'unit_id', (SELECT n.unit_id FROM nominations n WHERE n.id = r.nomination_id),
        'revoked_on', r.revoked_on,
        'suspension', (SELECT api_suspension(s) FROM suspensions s
                        WHERE s.recognition_id = r.id AND s.lifted_on IS NULL),
        'revocation_case_id', (SELECT c.id FROM revocation_cases c
                                WHERE c.recognition_id = r.id AND c.state = 'open'))
$$;

-- The holder's file (业绩考评档案, 岚山 第十一条): every event on the title,
-- oldest first, each with who and when; events of one instant (one
-- transaction) in the order they happen: an assessment's confirmation
-- before the case it opens, a case's last step before the revocation.
-- `kind` names the event; `details`
-- carries its codes and dates (labels: GET /v1/enums).
CREATE OR REPLACE FUNCTION recognition_timeline(r recognitions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(e ORDER BY ts, seq), '[]')
      FROM (
        SELECT r.issued_at, 0, jsonb_build_object('at', api_ts(r.issued_at), 'seq', '0', 'kind', 'issued',
                   'actor', (SELECT u.username FROM users u WHERE u.id = r.issued_by),
                   'details', jsonb_build_object('certificate_number', r.certificate_number,
                                                 'recognized_on', r.recognized_on))
        UNION ALL
        SELECT n.recorded_at, 1, jsonb_build_object('at', api_ts(n.recorded_at), 'seq', '1', 'kind', 'note',
                   'actor', n.recorded_by_name, 'id', n.id,
                   'details', jsonb_build_object('text', n.text, 'evidence', n.evidence))
          FROM holder_notes n WHERE n.recognition_id = r.id
        UNION ALL
        SELECT s.recorded_at, 4, jsonb_build_object('at', api_ts(s.recorded_at), 'seq', '4', 'kind', 'suspended',
                   'actor', (SELECT u.username FROM users u WHERE u.id = s.recorded_by),
                   'id', s.id,
                   'details', jsonb_build_object('reason', s.reason,
                                                 'effective_on', s.effective_on,
                                                 'benefits_stopped', to_jsonb(s.benefits_stopped),
                                                 'note', s.note))
          FROM suspensions s WHERE s.recognition_id = r.id
        UNION ALL
        SELECT s.lifted_at, 5, jsonb_build_object('at', api_ts(s.lifted_at), 'seq', '5',
                   'kind', 'suspension_lifted',
                   'actor', (SELECT u.username FROM users u WHERE u.id = s.lifted_by),
                   'id', s.id,
                   'details', jsonb_build_object('lifted_on', s.lifted_on,
                                                 'reason', s.lift_reason))
          FROM suspensions s WHERE s.recognition_id = r.id AND s.lifted_at IS NOT NULL
        UNION ALL
        SELECT c.opened_at, 6, jsonb_build_object('at', api_ts(c.opened_at), 'seq', '6',
                   'kind', 'revocation_case_opened', 'actor', c.opened_by_name, 'id', c.id,
                   'details', jsonb_build_object('reason', c.reason,
                                                 'effective_on', c.effective_on))
          FROM revocation_cases c WHERE c.recognition_id = r.id
        UNION ALL
        SELECT s.recorded_at, 7, jsonb_build_object('at', api_ts(s.recorded_at), 'seq', '7',
                   'kind', 'revocation_step', 'actor', s.recorded_by_name, 'id', c.id,
                   'details', jsonb_build_object('step', s.step, 'outcome', s.outcome,
                                                 'decided_on', s.decided_on,
                                                 'document_no', s.document_no))
          FROM revocation_cases c JOIN revocation_case_steps s ON s.case_id = c.id
         WHERE c.recognition_id = r.id
        UNION ALL
        SELECT c.closed_at, 8, jsonb_build_object('at', api_ts(c.closed_at), 'seq', '8', 'kind', 'revoked',
                   'actor', NULL, 'id', c.id,
                   'details', jsonb_build_object('reason', c.reason,
                                                 'effective_on', c.effective_on,
                                                 'revoked_on', r.revoked_on))
          FROM revocation_cases c WHERE c.recognition_id = r.id AND c.state = 'revoked'
        UNION ALL
        SELECT a.submitted_at, 2, jsonb_build_object('at', api_ts(a.submitted_at), 'seq', '2',
                   'kind', 'assessment_submitted', 'actor', a.submitted_by_name, 'id', a.id,
                   'details', jsonb_build_object('year', a.year, 'revision', a.revision,
                                                 'result', a.result, 'notes', a.notes,
                                                 'evidence', a.evidence))
          FROM assessments a WHERE a.recognition_id = r.id
        UNION ALL
        SELECT a.reviewed_at, 3, jsonb_build_object('at', api_ts(a.reviewed_at), 'seq', '3',
                   'kind', 'assessment_' || a.state, 'actor', a.reviewed_by_name, 'id', a.id,
                   'details', jsonb_build_object('year', a.year, 'revision', a.revision,
                                                 'result', a.result,
                                                 'reason', a.review_reason))
          FROM assessments a WHERE a.recognition_id = r.id AND a.reviewed_at IS NOT NULL
        UNION ALL
        SELECT x.filed_at, 9, jsonb_build_object('at', api_ts(x.filed_at), 'seq', '9',
                   'kind', 'recheck_filed', 'actor', x.filed_by_name, 'id', x.id,
                   'details', jsonb_build_object('suggested', x.suggested,
                                                 'checklist', x.checklist))
          FROM rechecks x WHERE x.recognition_id = r.id
        UNION ALL
        SELECT x.decided_at, 10, jsonb_build_object('at', api_ts(x.decided_at), 'seq', '10',
                   'kind', 'recheck_decided', 'actor', x.decided_by_name, 'id', x.id,
                   'details', jsonb_build_object('result', x.result, 'reason', x.reason,
                                                 'decided_on', x.decided_on))
          FROM rechecks x WHERE x.recognition_id = r.id AND x.decided_at IS NOT NULL
      ) x (ts, seq, e)
$$;

-- Records a suspension (环翠 第十六条（一）) and marks the title suspended.
CREATE OR REPLACE FUNCTION suspension_record(rec uuid, reason text, effective_on date, note text,
                                             benefits text[], actor_id uuid, at timestamptz)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    s suspensions;
BEGIN
    INSERT INTO suspensions (recognition_id, reason, effective_on, note, benefits_stopped,
                             recorded_by, recorded_at)
    VALUES (rec, reason, effective_on, note, benefits, actor_id, at)
    RETURNING * INTO s;
    UPDATE recognitions r SET status = 'suspended', version = r.version + 1 WHERE r.id = rec;
    RETURN api_suspension(s);
END
$$;

-- Lifts suspension `sid` as of `lifted_day` for reason `why`; the title
-- is active again.
CREATE OR REPLACE FUNCTION suspension_lift(sid uuid, lifted_day date, why text, actor_id uuid,
                                           at timestamptz) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    s suspensions;
BEGIN
    UPDATE suspensions x SET lifted_on = lifted_day, lift_reason = why,
                             lifted_by = actor_id, lifted_at = at
     WHERE x.id = sid AND x.lifted_on IS NULL
    RETURNING * INTO s;
    UPDATE recognitions r SET status = 'active', version = r.version + 1
     WHERE r.id = s.recognition_id AND r.status = 'suspended';
    RETURN api_suspension(s);
END
$$;

-- Records step `position` of case `cid`. A rejection closes the case and
-- changes nothing else; the approval of the last step revokes the title
-- (status revoked from `decided_on`), and publishes the revocation notice
-- (title, body, issuer from the caller), in the caller's transaction.
CREATE OR REPLACE FUNCTION revocation_step_record(cid uuid, pos integer, step text,
                                                  outcome text, note text, decided_on date,
                                                  meeting_reference text, document_no text,
                                                  last boolean, notice_title text,
                                                  notice_body text, notice_issuer text,
                                                  actor_id uuid, actor text, actor_role user_role,
                                                  at timestamptz) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    c revocation_cases;
BEGIN
    INSERT INTO revocation_case_steps (case_id, position, step, outcome, note, decided_on,
                                       meeting_reference, document_no, recorded_by,
                                       recorded_by_name, role, recorded_at)
    VALUES (cid, pos, step, outcome, note, decided_on, meeting_reference, document_no,
            actor_id, actor, actor_role, at);
    IF outcome = 'rejected' OR last THEN
        UPDATE revocation_cases x
           SET state = CASE outcome WHEN 'rejected' THEN 'rejected' ELSE 'revoked' END,
               closed_at = at, version = x.version + 1
         WHERE x.id = cid
        RETURNING * INTO c;
    ELSE
        UPDATE revocation_cases x SET version = x.version + 1 WHERE x.id = cid
        RETURNING * INTO c;
    END IF;
    IF c.state = 'revoked' THEN
        UPDATE recognitions r SET status = 'revoked', revoked_on = decided_on,
                                  version = r.version + 1
         WHERE r.id = c.recognition_id;
        INSERT INTO revocation_notices (case_id, recognition_id, programme_id, title, body,
                                        issuer, published_on, published_by, published_at)
        SELECT c.id, r.id, r.programme_id, notice_title, notice_body, notice_issuer,
               decided_on, actor_id, at
          FROM recognitions r WHERE r.id = c.recognition_id;
    END IF;
    RETURN api_revocation_case(c);
END
$$;

-- A revocation notice as the public reads it: the holder's public fields,
-- the certificate recalled, the reason and its article.
CREATE OR REPLACE FUNCTION api_revocation_notice(t revocation_notices) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', t.id,
        'kind', 'revocation',
        'programme', (SELECT p.code FROM programmes p WHERE p.id = t.programme_id),
        'title', t.title,
        'body', t.body,
        'issuer', t.issuer,
        'published_on', t.published_on,
        'holder', jsonb_build_object('name', r.holder_name, 'employer', r.employer,
                                     'occupation', r.occupation,
                                     'certificate_number', r.certificate_number),
        'reason', c.reason,
        'published_at', api_ts(t.published_at))
      FROM recognitions r, revocation_cases c
     WHERE r.id = t.recognition_id AND c.id = t.case_id
$$;
