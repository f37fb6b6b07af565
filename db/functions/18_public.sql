-- SPDX-License-Identifier: MIT
-- Issue 16: the public projections, THE whitelist of what may leave the
-- system publicly (the public routes and the nightly export read these and
-- nothing else). Publication is the seeds' own: 岚山工匠 第五条（六）, 第十条;
-- 环翠区首席技师 第十条（五）, 第十四条（六）.
--
-- Each is a set-returning SQL function with flat typed columns (jsonb only
-- where the value is itself published: a policy document, a notice's list);
-- its first column is the row's natural key, which the export diffs on
-- (a composite key is one text column `key`, its parts joined by `/`, so
-- text order is the parts' order). Order is the caller's. Time is a
-- parameter, the service's clock, never now(): `today` (Asia/Shanghai) for
-- what becomes public on a day, `at` for what becomes public at an instant.
-- Never here: ID numbers, phones, birth dates, bank data, scores, who
-- decided, members present, reasons given, notes, contacts, verification
-- codes (tests/integration/test_public_sql.py guards the column names).
-- Parameters are written qualified (public_x.at): a column of the same name
-- would otherwise take precedence in a SQL function.

-- The programmes, each with the policy version it shows on `today`: the one
-- in force, else the highest-numbered (policy_version_shown, as GET
-- /v1/programmes); `in_force` says which. The policy is the founding
-- document itself, published by its authority.
CREATE OR REPLACE FUNCTION public_programmes(today date)
RETURNS TABLE (code text, name text, name_en text, policy_version integer, document_no text,
               authority text, in_force_from date, in_force_to date, in_force boolean,
               policy jsonb)
LANGUAGE sql STABLE AS $$
    SELECT p.code, p.name, p.name_en, v.number, v.policy ->> 'document_no',
           v.policy ->> 'authority', v.in_force_from, v.in_force_to,
           public_programmes.today BETWEEN v.in_force_from AND v.in_force_to, v.policy
      FROM programmes p
     CROSS JOIN LATERAL policy_version_shown(p.id, public_programmes.today) v
$$;

-- Every policy version of every programme (past, in force and adopted for
-- later): each is a published document (document_no, authority), and a
-- round's rules are those of the version it pinned. Key: code/NNNN.
CREATE OR REPLACE FUNCTION public_programme_versions()
RETURNS TABLE (key text, code text, number integer, document_no text, authority text,
               in_force_from date, in_force_to date, policy jsonb)
LANGUAGE sql STABLE AS $$
    SELECT p.code || '/' || lpad(v.number::text, 4, '0'), p.code, v.number,
           v.policy ->> 'document_no', v.policy ->> 'authority', v.in_force_from,
           v.in_force_to, v.policy
      FROM policy_versions v JOIN programmes p ON p.id = v.programme_id
$$;

-- The rounds public at all: those the office has opened for applications
-- (phase past `preparing`; 岚山 第五条（一）, 环翠 第十条（一）: the call for
-- nominations is published). A round still being prepared may change or
-- vanish, so it is not shown. With it: the pinned policy version, the vote
-- session once it exists (its window is public from then on, as the voting
-- service lists it), the final notice from its publication day, and the
-- district government's approval (环翠 第十条（六） 发文公布) from its date.
CREATE OR REPLACE FUNCTION public_rounds(today date)
RETURNS TABLE (id uuid, programme text, programme_name text, code text, year integer,
               reference_date date, window_opens date, window_closes date, phase text,
               policy_version integer, vote_session_id uuid, vote_title text,
               vote_opens_at timestamptz, vote_closes_at timestamptz, notice_id uuid,
               notice_published_on date, notice_ends_on date, approval_document_no text,
               approved_on date)
LANGUAGE sql STABLE AS $$
    SELECT r.id, p.code, p.name, r.code, r.year, r.reference_date, r.window_opens,
           r.window_closes, r.phase::text, v.number, s.id, s.title, s.opens_at, s.closes_at,
           t.id, t.published_on, t.ends_on, a.document_no, a.approved_on
      FROM rounds r
      JOIN programmes p ON p.id = r.programme_id
      JOIN policy_versions v ON v.id = r.policy_version_id
      LEFT JOIN vote_sessions s ON s.round_id = r.id
      LEFT JOIN notices t ON t.round_id = r.id AND t.published_on <= public_rounds.today
      LEFT JOIN round_approvals a ON a.round_id = r.id
                                 AND a.approved_on <= public_rounds.today
     WHERE r.phase <> 'preparing'
$$;

-- The nominees, published only as they already were (plan decision 2):
-- * on a final notice published by `at`'s day whose nominee is still on it or
--   past it (state final_notice, recognized, objection_upheld): the notice's
--   own snapshot (notice_entry: name, employer, occupation, the deeds'
--   first 150 characters), numbered as on the notice; source `notice`;
-- * else on its round's vote session once the vote has opened (`at` >=
--   opens_at): the ballot as pushed to jiangxin-vote (name, the
--   recommending unit's name, occupation, the deeds' first 200
--   characters), numbered as on the ballot; source `vote`.
-- A frozen shortlist alone publishes nothing. public_status: on_ballot,
-- withdrawn_from_ballot (left the vote; why is not said), on_notice,
-- withdrawn_from_notice (an upheld objection; why is not said), recognized.
CREATE OR REPLACE FUNCTION public_nominees(at timestamptz)
RETURNS TABLE (id uuid, round_id uuid, number integer, name text, employer text,
               occupation text, summary text, source text, public_status text)
LANGUAGE sql STABLE AS $$
    WITH noticed AS (
        SELECT n.id, n.round_id, x.i::int AS number, x.e ->> 'name' AS name,
               x.e ->> 'employer' AS employer, x.e ->> 'occupation' AS occupation,
               x.e ->> 'deeds_summary' AS summary, n.state
          FROM notices t
         CROSS JOIN LATERAL jsonb_array_elements(t.entries) WITH ORDINALITY AS x (e, i)
          JOIN nominations n ON n.id = (x.e ->> 'nomination_id')::uuid
         WHERE t.published_on <= (public_nominees.at AT TIME ZONE 'Asia/Shanghai')::date
           AND n.state IN ('final_notice', 'recognized', 'objection_upheld'))
    SELECT d.id, d.round_id, d.number, d.name, d.employer, d.occupation, d.summary, 'notice',
           CASE d.state WHEN 'final_notice' THEN 'on_notice'
                        WHEN 'recognized' THEN 'recognized'
                        ELSE 'withdrawn_from_notice' END
      FROM noticed d
    UNION ALL
    SELECT (e ->> 'id')::uuid, s.round_id, (e ->> 'number')::int, e ->> 'name',
           e ->> 'unit_name', e ->> 'occupation', e ->> 'summary', 'vote',
           CASE WHEN coalesce((e ->> 'withdrawn')::boolean, false) THEN 'withdrawn_from_ballot'
                ELSE 'on_ballot' END
      FROM vote_sessions s
     CROSS JOIN LATERAL jsonb_array_elements(s.nominees) e
     WHERE public_nominees.at >= s.opens_at
       AND NOT EXISTS (SELECT 1 FROM noticed d WHERE d.id = (e ->> 'id')::uuid)
$$;

-- The public vote's result per nominee (one session per round, so the
-- nominee's id is the key), only once the vote has closed (`at` >=
-- closes_at; 岚山 第五条（四）): as the results route ranks it
-- (api_vote_results: ties share a rank, a withdrawn nominee after the
-- rest), with the session's totals and the digest of its sealed log, which
-- anyone can check against the voting service's published log. `final` only
-- when the final tally agrees with that log.
CREATE OR REPLACE FUNCTION public_vote_results(at timestamptz)
RETURNS TABLE (nominee_id uuid, session_id uuid, round_id uuid, number integer, name text,
               votes bigint, rank integer, withdrawn boolean, final boolean, total_votes bigint,
               log_entries bigint, log_sha256 text, as_of timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT (e ->> 'id')::uuid, s.id, s.round_id, (e ->> 'number')::int, e ->> 'name',
           (e ->> 'votes')::bigint, (e ->> 'rank')::int,
           coalesce((e ->> 'withdrawn')::boolean, false), (x.res ->> 'final')::boolean,
           (x.res ->> 'total_votes')::bigint, s.log_entries, s.log_sha256, s.tally_as_of
      FROM vote_sessions s
     CROSS JOIN LATERAL (SELECT api_vote_results(s, public_vote_results.at) AS res) x
     CROSS JOIN LATERAL jsonb_array_elements(x.res -> 'nominees') e
     WHERE public_vote_results.at >= s.closes_at
$$;

-- The leadership group's decisions (岚山 第五条（五）, 环翠 第十条（六） 审定)
-- once the round's final notice is published (published_on <= `today`;
-- plan decision 3) and the meeting has taken place: the step, the meeting's
-- date and reference, and the selections in the group's order (position,
-- nominee id, name). Never who recorded it, the members present or the
-- reason given for selecting above the target.
CREATE OR REPLACE FUNCTION public_decisions(today date)
RETURNS TABLE (id uuid, round_id uuid, programme text, step text, meeting_date date,
               meeting_reference text, selections jsonb)
