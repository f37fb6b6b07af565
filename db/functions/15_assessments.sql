-- SPDX-License-Identifier: MIT
-- Issue 14: 岚山工匠 第十一条 annual assessments (db/migrations/0024).

CREATE OR REPLACE FUNCTION api_assessment(a assessments) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', a.id,
        'recognition_id', a.recognition_id,
        'year', a.year,
        'revision', a.revision,
        'result', a.result,
        'notes', a.notes,
        'evidence', a.evidence,
        'state', a.state,
        'submitted_by', a.submitted_by_name,
        'submitted_at', api_ts(a.submitted_at),
        'reviewed_by', a.reviewed_by_name,
        'reviewed_at', api_ts(a.reviewed_at),
        'review_reason', a.review_reason,
        'version', a.version)
$$;

-- Whether title `r` owes a result for year `yr`: its pinned policy assesses
-- every year (assessment "annual"), the year is after the year of
-- recognition (choice: the first full year), and the title was not
-- revoked before the year began. The one place the rule is written.
CREATE OR REPLACE FUNCTION assessment_due(r recognitions, yr integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT v.policy ->> 'assessment' = 'annual'
           AND yr > extract(year FROM r.recognized_on)
           AND (r.revoked_on IS NULL OR r.revoked_on >= make_date(yr, 1, 1))
      FROM rounds ro JOIN policy_versions v ON v.id = ro.policy_version_id
     WHERE ro.id = r.round_id
$$;

-- The day year `yr`'s result is due: assessment_deadline ("MM-DD", absent
-- "03-31") of the following year.
CREATE OR REPLACE FUNCTION assessment_deadline(r recognitions, yr integer) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT to_date((yr + 1)::text || '-' || coalesce(v.policy ->> 'assessment_deadline', '03-31'),
                   'YYYY-MM-DD')
      FROM rounds ro JOIN policy_versions v ON v.id = ro.policy_version_id
     WHERE ro.id = r.round_id
$$;

-- Per title owing year `yr`: where its result stands on `today` — confirmed,
-- submitted, returned (to submit again), or none yet: due until the
-- deadline, overdue after.
CREATE OR REPLACE FUNCTION assessment_status(r recognitions, yr integer, today date)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'recognition_id', r.id,
        'holder_name', r.holder_name,
        'certificate_number', r.certificate_number,
        'programme', (SELECT p.code FROM programmes p WHERE p.id = r.programme_id),
        'unit_id', (SELECT n.unit_id FROM nominations n WHERE n.id = r.nomination_id),
        'year', yr,
        'deadline', assessment_deadline(r, yr),
        'status', coalesce(a.state, CASE WHEN today > assessment_deadline(r, yr)
                                         THEN 'overdue' ELSE 'due' END),
        'result', a.result,
        'assessment_id', a.id)
      FROM (SELECT 1) one
      LEFT JOIN LATERAL (SELECT * FROM assessments x
                          WHERE x.recognition_id = r.id AND x.year = yr
                          ORDER BY x.revision DESC LIMIT 1) a ON true
$$;
