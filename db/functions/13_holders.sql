-- SPDX-License-Identifier: MIT
-- Issue 14: what happens to a title after it is issued (holder management).

-- The management period of a title recognised on `recognized_on` under the
-- pinned `policy` (环翠区首席技师 第四条 "管理期为2年"), as [start, end]: the
-- policy's start rule (`allowance_start`; the only one, and the default of
-- SPEC §4: the first day of the month after recognition) and
-- `management_period_months` months from it. NULL for a programme with no
-- management period (岚山工匠 holds its title for good). The one place the
-- rule is written: the record, the repeat rule and the allowance read it.
CREATE OR REPLACE FUNCTION management_period(policy jsonb, recognized_on date,
                                             OUT period_start date, OUT period_end date)
LANGUAGE sql IMMUTABLE AS $$
    SELECT s, (s + make_interval(months => (policy ->> 'management_period_months')::int)
                 - interval '1 day')::date
      FROM (SELECT (date_trunc('month', recognized_on) + interval '1 month')::date AS s) x
     WHERE jsonb_typeof(policy -> 'management_period_months') = 'number'
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