LANGUAGE sql STABLE AS $$
    SELECT d.id, d.round_id, p.code, d.step, d.meeting_date, d.meeting_reference,
           coalesce((SELECT jsonb_agg(jsonb_build_object('position', e.position,
                                                         'nominee_id', e.nomination_id,
                                                         'name', n.name)
                                      ORDER BY e.position)
                       FROM decision_entries e JOIN nominations n ON n.id = e.nomination_id
                      WHERE e.decision_id = d.id), '[]'::jsonb)
      FROM decisions d
      JOIN rounds r ON r.id = d.round_id
      JOIN programmes p ON p.id = r.programme_id
      JOIN notices t ON t.round_id = d.round_id
     WHERE t.published_on <= public_decisions.today
       AND d.meeting_date <= public_decisions.today
$$;

-- The notices from their publication day (published_on <= `today`): final
-- notices (公示, 岚山 第五条（六）, 环翠 第十条（五）) with their list as
-- published (number, nominee id, name, employer, occupation, deeds summary,
-- withdrawn after an upheld objection), and revocation notices (取消认定公告,
-- 岚山 第十二条, 环翠 第十七条) with the holder's public fields, the
-- certificate recalled and the ground (the policy's reason code; its label
-- and article: GET /v1/enums). The final notice's contact for objections is
-- left out (the notice routes show it; no contact leaves in bulk). The
-- open/ended state is left to the reader (ends_on), so the rows do not
-- change with the day.
CREATE OR REPLACE FUNCTION public_notices(today date)
RETURNS TABLE (id uuid, kind text, programme text, round_id uuid, title text, body text,
               issuer text, published_on date, ends_on date, workdays integer, entries jsonb,
               certificate_number text, holder_name text, holder_employer text,
               holder_occupation text, ground text)
LANGUAGE sql STABLE AS $$
    SELECT t.id, 'final', p.code, t.round_id, t.title, t.body, t.issuer, t.published_on,
           t.ends_on, t.workdays,
           (SELECT jsonb_agg(jsonb_build_object(
                       'number', x.i,
                       'nominee_id', n.id,
                       'name', x.e ->> 'name',
                       'employer', x.e ->> 'employer',
                       'occupation', x.e ->> 'occupation',
                       'deeds_summary', x.e ->> 'deeds_summary',
                       'withdrawn', n.state = 'objection_upheld') ORDER BY x.i)
              FROM jsonb_array_elements(t.entries) WITH ORDINALITY AS x (e, i)
              JOIN nominations n ON n.id = (x.e ->> 'nomination_id')::uuid),
           NULL, NULL, NULL, NULL, NULL
      FROM notices t
      JOIN rounds r ON r.id = t.round_id
      JOIN programmes p ON p.id = r.programme_id
     WHERE t.published_on <= public_notices.today
    UNION ALL
    SELECT t.id, 'revocation', p.code, r.round_id, t.title, t.body, t.issuer, t.published_on,
           NULL, NULL, NULL, r.certificate_number, r.holder_name, r.employer, r.occupation,
           c.reason
      FROM revocation_notices t
      JOIN recognitions r ON r.id = t.recognition_id
      JOIN revocation_cases c ON c.id = t.case_id
      JOIN programmes p ON p.id = t.programme_id
     WHERE t.published_on <= public_notices.today
$$;

-- The register of titles (plan decision 4; 岚山 第十条, 环翠 第十四条（六）):
-- every recognition with its certificate number, the holder's public fields
-- as recognised, and its status (active, suspended, revoked) with the
-- revocation's date and notice. Never the verification code (it is what
-- proves holding the certificate), the nomination or who issued it.
CREATE OR REPLACE FUNCTION public_recognitions()
RETURNS TABLE (certificate_number text, title text, programme text, round_id uuid,
               holder_name text, employer text, occupation text, certificate_year integer,
               recognized_on date, status text, revoked_on date, revocation_notice_id uuid)
LANGUAGE sql STABLE AS $$
    SELECT r.certificate_number, r.title, p.code, r.round_id, r.holder_name, r.employer,
           r.occupation, r.certificate_year, r.recognized_on, r.status, r.revoked_on,
           (SELECT t.id FROM revocation_notices t WHERE t.recognition_id = r.id
             ORDER BY t.published_at DESC, t.id LIMIT 1)
      FROM recognitions r JOIN programmes p ON p.id = r.programme_id
$$;

-- The allowance (环翠 第四条: public money) per programme and month, never
-- per person: how many titles the month has entries for, and what the
-- entries of each kind add up to, in fen (allowance_summary's figures;
-- earned and net held as allowance_effect counts them). Bank returns and
-- clawbacks received are not shown: in a month of few holders they would
-- tell one person's bank or repayment events. Key: programme/YYYY-MM;
-- month is its first day.
CREATE OR REPLACE FUNCTION public_allowance_summary()
RETURNS TABLE (key text, programme text, month date, holders bigint, accrued_fen bigint,
               held_fen bigint, released_fen bigint, cancelled_fen bigint,
               reversed_fen bigint, paid_fen bigint, earned_fen bigint, net_held_fen bigint)
LANGUAGE sql STABLE AS $$
    SELECT p.code || '/' || to_char(e.month, 'YYYY-MM'), p.code, e.month,
           count(DISTINCT e.recognition_id),
           coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'accrual'), 0)::bigint,
           coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'hold'), 0)::bigint,
           coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'release'), 0)::bigint,
           coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'cancellation'), 0)::bigint,
           coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'reversal'), 0)::bigint,
           coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'payment'), 0)::bigint,
           sum(f.earned)::bigint, sum(f.held)::bigint
      FROM allowance_entries e
      JOIN recognitions r ON r.id = e.recognition_id
      JOIN programmes p ON p.id = r.programme_id,
           allowance_effect(e.kind, e.amount_fen) f
     GROUP BY p.code, e.month
$$;

-- The trigger of db/migrations/0029_public_notify.sql: a change to what the
-- projections above read tells the API's public cache (api/public_cache.c),
-- at commit and once per transaction.
CREATE OR REPLACE FUNCTION public_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('jiangxin_public', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
